/* bahi_idem: claims, stores and replays idempotent POST responses (kept 24 hours). */
#include "bahi_idem.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_buf.h"
#include "bahi_db.h"
#include "bahi_random.h"
#include "bahi_req.h"

/* Clears the key if it has expired, so it can be claimed again. */
static BAHI_STMT(idem_expire,
	"DELETE FROM idempotency_keys WHERE business_id = COALESCE($1::uuid, "
	"'00000000-0000-0000-0000-000000000000') AND key = $2 AND expires_at < now()");
/* Sweeps up to 100 other expired keys of the scope, skipping (never waiting
 * for) those another claim holds, so that no two claims wait on each other. */
static BAHI_STMT(idem_sweep,
	"DELETE FROM idempotency_keys WHERE (business_id, key) IN (SELECT business_id, key"
	" FROM idempotency_keys WHERE business_id = COALESCE($1::uuid,"
	" '00000000-0000-0000-0000-000000000000') AND expires_at < now() AND key <> $2"
	" LIMIT 100 FOR UPDATE SKIP LOCKED)");
static BAHI_STMT(idem_insert,
	"INSERT INTO idempotency_keys (business_id, key, method, path, request_hash)"
	" VALUES (COALESCE($1::uuid, '00000000-0000-0000-0000-000000000000'), $2, $3, $4, $5)"
	" ON CONFLICT (business_id, key) DO NOTHING RETURNING 1");
static BAHI_STMT(idem_load,
	"SELECT request_hash, status, content_type, convert_from(body, 'UTF8')"
	" FROM idempotency_keys WHERE business_id = COALESCE($1::uuid, "
	"'00000000-0000-0000-0000-000000000000') AND key = $2");
static BAHI_STMT(idem_save,
	"UPDATE idempotency_keys SET status = $3::int, content_type = $4,"
	" body = convert_to($5, 'UTF8') WHERE business_id = COALESCE($1::uuid, "
	"'00000000-0000-0000-0000-000000000000') AND key = $2");

static int
key_valid(const char *k)
{
	size_t n = strlen(k);
	if (n < 1 || n > 100)
		return 0;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return 0;
	return 1;
}

/* The fingerprint of what was asked: method, path, query and body. */
static const char *
request_hash(bahi_req *req)
{
	bahi_buf b;
	char hex[65];
	bahi_buf_init(&b, BAHI_MAX_BODY + 4096);
	bahi_buf_printf(&b, "%s\n%s?%s\n", req->method, req->path, req->query);
	if (req->body_len > 0)
		bahi_buf_append(&b, req->body, req->body_len);
	bahi_sha256_hex(b.data, b.len, hex);
	bahi_buf_free(&b);
	return bahi_pool_strdup(req->pool, hex);
}

/* Loads the stored response of an existing key into req. */
static int
idem_replay(bahi_req *req, const char *hash)
{
	const char *p[2] = {req->tx_business, req->idem_key};
	PGresult *res = bahi_db_exec(req, &idem_load, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || bahi_db_isnull(res, 0, 1))
		return bahi_fail(req, "conflict", "A request with this Idempotency-Key is still running.");
	if (strcmp(bahi_db_get(res, 0, 0), hash) != 0)
		return bahi_fail(req, "idempotency_key_reused",
		                 "This Idempotency-Key was used with a different request.");
	int status = (int)strtol(bahi_db_get(res, 0, 1), NULL, 10);
	const char *body = bahi_db_isnull(res, 0, 3) ? "" : bahi_db_get(res, 0, 3);
	bahi_resp_body(req, status, bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 2)),
	               body, strlen(body));
	bahi_resp_header(req, "Idempotent-Replayed", "true");
	req->replayed = 1;
	return 1;
}

int
bahi_idem_claim(bahi_req *req)
{
	if (!key_valid(req->idem_key))
		return bahi_fail(req, "bad_request",
		                 "Idempotency-Key must be 1 to 100 visible ASCII characters.");
	const char *hash = request_hash(req);
	const char *p[5] = {req->tx_business, req->idem_key, req->method, req->path, hash};
	if (bahi_db_exec(req, &idem_expire, 2, p) == NULL ||
	    bahi_db_defer(req, &idem_sweep, 2, p, NULL) != 0)   /* with the insert */
		return -1;
	PGresult *res = bahi_db_exec(req, &idem_insert, 5, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		req->idem_scope = req->tx_business;
		return 0;
	}
	return idem_replay(req, hash);
}

static BAHI_STMT(idem_scope_set, "SELECT set_config('app.business_id', COALESCE($1, ''), true)");
static BAHI_STMT(idem_delete,
	"DELETE FROM idempotency_keys WHERE business_id = COALESCE($1::uuid, "
	"'00000000-0000-0000-0000-000000000000') AND key = $2");

/* Runs st on the claimed key in the scope it was claimed in: a sign-up claims
 * anonymously, then works inside its new business, so switch back for the
 * statement and return to the business afterwards. */
static int
in_claim_scope(bahi_req *req, bahi_stmt *st, int n, const char *const *p)
{
	int rescope = req->idem_scope != req->tx_business;
	const char *scope[1] = {req->idem_scope}, *back[1] = {req->tx_business};
	if (rescope && bahi_db_exec(req, &idem_scope_set, 1, scope) == NULL)
		return -1;
	if (bahi_db_exec(req, st, n, p) == NULL)
		return -1;
	if (rescope && bahi_db_exec(req, &idem_scope_set, 1, back) == NULL)
		return -1;
	return 0;
}

int
bahi_idem_store(bahi_req *req)
{
	const char *p[5] = {
		req->idem_scope, req->idem_key,
		bahi_pool_printf(req->pool, "%d", req->status),
		req->content_type ? req->content_type : "",
		req->out.data ? req->out.data : "",
	};
	return in_claim_scope(req, &idem_save, 5, p);
}

int
bahi_idem_release(bahi_req *req)
{
	const char *p[2] = {req->idem_scope, req->idem_key};
	return in_claim_scope(req, &idem_delete, 2, p);
}
