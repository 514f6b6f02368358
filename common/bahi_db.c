/* bahi_db: one PostgreSQL connection per worker process, with reconnect, statement preparation and pipelined round trips. */
#include "bahi_db.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_changelog.h"
#include "bahi_log.h"
#include "bahi_req.h"

#define MAX_DEFERRED 8

/* A statement waiting to go out with the next one (bahi_db_defer). */
typedef struct deferred {
	bahi_stmt *st;
	int nparams;
	const char *const *params;
	bahi_db_done done;
	PGresult **keep;       /* receives the result (bahi_db_defer_read), or NULL */
} deferred;

/* The connection, and the state of the request's transaction on it. A
 * transaction starts lazily: its BEGIN and tenant setting wait in `lazy` and
 * `tenant` until the first statement, and go out with it in one pipeline. */
static struct {
	char *conninfo;
	PGconn *conn;
	unsigned gen;          /* bumped on each new connection */
	int lazy;              /* the transaction's BEGIN has not been sent */
	const char *tenant;    /* the business it sets with the BEGIN, or NULL */
	deferred queue[MAX_DEFERRED];
	int nqueued;
	deferred atcommit;     /* bahi_db_at_commit's statement (st NULL: none) */
	deferred after;        /* bahi_db_after_commit's statement (st NULL: none) */
	int generic;           /* the tenant setting also forces generic plans */
	int ended;             /* bahi_db_exec_last committed the transaction */
	int refused;           /* a deferred statement failed: its problem wins */
	bahi_problem refusal;
} db;

void
bahi_db_init(const char *conninfo)
{
	free(db.conninfo);
	db.conninfo = strdup(conninfo);
}

void
bahi_db_close(void)
{
	if (db.conn != NULL)
		PQfinish(db.conn);
	db.conn = NULL;
}

PGconn *
bahi_db_conn(bahi_req *req)
{
	if (db.conn != NULL && PQstatus(db.conn) == CONNECTION_OK)
		return db.conn;
	if (db.conn != NULL) {
		PQfinish(db.conn);
		db.conn = NULL;
	}
	db.conn = PQconnectdb(db.conninfo ? db.conninfo : "");
	if (PQstatus(db.conn) != CONNECTION_OK) {
		bahi_log_error(req, "database connection failed: %s",
		               PQerrorMessage(db.conn));
		PQfinish(db.conn);
		db.conn = NULL;
		if (req != NULL) {
			bahi_fail(req, "service_unavailable", "The database is unreachable.");
			req->problem.retry_after = 1;
		}
		return NULL;
	}
	db.gen++;
	return db.conn;
}

static void
res_clear(void *res)
{
	PQclear(res);
}

/* Records the failure of res (may be NULL) in req and logs it. */
static void
db_failed(bahi_req *req, const PGresult *res, const char *what, int set_problem)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(req->sqlstate, sizeof(req->sqlstate), "%s", state ? state : "");
	if (PQstatus(db.conn) != CONNECTION_OK) {
		bahi_log_error(req, "database connection lost during %s", what);
		bahi_fail(req, "service_unavailable", "The database connection was lost.");
		req->problem.retry_after = 1;
		return;
	}
	if (!set_problem)
		return;
	bahi_log_error(req, "%s failed: %s", what,
	               res ? PQresultErrorMessage(res) : PQerrorMessage(db.conn));
	bahi_fail(req, "internal_error", NULL);
}

static int
stmt_prepare(bahi_req *req, PGconn *c, bahi_stmt *st)
{
	if (st->prepared_gen == db.gen)
		return 0;
	PGresult *res = PQprepare(c, st->name, st->sql, 0, NULL);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		db_failed(req, res, st->name, 1);
	PQclear(res);
	if (ok)
		st->prepared_gen = db.gen;
	return ok ? 0 : -1;
}

static int
expected_error(const char *state)
{
	return strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 ||
	       strncmp(state, "P0", 2) == 0 || strcmp(state, "40001") == 0 ||
	       strcmp(state, "40P01") == 0;
}

/* The caller's statement's result: res, owned by the request pool from now
 * on, or NULL (res cleared) with the failure recorded as bahi_db_exec or, when
 * tolerant, bahi_db_try describes. */
static PGresult *
stmt_result(bahi_req *req, bahi_stmt *st, PGresult *res, int tolerant)
{
	ExecStatusType s = PQresultStatus(res);
	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
		bahi_pool_cleanup(req->pool, res_clear, res);
		req->sqlstate[0] = '\0';
		return res;
	}
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	db_failed(req, res, st->name, !(tolerant && state && expected_error(state)));
	PQclear(res);
	return NULL;
}

/* A failed COMMIT: a conflict unless the database reports worse. */
static void
commit_failed(bahi_req *req, const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	db_failed(req, res, "COMMIT", !(state && expected_error(state)));
	if (req->problem.status == 0)
		bahi_fail(req, "conflict", "The change could not be saved; try again.");
}

static BAHI_STMT(db_begin, "BEGIN");
static BAHI_STMT(db_set_tenant, "SELECT set_config('app.business_id', $1, true)");
static BAHI_STMT(db_set_tenant_generic,
	"SELECT set_config('app.business_id', $1, true),"
	" set_config('plan_cache_mode', 'force_generic_plan', true)");
static BAHI_STMT(db_commit, "COMMIT");

enum item_kind { ITEM_BEGIN, ITEM_TENANT, ITEM_DEFERRED, ITEM_STMT, ITEM_COMMIT, ITEM_AFTER };

/* One statement of a pipeline and, once read, its result. */
typedef struct item {
	enum item_kind kind;
	bahi_stmt *st;
	int nparams;
	const char *const *params;
	bahi_db_done done;
	PGresult **keep;
	PGresult *res;
} item;

#define MAX_ITEMS (MAX_DEFERRED + 6)   /* and one for the Sync's error */

/* What a pipeline sends: the lazy transaction's BEGIN (left out when the
 * pipeline also commits: the protocol's implicit transaction then spans it
 * up to its Sync) and tenant, the deferred statements, st (may be NULL),
 * then when commit is set the at-commit statement, COMMIT when an explicit
 * transaction is open, and after it the after-commit statement (which needs
 * the transaction explicit). */
static int
pipeline_items(item *it, bahi_stmt *st, int nparams, const char *const *params, int commit,
               const char *const *tenant)
{
	int k = 0, after = commit && db.after.st != NULL;
	if (db.lazy && (!commit || after))
		it[k++] = (item){ITEM_BEGIN, &db_begin, 0, NULL, NULL, NULL, NULL};
	if (db.lazy && db.tenant != NULL)
		it[k++] = (item){ITEM_TENANT, db.generic ? &db_set_tenant_generic : &db_set_tenant, 1,
		                 tenant, NULL, NULL, NULL};
	for (int i = 0; i < db.nqueued; i++)
		it[k++] = (item){ITEM_DEFERRED, db.queue[i].st, db.queue[i].nparams,
		                 db.queue[i].params, db.queue[i].done, db.queue[i].keep, NULL};
	if (st != NULL)
		it[k++] = (item){ITEM_STMT, st, nparams, params, NULL, NULL, NULL};
	if (commit && db.atcommit.st != NULL)
		it[k++] = (item){ITEM_DEFERRED, db.atcommit.st, db.atcommit.nparams,
		                 db.atcommit.params, db.atcommit.done, NULL, NULL};
	if (commit && (!db.lazy || after))
		it[k++] = (item){ITEM_COMMIT, &db_commit, 0, NULL, NULL, NULL, NULL};
	if (after)
		it[k++] = (item){ITEM_AFTER, db.after.st, db.after.nparams, db.after.params, NULL,
		                 NULL, NULL};
	return k;
}

/* Sends the k items and a Sync, then reads one result per item and the
 * Sync's; it[k] is for an error the Sync's implicit commit may report. 0, or
 * -1 when the connection failed on the way. */
static int
pipeline_round_trip(PGconn *c, item *it, int k)
{
	if (!PQenterPipelineMode(c))
		return -1;
	for (int i = 0; i < k; i++)
		if (!PQsendQueryPrepared(c, it[i].st->name, it[i].nparams, it[i].params,
		                         NULL, NULL, 0))
			return -1;
	if (!PQpipelineSync(c))
		return -1;
	/* each item's results end with a NULL; the Sync's result ends the lot */
	for (int i = 0;;) {
		PGresult *r = PQgetResult(c);
		if (r == NULL) {
			if (++i > k)
				return -1;
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			return i == k && PQexitPipelineMode(c) ? 0 : -1;
		}
		/* it[k]: an error of the Sync's implicit COMMIT */
		if (i <= k && it[i].res == NULL)
			it[i].res = r;
		else
			PQclear(r);
	}
}

/* Checks a deferred statement's result with its callback. A failure is
 * remembered: its problem is the request's, whatever the caller makes of the
 * statements the server then skipped. */
static int
deferred_result(bahi_req *req, item *it)
{
	ExecStatusType s = PQresultStatus(it->res);
	int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
	if ((it->done == NULL || it->done(req, it->res) == 0) && ok) {
		if (it->keep != NULL) {   /* the caller's, in the request's pool */
			*it->keep = it->res;
			bahi_pool_cleanup(req->pool, res_clear, it->res);
			it->res = NULL;
		}
		return 0;
	}
	if (req->problem.status == 0)
		db_failed(req, it->res, it->st->name, 1);
	db.refused = 1;
	db.refusal = req->problem;
	return -1;
}

/* Checks the results in order; the first failure sets the problem (the
 * server skipped everything after it). *out receives the caller's
 * statement's result. 0, or -1 with a problem. */
static int
pipeline_results(bahi_req *req, item *it, int k, int tolerant, PGresult **out)
{
	int failed = 0;
	for (int i = 0; i <= k; i++) {
		PGresult *r = it[i].res;
		if (i == k && r == NULL)   /* the Sync's implicit commit went well */
			break;
		ExecStatusType s = PQresultStatus(r);
		if ((i == k && k > 0 && it[k - 1].kind == ITEM_AFTER) || it[i].kind == ITEM_AFTER) {
			/* after the COMMIT: what it does is not the request's to fail */
			if (!failed && s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
				bahi_log_error(req, "after commit: %s", PQresultErrorMessage(r));
		} else if (failed || s == PGRES_PIPELINE_ABORTED) {
			failed = 1;
		} else if (it[i].kind == ITEM_STMT) {
			it[i].res = NULL;   /* stmt_result owns it now */
			*out = stmt_result(req, it[i].st, r, tolerant);
			failed = *out == NULL;
		} else if (it[i].kind == ITEM_DEFERRED) {
			failed = deferred_result(req, &it[i]) != 0;
		} else if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			failed = 1;
			if (it[i].kind == ITEM_COMMIT)
				commit_failed(req, r);
			else
				db_failed(req, r, it[i].st->name, 1);
		}
		PQclear(it[i].res);
		it[i].res = NULL;
	}
	if (failed && req->problem.status == 0)
		bahi_fail(req, "internal_error", NULL);
	return failed ? -1 : 0;
}

/* One round trip: what waits (the lazy BEGIN and tenant, deferred
 * statements), then st (may be NULL), then, when commit is set, the end of
 * the transaction. *out receives st's result. 0, or -1 with a problem. */
static int
db_pipeline(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params,
            int tolerant, int commit, PGresult **out)
{
	*out = NULL;
	PGconn *c = bahi_db_conn(req);
	if (c == NULL)
		return -1;
	item it[MAX_ITEMS + 1];
	const char *tenant[1] = {db.tenant};
	int k = pipeline_items(it, st, nparams, params, commit, tenant);
	it[k] = (item){ITEM_COMMIT, &db_commit, 0, NULL, NULL, NULL, NULL};
	for (int i = 0; i < k; i++)
		if (stmt_prepare(req, c, it[i].st) != 0)
			return -1;
	int was_lazy = db.lazy;
	/* an explicit BEGIN went out: only a COMMIT that ran ends the transaction */
	int began = was_lazy && (!commit || (commit && db.after.st != NULL));
	db.lazy = 0;
	db.nqueued = 0;
	if (commit)
		db.after.st = db.atcommit.st = NULL;
	if (pipeline_round_trip(c, it, k) != 0) {
		for (int i = 0; i <= k; i++)
			PQclear(it[i].res);
		/* the connection's state is unknown: start afresh on the next use */
		bahi_log_error(req, "database pipeline failed: %s", PQerrorMessage(c));
		bahi_db_close();
		req->in_tx = 0;
		bahi_fail(req, "service_unavailable", "The database connection was lost.");
		req->problem.retry_after = 1;
		return -1;
	}
	/* an executed COMMIT ends the transaction even when it fails; judge it
	 * before pipeline_results clears the results */
	int last = k > 0 && it[k - 1].kind == ITEM_AFTER ? k - 2 : k - 1;
	int commit_ran = last >= 0 && it[last].kind == ITEM_COMMIT &&
	                 PQresultStatus(it[last].res) != PGRES_PIPELINE_ABORTED;
	int rc = pipeline_results(req, it, k, tolerant, out);
	if (commit && ((was_lazy && !began) || rc == 0 || commit_ran))
		req->in_tx = 0;
	/* deferred by a callback as the transaction ended: they go out at once */
	return rc == 0 && commit ? bahi_db_flush(req) : rc;
}

static PGresult *
db_run(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params, int tolerant)
{
	if (db.ended) {
		bahi_fail(req, "internal_error", "A statement ran after the transaction's last one.");
		return NULL;
	}
	if (db.lazy || db.nqueued > 0) {
		PGresult *res;
		return db_pipeline(req, st, nparams, params, tolerant, 0, &res) == 0 ? res : NULL;
	}
	PGconn *c = bahi_db_conn(req);
	if (c == NULL || stmt_prepare(req, c, st) != 0)
		return NULL;
	return stmt_result(req, st, PQexecPrepared(c, st->name, nparams, params, NULL, NULL, 0),
	                   tolerant);
}

PGresult *
bahi_db_exec(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params)
{
	return db_run(req, st, nparams, params, 0);
}

PGresult *
bahi_db_try(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params)
{
	return db_run(req, st, nparams, params, 1);
}

PGresult *
bahi_db_one(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params,
            const char *missing)
{
	PGresult *res = bahi_db_exec(req, st, nparams, params);
	if (res != NULL && PQntuples(res) != 1) {
		bahi_fail(req, "not_found", "%s", missing ? missing : "No such record.");
		return NULL;
	}
	return res;
}

PGresult *
bahi_db_exec_last(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params)
{
	/* change-log rows and a stored idempotent answer are written at commit */
	if (!req->in_tx || db.ended || req->changes != NULL || req->idem_key != NULL)
		return db_run(req, st, nparams, params, 0);
	PGresult *res;
	if (db_pipeline(req, st, nparams, params, 0, 1, &res) != 0)
		return NULL;
	db.ended = 1;
	return res;
}

/* A copy of params in the request's pool (the strings are shared). */
static const char *const *
params_copy(bahi_req *req, int nparams, const char *const *params)
{
	const char **copy = bahi_pool_calloc(req->pool, (size_t)nparams + 1, sizeof(*copy));
	for (int i = 0; i < nparams; i++)
		copy[i] = params[i];
	return copy;
}

int
bahi_db_defer(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params,
              bahi_db_done done)
{
	if (db.nqueued == MAX_DEFERRED)
		return bahi_fail(req, "internal_error", "Too many deferred statements.");
	db.queue[db.nqueued++] = (deferred){st, nparams, params_copy(req, nparams, params), done,
	                                    NULL};
	return 0;
}

int
bahi_db_defer_read(struct bahi_req *req, bahi_stmt *st, int nparams, const char *const *params,
                   bahi_db_done done, PGresult **out)
{
	*out = NULL;
	if (bahi_db_defer(req, st, nparams, params, done) != 0)
		return -1;
	db.queue[db.nqueued - 1].keep = out;
	return 0;
}

int
bahi_db_at_commit(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params,
                  bahi_db_done done)
{
	db.atcommit = (deferred){st, nparams, params_copy(req, nparams, params), done, NULL};
	return 0;
}

int
bahi_db_after_commit(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params)
{
	db.after = (deferred){st, nparams, params_copy(req, nparams, params), NULL, NULL};
	return 0;
}

int
bahi_db_waiting(const bahi_stmt *st)
{
	for (int i = 0; i < db.nqueued; i++)
		if (db.queue[i].st == st)
			return 1;
	return 0;
}

const char *const *
bahi_db_withdraw(bahi_stmt *st)
{
	for (int i = 0; i < db.nqueued; i++) {
		if (db.queue[i].st != st)
			continue;
		const char *const *params = db.queue[i].params;
		memmove(&db.queue[i], &db.queue[i + 1],
		        sizeof(db.queue[0]) * (size_t)(db.nqueued - i - 1));
		db.nqueued--;
		return params;
	}
	return NULL;
}

int
bahi_db_flush(bahi_req *req)
{
	if (!req->in_tx && db.atcommit.st != NULL) {
		/* set by a callback of the round trip that ended the transaction */
		if (db.nqueued == MAX_DEFERRED)
			return bahi_fail(req, "internal_error", "Too many deferred statements.");
		db.queue[db.nqueued++] = db.atcommit;
		db.atcommit.st = NULL;
	}
	if (!db.lazy && db.nqueued == 0)
		return 0;
	PGresult *res;
	if (!req->in_tx) {
		/* in a transaction of their own, scoped to the request's business */
		db.lazy = 1;
		db.tenant = req->tx_business;
		return db_pipeline(req, NULL, 0, NULL, 0, 1, &res);
	}
	return db_pipeline(req, NULL, 0, NULL, 0, 0, &res);
}

/* The problem of a failed deferred statement, again the request's. */
static int
refused(bahi_req *req)
{
	req->problem = db.refusal;
	return -1;
}

/* Forgets the request's transaction state (what waits, how it ended). */
static void
tx_reset(void)
{
	db.lazy = 0;
	db.tenant = NULL;
	db.nqueued = 0;
	db.atcommit.st = NULL;
	db.after.st = NULL;
	db.generic = 0;
	db.ended = 0;
	db.refused = 0;
}

int
bahi_tx_begin(bahi_req *req, const char *business_id)
{
	/* begun inside another: a check that failed or waits is not forgotten */
	if (db.refused)
		return refused(req);
	if (req->in_tx && bahi_db_flush(req) != 0)
		return -1;
	tx_reset();
	db.lazy = 1;
	db.tenant = business_id;
	req->in_tx = 1;
	req->tx_business = business_id;
	return 0;
}

int
bahi_tx_generic_plans(bahi_req *req)
{
	if (!db.lazy || db.tenant == NULL)
		return bahi_fail(req, "internal_error", "Generic plans are set with the tenant.");
	db.generic = 1;
	return 0;
}

int
bahi_tx_set_business(bahi_req *req, const char *business_id)
{
	const char *p[1] = {business_id};
	if (bahi_db_exec(req, &db_set_tenant, 1, p) == NULL)
		return -1;
	req->tx_business = bahi_pool_strdup(req->pool, business_id);
	req->auth.business_id = req->tx_business;
	return 0;
}

static BAHI_STMT(db_set_lookup, "SELECT set_config($1, $2, true)");

int
bahi_tx_set_lookup(bahi_req *req, const char *name, const char *value)
{
	const char *p[2] = {name, value};
	return bahi_db_exec(req, &db_set_lookup, 2, p) == NULL ? -1 : 0;
}

int
bahi_tx_commit(bahi_req *req)
{
	int ended = db.ended;
	db.ended = 0;
	if (db.refused)
		return refused(req);
	if (!req->in_tx) {
		if (ended && req->changes != NULL)
			return bahi_fail(req, "internal_error",
			                 "Changes were recorded after the transaction's last statement.");
		return bahi_db_flush(req);
	}
	if (bahi_changelog_flush(req) != 0)
		return -1;
	if (db.lazy && db.nqueued == 0 && db.atcommit.st == NULL) {
		/* nothing was ever sent: there is nothing to commit */
		tx_reset();
		req->in_tx = 0;
		return 0;
	}
	PGresult *res;
	if (db.lazy || db.nqueued > 0 || db.atcommit.st != NULL || db.after.st != NULL)
		return db_pipeline(req, NULL, 0, NULL, 1, 1, &res);
	PGconn *c = bahi_db_conn(req);
	if (c == NULL || stmt_prepare(req, c, &db_commit) != 0)
		return -1;
	res = PQexecPrepared(c, db_commit.name, 0, NULL, NULL, NULL, 0);
	req->in_tx = 0;
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		commit_failed(req, res);
	PQclear(res);
	return ok ? 0 : -1;
}

void
bahi_tx_rollback(bahi_req *req)
{
	int lazy = db.lazy;
	if (db.refused)
		req->problem = db.refusal;
	tx_reset();
	if (!req->in_tx)
		return;
	req->in_tx = 0;
	PGconn *c = db.conn;
	if (lazy || c == NULL || PQstatus(c) != CONNECTION_OK)
		return;
	/* not through db_run: a rollback must not overwrite the request's problem */
	PGresult *res = PQexec(c, "ROLLBACK");
	PQclear(res);
}

void
bahi_db_release(bahi_req *req, PGresult *res)
{
	if (res != NULL)
		bahi_pool_release(req->pool, res);
}

const char *
bahi_db_get(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col);
}

int
bahi_db_isnull(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col);
}
