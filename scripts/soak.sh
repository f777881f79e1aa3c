#!/usr/bin/env bash
# The soak, on demand (not in CI): SOAK_MINUTES (10) of mixed load on one
# node at city scale, every role's journeys at once, while the server's
# goroutines, live heap, resident memory and open files are sampled. It fails
# (exit 1) on any answer a journey does not expect, on any 5xx the server
# counted, on a panic in its log, or when a resource grew past its bound
# (below) between the first minutes after warm-up and the last ones. The
# section soak-ENGINE of bench/results.md is replaced with the figures; the
# raw wrk outputs and samples go under bench/raw/.
#
#   scripts/soak.sh                                      # SQLite, 10 minutes
#   SOAK_ENGINE=postgres scripts/soak.sh
#   SOAK_FROM=/tmp/city.db scripts/soak.sh               # a copy of a loaded city instead of a new load
#
# The mix: a connection is one person who waits a think time (mean in
# brackets, ±50%) between requests, so the proportions are those of the
# people and their pace rather than of the server's speed. Reads are about
# 85% of requests, as in a working day.
#   signin     [2 × 2 s]  POST /masuk, the soak's people in turn (303)
#   ticket     [2 × 2 s]  POST /api/v1/tickets, an employee's token (201)
#   reply      [3 × 1 s]  POST /api/v1/tickets/{number}/replies, each team's agent on its open tickets (201)
#   queue      [3 × 1 s]  GET /layanan and ticket pages, the agents (200)
#   search     [6 × 0.5 s] GET /api/v1/search, queries of bench/wrk/queries.txt (200)
#   article    [6 × 0.5 s] GET /pengetahuan/{id}, published articles, the people (200)
#   discussion [4 × 0.5 s] GET /diskusi/utas/{id}, threads of the city's open spaces, the people (200)
#   enrol      [2 × 1 s]  POST /api/v1/events/{id}/enrolments then /api/v1/enrolments/{id}/cancel,
#                         two people each on an open self-enrolment event, over and over (201, 200)
#   survey     [1 × 2 s]  POST /api/v1/surveys/{id}/responses, each person once, on a campaign the
#                         script opens for the city when none is open (201; 409 only if people run out)
#   dashboard  [2 × 2 s]  GET /dasbor, /kompetensi/kesenjangan, /pimpinan, /indeks/kota, an executive (200)
#   api        [4 × 0.5 s] GET /api/v1/employees, /api/v1/tickets, /api/v1/me, … with tokens (200)
#
# Bounds, each the median of the samples of the last SOAK_WINDOW minutes
# against those of the SOAK_WINDOW minutes after the warm-up (SOAK_WARMUP):
#   goroutines, open files: +10% or +10, whichever is larger (one per open
#     connection plus a fixed set of background workers: constant while the
#     connections are; a leak of one a request would add thousands);
#   live heap (go_gc_heap_live_bytes, what the last collection kept): +20%
#     (caches fill during the warm-up; the heap in use is shown too, but it
#     swings fivefold between collections with GOGC at 400);
#   resident memory: +64 MB (the Go runtime gives memory back lazily and
#     SQLite's page caches fill as pages are first read; a steady leak
#     shows in the heap first).
#
# Environment:
#   SOAK_MINUTES (10)  SOAK_ENGINE (sqlite; or postgres)  SOAK_FROM (none: `lontara demo --scale city`)
#   SOAK_CONNS_<journey>, SOAK_THINK_<journey> (ms): the people and their pace, defaults above
#   SOAK_PEOPLE (400): employees signed in for signin, article, discussion and survey
#   SOAK_WARMUP (1) and SOAK_WINDOW (2): minutes; SOAK_SAMPLE (10): seconds between samples
#   SOAK_PORT (18380)  SOAK_PG (postgres://postgres@127.0.0.1:55432)  SOAK_OUT (bench/results.md)
#   BENCH_KEEP=1 keeps the work directory and database
# Needs wrk (scripts/load-tools.sh), curl, sqlite3, psql.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
ENGINE=${SOAK_ENGINE:-sqlite}
MINUTES=${SOAK_MINUTES:-10}
WARMUP=${SOAK_WARMUP:-1}
WINDOW=${SOAK_WINDOW:-2}
SAMPLE=${SOAK_SAMPLE:-10}
PEOPLE=${SOAK_PEOPLE:-400}
PORT=${SOAK_PORT:-18380}
PG=${SOAK_PG:-postgres://postgres@127.0.0.1:55432}
OUT=${SOAK_OUT:-bench/results.md}
RAW=bench/raw/soak-$ENGINE-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/lontara-soak.XXXXXX)
export BENCH_LUA=$ROOT/bench/wrk
mkdir -p "$RAW"
. scripts/bench-lib.sh
trap cleanup EXIT

case $ENGINE in sqlite | postgres) ;; *) echo "soak: SOAK_ENGINE is sqlite or postgres" >&2; exit 2 ;; esac
[ "$((WARMUP + 2 * WINDOW))" -le "$MINUTES" ] || { echo "soak: SOAK_MINUTES must hold the warm-up and two windows" >&2; exit 2; }
for tool in wrk curl; do command -v $tool >/dev/null || { echo "soak: $tool is missing (scripts/load-tools.sh)" >&2; exit 1; }; done

JOURNEYS=(signin ticket reply queue search article discussion enrol survey dashboard api)
declare -A CONNS=([signin]=2 [ticket]=2 [reply]=3 [queue]=3 [search]=6 [article]=6 [discussion]=4 [enrol]=2 [survey]=1
  [dashboard]=2 [api]=4)
declare -A THINK=([signin]=2000 [ticket]=2000 [reply]=1000 [queue]=1000 [search]=500 [article]=500 [discussion]=500
  [enrol]=1000 [survey]=2000 [dashboard]=2000 [api]=500)
declare -A EXPECT=([signin]=303 [ticket]=201 [reply]=201 [enrol]=201,200 [survey]=201)
for j in "${JOURNEYS[@]}"; do
  v=SOAK_CONNS_$j CONNS[$j]=${!v:-${CONNS[$j]}}
  v=SOAK_THINK_$j THINK[$j]=${!v:-${THINK[$j]}}
  EXPECT[$j]=${EXPECT[$j]:-200}
done

echo "== build"
go build -o "$WORK/lontara" ./cmd/lontara

echo "== data set ($ENGINE)"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "${SOAK_FROM:-}" ]; then copy_db "$SOAK_FROM" soak_city; else load_city soak_city; fi
"$WORK/lontara" migrate --db "$DB" >/dev/null

# --- people ----------------------------------------------------------------

echo "== people"
# The soak's people share one password: set on the first, copied to the rest.
ids() { sql "SELECT a.id FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE a.active AND $1"; }
agent_ids=$(sql "SELECT min(t.account_id) FROM team_members t JOIN role_grants g ON g.account_id = t.account_id
  AND g.role = 'agent' JOIN accounts a ON a.id = t.account_id AND a.active GROUP BY t.team_id ORDER BY t.team_id")
exec_email=$(account executive)
people_ids=$(ids "NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role <> 'employee')
  ORDER BY a.id LIMIT $PEOPLE OFFSET 1000")
[ -n "$agent_ids" ] && [ -n "$exec_email" ] && [ "$(wc -w <<<"$people_ids")" -ge 50 ] ||
  { echo "soak: the data set lacks agents, an executive or people" >&2; exit 1; }
PW=$(password "$exec_email")
exec_id=$(ids "e.email = '$exec_email'")
all_ids=$(echo $agent_ids $people_ids | tr ' ' ',')
sql "UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE id = $exec_id) WHERE id IN ($all_ids)" >/dev/null
email_of() { sql "SELECT a.id, e.email, e.id FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE a.id IN ($1) ORDER BY a.id"; }
emp_email=$(email_of "$(head -1 <<<"$people_ids")" | cut -d'|' -f2)
tok_emp=$("$WORK/lontara" token create --db "$DB" --email "$emp_email" 2>/dev/null | tail -1)
tok_exec=$("$WORK/lontara" token create --db "$DB" --email "$exec_email" 2>/dev/null | tail -1)

csrf=0123456789abcdef0123456789abcdef
start_node "$PORT"
SERVER=${SERVERS[0]}
URL=http://127.0.0.1:$PORT
# batch runs the requests of the curl config on stdin in one curl (a
# process a request is slow on a busy machine); each prints its write-out.
batch() { sed '$d' | curl -s --config - || true; } # the last line is a "next" with nothing after it
# sessions IDS writes "account|email|employee|cookie" for each account.
sessions() {
  email_of "$1" >"$WORK/who"
  while IFS='|' read -r _ e _; do
    printf 'url = "%s/masuk"\ncookie = "lontara_csrf=%s"\ndata-urlencode = "email=%s"\ndata-urlencode = "password=%s"\n' \
      "$URL" "$csrf" "$e" "$PW"
    printf 'data = "csrf=%s"\noutput = "/dev/null"\nwrite-out = "%%header{set-cookie}\\n"\nnext\n' "$csrf"
  done <"$WORK/who" | batch | awk '{c = ""; if (match($0, /lontara_session=[^;]*/)) c = substr($0, RSTART, RLENGTH); print c}' |
    paste -d'|' "$WORK/who" -
}
sessions "$(echo $agent_ids | tr ' ' ',')" >"$WORK/agents"
sessions "$(echo $people_ids | tr ' ' ',')" >"$WORK/people"
s_exec=$(session "$exec_email" "$PW")
if grep -q '|$' "$WORK/agents" "$WORK/people" || [ -z "$s_exec" ]; then
  echo "soak: some sign-ins failed (executive: ${s_exec:-none}); without a session:" >&2
  grep -h '|$' "$WORK/agents" "$WORK/people" | head >&2
  echo "the server's log ends:" >&2
  tail -20 "$WORK/serve-$PORT.log" >&2
  exit 1
fi
echo "signed in: $(wc -l <"$WORK/agents") agents, $(wc -l <"$WORK/people") people, executive $exec_email" | tee "$RAW/setup.txt"

# --- journeys --------------------------------------------------------------

echo "== journeys"
R=$WORK/req
mkdir -p "$R"
json='Content-Type: application/json'
# people FIRST LAST prints the lines FIRST..LAST of the people.
people() { sed -n "$1,$2p" "$WORK/people"; }
n_people=$(wc -l <"$WORK/people")
# uri escapes what a form field may not carry as it is.
uri() { local c out= s=$1; while [ -n "$s" ]; do c=${s:0:1} s=${s:1}; case $c in [a-zA-Z0-9._~-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac; done; echo "$out"; }

while IFS='|' read -r _ e _ _; do
  printf 'POST\t/masuk\tContent-Type: application/x-www-form-urlencoded | Cookie: lontara_csrf=%s\temail=%s&password=%s&csrf=%s\n' \
    "$csrf" "$(uri "$e")" "$(uri "$PW")" "$csrf"
done <"$WORK/people" >"$R/signin"

# Each team's agent replies to the team's open tickets and reads them.
team_agent() { sql "SELECT min(t.account_id) FROM team_members t JOIN role_grants g ON g.account_id = t.account_id AND g.role = 'agent' WHERE t.team_id = $1"; }
: >"$R/reply"
printf 'GET\t/layanan\n' >"$R/queue.tmp"
for team in $(sql "SELECT DISTINCT team_id FROM tickets WHERE team_id IS NOT NULL ORDER BY 1"); do
  cookie=$(grep "^$(team_agent "$team")|" "$WORK/agents" | cut -d'|' -f4)
  [ -n "$cookie" ] || continue
  for t in $(sql "SELECT id FROM tickets WHERE team_id = $team AND status IN ('new', 'open', 'pending') ORDER BY id"); do
    num=$(printf 'T-%06d' "$t")
    printf 'POST\t/api/v1/tickets/%s/replies\t%s | Cookie: %s\t{"body":"Sudah kami cek, mohon dicoba lagi."}\n' "$num" "$json" "$cookie" >>"$R/reply"
    printf 'GET\t/layanan/%s\tCookie: %s\n' "$num" "$cookie" >>"$R/queue.tmp"
  done
  printf 'GET\t/layanan\tCookie: %s\n' "$cookie" >>"$R/queue.tmp"
done
grep -v $'^GET\t/layanan$' "$R/queue.tmp" >"$R/queue"

sed "s/ /+/g; s|^|GET\t/api/v1/search?q=|; s|\$|\tAuthorization: Bearer $tok_emp|" bench/wrk/queries.txt >"$R/search"

# reads ROOT IDS writes GET ROOT/ID lines, person after person.
reads() {
  local i=0 id
  for id in $2; do
    i=$((i % n_people + 1))
    printf 'GET\t%s/%s\tCookie: %s\n' "$1" "$id" "$(people $i $i | cut -d'|' -f4)"
  done
}
reads /pengetahuan "$(sql "SELECT id FROM articles WHERE status = 'published' ORDER BY id")" >"$R/article"
reads /diskusi/utas "$(sql "SELECT t.id FROM threads t JOIN spaces s ON s.id = t.space_id WHERE s.level = 'city'
  AND NOT s.members_only ORDER BY t.id DESC LIMIT 100")" >"$R/discussion"

event=$(sql "SELECT id FROM events WHERE self_enrol AND agency_id IS NULL AND cancelled_at IS NULL AND finished_at IS NULL
  AND ends_at > CURRENT_TIMESTAMP ORDER BY starts_at LIMIT 1" 2>/dev/null || true)
if [ "$ENGINE" = sqlite ]; then # timestamps are microseconds there
  event=$(sql "SELECT id FROM events WHERE self_enrol AND agency_id IS NULL AND cancelled_at IS NULL AND finished_at IS NULL
    AND ends_at > CAST(strftime('%s', 'now') AS INTEGER) * 1000000 ORDER BY starts_at LIMIT 1")
fi
[ -n "$event" ] || { echo "soak: no open self-enrolment event" >&2; exit 1; }
people 1 "${CONNS[enrol]}" | while IFS='|' read -r _ _ p c; do
  printf 'POST\t/api/v1/events/%s/enrolments\t%s | Cookie: %s\t{"employee_id":%s}\n' "$event" "$json" "$c" "$p"
  printf 'POST\t/api/v1/enrolments/{id}/cancel\tCookie: %s\n' "$c"
done >"$R/enrol"

# An open survey campaign for the whole city, the executive's.
campaign=$(sql "SELECT id FROM survey_campaigns WHERE status = 'open' ORDER BY id LIMIT 1")
if [ -z "$campaign" ]; then
  today=$(date -u +%F)
  campaign=$(curl -fsS -H "Authorization: Bearer $tok_exec" -H "$json" -d "{\"title\":\"Soak\",\"period\":\"$(date -u +%Y)-Q$(((10#$(date -u +%m) + 2) / 3))\",
    \"opens_on\":\"$today\",\"closes_on\":\"$(date -u -d '+14 days' +%F)\"}" "$URL/api/v1/surveys" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $tok_exec" "$URL/api/v1/surveys/$campaign/open"
fi
items=$(sql "SELECT i.id FROM survey_items i JOIN survey_campaigns c ON c.instrument_id = i.instrument_id WHERE c.id = $campaign ORDER BY i.id")
answers=$(for i in $items; do printf '{"item_id":%s,"value":%s},' "$i" $((i % 3 + 3)); done)
people $((CONNS[enrol] + 1)) "$n_people" | while IFS='|' read -r _ _ _ c; do
  printf 'POST\t/api/v1/surveys/%s/responses\t%s | Cookie: %s\t{"answers":[%s]}\n' "$campaign" "$json" "$c" "${answers%,}"
done >"$R/survey"

for p in /dasbor /kompetensi/kesenjangan /pimpinan /indeks/kota; do printf 'GET\t%s\tCookie: %s\n' "$p" "$s_exec"; done >"$R/dashboard"
agencies=$(sql "SELECT agency_id FROM employees GROUP BY agency_id ORDER BY count(*) DESC LIMIT 5")
{
  for a in $agencies; do printf 'GET\t/api/v1/employees?agency_id=%s\tAuthorization: Bearer %s\n' "$a" "$tok_exec"; done
  for e in $(sql "SELECT id FROM employees ORDER BY id LIMIT 5 OFFSET 3000"); do
    printf 'GET\t/api/v1/employees/%s\tAuthorization: Bearer %s\n' "$e" "$tok_exec"
  done
  for p in /api/v1/me /api/v1/tickets /api/v1/notifications /api/v1/articles /api/v1/events; do
    printf 'GET\t%s\tAuthorization: Bearer %s\n' "$p" "$tok_emp"
  done
} >"$R/api"

# Every read must answer 200 before the soak: a line that does not is
# dropped (and said) rather than counted as an error for ten minutes.
for j in queue search article discussion dashboard api; do
  while IFS=$'\t' read -r _ path hdr _; do
    printf 'url = "%s%s"\nheader = "%s"\nmax-time = 300\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nnext\n' "$URL" "$path" "$hdr"
  done <"$R/$j" | batch | paste - "$R/$j" | while IFS=$'\t' read -r code m path hdr; do
    if [ "$code" = 200 ]; then printf '%s\t%s\t%s\n' "$m" "$path" "$hdr"; else echo "dropped from $j: $path ($code)" | tee -a "$RAW/setup.txt" >&2; fi
  done >"$R/$j.ok"
  mv "$R/$j.ok" "$R/$j"
  [ -s "$R/$j" ] || { echo "soak: nothing left to read for $j" >&2; exit 1; }
done
for j in "${JOURNEYS[@]}"; do [ "$j" = ticket ] || echo "$j: $(wc -l <"$R/$j") requests to take in turn" >>"$RAW/setup.txt"; done

# --- the soak --------------------------------------------------------------

# scrape prints the server's metric NAME (with its labels, if given).
metrics() { curl -fsS --max-time 10 "$URL/metrics"; }
value() { awk -v n="$1" '$1 == n {printf "%.0f", $2}' "$2"; }

# sampler writes a line of figures every SAMPLE seconds until killed.
sampler() {
  local t0=$1 m=$WORK/m
  echo "seconds goroutines heap_inuse_bytes rss_bytes open_fds threads writer_conns heap_live_bytes"
  while :; do
    if metrics >"$m" 2>/dev/null; then
      echo "$(($(date +%s) - t0)) $(value go_goroutines "$m") $(value go_memstats_heap_inuse_bytes "$m")" \
        "$(value process_resident_memory_bytes "$m") $(value process_open_fds "$m")" \
        "$(awk '/^Threads:/ {print $2}' "/proc/$SERVER/status")" \
        "$(value 'go_sql_open_connections{db_name="writer"}' "$m") $(value go_gc_heap_live_bytes "$m")"
    fi
    sleep "$SAMPLE"
  done
}

# requests_by_code prints "route code count" from a scrape.
requests_by_code() { sed -n 's/^lontara_http_requests_total{code="\([0-9]*\)",route="\([^"]*\)"} \([0-9.e+]*\)$/\2\t\1\t\3/p' "$1"; }

echo "== soak: $MINUTES minutes on $ENGINE (started $(date -u +%H:%M:%S) UTC)"
metrics >"$WORK/metrics.before"
T0=$(date +%s) SOAK_START=$(date -u +%Y-%m-%dT%H:%M:%S)
sampler "$T0" >"$RAW/samples.txt" &
SAMPLER=$!
declare -A WRK
for j in "${JOURNEYS[@]}"; do
  script=requests threads=1
  case $j in ticket) script=ticket ;; enrol) threads=${CONNS[$j]} ;; esac
  BENCH_EXPECT=${EXPECT[$j]} BENCH_THINK_MS=${THINK[$j]} BENCH_REQS=$R/$j \
    BENCH_GROUP=$([ "$j" = enrol ] && echo 2 || true) \
    timeout $((MINUTES * 60 + 120)) wrk -t"$threads" -c"${CONNS[$j]}" -d"${MINUTES}m" --timeout 30s \
    -s "bench/wrk/$script.lua" -H "$([ "$j" = ticket ] && echo "Authorization: Bearer $tok_emp" || echo "X-Soak: $j")" \
    "$URL" >"$RAW/$j.txt" 2>&1 &
  WRK[$j]=$!
done
for j in "${JOURNEYS[@]}"; do wait "${WRK[$j]}" || true; done
kill "$SAMPLER"
wait "$SAMPLER" 2>/dev/null || true
metrics >"$WORK/metrics.after"
echo "== soak: done at $(date -u +%H:%M:%S) UTC"

# --- figures ---------------------------------------------------------------

FAIL=()
body=$WORK/soak.md
total=0 failed=0
declare -A N
for j in "${JOURNEYS[@]}"; do
  line=$(grep '^BENCH ' "$RAW/$j.txt") || { echo "soak: wrk failed for $j:" >&2; cat "$RAW/$j.txt" >&2; exit 1; }
  N[$j]=$(field requests)
  total=$((total + N[$j]))
  failed=$((failed + $(field bad) + $(field errors)))
done
[ "$failed" = 0 ] || FAIL+=("$failed answers a journey did not expect, or socket errors")
requests_by_code "$WORK/metrics.before" | sort >"$WORK/codes.before"
requests_by_code "$WORK/metrics.after" | sort >"$WORK/codes.after"
# The server's own count of the answers of the soak that were not 2xx or 3xx, by route.
awk -F'\t' 'NR == FNR {b[$1 FS $2] = $3; next} $2 >= 400 && $3 - b[$1 FS $2] > 0 {printf "%s %s: %d; ", $1, $2, $3 - b[$1 FS $2]}' \
  "$WORK/codes.before" "$WORK/codes.after" >"$WORK/4xx"
server5xx=$(awk -F'\t' 'NR == FNR {b[$1 FS $2] = $3; next} $2 >= 500 {n += $3 - b[$1 FS $2]} END {print n + 0}' \
  "$WORK/codes.before" "$WORK/codes.after")
[ "$server5xx" = 0 ] || FAIL+=("the server answered $server5xx times with a 5xx")
panics=$(grep -c -i 'panic' "$WORK/serve-$PORT.log" || true)
# soak_errors prints the lines the server logged at level ERROR during the soak.
soak_errors() { awk -v from="$SOAK_START" '/level=ERROR/ && substr($1, 6) >= from' "$WORK/serve-$PORT.log"; }
[ "$panics" = 0 ] || FAIL+=("$panics panics in the server's log")
cp "$WORK/serve-$PORT.log" "$RAW/serve.log"

# window FROM TO COLUMN prints the median of a column of the samples taken
# from FROM to TO seconds into the soak.
window() { awk -v a="$1" -v b="$2" -v c="$3" 'NR > 1 && $1 >= a && $1 < b && $c != "" {print $c}' "$RAW/samples.txt" | median; }
first_from=$((WARMUP * 60)) first_to=$(((WARMUP + WINDOW) * 60)) last_from=$(((MINUTES - WINDOW) * 60)) end=$((MINUTES * 60 + 60))
# num VALUE DIVISOR prints VALUE / DIVISOR, with a decimal when divided.
num() { awk -v v="$1" -v d="$2" 'BEGIN {printf (d > 1 ? "%.1f" : "%.0f"), v / d}'; }
# resource NAME COLUMN UNIT BOUND-KIND prints a table row and records a failure.
resource() {
  local a b limit ok unit=$3 div=1
  a=$(window $first_from $first_to "$2") b=$(window $last_from $end "$2")
  [ -n "$a" ] && [ -n "$b" ] || { FAIL+=("no samples of $1"); return; }
  case $4 in
  count) limit=$(awk -v a="$a" 'BEGIN {l = a * 1.1; if (l < a + 10) l = a + 10; printf "%.0f", l}') bound="+10% or +10" ;;
  heap) limit=$(awk -v a="$a" 'BEGIN {printf "%.0f", a * 1.2}') bound="+20%" ;;
  rss) limit=$(awk -v a="$a" 'BEGIN {printf "%.0f", a + 64 * 1048576}') bound="+64 MB" ;;
  none) limit= bound="(not bounded)" ;;
  esac
  ok=ok
  if [ -n "$limit" ] && awk -v b="$b" -v l="$limit" 'BEGIN {exit !(b > l)}'; then ok=EXCEEDED FAIL+=("$1 grew from $a to $b (bound $bound)"); fi
  [ -n "$limit" ] || ok=—
  [ "$unit" = MB ] && div=1048576
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(num "$a" $div)" "$(num "$b" $div)" "$bound${limit:+ ($(num "$limit" $div))}" "$ok"
}

{
  echo "### Soak, city scale, $([ "$ENGINE" = postgres ] && echo PostgreSQL || echo SQLite)"
  echo
  measured
  echo "$MINUTES minutes of mixed load on one node (\`scripts/soak.sh\`, $([ -n "${SOAK_FROM:-}" ] && echo "a copy of a loaded" || echo "a new") \`lontara demo --scale city\`)," \
    "wrk and the server sharing the machine; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)." \
    "A journey's people each wait a think time (mean ±50%) between requests; every answer other than the expected ones counts as failed."
  echo
  echo "| journey | people × think | requests | requests/s | share | expected | answers | p50 ms | p99 ms | failed |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for j in "${JOURNEYS[@]}"; do
    line=$(grep '^BENCH ' "$RAW/$j.txt")
    printf '| %s | %s × %s ms | %s | %s | %s%% | %s | %s | %s | %s | %s |\n' "$j" "${CONNS[$j]}" "${THINK[$j]}" "${N[$j]}" \
      "$(field rps)" "$(awk -v n="${N[$j]}" -v t="$total" 'BEGIN {printf "%.1f", t ? 100 * n / t : 0}')" "${EXPECT[$j]}" \
      "$(field codes | sed 's/,/, /g')" "$(field p50_ms)" "$(field p99_ms)" "$(($(field bad) + $(field errors)))"
  done
  echo
  echo "$total requests, $failed failed. The server's own count (lontara_http_requests_total, before and after) of answers" \
    "other than 2xx and 3xx, by route: $(if [ -s "$WORK/4xx" ]; then cat "$WORK/4xx"; else echo "none; "; fi)(a 499 would be a request" \
    "still running when wrk stopped, whose client closed the connection). Panics in its log: $panics; errors it logged" \
    "during the soak: $(soak_errors | wc -l)$(soak_errors | sed -n 's/.* msg=\("[^"]*"\|[^ ]*\).*/\1/p' | sort | uniq -c | awk '{n=$1; $1=""; printf "%s%s ×%d", NR == 1 ? " (" : ", ", substr($0, 2), n} END {if (NR) printf ")"}')."
  echo
  echo "Resources, sampled every $SAMPLE s from /metrics and /proc: medians of minutes $WARMUP–$((WARMUP + WINDOW)) (after the warm-up)" \
    "against minutes $((MINUTES - WINDOW))–$MINUTES. The bounds are explained in scripts/soak.sh."
  echo
  echo "| figure | first | last | bound | verdict |"
  echo "|---|---|---|---|---|"
  resource goroutines 2 "" count
  resource "live heap (MB)" 8 MB heap
  resource "heap in use (MB)" 3 MB none
  resource "resident memory (MB)" 4 MB rss
  resource "open files" 5 "" count
  resource "OS threads" 6 "" none
  resource "writer pool connections" 7 "" none
  echo
  if [ ${#FAIL[@]} = 0 ]; then echo "Verdict: **pass**."; else echo "Verdict: **fail**: $(printf '%s; ' "${FAIL[@]}")"; fi
} >"$body"
section "soak-$ENGINE" "$body"
cat "$body"
echo "results: $OUT; raw outputs: $RAW"
[ ${#FAIL[@]} = 0 ] || exit 1
