#!/usr/bin/env bash
# Install what scripts/bench.sh drives besides lontara: the HTTP load
# generator wrk and nginx, the load balancer in front of two nodes (Debian
# packages). Idempotent.
set -euo pipefail
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "load-tools: run as root, or: sudo apt-get install ${missing[*]}" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then apt-get update -q >/dev/null; fi
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "wrk: $(wrk -v 2>&1 | head -1 || true)" # wrk -v prints its version and exits 1
echo "nginx: $(/usr/sbin/nginx -v 2>&1)"
