/* admin_categories: the categories page (list, add, edit, delete). */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "bahi_category.h"
#include "bahi_cursor.h"
#include "bahi_req.h"
#include "catalog.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const admin_field category_fields[] = {
	{"name", ADMIN_F_STRING, 0},
	{"sku_prefix", ADMIN_F_STRING, 0},
};

/* The list with the add form (and its errors when shown again). */
static int
categories_page(bahi_req *req)
{
	bahi_page pg;
	cJSON *list;
	bahi_tmpl_dict *d = admin_page(req, N_("Categories"), "categories", "categories.html.tpl");
	if (d == NULL || admin_list_page(req, 50, &pg) != 0 || bahi_category_list(req, &pg, &list) != 0)
		return -1;
	static const char *const keys[] = {"id", "name", "sku_prefix", NULL};
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items"))
		admin_set_strs(bahi_tmpl_section(d, "ROW"), it, keys);
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(list, "items")) == 0 && !pg.has_after)
		bahi_tmpl_show(d, "EMPTY");
	admin_pager(req, d, list, "/admin/categories");
	cJSON_Delete(list);
	admin_form_refill(req, d, category_fields, NF(category_fields));
	admin_form_errors(req, d);
	return 0;
}

static int
categories_get(bahi_req *req)
{
	return categories_page(req) != 0 ? -1 : admin_render(req);
}

static int
categories_create(bahi_req *req)
{
	if (admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, category_fields, NF(category_fields));
	if (body == NULL ||
	    admin_apply(req, &catalog_worker, "POST", "/api/v1/categories", body, 0, NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "catalog.read", categories_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, "/admin/categories?done=created");
}

/* One category's edit form. */
static int
category_page(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such category.");
	cJSON *c;
	bahi_tmpl_dict *d = admin_page(req, N_("Edit category"), "categories", "category.html.tpl");
	if (d == NULL || id == NULL || bahi_category_get(req, id, &c) != 0)
		return -1;
	static const char *const keys[] = {"id", "name", "sku_prefix", NULL};
	admin_set_strs(d, c, keys);
	bahi_tmpl_set_int(d, "version", admin_json_int(c, "version"));
	cJSON_Delete(c);
	admin_form_refill(req, d, category_fields, NF(category_fields));
	admin_form_errors(req, d);
	return 0;
}

static int
category_get(bahi_req *req)
{
	return category_page(req) != 0 ? -1 : admin_render(req);
}

/* The version the form was read at (a stale form gets 412, never overwrites). */
static long
form_version(bahi_req *req)
{
	const char *v = admin_form(req, "version");
	long n = v != NULL ? strtol(v, NULL, 10) : 0;
	return n > 0 ? n : 0;
}

static int
category_update(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such category.");
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, category_fields, NF(category_fields));
	const char *path = bahi_pool_printf(req->pool, "/api/v1/categories/%s", id);
	if (body == NULL ||
	    admin_apply(req, &catalog_worker, "PATCH", path, body, form_version(req), NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "catalog.read", category_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, "/admin/categories?done=saved");
}

static int
category_delete(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such category.");
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	const char *path = bahi_pool_printf(req->pool, "/api/v1/categories/%s", id);
	if (admin_apply(req, &catalog_worker, "DELETE", path, NULL, form_version(req), NULL) != 0)
		return admin_reshow(req, "catalog.read", category_page);
	return admin_redirect(req, "/admin/categories?done=deleted");
}

static const bahi_route routes[] = {
	{"GET", "/admin/categories", categories_get, ADMIN_PAGE, "catalog.read"},
	{"POST", "/admin/categories", categories_create, ADMIN_FORM, "catalog.write"},
	{"GET", "/admin/categories/{id}", category_get, ADMIN_PAGE, "catalog.read"},
	{"POST", "/admin/categories/{id}", category_update, ADMIN_FORM, "catalog.write"},
	{"POST", "/admin/categories/{id}/delete", category_delete, ADMIN_FORM, "catalog.delete"},
};
ADMIN_ROUTES(admin_categories_routes, routes);
