/* bahi_invoice: issuing a sale: totals, settlement, stock, gapless number, debt; or storing it as an incomplete sale. */
#include "bahi_invoice.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_changelog.h"
#include "bahi_customer.h"
#include "bahi_date.h"
#include "bahi_db.h"
#include "bahi_debt.h"
#include "bahi_json.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_stock.h"

/* The business's sale settings, its local date, whether $3 already names a
 * sale, and the live products of $2 (one row each; one row of NULLs when
 * none is found). */
static BAHI_STMT(sale_context,
	"SELECT b.tax_rate_bp, b.credit_term_days, (now() AT TIME ZONE b.timezone)::date::text,"
	" (SELECT k FROM (SELECT 'invoice' AS k FROM invoices WHERE business_id = $1 AND id = $3"
	"  UNION ALL SELECT 'incomplete' FROM incomplete_sales WHERE business_id = $1 AND id = $3"
	"  AND deleted_at IS NULL) s LIMIT 1),"
	" p.id, p.name, p.price, p.cost, p.is_composite"
	" FROM businesses b LEFT JOIN products p ON p.business_id = b.id"
	"  AND p.id = ANY ($2::uuid[]) AND p.deleted_at IS NULL"
	" WHERE b.id = $1");
static BAHI_STMT(sale_lock_customer,
	"SELECT id, credit_balance, version, name FROM customers WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL FOR NO KEY UPDATE");
static BAHI_STMT(sale_lock_customer_phone,
	"SELECT id, credit_balance, version, name FROM customers WHERE business_id = $1 AND phone = $2"
	" AND deleted_at IS NULL FOR NO KEY UPDATE");
/* Takes the next invoice number and writes the invoice, its lines (a line
 * of a simple product with its stock movement: $28 its id, $29 the stock
 * after it, and the invoice's time, user and device; see
 * 0016_sale_lines_ledger.sql) and its balance row (then cu, the customer's
 * balances, when there is a customer: SALE_ISSUE_CUSTOMER); answers the
 * number and the time of issue (the balance row's updated_at too). */
#define SALE_ISSUE(cu) \
	"WITH n AS (INSERT INTO business_counters (business_id, name, value)" \
	"  VALUES ($1, 'invoice_number', 1) ON CONFLICT (business_id, name)" \
	"  DO UPDATE SET value = business_counters.value + 1 RETURNING value)," \
	" inv AS (INSERT INTO invoices (business_id, id, number, customer_id, issued_on," \
	"  payment_mode, subtotal, discount_bp, discount, tax_rate_bp, tax, fee, total," \
	"  credit_applied, paid, change_given, due_date, note, user_id, device_id)" \
	"  SELECT $1, $2, n.value, $3, $4::date, $5, $6::bigint, $7::int, $8::bigint, $9::int," \
	"  $10::bigint, $11::bigint, $12::bigint, $13::bigint, $14::bigint, $15::bigint," \
	"  $16::date, $17, $18, $19 FROM n RETURNING number)," \
	" ln AS (INSERT INTO invoice_lines (business_id, invoice_id, line_no, product_id, name," \
	"  qty, unit_price, unit_cost, line_total, movement_id, stock_after, issued_at, user_id," \
	"  device_id)" \
	"  SELECT $1, $2, l.ord - 1, l.pid, l.name, l.qty, l.price, l.cost, l.total, l.mid," \
	"  l.after, CASE WHEN l.mid IS NOT NULL THEN now() END," \
	"  CASE WHEN l.mid IS NOT NULL THEN $18::uuid END," \
	"  CASE WHEN l.mid IS NOT NULL THEN $19::uuid END" \
	"  FROM unnest($20::uuid[], $21::text[], $22::numeric[], $23::bigint[], $24::bigint[]," \
	"  $25::bigint[], $28::uuid[], $29::numeric[])" \
	"  WITH ORDINALITY AS l(pid, name, qty, price, cost, total, mid, after, ord))," \
	" bal AS (INSERT INTO invoice_balances (business_id, invoice_id, customer_id, paid," \
	"  balance_due, status, due_date, issued_on, number)" \
	"  SELECT $1, $2, $3, $14::bigint, $26::bigint, $27, $16::date, $4::date, inv.number" \
	"  FROM inv)" cu \
	" SELECT number, bahi_ts(now()) FROM inv"
#define SALE_ISSUE_CUSTOMER \
	", cu AS (UPDATE customers SET credit_balance = credit_balance - $13::bigint," \
	"  invoice_due = invoice_due + $26::bigint WHERE business_id = $1 AND id = $3)"
static BAHI_STMT(sale_issue, SALE_ISSUE(SALE_ISSUE_CUSTOMER));
/* sale_issue for a sale without a customer ($3 NULL): no customers table to
 * open and lock in every cash sale's statement. */
static BAHI_STMT(sale_issue_anonymous, SALE_ISSUE(""));
static BAHI_STMT(sale_store_incomplete,
	"INSERT INTO incomplete_sales (business_id, id, customer_id, cart, subtotal, discount, tax,"
	" fee, total, paid_amount, user_id, device_id)"
	" VALUES ($1, $2, $3, $4::jsonb, $5::bigint, $6::bigint, $7::bigint, $8::bigint, $9::bigint,"
	" $10::bigint, $11, $12)");
static BAHI_STMT(sale_lock_incomplete,
	"SELECT cart::text, status, invoice_id FROM incomplete_sales"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE");
static BAHI_STMT(sale_mark_completed,
	"UPDATE incomplete_sales SET status = 'completed', invoice_id = $2, version = version + 1,"
	" customer_id = (SELECT customer_id FROM invoices WHERE business_id = $1 AND id = $2),"
	" updated_at = now() WHERE business_id = $1 AND id = $2 RETURNING version");

static BAHI_STMT(sale_discard,
	"UPDATE incomplete_sales SET deleted_at = now(), version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL AND status = 'open'"
	" RETURNING version");

/* What the sale works out to, before anything is written. */
typedef struct sale_calc {
	char id[BAHI_UUID_LEN + 1];
	const char *customer_id;        /* locked, or NULL */
	const char *customer_name;      /* the locked customer's */
	int customer_version;
	int64_t credit_balance;
	int64_t tax_rate_bp;
	int64_t term_days;
	const char *today;              /* business-local YYYY-MM-DD */
	const char *existing;           /* "invoice", "incomplete" or NULL */
	const char *due;                /* a credit sale's due date, or NULL */
	const char **names;             /* per line */
	int64_t *prices, *costs, *line_totals;
	char *simple;                   /* per line: a simple product (as read) */
	bahi_totals totals;
	bahi_settlement settle;
	bahi_stock_line *stock;         /* per line: what it takes */
	PGresult *prelocked;            /* the products as bahi_stock_prelock locked them, or NULL */
} sale_calc;

/* Reads the business settings, whether the sale's id is taken, and the
 * lines' products; unknown products are field errors, except for a new
 * sale's id already recorded (its retry returns it, whatever was deleted
 * since). completing: the id is the incomplete sale being completed. */
static int
load_context(bahi_req *req, const bahi_sale_in *in, sale_calc *c, int completing)
{
	const char **ids = bahi_pool_calloc(req->pool, (size_t)in->nlines + 1, sizeof(char *));
	for (int i = 0; i < in->nlines; i++)
		ids[i] = in->lines[i].product_id;
	const char *p[3] = {req->tx_business, bahi_pg_array(req->pool, ids, in->nlines), in->id};
	PGresult *res = bahi_db_exec(req, &sale_context, 3, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return bahi_fail(req, "not_found", "There is no such business.");
	c->tax_rate_bp = strtoll(bahi_db_get(res, 0, 0), NULL, 10);
	c->term_days = strtoll(bahi_db_get(res, 0, 1), NULL, 10);
	c->today = bahi_db_get(res, 0, 2);
	c->existing = bahi_db_isnull(res, 0, 3) ? NULL : bahi_db_get(res, 0, 3);
	if (c->existing != NULL && !completing)
		return 0;
	c->names = bahi_pool_calloc(req->pool, (size_t)in->nlines, sizeof(char *));
	c->prices = bahi_pool_calloc(req->pool, (size_t)in->nlines, sizeof(int64_t));
	c->costs = bahi_pool_calloc(req->pool, (size_t)in->nlines, sizeof(int64_t));
	c->line_totals = bahi_pool_calloc(req->pool, (size_t)in->nlines, sizeof(int64_t));
	c->simple = bahi_pool_calloc(req->pool, (size_t)in->nlines, 1);
	int bad = 0;
	for (int i = 0; i < in->nlines; i++) {
		for (int r = 0; r < PQntuples(res) && c->names[i] == NULL; r++)
			if (!bahi_db_isnull(res, r, 4) && strcmp(bahi_db_get(res, r, 4), ids[i]) == 0) {
				c->names[i] = bahi_db_get(res, r, 5);
				c->prices[i] = strtoll(bahi_db_get(res, r, 6), NULL, 10);
				c->costs[i] = strtoll(bahi_db_get(res, r, 7), NULL, 10);
				c->simple[i] = bahi_db_get(res, r, 8)[0] == 'f';
			}
		if (c->names[i] == NULL) {
			bahi_problem_field(&req->problem,
			                   bahi_pool_printf(req->pool, "lines[%d].product_id", i),
			                   "unknown_product", "Is not a product of this business.");
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/* Locks the customer a row of res names (customer id, credit, version, name). */
static void
take_customer(bahi_req *req, PGresult *res, sale_calc *c)
{
	c->customer_id = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	c->customer_name = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 3));
	c->credit_balance = strtoll(bahi_db_get(res, 0, 1), NULL, 10);
	c->customer_version = (int)strtol(bahi_db_get(res, 0, 2), NULL, 10);
}

/* Finds and locks the sale's customer: the one named by id, or an existing
 * one with the inline phone (a new inline customer is created only once
 * the sale is known to issue an invoice: see create_inline). */
static int
lock_customer(bahi_req *req, const bahi_sale_in *in, sale_calc *c, const char **phone)
{
	PGresult *res;
	if (in->customer_id != NULL) {
		const char *p[2] = {req->tx_business, in->customer_id};
		if ((res = bahi_stock_lock_exec(req, &sale_lock_customer, 2, p)) == NULL)
			return -1;
		if (PQntuples(res) == 0) {
			bahi_problem_field(&req->problem, "customer_id", "unknown_customer",
			                   "Is not a customer of this business.");
			return -1;
		}
		take_customer(req, res, c);
		return 0;
	}
	if (in->customer_phone == NULL)
		return 0;
	char e164[BAHI_PHONE_MAX + 1];
	if (bahi_customer_phone(req, in->customer_phone, "customer.phone", e164) != 0)
		return -1;
	*phone = bahi_pool_strdup(req->pool, e164);
	const char *p[2] = {req->tx_business, *phone};
	if ((res = bahi_stock_lock_exec(req, &sale_lock_customer_phone, 2, p)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		take_customer(req, res, c);
	return 0;
}

/* Creates the inline customer of an invoice being issued, then locks it. */
static int
create_inline(bahi_req *req, const bahi_sale_in *in, sale_calc *c, const char *phone)
{
	char id[BAHI_UUID_LEN + 1];
	if (bahi_customer_find_or_create(req, phone, in->customer_name, in->customer_address, id) != 0)
		return -1;
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_stock_lock_exec(req, &sale_lock_customer, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return bahi_fail(req, "conflict", "The customer was deleted meanwhile; try again.");
	take_customer(req, res, c);
	return 0;
}

/* Totals and settlement; refusals become field errors. */
static int
compute(bahi_req *req, const bahi_sale_in *in, sale_calc *c)
{
	bahi_totals_line *tl = bahi_pool_calloc(req->pool, (size_t)in->nlines, sizeof(*tl));
	for (int i = 0; i < in->nlines; i++) {
		if (in->lines[i].unit_price >= 0)
			c->prices[i] = in->lines[i].unit_price;
		tl[i].qty = in->lines[i].qty;
		tl[i].unit_price = c->prices[i];
	}
	bahi_totals_in ti = {
		.lines = tl, .nlines = (size_t)in->nlines, .discount_kind = in->discount_kind,
		.discount = in->discount, .fee = in->fee,
		.tax_rate_bp = in->tax_rate_bp >= 0 ? in->tax_rate_bp : c->tax_rate_bp,
	};
	bahi_rule_error err;
	if (bahi_totals_compute(&ti, c->line_totals, &c->totals, &err) != 0 ||
	    bahi_totals_settle(c->totals.total, c->credit_balance, in->mode, in->paid_amount,
	                       &c->settle, &err) != 0) {
		bahi_rule_error_problem(&err, req->pool, &req->problem);
		return -1;
	}
	c->tax_rate_bp = ti.tax_rate_bp;
	return 0;
}

/* The cart of an incomplete sale, in the request's terms, for completing it later. */
static cJSON *
cart_json(bahi_req *req, const bahi_sale_in *in, const sale_calc *c, const char *phone)
{
	cJSON *cart = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(cart, "lines");
	if (c->customer_id != NULL)
		cJSON_AddStringToObject(cart, "customer_id", c->customer_id);
	else if (phone != NULL) {
		cJSON *cu = cJSON_AddObjectToObject(cart, "customer");
		cJSON_AddStringToObject(cu, "phone", phone);
		if (in->customer_name != NULL)
			cJSON_AddStringToObject(cu, "name", in->customer_name);
		if (in->customer_address != NULL)
			cJSON_AddStringToObject(cu, "address", in->customer_address);
	}
	for (int i = 0; i < in->nlines; i++) {
		cJSON *l = cJSON_CreateObject();
		cJSON_AddStringToObject(l, "product_id", in->lines[i].product_id);
		cJSON_AddStringToObject(l, "name", c->names[i]);
		cJSON_AddRawToObject(l, "qty", bahi_num_qty(req->pool, in->lines[i].qty));
		cJSON_AddNumberToObject(l, "unit_price", (double)c->prices[i]);
		cJSON_AddNumberToObject(l, "line_total", (double)c->line_totals[i]);
		cJSON_AddItemToArray(lines, l);
	}
	if (in->discount_kind == BAHI_DISCOUNT_BP)
		cJSON_AddNumberToObject(cart, "discount_bp", (double)in->discount);
	else if (in->discount_kind == BAHI_DISCOUNT_AMOUNT)
		cJSON_AddNumberToObject(cart, "discount_amount", (double)in->discount);
	cJSON_AddNumberToObject(cart, "tax_rate_bp", (double)c->tax_rate_bp);
	cJSON_AddNumberToObject(cart, "fee", (double)in->fee);
	if (in->note != NULL)
		cJSON_AddStringToObject(cart, "note", in->note);
	return cart;
}

/* Stores the sale as incomplete: nothing else changes. */
static int
store_incomplete(bahi_req *req, const bahi_sale_in *in, sale_calc *c, const char *phone,
                 cJSON **out)
{
	cJSON *cart = cart_json(req, in, c, phone);
	char *text = cJSON_PrintUnformatted(cart);
	cJSON_Delete(cart);
	const char *p[12] = {
		req->tx_business, c->id, c->customer_id, bahi_pool_strdup(req->pool, text),
		bahi_num_i64(req->pool, c->totals.subtotal), bahi_num_i64(req->pool, c->totals.discount), bahi_num_i64(req->pool, c->totals.tax),
		bahi_num_i64(req->pool, c->totals.fee), bahi_num_i64(req->pool, c->totals.total), bahi_num_i64(req->pool, in->paid_amount),
		req->auth.user_id, req->auth.device_id,
	};
	free(text);
	if (bahi_db_try(req, &sale_store_incomplete, 12, p) == NULL)
		return bahi_fail_unique(req, "conflict", "A sale with this id is being recorded.");
	bahi_changelog_add(req, "incomplete_sale", c->id, "upsert", 1);
	return bahi_sale_incomplete_get(req, c->id, out);
}

/* What each line takes from stock, and for a sale without a customer (whose
 * first lock is its products') the products locked in the round trip of the
 * sale's context (bahi_stock_prelock), one round trip less. */
static int
plan_stock(bahi_req *req, const bahi_sale_in *in, sale_calc *c)
{
	c->stock = bahi_pool_calloc(req->pool, (size_t)in->nlines, sizeof(*c->stock));
	for (int i = 0; i < in->nlines; i++) {
		c->stock[i].product_id = in->lines[i].product_id;
		c->stock[i].qty = -in->lines[i].qty;
		c->stock[i].carry = 1;
	}
	if (in->customer_id != NULL || in->customer_phone != NULL)
		return 0;
	return bahi_stock_prelock(req, c->stock, in->nlines, &c->prelocked);
}

/* Takes the stock of every line at once; later: its write goes out with
 * the invoice's (bahi_stock_move_lines). */
static int
take_stock(bahi_req *req, const bahi_sale_in *in, const sale_calc *c, int later)
{
	for (int i = 0; i < in->nlines; i++)
		c->stock[i].known_simple = c->simple[i];
	return bahi_stock_move_lines(req, "sale", c->stock, in->nlines, "invoice", c->id, "lines",
	                             later, c->prelocked);
}

/* The body of the invoice being issued with a deferred write, as
 * bahi_invoice_get will read it: issued() fills in its number and time of
 * issue and answers with it (a process serves one request at a time). */
static cJSON *pending_body;

/* An int8 column's value as bahi_json_cols makes it. */
static cJSON *
i64_item(int64_t v)
{
	char text[24];
	snprintf(text, sizeof(text), "%" PRId64, v);
	return strlen(text) >= 16 ? cJSON_CreateRaw(text) : cJSON_CreateNumber((double)v);
}

static void
add_i64(cJSON *o, const char *key, int64_t v)
{
	cJSON_AddItemToObject(o, key, i64_item(v));
}

/* A text column's value: a string, or null. */
static void
add_text(cJSON *o, const char *key, const char *v)
{
	cJSON_AddItemToObject(o, key, v != NULL ? cJSON_CreateString(v) : cJSON_CreateNull());
}

/* The lines as invoice_one aggregates them. */
static cJSON *
body_lines(bahi_req *req, const bahi_sale_in *in, const sale_calc *c)
{
	cJSON *lines = cJSON_CreateArray();
	for (int i = 0; i < in->nlines; i++) {
		cJSON *l = cJSON_CreateObject();
		cJSON_AddStringToObject(l, "product_id", in->lines[i].product_id);
		cJSON_AddStringToObject(l, "name", c->names[i]);
		cJSON_AddNumberToObject(l, "qty", strtod(bahi_num_qty(req->pool, in->lines[i].qty), NULL));
		cJSON_AddNumberToObject(l, "unit_price", (double)c->prices[i]);
		cJSON_AddNumberToObject(l, "unit_cost", (double)c->costs[i]);
		cJSON_AddNumberToObject(l, "line_total", (double)c->line_totals[i]);
		cJSON_AddItemToArray(lines, l);
	}
	return lines;
}

/* The invoice body (bahi_invoice_get's members, in its order) of the sale
 * being issued; number, issued_at and updated_at are null until issued(). */
static cJSON *
sale_body(bahi_req *req, const bahi_sale_in *in, const sale_calc *c)
{
	const bahi_totals *t = &c->totals;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddNullToObject(o, "number");
	add_text(o, "customer_id", c->customer_id);
	add_text(o, "customer_name", c->customer_id != NULL ? c->customer_name : NULL);
	cJSON_AddNullToObject(o, "issued_at");
	cJSON_AddStringToObject(o, "issued_on", c->today);
	add_i64(o, "subtotal", t->subtotal);
	add_i64(o, "discount", t->discount);
	if (in->discount_kind == BAHI_DISCOUNT_BP)
		cJSON_AddNumberToObject(o, "discount_bp", (double)in->discount);
	else
		cJSON_AddNullToObject(o, "discount_bp");
	cJSON_AddNumberToObject(o, "tax_rate_bp", (double)c->tax_rate_bp);
	add_i64(o, "tax", t->tax);
	add_i64(o, "fee", t->fee);
	add_i64(o, "total", t->total);
	add_i64(o, "credit_applied", c->settle.credit_applied);
	add_i64(o, "paid", c->settle.paid);
	add_i64(o, "returned", 0);
	add_i64(o, "balance_due", c->settle.balance_due);
	add_i64(o, "change_given", c->settle.change_given);
	cJSON_AddStringToObject(o, "payment_mode", in->mode == BAHI_PAY_CREDIT ? "credit" : "cash");
	cJSON_AddStringToObject(o, "status", bahi_invoice_status_name(c->settle.status));
	add_text(o, "due_date", c->due);
	add_text(o, "note", in->note);
	cJSON_AddNumberToObject(o, "version", 1);
	cJSON_AddNullToObject(o, "updated_at");
	cJSON_AddItemToObject(o, "lines", body_lines(req, in, c));
	bahi_invoice_add_debt(o, c->today);
	return o;
}

/* The deferred sale_issue's answer: the response, with the number and time
 * of issue it answered; a client id taken meanwhile is a conflict. */
static int
issued(bahi_req *req, PGresult *res)
{
	cJSON *body = pending_body;
	pending_body = NULL;
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && body != NULL) {
		cJSON_ReplaceItemInObjectCaseSensitive(body, "number",
		                                       i64_item(strtoll(bahi_db_get(res, 0, 0), NULL, 10)));
		cJSON_ReplaceItemInObjectCaseSensitive(body, "issued_at",
		                                       cJSON_CreateString(bahi_db_get(res, 0, 1)));
		cJSON_ReplaceItemInObjectCaseSensitive(body, "updated_at",
		                                       cJSON_CreateString(bahi_db_get(res, 0, 1)));
		return bahi_resp_json(req, 201, body);
	}
	cJSON_Delete(body);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return bahi_fail(req, "internal_error", "The invoice just written is missing.");
	if (state != NULL && strcmp(state, "23505") == 0)
		return bahi_fail(req, "conflict", "An invoice with this id is being recorded.");
	return -1;
}

/* A credit sale's due date: the business-local date plus its credit term. */
static int
set_due(bahi_req *req, sale_calc *c)
{
	bahi_date today, d;
	char buf[16];
	c->due = NULL;
	if (!c->settle.has_debt)
		return 0;
	if (bahi_date_parse(c->today, &today) != 0 ||
	    bahi_debt_due_date(today, c->term_days, &d) != 0)
		return bahi_fail(req, "internal_error", "The business's credit term is invalid.");
	bahi_date_format(d, buf, sizeof(buf));
	c->due = bahi_pool_strdup(req->pool, buf);
	return 0;
}

/* Writes the invoice, its lines, its balance and the customer's balances;
 * later: in the commit's round trip (bahi_db_defer) rather than now, and
 * the response made from the sale itself when it has run (issued). */
static int
write_invoice(bahi_req *req, const bahi_sale_in *in, const sale_calc *c, int later)
{
	int n = in->nlines;
	const char **a = bahi_pool_calloc(req->pool, 8 * (size_t)n + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		a[i] = in->lines[i].product_id;
		a[n + i] = c->names[i];
		a[2 * n + i] = bahi_num_qty(req->pool, in->lines[i].qty);
		a[3 * n + i] = bahi_num_i64(req->pool, c->prices[i]);
		a[4 * n + i] = bahi_num_i64(req->pool, c->costs[i]);
		a[5 * n + i] = bahi_num_i64(req->pool, c->line_totals[i]);
		a[6 * n + i] = c->stock[i].movement_id;
		a[7 * n + i] = c->stock[i].stock_after;
	}
	const bahi_totals *t = &c->totals;
	bahi_stmt *issue = c->customer_id != NULL ? &sale_issue : &sale_issue_anonymous;
	/* the strings outlive sale_run's frame when the statement is deferred */
	const char *id = bahi_pool_strdup(req->pool, c->id);
	const char *p[29] = {
		req->tx_business, id, c->customer_id, c->today,
		in->mode == BAHI_PAY_CREDIT ? "credit" : "cash", bahi_num_i64(req->pool, t->subtotal),
		in->discount_kind == BAHI_DISCOUNT_BP ? bahi_num_i64(req->pool, in->discount) : NULL,
		bahi_num_i64(req->pool, t->discount), bahi_num_i64(req->pool, c->tax_rate_bp), bahi_num_i64(req->pool, t->tax), bahi_num_i64(req->pool, t->fee),
		bahi_num_i64(req->pool, t->total), bahi_num_i64(req->pool, c->settle.credit_applied), bahi_num_i64(req->pool, c->settle.paid),
		bahi_num_i64(req->pool, c->settle.change_given), c->due, in->note, req->auth.user_id,
		req->auth.device_id,
		bahi_pg_array(req->pool, a, n), bahi_pg_array(req->pool, a + n, n),
		bahi_pg_array(req->pool, a + 2 * n, n), bahi_pg_array(req->pool, a + 3 * n, n),
		bahi_pg_array(req->pool, a + 4 * n, n), bahi_pg_array(req->pool, a + 5 * n, n),
		bahi_num_i64(req->pool, c->settle.balance_due), bahi_invoice_status_name(c->settle.status),
		bahi_pg_array(req->pool, a + 6 * n, n), bahi_pg_array(req->pool, a + 7 * n, n),
	};
	if (later) {
		cJSON_Delete(pending_body);   /* a request that failed before its write */
		pending_body = sale_body(req, in, c);
		if (bahi_db_defer(req, issue, 29, p, issued) != 0)
			return -1;
	} else if (bahi_db_try(req, issue, 29, p) == NULL) {
		return bahi_fail_unique(req, "conflict", "An invoice with this id is being recorded.");
	}
	bahi_changelog_add(req, "invoice", c->id, "upsert", 1);
	if (c->customer_id != NULL)
		bahi_changelog_merge(req, "customer", c->customer_id, "upsert", c->customer_version);
	return 0;
}

/* The sale path shared by create and complete; complete names the
 * incomplete sale being completed (its id is the invoice's). */
static int
sale_run(bahi_req *req, const bahi_sale_in *in, const char *complete, int *status, cJSON **out)
{
	sale_calc c = {0};
	const char *phone = NULL;
	if (in->id != NULL)
		snprintf(c.id, sizeof(c.id), "%s", in->id);
	else
		bahi_uuid_v7(c.id);
	/* a recorded id first: a retried sale returns it even if its products or
	 * customer were deleted since (the context query takes no locks; the
	 * products' lock before it finds nothing of deleted products) */
	if (plan_stock(req, in, &c) != 0 || load_context(req, in, &c, complete != NULL) != 0)
		return -1;
	if (c.existing != NULL && complete == NULL) {
		*status = 200;
		return strcmp(c.existing, "invoice") == 0 ? bahi_invoice_get(req, c.id, out) :
		       bahi_sale_incomplete_get(req, c.id, out);
	}
	if (lock_customer(req, in, &c, &phone) != 0)
		return -1;
	if (in->mode == BAHI_PAY_CREDIT && c.customer_id == NULL && phone == NULL)
		return bahi_fail(req, "customer_required",
		                 "A credit sale needs a customer: give customer_id or customer.phone.");
	if (compute(req, in, &c) != 0)
		return -1;
	*status = 201;
	if (c.settle.outcome == BAHI_SALE_INCOMPLETE) {
		if (complete != NULL) {
			bahi_problem_field(&req->problem, "paid_amount", "insufficient_payment",
			    bahi_pool_printf(req->pool, "A cash sale is issued only when paid in full:"
			    " %" PRId64 " is due.", c.settle.paid + c.settle.balance_due));
			return -1;
		}
		return store_incomplete(req, in, &c, phone, out);
	}
	/* a customer created concurrently by another sale may hold credit: settle again */
	if (c.customer_id == NULL && phone != NULL &&
	    (create_inline(req, in, &c, phone) != 0 || compute(req, in, &c) != 0))
		return -1;
	/* The number counter stays locked from the write to the commit, and one
	 * business's sales queue on it: outside a completion, and unless the
	 * response must be stored for an Idempotency-Key before the commit, the
	 * stock's and the invoice's writes go out with the COMMIT, in one round
	 * trip, and the response (made from the sale, with the number and time
	 * the write answers) when their results arrive. */
	int later = complete == NULL && req->idem_key == NULL;
	if (set_due(req, &c) != 0 || take_stock(req, in, &c, later) != 0 ||
	    write_invoice(req, in, &c, later) != 0)
		return -1;
	if (!later)
		return bahi_invoice_get(req, c.id, out);
	*out = NULL;
	return 0;
}

int
bahi_sale_create(bahi_req *req, const bahi_sale_in *in, int *status, cJSON **out)
{
	return sale_run(req, in, NULL, status, out);
}

/* An integer member of a stored cart (validated when it was stored). */
static int64_t
cart_int(const cJSON *o, const char *key, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

/* A string member of a stored cart, copied to the pool (the cart is freed), or NULL. */
static const char *
cart_str(bahi_req *req, const cJSON *o, const char *key)
{
	const char *v = o != NULL ? bahi_json_str(o, key) : NULL;
	return v != NULL ? bahi_pool_strdup(req->pool, v) : NULL;
}

/* A stored quantity (a JSON number with at most 3 decimals) in thousandths. */
static int
cart_qty(const cJSON *q, int64_t *out)
{
	char *text = cJSON_IsNumber(q) ? cJSON_PrintUnformatted(q) : NULL;
	int rc = text != NULL ? bahi_qty_parse(text, out) : -1;
	free(text);
	return rc;
}

/* Rebuilds the sale a stored cart asked for. */
static int
cart_sale(bahi_req *req, const cJSON *cart, bahi_sale_in *in)
{
	const cJSON *lines = cJSON_GetObjectItemCaseSensitive(cart, "lines");
	const cJSON *cu = cJSON_GetObjectItemCaseSensitive(cart, "customer");
	int n = cJSON_GetArraySize(lines);
	if (n < 1)
		return bahi_fail(req, "internal_error", "A stored cart has no lines.");
	bahi_sale_line *sl = bahi_pool_calloc(req->pool, (size_t)n, sizeof(*sl));
	for (int i = 0; i < n; i++) {
		const cJSON *l = cJSON_GetArrayItem(lines, i);
		const cJSON *q = cJSON_GetObjectItemCaseSensitive(l, "qty");
		sl[i].product_id = cart_str(req, l, "product_id");
		if (sl[i].product_id == NULL || cart_qty(q, &sl[i].qty) != 0)
			return bahi_fail(req, "internal_error", "A stored cart line is malformed.");
		sl[i].unit_price = cart_int(l, "unit_price", -1);
	}
	in->lines = sl;
	in->nlines = n;
	in->customer_id = cart_str(req, cart, "customer_id");
	in->customer_phone = cart_str(req, cu, "phone");
	in->customer_name = cart_str(req, cu, "name");
	in->customer_address = cart_str(req, cu, "address");
	in->discount_kind = cJSON_HasObjectItem(cart, "discount_bp") ? BAHI_DISCOUNT_BP :
	                    cJSON_HasObjectItem(cart, "discount_amount") ? BAHI_DISCOUNT_AMOUNT :
	                    BAHI_DISCOUNT_NONE;
	in->discount = cart_int(cart, in->discount_kind == BAHI_DISCOUNT_BP ? "discount_bp" :
	                        "discount_amount", 0);
	in->tax_rate_bp = cart_int(cart, "tax_rate_bp", -1);
	in->fee = cart_int(cart, "fee", 0);
	in->note = cart_str(req, cart, "note");
	return 0;
}

int
bahi_sale_complete(bahi_req *req, const char *id, bahi_pay_mode mode, int64_t paid_amount,
                   int *status, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &sale_lock_incomplete, 2, p,
	                            "There is no such incomplete sale.");
	if (res == NULL)
		return -1;
	if (strcmp(bahi_db_get(res, 0, 1), "completed") == 0) {
		*status = 200;
		return bahi_invoice_get(req, bahi_db_get(res, 0, 2), out);
	}
	cJSON *cart = cJSON_Parse(bahi_db_get(res, 0, 0));
	bahi_sale_in in = {.id = id, .mode = mode, .paid_amount = paid_amount};
	int rc = cart != NULL ? cart_sale(req, cart, &in) :
	         bahi_fail(req, "internal_error", "A stored cart is not JSON.");
	cJSON_Delete(cart);
	if (rc != 0 || sale_run(req, &in, id, status, out) != 0)
		return -1;
	res = bahi_db_exec(req, &sale_mark_completed, 2, p);
	if (res == NULL)
		return -1;
	bahi_changelog_add(req, "incomplete_sale", id, "upsert",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return 0;
}

int
bahi_sale_incomplete_delete(bahi_req *req, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &sale_discard, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		cJSON *out;
		if (bahi_sale_incomplete_get(req, id, &out) != 0)
			return -1;
		cJSON_Delete(out);
		return bahi_fail(req, "conflict", "The sale was completed: its invoice stands.");
	}
	bahi_changelog_add(req, "incomplete_sale", id, "delete",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return 0;
}
