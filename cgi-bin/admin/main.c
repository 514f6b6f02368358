/* bahi-admin: the admin worker, the browser admin panel rendered from templates/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "bahi_config.h"
#include "bahi_health.h"
#include "bahi_i18n.h"
#include "bahi_jwt.h"
#include "bahi_log.h"
#include "bahi_req.h"
#include "bahi_session.h"
#include "bahi_worker.h"

static const bahi_route health_routes[] = {
	BAHI_HEALTH_ROUTES("admin"),
};
static ADMIN_ROUTES(admin_health_routes, health_routes);

/* Every group of the panel's routes; first match wins across them. */
static const admin_routes *const groups[] = {
	&admin_health_routes,
	&admin_signin_routes,
	&admin_dashboard_routes,
	&admin_categories_routes,
	&admin_products_routes,
	&admin_suppliers_routes,
	&admin_customers_routes,
	&admin_sales_routes,
	&admin_invoices_routes,
	&admin_settings_routes,
	&admin_users_routes,
	&admin_devices_routes,
	&admin_account_routes,
	&admin_signup_routes,
};

/* Renews the cookie of a session past half its life, so that a shop open
 * all day is not signed out in the middle of a sale. */
static void
renew_cookie(bahi_req *req, long expires)
{
	if (expires - (long)time(NULL) > BAHI_JWT_WEB_TTL / 2)
		return;
	bahi_claims c;
	memset(&c, 0, sizeof(c));
	snprintf(c.sub, sizeof(c.sub), "%s", req->auth.user_id);
	snprintf(c.bid, sizeof(c.bid), "%s", req->auth.business_id);
	snprintf(c.did, sizeof(c.did), "%s", req->auth.device_id);
	snprintf(c.role, sizeof(c.role), "%s", req->auth.role);
	c.ver = req->auth.token_version;
	char *tok = bahi_jwt_issue_kind(&c, time(NULL), BAHI_JWT_WEB);
	if (tok != NULL)
		admin_set_session_cookie(req, tok);
	free(tok);
}

/* The session cookie's web token, verified without the database (the
 * session itself is checked in each request's transaction). */
static int
admin_authenticate(bahi_req *req)
{
	long expires = 0;
	if (bahi_session_authenticate_web(req, bahi_req_cookie(req, ADMIN_COOKIE), &expires) != 0)
		return -1;
	renew_cookie(req, expires);
	return 0;
}

/* Problems on /admin/ pages are HTML pages (a signed-out visitor is sent to
 * the sign-in page); the JSON health routes keep problem+json. */
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
	if (p->status == 401) {
		admin_clear_session_cookie(req);
		const char *next = strcmp(req->method, "GET") == 0 ? req->path : "/admin/";
		admin_redirect(req, bahi_pool_printf(req->pool, "/admin/login?next=%s",
		                                     admin_url_encode(req, next)));
		return;
	}
	admin_error_page(req);
	if (p->allow != NULL)
		bahi_resp_header(req, "Allow", p->allow);
}

static void
admin_process_init(void)
{
	bahi_session_process_init();
	bahi_tmpl_set_root(bahi_config_get("template_dir"));
	const char *po = bahi_config_get("locale_dir");
	if (po != NULL && bahi_i18n_load(po) != 0)
		bahi_log_error(NULL, "translations in %s could not all be read", po);
	bahi_tmpl_set_translator(bahi_i18n_lookup);
}

static bahi_worker_def admin_worker = {
	.name = "admin",
	.authenticate = admin_authenticate,
	.authorize = bahi_session_authorize,
	.settle = bahi_session_settle,
	.render_problem = admin_render_problem,
	.process_init = admin_process_init,
};

/* The groups' routes as one table. */
static void
build_routes(void)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		n += groups[i]->n;
	bahi_route *all = calloc(n, sizeof(*all));
	if (all == NULL)
		abort();
	n = 0;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		memcpy(all + n, groups[i]->routes, groups[i]->n * sizeof(*all));
		n += groups[i]->n;
	}
	admin_worker.routes = all;
	admin_worker.nroutes = n;
}

int
main(int argc, char **argv)
{
	build_routes();
	return bahi_worker_main(argc, argv, &admin_worker);
}
