/* bahi_account: sign-up, sign-in, sessions, tokens and passwords: the rules the auth and admin workers share. */
#ifndef BAHI_ACCOUNT_H
#define BAHI_ACCOUNT_H

#include <stdint.h>

#include <cjson/cJSON.h>

struct bahi_buf;
struct bahi_req;
struct bahi_stmt;

typedef struct bahi_device_in {
	const char *id;        /* client UUID, or NULL for a new one */
	const char *name;
	const char *platform;  /* android | ios | web | other */
} bahi_device_in;

typedef struct bahi_signup_in {
	const char *phone, *otp, *password, *name;
	const char *business_name, *business_type, *currency, *timezone;
	int64_t tax_rate_bp;   /* -1: the default (1900) */
	bahi_device_in device;
} bahi_signup_in;

/* Each takes validated input inside the request's transaction and returns
 * 0 with *out set (a session body: access_token, refresh_token, token_type,
 * expires_in, user, business, device), or -1 with a problem. */
int bahi_account_signup(struct bahi_req *req, const bahi_signup_in *in, cJSON **out);
/* Creates the business and its owner (phone already normalised and free)
 * and scopes the transaction to the new business; bid and uid receive the
 * new ids (37 bytes each). Used by sign-up and by the demo seed. */
int bahi_account_create(struct bahi_req *req, const bahi_signup_in *in, const char *phone,
                        char *bid, char *uid);
int bahi_account_login(struct bahi_req *req, const char *phone, const char *password,
                       const bahi_device_in *dev, cJSON **out);
int bahi_account_refresh(struct bahi_req *req, const char *token, cJSON **out);
/* Opens a session for an already verified user on a device (also used by
 * device pairing): enforces the device cap, issues a new token family. */
int bahi_account_session(struct bahi_req *req, const char *business_id, const char *user_id,
                         const bahi_device_in *dev, cJSON **out);

/* Issues an access token and a refresh token of family for user_id on
 * device_id (both of the transaction's business) and builds the session body. */
int bahi_account_session_tokens(struct bahi_req *req, const char *user_id,
                                const char *device_id, const char *family, cJSON **out);
/* phone's user (business_id, id, password_hash), found through the login
 * look-up policy before the business is known; no rows when none. */
struct pg_result *bahi_account_find_login(struct bahi_req *req, const char *phone);

/* Finds a hashed token's business through the app.token_hash look-up policy
 * (lookup: "SELECT business_id FROM <table> WHERE token_hash = $1") and scopes
 * the transaction to it. 1 when found, 0 when not, -1 with a problem. */
int bahi_account_scope_by_hash(struct bahi_req *req, struct bahi_stmt *lookup, const char *hash);

/* Ends the caller's device session. */
int bahi_account_logout(struct bahi_req *req);
/* Revokes devices (all of user_id's when device_id is NULL) and their
 * refresh tokens, in the transaction's business. */
int bahi_account_revoke(struct bahi_req *req, const char *user_id, const char *device_id);
/* Changes the caller's password (current one re-entered); every session of
 * the user ends, the caller's included. */
int bahi_account_change_password(struct bahi_req *req, const char *current, const char *next);
/* Resets the password of phone's user with a "reset" code; every session ends. */
int bahi_account_reset_password(struct bahi_req *req, const char *phone, const char *otp,
                                const char *next);

/* Checks pw against the password policy; a field error on field when weak. 0 or -1. */
int bahi_account_check_password(struct bahi_req *req, const char *pw, const char *field);
/* Normalises a phone or sets a validation problem on field. 0 or -1. */
int bahi_account_phone(struct bahi_req *req, const char *in, const char *field, char *out);
/* The records as the API shows them. NULL with a problem when missing. */
cJSON *bahi_account_user_json(struct bahi_req *req, const char *user_id);
cJSON *bahi_account_business_json(struct bahi_req *req);
cJSON *bahi_account_device_json(struct bahi_req *req, const char *device_id);
/* Writes GET /me's body to out: the caller's device, read by the request's
 * one statement, which is also its session check (bahi_session_exec_last)
 * and ends its transaction; the caller's user and business, as this process
 * last read them while the device's profile_stamp has not changed since,
 * else read again in a transaction of their own; and the permissions of the
 * role as stored now. 0, or -1 with a problem. */
int bahi_account_me(struct bahi_req *req, struct bahi_buf *out);

#endif
