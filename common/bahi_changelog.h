/* bahi_changelog: the per-business change log that sync pulls and live events read. */
#ifndef BAHI_CHANGELOG_H
#define BAHI_CHANGELOG_H

#include <stddef.h>

struct bahi_req;

typedef struct bahi_change {
	struct bahi_change *next;
	const char *entity;   /* "product", "invoice"... */
	const char *id;       /* the record's UUID */
	const char *op;       /* "upsert" or "delete" */
	int version;
} bahi_change;

/* Queues a change for the open transaction; written at commit. O(1). */
void bahi_changelog_add(struct bahi_req *req, const char *entity, const char *id,
                        const char *op, int version);
/* Queues a change unless the newest change queued for the same record
 * (entity, id) has the same op: then that one's version is raised to
 * version if lower (a sale touching several components of one composite
 * queues the composite once). O(1). */
void bahi_changelog_merge(struct bahi_req *req, const char *entity, const char *id,
                          const char *op, int version);
/* Writes the queued changes with consecutive per-business sequence numbers
 * and notifies listeners (channel bahi_changes, the business id as payload,
 * right after the COMMIT): the statement is deferred (bahi_db_defer) and goes
 * out with the COMMIT, in its round trip. Called by bahi_tx_commit: the
 * counter row stays locked until then, so sequence numbers become visible
 * in order and a pull can never skip a change that commits late. */
int bahi_changelog_flush(struct bahi_req *req);
/* The text of the statement bahi_changelog_flush runs for n changes ($1
 * business, $2 n, $3..$6 text[] entities, uuid[] ids, text[] ops, int[]
 * versions; answers the last seq): one change is a row of change_log,
 * several one row of change_batches. For tests that write the log as it is
 * written in production from transactions of their own. */
const char *bahi_changelog_write_sql(int n);

/* The changes of business $1 after seq $2 (bigint), at most $3 (int) of
 * them, in seq order, as (seq, entity, entity_id, op, version): the rows of
 * change_log and the entries of change_batches, each side limited and read
 * in its own index's order before they are merged (0017_change_batches.sql:
 * the view change_entries is both, but ordering it reads every batch). */
#define BAHI_CHANGES_AFTER \
	"SELECT seq, entity, entity_id, op, version FROM (" \
	" (SELECT seq::bigint, entity::text, entity_id, op::text, version::int FROM change_log" \
	"  WHERE business_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3::int)" \
	" UNION ALL" \
	" (SELECT b.first_seq + u.ord - 1, u.entity::text, u.entity_id, u.op::text, u.version::int" \
	"  FROM (SELECT * FROM change_batches WHERE business_id = $1 AND last_seq > $2::bigint" \
	"   ORDER BY last_seq LIMIT $3::int) b" \
	"  CROSS JOIN LATERAL unnest(b.entities, b.entity_ids, b.ops, b.versions)" \
	"   WITH ORDINALITY AS u(entity, entity_id, op, version, ord)" \
	"  WHERE b.first_seq + u.ord - 1 > $2::bigint)" \
	") AS c (seq, entity, entity_id, op, version) ORDER BY seq LIMIT $3::int"

/* A hash of a record's (entity, id), for tables of records. */
size_t bahi_changelog_hash(const char *entity, const char *id);

/* Formats n strings as a PostgreSQL text array literal ({"a","b"}) in the
 * pool; a NULL item is the array's NULL. */
struct bahi_pool;
char *bahi_pg_array(struct bahi_pool *pool, const char *const *items, int n);

#endif
