/* bahi_router: a table of routes (method, path pattern, handler, auth, permission). */
#ifndef BAHI_ROUTER_H
#define BAHI_ROUTER_H

#include <stddef.h>

struct bahi_req;

typedef int (*bahi_handler_fn)(struct bahi_req *req);

/* Route flags. */
#define BAHI_PUBLIC     0x00u  /* no authentication */
#define BAHI_AUTH       0x01u  /* a valid access token (or app key) is required */
#define BAHI_TX         0x02u  /* run the handler in one transaction, tenant-scoped */
#define BAHI_JSON_BODY  0x04u  /* the body must be a JSON object; parsed before the handler */
#define BAHI_BIG_BODY   0x08u  /* the body may be up to BAHI_MAX_UPLOAD (CSV uploads) */
#define BAHI_GENERIC    0x10u  /* plan statements once (bahi_tx_generic_plans): hot writes */
#define BAHI_OWN_TX     0x20u  /* with BAHI_AUTH: authenticated, but the handler authorizes
                                  and runs its own transactions (sync push) */
#define BAHI_CHECK_LATE 0x40u  /* with BAHI_AUTH on a write: the session check goes out with
                                  the handler's first statement, as a read's does; for
                                  handlers that touch nothing outside the database and read
                                  no role before it (the hot sales writes) */

typedef struct bahi_route {
	const char *method;      /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *pattern;     /* "/api/v1/products/{id}"; {name} matches one segment */
	bahi_handler_fn handler;
	unsigned flags;
	const char *permission;  /* required permission, or NULL */
} bahi_route;

typedef enum {
	BAHI_ROUTE_FOUND,
	BAHI_ROUTE_NOT_FOUND,
	BAHI_ROUTE_BAD_METHOD
} bahi_route_result;

typedef struct bahi_route_match {
	const bahi_route *route;
	size_t ncaptures;
	const char *name_start[4];
	size_t name_len[4];
	const char *values_start[4];
	size_t values_len[4];
	char allow[64];          /* methods allowed on the path, for 405 */
} bahi_route_match;

/* Matches method and path against n routes. HEAD matches GET routes. */
bahi_route_result bahi_router_match(const bahi_route *routes, size_t n,
                                    const char *method, const char *path,
                                    bahi_route_match *m);

#endif
