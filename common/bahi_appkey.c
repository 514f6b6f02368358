/* bahi_appkey: creating, listing, revoking and checking X-App-Key credentials. */
#include "bahi_appkey.h"

#include <string.h>

#include "bahi_activity.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define KEY_PREFIX "bahi_"

static BAHI_STMT(appkey_insert,
	"INSERT INTO app_keys (business_id, id, name, key_hash, created_by) VALUES ($1, $2, $3, $4, $5)"
	" RETURNING id, name, bahi_ts(created_at) AS created_at");
static BAHI_STMT(appkey_list,
	"SELECT id, name, created_by, bahi_ts(created_at) AS created_at,"
	" bahi_ts(last_used_at) AS last_used_at FROM app_keys"
	" WHERE business_id = $1 AND revoked_at IS NULL ORDER BY app_keys.created_at DESC, app_keys.id DESC");
static BAHI_STMT(appkey_revoke,
	"UPDATE app_keys SET revoked_at = now() WHERE business_id = $1 AND id = $2"
	" AND revoked_at IS NULL RETURNING name");
static BAHI_STMT(appkey_lookup,
	"SELECT business_id, id, created_by FROM app_keys WHERE key_hash = $1 AND revoked_at IS NULL");
static BAHI_STMT(appkey_touch,
	"UPDATE app_keys SET last_used_at = now() WHERE business_id = $1 AND id = $2"
	" AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')");

int
bahi_appkey_create(bahi_req *req, const char *name, cJSON **out)
{
	char token[64], key[80], hash[65], id[BAHI_UUID_LEN + 1];
	bahi_random_token(token, sizeof(token), 32);
	snprintf(key, sizeof(key), KEY_PREFIX "%s", token);
	bahi_sha256_hex(key, strlen(key), hash);
	bahi_uuid_v7(id);
	const char *p[5] = {req->tx_business, id, name, hash, req->auth.user_id};
	PGresult *res = bahi_db_exec(req, &appkey_insert, 5, p);
	if (res == NULL || bahi_activity_add(req, "app_key_created", name, NULL) != 0)
		return -1;
	*out = bahi_json_row(res, 0);
	cJSON_AddStringToObject(*out, "key", key);
	return 0;
}

int
bahi_appkey_list(bahi_req *req, cJSON **out)
{
	const char *p[1] = {req->tx_business};
	PGresult *res = bahi_db_exec(req, &appkey_list, 1, p);
	if (res == NULL)
		return -1;
	*out = cJSON_CreateObject();
	cJSON_AddItemToObject(*out, "items", bahi_json_rows(res));
	cJSON_AddNullToObject(*out, "next_cursor");
	return 0;
}

int
bahi_appkey_revoke(bahi_req *req, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &appkey_revoke, 2, p, "No such app key.");
	if (res == NULL)
		return -1;
	return bahi_activity_add(req, "app_key_revoked", bahi_db_get(res, 0, 0), NULL);
}

int
bahi_appkey_authorize(bahi_req *req, const char *key)
{
	char hash[65];
	if (strncmp(key, KEY_PREFIX, strlen(KEY_PREFIX)) != 0 || strlen(key) > 100)
		return bahi_fail(req, "unauthorized", "The app key is not valid.");
	bahi_sha256_hex(key, strlen(key), hash);
	const char *p[1] = {hash};
	if (bahi_tx_set_lookup(req, "app.token_hash", hash) != 0)
		return -1;
	PGresult *res = bahi_db_exec(req, &appkey_lookup, 1, p);
	if (res == NULL || bahi_tx_set_lookup(req, "app.token_hash", "") != 0)
		return -1;
	if (PQntuples(res) != 1)
		return bahi_fail(req, "unauthorized", "The app key is not valid or was revoked.");
	if (bahi_tx_set_business(req, bahi_db_get(res, 0, 0)) != 0)
		return -1;
	req->auth.user_id = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 2));
	req->auth.role = "app";
	const char *t[2] = {req->tx_business, bahi_db_get(res, 0, 1)};
	return bahi_db_exec(req, &appkey_touch, 2, t) == NULL ? -1 : 0;
}
