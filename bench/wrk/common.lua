-- Shared by the journey scripts of scripts/bench.sh: counts answers whose
-- status is not the one the journey expects (wrk itself counts only
-- statuses >= 400, so a redirect to the sign-in page would pass unseen),
-- and prints one machine-readable line at the end:
--   BENCH requests=N seconds=S rps=R p50_ms=… p95_ms=… p99_ms=… max_ms=… bad=N errors=N codes=200:N,…
-- BENCH_EXPECT is the expected status, or several separated by commas
-- (200 unless set); codes counts the answers by status.
-- BENCH_THINK_MS, when set, is a user's mean think time: each connection
-- waits between 0.5 and 1.5 times it before its next request (scripts/soak.sh).

local expect = {}
for c in (os.getenv("BENCH_EXPECT") or "200"):gmatch("%d+") do expect[tonumber(c)] = true end
local think = tonumber(os.getenv("BENCH_THINK_MS") or "")
if think then
  function delay() return math.floor(think * (0.5 + math.random())) end
end
local threads = {}
local id = 0

function setup(thread)
  id = id + 1
  thread:set("id", id)
  table.insert(threads, thread)
end

bad = 0
codes = {}
function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
  if not expect[status] then
    bad = bad + 1
    if bad == 1 then io.stderr:write("unexpected status " .. status .. "\n") end
  end
end

-- headers returns wrk's headers (those of -H) with extra ones added:
-- wrk.format takes a headers table instead of wrk.headers, not beside it.
function headers(extra)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra) do h[k] = v end
  return h
end

-- lines reads a file into a list of its non-empty lines.
function lines(path)
  local out = {}
  for l in io.lines(path) do
    if l ~= "" then table.insert(out, l) end
  end
  return out
end

function done(summary, latency, requests)
  local nbad, all = 0, {}
  for _, t in ipairs(threads) do
    nbad = nbad + (t:get("bad") or 0)
    for c, n in pairs(t:get("codes") or {}) do all[c] = (all[c] or 0) + n end
  end
  local list = {}
  for c, n in pairs(all) do table.insert(list, c .. ":" .. n) end
  table.sort(list)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f bad=%d errors=%d codes=%s\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, nbad, e.connect + e.read + e.write + e.timeout, table.concat(list, ",")))
end
