-- wrk script: every write carries `depth` requests (first script argument, default 16), as TechEmpower's
-- plaintext test does. wrk counts each response, so Requests/sec is responses per second.
init = function(args)
  local depth = tonumber(args[1]) or 16
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format()
  end
  batch = table.concat(requests)
end

request = function()
  return batch
end
