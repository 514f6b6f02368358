/* bahi_db: one PostgreSQL connection per worker process, with reconnect and statement preparation. */
#include "bahi_db.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_changelog.h"
#include "bahi_log.h"
#include "bahi_req.h"

static struct {
	char *conninfo;
	PGconn *conn;
	unsigned gen;          /* bumped on each new connection */
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

static PGresult *
db_run(bahi_req *req, bahi_stmt *st, int nparams, const char *const *params,
       int tolerant)
{
	PGconn *c = bahi_db_conn(req);
	if (c == NULL || stmt_prepare(req, c, st) != 0)
		return NULL;
	PGresult *res = PQexecPrepared(c, st->name, nparams, params, NULL, NULL, 0);
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

static BAHI_STMT(db_begin, "BEGIN");
static BAHI_STMT(db_set_tenant, "SELECT set_config('app.business_id', $1, true)");
static BAHI_STMT(db_commit, "COMMIT");

int
bahi_tx_begin(bahi_req *req, const char *business_id)
{
	if (bahi_db_exec(req, &db_begin, 0, NULL) == NULL)
		return -1;
	req->in_tx = 1;
	req->tx_business = business_id;
	if (business_id != NULL) {
		const char *p[1] = {business_id};
		if (bahi_db_exec(req, &db_set_tenant, 1, p) == NULL)
			return -1;
	}
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
	if (!req->in_tx)
		return 0;
	if (bahi_changelog_flush(req) != 0)
		return -1;
	PGresult *res = bahi_db_try(req, &db_commit, 0, NULL);
	req->in_tx = 0;
	if (res == NULL) {
		if (req->problem.status == 0)
			bahi_fail(req, "conflict", "The change could not be saved; try again.");
		return -1;
	}
	return 0;
}

void
bahi_tx_rollback(bahi_req *req)
{
	if (!req->in_tx)
		return;
	req->in_tx = 0;
	PGconn *c = db.conn;
	if (c == NULL || PQstatus(c) != CONNECTION_OK)
		return;
	/* not through db_run: a rollback must not overwrite the request's problem */
	PGresult *res = PQexec(c, "ROLLBACK");
	PQclear(res);
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
