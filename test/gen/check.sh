#!/usr/bin/env bash
# check.sh — self-check of the fixture generator (build/fixturegen).
#
# For every layout x compression (with and without --defects) it generates an
# archive and runs an independent Python verifier that decodes every chunk
# with its own BCS reader, checks framing, key order, exact consumption and
# every TransactionInfo hash (tx hash = SHA3(seed("Transaction") || bytes)),
# verifies range proofs and waypoints, and re-renders every CSV row.  Then it
# checks determinism (two runs are byte-identical), growth (a run with more
# epochs rewrites every earlier file byte for byte) and, when the real v6
# sample is present, that names, .meta lines and manifests have its shapes.
#
# usage: test/gen/check.sh            (from the repository root)
#        SAMPLE_DIR=/path/to/0l-v6-testnet-sample test/gen/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
make -s fixturegen
GEN=build/fixturegen
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SAMPLE_DIR=${SAMPLE_DIR:-../shared/data/0l-v6-testnet-sample}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }


cat > "$WORK/shape.py" <<'PYEOF'
# Compares the shapes of names, .meta lines and manifests with the real sample.
import gzip, json, os, re, sys
sample, generated = sys.argv[1], sys.argv[2]
def norm_name(n): return re.sub(r'\d+', 'N', re.sub(r'\.[0-9a-f]{4}$', '.H', n))
def norm_text(t): return re.sub(r'\d+', 'N', re.sub(r'[0-9a-f]{8,}', 'H', re.sub(r'\.[0-9a-f]{4}/', '.H/', t)))
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
bad = 0
for label, a, b in zip(('names', '.meta lines', 'manifests'), s, g):
    extra = b - a
    if extra:
        bad += 1
        print(f'FAIL: generated {label} not seen in the sample: {sorted(extra)[:5]}')
print('shapes: names %d, .meta %d, manifests %d shapes all match the sample' % tuple(len(x) for x in g) if not bad else '')
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

# 2. defects are present
d="$WORK/flat-gzip-defects"
[ -f "$d/fullnode_template.yaml" ] || fail "no foreign file"
[ -n "$(find "$d/metadata" -name '*.meta' -size 0)" ] || fail "no empty .meta"
ls "$d/metadata" | grep -q '^transaction_compacted_' || fail "no duplicate re-run .meta"
ls "$d"/transaction_*/*.chunk.gz > /dev/null 2>&1 || fail "no .chunk.gz handles"
[ "$(ls -d "$d"/transaction_* | sed 's/\.[0-9a-f]*$//' | sort | uniq -d | wc -l)" -ge 1 ] || fail "no duplicate backup"
zcat "$d/metadata/epoch_ending_3-3.meta" | grep -q "$(ls "$d" | grep '^epoch_ending_3-\.' | head -1)" && fail "epoch 3 .meta is not stale"
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
    missing=$(comm -23 <(sort "$WORK/grow-es-$layout-$small/transactions.csv") <(sort "$WORK/grow-el-$layout/transactions.csv") | wc -l)
    [ "$missing" -eq 0 ] || fail "$layout epochs $small: $missing rows differ in the grown expected CSV"
    head -n $(( small + 2 )) "$WORK/grow-el-$layout/epochs.csv" | cmp -s - "$WORK/grow-es-$layout-$small/epochs.csv" || fail "$layout: epochs.csv not a prefix"
  done
  echo "ok   growth $layout (3, 9, 17 -> 40 epochs)"
done

# 5. shapes versus the real sample
if [ -d "$SAMPLE_DIR" ]; then
  if out=$(python3 "$WORK/shape.py" "$SAMPLE_DIR" "$WORK/flat-gzip" 2>&1); then echo "ok   $out"; else echo "$out"; fail "shapes"; fi
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
