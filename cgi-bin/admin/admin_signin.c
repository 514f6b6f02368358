/* admin_signin: the sign-in page, signing in as a web device, and signing out. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "auth.h"
#include "bahi_account.h"
#include "bahi_i18n.h"
#include "bahi_jwt.h"
#include "bahi_req.h"
#include "bahi_session.h"
#include "bahi_users.h"

/* Where to go after signing in: a panel path, else the dashboard. */
static const char *
next_path(bahi_req *req)
{
	const char *next = bahi_req_form(req, "next");
	if (next == NULL)
		next = bahi_req_query(req, "next");
	if (next == NULL || strncmp(next, "/admin", 6) != 0 || strstr(next, "//") != NULL ||
	    strncmp(next, "/admin/logout", 13) == 0)
		return "/admin/";
	return next;
}

/* The sign-in page (status 200, or 401 after a wrong password), in the
 * browser's language when it asks for Urdu first. */
static int
signin_page(bahi_req *req, int status, const char *error)
{
	const char *lang;
	bahi_tmpl_dict *d = admin_visitor_page(req, &lang);
	bahi_tmpl_set(d, "next", next_path(req));
	const char *phone = bahi_req_form(req, "phone");
	bahi_tmpl_set(d, "phone", phone ? phone : "");
	if (error != NULL)
		bahi_tmpl_set(bahi_tmpl_section(d, "ERROR"), "message", bahi_i18n_get(lang, error));
	else if (bahi_req_query(req, "done") != NULL && strcmp(bahi_req_query(req, "done"), "password") == 0)
		bahi_tmpl_set(bahi_tmpl_section(d, "NOTICE"), "message", bahi_i18n_get(lang,
		              N_("Your password was changed. Sign in with the new password.")));
	return admin_render_file(req, "signin.html.tpl", d, status);
}

static int
signin_get(bahi_req *req)
{
	/* a signed-in visitor goes straight in */
	if (bahi_req_cookie(req, ADMIN_COOKIE) != NULL && bahi_req_query(req, "lang") == NULL &&
	    bahi_session_authenticate_web(req, bahi_req_cookie(req, ADMIN_COOKIE), NULL) == 0)
		return admin_redirect(req, next_path(req));
	memset(&req->problem, 0, sizeof(req->problem));
	memset(&req->auth, 0, sizeof(req->auth));
	return signin_page(req, 200, NULL);
}

/* The browser's session: a web token for the device the sign-in made. */
int
admin_start_session(bahi_req *req, cJSON *session)
{
	const char *access = admin_json_str(session, "access_token");
	bahi_claims c;
	if (bahi_jwt_verify(access, time(NULL), &c) != 0)
		return bahi_fail(req, "internal_error", "The new session could not be read.");
	char *tok = bahi_jwt_issue_kind(&c, time(NULL), BAHI_JWT_WEB);
	if (tok == NULL)
		return bahi_fail(req, "internal_error", "The session could not be signed.");
	admin_set_session_cookie(req, tok);
	free(tok);
	return 0;
}

/* The device name a browser's session is listed under. */
const char *
admin_browser_name(bahi_req *req)
{
	const char *ua = bahi_req_header(req, "User-Agent");
	const char *name = "Browser";
	if (ua != NULL && strstr(ua, "Firefox") != NULL)
		name = "Firefox";
	else if (ua != NULL && strstr(ua, "Edg/") != NULL)
		name = "Edge";
	else if (ua != NULL && (strstr(ua, "Chrome") != NULL || strstr(ua, "Chromium") != NULL))
		name = "Chrome";
	else if (ua != NULL && strstr(ua, "Safari") != NULL)
		name = "Safari";
	return bahi_pool_printf(req->pool, "%s (web)", name);
}

static int
signin_post(bahi_req *req)
{
	if (admin_anon_form_begin(req) != 0)
		return -1;
	const char *phone = admin_form(req, "phone");
	const char *password = bahi_req_form(req, "password");
	if (phone == NULL || *phone == '\0' || password == NULL || *password == '\0')
		return signin_page(req, 422, N_("Enter your phone number and password."));
	bahi_device_in dev = {.id = NULL, .name = admin_browser_name(req), .platform = "web"};
	cJSON *out = NULL;
	if (bahi_account_login(req, phone, password, &dev, &out) != 0) {
		if (req->problem.code == NULL || strcmp(req->problem.code, "invalid_credentials") != 0)
			return -1;
		/* the failed attempt is logged (keep_changes): commit it with the page */
		memset(&req->problem, 0, sizeof(req->problem));
		return signin_page(req, 401, N_("The phone number or password is wrong."));
	}
	int rc = admin_start_session(req, out);
	cJSON_Delete(out);
	return rc != 0 ? -1 : admin_redirect(req, next_path(req));
}

/* Ends this browser's device session (the cookie goes too). */
static int
signout_post(bahi_req *req)
{
	if (admin_form_begin(req) != 0 || admin_apply(req, &auth_worker, "POST", "/api/v1/auth/logout",
	                                              NULL, 0, NULL) != 0) {
		/* an ended session signs out all the same */
		if (req->problem.status != 401)
			return -1;
	}
	admin_clear_session_cookie(req);
	return admin_redirect(req, "/admin/login");
}

/* The language switch in the top bar: the caller's own language. */
static int
language_post(bahi_req *req)
{
	if (admin_form_begin(req) != 0 ||
	    bahi_users_set_own_language(req, admin_form(req, "language")) != 0)
		return -1;
	const char *back = bahi_req_header(req, "Referer");
	const char *path = back != NULL ? strstr(back, "/admin") : NULL;
	return admin_redirect(req, path != NULL ? path : "/admin/");
}

static const bahi_route routes[] = {
	{"POST", "/admin/language", language_post, ADMIN_PAGE, "session"},
	{"GET", "/admin/login", signin_get, BAHI_PUBLIC, NULL},
	{"POST", "/admin/login", signin_post, BAHI_TX, NULL},
	{"POST", "/admin/logout", signout_post, ADMIN_FORM, NULL},
};
ADMIN_ROUTES(admin_signin_routes, routes);
