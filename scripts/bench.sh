#!/usr/bin/env bash
# The benchmark suite, on demand (not in CI): the HTTP journeys under wrk on
# each engine and scale, two nodes behind nginx against one, and a chosen set
# of the Go benchmarks. It writes its tables into bench/results.md (a run
# replaces the sections it measured and keeps the others) and the raw outputs
# under bench/raw/ (gitignored).
#
#   scripts/bench.sh                          # city scale, SQLite and PostgreSQL
#   BENCH_SCALE=ministry BENCH_ENGINES=postgres scripts/bench.sh
#
# Journeys (BENCH_JOURNEYS, default all; clients per journey in brackets):
#   signin     POST /masuk, form and CSRF token, as a browser [4]
#   ticket     POST /api/v1/tickets as an employee, with a token [32]
#   queue      GET /layanan, the agent's queue page, signed in [16]
#   search     GET /api/v1/search?q=… as an employee, queries from bench/wrk/queries.txt [16]
#   gaps       GET /kompetensi/kesenjangan, the city's gap analysis, as an executive [4]
#   dashboard  GET /dasbor, the executive's LO dashboard [16]
#   employees  GET /api/v1/employees?agency_id=…, the largest agency's first page, as an executive [64]
# Each section also gives the server's start-up time on the prepared database
# (process start until /healthz answers).
#
# Data sets. city: `lontara demo --scale city` into a new SQLite file, and into
# a new PostgreSQL database bench_city. ministry: loading takes minutes, so an
# existing data set is copied and the copy is used (the journeys write
# sessions, tokens and tickets): PostgreSQL `CREATE DATABASE bench_ministry
# TEMPLATE ministry` (no one may be connected to ministry meanwhile), SQLite a
# copy of BENCH_MINISTRY_SQLITE. The copies are dropped at the end.
#
# Environment:
#   BENCH_ENGINES (sqlite postgres)  BENCH_SCALE (city; also ministry)  BENCH_JOURNEYS (all)
#   BENCH_DURATION (10s) and BENCH_RUNS (3): each journey runs RUNS times; medians and ranges
#   BENCH_CONNS_<journey> (the clients above)  BENCH_PORT (18280, and the next six)
#   BENCH_PG (postgres://postgres@127.0.0.1:55432): the server holding the databases
#   BENCH_MINISTRY_PG (ministry): the loaded database to copy
#   BENCH_MINISTRY_SQLITE (/tmp/lontara-ministry.db): the loaded file to copy (skipped if absent)
#   BENCH_TWO_NODES (1): on PostgreSQL, ticket and search again through nginx to one node and to two
#     (two as started by default, and two with GOMAXPROCS at half the cores each)
#   BENCH_HTTP (1): run the HTTP journeys (0: only the Go benchmarks; on a ministry copy still made)
#   BENCH_GO (1): run the Go benchmarks (BENCH_GO_COUNT, 3); BENCH_GO_LIST replaces GO_BENCHES below
#     ("pkg pattern benchtime;…", empty for none: then only the ministry ones run on a ministry copy)
#   BENCH_OUT (bench/results.md)  BENCH_KEEP=1 keeps the work directory and databases
# Needs wrk and nginx (Debian packages: scripts/load-tools.sh), curl, sqlite3, psql.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
ENGINES=${BENCH_ENGINES:-sqlite postgres}
SCALES=${BENCH_SCALE:-city}
JOURNEYS=${BENCH_JOURNEYS:-signin ticket queue search gaps dashboard employees}
DURATION=${BENCH_DURATION:-10s}
RUNS=${BENCH_RUNS:-3}
PORT=${BENCH_PORT:-18280}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:55432}
MINISTRY_PG=${BENCH_MINISTRY_PG:-ministry}
MINISTRY_SQLITE=${BENCH_MINISTRY_SQLITE:-/tmp/lontara-ministry.db}
OUT=${BENCH_OUT:-bench/results.md}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=bench/raw/$STAMP
WORK=$(mktemp -d /tmp/lontara-bench.XXXXXX)
export BENCH_LUA=$ROOT/bench/wrk
mkdir -p "$RAW"
. scripts/bench-lib.sh

for tool in wrk curl; do command -v $tool >/dev/null || { echo "bench: $tool is missing (scripts/load-tools.sh)" >&2; exit 1; }; done

conns() { local v="BENCH_CONNS_$1"; echo "${!v:-$(case $1 in signin | gaps) echo 4 ;; ticket) echo 32 ;; employees) echo 64 ;; *) echo 16 ;; esac)}"; }
range() { sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {print lo "–" hi}'; }

trap cleanup EXIT

# --- data sets -------------------------------------------------------------

# prepare SCALE ENGINE sets DB to a database the journeys may write into.
prepare() {
  ENGINE=$2
  case "$1/$2" in
  city/*) load_city bench_city ;;
  ministry/postgres) copy_db "$MINISTRY_PG" bench_ministry ;;
  ministry/sqlite)
    [ -f "$MINISTRY_SQLITE" ] || { echo "bench: no $MINISTRY_SQLITE; ministry on SQLite skipped"; return 1; }
    copy_db "$MINISTRY_SQLITE" ministry ;;
  *) echo "bench: unknown scale/engine $1/$2" >&2; exit 1 ;;
  esac
  "$WORK/lontara" migrate --db "$DB" >/dev/null
  if [ "$1" = ministry ]; then GO_MINISTRY_DBS+=("$DB"); fi
}

# --- servers ---------------------------------------------------------------

# start_nginx ONE TWO SPLIT NODE1 NODE2 NODE3 NODE4 runs nginx in the
# foreground of its own work directory: port ONE forwards to NODE1, port TWO
# to NODE1 and NODE2, port SPLIT to NODE3 and NODE4, round robin.
start_nginx() {
  mkdir -p "$WORK/nginx/tmp"
  sed -e "s|@DIR@|$WORK/nginx|g" -e "s|@ONE@|$1|" -e "s|@TWO@|$2|" -e "s|@SPLIT@|$3|" \
    -e "s|@NODE1@|$4|g" -e "s|@NODE2@|$5|" -e "s|@NODE3@|$6|" -e "s|@NODE4@|$7|" \
    bench/nginx.conf.in >"$WORK/nginx/nginx.conf"
  /usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>>"$WORK/nginx/stderr" &
  NGINX=$!
  for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "http://127.0.0.1:$1/healthz" && curl -fs -o /dev/null "http://127.0.0.1:$2/healthz" &&
      curl -fs -o /dev/null "http://127.0.0.1:$3/healthz"; then return 0; fi
    sleep 0.05
  done
  echo "bench: nginx did not start" >&2
  cat "$WORK/nginx/stderr" "$WORK/nginx/error.log" >&2 || true
  exit 1
}

# --- journeys --------------------------------------------------------------

# setup_journeys fills, per journey, the wrk script, its environment and header.
declare -A SCRIPT HEADER EXPECT PATHS
setup_journeys() {
  local agent exec emp pw_agent pw_exec pw_emp
  agent=$(account agent) exec=$(account executive) emp=$(account employee)
  [ -n "$agent" ] && [ -n "$exec" ] && [ -n "$emp" ] || { echo "bench: no agent, executive or employee account" >&2; exit 1; }
  pw_agent=$(password "$agent") pw_exec=$(password "$exec") pw_emp=$(password "$emp")
  EMP=$emp PW_EMP=$pw_emp
  local tok_emp tok_exec agency
  tok_emp=$("$WORK/lontara" token create --db "$DB" --email "$emp" 2>/dev/null | tail -1)
  tok_exec=$("$WORK/lontara" token create --db "$DB" --email "$exec" 2>/dev/null | tail -1)
  agency=$(sql "SELECT agency_id FROM employees GROUP BY agency_id ORDER BY count(*) DESC, agency_id LIMIT 1")
  start_node "$PORT"
  local s_agent s_exec
  s_agent=$(session "$agent" "$pw_agent") s_exec=$(session "$exec" "$pw_exec")
  [ -n "$s_agent" ] && [ -n "$s_exec" ] || { echo "bench: could not sign in" >&2; exit 1; }
  echo "accounts: agent $agent, executive $exec, employee $emp" >>"$RAW/$SECTION.txt"
  SCRIPT=([signin]=signin [ticket]=ticket [queue]=get [search]=get [gaps]=get [dashboard]=get [employees]=get)
  EXPECT=([signin]=303 [ticket]=201 [queue]=200 [search]=200 [gaps]=200 [dashboard]=200 [employees]=200)
  HEADER=([signin]="X-Bench: signin" [ticket]="Authorization: Bearer $tok_emp" [queue]="Cookie: $s_agent"
    [search]="Authorization: Bearer $tok_emp" [gaps]="Cookie: $s_exec" [dashboard]="Cookie: $s_exec" [employees]="Authorization: Bearer $tok_exec")
  echo /layanan >"$WORK/queue.paths"
  echo /kompetensi/kesenjangan >"$WORK/gaps.paths"
  echo /dasbor >"$WORK/dashboard.paths"
  echo "/api/v1/employees?agency_id=$agency" >"$WORK/employees.paths"
  sed 's/ /+/g; s|^|/api/v1/search?q=|' bench/wrk/queries.txt >"$WORK/search.paths"
  PATHS=([queue]="$WORK/queue.paths" [search]="$WORK/search.paths" [gaps]="$WORK/gaps.paths"
    [dashboard]="$WORK/dashboard.paths" [employees]="$WORK/employees.paths")
  # Every page must answer 200 before it is measured. The first request
  # may fill a cold cache (the dashboard's LO index at ministry scale), so
  # it is timed and reported, and tried up to three times: a computation
  # cut off by the server's write timeout goes on in the background.
  local j p try res
  FIRST=
  for j in queue search gaps dashboard employees; do
    p=$(head -1 "${PATHS[$j]}")
    for try in 1 2 3; do
      res=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 900 -H "${HEADER[$j]}" "http://127.0.0.1:$PORT$p" || true)
      FIRST+="$j ${res% *} after ${res#* } s; "
      [ "${res% *}" = 200 ] && break
    done
    [ "${res% *}" = 200 ] || { echo "bench: $j ($p) does not answer 200: $FIRST" >&2; exit 1; }
  done
  echo "first requests: $FIRST" >>"$RAW/$SECTION.txt"
}

# peak_rss PID... samples the servers' resident memory five times a second
# until killed, and prints the highest total in MB.
peak_rss() {
  local top=0 now p v
  trap 'echo $((top / 1024)); exit 0' TERM
  while :; do
    now=0
    for p in "$@"; do
      v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
      now=$((now + ${v:-0}))
    done
    [ "$now" -gt "$top" ] && top=$now
    sleep 0.2
  done
}

m() { printf '%s\n' "$@" | median; }

# ticks PID... prints "pid ticks" (user + system CPU, in clock ticks) for
# each process still there.
# The first line is a marker, so that an empty list is still a file of its own to awk.
ticks() { local p; echo "- 0"; for p in "$@"; do awk -v p="$p" '{print p, $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done; }
# pg_ticks prints the CPU (clock ticks) the whole PostgreSQL server has used
# so far, background workers included: the postmaster's own, its children's
# that have ended (their times pass to it), and its live children's. Counting
# only the live backends missed most of it: a client that hangs up mid-query
# (wrk at the end of every run) makes the server cancel the query, and the
# database driver then closes that connection, so its backend ends. Prints 0
# on SQLite, and for a server on another machine.
pg_ticks() {
  [ "$ENGINE" = postgres ] || { echo 0; return; }
  local pm t c
  # The checkpointer lives as long as the server; its parent is the postmaster.
  pm=$(awk '/^PPid:/ {print $2}' "/proc/$(psqlc "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")/status" 2>/dev/null || true)
  [ -n "$pm" ] && [ -r "/proc/$pm/stat" ] || { echo 0; return; }
  t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
  for c in $(pgrep -P "$pm"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
# cpu_ms BEFORE-FILE PID... prints the CPU milliseconds the processes used
# since BEFORE-FILE was written by ticks (all of it for processes new since).
cpu_ms() {
  local before=$1
  shift
  ticks "$@" | awk -v hz="$(getconf CLK_TCK)" 'NR == FNR {b[$1] = $2; next} {t += $2 - b[$1]} END {printf "%.0f", t * 1000 / hz}' "$before" -
}

# run_journey J LABEL URL [LABEL URL]... runs J RUNS times against each URL,
# alternating between them run by run (so a change in the machine's load
# falls on all of them alike), and prints one table row per LABEL.
run_journey() {
  local j=$1 c r i out line label url
  shift
  local -A RPS P50 P95 P99 BAD RSS CPU PGCPU N
  c=$(conns "$j")
  for r in $(seq 1 "$RUNS"); do
    for ((i = 1; i < $#; i += 2)); do
      label=${!i} url=${@:i+1:1}
      out=$RAW/$SECTION-${label//[^a-z0-9]/_}-$r.txt
      ticks "${SERVERS[@]}" >"$WORK/cpu.lontara"
      local pg0
      pg0=$(pg_ticks)
      peak_rss "${SERVERS[@]}" >"$WORK/rss" &
      local sampler=$!
      BENCH_EXPECT=${EXPECT[$j]} BENCH_PATHS=${PATHS[$j]:-} BENCH_EMAIL=$EMP BENCH_PASSWORD=$PW_EMP \
        timeout 600 wrk -t2 -c"$c" -d"$DURATION" --timeout 30s -s "bench/wrk/${SCRIPT[$j]}.lua" \
        -H "${HEADER[$j]}" "$url" >"$out" 2>&1 || true
      kill -TERM $sampler
      wait $sampler || true
      line=$(grep '^BENCH ' "$out") || { echo "bench: wrk failed for $j:" >&2; cat "$out" >&2; exit 1; }
      RPS[$label]+=" $(field rps)" P50[$label]+=" $(field p50_ms)" P95[$label]+=" $(field p95_ms)"
      P99[$label]+=" $(field p99_ms)" RSS[$label]+=" $(cat "$WORK/rss")"
      CPU[$label]+=" $(cpu_ms "$WORK/cpu.lontara" "${SERVERS[@]}")" PGCPU[$label]+=" $((($(pg_ticks) - pg0) * 1000 / $(getconf CLK_TCK)))"
      BAD[$label]=$((${BAD[$label]:-0} + $(field bad) + $(field errors))) N[$label]=$((${N[$label]:-0} + $(field requests)))
      echo "  $label run $r: $line" | tee -a "$RAW/$SECTION.txt" >&2
    done
  done
  for ((i = 1; i < $#; i += 2)); do
    label=${!i}
    printf '| %s | %s | %s (%s) | %s | %s | %s (%s) | %s | %s | %s | %s |\n' "$label" "$c" \
      "$(m ${RPS[$label]})" "$(printf '%s\n' ${RPS[$label]} | range)" "$(m ${P50[$label]})" "$(m ${P95[$label]})" \
      "$(m ${P99[$label]})" "$(printf '%s\n' ${P99[$label]} | range)" "${BAD[$label]}" "$(m ${RSS[$label]})" \
      "$(per "${N[$label]}" ${CPU[$label]})" "$([ "$ENGINE" = postgres ] && per "${N[$label]}" ${PGCPU[$label]} || echo —)"
  done
}

# per N MS... prints the milliseconds per request of N requests.
per() { local n=$1; shift; printf '%s\n' "$@" | awk -v n="$n" '{t += $1} END {printf "%.2f", n ? t / n : 0}'; }

declare -A ROUTE
ROUTE=([signin]="POST /masuk" [ticket]="POST /api/v1/tickets" [queue]="GET /layanan" [search]="GET /api/v1/search"
  [gaps]="GET /kompetensi/kesenjangan" [dashboard]="GET /dasbor" [employees]="GET /api/v1/employees?agency_id=…")

TABLE_HEAD='| journey | clients | requests/s median (range) | p50 ms | p95 ms | p99 ms median (range) | failed | server RSS peak MB | server CPU ms/request | PostgreSQL CPU ms/request |
|---|---|---|---|---|---|---|---|---|---|'

# context prints where and when a section was measured.
context() {
  measured
  [ "${1:-}" = http ] || return 0
  echo "wrk -t2 for $DURATION, $RUNS runs a journey (medians, and ranges over the runs); wrk and the server share the machine," \
    "and so do other people's jobs when the load average is high. Server CPU ms/request is the CPU time the lontara processes" \
    "used over the runs divided by the requests: unlike the rates it hardly depends on what else the machine runs, so" \
    "2,000 / (that + PostgreSQL's share) bounds what two idle cores could do. PostgreSQL's share is the whole server's" \
    "(background work such as autovacuum included) over the runs, divided by the same requests."
}

bench_http() {
  local scale=$1
  ENGINE=$2 SECTION=$1-$2
  echo "== $SECTION: preparing the data set"
  prepare "$scale" "$ENGINE" || return 0
  setup_journeys
  local body=$WORK/$SECTION.md j
  {
    echo "### HTTP journeys, $scale scale, $([ "$ENGINE" = postgres ] && echo PostgreSQL || echo SQLite)"
    echo
    context http
    echo "First requests, before the runs (status, time; a status 000 is a connection the server cut at its 60 s write timeout): $FIRST"
    echo
    echo "One node (\`lontara serve\`, defaults; it answered /healthz ${STARTUP_MS} ms after it started). Rows: $(for j in $JOURNEYS; do printf '%s `%s`; ' "$j" "${ROUTE[$j]}"; done)"
    echo
    echo "$TABLE_HEAD"
  } >"$body"
  for j in $JOURNEYS; do
    echo "== $SECTION: $j" >&2
    run_journey "$j" "$j" "http://127.0.0.1:$PORT" >>"$body"
  done
  if [ "$ENGINE" = postgres ] && [ "${BENCH_TWO_NODES:-1}" = 1 ]; then two_nodes "$body"; fi
  stop_all
  section "$SECTION" "$body"
}

# two_nodes BODY measures ticket creation and search through nginx to one
# node and to two nodes on the same database: one nginx listens on three
# ports, the first forwarding to node 1 only, the second to nodes 1 and 2 in
# turn, the third to nodes 3 and 4, each started with GOMAXPROCS at half the
# cores, as two machines of half the size would be; the runs alternate
# between them. The nodes a run does not use idle through it.
two_nodes() {
  local body=$1 j one two split ratios= half=$(($(nproc) / 2 > 0 ? $(nproc) / 2 : 1))
  {
    echo
    echo "Two nodes against one, on the same database, behind nginx (\`bench/nginx.conf.in\`: one worker, round robin," \
      "keep-alive to the nodes); one-node and two-node runs alternate. \"2 nodes\" are two nodes as started by default," \
      "each with all $(nproc) cores for its Go scheduler (GOMAXPROCS); \"2 nodes, $half cores each\" are two more with" \
      "GOMAXPROCS=$half, as two machines with half the cores each would run them. The CPU columns count every node."
    echo
    echo "$TABLE_HEAD"
  } >>"$body"
  start_node $((PORT + 1))
  GOMAXPROCS=$half start_node $((PORT + 4))
  GOMAXPROCS=$half start_node $((PORT + 5))
  start_nginx $((PORT + 2)) $((PORT + 3)) $((PORT + 6)) "$PORT" $((PORT + 1)) $((PORT + 4)) $((PORT + 5))
  for j in ticket search; do
    echo "== $SECTION: $j, one node and two" >&2
    run_journey "$j" "$j, nginx → 1 node" "http://127.0.0.1:$((PORT + 2))" \
      "$j, nginx → 2 nodes" "http://127.0.0.1:$((PORT + 3))" \
      "$j, nginx → 2 nodes, $half cores each" "http://127.0.0.1:$((PORT + 6))" >>"$body"
    one=$(grep -F "| $j, nginx → 1 node |" "$body" | awk -F'|' '{split($4, a, " "); print a[1]}')
    two=$(grep -F "| $j, nginx → 2 nodes |" "$body" | awk -F'|' '{split($4, a, " "); print a[1]}')
    split=$(grep -F "| $j, nginx → 2 nodes, $half cores each |" "$body" | awk -F'|' '{split($4, a, " "); print a[1]}')
    ratios+=" $j $(awk -v a="$two" -v b="$one" 'BEGIN {printf "%.2f", a / b}')"
    ratios+=" ($half cores each: $(awk -v a="$split" -v b="$one" 'BEGIN {printf "%.2f", a / b}'));"
  done
  printf '\nTwo nodes / one node, requests/s (medians):%s\n' "$ratios" >>"$body"
}

# --- Go benchmarks ---------------------------------------------------------

# GO_BENCHES: package, -bench pattern, -benchtime; the engines each one runs
# on are its own (LONTARA_TEST_PG gives those that run both their PostgreSQL half).
GO_BENCHES=(
  "./internal/helpdesk CreateTicketAPI 8000x"
  "./internal/competency CityGaps 20x"
  "./internal/dashboard CityDashboard 400x"
)

if [ -n "${BENCH_GO_LIST+set}" ]; then IFS=';' read -r -a GO_BENCHES <<<"$BENCH_GO_LIST"; fi

# bench_go runs GO_BENCHES BENCH_GO_COUNT times each into the section go,
# and on a ministry run ministry_go on each copy into the section go-ministry.
bench_go() {
  local count=${BENCH_GO_COUNT:-3} b pkg pat bt db
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg) # context is written at the end
  export LONTARA_TEST_PG=${LONTARA_TEST_PG:-$(pgurl postgres)}
  if [ ${#GO_BENCHES[@]} -gt 0 ]; then
    : >"$RAW/go.txt"
    for b in "${GO_BENCHES[@]}"; do
      read -r pkg pat bt <<<"$b"
      echo "== go test -bench $pat $pkg" >&2
      go test "$pkg" -run '^$' -bench "^Benchmark$pat\$" -benchtime "$bt" -benchmem -count "$count" -timeout 60m \
        >>"$RAW/go.txt" 2>&1 || { echo "bench: go test $pkg -bench $pat failed:" >&2; tail -20 "$RAW/go.txt" >&2; exit 1; }
    done
    go_table "Go benchmarks" "$RAW/go.txt" "$count" >"$WORK/go.md"
    section go "$WORK/go.md"
  fi
  if [ ${#GO_MINISTRY_DBS[@]} -gt 0 ]; then
    : >"$RAW/go-ministry.txt"
    for db in "${GO_MINISTRY_DBS[@]}"; do
      ministry_go "$db" "$count" >>"$RAW/go-ministry.txt" || echo "bench: a Go benchmark on $db failed; the table keeps the rest" >&2
    done
    go_table "Go benchmarks on the ministry data set" "$RAW/go-ministry.txt" "$count" >"$WORK/go-ministry.md"
    section go-ministry "$WORK/go-ministry.md"
  fi
}

# go_table TITLE OUTPUT COUNT prints the medians of each benchmark's metrics
# in the go test OUTPUT as a section.
go_table() {
  echo "### $1"
  echo
  context
  echo "\`go test -run '^\$' -bench … -benchmem -count $3\`; medians of the runs (raw output: $2)."
  echo
  echo "| package | benchmark | medians |"
  echo "|---|---|---|"
  awk '/^pkg:/ {pkg = $2; sub(/.*\/internal\//, "", pkg)}
    /^([a-z_-]+:)?Benchmark/ {n = $1; sub(/-[0-9]+$/, "", n)
      for (i = 3; i < NF; i += 2) if ($(i+1) != "B/op") print pkg "\t" n "\t" $(i+1) "\t" $i}' "$2" |
    sort -t$'\t' -k1,1 -k2,2 -k3,3 -k4,4g |
    awk -F'\t' '{k = $1 "\t" $2 "\t" $3; v[k] = v[k] " " $4; if (!(k in seen)) {seen[k] = 1; keys[++n] = k}}
      END {for (i = 1; i <= n; i++) {split(keys[i], f, "\t"); c = split(substr(v[keys[i]], 2), a, " ")
        m = (c % 2) ? a[(c+1)/2] : (a[c/2] + a[c/2+1]) / 2; r = f[1] " | " f[2]
        row[r] = row[r] (row[r] == "" ? "" : ", ") m " " f[3]; if (!(r in order)) order[r] = ++o; list[o] = r}
        for (i = 1; i <= o; i++) print "| " list[i] " | " row[list[i]] " |"}'
}

GO_MINISTRY_DBS=()

# ministry_go DB COUNT runs, on a copy of a loaded ministry, ticket creation
# and (when the data set has a search index) search and suggestions, whose
# benchmarks use an existing corpus at LONTARA_BENCH_DB as it is.
ministry_go() {
  local tag pat='^BenchmarkMinistryCreateTicketAPI$'
  tag=ministry-$(case $1 in postgres*) echo postgres ;; *) echo sqlite ;; esac)
  echo "== go test -bench ministry on $tag" >&2
  LONTARA_BENCH_DB=$1 go test ./internal/helpdesk -run '^$' -bench "$pat" -benchtime 8000x -benchmem -count "$2" \
    -timeout 60m 2>&1 | sed "s|^Benchmark|$tag:Benchmark|"
  if [ "$(DB=$1 ENGINE=${tag#ministry-} sql 'SELECT count(*) FROM search_docs')" -gt 0 ]; then
    LONTARA_BENCH_DB=$1 go test ./internal/search -run '^$' -bench '^Benchmark(Search|Suggest)$' -benchtime 300x \
      -benchmem -count "$2" -timeout 60m 2>&1 | sed "s|^Benchmark|$tag:Benchmark|"
  fi
}
echo "== build"
go build -o "$WORK/lontara" ./cmd/lontara
for scale in $SCALES; do
  for engine in $ENGINES; do
    if [ "${BENCH_HTTP:-1}" = 1 ]; then
      bench_http "$scale" "$engine"
    elif [ "$scale" = ministry ]; then # only the Go benchmarks, on a copy
      ENGINE=$engine SECTION=$scale-$engine
      prepare "$scale" "$engine" || true
    fi
  done
done
if [ "${BENCH_GO:-1}" = 1 ]; then bench_go; fi
echo "results: $OUT; raw outputs: $RAW"
