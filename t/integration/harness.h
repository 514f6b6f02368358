/* harness: starts a private bahi stack (PostgreSQL, workers, nginx) for integration tests and speaks HTTP to it. */
#ifndef BAHI_TEST_HARNESS_H
#define BAHI_TEST_HARNESS_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "bahi_uuid.h"

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

/* ---- clients: nginx rate-limits the sign-in routes (/api/v1/auth/...) per
 * client address, so each logical client speaks from its own loopback address
 * (Linux routes all of 127.0.0.0/8 to lo; nginx on 127.0.0.1 sees a distinct
 * remote address). */

/* Gives the calling thread a fresh source address (127.x.y.z), never handed
 * out before in this test program (the counter is shared with the forked
 * test processes); returns it. bt_http then sends from it. */
const char *bt_client_new(void);
/* Sets the calling thread's source address; NULL or "" for the default. */
void bt_client_set(const char *addr);
/* The calling thread's source address ("" for the default). */
const char *bt_client(void);
/* The calling thread's per-request timeout in milliseconds (default 30000). */
void bt_timeout_ms(long ms);

/* bt_json with extra "Name: value" header lines (NULL-terminated, may be NULL). */
bt_resp bt_jsonx(const char *method, const char *path, const char *token,
                 const char *const *extra, const char *body);
/* Checks a problem+json answer: status, content type, type, code, status member. */
void bt_assert_problem(const bt_resp *r, long status, const char *code);
/* The member at a dotted path ("user.id", "errors.0.field") of the response's JSON. */
const cJSON *bt_at(const bt_resp *r, const char *path);
/* bt_at as a string (NULL when absent or not a string) or an integer (-999999 when absent). */
const char *bt_at_str(const bt_resp *r, const char *path);
long bt_at_int(const bt_resp *r, const char *path);
/* bt_at as a number; fails the test when it is absent or not a number. */
double bt_at_num(const bt_resp *r, const char *path);
/* Checks a 422 validation_failed answer whose first field error is field/code. */
void bt_assert_field(const bt_resp *r, const char *field, const char *code);
/* bt_assert_problem or bt_assert_field on an answer, then bt_free: for a
 * request made in the call, bt_expect_problem(bt_json(...), 404, "not_found"). */
void bt_expect_problem(bt_resp r, long status, const char *code);
void bt_expect_field(bt_resp r, const char *field, const char *code);
/* Checks that r answers status with exactly body (a replay, a retry, a
 * read of what was created), then frees r. */
void bt_expect_body(bt_resp r, long status, const char *body);
/* A query string ("?limit=0") and the field error it must get. */
typedef struct bt_bad_query {
	const char *query, *field, *code;
} bt_bad_query;
/* Checks that GET base<query> as token answers each of the n cases with a
 * 422 naming the case's field and code. */
void bt_expect_bad_queries(const char *base, const char *token, const bt_bad_query *cases,
                           size_t n);
/* 1 when a list answer's items hold one with this id, else 0. */
int bt_list_has(const bt_resp *r, const char *id);
/* The ids of a list answer's items, joined with ',', into out. */
void bt_list_ids(const bt_resp *r, char *out, size_t size);
/* The same appended to the string in out (',' between the old and new ids). */
void bt_list_ids_append(const bt_resp *r, char *out, size_t size);
/* Copies tmpl into out with each "@P" replaced by p and each "@S" by s. */
void bt_fill_template(char *out, size_t size, const char *tmpl, const char *p, const char *s);

/* ---- accounts */

#define BT_PHONE_LEN 24
/* A phone number (+92300 and seven digits) no other call in this program returns. */
void bt_phone_new(char out[BT_PHONE_LEN]);
/* The newest OTP code sent to phone (from sms_outbox, read as superuser) into
 * out[7]; "" when none was sent. */
void bt_otp_code(const char *phone, char out[7]);

typedef struct bt_session {
	char phone[BT_PHONE_LEN];
	char password[64];
	char client[24];        /* the source address it signed in from */
	char access[2048];
	char refresh[128];
	char user_id[40], business_id[40], device_id[40];
	char business_name[80];
} bt_session;

/* Signs a new business up from a fresh client address (OTP, the code from the
 * outbox, POST /auth/signup), asserting 202 and 201; fills s. The calling
 * thread's address is restored afterwards. */
void bt_signup(bt_session *s);
/* POST /auth/login for phone/password with device id device_id (NULL: the
 * server makes one) from the calling thread's address. */
bt_resp bt_login(const char *phone, const char *password, const char *device_id);
/* Fills s's tokens and ids from a 200/201 session body (phone, password,
 * client and business_name are left alone). */
void bt_session_fill(bt_session *s, const bt_resp *r);
/* Adds a user of role ("admin" | "clerk") to owner's business as the
 * superuser, with owner's password (its Argon2id hash copied), and signs it
 * in from a fresh address; fills out. */
void bt_add_user(const bt_session *owner, const char *role, bt_session *out);
/* The cast most suites share: two new businesses (a, b) and a clerk of a. */
void bt_signup_shops(bt_session *a, bt_session *b, bt_session *clerk_of_a);

/* ---- records through the API, as session s */

/* POST path with body; asserts 201 and copies the new id into out. */
void bt_create(const bt_session *s, const char *path, const char *body,
               char out[BAHI_UUID_LEN + 1]);
/* POST /products {"name", "price", "cost"} (minor units), with
 * "components": components when that (a JSON array's text) is not NULL;
 * asserts 201 and copies the id into out. */
void bt_product_new(const bt_session *s, const char *name, long price, long cost,
                    const char *components, char out[BAHI_UUID_LEN + 1]);
/* PATCH path with body, sending If-Match: "if_match" unless that is NULL. */
bt_resp bt_patch(const bt_session *s, const char *path, const char *if_match, const char *body);
/* GET path as s; asserts 200. */
bt_resp bt_get_ok(const bt_session *s, const char *path);
/* PATCH /business with body as s; asserts 200. */
void bt_business_set(const bt_session *s, const char *body);
/* POST /stock/movements: qty of product in; asserts 201. */
void bt_stock_in(const bt_session *s, const char *product, long qty);
/* bt_product_new without components, then bt_stock_in of stock when it is above 0. */
void bt_product_stocked(const bt_session *s, const char *name, long price, long cost, long stock,
                        char out[BAHI_UUID_LEN + 1]);
/* POST /customers {"name", and "phone" unless that is NULL}; asserts 201
 * and copies the id into out. */
void bt_customer_new(const bt_session *s, const char *name, const char *phone,
                     char out[BAHI_UUID_LEN + 1]);
/* DELETE /customers/{id} as s; asserts 204. */
void bt_customer_delete(const bt_session *s, const char *id);
/* GET /customers/{id} as s: asserts 200 and its opening_balance,
 * credit_balance and open_debt. */
void bt_expect_customer(const bt_session *s, const char *id, long opening, long credit,
                        long open_debt);
/* POST /invoices with body as s; asserts 201 and an issued invoice (a
 * number, not an incomplete sale) and copies its id into out; returns the
 * answer (bt_free it). */
bt_resp bt_invoice_issue(const bt_session *s, const char *body, char out[BAHI_UUID_LEN + 1]);
/* POST /payments {"customer_id", "amount", "method": "cash", and
 * "invoice_id" unless that is NULL} with more members extra (",\"note\":\"x\"",
 * or NULL) as s. */
bt_resp bt_pay(const bt_session *s, const char *customer, long amount, const char *invoice,
               const char *extra);
/* bt_pay without extra members, asserting 201; the payment's id into out unless that is NULL. */
void bt_pay_ok(const bt_session *s, const char *customer, long amount, const char *invoice,
               char out[BAHI_UUID_LEN + 1]);

/* ---- SQL as the superuser (bypasses RLS): for set-up and for checking. */

/* The first column of the first row as a malloc'd string, NULL when no row or NULL. */
char *bt_super_value(const char *sql, int n, const char *const *params);
/* The first value as an integer (asserts a row). */
long bt_super_long(const char *sql, int n, const char *const *params);
/* Runs a statement; returns the number of rows it affected. */
long bt_super_exec(const char *sql, int n, const char *const *params);
/* Runs the nsql statements, each with the n params, with triggers off for
 * this session only (session_replication_role = replica): set-up that moves
 * the dates of immutable rows into the past. Never outside a test. */
void bt_super_replica(const char *const *sql, int nsql, int n, const char *const *params);
/* The change-log entries of entity id in order, "upsert1,upsert2,delete3";
 * malloc'd, NULL when there are none. */
char *bt_changes_of(const char *entity, const char *id);

/* ---- share links */

/* The stack's link-signing secret (<dir>/secrets/link.key, what nginx and
 * the share links check), without its line end; fails the test when it is
 * missing or 16 characters or shorter. */
void bt_link_secret(char *out, size_t size);

/* ---- JWTs made by hand */

/* The stack's JWT signing secret (<dir>/secrets/jwt.key) and its kid. */
void bt_jwt_secret(char *secret, size_t size, char kid[17]);
/* Unpadded base64url of data; malloc'd. */
char *bt_b64url(const void *data, size_t len);
/* b64url(header) "." b64url(payload) "." HMAC-SHA256 signature under key
 * (an empty signature when key is NULL); malloc'd. */
char *bt_jwt_hs256(const char *header_json, const char *payload_json, const char *key);

/* Signs owner's user in on a new device; fills out (a session of its own). */
void bt_second_device(const bt_session *owner, bt_session *out);

/* ---- the admin panel, as a browser (harness_admin.c) */

typedef struct bt_browser {
	char cookie[2048];   /* the session cookie's value */
	char csrf[64];       /* the CSRF token of the last page that had a form */
	char client[24];
} bt_browser;

/* Signs s's user in through the sign-in page (its CSRF cookie, then the
 * form), asserting the 303; fills b's cookie and CSRF token. */
void bt_admin_signin(const bt_session *s, bt_browser *b);
/* The sign-in form for phone/password from the calling thread's address:
 * the answer (b->cookie set when it signed in). */
bt_resp bt_admin_signin_as(const char *phone, const char *password, bt_browser *b);
/* GET path with b's cookie (none when b->cookie is ""); a page's CSRF token is remembered. */
bt_resp bt_admin_get(bt_browser *b, const char *path);
/* POST path with a form body ("name=x&price=10", already encoded), with
 * csrf=<b's token> first when with_csrf. */
bt_resp bt_admin_post(bt_browser *b, const char *path, const char *form, int with_csrf);
/* Percent-encodes s for a form body into out. */
void bt_form_escape(const char *s, char *out, size_t size);
/* The page's body holds / does not hold needle. */
void bt_assert_contains(const bt_resp *r, const char *needle);
void bt_assert_lacks(const bt_resp *r, const char *needle);
/* GET path / POST a form (with the CSRF token) as b, asserting status;
 * the answer (bt_free it). */
bt_resp bt_admin_page(bt_browser *b, const char *path, long status);
bt_resp bt_admin_form(bt_browser *b, const char *path, const char *body, long status);
/* Signs a new admin of owner's business in as b and switches them to Urdu. */
void bt_admin_urdu_user(const bt_session *owner, bt_browser *b);
/* r is a 303 to exactly location; frees r. */
void bt_expect_redirect(bt_resp r, const char *location);

#endif
