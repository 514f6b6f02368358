/* bahi_session: bearer-token authentication and the per-request session and permission check. */
#include "bahi_session.h"

#include <string.h>
#include <unistd.h>
#include <time.h>

#include "bahi_appkey.h"
#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_jwt.h"
#include "bahi_log.h"
#include "bahi_perm.h"
#include "bahi_req.h"
#include "bahi_worker.h"

int
bahi_session_init(void)
{
	return bahi_jwt_init(bahi_config_get("jwt_secret"), bahi_config_get("jwt_old_secret"));
}

void
bahi_session_process_init(void)
{
	if (bahi_session_init() != 0) {
		bahi_log_error(NULL, "jwt_secret must be set to at least 32 characters");
		_exit(BAHI_EXIT_CONFIG);
	}
}

int
bahi_session_authenticate(bahi_req *req)
{
	const char *h = bahi_req_header(req, "Authorization");
	const char *key = bahi_req_header(req, "X-App-Key");
	if (h == NULL && key != NULL) {
		/* the key is checked in the transaction, where its business is found */
		req->auth.app_key = key;
		return 0;
	}
	if (h == NULL || strncmp(h, "Bearer ", 7) != 0 || h[7] == '\0')
		return bahi_fail(req, "unauthorized", "Send an access token: Authorization: Bearer <token>.");
	bahi_claims c;
	int rc = bahi_jwt_verify(h + 7, time(NULL), &c);
	if (rc == 1)
		return bahi_fail(req, "token_expired", "The access token has expired; refresh it.");
	if (rc != 0)
		return bahi_fail(req, "unauthorized", "The access token is not valid.");
	req->auth.user_id = bahi_pool_strdup(req->pool, c.sub);
	req->auth.business_id = bahi_pool_strdup(req->pool, c.bid);
	req->auth.device_id = bahi_pool_strdup(req->pool, c.did);
	req->auth.role = bahi_pool_strdup(req->pool, c.role);
	req->auth.token_version = c.ver;
	return 0;
}

/* One round trip: is the session live, what is the role now, and mark the
 * device seen (at most once a minute, so reads stay cheap). */
static BAHI_STMT(session_check,
	"WITH s AS ("
	"  SELECT u.role FROM devices d"
	"  JOIN users u ON u.business_id = d.business_id AND u.id = d.user_id"
	"  JOIN businesses b ON b.id = d.business_id"
	"  WHERE d.business_id = $1 AND d.id = $2 AND d.user_id = $3"
	"    AND d.revoked_at IS NULL AND u.deleted_at IS NULL AND b.deleted_at IS NULL"
	"    AND u.token_version = $4::int),"
	" touch AS ("
	"  UPDATE devices SET last_seen_at = now()"
	"  WHERE business_id = $1 AND id = $2 AND revoked_at IS NULL"
	"    AND last_seen_at < now() - interval '60 seconds' AND EXISTS (SELECT 1 FROM s)"
	"  RETURNING 1)"
	" SELECT role FROM s");

int
bahi_session_authorize(bahi_req *req, const char *perm)
{
	if (req->auth.app_key != NULL) {
		if (bahi_appkey_authorize(req, req->auth.app_key) != 0)
			return -1;
		if (!bahi_perm_allows("app", perm))
			return bahi_fail(req, "forbidden", "App keys may not do this.");
		return 0;
	}
	if (req->auth.device_id == NULL)
		return bahi_fail(req, "unauthorized", "Sign in first.");
	const char *p[4] = {
		req->auth.business_id, req->auth.device_id, req->auth.user_id,
		bahi_pool_printf(req->pool, "%ld", req->auth.token_version),
	};
	PGresult *res = bahi_db_exec(req, &session_check, 4, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return bahi_fail(req, "unauthorized", "This session has ended; sign in again.");
	req->auth.role = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	if (!bahi_perm_allows(req->auth.role, perm))
		return bahi_fail(req, "forbidden", "Your role (%s) may not do this.", req->auth.role);
	return 0;
}
