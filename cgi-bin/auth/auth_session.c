/* auth_session: HTTP handlers for OTP, sign-up, login, refresh, logout and passwords. */
#include "auth.h"

#include <string.h>

#include "bahi_account.h"
#include "bahi_business.h"
#include "bahi_db.h"
#include "bahi_otp.h"
#include "bahi_req.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const platforms[] = {"android", "ios", "web", "other", NULL};
static const char *const purposes[] = {"signup", "reset", NULL};

const bahi_field auth_device_fields[3] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 100, NULL, NULL, 0},
	{"platform", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, platforms, NULL, 0},
};

void
auth_device_in(const bahi_value *v, bahi_device_in *d)
{
	d->id = v->sub[0].present ? v->sub[0].s : NULL;
	d->name = v->sub[1].s;
	d->platform = v->sub[2].s;
}

static const bahi_field otp_fields[] = {
	{"phone", BAHI_V_STRING, BAHI_REQUIRED, 1, 32, NULL, NULL, 0},
	{"purpose", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, purposes, NULL, 0},
};

int
auth_otp(bahi_req *req)
{
	bahi_value v[NF(otp_fields)];
	char phone[32];
	if (bahi_valid_json(req, req->json, otp_fields, NF(otp_fields), v, "") != 0 ||
	    bahi_account_phone(req, v[0].s, "phone", phone) != 0)
		return -1;
	PGresult *u = bahi_account_find_login(req, phone);
	if (u == NULL)
		return -1;
	int known = PQntuples(u) > 0;
	if (strcmp(v[1].s, "signup") == 0 && known)
		return bahi_fail(req, "phone_taken", "This phone number already has an account; sign in.");
	/* a reset code for an unknown phone is not sent, but the answer is the same */
	if ((strcmp(v[1].s, "reset") != 0 || known) && bahi_otp_send(req, phone, v[1].s) != 0)
		return -1;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "expires_in", BAHI_OTP_TTL);
	return bahi_resp_json(req, 202, o);
}

static const bahi_field business_in_fields[] = {
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 200, NULL, NULL, 0},
	{"type", BAHI_V_STRING, 0, 1, 100, NULL, NULL, 0},
	{"currency", BAHI_V_STRING, 0, 3, 3, NULL, NULL, 0},
	{"timezone", BAHI_V_STRING, 0, 1, 64, NULL, NULL, 0},
	{"tax_rate_bp", BAHI_V_BP, 0, 0, 10000, NULL, NULL, 0},
};
static const bahi_field signup_fields[] = {
	{"phone", BAHI_V_STRING, BAHI_REQUIRED, 1, 32, NULL, NULL, 0},
	{"otp", BAHI_V_STRING, BAHI_REQUIRED, 6, 6, NULL, NULL, 0},
	{"password", BAHI_V_STRING, BAHI_REQUIRED, 1, 1024, NULL, NULL, 0},
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 200, NULL, NULL, 0},
	{"business", BAHI_V_OBJECT, BAHI_REQUIRED, 0, 0, NULL, business_in_fields, NF(business_in_fields)},
	{"device", BAHI_V_OBJECT, BAHI_REQUIRED, 0, 0, NULL, auth_device_fields, 3},
};

int
auth_signup(bahi_req *req)
{
	bahi_value v[NF(signup_fields)];
	if (bahi_valid_json(req, req->json, signup_fields, NF(signup_fields), v, "") != 0)
		return -1;
	const bahi_value *b = v[4].sub;
	bahi_signup_in in = {
		.phone = v[0].s, .otp = v[1].s, .password = v[2].s, .name = v[3].s,
		.business_name = b[0].s, .business_type = b[1].s, .currency = b[2].s,
		.timezone = b[3].s, .tax_rate_bp = b[4].present ? b[4].i : -1,
	};
	auth_device_in(&v[5], &in.device);
	if (in.currency && bahi_business_check_currency(req, in.currency, "business.currency") != 0)
		return -1;
	if (in.timezone && bahi_business_check_timezone(req, in.timezone, "business.timezone") != 0)
		return -1;
	cJSON *out;
	if (bahi_account_signup(req, &in, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

static const bahi_field login_fields[] = {
	{"phone", BAHI_V_STRING, BAHI_REQUIRED, 1, 32, NULL, NULL, 0},
	{"password", BAHI_V_STRING, BAHI_REQUIRED, 1, 1024, NULL, NULL, 0},
	{"device", BAHI_V_OBJECT, BAHI_REQUIRED, 0, 0, NULL, auth_device_fields, 3},
};

int
auth_login(bahi_req *req)
{
	bahi_value v[NF(login_fields)];
	bahi_device_in dev;
	if (bahi_valid_json(req, req->json, login_fields, NF(login_fields), v, "") != 0)
		return -1;
	auth_device_in(&v[2], &dev);
	cJSON *out;
	if (bahi_account_login(req, v[0].s, v[1].s, &dev, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field refresh_fields[] = {
	{"refresh_token", BAHI_V_STRING, BAHI_REQUIRED, 1, 200, NULL, NULL, 0},
};

int
auth_refresh(bahi_req *req)
{
	bahi_value v[1];
	cJSON *out;
	if (bahi_valid_json(req, req->json, refresh_fields, 1, v, "") != 0 ||
	    bahi_account_refresh(req, v[0].s, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
auth_logout(bahi_req *req)
{
	if (bahi_account_logout(req) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}

static const bahi_field password_fields[] = {
	{"current_password", BAHI_V_STRING, BAHI_REQUIRED, 1, 1024, NULL, NULL, 0},
	{"new_password", BAHI_V_STRING, BAHI_REQUIRED, 1, 1024, NULL, NULL, 0},
};

int
auth_password(bahi_req *req)
{
	bahi_value v[2];
	if (bahi_valid_json(req, req->json, password_fields, 2, v, "") != 0 ||
	    bahi_account_change_password(req, v[0].s, v[1].s) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}

static const bahi_field reset_fields[] = {
	{"phone", BAHI_V_STRING, BAHI_REQUIRED, 1, 32, NULL, NULL, 0},
	{"otp", BAHI_V_STRING, BAHI_REQUIRED, 6, 6, NULL, NULL, 0},
	{"new_password", BAHI_V_STRING, BAHI_REQUIRED, 1, 1024, NULL, NULL, 0},
};

int
auth_password_reset(bahi_req *req)
{
	bahi_value v[3];
	if (bahi_valid_json(req, req->json, reset_fields, 3, v, "") != 0 ||
	    bahi_account_reset_password(req, v[0].s, v[1].s, v[2].s) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
