-- POST /api/v1/customers at a steady BENCH_RATE requests per second in all, so that many
-- events per second reach the webhook dispatcher whatever each request's latency. Each of
-- the BENCH_THREADS wrk threads (pass the same number as -t) keeps its share on a fixed
-- schedule read from the monotonic clock: wrk's delay() waits after a response, so it waits
-- only for what is left until the next slot, and a slow answer is caught up by the thread's
-- other connections.
local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
   int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("bench_timespec")

local function now_ms()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
   return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local token = assert(os.getenv("CRM_TOKEN"), "CRM_TOKEN unset")
local rate = tonumber(os.getenv("BENCH_RATE") or "200")
local interval = tonumber(os.getenv("BENCH_THREADS") or "1") * 1000 / rate
local headers = {
   ["Authorization"] = "Bearer " .. token,
   ["Content-Type"] = "application/json",
   ["Accept"] = "application/json",
}
local threads = 0
local counter = 0
-- When this thread's next request is due; its connections share the schedule.
local due = nil

function setup(thread)
   threads = threads + 1
   thread:set("thread_no", threads)
end

function delay()
   local now = now_ms()
   due = (due or now) + interval
   return math.max(0, math.floor(due - now))
end

function request()
   counter = counter + 1
   local body = string.format('{"name":"推送压测客户%d-%d有限公司"}', thread_no or 0, counter)
   return wrk.format("POST", "/api/v1/customers", headers, body)
end

dofile(assert(os.getenv("BENCH_LUA_DIR"), "BENCH_LUA_DIR unset") .. "/report.lua")
