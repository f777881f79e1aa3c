#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests, when /usr/bin/chromium is missing (needs root).
# --no-install-recommends keeps it to ~420 MB; fonts-dejavu-core so pages render text in screenshots.
# Idempotent. The tests find the browser at /usr/bin/chromium, or wherever LONTARA_CHROMIUM points.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "chromium-install: run as root, or: sudo apt-get install chromium fonts-dejavu-core" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show chromium >/dev/null 2>&1; then apt-get update -q >/dev/null; fi
apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
