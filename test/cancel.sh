#!/usr/bin/env bash
# cancel.sh FIXTURES WORKDIR — a query returns within a second of a cancel, in every phase:
#   planning: catalogs of 30,005 transaction backups plus 180,000 .meta files, and of 205
#     manifests of 15 MiB each (EXPLAIN);
#   local reads: a flat archive's events and a .zip bundle's members scanned again for every
#     row of generate_series (a lateral subquery);
#   inside a .tar.gz bundle whose first member is 10 GiB of zeros: libarchive indexing it
#     (EXPLAIN), then opening the backup behind the zeros (SELECT);
#   v5 JSON rescue dumps of 250 MB (only when the v5 sample is in FF_SHARED_DATA, default
#     ../shared/data): inflating a .json.gz, indexing the array of a .json;
#   S3 (when s3rver can be installed, test/s3/s3env.sh): rescans, a GET that hangs, and at
#     planning a listing and manifest GETs that hang.
# Each case runs twice: canceled by pg_cancel_backend from another session AFTER_S seconds
# into the statement, and by a statement_timeout as long. The latency is measured on the
# server's clock, from just before pg_cancel_backend (or when the timeout was due) to the
# next statement of the canceled session; it must be under LIMIT_MS, and the statement must
# have failed with PostgreSQL's own cancel message (so it was still running).
# Starts its own PostgreSQL 15 instance in WORKDIR as the postgres user (run as root or
# postgres), builds the archives in /dev/shm (else WORKDIR) and removes all it made on exit.
# Prints one line per case and "cancel: N passed, N failed"; exits non-zero on a failure.
# FF_CANCEL_CASES="plan scan ..." runs only those cases; FF_CANCEL_CALIBRATE=1 also prints how
# long each statement runs when nobody cancels it; FF_KEEP_WORK=1 keeps WORKDIR.
set -euo pipefail

FIXTURES=${1:?usage: cancel.sh FIXTURES WORKDIR}
WORKDIR=${2:?usage: cancel.sh FIXTURES WORKDIR}
REPO=$(cd "$(dirname "$0")/.." && pwd)
LIMIT_MS=1000			# a canceled statement must end within this
AFTER_S=1.2				# the cancel (or the timeout) comes this long after the statement began
RETURN_WAIT_S=30		# a session that has not ended this long after its start has hung
COPIES=6000				# copies of the flat archive's transaction backups (planning)
META_COPIES=180000		# copies of one of its .meta files (planning)
BIGMAN_COPIES=40		# copies of its transaction backups with 15 MiB manifests (planning)
JUNK_MIB=10240			# zeros before the backup in the .tar.gz bundle

# shellcheck source=pg_instance.sh
source "$REPO/test/pg_instance.sh"
PORT=$(pg_free_port)

mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)
[ "$(id -u)" -eq 0 ] && chown postgres "$WORKDIR"
DATA="$WORKDIR/data"
# the archives: in memory when /dev/shm can hold them (removing 10^5 files from a busy disk
# can take longer than all the cases)
if [ -d /dev/shm ] && [ -w /dev/shm ]; then ARCH=$(mktemp -d /dev/shm/ff-cancel.XXXXXX); else ARCH="$WORKDIR/archives"; fi
SESSION=""				# the background psql session, while it runs
S3_STARTED=""

# shellcheck source=s3/s3env.sh
source "$REPO/test/s3/s3env.sh"
cleanup() {
	[ -n "$SESSION" ] && { kill "$SESSION" 2>/dev/null || true; wait "$SESSION" 2>/dev/null || true; }
	[ -n "$S3_STARTED" ] && s3env_stop
	pg_instance_stop
	if [ -n "${FF_KEEP_WORK:-}" ]; then
		echo "kept $WORKDIR"
	else
		rm -rf "$DATA" "$ARCH" "$WORKDIR/s3" "$WORKDIR"/case.* "$WORKDIR"/*.log "$WORKDIR"/*.sql
		rmdir "$WORKDIR" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- the archives ------------------------------------------------------------------------
mkdir -p "$ARCH"
# many: the flat archive with its transaction backups copied (hard links) under COPIES new
# names each, and META_COPIES more .meta files; a backup written twice is read once, but
# every manifest and every .meta file is listed and read
python3 - "$FIXTURES/flat" "$ARCH/many" "$COPIES" "$META_COPIES" <<'PY'
import os, shutil, sys
src, dst, copies, metas = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
shutil.copytree(src, dst)
backups = [d for d in os.listdir(src) if d.startswith("transaction_")]
for i in range(copies):
    for b in backups:
        new = os.path.join(dst, "%s.c%05d" % (b.split(".")[0], i))
        os.mkdir(new)
        for f in os.listdir(os.path.join(src, b)):
            os.link(os.path.join(dst, b, f), os.path.join(new, f))
meta = os.path.join(dst, "metadata", "transaction_0-253.meta")
for i in range(metas):
    os.link(meta, os.path.join(dst, "metadata", "copy_%06d.meta" % i))
PY
# bigman: the flat archive with its transaction manifests padded to 15 MiB (spaces before
# the closing brace; each is still 15 KB of gzip) and the backups copied under BIGMAN_COPIES
# new names each: every manifest read is 15 MiB inflated and parsed (tens of ms)
python3 - "$FIXTURES/flat" "$ARCH/bigman" "$BIGMAN_COPIES" <<'PY'
import gzip, os, shutil, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
shutil.copytree(src, dst)
backups = [d for d in os.listdir(dst) if d.startswith("transaction_")]
for b in backups:
    m = os.path.join(dst, b, "transaction.manifest")
    text = gzip.decompress(open(m, "rb").read()).decode().strip()
    assert text.endswith("}")
    with gzip.open(m, "wb") as f:
        f.write((text[:-1] + " " * (15 << 20) + "}").encode())
for i in range(copies):
    for b in backups:
        new = os.path.join(dst, "%s.c%05d" % (b.split(".")[0], i))
        os.mkdir(new)
        for f in os.listdir(os.path.join(dst, b)):
            os.link(os.path.join(dst, b, f), os.path.join(new, f))
PY
# junk: the v4 archive's bundles, the one of epoch 5 with JUNK_MIB MiB of zeros as its first
# member (gzip members of 16 MiB of zeros each, concatenated: libarchive reads them as one
# stream); indexing it and opening a member behind the zeros both inflate them all
mkdir -p "$ARCH/junk"
cp "$FIXTURES/v4_bundles_only/"*.tar.gz "$ARCH/junk/"
python3 - "$FIXTURES/v4_bundles_only/5.tar.gz" "$ARCH/junk/5.tar.gz" "$JUNK_MIB" <<'PY'
import io, sys, tarfile, zlib
src, dst, mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
def gz(data):
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()
rest = io.BytesIO()
with tarfile.open(src, "r:gz") as t, tarfile.open(fileobj=rest, mode="w", format=tarfile.GNU_FORMAT) as out:
    for m in t.getmembers():
        out.addfile(m, t.extractfile(m) if m.isfile() else None)
junk = tarfile.TarInfo("5/junk.bin")
junk.size = mib << 20
zeros = gz(bytes(16 << 20))
with open(dst, "wb") as f:
    f.write(gz(junk.tobuf(format=tarfile.GNU_FORMAT)))
    for _ in range(mib // 16):
        f.write(zeros)
    f.write(gz(rest.getvalue()))
PY
# rescue: the v5 sample's JSON rescue dump of versions 0..999, 160 times with the versions
# moved on by 1000 each time: 250 MB (the largest dump read is 256 MiB), as .json.gz in
# rescue/ (inflating it is the longer part) and as .json in rescue_plain/ (parsing it is):
# a dump is read whole, then every element is parsed once to index the array
SHARED_DATA=${FF_SHARED_DATA:-$REPO/../shared/data}
V5_DUMP="$SHARED_DATA/0l-v5-small/json-rescue/0-999.json"
if [ -f "$V5_DUMP" ]; then
	mkdir -p "$ARCH/rescue/json-rescue" "$ARCH/rescue_plain/json-rescue"
	python3 - "$V5_DUMP" "$ARCH" 160 <<'PY'
import gzip, re, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = open(src).read().strip()
assert body[0] == "[" and body[-1] == "]"
num = re.compile(r'("(?:transaction_)?version":\s*)(\d+)')
parts = [num.sub(lambda m: m.group(1) + str(int(m.group(2)) + k * 1000), body[1:-1]) for k in range(copies)]
text = ("[" + ",".join(parts) + "]").encode()
name = "0-%d.json" % (copies * 1000 - 1)
with open("%s/rescue_plain/json-rescue/%s" % (dst, name), "wb") as f:
    f.write(text)
with gzip.open("%s/rescue/json-rescue/%s.gz" % (dst, name), "wb", compresslevel=1) as f:
    f.write(text)
PY
fi
chmod 755 "$ARCH"		# what is inside is readable (umask 022, copies of readable files)

# ---- the instance --------------------------------------------------------------------------
pg_instance_start

psql_ -v flat="$FIXTURES/flat" -v many="$ARCH/many" -v bigman="$ARCH/bigman" -v junk="$ARCH/junk" \
	-v zip="$FIXTURES/v4_per_epoch_zip" $([ -d "$ARCH/rescue" ] && echo "-v rescue=$ARCH/rescue -v rescue_plain=$ARCH/rescue_plain") <<'SQL'
CREATE EXTENSION forensic_fdw;
CREATE SERVER flat FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE SERVER many FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'many');
CREATE SERVER bigman FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'bigman');
CREATE SERVER junk FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'junk', bundles 'only');
CREATE SERVER zip FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'zip', bundles 'only');
CREATE FOREIGN TABLE flat_events (version bigint, event_index int, type text, data bytea, decoded jsonb)
  SERVER flat OPTIONS (records 'events');
CREATE FOREIGN TABLE many_tx (version bigint, tx_hash text) SERVER many OPTIONS (records 'transactions');
CREATE FOREIGN TABLE bigman_tx (version bigint, tx_hash text) SERVER bigman OPTIONS (records 'transactions');
CREATE FOREIGN TABLE junk_tx (version bigint, tx_hash text) SERVER junk OPTIONS (records 'transactions');
CREATE FOREIGN TABLE zip_tx (version bigint, tx_hash text, sender text) SERVER zip OPTIONS (records 'transactions');
-- cancel_after(app, s): wait for the statement of session `app` whose text names cancel_target,
-- let it run s seconds, cancel it; the time just before pg_cancel_backend (epoch seconds)
\if :{?rescue}
CREATE SERVER rescue FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'rescue');
CREATE FOREIGN TABLE rescue_tx (version bigint, tx_hash text) SERVER rescue OPTIONS (records 'transactions');
CREATE SERVER rescue_plain FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'rescue_plain');
CREATE FOREIGN TABLE rescue_plain_tx (version bigint, tx_hash text) SERVER rescue_plain OPTIONS (records 'transactions');
\endif
CREATE FUNCTION cancel_after(app text, s float8) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE p int; t float8; started timestamptz; deadline timestamptz := clock_timestamp() + interval '20 s';
BEGIN
  LOOP
    PERFORM pg_stat_clear_snapshot();
    SELECT pid, query_start INTO p, started FROM pg_stat_activity
      WHERE application_name = app AND state = 'active' AND query LIKE '%cancel_target%';
    EXIT WHEN p IS NOT NULL;
    IF clock_timestamp() > deadline THEN RAISE EXCEPTION 'session % never ran its statement', app; END IF;
    PERFORM pg_sleep(0.01);
  END LOOP;
  PERFORM pg_sleep(greatest(0, s - extract(epoch FROM clock_timestamp() - started)));
  t := extract(epoch FROM clock_timestamp());
  IF NOT pg_cancel_backend(p) THEN RAISE EXCEPTION 'pg_cancel_backend(%) failed', p; END IF;
  RETURN t;
END $$;
SQL

passed=0
failed=0
check() {	# check LINE RESULT(t/f)
	if [ "$2" = "t" ]; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

# measure CASE HOW WHAT SETUP QUERY
#   HOW: cancel (pg_cancel_backend AFTER_S s after QUERY began; $after when set), timeout
#   (statement_timeout of as long) or none (calibration: how long QUERY runs, up to CALIBRATE_S s). SETUP runs
#   first in the same session (warming a cache). QUERY must name cancel_target and run well
#   past AFTER_S.
CALIBRATE_S=15
ms_between() { awk "BEGIN{printf \"%d\", ($2 - $1) * 1000}"; }
measure() {
	[[ -z "${FF_CANCEL_CASES:-}" || " $FF_CANCEL_CASES " == *" $1 "* ]] || return 0
	local name=$1 how=$2 what=$3 setup=$4 query=$5 after=${after:-$AFTER_S}
	local app="cancel_${name}_${how}" f="$WORKDIR/case.$name.$how" timeout_sql="" t0 t_cancel="" t_end pid ms msg label
	case $how in
		timeout) timeout_sql="SET statement_timeout = '$(awk "BEGIN{print $after * 1000}")ms';" ;;
		none) timeout_sql="SET statement_timeout = '${CALIBRATE_S}s';" ;;
	esac
	cat >"$f.sql" <<SQL
SET application_name = '$app';
$setup
$timeout_sql
SELECT 'T0=' || extract(epoch FROM clock_timestamp());
$query;
SELECT 'T1=' || extract(epoch FROM clock_timestamp());
SQL
	[ "$(id -u)" -eq 0 ] && chown postgres "$f.sql"
	as_pg timeout "$RETURN_WAIT_S" "$PG_BIN/psql" -X -q -At -h "$WORKDIR" -p "$PORT" -U postgres -d postgres \
		-f "$f.sql" >"$f.out" 2>"$f.err" &
	pid=$!
	SESSION=$pid
	if [ "$how" = cancel ]; then
		t_cancel=$(psql_ -Atc "SELECT cancel_after('$app', $after)" 2>>"$f.err") || t_cancel=""
	fi
	wait "$pid" || true
	SESSION=""
	t0=$(sed -n 's/^T0=//p' "$f.out")
	t_end=$(sed -n 's/^T1=//p' "$f.out")
	if [ "$how" = none ]; then
		if [ -z "$t_end" ]; then
			echo "calibration: $name ($what): no answer"
		elif grep -q "statement timeout" "$f.err"; then
			echo "calibration: $name ($what) runs longer than ${CALIBRATE_S} s"
		else
			echo "calibration: $name ($what) ran $(ms_between "$t0" "$t_end") ms uncanceled"
		fi
		return
	fi
	if [ "$how" = timeout ]; then
		[ -n "$t0" ] && t_cancel=$(awk "BEGIN{printf \"%.6f\", $t0 + $after}")
		msg="canceling statement due to statement timeout"
		label="$name ($what), statement_timeout"
	else
		msg="canceling statement due to user request"
		label="$name ($what), pg_cancel_backend"
	fi
	if [ -z "$t_end" ] || [ -z "$t_cancel" ]; then
		check "$label: the session did not return within ${RETURN_WAIT_S} s or could not be canceled" f
		sed 's/^/    /' "$f.err"
		return
	fi
	if ! grep -q "$msg" "$f.err"; then
		check "$label: ended without \"$msg\" after $(ms_between "$t0" "$t_end") ms (finished before the cancel, or another error)" f
		sed 's/^/    /' "$f.err"
		return
	fi
	ms=$(ms_between "$t_cancel" "$t_end")
	check "$label: returned $ms ms after the cancel (limit $LIMIT_MS)" "$([ "$ms" -lt "$LIMIT_MS" ] && echo t || echo f)"
}

both() {
	# FF_CANCEL_CALIBRATE=1: first how long the statement runs when nobody cancels it
	[ -n "${FF_CANCEL_CALIBRATE:-}" ] && measure "$1" none "$2" "$3" "$4"
	measure "$1" cancel "$2" "$3" "$4"
	measure "$1" timeout "$2" "$3" "$4"
}

# the foreign table scanned again for every outer row (a lateral subquery with a parameter);
# the setup EXPLAINs it first, so that the catalog is built before the measured statement
rescan_of() {
	echo "SELECT sum(x.n) AS cancel_target FROM generate_series(1, 100000) g,
  LATERAL (SELECT count(*) AS n FROM $1 t WHERE t.version + g > 0) x"
}

echo "== local"
both plan "EXPLAIN: catalog of $((COPIES * 5 + 5)) transaction backups" "" \
	"EXPLAIN SELECT count(*) AS cancel_target FROM many_tx"
both plan_manifests "EXPLAIN: catalog of $((BIGMAN_COPIES * 5 + 5)) transaction manifests of 15 MiB" "" \
	"EXPLAIN SELECT count(*) AS cancel_target FROM bigman_tx"
both scan "rescans of the flat archive's events" "EXPLAIN $(rescan_of flat_events);" \
	"$(rescan_of flat_events)"
both tar_index "EXPLAIN: indexing a .tar.gz behind ${JUNK_MIB} MiB of zeros" "" \
	"EXPLAIN SELECT count(*) AS cancel_target FROM junk_tx"
both tar_read "reading a .tar.gz member behind ${JUNK_MIB} MiB of zeros" "EXPLAIN SELECT count(*) FROM junk_tx;" \
	"SELECT count(*) AS cancel_target FROM junk_tx"
if [ -d "$ARCH/rescue" ]; then
	after=0.4 both rescue_read "inflating a 250 MB .json.gz rescue dump" "" \
		"SELECT count(*) AS cancel_target FROM rescue_tx"
	after=0.6 both rescue_index "indexing the elements of a 250 MB .json rescue dump" "" \
		"SELECT count(*) AS cancel_target FROM rescue_plain_tx"
else
	echo "skipped: rescue cases (no v5 sample at $V5_DUMP)"
fi
both zip_read "rescans of .zip members" "EXPLAIN $(rescan_of zip_tx);" \
	"$(rescan_of zip_tx)"

echo "== S3"
if s3env_install "$REPO/build/node" >"$WORKDIR/s3-install.log" 2>&1 && S3_STARTED=1 && s3env_start "$WORKDIR/s3"; then
	node "$REPO/test/s3/upload.js" --endpoint "http://127.0.0.1:$S3RVER_PORT" --bucket forensic \
		--prefix flat/ "$FIXTURES/flat" >/dev/null
	psql_ -v endpoint="http://127.0.0.1:$S3_FRONT_PORT" <<'SQL'
CREATE SERVER s3 FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/flat/', endpoint :'endpoint', part_size '65536', cache_ttl '600',
           request_timeout '60');
CREATE USER MAPPING FOR CURRENT_USER SERVER s3
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE FOREIGN TABLE s3_tx (version bigint, tx_hash text) SERVER s3 OPTIONS (records 'transactions');
SQL
	both s3_scan "rescans over S3" "EXPLAIN $(rescan_of s3_tx);" "$(rescan_of s3_tx)"
	node "$REPO/test/s3/ctl.js" fault '{"match":"254-.chunk","kind":"hang","count":0}' >/dev/null
	both s3_hang "a GET that hangs" "EXPLAIN SELECT count(*) FROM s3_tx;" \
		"SELECT count(*) AS cancel_target FROM s3_tx"
	# planning: a new session lists the bucket and reads the manifests again
	node "$REPO/test/s3/ctl.js" clear >/dev/null
	node "$REPO/test/s3/ctl.js" fault '{"match":"list-type","kind":"hang","count":0}' >/dev/null
	both s3_list_hang "EXPLAIN: a listing that hangs" "" "EXPLAIN SELECT count(*) AS cancel_target FROM s3_tx"
	node "$REPO/test/s3/ctl.js" clear >/dev/null
	node "$REPO/test/s3/ctl.js" fault '{"match":"transaction.manifest","kind":"hang","count":0}' >/dev/null
	both s3_manifest_hang "EXPLAIN: manifest GETs that hang" "" "EXPLAIN SELECT count(*) AS cancel_target FROM s3_tx"
	node "$REPO/test/s3/ctl.js" clear >/dev/null
	check "S3: reads normally afterwards" "$(psql_ -Atc "SELECT count(*) = 1228 FROM s3_tx")"
	s3env_stop
	S3_STARTED=""
else
	echo "skipped: S3 cases (s3rver could not be installed or started; $WORKDIR/s3-install.log)"
fi

check "server log without a crash or leak warning" \
	"$(grep -qE 'terminated by signal|PANIC|leaked|WARNING' "$WORKDIR/server.log" && echo f || echo t)"
echo "cancel: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
