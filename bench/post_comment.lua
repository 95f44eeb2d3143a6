-- wrk: every request posts a new comment as a guest, each with its own words and address.
-- `wrk ... -s post_comment.lua URL -- RUN`: RUN keeps the words of one run apart from another's.
local threads = {}
local counter = 0
local run = ""

-- Each thread gets its own global `id`, so that no two threads post the same words.
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  run = (args[1] or "") .. "-"
end

request = function()
  counter = counter + 1
  local tag = run .. id .. "-" .. counter
  local body = "comment=Benchmark+comment+" .. tag .. "+about+hemifacial+spasm." ..
    "&email=bench" .. tag .. "%40example.com&name=Bench+Reader+" .. tag .. "&url=&started="
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port,
    ["Sec-Fetch-Site"] = "same-origin",
  }, body)
end
