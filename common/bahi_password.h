/* bahi_password: Argon2id password hashing and the password policy. */
#ifndef BAHI_PASSWORD_H
#define BAHI_PASSWORD_H

#include <stddef.h>

#define BAHI_PASSWORD_HASH_MAX 128

/* Argon2id parameters: OWASP's minimum (m = 19 MiB, t = 2). A worker process
 * computes one hash at a time, so a worker's memory for hashing is bounded by
 * its process count (--processes) times BAHI_PWHASH_MEMLIMIT. */
#define BAHI_PWHASH_OPSLIMIT 2
#define BAHI_PWHASH_MEMLIMIT (19u * 1024u * 1024u)

/* NULL when pw is acceptable, else the field error code: "too_short" (under 8
 * characters), "too_long" (over 128), "too_common" (in bahi's list, compared
 * case-insensitively) or "invalid_text". */
const char *bahi_password_problem(const char *pw);
/* Hashes pw into out[BAHI_PASSWORD_HASH_MAX]. 0, or -1 (out of memory). */
int bahi_password_hash(const char *pw, char *out);
/* 1 when pw matches hash. With hash NULL it verifies against a fixed dummy
 * hash and returns 0, so an unknown account costs the same time as a known one. */
int bahi_password_verify(const char *hash, const char *pw);
/* 1 when pw is in the shipped list of common passwords. */
int bahi_password_is_common(const char *pw);

#endif
