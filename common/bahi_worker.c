/* bahi_worker: turns one accepted FastCGI request into a routed, logged, transactional handler call. */
#include "bahi_worker.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <fcgiapp.h>

#include "bahi_db.h"
#include "bahi_idem.h"
#include "bahi_log.h"
#include "bahi_random.h"
#include "bahi_req.h"

static void
req_init(bahi_req *req, const bahi_worker_def *def, FCGX_Request *fr)
{
	memset(req, 0, sizeof(*req));
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	req->pool = bahi_pool_create();
	req->fcgx = fr;
	req->worker = def;
	bahi_buf_init(&req->headers, 64 * 1024);
	bahi_buf_init(&req->out, BAHI_MAX_RESPONSE);
	req->out_fd = -1;

	bahi_req_read_params(req);
}

void
bahi_req_read_params(bahi_req *req)
{
	const char *m = bahi_req_param(req, "REQUEST_METHOD");
	req->method = m ? m : "GET";
	req->is_head = strcmp(req->method, "HEAD") == 0;
	const char *path = bahi_req_param(req, "DOCUMENT_URI");
	if (path == NULL) {
		const char *uri = bahi_req_param(req, "REQUEST_URI");
		uri = uri ? uri : "/";
		path = bahi_pool_strndup(req->pool, uri, strcspn(uri, "?"));
	}
	req->path = path;
	const char *q = bahi_req_param(req, "QUERY_STRING");
	req->query = q ? q : "";
	const char *rid = bahi_req_param(req, "REQUEST_ID");
	if (rid == NULL || *rid == '\0') {
		char tok[32];
		bahi_random_token(tok, sizeof(tok), 16);
		rid = bahi_pool_strdup(req->pool, tok);
	}
	req->request_id = rid;
}

static void
req_free(bahi_req *req)
{
	bahi_buf_free(&req->headers);
	bahi_buf_free(&req->out);
	bahi_pool_destroy(req->pool);
}

void
bahi_req_local(bahi_req *req, const bahi_worker_def *def)
{
	req_init(req, def, NULL);
	req->method = "LOCAL";
	req->path = def->name;
}

void
bahi_req_local_free(bahi_req *req)
{
	req_free(req);
}

/* Runs the handler inside one transaction scoped to the caller's business:
 * authorize, claim the idempotency key, handle, store the response, commit. */
static int
run_in_tx(const bahi_worker_def *def, bahi_req *req)
{
	const bahi_route *r = req->route;
	if (bahi_tx_begin(req, req->auth.business_id) != 0 ||
	    ((r->flags & BAHI_GENERIC) && req->auth.business_id != NULL &&
	     bahi_tx_generic_plans(req) != 0))
		return -1;
	if ((r->flags & BAHI_AUTH) || r->permission != NULL) {
		if (def->authorize == NULL)
			return bahi_fail(req, "forbidden", NULL);
		if (def->authorize(req, r->permission) != 0)
			return -1;
	}
	req->idem_key = strcmp(req->method, "POST") == 0 ?
	                bahi_req_header(req, "Idempotency-Key") : NULL;
	if (req->idem_key != NULL) {
		int rc = bahi_idem_claim(req);
		if (rc != 0)
			return rc < 0 ? -1 : bahi_tx_commit(req);
	}
	if (req->before_handler != NULL && req->before_handler(req, req->before_arg) != 0)
		return -1;
	if (r->handler(req) != 0) {
		if (def->settle != NULL && def->settle(req) != 0)
			return -1;
		if (req->keep_changes) {
			bahi_problem kept = req->problem;
			req->changes = NULL;
			/* a claim made for this request must not outlive it unanswered */
			if ((req->idem_key == NULL || bahi_idem_release(req) == 0) &&
			    bahi_tx_commit(req) == 0)
				req->problem = kept;
		}
		return -1;
	}
	if (req->idem_key != NULL && bahi_idem_store(req) != 0)
		return -1;
	return bahi_tx_commit(req);
}

/* Copies the route's {name} captures into the request. */
static void
set_captures(bahi_req *req, const bahi_route_match *m)
{
	req->ncaptures = m->ncaptures;
	for (size_t i = 0; i < m->ncaptures; i++) {
		req->capture_names[i] = bahi_pool_strndup(req->pool, m->name_start[i], m->name_len[i]);
		req->capture_values[i] = bahi_pool_strndup(req->pool, m->values_start[i],
		                                           m->values_len[i]);
	}
}

static int
has_body(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	       strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

/* Finds the request's route in def's table and copies its captures: 0,
 * or -1 with 404 not_found or 405 method_not_allowed (and its Allow). */
static int
route(const bahi_worker_def *def, bahi_req *req, bahi_route_match *m)
{
	switch (bahi_router_match(def->routes, def->nroutes, req->method, req->path, m)) {
	case BAHI_ROUTE_NOT_FOUND:
		return bahi_fail(req, "not_found", "No route for this path.");
	case BAHI_ROUTE_BAD_METHOD:
		req->problem.allow = bahi_pool_strdup(req->pool, m->allow);
		return bahi_fail(req, "method_not_allowed", "Allowed methods: %s.", m->allow);
	case BAHI_ROUTE_FOUND:
		break;
	}
	req->route = m->route;
	set_captures(req, m);
	return 0;
}

static int
dispatch(const bahi_worker_def *def, bahi_req *req)
{
	bahi_route_match m;
	if (route(def, req, &m) != 0)
		return -1;
	if (m.route->flags & BAHI_AUTH) {
		if (def->authenticate == NULL)
			return bahi_fail(req, "unauthorized", "Sign in first.");
		if (def->authenticate(req) != 0)
			return -1;
	}
	if (has_body(req->method) &&
	    bahi_req_read_body(req, (m.route->flags & BAHI_BIG_BODY) ?
	                       BAHI_MAX_UPLOAD : BAHI_MAX_BODY) != 0)
		return -1;
	if ((m.route->flags & BAHI_JSON_BODY) && bahi_req_parse_json(req) != 0)
		return -1;
	if (m.route->flags & BAHI_OWN_TX)
		return m.route->handler(req);
	if (m.route->flags & (BAHI_TX | BAHI_AUTH))
		return run_in_tx(def, req);
	return m.route->handler(req);
}

int
bahi_worker_run_local(const bahi_worker_def *def, bahi_req *req)
{
	bahi_route_match m;
	int rc;
	if (route(def, req, &m) != 0)
		return -1;
	if ((m.route->flags & BAHI_JSON_BODY) && (req->json == NULL || !cJSON_IsObject(req->json)))
		return bahi_fail(req, "malformed_json", "The body must be a JSON object.");
	if (m.route->flags & (BAHI_TX | BAHI_AUTH))
		rc = run_in_tx(def, req);
	else
		rc = m.route->handler(req);
	if (rc == 0 && req->status == 0)
		rc = bahi_fail(req, "internal_error", "The handler produced no response.");
	if (rc != 0)
		bahi_tx_rollback(req);
	return rc;
}

void
bahi_worker_handle(const bahi_worker_def *def, FCGX_Request *fr)
{
	bahi_req req;
	req_init(&req, def, fr);
	int rc = dispatch(def, &req);
	if (rc == 0 && req.status == 0)
		rc = bahi_fail(&req, "internal_error", "The handler produced no response.");
	if (rc != 0) {
		bahi_tx_rollback(&req);
		if (req.problem.status >= 500)
			bahi_log_error(&req, "%s: %s", req.problem.code,
			               req.problem.detail ? req.problem.detail : "");
		bahi_buf_reset(&req.headers);
		if (def->render_problem != NULL)
			def->render_problem(&req);
		else
			bahi_resp_problem(&req);
	}
	if (req.headers.overflow || req.out.overflow) {
		bahi_fail(&req, "internal_error", "The response is too large.");
		bahi_buf_reset(&req.headers);
		bahi_resp_problem(&req);
	}
	bahi_resp_send(&req);
	bahi_log_request(&req);
	req_free(&req);
}
