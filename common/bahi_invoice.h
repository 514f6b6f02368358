/* bahi_invoice: issuing invoices (cash, credit, incomplete sales), reading and listing them. */
#ifndef BAHI_INVOICE_H
#define BAHI_INVOICE_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_cursor.h"
#include "bahi_totals.h"
#include "bahi_uuid.h"

struct bahi_req;

/* Lines an invoice may have. */
#define BAHI_INVOICE_MAX_LINES 500

/* One line of a sale as asked for (validated: qty 1..BAHI_QTY_MAX thousandths). */
typedef struct bahi_sale_line {
	const char *product_id;
	int64_t qty;          /* thousandths */
	int64_t unit_price;   /* minor units, or -1: the product's price */
} bahi_sale_line;

/* A sale as asked for: POST /invoices, or an incomplete sale being completed. */
typedef struct bahi_sale_in {
	const char *id;                 /* client UUID, or NULL: generated */
	const char *customer_id;        /* or NULL */
	const char *customer_phone;     /* inline customer ("customer"), or NULL */
	const char *customer_name;      /* inline: NULL names a new customer by the phone */
	const char *customer_address;   /* inline, or NULL */
	const bahi_sale_line *lines;
	int nlines;                     /* 1..BAHI_INVOICE_MAX_LINES */
	bahi_discount_kind discount_kind;
	int64_t discount;               /* basis points or minor units */
	int64_t tax_rate_bp;            /* 0..10000, or -1: the business's default */
	int64_t fee;                    /* minor units, or 0 */
	bahi_pay_mode mode;
	int64_t paid_amount;            /* tendered, minor units */
	const char *note;               /* or NULL */
} bahi_sale_in;

/*
 * POST /invoices, in the request's transaction (decisions.md: cash vs
 * credit, customer on a sale, invoice totals, numbers, stock):
 *  - totals by bahi_totals_compute, the customer's credit balance applied
 *    and the payment settled by bahi_totals_settle;
 *  - a cash sale paid short is stored as an incomplete sale (cart, totals,
 *    no number, no stock, debt or customer change; an inline customer is
 *    only remembered in the cart): *status 201 and the incomplete sale's
 *    body ("kind": "incomplete_sale");
 *  - otherwise the invoice is issued: stock taken for every line at once
 *    (bahi_stock_move_lines; one short line refuses everything with
 *    insufficient_stock on lines[i].qty), the next gapless number, the
 *    lines with their name and unit cost as they are now, the balance row,
 *    the customer's credit taken and debt added, change-log entries:
 *    *status 201 and the invoice body (bahi_invoice_get's).
 * When *out is NULL on success, the response is made by the commit: the
 * stock's and the invoice's writes go out with the COMMIT to keep the
 * business's number counter locked for one round trip only, and the body
 * is made from the sale itself, with the number and time of issue the
 * write answers; that is so unless the request has an Idempotency-Key.
 * An id that already names an invoice or incomplete sale of the business
 * returns that record unchanged (*status 200): a retried offline sale is a
 * no-op. A credit sale without a customer: 422 customer_required. Unknown
 * products and customers are field errors (unknown_product on
 * lines[i].product_id, unknown_customer on customer_id).
 */
int bahi_sale_create(struct bahi_req *req, const bahi_sale_in *in, int *status, cJSON **out);

/* POST /sales/incomplete/{id}/complete: issues the stored cart as an
 * invoice with the same id, as bahi_sale_create would now (prices as
 * stored, stock and the customer's credit as they are now), with mode and
 * paid_amount. A cash completion still paid short is refused (422
 * validation_failed on paid_amount, insufficient_payment) and changes
 * nothing. Completing a completed sale returns its invoice (200). */
int bahi_sale_complete(struct bahi_req *req, const char *id, bahi_pay_mode mode,
                       int64_t paid_amount, int *status, cJSON **out);

/* One incomplete sale: {"kind": "incomplete_sale", "id", "status" (open,
 * completed), "invoice_id", "customer_id", "customer", "lines": [{"product_id",
 * "name", "qty", "unit_price", "line_total"}], "subtotal", "discount",
 * "tax_rate_bp", "tax", "fee", "total", "paid_amount", "balance_due", "note",
 * "version", "created_at", "updated_at"}. */
int bahi_sale_incomplete_get(struct bahi_req *req, const char *id, cJSON **out);
/* Discards an open incomplete sale (soft delete); a completed one is 409
 * conflict (its invoice stands). */
int bahi_sale_incomplete_delete(struct bahi_req *req, const char *id);
/* The open incomplete sales, newest first. */
int bahi_sale_incomplete_list(struct bahi_req *req, const bahi_page *pg, cJSON **out);

/*
 * The invoice body of the contract: {"id", "number", "customer_id",
 * "customer_name", "issued_at", "issued_on", "lines": [{"product_id",
 * "name", "qty", "unit_price", "unit_cost", "line_total"}], "subtotal",
 * "discount", "discount_bp", "tax_rate_bp", "tax", "fee", "total",
 * "credit_applied", "paid", "returned", "balance_due", "change_given",
 * "payment_mode", "status", "due_date", "note", "version", "updated_at"},
 * plus "debt_status", "days_left" and "days_overdue" while a credit invoice
 * has something due (from the business-local date). paid counts what was
 * paid at the sale and by later payments; status is unpaid,
 * partially_paid, paid or void; a void invoice also has "void": {"reason",
 * "debt_cancelled", "credit_restored", "refunded", "refund_to",
 * "created_at"} (invoice_voids). not_found when there is none.
 */
int bahi_invoice_get(struct bahi_req *req, const char *id, cJSON **out);

/* What GET /invoices lists (every member optional: NULL). */
typedef struct bahi_invoice_filter {
	const char *customer_id;
	const char *status;     /* unpaid, partially_paid, paid, void */
	const char *from, *to;  /* business-local issue dates, inclusive */
} bahi_invoice_filter;
/* One page of invoices, newest first; the items are invoice bodies
 * without "lines" (with "line_count" instead). An unknown customer_id is
 * not_found. */
int bahi_invoice_list(struct bahi_req *req, const bahi_page *pg, const bahi_invoice_filter *f,
                      cJSON **out);

/* 1 when id names an invoice (a live incomplete sale) of the business, 0
 * when not, -1 with a problem. */
int bahi_invoice_exists(struct bahi_req *req, const char *id);
int bahi_sale_incomplete_exists(struct bahi_req *req, const char *id);

/* Adds "debt_status", "days_left" and "days_overdue" to an invoice or debt
 * object holding "due_date" and "balance_due", when something is due,
 * as of the business-local date today (YYYY-MM-DD). */
void bahi_invoice_add_debt(cJSON *obj, const char *today);

#endif
