/* bahi-ledger: the ledger worker (chart of accounts, journals, cash book, banks, expenses, staff and budgets). */
#include "bahi_health.h"
#include "bahi_worker.h"

static const bahi_route ledger_routes[] = {
	BAHI_HEALTH_ROUTES("ledger"),
};

static const bahi_worker_def ledger_worker = {
	.name = "ledger",
	.routes = ledger_routes,
	.nroutes = sizeof(ledger_routes) / sizeof(ledger_routes[0]),
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &ledger_worker);
}
