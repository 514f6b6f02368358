/* admin_page: the caller's page context, the layout every page shares, redirects and error pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "admin.h"
#include "bahi_db.h"
#include "bahi_i18n.h"
#include "bahi_money.h"
#include "bahi_perm.h"
#include "bahi_req.h"
#include "bahi_session.h"

/* The sidebar: each item shown to roles holding its permission. */
static const struct {
	const char *key, *href, *label, *perm;
} nav_items[] = {
	{"dashboard", "/admin/", N_("Dashboard"), "session"},
	{"sale", "/admin/sales/new", N_("New sale"), "sales.write"},
	{"invoices", "/admin/invoices", N_("Invoices"), "sales.read"},
	{"debts", "/admin/debts", N_("Debts"), "sales.read"},
	{"customers", "/admin/customers", N_("Customers"), "customers.read"},
	{"products", "/admin/products", N_("Products"), "catalog.read"},
	{"categories", "/admin/categories", N_("Categories"), "catalog.read"},
	{"suppliers", "/admin/suppliers", N_("Suppliers"), "stock.read"},
	{"settings", "/admin/settings", N_("Settings"), "business.write"},
	{"account", "/admin/account", N_("My account"), "session"},
};

/* What ?done= after a form's redirect says (anything else says nothing). */
static const struct {
	const char *code, *message;
} done_messages[] = {
	{"saved", N_("Saved.")},
	{"created", N_("Created.")},
	{"deleted", N_("Deleted.")},
	{"paid", N_("Payment recorded.")},
	{"voided", N_("Invoice voided.")},
	{"revoked", N_("Device signed out.")},
	{"stock", N_("Stock updated.")},
	{"password", N_("Password changed.")},
	{"imported", N_("Supplier invoice confirmed.")},
	{"sold", N_("Sale recorded.")},
	{"incomplete", N_("Paid short: the sale was kept as an incomplete sale.")},
	{"returned", N_("Credit note issued.")},
};

static BAHI_STMT(admin_ctx_read,
	"SELECT u.name, COALESCE(u.language, b.language), b.name, b.currency, b.timezone,"
	" to_jsonb(b) ->> 'number_grouping'"
	" FROM users u JOIN businesses b ON b.id = u.business_id"
	" WHERE u.business_id = $1 AND u.id = $2");

admin_ctx *
admin_ctx_get(bahi_req *req)
{
	if (req->app != NULL)
		return req->app;
	const char *p[2] = {req->auth.business_id, req->auth.user_id};
	PGresult *res = bahi_db_exec(req, &admin_ctx_read, 2, p);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) != 1) {
		bahi_fail(req, "unauthorized", "This session has ended; sign in again.");
		return NULL;
	}
	admin_ctx *c = bahi_pool_alloc(req->pool, sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->user_name = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	c->lang = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 1));
	c->business_name = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 2));
	c->currency = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 3));
	c->timezone = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 4));
	bahi_grouping g = BAHI_GROUP_LAKH;
	if (!PQgetisnull(res, 0, 5))
		bahi_grouping_parse(bahi_db_get(res, 0, 5), &g);
	c->grouping = (int)g;
	c->decimals = bahi_currency_decimals(c->currency);
	c->rtl = bahi_i18n_is_rtl(c->lang);
	c->role = req->auth.role;
	c->csrf = admin_csrf_token(req);
	req->app = c;
	bahi_tmpl_set_lang(c->lang);
	/* the process handles one request at a time: local times are the business's */
	char tz[80];
	snprintf(tz, sizeof(tz), ":%s", c->timezone);
	setenv("TZ", tz, 1);
	tzset();
	return c;
}

const char *
admin_t(bahi_req *req, const char *msgid)
{
	admin_ctx *c = req->app;
	return bahi_i18n_get(c != NULL ? c->lang : "en", msgid);
}

/* The layout's values: language and direction, the caller, the sidebar. */
static void
layout_fill(bahi_req *req, admin_ctx *c, const char *nav)
{
	bahi_tmpl_dict *d = c->layout;
	bahi_tmpl_set_global(d, "lang", c->lang);
	bahi_tmpl_set_global(d, "dir", c->rtl ? "rtl" : "ltr");
	bahi_tmpl_set_global(d, "csrf", c->csrf);
	bahi_tmpl_set(d, "user_name", c->user_name);
	bahi_tmpl_set(d, "business_name", c->business_name);
	bahi_tmpl_set(d, "other_lang", strcmp(c->lang, "ur") == 0 ? "en" : "ur");
	bahi_tmpl_set(d, "other_lang_name", strcmp(c->lang, "ur") == 0 ? "English" : "اردو");
	for (size_t i = 0; i < sizeof(nav_items) / sizeof(nav_items[0]); i++) {
		if (!bahi_perm_allows(c->role, nav_items[i].perm))
			continue;
		bahi_tmpl_dict *n = bahi_tmpl_section(d, "NAV");
		bahi_tmpl_set(n, "href", nav_items[i].href);
		bahi_tmpl_set(n, "label", admin_t(req, nav_items[i].label));
		if (nav != NULL && strcmp(nav, nav_items[i].key) == 0)
			bahi_tmpl_show(n, "CURRENT");
	}
	const char *done = bahi_req_query(req, "done");
	for (size_t i = 0; done != NULL && i < sizeof(done_messages) / sizeof(done_messages[0]); i++)
		if (strcmp(done, done_messages[i].code) == 0)
			bahi_tmpl_set(bahi_tmpl_section(d, "FLASH"), "message",
			              admin_t(req, done_messages[i].message));
}

bahi_tmpl_dict *
admin_page(bahi_req *req, const char *title, const char *nav, const char *tpl)
{
	admin_ctx *c = admin_ctx_get(req);
	if (c == NULL)
		return NULL;
	c->layout = bahi_tmpl_dict_new(req->pool);
	c->title = admin_t(req, title);
	bahi_tmpl_set(c->layout, "title", c->title);
	layout_fill(req, c, nav);
	c->body = bahi_tmpl_include(c->layout, "BODY", tpl);
	c->body_file = tpl;
	return c->body;
}

int
admin_render_file(bahi_req *req, const char *file, bahi_tmpl_dict *d, int status)
{
	bahi_buf_reset(&req->out);
	if (d == NULL || bahi_tmpl_render(file, d, &req->out) != 0)
		return bahi_fail(req, "internal_error", "The page could not be rendered.");
	req->status = status;
	req->content_type = "text/html; charset=utf-8";
	bahi_resp_header(req, "Cache-Control", "no-store");
	return 0;
}

int
admin_render_status(bahi_req *req, int status)
{
	admin_ctx *c = req->app;
	return admin_render_file(req, "layout.html.tpl", c != NULL ? c->layout : NULL, status);
}

const char *
admin_visitor_lang(bahi_req *req)
{
	const char *l = bahi_req_query(req, "lang");
	if (l == NULL)
		l = bahi_req_form(req, "lang");
	if (l != NULL && (strcmp(l, "en") == 0 || strcmp(l, "ur") == 0))
		return l;
	const char *al = bahi_req_header(req, "Accept-Language");
	return al != NULL && strncmp(al, "ur", 2) == 0 ? "ur" : "en";
}

bahi_tmpl_dict *
admin_visitor_page(bahi_req *req, const char **lang)
{
	*lang = admin_visitor_lang(req);
	bahi_tmpl_set_lang(*lang);
	bahi_tmpl_dict *d = bahi_tmpl_dict_new(req->pool);
	bahi_tmpl_set_global(d, "lang", *lang);
	bahi_tmpl_set_global(d, "dir", bahi_i18n_is_rtl(*lang) ? "rtl" : "ltr");
	bahi_tmpl_set_global(d, "csrf", admin_anon_csrf(req));
	return d;
}

int
admin_render(bahi_req *req)
{
	return admin_render_status(req, 200);
}

int
admin_redirect(bahi_req *req, const char *location)
{
	/* only paths of this site: never an open redirect */
	if (location == NULL || strncmp(location, "/admin", 6) != 0 || strstr(location, "//") != NULL)
		location = "/admin/";
	bahi_resp_header(req, "Location", location);
	bahi_resp_header(req, "Cache-Control", "no-store");
	return bahi_resp_body(req, 303, "text/plain; charset=utf-8", "", 0);
}

int
admin_in_tx(bahi_req *req, const char *perm, int (*fn)(bahi_req *req))
{
	if (bahi_tx_begin(req, req->auth.business_id) != 0 ||
	    bahi_session_authorize(req, perm) != 0 || fn(req) != 0 || bahi_tx_commit(req) != 0) {
		bahi_tx_rollback(req);
		return -1;
	}
	return 0;
}

/* The page of a problem: within the layout when the caller's context was
 * read before the failure, else the bare error page. */
void
admin_error_page(bahi_req *req)
{
	bahi_problem *p = &req->problem;
	admin_ctx *c = req->app;
	const char *lang = c != NULL ? c->lang : "en";
	bahi_tmpl_set_lang(lang);
	bahi_tmpl_dict *d = bahi_tmpl_dict_new(req->pool);
	bahi_tmpl_set_int(d, "status", p->status);
	bahi_tmpl_set(d, "title", bahi_i18n_get(lang, p->title));
	bahi_tmpl_set(d, "detail", p->detail ? bahi_i18n_get(lang, p->detail) : "");
	bahi_tmpl_set(d, "lang", lang);
	bahi_tmpl_set(d, "dir", c != NULL && c->rtl ? "rtl" : "ltr");
	bahi_buf_reset(&req->out);
	req->status = p->status;
	req->content_type = "text/html; charset=utf-8";
	if (bahi_tmpl_render("error.html.tpl", d, &req->out) != 0)
		bahi_resp_problem(req);
}
