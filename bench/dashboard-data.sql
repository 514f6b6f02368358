-- dashboard-data.sql: a business with a year of sales (:invoices invoices, 1 to 5 lines each, cash and credit, voids, returns, open debts) for measuring the admin dashboard's queries (bahi_dashboard.c).
--
-- Run as the PostgreSQL superuser (it bypasses row-level security) on a
-- migrated database, e.g. on a dev stack:
--
--   BAHI_VAR=... ./dev psql -v ON_ERROR_STOP=1 -v bid=<new business uuid> \
--       -v invoices=100000 -f bench/dashboard-data.sql
--
-- The business (Asia/Karachi) gets 12 categories, 2,000 products (every 13th
-- without a category; stock n % 50, so those at or below the default minimum
-- of 5 are low), 3,000 customers and :invoices invoices issued evenly over
-- the last 365 days up to now: every third a credit sale (due 15 days later,
-- still unpaid when issued in the last 60 days), half of the cash sales to a
-- walk-in; every 500th void, every 300th with its first line returned (a
-- credit note). Customers' invoice_due is the sum of their open balances.
-- Then, as bahi_app in a transaction scoped to the business
-- (set_config('app.business_id', :'bid', true)), EXPLAIN ANALYZE the
-- statements.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
-- consistent by construction: no per-row foreign key or immutability triggers
SET session_replication_role = replica;

BEGIN;

INSERT INTO businesses (id, name, type) VALUES (:'bid', 'Dashboard Bench', 'general store');

INSERT INTO categories (business_id, id, name, sku_prefix)
	SELECT :'bid', md5(:'bid' || '-cat-' || k)::uuid, 'Category ' || k, 'C' || k
	FROM generate_series(1, 12) AS k;

INSERT INTO products (business_id, id, category_id, name, sku, price, cost, stock_qty,
		min_stock, low_stock)
	SELECT :'bid', md5(:'bid' || '-product-' || n)::uuid,
		CASE WHEN n % 13 = 0 THEN NULL ELSE md5(:'bid' || '-cat-' || (n % 13))::uuid END,
		'Item ' || n, 'D-' || n, 1000 + (n * 7919) % 50000, 800 + (n * 7919) % 40000,
		n % 50, 5, n % 50 <= 5
	FROM generate_series(1, 2000) AS n;

INSERT INTO customers (business_id, id, name, phone)
	SELECT :'bid', md5(:'bid' || '-customer-' || c)::uuid, 'Customer ' || c,
		'+92305' || lpad(c::text, 7, '0')
	FROM generate_series(1, 3000) AS c;

CREATE TEMP TABLE dash_inv ON COMMIT DROP AS
	SELECT i, md5(:'bid' || '-invoice-' || i)::uuid AS id,
		now() - (:invoices - i) * (interval '365 days' / :invoices) AS issued_at,
		CASE WHEN i % 3 = 0 THEN 'credit' ELSE 'cash' END AS mode,
		CASE WHEN i % 3 = 0 OR i % 2 = 0
			THEN md5(:'bid' || '-customer-' || (1 + (i * 31) % 3000))::uuid END AS customer_id
	FROM generate_series(1, :invoices) AS i;

CREATE TEMP TABLE dash_lines ON COMMIT DROP AS
	SELECT v.i, v.id AS invoice_id, l AS line_no,
		md5(:'bid' || '-product-' || (1 + (v.i * 17 + l * 101) % 2000))::uuid AS product_id,
		'Item ' || (1 + (v.i * 17 + l * 101) % 2000) AS name, 1 + (v.i + l) % 4 AS qty,
		1000 + ((1 + (v.i * 17 + l * 101) % 2000) * 7919) % 50000 AS unit_price
	FROM dash_inv AS v CROSS JOIN LATERAL generate_series(0, v.i % 5) AS l;

INSERT INTO invoice_lines (business_id, invoice_id, line_no, product_id, name, qty, unit_price,
		unit_cost, line_total)
	SELECT :'bid', invoice_id, line_no, product_id, name, qty, unit_price, unit_price * 8 / 10,
		qty * unit_price
	FROM dash_lines;

CREATE INDEX ON dash_lines (i, line_no);
CREATE TEMP TABLE dash_tot ON COMMIT DROP AS
	SELECT v.*, (v.issued_at AT TIME ZONE 'Asia/Karachi')::date AS issued_on, s.total
	FROM dash_inv AS v
	JOIN (SELECT i, sum(qty * unit_price) AS total FROM dash_lines GROUP BY i) AS s ON s.i = v.i;

INSERT INTO invoices (business_id, id, number, customer_id, issued_at, issued_on, payment_mode,
		subtotal, discount, tax_rate_bp, tax, fee, total, credit_applied, paid, due_date)
	SELECT :'bid', id, i, customer_id, issued_at, issued_on, mode, total, 0, 0, 0, 0, total, 0,
		CASE WHEN mode = 'cash' THEN total ELSE 0 END,
		CASE WHEN mode = 'credit' THEN issued_on + 15 END
	FROM dash_tot;

-- returns: the first line of every 300th invoice (not a void)
INSERT INTO credit_notes (business_id, id, number, invoice_id, customer_id, subtotal, discount,
		tax, fee, total, debt_reduced, credit_restored, refunded, refund_to, issued_on)
	SELECT :'bid', md5(:'bid' || '-note-' || t.i)::uuid, row_number() OVER (ORDER BY t.i), t.id,
		t.customer_id, l.qty * l.unit_price, 0, 0, 0, l.qty * l.unit_price, 0, 0,
		l.qty * l.unit_price, 'cash', t.issued_on
	FROM dash_tot AS t JOIN dash_lines AS l ON l.i = t.i AND l.line_no = 0
	WHERE t.i % 300 = 0 AND t.i % 500 <> 0;
INSERT INTO credit_note_lines (business_id, credit_note_id, line_no, invoice_line_no, product_id,
		qty, unit_price, line_total)
	SELECT :'bid', md5(:'bid' || '-note-' || t.i)::uuid, 0, 0, l.product_id, l.qty, l.unit_price,
		l.qty * l.unit_price
	FROM dash_tot AS t JOIN dash_lines AS l ON l.i = t.i AND l.line_no = 0
	WHERE t.i % 300 = 0 AND t.i % 500 <> 0;

INSERT INTO invoice_voids (business_id, invoice_id, reason, debt_cancelled, credit_restored,
		refunded, refund_to)
	SELECT :'bid', id, 'bench', 0, 0, 0, 'cash' FROM dash_tot WHERE i % 500 = 0;

INSERT INTO invoice_balances (business_id, invoice_id, customer_id, paid, returned, balance_due,
		status, due_date, issued_on, number)
	SELECT :'bid', t.id, t.customer_id, x.paid, x.returned, x.due,
		CASE WHEN t.i % 500 = 0 THEN 'void' WHEN x.due = 0 THEN 'paid' ELSE 'unpaid' END,
		CASE WHEN t.mode = 'credit' THEN t.issued_on + 15 END, t.issued_on, t.i
	FROM dash_tot AS t
	CROSS JOIN LATERAL (SELECT
		CASE WHEN t.i % 300 = 0 AND t.i % 500 <> 0
			THEN (SELECT l.qty * l.unit_price FROM dash_lines l
			      WHERE l.i = t.i AND l.line_no = 0) ELSE 0 END AS returned) AS r
	CROSS JOIN LATERAL (SELECT r.returned,
		CASE WHEN t.i % 500 = 0 OR t.mode = 'cash'
			OR t.issued_at < now() - interval '60 days' THEN 0
			ELSE t.total - r.returned END AS due,
		CASE WHEN t.mode = 'cash' OR t.issued_at < now() - interval '60 days'
			THEN t.total - r.returned ELSE 0 END AS paid) AS x;

UPDATE customers c SET invoice_due = d.due
	FROM (SELECT customer_id, sum(balance_due) AS due FROM invoice_balances
	      WHERE business_id = :'bid' AND balance_due > 0 GROUP BY customer_id) AS d
	WHERE c.business_id = :'bid' AND c.id = d.customer_id;

COMMIT;

VACUUM (ANALYZE) categories, products, customers, invoices, invoice_lines, invoice_balances,
	credit_notes, credit_note_lines;
