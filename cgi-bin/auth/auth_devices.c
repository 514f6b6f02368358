/* auth_devices: HTTP handlers for signed-in devices, QR pairing tokens and pairing a new device. */
#include "auth.h"

#include "bahi_cursor.h"
#include "bahi_devices.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const bahi_field list_fields[] = {BAHI_PAGE_FIELDS};

int
auth_devices_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0 ||
	    bahi_devices_list(req, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
auth_devices_delete(bahi_req *req)
{
	char id[BAHI_UUID_LEN + 1];
	const char *s = bahi_req_capture(req, "id");
	if (s == NULL || bahi_uuid_normalise(s, id) != 0)
		return bahi_fail(req, "not_found", "There is no such signed-in device.");
	if (bahi_devices_revoke(req, id) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}

int
auth_devices_pairing(bahi_req *req)
{
	cJSON *out;
	if (bahi_devices_pairing_create(req, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

static const bahi_field pair_fields[] = {
	{"pairing_token", BAHI_V_STRING, BAHI_REQUIRED, 1, 200, NULL, NULL, 0},
	{"device", BAHI_V_OBJECT, BAHI_REQUIRED, 0, 0, NULL, auth_device_fields, 3},
};

int
auth_pair(bahi_req *req)
{
	bahi_value v[NF(pair_fields)];
	bahi_device_in dev;
	cJSON *out;
	if (bahi_valid_json(req, req->json, pair_fields, NF(pair_fields), v, "") != 0)
		return -1;
	auth_device_in(&v[1], &dev);
	if (bahi_devices_pair(req, v[0].s, &dev, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
