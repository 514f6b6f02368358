/* bahi-sync: the sync worker (offline pull and push and the live change stream). */
#include "bahi_health.h"
#include "bahi_worker.h"

static const bahi_route sync_routes[] = {
	BAHI_HEALTH_ROUTES("sync"),
};

static const bahi_worker_def sync_worker = {
	.name = "sync",
	.routes = sync_routes,
	.nroutes = sizeof(sync_routes) / sizeof(sync_routes[0]),
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &sync_worker);
}
