/* admin_devices: the signed-in devices page (sign a device out) and the activity log page. */
#include <string.h>

#include <libpq-fe.h>

#include "admin.h"
#include "admin_settings.h"
#include "auth.h"
#include "bahi_activity.h"
#include "bahi_cursor.h"
#include "bahi_db.h"
#include "bahi_devices.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* Every user's name, removed users' too (a device or an old entry may be theirs). */
static BAHI_STMT(admin_user_names,
	"SELECT id, name FROM users WHERE business_id = $1");

/* The user names of the transaction's business, for looking up by id. */
static PGresult *
user_names(bahi_req *req)
{
	const char *p[1] = {req->auth.business_id};
	return bahi_db_exec(req, &admin_user_names, 1, p);
}

/* The name of user id in names ("" when unknown or id is ""). */
static const char *
user_name(const PGresult *names, const char *id)
{
	for (int i = 0; names != NULL && *id != '\0' && i < PQntuples(names); i++)
		if (strcmp(bahi_db_get(names, i, 0), id) == 0)
			return bahi_db_get(names, i, 1);
	return "";
}

static const struct {
	const char *code, *label;
} platforms[] = {
	{"android", N_("Android")},
	{"ios", N_("iPhone or iPad")},
	{"web", N_("Browser")},
	{"other", N_("Other")},
};

static const char *
platform_label(bahi_req *req, const char *code)
{
	for (size_t i = 0; i < NF(platforms); i++)
		if (strcmp(code, platforms[i].code) == 0)
			return admin_t(req, platforms[i].label);
	return code;
}

/* The business's signed-in devices, each with its sign-out button. */
static int
devices_page(bahi_req *req)
{
	bahi_page pg;
	cJSON *list;
	bahi_tmpl_dict *d = admin_page(req, N_("Devices"), "settings", "devices.html.tpl");
	if (d == NULL || admin_list_page(req, 50, &pg) != 0 || bahi_devices_list(req, &pg, &list) != 0)
		return -1;
	PGresult *names = user_names(req);
	if (names == NULL) {
		cJSON_Delete(list);
		return -1;
	}
	admin_settings_nav(req, d, "devices");
	static const char *const keys[] = {"id", "name", NULL};
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		bahi_tmpl_dict *row = bahi_tmpl_section(d, "ROW");
		admin_set_strs(row, it, keys);
		bahi_tmpl_set(row, "platform", platform_label(req, admin_json_str(it, "platform")));
		bahi_tmpl_set(row, "user", user_name(names, admin_json_str(it, "user_id")));
		bahi_tmpl_set(row, "last_seen", admin_time(req, admin_json_str(it, "last_seen_at")));
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "current")))
			bahi_tmpl_show(row, "CURRENT");
	}
	admin_pager(req, d, list, "/admin/settings/devices");
	cJSON_Delete(list);
	admin_form_errors(req, d);
	return 0;
}

static int
devices_get(bahi_req *req)
{
	return devices_page(req) != 0 ? -1 : admin_render(req);
}

/* Signs a device out at once; signing out this browser ends its session. */
static int
device_revoke(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such signed-in device.");
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	const char *path = bahi_pool_printf(req->pool, "/api/v1/devices/%s", id);
	if (admin_apply(req, &auth_worker, "DELETE", path, NULL, 0, NULL) != 0)
		return admin_reshow(req, "devices.write", devices_page);
	if (strcmp(id, req->auth.device_id) == 0) {
		admin_clear_session_cookie(req);
		return admin_redirect(req, "/admin/login");
	}
	return admin_redirect(req, "/admin/settings/devices?done=revoked");
}

/* What the log's actions mean (others are shown as recorded). */
static const struct {
	const char *action, *label;
} actions[] = {
	{"signup", N_("Created the shop's account")},
	{"signin", N_("Signed in")},
	{"signin_failed", N_("Failed sign-in")},
	{"signout", N_("Signed out")},
	{"password_changed", N_("Changed their password")},
	{"password_reset", N_("Reset their password with a code")},
	{"refresh_token_reused", N_("A stolen session token was refused")},
	{"device_revoked", N_("Signed a device out")},
	{"device_paired", N_("Paired a new device")},
	{"pairing_created", N_("Showed a pairing code")},
	{"pairing_reused", N_("A used pairing code was refused")},
	{"settings_changed", N_("Changed the business settings")},
	{"user_created", N_("Added a user")},
	{"user_changed", N_("Changed a user")},
	{"user_deleted", N_("Removed a user")},
	{"app_key_created", N_("Created an app key")},
	{"app_key_revoked", N_("Revoked an app key")},
	{"account_exported", N_("Exported the business's data")},
	{"account_delete_refused", N_("Refused to delete the account")},
	{"product_price_changed", N_("Changed a price")},
	{"product_deleted", N_("Deleted a product")},
	{"products_imported", N_("Imported products")},
	{"customer_deleted", N_("Deleted a customer")},
	{"customer_opening_balance_changed", N_("Changed a customer's opening balance")},
	{"invoice_voided", N_("Voided an invoice")},
	{"credit_note_issued", N_("Issued a credit note")},
	{"supplier_invoice_confirmed", N_("Confirmed a supplier invoice")},
	{"stock_in", N_("Stock in")},
	{"stock_out", N_("Stock out")},
	{"stock_wastage", N_("Wastage")},
	{"stock_adjust", N_("Stock adjusted")},
};

/* An entry's details: its target unless that is an id, and its detail. */
static const char *
details(bahi_req *req, const cJSON *it)
{
	char id[BAHI_UUID_LEN + 1];
	const char *target = admin_json_str(it, "target"), *detail = admin_json_str(it, "detail");
	if (bahi_uuid_normalise(target, id) == 0)
		target = "";
	if (*target == '\0' || *detail == '\0')
		return *target != '\0' ? target : detail;
	return bahi_pool_printf(req->pool, "%s · %s", target, detail);
}

static const char *
action_label(bahi_req *req, const char *action)
{
	for (size_t i = 0; i < NF(actions); i++)
		if (strcmp(action, actions[i].action) == 0)
			return admin_t(req, actions[i].label);
	return action;
}

/* The activity log, newest first, a page of 50 at a time. */
static int
activity_page(bahi_req *req)
{
	bahi_page pg;
	cJSON *list;
	bahi_tmpl_dict *d = admin_page(req, N_("Activity"), "settings", "activity.html.tpl");
	if (d == NULL || admin_list_page(req, 50, &pg) != 0 || bahi_activity_list(req, &pg, &list) != 0)
		return -1;
	PGresult *names = user_names(req);
	if (names == NULL) {
		cJSON_Delete(list);
		return -1;
	}
	admin_settings_nav(req, d, "activity");
	static const char *const keys[] = {"action", "ip", NULL};
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		bahi_tmpl_dict *row = bahi_tmpl_section(d, "ROW");
		admin_set_strs(row, it, keys);
		bahi_tmpl_set(row, "detail", details(req, it));
		bahi_tmpl_set(row, "at", admin_time(req, admin_json_str(it, "at")));
		bahi_tmpl_set(row, "what", action_label(req, admin_json_str(it, "action")));
		bahi_tmpl_set(row, "user", user_name(names, admin_json_str(it, "user_id")));
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(list, "items")) == 0 && !pg.has_after)
		bahi_tmpl_show(d, "EMPTY");
	admin_pager(req, d, list, "/admin/settings/activity");
	cJSON_Delete(list);
	return 0;
}

static int
activity_get(bahi_req *req)
{
	return activity_page(req) != 0 ? -1 : admin_render(req);
}

static const bahi_route routes[] = {
	{"GET", "/admin/settings/devices", devices_get, ADMIN_PAGE, "devices.write"},
	{"POST", "/admin/settings/devices/{id}/revoke", device_revoke, ADMIN_FORM, "devices.write"},
	{"GET", "/admin/settings/activity", activity_get, ADMIN_PAGE, "activity.read"},
};
ADMIN_ROUTES(admin_devices_routes, routes);
