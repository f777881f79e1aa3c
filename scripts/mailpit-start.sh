#!/usr/bin/env bash
# Outbound-mail sink for Lontara's email tests: Mailpit (github.com/axllent/mailpit, MIT), built with `go install` from the
# Go module proxy. The app sends to SMTP 127.0.0.1:$MAILPIT_SMTP_PORT (any/no AUTH accepted, no TLS);
# tests assert through the HTTP API on 127.0.0.1:$MAILPIT_HTTP_PORT.
# Idempotent: if the recorded PID is alive it only prints the endpoints; otherwise starts with an EMPTY mailbox.
# Stop: ./mailpit-stop.sh  (kills the recorded PID)
#   env: MAILPIT_SMTP_PORT(1025) MAILPIT_HTTP_PORT(8025) MAILPIT_BASE MAILPIT_VERSION(v1.33.1) MAILPIT_BIN
set -euo pipefail
# alive and not a zombie (an exited child can stay a zombie for a while until PID 1 reaps it)
running() { [ -n "${1:-}" ] && [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
MAILPIT_SMTP_PORT=${MAILPIT_SMTP_PORT:-1025}
MAILPIT_HTTP_PORT=${MAILPIT_HTTP_PORT:-8025}
MAILPIT_BASE=${MAILPIT_BASE:-/tmp/lontara-services/mailpit}
MAILPIT_VERSION=${MAILPIT_VERSION:-v1.33.1}          # v1.33.x needs Go >= 1.26.0 (its go.mod)
MAILPIT_BIN=${MAILPIT_BIN:-$(go env GOPATH)/bin/mailpit}

if [ ! -x "$MAILPIT_BIN" ]; then
  # ~40 s cold (downloads ~100 MB of modules incl. modernc sqlite, pure Go, no cgo), 35 MB binary
  GOBIN=$(dirname "$MAILPIT_BIN") go install "github.com/axllent/mailpit@$MAILPIT_VERSION"
fi
mkdir -p "$MAILPIT_BASE"
PIDF=$MAILPIT_BASE/mailpit.pid
API=http://127.0.0.1:$MAILPIT_HTTP_PORT

if ! { [ -s "$PIDF" ] && running "$(cat "$PIDF")"; }; then
  rm -f "$MAILPIT_BASE"/mailpit.db*          # throwaway mailbox
  # --disable-version-check / --smtp-disable-rdns: no outside network (GitHub API, DNS) needed or tried.
  "$MAILPIT_BIN" --smtp "127.0.0.1:$MAILPIT_SMTP_PORT" --listen "127.0.0.1:$MAILPIT_HTTP_PORT" \
      --database "$MAILPIT_BASE/mailpit.db" --max 5000 \
      --smtp-auth-accept-any --smtp-auth-allow-insecure --smtp-disable-rdns --disable-version-check \
      > "$MAILPIT_BASE/mailpit.log" 2>&1 < /dev/null &
  echo $! > "$PIDF"
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$API/readyz" 2>/dev/null && break
    running "$(cat "$PIDF")" || break
    sleep 0.1
  done
fi
curl -fsS -o /dev/null "$API/readyz" || { echo "mailpit not ready" >&2; tail -20 "$MAILPIT_BASE/mailpit.log" >&2; exit 1; }

echo "mailpit: pid $(cat "$PIDF")  log $MAILPIT_BASE/mailpit.log"
echo "SMTP_ADDR=127.0.0.1:$MAILPIT_SMTP_PORT   (no TLS; any AUTH PLAIN/LOGIN user+password accepted)"
echo "MAILPIT_API=$API   list: GET /api/v1/messages   one: GET /api/v1/message/{ID|latest}   raw: .../raw"
echo "                   search: GET /api/v1/search?query=to:x@y subject:z   wipe: DELETE /api/v1/messages"
# The last line, for tests: LONTARA_TEST_SMTP_SINK=$(scripts/mailpit-start.sh | tail -1)  (SMTP address,API address)
echo "127.0.0.1:$MAILPIT_SMTP_PORT,$API"
