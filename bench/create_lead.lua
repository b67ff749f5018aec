-- POST /api/v1/leads with a distinct company and mobile per request, as a rep entering calls.
local token = assert(os.getenv("CRM_TOKEN"), "CRM_TOKEN unset")
local headers = {
   ["Authorization"] = "Bearer " .. token,
   ["Content-Type"] = "application/json",
   ["Accept"] = "application/json",
}
local threads = 0
local counter = 0

-- Runs in the main Lua state once per wrk thread; `thread_no` becomes a global of that thread's
-- state, so each thread numbers its leads in its own range.
function setup(thread)
   threads = threads + 1
   thread:set("thread_no", threads)
end

function request()
   counter = counter + 1
   local n = (thread_no or 0) * 10000000 + counter
   local body = string.format(
      '{"company_name":"压测客户%d有限公司","contact_name":"王伟","source":"phone","mobile":"138%08d"}',
      n, n % 100000000)
   return wrk.format("POST", "/api/v1/leads", headers, body)
end

dofile(assert(os.getenv("BENCH_LUA_DIR"), "BENCH_LUA_DIR unset") .. "/report.lua")
