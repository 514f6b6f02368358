/* bahi_log: one-line JSON logging to stderr (journald in production). */
#include "bahi_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "bahi_buf.h"
#include "bahi_req.h"

static const char *log_worker = "bahi";

void
bahi_log_init(const char *worker)
{
	log_worker = worker;
}

static void
log_time(bahi_buf *b)
{
	struct timeval tv;
	struct tm tm;
	char ts[32];
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	bahi_buf_printf(b, "{\"time\":\"%s.%03ldZ\",\"worker\":\"%s\"", ts,
	                (long)(tv.tv_usec / 1000), log_worker);
}

static void
log_emit(bahi_buf *b)
{
	if (b->overflow) {
		bahi_buf_reset(b);
		log_time(b);
		bahi_buf_json_member(b, "msg", "log line too long");
	}
	bahi_buf_puts(b, "}\n");
	fwrite(b->data, 1, b->len, stderr);
	fflush(stderr);
	bahi_buf_free(b);
}

void
bahi_log_request(bahi_req *req)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(now.tv_sec - req->started.tv_sec) * 1e3 +
	            (double)(now.tv_nsec - req->started.tv_nsec) / 1e6;
	bahi_buf b;
	bahi_buf_init(&b, 8192);
	log_time(&b);
	bahi_buf_json_member(&b, "request_id", req->request_id);
	bahi_buf_json_member(&b, "method", req->method);
	bahi_buf_json_member(&b, "path", req->path);
	bahi_buf_printf(&b, ",\"status\":%d,\"duration_ms\":%.3f", req->status, ms);
	bahi_buf_json_member(&b, "business", req->auth.business_id);
	if (req->status >= 400 && req->problem.code != NULL)
		bahi_buf_json_member(&b, "code", req->problem.code);
	log_emit(&b);
}

static void
log_message(bahi_req *req, const char *level, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	bahi_buf b;
	bahi_buf_init(&b, 4096);
	log_time(&b);
	bahi_buf_json_member(&b, "level", level);
	if (req != NULL)
		bahi_buf_json_member(&b, "request_id", req->request_id);
	bahi_buf_json_member(&b, "msg", msg);
	log_emit(&b);
}

void
bahi_log_error(bahi_req *req, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_message(req, "error", fmt, ap);
	va_end(ap);
}

void
bahi_log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_message(NULL, "info", fmt, ap);
	va_end(ap);
}
