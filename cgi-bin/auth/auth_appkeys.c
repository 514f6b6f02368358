/* auth_appkeys: HTTP handlers for server-to-server keys (GET, POST /app-keys, DELETE /app-keys/{id}). */
#include "auth.h"

#include "bahi_appkey.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

static const bahi_field appkey_fields[] = {
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 100, NULL, NULL, 0},
};

int
auth_appkey_create(bahi_req *req)
{
	bahi_value v[1];
	cJSON *out;
	if (bahi_valid_json(req, req->json, appkey_fields, 1, v, "") != 0 ||
	    bahi_appkey_create(req, v[0].s, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

int
auth_appkey_list(bahi_req *req)
{
	cJSON *out;
	if (bahi_appkey_list(req, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
auth_appkey_revoke(bahi_req *req)
{
	char id[BAHI_UUID_LEN + 1];
	if (bahi_uuid_normalise(bahi_req_capture(req, "id"), id) != 0)
		return bahi_fail(req, "not_found", "No such app key.");
	if (bahi_appkey_revoke(req, id) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
