/* bahi_link: makes /files/ links that nginx serves only with a valid MD5 signature and an unexpired time. */
#include "bahi_link.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "bahi_md5.h"
#include "bahi_pool.h"

#define KEY_MAX 300

void
bahi_link_signature(const char *path, long long expires, const char *secret,
                    char out[BAHI_LINK_SIG_LEN + 1])
{
	char num[24];
	unsigned char md[BAHI_MD5_LEN];
	bahi_md5_ctx c;

	snprintf(num, sizeof(num), "%lld", expires);
	bahi_md5_init(&c);
	bahi_md5_update(&c, num, strlen(num));
	bahi_md5_update(&c, path, strlen(path));
	bahi_md5_update(&c, " ", 1);
	bahi_md5_update(&c, secret, strlen(secret));
	bahi_md5_final(&c, md);
	sodium_bin2base64(out, BAHI_LINK_SIG_LEN + 1, md, sizeof(md),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int
key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '_' || ch == '-';
}

int
bahi_link_key_ok(const char *key)
{
	size_t n = strlen(key), seg = 0;
	if (n == 0 || n > KEY_MAX)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || key[i] == '/') {
			/* the segment key[seg .. i) */
			if (i == seg || key[seg] == '.')
				return 0;
			seg = i + 1;
		} else if (!key_char(key[i])) {
			return 0;
		}
	}
	return 1;
}

char *
bahi_link_make(bahi_pool *pool, const char *base_url, const char *key, long long expires,
               const char *secret)
{
	if (!bahi_link_key_ok(key) || secret == NULL || *secret == '\0')
		return NULL;
	char sig[BAHI_LINK_SIG_LEN + 1];
	char *path = bahi_pool_printf(pool, "/files/%s", key);
	bahi_link_signature(path, expires, secret, sig);
	size_t blen = strlen(base_url);
	while (blen > 0 && base_url[blen - 1] == '/')
		blen--;
	return bahi_pool_printf(pool, "%.*s%s?e=%lld&s=%s", (int)blen, base_url, path, expires, sig);
}
