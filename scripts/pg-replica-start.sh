#!/usr/bin/env bash
# Start a hot-standby streaming replica of the test PostgreSQL (scripts/pg-start.sh) on
# 127.0.0.1:55433, with its data under /tmp: a pg_basebackup -R of the primary that replays its
# WAL as it comes, over a physical replication slot so the primary keeps what the replica has not
# received yet. Idempotent: a running replica is only reported, a stopped one started again, and
# one copied from another cluster (the primary was wiped and made anew) is copied again. The
# primary is never restarted or reconfigured: PostgreSQL 15's defaults (wal_level=replica,
# max_wal_senders=10) and initdb's pg_hba.conf (replication from 127.0.0.1) are what it needs.
# The replica is a whole copy: it takes as much disk as the primary, and grows with it.
# The last line is the replica's URL:
#   LONTARA_TEST_PG_REPLICA=$(scripts/pg-replica-start.sh | tail -1) go test ./...
# env: PG_PORT (55432, the primary)  PG_DB (egov)  PG_REPLICA_PORT (55433)
#      PG_REPLICA_BASE (/tmp/lontara-services/pg-replica)  PG_OSUSER (as in pg-start.sh)
#      PG_REPLICA_WAIT (180: seconds to wait for the replica to stream)
# Stop with scripts/pg-replica-stop.sh.
set -euo pipefail

PG_PORT=${PG_PORT:-55432}
PG_DB=${PG_DB:-egov}
PORT=${PG_REPLICA_PORT:-55433}
BASE=${PG_REPLICA_BASE:-/tmp/lontara-services/pg-replica}
DATA=$BASE/data
LOG=$BASE/postgres.log
# One slot per replica port, so a second replica of the same primary has its own.
SLOT=lontara_replica_$PORT

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "pg-replica-start: PostgreSQL is not installed; run scripts/pg-start.sh first" >&2; exit 1; }
if [ "$(id -u)" = 0 ]; then
  PG_OSUSER=${PG_OSUSER:-postgres}
  as_user() { runuser -u "$PG_OSUSER" -- "$@"; }
else
  PG_OSUSER=${PG_OSUSER:-$(id -un)}
  as_user() { "$@"; }
fi
primary() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc "$1"; }
replica() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc "$1"; }

"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 10 ||
  { echo "pg-replica-start: no primary on 127.0.0.1:$PG_PORT; run scripts/pg-start.sh first" >&2; exit 1; }
wal_level=$(primary "SHOW wal_level")
senders=$(primary "SHOW max_wal_senders")
if [ "$wal_level" = minimal ] || [ "$senders" = 0 ]; then
  echo "pg-replica-start: the primary has wal_level=$wal_level, max_wal_senders=$senders: a replica needs" \
    "wal_level=replica and max_wal_senders>0, which take a restart of the primary" >&2
  exit 1
fi

mkdir -p "$BASE"
chown "$PG_OSUSER" "$BASE" 2>/dev/null || true
chmod 700 "$BASE" 2>/dev/null || true

running() { as_user "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# A copy of another cluster (the primary was wiped and initialised again) can never catch up.
if [ -s "$DATA/PG_VERSION" ]; then
  ours=$(as_user "$PGBIN/pg_controldata" -D "$DATA" | sed -n 's/^Database system identifier: *//p')
  theirs=$(primary "SELECT system_identifier FROM pg_control_system()")
  if [ "$ours" != "$theirs" ]; then
    echo "pg-replica-start: $DATA is a copy of another cluster ($ours, primary $theirs); copying again" >&2
    if running; then as_user "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
    rm -rf "$DATA"
  fi
fi

# A stopped replica's slot makes the primary keep its WAL: cap what it may keep, also on a
# primary that pg-start.sh did not start with the cap (a reload applies it, no restart).
if [ "$(primary 'SHOW max_slot_wal_keep_size')" = "-1" ]; then
  primary "ALTER SYSTEM SET max_slot_wal_keep_size = '2GB'" >/dev/null
  primary "SELECT pg_reload_conf()" >/dev/null
fi

if [ ! -s "$DATA/PG_VERSION" ]; then
  # A slot left by a replica whose data is gone would hold WAL on the primary for nothing.
  primary "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SLOT' AND NOT active" >/dev/null
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL written meanwhile;
  # -c fast does not wait for the primary's next scheduled checkpoint; -C -S makes the slot.
  as_user "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$DATA" -R -X stream -c fast \
    -C -S "$SLOT" >"$BASE/basebackup.log" 2>&1 || { cat "$BASE/basebackup.log" >&2; exit 1; }
elif [ -z "$(primary "SELECT 1 FROM pg_replication_slots WHERE slot_name = '$SLOT'")" ]; then
  # The data was kept but its slot dropped: make it again, reserving WAL from now.
  primary "SELECT pg_create_physical_replication_slot('$SLOT', true)" >/dev/null
fi

if ! running; then
  # Durability off as on the primary; hot_standby answers reads during replay, and the feedback
  # keeps the primary's vacuum from removing rows a query on the replica still reads.
  as_user "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $BASE -c fsync=off -c hot_standby=on -c hot_standby_feedback=on" \
    start >/dev/null || { tail -20 "$LOG" >&2; exit 1; }
fi
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 30

[ "$(replica "SELECT pg_is_in_recovery()")" = t ] ||
  { echo "pg-replica-start: 127.0.0.1:$PORT answers but is not in recovery (promoted?); stop it and wipe $BASE" >&2; exit 1; }
# A replica started again first replays the WAL it holds, and only then streams: give it time.
for _ in $(seq 1 "$(( ${PG_REPLICA_WAIT:-180} * 10 ))"); do
  [ "$(replica "SELECT status FROM pg_stat_wal_receiver")" = streaming ] && break
  sleep 0.1
done
[ "$(replica "SELECT status FROM pg_stat_wal_receiver")" = streaming ] ||
  { echo "pg-replica-start: the replica does not stream from 127.0.0.1:$PG_PORT (see $LOG); to copy it" \
    "again: PG_REPLICA_WIPE=1 scripts/pg-replica-stop.sh" >&2; tail -5 "$LOG" >&2; exit 1; }

echo "postgres replica: pid $(head -1 "$DATA/postmaster.pid"), data $DATA, log $LOG, slot $SLOT on 127.0.0.1:$PG_PORT" >&2
echo "postgres://postgres@127.0.0.1:$PORT/$PG_DB?sslmode=disable"
