/* invoicing_payments: HTTP handlers for customer payments (/payments). */
#include "invoicing.h"

#include "bahi_cursor.h"
#include "bahi_money.h"
#include "bahi_payment.h"
#include "bahi_req.h"
#include "bahi_valid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const payment_methods[] = {"cash", "bank", NULL};

static const bahi_field create_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"customer_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"amount", BAHI_V_MONEY, BAHI_REQUIRED, 1, BAHI_MONEY_MAX, NULL, NULL, 0},
	{"method", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, payment_methods, NULL, 0},
	{"invoice_id", BAHI_V_UUID, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
	{"note", BAHI_V_STRING, BAHI_NULLABLE | BAHI_MULTILINE, 1, 500, NULL, NULL, 0},
};

int
invoicing_payments_create(bahi_req *req)
{
	bahi_value v[NF(create_fields)];
	if (bahi_valid_json(req, req->json, create_fields, NF(create_fields), v, "") != 0)
		return -1;
	bahi_payment_in in = {
		.id = v[0].s, .customer_id = v[1].s, .amount = v[2].i, .method = v[3].s,
		.invoice_id = v[4].s, .note = v[5].s,
	};
	int status;
	cJSON *out;
	if (bahi_payment_create(req, &in, &status, &out) != 0)
		return -1;
	return bahi_resp_json(req, status, out);
}

int
invoicing_payments_get(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such payment.");
	cJSON *out;
	if (id == NULL || bahi_payment_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field list_fields[] = {
	BAHI_PAGE_FIELDS,
	{"customer_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
};

int
invoicing_payments_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0 ||
	    bahi_payment_list(req, &pg, v[2].s, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
