-- GET the URL given to wrk as the signed-in user; the token comes from the environment so it
-- never lands in a file.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("CRM_TOKEN"), "CRM_TOKEN unset")
wrk.headers["Accept"] = "application/json"
dofile(assert(os.getenv("BENCH_LUA_DIR"), "BENCH_LUA_DIR unset") .. "/report.lua")
