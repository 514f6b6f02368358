/* bahi_otp: issuing, rate limiting and checking one-time codes (stored as keyed hashes). */
#include "bahi_otp.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_sms.h"
#include "bahi_uuid.h"

/* HMAC-SHA256 of phone, purpose and code under a key derived from the JWT
 * secret: a leaked table does not give the codes away by brute force alone. */
static void
code_hash(const char *phone, const char *purpose, const char *code, char out[65])
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
	const char *secret = bahi_config_get("jwt_secret");
	crypto_generichash(key, sizeof(key), (const unsigned char *)secret, strlen(secret),
	                   (const unsigned char *)"bahi-otp-key", 12);
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, sizeof(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)phone, strlen(phone) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)purpose, strlen(purpose) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)code, strlen(code));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

/* Sends for one phone are serialised, so concurrent requests count right. */
static BAHI_STMT(otp_lock, "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))");
static BAHI_STMT(otp_recent,
	"SELECT count(*), COALESCE(ceil(extract(epoch FROM min(created_at) + interval '1 hour' - now())), 0)"
	" FROM otp_codes WHERE phone = $1 AND created_at > now() - interval '1 hour'");
static BAHI_STMT(otp_retire,
	"UPDATE otp_codes SET used_at = now() WHERE phone = $1 AND purpose = $2 AND used_at IS NULL");
static BAHI_STMT(otp_insert,
	"INSERT INTO otp_codes (id, phone, purpose, code_hash, expires_at)"
	" VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::int))");

int
bahi_otp_send(bahi_req *req, const char *phone, const char *purpose)
{
	const char *p[5] = {phone, purpose};
	if (bahi_db_exec(req, &otp_lock, 1, p) == NULL)
		return -1;
	PGresult *res = bahi_db_exec(req, &otp_recent, 1, p);
	if (res == NULL)
		return -1;
	if (strtol(bahi_db_get(res, 0, 0), NULL, 10) >= BAHI_OTP_MAX_SENDS) {
		long wait = strtol(bahi_db_get(res, 0, 1), NULL, 10);
		bahi_fail(req, "rate_limited", "At most %d codes an hour; try again in %ld minutes.",
		          BAHI_OTP_MAX_SENDS, (wait + 59) / 60);
		req->problem.retry_after = wait > 0 ? (int)wait : 1;
		return -1;
	}
	char code[7], hash[65], id[BAHI_UUID_LEN + 1];
	bahi_random_digits(code, 6);
	code_hash(phone, purpose, code, hash);
	bahi_uuid_v7(id);
	const char *ins[5] = {id, phone, purpose, hash,
	                      bahi_pool_printf(req->pool, "%d", BAHI_OTP_TTL)};
	if (bahi_db_exec(req, &otp_retire, 2, p) == NULL ||
	    bahi_db_exec(req, &otp_insert, 5, ins) == NULL)
		return -1;
	const char *text = bahi_pool_printf(req->pool,
		"Your bahi code is %s. It expires in %d minutes. Do not share it.",
		code, BAHI_OTP_TTL / 60);
	sodium_memzero(code, sizeof(code));
	return bahi_sms_send(req, phone, text);
}

static BAHI_STMT(otp_newest,
	"SELECT id, code_hash, attempts, expires_at <= now(), used_at IS NOT NULL"
	" FROM otp_codes WHERE phone = $1 AND purpose = $2"
	" ORDER BY created_at DESC LIMIT 1 FOR UPDATE");
static BAHI_STMT(otp_attempt,
	"UPDATE otp_codes SET attempts = attempts + 1 WHERE id = $1");
static BAHI_STMT(otp_use,
	"UPDATE otp_codes SET used_at = now() WHERE id = $1");

int
bahi_otp_consume(bahi_req *req, const char *phone, const char *purpose, const char *code)
{
	const char *p[2] = {phone, purpose};
	PGresult *res = bahi_db_exec(req, &otp_newest, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || strcmp(bahi_db_get(res, 0, 4), "t") == 0)
		return bahi_fail(req, "otp_invalid", "The code is not valid; request a new one.");
	const char *id[1] = {bahi_db_get(res, 0, 0)};
	if (strcmp(bahi_db_get(res, 0, 3), "t") == 0)
		return bahi_fail(req, "otp_expired", "The code has expired; request a new one.");
	if (strtol(bahi_db_get(res, 0, 2), NULL, 10) >= BAHI_OTP_MAX_ATTEMPTS)
		return bahi_fail(req, "otp_invalid", "Too many wrong tries; request a new code.");
	char hash[65];
	code_hash(phone, purpose, code, hash);
	if (strlen(code) != 6 || sodium_memcmp(hash, bahi_db_get(res, 0, 1), 64) != 0) {
		if (bahi_db_exec(req, &otp_attempt, 1, id) == NULL)
			return -1;
		req->keep_changes = 1;
		return bahi_fail(req, "otp_invalid", "The code is wrong.");
	}
	return bahi_db_exec(req, &otp_use, 1, id) == NULL ? -1 : 0;
}
