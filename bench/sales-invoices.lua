-- sales-invoices.lua: POST /api/v1/invoices bodies of 5 distinct random products, cash sales paid in full and a share of credit sales, each in a business drawn at random with that business's token, with wrk-summary.lua's summary line.
-- From the environment, besides wrk-summary.lua's BENCH_METHOD and BENCH_BODY
-- (not used here):
--   BENCH_BUSINESSES the businesses to sell in, one "no tax_bp token" a line:
--                    the business's number (as in the two files below), its
--                    default tax rate in basis points (the requests send
--                    none, so the default applies) and an owner's access token
--   BENCH_PRODUCTS   the products to sell, one "no id price" a line: the
--                    business's number, the product's id, its price in minor
--                    units (as the product sells it)
--   BENCH_CUSTOMERS  the credit customers, one "no id" a line
--   BENCH_CREDIT_PCT the share of credit sales, in percent (default 20)
-- Products and customers of businesses that BENCH_BUSINESSES does not name
-- are ignored. Every request is a new sale in one of the businesses, drawn at
-- random, sent with its token: 5 lines on distinct products of that business
-- drawn at random, 1 to 3 of each. A cash sale tenders the total rounded up
-- to the next 1,000.00 (the change is handed back: status paid); a credit sale
-- goes to one of the business's customers, nothing paid now. Any answer other
-- than 201 counts in non200, and the first few are printed.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk-summary.lua")

local function env(name)
	return os.getenv(name) or error("sales-invoices.lua: " .. name .. " is not set")
end

-- businesses[i] = {tax_bp, token, products = {ids}, prices = {}, customers = {}}
local businesses, by_no = {}, {}
for line in io.lines(env("BENCH_BUSINESSES")) do
	local no, tax, token = line:match("^(%d+) (%d+) (%S+)$")
	if no then
		local b = {tax_bp = tonumber(tax), token = token, products = {}, prices = {}, customers = {}}
		table.insert(businesses, b)
		by_no[no] = b
	end
end
for line in io.lines(env("BENCH_PRODUCTS")) do
	local no, id, price = line:match("^(%d+) (%S+) (%d+)$")
	if no and by_no[no] then
		table.insert(by_no[no].products, id)
		table.insert(by_no[no].prices, tonumber(price))
	end
end
for line in io.lines(env("BENCH_CUSTOMERS")) do
	local no, id = line:match("^(%d+) (%S+)$")
	if no and by_no[no] then
		table.insert(by_no[no].customers, id)
	end
end
if #businesses == 0 then
	error("sales-invoices.lua: no business in BENCH_BUSINESSES")
end
for no, b in pairs(by_no) do
	if #b.products < 5 or #b.customers == 0 then
		error("sales-invoices.lua: business " .. no .. " needs 5 products and a customer")
	end
end
local credit_pct = tonumber(os.getenv("BENCH_CREDIT_PCT") or "20")
local LINES, NOTE = 5, 100000

local summary_setup = setup
local nthreads = 0

-- Gives each thread its number, which seeds its random draws.
function setup(thread)
	summary_setup(thread)
	thread:set("thread_no", nthreads)
	nthreads = nthreads + 1
end

-- Each business's request headers: wrk's -H headers, the JSON body's type and
-- the business's token (wrk.format sends the table it is given, not
-- wrk.headers).
function init()
	math.randomseed(os.time() * 16 + (thread_no or 0))
	for _, b in ipairs(businesses) do
		b.headers = {}
		for k, v in pairs(wrk.headers) do
			b.headers[k] = v
		end
		b.headers["Content-Type"] = "application/json"
		b.headers["Authorization"] = "Bearer " .. b.token
	end
end

-- The lines' JSON and their subtotal: LINES distinct products of business b,
-- 1 to 3 of each.
local function lines(b)
	local picked, parts, subtotal = {}, {}, 0
	while #parts < LINES do
		local k = math.random(#b.products)
		if not picked[k] then
			picked[k] = true
			local qty = math.random(3)
			subtotal = subtotal + qty * b.prices[k]
			table.insert(parts, string.format('{"product_id":"%s","qty":%d}', b.products[k], qty))
		end
	end
	return table.concat(parts, ","), subtotal
end

function request()
	local b = businesses[math.random(#businesses)]
	local l, subtotal = lines(b)
	local body
	if math.random(100) <= credit_pct then
		body = string.format('{"customer_id":"%s","lines":[%s],"payment_mode":"credit","paid_amount":0}',
			b.customers[math.random(#b.customers)], l)
	else
		-- the total is at most subtotal + its tax rounded up
		local most = subtotal + math.ceil(subtotal * b.tax_bp / 10000) + 1
		body = string.format('{"lines":[%s],"payment_mode":"cash","paid_amount":%d}',
			l, math.ceil(most / NOTE) * NOTE)
	end
	return wrk.format("POST", "/api/v1/invoices", b.headers, body)
end

local shown = 0

function response(status, _, body)
	if status ~= 201 then
		non200 = non200 + 1
		if shown < 3 then
			shown = shown + 1
			io.stderr:write(string.format("sales-invoices.lua: %d %s\n", status, body:sub(1, 300)))
		end
	end
end
