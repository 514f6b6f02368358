/* invoicing_history: HTTP handlers for a customer's history (/customers/{id}/history, by phone). */
#include "invoicing.h"

#include "bahi_customer.h"
#include "bahi_cursor.h"
#include "bahi_req.h"
#include "bahi_valid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const bahi_field page_fields[] = {
	BAHI_PAGE_FIELDS,
};

/* The page asked for in the query string. 0, or -1 with a problem. */
static int
history_page_of(bahi_req *req, bahi_page *pg)
{
	bahi_value v[NF(page_fields)];
	if (bahi_valid_query(req, page_fields, NF(page_fields), v) != 0)
		return -1;
	return bahi_page_from_query(req, &v[0], &v[1], pg);
}

int
invoicing_history_get(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such customer.");
	bahi_page pg;
	cJSON *out;
	if (id == NULL || history_page_of(req, &pg) != 0 ||
	    bahi_customer_history(req, id, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
invoicing_history_by_phone(bahi_req *req)
{
	const char *phone = bahi_req_capture(req, "phone");
	bahi_page pg;
	cJSON *out;
	if (phone == NULL)
		return bahi_fail(req, "not_found", "There is no such customer.");
	if (history_page_of(req, &pg) != 0 ||
	    bahi_customer_history_by_phone(req, phone, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
