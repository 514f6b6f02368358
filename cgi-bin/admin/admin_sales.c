/* admin_sales: the new-sale page (items by search, barcode or SKU; customer by phone; totals), its save through POST /api/v1/invoices, and the look-ups its script asks for. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin.h"
#include "admin_sales.h"
#include "bahi_customer.h"
#include "bahi_cursor.h"
#include "bahi_money.h"
#include "bahi_pdf.h"
#include "bahi_product.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "invoicing.h"

/* Products a search offers at most. */
#define SEARCH_ROWS 10

/* Up to SEARCH_ROWS products matching q, ranked (name, SKU, barcode,
 * typo-tolerant): a list answer, or NULL with a problem. */
static cJSON *
search_products(bahi_req *req, const char *q)
{
	bahi_page pg;
	bahi_buf b;
	memset(&pg, 0, sizeof(pg));
	pg.limit = SEARCH_ROWS;
	bahi_product_filter f = {.q = q};
	bahi_buf_init(&b, BAHI_MAX_RESPONSE);
	cJSON *list = NULL;
	if (bahi_product_list(req, &pg, &f, &b) == 0 &&
	    (list = cJSON_ParseWithLength(b.data, b.len)) == NULL)
		bahi_fail(req, "internal_error", "The product list could not be read.");
	bahi_buf_free(&b);
	return list;
}

/* The product q names exactly by SKU or barcode (what a scanner types), or
 * the only match; NULL when there is none or several. */
static const cJSON *
exact_product(const cJSON *items, const char *q)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
		if (strcasecmp(admin_json_str(it, "sku"), q) == 0 ||
		    strcasecmp(admin_json_str(it, "barcode"), q) == 0)
			return it;
	return cJSON_GetArraySize(items) == 1 ? cJSON_GetArrayItem(items, 0) : NULL;
}

/* "Add item": the product found is added; several are offered (PICK);
 * none says so. The search text stays in the box unless a line was added. */
static int
add_by_search(bahi_req *req, bahi_tmpl_dict *d, admin_sale *s, const char *q)
{
	cJSON *list = search_products(req, q);
	if (list == NULL)
		return -1;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	const cJSON *one = exact_product(items, q);
	if (one != NULL) {
		admin_sale_add(req, s, one);
	} else {
		bahi_tmpl_set(d, "q", q);
		if (cJSON_GetArraySize(items) == 0)
			bahi_tmpl_show(d, "NOMATCH");
		else
			bahi_tmpl_show(d, "PICKS");
		const cJSON *it;
		cJSON_ArrayForEach(it, items) {
			bahi_tmpl_dict *p = bahi_tmpl_section(d, "PICK");
			static const char *const keys[] = {"id", "name", "sku", NULL};
			admin_set_strs(p, it, keys);
			bahi_tmpl_set(p, "price", admin_money(req, admin_json_int(it, "price")));
		}
	}
	cJSON_Delete(list);
	return 0;
}

/* What the button pressed asks of the form shown again: add a searched or
 * picked product, remove a line, forget the chosen customer. */
static int
apply_op(bahi_req *req, bahi_tmpl_dict *d, admin_sale *s)
{
	const char *op = admin_form(req, "op"), *pick = admin_form(req, "pick");
	const char *remove = admin_form(req, "remove"), *q = admin_form(req, "q");
	if (remove != NULL) {
		admin_sale_remove(s, (int)strtol(remove, NULL, 10));
	} else if (pick != NULL) {
		char id[BAHI_UUID_LEN + 1];
		cJSON *p = bahi_uuid_normalise(pick, id) == 0 ? bahi_product_get(req, id) : NULL;
		if (p == NULL)
			return bahi_fail(req, "not_found", "There is no such product.");
		admin_sale_add(req, s, p);
		cJSON_Delete(p);
	} else if (op != NULL && strcmp(op, "nocustomer") == 0) {
		s->customer_id = "";
	} else if (op != NULL && strcmp(op, "add") == 0 && q != NULL && *q != '\0') {
		return add_by_search(req, d, s, q);
	}
	return 0;
}

/* One line of the form. */
static bahi_tmpl_dict *
row_fill(bahi_req *req, bahi_tmpl_dict *d, const admin_sale *s, const admin_sale_row *r)
{
	bahi_tmpl_dict *row = bahi_tmpl_section(d, "ROW");
	bahi_tmpl_set_int(row, "i", r->index);
	bahi_tmpl_set(row, "product_id", r->product_id);
	bahi_tmpl_set(row, "name", r->found ? r->name : admin_t(req, N_("Unknown product")));
	bahi_tmpl_set(row, "sku", r->found ? r->sku : "");
	bahi_tmpl_set_int(row, "list_price_raw", (long long)r->list_price);
	bahi_tmpl_set(row, "qty", r->qty_s);
	bahi_tmpl_set(row, "disc", r->disc_s);
	if (r->available != NULL)
		bahi_tmpl_set(bahi_tmpl_section(row, "STOCK"), "available", r->available);
	if (s->can_price)
		bahi_tmpl_set(bahi_tmpl_section(row, "PRICE_EDIT"), "price",
		              r->price_s != NULL ? r->price_s : "");
	else
		bahi_tmpl_set(bahi_tmpl_section(row, "PRICE_FIXED"), "price",
		              admin_money(req, r->list_price));
	bahi_tmpl_set(row, "line_total", r->line_total >= 0 ? admin_money(req, r->line_total) : "—");
	return row;
}

/* The customer part: the chosen customer, or the phone and name fields,
 * and who the phone belongs to. */
static void
customer_fill(bahi_req *req, bahi_tmpl_dict *d, const admin_sale *s)
{
	if (*s->customer_id != '\0') {
		bahi_tmpl_dict *c = bahi_tmpl_section(d, "CUSTOMER_ID");
		bahi_tmpl_set(c, "customer_id", s->customer_id);
		bahi_tmpl_set(c, "customer_label", s->found_name);
		bahi_tmpl_set(c, "customer_phone", s->found_phone);
	} else {
		bahi_tmpl_dict *c = bahi_tmpl_section(d, "CUSTOMER_FIELDS");
		bahi_tmpl_set(c, "customer_phone", s->customer_phone);
		bahi_tmpl_set(c, "customer_name", s->customer_name);
	}
	bahi_tmpl_set_int(d, "credit_raw", (long long)s->credit_balance);
	if (s->has_customer) {
		bahi_tmpl_dict *f = bahi_tmpl_section(d, "FOUND");
		bahi_tmpl_set(f, "found_name", s->found_name);
		bahi_tmpl_set(f, "found_credit", admin_money(req, s->credit_balance));
	}
}

/* The figures, "—" for those that cannot be worked out yet. */
static void
totals_fill(bahi_req *req, bahi_tmpl_dict *d, const admin_sale *s)
{
	const char *none = "—";
	const bahi_totals *t = &s->totals;
	const bahi_settlement *st = &s->settle;
	bahi_tmpl_set(d, "t_subtotal", s->computed ? admin_money(req, t->subtotal) : none);
	bahi_tmpl_set(d, "t_discount", s->computed ? admin_money(req, t->discount) : none);
	bahi_tmpl_set(d, "t_tax", s->computed ? admin_money(req, t->tax) : none);
	bahi_tmpl_set(d, "t_fee", s->computed ? admin_money(req, t->fee) : none);
	bahi_tmpl_set(d, "t_total", s->computed ? admin_money(req, t->total) : none);
	int ok = s->computed && s->settled;
	bahi_tmpl_set(d, "t_credit", ok ? admin_money(req, st->credit_applied) : none);
	bahi_tmpl_set(d, "t_due", ok ? admin_money(req, st->amount_due) : none);
	bahi_tmpl_set(d, "t_paid", ok ? admin_money(req, st->paid) : none);
	bahi_tmpl_set(d, "t_balance", ok ? admin_money(req, st->balance_due) : none);
	bahi_tmpl_set(d, "t_change", ok ? admin_money(req, st->change_given) : none);
	if (ok && strcmp(s->mode, "cash") == 0 && st->outcome == BAHI_SALE_INCOMPLETE)
		bahi_tmpl_show(d, "SHORT");
}

/* Everything the form shows of s. */
static void
sale_fill(bahi_req *req, bahi_tmpl_dict *d, const admin_sale *s)
{
	admin_ctx *c = req->app;
	char idem[64];
	bahi_random_token(idem, sizeof(idem), 18);
	bahi_tmpl_set(d, "idem", idem);
	bahi_tmpl_set_int(d, "decimals", c->decimals);
	const char *sym = bahi_pdf_currency_symbol(c->currency);
	bahi_tmpl_set(d, "symbol", sym != NULL ? sym : "");
	bahi_tmpl_set(d, "grouping", bahi_grouping_names[c->grouping]);
	bahi_tmpl_set_int(d, "nlines", s->next_index);
	bahi_tmpl_show(d, s->can_price ? "CAN_PRICE" : "FIXED_PRICE");
	bahi_tmpl_dict **rows = bahi_pool_calloc(req->pool, (size_t)s->nrows + 1, sizeof(*rows));
	for (int k = 0; k < s->nrows; k++)
		rows[k] = row_fill(req, d, s, &s->rows[k]);
	if (s->nrows == 0)
		bahi_tmpl_show(d, "NOLINES");
	customer_fill(req, d, s);
	bahi_tmpl_set(d, "discount", s->discount_s);
	bahi_tmpl_show(d, strcmp(s->discount_kind, "amount") == 0 ? "DK_AMOUNT" : "DK_PERCENT");
	bahi_tmpl_set(d, "tax", s->tax_s != NULL ? s->tax_s : admin_sale_bp_text(req, s->tax_rate_bp));
	bahi_tmpl_set(d, "tax_default", admin_sale_bp_text(req, s->tax_rate_bp));
	bahi_tmpl_set(d, "fee", s->fee_s);
	bahi_tmpl_set(d, "paid_amount", s->paid_s);
	bahi_tmpl_show(d, strcmp(s->mode, "credit") == 0 ? "CREDIT" : "CASH");
	bahi_tmpl_set(d, "note", s->note);
	totals_fill(req, d, s);
	admin_sale_errors(req, d, admin_sale_failed(), rows, s->nrows);
}

/* The form: new (GET), after a button that changes it, or after a failed save. */
static int
sale_page(bahi_req *req)
{
	admin_sale s;
	bahi_tmpl_dict *d = admin_page(req, N_("New sale"), "sale", "sale.html.tpl");
	if (d == NULL)
		return -1;
	admin_sale_read(req, &s);
	if (admin_sale_failed() == NULL && apply_op(req, d, &s) != 0)
		return -1;
	if (admin_sale_resolve(req, &s) != 0)
		return -1;
	sale_fill(req, d, &s);
	return 0;
}

static int
sale_get(bahi_req *req)
{
	return sale_page(req) != 0 ? -1 : admin_render(req);
}

/* The body being saved, from sale_prepare's transaction to the API's. */
static cJSON *prepared;

/* Reads the posted sale and makes its body (field errors: -1). */
static int
sale_prepare(bahi_req *req)
{
	admin_sale s;
	if (admin_ctx_get(req) == NULL)
		return -1;
	admin_sale_read(req, &s);
	if (admin_sale_resolve(req, &s) != 0)
		return -1;
	prepared = admin_sale_body(req, &s);
	return prepared != NULL ? 0 : -1;
}

/* "Save sale": the invoice (or incomplete sale) through POST /api/v1/invoices. */
static int
sale_save(bahi_req *req)
{
	cJSON *out = NULL;
	prepared = NULL;
	int rc = admin_in_tx(req, "sales.write", sale_prepare);
	cJSON *body = prepared;
	prepared = NULL;
	if (rc != 0 ||
	    admin_apply(req, &invoicing_worker, "POST", "/api/v1/invoices", body, 0, &out) != 0) {
		cJSON_Delete(body);
		return admin_sale_reshow(req, "sales.write", sale_page);
	}
	cJSON_Delete(body);
	const char *where;
	if (strcmp(admin_json_str(out, "kind"), "incomplete_sale") == 0)
		where = "/admin/sales/incomplete?done=incomplete";
	else
		where = bahi_pool_printf(req->pool, "/admin/invoices/%s?done=sold",
		                         admin_url_encode(req, admin_json_str(out, "id")));
	cJSON_Delete(out);
	return admin_redirect(req, where);
}

/* Every button of the form posts here: "save" saves, the others show the
 * form again changed (nothing is written). */
static int
sale_post(bahi_req *req)
{
	if (admin_form_begin(req) != 0)
		return -1;
	const char *op = admin_form(req, "op");
	if (op != NULL && strcmp(op, "save") == 0)
		return sale_save(req);
	if (admin_in_tx(req, "sales.write", sale_page) != 0)
		return -1;
	return admin_render(req);
}

/* Answers body as JSON, never cached. */
static int
json_answer(bahi_req *req, cJSON *body)
{
	bahi_resp_header(req, "Cache-Control", "no-store");
	return bahi_resp_json(req, 200, body);
}

/* GET /admin/sales/products?q=: the sale page's script's product search
 * (the fields a line needs), with the session cookie like the pages. */
static int
products_json(bahi_req *req)
{
	const char *q = bahi_req_query(req, "q");
	cJSON *out = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(out, "items");
	if (q == NULL || *q == '\0' || strlen(q) > 200)
		return json_answer(req, out);
	cJSON *list = admin_ctx_get(req) != NULL ? search_products(req, q) : NULL;
	if (list == NULL) {
		cJSON_Delete(out);
		return -1;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		static const char *const keys[] = {"id", "name", "sku", "barcode", "unit", NULL};
		cJSON *o = cJSON_CreateObject();
		for (const char *const *k = keys; *k != NULL; k++)
			cJSON_AddStringToObject(o, *k, admin_json_str(it, *k));
		cJSON_AddNumberToObject(o, "price", (double)admin_json_int(it, "price"));
		cJSON_AddStringToObject(o, "price_text", admin_amount(req, admin_json_int(it, "price")));
		cJSON_AddStringToObject(o, "price_money", admin_money(req, admin_json_int(it, "price")));
		cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "available_qty");
		cJSON_AddItemToObject(o, "available_qty", a != NULL ? cJSON_Duplicate(a, 1) : cJSON_CreateNull());
		cJSON_AddItemToArray(items, o);
	}
	cJSON_Delete(list);
	return json_answer(req, out);
}

/* GET /admin/sales/customers?q=: customers whose name or phone matches,
 * with their credit balance (what a sale to them takes first). */
static int
customers_json(bahi_req *req)
{
	const char *q = bahi_req_query(req, "q");
	cJSON *out = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(out, "items");
	if (q == NULL || *q == '\0' || strlen(q) > 100)
		return json_answer(req, out);
	bahi_page pg;
	cJSON *list;
	memset(&pg, 0, sizeof(pg));
	pg.limit = SEARCH_ROWS;
	if (admin_ctx_get(req) == NULL || bahi_customer_list(req, &pg, q, &list) != 0) {
		cJSON_Delete(out);
		return -1;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", admin_json_str(it, "id"));
		cJSON_AddStringToObject(o, "name", admin_json_str(it, "name"));
		cJSON_AddStringToObject(o, "phone", admin_json_str(it, "phone"));
		cJSON_AddNumberToObject(o, "credit_balance", (double)admin_json_int(it, "credit_balance"));
		cJSON_AddStringToObject(o, "credit_text",
		                        admin_money(req, admin_json_int(it, "credit_balance")));
		cJSON_AddItemToArray(items, o);
	}
	cJSON_Delete(list);
	return json_answer(req, out);
}

static const bahi_route routes[] = {
	{"GET", "/admin/sales/new", sale_get, ADMIN_PAGE, "sales.write"},
	{"POST", "/admin/sales", sale_post, ADMIN_FORM, "sales.write"},
	{"GET", "/admin/sales/products", products_json, ADMIN_PAGE, "sales.write"},
	{"GET", "/admin/sales/customers", customers_json, ADMIN_PAGE, "customers.read"},
	{"GET", "/admin/sales/incomplete", admin_incomplete_get, ADMIN_PAGE, "sales.read"},
	{"POST", "/admin/sales/incomplete/{id}/complete", admin_incomplete_complete, ADMIN_FORM,
	 "sales.write"},
	{"POST", "/admin/sales/incomplete/{id}/delete", admin_incomplete_delete, ADMIN_FORM,
	 "sales.write"},
};
ADMIN_ROUTES(admin_sales_routes, routes);
