-- Sign-in: POST /masuk with the form and its CSRF token as a browser sends
-- them (the token in the lontara_csrf cookie and the form). Each success is
-- a 303 to the home page and a new session; the password hash is the cost.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local function esc(s) return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
local csrf = "0123456789abcdef0123456789abcdef"
local body = "email=" .. esc(os.getenv("BENCH_EMAIL")) .. "&password=" .. esc(os.getenv("BENCH_PASSWORD")) ..
  "&csrf=" .. csrf
local h
function request()
  h = h or headers({["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "lontara_csrf=" .. csrf})
  return wrk.format("POST", "/masuk", h, body)
end
