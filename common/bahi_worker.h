/* bahi_worker: the common main of every worker: pre-forking FastCGI server and request dispatch. */
#ifndef BAHI_WORKER_H
#define BAHI_WORKER_H

#include <stddef.h>

#include "bahi_router.h"

struct bahi_req;
struct FCGX_Request;

typedef struct bahi_worker_def {
	const char *name;               /* route group: "auth", "catalog"... */
	const bahi_route *routes;
	size_t nroutes;
	/* Checks the caller's credentials (no database) and fills req->auth.
	 * NULL: routes flagged BAHI_AUTH answer 401. 0 or -1 with a problem. */
	int (*authenticate)(struct bahi_req *req);
	/* Inside the request's transaction, before the handler: confirms the
	 * session (device not revoked...) and the route's permission. It may
	 * defer its check to go out with the handler's first statement
	 * (bahi_db_defer: the server runs nothing after a failed check, and the
	 * handler sees no result before the check's), as bahi_session does
	 * for GET; the request then fails with the check's problem. */
	int (*authorize)(struct bahi_req *req, const char *permission);
	/* Renders req->problem when set (the admin worker's HTML pages);
	 * NULL: problem+json. */
	void (*render_problem)(struct bahi_req *req);
	/* Called once in each worker process after fork (prepare caches...). */
	void (*process_init)(void);
} bahi_worker_def;

/* Exit status of a worker process that cannot run with its configuration;
 * the supervisor then stops instead of restarting it. */
#define BAHI_EXIT_CONFIG 3

/* Parses --config, --socket, --processes, --pidfile; opens the socket; forks
 * the processes and restarts any that die; stops them on SIGTERM. */
int bahi_worker_main(int argc, char **argv, const bahi_worker_def *def);
/* Handles one accepted request from start to finish (exposed for tests). */
void bahi_worker_handle(const bahi_worker_def *def, struct FCGX_Request *fr);

/* A request context for work outside HTTP (command-line tools, jobs): a
 * pool, buffers and the database, no FastCGI. Free with bahi_req_local_free. */
void bahi_req_local(struct bahi_req *req, const bahi_worker_def *def);
void bahi_req_local_free(struct bahi_req *req);

#endif
