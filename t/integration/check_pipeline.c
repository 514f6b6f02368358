/* check_pipeline: lazy transactions, deferred checks and last statements in one round trip (bahi_db), and the session check built on them. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bahi_db.h"
#include "bahi_req.h"
#include "bahi_worker.h"
#include "harness.h"

static const char *A = "0190a2b3-0000-7000-8000-00000000a1a1";
static const bahi_worker_def test_def = {.name = "check_pipeline"};

static BAHI_STMT(t_tenant, "SELECT current_setting('app.business_id', true)");
static BAHI_STMT(t_xid, "SELECT txid_current()::text");
static BAHI_STMT(t_refuse, "SELECT bahi_refuse('BH401', NULL)");
static BAHI_STMT(t_pass, "SELECT 'passed'");
/* advisory locks outlive a rollback: they show whether a statement ran */
static BAHI_STMT(t_lock, "SELECT pg_advisory_lock(424242)");
static BAHI_STMT(t_unlock, "SELECT pg_advisory_unlock(424242)");

static int ncalls;

/* A deferred check's callback: BH401 is "unauthorized". */
static int
refused(bahi_req *r, PGresult *res)
{
	ncalls++;
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state != NULL && strcmp(state, "BH401") == 0)
		return bahi_fail(r, "unauthorized", "Refused by the check.");
	return PQresultStatus(res) == PGRES_TUPLES_OK ? 0 : -1;
}

/* Each database test's request, made by the fixture. */
static bahi_req req;

static void
setup(void)
{
	bahi_db_init(bt_get()->app_url);
	bahi_req_local(&req, &test_def);
	ncalls = 0;
}

static void
teardown(void)
{
	bahi_req_local_free(&req);
	bahi_db_close();
}

/* The statement's first value, or "" when it failed. */
static const char *
value(bahi_req *r, bahi_stmt *st)
{
	PGresult *res = bahi_db_exec(r, st, 0, NULL);
	return res != NULL ? bahi_db_get(res, 0, 0) : "";
}

/* A last statement sees the tenant, commits with its round trip, and the
 * tenant does not outlive it. */
START_TEST(last_statement_commits_and_the_tenant_ends)
{
	ck_assert_int_eq(bahi_tx_begin(&req, A), 0);
	PGresult *res = bahi_db_exec_last(&req, &t_tenant, 0, NULL);
	ck_assert_ptr_nonnull(res);
	ck_assert_str_eq(bahi_db_get(res, 0, 0), A);
	ck_assert_int_eq(req.in_tx, 0);
	ck_assert_int_eq(bahi_tx_commit(&req), 0);
	ck_assert_str_eq(value(&req, &t_tenant), "");
	/* no transaction is left open: each statement is one of its own */
	char *first = strdup(value(&req, &t_xid));
	ck_assert_str_ne(value(&req, &t_xid), first);
	free(first);
}
END_TEST

/* A statement run after the last one is refused, and changes queued then too. */
START_TEST(nothing_runs_after_the_last_statement)
{
	bahi_tx_begin(&req, A);
	ck_assert_ptr_nonnull(bahi_db_exec_last(&req, &t_tenant, 0, NULL));
	ck_assert_ptr_null(bahi_db_exec(&req, &t_tenant, 0, NULL));
	ck_assert_str_eq(req.problem.code, "internal_error");
	bahi_tx_rollback(&req);
	ck_assert_str_eq(value(&req, &t_tenant), "");
}
END_TEST

/* The lazy BEGIN opens one transaction that spans the statements until COMMIT. */
START_TEST(explicit_transaction_spans_statements)
{
	bahi_tx_begin(&req, A);
	char *first = strdup(value(&req, &t_xid));
	ck_assert_str_ne(first, "");
	ck_assert_str_eq(value(&req, &t_xid), first);
	ck_assert_str_eq(value(&req, &t_tenant), A);
	ck_assert_int_eq(bahi_tx_commit(&req), 0);
	ck_assert_str_ne(value(&req, &t_xid), first);
	ck_assert_str_eq(value(&req, &t_tenant), "");
	free(first);
}
END_TEST

/* A failed deferred check: the server skips what was sent after it, its
 * problem is the request's, and the rollback keeps it. */
START_TEST(failed_deferred_check_skips_what_follows)
{
	bahi_tx_begin(&req, A);
	ck_assert_int_eq(bahi_db_defer(&req, &t_refuse, 0, NULL, refused), 0);
	ck_assert_ptr_null(bahi_db_exec(&req, &t_lock, 0, NULL));
	ck_assert_int_eq(ncalls, 1);
	ck_assert_str_eq(req.problem.code, "unauthorized");
	/* what a handler might make of the failed statement does not stick */
	bahi_fail(&req, "conflict", NULL);
	ck_assert_int_eq(bahi_tx_commit(&req), -1);
	ck_assert_str_eq(req.problem.code, "unauthorized");
	bahi_fail(&req, "conflict", NULL);
	bahi_tx_rollback(&req);
	ck_assert_str_eq(req.problem.code, "unauthorized");
	ck_assert_str_eq(value(&req, &t_unlock), "f");
}
END_TEST

/* The same for a last statement: neither it nor the commit runs. */
START_TEST(failed_deferred_check_skips_a_last_statement)
{
	bahi_tx_begin(&req, A);
	bahi_db_defer(&req, &t_refuse, 0, NULL, refused);
	ck_assert_ptr_null(bahi_db_exec_last(&req, &t_lock, 0, NULL));
	ck_assert_str_eq(req.problem.code, "unauthorized");
	bahi_tx_rollback(&req);
	ck_assert_str_eq(value(&req, &t_unlock), "f");
}
END_TEST

/* A passing deferred check goes out with the next statement, which runs;
 * one waiting at commit goes out with it. */
START_TEST(passing_deferred_checks_run_once)
{
	bahi_tx_begin(&req, A);
	bahi_db_defer(&req, &t_pass, 0, NULL, refused);
	ck_assert_int_eq(ncalls, 0);
	ck_assert_str_eq(value(&req, &t_tenant), A);
	ck_assert_int_eq(ncalls, 1);
	ck_assert_str_eq(value(&req, &t_tenant), A);
	ck_assert_int_eq(ncalls, 1);
	bahi_db_defer(&req, &t_pass, 0, NULL, refused);
	ck_assert_int_eq(bahi_tx_commit(&req), 0);
	ck_assert_int_eq(ncalls, 2);
	/* and a transaction with nothing but a check */
	bahi_tx_begin(&req, A);
	bahi_db_defer(&req, &t_refuse, 0, NULL, refused);
	ck_assert_int_eq(bahi_tx_commit(&req), -1);
	ck_assert_int_eq(ncalls, 3);
	ck_assert_str_eq(req.problem.code, "unauthorized");
	bahi_tx_rollback(&req);
}
END_TEST

/* A deferred read goes out before the next statement, in its transaction,
 * and its rows are the caller's once that statement's round trip is back;
 * skipped after a failed check, it leaves nothing to read. */
START_TEST(a_deferred_read_answers_with_the_next_statement)
{
	bahi_tx_begin(&req, A);
	PGresult *xid = (PGresult *)&req;   /* set to NULL by the call */
	ck_assert_int_eq(bahi_db_defer_read(&req, &t_xid, 0, NULL, NULL, &xid), 0);
	ck_assert_ptr_null(xid);
	char *after = strdup(value(&req, &t_xid));
	ck_assert_ptr_nonnull(xid);
	ck_assert_int_eq(PQntuples(xid), 1);
	ck_assert_str_eq(bahi_db_get(xid, 0, 0), after);
	ck_assert_int_eq(bahi_tx_commit(&req), 0);
	free(after);
	bahi_tx_begin(&req, A);
	bahi_db_defer(&req, &t_refuse, 0, NULL, refused);
	ck_assert_int_eq(bahi_db_defer_read(&req, &t_lock, 0, NULL, NULL, &xid), 0);
	ck_assert_ptr_null(bahi_db_exec(&req, &t_tenant, 0, NULL));
	ck_assert_ptr_null(xid);
	ck_assert_str_eq(req.problem.code, "unauthorized");
	bahi_tx_rollback(&req);
	ck_assert_str_eq(value(&req, &t_unlock), "f");
}
END_TEST

/* A transaction that never sent anything has nothing to roll back or commit. */
START_TEST(an_unused_transaction_sends_nothing)
{
	bahi_tx_begin(&req, A);
	bahi_tx_rollback(&req);
	ck_assert_int_eq(req.in_tx, 0);
	bahi_tx_begin(&req, A);
	ck_assert_int_eq(bahi_tx_commit(&req), 0);
	ck_assert_int_eq(req.in_tx, 0);
	char *first = strdup(value(&req, &t_xid));
	ck_assert_str_ne(value(&req, &t_xid), first);
	free(first);
	ck_assert_str_eq(value(&req, &t_tenant), "");
}
END_TEST

/* Through HTTP: a read's refused permission names the role (the deferred
 * check fails with BH403), as a write's does (checked before its handler). */
START_TEST(forbidden_names_the_role)
{
	bt_session owner, clerk;
	bt_signup(&owner);
	bt_add_user(&owner, "clerk", &clerk);
	bt_resp r = bt_json("GET", "/api/v1/users", clerk.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	ck_assert_str_eq(bt_str(&r, "detail"), "Your role (clerk) may not do this.");
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", clerk.access, "{\"name\":\"Clerk's shop\"}");
	bt_assert_problem(&r, 403, "forbidden");
	ck_assert_str_eq(bt_str(&r, "detail"), "Your role (clerk) may not do this.");
	bt_free(&r);
	const char *p[1] = {owner.business_id};
	char *name = bt_super_value("SELECT name FROM businesses WHERE id = $1", 1, p);
	ck_assert_str_eq(name, owner.business_name);
	free(name);
}
END_TEST

/* A device seen more than a minute ago is marked seen by its next read,
 * /me (whose one statement is the check) or any other. */
START_TEST(reads_refresh_last_seen_at_when_due)
{
	bt_session s;
	bt_signup(&s);
	const char *p[1] = {s.device_id};
	const char *stale = "UPDATE devices SET last_seen_at = now() - interval '2 hours' WHERE id = $1";
	const char *fresh = "SELECT count(*) FROM devices WHERE id = $1"
	                    " AND last_seen_at > now() - interval '30 seconds'";
	ck_assert_int_eq(bt_super_exec(stale, 1, p), 1);
	bt_resp r = bt_json("GET", "/api/v1/me", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_super_long(fresh, 1, p), 1);
	/* /me shows the refresh its request made, not the stale time */
	const char *shown[1] = {bt_at_str(&r, "device.last_seen_at")};
	ck_assert_int_eq(bt_super_long("SELECT count(*) WHERE $1::timestamptz"
	                               " > now() - interval '30 seconds'", 1, shown), 1);
	bt_free(&r);
	ck_assert_int_eq(bt_super_exec(stale, 1, p), 1);
	r = bt_json("GET", "/api/v1/business", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_super_long(fresh, 1, p), 1);
	bt_free(&r);
	/* and a refused session refreshes nothing */
	ck_assert_int_eq(bt_super_exec(stale, 1, p), 1);
	ck_assert_int_eq(bt_super_exec("UPDATE users SET token_version = token_version + 1"
	                               " WHERE business_id = $1", 1,
	                               (const char *const[]){s.business_id}), 1);
	r = bt_json("GET", "/api/v1/me", s.access, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long(fresh, 1, p), 0);
}
END_TEST

/* The notifications on c within ms milliseconds: their payloads, comma-separated. */
static void
notifications(PGconn *c, int ms, char *out, size_t size)
{
	out[0] = '\0';
	for (int waited = 0; waited <= ms; waited += 50) {
		ck_assert_int_eq(PQconsumeInput(c), 1);
		PGnotify *n;
		while ((n = PQnotifies(c)) != NULL) {
			size_t len = strlen(out);
			snprintf(out + len, size - len, "%s%s:%s", len ? "," : "", n->relname, n->extra);
			PQfreemem(n);
		}
		usleep(50 * 1000);
	}
}

/* A write's change-log entries are announced once, after its commit, with
 * the business as the payload; a refused write announces nothing. */
START_TEST(a_write_notifies_after_commit)
{
	bt_session s;
	char got[512], want[128];
	bt_signup(&s);
	PGconn *c = bt_db(bt_get()->super_url);
	PQclear(bt_sql(c, "LISTEN bahi_changes", 0, NULL));
	bt_resp r = bt_json("POST", "/api/v1/customers", s.access, "{\"name\":\"Listener\"}");
	ck_assert_int_eq(r.status, 201);
	bt_free(&r);
	notifications(c, 1000, got, sizeof(got));
	snprintf(want, sizeof(want), "bahi_changes:%s", s.business_id);
	ck_assert_str_eq(got, want);
	r = bt_json("POST", "/api/v1/customers", s.access, "{\"name\":\"\"}");
	bt_assert_problem(&r, 422, "validation_failed");
	bt_free(&r);
	notifications(c, 500, got, sizeof(got));
	ck_assert_str_eq(got, "");
	PQfinish(c);
}
END_TEST

/* A token the workers remember (verified once) still expires on time. */
START_TEST(a_remembered_token_still_expires)
{
	bt_session s;
	char secret[256], kid[17], header[128], payload[1024];
	bt_signup(&s);
	bt_jwt_secret(secret, sizeof(secret), kid);
	long now = (long)time(NULL);
	snprintf(header, sizeof(header), "{\"alg\":\"HS256\",\"kid\":\"%s\",\"typ\":\"JWT\"}", kid);
	snprintf(payload, sizeof(payload),
	         "{\"aud\":\"bahi-api\",\"bid\":\"%s\",\"did\":\"%s\",\"exp\":%ld,"
	         "\"iat\":%ld,\"iss\":\"bahi\",\"nbf\":%ld,\"role\":\"owner\",\"sub\":\"%s\","
	         "\"typ\":\"access\",\"ver\":1}",
	         s.business_id, s.device_id, now + 3, now, now, s.user_id);
	char *token = bt_jwt_hs256(header, payload, secret);
	for (int i = 0; i < 8; i++) {
		bt_resp r = bt_json("GET", "/api/v1/me", token, NULL);
		ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
		bt_free(&r);
	}
	while ((long)time(NULL) < now + 4)
		sleep(1);
	for (int i = 0; i < 8; i++) {
		bt_resp r = bt_json("GET", "/api/v1/me", token, NULL);
		bt_assert_problem(&r, 401, "token_expired");
		bt_free(&r);
	}
	free(token);
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("pipeline");
	TCase *t = tcase_create("db");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, last_statement_commits_and_the_tenant_ends);
	tcase_add_test(t, nothing_runs_after_the_last_statement);
	tcase_add_test(t, explicit_transaction_spans_statements);
	tcase_add_test(t, failed_deferred_check_skips_what_follows);
	tcase_add_test(t, failed_deferred_check_skips_a_last_statement);
	tcase_add_test(t, passing_deferred_checks_run_once);
	tcase_add_test(t, an_unused_transaction_sends_nothing);
	tcase_add_test(t, a_deferred_read_answers_with_the_next_statement);
	suite_add_tcase(s, t);
	TCase *h = tcase_create("http");
	tcase_set_timeout(h, 60);
	tcase_add_test(h, forbidden_names_the_role);
	tcase_add_test(h, reads_refresh_last_seen_at_when_due);
	tcase_add_test(h, a_remembered_token_still_expires);
	tcase_add_test(h, a_write_notifies_after_commit);
	suite_add_tcase(s, h);
	return bahi_check_run(s);
}
