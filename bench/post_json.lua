-- POST the JSON body in the file named by BENCH_BODY to the URL given to wrk, as the
-- signed-in user (the token comes from the environment so it never lands in a file).
local file = assert(io.open(assert(os.getenv("BENCH_BODY"), "BENCH_BODY unset"), "r"))
wrk.body = file:read("*a")
file:close()
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("CRM_TOKEN"), "CRM_TOKEN unset")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
dofile(assert(os.getenv("BENCH_LUA_DIR"), "BENCH_LUA_DIR unset") .. "/report.lua")
