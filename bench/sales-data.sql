-- sales-data.sql: the sales benchmark's data: the businesses the sales are spread over (their owners, as a sign-up leaves them), each with its own products with plenty of stock and its own credit customers.
--
-- Run by bench/sales.sh as the PostgreSQL superuser (which bypasses row level
-- security, so no tenant setting is needed here), once per stack:
--
--   psql -v ON_ERROR_STOP=1 -v bid=<business 1> -v businesses=<N> \
--        -v products=<per business> -v customers=<per business> -f bench/sales-data.sql
--
-- Business 1 is a real sign-up (bench/sales.sh creates its owner through the
-- API). Businesses k = 2..N are made here as the sign-up makes them: the
-- business (default tax rate, currency and time zone), its owner
-- ("+92302" and k in 7 digits) with business 1's owner's password hash (the
-- same password), the sign-up's two change-log entries (the business and the
-- user, counter change_seq at 2) and its activity entry; the owners then log
-- in through the API like any other. Each business k = 1..N gets products
-- n = 1..:products, plain ("Bench item 17", SKU SB-17), priced 10.00 to
-- 2,009.99, each with 1,000,000 in stock as one 'in' movement (so stock_qty
-- is the sum of the movements, and a run of minutes at thousands of lines a
-- second never runs a product short), and customers c = 1..:customers
-- ("Bench customer 7", +923010000007) for the credit sales. Ids are MD5s of
-- business 1's id and the numbers, so every run has the same data, with ids
-- that follow business 1's.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
-- The rows are consistent by construction: skip the per-row foreign key
-- triggers. Superuser only; this session only.
SET session_replication_role = replica;

BEGIN;

CREATE TEMP TABLE sales_bench_businesses ON COMMIT DROP AS
	SELECT 1 AS k, :'bid'::uuid AS id
	UNION ALL
	SELECT k, md5(:'bid' || '-sales-business-' || k)::uuid
	FROM generate_series(2, :businesses) AS k;

INSERT INTO businesses (id, name, type, created_at, updated_at)
	SELECT id, 'Bench Sales ' || k, 'general store', now(), now()
	FROM sales_bench_businesses WHERE k > 1;

INSERT INTO users (business_id, id, phone, name, role, password_hash)
	SELECT s.id, md5(s.id || '-sales-owner')::uuid, '+92302' || lpad(s.k::text, 7, '0'),
		'Bench Owner', 'owner', o.password_hash
	FROM sales_bench_businesses AS s
	CROSS JOIN (SELECT password_hash FROM users
		WHERE business_id = :'bid' AND role = 'owner') AS o
	WHERE s.k > 1;

INSERT INTO change_log (business_id, seq, entity, entity_id, op, version)
	SELECT id, 1, 'business', id, 'upsert', 1 FROM sales_bench_businesses WHERE k > 1
	UNION ALL
	SELECT id, 2, 'user', md5(id || '-sales-owner')::uuid, 'upsert', 1
	FROM sales_bench_businesses WHERE k > 1;

INSERT INTO business_counters (business_id, name, value)
	SELECT id, 'change_seq', 2 FROM sales_bench_businesses WHERE k > 1;

INSERT INTO activity_log (business_id, id, user_id, action, target, ip)
	SELECT id, md5(id || '-sales-signup')::uuid, md5(id || '-sales-owner')::uuid, 'signup',
		'Bench Sales ' || k, '127.0.0.1'
	FROM sales_bench_businesses WHERE k > 1;

INSERT INTO products (business_id, id, name, sku, unit, price, cost, stock_qty, min_stock,
		low_stock, created_at, updated_at)
	SELECT s.id, md5(:'bid' || '-sales-product-' || s.k || '-' || n)::uuid, 'Bench item ' || n,
		'SB-' || n, 'pcs', 1000 + (n::bigint * 7919) % 200000, 800 + (n::bigint * 7919) % 160000,
		1000000, 5, false,
		now() - interval '1 minute' * (:products - n), now() - interval '1 minute' * (:products - n)
	FROM sales_bench_businesses AS s
	CROSS JOIN generate_series(1, :products) AS n;

INSERT INTO stock_movements (business_id, id, product_id, kind, qty, stock_after, unit_cost,
		note, created_at)
	SELECT p.business_id, md5(p.id::text || '-opening')::uuid, p.id, 'in', p.stock_qty,
		p.stock_qty, p.cost, 'opening stock (bench)', p.created_at
	FROM products AS p
	JOIN sales_bench_businesses AS s ON s.id = p.business_id
	WHERE p.sku LIKE 'SB-%';

INSERT INTO customers (business_id, id, name, phone)
	SELECT s.id, md5(:'bid' || '-sales-customer-' || s.k || '-' || c)::uuid,
		'Bench customer ' || c, '+92301' || lpad(c::text, 7, '0')
	FROM sales_bench_businesses AS s
	CROSS JOIN generate_series(1, :customers) AS c;

COMMIT;

VACUUM (ANALYZE) businesses, users, products, stock_movements, customers;
