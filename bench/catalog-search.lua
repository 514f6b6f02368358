-- catalog-search.lua: GET requests rotating over bench/catalog.sh's search paths, with wrk-summary.lua's checks and summary line.
-- From the environment, besides wrk-summary.lua's settings:
--   BENCH_PATHS  the request paths, one a line, already URL-encoded
--                (/api/v1/products?q=...); each wrk thread sends them in turn,
--                starting at its own place in the list, so every path gets the
--                same share of the requests.
-- The requests are formatted once per thread (with wrk's -H headers), so the
-- rotation costs wrk one table lookup per request.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk-summary.lua")

local paths = {}
for p in (os.getenv("BENCH_PATHS") or ""):gmatch("[^\n]+") do
	table.insert(paths, p)
end
if #paths == 0 then
	error("catalog-search.lua: BENCH_PATHS is empty")
end

local summary_setup = setup
local nthreads = 0

-- Gives each thread its number, so that threads start at different paths.
function setup(thread)
	summary_setup(thread)
	thread:set("thread_no", nthreads)
	nthreads = nthreads + 1
end

local requests, i = {}, 0

function init()
	for _, p in ipairs(paths) do
		table.insert(requests, wrk.format(nil, p))
	end
	i = (thread_no or 0) % #requests
end

function request()
	i = i % #requests + 1
	return requests[i]
end
