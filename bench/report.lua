-- Shared by the wrk scripts: one machine-readable summary line that scripts/bench.sh parses,
-- taken from wrk's own HDR histogram (exact percentiles, no unit parsing of the text report).
function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format("BENCH requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
      summary.requests, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.connect + e.read + e.write + e.timeout, e.status))
end
