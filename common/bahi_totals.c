/* bahi_totals: invoice totals (lines, discount, tax, fee) and cash/credit settlement, overflow-checked. */
#include "bahi_totals.h"

#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_pool.h"
#include "bahi_problem.h"

#define TAX_RATE_MAX_BP 10000
#define DISCOUNT_MAX_BP 10000

/* Fills *err (when given) and returns -1, so callers can `return fail(...)`. */
static int
fail(bahi_rule_error *err, const char *field, long line, const char *code,
     const char *message)
{
	if (err != NULL) {
		err->field = field;
		err->line = line;
		err->code = code;
		err->message = message;
	}
	return -1;
}

void
bahi_rule_error_problem(const bahi_rule_error *e, struct bahi_pool *pool,
                        struct bahi_problem *p)
{
	const char *field = e->field;

	if (e->line >= 0)
		field = bahi_pool_printf(pool, "lines[%ld].%s", e->line, e->field);
	bahi_problem_field(p, field, e->code, e->message);
}

/* Rounded qty x unit_price / 1000 for line i, range-checked. */
static int
line_total(const bahi_totals_line *l, long i, int64_t *out, bahi_rule_error *err)
{
	if (l->qty <= 0)
		return fail(err, "qty", i, "must_be_positive", "Must be more than zero.");
	if (l->qty > BAHI_QTY_MAX)
		return fail(err, "qty", i, "too_large", "The quantity is too large.");
	if (l->unit_price < 0)
		return fail(err, "unit_price", i, "too_small", "Must not be negative.");
	if (l->unit_price > BAHI_MONEY_MAX)
		return fail(err, "unit_price", i, "too_large",
		    "Must be at most 10^15 minor units.");
	if (bahi_money_mul_ratio(l->unit_price, l->qty, BAHI_QTY_SCALE, out) != 0)
		return fail(err, "qty", i, "too_large",
		    "The line total would exceed 10^15 minor units.");
	return 0;
}

/* The discount on subtotal for the requested kind, range-checked. */
static int
discount_of(const bahi_totals_in *in, int64_t subtotal, int64_t *out,
            bahi_rule_error *err)
{
	switch (in->discount_kind) {
	case BAHI_DISCOUNT_NONE:
		*out = 0;
		return 0;
	case BAHI_DISCOUNT_BP:
		if (in->discount < 0)
			return fail(err, "discount_bp", -1, "too_small", "Must not be negative.");
		if (in->discount > DISCOUNT_MAX_BP)
			return fail(err, "discount_bp", -1, "too_large",
			    "A discount cannot be more than 100% (10000 bp).");
		return bahi_money_apply_bp(subtotal, in->discount, out) == 0 ? 0 :
		    fail(err, "discount_bp", -1, "too_large", "The discount is too large.");
	case BAHI_DISCOUNT_AMOUNT:
		if (in->discount < 0)
			return fail(err, "discount_amount", -1, "too_small", "Must not be negative.");
		if (in->discount > subtotal)
			return fail(err, "discount_amount", -1, "exceeds_subtotal",
			    "The discount cannot be more than the subtotal.");
		*out = in->discount;
		return 0;
	}
	return fail(err, "discount", -1, "invalid_choice", "Unknown kind of discount.");
}

/* Checks the invoice-level inputs that do not depend on the lines. */
static int
check_charges(const bahi_totals_in *in, bahi_rule_error *err)
{
	if (in->nlines == 0 || in->lines == NULL)
		return fail(err, "lines", -1, "too_small", "An invoice needs at least one line.");
	if (in->tax_rate_bp < 0)
		return fail(err, "tax_rate_bp", -1, "too_small", "Must not be negative.");
	if (in->tax_rate_bp > TAX_RATE_MAX_BP)
		return fail(err, "tax_rate_bp", -1, "too_large",
		    "Must be at most 10000 bp (100%).");
	if (in->fee < 0)
		return fail(err, "fee", -1, "too_small", "Must not be negative.");
	if (in->fee > BAHI_MONEY_MAX)
		return fail(err, "fee", -1, "too_large", "Must be at most 10^15 minor units.");
	return 0;
}

int
bahi_totals_compute(const bahi_totals_in *in, int64_t *line_totals,
                    bahi_totals *out, bahi_rule_error *err)
{
	bahi_totals t = { 0 };

	if (check_charges(in, err) != 0)
		return -1;
	for (size_t i = 0; i < in->nlines; i++) {
		int64_t lt;
		if (line_total(&in->lines[i], (long)i, &lt, err) != 0)
			return -1;
		if (line_totals != NULL)
			line_totals[i] = lt;
		if (bahi_money_add(t.subtotal, lt, &t.subtotal) != 0)
			return fail(err, "lines", -1, "too_large",
			    "The subtotal would exceed 10^15 minor units.");
	}
	if (discount_of(in, t.subtotal, &t.discount, err) != 0)
		return -1;
	t.taxable = t.subtotal - t.discount;   /* 0 <= discount <= subtotal */
	/* taxable <= 10^15 and rate <= 100%: tax cannot leave the range. */
	if (bahi_money_apply_bp(t.taxable, in->tax_rate_bp, &t.tax) != 0)
		return fail(err, "tax_rate_bp", -1, "too_large", "The tax is too large.");
	t.fee = in->fee;
	if (bahi_money_add(t.taxable, t.tax, &t.total) != 0 ||
	    bahi_money_add(t.total, t.fee, &t.total) != 0)
		return fail(err, "total", -1, "too_large",
		    "The invoice total would exceed 10^15 minor units.");
	*out = t;
	return 0;
}

bahi_invoice_status
bahi_invoice_status_for(int64_t total, int64_t balance_due)
{
	if (balance_due <= 0)
		return BAHI_INVOICE_PAID;
	if (balance_due >= total)
		return BAHI_INVOICE_UNPAID;
	return BAHI_INVOICE_PARTIALLY_PAID;
}

const char *
bahi_invoice_status_name(bahi_invoice_status s)
{
	switch (s) {
	case BAHI_INVOICE_UNPAID:
		return "unpaid";
	case BAHI_INVOICE_PARTIALLY_PAID:
		return "partially_paid";
	case BAHI_INVOICE_PAID:
		return "paid";
	}
	return "unpaid";
}

/* Range checks for settle's inputs. */
static int
check_settle(int64_t total, int64_t credit_balance, bahi_pay_mode mode,
             int64_t tendered, bahi_rule_error *err)
{
	if (total < 0 || total > BAHI_MONEY_MAX)
		return fail(err, "total", -1, "out_of_range",
		    "The total must be within 0..10^15 minor units.");
	if (credit_balance < 0 || credit_balance > BAHI_MONEY_MAX)
		return fail(err, "credit_balance", -1, "out_of_range",
		    "The credit balance must be within 0..10^15 minor units.");
	if (mode != BAHI_PAY_CASH && mode != BAHI_PAY_CREDIT)
		return fail(err, "payment_mode", -1, "invalid_choice",
		    "Must be cash or credit.");
	if (tendered < 0)
		return fail(err, "paid_amount", -1, "too_small", "Must not be negative.");
	if (tendered > BAHI_MONEY_MAX)
		return fail(err, "paid_amount", -1, "too_large",
		    "Must be at most 10^15 minor units.");
	return 0;
}

/* See the header for the table of cases. */
int
bahi_totals_settle(int64_t total, int64_t credit_balance, bahi_pay_mode mode,
                   int64_t tendered, bahi_settlement *out, bahi_rule_error *err)
{
	bahi_settlement s = { 0 };

	if (check_settle(total, credit_balance, mode, tendered, err) != 0)
		return -1;
	s.credit_applied = credit_balance < total ? credit_balance : total;
	s.amount_due = total - s.credit_applied;
	s.outcome = BAHI_SALE_INVOICE;
	if (mode == BAHI_PAY_CASH) {
		if (tendered < s.amount_due) {
			s.outcome = BAHI_SALE_INCOMPLETE;
			s.paid = tendered;
		} else {
			s.paid = s.amount_due;
			s.change_given = tendered - s.amount_due;
		}
	} else {
		if (tendered > s.amount_due)
			return fail(err, "paid_amount", -1, "exceeds_amount_due",
			    "On a credit sale the amount paid cannot exceed the amount due; "
			    "record the excess as a payment.");
		s.paid = tendered;
	}
	s.balance_due = s.amount_due - s.paid;
	s.status = bahi_invoice_status_for(total, s.balance_due);
	s.has_debt = s.outcome == BAHI_SALE_INVOICE && s.balance_due > 0;
	*out = s;
	return 0;
}
