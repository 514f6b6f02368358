/* check_admin_settings: the admin panel's settings (business, users, devices, activity), my account and sign-up pages, through nginx as a browser. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* a: a shop with a clerk; b: another business. Tests that change a
 * business's settings, devices or password sign up shops of their own. */
static bt_session owner_a, owner_b, clerk_a;
static bt_browser web_a, web_clerk;

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
	/* the cap counts every device of the shop: room for both browsers */
	bt_business_set(&owner_a, "{\"device_cap\":10}");
	bt_admin_signin(&owner_a, &web_a);
	bt_admin_signin(&clerk_a, &web_clerk);
}

/* A new shop whose owner is signed in to the panel in b. */
static void
new_shop(bt_session *s, bt_browser *b)
{
	bt_signup(s);
	bt_admin_signin(s, b);
}

/* The business's version, as GET /api/v1/business gives it. */
static long
business_version(const bt_session *s)
{
	bt_resp r = bt_get_ok(s, "/api/v1/business");
	long v = bt_at_int(&r, "version");
	bt_free(&r);
	return v;
}

/* POSTs the settings form with version and the given tax rate, language and grouping. */
static bt_resp
post_settings(bt_browser *b, long version, const char *name, const char *tax, const char *lang,
              const char *grouping, int with_csrf)
{
	char form[1024], e_name[256];
	bt_form_escape(name, e_name, sizeof(e_name));
	snprintf(form, sizeof(form), "version=%ld&name=%s&currency=pkr&timezone=Asia%%2FKarachi"
	         "&tax_rate_bp=%s&credit_term_days=30&device_cap=4&language=%s&number_grouping=%s",
	         version, e_name, tax, lang, grouping);
	return bt_admin_post(b, "/admin/settings", form, with_csrf);
}

START_TEST(business_form_saves_through_the_api)
{
	bt_session s;
	bt_browser b;
	new_shop(&s, &b);
	bt_resp r = bt_admin_page(&b, "/admin/settings", 200);
	bt_assert_contains(&r, "<h2>Business settings</h2>");
	bt_assert_contains(&r, "name=\"tax_rate_bp\" required inputmode=\"decimal\" value=\"19\"");
	bt_assert_contains(&r, "<option value=\"lakh\" selected>Lakh: 12,34,567.00</option>");
	bt_assert_contains(&r, "<a href=\"/admin/settings\" class=\"current\" aria-current=\"page\">Business</a>");
	bt_assert_contains(&r, "<a href=\"/admin/settings/activity\">Activity</a>");
	bt_free(&r);
	long v = business_version(&s);
	bt_expect_redirect(post_settings(&b, v, "Kiryana Store", "17.5", "en", "thousands", 1),
	                   "/admin/settings?done=saved");
	r = bt_get_ok(&s, "/api/v1/business");
	ck_assert_str_eq(bt_at_str(&r, "name"), "Kiryana Store");
	ck_assert_str_eq(bt_at_str(&r, "currency"), "PKR");
	ck_assert_int_eq(bt_at_int(&r, "tax_rate_bp"), 1750);
	ck_assert_int_eq(bt_at_int(&r, "credit_term_days"), 30);
	ck_assert_int_eq(bt_at_int(&r, "device_cap"), 4);
	ck_assert_str_eq(bt_at_str(&r, "language"), "en");
	ck_assert_str_eq(bt_at_str(&r, "number_grouping"), "thousands");
	ck_assert_int_eq(bt_at_int(&r, "version"), v + 1);
	bt_free(&r);
	r = bt_admin_page(&b, "/admin/settings?done=saved", 200);
	bt_assert_contains(&r, "<p class=\"flash\" role=\"status\">Saved.</p>");
	bt_assert_contains(&r, "value=\"17.5\"");
	bt_assert_contains(&r, "<option value=\"thousands\" selected>");
	bt_assert_contains(&r, "<span class=\"business\">Kiryana Store</span>");
	bt_free(&r);
	/* whole and two-decimal rates read back as typed */
	bt_expect_redirect(post_settings(&b, v + 1, "Kiryana Store", "12.25", "en", "none", 1),
	                   "/admin/settings?done=saved");
	r = bt_get_ok(&s, "/api/v1/business");
	ck_assert_int_eq(bt_at_int(&r, "tax_rate_bp"), 1225);
	ck_assert_str_eq(bt_at_str(&r, "number_grouping"), "none");
	bt_free(&r);
	r = bt_admin_page(&b, "/admin/settings", 200);
	bt_assert_contains(&r, "value=\"12.25\"");
	bt_free(&r);
}
END_TEST

START_TEST(business_language_ur_renders_urdu)
{
	bt_session s;
	bt_browser b;
	new_shop(&s, &b);
	bt_expect_redirect(post_settings(&b, business_version(&s), "Dukaan", "19", "ur", "lakh", 1),
	                   "/admin/settings?done=saved");
	static const char *const pages[] = {
		"/admin/settings", "/admin/settings/users", "/admin/settings/devices",
		"/admin/settings/activity", "/admin/account",
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		bt_resp r = bt_admin_page(&b, pages[i], 200);
		bt_assert_contains(&r, "<html lang=\"ur\" dir=\"rtl\">");
		/* the sidebar's Settings */
		bt_assert_contains(&r, ">ترتیبات</a>");
		bt_free(&r);
	}
	bt_resp r = bt_admin_page(&b, "/admin/settings", 200);
	bt_assert_contains(&r, "<h2>کاروبار کی ترتیبات</h2>");
	bt_assert_lacks(&r, "Business settings");
	bt_free(&r);
	/* the user's own choice wins over the business's */
	bt_resp l = bt_admin_post(&b, "/admin/language", "language=en", 1);
	ck_assert_int_eq(l.status, 303);
	bt_free(&l);
	r = bt_admin_page(&b, "/admin/account", 200);
	bt_assert_contains(&r, "<html lang=\"en\" dir=\"ltr\">");
	bt_assert_contains(&r, "<option value=\"en\" selected>English</option>");
	bt_free(&r);
}
END_TEST

START_TEST(business_stale_or_bad_changes_nothing)
{
	/* the form was read at v; someone else saves first */
	long v = business_version(&owner_a);
	bt_business_set(&owner_a, "{\"credit_term_days\":20}");
	bt_resp r = post_settings(&web_a, v, "Stale name", "5", "en", "lakh", 1);
	v++;
	ck_assert_int_eq(r.status, 412);
	bt_assert_contains(&r, "The resource was changed by someone else");
	bt_assert_contains(&r, "reload and try again");
	bt_assert_contains(&r, "value=\"Stale name\"");
	bt_free(&r);
	ck_assert_int_eq(business_version(&owner_a), v);
	bt_resp api = bt_get_ok(&owner_a, "/api/v1/business");
	ck_assert_str_eq(bt_at_str(&api, "name"), owner_a.business_name);
	bt_free(&api);
	/* a rate that is not a number, a zone that does not exist */
	r = post_settings(&web_a, v, "Bad", "12x", "en", "lakh", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "Enter a number, such as 1250 or 1,250.50.");
	bt_assert_contains(&r, "value=\"12x\"");
	bt_free(&r);
	r = bt_admin_post(&web_a, "/admin/settings", "version=0&timezone=Mars%2FBase", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "Must be an IANA time zone such as Asia/Karachi.");
	bt_assert_contains(&r, "value=\"Mars/Base\"");
	bt_free(&r);
	r = post_settings(&web_a, v, "Bad", "150", "en", "lakh", 1);
	ck_assert_int_eq(r.status, 422);
	bt_free(&r);
	r = post_settings(&web_a, v, "Bad", "10", "en", "crore", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "number_grouping");
	bt_free(&r);
	ck_assert_int_eq(business_version(&owner_a), v);
}
END_TEST

/* The id of the user with phone in owner's business (as the superuser), or "". */
static void
user_id_of(const bt_session *owner, const char *phone, char out[BAHI_UUID_LEN + 1])
{
	const char *p[2] = {owner->business_id, phone};
	char *id = bt_super_value("SELECT id FROM users WHERE business_id = $1 AND phone = $2"
	                          " AND deleted_at IS NULL", 2, p);
	snprintf(out, BAHI_UUID_LEN + 1, "%s", id ? id : "");
	free(id);
}

static long
user_count(const bt_session *owner)
{
	const char *p[1] = {owner->business_id};
	return bt_super_long("SELECT count(*) FROM users WHERE business_id = $1"
	                     " AND deleted_at IS NULL", 1, p);
}

START_TEST(users_add_edit_remove)
{
	char phone[BT_PHONE_LEN], form[1024], id[BAHI_UUID_LEN + 1], path[128];
	bt_phone_new(phone);
	bt_resp r = bt_admin_page(&web_a, "/admin/settings/users", 200);
	bt_assert_contains(&r, "<h1>Users and roles</h1>");
	bt_assert_contains(&r, owner_a.phone);
	bt_assert_contains(&r, "<td>Owner</td>");
	bt_assert_contains(&r, "<td>Clerk</td>");
	/* the roles table: a clerk makes sales but does not change settings */
	bt_assert_contains(&r, "<tr><td>Make sales <code class=\"muted\">sales.write</code></td>"
	                   "<td><span aria-hidden=\"true\">✓</span>");
	bt_assert_contains(&r, "<tr><td>Change the business settings <code class=\"muted\">"
	                   "business.write</code></td><td><span aria-hidden=\"true\">✓</span>"
	                   "<span class=\"visually-hidden\">Yes</span></td><td><span aria-hidden="
	                   "\"true\">✓</span><span class=\"visually-hidden\">Yes</span></td><td><span "
	                   "aria-hidden=\"true\">—</span><span class=\"visually-hidden\">No</span></td></tr>");
	bt_free(&r);
	long before = user_count(&owner_a);
	/* a bad phone: shown again with the typed values, nothing added */
	r = bt_admin_post(&web_a, "/admin/settings/users",
	                  "phone=12&name=Bilal&role=admin&password=clerk-secret-1", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "Must be a phone number such as +923001234567 or 03001234567.");
	bt_assert_contains(&r, "value=\"Bilal\"");
	bt_assert_contains(&r, "<option value=\"admin\" selected>Admin</option>");
	bt_assert_lacks(&r, "clerk-secret-1");
	bt_free(&r);
	ck_assert_int_eq(user_count(&owner_a), before);
	/* added, with a name that is markup */
	char e_phone[64];
	bt_form_escape(phone, e_phone, sizeof(e_phone));
	snprintf(form, sizeof(form), "idem=add-%s&phone=%s&name=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E"
	         "&role=clerk&password=clerk-secret-1", phone + 1, e_phone);
	bt_expect_redirect(bt_admin_post(&web_a, "/admin/settings/users", form, 1),
	                   "/admin/settings/users?done=created");
	/* sent twice (a double click): applied once */
	bt_expect_redirect(bt_admin_post(&web_a, "/admin/settings/users", form, 1),
	                   "/admin/settings/users?done=created");
	ck_assert_int_eq(user_count(&owner_a), before + 1);
	user_id_of(&owner_a, phone, id);
	ck_assert_str_ne(id, "");
	r = bt_admin_page(&web_a, "/admin/settings/users?done=created", 200);
	bt_assert_contains(&r, "<p class=\"flash\" role=\"status\">Created.</p>");
	bt_assert_contains(&r, "<tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>");
	bt_assert_lacks(&r, "<script>alert(1)</script>");
	bt_free(&r);
	/* edited: name and role, at the version the form was read at */
	snprintf(path, sizeof(path), "/admin/settings/users/%s", id);
	r = bt_admin_page(&web_a, path, 200);
	bt_assert_contains(&r, "<input id=\"name\" name=\"name\" required maxlength=\"200\" "
	                   "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\">");
	bt_assert_contains(&r, "<input type=\"hidden\" name=\"version\" value=\"1\">");
	bt_assert_contains(&r, "<option value=\"clerk\" selected>Clerk</option>");
	bt_free(&r);
	bt_expect_redirect(bt_admin_post(&web_a, path, "version=1&name=Bilal+Khan&role=admin", 1),
	                   "/admin/settings/users?done=saved");
	char api[128];
	snprintf(api, sizeof(api), "/api/v1/users/%s", id);
	r = bt_get_ok(&owner_a, api);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Bilal Khan");
	ck_assert_str_eq(bt_at_str(&r, "role"), "admin");
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	/* a stale form: 412, nothing changed */
	r = bt_admin_post(&web_a, path, "version=1&name=Old+Form&role=clerk", 1);
	ck_assert_int_eq(r.status, 412);
	bt_assert_contains(&r, "The user was changed by someone else; reload and try again.");
	bt_assert_contains(&r, "value=\"Old Form\"");
	bt_free(&r);
	r = bt_get_ok(&owner_a, api);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Bilal Khan");
	ck_assert_str_eq(bt_at_str(&r, "role"), "admin");
	bt_free(&r);
	/* removed: gone from the API and the list */
	char del[160];
	snprintf(del, sizeof(del), "%s/delete", path);
	bt_expect_redirect(bt_admin_post(&web_a, del, "", 1), "/admin/settings/users?done=deleted");
	bt_expect_problem(bt_json("GET", api, owner_a.access, NULL), 404, "not_found");
	ck_assert_int_eq(user_count(&owner_a), before);
	r = bt_admin_page(&web_a, "/admin/settings/users", 200);
	bt_assert_lacks(&r, "Bilal Khan");
	bt_free(&r);
}
END_TEST

START_TEST(users_of_another_business_and_the_owner)
{
	char path[128], other[BAHI_UUID_LEN + 1];
	/* another business's user is not found */
	user_id_of(&owner_b, owner_b.phone, other);
	snprintf(path, sizeof(path), "/admin/settings/users/%s", other);
	bt_resp r = bt_admin_page(&web_a, path, 404);
	bt_free(&r);
	r = bt_admin_post(&web_a, path, "version=1&name=Taken", 1);
	ck_assert_int_eq(r.status, 404);
	bt_free(&r);
	bt_resp api = bt_get_ok(&owner_b, "/api/v1/me");
	ck_assert_str_eq(bt_at_str(&api, "user.name"), "Owner");
	bt_free(&api);
	/* the owner's own page: no role to change, no remove button */
	snprintf(path, sizeof(path), "/admin/settings/users/%s", owner_a.user_id);
	r = bt_admin_page(&web_a, path, 200);
	bt_assert_lacks(&r, "name=\"role\"");
	bt_assert_lacks(&r, "/delete\"");
	bt_assert_lacks(&r, "name=\"password\"");
	bt_free(&r);
	r = bt_admin_page(&web_a, "/admin/settings/users/not-a-uuid", 404);
	bt_free(&r);
}
END_TEST

START_TEST(clerk_gets_403_on_settings_pages_and_forms)
{
	char path[160], dev[160], del[200];
	long v = business_version(&owner_a);
	long users = user_count(&owner_a);
	static const char *const pages[] = {
		"/admin/settings", "/admin/settings/users", "/admin/settings/devices",
		"/admin/settings/activity",
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		bt_resp r = bt_admin_page(&web_clerk, pages[i], 403);
		bt_assert_lacks(&r, "name=\"version\"");
		bt_free(&r);
	}
	snprintf(path, sizeof(path), "/admin/settings/users/%s", owner_a.user_id);
	bt_resp r = bt_admin_page(&web_clerk, path, 403);
	bt_free(&r);
	snprintf(dev, sizeof(dev), "/admin/settings/devices/%s/revoke", owner_a.device_id);
	snprintf(del, sizeof(del), "/admin/settings/users/%s/delete", clerk_a.user_id);
	const char *const forms[][2] = {
		{"/admin/settings", "version=0&name=Clerk+Shop&tax_rate_bp=1"},
		{"/admin/settings/users", "phone=%2B923009999999&name=X&role=admin&password=secret-pw-123"},
		{path, "name=Clerk+Was+Here"},
		{del, ""},
		{dev, ""},
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		r = bt_admin_post(&web_clerk, forms[i][0], forms[i][1], 1);
		ck_assert_msg(r.status == 403, "POST %s: %ld", forms[i][0], r.status);
		bt_free(&r);
	}
	ck_assert_int_eq(business_version(&owner_a), v);
	ck_assert_int_eq(user_count(&owner_a), users);
	bt_resp me = bt_get_ok(&owner_a, "/api/v1/me");
	ck_assert_str_eq(bt_at_str(&me, "user.name"), "Owner");
	bt_free(&me);
	/* the owner's device still works */
	me = bt_json("GET", "/api/v1/me", owner_a.access, NULL);
	ck_assert_int_eq(me.status, 200);
	bt_free(&me);
	/* the sidebar has no Settings for a clerk, but my account works */
	r = bt_admin_page(&web_clerk, "/admin/account", 200);
	bt_assert_contains(&r, "<dt>Role</dt><dd>Clerk</dd>");
	bt_assert_lacks(&r, "href=\"/admin/settings\"");
	bt_free(&r);
}
END_TEST

/* The number of rows of change-log, SMS or activity for a check that nothing happened. */
static long
activity_count(const bt_session *s)
{
	const char *p[1] = {s->business_id};
	return bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1", 1, p);
}

START_TEST(forms_without_csrf_are_403_and_change_nothing)
{
	char path[160], del[200], dev[160];
	long v = business_version(&owner_a);
	long users = user_count(&owner_a);
	long acts = activity_count(&owner_a);
	snprintf(path, sizeof(path), "/admin/settings/users/%s", clerk_a.user_id);
	snprintf(del, sizeof(del), "%s/delete", path);
	snprintf(dev, sizeof(dev), "/admin/settings/devices/%s/revoke", clerk_a.device_id);
	const char *forms[][2] = {
		{"/admin/settings", "version=0&name=No+Token"},
		{"/admin/settings/users", "phone=%2B923009999998&name=X&role=admin&password=secret-pw-123"},
		{path, "name=No+Token"},
		{del, ""},
		{dev, ""},
		{"/admin/account/password", "current_password=x&new_password=y-new-pass-1&new_password_again=y-new-pass-1"},
		{"/admin/language", "language=ur"},
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		bt_resp r = bt_admin_post(&web_a, forms[i][0], forms[i][1], 0);
		ck_assert_msg(r.status == 403, "POST %s without csrf: %ld", forms[i][0], r.status);
		bt_assert_contains(&r, "The form has expired or did not come from this site");
		bt_free(&r);
		/* a wrong token is no better */
		char body[512], bad[64];
		snprintf(bad, sizeof(bad), "%s", web_a.csrf);
		bad[0] = bad[0] == 'A' ? 'B' : 'A';
		snprintf(body, sizeof(body), "csrf=%s&%s", bad, forms[i][1]);
		r = bt_admin_post(&web_a, forms[i][0], body, 0);
		ck_assert_msg(r.status == 403, "POST %s with a wrong csrf: %ld", forms[i][0], r.status);
		bt_free(&r);
	}
	ck_assert_int_eq(business_version(&owner_a), v);
	ck_assert_int_eq(user_count(&owner_a), users);
	ck_assert_int_eq(activity_count(&owner_a), acts);
	bt_resp me = bt_json("GET", "/api/v1/me", clerk_a.access, NULL);
	ck_assert_int_eq(me.status, 200);
	ck_assert_str_eq(bt_at_str(&me, "user.role"), "clerk");
	bt_free(&me);
	bt_resp r = bt_admin_page(&web_a, "/admin/account", 200);
	bt_assert_contains(&r, "<html lang=\"en\" dir=\"ltr\">");
	bt_free(&r);
}
END_TEST

START_TEST(devices_list_and_revoke)
{
	bt_session s, second;
	bt_browser b;
	char path[160];
	new_shop(&s, &b);
	bt_second_device(&s, &second);
	bt_resp r = bt_admin_page(&b, "/admin/settings/devices", 200);
	bt_assert_contains(&r, "<h1>Devices</h1>");
	bt_assert_contains(&r, "<span class=\"status status-green\">This browser</span>");
	snprintf(path, sizeof(path), "/admin/settings/devices/%s/revoke", second.device_id);
	bt_assert_contains(&r, path);
	bt_assert_contains(&r, "<td>Android</td><td>Owner</td>");
	bt_free(&r);
	/* another business's device is not found, and stays signed in */
	char other[160];
	snprintf(other, sizeof(other), "/admin/settings/devices/%s/revoke", owner_b.device_id);
	r = bt_admin_post(&b, other, "", 1);
	ck_assert_int_eq(r.status, 404);
	bt_free(&r);
	r = bt_json("GET", "/api/v1/me", owner_b.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	/* the second device: signed out at once */
	r = bt_json("GET", "/api/v1/me", second.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	bt_expect_redirect(bt_admin_post(&b, path, "", 1), "/admin/settings/devices?done=revoked");
	bt_expect_problem(bt_json("GET", "/api/v1/me", second.access, NULL), 401, "unauthorized");
	r = bt_admin_page(&b, "/admin/settings/devices?done=revoked", 200);
	bt_assert_contains(&r, "<p class=\"flash\" role=\"status\">Device signed out.</p>");
	bt_assert_lacks(&r, path);
	bt_free(&r);
	r = bt_admin_page(&b, "/admin/settings/activity", 200);
	/* written through the API's route, from the browser's address */
	bt_assert_contains(&r, "<td>Owner</td><td>Signed a device out</td><td>Phone</td>"
	                   "<td dir=\"ltr\">127.");
	bt_free(&r);
	/* this browser: its session ends and the cookie goes */
	const char *p[2] = {s.business_id, s.user_id};
	char *mine = bt_super_value("SELECT id FROM devices WHERE business_id = $1 AND user_id = $2"
	                            " AND platform = 'web' AND revoked_at IS NULL", 2, p);
	ck_assert_ptr_nonnull(mine);
	snprintf(path, sizeof(path), "/admin/settings/devices/%s/revoke", mine);
	free(mine);
	r = bt_admin_post(&b, path, "", 1);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(bt_header(&r, "Location"), "/admin/login");
	ck_assert_ptr_nonnull(strstr(r.headers, "__Host-bahi_session=; Path=/; Max-Age=0"));
	bt_free(&r);
	bt_expect_redirect(bt_admin_get(&b, "/admin/settings"), "/admin/login?next=/admin/settings");
	/* the API device of the shop is untouched */
	r = bt_json("GET", "/api/v1/me", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
}
END_TEST

/* The number of rows of a list page ("<tr><td>" in its table body). */
static int
rows_of(const bt_resp *r)
{
	int n = 0;
	for (const char *p = r->body; (p = strstr(p, "<tr><td>")) != NULL; p++)
		n++;
	return n;
}

START_TEST(activity_log_paginated)
{
	bt_session s;
	bt_browser b;
	new_shop(&s, &b);
	/* 60 older entries, so the log has two pages */
	const char *p[1] = {s.business_id};
	bt_super_exec("INSERT INTO activity_log (business_id, id, user_id, action, detail, at)"
	              " SELECT $1, gen_random_uuid(), NULL, 'signin_failed', 'old-' || i,"
	              " now() - i * interval '1 minute' FROM generate_series(1, 60) i", 1, p);
	long total = activity_count(&s);
	bt_resp r = bt_admin_page(&b, "/admin/settings/activity", 200);
	bt_assert_contains(&r, "<h1>Activity</h1>");
	/* newest first: this browser's sign-in, from the test's loopback address */
	bt_assert_contains(&r, "<td>Owner</td><td>Signed in</td><td>Browser (web) · web</td><td dir=\"ltr\">127.");
	bt_assert_contains(&r, "<td>Failed sign-in</td><td>old-1</td>");
	ck_assert_int_eq(rows_of(&r), 50);
	const char *next = strstr(r.body, "<a href=\"/admin/settings/activity?cursor=");
	ck_assert_ptr_nonnull(next);
	char href[512];
	next += strlen("<a href=\"");
	snprintf(href, sizeof(href), "%.*s", (int)strcspn(next, "\""), next);
	bt_free(&r);
	r = bt_admin_page(&b, href, 200);
	ck_assert_int_eq(rows_of(&r), (int)total - 50);
	bt_assert_contains(&r, "<td>Failed sign-in</td><td>old-60</td>");
	bt_assert_lacks(&r, "rel=\"next\"");
	bt_free(&r);
	r = bt_admin_page(&b, "/admin/settings/activity?cursor=garbage", 404);
	bt_free(&r);
}
END_TEST

START_TEST(password_change_ends_every_session)
{
	bt_session s;
	bt_browser b;
	new_shop(&s, &b);
	bt_resp r = bt_admin_page(&b, "/admin/account", 200);
	bt_assert_contains(&r, "<h1>My account</h1>");
	bt_assert_contains(&r, "<dt>Name</dt><dd>Owner</dd>");
	bt_assert_contains(&r, s.phone);
	bt_assert_contains(&r, "<dt>Role</dt><dd>Owner</dd>");
	bt_free(&r);
	/* a wrong current password, then two new ones that differ */
	r = bt_admin_post(&b, "/admin/account/password",
	                  "current_password=wrong-one-1&new_password=brand-new-pass-9"
	                  "&new_password_again=brand-new-pass-9", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "The current password is wrong.");
	bt_assert_lacks(&r, "brand-new-pass-9");
	bt_free(&r);
	char form[512], e_pw[128];
	bt_form_escape(s.password, e_pw, sizeof(e_pw));
	snprintf(form, sizeof(form), "current_password=%s&new_password=brand-new-pass-9"
	         "&new_password_again=brand-new-pass-8", e_pw);
	r = bt_admin_post(&b, "/admin/account/password", form, 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "The two new passwords are not the same.");
	bt_free(&r);
	r = bt_login(s.phone, s.password, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	/* changed: this browser and the phone are signed out */
	snprintf(form, sizeof(form), "current_password=%s&new_password=brand-new-pass-9"
	         "&new_password_again=brand-new-pass-9", e_pw);
	r = bt_admin_post(&b, "/admin/account/password", form, 1);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(bt_header(&r, "Location"), "/admin/login?done=password");
	ck_assert_ptr_nonnull(strstr(r.headers, "__Host-bahi_session=; Path=/; Max-Age=0"));
	bt_free(&r);
	bt_expect_redirect(bt_admin_get(&b, "/admin/account"), "/admin/login?next=/admin/account");
	bt_expect_problem(bt_json("GET", "/api/v1/me", s.access, NULL), 401, "unauthorized");
	bt_browser anon = {0};
	r = bt_admin_get(&anon, "/admin/login?done=password");
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "<p class=\"flash\" role=\"status\">Your password was changed. Sign in "
	                   "with the new password.</p>");
	bt_free(&r);
	r = bt_login(s.phone, s.password, NULL);
	ck_assert_int_eq(r.status, 401);
	bt_free(&r);
	r = bt_login(s.phone, "brand-new-pass-9", NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
}
END_TEST

/* ---- sign-up, before any session: the visitor's CSRF cookie */

typedef struct visitor {
	char csrf[128];
} visitor;

/* GET /admin/signup (path), asserting 200; takes the CSRF cookie the page sets. */
static bt_resp
signup_get(visitor *v, const char *path)
{
	bt_resp r = bt_http("GET", path, NULL, NULL, 0);
	ck_assert_int_eq(r.status, 200);
	const char *c = r.headers ? strstr(r.headers, "__Host-bahi_csrf=") : NULL;
	ck_assert_ptr_nonnull(c);
	c += strlen("__Host-bahi_csrf=");
	snprintf(v->csrf, sizeof(v->csrf), "%.*s", (int)strcspn(c, ";\r\n"), c);
	return r;
}

/* POSTs the sign-up form with the visitor's cookie and, when with_csrf, token. */
static bt_resp
signup_post(const visitor *v, const char *form, int with_csrf)
{
	char body[2048], cookie[200];
	snprintf(body, sizeof(body), "%s%s%s%s", with_csrf ? "csrf=" : "", with_csrf ? v->csrf : "",
	         *form && with_csrf ? "&" : "", form);
	snprintf(cookie, sizeof(cookie), "Cookie: __Host-bahi_csrf=%s", v->csrf);
	const char *h[] = {cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
	return bt_http("POST", "/admin/signup", h, body, strlen(body));
}

static long
accounts_of(const char *phone)
{
	const char *p[1] = {phone};
	return bt_super_long("SELECT count(*) FROM users WHERE phone = $1", 1, p);
}

static long
sms_to(const char *phone)
{
	const char *p[1] = {phone};
	return bt_super_long("SELECT count(*) FROM sms_outbox WHERE phone = $1", 1, p);
}

START_TEST(signup_with_otp_signs_in)
{
	char phone[BT_PHONE_LEN], e_phone[64], form[1024], code[7], wrong[16];
	visitor v;
	bt_client_new();
	bt_phone_new(phone);
	bt_form_escape(phone, e_phone, sizeof(e_phone));
	bt_resp r = signup_get(&v, "/admin/signup");
	bt_assert_contains(&r, "<h1>Create an account for your shop</h1>");
	bt_assert_contains(&r, "<input type=\"hidden\" name=\"step\" value=\"send\">");
	bt_free(&r);
	/* step 1: the code is sent */
	snprintf(form, sizeof(form), "lang=en&step=send&phone=%s", e_phone);
	r = signup_post(&v, form, 1);
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "<input type=\"hidden\" name=\"step\" value=\"verify\">");
	bt_assert_contains(&r, "<strong dir=\"ltr\">");
	bt_free(&r);
	bt_otp_code(phone, code);
	ck_assert_int_eq((int)strlen(code), 6);
	/* a wrong code: the form again with the error, no business */
	snprintf(wrong, sizeof(wrong), "%06ld", (strtol(code, NULL, 10) + 1) % 1000000);
	snprintf(form, sizeof(form), "lang=en&step=verify&phone=%s&otp=%s&name=Sana&password=shop-pass-2026"
	         "&business_name=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&currency=&timezone=", e_phone, wrong);
	r = signup_post(&v, form, 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "The verification code is not valid");
	bt_assert_contains(&r, "value=\"Sana\"");
	bt_assert_contains(&r, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"");
	bt_assert_lacks(&r, "<script>alert(1)</script>");
	bt_assert_lacks(&r, "shop-pass-2026");
	bt_assert_lacks(&r, "__Host-bahi_session=");
	bt_free(&r);
	ck_assert_int_eq(accounts_of(phone), 0);
	/* the right code: the shop, its owner and this browser's session */
	snprintf(form, sizeof(form), "lang=en&step=verify&phone=%s&otp=%s&name=Sana&password=shop-pass-2026"
	         "&business_name=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&currency=USD&timezone=Asia%%2FDubai",
	         e_phone, code);
	r = signup_post(&v, form, 1);
	ck_assert_msg(r.status == 303, "sign-up: %ld %.400s", r.status, r.body);
	ck_assert_str_eq(bt_header(&r, "Location"), "/admin/");
	const char *c = strstr(r.headers, "__Host-bahi_session=");
	ck_assert_ptr_nonnull(c);
	bt_browser b = {0};
	c += strlen("__Host-bahi_session=");
	snprintf(b.cookie, sizeof(b.cookie), "%.*s", (int)strcspn(c, ";\r\n"), c);
	ck_assert_int_gt((int)strlen(b.cookie), 100);
	bt_free(&r);
	ck_assert_int_eq(accounts_of(phone), 1);
	r = bt_admin_page(&b, "/admin/settings", 200);
	bt_assert_contains(&r, "<span class=\"business\">&lt;script&gt;alert(1)&lt;/script&gt;</span>");
	bt_assert_contains(&r, "value=\"USD\"");
	bt_assert_contains(&r, "value=\"Asia/Dubai\"");
	bt_assert_lacks(&r, "<script>alert(1)</script>");
	bt_free(&r);
	r = bt_admin_page(&b, "/admin/settings/devices", 200);
	bt_assert_contains(&r, "<span class=\"status status-green\">This browser</span>");
	bt_assert_contains(&r, "<td>Browser</td><td>Sana</td>");
	bt_free(&r);
	/* the phone now has an account: step 1 says so */
	r = signup_post(&v, form, 0);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	snprintf(form, sizeof(form), "step=send&phone=%s", e_phone);
	r = signup_post(&v, form, 1);
	ck_assert_int_eq(r.status, 409);
	bt_assert_contains(&r, "This phone number already has an account; sign in.");
	bt_free(&r);
	ck_assert_int_eq(accounts_of(phone), 1);
}
END_TEST

START_TEST(signup_in_urdu_and_without_csrf)
{
	char phone[BT_PHONE_LEN], e_phone[64], form[512];
	visitor v;
	bt_client_new();
	bt_phone_new(phone);
	bt_form_escape(phone, e_phone, sizeof(e_phone));
	bt_resp r = signup_get(&v, "/admin/signup?lang=ur");
	bt_assert_contains(&r, "<html lang=\"ur\" dir=\"rtl\">");
	bt_assert_contains(&r, "<h1>اپنی دکان کا اکاؤنٹ بنائیں</h1>");
	bt_free(&r);
	/* no token, or a token that is not the cookie's: 403, no code sent */
	snprintf(form, sizeof(form), "step=send&phone=%s", e_phone);
	r = signup_post(&v, form, 0);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	visitor other = v;
	other.csrf[0] = other.csrf[0] == 'A' ? 'B' : 'A';
	char body[1024], cookie[200];
	snprintf(body, sizeof(body), "csrf=%s&%s", other.csrf, form);
	snprintf(cookie, sizeof(cookie), "Cookie: __Host-bahi_csrf=%s", v.csrf);
	const char *h[] = {cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
	r = bt_http("POST", "/admin/signup", h, body, strlen(body));
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	ck_assert_int_eq(sms_to(phone), 0);
	/* a bad phone number: step 1 again, in Urdu */
	r = signup_post(&v, "lang=ur&step=send&phone=12", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "<html lang=\"ur\" dir=\"rtl\">");
	bt_assert_contains(&r, "فون نمبر: فون نمبر ہونا چاہیے");
	bt_free(&r);
	snprintf(form, sizeof(form), "lang=ur&step=send&phone=%s", e_phone);
	r = signup_post(&v, form, 1);
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "ہم نے اس نمبر پر SMS کے ذریعے چھ ہندسوں کا کوڈ بھیجا ہے:");
	bt_free(&r);
	ck_assert_int_eq(sms_to(phone), 1);
	ck_assert_int_eq(accounts_of(phone), 0);
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("admin_settings");
	TCase *t = tcase_create("admin_settings");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, business_form_saves_through_the_api);
	tcase_add_test(t, business_language_ur_renders_urdu);
	tcase_add_test(t, business_stale_or_bad_changes_nothing);
	tcase_add_test(t, users_add_edit_remove);
	tcase_add_test(t, users_of_another_business_and_the_owner);
	tcase_add_test(t, clerk_gets_403_on_settings_pages_and_forms);
	tcase_add_test(t, forms_without_csrf_are_403_and_change_nothing);
	tcase_add_test(t, devices_list_and_revoke);
	tcase_add_test(t, activity_log_paginated);
	tcase_add_test(t, password_change_ends_every_session);
	tcase_add_test(t, signup_with_otp_signs_in);
	tcase_add_test(t, signup_in_urdu_and_without_csrf);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
