/* bahi_jwt: issues and verifies HS256 access tokens; libjwt 1.10 checks only the signature, we check the rest. */
#include "bahi_jwt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <jwt.h>
#include <sodium.h>

#include "bahi_uuid.h"

typedef struct jwt_key {
	char kid[17];
	unsigned char *bytes;
	int len;
} jwt_key;

static jwt_key keys[2];   /* [0] current, [1] previous (may be empty) */

static int
key_set(jwt_key *k, const char *secret)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	free(k->bytes);
	memset(k, 0, sizeof(*k));
	if (secret == NULL || *secret == '\0')
		return 0;
	k->len = (int)strlen(secret);
	k->bytes = (unsigned char *)strdup(secret);
	crypto_hash_sha256(h, (const unsigned char *)secret, (unsigned long long)k->len);
	sodium_bin2hex(k->kid, sizeof(k->kid), h, 8);
	return 0;
}

int
bahi_jwt_init(const char *key, const char *old_key)
{
	if (key == NULL || strlen(key) < 32)
		return -1;
	key_set(&keys[0], key);
	key_set(&keys[1], old_key);
	return 0;
}

/* The typ claim and lifetime of each kind of token. */
static const struct {
	const char *typ;
	long ttl;
} kinds[] = {
	[BAHI_JWT_ACCESS] = {"access", BAHI_JWT_TTL},
	[BAHI_JWT_WEB] = {"web", BAHI_JWT_WEB_TTL},
};

char *
bahi_jwt_issue(bahi_claims *c, time_t now)
{
	return bahi_jwt_issue_kind(c, now, BAHI_JWT_ACCESS);
}

char *
bahi_jwt_issue_kind(bahi_claims *c, time_t now, bahi_jwt_kind kind)
{
	jwt_t *jwt = NULL;
	char *out = NULL;
	c->iat = c->nbf = (long)now;
	c->exp = (long)now + kinds[kind].ttl;
	if (keys[0].bytes == NULL || jwt_new(&jwt) != 0)
		return NULL;
	int rc = jwt_add_grant(jwt, "sub", c->sub) | jwt_add_grant(jwt, "bid", c->bid) |
	         jwt_add_grant(jwt, "did", c->did) | jwt_add_grant(jwt, "role", c->role) |
	         jwt_add_grant(jwt, "typ", kinds[kind].typ) | jwt_add_grant(jwt, "iss", BAHI_JWT_ISS) |
	         jwt_add_grant(jwt, "aud", BAHI_JWT_AUD) | jwt_add_grant_int(jwt, "ver", c->ver) |
	         jwt_add_grant_int(jwt, "iat", c->iat) | jwt_add_grant_int(jwt, "nbf", c->nbf) |
	         jwt_add_grant_int(jwt, "exp", c->exp) | jwt_add_header(jwt, "kid", keys[0].kid) |
	         jwt_set_alg(jwt, JWT_ALG_HS256, keys[0].bytes, keys[0].len);
	if (rc == 0)
		out = jwt_encode_str(jwt);
	jwt_free(jwt);
	return out;
}

/* Decodes the header ourselves and picks the key its kid names; refuses
 * anything but {"alg":"HS256"} (so "none", HS384, RS256... never reach libjwt). */
static const jwt_key *
header_key(const char *token)
{
	const char *dot = strchr(token, '.');
	unsigned char raw[512];
	size_t len;
	if (dot == NULL || (size_t)(dot - token) > 600 ||
	    sodium_base642bin(raw, sizeof(raw) - 1, token, (size_t)(dot - token), NULL, &len,
	                      NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return NULL;
	raw[len] = '\0';
	cJSON *h = cJSON_Parse((const char *)raw);
	const jwt_key *k = NULL;
	const cJSON *alg = cJSON_GetObjectItemCaseSensitive(h, "alg");
	const cJSON *kid = cJSON_GetObjectItemCaseSensitive(h, "kid");
	const cJSON *typ = cJSON_GetObjectItemCaseSensitive(h, "typ");
	if (cJSON_IsString(alg) && strcmp(alg->valuestring, "HS256") == 0 &&
	    (typ == NULL || (cJSON_IsString(typ) && strcmp(typ->valuestring, "JWT") == 0))) {
		for (int i = 0; i < 2 && k == NULL; i++)
			if (keys[i].bytes != NULL && cJSON_IsString(kid) &&
			    strcmp(kid->valuestring, keys[i].kid) == 0)
				k = &keys[i];
	}
	cJSON_Delete(h);
	return k;
}

static int
copy_claim(jwt_t *jwt, const char *name, char *out, size_t size)
{
	const char *v = jwt_get_grant(jwt, name);
	if (v == NULL || strlen(v) >= size)
		return -1;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

/* A whole-number claim of at most 15 digits. libjwt 1.10 reads a string, a
 * real or null as 0 without an error, so the claim's JSON text is checked. */
static int
int_claim(jwt_t *jwt, const char *name, long *out)
{
	char *json = jwt_get_grants_json(jwt, name);
	size_t digits = json ? strspn(json, "0123456789") : 0;
	int ok = digits > 0 && digits <= 15 && json[digits] == '\0';
	free(json);
	if (!ok)
		return -1;
	errno = 0;
	*out = jwt_get_grant_int(jwt, name);
	return errno == 0 ? 0 : -1;
}

static int
str_claim_is(jwt_t *jwt, const char *name, const char *want)
{
	const char *v = jwt_get_grant(jwt, name);
	return v != NULL && strcmp(v, want) == 0;
}

/* Every claim present, of the right shape and value, and in its time window. */
static int
check_claims(jwt_t *jwt, time_t now, bahi_jwt_kind kind, bahi_claims *c)
{
	if (jwt_get_alg(jwt) != JWT_ALG_HS256 || !str_claim_is(jwt, "iss", BAHI_JWT_ISS) ||
	    !str_claim_is(jwt, "aud", BAHI_JWT_AUD) || !str_claim_is(jwt, "typ", kinds[kind].typ))
		return -1;
	if (copy_claim(jwt, "sub", c->sub, sizeof(c->sub)) || copy_claim(jwt, "bid", c->bid, sizeof(c->bid)) ||
	    copy_claim(jwt, "did", c->did, sizeof(c->did)) ||
	    copy_claim(jwt, "role", c->role, sizeof(c->role)) || int_claim(jwt, "ver", &c->ver) ||
	    int_claim(jwt, "iat", &c->iat) || int_claim(jwt, "nbf", &c->nbf) ||
	    int_claim(jwt, "exp", &c->exp))
		return -1;
	if (!bahi_uuid_valid(c->sub) || !bahi_uuid_valid(c->bid) || !bahi_uuid_valid(c->did) ||
	    (strcmp(c->role, "owner") && strcmp(c->role, "admin") && strcmp(c->role, "clerk")) ||
	    c->ver < 1 || c->nbf > (long)now || c->iat > (long)now + 60)
		return -1;
	return c->exp <= (long)now ? 1 : 0;
}

int
bahi_jwt_verify(const char *token, time_t now, bahi_claims *out)
{
	return bahi_jwt_verify_kind(token, now, BAHI_JWT_ACCESS, out);
}

int
bahi_jwt_verify_kind(const char *token, time_t now, bahi_jwt_kind kind, bahi_claims *out)
{
	jwt_t *jwt = NULL;
	memset(out, 0, sizeof(*out));
	if (token == NULL || strlen(token) > BAHI_JWT_MAX)
		return -1;
	const jwt_key *k = header_key(token);
	if (k == NULL || jwt_decode(&jwt, token, k->bytes, k->len) != 0)
		return -1;
	int rc = check_claims(jwt, now, kind, out);
	jwt_free(jwt);
	return rc;
}
