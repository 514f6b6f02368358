/* admin_account: my account page (who I am, my language) and changing my password. */
#include <string.h>

#include "admin.h"
#include "auth.h"
#include "bahi_req.h"
#include "bahi_users.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* POST /api/v1/auth/password's fields (never shown again). */
static const admin_field password_fields[] = {
	{"current_password", ADMIN_F_STRING, ADMIN_F_KEEP_EMPTY},
	{"new_password", ADMIN_F_STRING, ADMIN_F_KEEP_EMPTY},
};

static const struct {
	const char *role, *label;
} roles[] = {
	{"owner", N_("Owner")},
	{"admin", N_("Admin")},
	{"clerk", N_("Clerk")},
};

static const struct {
	const char *value, *label;
} languages[] = {
	{"en", "English"},
	{"ur", "اردو"},
};

/* The caller's account: name, phone, role, language, and the password form. */
static int
account_page(bahi_req *req)
{
	cJSON *u;
	bahi_tmpl_dict *d = admin_page(req, N_("My account"), "account", "account.html.tpl");
	if (d == NULL || bahi_users_get(req, req->auth.user_id, &u) != 0)
		return -1;
	static const char *const keys[] = {"name", "phone", NULL};
	admin_set_strs(d, u, keys);
	const char *role = admin_json_str(u, "role");
	bahi_tmpl_set(d, "role", role);
	for (size_t i = 0; i < NF(roles); i++)
		if (strcmp(role, roles[i].role) == 0)
			bahi_tmpl_set(d, "role", admin_t(req, roles[i].label));
	const admin_ctx *c = req->app;
	for (size_t i = 0; i < NF(languages); i++) {
		bahi_tmpl_dict *o = bahi_tmpl_section(d, "LANGUAGE");
		bahi_tmpl_set(o, "value", languages[i].value);
		bahi_tmpl_set(o, "label", languages[i].label);
		if (strcmp(c->lang, languages[i].value) == 0)
			bahi_tmpl_show(o, "SELECTED");
	}
	cJSON_Delete(u);
	admin_form_errors(req, d);
	return 0;
}

static int
account_get(bahi_req *req)
{
	return account_page(req) != 0 ? -1 : admin_render(req);
}

/* Changes the caller's password; every session ends, this browser's too,
 * so the visitor signs in again with the new password. */
static int
password_post(bahi_req *req)
{
	if (admin_form_begin(req) != 0)
		return -1;
	const char *next = bahi_req_form(req, "new_password");
	const char *again = bahi_req_form(req, "new_password_again");
	if (next != NULL && again != NULL && strcmp(next, again) != 0) {
		bahi_problem_field(&req->problem, "new_password_again", "mismatch",
		                   N_("The two new passwords are not the same."));
		return admin_reshow(req, "session", account_page);
	}
	cJSON *body = admin_form_json(req, password_fields, NF(password_fields));
	if (body == NULL ||
	    admin_apply(req, &auth_worker, "POST", "/api/v1/auth/password", body, 0, NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "session", account_page);
	}
	cJSON_Delete(body);
	admin_clear_session_cookie(req);
	return admin_redirect(req, "/admin/login?done=password");
}

static const bahi_route routes[] = {
	{"GET", "/admin/account", account_get, ADMIN_PAGE, "session"},
	{"POST", "/admin/account/password", password_post, ADMIN_FORM, "session"},
};
ADMIN_ROUTES(admin_account_routes, routes);
