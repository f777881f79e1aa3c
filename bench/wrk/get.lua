-- GET journeys: the paths in the file BENCH_PATHS, one a line, taken in
-- turn from a different start in each thread (searches vary their words).
-- Authentication comes from wrk -H (a token or a session cookie).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local paths, i
function init(args)
  paths = lines(os.getenv("BENCH_PATHS"))
  i = (id * 7919) % #paths
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
