/* bahi_devices: the rules for listing and revoking devices and for QR-code device pairing. */
#include "bahi_devices.h"

#include <string.h>

#include <qrencode.h>

#include "bahi_activity.h"
#include "bahi_buf.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_perm.h"
#include "bahi_pool.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define STR2(x) #x
#define STR(x) STR2(x)

/* Modules of white around the code, as ISO/IEC 18004 asks. */
#define QR_QUIET 4
/* An SVG of the largest QR code (177 modules square) stays well under this. */
#define QR_SVG_MAX (1024 * 1024)

static BAHI_STMT(dev_page,
	"SELECT id, name, platform, bahi_ts(last_seen_at) AS last_seen_at,"
	" id = $5::uuid AS current, user_id,"
	" (extract(epoch FROM created_at) * 1000000)::bigint AS cursor_key"
	" FROM devices WHERE business_id = $1 AND revoked_at IS NULL"
	" AND ($6::uuid IS NULL OR user_id = $6::uuid)"
	" AND ($2::bigint IS NULL OR (created_at, id) >"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY created_at, id LIMIT $4::int");
static BAHI_STMT(dev_lock,
	"SELECT user_id, name FROM devices WHERE business_id = $1 AND id = $2"
	" AND revoked_at IS NULL FOR UPDATE");

int
bahi_devices_list(bahi_req *req, const bahi_page *pg, cJSON **out)
{
	int all = bahi_perm_allows(req->auth.role, "devices.write");
	const char *extra[2] = {req->auth.device_id, all ? NULL : req->auth.user_id};
	return bahi_page_run(req, &dev_page, pg, 2, extra, out);
}

int
bahi_devices_revoke(bahi_req *req, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &dev_lock, 2, p, "There is no such signed-in device.");
	if (res == NULL)
		return -1;
	const char *name = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 1));
	if (strcmp(bahi_db_get(res, 0, 0), req->auth.user_id) != 0 &&
	    !bahi_perm_allows(req->auth.role, "devices.write"))
		return bahi_fail(req, "forbidden", "You may sign out only your own devices.");
	if (bahi_account_revoke(req, NULL, id) != 0)
		return -1;
	/* it leaves the list of signed-in devices */
	bahi_changelog_add(req, "device", id, "delete", 1);
	return bahi_activity_add(req, "device_revoked", id, name);
}

static BAHI_STMT(pair_purge,
	"DELETE FROM pairing_tokens WHERE business_id = $1 AND expires_at < now() - interval '1 day'");
static BAHI_STMT(pair_insert,
	"INSERT INTO pairing_tokens (business_id, id, user_id, token_hash, expires_at)"
	" VALUES ($1, $2, $3, $4, now() + interval '" STR(BAHI_PAIRING_TTL) " seconds')"
	" RETURNING bahi_ts(expires_at)");

int
bahi_devices_pairing_create(bahi_req *req, cJSON **out)
{
	char token[64], hash[65], id[BAHI_UUID_LEN + 1];
	bahi_random_token(token, sizeof(token), 32);
	bahi_sha256_hex(token, strlen(token), hash);
	bahi_uuid_v7(id);
	const char *p[4] = {req->tx_business, id, req->auth.user_id, hash};
	if (bahi_db_exec(req, &pair_purge, 1, p) == NULL)
		return -1;
	PGresult *res = bahi_db_exec(req, &pair_insert, 4, p);
	if (res == NULL)
		return -1;
	char *svg = bahi_devices_qr_svg(req->pool, token);
	if (svg == NULL)
		return bahi_fail(req, "internal_error", "Could not draw the QR code.");
	if (bahi_activity_add(req, "pairing_created", id, NULL) != 0)
		return -1;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "pairing_token", token);
	cJSON_AddStringToObject(o, "expires_at", bahi_db_get(res, 0, 0));
	cJSON_AddStringToObject(o, "qr_svg", svg);
	*out = o;
	return 0;
}

static BAHI_STMT(pair_lookup,
	"SELECT business_id FROM pairing_tokens WHERE token_hash = $1");
static BAHI_STMT(pair_lock,
	"SELECT t.id, t.user_id, t.used_at IS NOT NULL, t.expires_at <= now(),"
	" u.deleted_at IS NOT NULL FROM pairing_tokens t"
	" JOIN users u ON u.business_id = t.business_id AND u.id = t.user_id"
	" WHERE t.business_id = $1 AND t.token_hash = $2 FOR UPDATE OF t");
static BAHI_STMT(pair_use,
	"UPDATE pairing_tokens SET used_at = now() WHERE business_id = $1 AND id = $2");

int
bahi_devices_pair(bahi_req *req, const char *token, const bahi_device_in *dev, cJSON **out)
{
	char hash[65];
	bahi_sha256_hex(token, strlen(token), hash);
	int found = bahi_account_scope_by_hash(req, &pair_lookup, hash);
	if (found <= 0)
		return found < 0 ? -1 : bahi_fail(req, "unauthorized", "The pairing code is not valid.");
	const char *p[2] = {req->tx_business, hash};
	PGresult *t = bahi_db_exec(req, &pair_lock, 2, p);
	if (t == NULL)
		return -1;
	if (PQntuples(t) != 1)
		return bahi_fail(req, "unauthorized", "The pairing code is not valid.");
	const char *id = bahi_pool_strdup(req->pool, bahi_db_get(t, 0, 0));
	const char *uid = bahi_pool_strdup(req->pool, bahi_db_get(t, 0, 1));
	if (bahi_db_get(t, 0, 2)[0] == 't') {
		/* presented twice: worth a line in the owner's activity log */
		req->auth.user_id = uid;
		if (bahi_activity_add(req, "pairing_reused", id, NULL) == 0)
			req->keep_changes = 1;
		return bahi_fail(req, "unauthorized",
		                 "This pairing code was already used; create a new one.");
	}
	if (bahi_db_get(t, 0, 3)[0] == 't')
		return bahi_fail(req, "unauthorized", "This pairing code has expired; create a new one.");
	if (bahi_db_get(t, 0, 4)[0] == 't')
		return bahi_fail(req, "unauthorized", "The account no longer exists.");
	const char *u[2] = {req->tx_business, id};
	if (bahi_db_exec(req, &pair_use, 2, u) == NULL ||
	    bahi_account_session(req, req->tx_business, uid, dev, out) != 0)
		return -1;
	return bahi_activity_add(req, "device_paired", req->auth.device_id, dev->name);
}

/* Appends one run of dark modules, x0..x1 on row y, as a closed path. */
static void
qr_run(bahi_buf *b, int x0, int x1, int y)
{
	bahi_buf_printf(b, "M%d %dh%dv1h-%dz", x0 + QR_QUIET, y + QR_QUIET, x1 - x0, x1 - x0);
}

char *
bahi_devices_qr_svg(bahi_pool *pool, const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return NULL;
	int w = qr->width, size = w + 2 * QR_QUIET;
	bahi_buf b;
	bahi_buf_init(&b, QR_SVG_MAX);
	bahi_buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
	                " shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\""
	                " fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size, size, size);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w; ) {
			if (!(qr->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int x0 = x;
			while (x < w && (qr->data[y * w + x] & 1))
				x++;
			qr_run(&b, x0, x, y);
		}
	}
	bahi_buf_puts(&b, "\"/></svg>");
	QRcode_free(qr);
	char *svg = b.overflow || b.data == NULL ? NULL : bahi_pool_strdup(pool, b.data);
	bahi_buf_free(&b);
	return svg;
}
