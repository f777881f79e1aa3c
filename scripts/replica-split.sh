#!/usr/bin/env bash
# Where a running Lontara's reads go: runs wrk on each PATH (an API path read with a token) and
# prints, for each, the requests per second and the transactions and rows read meanwhile on the
# primary and on the replica, from pg_stat_database (other users of either server count too: use
# servers of your own). A table in Markdown on standard output.
#   scripts/replica-split.sh /api/v1/reports/helpdesk /api/v1/jp/agencies
# env: LONTARA_URL (http://127.0.0.1:8080)  LONTARA_TOKEN (an API token: lontara token create)
#      LONTARA_DB, LONTARA_DB_READ (the primary's and the replica's postgres:// URLs, as serve has them)
#      SECONDS_EACH (10)
set -euo pipefail
: "${LONTARA_TOKEN:?an API token (lontara token create --email E)}" "${LONTARA_DB:?the primary}" "${LONTARA_DB_READ:?the replica}"
URL=${LONTARA_URL:-http://127.0.0.1:8080}
SECS=${SECONDS_EACH:-10}
PSQL=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
PSQL=${PSQL:-psql}
command -v wrk >/dev/null || { echo "replica-split: wrk is missing (scripts/load-tools.sh installs it)" >&2; exit 1; }
# xact_commit|rows read, of the database the URL names; the snapshot is cleared so the figures are fresh.
stat() { "$PSQL" -X -q -Atc "SELECT pg_stat_clear_snapshot(); SELECT xact_commit, tup_returned + tup_fetched
  FROM pg_stat_database WHERE datname = current_database()" "$1" | tail -1; }
echo "| path | requests/s | primary: transactions, rows read | replica: transactions, rows read |"
echo "|---|---:|---:|---:|"
for path in "$@"; do
  p0=$(stat "$LONTARA_DB"); r0=$(stat "$LONTARA_DB_READ")
  rps=$(wrk -t2 -c4 -d"${SECS}s" -H "Authorization: Bearer $LONTARA_TOKEN" "$URL$path" | sed -n 's/^Requests\/sec: *//p')
  sleep 1 # backends report to pg_stat_database at most once a second
  p1=$(stat "$LONTARA_DB"); r1=$(stat "$LONTARA_DB_READ")
  echo "| \`$path\` | $rps | $(( ${p1%|*} - ${p0%|*} )), $(( ${p1#*|} - ${p0#*|} )) | $(( ${r1%|*} - ${r0%|*} )), $(( ${r1#*|} - ${r0#*|} )) |"
done
