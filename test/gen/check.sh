#!/usr/bin/env bash
# check.sh — self-check of the fixture generator (build/fixturegen).
#
# For every layout x compression (with and without --defects) it generates an
# archive and runs an independent Python verifier that decodes every chunk
# with its own BCS reader, checks framing, key order, exact consumption and
# every TransactionInfo hash (tx hash = SHA3(seed("Transaction") || bytes)),
# verifies range proofs, waypoints and state key hashes, replays the write
# sets to recompute the state snapshots, and re-renders every row of every
# expected CSV.  Then it checks determinism (two runs are byte-identical),
# growth (a run with more epochs rewrites every earlier file byte for byte and
# keeps every earlier expected row), runs the v4/v5 eras and the bundles (v4
# per-epoch with zip bundles, v5 flat, v5 per-epoch tar.gz --bundles-only, ...)
# through verify_fixture.py (which hands v4/v5 to verify_legacy.py), and, when the real samples are present,
# that names, .meta lines and manifests have their shapes (state snapshots
# against the v6/v7 fixtures, which are the only ones with state manifests).
#
# usage: test/gen/check.sh            (from the repository root)
#        SAMPLE_DIR=/path/to/0l-v6-testnet-sample STATE_SAMPLE_DIR=/path/to/0l-v7-v6-small test/gen/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
make -s fixturegen
GEN=build/fixturegen
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SAMPLE_DIR=${SAMPLE_DIR:-../shared/data/0l-v6-testnet-sample}
STATE_SAMPLE_DIR=${STATE_SAMPLE_DIR:-../shared/data/0l-v7-v6-small}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }


cat > "$WORK/shape.py" <<'PYEOF'
# Compares the shapes of names, .meta lines and manifests with the real samples: the v6
# test-chain sample, and for state snapshots the v6/v7 fixtures (state manifests, proofs)
# plus the shapes the docs quote from the full archive (the .meta line, the chunk name).
import gzip, json, os, re, sys
sample, generated, state_sample = sys.argv[1], sys.argv[2], sys.argv[3]
def norm_name(n): return re.sub(r'\d+', 'N', re.sub(r'\.[0-9a-f]{4}$', '.H', n))
def norm_text(t): return re.sub(r'\d+', 'N', re.sub(r'[0-9a-f]{16,}', 'H', re.sub(r'\.[0-9a-f]{4}/', '.H/', t)))
def read(p):
    d = open(p, 'rb').read()
    return gzip.decompress(d) if d[:2] == b'\x1f\x8b' else d
def shapes(root, limit):
    names, metas, manifests = set(), set(), set()
    entries = sorted(os.listdir(root))
    for e in entries[:limit] + [x for x in entries[limit:] if x.startswith('transaction_') or x == 'metadata']:
        p = os.path.join(root, e)
        if e == 'metadata':
            metas_all = sorted(os.listdir(p))
            for m in metas_all[:limit] + [x for x in metas_all[limit:] if x.startswith('transaction_')]:
                names.add('metadata/' + norm_name(m[:-5]) + '.meta')
                metas.add(norm_text(read(os.path.join(p, m)).decode()))
            continue
        if not os.path.isdir(p): names.add(e); continue
        names.add(norm_name(e))
        for f in os.listdir(p):
            names.add(norm_name(e) + '/' + norm_name(f))
            if f.endswith('.manifest'):
                m = json.loads(read(os.path.join(p, f)))
                manifests.add(json.dumps([list(m), [list(c) for c in m['chunks']][:1]]))
                manifests.add(norm_text(read(os.path.join(p, f)).decode()) if len(m['chunks']) == 1 and len(m.get('waypoints', [0])) == 1 else '')
    manifests.discard('')
    return names, metas, manifests
s, g = shapes(sample, 400), shapes(generated, 10**9)
def is_state(shape): return 'state_epoch_' in shape or 'state_snapshot_' in shape or '"root_hash"' in shape
documented = ({'metadata/state_snapshot_ver_N.meta', 'state_epoch_N_ver_N.H/N-.chunk'},   # LAYOUTS.md §1
              {'{"StateSnapshotBackup":{"epoch":N,"version":N,"manifest":"state_epoch_N_ver_N.H/state.manifest"}}\n'},
              set())   # FORMAT-transactions-v6v7.md §1.2
if os.path.isdir(state_sample):
    for era in ('v6', 'v7'):
        st = shapes(os.path.join(state_sample, era), 10**9)
        s = tuple(a | {x for x in b if is_state(x)} | d for a, b, d in zip(s, st, documented))
else:
    print('(no state sample at %s: state snapshot shapes not compared)' % state_sample)
    g = tuple({x for x in b if not is_state(x)} for b in g)
bad = 0
for label, a, b in zip(('names', '.meta lines', 'manifests'), s, g):
    extra = b - a
    if extra:
        bad += 1
        print(f'FAIL: generated {label} not seen in the sample: {sorted(extra)[:5]}')
print('shapes: names %d, .meta %d, manifests %d shapes all match the samples' % tuple(len(x) for x in g) if not bad else '')
sys.exit(1 if bad else 0)
PYEOF

# 1. every layout x compression, with and without defects
for layout in flat per-epoch; do
  for compression in gzip gzip-suffix plain mixed; do
    for defects in "" --defects; do
      name="$layout-$compression${defects:+-defects}"
      "$GEN" --out "$WORK/$name" --expected "$WORK/exp-$name" --layout "$layout" \
        --compression "$compression" $defects --seed 11 > /dev/null
      cover=""; [ "$layout" = flat ] && cover=1
      if out=$(REQUIRE_COVERAGE=$cover python3 test/gen/verify_fixture.py "$WORK/$name" "$WORK/exp-$name" 2>&1); then
        echo "ok   $name: ${out##*$'\n'}"
      else
        echo "$out" | head -20; fail "$name"
      fi
    done
  done
done

# 1b. the v4/v5 eras and the bundles (verify_fixture.py hands v4/v5 to verify_legacy.py)
while read -r name opts; do
  # shellcheck disable=SC2086
  "$GEN" --out "$WORK/$name" --expected "$WORK/exp-$name" $opts --seed 11 > /dev/null
  if out=$(python3 test/gen/verify_fixture.py "$WORK/$name" "$WORK/exp-$name" 2>&1); then
    echo "ok   $name: ${out##*$'\n'}"
  else
    echo "$out" | head -20; fail "$name"
  fi
done <<'EOF2'
v4-per-epoch-zip --era v4 --layout per-epoch --bundles zip
v5-flat --era v5 --layout flat --compression gzip
v5-per-epoch-tar.gz-only --era v5 --layout per-epoch --bundles tar.gz --bundles-only
v4-flat-mixed --era v4 --layout flat --compression mixed
v5-per-epoch-mixed-only --era v5 --layout per-epoch --bundles mixed --bundles-only --compression gzip-suffix
v6-per-epoch-mixed-bundles --layout per-epoch --bundles mixed --compression mixed --defects
EOF2
[ -z "$(find "$WORK/v5-per-epoch-tar.gz-only" -mindepth 1 -type d)" ] || fail "--bundles-only left folders"
[ ! -e "$WORK/exp-v5-per-epoch-tar.gz-only/objects.csv" ] || fail "--bundles-only wrote objects.csv"
grep -q ',0\.tar\.gz/0/transaction_0-\.[0-9a-f]*/0-\.chunk,' "$WORK/exp-v5-per-epoch-tar.gz-only/transactions.csv" \
  || fail "--bundles-only object is not <bundle>/<member>"

# 2. defects are present
d="$WORK/flat-gzip-defects"
[ -f "$d/fullnode_template.yaml" ] || fail "no foreign file"
[ -n "$(find "$d/metadata" -name '*.meta' -size 0)" ] || fail "no empty .meta"
ls "$d/metadata" | grep -q '^transaction_compacted_' || fail "no duplicate re-run .meta"
ls "$d"/transaction_*/*.chunk.gz > /dev/null 2>&1 || fail "no .chunk.gz handles"
[ "$(ls -d "$d"/transaction_* | sed 's/\.[0-9a-f]*$//' | sort | uniq -d | wc -l)" -ge 1 ] || fail "no duplicate backup"
zcat "$d/metadata/epoch_ending_3-3.meta" | grep -q "$(ls "$d" | grep '^epoch_ending_3-\.' | head -1)" && fail "epoch 3 .meta is not stale"
# one state snapshot lost its second chunk: named by its manifest, absent, and reported
missing=$(sed -n 's/^state.missing_chunk: \([^ ]*\) .*/\1/p' "$WORK/exp-flat-gzip-defects/summary.txt")
[ -n "$missing" ] || fail "no state snapshot with a missing chunk"
[ -n "$missing" ] && [ ! -e "$d/$missing" ] && zcat "$d/${missing%/*}/state.manifest" | grep -q "\"$missing\"" \
  || fail "missing state chunk $missing: still there or not in its manifest"
# the expected rows are deduplicated
[ "$(cut -d, -f1 "$WORK/exp-flat-gzip-defects/transactions.csv" | sort | uniq -d | wc -l)" -eq 0 ] || fail "duplicate rows"

# 3. determinism: same options twice -> identical bytes
for layout in flat per-epoch; do
  "$GEN" --out "$WORK/det-a-$layout" --expected "$WORK/det-ea-$layout" --layout "$layout" --compression mixed --defects --seed 5 > /dev/null
  "$GEN" --out "$WORK/det-b-$layout" --expected "$WORK/det-eb-$layout" --layout "$layout" --compression mixed --defects --seed 5 > /dev/null
  diff -r "$WORK/det-a-$layout" "$WORK/det-b-$layout" > /dev/null || fail "$layout: two runs differ"
  diff -r "$WORK/det-ea-$layout" "$WORK/det-eb-$layout" > /dev/null || fail "$layout: two expected outputs differ"
  "$GEN" --out "$WORK/det-c-$layout" --expected "$WORK/det-ec-$layout" --layout "$layout" --compression mixed --defects --seed 6 > /dev/null
  diff -rq "$WORK/det-a-$layout" "$WORK/det-c-$layout" > /dev/null && fail "$layout: seeds 5 and 6 give the same archive"
done
for opts in "--era v4 --layout per-epoch --bundles zip" "--era v5 --layout per-epoch --bundles mixed --bundles-only" \
            "--era v5 --layout flat --compression mixed"; do
  # shellcheck disable=SC2086
  for run in a b; do "$GEN" --out "$WORK/ldet-$run" --expected "$WORK/ldet-e$run" $opts --seed 5 > /dev/null; done
  diff -r "$WORK/ldet-a" "$WORK/ldet-b" > /dev/null && diff -r "$WORK/ldet-ea" "$WORK/ldet-eb" > /dev/null \
    || fail "$opts: two runs differ"
  rm -rf "$WORK"/ldet-*
done
echo "ok   determinism"

# 4. growth: more epochs on the same seed keep every earlier file byte for byte
for layout in flat per-epoch; do
  for small in 3 9 17; do
    "$GEN" --out "$WORK/grow-s-$layout-$small" --expected "$WORK/grow-es-$layout-$small" --layout "$layout" --epochs "$small" --defects --compression mixed --seed 3 > /dev/null
  done
  "$GEN" --out "$WORK/grow-l-$layout" --expected "$WORK/grow-el-$layout" --layout "$layout" --epochs 40 --defects --compression mixed --seed 3 > /dev/null
  for small in 3 9 17; do
    (cd "$WORK/grow-s-$layout-$small" && find . -type f) | while read -r f; do
      cmp -s "$WORK/grow-s-$layout-$small/$f" "$WORK/grow-l-$layout/$f" || echo "$f"
    done > "$WORK/grow-diff"
    [ -s "$WORK/grow-diff" ] && fail "$layout epochs $small -> 40: changed or missing: $(head -3 "$WORK/grow-diff" | tr '\n' ' ')"
    new=$(( $(find "$WORK/grow-l-$layout" -type f | wc -l) - $(find "$WORK/grow-s-$layout-$small" -type f | wc -l) ))
    [ "$new" -gt 0 ] || fail "$layout: growth adds no files"
    # every expected row of the small archive is an expected row of the large one
    for csv in transactions events state_changes state objects; do
      missing=$(comm -23 <(sort "$WORK/grow-es-$layout-$small/$csv.csv") <(sort "$WORK/grow-el-$layout/$csv.csv") | wc -l)
      [ "$missing" -eq 0 ] || fail "$layout epochs $small: $missing rows of $csv.csv differ in the grown expected CSV"
    done
    # epochs.csv grows at the end; only the multi-epoch backup (written once epoch 4 exists)
    # may take over the `object` of epochs 2..4
    drop_object() { if [ "$small" -ge 4 ]; then cat; else sed 's/,[^,]*$//'; fi; }
    head -n $(( small + 2 )) "$WORK/grow-el-$layout/epochs.csv" | drop_object \
      | cmp -s - <(drop_object < "$WORK/grow-es-$layout-$small/epochs.csv") || fail "$layout: epochs.csv not a prefix"
  done
  echo "ok   growth $layout (3, 9, 17 -> 40 epochs)"
done

# 5. shapes versus the real sample
if [ -d "$SAMPLE_DIR" ]; then
  if out=$(python3 "$WORK/shape.py" "$SAMPLE_DIR" "$WORK/flat-gzip" "$STATE_SAMPLE_DIR" 2>&1); then echo "ok   $out"; else echo "$out"; fail "shapes"; fi
else
  echo "skip shape comparison: no real sample at $SAMPLE_DIR"
fi

# 6. speed of the default run
start=$(date +%s%N)
"$GEN" --out "$WORK/speed" --expected "$WORK/exp-speed" > /dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 1000 ] || fail "default generation took ${ms} ms"
echo "ok   default generation ${ms} ms"

if [ "$failures" -ne 0 ]; then echo "$failures check(s) FAILED"; exit 1; fi
echo "all fixturegen checks passed"
