/* bahi-invoicing: the invoicing worker (customers, invoices, incomplete sales, payments, debts and PDFs). */
#include "bahi_health.h"
#include "bahi_session.h"
#include "bahi_worker.h"
#include "invoicing.h"

#define USER_JSON (BAHI_AUTH | BAHI_JSON_BODY)

/* First match wins: literal paths come before the {id} patterns they would match. */
static const bahi_route invoicing_routes[] = {
	BAHI_HEALTH_ROUTES("invoicing"),
	/* customers */
	{"GET", "/api/v1/customers", invoicing_customers_list, BAHI_AUTH, "customers.read"},
	{"POST", "/api/v1/customers", invoicing_customers_create, USER_JSON, "customers.write"},
	{"GET", "/api/v1/customers/by-phone/{phone}", invoicing_customers_by_phone, BAHI_AUTH, "customers.read"},
	{"GET", "/api/v1/customers/{id}", invoicing_customers_get, BAHI_AUTH, "customers.read"},
	{"PATCH", "/api/v1/customers/{id}", invoicing_customers_patch, USER_JSON, "customers.write"},
	{"DELETE", "/api/v1/customers/{id}", invoicing_customers_delete, BAHI_AUTH, "customers.delete"},
};

static const bahi_worker_def invoicing_worker = {
	.name = "invoicing",
	.routes = invoicing_routes,
	.nroutes = sizeof(invoicing_routes) / sizeof(invoicing_routes[0]),
	.authenticate = bahi_session_authenticate,
	.authorize = bahi_session_authorize,
	.process_init = bahi_session_process_init,
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &invoicing_worker);
}
