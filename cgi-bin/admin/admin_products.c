/* admin_products: the products pages: the list with search and filters, the new-product form, one product's edit page, delete. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_catalog.h"
#include "bahi_buf.h"
#include "bahi_cursor.h"
#include "bahi_perm.h"
#include "bahi_product.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_uuid.h"
#include "bahi_valid.h"
#include "catalog.h"

/* The form's fields as POST and PATCH /api/v1/products take them. An empty
 * SKU, barcode or category is null: generated, none, none. */
static const admin_field product_fields[] = {
	{"name", ADMIN_F_STRING, 0},
	{"sku", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"barcode", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"category_id", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"unit", ADMIN_F_STRING, 0},
	{"price", ADMIN_F_MONEY, 0},
	{"cost", ADMIN_F_MONEY, 0},
	{"min_stock", ADMIN_F_QTY, 0},
};

/* The units the API takes, with their names. */
static const struct {
	const char *code, *label;
} units[] = {
	{"pcs", N_("Pieces")}, {"kg", N_("Kilograms")}, {"g", N_("Grams")},
	{"m", N_("Metres")}, {"cm", N_("Centimetres")}, {"l", N_("Litres")},
	{"ml", N_("Millilitres")}, {"box", N_("Boxes")}, {"pack", N_("Packs")},
	{"dozen", N_("Dozens")}, {"pair", N_("Pairs")}, {"set", N_("Sets")},
};

/* ---- the list */

/* The list's filters from the query: empty parameters are no filter. 0, or
 * -1 (422 for a search that is not text of 1..100 characters, 404 for a
 * category that is no UUID). */
static int
read_filter(bahi_req *req, bahi_product_filter *f)
{
	const char *q = bahi_req_query(req, "q"), *cat = bahi_req_query(req, "category_id");
	const char *low = bahi_req_query(req, "low_stock");
	size_t chars = 0;
	memset(f, 0, sizeof(*f));
	if (q != NULL && strspn(q, " ") < strlen(q)) {
		if (!bahi_valid_utf8(q, 0, &chars) || chars > 100) {
			bahi_problem_field(&req->problem, "q", "too_long",
			                   N_("Search for at most 100 characters."));
			return -1;
		}
		f->q = q;
	}
	if (cat != NULL && *cat != '\0') {
		char *id = bahi_pool_alloc(req->pool, BAHI_UUID_LEN + 1);
		if (bahi_uuid_normalise(cat, id) != 0)
			return bahi_fail(req, "not_found", N_("There is no such category."));
		f->category_id = id;
	}
	f->low_stock = low != NULL && (strcmp(low, "true") == 0 || strcmp(low, "1") == 0 ||
	                               strcmp(low, "on") == 0);
	return 0;
}

/* One row of the list. */
static void
product_row(bahi_req *req, bahi_tmpl_dict *d, const cJSON *p, const cJSON *cats)
{
	static const char *const keys[] = {"id", "name", "sku", "unit", NULL};
	bahi_tmpl_dict *r = bahi_tmpl_section(d, "ROW");
	admin_set_strs(r, p, keys);
	bahi_tmpl_set(r, "category", admin_category_name(cats, admin_json_str(p, "category_id")));
	bahi_tmpl_set(r, "price", admin_money(req, admin_json_int(p, "price")));
	bahi_tmpl_set(r, "stock", admin_catalog_qty(req, p, "available_qty"));
	if (admin_catalog_qty_of(p, "available_qty") <= admin_catalog_qty_of(p, "min_stock"))
		bahi_tmpl_show(r, "LOW");
}

/* The list page: filters, rows, pager. */
static int
products_page(bahi_req *req)
{
	bahi_page pg;
	bahi_product_filter f;
	cJSON *cats = NULL;
	admin_ctx *c;
	bahi_tmpl_dict *d = admin_page(req, N_("Products"), "products", "products.html.tpl");
	if (d == NULL || (c = req->app) == NULL || read_filter(req, &f) != 0 ||
	    admin_list_page(req, 50, &pg) != 0 || admin_categories_all(req, &cats) != 0)
		return -1;
	bahi_tmpl_set(d, "q", f.q != NULL ? f.q : "");
	if (f.low_stock)
		bahi_tmpl_show(d, "LOW_CHECKED");
	admin_category_options(d, cats, f.category_id);
	if (bahi_perm_allows(c->role, "catalog.write"))
		bahi_tmpl_show(d, "CAN_ADD");
	/* the list ends the request's transaction: it is read last */
	bahi_buf b;
	bahi_buf_init(&b, BAHI_MAX_RESPONSE);
	int rc = bahi_product_list(req, &pg, &f, &b);
	cJSON *list = rc == 0 ? cJSON_ParseWithLength(b.data, b.len) : NULL;
	bahi_buf_free(&b);
	if (rc == 0 && list == NULL)
		rc = bahi_fail(req, "internal_error", "The product list could not be read.");
	const cJSON *it, *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	cJSON_ArrayForEach(it, items)
		product_row(req, d, it, cats);
	if (rc == 0 && cJSON_GetArraySize(items) == 0 && !pg.has_after)
		bahi_tmpl_show(d, f.q != NULL || f.category_id != NULL || f.low_stock ?
		               "NO_MATCH" : "EMPTY");
	if (list != NULL)
		admin_pager(req, d, list, "/admin/products");
	cJSON_Delete(list);
	cJSON_Delete(cats);
	return rc;
}

static int
products_get(bahi_req *req)
{
	return products_page(req) != 0 ? -1 : admin_render(req);
}

/* ---- the form (new and edit) */

/* The unit choices with cur selected. */
static void
unit_options(bahi_req *req, bahi_tmpl_dict *d, const char *cur)
{
	for (size_t i = 0; i < NF(units); i++) {
		bahi_tmpl_dict *o = bahi_tmpl_section(d, "UNIT");
		bahi_tmpl_set(o, "code", units[i].code);
		bahi_tmpl_set(o, "label", admin_t(req, units[i].label));
		if (strcmp(units[i].code, cur) == 0)
			bahi_tmpl_show(o, "SELECTED");
	}
}

/* The form's values: the product's (p; NULL for a new one), or what was
 * posted when the form is shown again; price and cost as inputs only for
 * roles that may set them (a new product's price may be set by any role
 * that adds products). */
static int
form_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *p)
{
	admin_ctx *c = req->app;
	cJSON *cats;
	if (admin_categories_all(req, &cats) != 0)
		return -1;
	static const char *const keys[] = {"name", "sku", "barcode", NULL};
	admin_set_strs(d, p, keys);
	bahi_tmpl_set(d, "price", p ? admin_amount(req, admin_json_int(p, "price")) : "");
	bahi_tmpl_set(d, "cost", p ? admin_amount(req, admin_json_int(p, "cost")) : "");
	bahi_tmpl_set(d, "min_stock", p ? admin_catalog_qty(req, p, "min_stock") : "");
	admin_category_options(d, cats, admin_catalog_posted(req, "", "category_id",
	                                                     admin_json_str(p, "category_id")));
	const char *unit = admin_json_str(p, "unit");
	unit_options(req, d, admin_catalog_posted(req, "", "unit", *unit ? unit : "pcs"));
	cJSON_Delete(cats);
	bahi_tmpl_set(d, "price_money", admin_money(req, admin_json_int(p, "price")));
	bahi_tmpl_set(d, "cost_money", admin_money(req, admin_json_int(p, "cost")));
	if (admin_catalog_reshown(req, ""))
		admin_form_refill(req, d, product_fields, NF(product_fields));
	admin_form_errors(req, d);
	int prices = p == NULL || bahi_perm_allows(c->role, "prices.write");
	bahi_tmpl_show(d, prices ? "PRICE_EDIT" : "PRICE_READONLY");
	return 0;
}

/* The new-product form. */
static int
product_new_page(bahi_req *req)
{
	bahi_tmpl_dict *d = admin_page(req, N_("Add a product"), "products", "product.html.tpl");
	if (d == NULL)
		return -1;
	char idem[48];
	bahi_random_token(idem, sizeof(idem), 16);
	bahi_tmpl_set(d, "action", "/admin/products");
	bahi_tmpl_set(d, "idem", idem);
	bahi_tmpl_show(d, "NEW");
	return form_fill(req, d, NULL);
}

static int
product_new_get(bahi_req *req)
{
	return product_new_page(req) != 0 ? -1 : admin_render(req);
}

static int
product_create(bahi_req *req)
{
	cJSON *out = NULL;
	if (admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, product_fields, NF(product_fields));
	if (body == NULL ||
	    admin_apply(req, &catalog_worker, "POST", "/api/v1/products", body, 0, &out) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "catalog.read", product_new_page);
	}
	cJSON_Delete(body);
	const char *to = bahi_pool_printf(req->pool, "/admin/products/%s?done=created",
	                                  admin_json_str(out, "id"));
	cJSON_Delete(out);
	return admin_redirect(req, to);
}

/* ---- one product */

int
admin_product_page(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such product."));
	cJSON *p;
	bahi_tmpl_dict *d = admin_page(req, N_("Edit product"), "products", "product.html.tpl");
	if (d == NULL || id == NULL || (p = bahi_product_get(req, id)) == NULL)
		return -1;
	admin_ctx *c = req->app;
	bahi_tmpl_set(d, "id", id);
	bahi_tmpl_set(d, "action", bahi_pool_printf(req->pool, "/admin/products/%s", id));
	bahi_tmpl_set_int(d, "version", admin_json_int(p, "version"));
	bahi_tmpl_set(d, "title_name", admin_json_str(p, "name"));
	bahi_tmpl_set(d, "stock_qty", admin_catalog_qty(req, p, "available_qty"));
	bahi_tmpl_set(d, "unit_code", admin_json_str(p, "unit"));
	bahi_tmpl_show(d, "EXISTING");
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "is_composite")))
		bahi_tmpl_show(d, "COMPOSITE");
	if (admin_catalog_qty_of(p, "available_qty") <= admin_catalog_qty_of(p, "min_stock"))
		bahi_tmpl_show(d, "LOW");
	if (bahi_perm_allows(c->role, "catalog.delete"))
		bahi_tmpl_show(d, "CAN_DELETE");
	admin_product_image_fill(req, d, p);
	int rc = form_fill(req, d, p);
	cJSON_Delete(p);
	return rc != 0 ? -1 : admin_product_stock_fill(req, d, id);
}

static int
product_get(bahi_req *req)
{
	return admin_product_page(req) != 0 ? -1 : admin_render(req);
}

static int
product_update(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such product."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, product_fields, NF(product_fields));
	const char *path = bahi_pool_printf(req->pool, "/api/v1/products/%s", id);
	if (body == NULL || admin_apply(req, &catalog_worker, "PATCH", path, body,
	                                admin_catalog_version(req), NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "catalog.read", admin_product_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/products/%s?done=saved", id));
}

static int
product_delete(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such product."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	const char *path = bahi_pool_printf(req->pool, "/api/v1/products/%s", id);
	if (admin_apply(req, &catalog_worker, "DELETE", path, NULL, admin_catalog_version(req),
	                NULL) != 0)
		return admin_reshow(req, "catalog.read", admin_product_page);
	return admin_redirect(req, "/admin/products?done=deleted");
}

/* Literal paths before the {id} patterns they would match. The image
 * upload lives under /admin/uploads/, where nginx takes larger bodies. */
static const bahi_route routes[] = {
	{"GET", "/admin/products", products_get, ADMIN_PAGE, "catalog.read"},
	{"POST", "/admin/products", product_create, ADMIN_FORM, "catalog.write"},
	{"GET", "/admin/products/new", product_new_get, ADMIN_PAGE, "catalog.write"},
	{"GET", "/admin/products/{id}", product_get, ADMIN_PAGE, "catalog.read"},
	{"POST", "/admin/products/{id}", product_update, ADMIN_FORM, "catalog.write"},
	{"POST", "/admin/products/{id}/delete", product_delete, ADMIN_FORM, "catalog.delete"},
	{"POST", "/admin/products/{id}/stock", admin_product_stock_post, ADMIN_FORM, "stock.write"},
	{"POST", "/admin/products/{id}/image/delete", admin_product_image_delete, ADMIN_FORM,
	 "catalog.write"},
	{"POST", "/admin/uploads/products/{id}/image", admin_product_image_post,
	 ADMIN_FORM | BAHI_BIG_BODY, "catalog.write"},
};
ADMIN_ROUTES(admin_products_routes, routes);
