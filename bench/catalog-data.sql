-- catalog-data.sql: the catalog benchmark's data: 300,000 products in ten businesses, 100,000 of them in the measured one.
--
-- Run by bench/catalog.sh as the PostgreSQL superuser (which bypasses row level
-- security, so no tenant setting is needed here), once per stack:
--
--   psql -v ON_ERROR_STOP=1 -v bid=<the measured business> -f bench/catalog-data.sql
--
-- The measured business is a real sign-up (bench/catalog.sh creates its owner
-- through the API); the nine others are plain business rows. Each business gets
-- the same twelve categories and products numbered n = 1, 2, ... with:
--   * names mixing a brand, an English or Urdu noun, a variant and a size
--     ("Denso Heavy Duty Spark Plug 12V", "Tapal چائے خالص ۲۵۰ گرام"), one in six Urdu;
--   * SKU = the category's prefix '-' the product's number in its category
--     (Cat-123), generated (sku_auto), with the category's sku_seq set past it;
--   * a 13-digit barcode for three products in four (n % 4 <> 0), unique per
--     business: '896' and n * 7919 mod 1000000007 (a bijection), in ten digits;
--   * one composite in 200, made of the two products before it (1 and 4 of them);
--   * low_stock set as the product code keeps it (available <= min_stock, 5);
--   * one product in 97 soft-deleted;
--   * stock as one 'in' movement (so stock_qty is the sum of the movements).
-- Everything is derived from the product numbers and the business ids (ids are
-- MD5s), so two runs produce the same products, with ids that follow the measured
-- business's. Takes under a minute on two cores.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET maintenance_work_mem = '256MB';
-- The trigram GIN indexes collect the new entries in their pending list and the
-- VACUUM at the end merges them in bulk: three times faster than 4 MB at a time.
SET gin_pending_list_limit = '256MB';
SET synchronous_commit = off;
-- The rows are consistent by construction: skip the per-row foreign key triggers
-- (half the time of the load). Superuser only; this session only.
SET session_replication_role = replica;
SELECT setseed(0.4242);

BEGIN;

-- The businesses: b = 1 is the measured one, 2..10 get their own rows.
CREATE TEMP TABLE bench_biz (b int PRIMARY KEY, id uuid NOT NULL, nproducts int NOT NULL);
INSERT INTO bench_biz VALUES (1, :'bid', 100000);
INSERT INTO bench_biz
	SELECT b, md5('bahi-bench-business-' || b)::uuid, CASE WHEN b <= 2 THEN 22224 ELSE 22222 END
	FROM generate_series(2, 10) AS b;
INSERT INTO businesses (id, name, type)
	SELECT id, 'Bench Shop ' || b, 'general store' FROM bench_biz WHERE b > 1
	ON CONFLICT (id) DO NOTHING;

-- Twelve categories per business; category c holds the products with n % 12 = c - 1.
CREATE TEMP TABLE bench_cat (c int PRIMARY KEY, name text NOT NULL, prefix text NOT NULL);
INSERT INTO bench_cat VALUES
	(1, 'Catalogue items', 'Cat'), (2, 'Auto parts', 'Auto'), (3, 'Furniture', 'Furniture'),
	(4, 'Grocery', 'Grocery'), (5, 'Electrical', 'Elec'), (6, 'Paint', 'Paint'),
	(7, 'Tools', 'Tools'), (8, 'Bath and sanitary', 'Bath'), (9, 'Kitchen', 'Kitchen'),
	(10, 'Stationery', 'Stat'), (11, 'Garments', 'Garments'), (12, 'Medicine', 'Pharma');
INSERT INTO categories (business_id, id, name, sku_prefix)
	SELECT z.id, md5(z.id::text || '-category-' || c.c)::uuid, c.name, c.prefix
	FROM bench_biz z CROSS JOIN bench_cat c;

-- The words of the names.
CREATE TEMP TABLE bench_words (kind text NOT NULL, words text[] NOT NULL);
INSERT INTO bench_words VALUES
	('brand', ARRAY['Toyota', 'Honda', 'Suzuki', 'Denso', 'Bosch', 'Exide', 'Atlas', 'Philips',
		'National', 'Tapal', 'Lipton', 'Shan', 'Dalda', 'Surf', 'Lux', 'Dollar', 'Piano',
		'Master', 'Interwood', 'Sonex', 'Berger', 'Diamond', 'Pak', 'Crown', 'Sapphire']),
	('noun', ARRAY['Brake Pad', 'Oil Filter', 'Air Filter', 'Spark Plug', 'Bearing',
		'Clutch Plate', 'Fan Belt', 'Head Lamp', 'Wiper Blade', 'Battery', 'Radiator Cap',
		'Shock Absorber', 'Office Chair', 'Dining Table', 'Sofa Set', 'Cabinet', 'Basmati Rice',
		'Sugar', 'Wheat Flour', 'Cooking Oil', 'Tea', 'Soap', 'Shampoo', 'Detergent',
		'Biscuit', 'Ball Pen', 'Notebook', 'LED Bulb', 'Extension Cord', 'Wall Switch',
		'Emulsion Paint', 'Paint Brush', 'Hammer', 'Screwdriver', 'Spanner', 'Water Tap',
		'Shower Head', 'Pressure Cooker', 'Frying Pan', 'Kettle', 'Kurta', 'Shalwar',
		'Paracetamol', 'Cough Syrup', 'Ceiling Fan', 'Water Pump', 'Padlock', 'Door Hinge']),
	('variant', ARRAY['Premium', 'Deluxe', 'Heavy Duty', 'Classic', 'Super', 'Eco', 'Pro',
		'Standard', 'Mini', 'Large', 'Red', 'Blue', 'Black', 'White', 'Steel', 'Plastic',
		'Wooden', 'Gold', 'Family Pack', 'Original']),
	('size', ARRAY['1kg', '500g', '250ml', '1L', '5L', '12V', '10mm', '6 inch', 'XL', '200g',
		'Pack of 6', 'Size 8', '2m', '']),
	('urdu_noun', ARRAY['چائے', 'چاول', 'آٹا', 'دال', 'چینی', 'نمک', 'صابن', 'تیل', 'گھی',
		'مرچ', 'دودھ', 'بسکٹ', 'کرسی', 'میز', 'بلب', 'پنکھا', 'بریک', 'فلٹر', 'ہلدی', 'انڈے']),
	('urdu_variant', ARRAY['خالص', 'اعلیٰ', 'سپر', 'تازہ', 'بڑا', 'چھوٹا', 'سرخ', 'دیسی']),
	('urdu_size', ARRAY['ایک کلو', 'آدھا کلو', '۲۵۰ گرام', 'ایک لیٹر', 'پانچ لیٹر', '']);

-- One row per product: its numbers and random draws, then the products from it.
CREATE TEMP TABLE bench_prod AS
	SELECT z.b, z.id AS business_id, n,
		md5(z.id::text || '-product-' || n)::uuid AS id,
		n % 12 + 1 AS c, (n - 1) / 12 + 1 AS seq,
		random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
		CASE WHEN n % 200 = 0 THEN 0 WHEN random() < 0.1 THEN floor(random() * 6)
			ELSE floor(random() * 250) END AS stock
	FROM bench_biz z, generate_series(1, z.nproducts) AS n;

-- (1 + floor(r * len)) picks a word of a list.
CREATE TEMP TABLE bench_named AS
	SELECT p.*,
		CASE WHEN p.r5 < 1.0 / 6 THEN
			btrim(concat_ws(' ', CASE WHEN p.r1 < 0.4 THEN w.brand[1 + floor(p.r2 * array_length(w.brand, 1))::int] END,
				w.unoun[1 + floor(p.r1 * array_length(w.unoun, 1))::int],
				w.uvar[1 + floor(p.r3 * array_length(w.uvar, 1))::int],
				NULLIF(w.usize[1 + floor(p.r4 * array_length(w.usize, 1))::int], '')))
		ELSE
			btrim(concat_ws(' ', w.brand[1 + floor(p.r2 * array_length(w.brand, 1))::int],
				CASE WHEN p.r3 < 0.6 THEN w.variant[1 + floor(p.r4 * array_length(w.variant, 1))::int] END,
				w.noun[1 + floor(p.r1 * array_length(w.noun, 1))::int],
				NULLIF(w.size[1 + floor(p.r3 * array_length(w.size, 1))::int], '')))
		END AS name
	FROM bench_prod p,
		(SELECT max(words) FILTER (WHERE kind = 'brand') AS brand,
			max(words) FILTER (WHERE kind = 'noun') AS noun,
			max(words) FILTER (WHERE kind = 'variant') AS variant,
			max(words) FILTER (WHERE kind = 'size') AS size,
			max(words) FILTER (WHERE kind = 'urdu_noun') AS unoun,
			max(words) FILTER (WHERE kind = 'urdu_variant') AS uvar,
			max(words) FILTER (WHERE kind = 'urdu_size') AS usize
		FROM bench_words) w;

INSERT INTO products (business_id, id, category_id, name, sku, sku_auto, barcode, unit, price,
		cost, stock_qty, min_stock, is_composite, low_stock, created_at, updated_at, deleted_at)
	SELECT p.business_id, p.id, md5(p.business_id::text || '-category-' || p.c)::uuid,
		p.name, cat.prefix || '-' || p.seq, true,
		CASE WHEN p.n % 4 <> 0 THEN '896' || lpad(((p.n::bigint * 7919) % 1000000007)::text, 10, '0') END,
		(ARRAY['pcs', 'pcs', 'pcs', 'kg', 'box', 'l', 'pack', 'm'])[1 + floor(p.r4 * 8)::int],
		(10 + floor(p.r2 * 20000))::bigint * 100,
		(8 + floor(p.r2 * 16000))::bigint * 100,
		p.stock, 5, p.n % 200 = 0, p.n % 200 <> 0 AND p.stock <= 5,
		now() - (interval '1 minute' * (z.nproducts - p.n)),
		now() - (interval '1 minute' * (z.nproducts - p.n)),
		CASE WHEN p.n % 97 = 50 THEN now() END
	FROM bench_named p JOIN bench_cat cat USING (c) JOIN bench_biz z USING (b);

UPDATE categories k SET sku_seq = m.seq
	FROM (SELECT business_id, c, max(seq) AS seq FROM bench_prod GROUP BY 1, 2) m
	WHERE k.business_id = m.business_id
		AND k.id = md5(m.business_id::text || '-category-' || m.c)::uuid;

-- A composite (n % 200 = 0) is one of product n - 1 and four of product n - 2.
INSERT INTO product_components (business_id, product_id, component_id, qty, pos)
	SELECT business_id, id, md5(business_id::text || '-product-' || (n - k))::uuid, 1 + 3 * (k - 1),
		k - 1
	FROM bench_prod, generate_series(1, 2) AS k
	WHERE n % 200 = 0;
UPDATE products p SET low_stock = a.available <= p.min_stock
	FROM (SELECT pc.business_id, pc.product_id, floor(min(c.stock_qty / pc.qty)) AS available
		FROM product_components pc
		JOIN products c ON c.business_id = pc.business_id AND c.id = pc.component_id
		WHERE pc.business_id IN (SELECT id FROM bench_biz)
		GROUP BY 1, 2) a
	WHERE p.business_id = a.business_id AND p.id = a.product_id;

INSERT INTO stock_movements (business_id, id, product_id, kind, qty, stock_after, unit_cost,
		note, created_at)
	SELECT business_id, md5(id::text || '-opening')::uuid, id, 'in', stock_qty, stock_qty, cost,
		'opening stock (bench)', created_at
	FROM products
	WHERE business_id IN (SELECT id FROM bench_biz) AND stock_qty > 0;

COMMIT;

VACUUM (ANALYZE) categories, products, product_components, stock_movements;
