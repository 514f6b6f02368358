-- 0010_sales: invoices, incomplete sales, payments, credit notes, voids and debt reminders.
--
-- Money is bigint minor units, quantities numeric(14,3). Every table follows the
-- tenant rule of 0001_base.sql. Financial records (invoices and their lines,
-- payments and their allocations, credit notes and their lines, voids) are
-- immutable: a trigger refuses UPDATE always and DELETE except while their
-- business is being deleted (bahi_refuse_mutation), whoever runs it. What
-- changes about an invoice after it is issued (what is still due, its status)
-- lives in invoice_balances, one row per invoice, changed only by payments,
-- credit notes and voids under the row lock of the invoice's customer (or of the
-- balance row itself for a walk-in sale).
--
-- Invoice and credit note numbers come from business_counters ('invoice_number',
-- 'credit_note_number'), taken in the issuing transaction: the counter row stays
-- locked until commit, so numbers are gapless and in commit order.

-- An issued invoice. issued_on is the business-local date of issued_at (in the
-- business's time zone at the time), due_date = issued_on + the business's credit
-- term for a credit sale with something left to pay. paid: paid at the sale (not
-- later payments: see invoice_balances). change_given: cash handed back on a cash
-- sale. discount_bp: the rate asked for, when the discount was a rate.
CREATE TABLE invoices (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	number		bigint NOT NULL CHECK (number >= 1),
	customer_id	uuid,
	issued_at	timestamptz NOT NULL DEFAULT now(),
	issued_on	date NOT NULL,
	payment_mode	text NOT NULL CHECK (payment_mode IN ('cash', 'credit')),
	subtotal	bigint NOT NULL CHECK (subtotal BETWEEN 0 AND 1000000000000000),
	discount_bp	int CHECK (discount_bp BETWEEN 0 AND 10000),
	discount	bigint NOT NULL CHECK (discount BETWEEN 0 AND subtotal),
	tax_rate_bp	int NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
	tax		bigint NOT NULL CHECK (tax >= 0),
	fee		bigint NOT NULL CHECK (fee >= 0),
	total		bigint NOT NULL CHECK (total BETWEEN 0 AND 1000000000000000),
	credit_applied	bigint NOT NULL CHECK (credit_applied BETWEEN 0 AND total),
	paid		bigint NOT NULL CHECK (paid >= 0),
	change_given	bigint NOT NULL DEFAULT 0 CHECK (change_given >= 0),
	due_date	date,
	note		text CHECK (char_length(note) BETWEEN 1 AND 500),
	user_id		uuid,
	device_id	uuid,
	PRIMARY KEY (business_id, id),
	UNIQUE (business_id, number),
	FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id),
	CHECK (credit_applied + paid <= total),
	CHECK (subtotal - discount + tax + fee = total),
	CHECK (payment_mode = 'credit' OR credit_applied + paid = total),
	CHECK (payment_mode = 'cash' OR customer_id IS NOT NULL)
);
-- The list pages, newest first; a customer's invoices.
CREATE INDEX invoices_list_idx ON invoices (business_id, issued_at DESC, id DESC);
CREATE INDEX invoices_customer_idx ON invoices (business_id, customer_id, issued_at DESC, id DESC)
	WHERE customer_id IS NOT NULL;

-- The lines as sold: name and unit cost are snapshots of the product at the sale.
CREATE TABLE invoice_lines (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	invoice_id	uuid NOT NULL,
	line_no		int NOT NULL CHECK (line_no >= 0),
	product_id	uuid NOT NULL,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	qty		numeric(14,3) NOT NULL CHECK (qty > 0),
	unit_price	bigint NOT NULL CHECK (unit_price BETWEEN 0 AND 1000000000000000),
	unit_cost	bigint NOT NULL CHECK (unit_cost BETWEEN 0 AND 1000000000000000),
	line_total	bigint NOT NULL CHECK (line_total BETWEEN 0 AND 1000000000000000),
	PRIMARY KEY (business_id, invoice_id, line_no),
	FOREIGN KEY (business_id, invoice_id) REFERENCES invoices (business_id, id),
	FOREIGN KEY (business_id, product_id) REFERENCES products (business_id, id)
);

-- What changes about an issued invoice. paid: everything received for it (at
-- the sale, then payment allocations); returned: the credit notes' totals;
-- balance_due: what the customer still owes on it (0 for cash sales, and once
-- void). status is the contract's: unpaid, partially_paid, paid, void.
CREATE TABLE invoice_balances (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	invoice_id	uuid NOT NULL,
	customer_id	uuid,
	paid		bigint NOT NULL CHECK (paid >= 0),
	returned	bigint NOT NULL DEFAULT 0 CHECK (returned >= 0),
	balance_due	bigint NOT NULL CHECK (balance_due >= 0),
	status		text NOT NULL CHECK (status IN ('unpaid', 'partially_paid', 'paid', 'void')),
	due_date	date,
	issued_on	date NOT NULL,
	number		bigint NOT NULL,
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, invoice_id),
	FOREIGN KEY (business_id, invoice_id) REFERENCES invoices (business_id, id),
	CHECK (status <> 'void' OR balance_due = 0)
);
-- Open debts by due date (GET /debts, the reminder job) and a customer's open
-- invoices oldest first (payment distribution).
CREATE INDEX invoice_balances_due_idx ON invoice_balances (business_id, due_date, number)
	WHERE balance_due > 0;
CREATE INDEX invoice_balances_customer_idx
	ON invoice_balances (business_id, customer_id, issued_on, number)
	WHERE balance_due > 0;

-- A cash sale paid short: the cart as asked for (the request's lines, discount,
-- tax, fee, note and customer) and the totals it came to, with no number, no
-- stock or debt change. Completing it issues an invoice with the same id.
CREATE TABLE incomplete_sales (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	customer_id	uuid,
	cart		jsonb NOT NULL CHECK (jsonb_typeof(cart) = 'object'),
	subtotal	bigint NOT NULL,
	discount	bigint NOT NULL,
	tax		bigint NOT NULL,
	fee		bigint NOT NULL,
	total		bigint NOT NULL CHECK (total BETWEEN 0 AND 1000000000000000),
	paid_amount	bigint NOT NULL CHECK (paid_amount >= 0),
	status		text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
	invoice_id	uuid,
	user_id		uuid,
	device_id	uuid,
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id),
	CHECK ((status = 'completed') = (invoice_id IS NOT NULL))
);
CREATE INDEX incomplete_sales_open_idx ON incomplete_sales (business_id, created_at DESC, id DESC)
	WHERE status = 'open' AND deleted_at IS NULL;

-- A payment received from a customer and how it was distributed (bahi_alloc):
-- allocations to invoices, then opening_balance_reduced, then credit_added.
CREATE TABLE payments (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	customer_id	uuid NOT NULL,
	amount		bigint NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
	method		text NOT NULL CHECK (method IN ('cash', 'bank')),
	invoice_id	uuid,
	note		text CHECK (char_length(note) BETWEEN 1 AND 500),
	applied_to_invoices	bigint NOT NULL CHECK (applied_to_invoices >= 0),
	opening_balance_reduced	bigint NOT NULL CHECK (opening_balance_reduced >= 0),
	credit_added	bigint NOT NULL CHECK (credit_added >= 0),
	received_on	date NOT NULL,
	user_id		uuid,
	device_id	uuid,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, id),
	FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id),
	FOREIGN KEY (business_id, invoice_id) REFERENCES invoices (business_id, id),
	CHECK (applied_to_invoices + opening_balance_reduced + credit_added = amount)
);
CREATE INDEX payments_customer_idx ON payments (business_id, customer_id, created_at DESC, id DESC);
CREATE INDEX payments_list_idx ON payments (business_id, created_at DESC, id DESC);

CREATE TABLE payment_allocations (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	payment_id	uuid NOT NULL,
	invoice_id	uuid NOT NULL,
	amount		bigint NOT NULL CHECK (amount >= 1),
	balance_after	bigint NOT NULL CHECK (balance_after >= 0),
	PRIMARY KEY (business_id, payment_id, invoice_id),
	FOREIGN KEY (business_id, payment_id) REFERENCES payments (business_id, id),
	FOREIGN KEY (business_id, invoice_id) REFERENCES invoices (business_id, id)
);
CREATE INDEX payment_allocations_invoice_idx ON payment_allocations (business_id, invoice_id);

-- A return against an invoice (numbered per business, gapless). total is what
-- the returned goods were worth on the invoice; debt_reduced came off the
-- invoice's balance_due, credit_restored gave back customer credit the sale had
-- consumed, refunded is the rest, handed back in cash (refund_to 'cash') or
-- added to the customer's credit ('credit').
CREATE TABLE credit_notes (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	number		bigint NOT NULL CHECK (number >= 1),
	invoice_id	uuid NOT NULL,
	customer_id	uuid,
	subtotal	bigint NOT NULL CHECK (subtotal >= 0),
	discount	bigint NOT NULL CHECK (discount >= 0),
	tax		bigint NOT NULL CHECK (tax >= 0),
	fee		bigint NOT NULL CHECK (fee >= 0),
	total		bigint NOT NULL CHECK (total >= 0),
	debt_reduced	bigint NOT NULL CHECK (debt_reduced >= 0),
	credit_restored	bigint NOT NULL CHECK (credit_restored >= 0),
	refunded	bigint NOT NULL CHECK (refunded >= 0),
	refund_to	text NOT NULL CHECK (refund_to IN ('cash', 'credit')),
	reason		text CHECK (char_length(reason) BETWEEN 1 AND 500),
	issued_on	date NOT NULL,
	user_id		uuid,
	device_id	uuid,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, id),
	UNIQUE (business_id, number),
	FOREIGN KEY (business_id, invoice_id) REFERENCES invoices (business_id, id),
	CHECK (subtotal - discount + tax + fee = total),
	CHECK (debt_reduced + credit_restored + refunded = total)
);
CREATE INDEX credit_notes_invoice_idx ON credit_notes (business_id, invoice_id);

CREATE TABLE credit_note_lines (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	credit_note_id	uuid NOT NULL,
	line_no		int NOT NULL CHECK (line_no >= 0),
	invoice_line_no	int NOT NULL,
	product_id	uuid NOT NULL,
	qty		numeric(14,3) NOT NULL CHECK (qty > 0),
	unit_price	bigint NOT NULL,
	line_total	bigint NOT NULL CHECK (line_total >= 0),
	PRIMARY KEY (business_id, credit_note_id, line_no),
	FOREIGN KEY (business_id, credit_note_id) REFERENCES credit_notes (business_id, id)
);

-- The void of an invoice (at most one). debt_cancelled came off the customer's
-- invoice_due, credit_restored went back to the customer's credit (what the
-- sale had taken from it), refunded is what had been paid for the invoice,
-- handed back in cash or added to the customer's credit (refund_to).
CREATE TABLE invoice_voids (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	invoice_id	uuid NOT NULL,
	reason		text CHECK (char_length(reason) BETWEEN 1 AND 500),
	debt_cancelled	bigint NOT NULL CHECK (debt_cancelled >= 0),
	credit_restored	bigint NOT NULL CHECK (credit_restored >= 0),
	refunded	bigint NOT NULL CHECK (refunded >= 0),
	refund_to	text NOT NULL CHECK (refund_to IN ('cash', 'credit')),
	user_id		uuid,
	device_id	uuid,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, invoice_id),
	FOREIGN KEY (business_id, invoice_id) REFERENCES invoices (business_id, id)
);

-- Debt reminders queued by the daily job (bahi-remind): at most one per
-- customer per business-local day, naming the debt (invoice) and the status it
-- had turned to; the SMS went to sms_outbox (or the gateway) with sms_text, and
-- whatsapp_url is the wa.me link offered to the shop.
CREATE TABLE debt_reminders (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	customer_id	uuid NOT NULL,
	invoice_id	uuid NOT NULL,
	debt_status	text NOT NULL CHECK (debt_status IN ('red', 'overdue')),
	sent_on		date NOT NULL,
	phone		text,
	sms_text	text NOT NULL,
	whatsapp_url	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, id),
	UNIQUE (business_id, customer_id, sent_on),
	FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id),
	FOREIGN KEY (business_id, invoice_id) REFERENCES invoices (business_id, id)
);
CREATE INDEX debt_reminders_invoice_idx ON debt_reminders (business_id, invoice_id, debt_status);
CREATE INDEX debt_reminders_list_idx ON debt_reminders (business_id, created_at DESC, id DESC);

-- Foreign keys seen from the other side: deleting a business deletes its
-- products, invoices and customers, and each deleted row is looked up here.
CREATE INDEX invoice_lines_product_idx ON invoice_lines (business_id, product_id);
CREATE INDEX payments_invoice_idx ON payments (business_id, invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX incomplete_sales_customer_idx ON incomplete_sales (business_id, customer_id)
	WHERE customer_id IS NOT NULL;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['invoices', 'invoice_lines', 'invoice_balances',
	    'incomplete_sales', 'payments', 'payment_allocations', 'credit_notes',
	    'credit_note_lines', 'invoice_voids', 'debt_reminders'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY %I ON %I USING (business_id = bahi_current_business())'
		               ' WITH CHECK (business_id = bahi_current_business())', t || '_tenant', t);
	END LOOP;
	-- the financial records: no UPDATE, no DELETE (but a business's deletion)
	FOREACH t IN ARRAY ARRAY['invoices', 'invoice_lines', 'payments', 'payment_allocations',
	    'credit_notes', 'credit_note_lines', 'invoice_voids'] LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I'
		               ' FOR EACH ROW EXECUTE FUNCTION bahi_refuse_mutation()',
		               t || '_immutable', t);
	END LOOP;
END
$$;
-- The application may not even try to change the financial records (the
-- trigger above is the second line, for every role); balance rows go when their
-- business goes, never otherwise.
REVOKE UPDATE, DELETE ON invoices, invoice_lines, payments, payment_allocations, credit_notes,
	credit_note_lines, invoice_voids FROM bahi_app;
REVOKE DELETE ON invoice_balances FROM bahi_app;

-- The reminder job walks every business: with app.job = 'reminders' set for its
-- transaction, the application may read the businesses rows (row security cannot
-- narrow the columns; the job reads ids, names, languages and time zones). Only
-- SELECT; each business's debts are then read in its own tenant transaction.
CREATE POLICY businesses_reminder_scan ON businesses FOR SELECT
	USING (current_setting('app.job', true) = 'reminders');
