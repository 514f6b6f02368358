/* bahi_account_token: refresh-token rotation with reuse detection, sign-out, revocation and password changes. */
#include "bahi_account.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_activity.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_otp.h"
#include "bahi_password.h"
#include "bahi_random.h"
#include "bahi_req.h"

/* A rotated token presented again within this many seconds is a client's
 * retry racing its own rotation, not theft. */
#define REFRESH_GRACE "10"

static BAHI_STMT(tok_lookup,
	"SELECT business_id FROM refresh_tokens WHERE token_hash = $1");
static BAHI_STMT(tok_lock,
	"SELECT t.id, t.family_id, t.user_id, t.device_id, t.revoked_at IS NOT NULL,"
	" t.expires_at <= now(), t.rotated_at IS NOT NULL,"
	" t.rotated_at > now() - interval '" REFRESH_GRACE " seconds', d.revoked_at IS NOT NULL"
	" FROM refresh_tokens t JOIN devices d ON d.business_id = t.business_id AND d.id = t.device_id"
	" WHERE t.business_id = $1 AND t.token_hash = $2 FOR UPDATE OF t");
static BAHI_STMT(tok_rotate,
	"UPDATE refresh_tokens SET rotated_at = COALESCE(rotated_at, now())"
	" WHERE business_id = $1 AND id = $2");
static BAHI_STMT(tok_revoke_family,
	"UPDATE refresh_tokens SET revoked_at = now() WHERE business_id = $1 AND family_id = $2"
	" AND revoked_at IS NULL");

int
bahi_account_scope_by_hash(bahi_req *req, bahi_stmt *lookup, const char *hash)
{
	const char *p[1] = {hash};
	if (bahi_tx_set_lookup(req, "app.token_hash", hash) != 0)
		return -1;
	PGresult *res = bahi_db_exec(req, lookup, 1, p);
	if (res == NULL || bahi_tx_set_lookup(req, "app.token_hash", "") != 0)
		return -1;
	if (PQntuples(res) != 1)
		return 0;
	return bahi_tx_set_business(req, bahi_db_get(res, 0, 0)) == 0 ? 1 : -1;
}

int
bahi_account_refresh(bahi_req *req, const char *token, cJSON **out)
{
	char hash[65];
	bahi_sha256_hex(token, strlen(token), hash);
	int found = bahi_account_scope_by_hash(req, &tok_lookup, hash);
	if (found <= 0)
		return found < 0 ? -1 : bahi_fail(req, "unauthorized", "The refresh token is not valid.");
	const char *p[2] = {req->tx_business, hash};
	PGresult *t = bahi_db_exec(req, &tok_lock, 2, p);
	if (t == NULL)
		return -1;
	if (PQntuples(t) != 1)
		return bahi_fail(req, "unauthorized", "The refresh token is not valid.");
	const char *id = bahi_db_get(t, 0, 0), *family = bahi_db_get(t, 0, 1);
	int revoked = bahi_db_get(t, 0, 4)[0] == 't', expired = bahi_db_get(t, 0, 5)[0] == 't';
	int rotated = bahi_db_get(t, 0, 6)[0] == 't', grace = bahi_db_get(t, 0, 7)[0] == 't';
	int device_gone = bahi_db_get(t, 0, 8)[0] == 't';
	req->auth.user_id = bahi_pool_strdup(req->pool, bahi_db_get(t, 0, 2));
	req->auth.device_id = bahi_pool_strdup(req->pool, bahi_db_get(t, 0, 3));
	if (revoked || expired || device_gone)
		return bahi_fail(req, "unauthorized", "The refresh token is no longer valid; sign in again.");
	if (rotated && !grace) {
		const char *f[2] = {req->tx_business, family};
		if (bahi_db_exec(req, &tok_revoke_family, 2, f) == NULL ||
		    bahi_activity_add(req, "refresh_token_reused", NULL, NULL) != 0)
			return -1;
		req->keep_changes = 1;
		return bahi_fail(req, "refresh_token_reused",
		                 "This refresh token was already used; the session is ended for safety.");
	}
	const char *r[2] = {req->tx_business, id};
	if (bahi_db_exec(req, &tok_rotate, 2, r) == NULL)
		return -1;
	return bahi_account_session_tokens(req, req->auth.user_id, req->auth.device_id, family, out);
}

static BAHI_STMT(tok_revoke_devices,
	"WITH d AS (UPDATE devices SET revoked_at = now() WHERE business_id = $1"
	"  AND ($2::uuid IS NULL OR user_id = $2) AND ($3::uuid IS NULL OR id = $3)"
	"  AND revoked_at IS NULL RETURNING id)"
	" UPDATE refresh_tokens SET revoked_at = now() WHERE business_id = $1 AND revoked_at IS NULL"
	" AND (device_id IN (SELECT id FROM d) OR (($2::uuid IS NULL OR user_id = $2)"
	"  AND ($3::uuid IS NULL OR device_id = $3)))");

int
bahi_account_revoke(bahi_req *req, const char *user_id, const char *device_id)
{
	const char *p[3] = {req->tx_business, user_id, device_id};
	return bahi_db_exec(req, &tok_revoke_devices, 3, p) == NULL ? -1 : 0;
}

int
bahi_account_logout(bahi_req *req)
{
	if (bahi_account_revoke(req, NULL, req->auth.device_id) != 0)
		return -1;
	bahi_changelog_add(req, "device", req->auth.device_id, "delete", 1);
	return bahi_activity_add(req, "signout", NULL, NULL);
}

static BAHI_STMT(tok_user_hash,
	"SELECT password_hash FROM users WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL"
	" FOR UPDATE");
static BAHI_STMT(tok_set_password,
	"UPDATE users SET password_hash = $3, token_version = token_version + 1,"
	" version = version + 1, updated_at = now() WHERE business_id = $1 AND id = $2"
	" RETURNING version");

/* Stores next as uid's password and ends every session of the user. */
static int
set_password(bahi_req *req, const char *uid, const char *next, const char *action)
{
	char hash[BAHI_PASSWORD_HASH_MAX];
	if (bahi_account_check_password(req, next, "new_password") != 0)
		return -1;
	if (bahi_password_hash(next, hash) != 0)
		return bahi_fail(req, "internal_error", "Could not hash the password.");
	const char *p[3] = {req->tx_business, uid, hash};
	PGresult *res = bahi_db_exec(req, &tok_set_password, 3, p);
	if (res == NULL || bahi_account_revoke(req, uid, NULL) != 0)
		return -1;
	bahi_changelog_add(req, "user", uid, "upsert", (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return bahi_activity_add(req, action, NULL, NULL);
}

int
bahi_account_change_password(bahi_req *req, const char *current, const char *next)
{
	const char *p[2] = {req->tx_business, req->auth.user_id};
	PGresult *u = bahi_db_exec(req, &tok_user_hash, 2, p);
	if (u == NULL)
		return -1;
	if (PQntuples(u) != 1 || !bahi_password_verify(bahi_db_get(u, 0, 0), current)) {
		bahi_problem_field(&req->problem, "current_password", "wrong_password",
		                   "The current password is wrong.");
		return -1;
	}
	return set_password(req, req->auth.user_id, next, "password_changed");
}

int
bahi_account_reset_password(bahi_req *req, const char *phone_in, const char *otp, const char *next)
{
	char phone[32];
	if (bahi_account_phone(req, phone_in, "phone", phone) != 0 ||
	    bahi_otp_consume(req, phone, "reset", otp) != 0)
		return -1;
	PGresult *u = bahi_account_find_login(req, phone);
	if (u == NULL)
		return -1;
	if (PQntuples(u) != 1)
		return bahi_fail(req, "otp_invalid", "The code is not valid; request a new one.");
	const char *uid = bahi_pool_strdup(req->pool, bahi_db_get(u, 0, 1));
	if (bahi_tx_set_business(req, bahi_db_get(u, 0, 0)) != 0)
		return -1;
	req->auth.user_id = uid;
	return set_password(req, uid, next, "password_reset");
}
