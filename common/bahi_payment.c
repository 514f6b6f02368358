/* bahi_payment: customer payments in two round trips (lock and read, then one set-based write), distributed by bahi_alloc; reading and listing them. */
#include "bahi_payment.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_alloc.h"
#include "bahi_changelog.h"
#include "bahi_date.h"
#include "bahi_db.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_totals.h"
#include "bahi_uuid.h"

/* SQLSTATE the customer lock raises (through bahi_refuse) when there is no
 * such live customer. */
#define REFUSED_NO_CUSTOMER "BH404"

/*
 * The first lock of the sales order (customer, products, invoice balances,
 * counters): the live customer $2, FOR NO KEY UPDATE. It goes out deferred,
 * in the same round trip as the invoice read below, which then runs with a
 * snapshot taken after the lock (read committed): an invoice issued to the
 * customer by a transaction that held the lock before us is seen. Refuses
 * (so the server skips the read) when there is no such customer, unless $3
 * already names a payment: a retry is answered from that payment.
 */
static BAHI_STMT(pay_lock_customer,
	"WITH c AS (SELECT id FROM customers WHERE business_id = $1 AND id = $2"
	"  AND deleted_at IS NULL FOR NO KEY UPDATE)"
	" SELECT CASE WHEN k.n = 0 AND NOT EXISTS (SELECT 1 FROM payments"
	"  WHERE business_id = $1 AND id = $3) THEN bahi_refuse('" REFUSED_NO_CUSTOMER "', NULL)"
	"  ELSE 'locked' END"
	" FROM (SELECT count(*) AS n FROM c) k");

/* The customer's opening balance and the invoice balances the payment may
 * touch (filter), locked in (issued_on, number) order with their totals; no
 * row when the customer is not live; existing: $3 names a payment already. */
#define PAY_STATE_SQL(filter) \
	"WITH b AS (SELECT ib.invoice_id, ib.issued_on::text AS issued_on, ib.number," \
	"  ib.balance_due, i.total" \
	"  FROM invoice_balances ib JOIN invoices i ON i.business_id = ib.business_id" \
	"  AND i.id = ib.invoice_id" \
	"  WHERE ib.business_id = $1 AND ib.customer_id = $2 AND " filter \
	"  ORDER BY ib.issued_on, ib.number FOR NO KEY UPDATE OF ib)" \
	" SELECT EXISTS (SELECT 1 FROM payments WHERE business_id = $1 AND id = $3) AS existing," \
	"  c.opening_balance, b.invoice_id, b.issued_on, b.number, b.balance_due, b.total" \
	" FROM customers c LEFT JOIN b ON true" \
	" WHERE c.business_id = $1 AND c.id = $2 AND c.deleted_at IS NULL" \
	" ORDER BY b.issued_on, b.number"
/* Without a named invoice: every open one (the partial index's rows). */
static BAHI_STMT(pay_state_open,
	PAY_STATE_SQL("ib.balance_due > 0 AND ib.status <> 'void'"));
/* With one: that invoice of the customer, whatever its balance. */
static BAHI_STMT(pay_state_named,
	PAY_STATE_SQL("ib.invoice_id = $4"));

/*
 * The whole payment in one statement: the payment row (received_on is the
 * business-local date), its allocations ($13 invoices, $14 amounts, $15
 * balances after, $16 statuses), each invoice balance, and the customer's
 * balances ($8 applied to invoices, $9 off the opening balance, $10 to
 * credit). When a concurrent request inserted the same id first, nothing
 * at all is written and no row comes back. One row per invoice touched
 * (or one with a NULL invoice): the new versions.
 */
static BAHI_STMT(pay_write,
	"WITH pay AS (INSERT INTO payments (business_id, id, customer_id, amount, method,"
	"  invoice_id, note, applied_to_invoices, opening_balance_reduced, credit_added,"
	"  received_on, user_id, device_id)"
	"  SELECT $1, $2::uuid, $3::uuid, $4::bigint, $5::text, $6::uuid, $7::text, $8::bigint,"
	"  $9::bigint, $10::bigint, (now() AT TIME ZONE b.timezone)::date, $11::uuid, $12::uuid"
	"  FROM businesses b WHERE b.id = $1"
	"  ON CONFLICT (business_id, id) DO NOTHING"
	"  RETURNING id, received_on::text AS received_on, bahi_ts(created_at) AS created_at),"
	" a AS (SELECT * FROM unnest($13::uuid[], $14::bigint[], $15::bigint[], $16::text[])"
	"  AS a(invoice_id, amount, balance_after, status)),"
	" al AS (INSERT INTO payment_allocations (business_id, payment_id, invoice_id, amount,"
	"  balance_after) SELECT $1, pay.id, a.invoice_id, a.amount, a.balance_after FROM pay, a),"
	" ib AS (UPDATE invoice_balances ib SET paid = ib.paid + a.amount,"
	"  balance_due = a.balance_after, status = a.status, version = ib.version + 1,"
	"  updated_at = now() FROM a, pay"
	"  WHERE ib.business_id = $1 AND ib.invoice_id = a.invoice_id"
	"  RETURNING ib.invoice_id, ib.version),"
	" cu AS (UPDATE customers c SET opening_balance = c.opening_balance - $9::bigint,"
	"  credit_balance = c.credit_balance + $10::bigint,"
	"  invoice_due = c.invoice_due - $8::bigint FROM pay"
	"  WHERE c.business_id = $1 AND c.id = $3::uuid RETURNING c.version)"
	" SELECT pay.received_on, pay.created_at, cu.version, ib.invoice_id, ib.version"
	" FROM pay CROSS JOIN cu LEFT JOIN ib ON true");

/* Payment rows for the bodies: the payments the CTE p picks, newest first,
 * each with its allocations, oldest invoice first (one row per allocation,
 * or one with NULL allocation columns). Columns as the ROW_ constants. */
#define PAYMENT_COLUMNS \
	"p.id, p.customer_id, p.amount, p.method, p.invoice_id, p.note," \
	" p.opening_balance_reduced, p.credit_added, p.received_on::text AS received_on," \
	" bahi_ts(p.created_at) AS created_at," \
	" (extract(epoch FROM p.created_at) * 1000000)::bigint AS cursor_key"
#define PAYMENT_ROWS_SQL(where, tail) \
	"WITH p AS (SELECT " PAYMENT_COLUMNS " FROM payments p WHERE p.business_id = $1 AND " \
	where tail ")" \
	" SELECT p.*, a.invoice_id AS allocation_invoice, i.number, a.amount AS allocation_amount," \
	"  a.balance_after, i.total" \
	" FROM p LEFT JOIN payment_allocations a ON a.business_id = $1 AND a.payment_id = p.id" \
	" LEFT JOIN invoices i ON i.business_id = $1 AND i.id = a.invoice_id" \
	" ORDER BY p.cursor_key DESC, p.id DESC, i.issued_on, i.number"
#define PAGE_AFTER \
	"($2::bigint IS NULL OR (p.created_at, p.id) <" \
	" (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
#define PAGE_TAIL " ORDER BY p.created_at DESC, p.id DESC LIMIT $4::int"
enum {
	ROW_ID, ROW_CUSTOMER, ROW_AMOUNT, ROW_METHOD, ROW_INVOICE, ROW_NOTE, ROW_REDUCED,
	ROW_CREDIT, ROW_RECEIVED, ROW_CREATED, ROW_KEY, ROW_A_INVOICE, ROW_A_NUMBER,
	ROW_A_AMOUNT, ROW_A_AFTER, ROW_A_TOTAL
};
static BAHI_STMT(payment_one, PAYMENT_ROWS_SQL("p.id = $2", ""));
static BAHI_STMT(payment_page_all, PAYMENT_ROWS_SQL(PAGE_AFTER, PAGE_TAIL));
static BAHI_STMT(payment_page_customer,
	PAYMENT_ROWS_SQL(PAGE_AFTER " AND p.customer_id = $5", PAGE_TAIL));
/* Refuses (not found) unless $2 is a live customer: deferred to go out with the page. */
static BAHI_STMT(payment_customer_known,
	"SELECT CASE WHEN EXISTS (SELECT 1 FROM customers WHERE business_id = $1 AND id = $2"
	"  AND deleted_at IS NULL) THEN 'known' ELSE bahi_refuse('" REFUSED_NO_CUSTOMER "', NULL) END");

/* ---- bodies */

typedef struct pay_alloc_view {
	const char *invoice_id;
	int64_t number, amount, balance_after, total;
} pay_alloc_view;

/* What a payment body shows. */
typedef struct pay_view {
	const char *id, *customer_id, *method, *invoice_id, *note, *received_on, *created_at;
	int64_t amount, reduced, credit_added;
	const pay_alloc_view *allocs;
	size_t nallocs;
} pay_view;

static int64_t
num(const PGresult *res, int row, int col)
{
	return strtoll(bahi_db_get(res, row, col), NULL, 10);
}

static void
add_text(cJSON *o, const char *key, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* The payment body of bahi_payment.h, the same from POST, GET and lists. */
static cJSON *
payment_body(const pay_view *v)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", v->id);
	cJSON_AddStringToObject(o, "customer_id", v->customer_id);
	cJSON_AddNumberToObject(o, "amount", (double)v->amount);
	cJSON_AddStringToObject(o, "method", v->method);
	add_text(o, "invoice_id", v->invoice_id);
	add_text(o, "note", v->note);
	cJSON *list = cJSON_AddArrayToObject(o, "allocations");
	for (size_t i = 0; i < v->nallocs; i++) {
		const pay_alloc_view *a = &v->allocs[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "invoice_id", a->invoice_id);
		cJSON_AddNumberToObject(e, "number", (double)a->number);
		cJSON_AddNumberToObject(e, "amount", (double)a->amount);
		cJSON_AddNumberToObject(e, "balance_after", (double)a->balance_after);
		cJSON_AddStringToObject(e, "status", bahi_invoice_status_name(
		                        bahi_invoice_status_for(a->total, a->balance_after)));
		cJSON_AddItemToArray(list, e);
	}
	cJSON_AddNumberToObject(o, "opening_balance_reduced", (double)v->reduced);
	cJSON_AddNumberToObject(o, "credit_added", (double)v->credit_added);
	cJSON_AddStringToObject(o, "received_on", v->received_on);
	cJSON_AddStringToObject(o, "created_at", v->created_at);
	return o;
}

static const char *
text_or_null(const PGresult *res, int row, int col)
{
	return bahi_db_isnull(res, row, col) ? NULL : bahi_db_get(res, row, col);
}

/* The body of the payment whose rows (PAYMENT_ROWS_SQL) start at row
 * first; *next receives the row after them. */
static cJSON *
body_from_rows(bahi_req *req, const PGresult *res, int first, int *next)
{
	int n = PQntuples(res), end = first + 1;
	const char *id = bahi_db_get(res, first, ROW_ID);
	while (end < n && strcmp(bahi_db_get(res, end, ROW_ID), id) == 0)
		end++;
	pay_alloc_view *allocs = bahi_pool_calloc(req->pool, (size_t)(end - first), sizeof(*allocs));
	size_t na = 0;
	for (int r = first; r < end; r++) {
		if (bahi_db_isnull(res, r, ROW_A_INVOICE))
			continue;
		allocs[na++] = (pay_alloc_view){
			bahi_db_get(res, r, ROW_A_INVOICE), num(res, r, ROW_A_NUMBER),
			num(res, r, ROW_A_AMOUNT), num(res, r, ROW_A_AFTER), num(res, r, ROW_A_TOTAL),
		};
	}
	pay_view v = {
		.id = id, .customer_id = bahi_db_get(res, first, ROW_CUSTOMER),
		.method = bahi_db_get(res, first, ROW_METHOD),
		.invoice_id = text_or_null(res, first, ROW_INVOICE),
		.note = text_or_null(res, first, ROW_NOTE),
		.received_on = bahi_db_get(res, first, ROW_RECEIVED),
		.created_at = bahi_db_get(res, first, ROW_CREATED),
		.amount = num(res, first, ROW_AMOUNT), .reduced = num(res, first, ROW_REDUCED),
		.credit_added = num(res, first, ROW_CREDIT), .allocs = allocs, .nallocs = na,
	};
	*next = end;
	return payment_body(&v);
}

int
bahi_payment_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &payment_one, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return bahi_fail(req, "not_found", "There is no such payment.");
	int next;
	*out = body_from_rows(req, res, 0, &next);
	return 0;
}

/* The deferred customer check's answer: not_found when refused. */
static int
customer_known(bahi_req *req, PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return 0;
	if (state != NULL && strcmp(state, REFUSED_NO_CUSTOMER) == 0)
		return bahi_fail(req, "not_found", "There is no such customer.");
	return -1;
}

int
bahi_payment_list(bahi_req *req, const bahi_page *pg, const char *customer_id, cJSON **out)
{
	const char *p[5] = {req->tx_business, NULL, NULL, NULL, customer_id};
	const char *known[2] = {req->tx_business, customer_id};
	bahi_page_params(req, pg, p + 1);
	if (customer_id != NULL &&
	    bahi_db_defer(req, &payment_customer_known, 2, known, customer_known) != 0)
		return -1;
	PGresult *res = customer_id != NULL ? bahi_db_exec(req, &payment_page_customer, 5, p) :
	                bahi_db_exec(req, &payment_page_all, 4, p);
	if (res == NULL)
		return -1;
	cJSON *body = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(body, "items");
	int n = PQntuples(res), row = 0, count = 0, last = -1;
	while (row < n && count < pg->limit) {
		last = row;
		int next;
		cJSON_AddItemToArray(items, body_from_rows(req, res, row, &next));
		row = next;
		count++;
	}
	char *cursor = NULL;
	if (row < n && last >= 0)
		cursor = bahi_cursor_encode(req->pool, num(res, last, ROW_KEY),
		                            bahi_db_get(res, last, ROW_ID));
	add_text(body, "next_cursor", cursor);
	*out = body;
	return 0;
}

/* ---- recording a payment */

/* A payment being recorded: what was read under lock and how it is split. */
typedef struct pay_work {
	const bahi_payment_in *in;
	const char *id;
	int64_t opening;             /* the customer's opening balance */
	bahi_open_invoice *inv;      /* the locked invoice balances */
	int64_t *total;              /* their totals, by the same index */
	size_t ninv;
	bahi_allocation *allocs;
	bahi_alloc_result r;
} pay_work;

/* The customer lock's answer: a field error when refused. */
static int
customer_locked(bahi_req *req, PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return 0;
	if (state != NULL && strcmp(state, REFUSED_NO_CUSTOMER) == 0) {
		bahi_problem_field(&req->problem, "customer_id", "unknown_customer",
		                   "Is not a customer of this business.");
		return -1;
	}
	return -1;
}

/* Locks the customer and the invoice balances the payment may touch (one
 * round trip) and reads them into w. 1 when the id names a payment already
 * (nothing read), 0, or -1 with a problem. */
static int
lock_and_read(bahi_req *req, pay_work *w)
{
	const char *p[4] = {req->tx_business, w->in->customer_id, w->id, w->in->invoice_id};
	if (bahi_db_defer(req, &pay_lock_customer, 3, p, customer_locked) != 0)
		return -1;
	PGresult *res = w->in->invoice_id != NULL ? bahi_db_exec(req, &pay_state_named, 4, p) :
	                bahi_db_exec(req, &pay_state_open, 3, p);
	if (res == NULL)
		return -1;
	int n = PQntuples(res);
	/* no live customer, yet the lock let us through: the id names a payment */
	if (n == 0 || bahi_db_get(res, 0, 0)[0] == 't')
		return 1;
	w->opening = num(res, 0, 1);
	w->inv = bahi_pool_calloc(req->pool, (size_t)n, sizeof(*w->inv));
	w->total = bahi_pool_calloc(req->pool, (size_t)n, sizeof(*w->total));
	for (int r = 0; r < n && !bahi_db_isnull(res, r, 2); r++) {
		bahi_open_invoice *o = &w->inv[w->ninv];
		if (bahi_date_parse(bahi_db_get(res, r, 3), &o->issued_on) != 0)
			return bahi_fail(req, "internal_error", "An invoice has a malformed issue date.");
		o->id = bahi_db_get(res, r, 2);
		o->number = num(res, r, 4);
		o->balance_due = num(res, r, 5);
		w->total[w->ninv++] = num(res, r, 6);
	}
	if (w->in->invoice_id != NULL && w->ninv == 0) {
		bahi_problem_field(&req->problem, "invoice_id", "unknown_invoice",
		                   "Is not an invoice of this customer.");
		return -1;
	}
	return 0;
}

/* Splits the amount (bahi_alloc_payment). 0, or -1 with a field error. */
static int
distribute(bahi_req *req, pay_work *w)
{
	bahi_alloc_in ai = {
		.amount = w->in->amount,
		.named = w->in->invoice_id != NULL ? &w->inv[0] : NULL,
		.invoices = w->inv, .ninvoices = w->ninv,
		.opening_balance = w->opening,
	};
	bahi_rule_error err;
	w->allocs = bahi_pool_calloc(req->pool, w->ninv > 0 ? w->ninv : 1, sizeof(*w->allocs));
	if (bahi_alloc_payment(&ai, w->allocs, &w->r, &err) != 0) {
		bahi_rule_error_problem(&err, req->pool, &req->problem);
		return -1;
	}
	return 0;
}

/* The total of the invoice an allocation went to. */
static int64_t
alloc_total(const pay_work *w, const bahi_allocation *a)
{
	return w->total[a->invoice - w->inv];
}

/* Writes the payment, its allocations, the invoice balances and the
 * customer in one statement; *res receives the new versions (no row: a
 * concurrent request stored this id first). 0, or -1 with a problem. */
static int
write_payment(bahi_req *req, const pay_work *w, PGresult **res)
{
	size_t na = w->r.nallocs;
	const char **a = bahi_pool_calloc(req->pool, 4 * na + 1, sizeof(char *));
	for (size_t i = 0; i < na; i++) {
		const bahi_allocation *al = &w->allocs[i];
		a[i] = al->invoice->id;
		a[na + i] = bahi_num_i64(req->pool, al->amount);
		a[2 * na + i] = bahi_num_i64(req->pool, al->balance_after);
		a[3 * na + i] = bahi_invoice_status_name(
		    bahi_invoice_status_for(alloc_total(w, al), al->balance_after));
	}
	int n = (int)na;
	const char *p[16] = {
		req->tx_business, w->id, w->in->customer_id, bahi_num_i64(req->pool, w->in->amount), w->in->method,
		w->in->invoice_id, w->in->note, bahi_num_i64(req->pool, w->r.applied_to_invoices),
		bahi_num_i64(req->pool, w->r.opening_balance_reduced), bahi_num_i64(req->pool, w->r.credit_added),
		req->auth.user_id, req->auth.device_id,
		bahi_pg_array(req->pool, a, n), bahi_pg_array(req->pool, a + na, n),
		bahi_pg_array(req->pool, a + 2 * na, n), bahi_pg_array(req->pool, a + 3 * na, n),
	};
	*res = bahi_db_exec(req, &pay_write, 16, p);
	return *res != NULL ? 0 : -1;
}

/* The new payment's body, from what was written. */
static cJSON *
new_body(bahi_req *req, const pay_work *w, const PGresult *res)
{
	size_t na = w->r.nallocs;
	pay_alloc_view *v = bahi_pool_calloc(req->pool, na + 1, sizeof(*v));
	for (size_t i = 0; i < na; i++) {
		const bahi_allocation *al = &w->allocs[i];
		v[i] = (pay_alloc_view){al->invoice->id, al->invoice->number, al->amount,
		                        al->balance_after, alloc_total(w, al)};
	}
	pay_view pv = {
		.id = w->id, .customer_id = w->in->customer_id, .method = w->in->method,
		.invoice_id = w->in->invoice_id, .note = w->in->note,
		.received_on = bahi_db_get(res, 0, 0), .created_at = bahi_db_get(res, 0, 1),
		.amount = w->in->amount, .reduced = w->r.opening_balance_reduced,
		.credit_added = w->r.credit_added, .allocs = v, .nallocs = na,
	};
	return payment_body(&pv);
}

/* Queues the change-log entries: the payment, each invoice touched at its
 * new balance version, the customer at its (unchanged) version. */
static void
queue_changes(bahi_req *req, const pay_work *w, const PGresult *res)
{
	bahi_changelog_add(req, "payment", w->id, "upsert", 1);
	for (int r = 0; r < PQntuples(res); r++)
		if (!bahi_db_isnull(res, r, 3))
			bahi_changelog_add(req, "invoice", bahi_db_get(res, r, 3), "upsert",
			                   (int)num(res, r, 4));
	bahi_changelog_add(req, "customer", w->in->customer_id, "upsert", (int)num(res, 0, 2));
}

int
bahi_payment_create(bahi_req *req, const bahi_payment_in *in, int *status, cJSON **out)
{
	char id[BAHI_UUID_LEN + 1];
	pay_work w = {.in = in, .id = id};
	PGresult *res = NULL;
	if (in->id != NULL)
		snprintf(id, sizeof(id), "%s", in->id);
	else
		bahi_uuid_v7(id);
	int state = lock_and_read(req, &w);
	if (state < 0 || (state == 0 && (distribute(req, &w) != 0 ||
	                                 write_payment(req, &w, &res) != 0)))
		return -1;
	/* the id names a payment already (or a concurrent retry stored it first) */
	if (state == 1 || res == NULL || PQntuples(res) == 0) {
		*status = 200;
		return bahi_payment_get(req, id, out);
	}
	queue_changes(req, &w, res);
	*status = 201;
	*out = new_body(req, &w, res);
	return 0;
}
