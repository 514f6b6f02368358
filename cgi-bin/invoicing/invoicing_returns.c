/* invoicing_returns: HTTP handlers for the corrections of an issued invoice: voids and credit notes (returns). */
#include "invoicing.h"

#include "bahi_correction.h"
#include "bahi_invoice.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_valid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const refund_choices[] = {"cash", "credit", NULL};

static const bahi_field void_fields[] = {
	{"reason", BAHI_V_STRING, BAHI_MULTILINE | BAHI_NULLABLE, 1, 500, NULL, NULL, 0},
	{"refund_to", BAHI_V_ENUM, BAHI_NULLABLE, 0, 0, refund_choices, NULL, 0},
};

static const bahi_field note_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"lines", BAHI_V_ARRAY, BAHI_REQUIRED, 1, BAHI_INVOICE_MAX_LINES, NULL, NULL, 0},
	{"reason", BAHI_V_STRING, BAHI_MULTILINE | BAHI_NULLABLE, 1, 500, NULL, NULL, 0},
	{"refund_to", BAHI_V_ENUM, BAHI_NULLABLE, 0, 0, refund_choices, NULL, 0},
};

static const bahi_field line_fields[] = {
	{"product_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"qty", BAHI_V_QTY, BAHI_REQUIRED, 0, BAHI_QTY_MAX, NULL, NULL, 0},
};

static const char *
invoice_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such invoice.");
}

/* POST /invoices/{id}/void {"reason"?, "refund_to"?}: the body may be empty
 * (a request made inside the process, the admin panel's, gives its JSON). */
int
invoicing_invoice_void(bahi_req *req)
{
	const char *id = invoice_id_of(req);
	bahi_value v[NF(void_fields)] = {{0}};
	cJSON *out;
	if (id == NULL)
		return -1;
	if ((req->body_len > 0 || req->json != NULL) &&
	    ((req->json == NULL && bahi_req_parse_json(req) != 0) ||
	     bahi_valid_json(req, req->json, void_fields, NF(void_fields), v, "") != 0))
		return invoicing_body_failed(req, bahi_invoice_exists, id, "There is no such invoice.");
	bahi_void_in in = {.reason = v[0].s, .refund_to = v[1].s};
	if (bahi_invoice_void(req, id, &in, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

/* Reads the lines array; every bad line is named. */
static int
read_lines(bahi_req *req, const bahi_value *arr, bahi_credit_note_in *in)
{
	int n = cJSON_GetArraySize(arr->node);
	bahi_value *v = bahi_pool_calloc(req->pool, (size_t)n * NF(line_fields) + 1, sizeof(*v));
	bahi_return_line *lines = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(*lines));
	if (bahi_valid_items(req, arr->node, "lines", line_fields, NF(line_fields), 1, v) != 0)
		return -1;
	for (int i = 0; i < n; i++, v += NF(line_fields)) {
		lines[i].product_id = v[0].s;
		lines[i].qty = v[1].i;
	}
	in->lines = lines;
	in->nlines = n;
	return 0;
}

/* POST /invoices/{id}/credit-notes: a return of goods. */
int
invoicing_credit_notes_create(bahi_req *req)
{
	const char *id = invoice_id_of(req);
	bahi_value v[NF(note_fields)];
	bahi_credit_note_in in = {0};
	int status;
	cJSON *out;
	if (id == NULL)
		return -1;
	int bad = bahi_valid_json(req, req->json, note_fields, NF(note_fields), v, "") != 0;
	/* the lines' own errors are reported with the others when the array itself is fine */
	int n = v[1].present && cJSON_IsArray(v[1].node) ? cJSON_GetArraySize(v[1].node) : 0;
	if (n >= 1 && n <= BAHI_INVOICE_MAX_LINES)
		bad |= read_lines(req, &v[1], &in) != 0;
	else
		bad = 1;
	if (bad)
		return invoicing_body_failed(req, bahi_invoice_exists, id, "There is no such invoice.");
	in.id = v[0].s;
	in.reason = v[2].s;
	in.refund_to = v[3].s;
	if (bahi_credit_note_create(req, id, &in, &status, &out) != 0)
		return -1;
	return bahi_resp_json(req, status, out);
}

static const bahi_field page_fields[] = {BAHI_PAGE_FIELDS};

/* GET /invoices/{id}/credit-notes */
int
invoicing_credit_notes_list(bahi_req *req)
{
	const char *id = invoice_id_of(req);
	bahi_value v[NF(page_fields)];
	bahi_page pg;
	cJSON *out;
	if (id == NULL || bahi_page_query(req, page_fields, NF(page_fields), v, &pg) != 0 ||
	    bahi_credit_note_list(req, id, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

/* GET /credit-notes/{id} */
int
invoicing_credit_notes_get(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such credit note.");
	cJSON *out;
	if (id == NULL || bahi_credit_note_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
