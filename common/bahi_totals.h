/* bahi_totals: invoice totals and cash/credit settlement as pure functions (no database, no I/O). */
#ifndef BAHI_TOTALS_H
#define BAHI_TOTALS_H

#include <stddef.h>
#include <stdint.h>

struct bahi_pool;
struct bahi_problem;

/*
 * Why a rule refused its input. field is the request member the handler
 * should name: "lines", "discount_bp", "discount_amount", "tax_rate_bp",
 * "fee", "paid_amount", "amount", "total", ...; when line >= 0 it is a member
 * of lines[line] ("qty", "unit_price"). code is a stable field-error code
 * ("too_small", "too_large", "exceeds_subtotal", "exceeds_amount_due", ...);
 * message is a static English sentence. All strings are static.
 */
typedef struct bahi_rule_error {
	const char *field;
	long line;          /* index into the lines, or -1 */
	const char *code;
	const char *message;
} bahi_rule_error;

/* Adds e to p as one field error (validation_failed), the field spelled
 * "lines[3].qty" for line errors (allocated from pool). */
void bahi_rule_error_problem(const bahi_rule_error *e, struct bahi_pool *pool,
                             struct bahi_problem *p);

typedef struct bahi_totals_line {
	int64_t qty;         /* thousandths (BAHI_QTY_SCALE), 1..BAHI_QTY_MAX */
	int64_t unit_price;  /* minor units, 0..BAHI_MONEY_MAX */
} bahi_totals_line;

typedef enum bahi_discount_kind {
	BAHI_DISCOUNT_NONE = 0,
	BAHI_DISCOUNT_BP,       /* discount is a rate in basis points, 0..10000 */
	BAHI_DISCOUNT_AMOUNT    /* discount is minor units, 0..subtotal */
} bahi_discount_kind;

typedef struct bahi_totals_in {
	const bahi_totals_line *lines;
	size_t nlines;                    /* at least 1 */
	bahi_discount_kind discount_kind;
	int64_t discount;                 /* see bahi_discount_kind; ignored for NONE */
	int64_t tax_rate_bp;              /* 0..10000 */
	int64_t fee;                      /* minor units, 0..BAHI_MONEY_MAX */
} bahi_totals_in;

typedef struct bahi_totals {
	int64_t subtotal;   /* sum of the rounded line totals */
	int64_t discount;   /* on the subtotal */
	int64_t taxable;    /* subtotal - discount */
	int64_t tax;        /* taxable x tax_rate_bp / 10000 */
	int64_t fee;
	int64_t total;      /* taxable + tax + fee */
} bahi_totals;

/*
 * The seed's order (04-accounting-rules): each line_total = qty x unit_price
 * / 1000 rounded half away from zero to a minor unit (1.5 x 99.99 = 149.985
 * -> 149.99); subtotal = sum of line totals (so the printed lines add up);
 * discount = subtotal x bp / 10000 rounded half away from zero, or the amount
 * given; tax = (subtotal - discount) x tax_rate_bp / 10000 rounded half away
 * from zero; total = subtotal - discount + tax + fee. 2 x 100.00, 10%, 19%,
 * 5.00 fee: 20000, 2000, 3420, 500 -> 21920.
 *
 * line_totals (may be NULL) receives nlines line totals. Every figure must
 * stay within BAHI_MONEY_MAX (10^15); beyond it the call fails with
 * "too_large" instead of wrapping. Refused: no lines ("lines" too_small),
 * qty <= 0, negative prices, a discount rate above 100% or below 0, a
 * discount amount above the subtotal ("exceeds_subtotal"), a tax rate
 * outside 0..10000, a negative fee. Returns 0, or -1 with *err filled (out
 * untouched; line_totals partly written).
 */
int bahi_totals_compute(const bahi_totals_in *in, int64_t *line_totals,
                        bahi_totals *out, bahi_rule_error *err);

typedef enum bahi_pay_mode {
	BAHI_PAY_CASH = 0,
	BAHI_PAY_CREDIT
} bahi_pay_mode;

typedef enum bahi_sale_outcome {
	BAHI_SALE_INVOICE = 0,   /* issue the invoice (number, stock, ledger) */
	BAHI_SALE_INCOMPLETE     /* store as an incomplete sale; nothing else changes */
} bahi_sale_outcome;

typedef enum bahi_invoice_status {
	BAHI_INVOICE_UNPAID = 0,
	BAHI_INVOICE_PARTIALLY_PAID,
	BAHI_INVOICE_PAID
} bahi_invoice_status;

typedef struct bahi_settlement {
	bahi_sale_outcome outcome;
	bahi_invoice_status status;   /* meaningful for BAHI_SALE_INVOICE */
	int64_t credit_applied;  /* min(credit balance, total): taken from the customer's credit */
	int64_t amount_due;      /* total - credit_applied: what the customer owes for this sale */
	int64_t paid;            /* paid now and kept: min(tendered, amount_due) */
	int64_t change_given;    /* cash sale: tendered - amount_due handed back, else 0 */
	int64_t balance_due;     /* amount_due - paid: the debt (credit) or the shortfall (incomplete) */
	int has_debt;            /* 1: credit sale with balance_due > 0; record a debt due on
	                          * bahi_debt_due_date(issue date, credit term) */
} bahi_settlement;

/*
 * Cash vs credit (decisions.md). The customer's credit balance is applied
 * first (credit_applied = min(credit_balance, total); pass 0 for a walk-in).
 * Then, with amount_due = total - credit_applied and tendered = paid_amount:
 *   cash, tendered == amount_due: invoice, status paid;
 *   cash, tendered > amount_due: invoice, status paid, paid = amount_due and
 *     the excess is change_given (cash handed back; never stored as paid or
 *     as customer credit);
 *   cash, tendered < amount_due: incomplete sale (paid = tendered,
 *     balance_due = the shortfall); the handler consumes nothing, not even the
 *     credit shown in credit_applied;
 *   credit, tendered <= amount_due: invoice, paid = tendered, balance_due the
 *     rest, has_debt when it is > 0; status unpaid / partially_paid / paid;
 *   credit, tendered > amount_due: refused ("paid_amount" exceeds_amount_due):
 *     an overpayment on credit goes through POST /payments instead.
 * Returns 0, or -1 with *err for amounts outside 0..BAHI_MONEY_MAX.
 */
int bahi_totals_settle(int64_t total, int64_t credit_balance, bahi_pay_mode mode,
                       int64_t tendered, bahi_settlement *out, bahi_rule_error *err);

/* paid when balance_due is 0, unpaid when nothing of total is covered
 * (balance_due >= total > 0), partially_paid otherwise. */
bahi_invoice_status bahi_invoice_status_for(int64_t total, int64_t balance_due);
/* "unpaid", "partially_paid", "paid". */
const char *bahi_invoice_status_name(bahi_invoice_status s);

#endif
