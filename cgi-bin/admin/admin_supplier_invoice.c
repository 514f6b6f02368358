/* admin_supplier_invoice: receiving a supplier's invoice: the CSV upload, the proposed match of each line, and its confirmation into batches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_catalog.h"
#include "bahi_cursor.h"
#include "bahi_import.h"
#include "bahi_multipart.h"
#include "bahi_perm.h"
#include "bahi_req.h"
#include "bahi_supplier.h"
#include "catalog.h"

static const admin_field upload_fields[] = {
	{"supplier_id", ADMIN_F_STRING, 0},
	{"invoice_no", ADMIN_F_STRING, 0},
	{"csv", ADMIN_F_STRING, 0},
};

/* Suppliers the upload form offers (pages of 200). */
#define SUPPLIER_PAGES 5

/* The SUPPLIER options of d, selected the one whose id is cur; 0 or -1. */
static int
supplier_options(bahi_req *req, bahi_tmpl_dict *d, const char *cur)
{
	bahi_page pg = {.limit = BAHI_PAGE_MAX};
	int any = 0;
	for (int i = 0; i < SUPPLIER_PAGES; i++) {
		cJSON *list;
		if (bahi_supplier_list(req, &pg, &list) != 0)
			return -1;
		const cJSON *s;
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(list, "items")) {
			bahi_tmpl_dict *o = bahi_tmpl_section(d, "SUPPLIER");
			bahi_tmpl_set(o, "id", admin_json_str(s, "id"));
			bahi_tmpl_set(o, "name", admin_json_str(s, "name"));
			if (cur != NULL && strcmp(cur, admin_json_str(s, "id")) == 0)
				bahi_tmpl_show(o, "SELECTED");
			any = 1;
		}
		const char *next = admin_json_str(list, "next_cursor");
		int64_t key = 0;
		int more = *next != '\0' && bahi_cursor_decode(next, &key, pg.after_id) == 0;
		pg.has_after = 1;
		snprintf(pg.after_key, sizeof(pg.after_key), "%lld", (long long)key);
		cJSON_Delete(list);
		if (!more)
			break;
	}
	if (!any)
		bahi_tmpl_show(d, "NO_SUPPLIERS");
	return 0;
}

/* ---- the upload */

static int
new_page(bahi_req *req)
{
	bahi_tmpl_dict *d = admin_page(req, N_("Receive a supplier invoice"), "suppliers",
	                               "supplier_invoice_new.html.tpl");
	if (d == NULL)
		return -1;
	const char *cur = admin_catalog_posted(req, "", "supplier_id",
	                                       bahi_req_query(req, "supplier_id"));
	if (supplier_options(req, d, cur) != 0)
		return -1;
	admin_form_refill(req, d, upload_fields, NF(upload_fields));
	admin_form_errors(req, d);
	return 0;
}

int
admin_supinv_new_get(bahi_req *req)
{
	return new_page(req) != 0 ? -1 : admin_render(req);
}

/* The query of POST /api/v1/supplier-invoices: the fields given (a missing
 * one is the API's "Is required."). */
static const char *
upload_query(bahi_req *req)
{
	const char *sup = admin_form(req, "supplier_id"), *no = admin_form(req, "invoice_no");
	const char *q = "";
	if (sup != NULL && *sup != '\0')
		q = bahi_pool_printf(req->pool, "supplier_id=%s", admin_url_encode(req, sup));
	if (no != NULL && *no != '\0')
		q = bahi_pool_printf(req->pool, "%s%sinvoice_no=%s", q, *q ? "&" : "",
		                     admin_url_encode(req, no));
	return q;
}

/* POST /admin/uploads/supplier-invoices (multipart/form-data): the file,
 * or the rows pasted in the text box, through the API's upload route. */
int
admin_supinv_upload(bahi_req *req)
{
	if (admin_form_begin(req) != 0)
		return -1;
	bahi_part file;
	const char *data = NULL;
	size_t len = 0;
	if (bahi_req_part(req, "file", &file) == 1 && file.len > 0) {
		data = file.data;
		len = file.len;
	} else if ((data = admin_form(req, "csv")) != NULL && *data != '\0') {
		len = strlen(data);
	} else {
		bahi_problem_field(&req->problem, "file", "required",
		                   N_("Choose the invoice file or paste its rows."));
		return admin_reshow(req, "stock.read", new_page);
	}
	cJSON *out = NULL;
	if (admin_apply_raw(req, &catalog_worker, "POST", "/api/v1/supplier-invoices",
	                    upload_query(req), "text/csv; charset=utf-8", data, len, &out) != 0)
		return admin_reshow(req, "stock.read", new_page);
	const char *to = bahi_pool_printf(req->pool, "/admin/supplier-invoices/%s",
	                                  admin_json_str(out, "id"));
	cJSON_Delete(out);
	return admin_redirect(req, to);
}

/* ---- the proposal and its confirmation */

/* The pick a line's select shows: what was posted when the form is shown
 * again, else the proposed match, else a new item. */
static const char *
line_pick(bahi_req *req, long row, int matched)
{
	const char *name = bahi_pool_printf(req->pool, "pick_%ld", row);
	const char *v = admin_catalog_posted(req, "/confirm", name, NULL);
	return v != NULL ? v : matched ? "match" : "new";
}

/* One line of a proposal still to confirm. */
static void
proposed_line(bahi_req *req, bahi_tmpl_dict *r, const cJSON *l)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(l, "match");
	long row = (long)admin_json_int(l, "row");
	const char *pick = line_pick(req, row, cJSON_IsObject(m));
	if (cJSON_IsObject(m)) {
		bahi_tmpl_dict *o = bahi_tmpl_section(r, "MATCH");
		bahi_tmpl_set(o, "match_name", admin_json_str(m, "name"));
		if (strcmp(pick, "match") == 0)
			bahi_tmpl_show(o, "SELECTED");
	} else {
		bahi_tmpl_show(r, "UNMATCHED");
	}
	bahi_tmpl_show(r, strcmp(pick, "skip") == 0 ? "SKIP_SELECTED" :
	                  strcmp(pick, "new") == 0 ? "NEW_SELECTED" : "NONE_SELECTED");
	const char *other = bahi_pool_printf(req->pool, "other_%ld", row);
	bahi_tmpl_set(r, "other", admin_catalog_posted(req, "/confirm", other, ""));
}

/* One line of a confirmed invoice: what became of it. */
static void
confirmed_line(bahi_req *req, bahi_tmpl_dict *r, const cJSON *l)
{
	static const struct {
		const char *code, *label;
	} actions[] = {
		{"matched", N_("Received into the product")}, {"created", N_("New product created")},
		{"skipped", N_("Skipped")},
	};
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(l, "result");
	const char *a = admin_json_str(res, "action");
	for (size_t i = 0; i < NF(actions); i++)
		if (strcmp(a, actions[i].code) == 0)
			bahi_tmpl_set(r, "action", admin_t(req, actions[i].label));
	bahi_tmpl_set(r, "batch_no", admin_json_str(res, "batch_no"));
	const char *pid = admin_json_str(res, "product_id");
	if (*pid != '\0')
		bahi_tmpl_set(bahi_tmpl_section(r, "PRODUCT"), "product_id", pid);
}

/* The lines' table: each with its proposal (or its result once confirmed). */
static void
invoice_lines(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv, int confirmed)
{
	const cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(inv, "lines")) {
		static const char *const keys[] = {"name", "part_no", NULL};
		bahi_tmpl_dict *r = bahi_tmpl_section(d, "LINE");
		admin_set_strs(r, l, keys);
		bahi_tmpl_set_int(r, "row", admin_json_int(l, "row"));
		bahi_tmpl_set(r, "buy_price", admin_money(req, admin_json_int(l, "buy_price")));
		bahi_tmpl_set(r, "sell_price", admin_money(req, admin_json_int(l, "sell_price")));
		bahi_tmpl_set(r, "qty", admin_catalog_qty(req, l, "qty"));
		if (confirmed)
			confirmed_line(req, bahi_tmpl_section(r, "RESULT"), l);
		else
			proposed_line(req, bahi_tmpl_section(r, "PICK"), l);
	}
}

/* The supplier's name ("" when it has been deleted since). */
static const char *
supplier_name(bahi_req *req, const char *id)
{
	cJSON *s;
	if (bahi_supplier_get(req, id, &s) != 0) {
		memset(&req->problem, 0, sizeof(req->problem));
		return "";
	}
	const char *name = bahi_pool_strdup(req->pool, admin_json_str(s, "name"));
	cJSON_Delete(s);
	return name;
}

static int
invoice_page(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such supplier invoice."));
	const char *json;
	cJSON *inv = NULL, *cats = NULL;
	bahi_tmpl_dict *d = admin_page(req, N_("Supplier invoice"), "suppliers",
	                               "supplier_invoice.html.tpl");
	if (d == NULL || id == NULL || bahi_supplier_invoice_get(req, id, &json) != 0)
		return -1;
	admin_ctx *c = req->app;
	if ((inv = cJSON_Parse(json)) == NULL)
		return bahi_fail(req, "internal_error", "The invoice could not be read.");
	static const char *const keys[] = {"id", "invoice_no", "supplier_id", "batch_stem", NULL};
	admin_set_strs(d, inv, keys);
	bahi_tmpl_set(d, "supplier_name", supplier_name(req, admin_json_str(inv, "supplier_id")));
	int confirmed = strcmp(admin_json_str(inv, "status"), "confirmed") == 0;
	bahi_tmpl_show(d, confirmed ? "CONFIRMED" : "PROPOSED");
	if (!confirmed && bahi_perm_allows(c->role, "stock.write"))
		bahi_tmpl_show(d, "CAN_CONFIRM");
	if (!confirmed && bahi_perm_allows(c->role, "prices.write"))
		bahi_tmpl_show(d, admin_catalog_reshown(req, "/confirm") &&
		               bahi_req_form(req, "update_prices") == NULL ? "PRICES" : "PRICES_CHECKED");
	invoice_lines(req, d, inv, confirmed);
	cJSON_Delete(inv);
	if (!confirmed) {
		if (admin_categories_all(req, &cats) != 0)
			return -1;
		admin_category_options(d, cats, admin_catalog_posted(req, "/confirm", "category_id", NULL));
		cJSON_Delete(cats);
	}
	admin_form_errors(req, d);
	return 0;
}

int
admin_supinv_get(bahi_req *req)
{
	return invoice_page(req) != 0 ? -1 : admin_render(req);
}

/* The pick of one line from its select (pick_<row>) and the other
 * product's SKU (other_<row>), which wins when given; NULL when the line
 * keeps its proposal or a field error was added. */
static cJSON *
line_json(bahi_req *req, const cJSON *l, const char *category)
{
	long row = (long)admin_json_int(l, "row");
	const char *pick = admin_form(req, bahi_pool_printf(req->pool, "pick_%ld", row));
	const char *other = admin_form(req, bahi_pool_printf(req->pool, "other_%ld", row));
	const char *m = admin_json_str(cJSON_GetObjectItemCaseSensitive(l, "match"), "product_id");
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "row", (double)row);
	if (other != NULL && *other != '\0') {
		const char *pid = admin_product_by_code(req, other,
		                                        bahi_pool_printf(req->pool, "rows[%ld]", row));
		if (pid != NULL)
			cJSON_AddStringToObject(o, "product_id", pid);
	} else if (pick != NULL && strcmp(pick, "skip") == 0) {
		cJSON_AddTrueToObject(o, "skip");
	} else if (pick != NULL && strcmp(pick, "new") == 0) {
		cJSON_AddTrueToObject(o, "create");
		if (category != NULL && *category != '\0')
			cJSON_AddStringToObject(o, "category_id", category);
	} else if (*m != '\0') {
		cJSON_AddStringToObject(o, "product_id", m);
	}
	if (cJSON_GetArraySize(o) == 1) {   /* the proposal as it stands */
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* The body of POST /api/v1/supplier-invoices/{id}/confirm from the form;
 * NULL when a line's other product is not known (field errors set). */
static cJSON *
confirm_body(bahi_req *req, const cJSON *inv)
{
	const char *category = admin_form(req, "category_id");
	cJSON *body = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(body, "lines");
	const cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(inv, "lines")) {
		cJSON *o = line_json(req, l, category);
		if (o != NULL)
			cJSON_AddItemToArray(lines, o);
	}
	/* a role without prices.write is never shown the box: prices stay */
	int prices = bahi_perm_allows(req->auth.role, "prices.write") &&
	             admin_form(req, "update_prices") != NULL;
	cJSON_AddBoolToObject(body, "update_prices", prices);
	if (req->problem.status != 0) {
		cJSON_Delete(body);
		return NULL;
	}
	return body;
}

int
admin_supinv_confirm(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such supplier invoice."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	const char *path = bahi_pool_printf(req->pool, "/api/v1/supplier-invoices/%s", id);
	cJSON *inv = NULL, *body = NULL;
	if (admin_apply(req, &catalog_worker, "GET", path, NULL, 0, &inv) != 0)
		return -1;
	body = confirm_body(req, inv);
	cJSON_Delete(inv);
	if (body == NULL || admin_apply(req, &catalog_worker, "POST",
	                                bahi_pool_printf(req->pool, "%s/confirm", path), body, 0,
	                                NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "stock.read", invoice_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool,
	                      "/admin/supplier-invoices/%s?done=imported", id));
}
