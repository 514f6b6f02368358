/* check_sync: offline sync through nginx: seeded two-device convergence, pulls under concurrent writers, replayed pushes, bad input, pull contents and status, offline invoices. */
#include <check.h>

#include "../check_run.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bahi_changelog.h"
#include "bahi_uuid.h"
#include "harness.h"

#define PULL "/api/v1/sync/pull"
#define PUSH "/api/v1/sync/push"
#define STATUS "/api/v1/sync/status"
#define ID_LEN (BAHI_UUID_LEN + 1)
#define NOBODY "00000000-0000-4000-8000-000000000000"

/* ---- a seeded PRNG (xorshift64*, seeded through splitmix64) */

typedef struct rng {
	uint64_t s;
} rng;

static void
rng_seed(rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	r->s = (z ^ (z >> 31)) | 1;
}

static uint64_t
rng_next(rng *r)
{
	uint64_t x = r->s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* A number in 0..n-1. */
static int
rng_below(rng *r, int n)
{
	return (int)((rng_next(r) >> 11) % (uint64_t)n);
}

/* A random (version 4) UUID drawn from r. */
static void
rng_uuid(rng *r, char out[ID_LEN])
{
	uint64_t a = rng_next(r), b = rng_next(r);
	snprintf(out, ID_LEN, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
	         (unsigned)(a >> 16) & 0xffffu, (unsigned)a & 0xfffu,
	         0x8000u | ((unsigned)(b >> 48) & 0x3fffu),
	         (unsigned long long)(b & 0xffffffffffffULL));
}

/* ---- a growable string */

typedef struct sbuf {
	char *s;
	size_t len, cap;
} sbuf;

__attribute__((format(printf, 2, 3))) static void
sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		int n = b->s ? vsnprintf(b->s + b->len, room, fmt, ap) : -1;
		va_end(ap);
		if (n >= 0 && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap ? 2 * b->cap + (n > 0 ? (size_t)n : 0) : 4096;
		b->s = realloc(b->s, b->cap);
		ck_assert_ptr_nonnull(b->s);
	}
}

static void
sb_free(sbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/* ---- requests */

/* GET /sync/pull as s after cursor (NULL: a first pull), with limit unless it is 0. */
static bt_resp
pull(const bt_session *s, const char *cursor, int limit)
{
	sbuf p = {0};
	sb_printf(&p, PULL "?");
	if (cursor != NULL) {
		sb_printf(&p, "cursor=");
		for (const unsigned char *c = (const unsigned char *)cursor; *c; c++)
			if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || strchr("-._~", *c))
				sb_printf(&p, "%c", *c);
			else
				sb_printf(&p, "%%%02X", *c);
		sb_printf(&p, "&");
	}
	if (limit > 0)
		sb_printf(&p, "limit=%d", limit);
	bt_resp r = bt_json("GET", p.s, s->access, NULL);
	sb_free(&p);
	return r;
}

/* POST /sync/push as s with body; asserts 200 and one result per mutation. */
static bt_resp
push(const bt_session *s, const char *body, int nmutations)
{
	bt_resp r = bt_json("POST", PUSH, s->access, body);
	ck_assert_msg(r.status == 200, "push: %ld %s\nbody: %s", r.status, r.body, body);
	ck_assert_str_eq(r.content_type, "application/json");
	ck_assert_msg(cJSON_GetArraySize(bt_at(&r, "results")) == nmutations,
	              "push: %d results for %d mutations: %s", cJSON_GetArraySize(bt_at(&r, "results")),
	              nmutations, r.body);
	return r;
}

/* A string member of a JSON object, or NULL. */
static const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* An integer member of a JSON object, -999999 when absent. */
static long
jint(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? (long)v->valuedouble : -999999;
}

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Every item of a list (GET path?limit=200, following next_cursor) as one array. */
static cJSON *
list_all(const bt_session *s, const char *path)
{
	cJSON *all = cJSON_CreateArray();
	char url[1024], cursor[512] = "";
	for (int page = 0; page < 100; page++) {
		snprintf(url, sizeof(url), "%s?limit=200%s%s", path, cursor[0] ? "&cursor=" : "", cursor);
		bt_resp r = bt_get_ok(s, url);
		cJSON *items = cJSON_DetachItemFromObjectCaseSensitive(r.json, "items");
		ck_assert_msg(cJSON_IsArray(items), "%s: %s", url, r.body);
		while (cJSON_GetArraySize(items) > 0)
			cJSON_AddItemToArray(all, cJSON_DetachItemFromArray(items, 0));
		cJSON_Delete(items);
		const char *next = bt_str(&r, "next_cursor");
		snprintf(cursor, sizeof(cursor), "%s", next ? next : "");
		bt_free(&r);
		if (next == NULL)
			return all;
	}
	ck_abort_msg("%s: more than 100 pages", path);
	return all;
}

/* The item of array a whose "id" is id, or NULL. */
static cJSON *
by_id(const cJSON *a, const char *id)
{
	cJSON *it;
	cJSON_ArrayForEach(it, a)
		if (streq(jstr(it, "id"), id))
			return it;
	return NULL;
}


/* ---- a device's replica: every record as last pulled */

typedef struct rec {
	char entity[24], id[ID_LEN];
	cJSON *data;            /* JSON null when its change carried none */
} rec;

typedef struct replica {
	rec *r;
	int n, cap;
	char cursor[1024];      /* "" before the first pull */
	long seq;               /* the highest seq pulled */
	int changes;            /* changes pulled in all */
} replica;

static rec *
replica_find(replica *rp, const char *entity, const char *id)
{
	for (int i = 0; i < rp->n; i++)
		if (strcmp(rp->r[i].id, id) == 0 && strcmp(rp->r[i].entity, entity) == 0)
			return &rp->r[i];
	return NULL;
}

static void
replica_free(replica *rp)
{
	for (int i = 0; i < rp->n; i++)
		cJSON_Delete(rp->r[i].data);
	free(rp->r);
	memset(rp, 0, sizeof(*rp));
}

/* Checks one change's members; asserts a delete carries no data. */
static void
check_change(const cJSON *c)
{
	const char *op = jstr(c, "op");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(c, "data");
	char *text = cJSON_PrintUnformatted(c);
	ck_assert_msg(cJSON_GetArraySize(c) == 6 && jint(c, "seq") >= 1 && jstr(c, "entity") &&
	              jstr(c, "id") && strlen(jstr(c, "id")) == BAHI_UUID_LEN && op &&
	              (streq(op, "upsert") || streq(op, "delete")) && jint(c, "version") >= 1 &&
	              (cJSON_IsObject(data) || cJSON_IsNull(data)) &&
	              (streq(op, "upsert") || cJSON_IsNull(data)),
	              "malformed change: %s", text);
	free(text);
}

/* Applies one pulled change to rp. */
static void
replica_apply(replica *rp, const cJSON *c)
{
	const char *entity = jstr(c, "entity"), *id = jstr(c, "id");
	rec *x = replica_find(rp, entity, id);
	if (streq(jstr(c, "op"), "delete")) {
		if (x != NULL) {
			cJSON_Delete(x->data);
			*x = rp->r[--rp->n];
		}
		return;
	}
	if (x == NULL) {
		if (rp->n == rp->cap) {
			rp->cap = rp->cap ? 2 * rp->cap : 256;
			rp->r = realloc(rp->r, (size_t)rp->cap * sizeof(*rp->r));
			ck_assert_ptr_nonnull(rp->r);
		}
		x = &rp->r[rp->n++];
		snprintf(x->entity, sizeof(x->entity), "%s", entity);
		snprintf(x->id, sizeof(x->id), "%s", id);
	} else {
		cJSON_Delete(x->data);
	}
	x->data = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c, "data"), 1);
}

/* Checks a pull answer's shape (200, changes, next_cursor, has_more). */
static void
check_page(const bt_resp *r)
{
	ck_assert_msg(r->status == 200, "pull: %ld %s", r->status, r->body);
	ck_assert_str_eq(r->content_type, "application/json");
	ck_assert_msg(cJSON_GetArraySize(r->json) == 3 && cJSON_IsArray(bt_at(r, "changes")) &&
	              bt_at_str(r, "next_cursor") != NULL && bt_at_str(r, "next_cursor")[0] != '\0' &&
	              cJSON_IsBool(bt_at(r, "has_more")), "malformed pull answer: %s", r->body);
}

/* One pull of rp's device after its cursor: applies the page, keeps the
 * new cursor; asserts seqs never go back. Returns has_more. */
static int
replica_pull_once(const bt_session *s, replica *rp, int limit)
{
	bt_resp r = pull(s, rp->cursor[0] ? rp->cursor : NULL, limit);
	check_page(&r);
	const cJSON *c;
	int n = 0;
	cJSON_ArrayForEach(c, bt_at(&r, "changes")) {
		check_change(c);
		ck_assert_msg(jint(c, "seq") >= rp->seq, "seq %ld after %ld: %s", jint(c, "seq"),
		              rp->seq, r.body);
		rp->seq = jint(c, "seq");
		replica_apply(rp, c);
		n++;
	}
	ck_assert_msg(limit == 0 || n <= limit, "%d changes for limit %d", n, limit);
	rp->changes += n;
	snprintf(rp->cursor, sizeof(rp->cursor), "%s", bt_at_str(&r, "next_cursor"));
	int more = cJSON_IsTrue(bt_at(&r, "has_more"));
	bt_free(&r);
	return more;
}

/* Pulls until has_more is false; returns the number of pulls. */
static int
replica_sync(const bt_session *s, replica *rp, int limit)
{
	int pulls = 0;
	do
		ck_assert_msg(++pulls < 10000, "pull never ends");
	while (replica_pull_once(s, rp, limit));
	return pulls;
}

/* The records of entity in rp. */
static int
replica_count(const replica *rp, const char *entity)
{
	int n = 0;
	for (int i = 0; i < rp->n; i++)
		n += strcmp(rp->r[i].entity, entity) == 0;
	return n;
}

/* ---- the simulation's world and its model of the server */

enum { E_CAT, E_PROD, E_CUST, E_INV, NENT };
static const char *const ent_name[NENT] = {"category", "product", "customer", "invoice"};
static const char *const ent_path[NENT] = {
	"/api/v1/categories", "/api/v1/products", "/api/v1/customers", "/api/v1/invoices",
};

/* A record of this seed's world as the server holds it (or a device believes). */
typedef struct mrec {
	int ent;
	char id[ID_LEN];
	int version, live;
	char owner;             /* 'W' made at set-up, else the device that made it */
	int keep;               /* P0 and C0: never changed but as the seed says */
	char name[64];
	char cat[ID_LEN];       /* product: its category, "" none */
	long stock;             /* product: units in stock */
	long number;            /* invoice: its number */
} mrec;

#define MAXREC 96
typedef struct model {
	mrec r[MAXREC];
	int n;
	long next_number;       /* the number the next invoice gets */
} model;

static mrec *
model_find(model *m, const char *id)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->r[i].id, id) == 0)
			return &m->r[i];
	return NULL;
}

static mrec *
model_add(model *m, int ent, const char *id, const char *name, char owner)
{
	ck_assert_int_lt(m->n, MAXREC);
	mrec *x = &m->r[m->n++];
	memset(x, 0, sizeof(*x));
	x->ent = ent;
	snprintf(x->id, sizeof(x->id), "%s", id);
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->version = 1;
	x->live = 1;
	x->owner = owner;
	return x;
}

/* A queued mutation. */
enum { OP_CREATE, OP_UPDATE, OP_DELETE };
typedef struct mut {
	char mid[ID_LEN];
	int ent, op;
	char id[ID_LEN];
	int base;               /* base_version; 0: none sent */
	char name[64];          /* create, update */
	long price;             /* product create/update */
	char cat[ID_LEN];       /* product create: its category or "" */
	int nlines;             /* sale (invoice create) */
	char pid[2][ID_LEN];
	long unit[2];
	char cust[ID_LEN];
	int p0;                 /* the sale of P0's last unit */
} mut;

#define MAXMUT 16
typedef struct device {
	bt_session s;
	replica rp;
	model view;             /* what the device believes, offline */
	mut q[MAXMUT];
	int nq;
	char tag;               /* 'A' or 'B' */
	int made;               /* names made so far */
} device;

/* A business the simulation reuses for a few seeds, and its two devices. */
typedef struct sim_biz {
	device a, b;
	long next_number;
	int seeds;
} sim_biz;

/* What the model says a mutation's result must be. */
typedef struct expect {
	const char *status;     /* applied | conflict | rejected */
	const char *code;       /* rejected: error.code */
	char field[32];         /* rejected: errors[0].field, "" none */
	int version;            /* the result's version; 0: none; -1: not checked */
	int server_version;     /* conflict: the server copy's version and name */
	char server_name[64];
} expect;

/* Appends m as JSON to b. */
static void
mut_json(const mut *m, sbuf *b)
{
	sb_printf(b, "{\"mutation_id\":\"%s\",\"entity\":\"%s\",\"op\":\"%s\",\"id\":\"%s\"", m->mid,
	          ent_name[m->ent], m->op == OP_CREATE ? "create" : m->op == OP_UPDATE ? "update" :
	          "delete", m->id);
	if (m->base > 0)
		sb_printf(b, ",\"base_version\":%d", m->base);
	if (m->ent == E_INV) {
		long paid = 0;
		sb_printf(b, ",\"data\":{\"lines\":[");
		for (int i = 0; i < m->nlines; i++) {
			sb_printf(b, "%s{\"product_id\":\"%s\",\"qty\":1,\"unit_price\":%ld}", i ? "," : "",
			          m->pid[i], m->unit[i]);
			paid += m->unit[i];
		}
		sb_printf(b, "],\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":%ld", paid);
		if (m->cust[0])
			sb_printf(b, ",\"customer_id\":\"%s\"", m->cust);
		sb_printf(b, "}");
	} else if (m->op != OP_DELETE) {
		sb_printf(b, ",\"data\":{\"name\":\"%s\"", m->name);
		if (m->ent == E_PROD)
			sb_printf(b, ",\"price\":%ld", m->price);
		if (m->ent == E_PROD && m->op == OP_CREATE)
			sb_printf(b, ",\"cost\":100%s%s%s", m->cat[0] ? ",\"category_id\":\"" : "", m->cat,
			          m->cat[0] ? "\"" : "");
		sb_printf(b, "}");
	}
	sb_printf(b, "}");
}

static void
expect_rejected(expect *e, const char *code, const char *field)
{
	e->status = "rejected";
	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	e->version = 0;
}

/* The model's outcome of a sale, applied to w when it is issued. */
static void
model_sale(model *w, const mut *m, expect *e)
{
	char f[32];
	for (int i = 0; i < m->nlines; i++) {
		mrec *p = model_find(w, m->pid[i]);
		if (p == NULL || !p->live) {
			snprintf(f, sizeof(f), "lines[%d].product_id", i);
			return expect_rejected(e, "validation_failed", f);
		}
	}
	if (m->cust[0]) {
		mrec *c = model_find(w, m->cust);
		if (c == NULL || !c->live)
			return expect_rejected(e, "validation_failed", "customer_id");
	}
	for (int i = 0; i < m->nlines; i++)
		if (model_find(w, m->pid[i])->stock < 1) {
			snprintf(f, sizeof(f), "lines[%d].qty", i);
			return expect_rejected(e, "insufficient_stock", f);
		}
	for (int i = 0; i < m->nlines; i++)
		model_find(w, m->pid[i])->stock--;
	mrec *inv = model_add(w, E_INV, m->id, "", 'S');
	inv->number = w->next_number++;
	e->status = "applied";
	e->version = 1;
}

/* The model's outcome of m on the server w, applied to w when it applies. */
static void
model_apply(model *w, const mut *m, expect *e)
{
	memset(e, 0, sizeof(*e));
	if (m->ent == E_INV)
		return model_sale(w, m, e);
	mrec *x = model_find(w, m->id);
	if (m->op == OP_CREATE) {
		mrec *cat = m->cat[0] ? model_find(w, m->cat) : NULL;
		if (m->cat[0] && (cat == NULL || !cat->live))
			return expect_rejected(e, "validation_failed", "category_id");
		x = model_add(w, m->ent, m->id, m->name, 'D');
		snprintf(x->cat, sizeof(x->cat), "%s", m->cat);
		e->status = "applied";
		e->version = 1;
		return;
	}
	if (x == NULL || !x->live)
		return expect_rejected(e, "not_found", NULL);
	if (m->base > 0 && m->base != x->version) {
		e->status = "conflict";
		e->version = e->server_version = x->version;
		snprintf(e->server_name, sizeof(e->server_name), "%s", x->name);
		return;
	}
	if (m->op == OP_DELETE && m->ent == E_CAT)
		for (int i = 0; i < w->n; i++)
			if (w->r[i].ent == E_PROD && w->r[i].live && strcmp(w->r[i].cat, m->id) == 0)
				return expect_rejected(e, "in_use", NULL);
	x->version++;
	e->status = "applied";
	if (m->op == OP_DELETE) {
		x->live = 0;
		e->version = -1;
		return;
	}
	snprintf(x->name, sizeof(x->name), "%s", m->name);
	e->version = x->version;
}

/* Checks one result against the model's expectation. */
static void
check_result(unsigned long seed, const mut *m, const cJSON *res, const expect *e)
{
	char *text = cJSON_PrintUnformatted(res);
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(res, "error");
	const cJSON *srv = cJSON_GetObjectItemCaseSensitive(res, "server");
	const cJSON *errors = cJSON_GetObjectItemCaseSensitive(err, "errors");
	ck_assert_msg(streq(jstr(res, "mutation_id"), m->mid) && streq(jstr(res, "status"), e->status)
	              && streq(jstr(res, "id"), m->id),
	              "seed %lu: %s %s: expected %s (%s %s), got %s", seed, ent_name[m->ent], m->mid,
	              e->status, e->code ? e->code : "", e->field, text);
	if (e->version >= 0)
		ck_assert_msg(jint(res, "version") == (e->version ? e->version : -999999),
		              "seed %lu: expected version %d: %s", seed, e->version, text);
	if (streq(e->status, "conflict"))
		ck_assert_msg(cJSON_IsObject(srv) && streq(jstr(srv, "id"), m->id) &&
		              jint(srv, "version") == e->server_version &&
		              streq(jstr(srv, "name"), e->server_name) && err == NULL,
		              "seed %lu: expected the server's copy v%d %s: %s", seed, e->server_version,
		              e->server_name, text);
	if (streq(e->status, "rejected"))
		ck_assert_msg(streq(jstr(err, "code"), e->code) &&
		              (e->field[0] == '\0' ||
		               streq(jstr(cJSON_GetArrayItem(errors, 0), "field"), e->field)),
		              "seed %lu: expected %s %s: %s", seed, e->code, e->field, text);
	if (streq(e->status, "applied"))
		ck_assert_msg(err == NULL && srv == NULL, "seed %lu: %s", seed, text);
	free(text);
}

/* ---- the devices' offline edits */

enum {
	K_CAT_NEW, K_CAT_EDIT, K_CAT_DEL, K_PROD_NEW, K_PROD_EDIT, K_PROD_DEL,
	K_CUST_NEW, K_CUST_EDIT, K_CUST_DEL, K_SALE, NKINDS
};

/* A random record of v: live, of entity ent, not kept (unless keep_ok),
 * with stock when need_stock; NULL when there is none. */
static mrec *
pick(rng *r, model *v, int ent, int keep_ok, int need_stock)
{
	int idx[MAXREC], n = 0;
	for (int i = 0; i < v->n; i++)
		if (v->r[i].ent == ent && v->r[i].live && (keep_ok || !v->r[i].keep) &&
		    (!need_stock || v->r[i].stock >= 1))
			idx[n++] = i;
	return n ? &v->r[idx[rng_below(r, n)]] : NULL;
}

/* A deletable category of the device's own making: no product of its view in it. */
static mrec *
pick_own_empty_category(rng *r, device *d)
{
	int idx[MAXREC], n = 0;
	for (int i = 0; i < d->view.n; i++) {
		const mrec *c = &d->view.r[i];
		int used = 0;
		for (int j = 0; j < d->view.n && !used; j++)
			used = d->view.r[j].ent == E_PROD && d->view.r[j].live &&
			       strcmp(d->view.r[j].cat, c->id) == 0;
		if (c->ent == E_CAT && c->live && c->owner == d->tag && !used)
			idx[n++] = i;
	}
	return n ? &d->view.r[idx[rng_below(r, n)]] : NULL;
}

/* Queues a new mutation of d (its view changed by edit) and returns it. */
static mut *
queue(device *d, rng *r, int ent, int op, const char *id)
{
	ck_assert_int_lt(d->nq, MAXMUT);
	mut *m = &d->q[d->nq++];
	memset(m, 0, sizeof(*m));
	rng_uuid(r, m->mid);
	m->ent = ent;
	m->op = op;
	if (id != NULL)
		snprintf(m->id, sizeof(m->id), "%s", id);
	else
		rng_uuid(r, m->id);
	return m;
}

/* An offline change of record x: update (its view's version sent as the
 * base, then raised, as the device expects the server to) or delete. */
static void
edit(device *d, rng *r, unsigned long seed, mrec *x, int op)
{
	mut *m = queue(d, r, x->ent, op, x->id);
	m->base = x->version;
	x->version++;
	if (op == OP_DELETE) {
		x->live = 0;
		return;
	}
	snprintf(m->name, sizeof(m->name), "S%lu %c %s edit %d", seed, d->tag, ent_name[x->ent],
	         ++d->made);
	snprintf(x->name, sizeof(x->name), "%s", m->name);
	m->price = 1000 + 100 * rng_below(r, 50);
}

/* A new record made offline. */
static void
create(device *d, rng *r, unsigned long seed, int ent)
{
	mut *m = queue(d, r, ent, OP_CREATE, NULL);
	snprintf(m->name, sizeof(m->name), "S%lu %c new %s %d", seed, d->tag, ent_name[ent], ++d->made);
	m->price = 500 + 100 * rng_below(r, 50);
	mrec *cat = ent == E_PROD && rng_below(r, 3) ? pick(r, &d->view, E_CAT, 1, 0) : NULL;
	if (cat != NULL)
		snprintf(m->cat, sizeof(m->cat), "%s", cat->id);
	mrec *x = model_add(&d->view, ent, m->id, m->name, d->tag);
	snprintf(x->cat, sizeof(x->cat), "%s", m->cat);
}

/* A cash sale paid in full of 1 unit each of 1-2 products the device
 * believes in stock (or P0's last unit), to a customer or none. */
static int
sell(device *d, rng *r, int p0)
{
	mrec *p[2] = {p0 ? pick(r, &d->view, E_PROD, 1, 1) : pick(r, &d->view, E_PROD, 0, 1), NULL};
	if (p0)
		for (int i = 0; i < d->view.n; i++)
			if (d->view.r[i].ent == E_PROD && d->view.r[i].keep)
				p[0] = &d->view.r[i];
	if (p[0] == NULL)
		return 0;
	if (!p0 && rng_below(r, 2) && (p[1] = pick(r, &d->view, E_PROD, 0, 1)) == p[0])
		p[1] = NULL;
	mut *m = queue(d, r, E_INV, OP_CREATE, NULL);
	m->p0 = p0;
	for (int i = 0; i < 2 && p[i] != NULL; i++) {
		snprintf(m->pid[m->nlines], ID_LEN, "%s", p[i]->id);
		m->unit[m->nlines++] = 700 + 10 * rng_below(r, 100);
		p[i]->stock--;
	}
	mrec *c = !p0 && rng_below(r, 2) ? pick(r, &d->view, E_CUST, 1, 0) : NULL;
	if (c != NULL)
		snprintf(m->cust, sizeof(m->cust), "%s", c->id);
	return 1;
}

/* One random offline edit of kind k; 0 when the view offers no target. */
static int
offline_edit(device *d, rng *r, unsigned long seed, int k)
{
	static const int ents[NKINDS] = {E_CAT, E_CAT, E_CAT, E_PROD, E_PROD, E_PROD,
	                                 E_CUST, E_CUST, E_CUST, E_INV};
	mrec *x;
	switch (k) {
	case K_CAT_NEW: case K_PROD_NEW: case K_CUST_NEW:
		create(d, r, seed, ents[k]);
		return 1;
	case K_CAT_EDIT: case K_PROD_EDIT: case K_CUST_EDIT:
		if ((x = pick(r, &d->view, ents[k], ents[k] == E_CUST, 0)) == NULL)
			return 0;
		edit(d, r, seed, x, OP_UPDATE);
		return 1;
	case K_CAT_DEL:     /* one of its own without products, or any (maybe in use) */
		if ((x = rng_below(r, 2) ? pick_own_empty_category(r, d) :
		         pick(r, &d->view, E_CAT, 1, 0)) == NULL)
			return 0;
		edit(d, r, seed, x, OP_DELETE);
		return 1;
	case K_PROD_DEL: case K_CUST_DEL:
		if ((x = pick(r, &d->view, ents[k], 0, 0)) == NULL)
			return 0;
		edit(d, r, seed, x, OP_DELETE);
		return 1;
	default:            /* K_SALE and above: a sale is the likeliest edit */
		return sell(d, r, 0);
	}
}

/* The device's offline session: 2-5 random edits, P0's last unit sold and
 * C0 renamed, each at a random place. */
static void
go_offline(device *d, rng *r, unsigned long seed)
{
	int n = 2 + rng_below(r, 4), at_p0 = rng_below(r, n + 1), at_c0 = rng_below(r, n + 1);
	d->nq = 0;
	for (int i = 0; i <= n; i++) {
		if (i == at_p0)
			ck_assert(sell(d, r, 1));
		if (i == at_c0)
			for (int j = 0; j < d->view.n; j++)
				if (d->view.r[j].ent == E_CUST && d->view.r[j].keep)
					edit(d, r, seed, &d->view.r[j], OP_UPDATE);
		for (int tries = 0; i < n && tries < 20; tries++)
			if (offline_edit(d, r, seed, rng_below(r, NKINDS + 3)))
				break;
	}
}

/* ---- one seed */

/* The seed's world, made online through the API by device a: categories
 * 0 and 1; P0 (1 in stock, none of the devices may change it but by
 * selling), P1 in category 0 (2 in stock), P2 in category 1 (1); customers
 * C0 (renamed by both devices) and C1. */
static void
make_world(sim_biz *z, unsigned long seed, model *w)
{
	const bt_session *s = &z->a.s;
	static const long stock[3] = {1, 2, 1};
	char id[ID_LEN], name[64], body[256];
	memset(w, 0, sizeof(*w));
	w->next_number = z->next_number;
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "S%lu world category %d", seed, i);
		snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
		bt_create(s, "/api/v1/categories", body, id);
		model_add(w, E_CAT, id, name, 'W');
	}
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "S%lu world product %d", seed, i);
		snprintf(body, sizeof(body), "{\"name\":\"%s\",\"price\":%d,\"cost\":300%s%s%s}", name,
		         1000 + i, i ? ",\"category_id\":\"" : "", i ? w->r[i - 1].id : "", i ? "\"" : "");
		bt_create(s, "/api/v1/products", body, id);
		bt_stock_in(s, id, stock[i]);
		mrec *p = model_add(w, E_PROD, id, name, 'W');
		p->stock = stock[i];
		p->keep = i == 0;
		if (i)
			snprintf(p->cat, sizeof(p->cat), "%s", w->r[i - 1].id);
	}
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "S%lu world customer %d", seed, i);
		bt_customer_new(s, name, NULL, id);
		model_add(w, E_CUST, id, name, 'W')->keep = i == 0;
	}
}

/* What the seeds' results were, for the summary line. */
static struct {
	long mutations, applied, conflict, insufficient, not_found, unknown, in_use;
} tally;

/* Counts a result the model expected. */
static void
tally_result(const expect *e)
{
	tally.mutations++;
	tally.applied += streq(e->status, "applied");
	tally.conflict += streq(e->status, "conflict");
	tally.insufficient += streq(e->code, "insufficient_stock");
	tally.not_found += streq(e->code, "not_found");
	tally.unknown += streq(e->code, "validation_failed");
	tally.in_use += streq(e->code, "in_use");
}

/* Pushes d's queue [from, to) and checks each result against the model. */
static void
push_slice(device *d, int from, int to, model *w, unsigned long seed, int *p0_applied,
           int *conflicts)
{
	if (from >= to)
		return;
	sbuf b = {0};
	sb_printf(&b, "{\"mutations\":[");
	for (int i = from; i < to; i++) {
		if (i > from)
			sb_printf(&b, ",");
		mut_json(&d->q[i], &b);
	}
	sb_printf(&b, "]}");
	bt_resp r = push(&d->s, b.s, to - from);
	for (int i = from; i < to; i++) {
		expect e;
		const mut *m = &d->q[i];
		model_apply(w, m, &e);
		check_result(seed, m, cJSON_GetArrayItem(bt_at(&r, "results"), i - from), &e);
		tally_result(&e);
		if (m->p0 && streq(e.status, "applied"))
			(*p0_applied)++;
		if (m->p0 && !streq(e.status, "applied"))
			ck_assert_msg(streq(e.code, "insufficient_stock") && streq(e.field, "lines[0].qty"),
			              "seed %lu: the second sale of P0's last unit: %s", seed, e.code);
		*conflicts += streq(e.status, "conflict");
	}
	bt_free(&r);
	sb_free(&b);
}

/* The pushes in the seed's order: a then b, b then a, or a's first part,
 * then b, then the rest of a's. */
static void
push_all(sim_biz *z, rng *r, model *w, unsigned long seed)
{
	int p0 = 0, conflicts = 0, order = rng_below(r, 3), cut = rng_below(r, z->a.nq + 1);
	device *first = order == 1 ? &z->b : &z->a, *second = order == 1 ? &z->a : &z->b;
	if (order == 2) {
		push_slice(&z->a, 0, cut, w, seed, &p0, &conflicts);
		push_slice(&z->b, 0, z->b.nq, w, seed, &p0, &conflicts);
		push_slice(&z->a, cut, z->a.nq, w, seed, &p0, &conflicts);
	} else {
		push_slice(first, 0, first->nq, w, seed, &p0, &conflicts);
		push_slice(second, 0, second->nq, w, seed, &p0, &conflicts);
	}
	ck_assert_msg(p0 == 1, "seed %lu: P0's last unit sold %d times", seed, p0);
	ck_assert_msg(conflicts >= 1, "seed %lu: no stale update came back as a conflict", seed);
}

/* Compares list item it with record data: equal, but an invoice item has
 * line_count where the record has lines. */
static int
same_record(int ent, const cJSON *it, const cJSON *data)
{
	if (ent != E_INV)
		return cJSON_Compare(it, data, 1);
	const cJSON *m;
	int n = 0;
	cJSON_ArrayForEach(m, it) {
		n++;
		if (strcmp(m->string, "line_count") == 0) {
			if (jint(it, "line_count") != cJSON_GetArraySize(
			        cJSON_GetObjectItemCaseSensitive(data, "lines")))
				return 0;
		} else if (!cJSON_Compare(m, cJSON_GetObjectItemCaseSensitive(data, m->string), 1)) {
			return 0;
		}
	}
	return n == cJSON_GetArraySize(data);
}

/* The device's replica holds exactly the server's records of entity ent (items). */
static void
check_replica(unsigned long seed, const device *d, int ent, const cJSON *items)
{
	const cJSON *it;
	replica *rp = (replica *)&d->rp;
	ck_assert_msg(replica_count(rp, ent_name[ent]) == cJSON_GetArraySize(items),
	              "seed %lu: device %c holds %d %ss, the server %d", seed, d->tag,
	              replica_count(rp, ent_name[ent]), ent_name[ent], cJSON_GetArraySize(items));
	cJSON_ArrayForEach(it, items) {
		rec *x = replica_find(rp, ent_name[ent], jstr(it, "id"));
		char *want = cJSON_PrintUnformatted(it);
		char *got = x ? cJSON_PrintUnformatted(x->data) : NULL;
		ck_assert_msg(x != NULL && same_record(ent, it, x->data),
		              "seed %lu: device %c's %s differs:\n server %s\n device %s", seed, d->tag,
		              ent_name[ent], want, got ? got : "(none)");
		free(want);
		free(got);
	}
}

/* The model's records of this seed against the server's lists: live ones
 * listed with the model's version, name and stock; deleted ones gone;
 * each issued invoice as its GET, with the model's number. */
static void
check_model(unsigned long seed, sim_biz *z, const model *w, cJSON *const *lists)
{
	char path[128];
	for (int i = 0; i < w->n; i++) {
		const mrec *x = &w->r[i];
		const cJSON *it = by_id(lists[x->ent], x->id);
		char *text = it ? cJSON_PrintUnformatted(it) : NULL;
		ck_assert_msg((it != NULL) == x->live, "seed %lu: %s %s is %s on the server", seed,
		              ent_name[x->ent], x->id, it ? "live" : "gone");
		if (it != NULL && x->ent != E_INV)
			ck_assert_msg(jint(it, "version") == x->version && streq(jstr(it, "name"), x->name) &&
			              (x->ent != E_PROD || jint(it, "stock_qty") == x->stock),
			              "seed %lu: expected v%d %s stock %ld: %s", seed, x->version, x->name,
			              x->stock, text);
		free(text);
		if (x->ent != E_INV)
			continue;
		snprintf(path, sizeof(path), "/api/v1/invoices/%s", x->id);
		bt_resp r = bt_get_ok(&z->a.s, path);
		ck_assert_msg(bt_at_int(&r, "number") == x->number, "seed %lu: invoice number %ld: %s",
		              seed, x->number, r.body);
		for (int k = 0; k < 2; k++) {
			device *d = k ? &z->b : &z->a;
			rec *got = replica_find(&d->rp, "invoice", x->id);
			ck_assert_msg(got != NULL && cJSON_Compare(got->data, r.json, 1),
			              "seed %lu: device %c's invoice differs from its GET %s", seed, d->tag,
			              r.body);
		}
		bt_free(&r);
	}
	const cJSON *p0 = by_id(lists[E_PROD], w->r[2].id);
	ck_assert_msg(p0 != NULL && jint(p0, "stock_qty") == 0 && jint(p0, "available_qty") == 0,
	              "seed %lu: P0 is not at exactly 0 in stock", seed);
}

/* Both devices pull until done, then hold exactly what the server lists. */
static void
converge(sim_biz *z, rng *r, const model *w, unsigned long seed)
{
	static const int limits[3] = {3, 17, 500};
	cJSON *lists[NENT];
	replica_sync(&z->a.s, &z->a.rp, limits[rng_below(r, 3)]);
	replica_sync(&z->b.s, &z->b.rp, limits[rng_below(r, 3)]);
	for (int e = 0; e < NENT; e++) {
		lists[e] = list_all(&z->a.s, ent_path[e]);
		check_replica(seed, &z->a, e, lists[e]);
		check_replica(seed, &z->b, e, lists[e]);
	}
	check_model(seed, z, w, lists);
	for (int e = 0; e < NENT; e++)
		cJSON_Delete(lists[e]);
}

/* The seed's run: world, snapshots, offline edits, pushes, pulls, checks. */
static void
sim_seed(sim_biz *z, unsigned long seed)
{
	rng r;
	model w;
	rng_seed(&r, seed);
	make_world(z, seed, &w);
	for (int k = 0; k < 2; k++) {
		device *d = k ? &z->b : &z->a;
		replica_free(&d->rp);
		replica_sync(&d->s, &d->rp, 500);
		for (int i = 0; i < w.n; i++) {
			rec *x = replica_find(&d->rp, ent_name[w.r[i].ent], w.r[i].id);
			ck_assert_msg(x != NULL && jint(x->data, "version") == 1,
			              "seed %lu: device %c's snapshot lacks %s %s", seed, d->tag,
			              ent_name[w.r[i].ent], w.r[i].id);
		}
		d->view = w;
		d->made = 0;
		go_offline(d, &r, seed);
	}
	push_all(z, &r, &w, seed);
	z->next_number = w.next_number;
	converge(z, &r, &w, seed);
}

/* The seed being run, in memory shared with main (Check runs each test in
 * a child process): main names it when the child ended in the middle of it. */
static volatile unsigned long *running_seed;

/* The seeds to run: BAHI_SYNC_SEED (one), else 1..BAHI_SYNC_SEEDS (default
 * 200). 0, or -1 when a variable is not a positive number. */
static int
sim_seeds(unsigned long *first, unsigned long *last)
{
	const char *one = getenv("BAHI_SYNC_SEED"), *many = getenv("BAHI_SYNC_SEEDS");
	const char *v = one != NULL && *one ? one : many != NULL && *many ? many : "200";
	char *end;
	unsigned long n = strtoul(v, &end, 10);
	if (*end != '\0' || n == 0)
		return -1;
	*first = v == one ? n : 1;
	*last = n;
	return 0;
}

#define SEEDS_PER_BUSINESS 10

/* a: two sign-ins of one owner, offline from one snapshot, converge after pushing. */
START_TEST(two_devices_converge)
{
	unsigned long first, last;
	time_t started = time(NULL);
	sim_biz *z = calloc(1, sizeof(*z));
	ck_assert_ptr_nonnull(z);
	ck_assert_msg(sim_seeds(&first, &last) == 0,
	              "BAHI_SYNC_SEED and BAHI_SYNC_SEEDS must be positive numbers");
	for (unsigned long seed = first; seed <= last; seed++) {
		if (z->seeds % SEEDS_PER_BUSINESS == 0) {
			replica_free(&z->a.rp);
			replica_free(&z->b.rp);
			memset(z, 0, sizeof(*z));
			bt_signup(&z->a.s);
			bt_second_device(&z->a.s, &z->b.s);
			z->a.tag = 'A';
			z->b.tag = 'B';
			z->next_number = 1;
		}
		z->seeds++;
		*running_seed = seed;
		sim_seed(z, seed);
	}
	*running_seed = 0;
	fprintf(stderr, "check_sync: seeds %lu..%lu in %lds: %ld mutations, %ld applied, %ld"
	        " conflicts; rejected: %ld insufficient_stock, %ld not_found, %ld validation_failed"
	        " (a deleted product, customer or category), %ld in_use\n", first, last,
	        (long)(time(NULL) - started), tally.mutations, tally.applied, tally.conflict,
	        tally.insufficient, tally.not_found, tally.unknown, tally.in_use);
	replica_free(&z->a.rp);
	replica_free(&z->b.rp);
	free(z);
}
END_TEST

/* ---- b: pulls while 8 writers commit and roll back */

#define WRITERS 8
#define TX_PER_WRITER 12

typedef struct writer {
	pthread_t t;
	const char *business;
	uint64_t seed;
	char committed[TX_PER_WRITER * 3][ID_LEN], rolled[TX_PER_WRITER * 3][ID_LEN];
	int ncommitted, nrolled;
	char err[512];
} writer;

static atomic_int writers_running;

/* Runs sql on c; 0, or -1 with the error in w->err. */
static int
w_exec(writer *w, PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		snprintf(w->err, sizeof(w->err), "%.60s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
	return w->err[0] ? -1 : 0;
}

/* One writer's transaction: the tenant, a pause, the production change-log
 * write of n category rows, a pause, commit (or 1 in 10: roll back). */
static int
w_transaction(writer *w, PGconn *c, rng *r)
{
	int n = 1 + rng_below(r, 3), rollback = rng_below(r, 10) == 0;
	char ids[3][ID_LEN], count[4], ents[64] = "{", idarr[160] = "{", ops[64] = "{", vers[16] = "{";
	for (int i = 0; i < n; i++) {
		rng_uuid(r, ids[i]);
		const char *sep = i + 1 < n ? "," : "}";
		snprintf(ents + strlen(ents), sizeof(ents) - strlen(ents), "category%s", sep);
		snprintf(idarr + strlen(idarr), sizeof(idarr) - strlen(idarr), "%s%s", ids[i], sep);
		snprintf(ops + strlen(ops), sizeof(ops) - strlen(ops), "upsert%s", sep);
		snprintf(vers + strlen(vers), sizeof(vers) - strlen(vers), "1%s", sep);
	}
	snprintf(count, sizeof(count), "%d", n);
	const char *tenant[1] = {w->business};
	const char *p[6] = {w->business, count, ents, idarr, ops, vers};
	if (w_exec(w, c, "BEGIN", 0, NULL) != 0 ||
	    w_exec(w, c, "SELECT set_config('app.business_id', $1, true)", 1, tenant) != 0)
		return -1;
	usleep((useconds_t)rng_below(r, 30001));
	if (w_exec(w, c, bahi_changelog_write_sql(n), 6, p) != 0)
		return -1;
	usleep((useconds_t)rng_below(r, 30001));
	if (w_exec(w, c, rollback ? "ROLLBACK" : "COMMIT", 0, NULL) != 0)
		return -1;
	for (int i = 0; i < n; i++)
		memcpy(rollback ? w->rolled[w->nrolled++] : w->committed[w->ncommitted++], ids[i], ID_LEN);
	return 0;
}

static void *
writer_run(void *arg)
{
	writer *w = arg;
	rng r;
	rng_seed(&r, w->seed);
	PGconn *c = PQconnectdb(bt_get()->app_url);
	if (PQstatus(c) != CONNECTION_OK)
		snprintf(w->err, sizeof(w->err), "connect: %s", PQerrorMessage(c));
	for (int t = 0; t < TX_PER_WRITER && !w->err[0]; t++)
		w_transaction(w, c, &r);
	PQfinish(c);
	atomic_fetch_sub(&writers_running, 1);
	return NULL;
}

/* A pulled change: seq, entity and id. */
typedef struct seen {
	long seq;
	char entity[24], id[ID_LEN];
} seen;

/* Pulls after cursor until the writers are done and a pull says no more;
 * appends every change to out (*n of them). */
static void
pull_while_writing(const bt_session *s, char *cursor, size_t size, seen *out, int *n, int max)
{
	rng r;
	rng_seed(&r, 4242);
	for (int pulls = 0;; pulls++) {
		int done = atomic_load(&writers_running) == 0;
		ck_assert_int_lt(pulls, 100000);
		bt_resp p = pull(s, cursor, 1 + rng_below(&r, 12));
		check_page(&p);
		const cJSON *c;
		cJSON_ArrayForEach(c, bt_at(&p, "changes")) {
			check_change(c);
			ck_assert_int_lt(*n, max);
			out[*n].seq = jint(c, "seq");
			snprintf(out[*n].entity, sizeof(out[*n].entity), "%s", jstr(c, "entity"));
			snprintf(out[*n].id, sizeof(out[*n].id), "%s", jstr(c, "id"));
			ck_assert_msg(streq(jstr(c, "op"), "upsert") && jint(c, "version") == 1 &&
			              cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c, "data")),
			              "not a writer's change: %s", p.body);
			(*n)++;
		}
		snprintf(cursor, size, "%s", bt_at_str(&p, "next_cursor"));
		int more = cJSON_IsTrue(bt_at(&p, "has_more"));
		bt_free(&p);
		if (done && !more)
			return;
		if (!more)
			usleep(3000);
	}
}

/* 1 when id is among the n ids of list. */
static int
id_in(const char (*list)[ID_LEN], int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], id) == 0)
			return 1;
	return 0;
}

/* The pulled changes are exactly the change log after first: consecutive,
 * each once, the writers' committed rows and none of their rolled-back ones. */
static void
check_pulled(const char *business, long first, const seen *got, int n, writer *w)
{
	char from[24];
	snprintf(from, sizeof(from), "%ld", first);
	const char *p[2] = {business, from};
	PGconn *c = bt_db(bt_get()->super_url);
	PGresult *res = bt_sql(c, "SELECT seq, entity, entity_id FROM change_entries"
	                       " WHERE business_id = $1 AND seq > $2::bigint ORDER BY seq", 2, p);
	int committed = 0, rolled = 0;
	for (int k = 0; k < WRITERS; k++) {
		ck_assert_msg(w[k].err[0] == '\0', "writer %d: %s", k, w[k].err);
		committed += w[k].ncommitted;
		rolled += w[k].nrolled;
	}
	ck_assert_int_gt(rolled, 0);
	ck_assert_int_eq(PQntuples(res), committed);
	ck_assert_msg(n == committed, "pulled %d changes, %d committed", n, committed);
	for (int i = 0; i < n; i++) {
		ck_assert_msg(got[i].seq == first + 1 + i, "pulled seq %ld at %d (from %ld): a gap or"
		              " a repeat", got[i].seq, i, first);
		ck_assert_int_eq(strtol(PQgetvalue(res, i, 0), NULL, 10), got[i].seq);
		ck_assert_str_eq(PQgetvalue(res, i, 1), got[i].entity);
		ck_assert_str_eq(PQgetvalue(res, i, 2), got[i].id);
		int mine = 0;
		for (int k = 0; k < WRITERS; k++) {
			mine |= id_in((const char (*)[ID_LEN])w[k].committed, w[k].ncommitted, got[i].id);
			ck_assert_msg(!id_in((const char (*)[ID_LEN])w[k].rolled, w[k].nrolled, got[i].id),
			              "a rolled-back write was pulled: %s", got[i].id);
		}
		ck_assert_msg(mine, "pulled %s, which no writer committed", got[i].id);
	}
	PQclear(res);
	res = bt_sql(c, "SELECT value FROM business_counters WHERE business_id = $1"
	             " AND name = 'change_seq'", 1, p);
	ck_assert_int_eq(strtol(PQgetvalue(res, 0, 0), NULL, 10), first + n);
	PQclear(res);
	PQfinish(c);
}

START_TEST(pull_under_concurrent_writers)
{
	bt_session s;
	replica rp = {0};
	bt_signup(&s);
	replica_sync(&s, &rp, 500);
	long first = rp.seq;
	ck_assert_int_ge(first, 2);
	writer *w = calloc(WRITERS, sizeof(*w));
	seen *got = calloc(WRITERS * TX_PER_WRITER * 3 + 1, sizeof(*got));
	int n = 0;
	ck_assert(w != NULL && got != NULL);
	atomic_store(&writers_running, WRITERS);
	for (int k = 0; k < WRITERS; k++) {
		w[k].business = s.business_id;
		w[k].seed = 1000 + (uint64_t)k;
		ck_assert_int_eq(pthread_create(&w[k].t, NULL, writer_run, &w[k]), 0);
	}
	pull_while_writing(&s, rp.cursor, sizeof(rp.cursor), got, &n, WRITERS * TX_PER_WRITER * 3);
	for (int k = 0; k < WRITERS; k++)
		pthread_join(w[k].t, NULL);
	check_pulled(s.business_id, first, got, n, w);
	free(got);
	free(w);
	replica_free(&rp);
}
END_TEST

/* ---- c: a batch pushed twice */

/* What a replayed push must leave alone, as one string. */
static char *
push_state(const char *business)
{
	const char *p[1] = {business};
	char *v = bt_super_value(
		"SELECT concat_ws('/',"
		" (SELECT count(*) || ':' || COALESCE(max(seq), 0) FROM change_entries WHERE business_id = $1),"
		" (SELECT count(*) || ':' || sum(version) FROM categories WHERE business_id = $1),"
		" (SELECT count(*) || ':' || sum(version) || ':' || sum(stock_qty) FROM products"
		"  WHERE business_id = $1),"
		" (SELECT count(*) || ':' || sum(version) FROM customers WHERE business_id = $1),"
		" (SELECT count(*) FROM invoices WHERE business_id = $1),"
		" (SELECT count(*) FROM stock_ledger WHERE business_id = $1),"
		" (SELECT count(*) || ':' || string_agg(status, ',' ORDER BY mutation_id)"
		"  FROM sync_mutations WHERE business_id = $1))", 1, p);
	ck_assert_ptr_nonnull(v);
	return v;
}

/* The mutation ids of the replay test: m1..m7. */
static const char *const replay_ids[7] = {
	"0190a2b3-0000-7000-8000-00000000c001", "0190a2b3-0000-7000-8000-00000000c002",
	"0190a2b3-0000-7000-8000-00000000c003", "0190a2b3-0000-7000-8000-00000000c004",
	"0190a2b3-0000-7000-8000-00000000c005", "0190a2b3-0000-7000-8000-00000000c006",
	"0190a2b3-0000-7000-8000-00000000c007",
};

START_TEST(replayed_batch_is_duplicate)
{
	bt_session s;
	char p[ID_LEN], cat[ID_LEN], cust[ID_LEN], prod[ID_LEN], inv[ID_LEN], body[4096];
	bt_signup(&s);
	bt_product_stocked(&s, "Replay stock", 1000, 500, 5, p);
	bahi_uuid_v7(cat);
	bahi_uuid_v7(cust);
	bahi_uuid_v7(prod);
	bahi_uuid_v7(inv);
	const char *const *m = replay_ids;
	snprintf(body, sizeof(body), "{\"mutations\":["
	         "{\"mutation_id\":\"%s\",\"entity\":\"category\",\"op\":\"create\",\"id\":\"%s\","
	         "\"data\":{\"name\":\"Replay cat\"}},"
	         "{\"mutation_id\":\"%s\",\"entity\":\"customer\",\"op\":\"create\",\"id\":\"%s\","
	         "\"data\":{\"name\":\"Replay customer\"}},"
	         "{\"mutation_id\":\"%s\",\"entity\":\"product\",\"op\":\"create\",\"id\":\"%s\","
	         "\"data\":{\"name\":\"Replay product\",\"price\":700,\"category_id\":\"%s\"}},"
	         "{\"mutation_id\":\"%s\",\"entity\":\"category\",\"op\":\"update\",\"id\":\"%s\","
	         "\"base_version\":1,\"data\":{\"name\":\"Replay cat 2\"}},"
	         "{\"mutation_id\":\"%s\",\"entity\":\"invoice\",\"op\":\"create\",\"id\":\"%s\","
	         "\"data\":{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\",\"qty\":2}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":2000}},"
	         "{\"mutation_id\":\"%s\",\"entity\":\"product\",\"op\":\"update\",\"id\":\"%s\","
	         "\"data\":{\"name\":\"Nobody\"}},"
	         "{\"mutation_id\":\"%s\",\"entity\":\"product\",\"op\":\"update\",\"id\":\"%s\","
	         "\"base_version\":7,\"data\":{\"name\":\"Stale\"}}]}",
	         m[0], cat, m[1], cust, m[2], prod, cat, m[3], cat, m[4], inv, cust, p, m[5], NOBODY,
	         m[6], p);
	static const char *const first[7] = {"applied", "applied", "applied", "applied", "applied",
	                                     "rejected", "conflict"};
	bt_resp r = push(&s, body, 7);
	for (int i = 0; i < 7; i++)
		ck_assert_msg(streq(jstr(cJSON_GetArrayItem(bt_at(&r, "results"), i), "status"), first[i]) &&
		              streq(jstr(cJSON_GetArrayItem(bt_at(&r, "results"), i), "mutation_id"), m[i]),
		              "result %d: expected %s: %s", i, first[i], r.body);
	ck_assert_str_eq(bt_at_str(&r, "results.5.error.code"), "not_found");
	ck_assert_int_eq(bt_at_int(&r, "results.6.server.version"), 1);
	bt_free(&r);
	char *before = push_state(s.business_id);
	for (int round = 0; round < 2; round++) {
		r = push(&s, body, 7);
		for (int i = 0; i < 7; i++) {
			const cJSON *x = cJSON_GetArrayItem(bt_at(&r, "results"), i);
			ck_assert_msg(streq(jstr(x, "mutation_id"), m[i]) && streq(jstr(x, "status"), "duplicate"),
			              "replay %d, result %d: %s", round, i, r.body);
		}
		bt_free(&r);
		char *now = push_state(s.business_id);
		ck_assert_msg(strcmp(now, before) == 0, "a replay changed %s into %s", before, now);
		free(now);
	}
	free(before);
	/* an old mutation with a new one: the old is a duplicate, the new applies */
	snprintf(body, sizeof(body), "{\"mutations\":["
	         "{\"mutation_id\":\"%s\",\"entity\":\"category\",\"op\":\"create\",\"id\":\"%s\","
	         "\"data\":{\"name\":\"Replay cat\"}},"
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000c008\",\"entity\":\"category\","
	         "\"op\":\"update\",\"id\":\"%s\",\"base_version\":2,\"data\":{\"name\":\"Replay cat 3\"}}]}",
	         m[0], cat, cat);
	r = push(&s, body, 2);
	ck_assert_str_eq(bt_at_str(&r, "results.0.status"), "duplicate");
	ck_assert_str_eq(bt_at_str(&r, "results.1.status"), "applied");
	ck_assert_int_eq(bt_at_int(&r, "results.1.version"), 3);
	bt_free(&r);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/categories/%s", cat);
	r = bt_get_ok(&s, path);
	ck_assert_str_eq(bt_str(&r, "name"), "Replay cat 3");
	bt_free(&r);
}
END_TEST

/* One of the concurrent pushers: the same body, its answer kept. */
typedef struct pusher {
	pthread_t t;
	const bt_session *s;
	const char *body;
	long status;
	char results[4][16];
} pusher;

static void *
pusher_run(void *arg)
{
	pusher *p = arg;
	bt_resp r = bt_json("POST", PUSH, p->s->access, p->body);
	p->status = r.status;
	for (int i = 0; i < 4; i++)
		snprintf(p->results[i], sizeof(p->results[i]), "%s",
		         jstr(cJSON_GetArrayItem(bt_at(&r, "results"), i), "status") ?
		         jstr(cJSON_GetArrayItem(bt_at(&r, "results"), i), "status") : "(none)");
	bt_free(&r);
	return NULL;
}

/* The same batch pushed by four devices' threads at once: each mutation
 * applied exactly once, every other answer a duplicate. */
START_TEST(concurrent_replays_apply_once)
{
	bt_session s;
	char p[ID_LEN], cat[ID_LEN], cust[ID_LEN], inv[ID_LEN], body[2048];
	pusher th[4];
	bt_signup(&s);
	bt_product_stocked(&s, "Raced", 1000, 500, 3, p);
	bahi_uuid_v7(cat);
	bahi_uuid_v7(cust);
	bahi_uuid_v7(inv);
	snprintf(body, sizeof(body), "{\"mutations\":["
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000b001\",\"entity\":\"category\","
	         "\"op\":\"create\",\"id\":\"%s\",\"data\":{\"name\":\"Raced cat\"}},"
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000b002\",\"entity\":\"customer\","
	         "\"op\":\"create\",\"id\":\"%s\",\"data\":{\"name\":\"Raced customer\"}},"
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000b003\",\"entity\":\"invoice\","
	         "\"op\":\"create\",\"id\":\"%s\",\"data\":{\"lines\":[{\"product_id\":\"%s\","
	         "\"qty\":2}],\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":2000}},"
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000b004\",\"entity\":\"category\","
	         "\"op\":\"update\",\"id\":\"%s\",\"base_version\":1,"
	         "\"data\":{\"name\":\"Raced cat 2\"}}]}", cat, cust, inv, p, cat);
	for (int i = 0; i < 4; i++) {
		th[i].s = &s;
		th[i].body = body;
		ck_assert_int_eq(pthread_create(&th[i].t, NULL, pusher_run, &th[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i].t, NULL);
	for (int m = 0; m < 4; m++) {
		int applied = 0, dup = 0;
		for (int i = 0; i < 4; i++) {
			ck_assert_int_eq(th[i].status, 200);
			applied += strcmp(th[i].results[m], "applied") == 0;
			dup += strcmp(th[i].results[m], "duplicate") == 0;
		}
		ck_assert_msg(applied == 1 && dup == 3, "mutation %d: %d applied, %d duplicates (%s %s"
		              " %s %s)", m, applied, dup, th[0].results[m], th[1].results[m],
		              th[2].results[m], th[3].results[m]);
	}
	const char *q[2] = {s.business_id, p};
	char *v = bt_super_value("SELECT (SELECT count(*) FROM invoices WHERE business_id = $1) || ' '"
	                         " || (SELECT trim_scale(stock_qty) FROM products WHERE business_id = $1"
	                         "  AND id = $2) || ' ' || (SELECT string_agg(name || ' v' || version, ',')"
	                         "  FROM categories WHERE business_id = $1) || ' ' || (SELECT count(*)"
	                         "  FROM customers WHERE business_id = $1)", 2, q);
	ck_assert_str_eq(v, "1 1 Raced cat 2 v2 1");
	free(v);
}
END_TEST

/* A first pull paged 4 at a time while another device creates, renames and
 * deletes categories between its pages: once done, the replica holds
 * exactly the server's categories. */
START_TEST(snapshot_while_edited)
{
	bt_session s, other;
	char ids[40][ID_LEN], body[128], path[128];
	int live[40] = {0}, n = 0;
	replica rp = {0};
	rng r;
	rng_seed(&r, 77);
	bt_signup(&s);
	bt_second_device(&s, &other);
	for (; n < 20; n++) {
		snprintf(body, sizeof(body), "{\"name\":\"Paged %d\"}", n);
		bt_create(&other, "/api/v1/categories", body, ids[n]);
		live[n] = 1;
	}
	while (replica_pull_once(&s, &rp, 4)) {
		int k = rng_below(&r, n), what = rng_below(&r, 3);
		if (what == 0 && n < 40) {
			snprintf(body, sizeof(body), "{\"name\":\"Paged %d\"}", n);
			bt_create(&other, "/api/v1/categories", body, ids[n]);
			live[n++] = 1;
		} else if (live[k]) {
			snprintf(path, sizeof(path), "/api/v1/categories/%s", ids[k]);
			snprintf(body, sizeof(body), "{\"name\":\"Paged %d renamed %d\"}", k, rng_below(&r, 1000));
			bt_resp x = what == 1 ? bt_patch(&other, path, NULL, body) :
			            bt_json("DELETE", path, other.access, NULL);
			ck_assert_msg(x.status == (what == 1 ? 200 : 204), "%ld %s", x.status, x.body);
			bt_free(&x);
			live[k] = what == 1;
		}
	}
	cJSON *items = list_all(&s, "/api/v1/categories");
	device d;
	memset(&d, 0, sizeof(d));
	d.rp = rp;
	d.tag = 'S';
	check_replica(77, &d, E_CAT, items);
	int count = 0;
	for (int i = 0; i < n; i++)
		count += live[i];
	ck_assert_int_eq(cJSON_GetArraySize(items), count);
	cJSON_Delete(items);
	replica_free(&rp);
}
END_TEST

/* ---- d: bad input */

/* Pushes one mutation (its JSON) as s and returns its result's answer. */
static bt_resp
push_one(const bt_session *s, const char *mutation)
{
	size_t size = strlen(mutation) + 32;
	char *body = malloc(size);
	ck_assert_ptr_nonnull(body);
	snprintf(body, size, "{\"mutations\":[%s]}", mutation);
	bt_resp r = push(s, body, 1);
	free(body);
	return r;
}

/* The number of the business's categories (deleted ones too). */
static long
categories_of(const char *business)
{
	const char *p[1] = {business};
	return bt_super_long("SELECT count(*) FROM categories WHERE business_id = $1", 1, p);
}

/* A malformed batch is refused whole: 422 naming the field, nothing applied. */
static void
expect_batch_refused(const bt_session *s, const char *body, const char *field, const char *code)
{
	long before = categories_of(s->business_id);
	bt_expect_field(bt_json("POST", PUSH, s->access, body), field, code);
	ck_assert_int_eq(categories_of(s->business_id), before);
}

START_TEST(malformed_batches_change_nothing)
{
	bt_session s;
	char big[200 * 160 + 64];
	bt_signup(&s);
	bt_expect_problem(bt_json("POST", PUSH, s.access, "{\"mutations\":["), 400, "malformed_json");
	expect_batch_refused(&s, "[]", "", "must_be_object");
	expect_batch_refused(&s, "{}", "mutations", "required");
	expect_batch_refused(&s, "{\"mutations\":[]}", "mutations", "too_small");
	expect_batch_refused(&s, "{\"mutations\":{}}", "mutations", "must_be_array");
	size_t n = (size_t)snprintf(big, sizeof(big), "{\"mutations\":[");
	for (int i = 0; i < 201; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s{\"mutation_id\":\"0190a2b3-0000-7000"
		                      "-8000-%012d\",\"entity\":\"category\",\"op\":\"create\",\"data\":"
		                      "{\"name\":\"Big %d\"}}", i ? "," : "", i, i);
	snprintf(big + n, sizeof(big) - n, "]}");
	expect_batch_refused(&s, big, "mutations", "too_large");
	/* a valid mutation before a bad one is not applied either */
	static const char *const bad[][3] = {
		{"\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000d002\",\"entity\":\"gadget\","
		 "\"op\":\"create\",\"data\":{\"name\":\"x\"}", "mutations[1].entity", "invalid_choice"},
		{"\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000d002\",\"entity\":\"category\","
		 "\"op\":\"upsert\",\"data\":{\"name\":\"x\"}", "mutations[1].op", "invalid_choice"},
		{"\"mutation_id\":\"not-a-uuid\",\"entity\":\"category\",\"op\":\"create\","
		 "\"data\":{\"name\":\"x\"}", "mutations[1].mutation_id", "invalid_uuid"},
		{"\"entity\":\"category\",\"op\":\"create\",\"data\":{\"name\":\"x\"}",
		 "mutations[1].mutation_id", "required"},
		{"\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000d002\",\"entity\":\"category\","
		 "\"op\":\"update\",\"data\":{\"name\":\"x\"}", "mutations[1].id", "required"},
		{"\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000d002\",\"entity\":\"category\","
		 "\"op\":\"create\"", "mutations[1].data", "required"},
		{"\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000d002\",\"entity\":\"category\","
		 "\"op\":\"create\",\"data\":[1]", "mutations[1].data", "must_be_object"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char body[1024];
		snprintf(body, sizeof(body), "{\"mutations\":[{\"mutation_id\":\"0190a2b3-0000-7000-8000-"
		         "00000000d001\",\"entity\":\"category\",\"op\":\"create\",\"data\":{\"name\":"
		         "\"Valid first\"}},{%s}]}", bad[i][0]);
		expect_batch_refused(&s, body, bad[i][1], bad[i][2]);
	}
	expect_batch_refused(&s, "{\"mutations\":[{\"mutation_id\":\"0190a2b3-0000-7000-8000-"
	                     "00000000d001\",\"entity\":\"category\",\"op\":\"create\",\"data\":"
	                     "{\"name\":\"Valid first\"}},5]}", "mutations[1]", "must_be_object");
	/* nothing was recorded as pushed: the valid mutation applies now */
	bt_resp r = push_one(&s, "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000d001\","
	                     "\"entity\":\"category\",\"op\":\"create\",\"data\":{\"name\":\"Valid first\"}}");
	ck_assert_str_eq(bt_at_str(&r, "results.0.status"), "applied");
	bt_free(&r);
	ck_assert_int_eq(categories_of(s.business_id), 1);
}
END_TEST

/* A rejected mutation's error is the problem the plain API answers for
 * the same request (POST path with body). */
static void
expect_same_problem(const bt_session *s, const bt_resp *pushed, const char *path,
                    const char *body, const char *code, const char *field)
{
	bt_resp plain = bt_json("POST", path, s->access, body);
	const cJSON *err = bt_at(pushed, "results.0.error");
	char *text = cJSON_PrintUnformatted(err);
	ck_assert_msg(streq(bt_at_str(pushed, "results.0.status"), "rejected") &&
	              cJSON_Compare(err, plain.json, 1), "pushed %s, the API answers %s", text,
	              plain.body);
	ck_assert_str_eq(bt_at_str(pushed, "results.0.error.code"), code);
	ck_assert_str_eq(bt_at_str(pushed, "results.0.error.errors.0.field"), field);
	free(text);
	bt_free(&plain);
}

START_TEST(bad_mutations_are_rejected_alone)
{
	bt_session s;
	char body[2048];
	bt_signup(&s);
	/* wrong types: that mutation rejected, the others applied */
	snprintf(body, sizeof(body), "{\"mutations\":["
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000e001\",\"entity\":\"category\","
	         "\"op\":\"create\",\"data\":{\"name\":\"Before\"}},"
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000e002\",\"entity\":\"product\","
	         "\"op\":\"create\",\"data\":{\"name\":\"Typed\",\"price\":\"cheap\"}},"
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000e003\",\"entity\":\"category\","
	         "\"op\":\"create\",\"data\":{\"name\":\"After\"}}]}");
	bt_resp r = push(&s, body, 3);
	ck_assert_str_eq(bt_at_str(&r, "results.0.status"), "applied");
	ck_assert_str_eq(bt_at_str(&r, "results.1.status"), "rejected");
	ck_assert_str_eq(bt_at_str(&r, "results.1.error.code"), "validation_failed");
	ck_assert_int_eq(bt_at_int(&r, "results.1.error.status"), 422);
	ck_assert_str_eq(bt_at_str(&r, "results.1.error.errors.0.field"), "price");
	ck_assert_str_eq(bt_at_str(&r, "results.2.status"), "applied");
	bt_free(&r);
	const char *p[1] = {s.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM products WHERE business_id = $1", 1, p), 0);
	ck_assert_int_eq(categories_of(s.business_id), 2);
	/* wrong types and unknown fields: the plain API's answer, word for word */
	r = push_one(&s, "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000e004\",\"entity\":"
	             "\"customer\",\"op\":\"create\",\"data\":{\"name\":5}}");
	expect_same_problem(&s, &r, "/api/v1/customers", "{\"name\":5}", "validation_failed", "name");
	bt_free(&r);
	r = push_one(&s, "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000e005\",\"entity\":"
	             "\"product\",\"op\":\"create\",\"data\":{\"name\":\"Red\",\"colour\":\"red\"}}");
	expect_same_problem(&s, &r, "/api/v1/products", "{\"name\":\"Red\",\"colour\":\"red\"}",
	                    "validation_failed", "colour");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM products WHERE business_id = $1", 1, p), 0);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1", 1, p), 0);
}
END_TEST

START_TEST(metacharacters_stored_verbatim)
{
	bt_session s;
	char id[ID_LEN], body[1024], path[128];
	static const char name[] = "Robert'); DROP TABLE categories;-- <b>&amp;</b> \\\"q\\\" %s \\\\";
	static const char stored[] = "Robert'); DROP TABLE categories;-- <b>&amp;</b> \"q\" %s \\";
	bt_signup(&s);
	bahi_uuid_v7(id);
	snprintf(body, sizeof(body), "{\"mutation_id\":\"0190a2b3-0000-7000-8000-00000000f001\","
	         "\"entity\":\"category\",\"op\":\"create\",\"id\":\"%s\",\"data\":{\"name\":\"%s\"}}",
	         id, name);
	bt_resp r = push_one(&s, body);
	ck_assert_str_eq(bt_at_str(&r, "results.0.status"), "applied");
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/categories/%s", id);
	r = bt_get_ok(&s, path);
	ck_assert_str_eq(bt_str(&r, "name"), stored);
	bt_free(&r);
	replica rp = {0};
	replica_sync(&s, &rp, 500);
	rec *x = replica_find(&rp, "category", id);
	ck_assert(x != NULL && streq(jstr(x->data, "name"), stored));
	replica_free(&rp);
	ck_assert_int_eq(categories_of(s.business_id), 1);
}
END_TEST

START_TEST(other_business_records_are_not_found)
{
	bt_session a, b, clerk;
	char cat[ID_LEN], prod[ID_LEN], mine[ID_LEN], body[1024], path[128];
	bt_signup_shops(&a, &b, &clerk);
	bt_create(&b, "/api/v1/categories", "{\"name\":\"B's own\"}", cat);
	bt_product_new(&b, "B's product", 1000, 500, NULL, prod);
	snprintf(body, sizeof(body), "{\"mutations\":["
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-0000000f0001\",\"entity\":\"category\","
	         "\"op\":\"update\",\"id\":\"%s\",\"base_version\":1,\"data\":{\"name\":\"Taken\"}},"
	         "{\"mutation_id\":\"0190a2b3-0000-7000-8000-0000000f0002\",\"entity\":\"product\","
	         "\"op\":\"delete\",\"id\":\"%s\"}]}", cat, prod);
	bt_resp r = push(&a, body, 2);
	for (int i = 0; i < 2; i++) {
		const cJSON *x = cJSON_GetArrayItem(bt_at(&r, "results"), i);
		ck_assert_msg(streq(jstr(x, "status"), "rejected") &&
		              streq(jstr(cJSON_GetObjectItemCaseSensitive(x, "error"), "code"), "not_found") &&
		              cJSON_GetObjectItemCaseSensitive(x, "server") == NULL, "%s", r.body);
	}
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/categories/%s", cat);
	r = bt_get_ok(&b, path);
	ck_assert_str_eq(bt_str(&r, "name"), "B's own");
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/products/%s", prod);
	r = bt_get_ok(&b, path);
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
	/* a clerk may not delete: rejected as forbidden, the product stays */
	bt_product_new(&a, "A's product", 1000, 500, NULL, mine);
	snprintf(body, sizeof(body), "{\"mutation_id\":\"0190a2b3-0000-7000-8000-0000000f0003\","
	         "\"entity\":\"product\",\"op\":\"delete\",\"id\":\"%s\",\"base_version\":1}", mine);
	r = push_one(&clerk, body);
	ck_assert_str_eq(bt_at_str(&r, "results.0.status"), "rejected");
	ck_assert_str_eq(bt_at_str(&r, "results.0.error.code"), "forbidden");
	ck_assert_int_eq(bt_at_int(&r, "results.0.error.status"), 403);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/products/%s", mine);
	r = bt_get_ok(&a, path);
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
}
END_TEST

START_TEST(bad_queries_and_no_token)
{
	bt_session s;
	bt_signup(&s);
	static const bt_bad_query cases[] = {
		{"?cursor=zzz", "cursor", "invalid_cursor"},
		{"?limit=0", "limit", "invalid_number"},
		{"?limit=1001", "limit", "invalid_number"},
		{"?limit=ten", "limit", "invalid_number"},
		{"?since=3", "since", "unknown_parameter"},
	};
	bt_expect_bad_queries(PULL, s.access, cases, sizeof(cases) / sizeof(cases[0]));
	bt_expect_problem(bt_json("GET", PULL, NULL, NULL), 401, "unauthorized");
	bt_expect_problem(bt_json("GET", STATUS, NULL, NULL), 401, "unauthorized");
	bt_expect_problem(bt_json("POST", PUSH, NULL, "{\"mutations\":[]}"), 401, "unauthorized");
	bt_expect_problem(bt_json("GET", PULL, "not.a.token", NULL), 401, "unauthorized");
	/* limits 1 and 1000 are fine */
	bt_resp r = pull(&s, NULL, 1);
	check_page(&r);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "changes")), 1);
	ck_assert(cJSON_IsTrue(bt_at(&r, "has_more")));
	bt_free(&r);
	r = pull(&s, NULL, 1000);
	check_page(&r);
	bt_free(&r);
	/* a cursor ahead of the log (another business's, further on) */
	bt_session later;
	char id[ID_LEN];
	replica rp = {0};
	bt_signup(&later);
	for (int i = 0; i < 3; i++)
		bt_create(&later, "/api/v1/categories", i == 0 ? "{\"name\":\"Ahead 0\"}" :
		          i == 1 ? "{\"name\":\"Ahead 1\"}" : "{\"name\":\"Ahead 2\"}", id);
	replica_sync(&later, &rp, 500);
	bt_expect_field(pull(&s, rp.cursor, 10), "cursor", "invalid_cursor");
	replica_free(&rp);
}
END_TEST

/* ---- e: what a pull carries, and the status */

/* The changes of a pull after cursor (to the end), as "entity:id:op:version"
 * lines, each upsert's data checked against the entity's GET now. */
static void
pull_and_check_data(const bt_session *s, replica *rp, sbuf *out)
{
	static const struct {
		const char *entity, *path;
	} reads[] = {{"product", "/api/v1/products/"}, {"low_stock", "/api/v1/products/"},
	             {"invoice", "/api/v1/invoices/"}, {"category", "/api/v1/categories/"}};
	bt_resp r = pull(s, rp->cursor, 1000);
	check_page(&r);
	ck_assert(cJSON_IsFalse(bt_at(&r, "has_more")));
	const cJSON *c;
	long last = rp->seq;
	cJSON_ArrayForEach(c, bt_at(&r, "changes")) {
		check_change(c);
		ck_assert_msg(jint(c, "seq") == last + 1, "seq %ld after %ld", jint(c, "seq"), last);
		last = jint(c, "seq");
		sb_printf(out, "%s:%s:%s:%ld\n", jstr(c, "entity"), jstr(c, "id"), jstr(c, "op"),
		          jint(c, "version"));
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(c, "data");
		for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
			if (!streq(jstr(c, "entity"), reads[i].entity) || !streq(jstr(c, "op"), "upsert"))
				continue;
			char path[128];
			snprintf(path, sizeof(path), "%s%s", reads[i].path, jstr(c, "id"));
			bt_resp g = bt_json("GET", path, s->access, NULL);
			char *text = cJSON_PrintUnformatted(data);
			ck_assert_msg(g.status == 200 ? cJSON_Compare(data, g.json, 1) : cJSON_IsNull(data),
			              "%s: pulled %s, GET %ld %s", path, text, g.status, g.body);
			free(text);
			bt_free(&g);
		}
	}
	rp->seq = last;
	snprintf(rp->cursor, sizeof(rp->cursor), "%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);
}

/* The change log of business after seq, in the same form. */
static char *
log_after(const char *business, long seq)
{
	char from[24];
	snprintf(from, sizeof(from), "%ld", seq);
	const char *p[2] = {business, from};
	return bt_super_value("SELECT string_agg(entity || ':' || entity_id || ':' || op || ':'"
	                      " || version || E'\\n', '' ORDER BY seq) FROM change_entries"
	                      " WHERE business_id = $1 AND seq > $2::bigint", 2, p);
}

/* The lines of a change list that are about products and invoices. */
static void
products_and_invoices(const char *lines, sbuf *out)
{
	for (const char *l = lines; *l; ) {
		size_t len = strcspn(l, "\n");
		if (strncmp(l, "product:", 8) == 0 || strncmp(l, "invoice:", 8) == 0)
			sb_printf(out, "%.*s\n", (int)len, l);
		l += len + (l[len] == '\n');
	}
}

START_TEST(pull_carries_the_records)
{
	bt_session s;
	char p[ID_LEN], q[ID_LEN], inv[ID_LEN], path[128], body[512];
	replica rp = {0};
	bt_signup(&s);
	bt_product_new(&s, "Gone soon", 1000, 500, NULL, q);
	/* the first pull: every live record once, all at the log's position */
	const char *b[1] = {s.business_id};
	long now = bt_super_long("SELECT value FROM business_counters WHERE business_id = $1"
	                         " AND name = 'change_seq'", 1, b);
	replica_sync(&s, &rp, 2);
	ck_assert_int_eq(rp.seq, now);
	ck_assert_int_eq(rp.changes, 3);
	ck_assert_int_eq(rp.n, 3);
	ck_assert(replica_find(&rp, "business", s.business_id) != NULL);
	ck_assert(replica_find(&rp, "user", s.user_id) != NULL);
	ck_assert(replica_find(&rp, "product", q) != NULL);
	long start = rp.seq;
	bt_product_new(&s, "Pulled", 1000, 500, NULL, p);
	snprintf(path, sizeof(path), "/api/v1/products/%s", p);
	bt_resp r = bt_patch(&s, path, "1", "{\"name\":\"Pulled again\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	bt_free(&r);
	bt_stock_in(&s, p, 7);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":3}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":3000}", p);
	r = bt_invoice_issue(&s, body, inv);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/products/%s", q);
	r = bt_json("DELETE", path, s.access, NULL);
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);

	sbuf got = {0}, want = {0}, mine = {0};
	pull_and_check_data(&s, &rp, &got);
	char *log = log_after(s.business_id, start);
	ck_assert_str_eq(got.s, log);
	products_and_invoices(got.s, &mine);
	sb_printf(&want, "product:%s:upsert:1\nproduct:%s:upsert:2\nproduct:%s:upsert:2\n"
	          "product:%s:upsert:2\ninvoice:%s:upsert:1\nproduct:%s:delete:2\n", p, p, p, p, inv, q);
	ck_assert_str_eq(mine.s, want.s);
	free(log);
	sb_free(&got);
	sb_free(&want);
	sb_free(&mine);
	replica_free(&rp);
}
END_TEST

/* 1 when a pull after cursor (to the end) brings a change of entity. */
static int
pull_has_entity(const bt_session *s, replica *rp, const char *entity)
{
	int has = 0;
	do {
		bt_resp r = pull(s, rp->cursor[0] ? rp->cursor : NULL, 500);
		check_page(&r);
		const cJSON *c;
		cJSON_ArrayForEach(c, bt_at(&r, "changes")) {
			has |= streq(jstr(c, "entity"), entity);
			replica_apply(rp, c);
		}
		snprintf(rp->cursor, sizeof(rp->cursor), "%s", bt_at_str(&r, "next_cursor"));
		int more = cJSON_IsTrue(bt_at(&r, "has_more"));
		bt_free(&r);
		if (!more)
			break;
	} while (1);
	return has;
}

START_TEST(clerk_pulls_only_what_it_may_read)
{
	bt_session owner, other, clerk;
	char phone[BT_PHONE_LEN], body[512], id[ID_LEN];
	replica ro = {0}, rc = {0};
	bt_signup_shops(&owner, &other, &clerk);
	/* the snapshots: users for the owner, none for the clerk */
	ck_assert(pull_has_entity(&owner, &ro, "user"));
	ck_assert(!pull_has_entity(&clerk, &rc, "user"));
	ck_assert_int_eq(replica_count(&ro, "user"), 2);
	ck_assert_int_eq(replica_count(&rc, "user"), 0);
	ck_assert_int_eq(replica_count(&rc, "business"), 1);
	/* a new user and a category: the clerk gets the category only */
	bt_phone_new(phone);
	snprintf(body, sizeof(body), "{\"phone\":\"%s\",\"name\":\"Second clerk\",\"role\":\"clerk\","
	         "\"password\":\"%s\"}", phone, owner.password);
	bt_create(&owner, "/api/v1/users", body, id);
	bt_create(&owner, "/api/v1/categories", "{\"name\":\"For everyone\"}", id);
	ck_assert(pull_has_entity(&owner, &ro, "user"));
	ck_assert_int_eq(replica_count(&ro, "user"), 3);
	ck_assert(!pull_has_entity(&clerk, &rc, "user"));
	ck_assert(replica_find(&rc, "category", id) != NULL);
	ck_assert(replica_find(&ro, "category", id) != NULL);
	replica_free(&ro);
	replica_free(&rc);
}
END_TEST

/* The status's entry of device, or NULL. */
static const cJSON *
status_device(const bt_resp *r, const char *device_id)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, bt_at(r, "devices"))
		if (streq(jstr(d, "device_id"), device_id))
			return d;
	return NULL;
}

START_TEST(status_shows_each_device)
{
	bt_session s, s2;
	char id[ID_LEN];
	replica rp = {0};
	bt_signup(&s);
	bt_second_device(&s, &s2);
	bt_create(&s, "/api/v1/categories", "{\"name\":\"Status one\"}", id);
	replica_sync(&s, &rp, 500);
	/* the last pull ended on a change: its seq is the device's position */
	long pos = rp.seq;
	const char *p[1] = {s.business_id};
	ck_assert_int_eq(bt_super_long("SELECT value FROM business_counters WHERE business_id = $1"
	                               " AND name = 'change_seq'", 1, p), pos);
	bt_create(&s, "/api/v1/categories", "{\"name\":\"Status two\"}", id);
	bt_create(&s, "/api/v1/categories", "{\"name\":\"Status three\"}", id);
	bt_resp r = bt_get_ok(&s2, STATUS);
	ck_assert_str_eq(r.content_type, "application/json");
	ck_assert_int_eq(bt_at_int(&r, "seq"), pos + 2);
	const cJSON *d = status_device(&r, s.device_id);
	char *text = d ? cJSON_PrintUnformatted(d) : NULL;
	ck_assert_msg(d != NULL && jint(d, "seq") == pos && jint(d, "behind") == 2 &&
	              streq(jstr(d, "name"), "Phone") && streq(jstr(d, "platform"), "android") &&
	              cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(d, "revoked")) &&
	              jstr(d, "pulled_at") != NULL && strlen(jstr(d, "pulled_at")) == 20 &&
	              cJSON_GetArraySize(d) == 7, "status of the pulling device: %s", text);
	free(text);
	bt_free(&r);
	/* it pulls again: level with the log */
	replica_sync(&s, &rp, 500);
	r = bt_get_ok(&s, STATUS);
	d = status_device(&r, s.device_id);
	ck_assert(d != NULL && jint(d, "seq") == pos + 2 && jint(d, "behind") == 0);
	bt_free(&r);
	/* a revoked device can neither pull nor push, and shows as revoked */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/devices/%s", s2.device_id);
	r = bt_json("DELETE", path, s.access, NULL);
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);
	bt_expect_problem(pull(&s2, NULL, 10), 401, "unauthorized");
	bt_expect_problem(bt_json("POST", PUSH, s2.access, "{\"mutations\":[{\"mutation_id\":"
	                          "\"0190a2b3-0000-7000-8000-0000000b0001\",\"entity\":\"category\","
	                          "\"op\":\"create\",\"data\":{\"name\":\"Revoked\"}}]}"),
	                  401, "unauthorized");
	ck_assert_int_eq(categories_of(s.business_id), 3);
	r = bt_get_ok(&s, STATUS);
	d = status_device(&r, s2.device_id);
	ck_assert_msg(d != NULL && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "revoked")),
	              "status of the revoked device: %s", r.body);
	bt_free(&r);
	replica_free(&rp);
}
END_TEST

/* ---- f: offline invoices */

START_TEST(offline_invoice_follows_the_sale_rules)
{
	bt_session s;
	char p[ID_LEN], id[ID_LEN], body[2048], path[128];
	bt_signup(&s);
	bt_product_stocked(&s, "Seed item", 10000, 6000, 5, p);
	char first[ID_LEN];
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":10000}", p);
	bt_resp r = bt_invoice_issue(&s, body, first);
	ck_assert_int_eq(bt_at_int(&r, "number"), 1);
	bt_free(&r);
	bahi_uuid_v7(id);
	snprintf(body, sizeof(body), "{\"mutation_id\":\"0190a2b3-0000-7000-8000-0000000a0001\","
	         "\"entity\":\"invoice\",\"op\":\"create\",\"id\":\"%s\",\"data\":{\"lines\":"
	         "[{\"product_id\":\"%s\",\"qty\":2,\"unit_price\":10000}],\"discount_bp\":1000,"
	         "\"tax_rate_bp\":1900,\"fee\":500,\"payment_mode\":\"cash\",\"paid_amount\":21920}}",
	         id, p);
	r = push_one(&s, body);
	ck_assert_str_eq(bt_at_str(&r, "results.0.status"), "applied");
	ck_assert_str_eq(bt_at_str(&r, "results.0.id"), id);
	ck_assert_int_eq(bt_at_int(&r, "results.0.version"), 1);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/invoices/%s", id);
	bt_resp inv = bt_get_ok(&s, path);
	ck_assert_int_eq(bt_at_int(&inv, "number"), 2);
	ck_assert_int_eq(bt_at_int(&inv, "subtotal"), 20000);
	ck_assert_int_eq(bt_at_int(&inv, "discount"), 2000);
	ck_assert_int_eq(bt_at_int(&inv, "tax"), 3420);
	ck_assert_int_eq(bt_at_int(&inv, "fee"), 500);
	ck_assert_int_eq(bt_at_int(&inv, "total"), 21920);
	ck_assert_int_eq(bt_at_int(&inv, "paid"), 21920);
	ck_assert_str_eq(bt_str(&inv, "status"), "paid");
	const char *q[2] = {s.business_id, p};
	char *stock = bt_super_value("SELECT trim_scale(stock_qty)::text FROM products"
	                             " WHERE business_id = $1 AND id = $2", 2, q);
	ck_assert_str_eq(stock, "2");
	free(stock);
	/* an update or delete of the issued invoice: rejected, with the invoice */
	static const char *const ops[2][2] = {
		{"update", ",\"base_version\":1,\"data\":{\"note\":\"changed\"}"},
		{"delete", ",\"base_version\":1"},
	};
	for (int i = 0; i < 2; i++) {
		snprintf(body, sizeof(body), "{\"mutation_id\":\"0190a2b3-0000-7000-8000-0000000a000%d\","
		         "\"entity\":\"invoice\",\"op\":\"%s\",\"id\":\"%s\"%s}", i + 2, ops[i][0], id,
		         ops[i][1]);
		r = push_one(&s, body);
		ck_assert_str_eq(bt_at_str(&r, "results.0.status"), "rejected");
		ck_assert_str_eq(bt_at_str(&r, "results.0.error.code"), "invoice_immutable");
		ck_assert_int_eq(bt_at_int(&r, "results.0.error.status"), 409);
		ck_assert_msg(cJSON_Compare(bt_at(&r, "results.0.server"), inv.json, 1),
		              "server copy %s, GET %s", r.body, inv.body);
		bt_free(&r);
	}
	bt_resp again = bt_get_ok(&s, path);
	ck_assert_str_eq(again.body, inv.body);
	bt_free(&again);
	bt_free(&inv);
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("sync");
	TCase *t = tcase_create("sync");
	unsigned long first = 1, last = 200;
	sim_seeds(&first, &last);
	/* about 0.1 s a seed (0.15 with sanitizers): room for a busy machine */
	tcase_set_timeout(t, 120.0 + (double)(last - first + 1) / 2);
	tcase_add_test(t, two_devices_converge);
	tcase_add_test(t, pull_under_concurrent_writers);
	tcase_add_test(t, replayed_batch_is_duplicate);
	tcase_add_test(t, concurrent_replays_apply_once);
	tcase_add_test(t, snapshot_while_edited);
	tcase_add_test(t, malformed_batches_change_nothing);
	tcase_add_test(t, bad_mutations_are_rejected_alone);
	tcase_add_test(t, metacharacters_stored_verbatim);
	tcase_add_test(t, other_business_records_are_not_found);
	tcase_add_test(t, bad_queries_and_no_token);
	tcase_add_test(t, pull_carries_the_records);
	tcase_add_test(t, clerk_pulls_only_what_it_may_read);
	tcase_add_test(t, status_shows_each_device);
	tcase_add_test(t, offline_invoice_follows_the_sale_rules);
	suite_add_tcase(s, t);
	running_seed = mmap(NULL, sizeof(*running_seed), PROT_READ | PROT_WRITE,
	                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (running_seed == MAP_FAILED)
		return EXIT_FAILURE;
	*running_seed = 0;
	int rc = bahi_check_run(s);
	if (*running_seed != 0)
		fprintf(stderr, "check_sync: the convergence test failed at seed %lu; run it alone with"
		        " BAHI_SYNC_SEED=%lu\n", *running_seed, *running_seed);
	return rc;
}
