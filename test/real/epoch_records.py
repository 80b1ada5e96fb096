#!/usr/bin/env python3
"""epoch_records.py ARCHIVE — decode every epoch-ending record of a v6/v7 archive
independently of forensic_fdw (gzip by magic bytes, JSON and SHA3-256 from the standard
library, BCS by hand after FORMAT-epochs-state-legacy.md §4.1) and print one CSV row per
record: epoch, round, version, timestamp_usecs, block_id, root_hash, validator_count,
total_voting_power, signer_count, validators (JSON), waypoint (the manifest's), and whether
the waypoint recomputed from the record's bytes equals the manifest's."""
import csv
import gzip
import hashlib
import json
import os
import sys


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def sha3(b):
    return hashlib.sha3_256(b).digest()


class Cursor:
    def __init__(self, b):
        self.b, self.p = b, 0

    def take(self, n):
        if self.p + n > len(self.b):
            raise ValueError("short record")
        v = self.b[self.p:self.p + n]
        self.p += n
        return v

    def u64(self):
        return int.from_bytes(self.take(8), "little")

    def uleb(self):
        v, shift = 0, 0
        while True:
            byte = self.take(1)[0]
            v |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return v
            shift += 7


def address(a):
    if all(x == 0 for x in a[:-1]) and a[-1] < 0x10:
        return "0x%x" % a[-1]
    return "0x" + a.hex()


def decode(rec):
    c = Cursor(rec)
    assert c.uleb() == 0
    start_epoch = c.p
    epoch = c.u64()
    rnd = c.u64()
    block_id = c.take(32)
    root_start = c.p
    root = c.take(32)
    vt_start = c.p
    version = c.u64()
    ts = c.u64()
    vt_end = c.p
    ns_start = c.p
    validators = None
    if c.take(1)[0] == 1:
        c.u64()
        validators = []
        for _ in range(c.uleb()):
            addr = c.take(32)
            assert c.uleb() == 48
            key = c.take(48)
            power = c.u64()
            validators.append({"address": address(addr), "voting_power": power, "consensus_key": "0x" + key.hex()})
    ns_end = c.p
    c.take(32)  # consensus_data_hash
    mask = c.take(c.uleb())
    if c.take(1)[0] == 1:
        assert c.uleb() == 96
        c.take(96)
    assert c.p == len(rec), "trailing bytes"
    conv = rec[start_epoch:start_epoch + 8] + rec[root_start:root_start + 32] + rec[vt_start:vt_end] + rec[ns_start:ns_end]
    waypoint = sha3(sha3(b"DIEM::Ledger2WaypointConverter") + conv)
    return dict(epoch=epoch, round=rnd, version=version, timestamp_usecs=ts, block_id="0x" + block_id.hex(),
                root_hash="0x" + root.hex(), validators=validators,
                signer_count=sum(bin(x).count("1") for x in mask), waypoint=waypoint)


def main():
    root = sys.argv[1]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["epoch", "round", "version", "timestamp_usecs", "block_id", "root_hash", "validator_count",
                  "total_voting_power", "signer_count", "validators", "waypoint", "waypoint_ok"])
    for dirpath, _, files in sorted(os.walk(root)):
        manifests = [f for f in files if f in ("epoch_ending.manifest", "epoch_ending.manifest.gz")]
        if not manifests:
            continue
        m = json.loads(read(os.path.join(dirpath, sorted(manifests)[0])))
        waypoints = {int(w.split(":")[0]): w for w in m["waypoints"]}
        for chunk in m["chunks"]:
            base = os.path.basename(chunk["ledger_infos"])
            path = next(p for p in (os.path.join(dirpath, n) for n in (base, base + ".gz", base[:-3] if base.endswith(".gz") else base)) if os.path.exists(p))
            data = read(path)
            pos = 0
            while pos < len(data):
                n = int.from_bytes(data[pos:pos + 4], "big")
                r = decode(data[pos + 4:pos + 4 + n])
                pos += 4 + n
                v = r["validators"]
                wp = waypoints.get(r["version"], "")
                out.writerow([r["epoch"], r["round"], r["version"], r["timestamp_usecs"], r["block_id"], r["root_hash"],
                              len(v) if v is not None else "", sum(x["voting_power"] for x in v) if v is not None else "",
                              r["signer_count"], json.dumps(v) if v is not None else "", wp,
                              "t" if wp.endswith(":" + r["waypoint"].hex()) else "f"])


main()
