/* bahi_account_me: GET /me's body, the caller's user and business kept per process until their stamp changes. */
#include "bahi_account.h"
#include "bahi_account_cols.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_buf.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_perm.h"
#include "bahi_req.h"
#include "bahi_session.h"
#include "bahi_uuid.h"

/* The session check, with the stamp of the device's user and business and
 * the device as the API shows it (last_seen_at as the check's refresh, due
 * or not, leaves it). */
static BAHI_STMT(me_device, BAHI_SESSION_SELECT(
	", d.profile_stamp, d.id, d.name, d.platform,"
	TS_UTC("CASE WHEN d.last_seen_at < now() - interval '60 seconds'"
	       " THEN now() ELSE d.last_seen_at END") " AS last_seen_at,"
	TS_UTC("d.created_at") " AS created_at"));
/* The caller's user and business and the stamp they go with, in one snapshot. */
static BAHI_STMT(me_records,
	"SELECT d.profile_stamp, " USER_COLS_TS("u.", TS_UTC) ", " BUSINESS_COLS_TS("b.", TS_UTC)
	" FROM devices d JOIN users u ON u.business_id = d.business_id AND u.id = d.user_id"
	" JOIN businesses b ON b.id = d.business_id"
	" WHERE d.business_id = $1 AND d.id = $2 AND d.revoked_at IS NULL");

#define ME_SLOTS 16

/* One device's user and business as last read: "{"user":{...},"business":{...}",
 * valid while the device's profile_stamp is still stamp. */
typedef struct me_entry {
	char business[BAHI_UUID_LEN + 1];
	char device[BAHI_UUID_LEN + 1];
	char user[BAHI_UUID_LEN + 1];
	char stamp[24];
	char *json;
	size_t len;
} me_entry;

static me_entry me_cache[ME_SLOTS];

/* The slot of a device (FNV-1a of its id). */
static me_entry *
me_slot(const char *device)
{
	unsigned h = 2166136261u;
	for (const unsigned char *c = (const unsigned char *)device; *c; c++)
		h = (h ^ *c) * 16777619u;
	return &me_cache[h % ME_SLOTS];
}

static int
me_fresh(const me_entry *e, const bahi_req *req, const char *stamp)
{
	return e->json != NULL && strcmp(e->stamp, stamp) == 0 &&
	       strcmp(e->device, req->auth.device_id) == 0 &&
	       strcmp(e->business, req->auth.business_id) == 0 &&
	       strcmp(e->user, req->auth.user_id) == 0;
}

/* Reads the caller's user and business into e, in a transaction of their own
 * (the request's ended with the check). 0, or -1 with a problem. */
static int
me_load(bahi_req *req, me_entry *e)
{
	if (bahi_tx_commit(req) != 0 || bahi_tx_begin(req, req->auth.business_id) != 0)
		return -1;
	const char *p[2] = {req->auth.business_id, req->auth.device_id};
	PGresult *res = bahi_db_exec_last(req, &me_records, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return bahi_fail(req, "unauthorized", "This session has ended; sign in again.");
	bahi_buf b;
	bahi_buf_init(&b, 16 * 1024);
	int rc = bahi_buf_puts(&b, "{\"user\":") |
	         bahi_json_cols_write(&b, res, 0, 1, USER_NCOLS) |
	         bahi_buf_puts(&b, ",\"business\":") |
	         bahi_json_cols_write(&b, res, 0, 1 + USER_NCOLS, BUSINESS_NCOLS);
	char *json = rc == 0 ? malloc(b.len) : NULL;
	if (json != NULL) {
		memcpy(json, b.data, b.len);
		free(e->json);
		e->json = json;
		e->len = b.len;
		snprintf(e->stamp, sizeof(e->stamp), "%s", bahi_db_get(res, 0, 0));
		snprintf(e->business, sizeof(e->business), "%s", req->auth.business_id);
		snprintf(e->device, sizeof(e->device), "%s", req->auth.device_id);
		snprintf(e->user, sizeof(e->user), "%s", req->auth.user_id);
	}
	bahi_buf_free(&b);
	return json != NULL ? 0 : bahi_fail(req, "internal_error", "Could not write the response.");
}

/* The role's permissions as a JSON array (their names are short and need no
 * escaping), gathered in a local buffer so that b takes it in one append. */
static int
write_perms(bahi_buf *b, const char *role)
{
	const char *const *first = bahi_perm_list(role);
	char text[1024];
	size_t len = 1;
	int rc = 0;
	text[0] = '[';
	for (const char *const *p = first; *p; p++) {
		size_t n = strlen(*p);
		if (n + 4 > sizeof(text))
			return -1;
		if (len + n + 4 > sizeof(text)) {   /* room for ,"name" and the ] */
			rc |= bahi_buf_append(b, text, len);
			len = 0;
		}
		if (p != first)
			text[len++] = ',';
		text[len++] = '"';
		memcpy(text + len, *p, n);
		len += n;
		text[len++] = '"';
	}
	text[len++] = ']';
	return rc | bahi_buf_append(b, text, len);
}

int
bahi_account_me(bahi_req *req, bahi_buf *out)
{
	PGresult *res = bahi_session_exec_last(req, &me_device);
	if (res == NULL)
		return -1;
	me_entry *e = me_slot(req->auth.device_id);
	if (!me_fresh(e, req, bahi_db_get(res, 0, BAHI_SESSION_NCOLS)) && me_load(req, e) != 0)
		return -1;
	int rc = bahi_buf_append(out, e->json, e->len) |
	         bahi_buf_puts(out, ",\"device\":") |
	         bahi_json_cols_write(out, res, 0, BAHI_SESSION_NCOLS + 1, DEVICE_NCOLS) |
	         bahi_buf_puts(out, ",\"permissions\":") | write_perms(out, req->auth.role) |
	         bahi_buf_putc(out, '}');
	/* too large, or a timestamp not in the ISO DateStyle (bahi_json_cols_write) */
	return rc ? bahi_fail(req, "internal_error", "Could not write the response.") : 0;
}
