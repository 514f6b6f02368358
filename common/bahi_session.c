/* bahi_session: bearer-token authentication and the per-request session and permission check. */
#include "bahi_session.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <sodium.h>

#include "bahi_appkey.h"
#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_jwt.h"
#include "bahi_log.h"
#include "bahi_perm.h"
#include "bahi_req.h"
#include "bahi_router.h"
#include "bahi_worker.h"

/* Access tokens libjwt has verified in this process, by a keyed hash of the
 * whole token (so that timing says nothing about a token's bytes): a token
 * seen again skips the signature and JSON work, while its time claims are
 * checked again on every use. The session itself (revocation, password,
 * role) is checked in the database on every request, cached or not. */
#define TOKEN_CACHE 64

typedef struct cached_token {
	unsigned char hash[crypto_generichash_BYTES];
	int used;
	bahi_jwt_kind kind;
	bahi_claims claims;
} cached_token;

static struct {
	unsigned char key[crypto_generichash_KEYBYTES];
	int keyed;
	cached_token slot[TOKEN_CACHE];
} tokens;

int
bahi_session_init(void)
{
	/* tokens verified with other keys must be verified again */
	memset(tokens.slot, 0, sizeof(tokens.slot));
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

/* bahi_jwt_verify's time checks, for a token it accepted before. */
static int
claims_in_time(const bahi_claims *c, time_t now)
{
	if (c->nbf > (long)now || c->iat > (long)now + 60)
		return -1;
	return c->exp <= (long)now ? 1 : 0;
}

/* bahi_jwt_verify, through the cache of tokens it accepted. */
static int
verify_token(const char *token, time_t now, bahi_jwt_kind kind, bahi_claims *c)
{
	size_t len = strlen(token);
	if (len > BAHI_JWT_MAX)
		return -1;
	if (!tokens.keyed) {
		randombytes_buf(tokens.key, sizeof(tokens.key));
		tokens.keyed = 1;
	}
	unsigned char hash[crypto_generichash_BYTES];
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)token, len, tokens.key,
	                   sizeof(tokens.key));
	cached_token *t = &tokens.slot[hash[0] % TOKEN_CACHE];
	if (t->used && t->kind == kind && sodium_memcmp(t->hash, hash, sizeof(hash)) == 0) {
		*c = t->claims;
		return claims_in_time(c, now);
	}
	int rc = bahi_jwt_verify_kind(token, now, kind, c);
	if (rc == 0) {
		memcpy(t->hash, hash, sizeof(hash));
		t->kind = kind;
		t->claims = *c;
		t->used = 1;
	}
	return rc;
}

/* The caller, as a verified token's claims name them. */
static void
set_auth(bahi_req *req, const bahi_claims *c)
{
	req->auth.user_id = bahi_pool_strdup(req->pool, c->sub);
	req->auth.business_id = bahi_pool_strdup(req->pool, c->bid);
	req->auth.device_id = bahi_pool_strdup(req->pool, c->did);
	req->auth.role = bahi_pool_strdup(req->pool, c->role);
	req->auth.token_version = c->ver;
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
	int rc = verify_token(h + 7, time(NULL), BAHI_JWT_ACCESS, &c);
	if (rc == 1)
		return bahi_fail(req, "token_expired", "The access token has expired; refresh it.");
	if (rc != 0)
		return bahi_fail(req, "unauthorized", "The access token is not valid.");
	set_auth(req, &c);
	return 0;
}

int
bahi_session_authenticate_web(bahi_req *req, const char *token, long *expires)
{
	bahi_claims c;
	if (token == NULL || verify_token(token, time(NULL), BAHI_JWT_WEB, &c) != 0)
		return bahi_fail(req, "unauthorized", "Sign in first.");
	set_auth(req, &c);
	if (expires != NULL)
		*expires = c.exp;
	return 0;
}

/* BAHI_SESSION_SELECT as a check that fails with SQLSTATE BH401 when the
 * session has ended or BH403 when the role may not do this (bahi_refuse, in
 * sql/migrations/0008_session_check.sql), rather than answer: so that the
 * server runs nothing sent after it in the same round trip. */
static BAHI_STMT(session_check,
	"SELECT CASE WHEN s.role IS NULL THEN bahi_refuse('BH401', NULL)"
	" WHEN NOT s.allowed THEN bahi_refuse('BH403', s.role) ELSE s.role END,"
	" s.allowed, s.touch FROM (SELECT) one LEFT JOIN (" BAHI_SESSION_SELECT("")
	") s (role, allowed, touch) ON true");
/* Marks the device seen, at most once a minute, so reads stay cheap. Never
 * waits: a device row another transaction holds (a trigger of its user or
 * business, 0014_device_sessions.sql) is left for the next request. */
static BAHI_STMT(session_touch,
	"UPDATE devices SET last_seen_at = now()"
	" WHERE (business_id, id) IN (SELECT business_id, id FROM devices"
	"   WHERE business_id = $1 AND id = $2 AND revoked_at IS NULL"
	"   AND last_seen_at < now() - interval '60 seconds' FOR NO KEY UPDATE SKIP LOCKED)");

/* The roles holding perm as a text[] literal ("{owner,admin}"), NULL for any:
 * also when every role holds it (users.role admits no other), as on most
 * reads ("session", "catalog.read"), which spares the server an array
 * parameter to parse on every request. */
static const char *
perm_roles(bahi_req *req, const char *perm)
{
	static const char *const roles[] = {"owner", "admin", "clerk"};
	enum { NROLES = sizeof(roles) / sizeof(roles[0]) };
	int held[NROLES], nheld = 0;
	if (perm == NULL)
		return NULL;
	for (int i = 0; i < NROLES; i++) {
		held[i] = bahi_perm_allows(roles[i], perm);
		nheld += held[i] != 0;
	}
	if (nheld == NROLES)
		return NULL;
	char buf[64] = "{";
	size_t len = 1;
	for (int i = 0; i < NROLES; i++)
		if (held[i])
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
			                        len > 1 ? "," : "", roles[i]);
	snprintf(buf + len, sizeof(buf) - len, "}");
	return bahi_pool_strdup(req->pool, buf);
}

/* The check's parameters ($1..$5 of BAHI_SESSION_SELECT). */
static const char *const *
check_params(bahi_req *req, const char *perm)
{
	const char **p = bahi_pool_alloc(req->pool, 5 * sizeof(*p));
	p[0] = req->auth.business_id;
	p[1] = req->auth.device_id;
	p[2] = req->auth.user_id;
	p[3] = bahi_pool_printf(req->pool, "%ld", req->auth.token_version);
	p[4] = perm_roles(req, perm);
	return p;
}

static int
is_read(const bahi_req *req)
{
	return strcmp(req->method, "GET") == 0 || req->is_head;
}

/* The refresh's answer needs no look: a failure fails the request. */
static int
touched(bahi_req *req, PGresult *res)
{
	return 0;
}

/* The session check's answer (either statement): the role as stored now
 * (and the device's last_seen_at refresh queued when due), or the problem. */
static int
session_checked(bahi_req *req, PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *role = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		if (PQntuples(res) != 1)
			state = "BH401";
		else if (bahi_db_get(res, 0, 1)[0] != 't')
			state = "BH403";
		role = PQntuples(res) == 1 ? bahi_db_get(res, 0, 0) : NULL;
	} else if (state == NULL) {
		return -1;
	}
	if (state != NULL && strcmp(state, "BH401") == 0)
		return bahi_fail(req, "unauthorized", "This session has ended; sign in again.");
	if (state != NULL && strcmp(state, "BH403") == 0)
		return bahi_fail(req, "forbidden", "Your role (%s) may not do this.",
		                 role != NULL && bahi_perm_role_valid(role) ? role : "unknown");
	if (state != NULL)
		return -1;
	req->auth.role = bahi_pool_strdup(req->pool, role);
	if (bahi_db_get(res, 0, 2)[0] != 't')
		return 0;
	const char *p[2] = {req->auth.business_id, req->auth.device_id};
	/* a write locks its device row last, without waiting: triggers of users
	 * and businesses lock device rows after theirs (0014_device_sessions.sql) */
	if (!is_read(req))
		return bahi_db_at_commit(req, &session_touch, 2, p, touched);
	return bahi_db_defer(req, &session_touch, 2, p, touched);
}

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
	if (bahi_db_defer(req, &session_check, 5, check_params(req, perm), session_checked) != 0)
		return -1;
	/* A read's check goes out with its first statement: the server runs
	 * nothing after a failed check, and the handler sees no result before
	 * the check's. A write's is answered before its handler runs. */
	if (is_read(req) || (req->route != NULL && (req->route->flags & BAHI_CHECK_LATE)))
		return 0;
	return bahi_db_flush(req);
}

int
bahi_session_settle(bahi_req *req)
{
	if (!bahi_db_waiting(&session_check))   /* answered already, or never asked */
		return 0;
	/* it went first in the queue: whatever follows it is skipped if it fails */
	bahi_problem failed = req->problem;
	if (bahi_db_flush(req) != 0)
		return -1;
	req->problem = failed;
	return 0;
}

PGresult *
bahi_session_exec_last(bahi_req *req, bahi_stmt *st)
{
	if (req->auth.device_id == NULL) {
		bahi_fail(req, "forbidden", "App keys may not do this.");
		return NULL;
	}
	const char *const *p = bahi_db_withdraw(&session_check);
	if (p == NULL)   /* checked already: checking again is harmless */
		p = check_params(req, req->route ? req->route->permission : NULL);
	PGresult *res = bahi_db_exec_last(req, st, 5, p);
	/* the flush sends the device's last_seen_at refresh when one is due */
	if (res == NULL || session_checked(req, res) != 0 || bahi_db_flush(req) != 0)
		return NULL;
	return res;
}
