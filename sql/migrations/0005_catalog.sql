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
	sku_prefix	text NOT NULL CHECK (sku_prefix ~ '^[[:alnum:]][[:alnum:]_.]{0,19}$'),
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
CREATE INDEX categories_list_idx ON categories (business_id, created_at, id);
ALTER TABLE categories ENABLE ROW LEVEL SECURITY;
ALTER TABLE categories FORCE ROW LEVEL SECURITY;
CREATE POLICY categories_tenant ON categories
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- Products. stock_qty is the sum of the product's stock movements (kept under the
-- row lock by the movement code) and never negative. A composite product holds no
-- stock of its own: its available quantity comes from its components.
CREATE TABLE products (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	category_id	uuid,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	sku		text NOT NULL CHECK (char_length(sku) BETWEEN 1 AND 64),
	barcode		text CHECK (char_length(barcode) BETWEEN 1 AND 64),
	unit		text NOT NULL DEFAULT 'pcs' CHECK (unit IN ('pcs', 'kg', 'g', 'm', 'cm',
				'l', 'ml', 'box', 'pack', 'dozen', 'pair', 'set')),
	price		bigint NOT NULL DEFAULT 0 CHECK (price BETWEEN 0 AND 1000000000000000),
	cost		bigint NOT NULL DEFAULT 0 CHECK (cost BETWEEN 0 AND 1000000000000000),
	stock_qty	numeric(14,3) NOT NULL DEFAULT 0 CHECK (stock_qty >= 0),
	min_stock	numeric(14,3) NOT NULL DEFAULT 5 CHECK (min_stock >= 0),
	is_composite	boolean NOT NULL DEFAULT false,
	image_key	text CHECK (char_length(image_key) BETWEEN 1 AND 300),
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, category_id) REFERENCES categories (business_id, id),
	CHECK (NOT is_composite OR stock_qty = 0)
);
CREATE UNIQUE INDEX products_sku_key ON products (business_id, lower(sku))
	WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX products_barcode_key ON products (business_id, barcode)
	WHERE deleted_at IS NULL AND barcode IS NOT NULL;
CREATE INDEX products_category_idx ON products (business_id, category_id)
	WHERE deleted_at IS NULL;
CREATE INDEX products_list_idx ON products (business_id, created_at, id);
-- Typo-tolerant search (pg_trgm, bootstrap.sql) on name, SKU and barcode.
CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) gin_trgm_ops)
	WHERE deleted_at IS NULL;
CREATE INDEX products_sku_trgm_idx ON products USING gin (lower(sku) gin_trgm_ops)
	WHERE deleted_at IS NULL;
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE products FORCE ROW LEVEL SECURITY;
CREATE POLICY products_tenant ON products
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- What a composite product is made of: qty of component per one product.
CREATE TABLE product_components (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	product_id	uuid NOT NULL,
	component_id	uuid NOT NULL,
	qty		numeric(14,3) NOT NULL CHECK (qty > 0),
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
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, product_id) REFERENCES products (business_id, id),
	FOREIGN KEY (business_id, supplier_id) REFERENCES suppliers (business_id, id),
	CHECK (qty_remaining <= qty_received)
);
CREATE UNIQUE INDEX batches_no_key ON batches (business_id, lower(batch_no));
CREATE INDEX batches_product_idx ON batches (business_id, product_id);
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
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, product_id) REFERENCES products (business_id, id),
	FOREIGN KEY (business_id, batch_id) REFERENCES batches (business_id, id)
);
CREATE INDEX stock_movements_product_idx
	ON stock_movements (business_id, product_id, created_at, id);
CREATE INDEX stock_movements_list_idx ON stock_movements (business_id, created_at, id);
ALTER TABLE stock_movements ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_movements FORCE ROW LEVEL SECURITY;
CREATE POLICY stock_movements_tenant ON stock_movements
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
CREATE TRIGGER stock_movements_immutable BEFORE UPDATE OR DELETE ON stock_movements
	FOR EACH ROW EXECUTE FUNCTION bahi_refuse_mutation();
REVOKE UPDATE, DELETE ON stock_movements FROM bahi_app;
