/* bahi-catalog: the catalog worker (categories, products, stock, suppliers, batches and images). */
#include "bahi_health.h"
#include "bahi_worker.h"

static const bahi_route catalog_routes[] = {
	BAHI_HEALTH_ROUTES("catalog"),
};

static const bahi_worker_def catalog_worker = {
	.name = "catalog",
	.routes = catalog_routes,
	.nroutes = sizeof(catalog_routes) / sizeof(catalog_routes[0]),
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &catalog_worker);
}
