/* invoicing_invoices: HTTP handlers for invoices (/invoices) and incomplete sales (/sales/incomplete). */
#include "invoicing.h"

#include <string.h>

#include "bahi_customer.h"
#include "bahi_invoice.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_valid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))
#define MONEY_MAX BAHI_CUSTOMER_BALANCE_MAX

static const char *const pay_modes[] = {"cash", "credit", NULL};
static const char *const statuses[] = {"unpaid", "partially_paid", "paid", "void", NULL};

static const bahi_field customer_fields[] = {
	{"name", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0},
	{"phone", BAHI_V_STRING, BAHI_REQUIRED, 1, 32, NULL, NULL, 0},
	{"address", BAHI_V_STRING, BAHI_MULTILINE, 1, 500, NULL, NULL, 0},
};

static const bahi_field sale_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"customer_id", BAHI_V_UUID, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
	{"customer", BAHI_V_OBJECT, BAHI_NULLABLE, 0, 0, NULL, customer_fields, NF(customer_fields)},
	{"lines", BAHI_V_ARRAY, BAHI_REQUIRED, 1, BAHI_INVOICE_MAX_LINES, NULL, NULL, 0},
	{"discount_bp", BAHI_V_BP, 0, 0, 10000, NULL, NULL, 0},
	{"discount_amount", BAHI_V_MONEY, 0, 0, MONEY_MAX, NULL, NULL, 0},
	{"tax_rate_bp", BAHI_V_BP, 0, 0, 10000, NULL, NULL, 0},
	{"fee", BAHI_V_MONEY, 0, 0, MONEY_MAX, NULL, NULL, 0},
	{"payment_mode", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, pay_modes, NULL, 0},
	{"paid_amount", BAHI_V_MONEY, BAHI_REQUIRED, 0, MONEY_MAX, NULL, NULL, 0},
	{"note", BAHI_V_STRING, BAHI_MULTILINE, 1, 500, NULL, NULL, 0},
};

static const bahi_field line_fields[] = {
	{"product_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"qty", BAHI_V_QTY, BAHI_REQUIRED, 0, BAHI_QTY_MAX, NULL, NULL, 0},
	{"unit_price", BAHI_V_MONEY, 0, 0, MONEY_MAX, NULL, NULL, 0},
};

/* Reads the lines array into in; every bad line is named. */
static int
read_lines(bahi_req *req, const bahi_value *arr, bahi_sale_in *in)
{
	int n = cJSON_GetArraySize(arr->node);
	bahi_value *v = bahi_pool_calloc(req->pool, (size_t)n * NF(line_fields) + 1, sizeof(*v));
	bahi_sale_line *lines = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(*lines));
	if (bahi_valid_items(req, arr->node, "lines", line_fields, NF(line_fields), 1, v) != 0)
		return -1;
	for (int i = 0; i < n; i++, v += NF(line_fields)) {
		lines[i].product_id = v[0].s;
		lines[i].qty = v[1].i;
		lines[i].unit_price = v[2].present ? v[2].i : -1;
	}
	in->lines = lines;
	in->nlines = n;
	return 0;
}

/* Refuses two members that exclude each other. */
static int
exclusive(bahi_req *req, const bahi_value *a, const bahi_value *b, const char *an,
          const char *bn)
{
	if (!a->present || !b->present)
		return 0;
	bahi_problem_field(&req->problem, bn, "conflicts",
	                   bahi_pool_printf(req->pool, "Give either %s or %s, not both.", an, bn));
	return -1;
}

/* Validates a POST /invoices body into in. */
static int
read_sale(bahi_req *req, bahi_sale_in *in)
{
	bahi_value v[NF(sale_fields)];
	int bad = bahi_valid_json(req, req->json, sale_fields, NF(sale_fields), v, "") != 0;
	/* the lines' own errors are reported with the others when the array itself is fine */
	int nlines = v[3].present && cJSON_IsArray(v[3].node) ? cJSON_GetArraySize(v[3].node) : 0;
	if (nlines < 1 || nlines > BAHI_INVOICE_MAX_LINES)
		return -1;
	bad |= read_lines(req, &v[3], in);
	if (bad)
		return -1;
	bad |= exclusive(req, &v[1], &v[2], "customer_id", "customer");
	bad |= exclusive(req, &v[4], &v[5], "discount_bp", "discount_amount");
	if (bad)
		return -1;
	in->id = v[0].s;
	in->customer_id = v[1].s;
	if (v[2].present) {
		in->customer_name = v[2].sub[0].s;
		in->customer_phone = v[2].sub[1].s;
		in->customer_address = v[2].sub[2].s;
	}
	in->discount_kind = v[4].present ? BAHI_DISCOUNT_BP :
	                    v[5].present ? BAHI_DISCOUNT_AMOUNT : BAHI_DISCOUNT_NONE;
	in->discount = v[4].present ? v[4].i : v[5].i;
	in->tax_rate_bp = v[6].present ? v[6].i : -1;
	in->fee = v[7].present ? v[7].i : 0;
	in->mode = strcmp(v[8].s, "credit") == 0 ? BAHI_PAY_CREDIT : BAHI_PAY_CASH;
	in->paid_amount = v[9].i;
	in->note = v[10].s;
	return 0;
}

int
invoicing_invoices_create(bahi_req *req)
{
	bahi_sale_in in = {0};
	int status;
	cJSON *out;
	if (read_sale(req, &in) != 0 || bahi_sale_create(req, &in, &status, &out) != 0)
		return -1;
	/* NULL: the response is made when the commit's round trip answers */
	return out != NULL ? bahi_resp_json(req, status, out) : 0;
}

static const bahi_field list_fields[] = {
	BAHI_PAGE_FIELDS,
	{"customer_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"status", BAHI_V_ENUM, 0, 0, 0, statuses, NULL, 0},
	{"from", BAHI_V_DATE, 0, 0, 0, NULL, NULL, 0},
	{"to", BAHI_V_DATE, 0, 0, 0, NULL, NULL, 0},
};

int
invoicing_invoices_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0)
		return -1;
	bahi_invoice_filter f = {.customer_id = v[2].s, .status = v[3].s, .from = v[4].s,
	                         .to = v[5].s};
	if (bahi_invoice_list(req, &pg, &f, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
invoicing_body_failed(bahi_req *req, int (*exists)(bahi_req *, const char *), const char *id,
                      const char *missing)
{
	bahi_problem bad = req->problem;
	req->problem = (bahi_problem){0};
	int rc = exists(req, id);
	if (rc == 0)
		return bahi_fail(req, "not_found", "%s", missing);
	if (rc == 1)
		req->problem = bad;
	return -1;
}

static const char *
invoice_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such invoice.");
}

int
invoicing_invoices_get(bahi_req *req)
{
	const char *id = invoice_id_of(req);
	cJSON *out;
	if (id == NULL || bahi_invoice_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

/* PATCH, PUT and DELETE of an invoice: issued invoices never change. */
int
invoicing_invoices_immutable(bahi_req *req)
{
	const char *id = invoice_id_of(req);
	cJSON *out;
	if (id == NULL || bahi_invoice_get(req, id, &out) != 0)
		return -1;
	cJSON_Delete(out);
	return bahi_fail(req, "invoice_immutable", "An issued invoice cannot be changed or deleted;"
	                 " void it (POST /invoices/{id}/void) or issue a credit note for returns.");
}

static const bahi_field page_fields[] = {BAHI_PAGE_FIELDS};

int
invoicing_incomplete_list(bahi_req *req)
{
	bahi_value v[NF(page_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, page_fields, NF(page_fields), v, &pg) != 0 ||
	    bahi_sale_incomplete_list(req, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const char *
incomplete_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such incomplete sale.");
}

int
invoicing_incomplete_get(bahi_req *req)
{
	const char *id = incomplete_id_of(req);
	cJSON *out;
	if (id == NULL || bahi_sale_incomplete_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field complete_fields[] = {
	{"payment_mode", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, pay_modes, NULL, 0},
	{"paid_amount", BAHI_V_MONEY, BAHI_REQUIRED, 0, MONEY_MAX, NULL, NULL, 0},
};

int
invoicing_incomplete_complete(bahi_req *req)
{
	bahi_value v[NF(complete_fields)];
	const char *id = incomplete_id_of(req);
	int status;
	cJSON *out;
	if (id == NULL)
		return -1;
	if (bahi_valid_json(req, req->json, complete_fields, NF(complete_fields), v, "") != 0)
		return invoicing_body_failed(req, bahi_sale_incomplete_exists, id,
		                             "There is no such incomplete sale.");
	bahi_pay_mode mode = strcmp(v[0].s, "credit") == 0 ? BAHI_PAY_CREDIT : BAHI_PAY_CASH;
	if (bahi_sale_complete(req, id, mode, v[1].i, &status, &out) != 0)
		return -1;
	return bahi_resp_json(req, status, out);
}

int
invoicing_incomplete_delete(bahi_req *req)
{
	const char *id = incomplete_id_of(req);
	if (id == NULL || bahi_sale_incomplete_delete(req, id) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
