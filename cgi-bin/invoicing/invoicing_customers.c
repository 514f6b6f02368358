/* invoicing_customers: HTTP handlers for customers (/customers). */
#include "invoicing.h"

#include <stdio.h>

#include "bahi_customer.h"
#include "bahi_cursor.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* The {id} of the path, normalised; a path that names no UUID names no customer. */
static const char *
customer_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such customer.");
}

static const bahi_field list_fields[] = {
	BAHI_PAGE_FIELDS,
	{"q", BAHI_V_STRING, 0, 1, 100, NULL, NULL, 0},
};

int
invoicing_customers_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0 ||
	    bahi_customer_list(req, &pg, v[2].s, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

#define CUSTOMER_DETAIL_FIELDS \
	{"phone", BAHI_V_STRING, BAHI_NULLABLE, 1, 32, NULL, NULL, 0}, \
	{"address", BAHI_V_STRING, BAHI_NULLABLE | BAHI_MULTILINE, 1, 500, NULL, NULL, 0}, \
	{"opening_balance", BAHI_V_MONEY, 0, 0, BAHI_CUSTOMER_BALANCE_MAX, NULL, NULL, 0}

static const bahi_field create_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 200, NULL, NULL, 0},
	CUSTOMER_DETAIL_FIELDS,
};

static const bahi_field patch_fields[] = {
	{"name", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0},
	CUSTOMER_DETAIL_FIELDS,
};

int
invoicing_customers_create(bahi_req *req)
{
	bahi_value v[NF(create_fields)];
	if (bahi_valid_json(req, req->json, create_fields, NF(create_fields), v, "") != 0)
		return -1;
	bahi_customer_in in = {
		.id = v[0].s, .name = v[1].s, .phone = v[2].s, .address = v[3].s,
		.opening_balance = v[4].present ? v[4].i : 0,
	};
	cJSON *out;
	if (bahi_customer_create(req, &in, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

int
invoicing_customers_by_phone(bahi_req *req)
{
	const char *phone = bahi_req_capture(req, "phone");
	cJSON *out;
	if (phone == NULL)
		return bahi_fail(req, "not_found", "There is no such customer.");
	if (bahi_customer_by_phone(req, phone, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
invoicing_customers_get(bahi_req *req)
{
	const char *id = customer_id_of(req);
	cJSON *out;
	if (id == NULL || bahi_customer_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
invoicing_customers_patch(bahi_req *req)
{
	bahi_value v[NF(patch_fields)];
	const char *id = customer_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (if_match < 0 || bahi_valid_json(req, req->json, patch_fields, NF(patch_fields), v, "") != 0)
		return -1;
	bahi_customer_patch p = {
		.name = v[0].s, .phone = v[1].s, .address = v[2].s,
		.clear_phone = v[1].is_null, .clear_address = v[2].is_null,
		.opening_balance = v[3].present ? v[3].i : -1,
		.if_match = if_match,
	};
	cJSON *out;
	if (bahi_customer_update(req, id, &p, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
invoicing_customers_delete(bahi_req *req)
{
	const char *id = customer_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (id == NULL || if_match < 0 || bahi_customer_delete(req, id, if_match) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
