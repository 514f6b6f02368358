/* sync_handlers: HTTP handlers for /sync/pull, /sync/push and /sync/status. */
#include "sync.h"

#include "bahi_req.h"
#include "bahi_sync.h"
#include "bahi_valid.h"
#include "bahi_worker.h"
#include "catalog.h"
#include "invoicing.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const bahi_field pull_fields[] = {
	{"limit", BAHI_V_INT, 0, 1, BAHI_SYNC_PULL_MAX, NULL, NULL, 0},
	{"cursor", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0},
};

int
sync_pull(bahi_req *req)
{
	bahi_value v[NF(pull_fields)];
	if (bahi_valid_query(req, pull_fields, NF(pull_fields), v) != 0)
		return -1;
	return bahi_sync_pull(req, v[1].s, v[0].present ? (int)v[0].i : BAHI_SYNC_PULL_DEFAULT);
}

/* The route groups a pushed mutation may go through. */
static const bahi_worker_def *const push_groups[] = {&catalog_worker, &invoicing_worker};

int
sync_push(bahi_req *req)
{
	return bahi_sync_push(req, push_groups, (int)NF(push_groups));
}

int
sync_status(bahi_req *req)
{
	cJSON *out;
	if (bahi_valid_query(req, NULL, 0, NULL) != 0 || bahi_sync_status(req, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
