/* check_events: the live change stream (GET /api/v1/events, bahi-events) through nginx: delivery within a second, resuming without gaps, heartbeats, revocation, errors. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "bahi_changelog.h"
#include "bahi_uuid.h"
#include "harness.h"

/* The stack runs bahi-events with these (main sets them before it starts). */
#define HEARTBEAT "1"
#define MAX_STREAMS 40
#define MAX_STREAMS_TEXT "40"

/* One server-sent event as the client parsed it. */
typedef struct sse_event {
	char id[32], event[32];
	char *data;
	double at;              /* when it arrived (now_s) */
} sse_event;

/* One open stream, driven by its own curl multi handle. */
typedef struct sse {
	CURLM *multi;
	CURL *easy;
	struct curl_slist *hdrs;
	char *buf;              /* everything received, NUL-terminated */
	size_t len, parsed;
	char *head;             /* the response's header block */
	size_t head_len;
	int done;               /* the response ended */
	sse_event *ev;
	int nev, cap;
	int heartbeats, retry;
} sse;

static double
now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
sse_add(sse *s, const char *id, const char *event, const char *data)
{
	if (s->nev == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->ev = realloc(s->ev, (size_t)s->cap * sizeof(*s->ev));
		ck_assert_ptr_nonnull(s->ev);
	}
	sse_event *e = &s->ev[s->nev++];
	snprintf(e->id, sizeof(e->id), "%s", id);
	snprintf(e->event, sizeof(e->event), "%s", event);
	e->data = strdup(data);
	e->at = now_s();
}

/* Parses one block (the text between blank lines). */
static void
sse_block(sse *s, char *block)
{
	char id[32] = "", event[32] = "", data[1024] = "";
	int any = 0;
	for (char *line = strtok(block, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		if (strcmp(line, ": heartbeat") == 0)
			s->heartbeats++;
		else if (strncmp(line, "retry: ", 7) == 0)
			s->retry = (int)strtol(line + 7, NULL, 10);
		else if (strncmp(line, "id: ", 4) == 0)
			snprintf(id, sizeof(id), "%s", line + 4), any = 1;
		else if (strncmp(line, "event: ", 7) == 0)
			snprintf(event, sizeof(event), "%s", line + 7), any = 1;
		else if (strncmp(line, "data: ", 6) == 0)
			snprintf(data, sizeof(data), "%s", line + 6), any = 1;
		else
			ck_abort_msg("unexpected line in the stream: '%s'", line);
	}
	if (any)
		sse_add(s, id, event, data);
}

static size_t
sse_write(char *ptr, size_t size, size_t n, void *userdata)
{
	sse *s = userdata;
	size_t add = size * n;
	s->buf = realloc(s->buf, s->len + add + 1);
	ck_assert_ptr_nonnull(s->buf);
	memcpy(s->buf + s->len, ptr, add);
	s->len += add;
	s->buf[s->len] = '\0';
	char *end;
	while ((end = strstr(s->buf + s->parsed, "\n\n")) != NULL) {
		size_t blen = (size_t)(end - (s->buf + s->parsed));
		char *block = strndup(s->buf + s->parsed, blen);
		sse_block(s, block);
		free(block);
		s->parsed += blen + 2;
	}
	return add;
}

static size_t
sse_header(char *ptr, size_t size, size_t n, void *userdata)
{
	sse *s = userdata;
	size_t add = size * n;
	s->head = realloc(s->head, s->head_len + add + 1);
	ck_assert_ptr_nonnull(s->head);
	memcpy(s->head + s->head_len, ptr, add);
	s->head_len += add;
	s->head[s->head_len] = '\0';
	return add;
}

/* Runs the transfer for up to seconds; returns early when it ends. */
static void
sse_pump(sse *s, double seconds)
{
	double until = now_s() + seconds;
	do {
		int running = 0;
		curl_multi_perform(s->multi, &running);
		if (running == 0) {
			s->done = 1;
			return;
		}
		curl_multi_poll(s->multi, NULL, 0, 5, NULL);
	} while (now_s() < until);
}

/* Pumps until s holds n events or has ended, at most seconds; its events. */
static int
sse_wait(sse *s, int n, double seconds)
{
	double until = now_s() + seconds;
	while (s->nev < n && !s->done && now_s() < until)
		sse_pump(s, 0.005);
	return s->nev;
}

/* Opens GET /api/v1/events<query> with token (NULL: none) and extra header
 * lines (NULL-terminated, may be NULL); pumps until its head arrived. */
static sse *
sse_open(const char *token, const char *extra, const char *query)
{
	char url[512], auth[2200];
	sse *s = calloc(1, sizeof(*s));
	ck_assert_ptr_nonnull(s);
	snprintf(url, sizeof(url), "%s/api/v1/events%s", bt_get()->base, query ? query : "");
	s->easy = curl_easy_init();
	s->multi = curl_multi_init();
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		s->hdrs = curl_slist_append(s->hdrs, auth);
	}
	if (extra != NULL)
		s->hdrs = curl_slist_append(s->hdrs, extra);
	curl_easy_setopt(s->easy, CURLOPT_URL, url);
	curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->hdrs);
	curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, sse_write);
	curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, sse_header);
	curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, 50000L);
	curl_multi_add_handle(s->multi, s->easy);
	double until = now_s() + 10;
	while ((s->head == NULL || strstr(s->head, "\r\n\r\n") == NULL) && !s->done &&
	       now_s() < until)
		sse_pump(s, 0.005);
	ck_assert_msg(s->head != NULL, "no answer from /api/v1/events%s", query ? query : "");
	return s;
}

static long
sse_status(const sse *s)
{
	long status = 0;
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static void
sse_close(sse *s)
{
	curl_multi_remove_handle(s->multi, s->easy);
	curl_easy_cleanup(s->easy);
	curl_multi_cleanup(s->multi);
	curl_slist_free_all(s->hdrs);
	for (int i = 0; i < s->nev; i++)
		free(s->ev[i].data);
	free(s->ev);
	free(s->buf);
	free(s->head);
	free(s);
}

/* ---- expectations */

/* The business's current change sequence number (0 before any change). */
static long
business_seq(const char *business)
{
	const char *p[1] = {business};
	return bt_super_long("SELECT coalesce((SELECT value FROM business_counters"
	                     " WHERE business_id = $1 AND name = 'change_seq'), 0)", 1, p);
}

/* Checks that s streams (200, its head) and its first event is the ready
 * event at seq. */
static void
expect_ready(sse *s, long seq)
{
	char id[32], data[64];
	ck_assert_msg(sse_wait(s, 1, 5) >= 1, "no ready event: %ld %s", sse_status(s),
	              s->buf ? s->buf : "");
	ck_assert_int_eq(sse_status(s), 200);
	ck_assert_msg(strstr(s->head, "Content-Type: text/event-stream\r\n") != NULL, "%s", s->head);
	ck_assert_msg(strstr(s->head, "Cache-Control: no-store\r\n") != NULL, "%s", s->head);
	snprintf(id, sizeof(id), "%ld", seq);
	snprintf(data, sizeof(data), "{\"seq\":%ld}", seq);
	ck_assert_str_eq(s->ev[0].event, "ready");
	ck_assert_str_eq(s->ev[0].id, id);
	ck_assert_str_eq(s->ev[0].data, data);
	ck_assert_int_eq(s->retry, 2000);
}

/* Checks event i of s: the change seq of entity id, op and version. */
static void
expect_change(const sse *s, int i, long seq, const char *entity, const char *id, const char *op,
              int version)
{
	char sid[32], data[512];
	ck_assert_int_lt(i, s->nev);
	snprintf(sid, sizeof(sid), "%ld", seq);
	snprintf(data, sizeof(data),
	         "{\"seq\":%ld,\"entity\":\"%s\",\"id\":\"%s\",\"op\":\"%s\",\"version\":%d}",
	         seq, entity, id, op, version);
	ck_assert_str_eq(s->ev[i].event, "change");
	ck_assert_str_eq(s->ev[i].id, sid);
	ck_assert_str_eq(s->ev[i].data, data);
}

/* The change events of s from index from as "seq entity id op version,"...; malloc'd. */
static char *
stream_digest(const sse *s, int from)
{
	size_t size = 64 + (size_t)s->nev * 128, n = 0;
	char *out = calloc(1, size);
	ck_assert_ptr_nonnull(out);
	for (int i = from; i < s->nev; i++) {
		cJSON *d = cJSON_Parse(s->ev[i].data);
		ck_assert_msg(d != NULL && strcmp(s->ev[i].event, "change") == 0, "event %d: %s %s", i,
		              s->ev[i].event, s->ev[i].data);
		char seq[32];
		snprintf(seq, sizeof(seq), "%.0f", cJSON_GetObjectItem(d, "seq")->valuedouble);
		ck_assert_str_eq(s->ev[i].id, seq);
		n += (size_t)snprintf(out + n, size - n, "%s%s %s %s %s %.0f", n ? "," : "", seq,
		                      cJSON_GetObjectItem(d, "entity")->valuestring,
		                      cJSON_GetObjectItem(d, "id")->valuestring,
		                      cJSON_GetObjectItem(d, "op")->valuestring,
		                      cJSON_GetObjectItem(d, "version")->valuedouble);
		cJSON_Delete(d);
	}
	return out;
}

/* The business's change log after seq in stream_digest's form; malloc'd. */
static char *
log_digest(const char *business, long after)
{
	char a[24];
	snprintf(a, sizeof(a), "%ld", after);
	const char *p[2] = {business, a};
	char *v = bt_super_value("SELECT string_agg(seq || ' ' || entity || ' ' || entity_id || ' '"
	                         " || op || ' ' || version, ',' ORDER BY seq) FROM change_entries"
	                         " WHERE business_id = $1 AND seq > $2::bigint", 2, p);
	return v ? v : strdup("");
}


static void
category_new(const bt_session *s, const char *name, char id[BAHI_UUID_LEN + 1])
{
	char body[128];
	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	bt_create(s, "/api/v1/categories", body, id);
}

/* The number of open streams bahi-events reports (its health route). */
static long
open_streams(void)
{
	bt_resp r = bt_json("GET", "/api/v1/events/health", NULL, NULL);
	ck_assert_msg(r.status == 200, "events health: %ld %s", r.status, r.body);
	long n = bt_at_int(&r, "streams");
	bt_free(&r);
	return n;
}

/* Waits (a few heartbeats at most) until streams of earlier tests, whose
 * clients have gone, are noticed and closed. */
static void
wait_no_streams(void)
{
	double until = now_s() + 5;
	while (open_streams() != 0 && now_s() < until)
		usleep(50000);
	ck_assert_int_eq(open_streams(), 0);
}

/* A token for s's session signed with the stack's key, valid from now for
 * ttl seconds (negative: expired that long ago); malloc'd. */
static char *
token_for(const bt_session *s, long ttl)
{
	char secret[256], kid[17], header[128], claims[512];
	long now = (long)time(NULL);
	bt_jwt_secret(secret, sizeof(secret), kid);
	snprintf(header, sizeof(header), "{\"alg\":\"HS256\",\"kid\":\"%s\",\"typ\":\"JWT\"}", kid);
	snprintf(claims, sizeof(claims),
	         "{\"aud\":\"bahi-api\",\"bid\":\"%s\",\"did\":\"%s\",\"exp\":%ld,\"iat\":%ld,"
	         "\"iss\":\"bahi\",\"nbf\":%ld,\"role\":\"owner\",\"sub\":\"%s\",\"typ\":\"access\","
	         "\"ver\":1}", s->business_id, s->device_id, now + ttl,
	         ttl < 0 ? now + ttl - 60 : now, ttl < 0 ? now + ttl - 60 : now, s->user_id);
	return bt_jwt_hs256(header, claims, secret);
}

/* Checks that the answer to GET /api/v1/events (as s opened it) is the
 * problem status/code, then closes it. */
static void
expect_refused(sse *s, long status, const char *code)
{
	bt_resp r;
	sse_wait(s, 1000, 5);
	ck_assert_int_eq(s->done, 1);
	memset(&r, 0, sizeof(r));
	r.status = sse_status(s);
	r.body = s->buf ? s->buf : "";
	r.headers = s->head;
	char *ct = NULL;
	curl_easy_getinfo(s->easy, CURLINFO_CONTENT_TYPE, &ct);
	snprintf(r.content_type, sizeof(r.content_type), "%s", ct ? ct : "");
	r.json = cJSON_Parse(r.body);
	bt_assert_problem(&r, status, code);
	cJSON_Delete(r.json);
	sse_close(s);
}

/* ------------------------------------------------------------ delivery */

START_TEST(a_change_reaches_another_device_within_a_second)
{
	bt_session a, a2, b;
	char cat[BAHI_UUID_LEN + 1];
	bt_signup(&a);
	bt_signup(&b);
	bt_second_device(&a, &a2);
	long seq = business_seq(a.business_id);
	sse *s = sse_open(a2.access, NULL, NULL), *other = sse_open(b.access, NULL, NULL);
	expect_ready(s, seq);
	expect_ready(other, business_seq(b.business_id));

	double t0 = now_s();
	category_new(&a, "Live", cat);
	ck_assert_int_eq(sse_wait(s, 2, 1.0), 2);
	double took = s->ev[1].at - t0;
	ck_assert_msg(took < 1.0, "the change took %.3f s to arrive", took);
	expect_change(s, 1, seq + 1, "category", cat, "upsert", 1);
	ck_assert_int_eq(business_seq(a.business_id), seq + 1);

	/* the other business's stream gets nothing of it; the first nothing more */
	sse_pump(other, 0.5);
	sse_pump(s, 0.2);
	ck_assert_int_eq(other->nev, 1);
	ck_assert_int_eq(s->nev, 2);
	ck_assert_int_eq(other->done, 0);
	sse_close(s);
	sse_close(other);
}
END_TEST

START_TEST(twenty_streams_all_get_the_change)
{
	enum { N = 20 };
	bt_session a;
	sse *s[N];
	char cat[BAHI_UUID_LEN + 1];
	wait_no_streams();
	bt_signup(&a);
	long seq = business_seq(a.business_id);
	for (int i = 0; i < N; i++) {
		s[i] = sse_open(a.access, NULL, NULL);
		expect_ready(s[i], seq);
	}
	ck_assert_int_eq(open_streams(), N);
	double t0 = now_s();
	category_new(&a, "Twenty", cat);
	for (int got = 0; got < N && now_s() < t0 + 1.0; ) {
		got = 0;
		for (int i = 0; i < N; i++) {
			sse_pump(s[i], 0);
			got += s[i]->nev >= 2;
		}
	}
	for (int i = 0; i < N; i++) {
		ck_assert_msg(s[i]->nev == 2, "stream %d has %d events a second after the commit", i,
		              s[i]->nev);
		ck_assert_msg(s[i]->ev[1].at - t0 < 1.0, "stream %d: %.3f s", i, s[i]->ev[1].at - t0);
		expect_change(s[i], 1, seq + 1, "category", cat, "upsert", 1);
		sse_close(s[i]);
	}
}
END_TEST

/* As sync pulls do, a stream leaves out the entities its role may not read
 * (a clerk: users); the sequence numbers of what it gets are unchanged. */
START_TEST(a_clerks_stream_leaves_out_what_a_clerk_may_not_read)
{
	bt_session a, clerk;
	char path[128], cat[BAHI_UUID_LEN + 1];
	bt_signup(&a);
	bt_add_user(&a, "clerk", &clerk);
	long seq = business_seq(a.business_id);
	sse *owner = sse_open(a.access, NULL, NULL), *sc = sse_open(clerk.access, NULL, NULL);
	expect_ready(owner, seq);
	expect_ready(sc, seq);
	snprintf(path, sizeof(path), "/api/v1/users/%s", clerk.user_id);
	bt_resp r = bt_patch(&a, path, NULL, "{\"name\":\"Renamed Clerk\"}");
	ck_assert_msg(r.status == 200, "PATCH %s: %ld %s", path, r.status, r.body);
	int version = (int)bt_at_int(&r, "version");
	bt_free(&r);
	category_new(&a, "Seen by all", cat);
	ck_assert_int_eq(business_seq(a.business_id), seq + 2);
	ck_assert_int_eq(sse_wait(owner, 3, 2), 3);
	expect_change(owner, 1, seq + 1, "user", clerk.user_id, "upsert", version);
	expect_change(owner, 2, seq + 2, "category", cat, "upsert", 1);
	ck_assert_int_eq(sse_wait(sc, 2, 2), 2);
	expect_change(sc, 1, seq + 2, "category", cat, "upsert", 1);
	/* and so does a clerk's stream that reads the log itself */
	sse *from0 = sse_open(clerk.access, "Last-Event-ID: 0", NULL);
	expect_ready(from0, 0);
	sse_wait(from0, 1000, 1);
	for (int i = 1; i < from0->nev; i++)
		ck_assert_msg(strstr(from0->ev[i].data, "\"entity\":\"user\"") == NULL, "%s",
		              from0->ev[i].data);
	expect_change(from0, from0->nev - 1, seq + 2, "category", cat, "upsert", 1);
	sse_pump(sc, 0.2);
	ck_assert_int_eq(sc->nev, 2);
	sse_close(owner);
	sse_close(sc);
	sse_close(from0);
}
END_TEST

/* ------------------------------------------------------------ resuming */

START_TEST(a_resumed_stream_misses_nothing)
{
	bt_session a;
	char c0[BAHI_UUID_LEN + 1], c[5][BAHI_UUID_LEN + 1], hdr[64], query[64];
	bt_signup(&a);
	long n0 = business_seq(a.business_id);
	/* an anchor stream keeps the business's hub, whose recent events the
	 * resumed streams copy */
	sse *anchor = sse_open(a.access, NULL, NULL), *s = sse_open(a.access, NULL, NULL);
	expect_ready(anchor, n0);
	expect_ready(s, n0);
	category_new(&a, "First", c0);
	ck_assert_int_eq(sse_wait(s, 2, 2), 2);
	expect_change(s, 1, n0 + 1, "category", c0, "upsert", 1);
	long n = n0 + 1;
	sse_close(s);

	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Missed %d", i);
		category_new(&a, name, c[i]);
	}
	ck_assert_int_eq(business_seq(a.business_id), n + 5);
	ck_assert_int_eq(sse_wait(anchor, 7, 2), 7);

	snprintf(hdr, sizeof(hdr), "Last-Event-ID: %ld", n);
	snprintf(query, sizeof(query), "?last_event_id=%ld", n);
	sse *byhdr = sse_open(a.access, hdr, NULL), *byquery = sse_open(a.access, NULL, query);
	sse *v[2] = {byhdr, byquery};
	for (int k = 0; k < 2; k++) {
		expect_ready(v[k], n);
		ck_assert_int_eq(sse_wait(v[k], 6, 2), 6);
		for (int i = 0; i < 5; i++)
			expect_change(v[k], 1 + i, n + 1 + i, "category", c[i], "upsert", 1);
		sse_pump(v[k], 0.3);
		ck_assert_int_eq(v[k]->nev, 6);
		sse_close(v[k]);
	}

	/* the header (what EventSource sends on reconnecting) wins over the query */
	snprintf(hdr, sizeof(hdr), "Last-Event-ID: %ld", n + 3);
	s = sse_open(a.access, hdr, "?last_event_id=0");
	expect_ready(s, n + 3);
	ck_assert_int_eq(sse_wait(s, 3, 2), 3);
	expect_change(s, 1, n + 4, "category", c[3], "upsert", 1);
	expect_change(s, 2, n + 5, "category", c[4], "upsert", 1);
	sse_close(s);
	sse_close(anchor);
}
END_TEST

/* From 0, far behind anything kept in memory: the whole log, from the database. */
START_TEST(a_stream_from_zero_reads_the_whole_log)
{
	bt_session a;
	char cat[BAHI_UUID_LEN + 1];
	bt_signup(&a);
	category_new(&a, "Old", cat);
	long seq = business_seq(a.business_id);
	sse *s = sse_open(a.access, "Last-Event-ID: 0", NULL);
	expect_ready(s, 0);
	ck_assert_int_eq(sse_wait(s, 1 + (int)seq, 3), 1 + seq);
	char *got = stream_digest(s, 1), *want = log_digest(a.business_id, 0);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	sse_close(s);
}
END_TEST

/* Writes n change-log rows (categories with new ids) in one transaction,
 * as bahi_changelog_flush does, then notifies as the workers do. */
static void
write_log(const char *business, int n)
{
	size_t size = (size_t)n * 48 + 16;
	char *ent = calloc(1, size), *ids = calloc(1, size), *ops = calloc(1, size),
	     *vers = calloc(1, size), count[16];
	ck_assert(ent && ids && ops && vers);
	size_t le = 1, li = 1, lo = 1, lv = 1;
	ent[0] = ids[0] = ops[0] = vers[0] = '{';
	for (int i = 0; i < n; i++) {
		char id[BAHI_UUID_LEN + 1];
		bahi_uuid_v7(id);
		const char *sep = i + 1 < n ? "," : "}";
		le += (size_t)snprintf(ent + le, size - le, "category%s", sep);
		li += (size_t)snprintf(ids + li, size - li, "%s%s", id, sep);
		lo += (size_t)snprintf(ops + lo, size - lo, "upsert%s", sep);
		lv += (size_t)snprintf(vers + lv, size - lv, "%d%s", 1 + i % 3, sep);
	}
	snprintf(count, sizeof(count), "%d", n);
	const char *p[6] = {business, count, ent, ids, ops, vers};
	PGconn *c = bt_db(bt_get()->super_url);
	PQclear(bt_sql(c, bahi_changelog_write_sql(n), 6, p));
	PQclear(bt_sql(c, "SELECT pg_notify('bahi_changes', $1)", 1, p));
	PQfinish(c);
	free(ent);
	free(ids);
	free(ops);
	free(vers);
}

/* More changes at once than a hub keeps: its streams read the rest
 * themselves, in order, without a gap. */
START_TEST(a_burst_larger_than_the_ring_arrives_whole)
{
	enum { BURST = 300 };
	bt_session a;
	bt_signup(&a);
	long seq = business_seq(a.business_id);
	sse *s1 = sse_open(a.access, NULL, NULL), *s2 = sse_open(a.access, NULL, NULL);
	expect_ready(s1, seq);
	expect_ready(s2, seq);
	write_log(a.business_id, BURST);
	ck_assert_int_eq(business_seq(a.business_id), seq + BURST);
	ck_assert_int_eq(sse_wait(s1, 1 + BURST, 5), 1 + BURST);
	ck_assert_int_eq(sse_wait(s2, 1 + BURST, 5), 1 + BURST);
	char *want = log_digest(a.business_id, seq), *got1 = stream_digest(s1, 1),
	     *got2 = stream_digest(s2, 1);
	ck_assert_str_eq(got1, want);
	ck_assert_str_eq(got2, want);
	free(want);
	free(got1);
	free(got2);
	sse_close(s1);
	sse_close(s2);
}
END_TEST

/* ------------------------------------------------------------ keeping alive */

START_TEST(heartbeats_come_at_the_configured_interval)
{
	bt_session a;
	bt_signup(&a);
	sse *s = sse_open(a.access, NULL, NULL);
	expect_ready(s, business_seq(a.business_id));
	ck_assert_int_eq(s->heartbeats, 0);
	sse_pump(s, 2.6);
	ck_assert_msg(s->heartbeats == 2, "%d heartbeats in 2.6 s at 1 a second", s->heartbeats);
	ck_assert_int_eq(s->nev, 1);
	ck_assert_int_eq(s->done, 0);
	sse_close(s);
}
END_TEST

START_TEST(a_stream_ends_when_its_token_expires)
{
	bt_session a;
	bt_signup(&a);
	char *token = token_for(&a, 2);
	double t0 = now_s();
	sse *s = sse_open(token, NULL, NULL);
	expect_ready(s, business_seq(a.business_id));
	ck_assert_int_eq(sse_wait(s, 2, 5), 2);
	double took = now_s() - t0;
	ck_assert_str_eq(s->ev[1].event, "end");
	ck_assert_str_eq(s->ev[1].data, "{\"reason\":\"token_expired\"}");
	sse_pump(s, 1);
	ck_assert_int_eq(s->done, 1);
	ck_assert_msg(took > 0.9 && took < 3.5, "ended after %.3f s", took);
	free(token);
	sse_close(s);
}
END_TEST

/* ------------------------------------------------------------ revocation */

START_TEST(revoking_a_device_closes_its_stream_within_a_second)
{
	bt_session a, a2;
	char path[128];
	bt_signup(&a);
	bt_second_device(&a, &a2);
	long seq = business_seq(a.business_id);
	sse *s1 = sse_open(a.access, NULL, NULL), *s2 = sse_open(a2.access, NULL, NULL);
	expect_ready(s1, seq);
	expect_ready(s2, seq);
	snprintf(path, sizeof(path), "/api/v1/devices/%s", a2.device_id);
	double t0 = now_s();
	bt_resp r = bt_json("DELETE", path, a.access, NULL);
	ck_assert_msg(r.status == 204, "revoke: %ld %s", r.status, r.body);
	bt_free(&r);
	while (!s2->done && now_s() < t0 + 1.0)
		sse_pump(s2, 0.01);
	ck_assert_msg(s2->done, "the revoked device's stream is open a second later");
	ck_assert_str_eq(s2->ev[s2->nev - 1].event, "end");
	ck_assert_str_eq(s2->ev[s2->nev - 1].data, "{\"reason\":\"revoked\"}");
	/* the other device's stream stays, and hears of the revocation */
	ck_assert_int_eq(sse_wait(s1, 2, 1), 2);
	expect_change(s1, 1, seq + 1, "device", a2.device_id, "delete", 1);
	ck_assert_int_eq(s1->done, 0);
	sse_close(s1);
	sse_close(s2);
	expect_refused(sse_open(a2.access, NULL, NULL), 401, "unauthorized");
}
END_TEST

START_TEST(a_password_change_closes_every_stream_of_the_user)
{
	bt_session a, a2, clerk;
	char body[512];
	bt_signup(&a);
	bt_second_device(&a, &a2);
	bt_add_user(&a, "clerk", &clerk);
	sse *s1 = sse_open(a.access, NULL, NULL), *s2 = sse_open(a2.access, NULL, NULL),
	    *sc = sse_open(clerk.access, NULL, NULL);
	long seq = business_seq(a.business_id);
	expect_ready(s1, seq);
	expect_ready(s2, seq);
	expect_ready(sc, seq);
	snprintf(body, sizeof(body), "{\"current_password\":\"%s\",\"new_password\":\"%s-2\"}",
	         a.password, a.password);
	bt_resp r = bt_json("POST", "/api/v1/auth/password", a.access, body);
	ck_assert_msg(r.status == 200 || r.status == 204, "password: %ld %s", r.status, r.body);
	bt_free(&r);
	sse *v[2] = {s1, s2};
	for (int k = 0; k < 2; k++) {
		sse_wait(v[k], 100, 1);
		ck_assert_int_eq(v[k]->done, 1);
		ck_assert_str_eq(v[k]->ev[v[k]->nev - 1].data, "{\"reason\":\"revoked\"}");
		sse_close(v[k]);
	}
	sse_pump(sc, 0.3);
	ck_assert_int_eq(sc->done, 0);
	sse_close(sc);
}
END_TEST

START_TEST(deleting_the_business_closes_its_streams)
{
	bt_session a;
	char body[256];
	bt_signup(&a);
	sse *s = sse_open(a.access, NULL, NULL);
	expect_ready(s, business_seq(a.business_id));
	snprintf(body, sizeof(body), "{\"password\":\"%s\"}", a.password);
	bt_resp r = bt_json("DELETE", "/api/v1/account", a.access, body);
	ck_assert_msg(r.status == 204 || r.status == 200, "delete: %ld %s", r.status, r.body);
	bt_free(&r);
	sse_wait(s, 100, 1);
	ck_assert_int_eq(s->done, 1);
	ck_assert_str_eq(s->ev[s->nev - 1].data, "{\"reason\":\"revoked\"}");
	sse_close(s);
}
END_TEST

/* The database drops bahi-events' connections (a restart): the listener
 * reconnects and every hub reads what was committed in between; a pooled
 * connection found dead is made anew. */
START_TEST(lost_connections_lose_nothing)
{
	bt_session a;
	char cat[BAHI_UUID_LEN + 1];
	bt_signup(&a);
	long seq = business_seq(a.business_id);
	sse *s = sse_open(a.access, NULL, NULL);
	expect_ready(s, seq);
	ck_assert_int_eq(bt_super_long("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
	                               " WHERE application_name = 'bahi-events-listen'", 0, NULL), 1);
	ck_assert_int_ge(bt_super_long("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
	                               " WHERE application_name = 'bahi-events'", 0, NULL), 1);
	category_new(&a, "While away", cat);
	ck_assert_int_eq(sse_wait(s, 2, 5), 2);
	expect_change(s, 1, seq + 1, "category", cat, "upsert", 1);
	ck_assert_int_eq(s->done, 0);
	sse *again = sse_open(a.access, NULL, NULL);
	expect_ready(again, seq + 1);
	sse_close(again);
	bt_resp r = bt_json("GET", "/api/v1/events/health", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "listener"), "ok");
	bt_free(&r);
	sse_close(s);
}
END_TEST

/* ------------------------------------------------------------ refusals */

START_TEST(bad_tokens_are_refused)
{
	bt_session a;
	bt_signup(&a);
	char *expired = token_for(&a, -10);
	expect_refused(sse_open(NULL, NULL, NULL), 401, "unauthorized");
	expect_refused(sse_open("not-a-token", NULL, NULL), 401, "unauthorized");
	expect_refused(sse_open(expired, NULL, NULL), 401, "token_expired");
	free(expired);
	bt_resp r = bt_json("POST", "/api/v1/events", a.access, "{}");
	bt_assert_problem(&r, 405, "method_not_allowed");
	ck_assert_str_eq(bt_header(&r, "Allow"), "GET");
	bt_free(&r);
}
END_TEST

START_TEST(a_bad_last_event_id_is_422)
{
	static const struct {
		const char *header, *query, *field, *code;
	} cases[] = {
		{"Last-Event-ID: abc", NULL, "Last-Event-ID", "must_be_integer"},
		{"Last-Event-ID: 1.5", NULL, "Last-Event-ID", "must_be_integer"},
		{"Last-Event-ID: -1", NULL, "Last-Event-ID", "too_small"},
		{"Last-Event-ID: 99999999999999999999", NULL, "Last-Event-ID", "too_large"},
		{NULL, "?last_event_id=x", "last_event_id", "must_be_integer"},
	};
	bt_session a;
	char hdr[64];
	bt_signup(&a);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sse *s = sse_open(a.access, cases[i].header, cases[i].query);
		sse_wait(s, 1000, 5);
		bt_resp r;
		memset(&r, 0, sizeof(r));
		r.status = sse_status(s);
		r.body = s->buf;
		r.headers = s->head;
		snprintf(r.content_type, sizeof(r.content_type), "application/problem+json");
		r.json = cJSON_Parse(s->buf);
		bt_assert_field(&r, cases[i].field, cases[i].code);
		cJSON_Delete(r.json);
		sse_close(s);
	}
	/* past the newest change: no such event yet */
	snprintf(hdr, sizeof(hdr), "Last-Event-ID: %ld", business_seq(a.business_id) + 1);
	sse *s = sse_open(a.access, hdr, NULL);
	sse_wait(s, 1000, 5);
	ck_assert_int_eq(sse_status(s), 422);
	ck_assert_msg(strstr(s->buf, "\"field\":\"Last-Event-ID\",\"code\":\"too_large\"") != NULL,
	              "%s", s->buf);
	sse_close(s);
}
END_TEST

START_TEST(streams_over_the_limit_get_503)
{
	bt_session a;
	sse *s[MAX_STREAMS];
	wait_no_streams();
	bt_signup(&a);
	long seq = business_seq(a.business_id);
	for (int i = 0; i < MAX_STREAMS; i++) {
		s[i] = sse_open(a.access, NULL, NULL);
		expect_ready(s[i], seq);
	}
	sse *over = sse_open(a.access, NULL, NULL);
	ck_assert_msg(strstr(over->head, "Retry-After: 5\r\n") != NULL, "%s", over->head);
	expect_refused(over, 503, "service_unavailable");
	sse_close(s[0]);
	double until = now_s() + 3;
	while (open_streams() == MAX_STREAMS && now_s() < until)
		usleep(50000);
	s[0] = sse_open(a.access, NULL, NULL);
	expect_ready(s[0], seq);
	for (int i = 0; i < MAX_STREAMS; i++)
		sse_close(s[i]);
}
END_TEST

START_TEST(health_reports_the_process)
{
	bt_resp r = bt_json("GET", "/api/v1/events/health", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "application/json");
	ck_assert_str_eq(bt_str(&r, "status"), "ok");
	ck_assert_str_eq(bt_str(&r, "db"), "ok");
	ck_assert_str_eq(bt_str(&r, "listener"), "ok");
	ck_assert_str_eq(bt_str(&r, "worker"), "events");
	ck_assert_int_ge(bt_at_int(&r, "streams"), 0);
	bt_free(&r);
}
END_TEST

int
main(void)
{
	setenv("BAHI_EVENTS_HEARTBEAT", HEARTBEAT, 1);
	setenv("BAHI_EVENTS_MAX_STREAMS", MAX_STREAMS_TEXT, 1);
	bt_start();
	Suite *s = suite_create("events");
	TCase *t = tcase_create("events");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, a_change_reaches_another_device_within_a_second);
	tcase_add_test(t, twenty_streams_all_get_the_change);
	tcase_add_test(t, a_clerks_stream_leaves_out_what_a_clerk_may_not_read);
	tcase_add_test(t, a_resumed_stream_misses_nothing);
	tcase_add_test(t, a_stream_from_zero_reads_the_whole_log);
	tcase_add_test(t, a_burst_larger_than_the_ring_arrives_whole);
	tcase_add_test(t, heartbeats_come_at_the_configured_interval);
	tcase_add_test(t, a_stream_ends_when_its_token_expires);
	tcase_add_test(t, revoking_a_device_closes_its_stream_within_a_second);
	tcase_add_test(t, a_password_change_closes_every_stream_of_the_user);
	tcase_add_test(t, deleting_the_business_closes_its_streams);
	tcase_add_test(t, lost_connections_lose_nothing);
	tcase_add_test(t, bad_tokens_are_refused);
	tcase_add_test(t, a_bad_last_event_id_is_422);
	tcase_add_test(t, streams_over_the_limit_get_503);
	tcase_add_test(t, health_reports_the_process);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
