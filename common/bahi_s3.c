/* bahi_s3: presigned S3 URLs (SigV4, query-string authentication, unsigned payload). */
#include "bahi_s3.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "bahi_buf.h"
#include "bahi_pool.h"

#define MAX_HEADERS 4
/* canonical requests and URLs are short; a cap keeps a hostile key bounded */
#define BUF_MAX 8192

/* HMAC-SHA256 with a key of any length (crypto_auth_hmacsha256 wants 32 bytes). */
static void
hmac(unsigned char out[32], const unsigned char *key, size_t klen, const char *msg)
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, klen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
	crypto_auth_hmacsha256_final(&st, out);
}

/* Appends s percent-encoded as SigV4 wants: every byte but A-Z a-z 0-9 - . _ ~
 * (and '/' when keep_slash) as %XX with upper-case hex. */
static void
uri_encode(bahi_buf *b, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
			bahi_buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			bahi_buf_append(b, e, 3);
		}
	}
}

/* Splits "https://host[:port][/]" into scheme length and host. 0 or -1. */
static int
parse_endpoint(const char *ep, size_t *scheme_len, const char **host, size_t *host_len)
{
	if (strncmp(ep, "https://", 8) == 0)
		*scheme_len = 5;
	else if (strncmp(ep, "http://", 7) == 0)
		*scheme_len = 4;
	else
		return -1;
	*host = ep + *scheme_len + 3;
	*host_len = strcspn(*host, "/?#");
	const char *rest = *host + *host_len;
	if (*host_len == 0 || !(rest[0] == '\0' || (rest[0] == '/' && rest[1] == '\0')))
		return -1;
	return 0;
}

/* 1 when every setting is there and the arguments can be signed as given. */
static int
usable(const bahi_s3_cfg *cfg, const char *method, const char *key, long expires,
       const bahi_s3_header *hdrs, size_t nh)
{
	const char *need[] = {cfg->endpoint, cfg->region, cfg->bucket, cfg->access_key,
	                      cfg->secret_key, method, key};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (need[i] == NULL || need[i][0] == '\0')
			return 0;
	if (key[0] == '/' || expires < 1 || expires > BAHI_S3_MAX_EXPIRES || nh > MAX_HEADERS)
		return 0;
	for (size_t i = 0; i < nh; i++) {
		if (hdrs[i].name == NULL || hdrs[i].value == NULL || hdrs[i].name[0] == '\0')
			return 0;
		for (const char *p = hdrs[i].name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || *p == '-'))
				return 0;
		for (const char *p = hdrs[i].value; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return 0;
	}
	return 1;
}

/* The signed headers, host included, sorted by name (the canonical order). */
static size_t
sorted_headers(bahi_s3_header *out, const char *host, const bahi_s3_header *hdrs, size_t nh)
{
	size_t n = 0;
	out[n++] = (bahi_s3_header){"host", host};
	for (size_t i = 0; i < nh; i++) {
		size_t j = n++;
		while (j > 0 && strcmp(out[j - 1].name, hdrs[i].name) > 0) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = hdrs[i];
	}
	return n;
}

/* The hex signature of the canonical request creq, signed at amz_date
 * ("20130524T000000Z") for scope "<yyyymmdd>/<region>/s3/aws4_request". */
static void
sign(char out[65], const bahi_s3_cfg *cfg, const char *amz_date, const char *scope,
     const char *creq)
{
	unsigned char h[32], k[32];
	char hexh[65], date[9], sts[320];
	crypto_hash_sha256(h, (const unsigned char *)creq, strlen(creq));
	sodium_bin2hex(hexh, sizeof(hexh), h, sizeof(h));
	memcpy(date, amz_date, 8);
	date[8] = '\0';
	snprintf(sts, sizeof(sts), "AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, hexh);
	size_t slen = strlen(cfg->secret_key);
	unsigned char *k0 = sodium_malloc(slen + 4);
	memcpy(k0, "AWS4", 4);
	memcpy(k0 + 4, cfg->secret_key, slen);
	hmac(k, k0, slen + 4, date);
	sodium_free(k0);
	hmac(k, k, sizeof(k), cfg->region);
	hmac(k, k, sizeof(k), "s3");
	hmac(k, k, sizeof(k), "aws4_request");
	hmac(h, k, sizeof(k), sts);
	sodium_memzero(k, sizeof(k));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

char *
bahi_s3_presign(bahi_pool *pool, const bahi_s3_cfg *cfg, const char *method, const char *key,
                time_t t, long expires, const bahi_s3_header *hdrs, size_t nh)
{
	size_t scheme_len, host_len;
	const char *ep_host;
	struct tm tm;
	char amz_date[17], scope[160], sig[65];
	if (!usable(cfg, method, key, expires, hdrs, nh) ||
	    parse_endpoint(cfg->endpoint, &scheme_len, &ep_host, &host_len) != 0 ||
	    gmtime_r(&t, &tm) == NULL || strftime(amz_date, sizeof(amz_date), "%Y%m%dT%H%M%SZ", &tm) != 16)
		return NULL;
	char *host = cfg->path_style ?
	             bahi_pool_strndup(pool, ep_host, host_len) :
	             bahi_pool_printf(pool, "%s.%.*s", cfg->bucket, (int)host_len, ep_host);
	if (snprintf(scope, sizeof(scope), "%.8s/%s/s3/aws4_request", amz_date, cfg->region) >=
	    (int)sizeof(scope))
		return NULL;
	bahi_s3_header hs[MAX_HEADERS + 1];
	size_t n = sorted_headers(hs, host, hdrs, nh);

	bahi_buf uri, q, creq;
	bahi_buf_init(&uri, BUF_MAX);
	bahi_buf_init(&q, BUF_MAX);
	bahi_buf_init(&creq, BUF_MAX);
	bahi_buf_putc(&uri, '/');
	if (cfg->path_style) {
		uri_encode(&uri, cfg->bucket, 0);
		bahi_buf_putc(&uri, '/');
	}
	uri_encode(&uri, key, 1);
	bahi_buf_puts(&q, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
	uri_encode(&q, cfg->access_key, 0);
	bahi_buf_puts(&q, "%2F");
	uri_encode(&q, scope, 0);
	bahi_buf_printf(&q, "&X-Amz-Date=%s&X-Amz-Expires=%ld&X-Amz-SignedHeaders=", amz_date, expires);
	for (size_t i = 0; i < n; i++) {
		bahi_buf_puts(&q, i ? "%3B" : "");
		uri_encode(&q, hs[i].name, 0);
	}
	bahi_buf_printf(&creq, "%s\n%s\n%s\n", method, uri.data, q.data);
	for (size_t i = 0; i < n; i++)
		bahi_buf_printf(&creq, "%s:%s\n", hs[i].name, hs[i].value);
	bahi_buf_putc(&creq, '\n');
	for (size_t i = 0; i < n; i++)
		bahi_buf_printf(&creq, "%s%s", i ? ";" : "", hs[i].name);
	bahi_buf_puts(&creq, "\nUNSIGNED-PAYLOAD");
	char *url = NULL;
	if (!uri.overflow && !q.overflow && !creq.overflow) {
		sign(sig, cfg, amz_date, scope, creq.data);
		url = bahi_pool_printf(pool, "%.*s://%s%s?%s&X-Amz-Signature=%s", (int)scheme_len,
		                       cfg->endpoint, host, uri.data, q.data, sig);
	}
	bahi_buf_free(&uri);
	bahi_buf_free(&q);
	bahi_buf_free(&creq);
	return url;
}
