#!/usr/bin/env bash
# make-fixtures.sh OUT — write every synthetic archive the pg_regress suites use into OUT:
# one directory per variant (layout, compression, defects) with its expected CSVs beside it
# (<variant>.expected/: transactions, events, state_changes, state, epochs, objects .csv and
# summary.txt; no objects.csv for the --bundles-only variants), and damaged copies for the
# error suites. Needs build/fixturegen (make fixturegen).
set -euo pipefail

OUT=${1:?usage: make-fixtures.sh OUT}
REPO=$(cd "$(dirname "$0")/.." && pwd)
GEN=${FIXTUREGEN:-$REPO/build/fixturegen}

gen() {
	local name=$1
	shift
	rm -rf "$OUT/$name" "$OUT/$name.expected"
	"$GEN" --out "$OUT/$name" --expected "$OUT/$name.expected" "$@" >/dev/null
}

mkdir -p "$OUT"
gen flat --layout flat --compression gzip
gen per_epoch --layout per-epoch --compression plain
gen suffix --layout flat --compression gzip-suffix
gen mixed_defects --layout flat --compression mixed --defects
gen plain --layout flat --compression plain
# per-epoch sub-roots with the defects, among them a state snapshot whose second chunk is missing
gen per_epoch_defects --layout per-epoch --compression mixed --defects
# v4/v5 eras (FORMAT-epochs-state-legacy.md), and per-epoch bundles (<epoch>.zip / .tar.gz / .tgz);
# the --bundles-only variants have no folders and no objects.csv
gen v4_per_epoch_zip --era v4 --layout per-epoch --bundles zip
gen v5_flat --era v5 --layout flat --compression gzip
gen v5_bundles_only --era v5 --layout per-epoch --bundles mixed --bundles-only
gen v4_bundles_only --era v4 --layout per-epoch --bundles tar.gz --bundles-only

# Damaged copies of the plain archive; the damage is in its second transaction chunk.
damaged() {
	local name=$1
	rm -rf "$OUT/$name"
	cp -r "$OUT/plain" "$OUT/$name"
	find "$OUT/$name" -name '*-.chunk' -path '*transaction_*' | sort -V | sed -n 2p
}

# truncated in the middle of a record
chunk=$(damaged truncated)
size=$(stat -c %s "$chunk")
truncate -s $((size - 7)) "$chunk"

# the Transaction tag of the first record replaced by 0x07 (no such variant)
chunk=$(damaged bad_tag)
printf '\x07' | dd of="$chunk" bs=1 seek=4 conv=notrunc status=none

# a length prefix of 4 GB - 1
chunk=$(damaged huge_length)
printf '\xff\xff\xff\xff' | dd of="$chunk" bs=1 seek=0 conv=notrunc status=none

# a chunk named by its manifest is gone
chunk=$(damaged missing_chunk)
rm -f "$chunk"

# a manifest that is not JSON
chunk=$(damaged bad_manifest)
manifest=$(dirname "$chunk")/transaction.manifest
echo '{"first_version": 12, "chunks": [' > "$manifest"

# the epoch-ending record of epoch 5 altered (one byte of its timestamp): its waypoint fails
damaged bad_epoch >/dev/null
chunk=$(find "$OUT/bad_epoch" -path '*epoch_ending_5-.*' -name '5-.chunk')
# offset 4 (length) + 1 (variant) + 8 (epoch) + 8 (round) + 32 (id) + 32 (root) + 8 (version)
printf '\x5a' | dd of="$chunk" bs=1 seek=94 conv=notrunc status=none

chmod -R a+rX "$OUT"

# verify suite: damaged copies whose records still decode, so that only a recomputed hash
# (verify 'hashes') or the chunk proof (verify 'proofs') can tell. The first BlockMetadata
# record of the second transaction chunk that fits is altered, by a small BCS walk of its
# own (FORMAT-transactions-v6v7.md §4.7, §4.9-4.12); the damaged version is printed to
# <variant>/DAMAGED.txt. verify_info_gas: its TransactionInfo's gas_used (only the chunk
# proof covers it); verify_proof_sibling: a byte of the chunk's first proof sibling.
verify_damage() {	# verify_damage NAME MODE
	local chunk
	chunk=$(damaged "$1")
	FF_TEST_DIR="$REPO/test" python3 - "$chunk" "$2" >"$OUT/$1/DAMAGED.txt" <<'PY'
import glob, os, re, sys
path, mode = sys.argv[1], sys.argv[2]
data = bytearray(open(path, 'rb').read())
first = int(re.match(r'(\d+)-\.chunk$', os.path.basename(path)).group(1))
if mode == 'proof':
    proof = glob.glob(os.path.join(os.path.dirname(path), f'{first}-*.proof'))[0]
    p = bytearray(open(proof, 'rb').read())
    # left siblings: uleb count then 32-byte hashes; then the right ones
    at = 1 + 5 if p[0] else 1 + 1 + 5
    p[at] ^= 0x01
    open(proof, 'wb').write(p)
    print(f'{os.path.basename(proof)} byte {at}')
    sys.exit(0)
sys.path.insert(0, os.environ['FF_TEST_DIR'])
from bcs_walk import R, type_tag
pos, index = 0, 0
while pos < len(data):
    n = int.from_bytes(data[pos:pos + 4], 'big'); start = pos + 4; pos = start + n
    r = R(data, start)
    if r.uleb() != 2:
        index += 1; continue
    round_at = start + 1 + 32 + 8
    r.take(32 + 8 + 8 + 32); r.bytes(); [r.take(4) for _ in range(r.uleb())]; r.take(8)
    info_at = r.p
    r.uleb(); r.take(8)                    # TransactionInfo::V0, gas_used
    if r.uleb() != 0:                      # only Success, whose status is one byte
        index += 1; continue
    r.take(96)
    for _ in range(2):
        if r.uleb(): r.take(32)
    events = []
    for _ in range(r.uleb()):
        r.uleb(); r.take(8 + 32 + 8); type_tag(r); at, dl = r.bytes(); events.append((at, dl))
    values = []
    r.uleb()
    for _ in range(r.uleb()):
        k = r.uleb()
        if k in (0, 1): r.take(32)
        r.bytes()
        op = r.uleb()
        if op in (0, 1, 3, 4):
            at, vl = r.bytes(); values.append((at, vl))
        if op >= 3: r.uleb(); r.take(48)
    assert r.p == pos, 'record not consumed'
    if mode == 'tx':
        at = round_at
    elif mode == 'info':
        at = info_at + 1                   # the low byte of gas_used: hashed by no 'hashes' check
    elif mode == 'event' and events and events[0][1]:
        at = events[0][0] + events[0][1] - 1
    elif mode == 'write' and values and values[0][1]:
        at = values[0][0] + values[0][1] - 1
    else:
        index += 1; continue
    data[at] ^= 0x01
    open(path, 'wb').write(data)
    print(f'version {first + index} byte {at - start} of the record')
    sys.exit(0)
sys.exit(f'{path}: no BlockMetadata record fits {mode}')
PY
}
verify_damage verify_event_data event
verify_damage verify_write_set write
verify_damage verify_tx_byte tx
verify_damage verify_info_gas info
verify_damage verify_proof_sibling proof
# the proof file of the second chunk is gone
chunk=$(damaged missing_proof)
rm -f "$(dirname "$chunk")/$(basename "$chunk" .chunk)"*.proof

# hostile suite: the archives that need byte surgery (an absurd vector length, a type tag
# nested 5,000 deep, gzip bombs, a bundle of 100,012 members)
python3 "$REPO/test/make-hostile.py" "$OUT"
chmod -R a+rX "$OUT"
