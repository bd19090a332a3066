#!/usr/bin/env python3
"""POSTs every image of a folder to a running scoring service, concurrently, and compares the labels with the
TrafficSigns sample's offline `score` output (scores.csv). Loopback only; stops by itself.

usage: compare-with-score.py <service URL> <image folder> <scores.csv> [concurrency]
Prints: images, errors, labels equal / different, images per second. Exit code 0 only when there was no error and
every label is the same."""
import concurrent.futures, csv, json, os, sys, time, urllib.error, urllib.request

url, folder, scores_csv = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
concurrency = int(sys.argv[4]) if len(sys.argv) > 4 else 16
if not url.startswith(("http://127.", "http://localhost", "http://[::1]")):
    sys.exit("loopback URLs only")
with open(scores_csv, newline="", encoding="utf-8") as f:
    offline = {row["file"]: row["predicted label"] for row in csv.DictReader(f)}
types = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".bmp": "image/bmp", ".gif": "image/gif", ".webp": "image/webp"}

def post(relative):
    with open(os.path.join(folder, relative), "rb") as f:
        body = f.read()
    request = urllib.request.Request(url + "/predict", data=body, method="POST",
                                     headers={"Content-Type": types.get(os.path.splitext(relative)[1].lower(), "application/octet-stream")})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return relative, response.status, json.load(response).get("label")
    except urllib.error.HTTPError as e:
        return relative, e.code, e.read().decode("utf-8", "replace")
    except Exception as e:  # connection refused, reset, timeout: an error
        return relative, 0, repr(e)

start = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
    results = list(pool.map(post, sorted(offline)))
elapsed = time.perf_counter() - start
errors = [(f, s, b) for f, s, b in results if s != 200]
different = [(f, offline[f], b) for f, s, b in results if s == 200 and b != offline[f]]
print(f"{len(results)} images, {concurrency} concurrent: {len(errors)} errors, {len(results) - len(errors) - len(different)} labels equal to offline scoring, "
      f"{len(different)} different; {len(results) / elapsed:.0f} images/s (Python client)")
for e in errors[:5]: print("error:", e)
for d in different[:5]: print("different:", d)
sys.exit(0 if not errors and not different else 1)
