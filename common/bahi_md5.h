/* bahi_md5: MD5 (RFC 1321), only for nginx secure_link signatures (libsodium has no MD5). */
#ifndef BAHI_MD5_H
#define BAHI_MD5_H

#include <stddef.h>
#include <stdint.h>

#define BAHI_MD5_LEN 16

typedef struct bahi_md5_ctx {
	uint32_t state[4];
	uint64_t nbytes;          /* message length so far */
	unsigned char block[64];  /* a partial block */
	size_t fill;              /* bytes in block */
} bahi_md5_ctx;

void bahi_md5_init(bahi_md5_ctx *c);
void bahi_md5_update(bahi_md5_ctx *c, const void *data, size_t n);
void bahi_md5_final(bahi_md5_ctx *c, unsigned char out[BAHI_MD5_LEN]);
/* The digest of one buffer. */
void bahi_md5(const void *data, size_t n, unsigned char out[BAHI_MD5_LEN]);

#endif
