/* admin_session: the panel's session cookie and its CSRF tokens. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "admin.h"
#include "bahi_config.h"
#include "bahi_jwt.h"
#include "bahi_perm.h"
#include "bahi_router.h"
#include "bahi_random.h"
#include "bahi_req.h"

void
admin_set_session_cookie(bahi_req *req, const char *token)
{
	bahi_resp_header(req, "Set-Cookie", bahi_pool_printf(req->pool,
	    "%s=%s; Path=/; Max-Age=%d; Secure; HttpOnly; SameSite=Lax",
	    ADMIN_COOKIE, token, BAHI_JWT_WEB_TTL));
}

void
admin_clear_session_cookie(bahi_req *req)
{
	if (bahi_req_cookie(req, ADMIN_COOKIE) == NULL)
		return;
	bahi_resp_header(req, "Set-Cookie", ADMIN_COOKIE
	                 "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax");
}

const char *
admin_url_encode(bahi_req *req, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = bahi_pool_alloc(req->pool, 3 * n + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~/", *p) != NULL) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

/* base64url of n bytes into the pool. */
static const char *
b64(bahi_req *req, const unsigned char *bytes, size_t n)
{
	size_t size = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = bahi_pool_alloc(req->pool, size);
	return sodium_bin2base64(out, size, bytes, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

const char *
admin_csrf_token(bahi_req *req)
{
	static unsigned char key[crypto_generichash_KEYBYTES];
	static int keyed;
	if (!keyed) {
		/* derived from the signing secret: every worker process agrees */
		const char *secret = bahi_config_get("jwt_secret");
		static const char label[] = "bahi admin csrf v1";
		crypto_generichash(key, sizeof(key), (const unsigned char *)secret, strlen(secret),
		                   (const unsigned char *)label, sizeof(label) - 1);
		keyed = 1;
	}
	char msg[160];
	int len = snprintf(msg, sizeof(msg), "%s|%s|%s|%ld", req->auth.business_id,
	                   req->auth.device_id, req->auth.user_id, req->auth.token_version);
	unsigned char mac[32];
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)msg, (size_t)len, key,
	                   sizeof(key));
	return b64(req, mac, sizeof(mac));
}

/* Compares two tokens in constant time for their common length. */
static int
tokens_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	return a[0] != '\0' && n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

int
admin_form_begin(bahi_req *req)
{
	const char *sent = bahi_req_form(req, "csrf");
	if (sent == NULL || req->auth.device_id == NULL ||
	    !tokens_equal(sent, admin_csrf_token(req)))
		return bahi_fail(req, "csrf_failed", "Reload the page and send the form again.");
	/* the role in the cookie; the routes a form applies check the role as stored now */
	if (req->route != NULL && !bahi_perm_allows(req->auth.role, req->route->permission))
		return bahi_fail(req, "forbidden", "Your role (%s) may not do this.", req->auth.role);
	return 0;
}

const char *
admin_anon_csrf(bahi_req *req)
{
	const char *c = bahi_req_cookie(req, ADMIN_CSRF_COOKIE);
	if (c != NULL && strlen(c) == 43)
		return c;
	char tok[64];
	bahi_random_token(tok, sizeof(tok), 32);
	bahi_resp_header(req, "Set-Cookie", bahi_pool_printf(req->pool,
	    "%s=%s; Path=/; Secure; HttpOnly; SameSite=Strict", ADMIN_CSRF_COOKIE, tok));
	return bahi_pool_strdup(req->pool, tok);
}

int
admin_anon_form_begin(bahi_req *req)
{
	const char *sent = bahi_req_form(req, "csrf");
	const char *cookie = bahi_req_cookie(req, ADMIN_CSRF_COOKIE);
	if (sent == NULL || cookie == NULL || !tokens_equal(sent, cookie))
		return bahi_fail(req, "csrf_failed", "Reload the page and send the form again.");
	return 0;
}
