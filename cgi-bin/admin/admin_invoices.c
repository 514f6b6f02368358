/* admin_invoices: the invoices list (filters by date range, customer and status; 50 a page) and the routes of the invoice pages. */
#include <string.h>

#include "admin.h"
#include "admin_customers.h"
#include "admin_sales.h"
#include "bahi_customer.h"
#include "bahi_cursor.h"
#include "bahi_invoice.h"
#include "bahi_req.h"
#include "bahi_valid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const statuses[] = {"unpaid", "partially_paid", "paid", "void", NULL};

/* The list's query: the API's filters, a customer typed by name or phone,
 * and the page's own parameters. */
static const bahi_field filter_fields[] = {
	{"status", BAHI_V_ENUM, 0, 0, 0, statuses, NULL, 0},
	{"from", BAHI_V_DATE, 0, 0, 0, NULL, NULL, 0},
	{"to", BAHI_V_DATE, 0, 0, 0, NULL, NULL, 0},
	{"customer", BAHI_V_STRING, 0, 1, 100, NULL, NULL, 0},
	{"customer_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"cursor", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0},
	{"done", BAHI_V_STRING, 0, 1, 40, NULL, NULL, 0},
};

/* The filter form as the visitor typed it. */
static void
filters_fill(bahi_req *req, bahi_tmpl_dict *d)
{
	static const char *const keys[] = {"from", "to", "customer"};
	for (size_t i = 0; i < NF(keys); i++) {
		const char *v = bahi_req_query(req, keys[i]);
		bahi_tmpl_set(d, keys[i], v != NULL ? v : "");
	}
	const char *status = bahi_req_query(req, "status");
	for (int i = 0; statuses[i] != NULL; i++) {
		bahi_tmpl_dict *o = bahi_tmpl_section(d, "STATUS_OPTION");
		bahi_tmpl_set(o, "value", statuses[i]);
		bahi_tmpl_set(o, "label", admin_invoice_status(req, statuses[i]));
		if (status != NULL && strcmp(status, statuses[i]) == 0)
			bahi_tmpl_show(o, "SELECTED");
	}
}

/* The filters' query string without the customer ("&status=paid&from=..."). */
static const char *
other_filters(bahi_req *req)
{
	static const char *const keys[] = {"status", "from", "to"};
	const char *q = "";
	for (size_t i = 0; i < NF(keys); i++) {
		const char *v = bahi_req_query(req, keys[i]);
		if (v != NULL && *v != '\0')
			q = bahi_pool_printf(req->pool, "%s&%s=%s", q, keys[i], admin_url_encode(req, v));
	}
	return q;
}

/* A customer typed by name or phone: the one it matches into *id; none or
 * several are said on the page (*id stays NULL and no list is shown). */
static int
find_customer(bahi_req *req, bahi_tmpl_dict *d, const char *typed, const char **id)
{
	bahi_page pg;
	cJSON *list;
	memset(&pg, 0, sizeof(pg));
	pg.limit = 10;
	if (bahi_customer_list(req, &pg, typed, &list) != 0)
		return -1;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	int n = cJSON_GetArraySize(items);
	if (n == 1) {
		*id = bahi_pool_strdup(req->pool, admin_json_str(cJSON_GetArrayItem(items, 0), "id"));
	} else if (n == 0) {
		bahi_tmpl_show(d, "NOCUSTOMER");
	} else {
		bahi_tmpl_show(d, "CHOOSE");
		const cJSON *it;
		cJSON_ArrayForEach(it, items) {
			bahi_tmpl_dict *c = bahi_tmpl_section(d, "CHOICE");
			bahi_tmpl_set(c, "name", admin_json_str(it, "name"));
			bahi_tmpl_set(c, "phone", admin_json_str(it, "phone"));
			bahi_tmpl_set(c, "href", bahi_pool_printf(req->pool, "/admin/invoices?customer_id=%s%s",
			              admin_json_str(it, "id"), other_filters(req)));
		}
	}
	cJSON_Delete(list);
	return 0;
}

/* One invoice of the list. */
static void
row_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv)
{
	bahi_tmpl_dict *row = bahi_tmpl_section(d, "ROW");
	static const char *const keys[] = {"id", "status", "due_date", NULL};
	admin_set_strs(row, inv, keys);
	bahi_tmpl_set_int(row, "number", admin_json_int(inv, "number"));
	bahi_tmpl_set(row, "issued", admin_time(req, admin_json_str(inv, "issued_at")));
	const char *name = admin_json_str(inv, "customer_name");
	bahi_tmpl_set(row, "customer", *name != '\0' ? name : admin_t(req, N_("Walk-in customer")));
	bahi_tmpl_set(row, "total", admin_money(req, admin_json_int(inv, "total")));
	bahi_tmpl_set(row, "balance_due", admin_money(req, admin_json_int(inv, "balance_due")));
	bahi_tmpl_set(row, "status_label", admin_invoice_status(req, admin_json_str(inv, "status")));
}

/* The list after the filters were read: v holds filter_fields' values. */
static int
list_fill(bahi_req *req, bahi_tmpl_dict *d, const bahi_value *v)
{
	bahi_invoice_filter f = {.status = v[0].s, .from = v[1].s, .to = v[2].s, .customer_id = v[4].s};
	bahi_page pg;
	cJSON *list;
	if (f.customer_id == NULL && v[3].present) {
		if (find_customer(req, d, v[3].s, &f.customer_id) != 0)
			return -1;
		if (f.customer_id == NULL)
			return 0;
	}
	if (admin_list_page(req, 50, &pg) != 0 || bahi_invoice_list(req, &pg, &f, &list) != 0)
		return -1;
	const cJSON *it, *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	if (cJSON_GetArraySize(items) > 0) {
		bahi_tmpl_dict *rows = bahi_tmpl_section(d, "LIST");
		cJSON_ArrayForEach(it, items)
			row_fill(req, rows, it);
	} else if (!pg.has_after)
		bahi_tmpl_show(d, f.status || f.from || f.to || f.customer_id ? "NOMATCH" : "EMPTY");
	admin_pager(req, d, list, "/admin/invoices");
	cJSON_Delete(list);
	return 0;
}

static int
invoices_get(bahi_req *req)
{
	bahi_value v[NF(filter_fields)];
	bahi_tmpl_dict *d = admin_page(req, N_("Invoices"), "invoices", "invoices.html.tpl");
	if (d == NULL)
		return -1;
	filters_fill(req, d);
	if (bahi_valid_query(req, filter_fields, NF(filter_fields), v) != 0) {
		/* bad filters: said above the form, nothing listed */
		bahi_problem bad = req->problem;
		memset(&req->problem, 0, sizeof(req->problem));
		admin_sale_errors(req, d, &bad, NULL, 0);
		return admin_render_status(req, 422);
	}
	if (list_fill(req, d, v) != 0)
		return -1;
	return admin_render(req);
}

static const bahi_route routes[] = {
	{"GET", "/admin/invoices", invoices_get, ADMIN_PAGE, "sales.read"},
	{"GET", "/admin/invoices/{id}", admin_invoice_get, ADMIN_PAGE, "sales.read"},
	{"GET", "/admin/invoices/{id}/pdf", admin_invoice_pdf, ADMIN_PAGE, "sales.read"},
	{"POST", "/admin/invoices/{id}/void", admin_invoice_void, ADMIN_FORM, "sales.void"},
	{"POST", "/admin/invoices/{id}/credit-notes", admin_invoice_return, ADMIN_FORM, "sales.void"},
	{"POST", "/admin/invoices/{id}/payments", admin_invoice_pay, ADMIN_FORM, "payments.write"},
};
ADMIN_ROUTES(admin_invoices_routes, routes);
