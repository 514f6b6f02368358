/* bahi_customer: customer rules: E.164 phones unique per business, opening balance changes logged, no deletion while money is owed. */
#include "bahi_customer.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_activity.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_req.h"
#include "bahi_valid.h"

#define CUSTOMER_COLUMNS \
	"id, name, phone, address, opening_balance, credit_balance, open_debt, version," \
	" bahi_ts(created_at) AS created_at, bahi_ts(updated_at) AS updated_at"
#define NIL_UUID "00000000-0000-0000-0000-000000000000"
#define NAME_MAX_CHARS 200
/* Digits a phone-like q needs before it is matched against phones. */
#define Q_PHONE_MIN_DIGITS 3

static BAHI_STMT(customer_country,
	"SELECT country FROM businesses WHERE id = $1");
/* $5 the search text (NULL: all), $6 its digits for phones (NULL: none).
 * ORDER BY names the table's column (c.created_at): a bare created_at would
 * be the output column, the text of bahi_ts() to the second, which does not
 * agree with the cursor's microseconds. */
static BAHI_STMT(customer_page,
	"SELECT " CUSTOMER_COLUMNS ","
	" (extract(epoch FROM c.created_at) * 1000000)::bigint AS cursor_key"
	" FROM customers c WHERE c.business_id = $1 AND c.deleted_at IS NULL"
	" AND ($2::bigint IS NULL OR (c.created_at, c.id) >"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" AND ($5::text IS NULL OR strpos(c.name_lower, lower($5::text)) > 0"
	"  OR strpos(c.phone, $6::text) > 0)"
	" ORDER BY c.created_at, c.id LIMIT $4::int");
static BAHI_STMT(customer_one,
	"SELECT " CUSTOMER_COLUMNS " FROM customers WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");
static BAHI_STMT(customer_many,
	"SELECT " CUSTOMER_COLUMNS " FROM customers WHERE business_id = $1"
	" AND id = ANY ($2::uuid[]) AND deleted_at IS NULL");
static BAHI_STMT(customer_with_phone,
	"SELECT " CUSTOMER_COLUMNS " FROM customers WHERE business_id = $1 AND phone = $2"
	" AND deleted_at IS NULL");
/* No row when a live customer already has the phone (a taken id is 23505). */
static BAHI_STMT(customer_insert,
	"INSERT INTO customers (business_id, id, name, phone, address, opening_balance)"
	" VALUES ($1, $2, $3, $4, $5, $6::bigint)"
	" ON CONFLICT (business_id, phone) WHERE deleted_at IS NULL DO NOTHING"
	" RETURNING " CUSTOMER_COLUMNS);
static BAHI_STMT(customer_phone_holder,
	"SELECT name FROM customers WHERE business_id = $1 AND phone = $2 AND deleted_at IS NULL"
	" AND id <> COALESCE($3::uuid, '" NIL_UUID "')");
static BAHI_STMT(customer_lock,
	"SELECT version, opening_balance FROM customers WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL FOR UPDATE");
static BAHI_STMT(customer_update,
	"UPDATE customers SET name = COALESCE($3, name),"
	" phone = CASE WHEN $4::bool THEN $5 ELSE phone END,"
	" address = CASE WHEN $6::bool THEN $7 ELSE address END,"
	" opening_balance = COALESCE($8::bigint, opening_balance),"
	" version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING " CUSTOMER_COLUMNS);
static BAHI_STMT(customer_soft_delete,
	"UPDATE customers SET deleted_at = now(), version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL"
	" AND open_debt = 0 AND credit_balance = 0 RETURNING version, name");
static BAHI_STMT(customer_balances,
	"SELECT name, open_debt, credit_balance FROM customers WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");

int
bahi_customer_phone(bahi_req *req, const char *in, const char *field,
                    char out[BAHI_PHONE_MAX + 1])
{
	/* international forms need no country: skip the look-up */
	if (bahi_phone_normalise(in, NULL, out) == 0)
		return 0;
	const char *p[1] = {req->tx_business};
	PGresult *res = bahi_db_exec(req, &customer_country, 1, p);
	if (res == NULL)
		return -1;
	const char *country = PQntuples(res) > 0 ? bahi_db_get(res, 0, 0) : "PK";
	if (bahi_phone_normalise(in, country, out) == 0)
		return 0;
	bahi_problem_field(&req->problem, field, "invalid_phone",
	                   "Must be a phone number such as +923001234567 or 03001234567.");
	return -1;
}

/* The digits of a phone-like q (digits, spaces, '+', '-', '.', parentheses,
 * at least 3 digits) without a leading 00 or trunk 0, in the pool; NULL when
 * q is not phone-like. */
static const char *
q_digits(bahi_req *req, const char *q)
{
	size_t n = strlen(q), k = 0;
	char *d = bahi_pool_alloc(req->pool, n + 1);
	for (const char *s = q; *s; s++) {
		if (isdigit((unsigned char)*s))
			d[k++] = *s;
		else if (!strchr(" +-.()", *s))
			return NULL;
	}
	d[k] = '\0';
	if (d[0] == '0')
		d += d[1] == '0' ? 2 : 1;
	return strlen(d) >= Q_PHONE_MIN_DIGITS ? d : NULL;
}

int
bahi_customer_list(bahi_req *req, const bahi_page *pg, const char *q, cJSON **out)
{
	const char *extra[2] = {q, q ? q_digits(req, q) : NULL};
	return bahi_page_run(req, &customer_page, pg, 2, extra, out);
}

int
bahi_customer_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &customer_one, 2, p, "There is no such customer.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	return 0;
}

int
bahi_customer_get_many(bahi_req *req, const char *const *ids, int n,
                       void (*put)(void *ctx, const char *id, char *json),
                       void *ctx)
{
	const char *p[2] = {req->tx_business, bahi_pg_array(req->pool, ids, n)};
	PGresult *res = bahi_db_exec(req, &customer_many, 2, p);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		cJSON *o = bahi_json_row(res, r);
		char *text = o ? cJSON_PrintUnformatted(o) : NULL;
		cJSON_Delete(o);
		if (text == NULL)
			return bahi_fail(req, "internal_error", "Could not encode the customer.");
		put(ctx, bahi_db_get(res, r, 0), bahi_pool_strdup(req->pool, text));
		cJSON_free(text);
	}
	return 0;
}

int
bahi_customer_by_phone(bahi_req *req, const char *phone, cJSON **out)
{
	char e164[BAHI_PHONE_MAX + 1];
	if (bahi_customer_phone(req, phone, "phone", e164) != 0)
		return -1;
	/* the detail never repeats the number: it may be another business's */
	const char *p[2] = {req->tx_business, e164};
	PGresult *res = bahi_db_one(req, &customer_with_phone, 2, p,
	                            "There is no customer with this phone number.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	return 0;
}

/* 409 duplicate_phone naming the live customer (other than self) holding
 * phone, or 0 when none does (-1 on a database error). */
static int
phone_taken(bahi_req *req, const char *phone, const char *self)
{
	const char *p[3] = {req->tx_business, phone, self};
	PGresult *res = bahi_db_exec(req, &customer_phone_holder, 3, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	bahi_fail(req, "duplicate_phone", "The phone number %s already belongs to the customer %s.",
	          phone, bahi_db_get(res, 0, 0));
	return 1;
}

/* Inserts a customer; the new row in *res, or 0 rows when the phone is
 * taken. 0, or -1 with a problem (a taken id is 409 conflict). */
static int
insert_customer(bahi_req *req, const char *id, const char *name, const char *phone,
                const char *address, int64_t opening, PGresult **res)
{
	const char *p[6] = {
		req->tx_business, id, name, phone, address,
		bahi_pool_printf(req->pool, "%" PRId64, opening),
	};
	*res = bahi_db_try(req, &customer_insert, 6, p);
	if (*res != NULL)
		return 0;
	return bahi_fail_unique(req, "conflict", "A customer with this id already exists.");
}

int
bahi_customer_create(bahi_req *req, const bahi_customer_in *in, cJSON **out)
{
	char phone[BAHI_PHONE_MAX + 1], id[BAHI_UUID_LEN + 1];
	PGresult *res;
	if (in->phone != NULL && bahi_customer_phone(req, in->phone, "phone", phone) != 0)
		return -1;
	if (in->id != NULL)
		snprintf(id, sizeof(id), "%s", in->id);
	else
		bahi_uuid_v7(id);
	if (insert_customer(req, id, in->name, in->phone ? phone : NULL, in->address,
	                    in->opening_balance, &res) != 0)
		return -1;
	if (PQntuples(res) == 0)
		return phone_taken(req, phone, NULL) != 0 ? -1 :
		       bahi_fail(req, "duplicate_phone", "The phone number is already in use.");
	bahi_changelog_add(req, "customer", id, "upsert", 1);
	*out = bahi_json_row(res, 0);
	return 0;
}

/* Locks the live customer; its version and opening balance into *version, *opening. */
static int
lock_customer(bahi_req *req, const char *id, long *version, int64_t *opening)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &customer_lock, 2, p, "There is no such customer.");
	if (res == NULL)
		return -1;
	*version = strtol(bahi_db_get(res, 0, 0), NULL, 10);
	*opening = strtoll(bahi_db_get(res, 0, 1), NULL, 10);
	return 0;
}

/* "true" when a nullable field is set or cleared. */
static const char *
touched(const char *v, int clear)
{
	return v != NULL || clear ? "true" : "false";
}

static int
patch_is_empty(const bahi_customer_patch *p)
{
	return p->name == NULL && p->phone == NULL && !p->clear_phone && p->address == NULL &&
	       !p->clear_address && p->opening_balance < 0;
}

/* Runs the UPDATE of p; the new row in *res. */
static int
apply_patch(bahi_req *req, const char *id, const bahi_customer_patch *p, const char *phone,
            PGresult **res)
{
	const char *params[8] = {
		req->tx_business, id, p->name,
		touched(p->phone, p->clear_phone), p->phone ? phone : NULL,
		touched(p->address, p->clear_address), p->address,
		p->opening_balance >= 0 ?
		    bahi_pool_printf(req->pool, "%" PRId64, p->opening_balance) : NULL,
	};
	*res = bahi_db_try(req, &customer_update, 8, params);
	if (*res != NULL)
		return 0;
	return bahi_fail_unique(req, "duplicate_phone", "The phone number is already in use.");
}

int
bahi_customer_update(bahi_req *req, const char *id, const bahi_customer_patch *p, cJSON **out)
{
	char phone[BAHI_PHONE_MAX + 1];
	long version;
	int64_t opening;
	PGresult *res;
	if (p->phone != NULL && bahi_customer_phone(req, p->phone, "phone", phone) != 0)
		return -1;
	if (lock_customer(req, id, &version, &opening) != 0)
		return -1;
	if (p->if_match != 0 && p->if_match != version)
		return bahi_fail(req, "version_conflict",
		                 "The customer was changed by someone else; reload and try again.");
	if (patch_is_empty(p))
		return bahi_customer_get(req, id, out);
	if (p->phone != NULL && phone_taken(req, phone, id) != 0)
		return -1;
	if (apply_patch(req, id, p, phone, &res) != 0)
		return -1;
	if (p->opening_balance >= 0 && p->opening_balance != opening &&
	    bahi_activity_add(req, "customer_opening_balance_changed", id,
	                      bahi_pool_printf(req->pool, "opening_balance %" PRId64 " -> %" PRId64,
	                                       opening, p->opening_balance)) != 0)
		return -1;
	*out = bahi_json_row(res, 0);
	bahi_changelog_add(req, "customer", id, "upsert",
	                   (int)strtol(bahi_db_get(res, 0, PQfnumber(res, "version")), NULL, 10));
	return 0;
}

/* Why the soft delete of a live customer found nothing: 404, or 409 in_use
 * while money is owed either way. */
static int
delete_refused(bahi_req *req, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &customer_balances, 2, p, "There is no such customer.");
	if (res == NULL)
		return -1;
	const char *name = bahi_db_get(res, 0, 0), *debt = bahi_db_get(res, 0, 1);
	if (strcmp(debt, "0") != 0)
		return bahi_fail(req, "in_use", "%s has an open debt of %s; it must be settled first.",
		                 name, debt);
	return bahi_fail(req, "in_use", "%s has a credit balance of %s; it must be used or"
	                 " paid back first.", name, bahi_db_get(res, 0, 2));
}

int
bahi_customer_delete(bahi_req *req, const char *id, long if_match)
{
	const char *p[2] = {req->tx_business, id};
	long version;
	int64_t opening;
	if (if_match != 0 && lock_customer(req, id, &version, &opening) != 0)
		return -1;
	if (if_match != 0 && if_match != version)
		return bahi_fail(req, "version_conflict",
		                 "The customer was changed by someone else; reload and try again.");
	PGresult *res = bahi_db_exec(req, &customer_soft_delete, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return delete_refused(req, id);
	bahi_changelog_add(req, "customer", id, "delete",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return bahi_activity_add(req, "customer_deleted", id, bahi_db_get(res, 0, 1));
}

/* The id of the live customer with phone e164 into id_out: 1 found, 0 none, -1 error. */
static int
find_by_phone(bahi_req *req, const char *e164, char id_out[BAHI_UUID_LEN + 1])
{
	const char *p[2] = {req->tx_business, e164};
	PGresult *res = bahi_db_exec(req, &customer_with_phone, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	snprintf(id_out, BAHI_UUID_LEN + 1, "%s", bahi_db_get(res, 0, 0));
	return 1;
}

int
bahi_customer_find_or_create(bahi_req *req, const char *phone, const char *name,
                             const char *address, char id_out[BAHI_UUID_LEN + 1])
{
	char e164[BAHI_PHONE_MAX + 1], id[BAHI_UUID_LEN + 1];
	size_t chars = 0;
	PGresult *res;
	int text = name == NULL || bahi_valid_utf8(name, 0, &chars);
	if (name != NULL && (!text || chars == 0 || chars > NAME_MAX_CHARS)) {
		bahi_problem_field(&req->problem, "customer.name",
		                   !text ? "invalid_text" : chars == 0 ? "required" : "too_long",
		                   "Must be 1 to 200 characters of text.");
		return -1;
	}
	if (phone == NULL) {
		bahi_problem_field(&req->problem, "customer.phone", "required", "Is required.");
		return -1;
	}
	if (bahi_customer_phone(req, phone, "customer.phone", e164) != 0)
		return -1;
	int found = find_by_phone(req, e164, id_out);
	if (found != 0)
		return found < 0 ? -1 : 0;
	bahi_uuid_v7(id);
	if (insert_customer(req, id, name ? name : e164, e164, address, 0, &res) != 0)
		return -1;
	if (PQntuples(res) == 1) {
		bahi_changelog_add(req, "customer", id, "upsert", 1);
		snprintf(id_out, BAHI_UUID_LEN + 1, "%s", id);
		return 0;
	}
	/* a concurrent sale created it first: its row is committed, and this
	 * statement's fresh snapshot sees it */
	found = find_by_phone(req, e164, id_out);
	if (found == 0)
		return bahi_fail(req, "conflict", "The customer was just changed; try again.");
	return found < 0 ? -1 : 0;
}
