-- 0015_sale_write_cost: the same rules for what a sale writes, checked for less.
--
-- A 5-line cash sale writes about 18 rows and updates 7 (invoice, lines, balance,
-- stock movements, products, change log, counters). Two kinds of check made a large
-- share of PostgreSQL's work for it (bench/README.md, the sales suite):
--
-- 1. Table CHECK constraints. For every statement that writes a table, PostgreSQL
--    reads each of the table's CHECK expressions back from its stored text and plans
--    it again (ExecRelCheck: stringToNode, expression_planner), about 55 times per
--    sale. A domain's CHECK is read once per connection and kept in the type cache.
--    So every single-column CHECK of these tables becomes a domain with the same
--    condition; the checks that compare columns stay on the tables. products keeps
--    its name, sku and barcode checks: its generated columns are computed from them,
--    and PostgreSQL cannot change the type of such a column.
--
-- 2. Foreign keys that another key of the same row implies. An invoice line, an
--    invoice's balance row and a stock movement each referenced businesses, and also
--    their invoice or product, whose key starts with the same business_id and which
--    references businesses itself: 11 of a sale's 34 key checks proved nothing new.
--    They are dropped. The business's rows of these three tables were removed by the
--    business's cascade; now a BEFORE DELETE trigger on businesses removes them first
--    (before the cascade deletes the invoices and products they reference).
--
-- Violations are still refused with SQLSTATE 23514, now naming the domain.

CREATE DOMAIN bahi_amount AS bigint CHECK (VALUE BETWEEN 0 AND 1000000000000000);
CREATE DOMAIN bahi_nonneg AS bigint CHECK (VALUE >= 0);
CREATE DOMAIN bahi_serial AS bigint CHECK (VALUE >= 1);
CREATE DOMAIN bahi_version AS int CHECK (VALUE >= 1);
CREATE DOMAIN bahi_ordinal AS int CHECK (VALUE >= 0);
CREATE DOMAIN bahi_bp AS int CHECK (VALUE BETWEEN 0 AND 10000);
CREATE DOMAIN bahi_qty AS numeric(14,3) CHECK (VALUE >= 0);
CREATE DOMAIN bahi_qty_positive AS numeric(14,3) CHECK (VALUE > 0);
CREATE DOMAIN bahi_qty_change AS numeric(14,3) CHECK (VALUE <> 0);
CREATE DOMAIN bahi_name AS text CHECK (char_length(VALUE) BETWEEN 1 AND 200);
CREATE DOMAIN bahi_note AS text CHECK (char_length(VALUE) BETWEEN 1 AND 500);
CREATE DOMAIN bahi_ref_type AS text CHECK (char_length(VALUE) BETWEEN 1 AND 32);
CREATE DOMAIN bahi_entity AS text CHECK (char_length(VALUE) BETWEEN 1 AND 64);
CREATE DOMAIN bahi_counter_name AS text CHECK (char_length(VALUE) BETWEEN 1 AND 100);
CREATE DOMAIN bahi_image_key AS text CHECK (char_length(VALUE) BETWEEN 1 AND 300);
CREATE DOMAIN bahi_payment_mode AS text CHECK (VALUE IN ('cash', 'credit'));
CREATE DOMAIN bahi_invoice_status AS text
	CHECK (VALUE IN ('unpaid', 'partially_paid', 'paid', 'void'));
CREATE DOMAIN bahi_change_op AS text CHECK (VALUE IN ('upsert', 'delete'));
CREATE DOMAIN bahi_movement_kind AS text
	CHECK (VALUE IN ('in', 'out', 'wastage', 'adjust', 'sale', 'void', 'return'));
CREATE DOMAIN bahi_unit AS text CHECK (VALUE IN ('pcs', 'kg', 'g', 'm', 'cm', 'l', 'ml',
	'box', 'pack', 'dozen', 'pair', 'set'));

ALTER TABLE invoices
	DROP CONSTRAINT invoices_number_check,
	DROP CONSTRAINT invoices_payment_mode_check,
	DROP CONSTRAINT invoices_subtotal_check,
	DROP CONSTRAINT invoices_discount_bp_check,
	DROP CONSTRAINT invoices_tax_rate_bp_check,
	DROP CONSTRAINT invoices_tax_check,
	DROP CONSTRAINT invoices_fee_check,
	DROP CONSTRAINT invoices_total_check,
	DROP CONSTRAINT invoices_paid_check,
	DROP CONSTRAINT invoices_change_given_check,
	DROP CONSTRAINT invoices_note_check,
	ALTER COLUMN number TYPE bahi_serial,
	ALTER COLUMN payment_mode TYPE bahi_payment_mode,
	ALTER COLUMN subtotal TYPE bahi_amount,
	ALTER COLUMN discount_bp TYPE bahi_bp,
	ALTER COLUMN tax_rate_bp TYPE bahi_bp,
	ALTER COLUMN tax TYPE bahi_nonneg,
	ALTER COLUMN fee TYPE bahi_nonneg,
	ALTER COLUMN total TYPE bahi_amount,
	ALTER COLUMN paid TYPE bahi_nonneg,
	ALTER COLUMN change_given TYPE bahi_nonneg,
	ALTER COLUMN note TYPE bahi_note;

ALTER TABLE invoice_lines
	DROP CONSTRAINT invoice_lines_business_id_fkey,
	DROP CONSTRAINT invoice_lines_line_no_check,
	DROP CONSTRAINT invoice_lines_name_check,
	DROP CONSTRAINT invoice_lines_qty_check,
	DROP CONSTRAINT invoice_lines_unit_price_check,
	DROP CONSTRAINT invoice_lines_unit_cost_check,
	DROP CONSTRAINT invoice_lines_line_total_check,
	ALTER COLUMN line_no TYPE bahi_ordinal,
	ALTER COLUMN name TYPE bahi_name,
	ALTER COLUMN qty TYPE bahi_qty_positive,
	ALTER COLUMN unit_price TYPE bahi_amount,
	ALTER COLUMN unit_cost TYPE bahi_amount,
	ALTER COLUMN line_total TYPE bahi_amount;

ALTER TABLE invoice_balances
	DROP CONSTRAINT invoice_balances_business_id_fkey,
	DROP CONSTRAINT invoice_balances_paid_check,
	DROP CONSTRAINT invoice_balances_returned_check,
	DROP CONSTRAINT invoice_balances_balance_due_check,
	DROP CONSTRAINT invoice_balances_status_check,
	DROP CONSTRAINT invoice_balances_version_check,
	ALTER COLUMN paid TYPE bahi_nonneg,
	ALTER COLUMN returned TYPE bahi_nonneg,
	ALTER COLUMN balance_due TYPE bahi_nonneg,
	ALTER COLUMN status TYPE bahi_invoice_status,
	ALTER COLUMN version TYPE bahi_version;

ALTER TABLE stock_movements
	DROP CONSTRAINT stock_movements_business_id_fkey,
	DROP CONSTRAINT stock_movements_ref_type_check,
	DROP CONSTRAINT stock_movements_kind_check,
	DROP CONSTRAINT stock_movements_qty_check,
	DROP CONSTRAINT stock_movements_stock_after_check,
	DROP CONSTRAINT stock_movements_unit_cost_check,
	DROP CONSTRAINT stock_movements_note_check,
	ALTER COLUMN ref_type TYPE bahi_ref_type,
	ALTER COLUMN kind TYPE bahi_movement_kind,
	ALTER COLUMN qty TYPE bahi_qty_change,
	ALTER COLUMN stock_after TYPE bahi_qty,
	ALTER COLUMN unit_cost TYPE bahi_amount,
	ALTER COLUMN note TYPE bahi_note;

ALTER TABLE change_log
	DROP CONSTRAINT change_log_op_check,
	DROP CONSTRAINT change_log_version_check,
	DROP CONSTRAINT change_log_seq_check,
	DROP CONSTRAINT change_log_entity_check,
	ALTER COLUMN op TYPE bahi_change_op,
	ALTER COLUMN version TYPE bahi_version,
	ALTER COLUMN seq TYPE bahi_serial,
	ALTER COLUMN entity TYPE bahi_entity;

ALTER TABLE business_counters
	DROP CONSTRAINT business_counters_name_check,
	DROP CONSTRAINT business_counters_value_check,
	ALTER COLUMN name TYPE bahi_counter_name,
	ALTER COLUMN value TYPE bahi_nonneg;

ALTER TABLE products
	DROP CONSTRAINT products_unit_check,
	DROP CONSTRAINT products_price_check,
	DROP CONSTRAINT products_cost_check,
	DROP CONSTRAINT products_stock_qty_check,
	DROP CONSTRAINT products_min_stock_check,
	DROP CONSTRAINT products_image_key_check,
	DROP CONSTRAINT products_version_check,
	ALTER COLUMN unit TYPE bahi_unit,
	ALTER COLUMN price TYPE bahi_amount,
	ALTER COLUMN cost TYPE bahi_amount,
	ALTER COLUMN stock_qty TYPE bahi_qty,
	ALTER COLUMN min_stock TYPE bahi_qty,
	ALTER COLUMN image_key TYPE bahi_image_key,
	ALTER COLUMN version TYPE bahi_version;

-- The rows of a business that its cascade no longer reaches directly go first.
-- Runs in the deleting transaction, whose tenant is that business (RLS lets it see
-- them; their immutability triggers let app.deleting_business's rows go), as the
-- tables' owner, as the cascade does (bahi_app may not delete invoice lines).
CREATE FUNCTION bahi_purge_business_children() RETURNS trigger
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog
	AS $$
BEGIN
	DELETE FROM public.invoice_lines WHERE business_id = OLD.id;
	DELETE FROM public.invoice_balances WHERE business_id = OLD.id;
	DELETE FROM public.stock_movements WHERE business_id = OLD.id;
	RETURN OLD;
END
$$;
CREATE TRIGGER businesses_purge_children BEFORE DELETE ON businesses
	FOR EACH ROW EXECUTE FUNCTION bahi_purge_business_children();
