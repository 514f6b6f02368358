/* bahi_users: the rules for a business's staff accounts (roles, passwords, removal). */
#include "bahi_users.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_account.h"
#include "bahi_activity.h"
#include "bahi_buf.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_password.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define USER_COLUMNS \
	"id, phone, name, role, language, version, bahi_ts(created_at) AS created_at," \
	" bahi_ts(updated_at) AS updated_at"

static BAHI_STMT(users_page,
	"SELECT " USER_COLUMNS ", (extract(epoch FROM created_at) * 1000000)::bigint AS cursor_key"
	" FROM users WHERE business_id = $1 AND deleted_at IS NULL"
	" AND ($2::bigint IS NULL OR (created_at, id) >"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY users.created_at, users.id LIMIT $4::int");
static BAHI_STMT(users_one,
	"SELECT " USER_COLUMNS " FROM users WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");
static BAHI_STMT(users_lock,
	"SELECT role, version FROM users WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL FOR UPDATE");
static BAHI_STMT(users_id_used,
	"SELECT 1 FROM users WHERE business_id = $1 AND id = $2");
static BAHI_STMT(users_insert,
	"INSERT INTO users (business_id, id, phone, name, role, password_hash)"
	" VALUES ($1, $2, $3, $4, $5, $6)");
static BAHI_STMT(users_update,
	"UPDATE users SET name = COALESCE($3, name), role = COALESCE($4, role),"
	" password_hash = COALESCE($5, password_hash),"
	" language = CASE WHEN $6::bool THEN $7 ELSE language END,"
	" token_version = token_version + $8::int, version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");
static BAHI_STMT(users_soft_delete,
	"UPDATE users SET deleted_at = now(), token_version = token_version + 1,"
	" version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");

int
bahi_users_list(bahi_req *req, const bahi_page *pg, cJSON **out)
{
	return bahi_page_run(req, &users_page, pg, 0, NULL, out);
}

int
bahi_users_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &users_one, 2, p, "There is no such user.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	return 0;
}

/* Locks the user's row; *role and *version receive its role and version. */
static int
lock_user(bahi_req *req, const char *id, const char **role, long *version)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &users_lock, 2, p, "There is no such user.");
	if (res == NULL)
		return -1;
	*role = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	*version = strtol(bahi_db_get(res, 0, 1), NULL, 10);
	return 0;
}

/* Checks the password policy and hashes pw into hash. */
static int
hash_password(bahi_req *req, const char *pw, const char *field, char *hash)
{
	if (bahi_account_check_password(req, pw, field) != 0)
		return -1;
	if (bahi_password_hash(pw, hash) != 0)
		return bahi_fail(req, "internal_error", "Could not hash the password.");
	return 0;
}

/* Fails with phone_taken when phone already belongs to an active account
 * anywhere, or conflict when the client's id is taken in this business. */
static int
check_free(bahi_req *req, const char *phone, const char *id)
{
	PGresult *u = bahi_account_find_login(req, phone);
	if (u == NULL)
		return -1;
	if (PQntuples(u) > 0)
		return bahi_fail(req, "phone_taken", "This phone number already has an account.");
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &users_id_used, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0)
		return bahi_fail(req, "conflict", "A user with this id already exists.");
	return 0;
}

int
bahi_users_create(bahi_req *req, const bahi_user_in *in, cJSON **out)
{
	char phone[32], hash[BAHI_PASSWORD_HASH_MAX], id[BAHI_UUID_LEN + 1];
	int bad = 0;
	if (in->role == NULL || (strcmp(in->role, "admin") != 0 && strcmp(in->role, "clerk") != 0)) {
		bahi_problem_field(&req->problem, "role", "invalid_choice",
		                   "Must be admin or clerk; a business has one owner.");
		bad = 1;
	}
	/* report every bad field at once */
	bad |= bahi_account_phone(req, in->phone, "phone", phone) != 0;
	bad |= bahi_account_check_password(req, in->password, "password") != 0;
	if (bad || hash_password(req, in->password, "password", hash) != 0)
		return -1;
	if (in->id != NULL)
		snprintf(id, sizeof(id), "%s", in->id);
	else
		bahi_uuid_v7(id);
	if (check_free(req, phone, id) != 0)
		return -1;
	const char *p[6] = {req->tx_business, id, phone, in->name, in->role, hash};
	if (bahi_db_try(req, &users_insert, 6, p) == NULL)
		/* a removed user keeps the phone; so does a racing sign-up */
		return strcmp(req->sqlstate, "23505") == 0 ?
		       bahi_fail(req, "phone_taken", "This phone number already has an account.") : -1;
	bahi_changelog_add(req, "user", id, "upsert", 1);
	if (bahi_activity_add(req, "user_created", id, in->role) != 0)
		return -1;
	return bahi_users_get(req, id, out);
}

/* Refuses what no caller may change on target (whose role is cur_role). */
static int
check_patch_allowed(bahi_req *req, const char *id, const char *cur_role,
                    const bahi_user_patch *p)
{
	int is_owner = strcmp(cur_role, "owner") == 0;
	if (is_owner && p->role != NULL)
		return bahi_fail(req, "forbidden", "The owner's role cannot be changed.");
	if (is_owner && strcmp(req->auth.user_id, id) != 0)
		return bahi_fail(req, "forbidden", "Only the owner can change the owner's account.");
	if (p->password != NULL && strcmp(req->auth.user_id, id) == 0) {
		bahi_problem_field(&req->problem, "password", "use_password_change",
		                   "Change your own password with POST /auth/password.");
		return -1;
	}
	return 0;
}

/* Names the fields a patch changes ("name,role"), for the activity log. */
static const char *
changed_fields(bahi_req *req, const bahi_user_patch *p, int role_changed)
{
	bahi_buf b;
	bahi_buf_init(&b, 64);
	if (p->name)
		bahi_buf_puts(&b, ",name");
	if (role_changed)
		bahi_buf_puts(&b, ",role");
	if (p->password)
		bahi_buf_puts(&b, ",password");
	if (p->language || p->clear_language)
		bahi_buf_puts(&b, ",language");
	const char *s = b.len > 0 ? bahi_pool_strdup(req->pool, b.data + 1) : NULL;
	bahi_buf_free(&b);
	return s;
}

int
bahi_users_update(bahi_req *req, const char *id, const bahi_user_patch *p, cJSON **out)
{
	const char *role;
	long version;
	char hash[BAHI_PASSWORD_HASH_MAX];
	if (lock_user(req, id, &role, &version) != 0 || check_patch_allowed(req, id, role, p) != 0)
		return -1;
	if (p->if_match != 0 && p->if_match != version)
		return bahi_fail(req, "version_conflict",
		                 "The user was changed by someone else; reload and try again.");
	if (p->password != NULL && hash_password(req, p->password, "password", hash) != 0)
		return -1;
	int role_changed = p->role != NULL && strcmp(p->role, role) != 0;
	const char *what = changed_fields(req, p, role_changed);
	if (what == NULL)      /* nothing changes */
		return bahi_users_get(req, id, out);
	const char *params[8] = {
		req->tx_business, id, p->name, p->role, p->password ? hash : NULL,
		p->language || p->clear_language ? "true" : "false", p->language,
		role_changed || p->password ? "1" : "0",
	};
	PGresult *res = bahi_db_exec(req, &users_update, 8, params);
	if (res == NULL)
		return -1;
	/* a new role or password applies at once: the user's sessions end */
	if ((role_changed || p->password) && bahi_account_revoke(req, id, NULL) != 0)
		return -1;
	bahi_changelog_add(req, "user", id, "upsert", (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	if (bahi_activity_add(req, "user_changed", id, what) != 0)
		return -1;
	return bahi_users_get(req, id, out);
}

int
bahi_users_delete(bahi_req *req, const char *id)
{
	const char *role;
	long version;
	if (lock_user(req, id, &role, &version) != 0)
		return -1;
	if (strcmp(role, "owner") == 0)
		return bahi_fail(req, "forbidden", "The owner cannot be deleted.");
	if (strcmp(req->auth.user_id, id) == 0)
		return bahi_fail(req, "forbidden", "You cannot delete your own account here.");
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &users_soft_delete, 2, p);
	if (res == NULL || bahi_account_revoke(req, id, NULL) != 0)
		return -1;
	bahi_changelog_add(req, "user", id, "delete", (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return bahi_activity_add(req, "user_deleted", id, role);
}

static BAHI_STMT(users_set_language,
	"UPDATE users SET language = $3, version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING version");

int
bahi_users_set_own_language(bahi_req *req, const char *lang)
{
	if (lang == NULL || (strcmp(lang, "en") != 0 && strcmp(lang, "ur") != 0)) {
		bahi_problem_field(&req->problem, "language", "invalid_language", "Must be en or ur.");
		return -1;
	}
	const char *p[3] = {req->tx_business, req->auth.user_id, lang};
	PGresult *res = bahi_db_one(req, &users_set_language, 3, p, "There is no such user.");
	if (res == NULL)
		return -1;
	bahi_changelog_add(req, "user", req->auth.user_id, "upsert",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return 0;
}
