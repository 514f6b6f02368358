/* bahi_random: secure random bytes, numeric codes and base64url tokens, and SHA-256, via libsodium. */
#include "bahi_random.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

/* Bytes encoded per step of bahi_random_token: a multiple of 3, so chunks join without padding. */
#define TOKEN_CHUNK 48

/* sodium_init() is 0 on first success, 1 when already done, -1 on failure. */
int
bahi_random_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
bahi_random_bytes(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

/* 0 when upper < 2 (libsodium's convention). */
uint32_t
bahi_random_uniform(uint32_t upper)
{
	return randombytes_uniform(upper);
}

void
bahi_random_digits(char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('0' + randombytes_uniform(10));
	out[n] = '\0';
}

/*
 * Encodes nbytes fresh random bytes as unpadded base64url, 48 bytes at a time
 * (so no buffer of nbytes is needed). A too-small `size` is a programming
 * error and aborts, rather than returning a short or empty token.
 */
void
bahi_random_token(char *out, size_t size, size_t nbytes)
{
	const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
	unsigned char chunk[TOKEN_CHUNK];
	size_t pos = 0;

	if (size < sodium_base64_ENCODED_LEN(nbytes, variant)) {
		fputs("{\"level\":\"fatal\",\"msg\":\"bahi_random_token: buffer too small\"}\n", stderr);
		abort();
	}
	out[0] = '\0';
	while (nbytes > 0) {
		size_t n = nbytes < TOKEN_CHUNK ? nbytes : TOKEN_CHUNK;
		randombytes_buf(chunk, n);
		sodium_bin2base64(out + pos, size - pos, chunk, n, variant);
		pos += sodium_base64_ENCODED_LEN(n, variant) - 1;
		nbytes -= n;
	}
	sodium_memzero(chunk, sizeof(chunk));
}

void
bahi_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char hash[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(hash, data, n);
	sodium_bin2hex(out, 65, hash, sizeof(hash));
}
