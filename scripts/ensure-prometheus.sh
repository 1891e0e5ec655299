#!/usr/bin/env bash
# Debian's Prometheus, for the test that scrapes the running services and evaluates every dashboard
# and alert expression (e2e/test/dashboards.int.test.ts). Installs it once; a no-op when present.
set -euo pipefail
command -v prometheus >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "prometheus is missing: install Debian's package 'prometheus' (apt-get install prometheus)" >&2
  exit 1
fi
echo "[prometheus] installing Debian's prometheus (first run only)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# The package's service is not wanted here (tests run their own instance); policy-rc.d keeps it from starting.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
command -v prometheus >/dev/null
