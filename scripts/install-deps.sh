#!/usr/bin/env bash
# install-deps.sh — install the Debian 12 packages forensic_fdw needs to build, test and
# run the demo. Idempotent: calls apt-get only when something is missing. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
	build-essential pkg-config
	postgresql-15 postgresql-server-dev-15 postgresql-contrib postgresql-15-cron
	libcurl4-openssl-dev libssl-dev zlib1g-dev libarchive-dev libjson-c-dev libxml2-dev
	python3 curl
	clang libclang-rt-14-dev
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

# Node.js and npm run the S3 test server (s3rver) and its front: the machine's own when it
# has them (they may come from outside Debian), else Debian's
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all packages present"
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Debian's postgresql-common would create and start a "main" cluster; the tests and the
# demo start their own throwaway instances, so do not let packages start services.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod 755 /usr/sbin/policy-rc.d
	remove_policy=1
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [ "${remove_policy:-0}" = 1 ]; then
	$SUDO rm -f /usr/sbin/policy-rc.d
fi
