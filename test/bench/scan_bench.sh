#!/usr/bin/env bash
# scan_bench.sh [ARCHIVE] — a benchmark, not a test: on one core, over the real v6 sample
# (or ARCHIVE), measures side by side in one run
#   - `gzip -dc` of the archive's transaction chunks (the inflate floor),
#   - a full scan building every column: SELECT count(t) FROM tx t (a whole-row reference;
#     a subquery with OFFSET 0 does not do it: the planner drops its unused outputs),
#   - a full scan building no column: SELECT count(*) FROM tx,
#   - the same all-column scan without event_count/write_count (the events and write sets are
#     then not walked: projection), and full scans of events and state_changes (every column),
#   - the all-column scan over S3: the archive uploaded to s3rver on 127.0.0.1 (on the other
#     core), read directly and through the SigV4-verifying front of the tests,
# interleaved RUNS times, and prints medians, rows/s, the scan/gzip ratio, the S3/local
# throughput ratio, bytes fetched from S3 by a pruned query against a full scan, and the
# backend's peak memory growth. Needs the extension installed (bash test/run-tests.sh or make
# install) and Node.js (s3rver is installed with npm into build/node).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
ARCHIVE=${1:-$REPO/../shared/data/0l-v6-testnet-sample}
ARCHIVE=$(cd "$ARCHIVE" && pwd)
RUNS=${RUNS:-5}
CPU=${CPU:-0}
S3CPU=${S3CPU:-1}
PG_BIN=/usr/lib/postgresql/15/bin
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

WORK=$(mktemp -d /tmp/forensic_fdw_bench.XXXXXX)
chmod 755 "$WORK"
# shellcheck source=../s3/s3env.sh
source "$REPO/test/s3/s3env.sh"
stop() {
	s3env_stop
	[ -f "$WORK/pgdata/postmaster.pid" ] &&
		$SUDO runuser -u postgres -- $PG_BIN/pg_ctl -D "$WORK/pgdata" -m fast -w stop >/dev/null
	$SUDO rm -rf "$WORK"
}
trap stop EXIT
$SUDO chown postgres "$WORK"
$SUDO runuser -u postgres -- $PG_BIN/initdb -D "$WORK/pgdata" -A trust -U postgres >/dev/null
# the server and its backends run on one core
$SUDO runuser -u postgres -- taskset -c "$CPU" $PG_BIN/pg_ctl -D "$WORK/pgdata" -w -l "$WORK/log" \
	-o "-c listen_addresses='' -k $WORK -p 5497 -c max_parallel_workers_per_gather=0 -c jit=off" start >/dev/null

PSQL=($SUDO runuser -u postgres -- $PG_BIN/psql -X -q -h "$WORK" -p 5497 -d postgres -v ON_ERROR_STOP=1)

# S3: s3rver and the front on the other core, the archive uploaded once
s3env_install "$REPO/build/node" >/dev/null
taskset -c "$S3CPU" true 2>/dev/null || S3CPU=$CPU
s3env_start "$WORK/s3" >/dev/null
node "$REPO/test/s3/upload.js" --endpoint "http://127.0.0.1:$S3RVER_PORT" --bucket forensic --prefix bench/ "$ARCHIVE" >/dev/null
for p in $S3RVER_PID $S3_FRONT_PID; do taskset -apc "$S3CPU" "$p" >/dev/null; done
"${PSQL[@]}" -v archive="$ARCHIVE" -v s3rver="http://127.0.0.1:$S3RVER_PORT" \
	-v front="http://127.0.0.1:$S3_FRONT_PORT" <<'SQL'
CREATE EXTENSION forensic_fdw;
CREATE SERVER bench FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'archive');
\set txcols 'version bigint, epoch bigint, round bigint, block_timestamp timestamptz, kind text, tx_hash text, sender text, sequence_number bigint, payload_kind text, function text, type_args text[], args bytea[], max_gas_amount bigint, gas_unit_price bigint, gas_used bigint, expiration_timestamp timestamptz, chain_id integer, authenticator text, status text, abort_location text, abort_code numeric, proposer text, event_count integer, write_count integer, object text'
CREATE FOREIGN TABLE tx (:txcols) SERVER bench OPTIONS (records 'transactions');
CREATE SERVER bench_s3 FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/bench/', endpoint :'s3rver', cache_ttl '3600');
-- s3rver itself knows only its default key pair (and checks the key id, not the signature)
CREATE USER MAPPING FOR CURRENT_USER SERVER bench_s3
  OPTIONS (access_key_id 'S3RVER', secret_access_key 'S3RVER');
CREATE SERVER bench_front FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/bench/', endpoint :'front', cache_ttl '3600');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench_front
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE SCHEMA s3; CREATE SCHEMA s3front;
CREATE FOREIGN TABLE s3.tx (:txcols) SERVER bench_s3 OPTIONS (records 'transactions');
CREATE FOREIGN TABLE s3front.tx (:txcols) SERVER bench_front OPTIONS (records 'transactions');
CREATE FOREIGN TABLE s3front.events (version bigint, epoch bigint) SERVER bench_front OPTIONS (records 'events');
CREATE SCHEMA chain;
IMPORT FOREIGN SCHEMA archive LIMIT TO (events, state_changes) FROM SERVER bench INTO chain;
CREATE FOREIGN TABLE tx_head (
  version bigint, epoch bigint, round bigint, block_timestamp timestamptz, kind text,
  tx_hash text, sender text, sequence_number bigint, payload_kind text, function text,
  type_args text[], args bytea[], max_gas_amount bigint, gas_unit_price bigint, gas_used bigint,
  expiration_timestamp timestamptz, chain_id integer, authenticator text, status text,
  abort_location text, abort_code numeric, proposer text, object text)
  SERVER bench OPTIONS (records 'transactions');
SQL

mapfile -t CHUNKS < <("${PSQL[@]}" -At -c "SELECT DISTINCT '$ARCHIVE/' || object FROM tx WHERE version < 0 OR true")
echo "archive: $ARCHIVE (${#CHUNKS[@]} transaction chunks, $(cat "${CHUNKS[@]}" | wc -c) bytes stored)"

now() { date +%s.%N; }
calc() { awk "BEGIN {print $1}"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# one session for all scans, so the catalog is warm and the backend's memory is measurable
: >"$WORK/s3.t"; : >"$WORK/s3front.t"; : >"$WORK/gzip.t"; : >"$WORK/all.t"; : >"$WORK/none.t"; : >"$WORK/head.t"; : >"$WORK/events.t"; : >"$WORK/changes.t"
PIPE="$WORK/sql.fifo"
mkfifo "$PIPE"; chmod 666 "$PIPE"
"${PSQL[@]}" -At <"$PIPE" >"$WORK/psql.out" 2>&1 &
SESSION=$!
exec 3>"$PIPE"
echo "SELECT pg_backend_pid();" >&3
sleep 1
PID=$(head -1 "$WORK/psql.out")
rss_kb() { awk '/^'"$1"':/ {print $2}' /proc/"$PID"/status; }

# psql prints a line after each query so we know it finished
sql_timed() {
	local marker="done-$RANDOM$RANDOM" t0 t1
	t0=$(now)
	printf '%s\n\\echo %s\n' "$1" "$marker" >&3
	until grep -q "$marker" "$WORK/psql.out"; do
		kill -0 "$SESSION" 2>/dev/null || { echo "the benchmark session ended:" >&2; tail -3 "$WORK/psql.out" >&2; exit 1; }
		sleep 0.005
	done
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'
}

sql_timed "SELECT count(*) FROM tx WHERE version = 1;" >/dev/null   # warm the catalog
sql_timed "SELECT count(*) FROM s3.tx WHERE version = 1;" >/dev/null
sql_timed "SELECT count(*) FROM s3front.tx WHERE version = 1;" >/dev/null
BASE_RSS=$(rss_kb VmRSS)
ROWS=$("${PSQL[@]}" -At -c "SELECT count(*) FROM tx")
EVENTS=$("${PSQL[@]}" -At -c "SELECT count(*) FROM chain.events")
CHANGES=$("${PSQL[@]}" -At -c "SELECT count(*) FROM chain.state_changes")

for i in $(seq "$RUNS"); do
	t0=$(now); taskset -c "$CPU" sh -c 'cat "$@" | gzip -dc >/dev/null' sh "${CHUNKS[@]}"; t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}' >>"$WORK/gzip.t"
	sql_timed "SELECT count(t) FROM tx t;" >>"$WORK/all.t"
	sql_timed "SELECT count(*) FROM tx;" >>"$WORK/none.t"
	sql_timed "SELECT count(t) FROM tx_head t;" >>"$WORK/head.t"
	sql_timed "SELECT count(e) FROM chain.events e;" >>"$WORK/events.t"
	sql_timed "SELECT count(s) FROM chain.state_changes s;" >>"$WORK/changes.t"
	sql_timed "SELECT count(t) FROM s3.tx t;" >>"$WORK/s3.t"
	sql_timed "SELECT count(t) FROM s3front.tx t;" >>"$WORK/s3front.t"
done
# bytes the front sent for a query over epochs 100..199 and for a full scan
export S3_FRONT_PORT
node "$REPO/test/s3/ctl.js" clear >/dev/null
"${PSQL[@]}" -At -c "SELECT count(*) FROM s3front.events WHERE epoch BETWEEN 100 AND 199" >/dev/null
PRUNED_BYTES=$(node "$REPO/test/s3/ctl.js" bytes bench/)
node "$REPO/test/s3/ctl.js" clear >/dev/null
"${PSQL[@]}" -At -c "SELECT count(*) FROM s3front.events" >/dev/null
FULL_BYTES=$(node "$REPO/test/s3/ctl.js" bytes bench/)
PEAK_RSS=$(rss_kb VmHWM)
exec 3>&-
wait "$SESSION"

G=$(median <"$WORK/gzip.t"); A=$(median <"$WORK/all.t"); N=$(median <"$WORK/none.t")
H=$(median <"$WORK/head.t"); E=$(median <"$WORK/events.t"); C=$(median <"$WORK/changes.t")
printf '\n%-48s %10s %14s %10s\n' "measure (median of $RUNS, one core)" "seconds" "rows/s" "x gzip"
printf '%-48s %10.3f %14s %10s\n' "gzip -dc of the chunks" "$G" "-" "1.00"
printf '%-48s %10.3f %14.0f %10.2f\n' "full scan, all columns (count(t): whole row)" "$A" "$(calc "$ROWS / $A")" "$(calc "$A / $G")"
printf '%-48s %10.3f %14.0f %10.2f\n' "full scan, no column (count(*))" "$N" "$(calc "$ROWS / $N")" "$(calc "$N / $G")"
printf '%-48s %10.3f %14.0f %10.2f\n' "all columns but event_count/write_count" "$H" "$(calc "$ROWS / $H")" "$(calc "$H / $G")"
printf '%-48s %10.3f %14.0f %10.2f\n' "events, every column ($EVENTS rows)" "$E" "$(calc "$EVENTS / $E")" "$(calc "$E / $G")"
printf '%-48s %10.3f %14.0f %10.2f\n' "state_changes, every column ($CHANGES rows)" "$C" "$(calc "$CHANGES / $C")" "$(calc "$C / $G")"
S=$(median <"$WORK/s3.t"); F=$(median <"$WORK/s3front.t")
printf '%-48s %10.3f %14.0f %10.2f\n' "all columns over S3 (s3rver, loopback)" "$S" "$(calc "$ROWS / $S")" "$(calc "$S / $G")"
printf '%-48s %10.3f %14.0f %10.2f\n' "all columns over S3 through the SigV4 front" "$F" "$(calc "$ROWS / $F")" "$(calc "$F / $G")"
printf '\nS3 throughput as a ratio of local: %.2f (s3rver), %.2f (through the front)\n' "$(calc "$A / $S")" "$(calc "$A / $F")"
printf 'bytes fetched from S3, events over epochs 100..199: %s of %s for a full scan (%.1f%%)\n' \
	"$PRUNED_BYTES" "$FULL_BYTES" "$(calc "100 * $PRUNED_BYTES / $FULL_BYTES")"
printf '\nrows: %s   backend peak RSS growth during the scans: %s kB (VmHWM %s kB - VmRSS before %s kB)\n' \
	"$ROWS" "$((PEAK_RSS - BASE_RSS))" "$PEAK_RSS" "$BASE_RSS"
