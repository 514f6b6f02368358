/* admin_catalog: helpers of the catalog pages: quantities, category choices, re-shown forms, products by SKU. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin.h"
#include "admin_catalog.h"
#include "bahi_buf.h"
#include "bahi_category.h"
#include "bahi_cursor.h"
#include "bahi_num.h"
#include "bahi_product.h"
#include "bahi_req.h"
#include "catalog.h"

int64_t
admin_catalog_qty_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	int64_t q = 0;
	if (!cJSON_IsNumber(v) || bahi_qty_from_double(v->valuedouble < 0 ? -v->valuedouble :
	                                               v->valuedouble, &q) != 0)
		return 0;
	return v->valuedouble < 0 ? -q : q;
}

const char *
admin_catalog_qty(bahi_req *req, const cJSON *obj, const char *key)
{
	return bahi_num_qty(req->pool, admin_catalog_qty_of(obj, key));
}

/* Categories read per page; a business with more than this many pages of
 * them is shown the first ones. */
#define CATEGORY_PAGES 20

int
admin_categories_all(bahi_req *req, cJSON **out)
{
	cJSON *all = cJSON_CreateArray();
	bahi_page pg = {.limit = BAHI_PAGE_MAX};
	for (int i = 0; i < CATEGORY_PAGES; i++) {
		cJSON *list;
		if (bahi_category_list(req, &pg, &list) != 0) {
			cJSON_Delete(all);
			return -1;
		}
		cJSON *items = cJSON_DetachItemFromObjectCaseSensitive(list, "items"), *it;
		while (items != NULL && (it = cJSON_DetachItemFromArray(items, 0)) != NULL)
			cJSON_AddItemToArray(all, it);
		cJSON_Delete(items);
		const char *next = admin_json_str(list, "next_cursor");
		int64_t key;
		int more = *next != '\0' &&
		           bahi_cursor_decode(next, &key, pg.after_id) == 0;
		if (more) {
			pg.has_after = 1;
			snprintf(pg.after_key, sizeof(pg.after_key), "%lld", (long long)key);
		}
		cJSON_Delete(list);
		if (!more)
			break;
	}
	*out = all;
	return 0;
}

const char *
admin_category_name(const cJSON *cats, const char *id)
{
	const cJSON *c;
	if (id == NULL || *id == '\0')
		return "";
	cJSON_ArrayForEach(c, cats)
		if (strcmp(admin_json_str(c, "id"), id) == 0)
			return admin_json_str(c, "name");
	return "";
}

void
admin_category_options(bahi_tmpl_dict *d, const cJSON *cats, const char *selected)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, cats) {
		bahi_tmpl_dict *o = bahi_tmpl_section(d, "OPTION");
		const char *id = admin_json_str(c, "id");
		bahi_tmpl_set(o, "id", id);
		bahi_tmpl_set(o, "name", admin_json_str(c, "name"));
		if (selected != NULL && strcmp(id, selected) == 0)
			bahi_tmpl_show(o, "SELECTED");
	}
}

int
admin_catalog_reshown(bahi_req *req, const char *suffix)
{
	if (strcmp(req->method, "POST") != 0)
		return 0;
	const char *id = bahi_req_capture(req, "id");
	const char *want = id != NULL ? bahi_pool_printf(req->pool, "/%s%s", id, suffix) : suffix;
	size_t n = strlen(req->path), w = strlen(want);
	return n >= w && strcmp(req->path + n - w, want) == 0;
}

const char *
admin_catalog_posted(bahi_req *req, const char *suffix, const char *name, const char *fallback)
{
	const char *v = admin_catalog_reshown(req, suffix) ? bahi_req_form(req, name) : NULL;
	return v != NULL ? v : fallback;
}

long
admin_catalog_version(bahi_req *req)
{
	const char *v = admin_form(req, "version");
	long n = v != NULL ? strtol(v, NULL, 10) : 0;
	return n > 0 ? n : 0;
}

/* 1 when member key of item equals code, ignoring case. */
static int
code_is(const cJSON *item, const char *key, const char *code)
{
	return strcasecmp(admin_json_str(item, key), code) == 0;
}

const char *
admin_product_by_code(bahi_req *req, const char *code, const char *field)
{
	cJSON *list = NULL;
	const char *id = NULL;
	if (code == NULL || *code == '\0') {
		bahi_problem_field(&req->problem, field, "required", N_("Is required."));
		return NULL;
	}
	/* field errors reported before this one stay */
	bahi_problem before = req->problem;
	memset(&req->problem, 0, sizeof(req->problem));
	const char *q = bahi_pool_printf(req->pool, "limit=1&q=%s", admin_url_encode(req, code));
	if (strlen(code) <= 100 &&
	    admin_apply_raw(req, &catalog_worker, "GET", "/api/v1/products", q, NULL, NULL, 0,
	                    &list) == 0) {
		const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(list, "items"), 0);
		if (first != NULL && (code_is(first, "sku", code) || code_is(first, "barcode", code)))
			id = bahi_pool_strdup(req->pool, admin_json_str(first, "id"));
	}
	cJSON_Delete(list);
	if (id != NULL || req->problem.status == 0 || req->problem.status == 422) {
		req->problem = before;
		if (id == NULL)
			bahi_problem_field(&req->problem, field, "unknown_product",
			                   N_("No product has this SKU or barcode."));
	}
	return id;
}

/* Products the datalist of SKUs offers. */
#define DATALIST_ROWS 200

int
admin_product_datalist(bahi_req *req, bahi_tmpl_dict *d)
{
	bahi_page pg = {.limit = DATALIST_ROWS};
	bahi_product_filter f = {0};
	bahi_buf b;
	bahi_buf_init(&b, BAHI_MAX_RESPONSE);
	int rc = bahi_product_list(req, &pg, &f, &b);
	cJSON *list = rc == 0 ? cJSON_ParseWithLength(b.data, b.len) : NULL;
	bahi_buf_free(&b);
	if (rc != 0)
		return -1;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "is_composite")))
			continue;
		bahi_tmpl_dict *s = bahi_tmpl_section(d, "SKU");
		bahi_tmpl_set(s, "sku", admin_json_str(it, "sku"));
		bahi_tmpl_set(s, "name", admin_json_str(it, "name"));
	}
	cJSON_Delete(list);
	return 0;
}
