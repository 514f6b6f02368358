/* auth_users: HTTP handlers for the business's users and roles (/users). */
#include "auth.h"

#include "bahi_cursor.h"
#include "bahi_req.h"
#include "bahi_users.h"
#include "bahi_uuid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const staff_roles[] = {"admin", "clerk", NULL};
static const char *const languages[] = {"en", "ur", NULL};

/* The {id} of the path, normalised; a path that names no UUID names no user. */
static const char *
user_id_of(bahi_req *req)
{
	char id[BAHI_UUID_LEN + 1];
	const char *s = bahi_req_capture(req, "id");
	if (s == NULL || bahi_uuid_normalise(s, id) != 0) {
		bahi_fail(req, "not_found", "There is no such user.");
		return NULL;
	}
	return bahi_pool_strdup(req->pool, id);
}

static const bahi_field list_fields[] = {BAHI_PAGE_FIELDS};

int
auth_users_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0 ||
	    bahi_users_list(req, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field create_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"phone", BAHI_V_STRING, BAHI_REQUIRED, 1, 32, NULL, NULL, 0},
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 200, NULL, NULL, 0},
	{"role", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, staff_roles, NULL, 0},
	{"password", BAHI_V_STRING, BAHI_REQUIRED, 1, 1024, NULL, NULL, 0},
};

int
auth_users_create(bahi_req *req)
{
	bahi_value v[NF(create_fields)];
	if (bahi_valid_json(req, req->json, create_fields, NF(create_fields), v, "") != 0)
		return -1;
	bahi_user_in in = {
		.id = v[0].present ? v[0].s : NULL,
		.phone = v[1].s, .name = v[2].s, .role = v[3].s, .password = v[4].s,
	};
	cJSON *out;
	if (bahi_users_create(req, &in, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

int
auth_users_get(bahi_req *req)
{
	const char *id = user_id_of(req);
	cJSON *out;
	if (id == NULL || bahi_users_get(req, id, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

static const bahi_field patch_fields[] = {
	{"name", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0},
	{"role", BAHI_V_ENUM, 0, 0, 0, staff_roles, NULL, 0},
	{"password", BAHI_V_STRING, 0, 1, 1024, NULL, NULL, 0},
	{"language", BAHI_V_ENUM, BAHI_NULLABLE, 0, 0, languages, NULL, 0},
};

int
auth_users_patch(bahi_req *req)
{
	bahi_value v[NF(patch_fields)];
	const char *id = user_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (if_match < 0 ||
	    bahi_valid_json(req, req->json, patch_fields, NF(patch_fields), v, "") != 0)
		return -1;
	bahi_user_patch p = {
		.name = v[0].s, .role = v[1].s, .password = v[2].s, .language = v[3].s,
		.clear_language = v[3].is_null, .if_match = if_match,
	};
	cJSON *out;
	if (bahi_users_update(req, id, &p, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
auth_users_delete(bahi_req *req)
{
	const char *id = user_id_of(req);
	if (id == NULL || bahi_users_delete(req, id) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
