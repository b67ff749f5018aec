-- POST /api/v1/customers at a steady rate: each connection waits BENCH_PACE_MS between its
-- requests, so connections × 1000 / pace events per second reach the webhook dispatcher.
local token = assert(os.getenv("CRM_TOKEN"), "CRM_TOKEN unset")
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "20")
local headers = {
   ["Authorization"] = "Bearer " .. token,
   ["Content-Type"] = "application/json",
   ["Accept"] = "application/json",
}
local threads = 0
local counter = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_no", threads)
end

function delay()
   return pace
end

function request()
   counter = counter + 1
   local body = string.format('{"name":"推送压测客户%d-%d有限公司"}', thread_no or 0, counter)
   return wrk.format("POST", "/api/v1/customers", headers, body)
end

dofile(assert(os.getenv("BENCH_LUA_DIR"), "BENCH_LUA_DIR unset") .. "/report.lua")
