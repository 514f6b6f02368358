/* admin_settings: the business settings page (name, currency, time zone, tax, credit term, devices, language, grouping) and the settings sub-navigation. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_settings.h"
#include "auth.h"
#include "bahi_account.h"
#include "bahi_perm.h"
#include "bahi_req.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* The sub-navigation's items, each shown to roles holding its page's permission. */
static const struct {
	const char *key, *href, *label, *perm;
} subnav[] = {
	{"business", "/admin/settings", N_("Business"), "business.write"},
	{"users", "/admin/settings/users", N_("Users"), "users.read"},
	{"devices", "/admin/settings/devices", N_("Devices"), "devices.write"},
	{"activity", "/admin/settings/activity", N_("Activity"), "activity.read"},
};

void
admin_settings_nav(bahi_req *req, bahi_tmpl_dict *d, const char *current)
{
	bahi_tmpl_dict *nav = bahi_tmpl_include(d, "SUBNAV", "settings_nav.html.tpl");
	for (size_t i = 0; i < NF(subnav); i++) {
		if (!bahi_perm_allows(req->auth.role, subnav[i].perm))
			continue;
		bahi_tmpl_dict *it = bahi_tmpl_section(nav, "ITEM");
		bahi_tmpl_set(it, "href", subnav[i].href);
		bahi_tmpl_set(it, "label", admin_t(req, subnav[i].label));
		if (strcmp(subnav[i].key, current) == 0)
			bahi_tmpl_show(it, "CURRENT");
	}
}

long
admin_settings_form_version(bahi_req *req)
{
	const char *v = admin_form(req, "version");
	long n = v != NULL ? strtol(v, NULL, 10) : 0;
	return n > 0 ? n : 0;
}

/* The form's fields, named as PATCH /api/v1/business takes them; the tax
 * rate is typed as a percentage ("17.5") and sent as basis points (1750). */
static const admin_field business_fields[] = {
	{"name", ADMIN_F_STRING, 0},
	{"currency", ADMIN_F_STRING, 0},
	{"timezone", ADMIN_F_STRING, 0},
	{"tax_rate_bp", ADMIN_F_BP, 0},
	{"credit_term_days", ADMIN_F_INT, 0},
	{"device_cap", ADMIN_F_INT, 0},
	{"language", ADMIN_F_STRING, 0},
	{"number_grouping", ADMIN_F_STRING, 0},
};

/* The choices of a select, their labels English msgids. */
typedef struct choice {
	const char *value, *label;
} choice;

static const choice languages[] = {
	{"en", "English"},
	{"ur", "اردو"},
};
static const choice groupings[] = {
	{"lakh", N_("Lakh: 12,34,567.00")},
	{"thousands", N_("Thousands: 1,234,567.00")},
	{"none", N_("None: 1234567.00")},
};

/* Adds a section row per choice, the one equal to current marked selected. */
static void
set_choices(bahi_req *req, bahi_tmpl_dict *d, const char *section, const choice *c, size_t n,
            const char *current)
{
	for (size_t i = 0; i < n; i++) {
		bahi_tmpl_dict *o = bahi_tmpl_section(d, section);
		bahi_tmpl_set(o, "value", c[i].value);
		bahi_tmpl_set(o, "label", admin_t(req, c[i].label));
		if (current != NULL && strcmp(current, c[i].value) == 0)
			bahi_tmpl_show(o, "SELECTED");
	}
}

/* Basis points as the percentage a person types: 1750 is "17.5", 1900 "19". */
static const char *
bp_percent(bahi_req *req, long long bp)
{
	if (bp % 100 == 0)
		return bahi_pool_printf(req->pool, "%lld", bp / 100);
	if (bp % 10 == 0)
		return bahi_pool_printf(req->pool, "%lld.%lld", bp / 100, (bp % 100) / 10);
	return bahi_pool_printf(req->pool, "%lld.%02lld", bp / 100, bp % 100);
}

/* The posted value of a select when the form is shown again, else the record's. */
static const char *
chosen(bahi_req *req, const cJSON *b, const char *name)
{
	const char *v = bahi_req_form(req, name);
	return v != NULL ? v : admin_json_str(b, name);
}

/* The settings form, filled from the business as stored (or as posted). */
static int
business_page(bahi_req *req)
{
	bahi_tmpl_dict *d = admin_page(req, N_("Settings"), "settings", "settings.html.tpl");
	cJSON *b = d != NULL ? bahi_account_business_json(req) : NULL;
	if (b == NULL)
		return -1;
	admin_settings_nav(req, d, "business");
	static const char *const keys[] = {"name", "currency", "timezone", NULL};
	admin_set_strs(d, b, keys);
	bahi_tmpl_set(d, "tax_rate_bp", bp_percent(req, admin_json_int(b, "tax_rate_bp")));
	bahi_tmpl_set_int(d, "credit_term_days", admin_json_int(b, "credit_term_days"));
	bahi_tmpl_set_int(d, "device_cap", admin_json_int(b, "device_cap"));
	bahi_tmpl_set_int(d, "version", admin_json_int(b, "version"));
	set_choices(req, d, "LANGUAGE", languages, NF(languages), chosen(req, b, "language"));
	const char *g = chosen(req, b, "number_grouping");
	set_choices(req, d, "GROUPING", groupings, NF(groupings), *g != '\0' ? g : "lakh");
	cJSON_Delete(b);
	admin_form_refill(req, d, business_fields, NF(business_fields));
	admin_form_errors(req, d);
	return 0;
}

static int
business_get(bahi_req *req)
{
	return business_page(req) != 0 ? -1 : admin_render(req);
}

/* Saves the form through PATCH /api/v1/business with the version it was read at. */
static int
business_post(bahi_req *req)
{
	if (admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, business_fields, NF(business_fields));
	/* "pkr" is PKR: currency codes are written in capitals */
	cJSON *cur = body != NULL ? cJSON_GetObjectItemCaseSensitive(body, "currency") : NULL;
	for (char *s = cJSON_IsString(cur) ? cur->valuestring : NULL; s != NULL && *s; s++)
		*s = (char)toupper((unsigned char)*s);
	if (body == NULL || admin_apply(req, &auth_worker, "PATCH", "/api/v1/business", body,
	                                admin_settings_form_version(req), NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "business.write", business_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, "/admin/settings?done=saved");
}

static const bahi_route routes[] = {
	{"GET", "/admin/settings", business_get, ADMIN_PAGE, "business.write"},
	{"POST", "/admin/settings", business_post, ADMIN_FORM, "business.write"},
};
ADMIN_ROUTES(admin_settings_routes, routes);
