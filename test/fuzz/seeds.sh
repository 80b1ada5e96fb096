#!/usr/bin/env bash
# seeds.sh OUT — build the seed corpora of the fuzz harnesses, one folder per harness
# (OUT/<harness>/): records cut from the real samples in $FF_SHARED_DATA (default: ../shared/data
# beside the repository; skipped, and said so, when absent) and from the generator's archives
# (build/fixturegen, v4/v5/v6, plain/gzip, zip/tar.gz/tgz bundles), plus tiny hand-made
# inputs. Records are split by their u32 big-endian length prefix after gunzip (build/fuzz/
# seedcut); each seed starts with the selector byte its harness reads; none is over 64 KiB.
set -euo pipefail

OUT=${1:?usage: seeds.sh OUT}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${FF_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/data}
CUT=$REPO/build/fuzz/seedcut
GEN=$REPO/build/fixturegen
HARNESSES="transactions events state legacy_state ledger_info entry_function block json bcs render meta json_rescue s3_xml gzip bundle verify"

rm -rf "$OUT"
for h in $HARNESSES; do mkdir -p "$OUT/$h"; done

# sel FILE HARNESS SELECTOR [MAXBYTES]: selector byte + (gunzipped) file, capped at 64 KiB
n=0
sel() {
	local f=$1 h=$2 s=$3 max=${4:-65000}
	n=$((n + 1))
	{ printf "\\x$(printf %02x "$s")"; { gzip -dc "$f" 2>/dev/null || cat "$f"; } | head -c "$max"; } > "$OUT/$h/f$n"
}
raw() {	# raw FILE HARNESS SELECTOR: the stored bytes (not gunzipped), capped at 64 KiB
	n=$((n + 1))
	{ printf "\\x$(printf %02x "$3")"; head -c 65000 "$1"; } > "$OUT/$2/f$n"
}

# --- the generator ------------------------------------------------------------------------
G=$(mktemp -d)
trap 'rm -rf "$G"' EXIT
"$GEN" --out "$G/v6" --expected "$G/x6" --layout flat --compression mixed --defects >/dev/null
"$GEN" --out "$G/v5" --expected "$G/x5" --era v5 --layout flat --compression gzip >/dev/null
"$GEN" --out "$G/v4" --expected "$G/x4" --era v4 --layout per-epoch --compression plain >/dev/null
"$GEN" --out "$G/b5" --expected "$G/xb5" --era v5 --layout per-epoch --bundles mixed --bundles-only >/dev/null
"$GEN" --out "$G/b4" --expected "$G/xb4" --era v4 --layout per-epoch --bundles zip --bundles-only >/dev/null
for era in v6 v5 v4; do
	find "$G/$era" -path '*transaction_*' -name '*.chunk*' | sort | head -4 | while read -r f; do "$CUT" tx "$era" "$f" "$OUT" 8; done
	find "$G/$era" -path '*epoch_ending_*' -name '*.chunk*' | sort | head -6 | while read -r f; do "$CUT" epoch "$era" "$f" "$OUT" 4; done
	find "$G/$era" -name 'state.proof*' | sort | head -2 | while read -r f; do "$CUT" proof "$era" "$f" "$OUT"; done
	kind=legacy; [ "$era" = v6 ] && kind=state
	find "$G/$era" -path '*state_*' -name '*.chunk*' | sort | head -2 | while read -r f; do "$CUT" "$kind" "$era" "$f" "$OUT" 20; done
	for m in $(find "$G/$era" -name '*.meta' | sort | head -4); do sel "$m" meta 0; done
	for m in $(find "$G/$era" -name 'transaction.manifest*' | sort | head -2); do sel "$m" meta 1; done
	for m in $(find "$G/$era" -name 'epoch_ending.manifest*' | sort | head -2); do sel "$m" meta 2; done
	for m in $(find "$G/$era" -name 'state.manifest*' | sort | head -2); do sel "$m" meta 3; done
	for c in $(find "$G/$era" -name '*.chunk*' | sort | head -4); do raw "$c" gzip 0; raw "$c" gzip 1; done
done
for b in $(find "$G/b5" "$G/b4" -type f -size -60k | sort | head -12); do
	case $b in *.zip) s=0 ;; *.tar.gz) s=1 ;; *) s=2 ;; esac
	raw "$b" bundle "$s"
	raw "$b" bundle $((s | 4))
done

# verify: transaction .proof files (selector 0: v6) and the transactions harness's records
# (their selector bytes are odd or even: either path gets a real record to start from)
for f in $(find "$G/v6" -path '*transaction_*' -name '*.proof*' | sort | head -4); do sel "$f" verify 0; done

# --- the real samples -----------------------------------------------------------------------
if [ -d "$DATA" ]; then
	V6=$DATA/0l-v6-testnet-sample
	for f in $(find "$V6" -path '*transaction_*' -name '*.chunk' | sort | head -1); do "$CUT" tx v6 "$f" "$OUT" 40; done
	for f in $(find "$V6" -path '*epoch_ending_*' -name '*.chunk' | sort | head -20); do "$CUT" epoch v6 "$f" "$OUT" 2; done
	for f in $(find "$DATA/0l-v7-v6-small" -name '*.chunk' | sort); do "$CUT" epoch v6 "$f" "$OUT" 4; done
	for f in $(find "$DATA/0l-v7-v6-small" -name 'state.proof' | sort); do "$CUT" proof v6 "$f" "$OUT"; done
	for f in $(find "$V6" -path '*transaction_*' -name '*.proof' | sort | head -4); do sel "$f" verify 0; done
	for f in $(find "$DATA/0l-v4-mainnet-sample" -path '*transaction_*' -name '*.chunk' | sort); do "$CUT" tx v4 "$f" "$OUT" 4; done
	for f in $(find "$DATA/0l-v4-mainnet-sample" -path '*epoch_ending_*' -name '*.chunk' | sort); do "$CUT" epoch v4 "$f" "$OUT" 4; done
	for f in $(find "$DATA/0l-v4-mainnet-sample" -name 'state.proof' | sort); do "$CUT" proof v4 "$f" "$OUT"; done
	for f in $(find "$DATA/0l-v4-mainnet-sample" -path '*state_ver_*' -name '*.chunk' | sort | head -2); do "$CUT" legacy v4 "$f" "$OUT" 40; done
	for f in $(find "$DATA/0l-v5-small" -path '*transaction_*' -name '*.chunk' | sort); do "$CUT" tx v5 "$f" "$OUT" 4; done
	for m in $(find "$DATA" -name '*.meta' | sort | head -20); do sel "$m" meta 0; done
	for m in $(find "$DATA" -name 'transaction.manifest*' | sort | head -6); do sel "$m" meta 1; done
	for m in $(find "$DATA" -name 'epoch_ending.manifest*' | sort | head -6); do sel "$m" meta 2; done
	for m in $(find "$DATA" -name 'state.manifest*' | sort | head -6); do sel "$m" meta 3; done
	for j in $(find "$DATA/0l-v5-small/json-rescue" -name 'example_*.json' | sort); do sel "$j" json_rescue 0; done
	for j in $(find "$DATA/0l-v5-small/json-rescue" -name '[0-9]*.json' | sort); do
		# the first elements of the big dumps, closed into a valid array by hand
		n=$((n + 1))
		{ printf '\x00'; python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
small = [e for e in a[:40] if len(json.dumps(e)) < 20000][:3]
sys.stdout.write(json.dumps(small))' "$j"; } > "$OUT/json_rescue/f$n"
	done
	for c in $(find "$V6" -path '*transaction_*' -name '*.chunk' | sort | head -1) \
		$(find "$V6" -path '*epoch_ending_*' -name '*.chunk' | sort | head -3); do
		raw "$c" gzip 0; raw "$c" gzip 1; raw "$c" gzip 2
	done
else
	echo "seeds.sh: $DATA absent: real-sample seeds skipped" >&2
fi

# --- hand-made ------------------------------------------------------------------------------
printf '\x00<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><IsTruncated>true</IsTruncated><NextContinuationToken>tok</NextContinuationToken><Contents><Key>a/1-.chunk</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>434234</Size></Contents><Contents><Key>b.zip</Key><Size>0</Size></Contents></ListBucketResult>' > "$OUT/s3_xml/list"
printf '\x01<?xml version="1.0" encoding="UTF-8"?><Error><Code>PermanentRedirect</Code><Message>use the endpoint</Message><Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint><Region>eu-west-1</Region><RequestId>4442587FB7D0A2F9</RequestId></Error>' > "$OUT/s3_xml/error"
printf '\x01example.json' > "$OUT/json_rescue/name1"
printf '\x0112-345.json' > "$OUT/json_rescue/name2"
printf '\x00[]' > "$OUT/json_rescue/empty"
printf '\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x00\x01\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03hix' > "$OUT/bcs/prog"
printf '\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x04coin\x05Store\x00' > "$OUT/render/struct"
for f in "$OUT"/transactions/*; do cp "$f" "$OUT/verify/tx-$(basename "$f")"; done
for h in $HARNESSES; do
	[ -n "$(ls -A "$OUT/$h")" ] || printf '\x00' > "$OUT/$h/empty"
done
