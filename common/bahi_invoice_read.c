/* bahi_invoice_read: invoice and incomplete-sale bodies, one or a page at a time, with their debt status. */
#include "bahi_invoice.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_date.h"
#include "bahi_db.h"
#include "bahi_debt.h"
#include "bahi_json.h"
#include "bahi_req.h"

/* The invoice body's columns (invoices i, invoice_balances b, customers c,
 * businesses bs), "today" (the business-local date) last: it is not part
 * of the body, only the input of its debt status. */
#define INVOICE_COLUMNS \
	"i.id, i.number, i.customer_id, c.name AS customer_name," \
	" bahi_ts(i.issued_at) AS issued_at, i.issued_on, i.subtotal, i.discount, i.discount_bp," \
	" i.tax_rate_bp, i.tax, i.fee, i.total, i.credit_applied, b.paid, b.returned," \
	" b.balance_due, i.change_given, i.payment_mode, b.status, i.due_date, i.note, b.version," \
	" bahi_ts(b.updated_at) AS updated_at"
#define INVOICE_FROM \
	" FROM invoices i JOIN invoice_balances b ON b.business_id = i.business_id" \
	"  AND b.invoice_id = i.id" \
	" LEFT JOIN customers c ON c.business_id = i.business_id AND c.id = i.customer_id" \
	" JOIN businesses bs ON bs.id = i.business_id"
#define INVOICE_TODAY "(now() AT TIME ZONE bs.timezone)::date::text AS today"

static BAHI_STMT(invoice_one,
	"SELECT " INVOICE_COLUMNS ","
	" (SELECT json_agg(json_build_object('product_id', l.product_id, 'name', l.name,"
	"  'qty', trim_scale(l.qty), 'unit_price', l.unit_price, 'unit_cost', l.unit_cost,"
	"  'line_total', l.line_total) ORDER BY l.line_no) FROM invoice_lines l"
	"  WHERE l.business_id = i.business_id AND l.invoice_id = i.id)::text AS lines, "
	INVOICE_TODAY INVOICE_FROM " WHERE i.business_id = $1 AND i.id = $2");
static BAHI_STMT(invoice_page,
	"SELECT " INVOICE_COLUMNS ","
	" (SELECT count(*) FROM invoice_lines l WHERE l.business_id = i.business_id"
	"  AND l.invoice_id = i.id) AS line_count,"
	" (extract(epoch FROM i.issued_at) * 1000000)::bigint AS cursor_key, " INVOICE_TODAY
	INVOICE_FROM " WHERE i.business_id = $1"
	" AND ($2::bigint IS NULL OR (i.issued_at, i.id) <"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" AND ($5::uuid IS NULL OR i.customer_id = $5) AND ($6::text IS NULL OR b.status = $6)"
	" AND ($7::date IS NULL OR i.issued_on >= $7::date)"
	" AND ($8::date IS NULL OR i.issued_on <= $8::date)"
	" ORDER BY i.issued_at DESC, i.id DESC LIMIT $4::int");
/* A void invoice's void record (GET's "void" member). */
static BAHI_STMT(invoice_void_record,
	"SELECT reason, debt_cancelled, credit_restored, refunded, refund_to,"
	" bahi_ts(created_at) AS created_at FROM invoice_voids"
	" WHERE business_id = $1 AND invoice_id = $2");
static BAHI_STMT(invoice_customer_exists,
	"SELECT 1 FROM customers WHERE business_id = $1 AND id = $2");
#define INCOMPLETE_COLUMNS \
	"id, status, invoice_id, customer_id, subtotal, discount, tax, fee, total, paid_amount," \
	" total - paid_amount AS balance_due, version, bahi_ts(created_at) AS created_at," \
	" bahi_ts(updated_at) AS updated_at, cart::text AS cart"
static BAHI_STMT(incomplete_one,
	"SELECT " INCOMPLETE_COLUMNS " FROM incomplete_sales WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");
static BAHI_STMT(incomplete_page,
	"SELECT " INCOMPLETE_COLUMNS ","
	" (extract(epoch FROM s.created_at) * 1000000)::bigint AS cursor_key"
	" FROM incomplete_sales s WHERE s.business_id = $1 AND s.status = 'open'"
	" AND s.deleted_at IS NULL"
	" AND ($2::bigint IS NULL OR (s.created_at, s.id) <"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY s.created_at DESC, s.id DESC LIMIT $4::int");

static BAHI_STMT(invoice_exists,
	"SELECT 1 FROM invoices WHERE business_id = $1 AND id = $2");
static BAHI_STMT(incomplete_exists,
	"SELECT 1 FROM incomplete_sales WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL");

/* 1 when st finds id in the business, 0 when not, -1 with a problem. */
static int
exists(bahi_req *req, bahi_stmt *st, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, st, 2, p);
	return res == NULL ? -1 : PQntuples(res) > 0;
}

int
bahi_invoice_exists(bahi_req *req, const char *id)
{
	return exists(req, &invoice_exists, id);
}

int
bahi_sale_incomplete_exists(bahi_req *req, const char *id)
{
	return exists(req, &incomplete_exists, id);
}

void
bahi_invoice_add_debt(cJSON *obj, const char *today)
{
	const char *due = bahi_json_str(obj, "due_date");
	const cJSON *owed = cJSON_GetObjectItemCaseSensitive(obj, "balance_due");
	bahi_date d, t;
	if (due == NULL || today == NULL || !cJSON_IsNumber(owed) || owed->valuedouble <= 0 ||
	    bahi_date_parse(due, &d) != 0 || bahi_date_parse(today, &t) != 0)
		return;
	bahi_debt_info info = bahi_debt_classify(d, t);
	cJSON_AddStringToObject(obj, "debt_status", bahi_debt_status_name(info.status));
	cJSON_AddNumberToObject(obj, "days_left", (double)info.days_left);
	cJSON_AddNumberToObject(obj, "days_overdue", (double)info.days_overdue);
}

/* Moves the row's "today" out of obj into its debt fields. */
static void
settle_today(cJSON *obj)
{
	cJSON *today = cJSON_DetachItemFromObjectCaseSensitive(obj, "today");
	bahi_invoice_add_debt(obj, cJSON_IsString(today) ? today->valuestring : NULL);
	cJSON_Delete(today);
}

/* The body of invoice_one's row. */
static cJSON *
invoice_body(const PGresult *res)
{
	int nf = PQnfields(res);
	cJSON *obj = bahi_json_cols(res, 0, 0, nf - 2);
	cJSON *lines = cJSON_Parse(bahi_db_get(res, 0, nf - 2));
	cJSON_AddItemToObject(obj, "lines", lines != NULL ? lines : cJSON_CreateArray());
	bahi_invoice_add_debt(obj, bahi_db_get(res, 0, nf - 1));
	return obj;
}

int
bahi_invoice_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &invoice_one, 2, p, "There is no such invoice.");
	if (res == NULL)
		return -1;
	*out = invoice_body(res);
	if (strcmp(bahi_json_str(*out, "status"), "void") != 0)
		return 0;
	/* what the void put back, and why */
	PGresult *v = bahi_db_one(req, &invoice_void_record, 2, p, "The invoice's void is missing.");
	if (v == NULL) {
		cJSON_Delete(*out);
		*out = NULL;
		return -1;
	}
	cJSON_AddItemToObject(*out, "void", bahi_json_row(v, 0));
	return 0;
}

int
bahi_invoice_list(bahi_req *req, const bahi_page *pg, const bahi_invoice_filter *f, cJSON **out)
{
	if (f->customer_id != NULL) {
		const char *p[2] = {req->tx_business, f->customer_id};
		if (bahi_db_one(req, &invoice_customer_exists, 2, p, "There is no such customer.") == NULL)
			return -1;
	}
	const char *extra[4] = {f->customer_id, f->status, f->from, f->to};
	if (bahi_page_run(req, &invoice_page, pg, 4, extra, out) != 0)
		return -1;
	cJSON *item;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(*out, "items"))
		settle_today(item);
	return 0;
}

/* The cart's members that belong in the body (who, what, the rates asked for). */
static void
merge_cart(cJSON *obj)
{
	static const char *const keys[] = {"customer", "lines", "discount_bp", "tax_rate_bp", "note"};
	cJSON *cartv = cJSON_DetachItemFromObjectCaseSensitive(obj, "cart");
	cJSON *cart = cJSON_IsString(cartv) ? cJSON_Parse(cartv->valuestring) : NULL;
	cJSON_Delete(cartv);
	cJSON_AddStringToObject(obj, "kind", "incomplete_sale");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		cJSON *v = cart != NULL ? cJSON_DetachItemFromObjectCaseSensitive(cart, keys[i]) : NULL;
		cJSON_AddItemToObject(obj, keys[i], v != NULL ? v : cJSON_CreateNull());
	}
	cJSON_Delete(cart);
}

int
bahi_sale_incomplete_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &incomplete_one, 2, p, "There is no such incomplete sale.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	merge_cart(*out);
	return 0;
}

int
bahi_sale_incomplete_list(bahi_req *req, const bahi_page *pg, cJSON **out)
{
	if (bahi_page_run(req, &incomplete_page, pg, 0, NULL, out) != 0)
		return -1;
	cJSON *item;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(*out, "items"))
		merge_cart(item);
	return 0;
}
