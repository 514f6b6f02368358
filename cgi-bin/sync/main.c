/* bahi-sync: the sync worker (offline pull and push, and where each device stands). */
#include "bahi_health.h"
#include "bahi_session.h"
#include "bahi_worker.h"
#include "sync.h"

static const bahi_route sync_routes[] = {
	BAHI_HEALTH_ROUTES("sync"),
	{"GET", "/api/v1/sync/pull", sync_pull, BAHI_AUTH, "sync"},
	/* each mutation runs in a transaction of its own, through its API route */
	{"POST", "/api/v1/sync/push", sync_push, BAHI_AUTH | BAHI_JSON_BODY | BAHI_OWN_TX, "sync"},
	{"GET", "/api/v1/sync/status", sync_status, BAHI_AUTH, "devices.read"},
};

static const bahi_worker_def sync_worker = {
	.name = "sync",
	.routes = sync_routes,
	.nroutes = sizeof(sync_routes) / sizeof(sync_routes[0]),
	.authenticate = bahi_session_authenticate,
	.authorize = bahi_session_authorize,
	.settle = bahi_session_settle,
	.process_init = bahi_session_process_init,
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &sync_worker);
}
