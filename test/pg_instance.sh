# pg_instance.sh — sourced by the check scripts that start a PostgreSQL 15 instance of their
# own (concurrency.sh, cancel.sh, workflows.sh): commands as the postgres user when run as
# root (initdb refuses root), a free port, an instance with its socket in a work directory.
# The caller sets WORKDIR (absolute), DATA and PORT (pg_free_port) first.

PG_BIN=/usr/lib/postgresql/15/bin

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A random port in 20000..39999 that nothing listens on (never 5498, a developer's instance).
pg_free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 20000))
		[ "$p" != 5498 ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null &&
			[ ! -e "/tmp/.s.PGSQL.$p" ] && break
	done
	echo "$p"
}

# pg_instance_start [SETTING...]: initdb (trust) into DATA, the settings (postgresql.conf
# lines) after ours (no TCP, the socket in WORKDIR, PORT), then start; logs in WORKDIR.
pg_instance_start() {
	as_pg "$PG_BIN/initdb" -D "$DATA" -A trust -U postgres >"$WORKDIR/initdb.log" 2>&1
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$WORKDIR'"
		echo "port = $PORT"
		printf '%s\n' "$@"
	} >>"$DATA/postgresql.conf"
	as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORKDIR/server.log" -w start >/dev/null
}

pg_instance_stop() {
	[ -f "$DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
}

psql_() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORKDIR" -p "$PORT" -U postgres -d postgres "$@"; }
