#!/usr/bin/env bash
# run-tests.sh — every test of forensic_fdw, from a fresh Debian 12 machine:
#   1. installs the packages it needs (scripts/install-deps.sh),
#   2. builds and installs the extension, the core library, unit tests and fixture generator,
#   3. runs the C unit tests (no server), the fuzz harnesses' smoke runs (test/fuzz/) and the
#      fixture generator's self-check,
#   4. generates the synthetic archives and runs the pg_regress suites in sql/ against a
#      temporary PostgreSQL 15 instance started as the postgres user, then 16 sessions
#      scanning at once (test/concurrency.sh), cancel latency in every phase
#      (test/cancel.sh), the pg_cron incremental loads and materialized views
#      (test/workflows.sh) and the S3 suites (test/s3/),
#   5. runs the suites over the real samples in ../shared/data when that folder exists
#      (test/real/), and says they were skipped when it does not.
# Prints "N passed, N failed" at the end; exits non-zero if anything failed.
# Leaves no process behind (pg_regress stops its instance; the work dir is removed).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
PG_CONFIG=$PG_BIN/pg_config
SHARED_DATA=${FF_SHARED_DATA:-$REPO/../shared/data}

"$REPO/scripts/install-deps.sh"

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

echo "== build"
make -C "$REPO" -s PG_CONFIG=$PG_CONFIG
$SUDO make -C "$REPO" -s PG_CONFIG=$PG_CONFIG install
make -C "$REPO" -s core unit-build fixturegen

WORK=$(mktemp -d /tmp/forensic_fdw_test.XXXXXX)
chmod 755 "$WORK"
cleanup() { if [ -n "${FF_KEEP_WORK:-}" ]; then echo "kept $WORK"; else $SUDO rm -rf "$WORK"; fi; }
trap cleanup EXIT

passed=0
failed=0
count_results() {	# adds the "N passed, N failed" lines of a log to the totals
	local p f
	while read -r p f; do
		passed=$((passed + p))
		failed=$((failed + f))
	done < <(sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1 \2/p' "$1")
}

echo "== unit tests"
for t in "$REPO"/build/unit/test_*; do
	log="$WORK/$(basename "$t").log"
	if (cd "$REPO" && FF_SHARED_DATA="$SHARED_DATA" "$t") >"$log" 2>&1; then :; else
		echo "FAILED: $t"; failed=$((failed + 1))
	fi
	cat "$log"
	count_results "$log"
done

echo "== fuzz smoke: every harness over its regressions and seeds, then a fixed number of runs (test/fuzz/run.sh)"
log="$WORK/fuzz.log"
if FF_SHARED_DATA="$SHARED_DATA" "$REPO/test/fuzz/run.sh" smoke >"$log" 2>&1; then :; else
	grep -q '^fuzz: [0-9]* passed' "$log" || failed=$((failed + 1))
fi
cat "$log"
count_results "$log"

echo "== fixture generator self-check (an independent Python decoder of what it writes)"
if FIXTUREGEN="$REPO/build/fixturegen" bash "$REPO/test/gen/check.sh" >"$WORK/gencheck.log" 2>&1; then
	passed=$((passed + 1)); tail -1 "$WORK/gencheck.log"
else
	failed=$((failed + 1)); cat "$WORK/gencheck.log"
fi

echo "== fixtures"
"$REPO/test/make-fixtures.sh" "$WORK/fixtures"

# pg_regress as the postgres user, in a directory it can read and write
run_regress() {		# run_regress NAME INPUTDIR ENV... -- TESTS...
	local name=$1 input=$2
	shift 2
	local envs=()
	while [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	mkdir -p "$WORK/$name"
	cp -r "$input/sql" "$input/expected" "$WORK/$name/"
	$SUDO chown -R postgres "$WORK/$name"
	local log="$WORK/$name.log"
	if $SUDO runuser -u postgres -- env "${envs[@]}" TMPDIR="$WORK/$name" \
		"$($PG_CONFIG --pgxs | xargs dirname)/../test/regress/pg_regress" \
		--temp-instance="$WORK/$name/tmp_check" --bindir=$PG_BIN \
		--inputdir="$WORK/$name" --outputdir="$WORK/$name" \
		--dbname=forensic_regress "$@" >"$log" 2>&1; then :; fi
	cat "$log"
	local ok bad
	ok=$(grep -cE '\.\.\. ok|^ok ' "$log" || true)
	bad=$(grep -cE '\.\.\. FAILED|^not ok ' "$log" || true)
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" -gt 0 ] || ! grep -qE 'tests passed|All [0-9]+ tests' "$log"; then
		[ "$bad" -gt 0 ] || failed=$((failed + 1))
		[ -f "$WORK/$name/regression.diffs" ] && cat "$WORK/$name/regression.diffs"
	fi
}

echo "== pg_regress suites"
# in this order: later suites use the tables and views of earlier ones
SUITES="options scan pushdown records layouts errors legacy leaks verify privileges hostile"
run_regress regress "$REPO" FF_FIXTURES="$WORK/fixtures" -- $SUITES

echo "== no secret in the server log (suite privileges scans with secrets at log_min_messages debug5)"
# pg_regress writes the instance's log to <outputdir>/log/postmaster.log; the suite logs a
# line before its scans and one scan's error reaches the log uncaught, so the log is known
# to hold them; the secrets are put together at run time, never written in a statement
log="$WORK/regress/log/postmaster.log"
if $SUDO grep -q 'forensic_fdw privileges suite: failing scans with secrets follow' "$log" &&
	$SUDO grep -q 'Failed to connect to 127.0.0.1' "$log"; then
	if $SUDO grep -nF -e 'regress-secret-marker-1' -e 'regress-token-marker-1' -e 'AKIAREGRESSMARKERID1' "$log"; then
		echo "FAILED: a secret of suite privileges is in $log (lines above)"; failed=$((failed + 1))
	else
		echo "ok: no secret in the server log"; passed=$((passed + 1))
	fi
else
	echo "FAILED: $log lacks the lines of suite privileges"; failed=$((failed + 1))
fi

# a check script that prints "NAME: N passed, N failed" last; a failure without that line
# (the script broke) counts as one
run_check() {		# run_check NAME TITLE COMMAND...
	local name=$1 title=$2
	shift 2
	echo "== $name: $title"
	local log="$WORK/$name.log"
	if "$@" >"$log" 2>&1; then :; else
		grep -q "^$name: " "$log" || failed=$((failed + 1))
	fi
	cat "$log"
	count_results "$log"
}
run_check concurrency "16 sessions scanning at once (pgbench, test/concurrency.sh)" \
	bash "$REPO/test/concurrency.sh" "$WORK/fixtures" "$WORK/concurrency"
run_check cancel "a query returns within a second of a cancel in every phase (test/cancel.sh)" \
	env FF_SHARED_DATA="$SHARED_DATA" bash "$REPO/test/cancel.sh" "$WORK/fixtures" "$WORK/cancel"
run_check workflows "incremental loads by pg_cron and materialized views over a growing archive (test/workflows.sh)" \
	bash "$REPO/test/workflows.sh" "$REPO/build/fixturegen" "$WORK/workflows"

echo "== S3 suites (s3rver behind a SigV4-verifying front, test/s3/)"
# shellcheck source=s3/s3env.sh
source "$REPO/test/s3/s3env.sh"
trap 's3env_stop; cleanup' EXIT
s3env_install "$REPO/build/node"
s3env_start "$WORK/s3"
log="$WORK/front-selftest.log"
if node "$REPO/test/s3/test_front.js" >"$log" 2>&1; then :; else failed=$((failed + 1)); fi
tail -1 "$log"
count_results "$log"
upload() {	# upload BUCKET PREFIX DIR
	node "$REPO/test/s3/upload.js" --endpoint "http://127.0.0.1:$S3RVER_PORT" --bucket "$1" --prefix "$2" "$3"
}
upload forensic flat/ "$WORK/fixtures/flat"
upload forensic per_epoch/ "$WORK/fixtures/per_epoch"
upload public-archive flat/ "$WORK/fixtures/flat"
for v in v4_bundles_only v5_bundles_only v4_per_epoch_zip; do
	upload forensic "$v/" "$WORK/fixtures/$v"
done
S3_SUITES="s3_basic s3_errors s3_faults s3_bundles"
if [ -d "$SHARED_DATA/0l-v6-testnet-sample" ]; then
	upload forensic real-v6/ "$SHARED_DATA/0l-v6-testnet-sample"
	S3_SUITES="$S3_SUITES s3_real"
fi
if [ -d "$SHARED_DATA/0l-v4-mainnet-sample" ]; then
	upload forensic real-v4/ "$SHARED_DATA/0l-v4-mainnet-sample"
	S3_SUITES="$S3_SUITES s3_real_bundles"
fi
mkdir -p "$WORK/s3tools"
cp "$REPO/test/s3/ctl.js" "$WORK/s3tools/"
chmod -R a+rX "$WORK/s3tools"
run_regress s3 "$REPO/test/s3" FF_FIXTURES="$WORK/fixtures" FF_SHARED_DATA="$SHARED_DATA" \
	S3_FRONT_PORT="$S3_FRONT_PORT" S3_IMDS_PORT="$S3_IMDS_PORT" S3_TOOLS="$WORK/s3tools" \
	AWS_ACCESS_KEY_ID=AKIAFORENSICTEST AWS_SECRET_ACCESS_KEY=forensic-secret-key -- $S3_SUITES
s3env_stop

echo "== suites over the real samples"
if [ -d "$SHARED_DATA/0l-v6-testnet-sample" ]; then
	mkdir -p "$WORK/real-data"
	python3 "$REPO/test/real/epoch_ends.py" "$SHARED_DATA/0l-v6-testnet-sample" >"$WORK/real-data/v6_epoch_ends.csv"
	python3 "$REPO/test/real/epoch_records.py" "$SHARED_DATA/0l-v6-testnet-sample" >"$WORK/real-data/v6_epoch_records.csv"
	python3 "$REPO/test/real/epoch_records.py" "$SHARED_DATA/0l-v7-v6-small" >"$WORK/real-data/v7_v6_small_epoch_records.csv"
	python3 "$REPO/test/real/legacy_v4.py" "$SHARED_DATA/0l-v4-mainnet-sample" "$WORK/real-data"
	chmod -R a+rX "$WORK/real-data"
	REAL_SUITES=$(cd "$REPO/test/real/sql" && ls *.sql | sed 's/\.sql$//' | sort)
	run_regress real "$REPO/test/real" FF_SHARED_DATA="$SHARED_DATA" FF_REAL_WORK="$WORK/real-data" -- $REAL_SUITES
else
	echo "skipped: no real samples at $SHARED_DATA (the suites in test/real/ need ../shared/data)"
fi

echo
echo "forensic_fdw tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
