#!/usr/bin/env bash
# Runs the fuzz targets of every parser of outside input, one after the
# other, each for FUZZTIME (10s by default; longer for a real search, e.g.
# FUZZTIME=10m). Arguments name the targets to run (default: all).
# `go test ./...` already runs each target's seeds and its corpus in
# testdata/fuzz/ as ordinary tests; this searches for new inputs. A
# failing input is written to the package's testdata/fuzz/<target>/:
# commit it with the fix, and it stays a regression test.
# Exits non-zero if any target failed.
#   env: FUZZTIME (10s)  how long each target runs
#        LONTARA_TEST_PG the targets that use the store run on PostgreSQL too
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-10s}

# The one list of targets: package, then the fuzz function.
TARGETS=(
  "./internal/org FuzzNIP"
  "./internal/org FuzzImportFile"
  "./internal/inbound FuzzParseText"
  "./internal/channels/mail FuzzParseMail"
  "./internal/channels/whatsapp FuzzWebhook"
  "./internal/markdown FuzzRender"
  "./internal/search FuzzQuery"
  "./internal/server FuzzAPIBody"
)

failed=()
for t in "${TARGETS[@]}"; do
  read -r pkg name <<<"$t"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  printf '\n== %s %s (%s)\n' "$pkg" "$name" "$FUZZTIME"
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$pkg" </dev/null; then
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz targets failed: ${failed[*]} (their inputs are in testdata/fuzz/ of their packages)"
  exit 1
fi
echo "all fuzz targets passed"
