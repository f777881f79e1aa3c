-- Requests of several people, from the file BENCH_REQS, one a line: method,
-- path, headers and body, separated by tabs; the headers as "Name: value"
-- joined by " | " (a session cookie or a token: each line may be someone
-- else). Each thread takes the lines in turn from a start of its own.
--
-- BENCH_GROUP=N gives each thread the N lines of its own instead (thread k
-- the k-th N), the steps of one person who repeats them: "{id}" in a path
-- is the last "id" in an answer to the thread's requests, which is
-- that person's own when the thread has one connection (wrk -tN -cN).
-- Used by scripts/soak.sh.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local reqs, i, last = {}, 0, ""
local group = tonumber(os.getenv("BENCH_GROUP") or "")

function init(args)
  math.randomseed(id)
  local all = {}
  for _, l in ipairs(lines(os.getenv("BENCH_REQS"))) do
    local f = {}
    for v in (l .. "\t"):gmatch("([^\t]*)\t") do table.insert(f, v) end
    local h = {}
    for part in ((f[3] or "") .. " | "):gmatch("(.-) | ") do
      local k, v = part:match("^([^:]+):%s*(.*)$")
      if k then h[k] = v end
    end
    table.insert(all, {method = f[1], path = f[2], headers = headers(h), body = f[4] ~= "" and f[4] or nil})
  end
  if group then
    for k = (id - 1) * group + 1, id * group do table.insert(reqs, all[k]) end
  else
    reqs = all
    i = (id * 7919) % #reqs
  end
end

local counted = response
function response(status, hdrs, body)
  counted(status, hdrs, body)
  if group then last = body:match('"id":%s*(%d+)') or last end
end

function request()
  i = i % #reqs + 1
  -- wrk asks for one request before connecting and never sends it, so a
  -- thread may come to a step needing an id before having one: it
  -- starts its steps over instead.
  if last == "" and reqs[i].path:find("{id}", 1, true) then i = 1 end
  local r = reqs[i]
  return wrk.format(r.method, (r.path:gsub("{id}", last)), r.headers, r.body)
end
