/* catalog_categories: HTTP handlers for product categories (/categories). */
#include "catalog.h"

#include "bahi_category.h"
#include "bahi_cursor.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* The {id} of the path, normalised; a path that names no UUID names no category. */
static const char *
category_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such category.");
}

/* A field error on sku_prefix when it is given and malformed. */
static int
check_prefix(bahi_req *req, const bahi_value *v)
{
	if (!v->present || bahi_category_prefix_valid(v->s))
		return 0;
	bahi_problem_field(&req->problem, "sku_prefix", "invalid_sku_prefix",
	                   "Must be 1 to 20 ASCII letters, digits, '_' or '.', starting with a"
	                   " letter or digit.");
	return -1;
}

static const bahi_field list_fields[] = {BAHI_PAGE_FIELDS};

int
catalog_categories_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0 ||
	    bahi_category_list(req, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field create_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 100, NULL, NULL, 0},
	{"sku_prefix", BAHI_V_STRING, 0, 1, BAHI_SKU_PREFIX_MAX, NULL, NULL, 0},
	{"parent_id", BAHI_V_UUID, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
};

int
catalog_categories_create(bahi_req *req)
{
	bahi_value v[NF(create_fields)];
	int bad = bahi_valid_json(req, req->json, create_fields, NF(create_fields), v, "") != 0;
	if (check_prefix(req, &v[2]) != 0 || bad)
		return -1;
	bahi_category_in in = {
		.id = v[0].present ? v[0].s : NULL, .name = v[1].s,
		.sku_prefix = v[2].present ? v[2].s : NULL,
		.parent_id = v[3].present ? v[3].s : NULL,
	};
	cJSON *out;
	if (bahi_category_create(req, &in, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

int
catalog_categories_get(bahi_req *req)
{
	const char *id = category_id_of(req);
	cJSON *out;
	if (id == NULL || bahi_category_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field patch_fields[] = {
	{"name", BAHI_V_STRING, 0, 1, 100, NULL, NULL, 0},
	{"sku_prefix", BAHI_V_STRING, 0, 1, BAHI_SKU_PREFIX_MAX, NULL, NULL, 0},
	{"parent_id", BAHI_V_UUID, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
};

int
catalog_categories_patch(bahi_req *req)
{
	bahi_value v[NF(patch_fields)];
	const char *id = category_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (if_match < 0)
		return -1;
	int bad = bahi_valid_json(req, req->json, patch_fields, NF(patch_fields), v, "") != 0;
	if (check_prefix(req, &v[1]) != 0 || bad)
		return -1;
	bahi_category_patch p = {
		.name = v[0].present ? v[0].s : NULL,
		.sku_prefix = v[1].present ? v[1].s : NULL,
		.parent_id = v[2].present ? v[2].s : NULL, .clear_parent = v[2].is_null,
		.if_match = if_match,
	};
	cJSON *out;
	if (bahi_category_update(req, id, &p, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
catalog_categories_delete(bahi_req *req)
{
	const char *id = category_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (if_match < 0 || bahi_category_delete(req, id, if_match) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
