#!/usr/bin/env bash
# verify_bench.sh [ARCHIVE] — a benchmark, not a test: the cost of the table option verify.
# Over the real v6 sample ($FF_SHARED_DATA or ../shared/data; or ARCHIVE), a full scan of
# the transactions (SELECT count(*): no column built, so the cost of reading and verifying
# stands out) with verify 'none', 'hashes' and 'proofs', interleaved RUNS times (default 3) on one core; prints the median
# of each level and its ratio to 'none'. Starts its own PostgreSQL 15 instance (socket and
# data in a temporary directory under /tmp/verify-bench.*, port $PORT, default 55433) as
# the postgres user; needs the extension installed (make install).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
ARCHIVE=${1:-${FF_SHARED_DATA:-$REPO/../shared/data}/0l-v6-testnet-sample}
ARCHIVE=$(cd "$ARCHIVE" && pwd)
RUNS=${RUNS:-3}
CPU=${CPU:-0}
PORT=${PORT:-55433}
PG_BIN=/usr/lib/postgresql/15/bin
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

WORK=$(mktemp -d /tmp/verify-bench.XXXXXX)
chmod 755 "$WORK"
stop() {
	[ -f "$WORK/pgdata/postmaster.pid" ] &&
		$SUDO runuser -u postgres -- $PG_BIN/pg_ctl -D "$WORK/pgdata" -m fast -w stop >/dev/null
	$SUDO rm -rf "$WORK"
}
trap stop EXIT
$SUDO chown postgres "$WORK"
$SUDO runuser -u postgres -- $PG_BIN/initdb -D "$WORK/pgdata" -A trust -U postgres >/dev/null
$SUDO runuser -u postgres -- taskset -c "$CPU" $PG_BIN/pg_ctl -D "$WORK/pgdata" -w -l "$WORK/log" \
	-o "-c listen_addresses='' -k $WORK -p $PORT -c max_parallel_workers_per_gather=0 -c jit=off" start >/dev/null
PSQL=($SUDO runuser -u postgres -- $PG_BIN/psql -X -q -A -t -h "$WORK" -p "$PORT" -d postgres -v ON_ERROR_STOP=1)

"${PSQL[@]}" -v archive="$ARCHIVE" >/dev/null <<'SQL'
CREATE EXTENSION forensic_fdw;
CREATE SERVER bench FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'archive');
CREATE FOREIGN TABLE tx_none (version bigint) SERVER bench OPTIONS (records 'transactions', verify 'none');
CREATE FOREIGN TABLE tx_hashes (version bigint) SERVER bench OPTIONS (records 'transactions', verify 'hashes');
CREATE FOREIGN TABLE tx_proofs (version bigint) SERVER bench OPTIONS (records 'transactions', verify 'proofs');
SELECT count(*) FROM tx_none;	-- warm the page cache and the catalog
SQL

# one timed scan: the server's own execution time (EXPLAIN ANALYZE), in ms
time_scan() {
	"${PSQL[@]}" -c "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) SELECT count(*) FROM $1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])'
}
declare -A samples
for ((i = 0; i < RUNS; i++)); do
	for level in none hashes proofs; do
		samples[$level]+="$(time_scan "tx_$level") "
	done
done
rows=$("${PSQL[@]}" -c "SELECT count(*) FROM tx_proofs")
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(echo "${samples[none]}" | median)
echo "archive: $ARCHIVE ($rows transactions), median of $RUNS interleaved runs, one core"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
for level in none hashes proofs; do
	m=$(echo "${samples[$level]}" | median)
	printf '%-7s %9.1f ms  %6.0f rows/s  x%.2f   (runs: %s)\n' "$level" "$m" \
		"$(echo "$rows / ($m / 1000)" | bc -l)" "$(echo "$m / $base" | bc -l)" "${samples[$level]% }"
done
