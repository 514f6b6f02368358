/* bahi_db: the process's PostgreSQL connection, named prepared statements, tenant transactions, pipelined round trips. */
#ifndef BAHI_DB_H
#define BAHI_DB_H

#include <libpq-fe.h>

struct bahi_req;

/* A named SQL statement, prepared once per connection on first use.
 * Declare them static in one file of statements per module. */
typedef struct bahi_stmt {
	const char *name;
	const char *sql;
	unsigned prepared_gen;  /* connection generation it was prepared on */
} bahi_stmt;

#define BAHI_STMT(ident, sqltext) \
	bahi_stmt ident = {#ident, sqltext, 0}

/* Remembers the connection string; connects lazily on first use. */
void bahi_db_init(const char *conninfo);
/* Closes the connection (at process exit). */
void bahi_db_close(void);
/* The open connection, reconnecting if it was lost; NULL when the database
 * is unreachable (and req gets a 503 service_unavailable problem). */
PGconn *bahi_db_conn(struct bahi_req *req);

/* Runs a prepared statement with text parameters (NULL = SQL NULL). The
 * result belongs to the request pool. Returns NULL on error with req->problem
 * set (503 when the connection is gone, 500 otherwise) and req->sqlstate
 * holding the SQLSTATE, so callers can map e.g. 23505 to duplicate_sku. */
PGresult *bahi_db_exec(struct bahi_req *req, bahi_stmt *st, int nparams,
                       const char *const *params);
/* Like bahi_db_exec but leaves req->problem unset on a constraint or
 * data error (class 22/23/P0), so the caller can choose the problem. */
PGresult *bahi_db_try(struct bahi_req *req, bahi_stmt *st, int nparams,
                      const char *const *params);

/* Runs st expecting exactly one row: NULL with a 404 not_found problem
 * (detail missing, may be NULL) when there is none, or on error. */
PGresult *bahi_db_one(struct bahi_req *req, bahi_stmt *st, int nparams,
                      const char *const *params, const char *missing);

/* Like bahi_db_exec, for the last statement of the request's transaction:
 * when nothing remains to be written at commit (no change-log rows, no
 * Idempotency-Key), the transaction commits in the same round trip, and
 * bahi_tx_commit then has nothing left to do. Run no statement after it. */
PGresult *bahi_db_exec_last(struct bahi_req *req, bahi_stmt *st, int nparams,
                            const char *const *params);
/* Called with a deferred statement's result, successful or failed: 0, or -1
 * with a problem (a failure without one becomes a 500). A deferred
 * statement without one (NULL) only has to succeed. A callback must not
 * refuse a statement that succeeded: the server has gone on with what
 * followed it (a COMMIT too), so the request would report failure for work
 * that stands; a check that can fail must raise in SQL (bahi_refuse). */
typedef int (*bahi_db_done)(struct bahi_req *req, PGresult *res);
/* Queues st to go out with the request's next statement (or its commit), in
 * the same round trip and before it. st must raise an error when its check
 * fails, so that the server skips whatever was sent after it; done sees its
 * result before the caller sees any later statement's result. A failure's
 * problem stays the request's: bahi_tx_commit fails with it, and
 * bahi_tx_rollback restores it whatever the caller made of the skipped
 * statement. The params array is copied, its strings are not. */
int bahi_db_defer(struct bahi_req *req, bahi_stmt *st, int nparams,
                  const char *const *params, bahi_db_done done);
/* bahi_db_defer for a statement whose rows the caller reads later: *out is
 * set to its result (owned by the request's pool) once the round trip that
 * carries it has succeeded, and stays NULL until then and when it failed. */
int bahi_db_defer_read(struct bahi_req *req, bahi_stmt *st, int nparams,
                       const char *const *params, bahi_db_done done, PGresult **out);
/* Queues st to go out last in the transaction, just before its COMMIT (in
 * the same round trip): for a statement whose row locks should be taken
 * after everything else the transaction locks. done as for bahi_db_defer.
 * One at a time: a later call replaces it. Nothing is sent when the
 * transaction rolls back. 0. */
int bahi_db_at_commit(struct bahi_req *req, bahi_stmt *st, int nparams,
                      const char *const *params, bahi_db_done done);
/* Queues st to go out right after the transaction's COMMIT, in the same
 * round trip, in a transaction of its own (made with the COMMIT's pipeline;
 * nothing is sent when the transaction rolls back). Its outcome is logged,
 * never the request's. One at a time: a later call replaces it. The params
 * array is copied, its strings are not. 0. */
int bahi_db_after_commit(struct bahi_req *req, bahi_stmt *st, int nparams,
                         const char *const *params);
/* 1 when st waits among the deferred statements, 0 when not. */
int bahi_db_waiting(const bahi_stmt *st);
/* Takes st back from the deferred statements, for a caller that runs a
 * statement doing its work instead: its params, or NULL when it was not
 * waiting (it has run already, or was never deferred). */
const char *const *bahi_db_withdraw(bahi_stmt *st);
/* Sends what waits (the transaction's BEGIN and tenant, deferred
 * statements) now, in one round trip; outside a transaction (deferred after
 * bahi_db_exec_last), in one of their own, scoped to the request's business.
 * 0, or -1 with a problem. */
int bahi_db_flush(struct bahi_req *req);

/* Opens the request's transaction, scoped to business_id (NULL: no tenant)
 * through set_config('app.business_id', ..., true). Lazily: BEGIN and the
 * setting go out with the first statement, in the same round trip (a
 * transaction whose only statement is bahi_db_exec_last's needs no BEGIN or
 * COMMIT at all: the protocol's implicit transaction spans the pipeline).
 * 0, or -1 with a problem (a deferred check of the request failed). */
int bahi_tx_begin(struct bahi_req *req, const char *business_id);
/* For a transaction just begun with a tenant (nothing sent yet): its
 * statements run on generic plans (plan_cache_mode force_generic_plan, set
 * with the tenant, in the same statement). For hot write paths whose
 * statements PostgreSQL would otherwise plan anew on every execution
 * (arrays, many joins); not for keyset lists, whose generic plans cannot
 * seek to the cursor. 0, or -1 with a problem. */
int bahi_tx_generic_plans(struct bahi_req *req);
/* Re-scopes the open transaction to another business (sign-up creates one;
 * token look-ups find theirs). 0, or -1 with a problem. */
int bahi_tx_set_business(struct bahi_req *req, const char *business_id);
/* Sets a transaction-local lookup setting used by a look-up policy
 * ("app.login_phone", "app.token_hash"). 0, or -1 with a problem. */
int bahi_tx_set_lookup(struct bahi_req *req, const char *name, const char *value);
/* Writes pending change-log rows, then COMMIT. 0, or -1 with a problem. */
int bahi_tx_commit(struct bahi_req *req);
/* ROLLBACK if a transaction is open; never fails the request further. */
void bahi_tx_rollback(struct bahi_req *req);

/* Clears a result of the request's now rather than with its pool, for a
 * caller reading many large results in turn (a cursor's batches). */
void bahi_db_release(struct bahi_req *req, PGresult *res);

/* Field accessors that never return NULL for a non-null column. */
const char *bahi_db_get(const PGresult *res, int row, int col);
int bahi_db_isnull(const PGresult *res, int row, int col);

#endif
