-- 0009_customers: the customers a business sells to, their opening balance, credit and debt.
--
-- Money is bigint minor units. The table follows the tenant rule of 0001_base.sql.

-- Customers. phone is E.164 (normalised by bahi_customer with the business's
-- country), optional, and unique among the business's live customers: a deleted
-- customer's number may be given to a new one.
-- opening_balance: what the customer owed before bahi (the "pending balance" of
-- the seeds), still unpaid; set on create or by PATCH (logged in activity_log),
-- reduced by payments (step 2 of their distribution).
-- credit_balance: what the business owes the customer from overpayments (step 3),
-- applied automatically to the customer's next invoices. Only the payment and
-- invoice code changes it.
-- invoice_due: the unpaid part (balance_due) of the customer's issued credit
-- invoices, kept by the invoice, payment, void and credit-note code under the
-- customer's row lock; open_debt = opening_balance + invoice_due.
-- name_lower: for the search (lower() cannot serve an index under row-level
-- security, see 0005 products; and the list filters rather than seeks anyway).
CREATE TABLE customers (
	business_id	uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
	id		uuid NOT NULL,
	name		text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	phone		text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
	address		text CHECK (char_length(address) BETWEEN 1 AND 500),
	opening_balance	bigint NOT NULL DEFAULT 0
			CHECK (opening_balance BETWEEN 0 AND 1000000000000000),
	credit_balance	bigint NOT NULL DEFAULT 0 CHECK (credit_balance >= 0),
	invoice_due	bigint NOT NULL DEFAULT 0 CHECK (invoice_due >= 0),
	open_debt	bigint GENERATED ALWAYS AS (opening_balance + invoice_due) STORED,
	version		int NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	name_lower	text GENERATED ALWAYS AS (lower(name)) STORED,
	PRIMARY KEY (business_id, id)
);
-- One live customer per phone number in a business (= on text is leakproof, so
-- the look-up by phone uses it under row-level security; the phone is stored
-- normalised, so no lower() is needed). Also the arbiter of the
-- INSERT ... ON CONFLICT of bahi_customer_find_or_create.
CREATE UNIQUE INDEX customers_phone_key ON customers (business_id, phone)
	WHERE deleted_at IS NULL;
-- The list pages, oldest first.
CREATE INDEX customers_list_idx ON customers (business_id, created_at, id)
	WHERE deleted_at IS NULL;
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY customers_tenant ON customers
	USING (business_id = bahi_current_business())
	WITH CHECK (business_id = bahi_current_business());
