/* bahi-invoicing: the invoicing worker (customers, invoices, incomplete sales, payments, debts and PDFs). */
#include "bahi_health.h"
#include "bahi_worker.h"

static const bahi_route invoicing_routes[] = {
	BAHI_HEALTH_ROUTES("invoicing"),
};

static const bahi_worker_def invoicing_worker = {
	.name = "invoicing",
	.routes = invoicing_routes,
	.nroutes = sizeof(invoicing_routes) / sizeof(invoicing_routes[0]),
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &invoicing_worker);
}
