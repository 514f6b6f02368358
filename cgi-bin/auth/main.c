/* bahi-auth: the auth worker (sign-up, sign-in, tokens, devices, users and roles, account export and deletion). */
#include "bahi_health.h"
#include "bahi_worker.h"

static const bahi_route auth_routes[] = {
	BAHI_HEALTH_ROUTES("auth"),
};

static const bahi_worker_def auth_worker = {
	.name = "auth",
	.routes = auth_routes,
	.nroutes = sizeof(auth_routes) / sizeof(auth_routes[0]),
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &auth_worker);
}
