/* bahi_sync_push: POST /sync/push: a device's queued mutations applied in order, each through its API route in a transaction of its own. */
#include "bahi_sync.h"

#include <string.h>

#include "bahi_db.h"
#include "bahi_log.h"
#include "bahi_req.h"
#include "bahi_router.h"
#include "bahi_uuid.h"
#include "bahi_valid.h"
#include "bahi_worker.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* Claims the mutation id with the mutation's own transaction: when it
 * commits, the id is taken for good; a second claim waits for the first
 * transaction and then finds the row (a duplicate). */
static BAHI_STMT(sync_claim,
	"INSERT INTO sync_mutations (business_id, mutation_id, device_id, entity, op, entity_id,"
	" status) VALUES ($1, $2, $3, $4, $5, $6, 'applied') ON CONFLICT DO NOTHING RETURNING 1");
/* A mutation that changed nothing: its outcome, unless it was claimed meanwhile. */
static BAHI_STMT(sync_outcome,
	"INSERT INTO sync_mutations (business_id, mutation_id, device_id, entity, op, entity_id,"
	" status, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	" ON CONFLICT DO NOTHING RETURNING 1");

static const char *const ops[] = {"create", "update", "delete", NULL};
static const char *pushable[32];

static const bahi_field mutation_fields[] = {
	{"mutation_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"entity", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, pushable, NULL, 0},
	{"op", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, ops, NULL, 0},
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"base_version", BAHI_V_INT, 0, 1, INT32_MAX, NULL, NULL, 0},
	{"data", BAHI_V_OBJECT, 0, 0, 0, NULL, NULL, 0},
};
static const bahi_field push_fields[] = {
	{"mutations", BAHI_V_ARRAY, BAHI_REQUIRED, 1, BAHI_SYNC_PUSH_MAX, NULL, NULL, 0},
};

/* One mutation and what came of it. */
typedef struct mutation {
	const char *mutation_id, *entity, *op, *id;
	long base_version;              /* 0: not given */
	cJSON *data;
	const bahi_sync_entity *e;
	int duplicate;                  /* found claimed by the claim */
} mutation;

/* The entities devices may push, as the "entity" rule's choices. */
static void
pushable_init(void)
{
	int n, k = 0;
	const bahi_sync_entity *ents = bahi_sync_entities(&n);
	if (pushable[0] != NULL)
		return;
	for (int i = 0; i < n && k + 1 < (int)NF(pushable); i++)
		if (ents[i].collection != NULL)
			pushable[k++] = ents[i].name;
}

/* Checks the batch's shape into ms (every mutation names itself, its
 * entity and op; updates and deletes their record, creates and updates
 * their data). 0, or -1 with field errors: then nothing is applied. */
static int
read_batch(bahi_req *req, mutation **ms, int *n)
{
	bahi_value top[NF(push_fields)];
	if (bahi_valid_json(req, req->json, push_fields, NF(push_fields), top, "") != 0)
		return -1;
	*n = cJSON_GetArraySize(top[0].node);
	bahi_value *v = bahi_pool_calloc(req->pool, (size_t)*n * NF(mutation_fields), sizeof(*v));
	if (bahi_valid_items(req, top[0].node, "mutations", mutation_fields, NF(mutation_fields),
	                     -1, v) != 0)
		return -1;
	*ms = bahi_pool_calloc(req->pool, (size_t)*n, sizeof(**ms));
	for (int i = 0; i < *n; i++, v += NF(mutation_fields)) {
		mutation *m = &(*ms)[i];
		m->mutation_id = v[0].s;
		m->entity = v[1].s;
		m->op = v[2].s;
		m->id = v[3].s;
		m->base_version = v[4].present ? (long)v[4].i : 0;
		m->data = (cJSON *)v[5].node;
		m->e = bahi_sync_entity_find(m->entity);
		if (strcmp(m->op, "create") != 0 && m->id == NULL)
			bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "mutations[%d].id", i),
			                   "required", "An update or delete names its record.");
		if (strcmp(m->op, "delete") != 0 && m->data == NULL)
			bahi_problem_field(&req->problem,
			                   bahi_pool_printf(req->pool, "mutations[%d].data", i),
			                   "required", "A create or update carries its data.");
	}
	return req->problem.status ? -1 : 0;
}

/* A create's record id: the mutation's, else its data's, else a new one;
 * written into the data, which the route reads. */
static void
create_id(bahi_req *req, mutation *m)
{
	const cJSON *given = cJSON_GetObjectItemCaseSensitive(m->data, "id");
	if (m->id == NULL && cJSON_IsString(given) && bahi_uuid_valid(given->valuestring)) {
		char norm[BAHI_UUID_LEN + 1];
		bahi_uuid_normalise(given->valuestring, norm);
		m->id = bahi_pool_strdup(req->pool, norm);
	}
	if (m->id == NULL) {
		char fresh[BAHI_UUID_LEN + 1];
		bahi_uuid_v7(fresh);
		m->id = bahi_pool_strdup(req->pool, fresh);
	}
	if (given != NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(m->data, "id");
	cJSON_AddStringToObject(m->data, "id", m->id);
}

/* The claim, in the mutation's transaction before its route's handler. */
static int
claim(bahi_req *sub, void *arg)
{
	mutation *m = arg;
	const char *p[6] = {sub->tx_business, m->mutation_id, sub->auth.device_id, m->entity,
	                    m->op, m->id};
	PGresult *res = bahi_db_exec(sub, &sync_claim, 6, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1)
		return 0;
	m->duplicate = 1;
	return bahi_fail(sub, "conflict", "The mutation was applied before.");
}

/* The route group whose table has the route (else the first). */
static const bahi_worker_def *
route_group(const bahi_worker_def *const *workers, int n, const char *method, const char *path)
{
	const bahi_worker_def *bad_method = NULL;
	bahi_route_match rm;
	for (int i = 0; i < n; i++)
		switch (bahi_router_match(workers[i]->routes, workers[i]->nroutes, method, path, &rm)) {
		case BAHI_ROUTE_FOUND:
			return workers[i];
		case BAHI_ROUTE_BAD_METHOD:
			bad_method = bad_method ? bad_method : workers[i];
			break;
		case BAHI_ROUTE_NOT_FOUND:
			break;
		}
	return bad_method ? bad_method : workers[0];
}

/* What running a mutation's route gave: copied out of its request. */
typedef struct outcome {
	int ok, status;
	const char *body;               /* JSON text: the route's answer, or its problem */
	const char *code;               /* the problem's code */
} outcome;

/* Runs m through its API route as the caller, in a transaction of its own. */
static void
run_route(bahi_req *req, const bahi_worker_def *const *workers, int nworkers, mutation *m,
          outcome *o)
{
	static const char *const methods[] = {"POST", "PATCH", "DELETE"};
	int k = strcmp(m->op, "create") == 0 ? 0 : strcmp(m->op, "update") == 0 ? 1 : 2;
	const char *path = k == 0 ? m->e->collection :
	                   bahi_pool_printf(req->pool, "%s/%s", m->e->collection, m->id);
	const bahi_worker_def *def = route_group(workers, nworkers, methods[k], path);
	const char *params[3] = {NULL, NULL, NULL};
	if (m->base_version > 0 && k > 0) {
		params[0] = "HTTP_IF_MATCH";
		params[1] = bahi_pool_printf(req->pool, "\"%ld\"", m->base_version);
	}
	bahi_req sub;
	bahi_req_local(&sub, def);
	sub.method = methods[k];
	sub.path = path;
	sub.request_id = req->request_id;
	sub.auth = req->auth;
	sub.json = k < 2 ? m->data : NULL;
	sub.local_params = params;
	sub.before_handler = claim;
	sub.before_arg = m;
	o->ok = bahi_worker_run_local(def, &sub) == 0;
	bahi_buf b;
	bahi_buf_init(&b, BAHI_MAX_RESPONSE);
	if (o->ok) {
		o->status = sub.status;
		o->body = bahi_pool_strndup(req->pool, sub.out.data ? sub.out.data : "", sub.out.len);
	} else {
		o->status = sub.problem.status;
		o->code = bahi_pool_strdup(req->pool, sub.problem.code ? sub.problem.code : "");
		bahi_problem_to_json(&sub.problem, &b);
		o->body = bahi_pool_strndup(req->pool, b.data ? b.data : "null", b.len);
	}
	bahi_buf_free(&b);
	sub.status = o->ok ? sub.status : o->status;
	bahi_log_request(&sub);
	bahi_req_local_free(&sub);
}

/* Records the outcome of a mutation that changed nothing (conflict: its
 * record moved on, or a create whose record exists; rejected otherwise)
 * with the server's copy where the device needs it, and writes its result.
 * A server failure is not recorded: the device may try again. */
static int
settle_failure(bahi_req *req, mutation *m, const outcome *o, bahi_buf *b)
{
	int stale = strcmp(o->code, "version_conflict") == 0;
	int create = strcmp(m->op, "create") == 0;
	int version = 0;
	if (bahi_tx_begin(req, req->auth.business_id) != 0)
		return -1;
	const char *server = stale || create || strcmp(o->code, "invoice_immutable") == 0 ?
	                     bahi_sync_record(req, m->e, m->id, &version) : NULL;
	if (server != NULL && *server == '\0')
		return -1;
	const char *status = stale || (create && server != NULL) ? "conflict" : "rejected";
	int dup = 0;
	if (o->status < 500) {
		const char *p[8] = {req->tx_business, m->mutation_id, req->auth.device_id, m->entity,
		                    m->op, m->id, status,
		                    version > 0 ? bahi_pool_printf(req->pool, "%d", version) : NULL};
		PGresult *res = bahi_db_exec(req, &sync_outcome, 8, p);
		if (res == NULL)
			return -1;
		dup = PQntuples(res) == 0;
	}
	if (bahi_tx_commit(req) != 0)
		return -1;
	if (dup)
		return bahi_buf_puts(b, ",\"status\":\"duplicate\"}");
	int rc = bahi_buf_printf(b, ",\"status\":\"%s\"", status);
	rc |= bahi_buf_json_member(b, "id", m->id);
	if (version > 0)
		rc |= bahi_buf_printf(b, ",\"version\":%d", version);
	if (server != NULL)
		rc |= bahi_buf_printf(b, ",\"server\":%s", server);
	if (strcmp(status, "rejected") == 0)
		rc |= bahi_buf_printf(b, ",\"error\":%s", o->body);
	return rc | bahi_buf_putc(b, '}');
}

/* Writes an applied mutation's result: its record's id and new version. */
static int
settle_applied(mutation *m, const outcome *o, bahi_buf *b)
{
	cJSON *body = o->status == 204 ? NULL : cJSON_Parse(o->body);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "version");
	int rc = bahi_buf_puts(b, ",\"status\":\"applied\"");
	rc |= bahi_buf_json_member(b, "id", m->id);
	if (cJSON_IsNumber(v))
		rc |= bahi_buf_printf(b, ",\"version\":%d", (int)v->valuedouble);
	cJSON_Delete(body);
	return rc | bahi_buf_putc(b, '}');
}

/* Applies one mutation and writes its result. -1 with a problem when the
 * whole push must stop (the session ended, the database is away). */
static int
push_one(bahi_req *req, const bahi_worker_def *const *workers, int nworkers, mutation *m,
         bahi_buf *b)
{
	outcome o = {0};
	if (strcmp(m->op, "create") == 0)
		create_id(req, m);
	run_route(req, workers, nworkers, m, &o);
	if (o.status == 401)
		return bahi_fail(req, "unauthorized", "This session has ended; sign in again.");
	if (o.status == 503)
		return bahi_fail(req, "service_unavailable", "The database is unavailable; push again.");
	int rc = bahi_buf_printf(b, "{\"mutation_id\":\"%s\"", m->mutation_id);
	if (m->duplicate)
		return rc | bahi_buf_puts(b, ",\"status\":\"duplicate\"}");
	if (o.ok)
		return rc | settle_applied(m, &o, b);
	return rc ? -1 : settle_failure(req, m, &o, b);
}

int
bahi_sync_push(bahi_req *req, const bahi_worker_def *const *workers, int nworkers)
{
	mutation *ms;
	int n, rc = 0;
	pushable_init();
	if (read_batch(req, &ms, &n) != 0)
		return -1;
	/* the push itself needs the sync permission; each mutation its route's */
	if (bahi_tx_begin(req, req->auth.business_id) != 0 ||
	    req->worker->authorize(req, "sync") != 0 || bahi_tx_commit(req) != 0)
		return -1;
	bahi_buf b;
	bahi_buf_init(&b, BAHI_MAX_RESPONSE);
	rc = bahi_buf_puts(&b, "{\"results\":[");
	for (int i = 0; i < n && rc == 0; i++) {
		if (i > 0)
			rc = bahi_buf_putc(&b, ',');
		if (rc == 0 && push_one(req, workers, nworkers, &ms[i], &b) != 0)
			rc = -1;
	}
	if (rc == 0 && bahi_buf_puts(&b, "]}") != 0)
		rc = bahi_fail(req, "internal_error", "The results are too large.");
	if (rc == 0)
		rc = bahi_resp_body(req, 200, "application/json", b.data, b.len);
	else if (req->problem.status == 0)
		bahi_fail(req, "internal_error", "The results could not be written.");
	bahi_buf_free(&b);
	return rc;
}
