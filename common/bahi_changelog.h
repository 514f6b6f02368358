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
/* The text of the statement bahi_changelog_flush runs ($1 business, $2 the
 * number of rows, $3..$6 text[] entities, uuid[] ids, text[] ops, int[]
 * versions; answers max(seq)), for tests that write the log as it is
 * written in production from transactions of their own. */
const char *bahi_changelog_write_sql(void);

/* A hash of a record's (entity, id), for tables of records. */
size_t bahi_changelog_hash(const char *entity, const char *id);

/* Formats n strings as a PostgreSQL text array literal ({"a","b"}) in the
 * pool; a NULL item is the array's NULL. */
struct bahi_pool;
char *bahi_pg_array(struct bahi_pool *pool, const char *const *items, int n);

#endif
