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
	/* After a failed handler: answers a check authorize deferred that no
	 * statement has carried yet, so that its problem (401, 403) wins over
	 * the handler's. NULL: nothing to answer. */
	int (*settle)(struct bahi_req *req);
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
/* Listens on a unix socket path (a stale socket there is replaced; mode
 * 0660) or ":port": the descriptor, or -1 with a message on stderr. */
int bahi_prefork_open_socket(const char *path);
/* Writes the process id to path (a failure is reported on stderr). */
void bahi_prefork_write_pidfile(const char *path);
/* Reads method, path (DOCUMENT_URI, else REQUEST_URI without its query),
 * query and request id (nginx's, else a new one) from the FastCGI params. */
void bahi_req_read_params(struct bahi_req *req);
/* Handles one accepted request from start to finish (exposed for tests). */
void bahi_worker_handle(const bahi_worker_def *def, struct FCGX_Request *fr);

/* Runs a request made inside the process (bahi_req_local, then method,
 * path, auth, json and local_params set by the caller) through def's routes
 * as if it had come over HTTP, minus authentication (the caller's auth is
 * taken as verified): the route's permission, transaction, idempotency and
 * change log as usual. The response stays in req (status, out, problem).
 * 0, or -1 with req->problem (the transaction rolled back). */
int bahi_worker_run_local(const bahi_worker_def *def, struct bahi_req *req);

/* A request context for work outside HTTP (command-line tools, jobs): a
 * pool, buffers and the database, no FastCGI. Free with bahi_req_local_free. */
void bahi_req_local(struct bahi_req *req, const bahi_worker_def *def);
void bahi_req_local_free(struct bahi_req *req);

#endif
