/* invoicing_pdf: HTTP handlers for invoice PDFs, share links and the public signed PDF link. */
#include "invoicing.h"

#include <stdio.h>
#include <string.h>

#include "bahi_db.h"
#include "bahi_invoice_pdf.h"
#include "bahi_pdf.h"
#include "bahi_req.h"
#include "bahi_uuid.h"
#include "bahi_valid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const layouts[] = {"a4", "receipt", NULL};

static const bahi_field pdf_fields[] = {
	{"layout", BAHI_V_ENUM, 0, 0, 0, layouts, NULL, 0},
};

static const bahi_field share_fields[] = {
	{"layout", BAHI_V_ENUM, 0, 0, 0, layouts, NULL, 0},
	{"ttl", BAHI_V_INT, 0, BAHI_SHARE_TTL_MIN, BAHI_SHARE_TTL_MAX, NULL, NULL, 0},
};

/* Answers with the PDF, shown in the browser, never stored by caches. */
static int
send_pdf(bahi_req *req, const bahi_invoice_pdf_file *f)
{
	char disp[128];
	snprintf(disp, sizeof(disp), "inline; filename=\"invoice-%s.pdf\"", f->number);
	bahi_resp_header(req, "Content-Disposition", disp);
	bahi_resp_header(req, "Cache-Control", "private, no-store");
	return bahi_resp_body(req, 200, "application/pdf", f->data, f->len);
}

int
invoicing_invoice_pdf(bahi_req *req)
{
	bahi_value v[NF(pdf_fields)];
	bahi_invoice_pdf_file f;
	const char *id = bahi_req_capture_id(req, "id", "There is no such invoice.");
	if (id == NULL || bahi_valid_query(req, pdf_fields, NF(pdf_fields), v) != 0)
		return -1;
	int layout = bahi_pdf_layout_parse(v[0].present ? v[0].s : "a4");
	if (bahi_invoice_pdf(req, id, layout, &f) != 0)
		return -1;
	return send_pdf(req, &f);
}

int
invoicing_invoice_share(bahi_req *req)
{
	bahi_value v[NF(share_fields)];
	cJSON *out;
	const char *id = bahi_req_capture_id(req, "id", "There is no such invoice.");
	if (id == NULL || bahi_valid_query(req, share_fields, NF(share_fields), v) != 0 ||
	    bahi_invoice_share(req, id, v[0].present ? v[0].s : "a4",
	                       v[1].present ? (long)v[1].i : 0, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

/*
 * GET /api/v1/shared/invoices/{business}/{invoice}.pdf?layout=&e=&s=, no
 * sign-in: the link's signature and expiry are checked first, and only a
 * genuine, live link opens a transaction in its business. Other query
 * parameters (a messenger's tracking tags) are ignored.
 */
int
invoicing_shared_pdf(bahi_req *req)
{
	const char *business = bahi_req_capture(req, "business");
	const char *file = bahi_req_capture(req, "file");
	size_t n = file ? strlen(file) : 0;
	if (business == NULL || n <= 4 || strcmp(file + n - 4, ".pdf") != 0)
		return bahi_fail(req, "not_found", "There is no such invoice.");
	const char *invoice = bahi_pool_strndup(req->pool, file, n - 4);
	const char *layout = bahi_req_query(req, "layout");
	if (bahi_invoice_share_check(req, business, invoice, layout, bahi_req_query(req, "e"),
	                             bahi_req_query(req, "s")) != 0)
		return -1;
	/* signed by us, so canonical; checked again all the same */
	char bid[BAHI_UUID_LEN + 1], iid[BAHI_UUID_LEN + 1];
	int l = bahi_pdf_layout_parse(layout);
	if (bahi_uuid_normalise(business, bid) != 0 || bahi_uuid_normalise(invoice, iid) != 0 ||
	    l < 0)
		return bahi_fail(req, "not_found", "There is no such invoice.");
	bahi_invoice_pdf_file f;
	if (bahi_tx_begin(req, bahi_pool_strdup(req->pool, bid)) != 0 ||
	    bahi_invoice_pdf(req, iid, l, &f) != 0 || bahi_tx_commit(req) != 0)
		return -1;
	return send_pdf(req, &f);
}
