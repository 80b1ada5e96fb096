#!/usr/bin/env bash
# demo.sh — forensic_fdw end to end on a fresh Debian 12 machine: installs the packages,
# builds and installs the extension, generates a synthetic 0L archive, starts a throwaway
# PostgreSQL 15 instance (as the postgres user), runs scripts/demo.sql against it and prints
# the results, then stops the instance and removes everything it made.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

"$REPO/scripts/install-deps.sh"
make -C "$REPO" -s PG_CONFIG=$PG_BIN/pg_config
$SUDO make -C "$REPO" -s PG_CONFIG=$PG_BIN/pg_config install
make -C "$REPO" -s fixturegen

WORK=$(mktemp -d /tmp/forensic_fdw_demo.XXXXXX)
chmod 755 "$WORK"
stop() {
	if [ -f "$WORK/pgdata/postmaster.pid" ]; then
		$SUDO runuser -u postgres -- $PG_BIN/pg_ctl -D "$WORK/pgdata" -m fast -w stop >/dev/null || true
	fi
	$SUDO rm -rf "$WORK"
}
trap stop EXIT

echo "== generating a synthetic archive (flat layout, gzip without suffix, like the real ones)"
"$REPO/build/fixturegen" --out "$WORK/archive" --expected "$WORK/expected" --epochs 60 >/dev/null
chmod -R a+rX "$WORK/archive"
du -sh "$WORK/archive"

echo "== starting a throwaway PostgreSQL 15"
$SUDO chown postgres "$WORK"
$SUDO runuser -u postgres -- $PG_BIN/initdb -D "$WORK/pgdata" -A trust -U postgres >/dev/null
$SUDO runuser -u postgres -- $PG_BIN/pg_ctl -D "$WORK/pgdata" -w -l "$WORK/server.log" \
	-o "-c listen_addresses='' -k $WORK -p 5499" start >/dev/null

echo "== running scripts/demo.sql"
$SUDO runuser -u postgres -- $PG_BIN/psql -X -h "$WORK" -p 5499 -U postgres -d postgres \
	-v ON_ERROR_STOP=1 -v archive="$WORK/archive" -e -f "$REPO/scripts/demo.sql"
