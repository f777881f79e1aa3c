#!/usr/bin/env bash
# Stop the replica started by scripts/pg-replica-start.sh, by the PID in its postmaster.pid.
# Idempotent. Its data and its replication slot on the primary are kept, so a start resumes where
# it stopped; PG_REPLICA_WIPE=1 deletes the data and drops the slot, which otherwise keeps WAL on
# the primary (up to max_slot_wal_keep_size) until the replica comes back.
# env: PG_PORT (55432, the primary)  PG_REPLICA_PORT (55433)  PG_REPLICA_BASE (/tmp/lontara-services/pg-replica)
set -uo pipefail
PG_PORT=${PG_PORT:-55432}
PORT=${PG_REPLICA_PORT:-55433}
BASE=${PG_REPLICA_BASE:-/tmp/lontara-services/pg-replica}
PIDFILE=$BASE/data/postmaster.pid
SLOT=lontara_replica_$PORT

# alive and not a zombie (an exited child stays a zombie until its parent reaps it)
running() { [ -n "${1:-}" ] && [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

if [ -s "$PIDFILE" ]; then
  pid=$(head -1 "$PIDFILE")
  if running "$pid"; then
    kill -INT "$pid" # SIGINT is PostgreSQL's "fast" shutdown
    for _ in $(seq 1 100); do running "$pid" || break; sleep 0.1; done
    if running "$pid"; then
      echo "pg-replica-stop: postgres $pid did not stop; sending SIGQUIT" >&2
      kill -QUIT "$pid"
      for _ in $(seq 1 50); do running "$pid" || break; sleep 0.1; done
    fi
    if running "$pid"; then
      echo "pg-replica-stop: postgres $pid is still running; not wiping its data" >&2
      exit 1
    fi
    echo "postgres replica $pid stopped"
  fi
fi
if [ "${PG_REPLICA_WIPE:-0}" = 1 ]; then
  rm -rf "$BASE"
  PSQL=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
  if [ -n "$PSQL" ]; then
    # The primary's walsender lets go of the slot a moment after the replica is gone.
    for _ in $(seq 1 50); do
      left=$("$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc \
        "SELECT active FROM pg_replication_slots WHERE slot_name = '$SLOT'" 2>/dev/null) || break
      [ -z "$left" ] && break
      if [ "$left" = f ]; then
        "$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc \
          "SELECT pg_drop_replication_slot('$SLOT')" >/dev/null && echo "slot $SLOT dropped"
        break
      fi
      sleep 0.1
    done
    # A walsender that has not noticed yet is ended, so the slot never stays behind.
    if [ "$left" = t ]; then
      "$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc \
        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null
      sleep 0.5
      "$PSQL" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc \
        "SELECT pg_drop_replication_slot('$SLOT')" >/dev/null && echo "slot $SLOT dropped" ||
        echo "pg-replica-stop: slot $SLOT is left on the primary; drop it with pg_drop_replication_slot" >&2
    fi
  fi
fi
exit 0
