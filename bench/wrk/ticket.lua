-- Ticket creation: POST /api/v1/tickets as an employee (token from wrk -H),
-- each ticket with its own subject so the search index grows as in life.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local n = 0
local h
local subjects = {"SIMPEG tidak bisa dibuka", "Internet kantor mati", "Lupa kata sandi e-Kinerja",
  "Printer jaringan tidak terdeteksi", "Aplikasi absensi galat 502", "VPN tidak tersambung"}
function request()
  n = n + 1
  local body = string.format(
    '{"subject":"%s (%d-%d)","body":"Muncul galat sejak pagi, mohon dibantu.","category":"application"}',
    subjects[n % #subjects + 1], id, n)
  h = h or headers({["Content-Type"] = "application/json"})
  return wrk.format("POST", "/api/v1/tickets", h, body)
end
