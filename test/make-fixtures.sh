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
