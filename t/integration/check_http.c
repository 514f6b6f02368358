/* check_http: through nginx to every worker: health, 404/405/413 as problem+json, concurrency beyond the process count. */
#include <check.h>

#include "../check_run.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const groups[] = {
	"auth", "catalog", "invoicing", "ledger", "reports", "sync", "admin",
};

START_TEST(every_worker_answers_health)
{
	char path[64], expect[160];
	snprintf(path, sizeof(path), "/api/v1/%s/health", groups[_i]);
	bt_resp r = bt_http("GET", path, NULL, NULL, 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "application/json");
	snprintf(expect, sizeof(expect),
	         "{\"status\":\"ok\",\"db\":\"ok\",\"version\":\"%s\",\"worker\":\"%s\"}",
	         PACKAGE_VERSION, groups[_i]);
	ck_assert_str_eq(r.body, expect);
	ck_assert_ptr_nonnull(bt_header(&r, "X-Request-Id"));
	ck_assert_str_eq(bt_header(&r, "X-Content-Type-Options"), "nosniff");
	bt_free(&r);
}
END_TEST

START_TEST(top_level_health)
{
	bt_resp r = bt_http("GET", "/api/v1/health", NULL, NULL, 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "status"), "ok");
	ck_assert_str_eq(bt_str(&r, "db"), "ok");
	ck_assert_str_eq(bt_str(&r, "version"), PACKAGE_VERSION);
	bt_free(&r);
}
END_TEST

/* Checks the problem document's exact members. */
static void
assert_problem(const bt_resp *r, long status, const char *code)
{
	ck_assert_int_eq(r->status, status);
	ck_assert_str_eq(r->content_type, "application/problem+json");
	ck_assert_ptr_nonnull(r->json);
	char type[128];
	snprintf(type, sizeof(type), "urn:bahi:problem:%s", code);
	ck_assert_str_eq(bt_str(r, "type"), type);
	ck_assert_str_eq(bt_str(r, "code"), code);
	ck_assert_int_eq(cJSON_GetObjectItem(r->json, "status")->valueint, status);
	ck_assert_ptr_nonnull(bt_str(r, "title"));
}

START_TEST(unowned_api_path_is_problem_404)
{
	bt_resp r = bt_http("GET", "/api/v1/no-such-thing", NULL, NULL, 0);
	assert_problem(&r, 404, "not_found");
	bt_free(&r);
}
END_TEST

START_TEST(worker_unknown_route_is_problem_404)
{
	bt_resp r = bt_http("GET", "/api/v1/products/0190a2b3-0000-7000-8000-000000000001/nope",
	                    NULL, NULL, 0);
	assert_problem(&r, 404, "not_found");
	ck_assert_str_eq(bt_str(&r, "detail"), "No route for this path.");
	bt_free(&r);
}
END_TEST

START_TEST(wrong_method_is_problem_405_with_allow)
{
	bt_resp r = bt_http("DELETE", "/api/v1/catalog/health", NULL, NULL, 0);
	assert_problem(&r, 405, "method_not_allowed");
	ck_assert_str_eq(bt_header(&r, "Allow"), "GET, HEAD");
	bt_free(&r);
}
END_TEST

START_TEST(head_has_no_body)
{
	bt_resp r = bt_http("HEAD", "/api/v1/health", NULL, NULL, 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.len, 0);
	bt_free(&r);
}
END_TEST

START_TEST(two_mib_body_is_problem_413)
{
	size_t n = 2 * 1024 * 1024;
	char *body = malloc(n);
	memset(body, 'a', n);
	const char *hdrs[] = {"Content-Type: application/json", NULL};
	bt_resp r = bt_http("POST", "/api/v1/auth/otp", hdrs, body, n);
	assert_problem(&r, 413, "payload_too_large");
	bt_free(&r);
	free(body);
}
END_TEST

START_TEST(admin_errors_are_html)
{
	bt_resp r = bt_http("GET", "/admin/no-such-page", NULL, NULL, 0);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "<h1>The resource was not found</h1>"));
	ck_assert_ptr_nonnull(bt_header(&r, "Content-Security-Policy"));
	bt_free(&r);
}
END_TEST

static void *
hit_health(void *arg)
{
	long *status = arg;
	bt_resp r = bt_http("GET", "/api/v1/sync/health", NULL, NULL, 0);
	*status = r.status;
	bt_free(&r);
	return NULL;
}

/* 40 simultaneous requests against a worker of 3 processes: none may hang. */
START_TEST(more_clients_than_processes)
{
	enum { N = 40 };
	pthread_t t[N];
	long status[N];
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], NULL, hit_health, &status[i]);
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(status[i], 200);
	}
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("http");
	TCase *t = tcase_create("http");
	tcase_set_timeout(t, 60);
	tcase_add_loop_test(t, every_worker_answers_health, 0,
	                    (int)(sizeof(groups) / sizeof(groups[0])));
	tcase_add_test(t, top_level_health);
	tcase_add_test(t, unowned_api_path_is_problem_404);
	tcase_add_test(t, worker_unknown_route_is_problem_404);
	tcase_add_test(t, wrong_method_is_problem_405_with_allow);
	tcase_add_test(t, head_has_no_body);
	tcase_add_test(t, two_mib_body_is_problem_413);
	tcase_add_test(t, admin_errors_are_html);
	tcase_add_test(t, more_clients_than_processes);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
