-- One benchmark scenario for wrk (driven by bench/run.py). The scenario is a Lua table in the file
-- named by BENCH_SCENARIO: method, paths (rotated per request), cookies (rotated with the paths),
-- headers, body (STATEMENT_ID replaced by a fresh UUID per request when uuid_body is true), the
-- expected status and the text every response must contain (contains; "" = no check). A response with
-- another status or without that text counts as unexpected. done() writes the figures as JSON to BENCH_RESULT.
local spec = dofile(os.getenv("BENCH_SCENARIO"))
local threads = {}
local counter = 0
bad = 0  -- global: read by done() through thread:get
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  counter = id * 7919
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  counter = counter + 1
  local i = (counter % #spec.paths) + 1
  local headers = {}
  for k, v in pairs(spec.headers or {}) do headers[k] = v end
  if spec.cookies and #spec.cookies > 0 then
    headers["Cookie"] = spec.cookies[(counter % #spec.cookies) + 1]
  end
  local body = spec.body
  if body and spec.uuid_body then
    body = string.gsub(body, "STATEMENT_ID", uuid4())
  end
  return wrk.format(spec.method, spec.paths[i], headers, body)
end

function response(status, headers, body)
  if status ~= spec.expect then
    bad = bad + 1
  elseif spec.contains and spec.contains ~= "" and not string.find(body or "", spec.contains, 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local unexpected = 0
  for _, t in ipairs(threads) do unexpected = unexpected + (t:get("bad") or 0) end
  local e = summary.errors
  local out = io.open(os.getenv("BENCH_RESULT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "rps": %.2f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"mean_ms": %.3f, "max_ms": %.3f, "unexpected_status": %d, "socket_errors": %d, "status_errors": %d}',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000, unexpected,
    e.connect + e.read + e.write + e.timeout, e.status))
  out:close()
end
