/* bahi_log: JSON log lines on stderr, one per request plus errors. */
#ifndef BAHI_LOG_H
#define BAHI_LOG_H

struct bahi_req;

/* The worker name put on every line ("auth"). */
void bahi_log_init(const char *worker);
/* One line for a finished request: time, worker, request id, method, path,
 * status, duration in ms, business. */
void bahi_log_request(struct bahi_req *req);
/* An error or notice line: {"time","level","worker","request_id"?,"msg"}. */
void bahi_log_error(struct bahi_req *req, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void bahi_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
