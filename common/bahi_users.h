/* bahi_users: a business's users and roles: listing, adding, changing and removing staff. */
#ifndef BAHI_USERS_H
#define BAHI_USERS_H

#include <cjson/cJSON.h>

#include "bahi_cursor.h"

struct bahi_req;

typedef struct bahi_user_in {
	const char *id;         /* client UUID, or NULL for a new one */
	const char *phone, *name, *password;
	const char *role;       /* "admin" or "clerk" */
} bahi_user_in;

typedef struct bahi_user_patch {
	const char *name, *role, *password;  /* NULL: unchanged */
	const char *language;                /* "en" | "ur"; NULL: unchanged */
	int clear_language;                  /* language given as null */
	long if_match;                       /* 0: no If-Match */
} bahi_user_patch;

/* Each works in the request's transaction and business and returns 0 (with
 * *out set where there is one), or -1 with a problem. Users removed with
 * bahi_users_delete are not found (404) by any of them. */

/* One page of the business's users, oldest first: {"items", "next_cursor"}. */
int bahi_users_list(struct bahi_req *req, const bahi_page *pg, cJSON **out);
/* One user: {"id", "phone", "name", "role", "language", "version", "created_at", "updated_at"}. */
int bahi_users_get(struct bahi_req *req, const char *id, cJSON **out);
/* Adds an admin or clerk. The phone is normalised and must be free across
 * the installation (409 phone_taken); the password must pass the policy. */
int bahi_users_create(struct bahi_req *req, const bahi_user_in *in, cJSON **out);
/* Changes name, role, password or language (412 version_conflict when
 * if_match is stale). A new role or password ends the user's sessions at
 * once. Nobody changes the owner's role, only the owner changes the owner's
 * account, and nobody sets their own password here (POST /auth/password
 * asks for the current one). */
int bahi_users_update(struct bahi_req *req, const char *id, const bahi_user_patch *p,
                      cJSON **out);
/* Soft-deletes a user and ends their sessions. The owner cannot be deleted,
 * nor can callers delete themselves. */
int bahi_users_delete(struct bahi_req *req, const char *id);

/* Sets the caller's own language ("en" | "ur"): what every user may do,
 * whatever their role. */
int bahi_users_set_own_language(struct bahi_req *req, const char *lang);

#endif
