-- 0016_sale_lines_ledger: a sale's line of a simple product is its own stock movement; stock_ledger reads both.
--
-- A 5-line cash sale wrote each line twice: once in invoice_lines (name, price,
-- cost) and once in stock_movements (product, qty, stock after it), each movement
-- row with its key check on the product and three index entries. That second row
-- was 13% of PostgreSQL's work for a sale (bench/README.md, the sales suite's
-- instruction counts). From now on such a line carries its movement: its id
-- (movement_id), the product's stock right after it (stock_after), and the
-- invoice's time, user and device (issued_at, user_id, device_id: invoices and
-- their lines never change, and the ledger's pages then read the lines alone). Every other movement is still a row
-- of stock_movements: a composite line's components (which the line alone does
-- not name), voids, returns, stock-in, out, wastage and adjustments. Lines
-- written before this migration carry nothing: their movements are rows.
--
-- stock_ledger is every movement, as stock_movements' columns: the rows, and
-- the lines that carry one (kind 'sale', qty the line's quantity taken away,
-- ref the invoice). For each product, the sum of
-- its qty in stock_ledger is its stock_qty. A page of the ledger reads the two
-- sides each in its own index's order and merges them (bahi_stock.c stock_page):
-- PostgreSQL 15 sorts the lines' side of an ordered read of the view whole.

ALTER TABLE invoice_lines
	ADD COLUMN movement_id uuid,
	ADD COLUMN stock_after bahi_qty,
	ADD COLUMN issued_at timestamptz,
	ADD COLUMN user_id uuid,
	ADD COLUMN device_id uuid;

-- A product's history, newest first, and (movement_id NULL) its lines of any
-- time; then every line's movement of a business by time (the ledger without a
-- product). Both end with the movement's id: the ledger's pages are keyed on
-- (created_at, id).
DROP INDEX invoice_lines_product_idx;
CREATE INDEX invoice_lines_product_idx
	ON invoice_lines (business_id, product_id, issued_at, movement_id);
CREATE INDEX invoice_lines_movement_idx ON invoice_lines (business_id, issued_at, movement_id)
	WHERE movement_id IS NOT NULL;

-- security_invoker: read as the caller, under its row-level security.
CREATE VIEW stock_ledger WITH (security_invoker = true) AS
	SELECT m.business_id, m.id, m.product_id, m.kind::text AS kind, m.qty::numeric AS qty,
		m.stock_after::numeric AS stock_after, m.unit_cost::bigint AS unit_cost,
		m.batch_id, m.note::text AS note, m.ref_type::text AS ref_type, m.ref_id,
		m.user_id, m.device_id, m.composite_id, m.created_at
	FROM stock_movements m
	UNION ALL
	SELECT l.business_id, l.movement_id, l.product_id, 'sale', -l.qty::numeric,
		l.stock_after::numeric, l.unit_cost::bigint, NULL::uuid, NULL::text,
		'invoice', l.invoice_id, l.user_id, l.device_id, NULL::uuid, l.issued_at
	FROM invoice_lines l
	WHERE l.movement_id IS NOT NULL;
REVOKE INSERT, UPDATE, DELETE ON stock_ledger FROM bahi_app;
