/* bahi_random: secure randomness (libsodium): bytes, tokens, numeric codes. */
#ifndef BAHI_RANDOM_H
#define BAHI_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Initialises libsodium; call once per process before anything else here. 0 or -1. */
int bahi_random_init(void);
void bahi_random_bytes(void *buf, size_t n);
/* A uniformly random integer in [0, upper). */
uint32_t bahi_random_uniform(uint32_t upper);
/* n random decimal digits (uniform, leading zeros kept) into out[n + 1]. */
void bahi_random_digits(char *out, size_t n);
/* nbytes random bytes as unpadded base64url into out (size >= 4*nbytes/3 + 3). */
void bahi_random_token(char *out, size_t size, size_t nbytes);
/* Lower-case hex SHA-256 of data into out[65]. */
void bahi_sha256_hex(const void *data, size_t n, char out[65]);

#endif
