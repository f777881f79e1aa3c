# Shell functions shared by scripts/bench.sh and scripts/soak.sh (sourced,
# not run). They expect, set by the script: WORK (a scratch directory
# holding the built binary lontara), RAW (where raw outputs go), PG (the
# PostgreSQL server holding the databases), PORT (the first node's port),
# OUT (the results file), and, once a data set is chosen, ENGINE and DB.

median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
pgurl() { echo "$PG/$1?sslmode=disable"; }
psqlc() { psql "$(pgurl postgres)" -v ON_ERROR_STOP=1 -Atqc "$1"; }

# The processes the script started and the databases it made, which
# cleanup (the scripts' EXIT trap) stops and drops.
SERVERS=() NGINX= DROP=()
stop_pid() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
stop_all() {
  if [ -n "$NGINX" ]; then stop_pid "$NGINX"; NGINX=; fi
  for p in "${SERVERS[@]}"; do stop_pid "$p"; done
  SERVERS=()
}
cleanup() {
  stop_all
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept: $WORK ${DROP[*]}"; return; fi
  for d in "${DROP[@]}"; do psqlc "DROP DATABASE IF EXISTS $d" || true; done
  rm -rf "$WORK"
}

# --- data sets -------------------------------------------------------------

# load_city NAME sets DB to a new database NAME (a file NAME.db in WORK on
# SQLite) with `lontara demo --scale city` loaded, its output in RAW.
load_city() {
  if [ "$ENGINE" = postgres ]; then
    psqlc "DROP DATABASE IF EXISTS $1" && psqlc "CREATE DATABASE $1"
    DROP+=("$1") DB=$(pgurl "$1")
  else
    DB=$WORK/$1.db
  fi
  "$WORK/lontara" demo --scale city --seed 1 --db "$DB" >"$RAW/demo-$1-$ENGINE.txt"
}

# copy_db SOURCE NAME sets DB to a copy NAME of a loaded data set: on
# PostgreSQL a database made from the template SOURCE (no one may be
# connected to it meanwhile), on SQLite a backup of the file SOURCE.
copy_db() {
  if [ "$ENGINE" = postgres ]; then
    psqlc "DROP DATABASE IF EXISTS $2"
    psqlc "CREATE DATABASE $2 TEMPLATE $1 STRATEGY FILE_COPY"
    DROP+=("$2") DB=$(pgurl "$2")
  else
    DB=$WORK/$2.db
    sqlite3 "$1" ".backup '$DB'"
  fi
}

# sql QUERY prints the rows of QUERY on the current DB.
sql() { if [ "$ENGINE" = postgres ]; then psql "$DB" -Atqc "$1"; else sqlite3 "$DB" "$1"; fi; }

# account ROLE prints the email of a demo account for the journeys: an agent
# in a team, an executive, or an employee with no other role.
account() {
  local base="SELECT e.email FROM employees e JOIN accounts a ON a.employee_id = e.id WHERE a.active AND"
  case $1 in
  agent) sql "$base EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role = 'agent')
    AND EXISTS (SELECT 1 FROM team_members t WHERE t.account_id = a.id) ORDER BY a.id LIMIT 1" ;;
  executive) sql "$base EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role = 'executive') ORDER BY a.id LIMIT 1" ;;
  employee) sql "$base NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role <> 'employee')
    ORDER BY a.id LIMIT 1 OFFSET 500" ;;
  esac
}

# password EMAIL sets a new password for the account (the copy's, never the
# loaded original's) and prints it.
password() {
  "$WORK/lontara" user reset-password --db "$DB" --email "$1" | sed -n 's/^new password (shown once): //p'
}

# --- servers ---------------------------------------------------------------

# start_node PORT starts lontara serve on PORT and waits until it answers;
# STARTUP_MS is how long that took.
STARTUP_MS=
start_node() {
  local t0
  t0=$(date +%s%N)
  "$WORK/lontara" serve --addr "127.0.0.1:$1" --db "$DB" --trusted-proxies 127.0.0.1 \
    >>"$WORK/serve-$1.log" 2>&1 </dev/null &
  SERVERS+=($!)
  for _ in $(seq 1 1200); do
    if curl -fs -o /dev/null "http://127.0.0.1:$1/healthz"; then STARTUP_MS=$((($(date +%s%N) - t0) / 1000000)); return 0; fi
    kill -0 "${SERVERS[-1]}" 2>/dev/null || break
    sleep 0.02
  done
  echo "${0##*/}: the server on :$1 did not start; its log:" >&2
  tail -20 "$WORK/serve-$1.log" >&2
  exit 1
}

# session EMAIL PASSWORD signs in on the first node and prints the session cookie.
session() {
  local csrf=0123456789abcdef0123456789abcdef
  curl -fsS -o /dev/null -D - -b "lontara_csrf=$csrf" --data-urlencode "email=$1" --data-urlencode "password=$2" \
    --data-urlencode "csrf=$csrf" "http://127.0.0.1:$PORT/masuk" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(lontara_session=[^;]*\).*/\1/p'
}

# --- results ---------------------------------------------------------------

# field NAME reads NAME=value from the BENCH line (bench/wrk/common.lua) in $line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }

# measured prints where and when a section was measured.
measured() {
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' || echo ' (with changes)');" \
    "$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM," \
    "Linux $(uname -r), $(go version | awk '{print $3}'); load average at start ${LOAD:-$(cut -d' ' -f1-3 /proc/loadavg)}."
}

# section NAME CONTENT-FILE replaces (or appends) the section NAME of $OUT.
section() {
  local start="<!-- bench:$1 -->" end="<!-- /bench:$1 -->"
  touch "$OUT"
  if grep -qF "$start" "$OUT"; then
    awk -v s="$start" -v e="$end" -v f="$2" '
      $0 == s {print; while ((getline l < f) > 0) print l; skip = 1; next}
      $0 == e {skip = 0} !skip' "$OUT" >"$OUT.new"
  else
    { cat "$OUT"; echo; echo "$start"; cat "$2"; echo "$end"; } >"$OUT.new"
  fi
  mv "$OUT.new" "$OUT"
}
