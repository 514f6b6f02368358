/* bahi_sync: offline sync: the entities a device mirrors, pulling the change log, pushing queued mutations. */
#ifndef BAHI_SYNC_H
#define BAHI_SYNC_H

#include <cjson/cJSON.h>

struct bahi_req;
struct bahi_stmt;
struct bahi_worker_def;

/* Pull pages: 1..BAHI_SYNC_PULL_MAX changes, BAHI_SYNC_PULL_DEFAULT when not asked. */
#define BAHI_SYNC_PULL_DEFAULT 500
#define BAHI_SYNC_PULL_MAX 1000
/* Mutations in one push. */
#define BAHI_SYNC_PUSH_MAX 200

/* An entity of the change log, as sync sees it. */
typedef struct bahi_sync_entity {
	const char *name;           /* as in change_log.entity: "product" */
	const char *read_perm;      /* the permission that reads it; others never see it */
	/* Reads the record as the API's GET returns it: 0, or -1 with a problem
	 * (not_found when it is gone). NULL: changes carry no data. */
	int (*get)(struct bahi_req *req, const char *id, cJSON **out);
	/* Reads many of them in one statement, calling put(ctx, id, JSON text)
	 * for each found (the same text as get's). NULL: get one by one. */
	int (*get_many)(struct bahi_req *req, const char *const *ids, int n,
	                void (*put)(void *ctx, const char *id, char *json), void *ctx);
	/* Ids of the live records after $2 (a uuid), in id order, at most $3:
	 * the first pull's snapshot. NULL: not part of the snapshot. */
	struct bahi_stmt *snapshot;
	/* The API collection a pushed mutation goes through ("/api/v1/products":
	 * create = POST there, update = PATCH .../{id}, delete = DELETE .../{id}).
	 * NULL: devices cannot push it. */
	const char *collection;
} bahi_sync_entity;

/* The record id of e as its GET gives it, as JSON text in the pool (its
 * version into *version when not NULL); NULL when it is gone or e has no
 * reader; "" with a problem on any other failure. */
char *bahi_sync_record(struct bahi_req *req, const bahi_sync_entity *e, const char *id,
                       int *version);
/* The entity called name, or NULL. */
const bahi_sync_entity *bahi_sync_entity_find(const char *name);
/* The entities in snapshot order; *n receives their number. */
const bahi_sync_entity *bahi_sync_entities(int *n);

/* GET /sync/pull: up to limit changes after cursor (NULL: the first pull,
 * which starts with a snapshot) as the response body, and the device's new
 * position recorded. In the request's transaction. 0, or -1 with a problem
 * (a cursor that is not one of ours or is ahead of the log: 422). */
int bahi_sync_pull(struct bahi_req *req, const char *cursor, int limit);
/* GET /sync/status: the business's position and each device's. */
int bahi_sync_status(struct bahi_req *req, cJSON **out);
/* POST /sync/push: applies req->json's mutations in order, each through the
 * API route of its entity in one of the nworkers route groups, in a
 * transaction of its own, and answers {"results": [...]}. Outside any
 * transaction (route flag BAHI_OWN_TX). 0, or -1 with a problem (a
 * malformed batch: nothing is applied). */
int bahi_sync_push(struct bahi_req *req, const struct bahi_worker_def *const *workers,
                   int nworkers);

#endif
