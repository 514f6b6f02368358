/* auth_me: who am I (GET /me) and the business's settings (GET and PATCH /business). */
#include "auth.h"

#include "bahi_business.h"
#include "bahi_json.h"
#include "bahi_money.h"
#include "bahi_req.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

int
auth_me(bahi_req *req)
{
	bahi_buf b;
	bahi_buf_init(&b, 64 * 1024);
	int rc = bahi_account_me(req, &b);
	if (rc == 0)
		rc = bahi_resp_body(req, 200, "application/json", b.data, b.len);
	bahi_buf_free(&b);
	return rc;
}

int
auth_business_get(bahi_req *req)
{
	cJSON *b = bahi_account_business_json(req);
	return b ? bahi_resp_json(req, 200, b) : -1;
}

static const char *const languages[] = {"en", "ur", NULL};
static const bahi_field business_patch_fields[] = {
	{"name", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0},
	{"currency", BAHI_V_STRING, 0, 3, 3, NULL, NULL, 0},
	{"timezone", BAHI_V_STRING, 0, 1, 64, NULL, NULL, 0},
	{"tax_rate_bp", BAHI_V_BP, 0, 0, 10000, NULL, NULL, 0},
	{"credit_term_days", BAHI_V_INT, 0, 0, 365, NULL, NULL, 0},
	{"device_cap", BAHI_V_INT, 0, 1, 50, NULL, NULL, 0},
	{"language", BAHI_V_ENUM, 0, 0, 0, languages, NULL, 0},
	{"number_grouping", BAHI_V_ENUM, 0, 0, 0, bahi_grouping_names, NULL, 0},
};

int
auth_business_patch(bahi_req *req)
{
	bahi_value v[NF(business_patch_fields)];
	long if_match = bahi_req_if_match(req);
	if (if_match < 0 ||
	    bahi_valid_json(req, req->json, business_patch_fields, NF(business_patch_fields), v, "") != 0)
		return -1;
	if ((v[1].present && bahi_business_check_currency(req, v[1].s, "currency") != 0) |
	    (v[2].present && bahi_business_check_timezone(req, v[2].s, "timezone") != 0))
		return -1;
	bahi_business_patch p = {
		.name = v[0].s, .currency = v[1].s, .timezone = v[2].s, .language = v[6].s,
		.number_grouping = v[7].s,
		.tax_rate_bp = v[3].present ? v[3].i : -1,
		.credit_term_days = v[4].present ? v[4].i : -1,
		.device_cap = v[5].present ? v[5].i : -1,
		.if_match = if_match,
	};
	cJSON *out;
	if (bahi_business_update(req, &p, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
