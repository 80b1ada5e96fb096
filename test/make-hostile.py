#!/usr/bin/env python3
"""make-hostile.py FIXTURES — the hostile archives of the `hostile` suite (sql/hostile.sql),
made from copies of the generator's variants already in FIXTURES (test/make-fixtures.sh).

Each is a copy whose damage needs byte surgery; the damage the suite can do with a shell
command (truncations, flipped bytes, edited manifests) it does itself, case by case.
  hostile_vector        record 0 of the second transaction chunk: the BlockMetadata's
                        failed_proposer_indices vector says 2147483647 elements (BCS's
                        largest length), with a few hundred bytes left
  hostile_type_tag      the first event's type tag of that chunk: vector<...> nested 5,000 deep
  hostile_manifest_bomb that chunk's manifest gzip'ed behind 20 MiB of JSON white space
  hostile_record_bomb   that chunk gzip'ed: record 0, then a record of 60 MiB of zeros
  hostile_bundle_members v4 bundles: 5.tar.gz with 100,001 empty members besides its backups
Each writes <variant>/HOSTILE.txt: what was changed, where (the suite prints it).
Formats: FORMAT-transactions-v6v7.md (records), §4.7 BlockMetadata, §4.10 ContractEvent.
"""
import glob
import gzip
import os
import re
import shutil
import sys
import tarfile
import io

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bcs_walk import R, type_tag, records  # noqa: E402

OUT = sys.argv[1]


def copy(src, name):
    dst = os.path.join(OUT, name)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.path.join(OUT, src), dst)
    return dst


def second_tx_chunk(root):
    chunks = sorted(glob.glob(os.path.join(root, 'transaction_*', '*-.chunk')),
                    key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r'(\d+)', p)])
    return chunks[1]


def splice(data, rec, at, old_len, new):
    """Replace data[at:at+old_len] inside record rec with new, fixing its length prefix."""
    start, body, end = rec
    body_len = end - body - old_len + len(new)
    return data[:start] + body_len.to_bytes(4, 'big') + data[body:at] + new + data[at + old_len:]


def note(root, text):
    with open(os.path.join(root, 'HOSTILE.txt'), 'w') as f:
        f.write(text + '\n')


def block_metadata(data):
    """The first BlockMetadata record: (record, offset of its failed_proposer_indices count)."""
    for rec in records(data):
        r = R(data, rec[1])
        if r.uleb() != 2:
            continue
        r.take(32 + 8 + 8 + 32)
        r.bytes()
        return rec, r.p
    sys.exit('no BlockMetadata record')


def first_event(data):
    """The first record with an event: (record, offset and length of that event's type tag)."""
    for rec in records(data):
        r = R(data, rec[1])
        if r.uleb() != 2:               # only BlockMetadata: its layout is walked here
            continue
        r.take(32 + 8 + 8 + 32); r.bytes(); [r.take(4) for _ in range(r.uleb())]; r.take(8)
        r.uleb(); r.take(8)             # TransactionInfo::V0, gas_used
        if r.uleb() != 0:
            continue
        r.take(96)
        for _ in range(2):
            if r.uleb():
                r.take(32)
        if r.uleb() == 0:
            continue
        r.uleb(); r.take(8 + 32 + 8)
        at = r.p
        type_tag(r)
        return rec, at, r.p - at
    sys.exit('no record with an event')


# 1. an absurd vector length
root = copy('plain', 'hostile_vector')
path = second_tx_chunk(root)
data = open(path, 'rb').read()
rec, at = block_metadata(data)
index = [x[0] for x in records(data)].index(rec[0])
assert data[at] < 0x80                  # a one-byte count
data = splice(data, rec, at, 1, b'\xff\xff\xff\xff\x07')     # 2^31 - 1, the most BCS allows
open(path, 'wb').write(data)
note(root, f'{os.path.relpath(path, root)}: record {index}, failed_proposer_indices count 2147483647 at byte {at}')

# 2. a type tag nested 5,000 deep
root = copy('plain', 'hostile_type_tag')
path = second_tx_chunk(root)
data = open(path, 'rb').read()
rec, at, n = first_event(data)
index = [x[0] for x in records(data)].index(rec[0])
data = splice(data, rec, at, n, b'\x06' * 5000 + b'\x01')
open(path, 'wb').write(data)
note(root, f'{os.path.relpath(path, root)}: record {index}, first event type tag vector^5000<u8> at byte {at}')

# 3. a gzip bomb posing as a manifest: 20 MiB of white space, then the manifest
root = copy('plain', 'hostile_manifest_bomb')
manifest = os.path.join(os.path.dirname(second_tx_chunk(root)), 'transaction.manifest')
text = open(manifest, 'rb').read()
with gzip.GzipFile(manifest + '.gz', 'wb', compresslevel=9, mtime=0) as f:
    for _ in range(20):
        f.write(b' ' * (1 << 20))
    f.write(text)
os.remove(manifest)
note(root, f'{os.path.relpath(manifest, root)}.gz: {20 * (1 << 20) + len(text)} bytes once inflated')

# 4. a gzip bomb posing as a chunk: record 0, then a 60 MiB record of zeros
root = copy('plain', 'hostile_record_bomb')
path = second_tx_chunk(root)
data = open(path, 'rb').read()
first = records(data)[0]
big = 60 << 20
with gzip.GzipFile(path, 'wb', compresslevel=9, mtime=0) as f:
    f.write(data[:first[2]])
    f.write(big.to_bytes(4, 'big'))
    zeros = b'\0' * (1 << 20)
    for _ in range(60):
        f.write(zeros)
note(root, f'{os.path.relpath(path, root)} (gzip): record 1 at byte {first[2]} is {big} zero bytes')

# 5. a bundle of many tiny members: 100,001 empty files besides the backups of 5.tar.gz
root = copy('v4_bundles_only', 'hostile_bundle_members')
bundle = os.path.join(root, '5.tar.gz')
with tarfile.open(bundle, 'r:gz') as t:
    kept = [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode='w', format=tarfile.USTAR_FORMAT) as t:
    for m, body in kept:
        t.addfile(m, io.BytesIO(body) if body is not None else None)
    # the empty members, written as raw ustar headers (tarfile is slow for 100,001 of them)
    for i in range(100001):
        name = f'5/junk/{i:06d}'.encode()
        h = bytearray(512)
        h[0:len(name)] = name
        h[100:108] = b'0000644\0'
        h[108:116] = b'0000000\0'
        h[116:124] = b'0000000\0'
        h[124:136] = b'00000000000\0'
        h[136:148] = b'00000000000\0'
        h[148:156] = b'        '
        h[156:157] = b'0'
        h[257:263] = b'ustar\0'
        h[263:265] = b'00'
        h[148:156] = b'%06o\0 ' % sum(h)
        raw.write(h)
    # (tarfile writes the end-of-archive blocks when closed: after the members written above)
    t.offset = raw.tell()
with gzip.GzipFile(bundle, 'wb', compresslevel=6, mtime=0) as f:
    f.write(raw.getvalue())
note(root, f'5.tar.gz: {len(kept)} entries of the backups and 100001 empty members')
