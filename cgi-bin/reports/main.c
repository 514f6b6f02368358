/* bahi-reports: the reports worker (dashboards and reports). */
#include "bahi_health.h"
#include "bahi_worker.h"

static const bahi_route reports_routes[] = {
	BAHI_HEALTH_ROUTES("reports"),
};

static const bahi_worker_def reports_worker = {
	.name = "reports",
	.routes = reports_routes,
	.nroutes = sizeof(reports_routes) / sizeof(reports_routes[0]),
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &reports_worker);
}
