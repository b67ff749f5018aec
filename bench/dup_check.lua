-- GET /api/v1/customers/duplicate-check with a different probe each request: the query
-- strings (exact names, other spellings, prefixes as typed) come one per line from the file
-- named by BENCH_PROBES, prepared by scripts/bench.sh from the seeded customers.
local probes = {}
local file = assert(io.open(assert(os.getenv("BENCH_PROBES"), "BENCH_PROBES unset"), "r"))
for line in file:lines() do
   probes[#probes + 1] = line
end
file:close()
assert(#probes > 0, "no probes")
local token = "Bearer " .. assert(os.getenv("CRM_TOKEN"), "CRM_TOKEN unset")
local next_probe = 0

function request()
   next_probe = next_probe % #probes + 1
   return wrk.format("GET", "/api/v1/customers/duplicate-check?" .. probes[next_probe],
      { ["Authorization"] = token, ["Accept"] = "application/json" })
end

dofile(assert(os.getenv("BENCH_LUA_DIR"), "BENCH_LUA_DIR unset") .. "/report.lua")
