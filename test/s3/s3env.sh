# s3env.sh — a bash library that gives the tests a local S3: s3rver (the npm package, a real
# S3 server that checks no signatures) behind test/s3/front.js (SigV4 verification exactly as
# AWS S3 does it, fault injection, an IMDSv2 mock).
#
#   source test/s3/s3env.sh
#   s3env_install DIR        # npm install s3rver@3.7.1 into DIR (once; quiet)
#   s3env_start WORKDIR      # start both; export and write WORKDIR/s3env.vars
#   s3env_stop               # stop both and wait for them (safe to call twice, or never started)
#
# After s3env_start: S3RVER_PORT, S3_FRONT_PORT, S3_IMDS_PORT, S3RVER_PID, S3_FRONT_PID are
# exported (and S3RVER_BIN). The front accepts the credentials
#   AKIAFORENSICTEST:forensic-secret-key
#   AKIATOKENTEST:token-secret-key            with session token token-abc
#   AKIAIMDSTEST:imds-secret-key              with session token imds-token-xyz (also served by IMDS)
# region us-east-1; buckets `forensic` and `public-archive` (readable unsigned).
# Logs: WORKDIR/s3rver.log, WORKDIR/front.log, WORKDIR/front-requests.log (one JSON line a request).
#
# No process outlives the shell that sourced this file: s3env_stop (call it from an EXIT trap)
# stops both, and the front watches that shell and takes s3rver down with it if the shell dies
# without running its traps.
# Safe under `set -euo pipefail`.

S3ENV_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
S3ENV_NODE_DIR=${S3ENV_NODE_DIR:-}

s3env_install() {	# s3env_install DIR
	local dir=${1:?s3env_install DIR}
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	local pkg="$dir/node_modules/s3rver/package.json"
	if [ ! -x "$dir/node_modules/.bin/s3rver" ] ||
		! grep -q '"version": *"3\.7\.1"' "$pkg" 2>/dev/null; then
		if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
			s3rver@3.7.1 >"$dir/npm-install.log" 2>&1; then
			echo "s3env_install: npm install s3rver@3.7.1 failed:" >&2
			cat "$dir/npm-install.log" >&2
			return 1
		fi
	fi
	S3ENV_NODE_DIR=$dir
	export S3RVER_BIN="$dir/node_modules/.bin/s3rver"
}

_s3env_answers() {	# _s3env_answers URL: true when an HTTP server answers there (any status below 500)
	local code
	code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null) || true
	[ -n "$code" ] && [ "$code" != "000" ] && [ "$code" -lt 500 ]
}

_s3env_kill() {		# _s3env_kill PID: TERM, then KILL after 5 s; reaps it when it is our child
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

s3env_start() {		# s3env_start WORKDIR
	local work=${1:?s3env_start WORKDIR}
	if [ -z "$S3ENV_NODE_DIR" ] || [ ! -x "$S3ENV_NODE_DIR/node_modules/.bin/s3rver" ]; then
		echo "s3env_start: call s3env_install DIR first" >&2
		return 1
	fi
	mkdir -p "$work/s3rver"
	work=$(cd "$work" && pwd)
	local i

	# s3rver on a port of its own choosing ("S3rver listening on 127.0.0.1:PORT");
	# --openssl-legacy-provider: it encrypts continuation tokens with DES
	NODE_OPTIONS=--openssl-legacy-provider "$S3ENV_NODE_DIR/node_modules/.bin/s3rver" \
		-d "$work/s3rver" -a 127.0.0.1 -p 0 \
		--configure-bucket forensic --configure-bucket public-archive \
		</dev/null >"$work/s3rver.log" 2>&1 &
	S3RVER_PID=$!
	S3RVER_PORT=""
	for i in $(seq 100); do
		if [ -z "$S3RVER_PORT" ]; then
			S3RVER_PORT=$(sed -n 's/^S3rver listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' \
				"$work/s3rver.log" 2>/dev/null | head -1) || S3RVER_PORT=""
		fi
		[ -n "$S3RVER_PORT" ] && _s3env_answers "http://127.0.0.1:$S3RVER_PORT/forensic?list-type=2&max-keys=1" && break
		if ! kill -0 "$S3RVER_PID" 2>/dev/null || [ "$i" -eq 100 ]; then
			echo "s3env_start: s3rver did not start; $work/s3rver.log:" >&2
			cat "$work/s3rver.log" >&2
			_s3env_kill "$S3RVER_PID"; S3RVER_PID=""
			return 1
		fi
		sleep 0.1
	done

	# the front, on a port of its own choosing; it prints "ready front=PORT imds=PORT"
	node "$S3ENV_LIB_DIR/front.js" --listen 127.0.0.1:0 --upstream "127.0.0.1:$S3RVER_PORT" \
		--region us-east-1 \
		--credentials AKIAFORENSICTEST:forensic-secret-key \
		--credentials AKIATOKENTEST:token-secret-key:token-abc \
		--public-bucket public-archive --virtual-suffix localhost \
		--imds-listen 127.0.0.1:0 --imds-credentials AKIAIMDSTEST:imds-secret-key:imds-token-xyz \
		--log "$work/front-requests.log" --exit-with $$ --kill-on-exit "$S3RVER_PID" \
		</dev/null >"$work/front.log" 2>&1 &
	S3_FRONT_PID=$!
	S3_FRONT_PORT="" S3_IMDS_PORT=""
	for i in $(seq 100); do
		local ready
		ready=$(grep -m1 '^ready front=' "$work/front.log" 2>/dev/null) || true
		if [ -n "$ready" ]; then
			S3_FRONT_PORT=$(sed 's/.*front=\([0-9]*\).*/\1/' <<<"$ready")
			S3_IMDS_PORT=$(sed 's/.*imds=\([0-9]*\).*/\1/' <<<"$ready")
			_s3env_answers "http://127.0.0.1:$S3_FRONT_PORT/__front/health" &&
				_s3env_answers "http://127.0.0.1:$S3_IMDS_PORT/latest/api/token" && break
		fi
		if ! kill -0 "$S3_FRONT_PID" 2>/dev/null || [ "$i" -eq 100 ]; then
			echo "s3env_start: front.js did not start; $work/front.log:" >&2
			cat "$work/front.log" >&2
			s3env_stop
			return 1
		fi
		sleep 0.1
	done

	export S3RVER_PORT S3_FRONT_PORT S3_IMDS_PORT S3RVER_PID S3_FRONT_PID
	export S3RVER_BIN="$S3ENV_NODE_DIR/node_modules/.bin/s3rver"
	{
		echo "S3RVER_PORT=$S3RVER_PORT"
		echo "S3_FRONT_PORT=$S3_FRONT_PORT"
		echo "S3_IMDS_PORT=$S3_IMDS_PORT"
		echo "S3RVER_PID=$S3RVER_PID"
		echo "S3_FRONT_PID=$S3_FRONT_PID"
	} >"$work/s3env.vars"
}

s3env_stop() {		# stops what s3env_start started; harmless when nothing runs
	_s3env_kill "${S3_FRONT_PID:-}"
	_s3env_kill "${S3RVER_PID:-}"
	S3_FRONT_PID="" S3RVER_PID=""
}
