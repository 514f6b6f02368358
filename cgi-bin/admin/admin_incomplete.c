/* admin_incomplete: the incomplete sales page (cash sales paid short): complete one as an invoice, or discard it. */
#include <string.h>

#include "admin.h"
#include "admin_sales.h"
#include "bahi_customer.h"
#include "bahi_cursor.h"
#include "bahi_invoice.h"
#include "bahi_req.h"
#include "invoicing.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const admin_field complete_fields[] = {
	{"payment_mode", ADMIN_F_STRING, 0},
	{"paid_amount", ADMIN_F_MONEY, 0},
};

/* bahi_customer_get_many's answer: each customer's name into the page's rows. */
static void
put_customer(void *ctx, const char *id, char *json)
{
	cJSON *names = ctx, *c = cJSON_Parse(json);
	if (c != NULL)
		cJSON_AddStringToObject(names, id, admin_json_str(c, "name"));
	cJSON_Delete(c);
}

/* The names of the customers of the page's sales, by id. */
static cJSON *
customer_names(bahi_req *req, const cJSON *items)
{
	cJSON *names = cJSON_CreateObject();
	const char **ids = bahi_pool_calloc(req->pool, (size_t)cJSON_GetArraySize(items) + 1,
	                                    sizeof(char *));
	int n = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
		if (*admin_json_str(it, "customer_id") != '\0')
			ids[n++] = admin_json_str(it, "customer_id");
	if (n > 0 && bahi_customer_get_many(req, ids, n, put_customer, names) != 0) {
		cJSON_Delete(names);
		return NULL;
	}
	return names;
}

/* Who a sale is for: the customer's name, the phone an inline customer was
 * given, or a walk-in. */
static const char *
who(bahi_req *req, const cJSON *sale, const cJSON *names)
{
	const char *id = admin_json_str(sale, "customer_id");
	const cJSON *inline_c = cJSON_GetObjectItemCaseSensitive(sale, "customer");
	if (*id != '\0')
		return admin_json_str(names, id);
	if (cJSON_IsObject(inline_c)) {
		const char *name = admin_json_str(inline_c, "name");
		return *name != '\0' ? bahi_pool_printf(req->pool, "%s (%s)", name,
		                                        admin_json_str(inline_c, "phone")) :
		                       admin_json_str(inline_c, "phone");
	}
	return admin_t(req, N_("Walk-in customer"));
}

/* "2 × Cable, 1 × Switch" for the sale's lines. */
static const char *
items_text(bahi_req *req, const cJSON *sale)
{
	bahi_buf b;
	bahi_buf_init(&b, 2048);
	const cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(sale, "lines")) {
		const cJSON *q = cJSON_GetObjectItemCaseSensitive(l, "qty");
		char *qty = q != NULL ? cJSON_PrintUnformatted(q) : NULL;
		bahi_buf_printf(&b, "%s%s × %s", b.len > 0 ? ", " : "", qty ? qty : "?",
		                admin_json_str(l, "name"));
		cJSON_free(qty);
	}
	const char *s = bahi_pool_strndup(req->pool, b.data ? b.data : "", b.len);
	bahi_buf_free(&b);
	return s;
}

/* One sale's row, with its complete and delete forms; the form that failed
 * shows what was typed. */
static void
row_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *sale, const cJSON *names,
         const char *failed_id)
{
	bahi_tmpl_dict *row = bahi_tmpl_section(d, "ROW");
	const char *id = admin_json_str(sale, "id");
	bahi_tmpl_set(row, "id", id);
	bahi_tmpl_set(row, "created", admin_time(req, admin_json_str(sale, "created_at")));
	bahi_tmpl_set(row, "customer", who(req, sale, names));
	bahi_tmpl_set(row, "items", items_text(req, sale));
	bahi_tmpl_set(row, "total", admin_money(req, admin_json_int(sale, "total")));
	bahi_tmpl_set(row, "paid", admin_money(req, admin_json_int(sale, "paid_amount")));
	bahi_tmpl_set(row, "short", admin_money(req, admin_json_int(sale, "balance_due")));
	const char *paid = admin_amount(req, admin_json_int(sale, "total"));
	int credit = 0;
	if (failed_id != NULL && strcmp(failed_id, id) == 0) {
		const char *typed = admin_form(req, "paid_amount"), *mode = admin_form(req, "payment_mode");
		paid = typed != NULL ? typed : "";
		credit = mode != NULL && strcmp(mode, "credit") == 0;
	}
	bahi_tmpl_set(row, "paid_amount", paid);
	bahi_tmpl_show(row, credit ? "CREDIT" : "CASH");
}

static int
incomplete_page(bahi_req *req)
{
	bahi_page pg;
	cJSON *list, *names;
	bahi_tmpl_dict *d = admin_page(req, N_("Incomplete sales"), "invoices", "incomplete.html.tpl");
	if (d == NULL || admin_list_page(req, 50, &pg) != 0 ||
	    bahi_sale_incomplete_list(req, &pg, &list) != 0)
		return -1;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	if ((names = customer_names(req, items)) == NULL) {
		cJSON_Delete(list);
		return -1;
	}
	/* after a failed complete form, the sale it was for */
	const char *failed_id = admin_sale_failed() != NULL ? bahi_req_capture(req, "id") : NULL;
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
		row_fill(req, d, it, names, failed_id);
	if (cJSON_GetArraySize(items) == 0 && !pg.has_after)
		bahi_tmpl_show(d, "EMPTY");
	admin_pager(req, d, list, "/admin/sales/incomplete");
	cJSON_Delete(names);
	cJSON_Delete(list);
	admin_sale_errors(req, d, admin_sale_failed(), NULL, 0);
	return 0;
}

int
admin_incomplete_get(bahi_req *req)
{
	return incomplete_page(req) != 0 ? -1 : admin_render(req);
}

int
admin_incomplete_complete(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such incomplete sale.");
	cJSON *out = NULL;
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, complete_fields, NF(complete_fields));
	const char *path = bahi_pool_printf(req->pool, "/api/v1/sales/incomplete/%s/complete", id);
	if (body == NULL || admin_apply(req, &invoicing_worker, "POST", path, body, 0, &out) != 0) {
		cJSON_Delete(body);
		return admin_sale_reshow(req, "sales.read", incomplete_page);
	}
	cJSON_Delete(body);
	const char *where = bahi_pool_printf(req->pool, "/admin/invoices/%s?done=sold",
	                                     admin_url_encode(req, admin_json_str(out, "id")));
	cJSON_Delete(out);
	return admin_redirect(req, where);
}

int
admin_incomplete_delete(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such incomplete sale.");
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	const char *path = bahi_pool_printf(req->pool, "/api/v1/sales/incomplete/%s", id);
	if (admin_apply(req, &invoicing_worker, "DELETE", path, NULL, 0, NULL) != 0)
		return admin_sale_reshow(req, "sales.read", incomplete_page);
	return admin_redirect(req, "/admin/sales/incomplete?done=deleted");
}
