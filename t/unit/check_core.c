/* check_core: unit tests for the request core: pool (and releasing one cleanup early), buffers, result rows as JSON, problems, router, path ids, unique-violation problems, form/query decoding, config, templates, the change-log queue. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bahi_buf.h"
#include "bahi_changelog.h"
#include "bahi_config.h"
#include "bahi_json.h"
#include "bahi_pool.h"
#include "bahi_problem.h"
#include "bahi_req.h"
#include "bahi_router.h"
#include "bahi_tmpl.h"

static int cleanup_order[3];
static int cleanup_n;

static void
note_cleanup(void *p)
{
	cleanup_order[cleanup_n++] = *(int *)p;
}

START_TEST(pool_cleanups_run_last_first)
{
	static int a = 1, b = 2, c = 3;
	bahi_pool *p = bahi_pool_create();
	cleanup_n = 0;
	bahi_pool_cleanup(p, note_cleanup, &a);
	bahi_pool_cleanup(p, note_cleanup, &b);
	bahi_pool_cleanup(p, note_cleanup, &c);
	char *big = bahi_pool_alloc(p, 100000);
	memset(big, 'x', 100000);
	ck_assert_str_eq(bahi_pool_printf(p, "%s-%d", "inv", 42), "inv-42");
	ck_assert_str_eq(bahi_pool_strndup(p, "abcdef", 3), "abc");
	bahi_pool_destroy(p);
	ck_assert_int_eq(cleanup_n, 3);
	ck_assert_int_eq(cleanup_order[0], 3);
	ck_assert_int_eq(cleanup_order[2], 1);
}
END_TEST

START_TEST(pool_release_runs_one_cleanup_now)
{
	static int a = 1, b = 2, c = 3, unknown = 4;
	bahi_pool *p = bahi_pool_create();
	cleanup_n = 0;
	bahi_pool_cleanup(p, note_cleanup, &a);
	bahi_pool_cleanup(p, note_cleanup, &b);
	bahi_pool_cleanup(p, note_cleanup, &c);
	ck_assert_int_eq(bahi_pool_release(p, &b), 0);
	ck_assert_int_eq(cleanup_n, 1);
	ck_assert_int_eq(cleanup_order[0], 2);
	ck_assert_int_eq(bahi_pool_release(p, &b), -1);
	ck_assert_int_eq(bahi_pool_release(p, &unknown), -1);
	ck_assert_int_eq(cleanup_n, 1);
	bahi_pool_destroy(p);
	ck_assert_int_eq(cleanup_n, 3);
	ck_assert_int_eq(cleanup_order[1], 3);
	ck_assert_int_eq(cleanup_order[2], 1);
}
END_TEST

START_TEST(buf_cap_is_hard)
{
	bahi_buf b;
	bahi_buf_init(&b, 8);
	ck_assert_int_eq(bahi_buf_puts(&b, "12345678"), 0);
	ck_assert_int_eq(bahi_buf_putc(&b, '9'), -1);
	ck_assert_int_eq(b.overflow, 1);
	ck_assert_str_eq(b.data, "12345678");
	bahi_buf_free(&b);
}
END_TEST

START_TEST(buf_json_escape)
{
	bahi_buf b;
	bahi_buf_init(&b, 1024);
	bahi_buf_json_escape(&b, "a\"b\\c\n\x01</");
	ck_assert_str_eq(b.data, "a\\\"b\\\\c\\n\\u0001</");
	bahi_buf_free(&b);
}
END_TEST

START_TEST(buf_json_member)
{
	bahi_buf b;
	bahi_buf_init(&b, 1024);
	bahi_buf_putc(&b, '{');
	bahi_buf_json_member(&b, "name", "Ali \"Sons\"\n");
	bahi_buf_json_member(&b, "sku", NULL);
	bahi_buf_putc(&b, '}');
	ck_assert_str_eq(b.data, "{,\"name\":\"Ali \\\"Sons\\\"\\n\",\"sku\":null}");
	bahi_buf_free(&b);
	bahi_buf_init(&b, 8);
	ck_assert_int_eq(bahi_buf_json_member(&b, "name", "x"), -1);
	ck_assert_int_eq(b.overflow, 1);
	bahi_buf_free(&b);
}
END_TEST

/* A one-row result with the given columns (type OIDs) and values (NULL: SQL NULL). */
static PGresult *
one_row_result(int n, const char *const *names, const Oid *types, const char *const *values)
{
	PGresAttDesc att[8];
	memset(att, 0, sizeof(att));
	for (int i = 0; i < n; i++) {
		att[i].name = (char *)names[i];
		att[i].typid = types[i];
		att[i].typlen = -1;
	}
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	ck_assert_int_eq(PQsetResultAttrs(res, n, att), 1);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(PQsetvalue(res, 0, i, (char *)values[i],
		                            values[i] ? (int)strlen(values[i]) : -1), 1);
	return res;
}

/* Columns as JSON by type; a timestamp (without time zone) is UTC and comes
 * out as bahi_ts() writes it, its fraction of a second dropped. */
START_TEST(json_cols_write_by_type)
{
	const char *names[] = {"name", "n", "ok", "at", "seen", "gone"};
	const Oid types[] = {25, 23, 16, 1114, 1114, 1114};
	const char *values[] = {"Ali \"Sons\"", "42", "t", "2026-11-21 08:30:05.999999",
	                        "2026-01-02 03:04:05", NULL};
	PGresult *res = one_row_result(6, names, types, values);
	bahi_buf b;
	bahi_buf_init(&b, 1024);
	ck_assert_int_eq(bahi_json_cols_write(&b, res, 0, 0, 6), 0);
	ck_assert_str_eq(b.data, "{\"name\":\"Ali \\\"Sons\\\"\",\"n\":42,\"ok\":true,"
	                 "\"at\":\"2026-11-21T08:30:05Z\",\"seen\":\"2026-01-02T03:04:05Z\","
	                 "\"gone\":null}");
	bahi_buf_reset(&b);
	ck_assert_int_eq(bahi_json_cols_write(&b, res, 0, 3, 1), 0);
	ck_assert_str_eq(b.data, "{\"at\":\"2026-11-21T08:30:05Z\"}");
	PQclear(res);
	/* a long text goes out whole */
	char long_text[301], want[320];
	memset(long_text, 'x', 300);
	long_text[300] = '\0';
	const char *long_value[] = {long_text};
	res = one_row_result(1, names, types, long_value);
	bahi_buf_reset(&b);
	ck_assert_int_eq(bahi_json_cols_write(&b, res, 0, 0, 1), 0);
	snprintf(want, sizeof(want), "{\"name\":\"%s\"}", long_text);
	ck_assert_str_eq(b.data, want);
	PQclear(res);
	/* any other DateStyle's text fails rather than pass for RFC 3339 */
	const char *other[] = {"11/21/2026 08:30:05", "2026-11-21 08:30", "2026-11-21T08:30:05",
	                       "12026-11-21 08:30:05", "2026-11-21 08:30:05 BC"};
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		res = one_row_result(1, names + 3, types + 3, other + i);
		bahi_buf_reset(&b);
		ck_assert_int_eq(bahi_json_cols_write(&b, res, 0, 0, 1), -1);
		PQclear(res);
	}
	bahi_buf_free(&b);
}
END_TEST

/* A capture is a UUID (lower-cased) or a 404 with the caller's detail. */
START_TEST(req_capture_id)
{
	bahi_req req;
	memset(&req, 0, sizeof(req));
	req.pool = bahi_pool_create();
	req.ncaptures = 2;
	req.capture_names[0] = "id";
	req.capture_values[0] = "0190A2B3-0000-7000-8000-00000000A1A1";
	req.capture_names[1] = "other";
	req.capture_values[1] = "not-a-uuid";
	ck_assert_str_eq(bahi_req_capture_id(&req, "id", "There is no such product."),
	                 "0190a2b3-0000-7000-8000-00000000a1a1");
	ck_assert_ptr_null(req.problem.code);
	ck_assert_ptr_null(bahi_req_capture_id(&req, "other", "There is no such batch."));
	ck_assert_str_eq(req.problem.code, "not_found");
	ck_assert_int_eq(req.problem.status, 404);
	ck_assert_str_eq(req.problem.detail, "There is no such batch.");
	memset(&req.problem, 0, sizeof(req.problem));
	ck_assert_ptr_null(bahi_req_capture_id(&req, "absent", "There is no such supplier."));
	ck_assert_str_eq(req.problem.detail, "There is no such supplier.");
	bahi_pool_destroy(req.pool);
}
END_TEST

/* A unique violation gets the caller's problem; any other failure keeps
 * what the database layer set, or becomes internal_error. */
START_TEST(fail_unique)
{
	bahi_req req;
	memset(&req, 0, sizeof(req));
	req.pool = bahi_pool_create();
	snprintf(req.sqlstate, sizeof(req.sqlstate), "23505");
	ck_assert_int_eq(bahi_fail_unique(&req, "conflict", "The batch number %s is already in use.",
	                                  "Acme-007"), -1);
	ck_assert_str_eq(req.problem.code, "conflict");
	ck_assert_int_eq(req.problem.status, 409);
	ck_assert_str_eq(req.problem.detail, "The batch number Acme-007 is already in use.");
	memset(&req.problem, 0, sizeof(req.problem));
	snprintf(req.sqlstate, sizeof(req.sqlstate), "23503");
	ck_assert_int_eq(bahi_fail_unique(&req, "conflict", "Taken."), -1);
	ck_assert_str_eq(req.problem.code, "internal_error");
	ck_assert_int_eq(req.problem.status, 500);
	memset(&req.problem, 0, sizeof(req.problem));
	bahi_fail(&req, "service_unavailable", "The database is away.");
	ck_assert_int_eq(bahi_fail_unique(&req, "conflict", "Taken."), -1);
	ck_assert_str_eq(req.problem.code, "service_unavailable");
	ck_assert_str_eq(req.problem.detail, "The database is away.");
	bahi_pool_destroy(req.pool);
}
END_TEST

START_TEST(problem_json_exact)
{
	bahi_problem p;
	bahi_buf b;
	memset(&p, 0, sizeof(p));
	bahi_buf_init(&b, 4096);
	bahi_problem_field(&p, "lines[0].qty", "must_be_positive", "Must be above zero.");
	ck_assert_int_eq(p.status, 422);
	bahi_problem_to_json(&p, &b);
	ck_assert_str_eq(b.data,
		"{\"type\":\"urn:bahi:problem:validation_failed\","
		"\"title\":\"The request has invalid fields\",\"status\":422,"
		"\"code\":\"validation_failed\",\"detail\":\"One or more fields are invalid.\","
		"\"errors\":[{\"field\":\"lines[0].qty\",\"code\":\"must_be_positive\","
		"\"message\":\"Must be above zero.\"}]}");
	bahi_buf_free(&b);
}
END_TEST

START_TEST(problem_codes_have_contract_statuses)
{
	ck_assert_int_eq(bahi_problem_status("not_found"), 404);
	ck_assert_int_eq(bahi_problem_status("version_conflict"), 412);
	ck_assert_int_eq(bahi_problem_status("idempotency_key_reused"), 422);
	ck_assert_int_eq(bahi_problem_status("rate_limited"), 429);
	ck_assert_int_eq(bahi_problem_status("payload_too_large"), 413);
	ck_assert_int_eq(bahi_problem_status("invoice_immutable"), 409);
	ck_assert_int_eq(bahi_problem_status("no_such_code"), 500);
}
END_TEST

static int h_list(struct bahi_req *r) { (void)r; return 0; }
static int h_get(struct bahi_req *r) { (void)r; return 1; }

static const bahi_route routes[] = {
	{"GET", "/api/v1/products", h_list, BAHI_AUTH, NULL},
	{"POST", "/api/v1/products", h_list, BAHI_AUTH, "catalog.write"},
	{"GET", "/api/v1/products/{id}", h_get, BAHI_AUTH, NULL},
	{"PATCH", "/api/v1/products/{id}", h_get, BAHI_AUTH, NULL},
	{"POST", "/api/v1/invoices/{id}/void", h_get, BAHI_AUTH, NULL},
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

START_TEST(router_captures_one_segment)
{
	bahi_route_match m;
	ck_assert_int_eq(bahi_router_match(routes, NROUTES, "GET", "/api/v1/products/abc-1", &m),
	                 BAHI_ROUTE_FOUND);
	ck_assert_ptr_eq(m.route, &routes[2]);
	ck_assert_int_eq(m.ncaptures, 1);
	ck_assert_int_eq(m.name_len[0], 2);
	ck_assert_int_eq(strncmp(m.name_start[0], "id", 2), 0);
	ck_assert_int_eq(m.values_len[0], 5);
	ck_assert_int_eq(strncmp(m.values_start[0], "abc-1", 5), 0);
	ck_assert_int_eq(bahi_router_match(routes, NROUTES, "POST", "/api/v1/invoices/x/void", &m),
	                 BAHI_ROUTE_FOUND);
	ck_assert_ptr_eq(m.route, &routes[4]);
}
END_TEST

START_TEST(router_404_and_405)
{
	bahi_route_match m;
	ck_assert_int_eq(bahi_router_match(routes, NROUTES, "GET", "/api/v1/products/a/b", &m),
	                 BAHI_ROUTE_NOT_FOUND);
	ck_assert_int_eq(bahi_router_match(routes, NROUTES, "GET", "/api/v1/products/", &m),
	                 BAHI_ROUTE_NOT_FOUND);
	ck_assert_int_eq(bahi_router_match(routes, NROUTES, "GET", "/api/v1/productsx", &m),
	                 BAHI_ROUTE_NOT_FOUND);
	ck_assert_int_eq(bahi_router_match(routes, NROUTES, "DELETE", "/api/v1/products", &m),
	                 BAHI_ROUTE_BAD_METHOD);
	ck_assert_str_eq(m.allow, "GET, HEAD, POST");
	ck_assert_int_eq(bahi_router_match(routes, NROUTES, "PUT", "/api/v1/products/9", &m),
	                 BAHI_ROUTE_BAD_METHOD);
	ck_assert_str_eq(m.allow, "GET, HEAD, PATCH");
	ck_assert_int_eq(bahi_router_match(routes, NROUTES, "HEAD", "/api/v1/products", &m),
	                 BAHI_ROUTE_FOUND);
	ck_assert_ptr_eq(m.route, &routes[0]);
}
END_TEST

START_TEST(form_and_query_decoding)
{
	bahi_pool *p = bahi_pool_create();
	const char *q = "q=chair+leg&limit=50&empty=&flag&name=%D8%B9%D9%84%DB%8C&bad=%zz";
	ck_assert_str_eq(bahi_form_lookup(p, q, "q"), "chair leg");
	ck_assert_str_eq(bahi_form_lookup(p, q, "limit"), "50");
	ck_assert_str_eq(bahi_form_lookup(p, q, "empty"), "");
	ck_assert_str_eq(bahi_form_lookup(p, q, "flag"), "");
	ck_assert_str_eq(bahi_form_lookup(p, q, "name"), "\xd8\xb9\xd9\x84\xdb\x8c");
	ck_assert_ptr_null(bahi_form_lookup(p, q, "bad"));
	ck_assert_ptr_null(bahi_form_lookup(p, q, "missing"));
	ck_assert_ptr_null(bahi_url_decode(p, "a%00b", 5, 0));
	ck_assert_ptr_null(bahi_url_decode(p, "a%4", 3, 0));
	ck_assert_str_eq(bahi_url_decode(p, "a+b%2B", 6, 0), "a+b+");
	bahi_pool_destroy(p);
}
END_TEST

START_TEST(config_file_and_environment)
{
	char path[] = "/tmp/bahi-conf-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	const char *text = "# comment\n\ndb_url = host=/tmp dbname=x\n  log_level=debug  \n";
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	setenv("BAHI_LOG_LEVEL", "warn", 1);
	ck_assert_int_eq(bahi_config_load(path), 0);
	ck_assert_str_eq(bahi_config_get("db_url"), "host=/tmp dbname=x");
	ck_assert_str_eq(bahi_config_get("log_level"), "warn");
	ck_assert_str_eq(bahi_config_get("sms_provider"), "outbox");
	ck_assert_ptr_null(bahi_config_get("nonsense"));
	FILE *f = fopen(path, "w");
	fputs("dbb_url = typo\n", f);
	fclose(f);
	ck_assert_int_eq(bahi_config_load(path), -1);
	unlink(path);
}
END_TEST

START_TEST(template_autoescapes_html)
{
	char dir[] = "/tmp/bahi-tpl-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char file[300];
	snprintf(file, sizeof(file), "%s/t.tpl", dir);
	FILE *f = fopen(file, "w");
	fputs("{{%AUTOESCAPE context=\"HTML\"}}<p title=\"{{name}}\">{{name}}</p>"
	      "{{#row}}<i>{{n}}</i>{{/row}}", f);
	fclose(f);
	bahi_pool *p = bahi_pool_create();
	bahi_tmpl_set_root(dir);
	bahi_tmpl_dict *d = bahi_tmpl_dict_new(p);
	bahi_tmpl_set(d, "name", "<script>alert(\"x\")</script>");
	bahi_tmpl_set_int(bahi_tmpl_section(d, "row"), "n", 1);
	bahi_tmpl_set_int(bahi_tmpl_section(d, "row"), "n", 2);
	bahi_buf out;
	bahi_buf_init(&out, 4096);
	ck_assert_int_eq(bahi_tmpl_render("t.tpl", d, &out), 0);
	ck_assert_str_eq(out.data,
		"<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\">"
		"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p><i>1</i><i>2</i>");
	ck_assert_int_eq(bahi_tmpl_render("missing.tpl", d, &out), -1);
	bahi_buf_free(&out);
	bahi_pool_destroy(p);
	unlink(file);
	rmdir(dir);
}
END_TEST

/* The request's queued changes as "entity:id:op:version,...". */
static const char *
queued(bahi_req *req)
{
	bahi_buf b;
	bahi_buf_init(&b, 4096);
	for (const bahi_change *c = req->changes; c != NULL; c = c->next)
		bahi_buf_printf(&b, "%s%s:%s:%s:%d", b.len ? "," : "", c->entity, c->id, c->op,
		                c->version);
	const char *s = bahi_pool_strndup(req->pool, b.data, b.len);
	bahi_buf_free(&b);
	return s;
}

/* The queue keeps its order; a merge folds into the record's newest change
 * when it has the same op (raising the version), else appends; a queue
 * emptied behind the module's back (a failed request's changes dropped)
 * starts afresh. Appending and merging take constant time: 100,000 records
 * queued twice over stay well inside the test's timeout. */
START_TEST(changelog_queue_merges_in_constant_time)
{
	bahi_req req;
	memset(&req, 0, sizeof(req));
	req.pool = bahi_pool_create();
	bahi_changelog_add(&req, "product", "a", "upsert", 1);
	bahi_changelog_merge(&req, "product", "b", "upsert", 1);
	bahi_changelog_merge(&req, "product", "a", "upsert", 3);
	bahi_changelog_merge(&req, "product", "a", "upsert", 2);
	bahi_changelog_add(&req, "product", "a", "delete", 4);
	bahi_changelog_merge(&req, "product", "a", "upsert", 5);
	bahi_changelog_merge(&req, "low_stock", "a", "upsert", 5);
	bahi_changelog_merge(&req, "low_stock", "a", "upsert", 5);
	ck_assert_str_eq(queued(&req), "product:a:upsert:3,product:b:upsert:1,product:a:delete:4,"
	                 "product:a:upsert:5,low_stock:a:upsert:5");
	req.changes = NULL;
	bahi_changelog_merge(&req, "product", "a", "upsert", 6);
	bahi_changelog_add(&req, "product", "c", "upsert", 1);
	ck_assert_str_eq(queued(&req), "product:a:upsert:6,product:c:upsert:1");

	req.changes = NULL;
	enum { N = 100000 };
	const char **ids = bahi_pool_calloc(req.pool, N, sizeof(char *));
	for (int i = 0; i < N; i++) {
		ids[i] = bahi_pool_printf(req.pool, "id-%d", i);
		bahi_changelog_add(&req, "product", ids[i], "upsert", 1);
	}
	for (int i = N - 1; i >= 0; i--)
		bahi_changelog_merge(&req, "product", ids[i], "upsert", 2);
	int n = 0, v2 = 0;
	const bahi_change *last = NULL;
	for (const bahi_change *c = req.changes; c != NULL; c = c->next, n++) {
		v2 += c->version == 2;
		last = c;
	}
	ck_assert_int_eq(n, N);
	ck_assert_int_eq(v2, N);
	ck_assert_str_eq(last->id, "id-99999");
	bahi_pool_destroy(req.pool);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *t = tcase_create("core");
	tcase_add_test(t, pool_cleanups_run_last_first);
	tcase_add_test(t, pool_release_runs_one_cleanup_now);
	tcase_add_test(t, buf_cap_is_hard);
	tcase_add_test(t, buf_json_escape);
	tcase_add_test(t, buf_json_member);
	tcase_add_test(t, json_cols_write_by_type);
	tcase_add_test(t, problem_json_exact);
	tcase_add_test(t, problem_codes_have_contract_statuses);
	tcase_add_test(t, router_captures_one_segment);
	tcase_add_test(t, router_404_and_405);
	tcase_add_test(t, req_capture_id);
	tcase_add_test(t, fail_unique);
	tcase_add_test(t, form_and_query_decoding);
	tcase_add_test(t, config_file_and_environment);
	tcase_add_test(t, template_autoescapes_html);
	tcase_add_test(t, changelog_queue_merges_in_constant_time);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return bahi_check_run(core_suite());
}
