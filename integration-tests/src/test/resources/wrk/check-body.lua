-- Counts responses whose status is 200 and whose body is exactly the first script argument.
-- Each wrk thread has its own Lua state: done() adds up the threads' counters.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = args[1]
  good = 0
  bad = 0
end

function response(status, headers, body)
  if status == 200 and body == expected then
    good = good + 1
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local g, b = 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("good")
    b = b + t:get("bad")
  end
  io.write(string.format("checked: %d good, %d bad\n", g, b))
end
