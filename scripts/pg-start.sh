#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 for tests on 127.0.0.1:55432, with its data under /tmp.
# Installs the Debian package `postgresql` when missing (needs root). Idempotent: when the
# cluster is already running it only prints how to reach it. The last line is the URL:
#   LONTARA_TEST_PG=$(scripts/pg-start.sh | tail -1) go test ./...
# env: PG_PORT (55432)  PG_DB (egov)  PG_BASE (/tmp/lontara-services/pg)
#      PG_OSUSER (the OS user that runs the server; `postgres` when run as root, else yourself)
# Stop with scripts/pg-stop.sh.
set -euo pipefail

PG_PORT=${PG_PORT:-55432}
PG_DB=${PG_DB:-egov}
PG_BASE=${PG_BASE:-/tmp/lontara-services/pg}
DATA=$PG_BASE/data
LOG=$PG_BASE/postgres.log

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "pg-start: PostgreSQL is not installed; run as root or: apt-get install postgresql" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  # Update the package lists only when the package is not installable from the ones we have.
  if ! apt-cache show postgresql >/dev/null 2>&1; then apt-get update -q >/dev/null; fi
  apt-get install -y -q --no-install-recommends postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# initdb and postgres refuse to run as root.
if [ "$(id -u)" = 0 ]; then
  PG_OSUSER=${PG_OSUSER:-postgres} # created by the postgresql-common package
  as_user() { runuser -u "$PG_OSUSER" -- "$@"; }
else
  PG_OSUSER=${PG_OSUSER:-$(id -un)}
  as_user() { "$@"; }
fi

mkdir -p "$PG_BASE"
chown "$PG_OSUSER" "$PG_BASE" 2>/dev/null || true
chmod 700 "$PG_BASE" 2>/dev/null || true
as_user test -w "$PG_BASE" -a -x "$PG_BASE" || {
  echo "pg-start: user $PG_OSUSER cannot use $PG_BASE (is a parent directory private, like /root?); set PG_BASE under /tmp" >&2; exit 1; }

if [ ! -s "$DATA/PG_VERSION" ]; then
  # UTF8 with the C.UTF-8 locale (part of Debian's libc): Indonesian names and case-insensitive search need it.
  as_user "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$PG_BASE/initdb.log" 2>&1 || { cat "$PG_BASE/initdb.log" >&2; exit 1; }
fi

if ! as_user "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  # Loopback only; the socket in our own directory; durability off because the data is thrown away.
  # Streaming replicas (scripts/pg-replica-start.sh) need wal_level=replica and WAL senders, PostgreSQL
  # 15's defaults, said here so they stay; the cap on what a slot keeps stops an abandoned replica's
  # slot from filling the disk.
  as_user "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_BASE -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=replica -c max_wal_senders=10 -c max_slot_wal_keep_size=2GB" \
    start >/dev/null || { tail -20 "$LOG" >&2; exit 1; }
fi
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 30

PSQL=("$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres)
if [ -z "$("${PSQL[@]}" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" ]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$PG_DB\" TEMPLATE template0 ENCODING 'UTF8'"
fi

echo "postgres: pid $(head -1 "$DATA/postmaster.pid"), data $DATA, log $LOG" >&2
echo "postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB?sslmode=disable"
