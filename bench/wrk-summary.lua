-- wrk-summary.lua: the request bench/run sends and one machine-readable line of a wrk run's results.
-- Latencies are in microseconds, as wrk measures them; errors.status counts
-- responses with a status of 400 or more. From the environment:
--   BENCH_METHOD  the request method (default GET)
--   BENCH_BODY    a JSON request body (sent with Content-Type: application/json)
--   BENCH_STRICT  when set, every response other than 200 counts in non200
--                 (checking each response costs wrk some time, so only the
--                 targets compared with each other should share this setting)

local method, body = os.getenv("BENCH_METHOD"), os.getenv("BENCH_BODY")
if method then
	wrk.method = method
end
if body then
	wrk.body = body
	wrk.headers["Content-Type"] = "application/json"
end

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

non200 = 0
if os.getenv("BENCH_STRICT") then
	function response(status)
		if status ~= 200 then
			non200 = non200 + 1
		end
	end
end

done = function(summary, latency, requests)
	local e, bad = summary.errors, 0
	for _, t in ipairs(threads) do
		bad = bad + t:get("non200")
	end
	io.write(string.format(
		"BENCH requests=%d duration_us=%d rps=%.2f p50_us=%d p99_us=%d " ..
		"connect=%d read=%d write=%d status=%d timeout=%d non200=%d\n",
		summary.requests, summary.duration,
		summary.requests / (summary.duration / 1e6),
		latency:percentile(50), latency:percentile(99),
		e.connect, e.read, e.write, e.status, e.timeout, bad))
end
