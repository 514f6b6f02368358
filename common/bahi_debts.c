/* bahi_debts: the debt list (due-date order, status filter as a due-date range), its summary, and the list of queued reminders. */
#include "bahi_debts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bahi_db.h"
#include "bahi_invoice.h"
#include "bahi_json.h"
#include "bahi_num.h"
#include "bahi_req.h"

#define DEBT_STATUSES 4
/* Largest sum of balances the summary adds up (JSON numbers are exact below
 * 2^53). */
#define SUM_MAX INT64_C(9007199254740991)

/* The time zone and the transaction's now(): "today" is the same instant
 * that invoices are issued at (bahi_invoice), converted by bahi_date_local. */
static BAHI_STMT(debts_clock,
	"SELECT timezone, floor(extract(epoch FROM now()))::bigint FROM businesses WHERE id = $1");
static BAHI_STMT(debts_customer_exists,
	"SELECT 1 FROM customers WHERE business_id = $1 AND id = $2");
/* $2, $3: the cursor (due date as days since 1970, the invoice id; its
 * number breaks ties); $5, $6: the due-date range of a status; $7 the
 * customer. cursor_key: the due date as days since 1970. */
static BAHI_STMT(debts_page,
	"SELECT b.invoice_id, b.number, b.customer_id, c.name AS customer_name,"
	" c.phone AS customer_phone, b.issued_on::text AS issued_on, b.due_date::text AS due_date,"
	" i.total, b.balance_due, (b.due_date - date '1970-01-01') AS cursor_key"
	" FROM invoice_balances b"
	" JOIN invoices i ON i.business_id = b.business_id AND i.id = b.invoice_id"
	" JOIN customers c ON c.business_id = b.business_id AND c.id = b.customer_id"
	" WHERE b.business_id = $1 AND b.balance_due > 0 AND b.due_date IS NOT NULL"
	" AND ($2::int IS NULL OR (b.due_date, b.number) > (date '1970-01-01' + $2::int,"
	"  (SELECT x.number FROM invoice_balances x WHERE x.business_id = $1"
	"   AND x.invoice_id = $3::uuid)))"
	" AND ($5::date IS NULL OR b.due_date >= $5::date)"
	" AND ($6::date IS NULL OR b.due_date <= $6::date)"
	" AND ($7::uuid IS NULL OR b.customer_id = $7::uuid)"
	" ORDER BY b.due_date, b.number LIMIT $4::int");
/* Open debts by due date (days since 1970): how many, how much. */
static BAHI_STMT(debts_by_due,
	"SELECT due_date - date '1970-01-01', count(*), sum(balance_due)"
	" FROM invoice_balances WHERE business_id = $1 AND balance_due > 0"
	" AND due_date IS NOT NULL AND ($2::uuid IS NULL OR customer_id = $2::uuid)"
	" GROUP BY due_date");
static BAHI_STMT(reminders_page,
	"SELECT r.id, r.customer_id, c.name AS customer_name, r.invoice_id,"
	" i.number AS invoice_number, r.debt_status, r.sent_on::text AS sent_on, r.phone,"
	" r.sms_text, r.whatsapp_url, bahi_ts(r.created_at) AS created_at,"
	" (extract(epoch FROM r.created_at) * 1000000)::bigint AS cursor_key"
	" FROM debt_reminders r"
	" JOIN customers c ON c.business_id = r.business_id AND c.id = r.customer_id"
	" JOIN invoices i ON i.business_id = r.business_id AND i.id = r.invoice_id"
	" WHERE r.business_id = $1"
	" AND ($2::bigint IS NULL OR (r.created_at, r.id) <"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY r.created_at DESC, r.id DESC LIMIT $4::int");

int
bahi_debts_today(bahi_req *req, bahi_date *today)
{
	const char *p[1] = {req->tx_business};
	int64_t now;
	PGresult *res = bahi_db_one(req, &debts_clock, 1, p, "There is no such business.");
	if (res == NULL)
		return -1;
	if (bahi_num_parse(bahi_db_get(res, 0, 1), 0, INT64_MAX, &now, NULL) != 0 ||
	    bahi_date_local(bahi_db_get(res, 0, 0), (time_t)now, today) != 0)
		return bahi_fail(req, "internal_error", "The business's time zone is unknown.");
	return 0;
}

/* A date as YYYY-MM-DD in the pool. */
static const char *
date_text(bahi_req *req, bahi_date d)
{
	char buf[16];
	bahi_date_format(d, buf, sizeof(buf));
	return bahi_pool_strdup(req->pool, buf);
}

/* The items of a page of debts (up to pg->limit rows of res) with their
 * status as of today, and the cursor after the last when more follow. */
static cJSON *
debts_body(bahi_req *req, const PGresult *res, const bahi_page *pg, const char *today)
{
	int rows = PQntuples(res), n = rows > pg->limit ? pg->limit : rows;
	int kcol = PQfnumber(res, "cursor_key"), icol = PQfnumber(res, "invoice_id");
	cJSON *body = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(body, "items");
	for (int r = 0; r < n; r++) {
		cJSON *item = bahi_json_cols(res, r, 0, kcol);
		bahi_invoice_add_debt(item, today);
		cJSON_AddItemToArray(items, item);
	}
	bahi_page_add_next(req, body, res, pg, kcol, icol);
	return body;
}

/* Adds up the open debts of the business (of one customer when customer_id
 * is not NULL) by their status as of today: {"as_of", "count",
 * "total_due", "by_status"}. NULL with a problem. */
static cJSON *
debts_summary(bahi_req *req, bahi_date today, const char *customer_id)
{
	const char *p[2] = {req->tx_business, customer_id};
	PGresult *res = bahi_db_exec(req, &debts_by_due, 2, p);
	int64_t count[DEBT_STATUSES] = {0}, amount[DEBT_STATUSES] = {0}, n_all = 0, due_all = 0;
	if (res == NULL)
		return NULL;
	for (int r = 0; r < PQntuples(res); r++) {
		int64_t day, n, owed;
		if (bahi_num_parse(bahi_db_get(res, r, 0), INT32_MIN, INT32_MAX, &day, NULL) != 0 ||
		    bahi_num_parse(bahi_db_get(res, r, 1), 0, SUM_MAX, &n, NULL) != 0 ||
		    bahi_num_parse(bahi_db_get(res, r, 2), 0, SUM_MAX, &owed, NULL) != 0)
			goto fail;
		bahi_debt_status s = bahi_debt_classify(bahi_date_from_days(day), today).status;
		count[s] += n;
		n_all += n;
		if (__builtin_add_overflow(amount[s], owed, &amount[s]) ||
		    __builtin_add_overflow(due_all, owed, &due_all) || due_all > SUM_MAX)
			goto fail;
	}
	cJSON *sum = cJSON_CreateObject(), *by = cJSON_CreateObject();
	cJSON_AddStringToObject(sum, "as_of", date_text(req, today));
	cJSON_AddNumberToObject(sum, "count", (double)n_all);
	cJSON_AddNumberToObject(sum, "total_due", (double)due_all);
	for (int s = 0; s < DEBT_STATUSES; s++) {
		cJSON *one = cJSON_AddObjectToObject(by, bahi_debt_status_name((bahi_debt_status)s));
		cJSON_AddNumberToObject(one, "count", (double)count[s]);
		cJSON_AddNumberToObject(one, "amount", (double)amount[s]);
	}
	cJSON_AddItemToObject(sum, "by_status", by);
	return sum;
fail:
	bahi_fail(req, "internal_error", "The debts do not add up.");
	return NULL;
}

int
bahi_debts_list(bahi_req *req, const bahi_page *pg, const bahi_debts_filter *f, cJSON **out)
{
	bahi_date today;
	const char *p[7] = {req->tx_business};
	if (f->customer_id != NULL) {
		const char *c[2] = {req->tx_business, f->customer_id};
		if (bahi_db_one(req, &debts_customer_exists, 2, c, "There is no such customer.") == NULL)
			return -1;
	}
	if (bahi_debts_today(req, &today) != 0)
		return -1;
	int64_t day = 0;
	/* the cursor's key is a due date as a day number: 0001-01-01..9999-12-31 */
	if (pg->has_after && (bahi_num_parse(pg->after_key, -719162, 2932896, &day, NULL) != 0)) {
		bahi_problem_field(&req->problem, "cursor", "invalid_cursor",
		                   "Is not a cursor of this list; start again without one.");
		return -1;
	}
	bahi_page_params(req, pg, p + 1);
	if (f->has_status) {
		bahi_debt_range range = bahi_debt_due_range(f->status, today);
		p[4] = range.has_min ? date_text(req, range.min) : NULL;
		p[5] = range.has_max ? date_text(req, range.max) : NULL;
	}
	p[6] = f->customer_id;
	PGresult *res = bahi_db_exec(req, &debts_page, 7, p);
	if (res == NULL)
		return -1;
	cJSON *summary = debts_summary(req, today, f->customer_id);
	if (summary == NULL)
		return -1;
	*out = debts_body(req, res, pg, date_text(req, today));
	cJSON_AddItemToObject(*out, "summary", summary);
	return 0;
}

int
bahi_debts_reminders(bahi_req *req, const bahi_page *pg, cJSON **out)
{
	return bahi_page_run(req, &reminders_page, pg, 0, NULL, out);
}
