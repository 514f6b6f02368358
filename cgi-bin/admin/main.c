/* bahi-admin: the admin worker, the browser admin panel rendered from templates/. */
#include <string.h>

#include "bahi_config.h"
#include "bahi_health.h"
#include "bahi_req.h"
#include "bahi_tmpl.h"
#include "bahi_worker.h"

static const bahi_route admin_routes[] = {
	BAHI_HEALTH_ROUTES("admin"),
};

/* Problems on /admin/ pages are HTML pages; the JSON health routes keep problem+json. */
static void
admin_render_problem(bahi_req *req)
{
	bahi_problem *p = &req->problem;
	if (p->status == 0)
		bahi_problem_set(p, "internal_error", NULL);
	if (strncmp(req->path, "/admin", 6) != 0) {
		bahi_resp_problem(req);
		return;
	}
	bahi_tmpl_dict *d = bahi_tmpl_dict_new(req->pool);
	bahi_tmpl_set_int(d, "status", p->status);
	bahi_tmpl_set(d, "title", p->title);
	bahi_tmpl_set(d, "detail", p->detail ? p->detail : "");
	bahi_buf_reset(&req->out);
	req->status = p->status;
	req->content_type = "text/html; charset=utf-8";
	if (bahi_tmpl_render("error.html.tpl", d, &req->out) != 0)
		bahi_resp_problem(req);
	if (p->allow != NULL)
		bahi_resp_header(req, "Allow", p->allow);
}

static void
admin_process_init(void)
{
	bahi_tmpl_set_root(bahi_config_get("template_dir"));
}

static const bahi_worker_def admin_worker = {
	.name = "admin",
	.routes = admin_routes,
	.nroutes = sizeof(admin_routes) / sizeof(admin_routes[0]),
	.render_problem = admin_render_problem,
	.process_init = admin_process_init,
};

int
main(int argc, char **argv)
{
	return bahi_worker_main(argc, argv, &admin_worker);
}
