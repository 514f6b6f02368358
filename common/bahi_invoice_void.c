/* bahi_invoice_void: voiding an issued invoice (stock, debt and customer balances put back), and reading an invoice under the locks a correction needs. */
#include "bahi_correction.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_activity.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_invoice.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_stock.h"

/* The immutable part of the invoice and the business-local date. */
static BAHI_STMT(corr_head,
	"SELECT i.number, i.customer_id, i.subtotal, i.discount, i.tax_rate_bp, i.tax, i.fee,"
	" i.total, i.credit_applied, (now() AT TIME ZONE b.timezone)::date::text"
	" FROM invoices i JOIN businesses b ON b.id = i.business_id"
	" WHERE i.business_id = $1 AND i.id = $2");
/* The invoice's customer, live or deleted: its row lock serialises every
 * change of its invoices' balances (sales, payments, corrections). */
static BAHI_STMT(corr_lock_customer,
	"SELECT deleted_at IS NULL FROM customers WHERE business_id = $1 AND id = $2"
	" FOR NO KEY UPDATE");
/* A walk-in sale has no customer: its balance row is the lock (nothing else
 * ever locks it). */
static BAHI_STMT(corr_lock_walk_in,
	"SELECT 1 FROM invoice_balances WHERE business_id = $1 AND invoice_id = $2"
	" FOR NO KEY UPDATE");
/* The balance row, what the credit notes restored and refunded so far, and
 * each line with the quantity credit notes returned of it (thousandths). */
static BAHI_STMT(corr_state,
	"WITH r AS (SELECT cl.invoice_line_no AS line_no, sum(cl.qty) AS qty FROM credit_notes cn"
	"  JOIN credit_note_lines cl ON cl.business_id = cn.business_id"
	"  AND cl.credit_note_id = cn.id"
	"  WHERE cn.business_id = $1 AND cn.invoice_id = $2 GROUP BY cl.invoice_line_no),"
	" s AS (SELECT coalesce(sum(credit_restored), 0) AS cr, coalesce(sum(refunded), 0) AS rf"
	"  FROM credit_notes WHERE business_id = $1 AND invoice_id = $2)"
	" SELECT b.paid, b.returned, b.balance_due, b.status, s.cr, s.rf, l.line_no,"
	"  l.product_id, l.name, (l.qty * 1000)::bigint, (coalesce(r.qty, 0) * 1000)::bigint,"
	"  l.unit_price, l.line_total"
	" FROM invoice_balances b CROSS JOIN s"
	" JOIN invoice_lines l ON l.business_id = b.business_id AND l.invoice_id = b.invoice_id"
	" LEFT JOIN r ON r.line_no = l.line_no"
	" WHERE b.business_id = $1 AND b.invoice_id = $2 ORDER BY l.line_no");
/* The void, the balance row and the customer's balances ($10 added to its
 * credit, $4 off its invoice_due). */
static BAHI_STMT(void_write,
	"WITH v AS (INSERT INTO invoice_voids (business_id, invoice_id, reason, debt_cancelled,"
	"  credit_restored, refunded, refund_to, user_id, device_id)"
	"  VALUES ($1, $2, $3, $4::bigint, $5::bigint, $6::bigint, $7, $8, $9)"
	"  RETURNING 1),"
	" bal AS (UPDATE invoice_balances SET status = 'void', balance_due = 0,"
	"  version = version + 1, updated_at = now()"
	"  WHERE business_id = $1 AND invoice_id = $2 RETURNING version),"
	" cu AS (UPDATE customers SET invoice_due = invoice_due - $4::bigint,"
	"  credit_balance = credit_balance + $10::bigint"
	"  WHERE business_id = $1 AND id = $11 RETURNING version)"
	" SELECT (SELECT version FROM bal), (SELECT version FROM cu) FROM v");

static int64_t
num(const PGresult *res, int row, int col)
{
	return strtoll(bahi_db_get(res, row, col), NULL, 10);
}

/* Takes the lock that serialises the invoice's balance changes. */
static int
lock_invoice(bahi_req *req, bahi_correction *c)
{
	PGresult *res;
	if (c->customer_id == NULL) {
		const char *p[2] = {req->tx_business, c->id};
		return bahi_stock_lock_exec(req, &corr_lock_walk_in, 2, p) != NULL ? 0 : -1;
	}
	const char *p[2] = {req->tx_business, c->customer_id};
	if ((res = bahi_stock_lock_exec(req, &corr_lock_customer, 2, p)) == NULL)
		return -1;
	c->customer_live = PQntuples(res) == 1 && strcmp(bahi_db_get(res, 0, 0), "t") == 0;
	return 0;
}

/* Reads the balance row and the lines (the lock is held: they stay as read). */
static int
load_state(bahi_req *req, bahi_correction *c)
{
	const char *p[2] = {req->tx_business, c->id};
	PGresult *res = bahi_db_exec(req, &corr_state, 2, p);
	if (res == NULL)
		return -1;
	int n = PQntuples(res);
	if (n == 0)
		return bahi_fail(req, "internal_error", "The invoice has no balance row or lines.");
	c->paid = num(res, 0, 0);
	c->returned = num(res, 0, 1);
	c->balance_due = num(res, 0, 2);
	c->is_void = strcmp(bahi_db_get(res, 0, 3), "void") == 0;
	c->credit_restored = num(res, 0, 4);
	c->refunded = num(res, 0, 5);
	c->lines = bahi_pool_calloc(req->pool, (size_t)n, sizeof(*c->lines));
	c->nlines = n;
	for (int i = 0; i < n; i++) {
		bahi_correction_line *l = &c->lines[i];
		l->line_no = (int)num(res, i, 6);
		l->product_id = bahi_db_get(res, i, 7);
		l->name = bahi_db_get(res, i, 8);
		l->qty = num(res, i, 9);
		l->returned = num(res, i, 10);
		l->unit_price = num(res, i, 11);
		l->line_total = num(res, i, 12);
	}
	return 0;
}

int
bahi_correction_load(bahi_req *req, const char *id, bahi_correction *c)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &corr_head, 2, p, "There is no such invoice.");
	if (res == NULL)
		return -1;
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->number = num(res, 0, 0);
	c->customer_id = bahi_db_isnull(res, 0, 1) ? NULL : bahi_db_get(res, 0, 1);
	c->subtotal = num(res, 0, 2);
	c->discount = num(res, 0, 3);
	c->tax_rate_bp = num(res, 0, 4);
	c->tax = num(res, 0, 5);
	c->fee = num(res, 0, 6);
	c->total = num(res, 0, 7);
	c->credit_applied = num(res, 0, 8);
	c->today = bahi_db_get(res, 0, 9);
	if (lock_invoice(req, c) != 0)
		return -1;
	return load_state(req, c);
}

int
bahi_correction_refund_to(bahi_req *req, const bahi_correction *c, const char *asked,
                          const char **out)
{
	if (asked == NULL) {
		*out = c->customer_live ? "credit" : "cash";
		return 0;
	}
	if (strcmp(asked, "credit") == 0 && !c->customer_live) {
		bahi_problem_field(&req->problem, "refund_to", "no_customer",
		                   c->customer_id == NULL ?
		                   "A walk-in sale can only be refunded in cash." :
		                   "The invoice's customer was deleted: refund in cash.");
		return -1;
	}
	*out = asked;
	return 0;
}

/* Puts back the stock of every line less what credit notes returned. */
static int
restock(bahi_req *req, const bahi_correction *c)
{
	bahi_stock_line *sl = bahi_pool_calloc(req->pool, (size_t)c->nlines, sizeof(*sl));
	int n = 0;
	for (int i = 0; i < c->nlines; i++)
		if (c->lines[i].qty > c->lines[i].returned) {
			sl[n].product_id = c->lines[i].product_id;
			sl[n].qty = c->lines[i].qty - c->lines[i].returned;
			n++;
		}
	if (n == 0)
		return 0;
	return bahi_stock_move_lines(req, "void", sl, n, "invoice", c->id, "lines", 0, NULL);
}

int
bahi_invoice_void(bahi_req *req, const char *id, const bahi_void_in *in, cJSON **out)
{
	bahi_correction c;
	const char *refund_to;
	if (bahi_correction_load(req, id, &c) != 0)
		return -1;
	if (c.is_void)
		return bahi_fail(req, "conflict", "Invoice %" PRId64 " is already void.", c.number);
	if (bahi_correction_refund_to(req, &c, in->refund_to, &refund_to) != 0 ||
	    restock(req, &c) != 0)
		return -1;
	/* what is left of the invoice after its credit notes goes back, exactly */
	int64_t debt = c.balance_due;
	int64_t credit = c.credit_applied - c.credit_restored;
	int64_t refunded = c.paid - c.refunded;
	if (credit < 0 || refunded < 0)
		return bahi_fail(req, "internal_error", "The invoice's credit notes exceed it.");
	if (!c.customer_live) {
		/* no live customer to hold the credit the sale used: it is handed back too */
		refunded += credit;
		credit = 0;
	}
	int64_t to_credit = credit + (strcmp(refund_to, "credit") == 0 ? refunded : 0);
	const char *p[11] = {
		req->tx_business, id, in->reason, bahi_num_i64(req->pool, debt), bahi_num_i64(req->pool, credit),
		bahi_num_i64(req->pool, refunded), refund_to, req->auth.user_id, req->auth.device_id,
		bahi_num_i64(req->pool, to_credit), c.customer_id,
	};
	PGresult *res = bahi_db_try(req, &void_write, 11, p);
	if (res == NULL)
		return bahi_fail_unique(req, "conflict", "The invoice is being voided.");
	bahi_changelog_add(req, "invoice", id, "upsert", (int)num(res, 0, 0));
	if (c.customer_id != NULL)
		bahi_changelog_merge(req, "customer", c.customer_id, "upsert", (int)num(res, 0, 1));
	/* the answer is the invoice as read now: void, with the void record */
	return bahi_activity_add(req, "invoice_voided", bahi_pool_printf(req->pool, "%" PRId64,
	                         c.number), in->reason) != 0 ? -1 : bahi_invoice_get(req, id, out);
}
