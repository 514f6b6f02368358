/* check_sales_rules: unit tests for bahi_totals, bahi_alloc and bahi_debt with the seeds' worked examples. */
#include "bahi_alloc.h"
#include "bahi_date.h"
#include "bahi_debt.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_pool.h"
#include "bahi_problem.h"
#include "bahi_totals.h"

#include <check.h>

#include "../check_run.h"
#include <stdint.h>
#include <string.h>

/* ---- invoice totals ---- */

/* A one-line totals input with no discount, tax or fee. */
static bahi_totals_in
one_line(const bahi_totals_line *l)
{
	bahi_totals_in in = { 0 };

	in.lines = l;
	in.nlines = 1;
	return in;
}

/* Asserts that compute fails on field/line/code and leaves out untouched. */
static void
expect_refused(const bahi_totals_in *in, const char *field, long line, const char *code)
{
	bahi_totals t;
	bahi_rule_error e = { 0 };

	memset(&t, 0x5a, sizeof(t));
	ck_assert_int_eq(bahi_totals_compute(in, NULL, &t, &e), -1);
	ck_assert_str_eq(e.field, field);
	ck_assert_int_eq(e.line, line);
	ck_assert_str_eq(e.code, code);
	ck_assert_ptr_nonnull(e.message);
	ck_assert_int_eq(t.total, INT64_C(0x5a5a5a5a5a5a5a5a));
}

START_TEST(totals_seed_example_percent)
{
	/* Seed 04: 2 x 100.00, 10% discount, 19% tax, 5.00 fee = 219.20. */
	bahi_totals_line l = { 2000, 10000 };
	bahi_totals_in in = one_line(&l);
	bahi_totals t;
	int64_t lt[1];
	bahi_rule_error e;

	in.discount_kind = BAHI_DISCOUNT_BP;
	in.discount = 1000;
	in.tax_rate_bp = 1900;
	in.fee = 500;
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, &e), 0);
	ck_assert_int_eq(lt[0], 20000);
	ck_assert_int_eq(t.subtotal, 20000);
	ck_assert_int_eq(t.discount, 2000);
	ck_assert_int_eq(t.taxable, 18000);
	ck_assert_int_eq(t.tax, 3420);
	ck_assert_int_eq(t.fee, 500);
	ck_assert_int_eq(t.total, 21920);
}
END_TEST

START_TEST(totals_seed_example_amount_and_two_lines)
{
	/* The same invoice as two lines of 1 x 100.00 and a 20.00 discount. */
	bahi_totals_line l[2] = { { 1000, 10000 }, { 1000, 10000 } };
	bahi_totals_in in = { l, 2, BAHI_DISCOUNT_AMOUNT, 2000, 1900, 500 };
	bahi_totals t;
	int64_t lt[2];

	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(lt[0], 10000);
	ck_assert_int_eq(lt[1], 10000);
	ck_assert_int_eq(t.subtotal, 20000);
	ck_assert_int_eq(t.discount, 2000);
	ck_assert_int_eq(t.tax, 3420);
	ck_assert_int_eq(t.total, 21920);
}
END_TEST

START_TEST(totals_three_decimal_quantities)
{
	/* 1.5 kg x 99.99 = 149.985 -> 149.99; 0.125 x 3.33 = 0.41625 -> 0.42;
	 * 2.345 x 1.00 = 2.345 -> 2.35 (half away from zero). */
	bahi_totals_line l[3] = { { 1500, 9999 }, { 125, 333 }, { 2345, 100 } };
	bahi_totals_in in = { l, 3, BAHI_DISCOUNT_NONE, 0, 1900, 0 };
	bahi_totals t;
	int64_t lt[3];

	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(lt[0], 14999);
	ck_assert_int_eq(lt[1], 42);
	ck_assert_int_eq(lt[2], 235);
	ck_assert_int_eq(t.subtotal, 15276);
	ck_assert_int_eq(t.discount, 0);
	ck_assert_int_eq(t.tax, 2902);       /* 15276 x 19% = 2902.44 */
	ck_assert_int_eq(t.total, 18178);
}
END_TEST

START_TEST(totals_half_minor_unit_rounding)
{
	bahi_totals_line l = { 1, 500 };   /* 0.001 x 5.00 = 0.005 -> 0.01 */
	bahi_totals_in in = one_line(&l);
	bahi_totals t;
	int64_t lt[1];

	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(lt[0], 1);
	l.unit_price = 499;                /* 0.00499 -> 0.00 */
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(lt[0], 0);
	ck_assert_int_eq(t.total, 0);

	/* Tax: 0.50 x 1% = 0.005 -> 0.01; 0.49 x 1% -> 0.00. */
	l.qty = 1000;
	l.unit_price = 50;
	in.tax_rate_bp = 100;
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(t.tax, 1);
	ck_assert_int_eq(t.total, 51);
	l.unit_price = 49;
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(t.tax, 0);
	ck_assert_int_eq(t.total, 49);

	/* Discount: 1.50 x 1% = 0.015 -> 0.02; tax on 1.48 x 19% = 0.2812 -> 0.28. */
	l.unit_price = 150;
	in.tax_rate_bp = 1900;
	in.discount_kind = BAHI_DISCOUNT_BP;
	in.discount = 100;
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(t.discount, 2);
	ck_assert_int_eq(t.taxable, 148);
	ck_assert_int_eq(t.tax, 28);
	ck_assert_int_eq(t.total, 176);
}
END_TEST

START_TEST(totals_discount_limits)
{
	bahi_totals_line l = { 2000, 10000 };
	bahi_totals_in in = one_line(&l);
	bahi_totals t;

	in.tax_rate_bp = 1900;
	in.fee = 500;
	in.discount_kind = BAHI_DISCOUNT_AMOUNT;
	in.discount = 20001;
	expect_refused(&in, "discount_amount", -1, "exceeds_subtotal");
	in.discount = -1;
	expect_refused(&in, "discount_amount", -1, "too_small");
	in.discount = 20000;   /* exactly the subtotal: only the fee is left */
	ck_assert_int_eq(bahi_totals_compute(&in, NULL, &t, NULL), 0);
	ck_assert_int_eq(t.discount, 20000);
	ck_assert_int_eq(t.tax, 0);
	ck_assert_int_eq(t.total, 500);

	in.discount_kind = BAHI_DISCOUNT_BP;
	in.discount = 10001;
	expect_refused(&in, "discount_bp", -1, "too_large");
	in.discount = -1;
	expect_refused(&in, "discount_bp", -1, "too_small");
	in.discount = 10000;
	ck_assert_int_eq(bahi_totals_compute(&in, NULL, &t, NULL), 0);
	ck_assert_int_eq(t.discount, 20000);
	ck_assert_int_eq(t.total, 500);

	in.discount_kind = (bahi_discount_kind)7;
	expect_refused(&in, "discount", -1, "invalid_choice");
}
END_TEST

START_TEST(totals_bad_lines_and_charges)
{
	bahi_totals_line l[3] = { { 1000, 100 }, { 1000, 100 }, { 0, 100 } };
	bahi_totals_in in = { l, 3, BAHI_DISCOUNT_NONE, 0, 1900, 0 };

	expect_refused(&in, "qty", 2, "must_be_positive");
	l[2].qty = -1000;
	expect_refused(&in, "qty", 2, "must_be_positive");
	l[2].qty = BAHI_QTY_MAX + 1;
	expect_refused(&in, "qty", 2, "too_large");
	l[2].qty = 1000;
	l[1].unit_price = -1;
	expect_refused(&in, "unit_price", 1, "too_small");
	l[1].unit_price = BAHI_MONEY_MAX + 1;
	expect_refused(&in, "unit_price", 1, "too_large");
	l[1].unit_price = 100;

	in.nlines = 0;
	expect_refused(&in, "lines", -1, "too_small");
	in.nlines = 3;
	in.lines = NULL;
	expect_refused(&in, "lines", -1, "too_small");
	in.lines = l;

	in.tax_rate_bp = 10001;
	expect_refused(&in, "tax_rate_bp", -1, "too_large");
	in.tax_rate_bp = -1;
	expect_refused(&in, "tax_rate_bp", -1, "too_small");
	in.tax_rate_bp = 0;
	in.fee = -1;
	expect_refused(&in, "fee", -1, "too_small");
	in.fee = BAHI_MONEY_MAX + 1;
	expect_refused(&in, "fee", -1, "too_large");
}
END_TEST

START_TEST(totals_overflow_near_limit)
{
	bahi_totals_line l[2] = { { 1000, BAHI_MONEY_MAX }, { 0, 0 } };
	bahi_totals_in in = { l, 1, BAHI_DISCOUNT_NONE, 0, 0, 0 };
	bahi_totals t;
	int64_t lt[2];

	/* 1 x 10^15 is the largest total there is. */
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(t.total, BAHI_MONEY_MAX);
	/* 1.001 x 10^15 is not. */
	l[0].qty = 1001;
	expect_refused(&in, "qty", 0, "too_large");
	/* Largest quantity x 1 minor unit: 99999999999.999 -> 100000000000. */
	l[0].qty = BAHI_QTY_MAX;
	l[0].unit_price = 1;
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(lt[0], INT64_C(100000000000));
	/* Largest quantity x largest price: refused, no wrap. */
	l[0].unit_price = BAHI_MONEY_MAX;
	expect_refused(&in, "qty", 0, "too_large");

	/* Two lines that fit alone but not together. */
	in.nlines = 2;
	l[0].qty = 1000;
	l[0].unit_price = INT64_C(600000000000000);
	l[1].qty = 1000;
	l[1].unit_price = INT64_C(400000000000001);
	expect_refused(&in, "lines", -1, "too_large");
	l[1].unit_price = INT64_C(400000000000000);
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(t.subtotal, BAHI_MONEY_MAX);

	/* Tax or fee pushing the total past 10^15. */
	in.tax_rate_bp = 1;
	expect_refused(&in, "total", -1, "too_large");
	in.tax_rate_bp = 0;
	in.fee = 1;
	expect_refused(&in, "total", -1, "too_large");
	l[1].unit_price = INT64_C(399999999999500);
	in.fee = 500;
	ck_assert_int_eq(bahi_totals_compute(&in, lt, &t, NULL), 0);
	ck_assert_int_eq(t.total, BAHI_MONEY_MAX);

	/* Hostile values everywhere never wrap. */
	l[0].qty = INT64_MAX;
	l[0].unit_price = INT64_MAX;
	expect_refused(&in, "qty", 0, "too_large");
}
END_TEST

/* ---- settlement: cash vs credit ---- */

START_TEST(settle_cash)
{
	bahi_settlement s;
	bahi_rule_error e;

	/* paid = total: invoice, paid. */
	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CASH, 21920, &s, &e), 0);
	ck_assert_int_eq(s.outcome, BAHI_SALE_INVOICE);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PAID);
	ck_assert_int_eq(s.paid, 21920);
	ck_assert_int_eq(s.balance_due, 0);
	ck_assert_int_eq(s.change_given, 0);
	ck_assert_int_eq(s.has_debt, 0);

	/* paid < total: incomplete sale, nothing consumed. */
	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CASH, 20000, &s, &e), 0);
	ck_assert_int_eq(s.outcome, BAHI_SALE_INCOMPLETE);
	ck_assert_int_eq(s.paid, 20000);
	ck_assert_int_eq(s.balance_due, 1920);
	ck_assert_int_eq(s.change_given, 0);
	ck_assert_int_eq(s.has_debt, 0);

	/* paid > total: invoice for 219.20, 280.80 change handed back. */
	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CASH, 50000, &s, &e), 0);
	ck_assert_int_eq(s.outcome, BAHI_SALE_INVOICE);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PAID);
	ck_assert_int_eq(s.paid, 21920);
	ck_assert_int_eq(s.change_given, 28080);
	ck_assert_int_eq(s.balance_due, 0);

	/* A zero total is paid by nothing. */
	ck_assert_int_eq(bahi_totals_settle(0, 0, BAHI_PAY_CASH, 0, &s, &e), 0);
	ck_assert_int_eq(s.outcome, BAHI_SALE_INVOICE);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PAID);
}
END_TEST

START_TEST(settle_credit)
{
	bahi_settlement s;
	bahi_rule_error e = { 0 };

	/* Nothing paid: the whole total is a debt. */
	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CREDIT, 0, &s, &e), 0);
	ck_assert_int_eq(s.outcome, BAHI_SALE_INVOICE);
	ck_assert_int_eq(s.status, BAHI_INVOICE_UNPAID);
	ck_assert_int_eq(s.paid, 0);
	ck_assert_int_eq(s.balance_due, 21920);
	ck_assert_int_eq(s.has_debt, 1);

	/* Part paid now. */
	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CREDIT, 10000, &s, &e), 0);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PARTIALLY_PAID);
	ck_assert_int_eq(s.paid, 10000);
	ck_assert_int_eq(s.balance_due, 11920);
	ck_assert_int_eq(s.has_debt, 1);

	/* All paid now: an invoice without a debt. */
	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CREDIT, 21920, &s, &e), 0);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PAID);
	ck_assert_int_eq(s.has_debt, 0);

	/* More than due on credit: refused. */
	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CREDIT, 21921, &s, &e), -1);
	ck_assert_str_eq(e.field, "paid_amount");
	ck_assert_str_eq(e.code, "exceeds_amount_due");
}
END_TEST

START_TEST(settle_customer_credit)
{
	bahi_settlement s;

	/* Seed 04: new invoice 500, client balance 100 -> owes 400. */
	ck_assert_int_eq(bahi_totals_settle(50000, 10000, BAHI_PAY_CREDIT, 0, &s, NULL), 0);
	ck_assert_int_eq(s.credit_applied, 10000);
	ck_assert_int_eq(s.amount_due, 40000);
	ck_assert_int_eq(s.balance_due, 40000);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PARTIALLY_PAID);
	ck_assert_int_eq(s.has_debt, 1);
	ck_assert_int_eq(bahi_totals_settle(50000, 10000, BAHI_PAY_CASH, 40000, &s, NULL), 0);
	ck_assert_int_eq(s.outcome, BAHI_SALE_INVOICE);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PAID);
	ck_assert_int_eq(s.paid, 40000);

	/* Credit larger than the total: only the total is taken, nothing is due. */
	ck_assert_int_eq(bahi_totals_settle(21920, 50000, BAHI_PAY_CASH, 0, &s, NULL), 0);
	ck_assert_int_eq(s.credit_applied, 21920);
	ck_assert_int_eq(s.amount_due, 0);
	ck_assert_int_eq(s.paid, 0);
	ck_assert_int_eq(s.balance_due, 0);
	ck_assert_int_eq(s.outcome, BAHI_SALE_INVOICE);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PAID);
	ck_assert_int_eq(bahi_totals_settle(21920, 50000, BAHI_PAY_CASH, 1000, &s, NULL), 0);
	ck_assert_int_eq(s.paid, 0);
	ck_assert_int_eq(s.change_given, 1000);
	ck_assert_int_eq(bahi_totals_settle(21920, 50000, BAHI_PAY_CREDIT, 0, &s, NULL), 0);
	ck_assert_int_eq(s.credit_applied, 21920);
	ck_assert_int_eq(s.has_debt, 0);
	ck_assert_int_eq(s.status, BAHI_INVOICE_PAID);
}
END_TEST

START_TEST(settle_bad_input)
{
	bahi_settlement s;
	bahi_rule_error e = { 0 };

	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CASH, -1, &s, &e), -1);
	ck_assert_str_eq(e.field, "paid_amount");
	ck_assert_str_eq(e.code, "too_small");
	ck_assert_int_eq(bahi_totals_settle(21920, 0, BAHI_PAY_CASH, BAHI_MONEY_MAX + 1, &s, &e), -1);
	ck_assert_str_eq(e.code, "too_large");
	ck_assert_int_eq(bahi_totals_settle(-1, 0, BAHI_PAY_CASH, 0, &s, &e), -1);
	ck_assert_str_eq(e.field, "total");
	ck_assert_int_eq(bahi_totals_settle(BAHI_MONEY_MAX + 1, 0, BAHI_PAY_CASH, 0, &s, &e), -1);
	ck_assert_str_eq(e.field, "total");
	ck_assert_int_eq(bahi_totals_settle(100, -1, BAHI_PAY_CASH, 100, &s, &e), -1);
	ck_assert_str_eq(e.field, "credit_balance");
	ck_assert_int_eq(bahi_totals_settle(100, 0, (bahi_pay_mode)9, 100, &s, &e), -1);
	ck_assert_str_eq(e.field, "payment_mode");
	/* The largest amounts work without overflow. */
	ck_assert_int_eq(bahi_totals_settle(BAHI_MONEY_MAX, BAHI_MONEY_MAX, BAHI_PAY_CASH,
	    BAHI_MONEY_MAX, &s, &e), 0);
	ck_assert_int_eq(s.credit_applied, BAHI_MONEY_MAX);
	ck_assert_int_eq(s.change_given, BAHI_MONEY_MAX);
}
END_TEST

START_TEST(status_names_and_problem)
{
	ck_assert_int_eq(bahi_invoice_status_for(21920, 0), BAHI_INVOICE_PAID);
	ck_assert_int_eq(bahi_invoice_status_for(21920, 21920), BAHI_INVOICE_UNPAID);
	ck_assert_int_eq(bahi_invoice_status_for(21920, 1), BAHI_INVOICE_PARTIALLY_PAID);
	ck_assert_int_eq(bahi_invoice_status_for(0, 0), BAHI_INVOICE_PAID);
	ck_assert_str_eq(bahi_invoice_status_name(BAHI_INVOICE_UNPAID), "unpaid");
	ck_assert_str_eq(bahi_invoice_status_name(BAHI_INVOICE_PARTIALLY_PAID), "partially_paid");
	ck_assert_str_eq(bahi_invoice_status_name(BAHI_INVOICE_PAID), "paid");

	bahi_pool *pool = bahi_pool_create();
	bahi_problem p;
	bahi_rule_error line = { "qty", 2, "must_be_positive", "Must be more than zero." };
	bahi_rule_error top = { "discount_bp", -1, "too_large", "Too much." };

	memset(&p, 0, sizeof(p));
	bahi_rule_error_problem(&line, pool, &p);
	bahi_rule_error_problem(&top, pool, &p);
	ck_assert_str_eq(p.code, "validation_failed");
	ck_assert_int_eq(p.status, 422);
	ck_assert_uint_eq(p.nerrors, 2);
	ck_assert_str_eq(p.errors[0].field, "lines[2].qty");
	ck_assert_str_eq(p.errors[0].code, "must_be_positive");
	ck_assert_str_eq(p.errors[1].field, "discount_bp");
	ck_assert_str_eq(p.errors[1].code, "too_large");
	bahi_pool_destroy(pool);
}
END_TEST

/* ---- payment allocation ---- */

static bahi_date
day(int y, int m, int d)
{
	bahi_date x = { y, m, d };
	return x;
}

START_TEST(alloc_seed_named_invoice_overpaid)
{
	/* Seed 04: total 200, 150 paid, remaining 50; pays 80 -> 50 to the
	 * invoice (paid), 30 to the client's balance. */
	bahi_open_invoice inv = { "inv-1", { 2026, 11, 1 }, 1, 5000 };
	bahi_alloc_in in = { 8000, &inv, NULL, 0, 0 };
	bahi_allocation a[1];
	bahi_alloc_result r;

	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_uint_eq(r.nallocs, 1);
	ck_assert_ptr_eq(a[0].invoice, &inv);
	ck_assert_int_eq(a[0].amount, 5000);
	ck_assert_int_eq(a[0].balance_after, 0);
	ck_assert_int_eq(bahi_invoice_status_for(20000, a[0].balance_after), BAHI_INVOICE_PAID);
	ck_assert_int_eq(r.applied_to_invoices, 5000);
	ck_assert_int_eq(r.opening_balance_reduced, 0);
	ck_assert_int_eq(r.credit_added, 3000);
	ck_assert_int_eq(r.named_already_paid, 0);
}
END_TEST

START_TEST(alloc_seed_three_steps)
{
	/* Seed 04: invoice 1 500 unpaid, pending 200; pays 800 -> invoice paid
	 * (500), pending reduced by 200, client balance += 100. */
	bahi_open_invoice inv = { "inv-1", { 2026, 11, 1 }, 1, 50000 };
	bahi_alloc_in in = { 80000, NULL, &inv, 1, 20000 };
	bahi_allocation a[1];
	bahi_alloc_result r;

	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_uint_eq(r.nallocs, 1);
	ck_assert_ptr_eq(a[0].invoice, &inv);
	ck_assert_int_eq(a[0].amount, 50000);
	ck_assert_int_eq(a[0].balance_after, 0);
	ck_assert_int_eq(r.opening_balance_reduced, 20000);
	ck_assert_int_eq(r.opening_balance_after, 0);
	ck_assert_int_eq(r.credit_added, 10000);
}
END_TEST

START_TEST(alloc_oldest_first)
{
	/* Given out of order; B is oldest by date though its number is higher
	 * (imported); C and A share a date and go by number. */
	bahi_open_invoice inv[5] = {
		{ "A", { 2026, 3, 5 }, 7, 3000 },
		{ "B", { 2026, 3, 1 }, 9, 2000 },
		{ "C", { 2026, 3, 5 }, 6, 4000 },
		{ "D", { 2026, 3, 10 }, 8, 1000 },
		{ "E", { 2026, 2, 1 }, 2, 0 },      /* already paid: skipped */
	};
	bahi_alloc_in in = { 8000, NULL, inv, 5, 5000 };
	bahi_allocation a[5];
	bahi_alloc_result r;

	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_uint_eq(r.nallocs, 3);
	ck_assert_str_eq(a[0].invoice->id, "B");
	ck_assert_int_eq(a[0].amount, 2000);
	ck_assert_int_eq(a[0].balance_after, 0);
	ck_assert_str_eq(a[1].invoice->id, "C");
	ck_assert_int_eq(a[1].amount, 4000);
	ck_assert_int_eq(a[1].balance_after, 0);
	ck_assert_str_eq(a[2].invoice->id, "A");
	ck_assert_int_eq(a[2].amount, 2000);
	ck_assert_int_eq(a[2].balance_after, 1000);
	ck_assert_int_eq(r.applied_to_invoices, 8000);
	ck_assert_int_eq(r.opening_balance_reduced, 0);
	ck_assert_int_eq(r.opening_balance_after, 5000);
	ck_assert_int_eq(r.credit_added, 0);

	/* Enough for everything: all four, then the pending 50.00, then credit. */
	in.amount = 20000;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_uint_eq(r.nallocs, 4);
	ck_assert_str_eq(a[2].invoice->id, "A");
	ck_assert_int_eq(a[2].amount, 3000);
	ck_assert_str_eq(a[3].invoice->id, "D");
	ck_assert_int_eq(a[3].amount, 1000);
	ck_assert_int_eq(r.applied_to_invoices, 10000);
	ck_assert_int_eq(r.opening_balance_reduced, 5000);
	ck_assert_int_eq(r.credit_added, 5000);
	/* The input is not reordered. */
	ck_assert_str_eq(inv[0].id, "A");
	ck_assert_int_eq(inv[0].balance_due, 3000);
}
END_TEST

START_TEST(alloc_named_only_touches_named)
{
	/* With a named invoice, other open invoices are left alone. */
	bahi_open_invoice older = { "old", { 2026, 1, 1 }, 1, 9000 };
	bahi_open_invoice named = { "named", { 2026, 2, 1 }, 2, 3000 };
	bahi_alloc_in in = { 4000, &named, &older, 1, 0 };
	bahi_allocation a[1];
	bahi_alloc_result r;

	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_uint_eq(r.nallocs, 1);
	ck_assert_ptr_eq(a[0].invoice, &named);
	ck_assert_int_eq(a[0].amount, 3000);
	ck_assert_int_eq(r.credit_added, 1000);

	/* A partial payment leaves it partially paid. */
	in.amount = 1000;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_int_eq(a[0].amount, 1000);
	ck_assert_int_eq(a[0].balance_after, 2000);
	ck_assert_int_eq(bahi_invoice_status_for(3000, a[0].balance_after),
	    BAHI_INVOICE_PARTIALLY_PAID);
	ck_assert_int_eq(r.credit_added, 0);
}
END_TEST

START_TEST(alloc_named_already_paid)
{
	bahi_open_invoice named = { "paid", { 2026, 2, 1 }, 2, 0 };
	bahi_alloc_in in = { 5000, &named, NULL, 0, 3000 };
	bahi_allocation a[1];
	bahi_alloc_result r;

	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_uint_eq(r.nallocs, 0);
	ck_assert_int_eq(r.named_already_paid, 1);
	ck_assert_int_eq(r.applied_to_invoices, 0);
	ck_assert_int_eq(r.opening_balance_reduced, 3000);
	ck_assert_int_eq(r.opening_balance_after, 0);
	ck_assert_int_eq(r.credit_added, 2000);
}
END_TEST

START_TEST(alloc_exactly_pending_balance)
{
	bahi_alloc_in in = { 20000, NULL, NULL, 0, 20000 };
	bahi_allocation a[1];
	bahi_alloc_result r;

	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_uint_eq(r.nallocs, 0);
	ck_assert_int_eq(r.opening_balance_reduced, 20000);
	ck_assert_int_eq(r.opening_balance_after, 0);
	ck_assert_int_eq(r.credit_added, 0);

	/* One short of it. */
	in.amount = 19999;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_int_eq(r.opening_balance_reduced, 19999);
	ck_assert_int_eq(r.opening_balance_after, 1);
	ck_assert_int_eq(r.credit_added, 0);

	/* Nothing owed at all: everything becomes credit; a negative opening
	 * balance is not something to pay off. */
	in.opening_balance = -500;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, NULL), 0);
	ck_assert_int_eq(r.opening_balance_reduced, 0);
	ck_assert_int_eq(r.opening_balance_after, -500);
	ck_assert_int_eq(r.credit_added, 19999);
}
END_TEST

START_TEST(alloc_bad_input)
{
	bahi_open_invoice inv = { "x", { 2026, 1, 1 }, 1, BAHI_MONEY_MAX + 1 };
	bahi_alloc_in in = { 0, NULL, NULL, 0, 0 };
	bahi_allocation a[1];
	bahi_alloc_result r;
	bahi_rule_error e = { 0 };

	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, &e), -1);
	ck_assert_str_eq(e.field, "amount");
	ck_assert_str_eq(e.code, "must_be_positive");
	in.amount = -5;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, &e), -1);
	ck_assert_str_eq(e.code, "must_be_positive");
	in.amount = BAHI_MONEY_MAX + 1;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, &e), -1);
	ck_assert_str_eq(e.code, "too_large");
	in.amount = BAHI_MONEY_MAX;
	in.invoices = &inv;
	in.ninvoices = 1;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, &e), -1);
	ck_assert_str_eq(e.field, "invoices");
	in.named = &inv;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, &e), -1);
	ck_assert_str_eq(e.field, "invoice_id");
	in.named = NULL;
	in.ninvoices = 0;
	in.opening_balance = BAHI_MONEY_MAX + 1;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, &e), -1);
	ck_assert_str_eq(e.field, "opening_balance");

	/* The largest payment on the largest balances adds up exactly. */
	inv.balance_due = BAHI_MONEY_MAX;
	in.ninvoices = 1;
	in.opening_balance = BAHI_MONEY_MAX;
	ck_assert_int_eq(bahi_alloc_payment(&in, a, &r, &e), 0);
	ck_assert_int_eq(a[0].amount, BAHI_MONEY_MAX);
	ck_assert_int_eq(r.opening_balance_reduced, 0);
	ck_assert_int_eq(r.credit_added, 0);
}
END_TEST

/* ---- debts ---- */

START_TEST(debt_due_date)
{
	bahi_date due;
	char buf[11];

	ck_assert_int_eq(bahi_debt_due_date(day(2026, 11, 21), BAHI_CREDIT_TERM_DEFAULT, &due), 0);
	bahi_date_format(due, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-12-06");
	ck_assert_int_eq(bahi_debt_due_date(day(2026, 12, 25), 15, &due), 0);
	bahi_date_format(due, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2027-01-09");
	ck_assert_int_eq(bahi_debt_due_date(day(2028, 2, 20), 15, &due), 0);
	bahi_date_format(due, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2028-03-06");   /* 2028 is a leap year */
	ck_assert_int_eq(bahi_debt_due_date(day(2026, 11, 21), 0, &due), 0);
	bahi_date_format(due, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-11-21");
	ck_assert_int_eq(bahi_debt_due_date(day(2026, 11, 21), 365, &due), 0);
	bahi_date_format(due, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2027-11-21");
	ck_assert_int_eq(bahi_debt_due_date(day(2026, 11, 21), 366, &due), -1);
	ck_assert_int_eq(bahi_debt_due_date(day(2026, 11, 21), -1, &due), -1);
}
END_TEST

START_TEST(debt_status_boundaries)
{
	static const struct {
		int offset;
		bahi_debt_status status;
		int days_overdue;
	} cases[] = {
		{ 30, BAHI_DEBT_GREEN, 0 }, { 8, BAHI_DEBT_GREEN, 0 },
		{ 7, BAHI_DEBT_YELLOW, 0 }, { 4, BAHI_DEBT_YELLOW, 0 },
		{ 3, BAHI_DEBT_RED, 0 }, { 0, BAHI_DEBT_RED, 0 },
		{ -1, BAHI_DEBT_OVERDUE, 1 }, { -30, BAHI_DEBT_OVERDUE, 30 },
	};
	bahi_date today = day(2026, 11, 21);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bahi_debt_info d = bahi_debt_classify(bahi_date_add_days(today, cases[i].offset), today);
		ck_assert_int_eq(d.days_left, cases[i].offset);
		ck_assert_int_eq(d.status, cases[i].status);
		ck_assert_int_eq(d.days_overdue, cases[i].days_overdue);
	}
	/* Across the end of a non-leap February: Feb 27 -> Mar 2 is 3 days. */
	bahi_debt_info d = bahi_debt_classify(day(2026, 3, 2), day(2026, 2, 27));
	ck_assert_int_eq(d.days_left, 3);
	ck_assert_int_eq(d.status, BAHI_DEBT_RED);
	/* A 15-day credit sale issued today is green; on day 15 it is red. */
	bahi_date due;
	ck_assert_int_eq(bahi_debt_due_date(today, 15, &due), 0);
	ck_assert_int_eq(bahi_debt_classify(due, today).status, BAHI_DEBT_GREEN);
	ck_assert_int_eq(bahi_debt_classify(due, day(2026, 12, 6)).status, BAHI_DEBT_RED);
	ck_assert_int_eq(bahi_debt_classify(due, day(2026, 12, 7)).days_overdue, 1);
}
END_TEST

START_TEST(debt_status_far_time_zones)
{
	/* 2026-11-21T12:00Z is Nov 22 in Kiritimati (+14) and Nov 21 in Pago
	 * Pago (-11): a debt due Nov 25 is red in one and yellow in the other. */
	time_t t = (time_t)(bahi_date_to_days(day(2026, 11, 21)) * 86400 + 12 * 3600);
	bahi_date east, west;

	ck_assert_int_eq(bahi_date_local("Pacific/Kiritimati", t, &east), 0);
	ck_assert_int_eq(bahi_date_local("Pacific/Pago_Pago", t, &west), 0);
	bahi_debt_info e = bahi_debt_classify(day(2026, 11, 25), east);
	bahi_debt_info w = bahi_debt_classify(day(2026, 11, 25), west);
	ck_assert_int_eq(e.days_left, 3);
	ck_assert_int_eq(e.status, BAHI_DEBT_RED);
	ck_assert_int_eq(w.days_left, 4);
	ck_assert_int_eq(w.status, BAHI_DEBT_YELLOW);
}
END_TEST

START_TEST(debt_names_and_ranges)
{
	bahi_debt_status s;
	char a[11], b[11];

	ck_assert_str_eq(bahi_debt_status_name(BAHI_DEBT_GREEN), "green");
	ck_assert_str_eq(bahi_debt_status_name(BAHI_DEBT_YELLOW), "yellow");
	ck_assert_str_eq(bahi_debt_status_name(BAHI_DEBT_RED), "red");
	ck_assert_str_eq(bahi_debt_status_name(BAHI_DEBT_OVERDUE), "overdue");
	ck_assert_int_eq(bahi_debt_status_parse("yellow", &s), 0);
	ck_assert_int_eq(s, BAHI_DEBT_YELLOW);
	ck_assert_int_eq(bahi_debt_status_parse("overdue", &s), 0);
	ck_assert_int_eq(s, BAHI_DEBT_OVERDUE);
	ck_assert_int_eq(bahi_debt_status_parse("Green", &s), -1);
	ck_assert_int_eq(bahi_debt_status_parse("", &s), -1);
	ck_assert_int_eq(bahi_debt_status_parse(NULL, &s), -1);

	bahi_date today = day(2026, 11, 21);
	bahi_debt_range r = bahi_debt_due_range(BAHI_DEBT_YELLOW, today);
	ck_assert(r.has_min && r.has_max);
	bahi_date_format(r.min, a, sizeof(a));
	bahi_date_format(r.max, b, sizeof(b));
	ck_assert_str_eq(a, "2026-11-25");
	ck_assert_str_eq(b, "2026-11-28");
	r = bahi_debt_due_range(BAHI_DEBT_OVERDUE, today);
	ck_assert(!r.has_min && r.has_max);
	bahi_date_format(r.max, b, sizeof(b));
	ck_assert_str_eq(b, "2026-11-20");

	/* Every range agrees with classify around the boundaries. */
	for (int st = BAHI_DEBT_GREEN; st <= BAHI_DEBT_OVERDUE; st++) {
		r = bahi_debt_due_range((bahi_debt_status)st, today);
		for (int off = -20; off <= 20; off++) {
			bahi_date due = bahi_date_add_days(today, off);
			int64_t dd = bahi_date_to_days(due);
			int in = (!r.has_min || dd >= bahi_date_to_days(r.min)) &&
			    (!r.has_max || dd <= bahi_date_to_days(r.max));
			ck_assert_int_eq(in, (int)bahi_debt_classify(due, today).status == st);
		}
	}
}
END_TEST

static Suite *
sales_rules_suite(void)
{
	Suite *s = suite_create("sales_rules");
	TCase *tc = tcase_create("totals");
	TCase *ta = tcase_create("alloc");
	TCase *td = tcase_create("debt");

	tcase_add_test(tc, totals_seed_example_percent);
	tcase_add_test(tc, totals_seed_example_amount_and_two_lines);
	tcase_add_test(tc, totals_three_decimal_quantities);
	tcase_add_test(tc, totals_half_minor_unit_rounding);
	tcase_add_test(tc, totals_discount_limits);
	tcase_add_test(tc, totals_bad_lines_and_charges);
	tcase_add_test(tc, totals_overflow_near_limit);
	tcase_add_test(tc, settle_cash);
	tcase_add_test(tc, settle_credit);
	tcase_add_test(tc, settle_customer_credit);
	tcase_add_test(tc, settle_bad_input);
	tcase_add_test(tc, status_names_and_problem);
	suite_add_tcase(s, tc);
	tcase_add_test(ta, alloc_seed_named_invoice_overpaid);
	tcase_add_test(ta, alloc_seed_three_steps);
	tcase_add_test(ta, alloc_oldest_first);
	tcase_add_test(ta, alloc_named_only_touches_named);
	tcase_add_test(ta, alloc_named_already_paid);
	tcase_add_test(ta, alloc_exactly_pending_balance);
	tcase_add_test(ta, alloc_bad_input);
	suite_add_tcase(s, ta);
	tcase_add_test(td, debt_due_date);
	tcase_add_test(td, debt_status_boundaries);
	tcase_add_test(td, debt_status_far_time_zones);
	tcase_add_test(td, debt_names_and_ranges);
	suite_add_tcase(s, td);
	return s;
}

int
main(void)
{
	return bahi_check_run(sales_rules_suite());
}
