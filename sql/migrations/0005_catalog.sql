-- 0005_catalog: categories, products and their components, stock movements, suppliers and batches.
--
-- Quantities are numeric(14,3) (at most 3 decimals, as the API takes them); money is
-- bigint minor units. Every tenant table follows the rule of 0001_base.sql.

-- Categories (item groups). sku_seq numbers the SKUs generated in the category
-- (prefix '-' next number: Furniture-4); it is taken under the row lock.
CREATE TABLE categories (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
	sku_prefix	text NOT NULL CHECK (sku_prefix ~ '^[A-Za-z0-9][A-Za-z0-9_.]{0,19}$'),
	parent_id	uuid,
	sku_seq		bigint NOT NULL DEFAULT 0 CHECK (sku_seq >= 0),
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, parent_id) REFERENCES categories (business_id, id),
	CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX categories_name_key ON categories (business_id, lower(name))
	WHERE deleted_at IS NULL;
CREATE INDEX categories_list_idx ON categories (business_id, created_at, id)
	WHERE deleted_at IS NULL;
CREATE INDEX categories_parent_idx ON categories (business_id, parent_id)
	WHERE deleted_at IS NULL AND parent_id IS NOT NULL;
ALTER TABLE categories ENABLE ROW LEVEL SECURITY;
ALTER TABLE categories FORCE ROW LEVEL SECURITY;
CREATE POLICY categories_tenant ON categories
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- Products. stock_qty is the sum of the product's stock movements (kept under the
-- row lock by the movement code) and never negative. A composite product holds no
-- stock of its own: its available quantity comes from its components.
-- sku_auto: the SKU was generated (a category change generates a new one).
-- low_stock: whether available <= min_stock when last computed, so that a crossing
-- of the line in either direction can be told to devices (bahi_product_stock_changed).
-- sku_lower and search_text are derived columns that exist for the indexes: under
-- row-level security an index serves only conditions whose functions are LEAKPROOF,
-- which lower() and || are not, while = on text and the trigram operators are
-- (bootstrap.sql). So lookups compare sku_lower = $1, and search matches
-- search_text (lower-cased name, SKU and barcode).
CREATE TABLE products (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	category_id	uuid,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	sku		text NOT NULL CHECK (char_length(sku) BETWEEN 1 AND 64),
	sku_auto	boolean NOT NULL DEFAULT false,
	barcode		text CHECK (char_length(barcode) BETWEEN 1 AND 64),
	unit		text NOT NULL DEFAULT 'pcs' CHECK (unit IN ('pcs', 'kg', 'g', 'm', 'cm',
				'l', 'ml', 'box', 'pack', 'dozen', 'pair', 'set')),
	price		bigint NOT NULL DEFAULT 0 CHECK (price BETWEEN 0 AND 1000000000000000),
	cost		bigint NOT NULL DEFAULT 0 CHECK (cost BETWEEN 0 AND 1000000000000000),
	stock_qty	numeric(14,3) NOT NULL DEFAULT 0 CHECK (stock_qty >= 0),
	min_stock	numeric(14,3) NOT NULL DEFAULT 5 CHECK (min_stock >= 0),
	is_composite	boolean NOT NULL DEFAULT false,
	low_stock	boolean NOT NULL DEFAULT true,
	image_key	text CHECK (char_length(image_key) BETWEEN 1 AND 300),
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	sku_lower	text GENERATED ALWAYS AS (lower(sku)) STORED,
	search_text	text GENERATED ALWAYS AS
			(lower(name) || ' ' || lower(sku) || COALESCE(' ' || lower(barcode), '')) STORED,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, category_id) REFERENCES categories (business_id, id),
	CHECK (NOT is_composite OR stock_qty = 0)
);
-- SKUs are unique per business whatever their case (and serve SKU prefix look-ups).
CREATE UNIQUE INDEX products_sku_key ON products (business_id, sku_lower text_pattern_ops)
	WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX products_barcode_key ON products (business_id, barcode)
	WHERE deleted_at IS NULL AND barcode IS NOT NULL;
-- The list pages: all live products, or one category's, oldest first.
CREATE INDEX products_list_idx ON products (business_id, created_at, id)
	WHERE deleted_at IS NULL;
CREATE INDEX products_category_idx ON products (business_id, category_id, created_at, id)
	WHERE deleted_at IS NULL;
-- Search (bahi_product_search): typo-tolerant trigram matching (pg_trgm) within one
-- business (btree_gin puts business_id into the same index, so a search reads
-- only its business's entries), and name prefixes for queries too short for
-- trigrams. btree_gin and fuzzystrmatch (edit distance, for ranking typos) are
-- trusted extensions, which the database owner may create.
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA public;
CREATE INDEX products_search_trgm_idx ON products
	USING gin (business_id, search_text gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX products_search_prefix_idx ON products (business_id, search_text text_pattern_ops)
	WHERE deleted_at IS NULL;
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE products FORCE ROW LEVEL SECURITY;
CREATE POLICY products_tenant ON products
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- What a composite product is made of: qty of component per one product, listed in
-- the order pos.
CREATE TABLE product_components (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	product_id	uuid NOT NULL,
	component_id	uuid NOT NULL,
	qty		numeric(14,3) NOT NULL CHECK (qty > 0),
	pos		smallint NOT NULL DEFAULT 0 CHECK (pos >= 0),
	PRIMARY KEY (business_id, product_id, component_id),
	FOREIGN KEY (business_id, product_id) REFERENCES products (business_id, id)
		ON DELETE CASCADE,
	FOREIGN KEY (business_id, component_id) REFERENCES products (business_id, id),
	CHECK (product_id <> component_id)
);
CREATE INDEX product_components_component_idx
	ON product_components (business_id, component_id);
ALTER TABLE product_components ENABLE ROW LEVEL SECURITY;
ALTER TABLE product_components FORCE ROW LEVEL SECURITY;
CREATE POLICY product_components_tenant ON product_components
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- The stock a sale of one unit of product p takes from each product that holds
-- stock: a composite is expanded down to its plain components, quantities
-- multiplied along the way and added up where a component is reached twice
-- (table = 1 top + 4 legs, top = 2 boards: 2 boards and 4 legs). A plain
-- product needs itself once. Composites are acyclic (the product code refuses
-- cycles); the depth cap only bounds a bug.
CREATE FUNCTION bahi_product_needs(b uuid, p uuid)
	RETURNS TABLE (product_id uuid, qty numeric)
	LANGUAGE sql STABLE PARALLEL SAFE
	AS $$
	WITH RECURSIVE t (id, need, composite, depth) AS (
		SELECT x.id, 1::numeric, x.is_composite, 0 FROM products x
		WHERE x.business_id = b AND x.id = p
		UNION ALL
		SELECT pc.component_id, t.need * pc.qty, c.is_composite, t.depth + 1
		FROM t JOIN product_components pc ON pc.business_id = b AND pc.product_id = t.id
		JOIN products c ON c.business_id = b AND c.id = pc.component_id
		WHERE t.composite AND t.depth < 32)
	SELECT id, sum(need) FROM t WHERE NOT composite GROUP BY id
$$;

-- What can be sold of composite p now: floor(min(stock / quantity needed)) over
-- the plain products it expands to (chair = 1 frame + 4 wheels; 10 frames and 32
-- wheels: 8).
CREATE FUNCTION bahi_composite_available(b uuid, p uuid) RETURNS numeric
	LANGUAGE sql STABLE PARALLEL SAFE
	AS $$
	SELECT COALESCE(floor(min(x.stock_qty / n.qty)), 0)
	FROM bahi_product_needs(b, p) n
	JOIN products x ON x.business_id = b AND x.id = n.product_id
$$;

-- A product's available quantity: its stock, or for a composite what its
-- components make. Inlined into queries; only composites cost a look-up.
CREATE FUNCTION bahi_product_available(p products) RETURNS numeric
	LANGUAGE sql STABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN p.is_composite THEN bahi_composite_available(p.business_id, p.id)
		ELSE p.stock_qty END $$;

-- One page of the live products of business b, oldest first: lim rows after
-- (after_at, after_id) (NULL: from the start), of category cat (NULL: any),
-- only those with available <= min_stock when low. Each case is its own
-- statement, so that every one scans its index (products_list_idx,
-- products_category_idx) from the cursor on. A function with a generic plan:
-- a LIMIT given as a parameter would otherwise make PostgreSQL plan the list
-- anew for every request (its generic plan looks dearer than it is), which
-- costs more than running it.
CREATE FUNCTION bahi_product_page(b uuid, lim int, cat uuid, low boolean, after_at timestamptz,
	after_id uuid)
	RETURNS SETOF products
	LANGUAGE plpgsql STABLE ROWS 50
	SET plan_cache_mode = force_generic_plan
	AS $$
BEGIN
	IF low THEN
		RETURN QUERY SELECT p.* FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL
			AND (after_at IS NULL OR (p.created_at, p.id) > (after_at, after_id))
			AND (cat IS NULL OR p.category_id = cat)
			AND bahi_product_available(p) <= p.min_stock
		ORDER BY p.created_at, p.id LIMIT lim;
	ELSIF cat IS NOT NULL AND after_at IS NULL THEN
		RETURN QUERY SELECT p.* FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL AND p.category_id = cat
		ORDER BY p.created_at, p.id LIMIT lim;
	ELSIF cat IS NOT NULL THEN
		RETURN QUERY SELECT p.* FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL AND p.category_id = cat
			AND (p.created_at, p.id) > (after_at, after_id)
		ORDER BY p.created_at, p.id LIMIT lim;
	ELSIF after_at IS NULL THEN
		RETURN QUERY SELECT p.* FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL
		ORDER BY p.created_at, p.id LIMIT lim;
	ELSE
		RETURN QUERY SELECT p.* FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL
			AND (p.created_at, p.id) > (after_at, after_id)
		ORDER BY p.created_at, p.id LIMIT lim;
	END IF;
END
$$;

-- The next generated SKU in category cat: its prefix '-' the next number of
-- its sku_seq (Furniture-4 after three), skipping numbers whose SKU a live
-- product already has (given by hand). Products without a category (cat NULL)
-- are numbered by the business counter 'product_sku' with the prefix ITEM. The
-- category row (or the counter) stays locked until commit, so concurrent
-- creations get distinct numbers. NULL when the category is not a live one of b.
CREATE FUNCTION bahi_take_sku(b uuid, cat uuid) RETURNS text
	LANGUAGE plpgsql
	AS $$
DECLARE
	prefix text;
	n bigint;
BEGIN
	LOOP
		IF cat IS NULL THEN
			INSERT INTO business_counters AS c (business_id, name, value)
			VALUES (b, 'product_sku', 1)
			ON CONFLICT (business_id, name) DO UPDATE SET value = c.value + 1
			RETURNING 'ITEM', c.value INTO prefix, n;
		ELSE
			UPDATE categories c SET sku_seq = c.sku_seq + 1
			WHERE c.business_id = b AND c.id = cat AND c.deleted_at IS NULL
			RETURNING c.sku_prefix, c.sku_seq INTO prefix, n;
			IF NOT FOUND THEN
				RETURN NULL;
			END IF;
		END IF;
		IF NOT EXISTS (SELECT 1 FROM products p WHERE p.business_id = b
		    AND p.deleted_at IS NULL AND p.sku_lower = lower(prefix || '-' || n)) THEN
			RETURN prefix || '-' || n;
		END IF;
	END LOOP;
END
$$;

-- The ids of the live products of business b matching q, best first, for the
-- page lim/off. The ranking:
--   phase 1: candidates whose word similarity (pg_trgm) to q is at least 0.6,
--     which holds whenever q occurs as typed at the start of a word of the
--     name, SKU or barcode: tier 0 the SKU or barcode equals q; tier 1 the name,
--     SKU or barcode starts with q; tier 2 q starts a word; tier 3 the rest;
--     within tier 3, higher word similarity first; within each, shorter names
--     first;
--   phase 2 (tier 4): the typo-tolerant rest, word similarity from 0.3 and at
--     least two trigrams of q in common ("chiar" finds "Chair"), ranked by the
--     smallest edit distance (fuzzystrmatch, capped at 4) between q and a word,
--     so that "chiar" puts Chair (2) before Chain (3), then by word similarity.
-- Last come name and id, so that pages are stable. Phase 2 runs only when
-- phase 1 cannot fill the page: its wider candidate set costs more. A q shorter than 3 characters is too short for
-- trigrams: it matches an exact SKU or barcode (tier 0) or the start of the
-- name or SKU (tier 1). cat and low filter by category and low stock
-- (available <= min_stock). Scans use products_search_trgm_idx (short q: the
-- prefix and SKU indexes). The SET clause names a pg_trgm setting, which a
-- non-superuser may do only once the extension's library is loaded (the index
-- builds above load it).
CREATE FUNCTION bahi_product_search(b uuid, q text, cat uuid, low boolean, lim int, off int)
	RETURNS TABLE (id uuid, tier int)
	LANGUAGE plpgsql STABLE
	SET pg_trgm.word_similarity_threshold = 0.6
	AS $$
DECLARE
	lq text := lower(q);
	pat text := replace(replace(replace(lower(q), '\', '\\'), '%', '\%'), '_', '\_');
	got bigint;
	n_skip bigint;
BEGIN
	IF char_length(q) < 3 THEN
		RETURN QUERY
		SELECT p.id, CASE WHEN p.sku_lower = lq OR p.barcode = q THEN 0 ELSE 1 END
		FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL
			AND (p.search_text ^@ lq OR p.sku_lower ^@ lq OR p.barcode = q)
			AND (cat IS NULL OR p.category_id = cat)
			AND (NOT low OR bahi_product_available(p) <= p.min_stock)
		ORDER BY 2, char_length(p.name), lower(p.name), p.id
		LIMIT lim OFFSET off;
		RETURN;
	END IF;
	-- OFFSET 0 keeps the planner from folding the subquery, so each
	-- similarity is computed once per candidate
	RETURN QUERY
	SELECT x.id, x.tier FROM (
		SELECT p.id, p.name, p.search_text,
			CASE WHEN p.sku_lower = lq OR lower(p.barcode) = lq THEN 0
			WHEN p.search_text LIKE pat || '%' OR p.sku_lower LIKE pat || '%'
				OR lower(p.barcode) LIKE pat || '%' THEN 1
			WHEN p.search_text LIKE '% ' || pat || '%' THEN 2
			ELSE 3 END AS tier
		FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL AND lq <% p.search_text
			AND (cat IS NULL OR p.category_id = cat)
			AND (NOT low OR bahi_product_available(p) <= p.min_stock)
		OFFSET 0) x
	ORDER BY x.tier, CASE WHEN x.tier = 3 THEN word_similarity(lq, x.search_text) END DESC,
		char_length(x.name), lower(x.name), x.id
	LIMIT lim OFFSET off;
	GET DIAGNOSTICS got = ROW_COUNT;
	-- a code (no space, a digit: Cat-12, a barcode) is not fuzzy-matched: its
	-- trigrams ("896", "960"...) are shared by most codes, and the fallback
	-- would compare the query with nearly every product for noise
	IF got >= lim OR q ~ '^\S*[0-9]\S*$' THEN
		RETURN;
	END IF;
	n_skip := 0;
	IF got = 0 AND off > 0 THEN
		SELECT off - count(*) INTO n_skip FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL AND lq <% p.search_text
			AND (cat IS NULL OR p.category_id = cat)
			AND (NOT low OR bahi_product_available(p) <= p.min_stock);
	END IF;
	-- at least 0.3, and at least 2 of q's trigrams: a short q (3 trigrams) would
	-- otherwise match every word that starts with its first letter
	PERFORM set_config('pg_trgm.word_similarity_threshold',
		greatest(0.3, 1.9 / array_length(show_trgm(lq), 1))::text, true);
	RETURN QUERY
	SELECT x.id, 4 FROM (
		SELECT p.id, p.name, word_similarity(lq, p.search_text) AS ws,
			COALESCE((SELECT min(levenshtein_less_equal(lq, w, 3))
			FROM unnest(string_to_array(p.search_text, ' ')) w
			WHERE abs(char_length(w) - char_length(lq)) <= 3), 4) AS dist
		FROM products p
		WHERE p.business_id = b AND p.deleted_at IS NULL AND lq <% p.search_text
			AND (cat IS NULL OR p.category_id = cat)
			AND (NOT low OR bahi_product_available(p) <= p.min_stock)
		OFFSET 0) x
	WHERE x.ws < 0.6
	ORDER BY x.dist, x.ws DESC, lower(x.name), x.id
	LIMIT lim - got OFFSET greatest(n_skip, 0);
END
$$;

-- Suppliers. batch_prefix and batch_seq number the supplier's batches
-- (Acme-009-L0: prefix, next sequence, line suffix).
CREATE TABLE suppliers (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	batch_prefix	text NOT NULL CHECK (batch_prefix ~ '^[[:alnum:]][[:alnum:]_.]{0,19}$'),
	phone		text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
	email		text CHECK (char_length(email) BETWEEN 3 AND 254),
	address		text CHECK (char_length(address) BETWEEN 1 AND 500),
	notes		text CHECK (char_length(notes) BETWEEN 1 AND 1000),
	batch_seq	bigint NOT NULL DEFAULT 0 CHECK (batch_seq >= 0),
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	PRIMARY KEY (business_id, id)
);
CREATE UNIQUE INDEX suppliers_name_key ON suppliers (business_id, lower(name))
	WHERE deleted_at IS NULL;
-- A prefix is never reused, not even after its supplier is deleted: its batch
-- numbers stay unique. ('B' is the business-wide prefix of batches without a supplier.)
CREATE UNIQUE INDEX suppliers_prefix_key ON suppliers (business_id, lower(batch_prefix));
CREATE INDEX suppliers_list_idx ON suppliers (business_id, created_at, id);
ALTER TABLE suppliers ENABLE ROW LEVEL SECURITY;
ALTER TABLE suppliers FORCE ROW LEVEL SECURITY;
CREATE POLICY suppliers_tenant ON suppliers
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- Batches: a quantity of one product received from a supplier at one cost.
CREATE TABLE batches (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	batch_no	text NOT NULL CHECK (char_length(batch_no) BETWEEN 1 AND 64),
	product_id	uuid NOT NULL,
	supplier_id	uuid,
	qty_received	numeric(14,3) NOT NULL CHECK (qty_received >= 0),
	qty_remaining	numeric(14,3) NOT NULL CHECK (qty_remaining >= 0),
	cost		bigint NOT NULL CHECK (cost BETWEEN 0 AND 1000000000000000),
	expiry		date,
	supplier_invoice_no text CHECK (char_length(supplier_invoice_no) BETWEEN 1 AND 64),
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	-- for the index: under row-level security lower(batch_no) (not LEAKPROOF)
	-- cannot use one, while = and the text_pattern_ops comparisons can
	batch_no_lower	text GENERATED ALWAYS AS (lower(batch_no)) STORED,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, product_id) REFERENCES products (business_id, id),
	FOREIGN KEY (business_id, supplier_id) REFERENCES suppliers (business_id, id),
	CHECK (qty_remaining <= qty_received)
);
-- Batch numbers are unique per business whatever their case (and serve the
-- look-up of numbers starting with a prefix and sequence, Acme-009-).
CREATE UNIQUE INDEX batches_no_key ON batches (business_id, batch_no_lower text_pattern_ops);
CREATE INDEX batches_product_idx ON batches (business_id, product_id);
CREATE INDEX batches_supplier_idx ON batches (business_id, supplier_id)
	WHERE supplier_id IS NOT NULL;
CREATE INDEX batches_expiry_idx ON batches (business_id, expiry)
	WHERE expiry IS NOT NULL AND qty_remaining > 0 AND deleted_at IS NULL;
CREATE INDEX batches_list_idx ON batches (business_id, created_at, id);
ALTER TABLE batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE batches FORCE ROW LEVEL SECURITY;
CREATE POLICY batches_tenant ON batches
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- Every change of stock, append-only. qty is the signed change applied to the
-- product's stock_qty (sum(qty) = stock_qty for every product); stock_after is
-- the stock right after it. ref_type/ref_id name the document behind a movement
-- (an invoice for 'sale', 'void' and 'return'; a supplier invoice import for 'in').
-- A movement of a composite product is recorded as one movement per component,
-- each naming the composite in composite_id.
CREATE TABLE stock_movements (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	product_id	uuid NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('in', 'out', 'wastage', 'adjust', 'sale',
				'void', 'return')),
	qty		numeric(14,3) NOT NULL CHECK (qty <> 0),
	stock_after	numeric(14,3) NOT NULL CHECK (stock_after >= 0),
	unit_cost	bigint CHECK (unit_cost BETWEEN 0 AND 1000000000000000),
	batch_id	uuid,
	note		text CHECK (char_length(note) BETWEEN 1 AND 500),
	ref_type	text CHECK (char_length(ref_type) BETWEEN 1 AND 32),
	ref_id		uuid,
	user_id		uuid,
	device_id	uuid,
	composite_id	uuid,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, product_id) REFERENCES products (business_id, id),
	FOREIGN KEY (business_id, batch_id) REFERENCES batches (business_id, id),
	FOREIGN KEY (business_id, composite_id) REFERENCES products (business_id, id),
	CHECK (composite_id IS NULL OR composite_id <> product_id)
);
CREATE INDEX stock_movements_product_idx
	ON stock_movements (business_id, product_id, created_at, id);
CREATE INDEX stock_movements_composite_idx
	ON stock_movements (business_id, composite_id, created_at, id)
	WHERE composite_id IS NOT NULL;
CREATE INDEX stock_movements_list_idx ON stock_movements (business_id, created_at, id);
ALTER TABLE stock_movements ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_movements FORCE ROW LEVEL SECURITY;
CREATE POLICY stock_movements_tenant ON stock_movements
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
CREATE TRIGGER stock_movements_immutable BEFORE UPDATE OR DELETE ON stock_movements
	FOR EACH ROW EXECUTE FUNCTION bahi_refuse_mutation();
REVOKE UPDATE, DELETE ON stock_movements FROM bahi_app;
