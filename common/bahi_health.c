/* bahi_health: answers health checks with one database round trip. */
#include "bahi_health.h"

#include <string.h>

#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_req.h"
#include "bahi_worker.h"

static BAHI_STMT(health_ping, "SELECT 1");

int
bahi_health_handler(bahi_req *req)
{
	PGresult *res = bahi_db_exec(req, &health_ping, 0, NULL);
	if (res == NULL) {
		bahi_fail(req, "service_unavailable", "The database is unreachable.");
		req->problem.retry_after = 1;
		return -1;
	}
	bahi_buf_reset(&req->out);
	bahi_buf_puts(&req->out, "{\"status\":\"ok\",\"db\":\"ok\",\"version\":\"");
	bahi_buf_json_escape(&req->out, bahi_config_get("version"));
	bahi_buf_puts(&req->out, "\",\"worker\":\"");
	bahi_buf_json_escape(&req->out, req->worker->name);
	bahi_buf_puts(&req->out, "\"}");
	req->status = 200;
	req->content_type = "application/json";
	return 0;
}
