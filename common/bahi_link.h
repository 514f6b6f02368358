/* bahi_link: signed, expiring /files/ links as nginx's secure_link checks them (nginx/snippets/bahi-files.conf). */
#ifndef BAHI_LINK_H
#define BAHI_LINK_H

#include <stddef.h>

struct bahi_pool;

/* 16 MD5 bytes as unpadded base64url. */
#define BAHI_LINK_SIG_LEN 22

/* The signature of a link to path (the decoded request path, starting with
 * "/files/") valid until expires (Unix seconds) under secret: the unpadded
 * base64url of MD5("<expires><path> <secret>"), into out. */
void bahi_link_signature(const char *path, long long expires, const char *secret,
                         char out[BAHI_LINK_SIG_LEN + 1]);

/* 1 when key is a storage key a link may name: 1..300 characters of
 * [A-Za-z0-9._-] in '/'-separated segments, none empty, "." or "..", and
 * not starting with '.' (so it needs no percent-encoding and cannot climb
 * out of the files directory). */
int bahi_link_key_ok(const char *key);

/* "<base_url>/files/<key>?e=<expires>&s=<signature>" in pool; NULL when the
 * key is not acceptable (bahi_link_key_ok) or secret is empty. */
char *bahi_link_make(struct bahi_pool *pool, const char *base_url, const char *key,
                     long long expires, const char *secret);

#endif
