/* bahi_changelog: queues change-log rows during a request and writes them in one statement. */
#include "bahi_changelog.h"

#include <string.h>

#include "bahi_db.h"
#include "bahi_req.h"

/* The queued changes of a request, indexed: the list's ends (appending is
 * O(1)) and a hash table from (entity, id) to the newest change of that
 * record (merging is O(1)). Kept in the request's pool. */
typedef struct bahi_change_index {
	bahi_change *head, *tail;   /* req->changes when the index was last used */
	bahi_change **slot;         /* open addressing; NULL: empty */
	size_t cap, n;              /* cap a power of two; n records */
} bahi_change_index;

size_t
bahi_changelog_hash(const char *entity, const char *id)
{
	size_t h = 2166136261u;
	for (const char *p = entity; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h = (h ^ 0xffu) * 16777619u;
	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* The slot of record (entity, id): its newest change, or the empty slot
 * where it goes. */
static bahi_change **
change_slot(bahi_change_index *ix, const char *entity, const char *id)
{
	size_t i = bahi_changelog_hash(entity, id) & (ix->cap - 1);
	while (ix->slot[i] != NULL &&
	       (strcmp(ix->slot[i]->entity, entity) != 0 || strcmp(ix->slot[i]->id, id) != 0))
		i = (i + 1) & (ix->cap - 1);
	return &ix->slot[i];
}

/* Records c as the newest change of its record, growing the table at half full. */
static void
change_index_put(bahi_pool *pool, bahi_change_index *ix, bahi_change *c)
{
	if (2 * (ix->n + 1) > ix->cap) {
		bahi_change **old = ix->slot;
		size_t oldcap = ix->cap;
		ix->cap = oldcap ? 2 * oldcap : 64;
		ix->slot = bahi_pool_calloc(pool, ix->cap, sizeof(*ix->slot));
		ix->n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i] != NULL) {
				*change_slot(ix, old[i]->entity, old[i]->id) = old[i];
				ix->n++;
			}
	}
	bahi_change **s = change_slot(ix, c->entity, c->id);
	ix->n += *s == NULL;
	*s = c;
}

/* The request's index, rebuilt when the list was emptied or replaced
 * behind its back (a flush, or a failed request's changes dropped). */
static bahi_change_index *
change_index(bahi_req *req)
{
	bahi_change_index *ix = req->change_index;
	if (ix != NULL && ix->head == req->changes)
		return ix;
	ix = bahi_pool_calloc(req->pool, 1, sizeof(*ix));
	for (bahi_change *c = req->changes; c != NULL; c = c->next) {
		change_index_put(req->pool, ix, c);
		ix->tail = c;
	}
	ix->head = req->changes;
	req->change_index = ix;
	return ix;
}

void
bahi_changelog_add(bahi_req *req, const char *entity, const char *id,
                   const char *op, int version)
{
	bahi_change_index *ix = change_index(req);
	bahi_change *c = bahi_pool_alloc(req->pool, sizeof(*c));
	c->entity = entity;
	c->id = bahi_pool_strdup(req->pool, id);
	c->op = op;
	c->version = version;
	c->next = NULL;
	if (ix->tail != NULL)
		ix->tail->next = c;
	else
		req->changes = ix->head = c;
	ix->tail = c;
	change_index_put(req->pool, ix, c);
}

void
bahi_changelog_merge(bahi_req *req, const char *entity, const char *id,
                     const char *op, int version)
{
	bahi_change_index *ix = change_index(req);
	bahi_change *c = ix->cap ? *change_slot(ix, entity, id) : NULL;
	if (c != NULL && strcmp(c->op, op) == 0) {
		if (version > c->version)
			c->version = version;
		return;
	}
	bahi_changelog_add(req, entity, id, op, version);
}

char *
bahi_pg_array(bahi_pool *pool, const char *const *items, int n)
{
	bahi_buf b;
	bahi_buf_init(&b, 16 * 1024 * 1024);
	bahi_buf_putc(&b, '{');
	for (int i = 0; i < n; i++) {
		if (i > 0)
			bahi_buf_putc(&b, ',');
		if (items[i] == NULL) {
			bahi_buf_puts(&b, "NULL");
			continue;
		}
		bahi_buf_putc(&b, '"');
		for (const char *p = items[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				bahi_buf_putc(&b, '\\');
			bahi_buf_putc(&b, *p);
		}
		bahi_buf_putc(&b, '"');
	}
	bahi_buf_putc(&b, '}');
	char *s = bahi_pool_strndup(pool, b.data, b.len);
	bahi_buf_free(&b);
	return s;
}

/* One round trip: bump the business's change counter by n and insert the
 * n changes numbered counter-n+1..counter: as rows of change_log
 * (changelog_write, for one change) or as one row of change_batches
 * (changelog_batch_write, for several: 0017_change_batches.sql). The NOTIFY
 * follows the COMMIT (changelog_notify). */
#define CHANGELOG_COUNT \
	"WITH c AS (" \
	"  INSERT INTO business_counters (business_id, name, value)" \
	"  VALUES ($1::uuid, 'change_seq', $2::bigint)" \
	"  ON CONFLICT (business_id, name)" \
	"  DO UPDATE SET value = business_counters.value + EXCLUDED.value" \
	"  RETURNING value)"
static BAHI_STMT(changelog_write,
	CHANGELOG_COUNT ","
	" ins AS ("
	"  INSERT INTO change_log (business_id, seq, entity, entity_id, op, version)"
	"  SELECT $1::uuid, c.value - $2::bigint + u.ord, u.entity, u.entity_id, u.op, u.version"
	"  FROM c, unnest($3::text[], $4::uuid[], $5::text[], $6::int[])"
	"       WITH ORDINALITY AS u(entity, entity_id, op, version, ord)"
	"  RETURNING seq)"
	" SELECT max(seq) FROM ins");
static BAHI_STMT(changelog_batch_write,
	CHANGELOG_COUNT
	" INSERT INTO change_batches (business_id, first_seq, last_seq, entities, entity_ids, ops,"
	"  versions)"
	" SELECT $1::uuid, c.value - $2::bigint + 1, c.value, $3::text[], $4::uuid[], $5::text[],"
	"  $6::int[] FROM c RETURNING last_seq");
/*
 * Tells listeners (live updates) that the business's change log grew: sent
 * after the COMMIT, in a transaction of its own that does not wait for its
 * commit to reach the disk. A NOTIFY holds the cluster's one notification
 * lock from its commit until that commit is flushed; inside the writing
 * transaction that made every write of every business wait for the one
 * before it to be flushed. A notification lost in a crash costs nothing:
 * listeners read the change log from their own position.
 */
static BAHI_STMT(changelog_notify,
	"SELECT set_config('synchronous_commit', 'off', true), pg_notify('bahi_changes', $1)");

const char *
bahi_changelog_write_sql(int n)
{
	return n > 1 ? changelog_batch_write.sql : changelog_write.sql;
}

/* The change-log write's answer: a failure fails the commit. */
static int
changelog_written(bahi_req *req, PGresult *res)
{
	(void)req;
	return PQresultStatus(res) == PGRES_TUPLES_OK ? 0 : -1;
}

int
bahi_changelog_flush(bahi_req *req)
{
	int n = 0;
	for (bahi_change *c = req->changes; c != NULL; c = c->next)
		n++;
	if (n == 0)
		return 0;
	if (req->tx_business == NULL)
		return bahi_fail(req, "internal_error", "A change was recorded outside a business.");
	const char **ent = bahi_pool_alloc(req->pool, sizeof(char *) * (size_t)n * 4);
	const char **ids = ent + n, **ops = ids + n, **vers = ops + n;
	int i = 0;
	for (bahi_change *c = req->changes; c != NULL; c = c->next, i++) {
		ent[i] = c->entity;
		ids[i] = c->id;
		ops[i] = c->op;
		vers[i] = bahi_pool_printf(req->pool, "%d", c->version);
	}
	const char *params[6] = {
		req->tx_business, bahi_pool_printf(req->pool, "%d", n),
		bahi_pg_array(req->pool, ent, n), bahi_pg_array(req->pool, ids, n),
		bahi_pg_array(req->pool, ops, n), bahi_pg_array(req->pool, vers, n),
	};
	/* goes out with the COMMIT, in its round trip, the notification after it */
	if (bahi_db_defer(req, n > 1 ? &changelog_batch_write : &changelog_write, 6, params,
	                  changelog_written) != 0 ||
	    bahi_db_after_commit(req, &changelog_notify, 1, params) != 0)
		return -1;
	req->changes = NULL;
	req->change_index = NULL;
	return 0;
}
