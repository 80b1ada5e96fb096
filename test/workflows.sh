#!/usr/bin/env bash
# workflows.sh FIXTUREGEN WORKDIR — the workflows of docs/cookbook.md, end to end: an archive
# that grows (the generator's 40-epoch archive is its 20-epoch one plus new files, byte for
# byte), an incremental load run by pg_cron into native tables with forensic_fdw_load(), and
# materialized views over the foreign tables, refreshed after the archive grew. Every count is
# compared with what an independent Python reading of the generator's expected CSVs gives.
# Starts its own PostgreSQL 15 instance in WORKDIR as the postgres user (run as root or
# postgres) with shared_preload_libraries = 'pg_cron', stops it on exit. Needs
# postgresql-15-cron. Two pg_cron runs, each waited for up to 75 s (pg_cron 1.4 runs a job
# at most once a minute). Prints one line per check and "workflows: N passed, N failed";
# exits non-zero on a failure.
set -euo pipefail

GEN=${1:?usage: workflows.sh FIXTUREGEN WORKDIR}
WORKDIR=${2:?usage: workflows.sh FIXTUREGEN WORKDIR}
GEN=$(cd "$(dirname "$GEN")" && pwd)/$(basename "$GEN")
SMALL=20			# epochs of the archive before it grows
BIG=40				# and after
# shellcheck source=pg_instance.sh
source "$(dirname "$0")/pg_instance.sh"
PORT=$(pg_free_port)

if [ ! -f "$PG_BIN/../lib/pg_cron.so" ] && [ ! -f "$($PG_BIN/pg_config --pkglibdir)/pg_cron.so" ]; then
	echo "FAILED: pg_cron is not installed (apt-get install postgresql-15-cron)"
	echo "workflows: 0 passed, 1 failed"
	exit 1
fi

if [ -e "$WORKDIR" ] && [ -n "$(ls -A "$WORKDIR")" ]; then
	echo "workflows.sh: $WORKDIR is not empty" >&2
	exit 2
fi
mkdir -p "$WORKDIR/gen" "$WORKDIR/expect"
DATA="$WORKDIR/data"
ARCHIVE="$WORKDIR/archive"
trap pg_instance_stop EXIT

passed=0
failed=0
check() {	# check NAME RESULT(t/f)
	if [ "$2" = "t" ]; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

# ---------------------------------------------------------------------------------------
# The archives: same seed, 20 and 40 epochs; the live location starts as the small one.
for n in $SMALL $BIG; do
	"$GEN" --out "$WORKDIR/gen/e$n" --expected "$WORKDIR/gen/e$n.expected" --layout flat \
		--compression gzip --epochs "$n" --seed 7 >/dev/null
done
(cd "$WORKDIR/gen/e$SMALL" && find . -type f | sort) >"$WORKDIR/small.files"
(cd "$WORKDIR/gen/e$BIG" && find . -type f | sort) >"$WORKDIR/big.files"
grown=t
while read -r f; do
	cmp -s "$WORKDIR/gen/e$SMALL/$f" "$WORKDIR/gen/e$BIG/$f" || { grown=f; echo "  differs or missing: $f"; }
done <"$WORKDIR/small.files"
comm -13 "$WORKDIR/small.files" "$WORKDIR/big.files" >"$WORKDIR/new.files"
check "the $BIG-epoch archive holds the $SMALL-epoch one's $(wc -l <"$WORKDIR/small.files") files byte for byte, plus $(wc -l <"$WORKDIR/new.files") new" \
	"$([ "$grown" = t ] && [ -s "$WORKDIR/new.files" ] && echo t || echo f)"
cp -r "$WORKDIR/gen/e$SMALL" "$ARCHIVE"

# What the warehouse and the views must hold, from the generator's CSVs alone (no FDW): the
# complete epochs (ended, and every version up to their end written: the CSVs list the written
# versions), the rows of those epochs, the views' aggregates, and the transaction chunks a load
# of the new epochs must open (their version ranges from the manifests, sizes from the files).
python3 - "$WORKDIR/gen" "$WORKDIR/expect" "$SMALL" "$BIG" <<'PY'
import csv, datetime, glob, gzip, json, os, sys
gen, out, small, big = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

def rows(name, n):
    return list(csv.DictReader(open(f'{gen}/e{n}.expected/{name}.csv', newline='')))

def write(name, header, data):
    with open(f'{out}/{name}.csv', 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(data)

facts = {}
for label, n in (('small', small), ('big', big)):
    epochs = {int(r['epoch']): r for r in rows('epochs', n)}
    tx = rows('transactions', n)
    ev = rows('events', n)
    versions = sorted(int(r['version']) for r in tx)
    assert versions == list(range(versions[0], versions[-1] + 1)), 'written versions not contiguous'
    complete = max(e for e, r in epochs.items() if int(r['last_version']) <= versions[-1])
    facts[f'{label}_complete'] = complete
    facts[f'{label}_last_ended'] = max(epochs)
    facts[f'{label}_last_version'] = versions[-1]
    facts[f'{label}_tx'] = sum(1 for r in tx if int(r['epoch']) <= complete)
    facts[f'{label}_events'] = sum(1 for r in ev if int(r['epoch']) <= complete)
    facts[f'{label}_tx_all'] = len(tx)
    # the warehouse's rows, for an exact comparison
    write(f'{label}_warehouse_tx', ['version', 'epoch', 'kind', 'sender', 'status', 'amount', 'tx_hash'],
          [[r['version'], r['epoch'], r['kind'], r['sender'], r['status'], r['amount'], r['tx_hash']]
           for r in tx if int(r['epoch']) <= complete])
    # daily transfer volume per account: coin withdraw/deposit events, by UTC day
    days = {}
    for r in ev:
        kind = {'0x1::coin::WithdrawEvent': 'w', '0x1::coin::DepositEvent': 'd'}.get(r['type'])
        if kind is None:
            continue
        day = datetime.datetime.fromtimestamp(int(r['block_timestamp_usecs']) / 1e6,
                                              datetime.timezone.utc).date().isoformat()
        d = days.setdefault((day, r['account']), [0, 0, 0, 0])
        i = 0 if kind == 'w' else 2
        d[i] += 1
        d[i + 1] += int(r['amount'])
    write(f'{label}_daily', ['day', 'account', 'withdrawals', 'sent', 'deposits', 'received'],
          [[k[0], k[1]] + v for k, v in sorted(days.items())])
    facts[f'{label}_daily'] = len(days)
    facts[f'{label}_daily_sent'] = sum(v[1] for v in days.values())
    # validator set per epoch: the set on the row of epoch E runs epoch E + 1
    vs = [[e + 1, v['address'], v['voting_power']]
          for e, r in sorted(epochs.items()) for v in json.loads(r['validators'])]
    write(f'{label}_validators', ['epoch', 'validator', 'voting_power'], vs)
    facts[f'{label}_validators'] = len(vs)
    # failed transactions by status, abort location and code, function
    groups = {}
    for r in tx:
        if r['status'] == 'success':
            continue
        k = (r['status'], r['abort_location'], r['abort_code'], r['function'])
        g = groups.setdefault(k, [0, None, None])
        v = int(r['version'])
        g[0] += 1
        g[1] = v if g[1] is None else min(g[1], v)
        g[2] = v if g[2] is None else max(g[2], v)
    write(f'{label}_failed', ['status', 'abort_location', 'abort_code', 'function', 'transactions',
                              'first_version', 'last_version'],
          [list(k) + g for k, g in sorted(groups.items(), key=lambda i: str(i[0]))])
    facts[f'{label}_failed_groups'] = len(groups)
    facts[f'{label}_failed'] = sum(g[0] for g in groups.values())

# the chunks the second load must open: those of the grown archive that hold a version of the
# epochs it loads (small_complete + 1 .. big_complete)
epochs = {int(r['epoch']): r for r in rows('epochs', big)}
lo = int(epochs[facts['small_complete'] + 1]['first_version'])
hi = int(epochs[facts['big_complete']]['last_version'])
chunks = []
for m in glob.glob(f'{gen}/e{big}/transaction_*/transaction.manifest'):
    data = open(m, 'rb').read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    for c in json.loads(data)['chunks']:
        chunks.append((c['first_version'], c['last_version'],
                       os.path.getsize(f'{gen}/e{big}/' + c['transactions'])))
wanted = [c for c in chunks if c[0] <= hi and c[1] >= lo]
facts['chunks_total'] = len(chunks)
facts['chunks_second_load'] = len(wanted)
facts['chunks_second_load_bytes'] = sum(c[2] for c in wanted)
facts['second_load_versions'] = f'{lo}..{hi}'
with open(f'{out}/facts.sh', 'w') as f:
    for k, v in facts.items():
        f.write(f"{k}='{v}'\n")
PY
# shellcheck disable=SC1091
source "$WORKDIR/expect/facts.sh"
echo "expected: before growing, complete epochs 0..$small_complete of 0..$small_last_ended ended" \
	"(versions written up to $small_last_version): $small_tx transactions, $small_events events;" \
	"after, 0..$big_complete: $big_tx transactions, $big_events events"

chmod -R a+rX "$WORKDIR"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$WORKDIR/archive" && chown postgres "$WORKDIR"

# ---------------------------------------------------------------------------------------
# The instance: pg_cron runs jobs of database postgres through libpq over the socket in
# WORKDIR; the jobs' role logs the plans of its statements (auto_explain), nested ones too.
pg_instance_start "shared_preload_libraries = 'pg_cron'" "cron.database_name = 'postgres'" \
	"cron.host = '$WORKDIR'"
q() { psql_ -Atc "$1"; }			# one value, as the superuser
ql() { psql_ -Atc "SET ROLE loader; $1"; }	# as the job's role

psql_ -v archive="$ARCHIVE" <<'SQL'
CREATE EXTENSION forensic_fdw;
CREATE EXTENSION pg_cron;
CREATE SERVER archive FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'archive');
CREATE SCHEMA chain;
IMPORT FOREIGN SCHEMA archive FROM SERVER archive INTO chain;

-- the warehouse: native tables with the columns analysts keep (no unique key here, so that a
-- double load would show as duplicates instead of failing)
CREATE SCHEMA warehouse;
CREATE TABLE warehouse.transactions (
  version bigint NOT NULL, epoch bigint NOT NULL, block_timestamp timestamptz, kind text,
  sender text, function text, status text, abort_code numeric, recipient text, amount numeric,
  tx_hash text, loaded_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX ON warehouse.transactions (epoch);
CREATE TABLE warehouse.events (
  version bigint NOT NULL, event_index integer NOT NULL, epoch bigint NOT NULL,
  block_timestamp timestamptz, type text, account text, amount numeric);
CREATE INDEX ON warehouse.events (epoch);
CREATE TABLE warehouse.load_log (run_at timestamptz NOT NULL DEFAULT now(),
                                 transactions bigint, events bigint);

-- the job's role: reads the archive, appends to the warehouse, nothing else
CREATE ROLE loader LOGIN;
GRANT USAGE ON SCHEMA chain, warehouse, cron TO loader;
GRANT SELECT ON ALL TABLES IN SCHEMA chain TO loader;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA warehouse TO loader;
ALTER ROLE loader SET session_preload_libraries = 'auto_explain';
ALTER ROLE loader SET auto_explain.log_min_duration = 0;
ALTER ROLE loader SET auto_explain.log_analyze = on;
ALTER ROLE loader SET auto_explain.log_timing = off;
ALTER ROLE loader SET auto_explain.log_nested_statements = on;

-- scope 2: materialized views over the foreign tables (docs/cookbook.md)
CREATE SCHEMA analytics;
CREATE MATERIALIZED VIEW analytics.daily_transfers AS
SELECT (block_timestamp AT TIME ZONE 'UTC')::date AS day, account,
       count(*) FILTER (WHERE type = '0x1::coin::WithdrawEvent') AS withdrawals,
       coalesce(sum(amount) FILTER (WHERE type = '0x1::coin::WithdrawEvent'), 0) AS sent,
       count(*) FILTER (WHERE type = '0x1::coin::DepositEvent') AS deposits,
       coalesce(sum(amount) FILTER (WHERE type = '0x1::coin::DepositEvent'), 0) AS received
FROM chain.events
WHERE type IN ('0x1::coin::WithdrawEvent', '0x1::coin::DepositEvent')
GROUP BY 1, 2;
CREATE UNIQUE INDEX ON analytics.daily_transfers (day, account);

CREATE MATERIALIZED VIEW analytics.validator_sets AS
SELECT e.epoch + 1 AS epoch, v ->> 'address' AS validator, (v ->> 'voting_power')::numeric AS voting_power
FROM chain.epochs e CROSS JOIN LATERAL jsonb_array_elements(e.validators) v;
CREATE UNIQUE INDEX ON analytics.validator_sets (epoch, validator);

CREATE MATERIALIZED VIEW analytics.failed_transactions AS
SELECT status, abort_location, abort_code, function, count(*) AS transactions,
       min(version) AS first_version, max(version) AS last_version
FROM chain.transactions
WHERE status <> 'success'
GROUP BY status, abort_location, abort_code, function;

-- the independent expectations, loaded by the script below
CREATE SCHEMA expect;
CREATE TABLE expect.warehouse_tx (version bigint, epoch bigint, kind text, sender text, status text,
                                  amount numeric, tx_hash text);
CREATE TABLE expect.daily (day date, account text, withdrawals bigint, sent numeric, deposits bigint, received numeric);
CREATE TABLE expect.validators (epoch bigint, validator text, voting_power numeric);
CREATE TABLE expect.failed (status text, abort_location text, abort_code numeric, function text,
                            transactions bigint, first_version bigint, last_version bigint);
SQL

load_expectations() {	# load_expectations small|big
	psql_ -c "TRUNCATE expect.warehouse_tx, expect.daily, expect.validators, expect.failed"
	psql_ -c "\\copy expect.warehouse_tx FROM '$WORKDIR/expect/$1_warehouse_tx.csv' CSV HEADER"
	psql_ -c "\\copy expect.daily FROM '$WORKDIR/expect/$1_daily.csv' CSV HEADER"
	psql_ -c "\\copy expect.validators FROM '$WORKDIR/expect/$1_validators.csv' CSV HEADER"
	psql_ -c "\\copy expect.failed FROM '$WORKDIR/expect/$1_failed.csv' CSV HEADER"
}

# rows of A not in B plus rows of B not in A
differences() { q "SELECT (SELECT count(*) FROM (($1) EXCEPT ALL ($2)) a) + (SELECT count(*) FROM (($2) EXCEPT ALL ($1)) b)"; }

check_views() {		# check_views small|big LABEL
	local l=$1
	eval "local daily=\$${l}_daily validators=\$${l}_validators groups=\$${l}_failed_groups failed_=\$${l}_failed sent=\$${l}_daily_sent"
	check "$2: daily_transfers has $daily (day, account) rows, $sent sent in all, each as the events CSV sums them" \
		"$(q "SELECT count(*) = $daily AND sum(sent) = $sent FROM analytics.daily_transfers")$(
		   [ "$(differences 'SELECT * FROM analytics.daily_transfers' 'SELECT * FROM expect.daily')" = 0 ] && echo || echo f)"
	check "$2: validator_sets has the $validators (epoch, validator) rows of the epochs CSV" \
		"$(q "SELECT count(*) = $validators FROM analytics.validator_sets")$(
		   [ "$(differences 'SELECT * FROM analytics.validator_sets' 'SELECT * FROM expect.validators')" = 0 ] && echo || echo f)"
	check "$2: failed_transactions has $groups groups of $failed_ failed transactions, as in the transactions CSV" \
		"$(q "SELECT count(*) = $groups AND sum(transactions) = $failed_ FROM analytics.failed_transactions")$(
		   [ "$(differences 'SELECT * FROM analytics.failed_transactions' 'SELECT * FROM expect.failed')" = 0 ] && echo || echo f)"
}

check_warehouse() {	# check_warehouse small|big LABEL
	local l=$1
	eval "local tx=\$${l}_tx events=\$${l}_events complete=\$${l}_complete"
	check "$2: forensic_fdw_complete_epoch() = $complete" \
		"$(ql "SELECT forensic_fdw_complete_epoch('chain.epochs', 'chain.objects') = $complete")"
	check "$2: warehouse.transactions holds the $tx rows of epochs 0..$complete, once each" \
		"$(q "SELECT count(*) = $tx AND count(DISTINCT version) = count(*) AND max(epoch) = $complete FROM warehouse.transactions")"
	check "$2: warehouse.events holds the $events rows of epochs 0..$complete, once each" \
		"$(q "SELECT count(*) = $events AND count(DISTINCT (version, event_index)) = count(*) FROM warehouse.events")"
	check "$2: the warehouse rows are those of the transactions CSV (version, epoch, kind, sender, status, amount, tx_hash)" \
		"$([ "$(differences 'SELECT version, epoch, kind, sender, status, amount, tx_hash FROM warehouse.transactions' \
		                    'SELECT * FROM expect.warehouse_tx')" = 0 ] && echo t || echo f)"
	check "$2: no epoch loaded in part (each epoch's rows are its last_version - first_version + 1)" \
		"$(q "SELECT count(*) = 0 FROM (SELECT epoch, count(*) n FROM warehouse.transactions GROUP BY epoch) w
		      JOIN chain.epochs e USING (epoch) WHERE e.first_version IS NOT NULL AND w.n <> e.last_version - e.first_version + 1")"
	check "$2: rerun loads 0 rows" \
		"$(ql "SELECT forensic_fdw_load('warehouse.transactions', 'chain.transactions') = 0
		          AND forensic_fdw_load('warehouse.events', 'chain.events') = 0")"
}

wait_for_run() {	# wait_for_run SINCE: until a run of the job started after SINCE succeeded (75 s at most)
	local deadline=$((SECONDS + 75)) status
	while [ $SECONDS -lt $deadline ]; do
		status=$(q "SELECT count(*) FILTER (WHERE status = 'succeeded') || ' ' || count(*) FILTER (WHERE status = 'failed')
		            FROM cron.job_run_details WHERE jobid = $JOB AND start_time > '$1'")
		[ "${status% *}" -ge 1 ] && return 0
		if [ "${status#* }" -gt 0 ]; then
			q "SELECT return_message FROM cron.job_run_details WHERE jobid = $JOB AND status = 'failed'"
			return 1
		fi
		sleep 2
	done
	return 1
}

# the "Objects Read" and "Bytes Read" lines of the plan auto_explain logged, after byte OFFSET of
# the server log, for the load of TABLE (the INSERT forensic_fdw_load runs)
logged_plan() {		# logged_plan OFFSET TABLE
	tail -c +"$(($1 + 1))" "$WORKDIR/server.log" |
		awk -v t="Query Text: INSERT INTO $2 " '
			index($0, t) { on = 1; next }
			on && /Query Text:/ { on = 0 }
			on && /Objects Read:|Bytes Read:|Versions:/ { sub(/^[ \t]+/, ""); print }'
}

# ---------------------------------------------------------------------------------------
# Scope 1: the job, scheduled by the role that runs it
load_expectations small
since=$(q "SELECT now()")
log_offset=$(stat -c %s "$WORKDIR/server.log")
JOB=$(ql "SELECT cron.schedule('forensic-load', '* * * * *', \$\$
INSERT INTO warehouse.load_log (transactions, events)
SELECT forensic_fdw_load('warehouse.transactions', 'chain.transactions'),
       forensic_fdw_load('warehouse.events', 'chain.events')\$\$)")
echo "scheduled job $JOB at $(date +%T); waiting for its first run"
if wait_for_run "$since"; then run1=t; else run1=f; fi
check "pg_cron ran the load as role loader and it succeeded ($(q "SELECT min(start_time)::time(0) FROM cron.job_run_details WHERE jobid = $JOB"))" \
	"$([ "$run1" = t ] && q "SELECT bool_and(d.username = 'loader' AND j.username = 'loader') FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE jobid = $JOB" || echo f)"
check "first run: load_log says $small_tx transactions and $small_events events" \
	"$(q "SELECT (array_agg(transactions ORDER BY run_at))[1] = $small_tx AND (array_agg(events ORDER BY run_at))[1] = $small_events
	      FROM warehouse.load_log")"
check_warehouse small "before growing"
check "epochs $((small_complete + 1))..$small_last_ended have ended but are not loaded: their transactions are not all backed up" \
	"$(q "SELECT (SELECT max(epoch) FROM chain.epochs) = $small_last_ended AND (SELECT max(version) FROM chain.transactions) = $small_last_version
	      AND (SELECT count(*) FROM warehouse.transactions WHERE epoch > $small_complete) = 0")"
check "the archive has an epoch in part ($((small_complete + 1)): $(q "SELECT count(*) FROM chain.transactions WHERE epoch = $((small_complete + 1))") of its $(q "SELECT last_version - first_version + 1 FROM chain.epochs WHERE epoch = $((small_complete + 1))") versions), which a load of every epoch after the last would have taken" \
	"$(q "SELECT count(*) < (SELECT last_version - first_version + 1 FROM chain.epochs WHERE epoch = $((small_complete + 1)))
	      FROM chain.transactions WHERE epoch = $((small_complete + 1))")"
check_views small "views before growing"

log_offset=$(stat -c %s "$WORKDIR/server.log")
since=$(q "SELECT now()")
# The archive grows: the new files only, chunks and proofs first, then manifests, then the
# .meta files, each written beside and renamed into place, so a scan never sees a manifest
# whose chunks are not there yet.
for pass in '\.(chunk|proof)$' '\.manifest$' '.'; do
	grep -E "$pass" "$WORKDIR/new.files" | while read -r f; do
		[ -e "$ARCHIVE/$f" ] && continue
		mkdir -p "$(dirname "$ARCHIVE/$f")"
		cp "$WORKDIR/gen/e$BIG/$f" "$ARCHIVE/$f.part"
		mv "$ARCHIVE/$f.part" "$ARCHIVE/$f"
	done
done
chmod -R a+rX "$ARCHIVE"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$ARCHIVE"
check "the live archive now has the $BIG-epoch archive's files, identical" \
	"$(diff -r -q "$ARCHIVE" "$WORKDIR/gen/e$BIG" >/dev/null && echo t || echo f)"
load_expectations big

check "before REFRESH, the views still hold what they held" \
	"$(q "SELECT count(*) = $small_validators FROM analytics.validator_sets")"
echo "grew the archive at $(date +%T); waiting for the job's next run"
if wait_for_run "$since"; then run2=t; else run2=f; fi
check "second run succeeded" "$run2"
check "second run: load_log says $((big_tx - small_tx)) transactions and $((big_events - small_events)) events, exactly the new epochs" \
	"$(q "SELECT sum(transactions) = $((big_tx - small_tx)) AND sum(events) = $((big_events - small_events))
	      FROM warehouse.load_log WHERE run_at > '$since'")"
check_warehouse big "after growing"

# What the second run read (auto_explain's EXPLAIN ANALYZE of the job's INSERT): only the
# chunks holding versions of the new epochs ($second_load_versions).
plan=$(logged_plan "$log_offset" warehouse.transactions)
echo "$plan" | sed 's/^/  logged: /'
objects=$(echo "$plan" | sed -n 's/^Objects Read: \([0-9]*\).*/\1/p' | head -1)
bytes=$(echo "$plan" | sed -n 's/^Bytes Read: \([0-9]*\) stored.*/\1/p' | head -1)
check "second run opened $chunks_second_load of the $chunks_total transaction chunks for rows (logged: ${objects:-none})" \
	"$([ "${objects:-x}" = "$chunks_second_load" ] && echo t || echo f)"
check "second run read $chunks_second_load_bytes stored bytes of transaction chunks for rows (logged: ${bytes:-none})" \
	"$([ "${bytes:-x}" = "$chunks_second_load_bytes" ] && echo t || echo f)"

# The functions run with the caller's privileges (SECURITY INVOKER) and check their arguments
psql_ -c "CREATE ROLE reader; GRANT USAGE ON SCHEMA chain, warehouse TO reader;
          GRANT SELECT ON ALL TABLES IN SCHEMA chain, warehouse TO reader"
sqlstate() { psql_ -Atc "DO \$\$ BEGIN $1; EXCEPTION WHEN others THEN RAISE NOTICE 'sqlstate %', SQLSTATE; END \$\$" 2>&1 | sed -n 's/.*sqlstate \([0-9A-Z]*\).*/\1/p'; }
check "a role that may read the archive but not insert into the warehouse cannot load (42501)" \
	"$([ "$(sqlstate "SET ROLE reader; PERFORM forensic_fdw_load('warehouse.transactions', 'chain.transactions')")" = 42501 ] && echo t || echo f)"
check "a source that is not a forensic_fdw table is refused (42809)" \
	"$([ "$(sqlstate "PERFORM forensic_fdw_load('warehouse.transactions', 'warehouse.events')")" = 42809 ] && echo t || echo f)"
check "a target without an epoch column is refused (42703)" \
	"$([ "$(sqlstate "PERFORM forensic_fdw_load('warehouse.load_log', 'chain.transactions')")" = 42703 ] && echo t || echo f)"

# Scope 2 after growing: REFRESH (CONCURRENTLY where a unique index allows it)
psql_ -c "REFRESH MATERIALIZED VIEW CONCURRENTLY analytics.daily_transfers" \
	-c "REFRESH MATERIALIZED VIEW CONCURRENTLY analytics.validator_sets" \
	-c "REFRESH MATERIALIZED VIEW analytics.failed_transactions"
check_views big "views after REFRESH"

q "SELECT cron.unschedule($JOB)" >/dev/null
check "server log without a crash or leak warning" \
	"$(grep -qE 'terminated by signal|PANIC|leaked' "$WORKDIR/server.log" && echo f || echo t)"

echo "workflows: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
