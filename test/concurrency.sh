#!/usr/bin/env bash
# concurrency.sh FIXTURES WORKDIR — 16 sessions scanning the same archives at once (pgbench with
# a custom script, 2 worker threads) complete without an error and every scan of a table gives
# the same rows as a single session alone. Starts its own PostgreSQL 15 instance in WORKDIR as
# the postgres user (run as root or postgres), stops it on exit. Prints the checks and
# "concurrency: N passed, N failed"; exits non-zero on a failure.
set -euo pipefail

FIXTURES=${1:?usage: concurrency.sh FIXTURES WORKDIR}
WORKDIR=${2:?usage: concurrency.sh FIXTURES WORKDIR}
CLIENTS=16
SCANS_PER_CLIENT=12
# shellcheck source=pg_instance.sh
source "$(dirname "$0")/pg_instance.sh"

mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)
[ "$(id -u)" -eq 0 ] && chown postgres "$WORKDIR"
DATA="$WORKDIR/data"
PORT=$(pg_free_port)
trap pg_instance_stop EXIT
pg_instance_start "max_connections = 40"

psql_ -v flat="$FIXTURES/flat" -v bundles="$FIXTURES/v5_bundles_only" <<'SQL'
CREATE EXTENSION forensic_fdw;
CREATE SERVER flat FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE SERVER bundles FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'bundles');
CREATE SCHEMA flat; CREATE SCHEMA bundles;
IMPORT FOREIGN SCHEMA archive FROM SERVER flat INTO flat;
IMPORT FOREIGN SCHEMA archive FROM SERVER bundles INTO bundles;
-- one digest per table and scan: every row, in a fixed order
CREATE TABLE scans (client int, name text, rows_ bigint, digest text);
CREATE FUNCTION digest_of(name text) RETURNS TABLE (rows_ bigint, digest text) LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE CASE name
    WHEN 'transactions' THEN 'SELECT count(*), md5(string_agg(t::text, '','' ORDER BY version)) FROM flat.transactions t'
    WHEN 'events' THEN 'SELECT count(*), md5(string_agg(e::text, '','' ORDER BY version, event_index)) FROM flat.events e'
    WHEN 'pruned' THEN 'SELECT count(*), md5(string_agg(tx_hash, '','' ORDER BY version)) FROM flat.transactions WHERE epoch BETWEEN 10 AND 19'
    WHEN 'state' THEN 'SELECT count(*), md5(string_agg(s::text, '','' ORDER BY snapshot_version, item_index)) FROM flat.state s'
    WHEN 'bundles' THEN 'SELECT count(*), md5(string_agg(t::text, '','' ORDER BY version)) FROM bundles.transactions t'
    WHEN 'bundle_events' THEN 'SELECT count(*), md5(string_agg(e::text, '','' ORDER BY version, event_index)) FROM bundles.events e'
  END;
END $$;
CREATE TABLE reference AS
  SELECT n AS name, d.rows_, d.digest FROM unnest(ARRAY['transactions', 'events', 'pruned', 'state', 'bundles',
                                                        'bundle_events']) n, digest_of(n) d;
SQL

cat >"$WORKDIR/scan.sql" <<'SQL'
\set pick random(1, 6)
INSERT INTO scans SELECT :client_id, n, d.rows_, d.digest
FROM (SELECT (ARRAY['transactions', 'events', 'pruned', 'state', 'bundles', 'bundle_events'])[:pick] AS n) x,
     digest_of(x.n) d;
SQL
[ "$(id -u)" -eq 0 ] && chown postgres "$WORKDIR/scan.sql"

passed=0
failed=0
check() {	# check NAME RESULT(t/f)
	if [ "$2" = "t" ]; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

if as_pg "$PG_BIN/pgbench" -n -h "$WORKDIR" -p "$PORT" -U postgres -c "$CLIENTS" -j 2 -t "$SCANS_PER_CLIENT" \
	-f "$WORKDIR/scan.sql" postgres >"$WORKDIR/pgbench.log" 2>&1; then
	check "pgbench: $CLIENTS sessions x $SCANS_PER_CLIENT scans, no error" t
else
	check "pgbench: $CLIENTS sessions x $SCANS_PER_CLIENT scans, no error" f
	cat "$WORKDIR/pgbench.log"
fi
grep -E 'number of (transactions actually processed|failed)' "$WORKDIR/pgbench.log" || true
check "every scan recorded ($((CLIENTS * SCANS_PER_CLIENT)))" \
	"$(psql_ -Atc "SELECT count(*) = $((CLIENTS * SCANS_PER_CLIENT)) FROM scans")"
check "every scan gave the rows of a session alone" \
	"$(psql_ -Atc "SELECT count(*) = 0 FROM scans s JOIN reference r USING (name)
	               WHERE (s.rows_, s.digest) IS DISTINCT FROM (r.rows_, r.digest)")"
check "all six scans ran, by at least 8 distinct sessions" \
	"$(psql_ -Atc "SELECT count(DISTINCT name) = 6 AND count(DISTINCT client) >= 8 FROM scans")"
psql_ -Atc "SELECT name || ': ' || count(*) || ' scans of ' || min(r.rows_) || ' rows' FROM scans JOIN reference r USING (name) GROUP BY name ORDER BY name"
check "server log without a crash or leak warning" \
	"$(grep -qE 'terminated by signal|PANIC|leaked|WARNING' "$WORKDIR/server.log" && echo f || echo t)"

echo "concurrency: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
