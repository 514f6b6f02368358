/* bahi_req: one HTTP request over FastCGI, its response, and handler helpers. */
#ifndef BAHI_REQ_H
#define BAHI_REQ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "bahi_buf.h"
#include "bahi_pool.h"
#include "bahi_problem.h"

struct FCGX_Request;
struct cJSON;
struct bahi_route;
struct bahi_worker_def;
struct bahi_change;

#define BAHI_MAX_CAPTURES 4
/* Request bodies over this are refused with 413 (the contract's 1 MiB). */
#define BAHI_MAX_BODY (1024 * 1024)
/* ... and on routes flagged BAHI_BIG_BODY, over this (nginx allows as much there). */
#define BAHI_MAX_UPLOAD (10 * 1024 * 1024)
/* Responses built in memory are capped; larger ones must stream. */
#define BAHI_MAX_RESPONSE (64 * 1024 * 1024)

/* Who is calling: filled by the worker's authenticator for routes that need it. */
typedef struct bahi_auth_ctx {
	const char *user_id;
	const char *business_id;
	const char *device_id;
	const char *role;
	long token_version;     /* the token's ver claim */
	const char *app_key;    /* X-App-Key presented instead of a token */
} bahi_auth_ctx;

typedef struct bahi_req {
	bahi_pool *pool;
	struct FCGX_Request *fcgx;
	const struct bahi_worker_def *worker;
	const struct bahi_route *route;
	struct timespec started;

	const char *method;     /* "GET"; HEAD is routed as GET */
	int is_head;
	const char *path;       /* decoded, normalised by nginx, no query */
	const char *query;      /* raw query string, "" when none */
	const char *request_id;

	size_t ncaptures;
	const char *capture_names[BAHI_MAX_CAPTURES];
	const char *capture_values[BAHI_MAX_CAPTURES];

	char *body;             /* NUL-terminated; NULL when there is none */
	size_t body_len;
	struct cJSON *json;     /* parsed body, for routes that take JSON */

	bahi_auth_ctx auth;

	int in_tx;              /* a transaction is open on the connection */
	const char *tx_business;/* the business the transaction is scoped to */
	struct bahi_change *changes;    /* change-log rows written at commit */
	struct bahi_change_index *change_index; /* their ends and a hash (bahi_changelog.c) */
	const char *idem_key;   /* Idempotency-Key of this POST, when given */
	const char *idem_scope; /* the business it was claimed in (NULL: anonymous) */
	int replayed;           /* the response came from the idempotency store */
	int keep_changes;       /* commit even though the request fails (attempt
	                           counters, revocations on token reuse) */
	/* A request made inside the process (bahi_worker_run_local): its
	 * parameters as NULL-terminated name, value pairs ("HTTP_IF_MATCH",
	 * "\"3\""), read by bahi_req_param in place of FastCGI's. */
	const char *const *local_params;
	/* Called in the transaction after authorization, before the handler
	 * (sync push records its mutation id there): 0, or -1 to fail. */
	int (*before_handler)(struct bahi_req *req, void *arg);
	void *before_arg;
	char sqlstate[6];       /* SQLSTATE of the last failed statement */
	void *app;              /* the worker's own per-request state (admin pages) */

	int status;
	const char *content_type;
	bahi_buf headers;       /* extra "Name: value\r\n" lines */
	bahi_buf out;           /* the response body */
	int out_fd;             /* when >= 0, the body is streamed from this file */
	bahi_problem problem;
} bahi_req;

/* The FastCGI parameter (HTTP_*, CONTENT_TYPE...) or NULL. */
const char *bahi_req_param(bahi_req *req, const char *name);
/* A request header by its HTTP name ("Idempotency-Key"), or NULL. */
const char *bahi_req_header(bahi_req *req, const char *name);
/* The decoded value of a query parameter, or NULL. */
const char *bahi_req_query(bahi_req *req, const char *name);
/* A cookie's value, or NULL. */
const char *bahi_req_cookie(bahi_req *req, const char *name);
/* The decoded value of a form field, or NULL: application/x-www-form-urlencoded,
 * or multipart/form-data (a field, not a file: see bahi_multipart.h). */
const char *bahi_req_form(bahi_req *req, const char *name);
/* The value captured for {name} in the route pattern, or NULL. */
const char *bahi_req_capture(bahi_req *req, const char *name);
/* The {name} capture as a normalised UUID (pool copy); NULL with 404
 * not_found (detail missing) when the path names no UUID there. */
const char *bahi_req_capture_id(bahi_req *req, const char *name, const char *missing);

/* Finds name in a query-string or form-encoded string and decodes its value
 * into the pool. Returns NULL when absent. Exposed for unit tests. */
const char *bahi_form_lookup(bahi_pool *pool, const char *encoded, const char *name);
/* Percent-decodes (and '+' to space when plus is set); NULL on bad escapes or NUL. */
char *bahi_url_decode(bahi_pool *pool, const char *s, size_t n, int plus);

/* The version in an If-Match header ("3" or 3): 0 when absent, the version
 * (>= 1), or -1 with a problem when malformed. */
long bahi_req_if_match(bahi_req *req);

/* Reads the body (at most max bytes) into req->body. 0, or -1 with a problem. */
int bahi_req_read_body(bahi_req *req, size_t max);
/* Parses req->body as a JSON object into req->json. 0, or -1 with a problem. */
int bahi_req_parse_json(bahi_req *req);

/* Sets a problem and returns -1, so handlers can `return bahi_fail(...)`. */
int bahi_fail(bahi_req *req, const char *code, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* After a failed bahi_db_try: code with the detail when a unique constraint
 * refused the write (SQLSTATE 23505), else the problem the failure set
 * (internal_error when it set none). Returns -1. */
int bahi_fail_unique(bahi_req *req, const char *code, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a response header line. */
void bahi_resp_header(bahi_req *req, const char *name, const char *value);
/* Sets status and a JSON body from a cJSON tree (which it frees). Returns 0. */
int bahi_resp_json(bahi_req *req, int status, struct cJSON *body);
/* Sets status, type and body bytes (copied). Returns 0. */
int bahi_resp_body(bahi_req *req, int status, const char *content_type,
                   const void *data, size_t len);
/* Streams the body from fd (read from its start, closed when the request
 * ends): for large downloads built in a temporary file. Returns 0. */
int bahi_resp_file(bahi_req *req, int status, const char *content_type, int fd);
/* Turns req->problem into the response. */
void bahi_resp_problem(bahi_req *req);
/* Writes the status line, headers and body to FastCGI. Only the worker loop calls it. */
int bahi_resp_send(bahi_req *req);

/* The reason phrase for an HTTP status ("Not Found"). */
const char *bahi_http_reason(int status);

#endif
