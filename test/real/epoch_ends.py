#!/usr/bin/env python3
"""epoch_ends.py ARCHIVE — print "epoch,end_version" for every epoch the archive's
epoch-ending .meta lines name, read independently of forensic_fdw (gzip by magic bytes,
JSON with the standard library). The real-sample suites compare the FDW against it."""
import gzip
import json
import os
import sys

root = sys.argv[1]
meta_dir = os.path.join(root, "metadata")
ends = {}
for name in sorted(os.listdir(meta_dir)):
    if not name.startswith("epoch_ending_"):
        continue
    with open(os.path.join(meta_dir, name), "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    for line in data.decode().splitlines():
        if not line.strip():
            continue
        b = json.loads(line)["EpochEndingBackup"]
        ends[b["first_epoch"]] = b["first_version"]
        ends[b["last_epoch"]] = b["last_version"]
print("epoch,end_version")
for epoch in sorted(ends):
    print(f"{epoch},{ends[epoch]}")
