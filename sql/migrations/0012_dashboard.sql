-- 0012_dashboard: indexes for the admin dashboard (bahi_dashboard.c): sales by business-local date, corrected invoices, low-stock products.
--
-- Measured on bench/dashboard-data.sql (a business of 100,000 invoices among
-- 380,000; the times are in bahi_dashboard.c).

-- Sales by issue date: today, this month, the last 14 and 30 days read the
-- range of one business's dates, index only (invoices never change, so their
-- pages stay all-visible once vacuumed); id to reach the lines.
CREATE INDEX invoices_issued_on_idx ON invoices (business_id, issued_on)
	INCLUDE (id, customer_id, payment_mode, total);

-- The few invoices whose sale no longer counts in full: voided, or partly
-- returned (credit notes). The dashboard subtracts them by issue date.
CREATE INDEX invoice_balances_corrected_idx ON invoice_balances (business_id, issued_on)
	WHERE status = 'void' OR returned > 0;

-- The live products at or below their minimum, by the low_stock flag that
-- every stock change keeps (bahi_product_stocks_changed). Selling does not
-- change an indexed column of the product (only crossing the line does), so
-- its stock updates stay HOT.
CREATE INDEX products_low_idx ON products (business_id)
	WHERE low_stock AND deleted_at IS NULL;
