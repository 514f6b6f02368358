/* bahi_health: the health endpoint every worker answers. */
#ifndef BAHI_HEALTH_H
#define BAHI_HEALTH_H

struct bahi_req;

/* GET /api/v1/health and /api/v1/<group>/health: one SELECT 1.
 * 200 {"status":"ok","db":"ok","version","worker"}; 503 problem when the
 * database is unreachable. */
int bahi_health_handler(struct bahi_req *req);

/* The two health routes of a worker whose group is the string literal g. */
#define BAHI_HEALTH_ROUTES(g) \
	{"GET", "/api/v1/health", bahi_health_handler, BAHI_PUBLIC, NULL}, \
	{"GET", "/api/v1/" g "/health", bahi_health_handler, BAHI_PUBLIC, NULL}

#endif
