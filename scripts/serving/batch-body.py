#!/usr/bin/env python3
"""The batch request body of scripts/load-test.sh, standard library only.

  batch-body.py <image> <count> <out>              a multipart/form-data body with <count> copies of <image> as the
                                                    file field 'images'; prints the Content-Type (with its boundary)
"""
import os, sys

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

if len(sys.argv) == 4:
    batch(sys.argv[1], int(sys.argv[2]), sys.argv[3])
else:
    sys.exit(__doc__)
