-- 0013_number_grouping: how a business groups the digits of amounts on its pages and documents.
--
-- 'thousands' 1,234,567.89; 'lakh' (South Asian) 12,34,567.89; 'none' 1234567.89
-- (common/bahi_money.c, bahi_money_format_grouped). Existing businesses, like new
-- ones, get 'lakh', the grouping of the default currency PKR. A constant default:
-- the column is added without rewriting the table.
ALTER TABLE businesses ADD COLUMN number_grouping text NOT NULL DEFAULT 'lakh'
	CONSTRAINT businesses_number_grouping_check
	CHECK (number_grouping IN ('thousands', 'lakh', 'none'));
