-- wrk script of the bench harness (bench/lib/wrk.lua). Configured by environment variables:
--   BENCH_WRK_MODE    get (paths from BENCH_WRK_PATHS, one per line, picked by a seeded generator) or
--                     ingest (POST /v1/events with BENCH_WRK_BATCH unique events per request)
--   BENCH_WRK_TOKEN   bearer token
--   BENCH_WRK_RATE    total requests/s to pace to (0 or unset: as fast as the connections go)
--   BENCH_WRK_THREADS the -t given to wrk (to split the rate)
--   BENCH_WRK_SEED    seed of the path choice [42]
--   BENCH_WRK_DPUS, BENCH_WRK_DPU_PREFIX, BENCH_WRK_T0_MS  ingest: sensors placed, their id prefix, first event time
-- Pacing: each thread hands out send slots 1/rate apart; a connection that is ready waits for the next free slot
-- (wrk's delay()). Latency is measured by wrk from send to response, so it is not corrected for coordinated
-- omission: the harness records the achieved rate next to it, and a rate below the asked one means saturation.
-- done() prints one line "WRKJSON {...}" that bench/lib/report.py reads.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local mode = os.getenv("BENCH_WRK_MODE") or "get"
local token = os.getenv("BENCH_WRK_TOKEN") or ""
local rate = tonumber(os.getenv("BENCH_WRK_RATE") or "0") or 0
local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "1") or 1
local interval = rate > 0 and (1000.0 * nthreads / rate) or 0
local paths, npaths = {}, 0
local batch = tonumber(os.getenv("BENCH_WRK_BATCH") or "1000")
local dpus = tonumber(os.getenv("BENCH_WRK_DPUS") or "100")
local dpu_prefix = os.getenv("BENCH_WRK_DPU_PREFIX") or "bench-dpu-"
local t0 = tonumber(os.getenv("BENCH_WRK_T0_MS") or "0")
local rng, counter, next_slot = 0, 0, nil
local headers

function init(args)
  rng = tonumber(os.getenv("BENCH_WRK_SEED") or "42") + 7919 * (id or 0)
  headers = { ["Authorization"] = "Bearer " .. token }
  if mode == "get" then
    for line in io.lines(os.getenv("BENCH_WRK_PATHS")) do
      if #line > 0 then npaths = npaths + 1; paths[npaths] = line end
    end
  else
    headers["Content-Type"] = "application/json"
  end
end

local function next_random(n)
  -- 32-bit LCG (Numerical Recipes): deterministic for a seed, no dependency on Lua's math.random.
  rng = (1664525 * rng + 1013904223) % 4294967296
  return rng % n
end

local sec_cache_s, sec_cache_text = -1, ""
local function iso(ms)
  local s = math.floor(ms / 1000)
  if s ~= sec_cache_s then
    sec_cache_s = s
    sec_cache_text = os.date("!%Y-%m-%dT%H:%M:%S", s)
  end
  return sec_cache_text .. string.format(".%03dZ", ms % 1000)
end

function request()
  if mode == "get" then
    return wrk.format("GET", paths[next_random(npaths) + 1], headers)
  end
  local parts = {}
  -- The threads share one timeline, interleaved a millisecond apart (thread t takes the instants t, t + n, ...):
  -- every key is new and the stream arrives in near time order, as sensors report, not a day late.
  local tid = id or 0
  for i = 1, batch do
    local g = counter
    counter = counter + 1
    local step = math.floor(g / dpus)
    local dir = (step % 4 < 2) and 1 or -1
    parts[i] = string.format('{"dpu_id":"%s%d","timestamp":"%s","direction":%d}', dpu_prefix, g % dpus,
      iso(t0 + step * nthreads + tid), dir)
  end
  local body = batch == 1 and parts[1] or ("[" .. table.concat(parts, ",") .. "]")
  return wrk.format("POST", "/v1/events", headers, body)
end

function delay()
  if interval <= 0 then return 0 end
  local now = now_ms()
  if next_slot == nil or next_slot < now - 1000 then next_slot = now end
  local slot = next_slot
  next_slot = next_slot + interval
  local d = slot - now
  if d < 0 then return 0 end
  return math.floor(d)
end

function done(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
