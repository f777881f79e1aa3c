#!/usr/bin/env bash
# Install the HTTP load generator wrk (Debian package) for scripts/bench-api.sh. Idempotent.
set -euo pipefail
if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "load-tools: run as root, or: sudo apt-get install wrk" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache show wrk >/dev/null 2>&1; then apt-get update -q >/dev/null; fi
  apt-get install -y -q --no-install-recommends wrk >/dev/null
fi
echo "wrk: $(wrk -v 2>&1 | head -1 || true)" # wrk -v prints its version and exits 1
