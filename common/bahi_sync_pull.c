/* bahi_sync_pull: GET /sync/pull (the first pull's snapshot, then the change log after a cursor) and GET /sync/status. */
#include "bahi_sync.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_changelog.h"
#include "bahi_cursor.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_num.h"
#include "bahi_perm.h"
#include "bahi_req.h"

/* A cursor is bahi_cursor's (key, id). In the change log: key = the last
 * seq sent, id = CHANGES_ID. In the snapshot: key = S * SNAP_SLOTS + the
 * entity being listed, id = the last id sent of it (the nil UUID at its
 * start), S being the log's position when the snapshot began. */
#define CHANGES_ID "ffffffff-ffff-ffff-ffff-ffffffffffff"
#define NIL_ID "00000000-0000-0000-0000-000000000000"
#define SNAP_SLOTS 32

/* The business's committed position: every seq up to it has committed
 * (the counter row is locked from a write until its commit). */
static BAHI_STMT(sync_position_now,
	"SELECT COALESCE((SELECT value FROM business_counters"
	" WHERE business_id = $1 AND name = 'change_seq'), 0)");
static BAHI_STMT(sync_changes, BAHI_CHANGES_AFTER);
static BAHI_STMT(sync_position_save,
	"INSERT INTO sync_positions (business_id, device_id, seq) VALUES ($1, $2, $3)"
	" ON CONFLICT (business_id, device_id) DO UPDATE SET seq = EXCLUDED.seq,"
	" pulls = sync_positions.pulls + 1, pulled_at = now()");
static BAHI_STMT(sync_devices,
	"SELECT d.id, d.name, d.platform, d.revoked_at IS NOT NULL, p.seq,"
	" to_char(p.pulled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
	" FROM devices d LEFT JOIN sync_positions p"
	"  ON p.business_id = d.business_id AND p.device_id = d.id"
	" WHERE d.business_id = $1"
	" ORDER BY d.revoked_at IS NOT NULL, d.last_seen_at DESC, d.id LIMIT 200");

/* Where a pull starts or stopped. */
typedef struct pull_pos {
	int snapshot;               /* still listing the snapshot */
	int64_t seq;                /* the log position (snapshot: S) */
	int entity;                 /* snapshot: the entity being listed */
	char after[BAHI_UUID_LEN + 1];  /* snapshot: its last id sent */
} pull_pos;

/* One page being written. */
typedef struct pull_page {
	bahi_buf b;
	int n, limit;
	const char *role;
} pull_page;

static int
cursor_bad(bahi_req *req, const char *why)
{
	bahi_problem_field(&req->problem, "cursor", "invalid_cursor", why);
	return -1;
}

/* Reads a cursor into pos. 0, or -1 with a field error. */
static int
cursor_read(bahi_req *req, const char *cursor, pull_pos *pos)
{
	int64_t key;
	int n;
	memset(pos, 0, sizeof(*pos));
	if (bahi_cursor_decode(cursor, &key, pos->after) != 0)
		return cursor_bad(req, "Is not a sync cursor; pull again without one.");
	if (strcmp(pos->after, CHANGES_ID) == 0) {
		pos->seq = key;
		return 0;
	}
	bahi_sync_entities(&n);
	pos->snapshot = 1;
	pos->seq = key / SNAP_SLOTS;
	pos->entity = (int)(key % SNAP_SLOTS);
	if (pos->entity >= n)
		return cursor_bad(req, "Is not a sync cursor; pull again without one.");
	return 0;
}

static const char *
cursor_write(bahi_req *req, const pull_pos *pos)
{
	if (!pos->snapshot)
		return bahi_cursor_encode(req->pool, pos->seq, CHANGES_ID);
	return bahi_cursor_encode(req->pool, pos->seq * SNAP_SLOTS + pos->entity, pos->after);
}

/* The records read for one page, by (entity, id): a record changed
 * several times in a page is read once, and the records of an entity with
 * a reader of many are read together first. */
typedef struct memo_slot {
	const char *entity, *id;        /* id NULL: empty */
	char *data;                     /* NULL: gone, or no reader */
} memo_slot;

typedef struct record_memo {
	memo_slot *slot;
	size_t cap;
	const char *entity;             /* for memo_put: the entity being read */
} record_memo;

static void
memo_init(bahi_req *req, record_memo *m, int records)
{
	m->cap = 16;
	while (m->cap < 2 * (size_t)records)
		m->cap *= 2;
	m->slot = bahi_pool_calloc(req->pool, m->cap, sizeof(*m->slot));
}

/* The slot of (entity, id): its own, or the empty one where it goes. */
static memo_slot *
memo_find(record_memo *m, const char *entity, const char *id)
{
	size_t i = bahi_changelog_hash(entity, id) & (m->cap - 1);
	while (m->slot[i].id != NULL &&
	       (strcmp(m->slot[i].id, id) != 0 || strcmp(m->slot[i].entity, entity) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

/* A reader of many's answer for one record. */
static void
memo_put(void *ctx, const char *id, char *json)
{
	record_memo *m = ctx;
	memo_slot *s = memo_find(m, m->entity, id);
	if (s->id != NULL)
		s->data = json;
}

/* Reads e's records among ids (n) together, when e has a reader of many
 * (else they are read one by one as they are needed). */
static int
memo_prefetch(bahi_req *req, record_memo *m, const bahi_sync_entity *e, const char **ids,
              int n)
{
	int k = 0;
	if (e->get_many == NULL)
		return 0;
	for (int i = 0; i < n; i++) {
		memo_slot *s = memo_find(m, e->name, ids[i]);
		if (s->id != NULL)
			continue;
		s->entity = e->name;
		s->id = ids[i];
		s->data = NULL;
		ids[k++] = ids[i];
	}
	m->entity = e->name;
	return k > 0 ? e->get_many(req, ids, k, memo_put, m) : 0;
}

/* The record's data (see bahi_sync_record), read on first use. */
static char *
memo_data(bahi_req *req, record_memo *m, const bahi_sync_entity *e, const char *id)
{
	memo_slot *s = memo_find(m, e->name, id);
	if (s->id != NULL)
		return s->data;
	char *data = bahi_sync_record(req, e, id, NULL);
	if (data == NULL || *data != '\0') {
		s->entity = e->name;
		s->id = id;
		s->data = data;
	}
	return data;
}

/* Appends one change to the page. */
static int
page_put(pull_page *pg, int64_t seq, const char *entity, const char *id, const char *op,
         int version, const char *data)
{
	int rc = bahi_buf_printf(&pg->b, "%s{\"seq\":%" PRId64 ",\"entity\":\"%s\",\"id\":\"%s\","
	                         "\"op\":\"%s\",\"version\":%d,\"data\":", pg->n ? "," : "",
	                         seq, entity, id, op, version);
	rc |= bahi_buf_puts(&pg->b, data ? data : "null");
	rc |= bahi_buf_putc(&pg->b, '}');
	pg->n++;
	return rc;
}

/* The version member of a record's JSON text, else 1. */
static int
data_version(const char *data)
{
	const char *v = strstr(data, "\"version\":");
	long n = v ? strtol(v + 10, NULL, 10) : 0;
	return n >= 1 && n <= INT32_MAX ? (int)n : 1;
}

/* Writes the records of one snapshot statement's ids into the page. */
static int
snapshot_rows(bahi_req *req, const bahi_sync_entity *e, PGresult *res, pull_pos *pos,
              pull_page *pg)
{
	int got = PQntuples(res);
	const char **ids = bahi_pool_alloc(req->pool, sizeof(*ids) * (size_t)(got + 1));
	record_memo m;
	memo_init(req, &m, got);
	for (int r = 0; r < got; r++)
		ids[r] = bahi_db_get(res, r, 0);
	if (memo_prefetch(req, &m, e, ids, got) != 0)
		return -1;
	for (int r = 0; r < got; r++) {
		const char *id = bahi_db_get(res, r, 0);
		char *data = memo_data(req, &m, e, id);
		if (data != NULL && *data == '\0')
			return -1;
		if (data != NULL &&
		    page_put(pg, pos->seq, e->name, id, "upsert", data_version(data), data) != 0)
			return -1;
		snprintf(pos->after, sizeof(pos->after), "%s", id);
	}
	return 0;
}

/* Lists the snapshot from pos on into the page; pos moves on (to the log at
 * S when the snapshot is done). */
static int
snapshot_page(bahi_req *req, pull_pos *pos, pull_page *pg)
{
	int n;
	const bahi_sync_entity *ents = bahi_sync_entities(&n);
	while (pos->snapshot && pg->n < pg->limit) {
		const bahi_sync_entity *e = &ents[pos->entity];
		int want = pg->limit - pg->n, got = 0;
		if (e->snapshot != NULL && bahi_perm_allows(pg->role, e->read_perm)) {
			char lim[16];
			snprintf(lim, sizeof(lim), "%d", want);
			const char *p[3] = {req->tx_business, pos->after, lim};
			PGresult *res = bahi_db_exec(req, e->snapshot, 3, p);
			if (res == NULL)
				return -1;
			got = PQntuples(res);
			if (snapshot_rows(req, e, res, pos, pg) != 0)
				return -1;
		}
		if (got == want && strcmp(pos->after, CHANGES_ID) != 0)
			break;      /* the page is full; this entity may have more */
		snprintf(pos->after, sizeof(pos->after), "%s", NIL_ID);
		if (++pos->entity == n) {
			pos->snapshot = 0;
			snprintf(pos->after, sizeof(pos->after), "%s", CHANGES_ID);
		}
	}
	return 0;
}

/* Reads the upserted records of the first rows changes, entity by entity,
 * with the entities' readers of many. */
static int
changes_prefetch(bahi_req *req, record_memo *m, const PGresult *res, int rows,
                 const char *role)
{
	int n;
	const bahi_sync_entity *ents = bahi_sync_entities(&n);
	const char **ids = bahi_pool_alloc(req->pool, sizeof(*ids) * (size_t)(rows + 1));
	for (int k = 0; k < n; k++) {
		int c = 0;
		if (ents[k].get_many == NULL || !bahi_perm_allows(role, ents[k].read_perm))
			continue;
		for (int r = 0; r < rows; r++)
			if (strcmp(bahi_db_get(res, r, 1), ents[k].name) == 0 &&
			    strcmp(bahi_db_get(res, r, 3), "upsert") == 0)
				ids[c++] = bahi_db_get(res, r, 2);
		if (memo_prefetch(req, m, &ents[k], ids, c) != 0)
			return -1;
	}
	return 0;
}

/* Writes the log's changes after pos into the page; pos moves to the last
 * one read. *more: changes remain after it. */
static int
changes_page(bahi_req *req, pull_pos *pos, pull_page *pg, int *more)
{
	int room = pg->limit - pg->n;
	char after[24], lim[16];
	snprintf(after, sizeof(after), "%" PRId64, pos->seq);
	snprintf(lim, sizeof(lim), "%d", room + 1);
	const char *p[3] = {req->tx_business, after, lim};
	PGresult *res = bahi_db_exec(req, &sync_changes, 3, p);
	if (res == NULL)
		return -1;
	int rows = PQntuples(res);
	*more = rows > room;
	if (rows > room)
		rows = room;
	record_memo m;
	memo_init(req, &m, rows);
	if (changes_prefetch(req, &m, res, rows, pg->role) != 0)
		return -1;
	for (int r = 0; r < rows; r++) {
		const char *entity = bahi_db_get(res, r, 1), *id = bahi_db_get(res, r, 2);
		const char *op = bahi_db_get(res, r, 3);
		const bahi_sync_entity *e = bahi_sync_entity_find(entity);
		pos->seq = strtoll(bahi_db_get(res, r, 0), NULL, 10);
		if (e != NULL && !bahi_perm_allows(pg->role, e->read_perm))
			continue;
		char *data = NULL;
		if (e != NULL && strcmp(op, "upsert") == 0 &&
		    (data = memo_data(req, &m, e, id)) != NULL && *data == '\0')
			return -1;
		if (page_put(pg, pos->seq, entity, id, op,
		             (int)strtol(bahi_db_get(res, r, 4), NULL, 10), data) != 0)
			return -1;
	}
	return 0;
}

/* The device's new position: 0 while its snapshot is being listed. */
static int
position_save(bahi_req *req, const pull_pos *pos)
{
	if (req->auth.device_id == NULL)
		return 0;       /* an app key: no device */
	char seq[24];
	snprintf(seq, sizeof(seq), "%" PRId64, pos->snapshot ? 0 : pos->seq);
	const char *p[3] = {req->tx_business, req->auth.device_id, seq};
	return bahi_db_exec(req, &sync_position_save, 3, p) ? 0 : -1;
}

int
bahi_sync_pull(bahi_req *req, const char *cursor, int limit)
{
	pull_pos pos;
	if (cursor != NULL && cursor_read(req, cursor, &pos) != 0)
		return -1;
	const char *p[1] = {req->tx_business};
	PGresult *res = bahi_db_exec(req, &sync_position_now, 1, p);
	if (res == NULL)
		return -1;
	int64_t now = strtoll(bahi_db_get(res, 0, 0), NULL, 10);
	if (cursor == NULL) {
		memset(&pos, 0, sizeof(pos));
		pos.snapshot = 1;
		pos.seq = now;
		snprintf(pos.after, sizeof(pos.after), "%s", NIL_ID);
	} else if (pos.seq > now) {
		return cursor_bad(req, "Is ahead of this server's change log (restored from a"
		                  " backup?); pull again without a cursor.");
	}
	/* the role as stored now: the session check has answered */
	pull_page pg = {.n = 0, .limit = limit, .role = req->auth.role};
	int more = 1;
	bahi_buf_init(&pg.b, BAHI_MAX_RESPONSE);
	int rc = bahi_buf_puts(&pg.b, "{\"changes\":[");
	if (rc == 0 && pos.snapshot)
		rc = snapshot_page(req, &pos, &pg);
	if (rc == 0 && !pos.snapshot && pg.n < pg.limit)
		rc = changes_page(req, &pos, &pg, &more);
	if (rc == 0)
		rc = position_save(req, &pos);
	if (rc == 0 && bahi_buf_printf(&pg.b, "],\"next_cursor\":\"%s\",\"has_more\":%s}",
	                               cursor_write(req, &pos), more ? "true" : "false") != 0)
		rc = bahi_fail(req, "internal_error", "The page is too large; pull fewer changes.");
	if (rc == 0)
		rc = bahi_resp_body(req, 200, "application/json", pg.b.data, pg.b.len);
	bahi_buf_free(&pg.b);
	return rc;
}

int
bahi_sync_status(bahi_req *req, cJSON **out)
{
	const char *p[1] = {req->tx_business};
	PGresult *now = bahi_db_exec(req, &sync_position_now, 1, p);
	PGresult *res = now ? bahi_db_exec(req, &sync_devices, 1, p) : NULL;
	if (res == NULL)
		return -1;
	int64_t seq = strtoll(bahi_db_get(now, 0, 0), NULL, 10);
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "devices");
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	for (int r = 0; r < PQntuples(res); r++) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "device_id", bahi_db_get(res, r, 0));
		cJSON_AddStringToObject(d, "name", bahi_db_get(res, r, 1));
		cJSON_AddStringToObject(d, "platform", bahi_db_get(res, r, 2));
		cJSON_AddBoolToObject(d, "revoked", bahi_db_get(res, r, 3)[0] == 't');
		if (bahi_db_isnull(res, r, 4)) {
			cJSON_AddNullToObject(d, "seq");
			cJSON_AddNullToObject(d, "behind");
			cJSON_AddNullToObject(d, "pulled_at");
		} else {
			int64_t at = strtoll(bahi_db_get(res, r, 4), NULL, 10);
			cJSON_AddNumberToObject(d, "seq", (double)at);
			cJSON_AddNumberToObject(d, "behind", (double)(seq - at));
			cJSON_AddStringToObject(d, "pulled_at", bahi_db_get(res, r, 5));
		}
		cJSON_AddItemToArray(arr, d);
	}
	*out = o;
	return 0;
}
