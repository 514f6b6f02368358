/* check_admin: the admin panel's frame: sign-in and sessions, CSRF, headers, languages, and the categories page. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "harness.h"

static bt_session a, b, clerk;

static void
setup(void)
{
	static int done;
	if (done)
		return;
	bt_signup_shops(&a, &b, &clerk);
	/* every browser sign-in is a device: room for all of this program's */
	bt_business_set(&a, "{\"device_cap\":50}");
	bt_business_set(&b, "{\"device_cap\":50}");
	done = 1;
}

/* ---- sign-in and sessions */

START_TEST(signed_out_visitors_go_to_the_sign_in_page)
{
	bt_browser br;
	memset(&br, 0, sizeof(br));
	/* a path the panel does not have is an HTML 404 page, signed in or not */
	bt_resp nf = bt_admin_get(&br, "/admin/nowhere");
	ck_assert_int_eq(nf.status, 404);
	ck_assert_str_eq(nf.content_type, "text/html; charset=utf-8");
	bt_assert_contains(&nf, "<h1>The resource was not found</h1>");
	bt_free(&nf);
	bt_expect_redirect(bt_admin_get(&br, "/admin/categories"), "/admin/login?next=/admin/categories");
	bt_resp r = bt_admin_get(&br, "/admin/login");
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "<h1>Sign in to your shop</h1>");
	bt_assert_contains(&r, "name=\"password\" type=\"password\"");
	const char *cookie = bt_header(&r, "Set-Cookie");
	ck_assert_ptr_nonnull(cookie);
	ck_assert_msg(strstr(cookie, "__Host-bahi_csrf=") == cookie &&
	              strstr(cookie, "; Path=/; Secure; HttpOnly; SameSite=Strict") != NULL,
	              "csrf cookie: %s", cookie);
	bt_free(&r);
}
END_TEST

START_TEST(sign_in_sets_a_host_cookie_for_a_web_device)
{
	bt_browser br;
	bt_client_new();
	bt_resp r = bt_admin_signin_as(a.phone, a.password, &br);
	ck_assert_int_eq(r.status, 303);
	ck_assert_str_eq(bt_header(&r, "Location"), "/admin/");
	const char *cookie = bt_header(&r, "Set-Cookie");
	ck_assert_ptr_nonnull(cookie);
	ck_assert_msg(strstr(cookie, "__Host-bahi_session=") == cookie &&
	              strstr(cookie, "; Path=/; Max-Age=43200; Secure; HttpOnly; SameSite=Lax") != NULL,
	              "session cookie: %s", cookie);
	bt_free(&r);
	/* the browser is a device of platform web, listed like any other */
	const char *p[1] = {a.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1"
	                               " AND platform = 'web' AND revoked_at IS NULL"
	                               " AND name = 'Browser (web)'", 1, p), 1);
	/* the web token is not an API bearer token */
	bt_expect_problem(bt_json("GET", "/api/v1/me", br.cookie, NULL), 401, "unauthorized");
	/* nor is an access token a session cookie */
	bt_browser fake;
	memset(&fake, 0, sizeof(fake));
	snprintf(fake.cookie, sizeof(fake.cookie), "%s", a.access);
	bt_expect_redirect(bt_admin_get(&fake, "/admin/categories"), "/admin/login?next=/admin/categories");
}
END_TEST

START_TEST(a_wrong_password_shows_the_form_again)
{
	bt_browser br;
	bt_client_new();
	bt_resp r = bt_admin_signin_as(a.phone, "not-the-password-1", &br);
	ck_assert_int_eq(r.status, 401);
	bt_assert_contains(&r, "The phone number or password is wrong.");
	char phone_attr[64];
	snprintf(phone_attr, sizeof(phone_attr), "value=\"%s\"", a.phone);
	bt_assert_contains(&r, phone_attr);
	ck_assert_str_eq(br.cookie, "");
	bt_free(&r);
	const char *p[1] = {a.business_id};
	ck_assert_int_ge(bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1"
	                               " AND action = 'signin_failed'", 1, p), 1);
}
END_TEST

START_TEST(sign_in_without_the_csrf_cookie_is_refused)
{
	char body[512];
	snprintf(body, sizeof(body), "csrf=abc&phone=%%2B%.30s&password=%.60s", a.phone + 1, a.password);
	const char *h[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
	bt_client_new();
	bt_resp r = bt_http("POST", "/admin/login", h, body, strlen(body));
	ck_assert_int_eq(r.status, 403);
	bt_assert_contains(&r, "The form has expired or did not come from this site");
	ck_assert_ptr_null(bt_header(&r, "Set-Cookie"));
	bt_free(&r);
}
END_TEST

START_TEST(sign_out_revokes_the_device)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	bt_expect_redirect(bt_admin_post(&br, "/admin/logout", "", 1), "/admin/login");
	/* the old cookie no longer opens pages */
	bt_expect_redirect(bt_admin_get(&br, "/admin/categories"), "/admin/login?next=/admin/categories");
}
END_TEST

START_TEST(a_revoked_device_ends_the_browser_session)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	const char *p[1] = {a.business_id};
	char *did = bt_super_value("SELECT id FROM devices WHERE business_id = $1 AND platform = 'web'"
	                           " AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1", 1, p);
	ck_assert_ptr_nonnull(did);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/devices/%s", did);
	bt_resp r = bt_json("DELETE", path, a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	free(did);
	bt_expect_redirect(bt_admin_get(&br, "/admin/categories"), "/admin/login?next=/admin/categories");
}
END_TEST

/* ---- headers */

START_TEST(pages_carry_the_security_headers)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	bt_resp r = bt_admin_get(&br, "/admin/categories");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_header(&r, "Content-Security-Policy"),
	                 "default-src 'self'; object-src 'none'; base-uri 'none'; "
	                 "frame-ancestors 'none'; form-action 'self'");
	ck_assert_str_eq(bt_header(&r, "X-Content-Type-Options"), "nosniff");
	ck_assert_str_eq(bt_header(&r, "Referrer-Policy"), "strict-origin-when-cross-origin");
	ck_assert_str_eq(bt_header(&r, "Cache-Control"), "no-store");
	ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
	/* no inline script or style anywhere */
	bt_assert_lacks(&r, "<script>");
	bt_assert_lacks(&r, "style=");
	bt_assert_lacks(&r, "<style");
	bt_free(&r);
}
END_TEST

/* ---- the categories page */

START_TEST(categories_add_edit_delete)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	bt_resp r = bt_admin_get(&br, "/admin/categories");
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "No categories yet.");
	bt_free(&r);
	bt_expect_redirect(bt_admin_post(&br, "/admin/categories", "name=Drinks&sku_prefix=DRK", 1),
	                   "/admin/categories?done=created");
	r = bt_admin_get(&br, "/admin/categories?done=created");
	bt_assert_contains(&r, "<p class=\"flash\" role=\"status\">Created.</p>");
	bt_assert_contains(&r, "<td>Drinks</td><td>DRK</td>");
	bt_free(&r);
	const char *p[1] = {a.business_id};
	char *id = bt_super_value("SELECT id FROM categories WHERE business_id = $1 AND name = 'Drinks'",
	                          1, p);
	ck_assert_ptr_nonnull(id);
	char path[128], form[256];
	snprintf(path, sizeof(path), "/admin/categories/%s", id);
	r = bt_admin_get(&br, path);
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "name=\"version\" value=\"1\"");
	bt_free(&r);
	bt_expect_redirect(bt_admin_post(&br, path, "version=1&name=Cold+drinks&sku_prefix=DRK", 1),
	                   "/admin/categories?done=saved");
	/* a stale form is refused, nothing overwritten */
	r = bt_admin_post(&br, path, "version=1&name=Stale&sku_prefix=DRK", 1);
	ck_assert_int_eq(r.status, 412);
	bt_assert_contains(&r, "The resource was changed by someone else");
	bt_assert_contains(&r, "value=\"Stale\"");
	bt_free(&r);
	char *name = bt_super_value("SELECT name FROM categories WHERE id = $1", 1,
	                            (const char *const *)&id);
	ck_assert_str_eq(name, "Cold drinks");
	free(name);
	snprintf(form, sizeof(form), "%s/delete", path);
	bt_expect_redirect(bt_admin_post(&br, form, "version=2", 1), "/admin/categories?done=deleted");
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM categories WHERE id = $1"
	                               " AND deleted_at IS NOT NULL", 1, (const char *const *)&id), 1);
	free(id);
}
END_TEST

START_TEST(bad_input_shows_the_form_again_and_changes_nothing)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	const char *p[1] = {a.business_id};
	long before = bt_super_long("SELECT count(*) FROM categories WHERE business_id = $1", 1, p);
	bt_resp r = bt_admin_post(&br, "/admin/categories", "name=&sku_prefix=bad+prefix%21", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "The request has invalid fields");
	bt_assert_contains(&r, "<li>name: Is required.</li>");
	bt_assert_contains(&r, "value=\"bad prefix!\"");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM categories WHERE business_id = $1", 1, p),
	                 before);
}
END_TEST

START_TEST(forms_without_the_csrf_token_are_refused)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	const char *p[1] = {a.business_id};
	long before = bt_super_long("SELECT count(*) FROM categories WHERE business_id = $1", 1, p);
	bt_resp r = bt_admin_post(&br, "/admin/categories", "name=NoToken", 0);
	ck_assert_int_eq(r.status, 403);
	bt_assert_contains(&r, "The form has expired or did not come from this site");
	bt_free(&r);
	/* another session's token is no better */
	bt_browser other;
	bt_admin_signin(&b, &other);
	snprintf(br.csrf, sizeof(br.csrf), "%s", other.csrf);
	r = bt_admin_post(&br, "/admin/categories", "name=NoToken", 1);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM categories WHERE business_id = $1", 1, p),
	                 before);
}
END_TEST

START_TEST(names_are_shown_as_text)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	bt_expect_redirect(bt_admin_post(&br, "/admin/categories",
	                                 "name=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 1),
	                   "/admin/categories?done=created");
	bt_resp r = bt_admin_get(&br, "/admin/categories");
	bt_assert_contains(&r, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>");
	bt_assert_lacks(&r, "<script>alert(1)</script>");
	bt_free(&r);
}
END_TEST

START_TEST(clerks_get_403_pages_for_what_they_may_not_do)
{
	bt_browser owner, cl;
	bt_admin_signin(&a, &owner);
	bt_admin_signin(&clerk, &cl);
	bt_expect_redirect(bt_admin_post(&owner, "/admin/categories", "name=Keep", 1),
	                   "/admin/categories?done=created");
	const char *p[1] = {a.business_id};
	char *id = bt_super_value("SELECT id FROM categories WHERE business_id = $1 AND name = 'Keep'",
	                          1, p);
	char path[160];
	snprintf(path, sizeof(path), "/admin/categories/%s/delete", id);
	bt_resp r = bt_admin_post(&cl, path, "version=1", 1);
	ck_assert_int_eq(r.status, 403);
	bt_assert_contains(&r, "You do not have permission to do this");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM categories WHERE id = $1"
	                               " AND deleted_at IS NULL", 1, (const char *const *)&id), 1);
	/* the clerk's menu has no settings */
	r = bt_admin_get(&cl, "/admin/categories");
	ck_assert_int_eq(r.status, 200);
	bt_assert_lacks(&r, "href=\"/admin/settings\"");
	bt_free(&r);
	free(id);
}
END_TEST

START_TEST(another_business_record_is_a_404_page)
{
	bt_browser br;
	bt_admin_signin(&b, &br);
	bt_expect_redirect(bt_admin_post(&br, "/admin/categories", "name=Theirs", 1),
	                   "/admin/categories?done=created");
	const char *p[1] = {b.business_id};
	char *id = bt_super_value("SELECT id FROM categories WHERE business_id = $1 AND name = 'Theirs'",
	                          1, p);
	bt_browser mine;
	bt_admin_signin(&a, &mine);
	char path[160];
	snprintf(path, sizeof(path), "/admin/categories/%s", id);
	bt_resp r = bt_admin_get(&mine, path);
	ck_assert_int_eq(r.status, 404);
	bt_assert_contains(&r, "The resource was not found");
	bt_assert_lacks(&r, "Theirs");
	bt_free(&r);
	r = bt_admin_post(&mine, path, "version=1&name=Mine", 1);
	ck_assert_int_eq(r.status, 404);
	bt_free(&r);
	char *name = bt_super_value("SELECT name FROM categories WHERE id = $1", 1,
	                            (const char *const *)&id);
	ck_assert_str_eq(name, "Theirs");
	free(name);
	free(id);
}
END_TEST

/* ---- languages */

START_TEST(urdu_pages_are_right_to_left)
{
	bt_browser br;
	bt_admin_urdu_user(&a, &br);
	bt_resp r = bt_admin_get(&br, "/admin/categories");
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "<html lang=\"ur\" dir=\"rtl\">");
	bt_assert_contains(&r, "<h1>زمرے</h1>");
	bt_assert_contains(&r, ">سائن آؤٹ</button>");
	bt_free(&r);
	/* the choice is the user's: the owner's pages stay in English */
	bt_browser owner;
	bt_admin_signin(&a, &owner);
	r = bt_admin_get(&owner, "/admin/categories");
	bt_assert_contains(&r, "<html lang=\"en\" dir=\"ltr\">");
	bt_free(&r);
	/* the font the Urdu pages ask for is served */
	r = bt_http("GET", "/static/fonts/NotoNastaliqUrdu-Regular.ttf", NULL, NULL, 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_gt((long)r.len, 100000);
	bt_free(&r);
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("admin");
	TCase *tc = tcase_create("frame");
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, signed_out_visitors_go_to_the_sign_in_page);
	tcase_add_test(tc, sign_in_sets_a_host_cookie_for_a_web_device);
	tcase_add_test(tc, a_wrong_password_shows_the_form_again);
	tcase_add_test(tc, sign_in_without_the_csrf_cookie_is_refused);
	tcase_add_test(tc, sign_out_revokes_the_device);
	tcase_add_test(tc, a_revoked_device_ends_the_browser_session);
	tcase_add_test(tc, pages_carry_the_security_headers);
	tcase_add_test(tc, categories_add_edit_delete);
	tcase_add_test(tc, bad_input_shows_the_form_again_and_changes_nothing);
	tcase_add_test(tc, forms_without_the_csrf_token_are_refused);
	tcase_add_test(tc, names_are_shown_as_text);
	tcase_add_test(tc, clerks_get_403_pages_for_what_they_may_not_do);
	tcase_add_test(tc, another_business_record_is_a_404_page);
	tcase_add_test(tc, urdu_pages_are_right_to_left);
	suite_add_tcase(s, tc);
	return bahi_check_run(s);
}
