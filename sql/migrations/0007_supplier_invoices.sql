-- 0007_supplier_invoices: uploaded supplier invoices (the proposed matches of a CSV, then its confirmation) and the supplier part numbers learned from them.

-- One upload of a supplier's invoice. lines is the proposal, an array of
-- {"row", "name", "part_no", "buy_price", "sell_price", "qty", "match"} in row
-- order (money in minor units, qty a number); on confirmation each line gains
-- "result" {"action", "product_id", "batch_id", "batch_no"}. Any number of
-- proposals may exist for one invoice number; at most one is confirmed.
CREATE TABLE supplier_invoices (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	supplier_id	uuid NOT NULL,
	invoice_no	text NOT NULL CHECK (char_length(invoice_no) BETWEEN 1 AND 64),
	status		text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed')),
	lines		jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array'),
	batch_stem	text CHECK (char_length(batch_stem) BETWEEN 1 AND 64),
	created_by	uuid,
	confirmed_by	uuid,
	confirmed_at	timestamptz,
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, supplier_id) REFERENCES suppliers (business_id, id),
	CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL))
);
-- An invoice number is confirmed once per supplier (case-insensitive).
CREATE UNIQUE INDEX supplier_invoices_confirmed_key
	ON supplier_invoices (business_id, supplier_id, lower(invoice_no))
	WHERE status = 'confirmed';
CREATE INDEX supplier_invoices_list_idx ON supplier_invoices (business_id, created_at, id);
ALTER TABLE supplier_invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE supplier_invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY supplier_invoices_tenant ON supplier_invoices
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());

-- A supplier's part number and the product it is, learned when an invoice line
-- carrying it is confirmed (the latest confirmation wins), so that the next
-- invoice of that supplier matches the line by part number. Part numbers compare
-- case-insensitively (part_key).
CREATE TABLE supplier_parts (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	supplier_id	uuid NOT NULL,
	part_no		text NOT NULL CHECK (char_length(part_no) BETWEEN 1 AND 64),
	part_key	text GENERATED ALWAYS AS (lower(part_no)) STORED,
	product_id	uuid NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, supplier_id, part_key),
	FOREIGN KEY (business_id, supplier_id) REFERENCES suppliers (business_id, id),
	FOREIGN KEY (business_id, product_id) REFERENCES products (business_id, id)
);
CREATE INDEX supplier_parts_product_idx ON supplier_parts (business_id, product_id);
ALTER TABLE supplier_parts ENABLE ROW LEVEL SECURITY;
ALTER TABLE supplier_parts FORCE ROW LEVEL SECURITY;
CREATE POLICY supplier_parts_tenant ON supplier_parts
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
