-- One benchmark case for wrk. Environment:
--   BENCH_SESSIONS  lines "cookie<TAB>csrf_token"; requests rotate through them (many learners)
--   BENCH_METHOD    GET (default) or POST
--   BENCH_BODY      form body for POST; {key} -> a fresh submission key, {csrf} -> the session's token
--   BENCH_NONCE     makes keys unique across runs
--   BENCH_FETCH     "1": send X-Requested-With: fetch, as the page's script does (graded fragment only)
--   BENCH_USER_AGENT  sent on every request, as the logins sent it (a browser's never changes)
-- Prints one line "BENCH {...json...}" with counts and latency percentiles in microseconds.

local sessions = {}
for line in string.gmatch(os.getenv("BENCH_SESSIONS") or "", "[^\n]+") do
  local cookie, token = string.match(line, "([^\t]*)\t?(.*)")
  table.insert(sessions, {cookie = cookie, token = token})
end
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local nonce = os.getenv("BENCH_NONCE") or "0"
local counter = 0
local agent = os.getenv("BENCH_USER_AGENT")
local fetch = os.getenv("BENCH_FETCH") == "1"

function request()
  counter = counter + 1
  local headers = {}
  if agent then headers["User-Agent"] = agent end
  if fetch then headers["X-Requested-With"] = "fetch" end
  local s = sessions[(counter % math.max(#sessions, 1)) + 1]
  if s and s.cookie ~= "" then headers["Cookie"] = s.cookie end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local key = "b" .. nonce .. "x" .. counter
    local filled = string.gsub(string.gsub(body, "{key}", key), "{csrf}", s and s.token or "")
    return wrk.format("POST", nil, headers, filled)
  end
  return wrk.format("GET", nil, headers, nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
