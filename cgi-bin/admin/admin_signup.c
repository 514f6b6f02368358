/* admin_signup: a new shop's sign-up in the browser: a code sent by SMS, then the account, the shop and a signed-in session. */
#include <string.h>

#include "admin.h"
#include "auth.h"
#include "bahi_i18n.h"
#include "bahi_req.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* The API's field names as the form's labels say them. */
static const struct {
	const char *field, *label;
} field_labels[] = {
	{"phone", N_("Phone number")},
	{"otp", N_("Code")},
	{"password", N_("Password")},
	{"name", N_("Your name")},
	{"business.name", N_("Shop name")},
	{"business.currency", N_("Currency")},
	{"business.timezone", N_("Time zone")},
};

/* req->problem (when set) as the form's error box, in lang. */
static void
set_errors(bahi_req *req, bahi_tmpl_dict *d, const char *lang)
{
	const bahi_problem *p = &req->problem;
	if (p->status == 0)
		return;
	bahi_tmpl_dict *e = bahi_tmpl_section(d, "ERRORS");
	bahi_tmpl_set(e, "title", bahi_i18n_get(lang, p->title ? p->title : ""));
	if (p->detail != NULL && p->nerrors == 0)
		bahi_tmpl_set(bahi_tmpl_section(e, "ERROR"), "message", bahi_i18n_get(lang, p->detail));
	for (size_t i = 0; i < p->nerrors; i++) {
		const char *label = p->errors[i].field;
		for (size_t j = 0; j < NF(field_labels); j++)
			if (strcmp(label, field_labels[j].field) == 0)
				label = field_labels[j].label;
		bahi_tmpl_set(bahi_tmpl_section(e, "ERROR"), "message",
		              bahi_pool_printf(req->pool, "%s: %s", bahi_i18n_get(lang, label),
		                               bahi_i18n_get(lang, p->errors[i].message)));
	}
}

/* A posted field, or "" (to show a form again as it was sent). */
static const char *
posted(bahi_req *req, const char *name)
{
	const char *v = admin_form(req, name);
	return v != NULL ? v : "";
}

/* The sign-up page with status: step 1 (the phone) or, with code set, step 2
 * (the code and the new account), showing req->problem when set. */
static int
signup_page(bahi_req *req, int status, int code)
{
	const char *lang;
	bahi_tmpl_dict *d = admin_visitor_page(req, &lang);
	bahi_tmpl_set(d, "phone", posted(req, "phone"));
	if (code) {
		bahi_tmpl_dict *s = bahi_tmpl_section(d, "STEP2");
		static const char *const keys[] = {"name", "business_name", "currency", "timezone"};
		for (size_t i = 0; i < NF(keys); i++)
			bahi_tmpl_set(s, keys[i], posted(req, keys[i]));
	} else {
		bahi_tmpl_show(d, "STEP1");
	}
	set_errors(req, d, lang);
	memset(&req->problem, 0, sizeof(req->problem));
	return admin_render_file(req, "signup.html.tpl", d, status);
}

static int
signup_get(bahi_req *req)
{
	return signup_page(req, 200, 0);
}

/* Step 1: sends a sign-up code to the phone (POST /api/v1/auth/otp). */
static int
send_code(bahi_req *req)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "phone", posted(req, "phone"));
	cJSON_AddStringToObject(body, "purpose", "signup");
	int rc = admin_apply(req, &auth_worker, "POST", "/api/v1/auth/otp", body, 0, NULL);
	cJSON_Delete(body);
	if (rc != 0)
		return req->problem.status >= 500 ? -1 : signup_page(req, req->problem.status, 0);
	return signup_page(req, 200, 1);
}

/* Adds member name to obj as the posted field's value unless it is empty. */
static void
add_posted(bahi_req *req, cJSON *obj, const char *name, const char *field)
{
	const char *v = posted(req, field);
	if (*v != '\0')
		cJSON_AddStringToObject(obj, name, v);
}

/* Step 2: creates the account and the shop with the code (POST
 * /api/v1/auth/signup) and signs this browser in as a web device. */
static int
create_account(bahi_req *req)
{
	cJSON *body = cJSON_CreateObject(), *out = NULL;
	cJSON_AddStringToObject(body, "phone", posted(req, "phone"));
	cJSON_AddStringToObject(body, "otp", posted(req, "otp"));
	const char *pw = bahi_req_form(req, "password");
	cJSON_AddStringToObject(body, "password", pw != NULL ? pw : "");
	cJSON_AddStringToObject(body, "name", posted(req, "name"));
	cJSON *biz = cJSON_AddObjectToObject(body, "business");
	cJSON_AddStringToObject(biz, "name", posted(req, "business_name"));
	add_posted(req, biz, "currency", "currency");
	add_posted(req, biz, "timezone", "timezone");
	cJSON *dev = cJSON_AddObjectToObject(body, "device");
	cJSON_AddStringToObject(dev, "name", admin_browser_name(req));
	cJSON_AddStringToObject(dev, "platform", "web");
	int rc = admin_apply(req, &auth_worker, "POST", "/api/v1/auth/signup", body, 0, &out);
	cJSON_Delete(body);
	if (rc != 0)
		return req->problem.status >= 500 ? -1 : signup_page(req, req->problem.status, 1);
	rc = admin_start_session(req, out);
	cJSON_Delete(out);
	return rc != 0 ? -1 : admin_redirect(req, "/admin/");
}

/* Both steps' forms: step=send (the phone) or step=verify (the code). */
static int
signup_post(bahi_req *req)
{
	if (admin_anon_form_begin(req) != 0)
		return -1;
	const char *step = admin_form(req, "step");
	if (step != NULL && strcmp(step, "verify") == 0)
		return create_account(req);
	return send_code(req);
}

static const bahi_route routes[] = {
	{"GET", "/admin/signup", signup_get, BAHI_PUBLIC, NULL},
	{"POST", "/admin/signup", signup_post, BAHI_PUBLIC, NULL},
};
ADMIN_ROUTES(admin_signup_routes, routes);
