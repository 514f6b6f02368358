/* invoicing_debts: HTTP handlers for debts (/debts) and the reminders the daily job queued (/debts/reminders). */
#include "invoicing.h"

#include "bahi_cursor.h"
#include "bahi_debts.h"
#include "bahi_req.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const debt_statuses[] = {"green", "yellow", "red", "overdue", NULL};

static const bahi_field debts_fields[] = {
	BAHI_PAGE_FIELDS,
	{"status", BAHI_V_ENUM, 0, 0, 0, debt_statuses, NULL, 0},
	{"customer_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
};

int
invoicing_debts_list(bahi_req *req)
{
	bahi_value v[NF(debts_fields)];
	bahi_page pg;
	bahi_debts_filter f = {.customer_id = NULL};
	cJSON *out;
	if (bahi_page_query(req, debts_fields, NF(debts_fields), v, &pg) != 0)
		return -1;
	f.has_status = v[2].present && bahi_debt_status_parse(v[2].s, &f.status) == 0;
	f.customer_id = v[3].s;
	if (bahi_debts_list(req, &pg, &f, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field reminders_fields[] = {
	BAHI_PAGE_FIELDS,
};

int
invoicing_debts_reminders(bahi_req *req)
{
	bahi_value v[NF(reminders_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, reminders_fields, NF(reminders_fields), v, &pg) != 0 ||
	    bahi_debts_reminders(req, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
