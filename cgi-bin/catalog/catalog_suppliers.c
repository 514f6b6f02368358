/* catalog_suppliers: HTTP handlers for suppliers (/suppliers). */
#include "catalog.h"

#include "bahi_cursor.h"
#include "bahi_req.h"
#include "bahi_supplier.h"
#include "bahi_uuid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* The {id} of the path, normalised; a path that names no UUID names no supplier. */
static const char *
supplier_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such supplier.");
}

static const bahi_field list_fields[] = {BAHI_PAGE_FIELDS};

int
catalog_suppliers_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0 ||
	    bahi_supplier_list(req, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

#define SUPPLIER_DETAIL_FIELDS \
	{"batch_prefix", BAHI_V_STRING, 0, 1, 20, NULL, NULL, 0}, \
	{"phone", BAHI_V_STRING, BAHI_NULLABLE, 1, 32, NULL, NULL, 0}, \
	{"email", BAHI_V_STRING, BAHI_NULLABLE, 3, 254, NULL, NULL, 0}, \
	{"address", BAHI_V_STRING, BAHI_NULLABLE | BAHI_MULTILINE, 1, 500, NULL, NULL, 0}, \
	{"notes", BAHI_V_STRING, BAHI_NULLABLE | BAHI_MULTILINE, 1, 1000, NULL, NULL, 0}

static const bahi_field create_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 200, NULL, NULL, 0},
	SUPPLIER_DETAIL_FIELDS,
};

static const bahi_field patch_fields[] = {
	{"name", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0},
	SUPPLIER_DETAIL_FIELDS,
};

int
catalog_suppliers_create(bahi_req *req)
{
	bahi_value v[NF(create_fields)];
	if (bahi_valid_json(req, req->json, create_fields, NF(create_fields), v, "") != 0)
		return -1;
	bahi_supplier_in in = {
		.id = v[0].s, .name = v[1].s, .batch_prefix = v[2].s, .phone = v[3].s,
		.email = v[4].s, .address = v[5].s, .notes = v[6].s,
	};
	cJSON *out;
	if (bahi_supplier_create(req, &in, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

int
catalog_suppliers_get(bahi_req *req)
{
	const char *id = supplier_id_of(req);
	cJSON *out;
	if (id == NULL || bahi_supplier_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
catalog_suppliers_patch(bahi_req *req)
{
	bahi_value v[NF(patch_fields)];
	const char *id = supplier_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (if_match < 0 || bahi_valid_json(req, req->json, patch_fields, NF(patch_fields), v, "") != 0)
		return -1;
	bahi_supplier_patch p = {
		.name = v[0].s, .batch_prefix = v[1].s, .phone = v[2].s, .email = v[3].s,
		.address = v[4].s, .notes = v[5].s,
		.clear_phone = v[2].is_null, .clear_email = v[3].is_null,
		.clear_address = v[4].is_null, .clear_notes = v[5].is_null,
		.if_match = if_match,
	};
	cJSON *out;
	if (bahi_supplier_update(req, id, &p, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
catalog_suppliers_delete(bahi_req *req)
{
	const char *id = supplier_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (id == NULL || if_match < 0 || bahi_supplier_delete(req, id, if_match) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
