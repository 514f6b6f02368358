/* admin_suppliers: the suppliers pages: list, add, edit, delete, and a supplier's batches with the form to record one. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_catalog.h"
#include "bahi_cursor.h"
#include "bahi_perm.h"
#include "bahi_product.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_stock.h"
#include "bahi_supplier.h"
#include "catalog.h"

/* As POST and PATCH /api/v1/suppliers take them: an empty name is sent (and
 * refused), an empty prefix is left out (derived, or unchanged), empty
 * contact details are null (none). */
static const admin_field supplier_fields[] = {
	{"name", ADMIN_F_STRING, ADMIN_F_KEEP_EMPTY},
	{"batch_prefix", ADMIN_F_STRING, 0},
	{"phone", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"email", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"address", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"notes", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
};

/* POST /api/v1/batches, the product given by SKU or barcode ("product"). */
static const admin_field batch_fields[] = {
	{"qty", ADMIN_F_QTY, 0},
	{"cost", ADMIN_F_MONEY, 0},
	{"expiry", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"batch_no", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"supplier_invoice_no", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
};
static const admin_field batch_product_field[] = {{"product", ADMIN_F_STRING, 0}};

static const char *const supplier_keys[] = {
	"id", "name", "batch_prefix", "phone", "email", "address", "notes", NULL,
};

/* ---- the list */

static int
suppliers_page(bahi_req *req)
{
	bahi_page pg;
	cJSON *list;
	bahi_tmpl_dict *d = admin_page(req, N_("Suppliers"), "suppliers", "suppliers.html.tpl");
	if (d == NULL || admin_list_page(req, 50, &pg) != 0 || bahi_supplier_list(req, &pg, &list) != 0)
		return -1;
	admin_ctx *c = req->app;
	const cJSON *it, *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	cJSON_ArrayForEach(it, items)
		admin_set_strs(bahi_tmpl_section(d, "ROW"), it, supplier_keys);
	if (cJSON_GetArraySize(items) == 0 && !pg.has_after)
		bahi_tmpl_show(d, "EMPTY");
	admin_pager(req, d, list, "/admin/suppliers");
	cJSON_Delete(list);
	if (bahi_perm_allows(c->role, "catalog.write"))
		bahi_tmpl_show(d, "ADD_FORM");
	if (bahi_perm_allows(c->role, "stock.write"))
		bahi_tmpl_show(d, "CAN_RECEIVE");
	admin_form_refill(req, d, supplier_fields, NF(supplier_fields));
	admin_form_errors(req, d);
	return 0;
}

static int
suppliers_get(bahi_req *req)
{
	return suppliers_page(req) != 0 ? -1 : admin_render(req);
}

static int
supplier_create(bahi_req *req)
{
	cJSON *out = NULL;
	if (admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, supplier_fields, NF(supplier_fields));
	if (body == NULL ||
	    admin_apply(req, &catalog_worker, "POST", "/api/v1/suppliers", body, 0, &out) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "catalog.read", suppliers_page);
	}
	cJSON_Delete(body);
	const char *to = bahi_pool_printf(req->pool, "/admin/suppliers/%s?done=created",
	                                  admin_json_str(out, "id"));
	cJSON_Delete(out);
	return admin_redirect(req, to);
}

/* ---- one supplier and its batches */

/* Collects product names by id (bahi_product_get_many's callback). */
static void
put_name(void *ctx, const char *id, char *json)
{
	cJSON *p = cJSON_Parse(json);
	cJSON_AddStringToObject(ctx, id, admin_json_str(p, "name"));
	cJSON_Delete(p);
}

/* The batches table: one page of the supplier's batches with product names. */
static int
batch_rows(bahi_req *req, bahi_tmpl_dict *d, const char *id)
{
	bahi_page pg;
	cJSON *list;
	bahi_batch_filter f = {.supplier_id = id, .expiring_within_days = -1};
	if (admin_list_page(req, 50, &pg) != 0 || bahi_batch_list(req, &pg, &f, &list) != 0)
		return -1;
	const cJSON *b, *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	int n = cJSON_GetArraySize(items), k = 0;
	const char **ids = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(*ids));
	cJSON_ArrayForEach(b, items)
		ids[k++] = admin_json_str(b, "product_id");
	cJSON *names = cJSON_CreateObject();
	int rc = n > 0 ? bahi_product_get_many(req, ids, n, put_name, names) : 0;
	bahi_tmpl_dict *s = bahi_tmpl_section(d, "BATCHES");
	cJSON_ArrayForEach(b, items) {
		static const char *const keys[] = {"batch_no", "product_id", "expiry",
		                                   "supplier_invoice_no", NULL};
		bahi_tmpl_dict *r = bahi_tmpl_section(s, "BATCH");
		admin_set_strs(r, b, keys);
		bahi_tmpl_set(r, "product", admin_json_str(names, admin_json_str(b, "product_id")));
		bahi_tmpl_set(r, "qty_received", admin_catalog_qty(req, b, "qty_received"));
		bahi_tmpl_set(r, "qty_remaining", admin_catalog_qty(req, b, "qty_remaining"));
		bahi_tmpl_set(r, "cost", admin_money(req, admin_json_int(b, "cost")));
		bahi_tmpl_set(r, "received", admin_time(req, admin_json_str(b, "created_at")));
	}
	if (n == 0 && !pg.has_after)
		bahi_tmpl_show(s, "NO_BATCHES");
	admin_pager(req, s, list, bahi_pool_printf(req->pool, "/admin/suppliers/%s", id));
	cJSON_Delete(names);
	cJSON_Delete(list);
	return rc;
}

/* The batch form (with the product datalist, read last: it ends the
 * request's transaction). */
static int
batch_form(bahi_req *req, bahi_tmpl_dict *d)
{
	char idem[48];
	bahi_tmpl_dict *f = bahi_tmpl_section(d, "BATCH_FORM");
	bahi_random_token(idem, sizeof(idem), 16);
	bahi_tmpl_set(f, "idem", idem);
	if (admin_catalog_reshown(req, "/batches")) {
		admin_form_refill(req, f, batch_fields, NF(batch_fields));
		admin_form_refill(req, f, batch_product_field, 1);
	}
	return admin_product_datalist(req, f);
}

static int
supplier_page(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such supplier."));
	cJSON *s;
	bahi_tmpl_dict *d = admin_page(req, N_("Supplier"), "suppliers", "supplier.html.tpl");
	if (d == NULL || id == NULL || bahi_supplier_get(req, id, &s) != 0)
		return -1;
	admin_ctx *c = req->app;
	admin_set_strs(d, s, supplier_keys);
	bahi_tmpl_set(d, "title_name", admin_json_str(s, "name"));
	bahi_tmpl_set_int(d, "version", admin_json_int(s, "version"));
	cJSON_Delete(s);
	if (admin_catalog_reshown(req, ""))
		admin_form_refill(req, d, supplier_fields, NF(supplier_fields));
	admin_form_errors(req, d);
	if (bahi_perm_allows(c->role, "catalog.write"))
		bahi_tmpl_show(d, "CAN_EDIT");
	if (bahi_perm_allows(c->role, "catalog.delete"))
		bahi_tmpl_show(d, "CAN_DELETE");
	if (bahi_perm_allows(c->role, "stock.read") && batch_rows(req, d, id) != 0)
		return -1;
	if (!bahi_perm_allows(c->role, "stock.write"))
		return 0;
	bahi_tmpl_show(d, "CAN_RECEIVE");
	return batch_form(req, d);
}

static int
supplier_get(bahi_req *req)
{
	return supplier_page(req) != 0 ? -1 : admin_render(req);
}

static int
supplier_update(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such supplier."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, supplier_fields, NF(supplier_fields));
	const char *path = bahi_pool_printf(req->pool, "/api/v1/suppliers/%s", id);
	if (body == NULL || admin_apply(req, &catalog_worker, "PATCH", path, body,
	                                admin_catalog_version(req), NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "catalog.read", supplier_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/suppliers/%s?done=saved", id));
}

static int
supplier_delete(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such supplier."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	const char *path = bahi_pool_printf(req->pool, "/api/v1/suppliers/%s", id);
	if (admin_apply(req, &catalog_worker, "DELETE", path, NULL, admin_catalog_version(req),
	                NULL) != 0)
		return admin_reshow(req, "catalog.read", supplier_page);
	return admin_redirect(req, "/admin/suppliers?done=deleted");
}

/* Records a batch of the supplier (with its stock-in) for the product
 * named by SKU or barcode. */
static int
batch_create(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such supplier."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, batch_fields, NF(batch_fields));
	/* every field's error at once: the product's is added to the others' */
	const char *pid = admin_product_by_code(req, admin_form(req, "product"), "product");
	if (pid == NULL && req->problem.status != 422) {
		cJSON_Delete(body);
		return -1;
	}
	if (body != NULL && pid != NULL) {
		cJSON_AddStringToObject(body, "product_id", pid);
		cJSON_AddStringToObject(body, "supplier_id", id);
	}
	if (body == NULL || pid == NULL ||
	    admin_apply(req, &catalog_worker, "POST", "/api/v1/batches", body, 0, NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "catalog.read", supplier_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/suppliers/%s?done=stock", id));
}

/* Literal paths before the {id} patterns they would match. The invoice
 * upload lives under /admin/uploads/, where nginx takes larger bodies. */
static const bahi_route routes[] = {
	{"GET", "/admin/suppliers", suppliers_get, ADMIN_PAGE, "catalog.read"},
	{"POST", "/admin/suppliers", supplier_create, ADMIN_FORM, "catalog.write"},
	{"GET", "/admin/suppliers/{id}", supplier_get, ADMIN_PAGE, "catalog.read"},
	{"POST", "/admin/suppliers/{id}", supplier_update, ADMIN_FORM, "catalog.write"},
	{"POST", "/admin/suppliers/{id}/delete", supplier_delete, ADMIN_FORM, "catalog.delete"},
	{"POST", "/admin/suppliers/{id}/batches", batch_create, ADMIN_FORM, "stock.write"},
	{"GET", "/admin/supplier-invoices/new", admin_supinv_new_get, ADMIN_PAGE, "stock.write"},
	{"POST", "/admin/uploads/supplier-invoices", admin_supinv_upload,
	 ADMIN_FORM | BAHI_BIG_BODY, "stock.write"},
	{"GET", "/admin/supplier-invoices/{id}", admin_supinv_get, ADMIN_PAGE, "stock.read"},
	{"POST", "/admin/supplier-invoices/{id}/confirm", admin_supinv_confirm, ADMIN_FORM,
	 "stock.write"},
};
ADMIN_ROUTES(admin_suppliers_routes, routes);
