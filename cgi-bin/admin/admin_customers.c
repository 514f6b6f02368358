/* admin_customers: the customers page (search, open debt, add a customer) and the routes of the customer and debts pages. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_customers.h"
#include "bahi_customer.h"
#include "bahi_cursor.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_uuid.h"
#include "bahi_valid.h"
#include "invoicing.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))
/* The longest search the API takes (GET /customers?q=). */
#define Q_MAX 100

static const admin_field create_fields[] = {
	{"name", ADMIN_F_STRING, 0},
	{"phone", ADMIN_F_STRING, 0},
	{"address", ADMIN_F_STRING, 0},
	{"opening_balance", ADMIN_F_MONEY, 0},
};

/* The ?q= search, trimmed and cut to Q_MAX bytes (at a character's
 * start), or NULL for none; text that is not UTF-8 searches for nothing. */
static const char *
search_text(bahi_req *req)
{
	const char *q = bahi_req_query(req, "q");
	while (q != NULL && (*q == ' ' || *q == '\t'))
		q++;
	if (q == NULL || *q == '\0' || !bahi_valid_utf8(q, 0, NULL))
		return NULL;
	size_t n = strlen(q);
	if (n > Q_MAX)
		for (n = Q_MAX; n > 0 && ((unsigned char)q[n] & 0xC0) == 0x80; n--)
			;
	while (n > 0 && (q[n - 1] == ' ' || q[n - 1] == '\t'))
		n--;
	return bahi_pool_strndup(req->pool, q, n);
}

/* One row of the list. */
static void
row_fill(bahi_req *req, bahi_tmpl_dict *row, const cJSON *c)
{
	static const char *const keys[] = {"id", "name", "phone", NULL};
	admin_set_strs(row, c, keys);
	int64_t debt = admin_json_int(c, "open_debt");
	admin_set_money(req, row, "open_debt", debt);
	admin_set_money(req, row, "credit_balance", admin_json_int(c, "credit_balance"));
	if (debt > 0)
		bahi_tmpl_show(row, "OWES");
}

/* The list (searched) with the add form (and its errors when shown again). */
static int
customers_page(bahi_req *req)
{
	bahi_page pg;
	cJSON *list;
	const char *q = search_text(req);
	bahi_tmpl_dict *d = admin_page(req, N_("Customers"), "customers", "customers.html.tpl");
	if (d == NULL || admin_list_page(req, 50, &pg) != 0 ||
	    bahi_customer_list(req, &pg, q, &list) != 0)
		return -1;
	bahi_tmpl_set(d, "q", q != NULL ? q : "");
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items"), *it;
	if (cJSON_GetArraySize(items) == 0 && !pg.has_after) {
		if (q != NULL)
			bahi_tmpl_show(d, "EMPTY_SEARCH");
		else
			bahi_tmpl_show(d, "EMPTY");
	} else {
		bahi_tmpl_dict *table = bahi_tmpl_section(d, "TABLE");
		cJSON_ArrayForEach(it, items)
			row_fill(req, bahi_tmpl_section(table, "ROW"), it);
	}
	admin_pager(req, d, list, "/admin/customers");
	cJSON_Delete(list);
	char idem[32];
	bahi_random_token(idem, sizeof(idem), 16);
	bahi_tmpl_set(d, "idem", idem);
	admin_form_refill(req, d, create_fields, NF(create_fields));
	admin_form_errors(req, d);
	return 0;
}

static int
customers_get(bahi_req *req)
{
	return customers_page(req) != 0 ? -1 : admin_render(req);
}

/* Adds a customer through POST /api/v1/customers and opens its card. */
static int
customers_create(bahi_req *req)
{
	if (admin_form_begin(req) != 0)
		return -1;
	cJSON *out = NULL;
	cJSON *body = admin_form_json(req, create_fields, NF(create_fields));
	if (body == NULL ||
	    admin_apply(req, &invoicing_worker, "POST", "/api/v1/customers", body, 0, &out) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "customers.read", customers_page);
	}
	cJSON_Delete(body);
	char id[BAHI_UUID_LEN + 1];
	int ok = bahi_uuid_normalise(admin_json_str(out, "id"), id) == 0;
	cJSON_Delete(out);
	if (!ok)
		return admin_redirect(req, "/admin/customers?done=created");
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/customers/%s?done=created", id));
}

static const bahi_route routes[] = {
	{"GET", "/admin/customers", customers_get, ADMIN_PAGE, "customers.read"},
	{"POST", "/admin/customers", customers_create, ADMIN_FORM, "customers.write"},
	{"GET", "/admin/customers/{id}", admin_customer_card_get, ADMIN_PAGE, "customers.read"},
	{"POST", "/admin/customers/{id}", admin_customer_update, ADMIN_FORM, "customers.write"},
	{"POST", "/admin/customers/{id}/payments", admin_customer_pay, ADMIN_FORM, "payments.write"},
	{"POST", "/admin/customers/{id}/delete", admin_customer_delete, ADMIN_FORM,
	 "customers.delete"},
	{"GET", "/admin/debts", admin_debts_get, ADMIN_PAGE, "sales.read"},
};
ADMIN_ROUTES(admin_customers_routes, routes);
