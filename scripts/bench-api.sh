#!/usr/bin/env bash
# API load benchmark on the city data set, loopback only:
#   GET /api/v1/employees?agency_id=ID with a token, wrk -t2 -c64 -d20s, three runs
#   (requests/s and p99 of each, and the medians); the server's RSS idle before the
#   load and at the end of it; start-up time on the existing database (process start
#   until /healthz answers, median of 5).
# Needs wrk (scripts/load-tools.sh) and curl. Results also go to bench-results/api-<time>.txt.
#   env: BENCH_PORT (18180)  BENCH_DB (reuse this database instead of generating one)
#        BENCH_DURATION (20s)  BENCH_CONNS (64)  BENCH_RUNS (3)  BENCH_AGENCY (agency id)
#        BENCH_EMAIL (the account to make the token for; default: the superadmin the demo prints)
#        BENCH_BIN (use this lontara binary instead of building one)
#        BENCH_KEEP=1 keeps the work directory (binary, database, server log)
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18180}
DURATION=${BENCH_DURATION:-20s}
CONNS=${BENCH_CONNS:-64}
RUNS=${BENCH_RUNS:-3}
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/lontara-bench.XXXXXX)
OUT=bench-results/api-$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p bench-results

command -v wrk >/dev/null || { echo "bench-api: wrk is missing; run scripts/load-tools.sh" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench-api: curl is missing" >&2; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "bench-api: something already listens on 127.0.0.1:$PORT; set BENCH_PORT" >&2; exit 1
fi

SERVER=
stop_server() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"
    for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER" 2>/dev/null && kill -KILL "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  fi
  SERVER=
}
cleanup() {
  stop_server
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$OUT"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
rss() { awk '/^VmRSS:/ {printf "%.1f MB", $2/1024}' "/proc/$1/status"; }
peak() { awk '/^VmHWM:/ {printf "%.1f MB", $2/1024}' "/proc/$1/status"; }

# start_server: runs the binary itself (not go run) so $SERVER is the server's own PID,
# and waits until /healthz answers; STARTUP_MS is how long that took.
STARTUP_MS=
start_server() {
  local t0 i
  t0=$(now_ms)
  "$WORK/lontara" serve --addr "127.0.0.1:$PORT" --db "$DB" >>"$WORK/serve.log" 2>&1 </dev/null &
  SERVER=$!
  for i in $(seq 1 3000); do
    if curl -fs -o /dev/null "$BASE/healthz"; then STARTUP_MS=$(($(now_ms) - t0)); return 0; fi
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.005
  done
  echo "bench-api: server did not become healthy; its log:" >&2
  tail -20 "$WORK/serve.log" >&2
  return 1
}

echo "== build"
if [ -n "${BENCH_BIN:-}" ]; then cp "$BENCH_BIN" "$WORK/lontara"; else go build -o "$WORK/lontara" ./cmd/lontara; fi
say "$("$WORK/lontara" version 2>/dev/null | head -1), $(nproc) CPUs, $(uname -srm)"

if [ -n "${BENCH_DB:-}" ]; then
  DB=$BENCH_DB
  echo "== using $DB"
else
  DB=$WORK/city.db
  echo "== generating the city data set"
  t0=$(now_ms)
  "$WORK/lontara" demo --scale city --seed 1 --db "$DB" | tee "$WORK/demo.out"
  say "demo --scale city: $(($(now_ms) - t0)) ms"
fi

# The superadmin the demo printed (on the line that says superadmin, else the first email);
# without one, a superadmin of our own.
email_re='[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+'
EMAIL=${BENCH_EMAIL:-}
if [ -z "$EMAIL" ] && [ -s "$WORK/demo.out" ]; then
  EMAIL=$({ grep -i superadmin "$WORK/demo.out" | grep -oE "$email_re"; grep -oE "$email_re" "$WORK/demo.out"; } | head -1 || true)
fi
if [ -z "$EMAIL" ]; then
  EMAIL=bench-$$@example.org
  head -c 24 /dev/urandom | base64 | "$WORK/lontara" user create --db "$DB" --email "$EMAIL" \
    --name "Bench Superadmin" --role superadmin --password-stdin >/dev/null
fi
TOKEN=$("$WORK/lontara" token create --db "$DB" --email "$EMAIL" | tail -1)
AUTH="Authorization: Bearer $TOKEN"

echo "== start"
start_server
ID=${BENCH_AGENCY:-$(curl -fsS -H "$AUTH" "$BASE/api/v1/agencies?limit=1" | grep -oE '"id": *"?[^",}]+' | head -1 | sed -E 's/"id": *"?//')}
[ -n "$ID" ] || { echo "bench-api: no agency found" >&2; exit 1; }
URL="$BASE/api/v1/employees?agency_id=$ID"
n=$(curl -fsS -H "$AUTH" "$URL" | grep -oE '"id": *"?[^",}]+' | wc -l)
say "target: GET /api/v1/employees?agency_id=$ID ($n items in the first page), wrk -t2 -c$CONNS -d$DURATION"
sleep 1
say "RSS idle after start: $(rss "$SERVER")"

echo "== load"
secs=${DURATION%s}
rps_all=() p99_all=()
for r in $(seq 1 "$RUNS"); do
  # sample RSS one second before the last run ends, while the load is on
  if [ "$r" = "$RUNS" ]; then
    (sleep $((secs - 1)); rss "$SERVER" >"$WORK/rss.load") &
    sampler=$!
  fi
  timeout $((secs + 30)) wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "$AUTH" "$URL" >"$WORK/wrk.$r"
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.$r")
  # the 99% latency line, in ms whatever unit wrk chose
  p99=$(awk '$1 == "99%" {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        m = (u == "us") ? v/1000 : (u == "s") ? v*1000 : (u == "m") ? v*60000 : v; printf "%.2f", m}' "$WORK/wrk.$r")
  errs=$(grep -E 'Non-2xx|Socket errors' "$WORK/wrk.$r" | tr -s ' ' || true)
  say "run $r: $rps requests/s, p99 $p99 ms${errs:+  ($errs)}"
  rps_all+=("$rps") p99_all+=("$p99")
done
if [ -n "${sampler:-}" ]; then wait "$sampler"; fi
say "median: $(printf '%s\n' "${rps_all[@]}" | median) requests/s, p99 $(printf '%s\n' "${p99_all[@]}" | median) ms"
say "RSS at the end of the load: $(cat "$WORK/rss.load"), peak $(peak "$SERVER")"
stop_server

echo "== start-up on the existing database"
times=()
for _ in 1 2 3 4 5; do
  start_server
  times+=("$STARTUP_MS")
  stop_server
done
say "start-up until /healthz answers: ${times[*]} ms, median $(printf '%s\n' "${times[@]}" | median) ms"
echo "results: $OUT"
