#!/usr/bin/env python3
"""Request bodies for scripts/load-test.sh, standard library only.

  make-bodies.py png <image.ppm> <out.png>          a binary PPM (P6, maxval 255) as a PNG file
  make-bodies.py batch <image> <count> <out>        a multipart/form-data body with <count> copies of <image> as the
                                                    file field 'images'; prints the Content-Type (with its boundary)
"""
import os, struct, sys, zlib

def ppm_to_png(source, target):
    data = open(source, "rb").read()
    tokens, position = [], 0
    while len(tokens) < 4:
        while data[position:position + 1].isspace(): position += 1
        if data[position:position + 1] == b"#":
            position = data.index(b"\n", position) + 1
            continue
        start = position
        while not data[position:position + 1].isspace(): position += 1
        tokens.append(data[start:position])
    if tokens[0] != b"P6" or tokens[3] != b"255":
        sys.exit(f"{source}: a binary PPM with maxval 255 is expected")
    width, height = int(tokens[1]), int(tokens[2])
    pixels = data[position + 1:position + 1 + 3 * width * height]
    raw = b"".join(b"\x00" + pixels[3 * width * y:3 * width * (y + 1)] for y in range(height))
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(target, "wb").write(png)

def batch(image, count, target):
    boundary = "loadtestboundary7d1f"
    content = open(image, "rb").read()
    name = os.path.basename(image)
    with open(target, "wb") as f:
        for i in range(count):
            f.write(f'--{boundary}\r\nContent-Disposition: form-data; name="images"; filename="{i}-{name}"\r\n'
                    f'Content-Type: application/octet-stream\r\n\r\n'.encode())
            f.write(content)
            f.write(b"\r\n")
        f.write(f"--{boundary}--\r\n".encode())
    print(f"multipart/form-data; boundary={boundary}")

if sys.argv[1:2] == ["png"] and len(sys.argv) == 4:
    ppm_to_png(sys.argv[2], sys.argv[3])
elif sys.argv[1:2] == ["batch"] and len(sys.argv) == 5:
    batch(sys.argv[2], int(sys.argv[3]), sys.argv[4])
else:
    sys.exit(__doc__)
