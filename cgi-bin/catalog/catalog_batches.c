/* catalog_batches: HTTP handlers for batches (/batches). */
#include "catalog.h"

#include "bahi_cursor.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_stock.h"
#include "bahi_uuid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* The {id} of the path, normalised; a path that names no UUID names no batch. */
static const char *
batch_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such batch.");
}

static const bahi_field list_fields[] = {
	BAHI_PAGE_FIELDS,
	{"product_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"supplier_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"expiring_within_days", BAHI_V_INT, 0, 0, 3650, NULL, NULL, 0},
};

int
catalog_batches_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0)
		return -1;
	bahi_batch_filter f = {
		.product_id = v[2].present ? v[2].s : NULL,
		.supplier_id = v[3].present ? v[3].s : NULL,
		.expiring_within_days = v[4].present ? (int)v[4].i : -1,
	};
	if (bahi_batch_list(req, &pg, &f, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field create_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"product_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"supplier_id", BAHI_V_UUID, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
	{"qty", BAHI_V_QTY, BAHI_REQUIRED, 0, BAHI_QTY_MAX, NULL, NULL, 0},
	{"cost", BAHI_V_MONEY, BAHI_REQUIRED, 0, BAHI_MONEY_MAX, NULL, NULL, 0},
	{"expiry", BAHI_V_DATE, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
	{"batch_no", BAHI_V_STRING, BAHI_NULLABLE, 1, 64, NULL, NULL, 0},
	{"supplier_invoice_no", BAHI_V_STRING, BAHI_NULLABLE, 1, 64, NULL, NULL, 0},
};

int
catalog_batches_create(bahi_req *req)
{
	bahi_value v[NF(create_fields)];
	char id[BAHI_UUID_LEN + 1];
	cJSON *out;
	if (bahi_valid_json(req, req->json, create_fields, NF(create_fields), v, "") != 0)
		return -1;
	bahi_batch_in in = {
		.id = v[0].s, .product_id = v[1].s, .supplier_id = v[2].s, .qty = v[3].i,
		.cost = v[4].i, .expiry = v[5].s, .batch_no = v[6].s,
		.supplier_invoice_no = v[7].s, .stock_in = 1,
	};
	if (bahi_batch_create(req, &in, id) != 0 || bahi_batch_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

int
catalog_batches_get(bahi_req *req)
{
	const char *id = batch_id_of(req);
	cJSON *out;
	if (id == NULL || bahi_batch_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field patch_fields[] = {
	{"batch_no", BAHI_V_STRING, 0, 1, 64, NULL, NULL, 0},
	{"expiry", BAHI_V_DATE, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
	{"cost", BAHI_V_MONEY, 0, 0, BAHI_MONEY_MAX, NULL, NULL, 0},
	{"supplier_invoice_no", BAHI_V_STRING, BAHI_NULLABLE, 1, 64, NULL, NULL, 0},
};

int
catalog_batches_patch(bahi_req *req)
{
	bahi_value v[NF(patch_fields)];
	const char *id = batch_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (if_match < 0 ||
	    bahi_valid_json(req, req->json, patch_fields, NF(patch_fields), v, "") != 0)
		return -1;
	bahi_batch_patch p = {
		.batch_no = v[0].s, .expiry = v[1].s, .clear_expiry = v[1].is_null,
		.cost = v[2].present ? v[2].i : -1,
		.supplier_invoice_no = v[3].s, .clear_supplier_invoice_no = v[3].is_null,
		.if_match = if_match,
	};
	cJSON *out;
	if (bahi_batch_update(req, id, &p, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
