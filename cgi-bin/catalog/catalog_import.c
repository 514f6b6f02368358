/* catalog_import: HTTP handlers for CSV uploads (supplier invoices, product import) and the product CSV export. */
#include "catalog.h"

#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "bahi_import.h"
#include "bahi_req.h"
#include "bahi_uuid.h"
#include "bahi_valid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const units[] = {
	"pcs", "kg", "g", "m", "cm", "l", "ml", "box", "pack", "dozen", "pair", "set", NULL,
};

/* The body must be CSV text (text/csv; text/plain and application/csv are
 * taken too) in UTF-8: a charset other than UTF-8 (or ASCII) is 415. */
static int
csv_body(bahi_req *req)
{
	const char *ct = bahi_req_param(req, "CONTENT_TYPE");
	static const char *const types[] = {"text/csv", "text/plain", "application/csv"};
	size_t n = ct ? strcspn(ct, "; ") : 0;
	int ok = 0;
	for (size_t i = 0; i < NF(types) && !ok; i++)
		ok = n == strlen(types[i]) && strncasecmp(ct, types[i], n) == 0;
	const char *cs = ok ? strcasestr(ct, "charset=") : NULL;
	if (cs != NULL) {
		cs += 8 + (cs[8] == '"');
		ok = strncasecmp(cs, "utf-8", 5) == 0 || strncasecmp(cs, "utf8", 4) == 0 ||
		     strncasecmp(cs, "us-ascii", 8) == 0;
	}
	if (!ok)
		return bahi_fail(req, "unsupported_media_type",
		                 "Send the file as text/csv in UTF-8 (\"CSV UTF-8\" in spreadsheets).");
	return 0;
}

static const bahi_field upload_fields[] = {
	{"supplier_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"invoice_no", BAHI_V_STRING, BAHI_REQUIRED, 1, 64, NULL, NULL, 0},
};

int
catalog_supplier_invoice_upload(bahi_req *req)
{
	bahi_value v[NF(upload_fields)];
	const char *json;
	if (bahi_valid_query(req, upload_fields, NF(upload_fields), v) != 0 || csv_body(req) != 0 ||
	    bahi_supplier_invoice_propose(req, v[0].s, v[1].s, req->body ? req->body : "",
	                                  req->body_len, &json) != 0)
		return -1;
	return bahi_resp_body(req, 201, "application/json", json, strlen(json));
}

/* The {id} of the path; a path that names no UUID names no invoice. */
static const char *
invoice_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such supplier invoice.");
}

int
catalog_supplier_invoice_get(bahi_req *req)
{
	const char *id = invoice_id_of(req), *json;
	if (id == NULL || bahi_supplier_invoice_get(req, id, &json) != 0)
		return -1;
	return bahi_resp_body(req, 200, "application/json", json, strlen(json));
}

static const bahi_field pick_fields[] = {
	{"row", BAHI_V_INT, BAHI_REQUIRED, 1, 10000000, NULL, NULL, 0},
	{"product_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"create", BAHI_V_BOOL, 0, 0, 0, NULL, NULL, 0},
	{"skip", BAHI_V_BOOL, 0, 0, 0, NULL, NULL, 0},
	{"name", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0},
	{"category_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"sku", BAHI_V_STRING, 0, 1, 64, NULL, NULL, 0},
	{"barcode", BAHI_V_STRING, 0, 1, 64, NULL, NULL, 0},
	{"unit", BAHI_V_ENUM, 0, 0, 0, units, NULL, 0},
	{"expiry", BAHI_V_DATE, 0, 0, 0, NULL, NULL, 0},
};
enum { K_ROW, K_PRODUCT, K_CREATE, K_SKIP, K_NAME, K_CATEGORY, K_SKU, K_BARCODE, K_UNIT,
       K_EXPIRY };

static const bahi_field confirm_fields[] = {
	{"lines", BAHI_V_ARRAY, 0, 0, BAHI_INVOICE_MAX_LINES, NULL, NULL, 0},
	{"update_prices", BAHI_V_BOOL, 0, 0, 0, NULL, NULL, 0},
};

/* One entry of lines: exactly one of product_id, create: true, skip: true;
 * the product fields only with create. 0 or -1 (field errors added). */
static int
read_pick(bahi_req *req, const cJSON *item, int i, bahi_invoice_pick *pk)
{
	bahi_value v[NF(pick_fields)];
	const char *prefix = bahi_pool_printf(req->pool, "lines[%d]", i);
	if (!cJSON_IsObject(item)) {
		bahi_problem_field(&req->problem, prefix, "must_be_object", "Must be an object.");
		return -1;
	}
	if (bahi_valid_json(req, item, pick_fields, NF(pick_fields), v, prefix) != 0)
		return -1;
	*pk = (bahi_invoice_pick){
		.row = (long)v[K_ROW].i, .product_id = v[K_PRODUCT].s,
		.create = v[K_CREATE].present && v[K_CREATE].i, .skip = v[K_SKIP].present && v[K_SKIP].i,
		.name = v[K_NAME].s, .category_id = v[K_CATEGORY].s, .sku = v[K_SKU].s,
		.barcode = v[K_BARCODE].s, .unit = v[K_UNIT].s, .expiry = v[K_EXPIRY].s,
	};
	if ((pk->product_id != NULL) + pk->create + pk->skip != 1) {
		bahi_problem_field(&req->problem, prefix, "one_action_required",
		                   "Give exactly one of product_id, create: true and skip: true.");
		return -1;
	}
	for (int k = K_NAME; k <= K_UNIT; k++)
		if (v[k].present && !pk->create) {
			bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "%s.%s", prefix,
			                   pick_fields[k].name), "only_with_create",
			                   "Is only taken with create: true.");
			return -1;
		}
	if (pk->skip && pk->expiry != NULL) {
		bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "%s.expiry", prefix),
		                   "only_with_batch", "A skipped line records no batch.");
		return -1;
	}
	return 0;
}

int
catalog_supplier_invoice_confirm(bahi_req *req)
{
	bahi_value v[NF(confirm_fields)];
	const char *id = invoice_id_of(req), *json;
	if (id == NULL ||
	    bahi_valid_json(req, req->json, confirm_fields, NF(confirm_fields), v, "") != 0)
		return -1;
	int n = v[0].present ? cJSON_GetArraySize(v[0].node) : 0, bad = 0;
	bahi_invoice_pick *picks = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(*picks));
	for (int i = 0; i < n; i++)
		bad |= read_pick(req, cJSON_GetArrayItem(v[0].node, i), i, &picks[i]) != 0;
	int prices = v[1].present ? (int)v[1].i : 1;
	if (bad || bahi_supplier_invoice_confirm(req, id, picks, n, prices, &json) != 0)
		return -1;
	return bahi_resp_body(req, 200, "application/json", json, strlen(json));
}

static const bahi_field import_fields[] = {
	{"dry_run", BAHI_V_BOOL, 0, 0, 0, NULL, NULL, 0},
};

int
catalog_products_import(bahi_req *req)
{
	bahi_value v[NF(import_fields)];
	const char *json;
	if (bahi_valid_query(req, import_fields, NF(import_fields), v) != 0 || csv_body(req) != 0)
		return -1;
	int dry_run = v[0].present && v[0].i;
	if (bahi_product_import(req, req->body ? req->body : "", req->body_len, dry_run, &json) != 0)
		return -1;
	return bahi_resp_body(req, dry_run ? 200 : 201, "application/json", json, strlen(json));
}

int
catalog_products_export(bahi_req *req)
{
	int fd;
	const char *filename;
	bahi_value none[1];
	if (bahi_valid_query(req, NULL, 0, none) != 0 ||
	    bahi_product_export(req, &fd, &filename) != 0)
		return -1;
	bahi_resp_header(req, "Content-Disposition",
	                 bahi_pool_printf(req->pool, "attachment; filename=\"%s\"", filename));
	bahi_resp_header(req, "Cache-Control", "no-store");
	return bahi_resp_file(req, 200, "text/csv; charset=utf-8", fd);
}
