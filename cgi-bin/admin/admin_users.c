/* admin_users: the users and roles pages (list, add, edit name and role, reset a password, remove) and what each role may do. */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_settings.h"
#include "auth.h"
#include "bahi_cursor.h"
#include "bahi_perm.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_users.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* POST /api/v1/users's fields; the password is last, never shown again. */
static const admin_field create_fields[] = {
	{"phone", ADMIN_F_STRING, 0},
	{"name", ADMIN_F_STRING, 0},
	{"role", ADMIN_F_STRING, 0},
	{"password", ADMIN_F_STRING, 0},
};
/* PATCH /api/v1/users/{id}'s: an empty password leaves it unchanged. */
static const admin_field edit_fields[] = {
	{"name", ADMIN_F_STRING, 0},
	{"role", ADMIN_F_STRING, 0},
	{"password", ADMIN_F_STRING, 0},
};

static const struct {
	const char *role, *label;
} role_labels[] = {
	{"owner", N_("Owner")},
	{"admin", N_("Admin")},
	{"clerk", N_("Clerk")},
};

/* What a permission lets a person do, as the roles table says it. */
static const struct {
	const char *perm, *what;
} perm_labels[] = {
	{"session", N_("Sign in and change their own password")},
	{"business.read", N_("See the business settings")},
	{"business.write", N_("Change the business settings")},
	{"users.read", N_("See the users")},
	{"users.write", N_("Add, change and remove users")},
	{"devices.read", N_("See and sign out their own devices")},
	{"devices.write", N_("See and sign out every device")},
	{"activity.read", N_("See the activity log")},
	{"appkeys.write", N_("Manage app keys for integrations")},
	{"account.export", N_("Export all the business's data")},
	{"account.delete", N_("Delete the business's account")},
	{"catalog.read", N_("See products and categories")},
	{"catalog.write", N_("Add and edit products and categories")},
	{"catalog.delete", N_("Delete products and categories")},
	{"prices.write", N_("Change prices")},
	{"stock.read", N_("See stock, suppliers and batches")},
	{"stock.write", N_("Record stock in, out and adjustments")},
	{"customers.read", N_("See customers")},
	{"customers.write", N_("Add and edit customers")},
	{"customers.delete", N_("Delete customers")},
	{"sales.read", N_("See invoices and debts")},
	{"sales.write", N_("Make sales")},
	{"sales.void", N_("Void invoices and issue credit notes")},
	{"payments.write", N_("Record payments")},
	{"ledger.read", N_("See the books")},
	{"ledger.write", N_("Write in the books")},
	{"reports.read", N_("See reports")},
	{"sync", N_("Use the mobile app offline")},
};

static const char *
role_label(bahi_req *req, const char *role)
{
	for (size_t i = 0; i < NF(role_labels); i++)
		if (strcmp(role, role_labels[i].role) == 0)
			return admin_t(req, role_labels[i].label);
	return role;
}

/* The table of what each role may do: a row per permission of the owner
 * (who holds them all), a mark per role holding it (bahi_perm_list). */
static void
roles_table(bahi_req *req, bahi_tmpl_dict *d)
{
	for (const char *const *p = bahi_perm_list("owner"); *p != NULL; p++) {
		bahi_tmpl_dict *row = bahi_tmpl_section(d, "PERM");
		const char *what = *p;
		for (size_t i = 0; i < NF(perm_labels); i++)
			if (strcmp(*p, perm_labels[i].perm) == 0)
				what = admin_t(req, perm_labels[i].what);
		bahi_tmpl_set(row, "what", what);
		bahi_tmpl_set(row, "perm", *p);
		for (size_t i = 0; i < NF(role_labels); i++) {
			bahi_tmpl_dict *cell = bahi_tmpl_section(row, "ROLE");
			int held = bahi_perm_allows(role_labels[i].role, *p);
			bahi_tmpl_set(cell, "mark", held ? "✓" : "—");
			bahi_tmpl_set(cell, "held", held ? admin_t(req, N_("Yes")) : admin_t(req, N_("No")));
		}
	}
	for (size_t i = 0; i < NF(role_labels); i++)
		bahi_tmpl_set(bahi_tmpl_section(d, "ROLE_HEAD"), "label",
		              admin_t(req, role_labels[i].label));
}

/* The role select of a form: admin and clerk, current selected. */
static void
role_choices(bahi_req *req, bahi_tmpl_dict *d, const char *current)
{
	for (size_t i = 1; i < NF(role_labels); i++) {
		bahi_tmpl_dict *o = bahi_tmpl_section(d, "ROLE_OPTION");
		bahi_tmpl_set(o, "value", role_labels[i].role);
		bahi_tmpl_set(o, "label", admin_t(req, role_labels[i].label));
		if (current != NULL && strcmp(current, role_labels[i].role) == 0)
			bahi_tmpl_show(o, "SELECTED");
	}
}

/* 1 when the caller may edit user u (only the owner edits the owner). */
static int
may_edit(bahi_req *req, const cJSON *u)
{
	return strcmp(admin_json_str(u, "role"), "owner") != 0 ||
	       strcmp(admin_json_str(u, "id"), req->auth.user_id) == 0;
}

/* The list of users with the add form and the roles table. */
static int
users_page(bahi_req *req)
{
	bahi_page pg;
	cJSON *list;
	bahi_tmpl_dict *d = admin_page(req, N_("Users and roles"), "settings", "users.html.tpl");
	if (d == NULL || admin_list_page(req, 50, &pg) != 0 || bahi_users_list(req, &pg, &list) != 0)
		return -1;
	admin_settings_nav(req, d, "users");
	static const char *const keys[] = {"id", "name", "phone", NULL};
	const cJSON *u;
	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		bahi_tmpl_dict *row = bahi_tmpl_section(d, "ROW");
		admin_set_strs(row, u, keys);
		bahi_tmpl_set(row, "role", role_label(req, admin_json_str(u, "role")));
		if (may_edit(req, u))
			bahi_tmpl_show(row, "EDIT");
		if (strcmp(admin_json_str(u, "id"), req->auth.user_id) == 0)
			bahi_tmpl_show(row, "YOU");
	}
	admin_pager(req, d, list, "/admin/settings/users");
	cJSON_Delete(list);
	char idem[48];
	bahi_random_token(idem, sizeof(idem), 16);
	bahi_tmpl_set(d, "idem", idem);
	const char *role = bahi_req_form(req, "role");
	role_choices(req, d, role != NULL ? role : "clerk");
	roles_table(req, d);
	admin_form_refill(req, d, create_fields, NF(create_fields) - 1);
	admin_form_errors(req, d);
	return 0;
}

static int
users_get(bahi_req *req)
{
	return users_page(req) != 0 ? -1 : admin_render(req);
}

static int
users_create(bahi_req *req)
{
	if (admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, create_fields, NF(create_fields));
	if (body == NULL ||
	    admin_apply(req, &auth_worker, "POST", "/api/v1/users", body, 0, NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "users.read", users_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, "/admin/settings/users?done=created");
}

/* One user's edit form (a note instead when the caller may not edit them). */
static int
user_page(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such user.");
	cJSON *u;
	bahi_tmpl_dict *d = admin_page(req, N_("Edit user"), "settings", "user.html.tpl");
	if (d == NULL || id == NULL || bahi_users_get(req, id, &u) != 0)
		return -1;
	admin_settings_nav(req, d, "users");
	static const char *const keys[] = {"id", "name", "phone", NULL};
	admin_set_strs(d, u, keys);
	bahi_tmpl_set(d, "role_label", role_label(req, admin_json_str(u, "role")));
	bahi_tmpl_set_int(d, "version", admin_json_int(u, "version"));
	int self = strcmp(id, req->auth.user_id) == 0;
	int owner = strcmp(admin_json_str(u, "role"), "owner") == 0;
	if (!may_edit(req, u)) {
		bahi_tmpl_show(d, "OWNER_ONLY");
	} else {
		bahi_tmpl_dict *f = bahi_tmpl_section(d, "FORM");
		if (!owner) {
			const char *role = bahi_req_form(req, "role");
			role_choices(req, bahi_tmpl_section(f, "ROLE"),
			             role != NULL ? role : admin_json_str(u, "role"));
		}
		if (!self)
			bahi_tmpl_show(f, "PASSWORD");
	}
	if (!owner && !self)
		bahi_tmpl_show(d, "REMOVE");
	cJSON_Delete(u);
	admin_form_refill(req, d, edit_fields, 1);
	admin_form_errors(req, d);
	return 0;
}

static int
user_get(bahi_req *req)
{
	return user_page(req) != 0 ? -1 : admin_render(req);
}

static int
user_update(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such user.");
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, edit_fields, NF(edit_fields));
	const char *path = bahi_pool_printf(req->pool, "/api/v1/users/%s", id);
	if (body == NULL || admin_apply(req, &auth_worker, "PATCH", path, body,
	                                admin_settings_form_version(req), NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "users.read", user_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, "/admin/settings/users?done=saved");
}

static int
user_delete(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", "There is no such user.");
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	const char *path = bahi_pool_printf(req->pool, "/api/v1/users/%s", id);
	if (admin_apply(req, &auth_worker, "DELETE", path, NULL, 0, NULL) != 0)
		return admin_reshow(req, "users.read", user_page);
	return admin_redirect(req, "/admin/settings/users?done=deleted");
}

static const bahi_route routes[] = {
	{"GET", "/admin/settings/users", users_get, ADMIN_PAGE, "users.read"},
	{"POST", "/admin/settings/users", users_create, ADMIN_FORM, "users.write"},
	{"GET", "/admin/settings/users/{id}", user_get, ADMIN_PAGE, "users.read"},
	{"POST", "/admin/settings/users/{id}", user_update, ADMIN_FORM, "users.write"},
	{"POST", "/admin/settings/users/{id}/delete", user_delete, ADMIN_FORM, "users.write"},
};
ADMIN_ROUTES(admin_users_routes, routes);
