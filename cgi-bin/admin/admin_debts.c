/* admin_debts: the debts page (open credit invoices coloured by status, with days left or overdue) and the status badge other pages share. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_customers.h"
#include "bahi_cursor.h"
#include "bahi_debts.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

/* The status filter's choices, in the order of bahi_debt_status. */
static const struct {
	const char *value, *label;
} statuses[] = {
	{"green", N_("Green: 8 days or more")},
	{"yellow", N_("Yellow: 4 to 7 days")},
	{"red", N_("Red: 3 days or less")},
	{"overdue", N_("Overdue")},
};

const char *
admin_invoice_status(bahi_req *req, const char *status)
{
	static const struct {
		const char *status, *label;
	} names[] = {
		{"paid", N_("Paid")},
		{"unpaid", N_("Unpaid")},
		{"partially_paid", N_("Partly paid")},
		{"void", N_("Void")},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(status, names[i].status) == 0)
			return admin_t(req, names[i].label);
	return status;
}

/* The badge: status-<status> and the days as the debt's status words them. */
static void
badge_fill(bahi_tmpl_dict *row, const cJSON *debt)
{
	const char *status = admin_json_str(debt, "debt_status");
	int64_t left = admin_json_int(debt, "days_left");
	int64_t over = admin_json_int(debt, "days_overdue");
	bahi_tmpl_dict *b = bahi_tmpl_include(row, "STATUS", "debt_status.html.tpl");
	bahi_tmpl_set(b, "debt_status", status);
	if (strcmp(status, "overdue") == 0) {
		if (over == 1) {
			bahi_tmpl_show(b, "ONE_OVERDUE");
		} else {
			bahi_tmpl_set_int(bahi_tmpl_section(b, "OVERDUE"), "days", over);
		}
	} else if (left == 0) {
		bahi_tmpl_show(b, "TODAY");
	} else if (left == 1) {
		bahi_tmpl_show(b, "ONE_LEFT");
	} else {
		bahi_tmpl_set_int(bahi_tmpl_section(b, "LEFT"), "days", left);
	}
}

void
admin_debt_fill(bahi_req *req, bahi_tmpl_dict *row, const cJSON *debt)
{
	static const char *const keys[] = {
		"invoice_id", "customer_id", "customer_name", "customer_phone", "issued_on",
		"due_date", "debt_status", NULL,
	};
	admin_set_strs(row, debt, keys);
	bahi_tmpl_set_int(row, "number", admin_json_int(debt, "number"));
	admin_set_money(req, row, "total", admin_json_int(debt, "total"));
	admin_set_money(req, row, "balance_due", admin_json_int(debt, "balance_due"));
	badge_fill(row, debt);
}

/* The filter form: the status choices (one selected) and the customer kept. */
static void
filter_fill(bahi_req *req, bahi_tmpl_dict *d, const bahi_debts_filter *f)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		bahi_tmpl_dict *o = bahi_tmpl_section(d, "STATUS_OPTION");
		bahi_tmpl_set(o, "value", statuses[i].value);
		bahi_tmpl_set(o, "label", admin_t(req, statuses[i].label));
		if (f->has_status && (size_t)f->status == i)
			bahi_tmpl_show(o, "SELECTED");
	}
	if (f->customer_id != NULL)
		bahi_tmpl_set(bahi_tmpl_section(d, "CUSTOMER_FILTER"), "customer_id", f->customer_id);
}

/* The summary: every open debt (of the customer filtered on), by status. */
static void
summary_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *summary)
{
	admin_set_money(req, d, "total_due", admin_json_int(summary, "total_due"));
	bahi_tmpl_set_int(d, "debt_count", admin_json_int(summary, "count"));
	const cJSON *by = cJSON_GetObjectItemCaseSensitive(summary, "by_status");
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(by, statuses[i].value);
		bahi_tmpl_dict *c = bahi_tmpl_section(d, "BY_STATUS");
		bahi_tmpl_set(c, "status", statuses[i].value);
		bahi_tmpl_set(c, "label", admin_t(req, statuses[i].label));
		bahi_tmpl_set_int(c, "count", admin_json_int(s, "count"));
		admin_set_money(req, c, "amount", admin_json_int(s, "amount"));
	}
}

/* The filter of the query: ?status= (anything else lists every status) and
 * ?customer_id= (a malformed one names no customer: 404). 0 or -1. */
static int
filter_read(bahi_req *req, bahi_debts_filter *f)
{
	const char *st = bahi_req_query(req, "status");
	f->has_status = st != NULL && bahi_debt_status_parse(st, &f->status) == 0;
	const char *cid = bahi_req_query(req, "customer_id");
	if (cid == NULL || *cid == '\0')
		return 0;
	char *id = bahi_pool_alloc(req->pool, BAHI_UUID_LEN + 1);
	if (bahi_uuid_normalise(cid, id) != 0)
		return bahi_fail(req, "not_found", "There is no such customer.");
	f->customer_id = id;
	return 0;
}

static int
debts_page(bahi_req *req)
{
	bahi_page pg;
	bahi_debts_filter f;
	cJSON *list;
	memset(&f, 0, sizeof(f));
	bahi_tmpl_dict *d = admin_page(req, N_("Debts"), "debts", "debts.html.tpl");
	if (d == NULL || filter_read(req, &f) != 0 || admin_list_page(req, 50, &pg) != 0 ||
	    bahi_debts_list(req, &pg, &f, &list) != 0)
		return -1;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items"), *it;
	if (cJSON_GetArraySize(items) == 0 && !pg.has_after) {
		bahi_tmpl_show(d, f.has_status ? "EMPTY_STATUS" : "EMPTY");
	} else {
		bahi_tmpl_dict *table = bahi_tmpl_section(d, "TABLE");
		cJSON_ArrayForEach(it, items)
			admin_debt_fill(req, bahi_tmpl_section(table, "ROW"), it);
	}
	filter_fill(req, d, &f);
	summary_fill(req, d, cJSON_GetObjectItemCaseSensitive(list, "summary"));
	bahi_tmpl_set(d, "as_of", admin_json_str(cJSON_GetObjectItemCaseSensitive(list, "summary"),
	                                         "as_of"));
	admin_pager(req, d, list, "/admin/debts");
	cJSON_Delete(list);
	return 0;
}

int
admin_debts_get(bahi_req *req)
{
	return debts_page(req) != 0 ? -1 : admin_render(req);
}
