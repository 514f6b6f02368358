/* admin_customer_card: one customer's card (details, debt, history, open debts, payments) with its edit, payment and delete forms. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_customers.h"
#include "bahi_customer.h"
#include "bahi_cursor.h"
#include "bahi_debts.h"
#include "bahi_payment.h"
#include "bahi_perm.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "invoicing.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))
#define NO_CUSTOMER "There is no such customer."
/* Rows of the card's history page, of its open debts and of its recent payments. */
#define HISTORY_ROWS 50
#define DEBT_ROWS 50
#define PAYMENT_ROWS 10

/* An empty phone or address clears it; an empty name is refused by the
 * API's rule (1..200 characters); an empty opening balance is left alone. */
static const admin_field edit_fields[] = {
	{"name", ADMIN_F_STRING, ADMIN_F_KEEP_EMPTY},
	{"phone", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"address", ADMIN_F_STRING, ADMIN_F_EMPTY_NULL},
	{"opening_balance", ADMIN_F_MONEY, 0},
};

/* An empty invoice means the oldest open invoices first (decisions.md "Payments"). */
static const admin_field pay_fields[] = {
	{"amount", ADMIN_F_MONEY, 0},
	{"method", ADMIN_F_STRING, 0},
	{"invoice_id", ADMIN_F_STRING, 0},
	{"note", ADMIN_F_STRING, 0},
};

static const struct {
	const char *value, *label;
} methods[] = {
	{"cash", N_("Cash")},
	{"bank", N_("Bank")},
};

/* Which of the card's forms was posted (the card is shown again for it). */
enum card_form { FORM_NONE, FORM_EDIT, FORM_PAY, FORM_DELETE };

static enum card_form
posted_form(bahi_req *req)
{
	if (strcmp(req->method, "POST") != 0)
		return FORM_NONE;
	size_t n = strlen(req->path);
	if (n > 9 && strcmp(req->path + n - 9, "/payments") == 0)
		return FORM_PAY;
	if (n > 7 && strcmp(req->path + n - 7, "/delete") == 0)
		return FORM_DELETE;
	return FORM_EDIT;
}

static const char *
method_label(bahi_req *req, const char *method)
{
	for (size_t i = 0; i < NF(methods); i++)
		if (strcmp(method, methods[i].value) == 0)
			return admin_t(req, methods[i].label);
	return method;
}

/* The customer's details, balances and the totals of the history. */
static void
details_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *c, const cJSON *totals)
{
	static const char *const keys[] = {"id", "name", "phone", "address", NULL};
	admin_set_strs(d, c, keys);
	int64_t debt = admin_json_int(c, "open_debt");
	admin_set_money(req, d, "open_debt", debt);
	if (debt > 0)
		bahi_tmpl_show(d, "OWES");
	admin_set_money(req, d, "credit_balance", admin_json_int(c, "credit_balance"));
	admin_set_money(req, d, "opening_balance", admin_json_int(c, "opening_balance"));
	bahi_tmpl_set(d, "opening_amount", admin_amount(req, admin_json_int(c, "opening_balance")));
	bahi_tmpl_set_int(d, "version", admin_json_int(c, "version"));
	admin_set_money(req, d, "invoiced", admin_json_int(totals, "invoiced"));
	admin_set_money(req, d, "paid", admin_json_int(totals, "paid"));
	admin_set_money(req, d, "average_basket", admin_json_int(totals, "average_basket"));
	bahi_tmpl_set_int(d, "invoice_count", admin_json_int(totals, "invoice_count"));
	bahi_tmpl_set_int(d, "payment_count", admin_json_int(totals, "payment_count"));
	const char *last = admin_json_str(totals, "last_visit");
	if (*last != '\0')
		bahi_tmpl_set(bahi_tmpl_section(d, "LAST_VISIT"), "last_visit", admin_time(req, last));
	/* the page's heading is the customer's name */
	admin_ctx *ctx = req->app;
	bahi_tmpl_set(ctx->layout, "title", admin_json_str(c, "name"));
}

/* The history page: invoices and payments, newest first. */
static void
history_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *items, int first_page)
{
	if (cJSON_GetArraySize(items) == 0 && first_page) {
		bahi_tmpl_show(d, "HISTORY_EMPTY");
		return;
	}
	bahi_tmpl_dict *table = bahi_tmpl_section(d, "HISTORY");
	const cJSON *it;
	cJSON_ArrayForEach(it, items) {
		bahi_tmpl_dict *r = bahi_tmpl_section(table, "HISTORY_ROW");
		bahi_tmpl_set(r, "at", admin_time(req, admin_json_str(it, "at")));
		if (strcmp(admin_json_str(it, "type"), "invoice") == 0) {
			bahi_tmpl_dict *s = bahi_tmpl_section(r, "INVOICE");
			const char *status = admin_json_str(it, "status");
			bahi_tmpl_set(s, "id", admin_json_str(it, "id"));
			bahi_tmpl_set_int(s, "number", admin_json_int(it, "number"));
			admin_set_money(req, s, "total", admin_json_int(it, "total"));
			admin_set_money(req, s, "paid", admin_json_int(it, "paid"));
			admin_set_money(req, s, "balance_due", admin_json_int(it, "balance_due"));
			bahi_tmpl_set(s, "status", status);
			bahi_tmpl_set(s, "status_label", admin_invoice_status(req, status));
		} else {
			bahi_tmpl_dict *s = bahi_tmpl_section(r, "PAYMENT");
			admin_set_money(req, s, "amount", admin_json_int(it, "amount"));
			bahi_tmpl_set(s, "method", method_label(req, admin_json_str(it, "method")));
		}
	}
}

/* The open debts (most urgent first), and the payment form's invoice choices. */
static int
debts_fill(bahi_req *req, bahi_tmpl_dict *d, bahi_tmpl_dict *pay, const char *id)
{
	bahi_page pg = {.limit = DEBT_ROWS};
	bahi_debts_filter f = {.customer_id = id};
	cJSON *list;
	if (bahi_debts_list(req, &pg, &f, &list) != 0)
		return -1;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items"), *it;
	const char *chosen = posted_form(req) == FORM_PAY ? bahi_req_form(req, "invoice_id") : NULL;
	bahi_tmpl_dict *table = cJSON_GetArraySize(items) > 0 ? bahi_tmpl_section(d, "DEBTS") : NULL;
	if (table == NULL)
		bahi_tmpl_show(d, "DEBTS_EMPTY");
	bahi_tmpl_dict *choice = pay != NULL && table != NULL ? bahi_tmpl_section(pay, "INVOICE_CHOICE")
	                                                      : NULL;
	cJSON_ArrayForEach(it, items) {
		admin_debt_fill(req, bahi_tmpl_section(table, "DEBT_ROW"), it);
		if (choice == NULL)
			continue;
		bahi_tmpl_dict *o = bahi_tmpl_section(choice, "INVOICE_OPTION");
		const char *inv = admin_json_str(it, "invoice_id");
		bahi_tmpl_set(o, "invoice_id", inv);
		bahi_tmpl_set_int(o, "number", admin_json_int(it, "number"));
		admin_set_money(req, o, "balance_due", admin_json_int(it, "balance_due"));
		if (chosen != NULL && strcmp(chosen, inv) == 0)
			bahi_tmpl_show(o, "SELECTED");
	}
	if (table != NULL && *admin_json_str(list, "next_cursor") != '\0')
		bahi_tmpl_show(table, "MORE_DEBTS");
	cJSON_Delete(list);
	return 0;
}

/* What one payment was applied to: invoices, the opening balance, credit. */
static void
payment_row(bahi_req *req, bahi_tmpl_dict *r, const cJSON *p)
{
	bahi_tmpl_set(r, "received_on", admin_json_str(p, "received_on"));
	admin_set_money(req, r, "amount", admin_json_int(p, "amount"));
	bahi_tmpl_set(r, "method", method_label(req, admin_json_str(p, "method")));
	bahi_tmpl_set(r, "note", admin_json_str(p, "note"));
	const cJSON *a;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(p, "allocations")) {
		bahi_tmpl_dict *s = bahi_tmpl_section(r, "ALLOCATION");
		bahi_tmpl_set(s, "invoice_id", admin_json_str(a, "invoice_id"));
		bahi_tmpl_set_int(s, "number", admin_json_int(a, "number"));
		admin_set_money(req, s, "amount", admin_json_int(a, "amount"));
	}
	int64_t reduced = admin_json_int(p, "opening_balance_reduced");
	int64_t credit = admin_json_int(p, "credit_added");
	if (reduced > 0)
		admin_set_money(req, bahi_tmpl_section(r, "REDUCED"), "amount", reduced);
	if (credit > 0)
		admin_set_money(req, bahi_tmpl_section(r, "CREDIT"), "amount", credit);
}

/* The newest payments of the customer. */
static int
payments_fill(bahi_req *req, bahi_tmpl_dict *d, const char *id)
{
	bahi_page pg = {.limit = PAYMENT_ROWS};
	cJSON *list;
	if (bahi_payment_list(req, &pg, id, &list) != 0)
		return -1;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items"), *p;
	bahi_tmpl_dict *table = cJSON_GetArraySize(items) > 0 ? bahi_tmpl_section(d, "PAYMENTS") : NULL;
	cJSON_ArrayForEach(p, items)
		payment_row(req, bahi_tmpl_section(table, "PAYMENT_ROW"), p);
	cJSON_Delete(list);
	return 0;
}

/* The payment form: amount, method, invoice (choices filled by debts_fill)
 * and note; the typed values and errors when it is shown again. */
static void
pay_form_fill(bahi_req *req, bahi_tmpl_dict *pay)
{
	int again = posted_form(req) == FORM_PAY;
	const char *m = again ? bahi_req_form(req, "method") : NULL;
	for (size_t i = 0; i < NF(methods); i++) {
		bahi_tmpl_dict *o = bahi_tmpl_section(pay, "METHOD_OPTION");
		bahi_tmpl_set(o, "value", methods[i].value);
		bahi_tmpl_set(o, "label", admin_t(req, methods[i].label));
		if (m != NULL && strcmp(m, methods[i].value) == 0)
			bahi_tmpl_show(o, "SELECTED");
	}
	char idem[32];
	bahi_random_token(idem, sizeof(idem), 16);
	bahi_tmpl_set(pay, "idem", idem);
	if (again) {
		admin_form_refill(req, pay, pay_fields, NF(pay_fields));
		admin_form_errors(req, pay);
	}
}

/* The forms the caller's role may use, each shown again when it was posted. */
static bahi_tmpl_dict *
forms_fill(bahi_req *req, bahi_tmpl_dict *d)
{
	admin_ctx *ctx = req->app;
	enum card_form posted = posted_form(req);
	bahi_tmpl_dict *pay = NULL;
	if (bahi_perm_allows(ctx->role, "payments.write")) {
		pay = bahi_tmpl_section(d, "PAY_FORM");
		pay_form_fill(req, pay);
	}
	if (bahi_perm_allows(ctx->role, "customers.write")) {
		bahi_tmpl_dict *edit = bahi_tmpl_section(d, "EDIT_FORM");
		if (posted == FORM_EDIT) {
			admin_form_refill(req, edit, edit_fields, NF(edit_fields));
			/* the typed amount, not the stored one */
			bahi_tmpl_set(edit, "opening_amount", bahi_req_form(req, "opening_balance") ?
			              bahi_req_form(req, "opening_balance") : "");
			admin_form_errors(req, edit);
		}
	}
	if (bahi_perm_allows(ctx->role, "customers.delete")) {
		bahi_tmpl_dict *del = bahi_tmpl_section(d, "DELETE_FORM");
		if (posted == FORM_DELETE)
			admin_form_errors(req, del);
	}
	return pay;
}

/* The card: run for GET and again, in a transaction of its own, for a form that failed. */
static int
card_page(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", NO_CUSTOMER);
	bahi_page pg;
	cJSON *h;
	bahi_tmpl_dict *d = admin_page(req, N_("Customer"), "customers", "customer.html.tpl");
	if (d == NULL || id == NULL || admin_list_page(req, HISTORY_ROWS, &pg) != 0 ||
	    bahi_customer_history(req, id, &pg, &h) != 0)
		return -1;
	details_fill(req, d, cJSON_GetObjectItemCaseSensitive(h, "customer"),
	             cJSON_GetObjectItemCaseSensitive(h, "totals"));
	history_fill(req, d, cJSON_GetObjectItemCaseSensitive(h, "items"), !pg.has_after);
	admin_pager(req, d, h, bahi_pool_printf(req->pool, "/admin/customers/%s", id));
	cJSON_Delete(h);
	bahi_tmpl_dict *pay = forms_fill(req, d);
	if (debts_fill(req, d, pay, id) != 0 || payments_fill(req, d, id) != 0)
		return -1;
	return 0;
}

int
admin_customer_card_get(bahi_req *req)
{
	return card_page(req) != 0 ? -1 : admin_render(req);
}

/* The version the form was read at (a stale form gets 412, never overwrites). */
static long
form_version(bahi_req *req)
{
	const char *v = admin_form(req, "version");
	long n = v != NULL ? strtol(v, NULL, 10) : 0;
	return n > 0 ? n : 0;
}

int
admin_customer_update(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", NO_CUSTOMER);
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, edit_fields, NF(edit_fields));
	const char *path = bahi_pool_printf(req->pool, "/api/v1/customers/%s", id);
	if (body == NULL ||
	    admin_apply(req, &invoicing_worker, "PATCH", path, body, form_version(req), NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "customers.read", card_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/customers/%s?done=saved", id));
}

/* Records a payment through POST /api/v1/payments for the card's customer. */
int
admin_customer_pay(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", NO_CUSTOMER);
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, pay_fields, NF(pay_fields));
	if (body != NULL)
		cJSON_AddStringToObject(body, "customer_id", id);
	if (body == NULL ||
	    admin_apply(req, &invoicing_worker, "POST", "/api/v1/payments", body, 0, NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "customers.read", card_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/customers/%s?done=paid", id));
}

int
admin_customer_delete(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", NO_CUSTOMER);
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	const char *path = bahi_pool_printf(req->pool, "/api/v1/customers/%s", id);
	if (admin_apply(req, &invoicing_worker, "DELETE", path, NULL, form_version(req), NULL) != 0)
		return admin_reshow(req, "customers.read", card_page);
	return admin_redirect(req, "/admin/customers?done=deleted");
}
