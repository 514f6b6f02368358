/* harness: starts a private bahi stack (PostgreSQL, workers, nginx) for integration tests and speaks HTTP to it. */
#ifndef BAHI_TEST_HARNESS_H
#define BAHI_TEST_HARNESS_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

typedef struct bt_env {
	char dir[256];          /* the stack's private directory */
	int port;               /* nginx on 127.0.0.1:port */
	char base[64];          /* "http://127.0.0.1:port" */
	char super_url[1024];   /* conninfo: superuser (bypasses RLS) */
	char owner_url[1024];   /* conninfo: bahi_owner */
	char app_url[1024];     /* conninfo: bahi_app, what the workers use */
} bt_env;

/* Starts the stack once per test program (call from main before running
 * suites); it is stopped and removed when the starting process exits. */
const bt_env *bt_start(void);
const bt_env *bt_get(void);

typedef struct bt_resp {
	long status;
	char *body;             /* NUL-terminated */
	size_t len;
	char *headers;          /* raw response header block */
	char content_type[128];
	cJSON *json;            /* parsed body when it is JSON, else NULL */
} bt_resp;

/* Sends one request through nginx. hdrs is a NULL-terminated list of
 * "Name: value" lines (may be NULL); body may be NULL. Aborts the test on
 * transport errors. Free the response with bt_free. */
bt_resp bt_http(const char *method, const char *path, const char *const *hdrs,
                const char *body, size_t body_len);
/* Shorthand for a JSON request (Content-Type: application/json). */
bt_resp bt_json(const char *method, const char *path, const char *token, const char *body);
void bt_free(bt_resp *r);
/* The value of response header name (case-insensitive) in a static buffer, or NULL. */
const char *bt_header(const bt_resp *r, const char *name);
/* A string member of the response's JSON object, or NULL. */
const char *bt_str(const bt_resp *r, const char *key);

/* A connection to the test database; aborts the test when it fails. */
PGconn *bt_db(const char *conninfo);
/* Runs SQL with text params, expecting success; returns the result (PQclear it). */
PGresult *bt_sql(PGconn *c, const char *sql, int n, const char *const *params);

/* The same for set-up code that runs outside a test (in main): exits the
 * program with a message instead of failing a test. */
void bt_setup_sql(const char *conninfo, const char *sql, int n, const char *const *params);

#endif
