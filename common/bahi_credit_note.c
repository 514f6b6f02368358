/* bahi_credit_note: returns against an issued invoice as numbered credit notes (stock back, debt reduced, credit restored, the rest refunded), reading and listing them. */
#include "bahi_correction.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_activity.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_invoice.h"
#include "bahi_json.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_stock.h"

static BAHI_STMT(cn_existing,
	"SELECT invoice_id FROM credit_notes WHERE business_id = $1 AND id = $2");
/* The balance row and the customer's balances ($4 off the debt, $6 to credit). */
static BAHI_STMT(cn_balance,
	"WITH bal AS (UPDATE invoice_balances SET returned = returned + $3::bigint,"
	"  balance_due = balance_due - $4::bigint, status = $5::text, version = version + 1,"
	"  updated_at = now() WHERE business_id = $1 AND invoice_id = $2 RETURNING version),"
	" cu AS (UPDATE customers SET invoice_due = invoice_due - $4::bigint,"
	"  credit_balance = credit_balance + $6::bigint WHERE business_id = $1 AND id = $7::uuid"
	"  RETURNING version)"
	" SELECT (SELECT version FROM bal), (SELECT version FROM cu)");
/* Takes the next credit-note number and writes the note and its lines. */
static BAHI_STMT(cn_write,
	"WITH n AS (INSERT INTO business_counters (business_id, name, value)"
	"  VALUES ($1, 'credit_note_number', 1) ON CONFLICT (business_id, name)"
	"  DO UPDATE SET value = business_counters.value + 1 RETURNING value),"
	" cn AS (INSERT INTO credit_notes (business_id, id, number, invoice_id, customer_id,"
	"  subtotal, discount, tax, fee, total, debt_reduced, credit_restored, refunded, refund_to,"
	"  reason, issued_on, user_id, device_id)"
	"  SELECT $1, $2::uuid, n.value, $3::uuid, $4::uuid, $5::bigint, $6::bigint, $7::bigint,"
	"  $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::bigint, $13::text, $14::text,"
	"  $15::date, $16::uuid, $17::uuid FROM n RETURNING number),"
	" ln AS (INSERT INTO credit_note_lines (business_id, credit_note_id, line_no,"
	"  invoice_line_no, product_id, qty, unit_price, line_total)"
	"  SELECT $1, $2::uuid, l.ord - 1, l.iln, l.pid, l.qty, l.price, l.total"
	"  FROM unnest($18::int[], $19::uuid[], $20::numeric[], $21::bigint[], $22::bigint[])"
	"  WITH ORDINALITY AS l(iln, pid, qty, price, total, ord))"
	" SELECT number FROM cn");

#define CN_COLUMNS \
	"cn.id, cn.number, cn.invoice_id, cn.customer_id, cn.subtotal, cn.discount, cn.tax," \
	" cn.fee, cn.total, cn.debt_reduced, cn.credit_restored, cn.refunded, cn.refund_to," \
	" cn.reason, cn.issued_on, bahi_ts(cn.created_at) AS created_at," \
	" (SELECT json_agg(json_build_object('product_id', l.product_id, 'name', il.name," \
	"  'qty', trim_scale(l.qty), 'unit_price', l.unit_price, 'line_total', l.line_total)" \
	"  ORDER BY l.line_no) FROM credit_note_lines l JOIN invoice_lines il" \
	"  ON il.business_id = l.business_id AND il.invoice_id = cn.invoice_id" \
	"  AND il.line_no = l.invoice_line_no" \
	"  WHERE l.business_id = cn.business_id AND l.credit_note_id = cn.id)::text AS lines"
static BAHI_STMT(cn_one,
	"SELECT " CN_COLUMNS " FROM credit_notes cn WHERE cn.business_id = $1 AND cn.id = $2");
static BAHI_STMT(cn_page,
	"SELECT " CN_COLUMNS ", cn.number AS cursor_key FROM credit_notes cn"
	" WHERE cn.business_id = $1 AND cn.invoice_id = $5"
	" AND ($2::bigint IS NULL OR (cn.number, cn.id) < ($2::bigint, $3::uuid))"
	" ORDER BY cn.number DESC, cn.id DESC LIMIT $4::int");
static BAHI_STMT(cn_invoice_exists,
	"SELECT 1 FROM invoices WHERE business_id = $1 AND id = $2");

/* Money figures of a note, or cumulative ones of everything returned. */
typedef struct cn_figures {
	int64_t subtotal, discount, tax, fee, total;
} cn_figures;

/* One line of the note: part of one invoice line. */
typedef struct cn_line {
	int inv;                /* index into the invoice's lines */
	int64_t before;         /* of that line returned before this part, thousandths */
	int64_t qty;            /* returned by this part, thousandths */
	int64_t line_total;
} cn_line;

/* The note being issued. */
typedef struct cn_calc {
	char id[BAHI_UUID_LEN + 1];
	const char *refund_to;
	cn_line *lines;
	int nlines;
	int64_t *after;         /* per invoice line: returned once this note is issued */
	cn_figures fig;
	int64_t debt_reduced, credit_restored, refunded;
} cn_calc;

/* What q thousandths of line l are worth at its unit price (all of it: its line_total). */
static int64_t
line_amount(const bahi_correction_line *l, int64_t q)
{
	int64_t v = 0;
	if (q >= l->qty)
		return l->line_total;
	if (bahi_money_mul_ratio(l->unit_price, q, BAHI_QTY_SCALE, &v) != 0)
		return -1;
	return v;
}

/* The cumulative figures once ret[i] thousandths of each line are returned
 * (see bahi_credit_note_create): the invoice's own once everything is. 0 or -1. */
static int
cumulative(const bahi_correction *c, const int64_t *ret, cn_figures *f)
{
	int full = 1;
	int64_t s = 0;
	for (int i = 0; i < c->nlines; i++) {
		int64_t a = line_amount(&c->lines[i], ret[i]);
		if (a < 0 || bahi_money_add(s, a, &s) != 0)
			return -1;
		full &= ret[i] >= c->lines[i].qty;
	}
	if (full) {
		*f = (cn_figures){c->subtotal, c->discount, c->tax, c->fee, c->total};
		return 0;
	}
	f->subtotal = s;
	f->discount = 0;
	if (c->subtotal > 0 &&
	    bahi_money_mul_ratio(c->discount, s, c->subtotal, &f->discount) != 0)
		return -1;
	if (bahi_money_apply_bp(s - f->discount, c->tax_rate_bp, &f->tax) != 0)
		return -1;
	f->fee = 0;
	f->total = s - f->discount + f->tax;
	return 0;
}

/* The note's figures: cumulative after it less cumulative before it. */
static int
figures(bahi_req *req, const bahi_correction *c, cn_calc *k)
{
	int64_t *before = bahi_pool_calloc(req->pool, (size_t)c->nlines, sizeof(int64_t));
	cn_figures a, b;
	for (int i = 0; i < c->nlines; i++)
		before[i] = c->lines[i].returned;
	if (cumulative(c, before, &b) != 0 || cumulative(c, k->after, &a) != 0)
		return bahi_fail(req, "internal_error", "The return's amounts are out of range.");
	k->fig = (cn_figures){a.subtotal - b.subtotal, a.discount - b.discount, a.tax - b.tax,
	                      a.fee - b.fee, a.total - b.total};
	int64_t lines = 0;
	for (int i = 0; i < k->nlines; i++) {
		const bahi_correction_line *l = &c->lines[k->lines[i].inv];
		cn_line *p = &k->lines[i];
		p->line_total = line_amount(l, p->before + p->qty) - line_amount(l, p->before);
		lines += p->line_total;
	}
	if (k->fig.subtotal < 0 || k->fig.discount < 0 || k->fig.tax < 0 || k->fig.total < 0 ||
	    k->fig.discount > k->fig.subtotal || lines != k->fig.subtotal ||
	    k->fig.total > c->total - c->returned)
		return bahi_fail(req, "internal_error", "The return's amounts do not add up.");
	return 0;
}

/* What of product pid the invoice still has to return, after the parts
 * taken so far (k->after); *name: the product's name on the invoice, or NULL
 * when the invoice did not sell it. */
static int64_t
returnable(const bahi_correction *c, const cn_calc *k, const char *pid, const char **name)
{
	int64_t left = 0;
	*name = NULL;
	for (int j = 0; j < c->nlines; j++)
		if (strcmp(c->lines[j].product_id, pid) == 0) {
			if (*name == NULL)
				*name = c->lines[j].name;
			left += c->lines[j].qty - k->after[j];
		}
	return left;
}

/* Takes request line i's quantity from the invoice lines of its product,
 * first line first, or names why it cannot. 0 or -1. */
static int
take_line(bahi_req *req, const bahi_correction *c, const bahi_return_line *rl, int i,
          cn_calc *k)
{
	const char *name;
	int64_t left = returnable(c, k, rl->product_id, &name);
	if (name == NULL) {
		bahi_problem_field(&req->problem,
		                   bahi_pool_printf(req->pool, "lines[%d].product_id", i),
		                   "not_on_invoice", "Was not sold on this invoice.");
		return -1;
	}
	if (rl->qty > left) {
		bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "lines[%d].qty", i),
		                   "exceeds_sold", bahi_pool_printf(req->pool,
		                   "Exceeds what was sold: %s of %s may still be returned.",
		                   bahi_num_qty(req->pool, left), name));
		return -1;
	}
	int64_t want = rl->qty;
	for (int j = 0; j < c->nlines && want > 0; j++) {
		int64_t free_qty = c->lines[j].qty - k->after[j];
		if (strcmp(c->lines[j].product_id, rl->product_id) != 0 || free_qty <= 0)
			continue;
		int64_t take = want < free_qty ? want : free_qty;
		k->lines[k->nlines++] = (cn_line){.inv = j, .before = k->after[j], .qty = take};
		k->after[j] += take;
		want -= take;
	}
	return 0;
}

/* Splits the request's lines over the invoice lines and works out the
 * note's figures and where its money goes. Every bad line is named. */
static int
plan(bahi_req *req, const bahi_correction *c, const bahi_credit_note_in *in, cn_calc *k)
{
	k->lines = bahi_pool_calloc(req->pool, (size_t)(in->nlines + c->nlines), sizeof(*k->lines));
	k->after = bahi_pool_calloc(req->pool, (size_t)c->nlines, sizeof(int64_t));
	for (int j = 0; j < c->nlines; j++)
		k->after[j] = c->lines[j].returned;
	int bad = 0;
	for (int i = 0; i < in->nlines; i++)
		bad |= take_line(req, c, &in->lines[i], i, k) != 0;
	if (bad || figures(req, c, k) != 0)
		return -1;
	/* the debt first, then the credit the sale consumed, then a refund */
	int64_t total = k->fig.total;
	/* without a live customer to hold it, used credit is handed back as a refund */
	int64_t credit_left = c->customer_live ? c->credit_applied - c->credit_restored : 0;
	k->debt_reduced = total < c->balance_due ? total : c->balance_due;
	total -= k->debt_reduced;
	k->credit_restored = total < credit_left ? total : credit_left;
	k->refunded = total - k->credit_restored;
	return 0;
}

/* Puts the returned goods back in stock (composites: their components). */
static int
restock(bahi_req *req, const bahi_credit_note_in *in, const cn_calc *k)
{
	bahi_stock_line *sl = bahi_pool_calloc(req->pool, (size_t)in->nlines, sizeof(*sl));
	for (int i = 0; i < in->nlines; i++) {
		sl[i].product_id = in->lines[i].product_id;
		sl[i].qty = in->lines[i].qty;
	}
	return bahi_stock_move_lines(req, "return", sl, in->nlines, "credit_note", k->id, "lines", 0,
	                             NULL);
}

/* The invoice's balance row and the customer's balances. */
static int
write_balances(bahi_req *req, const bahi_correction *c, const cn_calc *k)
{
	int64_t returned = c->returned + k->fig.total, due = c->balance_due - k->debt_reduced;
	int64_t to_credit = k->credit_restored +
	                    (strcmp(k->refund_to, "credit") == 0 ? k->refunded : 0);
	const char *p[7] = {
		req->tx_business, c->id, bahi_num_i64(req->pool, k->fig.total), bahi_num_i64(req->pool, k->debt_reduced),
		bahi_invoice_status_name(bahi_invoice_status_for(c->total - returned, due)),
		bahi_num_i64(req->pool, to_credit), c->customer_id,
	};
	PGresult *res = bahi_db_exec(req, &cn_balance, 7, p);
	if (res == NULL)
		return -1;
	bahi_changelog_add(req, "invoice", c->id, "upsert",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	if (c->customer_id != NULL && !bahi_db_isnull(res, 0, 1))
		bahi_changelog_merge(req, "customer", c->customer_id, "upsert",
		                     (int)strtol(bahi_db_get(res, 0, 1), NULL, 10));
	return 0;
}

/* The note and its lines, under the next gapless number. */
static int
write_note(bahi_req *req, const bahi_correction *c, const bahi_credit_note_in *in,
           const cn_calc *k)
{
	int n = k->nlines;
	const char **a = bahi_pool_calloc(req->pool, 5 * (size_t)n + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		const bahi_correction_line *l = &c->lines[k->lines[i].inv];
		a[i] = bahi_num_i64(req->pool, l->line_no);
		a[n + i] = l->product_id;
		a[2 * n + i] = bahi_num_qty(req->pool, k->lines[i].qty);
		a[3 * n + i] = bahi_num_i64(req->pool, l->unit_price);
		a[4 * n + i] = bahi_num_i64(req->pool, k->lines[i].line_total);
	}
	const cn_figures *f = &k->fig;
	const char *p[22] = {
		req->tx_business, k->id, c->id, c->customer_id, bahi_num_i64(req->pool, f->subtotal),
		bahi_num_i64(req->pool, f->discount), bahi_num_i64(req->pool, f->tax), bahi_num_i64(req->pool, f->fee), bahi_num_i64(req->pool, f->total),
		bahi_num_i64(req->pool, k->debt_reduced), bahi_num_i64(req->pool, k->credit_restored), bahi_num_i64(req->pool, k->refunded),
		k->refund_to, in->reason, c->today, req->auth.user_id, req->auth.device_id,
		bahi_pg_array(req->pool, a, n), bahi_pg_array(req->pool, a + n, n),
		bahi_pg_array(req->pool, a + 2 * n, n), bahi_pg_array(req->pool, a + 3 * n, n),
		bahi_pg_array(req->pool, a + 4 * n, n),
	};
	PGresult *res = bahi_db_try(req, &cn_write, 22, p);
	if (res == NULL)
		return bahi_fail_unique(req, "conflict", "A credit note with this id is being recorded.");
	bahi_changelog_add(req, "credit_note", k->id, "upsert", 1);
	return bahi_activity_add(req, "credit_note_issued",
	                         bahi_pool_printf(req->pool, "%s", bahi_db_get(res, 0, 0)),
	                         bahi_pool_printf(req->pool, "invoice %" PRId64 ", total %" PRId64,
	                                          c->number, f->total));
}

/* The note's body with "invoice": the invoice as it is now. */
static int
note_with_invoice(bahi_req *req, const char *id, const char *invoice_id, cJSON **out)
{
	cJSON *inv;
	if (bahi_credit_note_get(req, id, out) != 0)
		return -1;
	if (bahi_invoice_get(req, invoice_id, &inv) != 0) {
		cJSON_Delete(*out);
		*out = NULL;
		return -1;
	}
	cJSON_AddItemToObject(*out, "invoice", inv);
	return 0;
}

/* A client id already in use: this invoice's note comes back as it is
 * (1), another invoice's is a conflict (-1); 0 when it is free. */
static int
existing(bahi_req *req, const char *invoice_id, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &cn_existing, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	if (strcmp(bahi_db_get(res, 0, 0), invoice_id) != 0)
		return bahi_fail(req, "conflict", "The id %s names a credit note of another invoice.",
		                 id);
	return note_with_invoice(req, id, invoice_id, out) == 0 ? 1 : -1;
}

int
bahi_credit_note_create(bahi_req *req, const char *invoice_id, const bahi_credit_note_in *in,
                        int *status, cJSON **out)
{
	bahi_correction c;
	cn_calc k = {0};
	if (in->id != NULL) {
		int rc = existing(req, invoice_id, in->id, out);
		if (rc != 0) {
			*status = 200;
			return rc > 0 ? 0 : -1;
		}
		snprintf(k.id, sizeof(k.id), "%s", in->id);
	} else {
		bahi_uuid_v7(k.id);
	}
	if (bahi_correction_load(req, invoice_id, &c) != 0)
		return -1;
	if (c.is_void)
		return bahi_fail(req, "conflict", "Invoice %" PRId64 " is void: nothing can be returned"
		                 " against it.", c.number);
	if (bahi_correction_refund_to(req, &c, in->refund_to, &k.refund_to) != 0 ||
	    plan(req, &c, in, &k) != 0 || restock(req, in, &k) != 0 ||
	    write_balances(req, &c, &k) != 0 || write_note(req, &c, in, &k) != 0)
		return -1;
	*status = 201;
	return note_with_invoice(req, k.id, invoice_id, out);
}

/* Turns the row's "lines" text into the array. */
static void
parse_lines(cJSON *obj)
{
	cJSON *text = cJSON_GetObjectItemCaseSensitive(obj, "lines");
	cJSON *lines = cJSON_IsString(text) ? cJSON_Parse(text->valuestring) : NULL;
	cJSON_ReplaceItemInObjectCaseSensitive(obj, "lines",
	                                       lines != NULL ? lines : cJSON_CreateArray());
}

int
bahi_credit_note_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &cn_one, 2, p, "There is no such credit note.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	parse_lines(*out);
	return 0;
}

int
bahi_credit_note_list(bahi_req *req, const char *invoice_id, const bahi_page *pg, cJSON **out)
{
	const char *p[2] = {req->tx_business, invoice_id};
	if (bahi_db_one(req, &cn_invoice_exists, 2, p, "There is no such invoice.") == NULL)
		return -1;
	if (bahi_page_run(req, &cn_page, pg, 1, &invoice_id, out) != 0)
		return -1;
	cJSON *item;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(*out, "items"))
		parse_lines(item);
	return 0;
}
