-- sync-data.sql: the sync benchmark's data: products and customers of one business and the change-log rows that announce them, as if each had been created through the API.
--
-- Run by bench/sync.sh as the PostgreSQL superuser (which bypasses row level
-- security, so no tenant setting is needed here), once per stack:
--
--   psql -v ON_ERROR_STOP=1 -v bid=<the business> -v products=<n> -v customers=<n> \
--        -f bench/sync-data.sql
--
-- The business is a real sign-up (bench/sync.sh creates its owner through
-- the API). It gets products n = 1..:products, plain ("Sync item 17", SKU
-- SY-17), priced 10.00 to 2,009.99, each with 10 in stock as one opening
-- 'in' movement (above the default minimum of 5: none is low), and customers
-- c = 1..:customers ("Sync customer 7", +92305 and c in seven digits). Each
-- record gets the change-log row its creation through the API writes
-- (entity, id, 'upsert', version 1), numbered after the business's last
-- change in creation order (products, then customers, interleaved by
-- number), and the business's change_seq counter moves past them: a device
-- that had pulled up to the sign-up pulls exactly these changes next. Ids
-- are MD5s of the business's id and the numbers, so every run has the same
-- data.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
-- The rows are consistent by construction: skip the per-row foreign key
-- triggers. Superuser only; this session only.
SET session_replication_role = replica;

BEGIN;

-- The counter row is locked until the commit, as the workers lock it.
SELECT value AS seq0 FROM business_counters
	WHERE business_id = :'bid' AND name = 'change_seq' FOR UPDATE \gset

INSERT INTO products (business_id, id, name, sku, unit, price, cost, stock_qty, min_stock,
		low_stock)
	SELECT :'bid', md5(:'bid' || '-sync-product-' || n)::uuid, 'Sync item ' || n, 'SY-' || n,
		'pcs', 1000 + (n::bigint * 7919) % 200000, 800 + (n::bigint * 7919) % 160000, 10, 5,
		false
	FROM generate_series(1, :products) AS n;

INSERT INTO stock_movements (business_id, id, product_id, kind, qty, stock_after, unit_cost,
		note)
	SELECT :'bid', md5(:'bid' || '-sync-opening-' || n)::uuid,
		md5(:'bid' || '-sync-product-' || n)::uuid, 'in', 10, 10,
		800 + (n::bigint * 7919) % 160000, 'opening stock (bench)'
	FROM generate_series(1, :products) AS n;

INSERT INTO customers (business_id, id, name, phone)
	SELECT :'bid', md5(:'bid' || '-sync-customer-' || c)::uuid, 'Sync customer ' || c,
		'+92305' || lpad(c::text, 7, '0')
	FROM generate_series(1, :customers) AS c;

-- The records in creation order: product n at n * (products + customers)
-- / products, customer c likewise, so that the two kinds interleave.
INSERT INTO change_log (business_id, seq, entity, entity_id, op, version)
	SELECT :'bid', :seq0 + row_number() OVER (ORDER BY k, entity), entity, id, 'upsert', 1
	FROM (SELECT n::numeric / :products AS k, 'product' AS entity,
			md5(:'bid' || '-sync-product-' || n)::uuid AS id
		FROM generate_series(1, :products) AS n
		UNION ALL
		SELECT c::numeric / :customers, 'customer', md5(:'bid' || '-sync-customer-' || c)::uuid
		FROM generate_series(1, :customers) AS c) AS r;

UPDATE business_counters SET value = value + :products + :customers
	WHERE business_id = :'bid' AND name = 'change_seq';

COMMIT;

VACUUM (ANALYZE) products, stock_movements, customers, change_log, business_counters;
