/* events_stream: one request's thread: GET /api/v1/events as server-sent events until the client leaves or the stream must end, and the health check. */
#include "events.h"
#include "bahi_worker.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>

#include "bahi_config.h"
#include "bahi_jwt.h"
#include "bahi_log.h"
#include "bahi_num.h"
#include "bahi_perm.h"
#include "bahi_random.h"
#include "bahi_req.h"

/* The events waiting for one stream go out in writes of about this size. */
#define OUT_BATCH (64 * 1024)

/* What a stream does next (stream_wait); positive values end it (enum events_end). */
enum { STEP_WRITE = -1, STEP_BACKLOG = -2, STEP_HEARTBEAT = -3, STEP_RECHECK = -4 };

/* The reason an ending stream gives in its last event, by enum events_end. */
static const char *const end_reasons[] = {
	"", "revoked", "token_expired", "shutdown", "unavailable", "",
};

atomic_int events_requests, events_streams;

/* One request and, while it streams, its place in its business's hub. */
typedef struct stream_ctx {
	bahi_req req;
	bahi_claims claims;
	events_session sess;
	events_hub *hub;
	events_stream s;
	const char *id_field;   /* where the resume position came from */
	int64_t pos;            /* the newest seq sent, or the ready position */
	struct timespec beat_at, expires_at;   /* CLOCK_MONOTONIC */
	bahi_buf out;           /* what goes out with the next write */
	int streaming;          /* the 200 head has been sent */
} stream_ctx;

static void
req_setup(bahi_req *req, FCGX_Request *fr)
{
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	req->pool = bahi_pool_create();
	req->fcgx = fr;
	bahi_buf_init(&req->headers, 16 * 1024);
	bahi_buf_init(&req->out, 64 * 1024);
	req->out_fd = -1;
	bahi_req_read_params(req);
}

static int
ts_passed(const struct timespec *t, const struct timespec *now)
{
	return now->tv_sec > t->tv_sec || (now->tv_sec == t->tv_sec && now->tv_nsec >= t->tv_nsec);
}

/* Writes b and empties it; the next heartbeat is due a full interval
 * later. 0, or -1 when the client has gone. */
static int
send_buf(stream_ctx *x, bahi_buf *b)
{
	FCGX_Stream *out = x->req.fcgx->out;
	if (b->len == 0)        /* an empty record would end the response */
		return 0;
	FCGX_PutStr(b->data, (int)b->len, out);
	FCGX_FFlush(out);
	bahi_buf_reset(b);
	clock_gettime(CLOCK_MONOTONIC, &x->beat_at);
	x->beat_at.tv_sec += events_heartbeat;
	return FCGX_GetError(out) == 0 ? 0 : -1;
}

/* The bearer access token, or the admin panel's session cookie (an open
 * page's EventSource), checked without the database (bahi_jwt is
 * thread-safe; bahi_session's per-process cache is not, so it is not used). */
static int
authenticate(stream_ctx *x)
{
	bahi_req *req = &x->req;
	const char *h = bahi_req_header(req, "Authorization");
	const char *cookie = h == NULL ? bahi_req_cookie(req, "__Host-bahi_session") : NULL;
	if (cookie != NULL && *cookie != '\0') {
		if (bahi_jwt_verify_kind(cookie, time(NULL), BAHI_JWT_WEB, &x->claims) != 0)
			return bahi_fail(req, "unauthorized", "Sign in again.");
		h = NULL;
	} else if (h == NULL || strncmp(h, "Bearer ", 7) != 0 || h[7] == '\0') {
		return bahi_fail(req, "unauthorized",
		                 "Send an access token: Authorization: Bearer <token>.");
	}
	int rc = h == NULL ? 0 : bahi_jwt_verify(h + 7, time(NULL), &x->claims);
	if (rc == 1)
		return bahi_fail(req, "token_expired", "The access token has expired; refresh it.");
	if (rc != 0)
		return bahi_fail(req, "unauthorized", "The access token is not valid.");
	req->auth.business_id = x->claims.bid;
	req->auth.user_id = x->claims.sub;
	req->auth.device_id = x->claims.did;
	return 0;
}

/* The position to resume after: the Last-Event-ID header (what EventSource
 * sends when it reconnects), else ?last_event_id=; -1 when neither. */
static int
last_event_id(stream_ctx *x, int64_t *from)
{
	bahi_req *req = &x->req;
	const char *v = bahi_req_header(req, "Last-Event-ID"), *err = NULL;
	x->id_field = "Last-Event-ID";
	if (v == NULL) {
		v = bahi_req_query(req, "last_event_id");
		x->id_field = "last_event_id";
	}
	*from = -1;
	if (v == NULL || bahi_num_parse(v, 0, INT64_MAX, from, &err) == 0)
		return 0;
	if (strcmp(err, "too small") == 0)
		bahi_problem_field(&req->problem, x->id_field, "too_small", "Must be 0 or more.");
	else
		bahi_problem_field(&req->problem, x->id_field,
		                   strcmp(err, "too large") == 0 ? "too_large" : "must_be_integer",
		                   "Must be the id of an event: a whole number, 0 or more.");
	return -1;
}

/* The session check; the position; the head and the ready event. 0 when
 * streaming, 1 when the client left at once, -1 with a problem. */
static int
stream_open(stream_ctx *x, int64_t from)
{
	bahi_req *req = &x->req;
	events_session *s = &x->sess;
	s->business = x->claims.bid;
	s->user = x->claims.sub;
	s->device = x->claims.did;
	s->token_version = x->claims.ver;
	int rc = events_db_session(s);
	if (rc < 0) {
		bahi_fail(req, "service_unavailable", "The database is unreachable.");
		req->problem.retry_after = 1;
		return -1;
	}
	if (rc == 401)
		return bahi_fail(req, "unauthorized", "This session has ended; sign in again.");
	if (rc == 403)
		return bahi_fail(req, "forbidden", "Your role (%s) may not do this.",
		                 bahi_perm_role_valid(s->role) ? s->role : "unknown");
	if (from > s->seq) {
		bahi_problem_field(&req->problem, x->id_field, "too_large",
		                   bahi_pool_printf(req->pool, "Is past the newest change (%" PRId64 ").",
		                                    s->seq));
		return -1;
	}
	x->pos = from >= 0 ? from : s->seq;
	events_hub_start(x->hub, s->seq);
	clock_gettime(CLOCK_MONOTONIC, &x->expires_at);
	x->expires_at.tv_sec += x->claims.exp - (long)time(NULL);
	req->status = 200;
	req->content_type = "text/event-stream";
	x->streaming = 1;
	/* the ready event's id makes a client that saw no change yet resume
	 * from here, not from whatever is newest when it reconnects */
	bahi_buf_printf(&x->out, "Status: 200 OK\r\nContent-Type: text/event-stream\r\n"
	                "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nX-Request-Id: %.64s\r\n\r\n"
	                "retry: %d\nid: %" PRId64 "\nevent: ready\ndata: {\"seq\":%" PRId64 "}\n\n",
	                req->request_id, EVENTS_RETRY_MS, x->pos, x->pos);
	return send_buf(x, &x->out) == 0 ? 0 : 1;
}

/* Copies the ring's events after the stream's position (the hub's lock held). */
static int
ring_copy(events_hub *h, stream_ctx *x)
{
	for (int i = 0; i < h->count && x->out.len < OUT_BATCH; i++) {
		const events_event *e = &h->ring[(h->head + i) % EVENTS_RING];
		if (e->seq <= x->pos)
			continue;
		if ((e->perm == NULL || bahi_perm_allows(x->sess.role, e->perm)) &&
		    bahi_buf_append(&x->out, e->text, e->len) != 0)
			break;
		x->pos = e->seq;
	}
	return STEP_WRITE;
}

/* Waits until the stream has something to do, and says what: events from
 * the ring copied into x->out, a backlog to read, a heartbeat, a session to
 * check again, or its end. */
static int
stream_wait(stream_ctx *x)
{
	events_hub *h = x->hub;
	int step = 0;
	pthread_mutex_lock(&h->lock);
	while (step == 0) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (x->s.end != EVENTS_OPEN)
			step = x->s.end;
		else if (atomic_load(&events_stopping))
			step = EVENTS_SHUTDOWN;
		else if (x->s.recheck) {
			x->s.recheck = 0;
			step = STEP_RECHECK;
		} else if (h->last > x->pos)
			step = x->pos < h->cover ? STEP_BACKLOG : ring_copy(h, x);
		else if (ts_passed(&x->expires_at, &now))
			step = EVENTS_EXPIRED;
		else if (ts_passed(&x->beat_at, &now))
			step = STEP_HEARTBEAT;
		else
			pthread_cond_timedwait(&h->cond, &h->lock,
			                       ts_passed(&x->beat_at, &x->expires_at) ?
			                       &x->beat_at : &x->expires_at);
	}
	pthread_mutex_unlock(&h->lock);
	return step;
}

/* Reads the next page of the change log after the stream's position into
 * x->out: the stream is behind what its hub keeps. 0, or -1. */
static int
backlog(stream_ctx *x)
{
	PGresult *res = events_db_changes(NULL, x->sess.business, x->pos, EVENTS_PAGE);
	if (res == NULL)
		return -1;
	int n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		const char *perm = events_db_perm(res, i);
		size_t mark = x->out.len;
		int64_t seq;
		if (events_db_format(&x->out, res, i, &seq) != 0)
			break;
		if (perm != NULL && !bahi_perm_allows(x->sess.role, perm)) {
			x->out.len = mark;      /* its role may not read it */
			x->out.data[mark] = '\0';
		}
		x->pos = seq;
	}
	PQclear(res);
	if (n == 0) {   /* nothing where the hub says there is: go on from what it holds */
		pthread_mutex_lock(&x->hub->lock);
		if (x->pos < x->hub->cover)
			x->pos = x->hub->cover;
		pthread_mutex_unlock(&x->hub->lock);
	}
	return 0;
}

/* Streams until the end; returns why it ended (enum events_end). */
static int
stream_run(stream_ctx *x)
{
	for (;;) {
		int step = stream_wait(x);
		if (step > 0)
			return step;
		if (step == STEP_RECHECK) {
			int rc = events_db_session(&x->sess);
			if (rc != 0)
				return rc < 0 ? EVENTS_UNAVAILABLE : EVENTS_REVOKED;
			continue;
		}
		if (step == STEP_BACKLOG && backlog(x) != 0)
			return EVENTS_UNAVAILABLE;
		if (step == STEP_HEARTBEAT)
			bahi_buf_puts(&x->out, ": heartbeat\n\n");
		if (send_buf(x, &x->out) != 0)
			return EVENTS_GONE;
	}
}

/* GET /api/v1/events: 0 once the stream has ended, or -1 with a problem. */
static int
stream(stream_ctx *x)
{
	int64_t from;
	if (authenticate(x) != 0 || last_event_id(x, &from) != 0)
		return -1;
	if (atomic_fetch_add(&events_streams, 1) >= events_max_streams) {
		atomic_fetch_sub(&events_streams, 1);
		bahi_fail(&x->req, "service_unavailable", "Too many live streams are open; try again later.");
		x->req.problem.retry_after = 5;
		return -1;
	}
	/* joined before the session check, so no revocation can slip between */
	x->hub = events_hub_get(x->claims.bid);
	snprintf(x->s.user, sizeof(x->s.user), "%s", x->claims.sub);
	snprintf(x->s.device, sizeof(x->s.device), "%s", x->claims.did);
	pthread_mutex_lock(&x->hub->lock);
	events_hub_join(x->hub, &x->s);
	pthread_mutex_unlock(&x->hub->lock);
	int rc = stream_open(x, from);
	if (rc == 0) {
		int reason = stream_run(x);
		if (reason != EVENTS_GONE) {
			bahi_buf_reset(&x->out);
			bahi_buf_printf(&x->out, "event: end\ndata: {\"reason\":\"%s\"}\n\n",
			                end_reasons[reason]);
			send_buf(x, &x->out);
		}
	}
	pthread_mutex_lock(&x->hub->lock);
	events_hub_leave(x->hub, &x->s);
	pthread_mutex_unlock(&x->hub->lock);
	events_hub_put(x->hub);
	atomic_fetch_sub(&events_streams, 1);
	return rc < 0 ? -1 : 0;
}

/* GET /api/v1/events/health: the database through the pool, the listener,
 * the streams open. */
static int
health(stream_ctx *x)
{
	bahi_req *req = &x->req;
	PGresult *res = events_db_run("", "SELECT 1", 0, NULL);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	PQclear(res);
	if (!ok) {
		bahi_fail(req, "service_unavailable", "The database is unreachable.");
		req->problem.retry_after = 1;
		return -1;
	}
	bahi_buf_printf(&req->out, "{\"status\":\"ok\",\"db\":\"ok\",\"listener\":\"%s\",\"version\":\"",
	                events_listen_up() ? "ok" : "down");
	bahi_buf_json_escape(&req->out, bahi_config_get("version"));
	bahi_buf_printf(&req->out, "\",\"worker\":\"events\",\"streams\":%d}",
	                atomic_load(&events_streams));
	req->status = 200;
	req->content_type = "application/json";
	return 0;
}

static int
not_allowed(bahi_req *req, const char *allow)
{
	req->problem.allow = allow;
	return bahi_fail(req, "method_not_allowed", "Allowed methods: %s.", allow);
}

static void
serve(stream_ctx *x)
{
	bahi_req *req = &x->req;
	int rc;
	if (strcmp(req->path, "/api/v1/events") == 0)
		rc = strcmp(req->method, "GET") == 0 ? stream(x) : not_allowed(req, "GET");
	else if (strcmp(req->path, "/api/v1/events/health") == 0)
		rc = strcmp(req->method, "GET") == 0 || req->is_head ? health(x) :
		     not_allowed(req, "GET, HEAD");
	else
		rc = bahi_fail(req, "not_found", "No route for this path.");
	if (x->streaming)
		return;
	if (rc != 0) {
		bahi_buf_reset(&req->headers);
		bahi_resp_problem(req);
	}
	bahi_resp_send(req);
}

void *
events_request_thread(void *arg)
{
	FCGX_Request *fr = arg;
	stream_ctx *x = calloc(1, sizeof(*x));
	if (x == NULL) {
		bahi_log_error(NULL, "out of memory for a request");
		abort();
	}
	bahi_buf_init(&x->out, 4 * 1024 * 1024);
	req_setup(&x->req, fr);
	serve(x);
	bahi_log_request(&x->req);
	FCGX_Finish_r(fr);
	free(fr);
	bahi_buf_free(&x->out);
	bahi_buf_free(&x->req.headers);
	bahi_buf_free(&x->req.out);
	bahi_pool_destroy(x->req.pool);
	free(x);
	atomic_fetch_sub(&events_requests, 1);
	return NULL;
}
