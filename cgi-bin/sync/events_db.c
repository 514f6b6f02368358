/* events_db: the events process's PostgreSQL connections (a small pool the streams share) and its statements. */
#include "events.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_changelog.h"
#include "bahi_log.h"
#include "bahi_num.h"
#include "bahi_perm.h"
#include "bahi_session.h"
#include "bahi_sync.h"

#define POOL_MAX 256

/* The connections the stream threads share: one thread uses a connection
 * at a time; a thread wanting one while all are busy waits. A slot's
 * connection is made on first use and again after it broke. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *conninfo;
	int size;
	PGconn *conn[POOL_MAX];
	int busy[POOL_MAX];
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 1, {NULL}, {0}};

void
events_db_init(const char *conninfo, int size)
{
	free(pool.conninfo);
	pool.conninfo = strdup(conninfo ? conninfo : "");
	pool.size = size < 1 ? 1 : size > POOL_MAX ? POOL_MAX : size;
}

void
events_db_close(void)
{
	pthread_mutex_lock(&pool.lock);
	for (int i = 0; i < pool.size; i++) {
		if (pool.conn[i] != NULL && !pool.busy[i]) {
			PQfinish(pool.conn[i]);
			pool.conn[i] = NULL;
		}
	}
	pthread_mutex_unlock(&pool.lock);
}

/* The server's notices (a FATAL before it drops a connection) as log lines. */
static void
log_notice(void *arg, const char *message)
{
	(void)arg;
	bahi_log_info("%.*s", (int)strcspn(message, "\n"), message);
}

PGconn *
events_db_connect(const char *application_name)
{
	/* the configured string is expanded in dbname's place; the name after
	 * it wins over one the string may carry */
	const char *keys[] = {"connect_timeout", "dbname", "application_name", NULL};
	const char *values[] = {"5", pool.conninfo ? pool.conninfo : "", application_name, NULL};
	PGconn *c = PQconnectdbParams(keys, values, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		bahi_log_error(NULL, "database connection failed: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, log_notice, NULL);
	return c;
}

PGconn *
events_db_take(void)
{
	int slot = -1;
	pthread_mutex_lock(&pool.lock);
	while (slot < 0) {
		for (int i = 0; i < pool.size && slot < 0; i++)
			if (!pool.busy[i])
				slot = i;
		if (slot < 0)
			pthread_cond_wait(&pool.cond, &pool.lock);
	}
	pool.busy[slot] = 1;
	PGconn *c = pool.conn[slot];
	pthread_mutex_unlock(&pool.lock);
	if (c != NULL && PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		c = NULL;
	}
	if (c == NULL)
		c = events_db_connect("bahi-events");
	pthread_mutex_lock(&pool.lock);
	pool.conn[slot] = c;
	if (c == NULL) {
		pool.busy[slot] = 0;
		pthread_cond_signal(&pool.cond);
	}
	pthread_mutex_unlock(&pool.lock);
	return c;
}

void
events_db_give(PGconn *c)
{
	/* a connection left in an odd state is dropped, and made anew later */
	int broken = PQstatus(c) != CONNECTION_OK || PQpipelineStatus(c) != PQ_PIPELINE_OFF ||
	             PQtransactionStatus(c) != PQTRANS_IDLE;
	pthread_mutex_lock(&pool.lock);
	for (int i = 0; i < pool.size; i++) {
		if (pool.conn[i] != c)
			continue;
		if (broken) {
			PQfinish(c);
			pool.conn[i] = NULL;
		}
		pool.busy[i] = 0;
		break;
	}
	pthread_cond_signal(&pool.cond);
	pthread_mutex_unlock(&pool.lock);
}

/* Reads the pipeline's results up to its sync: the second statement's
 * result when both succeeded, else NULL (the first error logged). */
static PGresult *
pipeline_results(PGconn *c, const char *sql)
{
	PGresult *out = NULL;
	int query = 0, logged = 0;
	for (int guard = 0; guard < 16; guard++) {
		PGresult *res = PQgetResult(c);
		if (res == NULL) {
			if (PQstatus(c) != CONNECTION_OK)
				break;
			query++;        /* NULL ends each statement's results */
			continue;
		}
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (query == 1 && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) && out == NULL) {
			out = res;
			continue;
		}
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && !logged++)
			bahi_log_error(NULL, "%s: %s", sql, st == PGRES_PIPELINE_ABORTED ?
			               "skipped after an error" : PQresultErrorMessage(res));
		PQclear(res);
	}
	if (logged && out != NULL) {
		PQclear(out);
		out = NULL;
	}
	return out;
}

PGresult *
events_db_tenant(PGconn *c, const char *business, const char *sql, int nparams,
                 const char *const *params)
{
	/* Without BEGIN, the statements up to the sync form one implicit
	 * transaction: the setting is transaction-local and scopes the next. */
	const char *tenant[1] = {business};
	if (PQenterPipelineMode(c) != 1 ||
	    PQsendQueryParams(c, "SELECT set_config('app.business_id', $1, true)", 1, NULL,
	                      tenant, NULL, NULL, 0) != 1 ||
	    PQsendQueryParams(c, sql, nparams, NULL, params, NULL, NULL, 0) != 1 ||
	    PQpipelineSync(c) != 1) {
		bahi_log_error(NULL, "%s: %s", sql, PQerrorMessage(c));
		PQexitPipelineMode(c);
		return NULL;
	}
	PGresult *res = pipeline_results(c, sql);
	if (PQexitPipelineMode(c) != 1)
		bahi_log_error(NULL, "leaving pipeline mode: %s", PQerrorMessage(c));
	return res;
}

PGresult *
events_db_run(const char *business, const char *sql, int nparams, const char *const *params)
{
	/* a pooled connection may have died while it waited (a database
	 * restart): it is dropped, and the statement tried once on a new one */
	for (int attempt = 0; attempt < 2; attempt++) {
		PGconn *c = events_db_take();
		if (c == NULL)
			return NULL;
		PGresult *res = events_db_tenant(c, business, sql, nparams, params);
		int lost = res == NULL && PQstatus(c) != CONNECTION_OK;
		events_db_give(c);
		if (!lost)
			return res;
	}
	return NULL;
}

static const char changes_sql[] = BAHI_CHANGES_AFTER;

PGresult *
events_db_changes(PGconn *c, const char *business, int64_t after, int limit)
{
	char a[24], l[16];
	snprintf(a, sizeof(a), "%" PRId64, after);
	snprintf(l, sizeof(l), "%d", limit);
	const char *p[3] = {business, a, l};
	return c != NULL ? events_db_tenant(c, business, changes_sql, 3, p) :
	       events_db_run(business, changes_sql, 3, p);
}

int
events_db_format(bahi_buf *b, const PGresult *res, int row, int64_t *seq)
{
	const char *s = PQgetvalue(res, row, 0);
	size_t mark = b->len;
	if (bahi_num_parse(s, 1, INT64_MAX, seq, NULL) != 0)
		return -1;
	int rc = bahi_buf_printf(b, "id: %s\nevent: change\ndata: {\"seq\":%s,\"entity\":\"", s, s);
	rc |= bahi_buf_json_escape(b, PQgetvalue(res, row, 1));
	rc |= bahi_buf_printf(b, "\",\"id\":\"%s\",\"op\":\"", PQgetvalue(res, row, 2));
	rc |= bahi_buf_json_escape(b, PQgetvalue(res, row, 3));
	rc |= bahi_buf_printf(b, "\",\"version\":%s}\n\n", PQgetvalue(res, row, 4));
	if (rc != 0 && b->data != NULL) {      /* no half event */
		b->len = mark;
		b->data[mark] = '\0';
	}
	return rc ? -1 : 0;
}

const char *
events_db_perm(const PGresult *res, int row)
{
	const bahi_sync_entity *e = bahi_sync_entity_find(PQgetvalue(res, row, 1));
	return e != NULL ? e->read_perm : NULL;
}

/* bahi_session_authorize's check (the same statement) and the business's
 * current sequence number, in one statement: one snapshot. */
static const char session_sql[] = BAHI_SESSION_SELECT(
	", coalesce((SELECT c.value FROM business_counters c"
	"  WHERE c.business_id = $1 AND c.name = 'change_seq'), 0)");
/* Marks the device seen, at most once a minute (as bahi_session does). */
static const char touch_sql[] =
	"UPDATE devices SET last_seen_at = now()"
	" WHERE business_id = $1 AND id = $2 AND revoked_at IS NULL"
	"   AND last_seen_at < now() - interval '60 seconds'";

int
events_db_session(events_session *s)
{
	char ver[24];
	snprintf(ver, sizeof(ver), "%ld", s->token_version);
	const char *p[5] = {s->business, s->device, s->user, ver, NULL};
	PGresult *res = events_db_run(s->business, session_sql, 5, p);
	int rc = -1;
	if (res != NULL && PQntuples(res) == 0) {
		rc = 401;
	} else if (res != NULL) {
		snprintf(s->role, sizeof(s->role), "%s", PQgetvalue(res, 0, 0));
		rc = bahi_perm_allows(s->role, "sync") ? 0 : 403;
		if (bahi_num_parse(PQgetvalue(res, 0, BAHI_SESSION_NCOLS), 0, INT64_MAX, &s->seq,
		                   NULL) != 0)
			rc = -1;
		if (rc == 0 && PQgetvalue(res, 0, 2)[0] == 't')
			PQclear(events_db_run(s->business, touch_sql, 2, p));
	}
	PQclear(res);
	return rc;
}
