/* bahi_jwt: access tokens (HS256 JWT via libjwt) with every claim checked by our code. */
#ifndef BAHI_JWT_H
#define BAHI_JWT_H

#include <time.h>

#define BAHI_JWT_MAX 8192          /* longer tokens are refused unread */
#define BAHI_JWT_TTL (15 * 60)     /* access tokens live 15 minutes */
#define BAHI_JWT_WEB_TTL (12 * 60 * 60)  /* admin panel sessions live 12 hours */
#define BAHI_JWT_ISS "bahi"
#define BAHI_JWT_AUD "bahi-api"

typedef struct bahi_claims {
	char sub[37];   /* user id */
	char bid[37];   /* business id */
	char did[37];   /* device id */
	char role[8];   /* owner | admin | clerk */
	long ver;       /* the user's token_version when issued */
	long iat, nbf, exp;
} bahi_claims;

/* Access tokens (typ "access") are the API's bearer tokens; web tokens (typ
 * "web") are the admin panel's session cookie. Neither is accepted as the other. */
typedef enum { BAHI_JWT_ACCESS, BAHI_JWT_WEB } bahi_jwt_kind;

/* Sets the signing key and an optional previous key still accepted (key
 * rotation); each is identified by a kid derived from it. 0, or -1 when the
 * current key is shorter than 32 bytes. */
int bahi_jwt_init(const char *key, const char *old_key);
/* Signs an access token for c (iat/nbf/exp are set from now); malloc'd, or NULL. */
char *bahi_jwt_issue(bahi_claims *c, time_t now);
/* bahi_jwt_issue and bahi_jwt_verify for a kind of token. */
char *bahi_jwt_issue_kind(bahi_claims *c, time_t now, bahi_jwt_kind kind);
int bahi_jwt_verify_kind(const char *token, time_t now, bahi_jwt_kind kind, bahi_claims *out);
/* Verifies token at time now: size, header (alg exactly HS256, known kid),
 * signature, then iss, aud, typ, exp, nbf, iat and the shape of every claim.
 * 0 and *out filled; 1 when only exp has passed (token_expired); -1 otherwise. */
int bahi_jwt_verify(const char *token, time_t now, bahi_claims *out);

#endif
