/* bahi_account: creating businesses and owners, signing in, and opening device sessions. */
#include "bahi_account.h"
#include "bahi_account_cols.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bahi_activity.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_jwt.h"
#include "bahi_otp.h"
#include "bahi_password.h"
#include "bahi_phone.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define REFRESH_TTL_DAYS "60"

int
bahi_account_phone(bahi_req *req, const char *in, const char *field, char *out)
{
	if (bahi_phone_normalise(in, "PK", out) != 0) {
		bahi_problem_field(&req->problem, field, "invalid_phone",
		                   "Must be a phone number such as +923001234567 or 03001234567.");
		return -1;
	}
	return 0;
}

int
bahi_account_check_password(bahi_req *req, const char *pw, const char *field)
{
	const char *weak = bahi_password_problem(pw);
	if (weak == NULL)
		return 0;
	bahi_problem_field(&req->problem, field, weak,
	                   "Use 8 to 128 characters that are not a common password.");
	return -1;
}

static BAHI_STMT(acct_user,
	"SELECT " USER_COLS("") " FROM users WHERE business_id = $1 AND id = $2");
static BAHI_STMT(acct_business,
	"SELECT " BUSINESS_COLS("") " FROM businesses WHERE id = $1");
static BAHI_STMT(acct_device,
	"SELECT " DEVICE_COLS " FROM devices WHERE business_id = $1 AND id = $2");
static cJSON *
one_row(bahi_req *req, bahi_stmt *st, int n, const char *const *p)
{
	PGresult *res = bahi_db_one(req, st, n, p, NULL);
	return res ? bahi_json_row(res, 0) : NULL;
}

cJSON *
bahi_account_user_json(bahi_req *req, const char *user_id)
{
	const char *p[2] = {req->tx_business, user_id};
	return one_row(req, &acct_user, 2, p);
}

cJSON *
bahi_account_business_json(bahi_req *req)
{
	const char *p[1] = {req->tx_business};
	return one_row(req, &acct_business, 1, p);
}

cJSON *
bahi_account_device_json(bahi_req *req, const char *device_id)
{
	const char *p[2] = {req->tx_business, device_id};
	return one_row(req, &acct_device, 2, p);
}

static BAHI_STMT(acct_lock_business, "SELECT device_cap FROM businesses WHERE id = $1 FOR UPDATE");
static BAHI_STMT(acct_device_upsert,
	"INSERT INTO devices (business_id, id, user_id, name, platform, last_seen_at)"
	" VALUES ($1, $2, $3, $4, $5, clock_timestamp())"
	" ON CONFLICT (business_id, id) DO UPDATE SET"
	" name = EXCLUDED.name, platform = EXCLUDED.platform, revoked_at = EXCLUDED.revoked_at,"
	" user_role = EXCLUDED.user_role, token_version = EXCLUDED.token_version,"
	" profile_stamp = devices.profile_stamp + 1,"
	" last_seen_at = clock_timestamp() WHERE devices.user_id = EXCLUDED.user_id"
	" RETURNING id");
/* Signs out the least recently used devices beyond the cap (the new one
 * stays), locking them in id order as the triggers of users and businesses
 * do (0014_device_sessions.sql). */
static BAHI_STMT(acct_enforce_cap,
	"WITH lru AS (SELECT id FROM devices WHERE business_id = $1 AND revoked_at IS NULL"
	"  AND id <> $2 ORDER BY last_seen_at DESC, created_at DESC OFFSET $3::int - 1),"
	" r AS (UPDATE devices SET revoked_at = now() WHERE business_id = $1 AND id IN ("
	"  SELECT id FROM devices WHERE business_id = $1 AND id IN (SELECT id FROM lru)"
	"  ORDER BY id FOR NO KEY UPDATE) RETURNING id)"
	" UPDATE refresh_tokens SET revoked_at = now() WHERE business_id = $1"
	" AND revoked_at IS NULL AND device_id = ANY (ARRAY(SELECT id FROM r) || $2::uuid)");
static BAHI_STMT(acct_refresh_insert,
	"INSERT INTO refresh_tokens (business_id, id, family_id, user_id, device_id, token_hash,"
	" expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + interval '" REFRESH_TTL_DAYS " days')");
static BAHI_STMT(acct_user_auth,
	"SELECT role, token_version FROM users WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");

int
bahi_account_session_tokens(bahi_req *req, const char *uid, const char *did, const char *family, cJSON **out)
{
	const char *p[6] = {req->tx_business, uid};
	PGresult *u = bahi_db_exec(req, &acct_user_auth, 2, p);
	if (u == NULL)
		return -1;
	if (PQntuples(u) != 1)
		return bahi_fail(req, "unauthorized", "The account no longer exists.");
	bahi_claims c;
	memset(&c, 0, sizeof(c));
	snprintf(c.sub, sizeof(c.sub), "%s", uid);
	snprintf(c.bid, sizeof(c.bid), "%s", req->tx_business);
	snprintf(c.did, sizeof(c.did), "%s", did);
	snprintf(c.role, sizeof(c.role), "%s", bahi_db_get(u, 0, 0));
	c.ver = strtol(bahi_db_get(u, 0, 1), NULL, 10);
	char *access = bahi_jwt_issue(&c, time(NULL));
	if (access == NULL)
		return bahi_fail(req, "internal_error", "Could not sign the access token.");
	bahi_pool_cleanup(req->pool, free, access);
	char refresh[64], hash[65], id[BAHI_UUID_LEN + 1];
	bahi_random_token(refresh, sizeof(refresh), 32);
	bahi_sha256_hex(refresh, strlen(refresh), hash);
	bahi_uuid_v7(id);
	const char *ins[6] = {req->tx_business, id, family, uid, did, hash};
	if (bahi_db_exec(req, &acct_refresh_insert, 6, ins) == NULL)
		return -1;
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "access_token", access);
	cJSON_AddStringToObject(body, "refresh_token", refresh);
	cJSON_AddStringToObject(body, "token_type", "Bearer");
	cJSON_AddNumberToObject(body, "expires_in", BAHI_JWT_TTL);
	cJSON *user = bahi_account_user_json(req, uid), *biz = bahi_account_business_json(req);
	cJSON *dev = bahi_account_device_json(req, did);
	cJSON_AddItemToObject(body, "user", user ? user : cJSON_CreateNull());
	cJSON_AddItemToObject(body, "business", biz ? biz : cJSON_CreateNull());
	cJSON_AddItemToObject(body, "device", dev ? dev : cJSON_CreateNull());
	*out = body;
	if (user == NULL || biz == NULL || dev == NULL) {
		cJSON_Delete(body);
		return -1;
	}
	return 0;
}

int
bahi_account_session(bahi_req *req, const char *bid, const char *uid,
                     const bahi_device_in *dev, cJSON **out)
{
	char did[BAHI_UUID_LEN + 1], family[BAHI_UUID_LEN + 1];
	if (dev->id != NULL)
		snprintf(did, sizeof(did), "%s", dev->id);
	else
		bahi_uuid_v7(did);
	bahi_uuid_v7(family);
	const char *p[5] = {bid};
	PGresult *b = bahi_db_exec(req, &acct_lock_business, 1, p);
	if (b == NULL)
		return -1;
	if (PQntuples(b) != 1)
		return bahi_fail(req, "unauthorized", "The business no longer exists.");
	const char *cap = bahi_pool_strdup(req->pool, bahi_db_get(b, 0, 0));
	const char *up[5] = {bid, did, uid, dev->name, dev->platform};
	const char *en[3] = {bid, did, cap};
	PGresult *d = bahi_db_exec(req, &acct_device_upsert, 5, up);
	if (d == NULL)
		return -1;
	/* a device id is one user's: another user may not take it over */
	if (PQntuples(d) != 1)
		return bahi_fail(req, "conflict", "This device id belongs to another user; "
		                 "send a new device id.");
	if (bahi_db_exec(req, &acct_enforce_cap, 3, en) == NULL)
		return -1;
	req->auth.user_id = bahi_pool_strdup(req->pool, uid);
	req->auth.device_id = bahi_pool_strdup(req->pool, did);
	bahi_changelog_add(req, "device", did, "upsert", 1);
	return bahi_account_session_tokens(req, uid, did, family, out);
}

static BAHI_STMT(acct_login_lookup,
	"SELECT business_id, id, password_hash FROM users WHERE phone = $1 AND deleted_at IS NULL");

PGresult *
bahi_account_find_login(bahi_req *req, const char *phone)
{
	const char *p[1] = {phone};
	if (bahi_tx_set_lookup(req, "app.login_phone", phone) != 0)
		return NULL;
	PGresult *res = bahi_db_exec(req, &acct_login_lookup, 1, p);
	if (res != NULL && bahi_tx_set_lookup(req, "app.login_phone", "") != 0)
		return NULL;
	return res;
}

int
bahi_account_login(bahi_req *req, const char *phone_in, const char *password,
                   const bahi_device_in *dev, cJSON **out)
{
	char phone[32] = "";
	PGresult *u = NULL;
	if (bahi_phone_normalise(phone_in, "PK", phone) == 0 && (u = bahi_account_find_login(req, phone)) == NULL)
		return -1;
	int known = u != NULL && PQntuples(u) == 1;
	/* the same Argon2id work whether or not the phone is known */
	int ok = bahi_password_verify(known ? bahi_db_get(u, 0, 2) : NULL, password);
	if (!ok) {
		if (known && bahi_tx_set_business(req, bahi_db_get(u, 0, 0)) == 0) {
			req->auth.user_id = bahi_pool_strdup(req->pool, bahi_db_get(u, 0, 1));
			if (bahi_activity_add(req, "signin_failed", phone, NULL) == 0)
				req->keep_changes = 1;
		}
		return bahi_fail(req, "invalid_credentials", "The phone number or password is wrong.");
	}
	const char *bid = bahi_pool_strdup(req->pool, bahi_db_get(u, 0, 0));
	const char *uid = bahi_pool_strdup(req->pool, bahi_db_get(u, 0, 1));
	if (bahi_tx_set_business(req, bid) != 0 || bahi_account_session(req, bid, uid, dev, out) != 0)
		return -1;
	return bahi_activity_add(req, "signin", dev->name, dev->platform);
}

static BAHI_STMT(acct_business_insert,
	"INSERT INTO businesses (id, name, type, currency, timezone, tax_rate_bp)"
	" VALUES ($1, $2, $3, COALESCE($4, 'PKR'), COALESCE($5, 'Asia/Karachi'),"
	" COALESCE($6::int, 1900))");
static BAHI_STMT(acct_owner_insert,
	"INSERT INTO users (business_id, id, phone, name, role, password_hash)"
	" VALUES ($1, $2, $3, $4, 'owner', $5)");

int
bahi_account_create(bahi_req *req, const bahi_signup_in *in, const char *phone,
                    char *bid, char *uid)
{
	char hash[BAHI_PASSWORD_HASH_MAX];
	if (bahi_account_check_password(req, in->password, "password") != 0)
		return -1;
	if (bahi_password_hash(in->password, hash) != 0)
		return bahi_fail(req, "internal_error", "Could not hash the password.");
	bahi_uuid_v7(bid);
	bahi_uuid_v7(uid);
	const char *tax = in->tax_rate_bp < 0 ? NULL :
	                  bahi_pool_printf(req->pool, "%lld", (long long)in->tax_rate_bp);
	const char *b[6] = {bid, in->business_name, in->business_type, in->currency, in->timezone, tax};
	const char *o[5] = {bid, uid, phone, in->name, hash};
	if (bahi_tx_set_business(req, bid) != 0 ||
	    bahi_db_exec(req, &acct_business_insert, 6, b) == NULL)
		return -1;
	if (bahi_db_try(req, &acct_owner_insert, 5, o) == NULL)
		return strcmp(req->sqlstate, "23505") == 0 ?
		       bahi_fail(req, "phone_taken", "This phone number already has an account.") : -1;
	bahi_changelog_add(req, "business", bid, "upsert", 1);
	bahi_changelog_add(req, "user", uid, "upsert", 1);
	req->auth.user_id = bahi_pool_strdup(req->pool, uid);
	return bahi_activity_add(req, "signup", in->business_name, NULL);
}

int
bahi_account_signup(bahi_req *req, const bahi_signup_in *in, cJSON **out)
{
	char phone[32], bid[BAHI_UUID_LEN + 1], uid[BAHI_UUID_LEN + 1];
	if (bahi_account_phone(req, in->phone, "phone", phone) != 0)
		return -1;
	if (bahi_account_check_password(req, in->password, "password") != 0)
		return -1;
	PGresult *u = bahi_account_find_login(req, phone);
	if (u == NULL)
		return -1;
	if (PQntuples(u) > 0)
		return bahi_fail(req, "phone_taken", "This phone number already has an account; sign in.");
	if (bahi_otp_consume(req, phone, "signup", in->otp) != 0 ||
	    bahi_account_create(req, in, phone, bid, uid) != 0)
		return -1;
	return bahi_account_session(req, bid, uid, &in->device, out);
}
