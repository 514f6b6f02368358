/* bahi_correction: corrections of an issued invoice: voids (bahi_invoice_void.c) and credit notes for returns (bahi_credit_note.c). */
#ifndef BAHI_CORRECTION_H
#define BAHI_CORRECTION_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_cursor.h"

struct bahi_req;

/*
 * Issued invoices never change (decisions.md "Corrections"); a void or a
 * credit note is a new record that puts stock, debt and the customer's
 * balances back. Both run in the request's transaction with the sales lock
 * order: the invoice's customer row (for a walk-in sale, its balance row,
 * which nothing else locks), then the products (bahi_stock_move_lines),
 * then the invoice's balance row, then the credit-note counter.
 *
 * Refunds. What the customer had paid for what is given back is refunded
 * either in cash (handed back over the counter: recorded, nothing else
 * changes) or as customer credit (added to credit_balance, applied
 * automatically to the customer's next invoices). refund_to NULL means the
 * default: "credit" when the invoice has a customer, so that no money is
 * recorded as having left the till unless the shop says so (it stays in the
 * customer's account, where the owner sees it); "cash" for a walk-in sale.
 * A walk-in sale (or one whose customer was deleted) can only be refunded in
 * cash: refund_to "credit" is a field error (refund_to no_customer).
 */

/* POST /invoices/{id}/void as asked for (validated: reason 1..500 characters). */
typedef struct bahi_void_in {
	const char *reason;      /* or NULL */
	const char *refund_to;   /* "cash", "credit", or NULL: the default */
} bahi_void_in;

/*
 * Voids invoice id: records invoice_voids; puts back the stock of every line
 * less what credit notes already returned (kind "void", ref_type "invoice");
 * the customer's invoice_due loses the invoice's balance_due
 * (debt_cancelled), its credit_balance gets back what the sale took from it
 * less what credit notes restored (credit_restored), and what was paid for
 * the invoice (at the sale and by later payments) less what credit notes
 * refunded is refunded (refunded, refund_to). The balance row becomes
 * status void, balance_due 0, version + 1. Change-log entries for the
 * invoice and the customer; an activity-log entry "invoice_voided".
 * *out: the invoice body as bahi_invoice_get reads it now, with its
 * "void" record. A void invoice: 409 conflict; none: 404 not_found.
 */
int bahi_invoice_void(struct bahi_req *req, const char *id, const bahi_void_in *in,
                      cJSON **out);

/* One returned product (validated: qty 1..BAHI_QTY_MAX thousandths). */
typedef struct bahi_return_line {
	const char *product_id;
	int64_t qty;             /* thousandths */
} bahi_return_line;

/* POST /invoices/{id}/credit-notes as asked for. */
typedef struct bahi_credit_note_in {
	const char *id;          /* client UUID, or NULL: generated */
	const bahi_return_line *lines;
	int nlines;              /* 1..BAHI_INVOICE_MAX_LINES */
	const char *reason;      /* or NULL */
	const char *refund_to;   /* "cash", "credit", or NULL: the default */
} bahi_credit_note_in;

/*
 * Issues a credit note (a return of goods) against invoice invoice_id.
 *
 * Quantities: each line's qty is at most what the invoice sold of the
 * product less what earlier credit notes (and earlier lines of this one)
 * returned of it: field error lines[i].qty exceeds_sold naming what may
 * still be returned. A product the invoice did not sell: lines[i].product_id
 * not_on_invoice. A product sold on several lines is returned from its
 * first line first.
 *
 * Amounts, at the invoice's unit prices, discount share and tax rate, so
 * that a whole return, in one note or several, gives back exactly the
 * invoice's figures and no rounding ever drifts: each figure of a note is the
 * difference between the cumulative figure once this note's goods are back
 * and the cumulative figure before it. The cumulative figures for returned
 * quantities r (per invoice line): subtotal S = sum of r x unit_price
 * rounded per line (a fully returned line counts its line_total); discount =
 * invoice discount x S / invoice subtotal; tax = (S - discount) x tax rate;
 * the fee only once every line is fully returned; each rounded half away
 * from zero. Once everything is returned they are the invoice's own
 * subtotal, discount, tax, fee and total, so the note returning the last of
 * the goods has total = invoice total - earlier notes' totals.
 *
 * Money: the invoice's balance_due is reduced first (debt_reduced; also off
 * the customer's invoice_due), then the credit the sale consumed comes back
 * (credit_restored, up to credit_applied less earlier restorations), then
 * the rest is refunded (refunded, refund_to). Stock comes back (kind
 * "return", ref_type "credit_note"). The balance row: returned += total,
 * balance_due -= debt_reduced, version + 1, and its status is
 * bahi_invoice_status_for(total - returned, balance_due): what the customer
 * still owes against what the invoice still stands for, so a fully
 * returned invoice owes nothing and is "paid" (settled), never unpaid debt.
 * The number is the business's next gapless credit-note number.
 *
 * *status 201 and the credit note body plus "invoice": the invoice's new
 * body. An id that already names a credit note of this invoice returns it
 * (*status 200, a retry is a no-op); of another invoice: 409 conflict. A
 * void invoice: 409 conflict; none: 404 not_found.
 */
int bahi_credit_note_create(struct bahi_req *req, const char *invoice_id,
                            const bahi_credit_note_in *in, int *status, cJSON **out);

/* One credit note: {"id", "number", "invoice_id", "customer_id", "lines":
 * [{"product_id", "name", "qty", "unit_price", "line_total"}], "subtotal",
 * "discount", "tax", "fee", "total", "debt_reduced", "credit_restored",
 * "refunded", "refund_to", "reason", "issued_on", "created_at"}; not_found
 * when there is none. */
int bahi_credit_note_get(struct bahi_req *req, const char *id, cJSON **out);
/* One page of an invoice's credit notes, newest first; an unknown invoice is
 * not_found. */
int bahi_credit_note_list(struct bahi_req *req, const char *invoice_id, const bahi_page *pg,
                          cJSON **out);

/* ---- shared by the void and the credit notes */

/* One line of the invoice and how much of it credit notes returned. */
typedef struct bahi_correction_line {
	int line_no;
	const char *product_id;
	const char *name;
	int64_t qty;             /* thousandths, as sold */
	int64_t returned;        /* thousandths, by credit notes so far */
	int64_t unit_price, line_total;
} bahi_correction_line;

/* An issued invoice as a correction sees it, read under its locks. */
typedef struct bahi_correction {
	const char *id;
	int64_t number;
	const char *customer_id;     /* NULL: a walk-in sale */
	int customer_live;           /* the customer exists and is not deleted */
	const char *today;           /* business-local date */
	int64_t subtotal, discount, tax_rate_bp, tax, fee, total, credit_applied;
	int64_t paid, returned, balance_due;    /* the balance row */
	int is_void;
	int64_t credit_restored, refunded;      /* by the credit notes so far */
	bahi_correction_line *lines;
	int nlines;
} bahi_correction;

/* Reads invoice id (404 not_found when there is none) and takes the locks a
 * correction starts with: the customer row, or a walk-in sale's balance row.
 * 0, or -1 with a problem. */
int bahi_correction_load(struct bahi_req *req, const char *id, bahi_correction *c);
/* Resolves a refund_to choice for c (NULL: the default) into "cash" or
 * "credit"; "credit" without a live customer is a field error. */
int bahi_correction_refund_to(struct bahi_req *req, const bahi_correction *c,
                              const char *asked, const char **out);

#endif
