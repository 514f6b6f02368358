/* bahi_customer_history: a customer's invoices and payments together, newest first, with totals (count, amounts, last visit, average basket). */
#include "bahi_customer.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_money.h"
#include "bahi_req.h"

/* Keyset condition of one branch: (at, id) before the cursor's ($2, $3). */
#define HISTORY_AFTER(at, id) \
	"($2::bigint IS NULL OR (" at ", " id ") <" \
	" (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
#define HISTORY_KEY(at) "(extract(epoch FROM " at ") * 1000000)::bigint"

/*
 * The totals of customer $5 and one page of its items ($2, $3 the cursor,
 * $4 limit + 1): each branch takes its newest $4 by its own index, the
 * merge keeps the newest $4 of both. One row per item (or one with NULL
 * item columns), the totals repeated; columns as the H_ constants.
 */
static BAHI_STMT(history_page,
	"WITH iv AS (SELECT count(*) FILTER (WHERE b.status <> 'void') AS invoice_count,"
	"  COALESCE(sum(i.total - b.returned) FILTER (WHERE b.status <> 'void'), 0)::bigint AS invoiced,"
	"  COALESCE(sum(i.paid) FILTER (WHERE b.status <> 'void'), 0)::bigint AS paid_at_sale,"
	"  bahi_ts(max(i.issued_at)) AS last_visit"
	"  FROM invoices i JOIN invoice_balances b ON b.business_id = i.business_id"
	"  AND b.invoice_id = i.id WHERE i.business_id = $1 AND i.customer_id = $5),"
	" py AS (SELECT count(*) AS payment_count, COALESCE(sum(amount), 0)::bigint AS received"
	"  FROM payments WHERE business_id = $1 AND customer_id = $5),"
	" it AS ((SELECT 'invoice' AS type, i.id, bahi_ts(i.issued_at) AS at,"
	"  " HISTORY_KEY("i.issued_at") " AS cursor_key, i.number, i.total, b.paid,"
	"  b.balance_due, b.status, NULL::bigint AS amount, NULL::text AS method"
	"  FROM invoices i JOIN invoice_balances b ON b.business_id = i.business_id"
	"  AND b.invoice_id = i.id"
	"  WHERE i.business_id = $1 AND i.customer_id = $5"
	"  AND " HISTORY_AFTER("i.issued_at", "i.id")
	"  ORDER BY i.issued_at DESC, i.id DESC LIMIT $4::int)"
	"  UNION ALL"
	"  (SELECT 'payment', p.id, bahi_ts(p.created_at), " HISTORY_KEY("p.created_at") ","
	"  NULL, NULL, NULL, NULL, NULL, p.amount, p.method"
	"  FROM payments p WHERE p.business_id = $1 AND p.customer_id = $5"
	"  AND " HISTORY_AFTER("p.created_at", "p.id")
	"  ORDER BY p.created_at DESC, p.id DESC LIMIT $4::int))"
	" SELECT iv.invoice_count, iv.invoiced, iv.paid_at_sale + py.received AS total_paid,"
	"  py.payment_count, iv.last_visit, it.*"
	" FROM iv CROSS JOIN py LEFT JOIN it ON true"
	" ORDER BY it.cursor_key DESC, it.id DESC LIMIT $4::int");
enum {
	H_INVOICE_COUNT, H_INVOICED, H_PAID, H_PAYMENT_COUNT, H_LAST_VISIT, H_TYPE, H_ID, H_AT,
	H_KEY, H_NUMBER, H_TOTAL, H_ITEM_PAID, H_BALANCE_DUE, H_STATUS, H_AMOUNT, H_METHOD
};

static int64_t
num(const PGresult *res, int row, int col)
{
	return strtoll(bahi_db_get(res, row, col), NULL, 10);
}

static void
add_num(cJSON *o, const char *key, const PGresult *res, int row, int col)
{
	cJSON_AddNumberToObject(o, key, (double)num(res, row, col));
}

/* One item of the page. */
static cJSON *
history_item(const PGresult *res, int row)
{
	cJSON *o = cJSON_CreateObject();
	const char *type = bahi_db_get(res, row, H_TYPE);
	cJSON_AddStringToObject(o, "type", type);
	cJSON_AddStringToObject(o, "id", bahi_db_get(res, row, H_ID));
	cJSON_AddStringToObject(o, "at", bahi_db_get(res, row, H_AT));
	if (strcmp(type, "invoice") == 0) {
		add_num(o, "number", res, row, H_NUMBER);
		add_num(o, "total", res, row, H_TOTAL);
		add_num(o, "paid", res, row, H_ITEM_PAID);
		add_num(o, "balance_due", res, row, H_BALANCE_DUE);
		cJSON_AddStringToObject(o, "status", bahi_db_get(res, row, H_STATUS));
	} else {
		add_num(o, "amount", res, row, H_AMOUNT);
		cJSON_AddStringToObject(o, "method", bahi_db_get(res, row, H_METHOD));
	}
	return o;
}

/* The totals object; open_debt and credit_balance come from the customer body. */
static cJSON *
history_totals(const PGresult *res, const cJSON *customer)
{
	cJSON *t = cJSON_CreateObject();
	int64_t count = num(res, 0, H_INVOICE_COUNT), invoiced = num(res, 0, H_INVOICED);
	add_num(t, "invoice_count", res, 0, H_INVOICE_COUNT);
	add_num(t, "invoiced", res, 0, H_INVOICED);
	add_num(t, "paid", res, 0, H_PAID);
	add_num(t, "payment_count", res, 0, H_PAYMENT_COUNT);
	if (bahi_db_isnull(res, 0, H_LAST_VISIT))
		cJSON_AddNullToObject(t, "last_visit");
	else
		cJSON_AddStringToObject(t, "last_visit", bahi_db_get(res, 0, H_LAST_VISIT));
	cJSON_AddNumberToObject(t, "average_basket",
	                        count > 0 ? (double)bahi_round_div(invoiced, count) : 0.0);
	const char *keys[2] = {"open_debt", "credit_balance"};
	for (int i = 0; i < 2; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(customer, keys[i]);
		cJSON_AddNumberToObject(t, keys[i], cJSON_IsNumber(v) ? v->valuedouble : 0.0);
	}
	return t;
}

/* The history body of the customer whose body is customer (taken over). */
static int
history_of(bahi_req *req, cJSON *customer, const bahi_page *pg, cJSON **out)
{
	const char *p[5] = {req->tx_business, NULL, NULL, NULL, bahi_json_str(customer, "id")};
	bahi_page_params(req, pg, p + 1);
	PGresult *res = bahi_db_exec(req, &history_page, 5, p);
	if (res == NULL || PQntuples(res) == 0) {
		cJSON_Delete(customer);
		return res == NULL ? -1 : bahi_fail(req, "internal_error", "The history has no totals.");
	}
	cJSON *body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "customer", customer);
	cJSON *items = cJSON_AddArrayToObject(body, "items");
	int n = PQntuples(res), shown = 0;
	for (int r = 0; r < n && shown < pg->limit && !bahi_db_isnull(res, r, H_TYPE); r++, shown++)
		cJSON_AddItemToArray(items, history_item(res, r));
	char *next = NULL;
	if (n > shown && shown > 0)
		next = bahi_cursor_encode(req->pool, num(res, shown - 1, H_KEY),
		                          bahi_db_get(res, shown - 1, H_ID));
	if (next != NULL)
		cJSON_AddStringToObject(body, "next_cursor", next);
	else
		cJSON_AddNullToObject(body, "next_cursor");
	cJSON_AddItemToObject(body, "totals", history_totals(res, customer));
	*out = body;
	return 0;
}

int
bahi_customer_history(bahi_req *req, const char *id, const bahi_page *pg, cJSON **out)
{
	cJSON *customer;
	if (bahi_customer_get(req, id, &customer) != 0)
		return -1;
	return history_of(req, customer, pg, out);
}

int
bahi_customer_history_by_phone(bahi_req *req, const char *phone, const bahi_page *pg,
                               cJSON **out)
{
	cJSON *customer;
	if (bahi_customer_by_phone(req, phone, &customer) != 0)
		return -1;
	return history_of(req, customer, pg, out);
}
