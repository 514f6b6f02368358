/* harness_admin: a browser's side of the admin panel for integration tests: cookies, CSRF tokens, forms. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

void
bt_form_escape(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.') {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
}

/* The value of cookie name in a Set-Cookie line of r, into out ("" when none). */
static void
set_cookie_value(const bt_resp *r, const char *name, char *out, size_t size)
{
	char want[96];
	snprintf(want, sizeof(want), "Set-Cookie: %s=", name);
	const char *p = r->headers ? strcasestr(r->headers, want) : NULL;
	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(want);
	size_t n = strcspn(p, ";\r\n");
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

/* Remembers the csrf token of the page in r (the first hidden csrf field). */
static void
take_csrf(bt_browser *b, const bt_resp *r)
{
	const char *p = r->body ? strstr(r->body, "name=\"csrf\" value=\"") : NULL;
	if (p == NULL)
		return;
	p += strlen("name=\"csrf\" value=\"");
	size_t n = strcspn(p, "\"");
	snprintf(b->csrf, sizeof(b->csrf), "%.*s", (int)(n < sizeof(b->csrf) ? n : sizeof(b->csrf) - 1), p);
}

bt_resp
bt_admin_signin_as(const char *phone, const char *password, bt_browser *b)
{
	char anon[128], body[1024], e_phone[128], e_pw[256], hdr[256];
	memset(b, 0, sizeof(*b));
	snprintf(b->client, sizeof(b->client), "%s", bt_client());
	bt_resp page = bt_http("GET", "/admin/login", NULL, NULL, 0);
	ck_assert_int_eq(page.status, 200);
	set_cookie_value(&page, "__Host-bahi_csrf", anon, sizeof(anon));
	ck_assert_str_ne(anon, "");
	bt_free(&page);
	bt_form_escape(phone, e_phone, sizeof(e_phone));
	bt_form_escape(password, e_pw, sizeof(e_pw));
	snprintf(body, sizeof(body), "csrf=%s&phone=%s&password=%s", anon, e_phone, e_pw);
	snprintf(hdr, sizeof(hdr), "Cookie: __Host-bahi_csrf=%s", anon);
	const char *h[] = {hdr, "Content-Type: application/x-www-form-urlencoded", NULL};
	bt_resp r = bt_http("POST", "/admin/login", h, body, strlen(body));
	set_cookie_value(&r, "__Host-bahi_session", b->cookie, sizeof(b->cookie));
	return r;
}

void
bt_admin_signin(const bt_session *s, bt_browser *b)
{
	const char *saved = bt_client();
	char keep[24];
	snprintf(keep, sizeof(keep), "%s", saved);
	bt_client_set(s->client);
	bt_resp r = bt_admin_signin_as(s->phone, s->password, b);
	bt_client_set(keep);
	ck_assert_msg(r.status == 303, "admin sign-in: %ld %s", r.status, r.body);
	ck_assert_str_ne(b->cookie, "");
	bt_free(&r);
	bt_resp page = bt_admin_get(b, "/admin/categories");
	ck_assert_msg(page.status == 200, "GET /admin/categories after sign-in: %ld", page.status);
	ck_assert_str_ne(b->csrf, "");
	bt_free(&page);
}

bt_resp
bt_admin_get(bt_browser *b, const char *path)
{
	char hdr[2200];
	snprintf(hdr, sizeof(hdr), "Cookie: __Host-bahi_session=%s", b->cookie);
	const char *h[] = {hdr, NULL};
	bt_resp r = bt_http("GET", path, b->cookie[0] ? h : NULL, NULL, 0);
	take_csrf(b, &r);
	return r;
}

bt_resp
bt_admin_post(bt_browser *b, const char *path, const char *form, int with_csrf)
{
	char hdr[2200];
	size_t size = strlen(form) + 128;
	char *body = malloc(size);
	ck_assert_ptr_nonnull(body);
	if (with_csrf)
		snprintf(body, size, "csrf=%s%s%s", b->csrf, *form ? "&" : "", form);
	else
		snprintf(body, size, "%s", form);
	snprintf(hdr, sizeof(hdr), "Cookie: __Host-bahi_session=%s", b->cookie);
	const char *h[] = {hdr, "Content-Type: application/x-www-form-urlencoded", NULL};
	bt_resp r = bt_http("POST", path, b->cookie[0] ? h : h + 1, body, strlen(body));
	free(body);
	return r;
}

void
bt_assert_contains(const bt_resp *r, const char *needle)
{
	ck_assert_msg(r->body != NULL && strstr(r->body, needle) != NULL,
	              "the page (%ld) does not contain \"%s\"", r->status, needle);
}

void
bt_assert_lacks(const bt_resp *r, const char *needle)
{
	ck_assert_msg(r->body == NULL || strstr(r->body, needle) == NULL,
	              "the page (%ld) contains \"%s\"", r->status, needle);
}

void
bt_expect_redirect(bt_resp r, const char *location)
{
	ck_assert_msg(r.status == 303, "expected 303 to %s, got %ld: %.300s", location, r.status,
	              r.body ? r.body : "");
	const char *l = bt_header(&r, "Location");
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l, location);
	bt_free(&r);
}

bt_resp
bt_admin_page(bt_browser *b, const char *path, long status)
{
	bt_resp r = bt_admin_get(b, path);
	ck_assert_msg(r.status == status, "GET %s: expected %ld, got %ld: %.400s", path, status,
	              r.status, r.body ? r.body : "");
	return r;
}

bt_resp
bt_admin_form(bt_browser *b, const char *path, const char *body, long status)
{
	bt_resp r = bt_admin_post(b, path, body, 1);
	ck_assert_msg(r.status == status, "POST %s: expected %ld, got %ld: %.600s", path, status,
	              r.status, r.body ? r.body : "");
	return r;
}

void
bt_admin_urdu_user(const bt_session *owner, bt_browser *b)
{
	bt_session u;
	bt_add_user(owner, "admin", &u);
	bt_admin_signin(&u, b);
	bt_resp r = bt_admin_form(b, "/admin/language", "language=ur", 303);
	bt_free(&r);
}
