-- wrk script for bench/slack_wrk.py: sends pre-signed Slack slash commands (wrk's Lua has no
-- HMAC, so the benchmark signs them) and counts what each acknowledgement carried.
-- Arguments after `--`: the file of requests (one per line: timestamp, signature, body),
-- a fragment of the "busy" answer, the number of wrk threads, the seconds to send for, and
-- a rate per thread: 0 sends again as soon as an answer comes (closed loop), more sends
-- on a schedule of that many requests a second, answered or not (open loop), on whichever
-- connection is free: a late send is noted, and the schedule is kept by catching up.
-- After those seconds no request is sent, and the thread stops once every request it sent
-- has been answered (or when wrk's own duration ends): nothing is left in flight.

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } concerted_timespec;
int clock_gettime(int clock, concerted_timespec *now);
]]
local clock = ffi.new("concerted_timespec")

local function now() -- CLOCK_MONOTONIC, as Python's time.monotonic() reads it
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) / 1e9
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests, at = {}, 0
  answer, busy, empty, failed, wrapped, sent, waiting = 0, 0, 0, 0, 0, 0, 0
  first, last, slot, late = 0, 0, 0, 0
  marker = args[2]
  window = tonumber(args[4])
  rate = tonumber(args[5] or "0")
  local share, line_number = tonumber(args[3]), 0
  for line in io.lines(args[1]) do
    -- Each thread takes its own share of the lines, so no request is sent twice.
    if line_number % share == (id or 0) then
      local stamp, signature, body = line:match("^(%d+) (%S+) (.*)$")
      requests[#requests + 1] = wrk.format("POST", "/slack/events", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Slack-Request-Timestamp"] = stamp,
        ["X-Slack-Signature"] = signature,
      }, body)
    end
    line_number = line_number + 1
  end
end

local function over(moment)
  return first > 0 and (moment or now()) - first >= window
end

function delay()
  if over() then
    return 3600000 -- past the window: nothing more before wrk stops
  end
  if rate == 0 then
    return 0
  end
  local moment = now()
  if first == 0 then
    first = moment
  end
  slot = slot == 0 and moment or slot + 1 / rate
  if over(slot) then
    return 3600000 -- this slot falls after the window: the schedule is done
  end
  late = math.max(late, moment - slot)
  return math.max(0, math.floor((slot - moment) * 1000))
end

function request()
  if first == 0 then
    first = now()
  end
  at, sent, waiting = at + 1, sent + 1, waiting + 1
  if at > #requests then
    at, wrapped = 1, wrapped + 1
  end
  return requests[at]
end

function response(status, headers, body)
  last, waiting = now(), waiting - 1
  if status ~= 200 then
    failed = failed + 1
  elseif body == nil or #body == 0 then
    empty = empty + 1
  elseif string.find(body, marker, 1, true) then
    busy = busy + 1
  else
    answer = answer + 1
  end
  if waiting == 0 and over() then
    wrk.thread:stop() -- every request sent has been answered
  end
end

function done(summary, latency, requests)
  local total = { answer = 0, busy = 0, empty = 0, failed = 0, wrapped = 0, sent = 0 }
  local first_sent, last_answer, most_late = math.huge, 0, 0
  for _, thread in ipairs(threads) do
    for name, _ in pairs(total) do
      total[name] = total[name] + (thread:get(name) or 0)
    end
    local began = thread:get("first") or 0
    if began > 0 then
      first_sent = math.min(first_sent, began)
    end
    last_answer = math.max(last_answer, thread:get("last") or 0)
    most_late = math.max(most_late, thread:get("late") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    "CONCERTED-WRK sent=%d first=%.6f last=%.6f answer=%d busy=%d empty=%d failed=%d " ..
    "wrapped=%d timeouts=%d socket_errors=%d/%d/%d p50_us=%d p99_us=%d late_ms=%d\n",
    total.sent, first_sent, last_answer, total.answer, total.busy, total.empty, total.failed,
    total.wrapped, errors.timeout, errors.connect, errors.read, errors.write,
    latency:percentile(50), latency:percentile(99), most_late * 1000))
end
