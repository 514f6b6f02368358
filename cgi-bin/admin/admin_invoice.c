/* admin_invoice: one invoice's page (lines, totals, customer, status and a void's reason, payments, credit notes, PDF and WhatsApp links) and its void, return and payment forms. */
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "admin_customers.h"
#include "admin_sales.h"
#include "bahi_correction.h"
#include "bahi_cursor.h"
#include "bahi_invoice.h"
#include "bahi_invoice_pdf.h"
#include "bahi_num.h"
#include "bahi_payment.h"
#include "bahi_pdf.h"
#include "bahi_perm.h"
#include "bahi_req.h"
#include "invoicing.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))
#define MISSING "There is no such invoice."

/* A word of the page for a value of the API (cash, credit, bank). */
static const char *
method_label(bahi_req *req, const char *v)
{
	if (strcmp(v, "cash") == 0)
		return admin_t(req, N_("Cash"));
	if (strcmp(v, "credit") == 0)
		return admin_t(req, N_("Credit"));
	if (strcmp(v, "bank") == 0)
		return admin_t(req, N_("Bank"));
	return v;
}

/* A JSON quantity as the invoice prints it ("2", "1.5"). */
static const char *
qty_text(bahi_req *req, const cJSON *obj, const char *key)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(obj, key);
	int64_t v;
	if (!cJSON_IsNumber(q) || bahi_qty_from_double(q->valuedouble, &v) != 0)
		return "";
	return bahi_num_qty(req->pool, v);
}

/* Number, date, customer, status, payment and debt. */
static void
head_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv)
{
	admin_ctx *c = req->app;
	bahi_tmpl_set(c->layout, "title", bahi_pool_printf(req->pool, "%s %lld",
	              admin_t(req, N_("Invoice")), (long long)admin_json_int(inv, "number")));
	static const char *const keys[] = {"id", "status", "due_date", "note", NULL};
	admin_set_strs(d, inv, keys);
	bahi_tmpl_set_int(d, "number", admin_json_int(inv, "number"));
	bahi_tmpl_set(d, "issued", admin_time(req, admin_json_str(inv, "issued_at")));
	bahi_tmpl_set(d, "status_label", admin_invoice_status(req, admin_json_str(inv, "status")));
	bahi_tmpl_set(d, "mode", method_label(req, admin_json_str(inv, "payment_mode")));
	const char *cid = admin_json_str(inv, "customer_id");
	if (*cid != '\0') {
		bahi_tmpl_dict *cu = bahi_tmpl_section(d, "CUSTOMER");
		bahi_tmpl_set(cu, "customer_id", cid);
		bahi_tmpl_set(cu, "customer_name", admin_json_str(inv, "customer_name"));
	} else {
		bahi_tmpl_show(d, "WALKIN");
	}
	if (*admin_json_str(inv, "due_date") != '\0')
		bahi_tmpl_show(d, "DUE");
	if (*admin_json_str(inv, "note") != '\0')
		bahi_tmpl_show(d, "NOTE");
	const char *debt = admin_json_str(inv, "debt_status");
	if (*debt == '\0')
		return;
	bahi_tmpl_dict *b = bahi_tmpl_section(d, "DEBT");
	bahi_tmpl_set(b, "debt_status", debt);
	int64_t left = admin_json_int(inv, "days_left"), over = admin_json_int(inv, "days_overdue");
	if (strcmp(debt, "overdue") == 0)
		bahi_tmpl_set(b, "days", bahi_pool_printf(req->pool, "%lld %s", (long long)over,
		              admin_t(req, N_("days overdue"))));
	else if (left == 0)
		bahi_tmpl_set(b, "days", admin_t(req, N_("Due today")));
	else
		bahi_tmpl_set(b, "days", bahi_pool_printf(req->pool, "%lld %s", (long long)left,
		              admin_t(req, N_("days left"))));
}

/* A void invoice's void: when, why, and what was refunded how. */
static void
void_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(inv, "void");
	if (!cJSON_IsObject(v))
		return;
	bahi_tmpl_dict *vd = bahi_tmpl_section(d, "VOIDED");
	bahi_tmpl_set(vd, "voided", admin_time(req, admin_json_str(v, "created_at")));
	if (*admin_json_str(v, "reason") != '\0')
		bahi_tmpl_set(bahi_tmpl_section(vd, "VOID_REASON"), "reason", admin_json_str(v, "reason"));
	bahi_tmpl_set(vd, "refunded", admin_money(req, admin_json_int(v, "refunded")));
	bahi_tmpl_set(vd, "refund_to", method_label(req, admin_json_str(v, "refund_to")));
}

/* Sets key to the amount of inv's member key and shows section when it is not 0. */
static void
amount(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv, const char *key, const char *section)
{
	int64_t v = admin_json_int(inv, key);
	bahi_tmpl_set(d, key, admin_money(req, v));
	if (section != NULL && v != 0)
		bahi_tmpl_show(d, section);
}

/* The figures as the server computed and stored them. */
static void
figures_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv)
{
	amount(req, d, inv, "subtotal", NULL);
	amount(req, d, inv, "discount", "HAS_DISCOUNT");
	if (admin_json_int(inv, "discount_bp") > 0)
		bahi_tmpl_set(bahi_tmpl_section(d, "DISCOUNT_RATE"), "rate",
		              admin_sale_bp_text(req, admin_json_int(inv, "discount_bp")));
	amount(req, d, inv, "tax", NULL);
	bahi_tmpl_set(d, "tax_rate", admin_sale_bp_text(req, admin_json_int(inv, "tax_rate_bp")));
	amount(req, d, inv, "fee", "HAS_FEE");
	amount(req, d, inv, "total", NULL);
	amount(req, d, inv, "credit_applied", "HAS_CREDIT");
	amount(req, d, inv, "paid", NULL);
	amount(req, d, inv, "returned", "HAS_RETURNED");
	amount(req, d, inv, "balance_due", NULL);
	amount(req, d, inv, "change_given", "HAS_CHANGE");
}

/* The lines, and the return form's rows when it is shown (what was typed
 * in a failed one kept). */
static void
lines_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv, bahi_tmpl_dict *ret)
{
	int k = 0;
	const cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(inv, "lines")) {
		bahi_tmpl_dict *row = bahi_tmpl_section(d, "LINE");
		bahi_tmpl_set(row, "name", admin_json_str(l, "name"));
		bahi_tmpl_set(row, "qty", qty_text(req, l, "qty"));
		bahi_tmpl_set(row, "unit_price", admin_money(req, admin_json_int(l, "unit_price")));
		bahi_tmpl_set(row, "line_total", admin_money(req, admin_json_int(l, "line_total")));
		if (ret != NULL) {
			char key[32];
			bahi_tmpl_dict *r = bahi_tmpl_section(ret, "RET");
			bahi_tmpl_set_int(r, "k", k);
			bahi_tmpl_set(r, "product_id", admin_json_str(l, "product_id"));
			bahi_tmpl_set(r, "name", admin_json_str(l, "name"));
			bahi_tmpl_set(r, "sold", qty_text(req, l, "qty"));
			snprintf(key, sizeof(key), "ret_%d", k);
			const char *typed = admin_sale_failed() ? admin_form(req, key) : NULL;
			bahi_tmpl_set(r, "value", typed != NULL ? typed : "");
		}
		k++;
	}
	if (ret != NULL)
		bahi_tmpl_set_int(ret, "nreturns", k);
}

/* The payments allocated to this invoice (from its customer's payments). */
static int
payments_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv)
{
	const char *cid = admin_json_str(inv, "customer_id"), *id = admin_json_str(inv, "id");
	bahi_page pg;
	cJSON *list;
	memset(&pg, 0, sizeof(pg));
	pg.limit = BAHI_PAGE_MAX;
	if (*cid == '\0')
		return 0;
	if (bahi_payment_list(req, &pg, cid, &list) != 0) {
		/* a deleted customer's payments are not listed */
		if (req->problem.status != 404)
			return -1;
		memset(&req->problem, 0, sizeof(req->problem));
		return 0;
	}
	const cJSON *p, *a;
	bahi_tmpl_dict *table = NULL;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(list, "items"))
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(p, "allocations")) {
			if (strcmp(admin_json_str(a, "invoice_id"), id) != 0)
				continue;
			if (table == NULL)
				table = bahi_tmpl_section(d, "PAYMENTS");
			bahi_tmpl_dict *row = bahi_tmpl_section(table, "PAYMENT");
			bahi_tmpl_set(row, "date", admin_json_str(p, "received_on"));
			bahi_tmpl_set(row, "amount", admin_money(req, admin_json_int(a, "amount")));
			bahi_tmpl_set(row, "method", method_label(req, admin_json_str(p, "method")));
		}
	cJSON_Delete(list);
	return 0;
}

/* The credit notes (returns) issued against the invoice. */
static int
credit_notes_fill(bahi_req *req, bahi_tmpl_dict *d, const char *id)
{
	bahi_page pg;
	cJSON *list;
	memset(&pg, 0, sizeof(pg));
	pg.limit = BAHI_PAGE_MAX;
	if (bahi_credit_note_list(req, id, &pg, &list) != 0)
		return -1;
	const cJSON *n, *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	bahi_tmpl_dict *table = cJSON_GetArraySize(items) > 0 ? bahi_tmpl_section(d, "NOTES") : NULL;
	if (table == NULL)
		bahi_tmpl_show(d, "NO_NOTES");
	cJSON_ArrayForEach(n, items) {
		bahi_tmpl_dict *row = bahi_tmpl_section(table, "NOTE_ROW");
		bahi_tmpl_set_int(row, "number", admin_json_int(n, "number"));
		bahi_tmpl_set(row, "date", admin_json_str(n, "issued_on"));
		bahi_tmpl_set(row, "total", admin_money(req, admin_json_int(n, "total")));
		bahi_tmpl_set(row, "refunded", admin_money(req, admin_json_int(n, "refunded")));
		bahi_tmpl_set(row, "refund_to", method_label(req, admin_json_str(n, "refund_to")));
		bahi_tmpl_set(row, "reason", admin_json_str(n, "reason"));
	}
	cJSON_Delete(list);
	return 0;
}

/* A typed value of a failed form, else dflt. */
static const char *
typed(bahi_req *req, const char *name, const char *dflt)
{
	const char *v = admin_sale_failed() != NULL ? admin_form(req, name) : NULL;
	return v != NULL ? v : dflt;
}

/* The void, return and payment forms the caller's role and the invoice allow. */
static void
forms_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *inv)
{
	const char *role = req->auth.role;
	int live = strcmp(admin_json_str(inv, "status"), "void") != 0;
	bahi_tmpl_dict *ret = NULL;
	if (live && bahi_perm_allows(role, "sales.void")) {
		bahi_tmpl_set(bahi_tmpl_section(d, "VOID"), "reason", typed(req, "reason", ""));
		ret = bahi_tmpl_section(d, "RETURN");
		bahi_tmpl_set(ret, "reason", typed(req, "reason", ""));
	}
	lines_fill(req, d, inv, ret);
	int64_t due = admin_json_int(inv, "balance_due");
	if (live && due > 0 && *admin_json_str(inv, "customer_id") != '\0' &&
	    bahi_perm_allows(role, "payments.write")) {
		bahi_tmpl_dict *p = bahi_tmpl_section(d, "PAY");
		bahi_tmpl_set(p, "customer_id", admin_json_str(inv, "customer_id"));
		bahi_tmpl_set(p, "amount", typed(req, "amount", admin_amount(req, due)));
	}
}

/* The WhatsApp link (its text holds a signed, expiring link to the PDF):
 * the transaction's last statement. Without link signing set up, no link. */
static void
share_fill(bahi_req *req, bahi_tmpl_dict *d, const char *id)
{
	cJSON *out;
	if (bahi_invoice_share(req, id, "a4", 0, &out) != 0) {
		memset(&req->problem, 0, sizeof(req->problem));
		return;
	}
	bahi_tmpl_set(bahi_tmpl_section(d, "SHARE"), "whatsapp_url",
	              admin_json_str(out, "whatsapp_url"));
	cJSON_Delete(out);
}

static int
invoice_page(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", MISSING);
	cJSON *inv;
	bahi_tmpl_dict *d = admin_page(req, N_("Invoice"), "invoices", "invoice.html.tpl");
	if (d == NULL || id == NULL || bahi_invoice_get(req, id, &inv) != 0)
		return -1;
	head_fill(req, d, inv);
	void_fill(req, d, inv);
	figures_fill(req, d, inv);
	forms_fill(req, d, inv);
	int rc = payments_fill(req, d, inv);
	cJSON_Delete(inv);
	if (rc != 0 || credit_notes_fill(req, d, id) != 0)
		return -1;
	admin_sale_errors(req, d, admin_sale_failed(), NULL, 0);
	share_fill(req, d, id);
	return 0;
}

int
admin_invoice_get(bahi_req *req)
{
	return invoice_page(req) != 0 ? -1 : admin_render(req);
}

/* GET /admin/invoices/{id}/pdf?format=a4|receipt: the PDF the invoicing code renders. */
int
admin_invoice_pdf(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", MISSING);
	const char *format = bahi_req_query(req, "format");
	int layout = bahi_pdf_layout_parse(format != NULL ? format : "a4");
	bahi_invoice_pdf_file f;
	if (id == NULL)
		return -1;
	if (layout < 0)
		return bahi_fail(req, "not_found", "There is no such layout; ask for a4 or receipt.");
	if (bahi_invoice_pdf(req, id, layout, &f) != 0)
		return -1;
	bahi_resp_header(req, "Content-Disposition", bahi_pool_printf(req->pool,
	                 "inline; filename=\"invoice-%s%s.pdf\"", f.number,
	                 layout == BAHI_PDF_RECEIPT ? "-receipt" : ""));
	bahi_resp_header(req, "Cache-Control", "private, no-store");
	return bahi_resp_body(req, 200, "application/pdf", f.data, f.len);
}

static const admin_field void_fields[] = {
	{"reason", ADMIN_F_STRING, 0},
	{"refund_to", ADMIN_F_STRING, 0},
};

/* Applies a form's body through method path of the invoicing routes: on
 * success back to the invoice with done, else its page again. */
static int
apply(bahi_req *req, const char *id, const char *path, cJSON *body, const char *done)
{
	if (body == NULL ||
	    admin_apply(req, &invoicing_worker, "POST", path, body, 0, NULL) != 0) {
		cJSON_Delete(body);
		return admin_sale_reshow(req, "sales.read", invoice_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/invoices/%s?done=%s", id, done));
}

int
admin_invoice_void(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", MISSING);
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, void_fields, NF(void_fields));
	return apply(req, id, bahi_pool_printf(req->pool, "/api/v1/invoices/%s/void", id), body,
	             "voided");
}

/* The return form's lines with a quantity, as the credit note's lines;
 * map[j] is the invoice line of the note's line j. NULL with field errors. */
static cJSON *
return_lines(bahi_req *req, int *map, int *nmap)
{
	int64_t n = 0;
	const char *count = admin_form(req, "returns");
	if (count == NULL || bahi_num_parse(count, 0, BAHI_INVOICE_MAX_LINES, &n, NULL) != 0)
		n = 0;
	cJSON *lines = cJSON_CreateArray();
	for (int k = 0, j = 0; k < (int)n; k++) {
		char key[32];
		int64_t q;
		snprintf(key, sizeof(key), "ret_%d", k);
		const char *qty = admin_form(req, key);
		snprintf(key, sizeof(key), "ret_product_%d", k);
		const char *product = admin_form(req, key);
		if (qty == NULL || product == NULL || *qty == '\0' || strcmp(qty, "0") == 0)
			continue;
		if (bahi_qty_parse(qty, &q) != 0) {
			bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "lines[%d].qty", k),
			                   "invalid_number", N_("Enter a quantity, such as 2 or 1.5."));
			continue;
		}
		cJSON *l = cJSON_CreateObject();
		cJSON_AddStringToObject(l, "product_id", product);
		cJSON_AddNumberToObject(l, "qty", (double)q / BAHI_QTY_SCALE);
		cJSON_AddItemToArray(lines, l);
		map[j++] = k;
		*nmap = j;
	}
	if (req->problem.status == 0 && cJSON_GetArraySize(lines) == 0)
		bahi_problem_field(&req->problem, "lines", "too_small",
		                   N_("Enter a quantity to return on at least one line."));
	if (req->problem.status != 0) {
		cJSON_Delete(lines);
		return NULL;
	}
	return lines;
}

/* The API names the note's line j; the page names the invoice's line map[j]. */
static void
renumber(bahi_req *req, const int *map, int n)
{
	for (size_t i = 0; i < req->problem.nerrors; i++) {
		bahi_field_error *e = &req->problem.errors[i];
		int j, len = 0;
		if (sscanf(e->field, "lines[%d]%n", &j, &len) == 1 && len > 0 && j >= 0 && j < n)
			e->field = bahi_pool_printf(req->pool, "lines[%d]%s", map[j], e->field + len);
	}
}

int
admin_invoice_return(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", MISSING);
	int *map = NULL, nmap = 0;
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	map = bahi_pool_calloc(req->pool, BAHI_INVOICE_MAX_LINES + 1, sizeof(*map));
	cJSON *lines = return_lines(req, map, &nmap);
	cJSON *body = lines != NULL ? admin_form_json(req, void_fields, NF(void_fields)) : NULL;
	if (body == NULL) {
		cJSON_Delete(lines);
		return admin_sale_reshow(req, "sales.read", invoice_page);
	}
	cJSON_AddItemToObject(body, "lines", lines);
	const char *path = bahi_pool_printf(req->pool, "/api/v1/invoices/%s/credit-notes", id);
	if (admin_apply(req, &invoicing_worker, "POST", path, body, 0, NULL) != 0) {
		cJSON_Delete(body);
		renumber(req, map, nmap);
		return admin_sale_reshow(req, "sales.read", invoice_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/invoices/%s?done=returned", id));
}

static const admin_field pay_fields[] = {
	{"customer_id", ADMIN_F_STRING, 0},
	{"amount", ADMIN_F_MONEY, 0},
	{"method", ADMIN_F_STRING, 0},
};

int
admin_invoice_pay(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", MISSING);
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, pay_fields, NF(pay_fields));
	if (body != NULL)
		cJSON_AddStringToObject(body, "invoice_id", id);
	return apply(req, id, "/api/v1/payments", body, "paid");
}
