#!/usr/bin/env bash
# Stop the PostgreSQL started by scripts/pg-start.sh, by the PID in its postmaster.pid. Idempotent.
# env: PG_BASE (/tmp/lontara-services/pg)   PG_WIPE=1 also deletes its data
set -uo pipefail
PG_BASE=${PG_BASE:-/tmp/lontara-services/pg}
PIDFILE=$PG_BASE/data/postmaster.pid

# alive and not a zombie (an exited child stays a zombie until its parent reaps it)
running() { [ -n "${1:-}" ] && [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

if [ -s "$PIDFILE" ]; then
  pid=$(head -1 "$PIDFILE")
  if running "$pid"; then
    kill -INT "$pid" # SIGINT is PostgreSQL's "fast" shutdown
    for _ in $(seq 1 100); do running "$pid" || break; sleep 0.1; done
    if running "$pid"; then
      echo "pg-stop: postgres $pid did not stop; sending SIGQUIT" >&2
      kill -QUIT "$pid"
    fi
    echo "postgres $pid stopped"
  fi
fi
if [ "${PG_WIPE:-0}" = 1 ]; then rm -rf "$PG_BASE"; fi
exit 0
