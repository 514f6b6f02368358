/* bahi_supplier: the rules for suppliers: unique names, batch prefixes never reused, removal while stock remains refused. */
#include "bahi_supplier.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bahi_account.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_phone.h"
#include "bahi_req.h"
#include "bahi_stock.h"
#include "bahi_uuid.h"

#define SUPPLIER_COLUMNS \
	"id, name, batch_prefix, phone, email, address, notes, version," \
	" bahi_ts(created_at) AS created_at, bahi_ts(updated_at) AS updated_at"
#define PREFIX_MAX 20
#define NIL_UUID "00000000-0000-0000-0000-000000000000"

static BAHI_STMT(supplier_page,
	"SELECT " SUPPLIER_COLUMNS ","
	" (extract(epoch FROM created_at) * 1000000)::bigint AS cursor_key"
	" FROM suppliers WHERE business_id = $1 AND deleted_at IS NULL"
	" AND ($2::bigint IS NULL OR (created_at, id) >"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY suppliers.created_at, suppliers.id LIMIT $4::int");
static BAHI_STMT(supplier_one,
	"SELECT " SUPPLIER_COLUMNS " FROM suppliers WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");
static BAHI_STMT(supplier_lock,
	"SELECT name, version FROM suppliers WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL FOR UPDATE");
static BAHI_STMT(supplier_id_used,
	"SELECT 1 FROM suppliers WHERE business_id = $1 AND id = $2");
static BAHI_STMT(supplier_name_used,
	"SELECT 1 FROM suppliers WHERE business_id = $1 AND lower(name) = lower($2)"
	" AND deleted_at IS NULL AND id <> COALESCE($3::uuid, '" NIL_UUID "')");
static BAHI_STMT(supplier_prefix_used,
	"SELECT 1 FROM suppliers WHERE business_id = $1 AND lower(batch_prefix) = lower($2)"
	" AND id <> COALESCE($3::uuid, '" NIL_UUID "')");
static BAHI_STMT(supplier_insert,
	"INSERT INTO suppliers (business_id, id, name, batch_prefix, phone, email, address, notes)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
static BAHI_STMT(supplier_update,
	"UPDATE suppliers SET name = COALESCE($3, name), batch_prefix = COALESCE($4, batch_prefix),"
	" phone = CASE WHEN $5::bool THEN $6 ELSE phone END,"
	" email = CASE WHEN $7::bool THEN $8 ELSE email END,"
	" address = CASE WHEN $9::bool THEN $10 ELSE address END,"
	" notes = CASE WHEN $11::bool THEN $12 ELSE notes END,"
	" version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");
static BAHI_STMT(supplier_stocked_batches,
	"SELECT count(*) FROM batches WHERE business_id = $1 AND supplier_id = $2"
	" AND qty_remaining > 0 AND deleted_at IS NULL");
static BAHI_STMT(supplier_soft_delete,
	"UPDATE suppliers SET deleted_at = now(), version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");

void
bahi_supplier_prefix_of(const char *name, char out[PREFIX_MAX + 1])
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)name;
	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p && *p != ' ' && *p != '\t' && n < PREFIX_MAX; p++)
		if (*p < 0x80 && isalnum(*p))
			out[n++] = (char)*p;
	if (n == 0)
		out[n++] = 'S';
	out[n] = '\0';
}

/* A prefix as the schema takes it: an ASCII letter or digit, then letters,
 * digits, '_' or '.', at most 20 in all. */
static int
prefix_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > PREFIX_MAX || (unsigned char)s[0] >= 0x80 ||
	    !isalnum((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || !(isalnum(c) || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/* A plausible address: one '@' with text on both sides, a dot in the domain, no spaces. */
static int
email_valid(const char *s)
{
	const char *at = strchr(s, '@');
	return at != NULL && at != s && strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
	       at[1] != '.' && s[strlen(s) - 1] != '.' && strpbrk(s, " \t\r\n<>,;\"") == NULL;
}

/* Field checks shared by create and update; phone_out receives the normalised phone. */
static int
check_fields(bahi_req *req, const char *phone, const char *email, const char *prefix,
             char phone_out[BAHI_PHONE_MAX + 1])
{
	int bad = 0;
	if (phone != NULL)
		bad |= bahi_account_phone(req, phone, "phone", phone_out) != 0;
	if (email != NULL && !email_valid(email)) {
		bahi_problem_field(&req->problem, "email", "invalid_email",
		                   "Must be an email address such as orders@example.com.");
		bad = 1;
	}
	if (prefix != NULL && !prefix_valid(prefix)) {
		bahi_problem_field(&req->problem, "batch_prefix", "invalid_prefix",
		                   "Must be 1 to 20 letters, digits, '_' or '.', starting with a"
		                   " letter or digit.");
		bad = 1;
	} else if (prefix != NULL && strcasecmp(prefix, BAHI_BATCH_PREFIX) == 0) {
		bahi_problem_field(&req->problem, "batch_prefix", "reserved",
		                   "Is reserved for batches without a supplier.");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* Whether st finds value among the business's suppliers other than self. 1, 0 or -1. */
static int
used_by_other(bahi_req *req, bahi_stmt *st, const char *value, const char *self)
{
	const char *p[3] = {req->tx_business, value, self};
	PGresult *res = bahi_db_exec(req, st, 3, p);
	return res == NULL ? -1 : PQntuples(res) > 0;
}

/* 409s for a name or prefix (either may be NULL) another supplier holds. */
static int
check_unique(bahi_req *req, const char *name, const char *prefix, const char *self)
{
	int used;
	if (name != NULL && (used = used_by_other(req, &supplier_name_used, name, self)) != 0)
		return used < 0 ? -1 : bahi_fail(req, "duplicate_name",
		                                 "A supplier named %s already exists.", name);
	if (prefix != NULL && (used = used_by_other(req, &supplier_prefix_used, prefix, self)) != 0)
		return used < 0 ? -1 : bahi_fail(req, "conflict",
		    "The batch prefix %s is already used by another supplier.", prefix);
	return 0;
}

/* The first free prefix of base, base2, base3...; into out[21]. */
static int
derive_prefix(bahi_req *req, const char *name, char out[PREFIX_MAX + 1])
{
	char base[PREFIX_MAX + 1];
	bahi_supplier_prefix_of(name, base);
	for (int i = 1; i < 1000; i++) {
		if (i == 1) {
			snprintf(out, PREFIX_MAX + 1, "%s", base);
		} else {
			char num[8];
			int k = snprintf(num, sizeof(num), "%d", i);
			snprintf(out, PREFIX_MAX + 1, "%.*s%s", PREFIX_MAX - k, base, num);
		}
		if (strcasecmp(out, BAHI_BATCH_PREFIX) == 0)
			continue;
		int used = used_by_other(req, &supplier_prefix_used, out, NULL);
		if (used <= 0)
			return used;
	}
	return bahi_fail(req, "conflict", "No free batch prefix was found; give one.");
}

int
bahi_supplier_list(bahi_req *req, const bahi_page *pg, cJSON **out)
{
	return bahi_page_run(req, &supplier_page, pg, 0, NULL, out);
}

int
bahi_supplier_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &supplier_one, 2, p, "There is no such supplier.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	return 0;
}

/* The new supplier's id: the client's (refused when taken) or a new one. */
static int
new_id(bahi_req *req, const char *given, char id[BAHI_UUID_LEN + 1])
{
	if (given == NULL) {
		bahi_uuid_v7(id);
		return 0;
	}
	snprintf(id, BAHI_UUID_LEN + 1, "%s", given);
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &supplier_id_used, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0)
		return bahi_fail(req, "conflict", "A supplier with this id already exists.");
	return 0;
}

int
bahi_supplier_create(bahi_req *req, const bahi_supplier_in *in, cJSON **out)
{
	char phone[BAHI_PHONE_MAX + 1], prefix[PREFIX_MAX + 1], id[BAHI_UUID_LEN + 1];
	if (check_fields(req, in->phone, in->email, in->batch_prefix, phone) != 0 ||
	    new_id(req, in->id, id) != 0 || check_unique(req, in->name, in->batch_prefix, NULL) != 0)
		return -1;
	if (in->batch_prefix != NULL)
		snprintf(prefix, sizeof(prefix), "%s", in->batch_prefix);
	else if (derive_prefix(req, in->name, prefix) != 0)
		return -1;
	const char *p[8] = {
		req->tx_business, id, in->name, prefix, in->phone ? phone : NULL, in->email,
		in->address, in->notes,
	};
	if (bahi_db_try(req, &supplier_insert, 8, p) == NULL)
		return bahi_fail_unique(req, "conflict",
		                        "Another supplier took this name or prefix; try again.");
	bahi_changelog_add(req, "supplier", id, "upsert", 1);
	return bahi_supplier_get(req, id, out);
}

/* Locks the supplier; *name and *version receive its name and version. */
static int
lock_supplier(bahi_req *req, const char *id, const char **name, long *version)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &supplier_lock, 2, p, "There is no such supplier.");
	if (res == NULL)
		return -1;
	*name = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	*version = strtol(bahi_db_get(res, 0, 1), NULL, 10);
	return 0;
}

/* Whether p changes nothing (an empty body): the supplier stays as it is. */
static int
patch_is_empty(const bahi_supplier_patch *p)
{
	return p->name == NULL && p->batch_prefix == NULL && p->phone == NULL && !p->clear_phone &&
	       p->email == NULL && !p->clear_email && p->address == NULL && !p->clear_address &&
	       p->notes == NULL && !p->clear_notes;
}

/* "true" when a nullable field is set or cleared. */
static const char *
touched(const char *v, int clear)
{
	return v != NULL || clear ? "true" : "false";
}

int
bahi_supplier_update(bahi_req *req, const char *id, const bahi_supplier_patch *p, cJSON **out)
{
	char phone[BAHI_PHONE_MAX + 1];
	const char *name;
	long version;
	if (lock_supplier(req, id, &name, &version) != 0)
		return -1;
	if (p->if_match != 0 && p->if_match != version)
		return bahi_fail(req, "version_conflict",
		                 "The supplier was changed by someone else; reload and try again.");
	if (patch_is_empty(p))
		return bahi_supplier_get(req, id, out);
	if (check_fields(req, p->phone, p->email, p->batch_prefix, phone) != 0 ||
	    check_unique(req, p->name, p->batch_prefix, id) != 0)
		return -1;
	const char *params[12] = {
		req->tx_business, id, p->name, p->batch_prefix,
		touched(p->phone, p->clear_phone), p->phone ? phone : NULL,
		touched(p->email, p->clear_email), p->email,
		touched(p->address, p->clear_address), p->address,
		touched(p->notes, p->clear_notes), p->notes,
	};
	PGresult *res = bahi_db_try(req, &supplier_update, 12, params);
	if (res == NULL)
		return bahi_fail_unique(req, "conflict",
		                        "Another supplier took this name or prefix; try again.");
	bahi_changelog_add(req, "supplier", id, "upsert", (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return bahi_supplier_get(req, id, out);
}

int
bahi_supplier_delete(bahi_req *req, const char *id, long if_match)
{
	const char *name;
	long version;
	if (lock_supplier(req, id, &name, &version) != 0)
		return -1;
	if (if_match != 0 && if_match != version)
		return bahi_fail(req, "version_conflict",
		                 "The supplier was changed by someone else; reload and try again.");
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &supplier_stocked_batches, 2, p);
	if (res == NULL)
		return -1;
	long stocked = strtol(bahi_db_get(res, 0, 0), NULL, 10);
	if (stocked > 0)
		return bahi_fail(req, "in_use", "%s still has %ld batch%s with stock remaining.", name,
		                 stocked, stocked == 1 ? "" : "es");
	res = bahi_db_exec(req, &supplier_soft_delete, 2, p);
	if (res == NULL)
		return -1;
	bahi_changelog_add(req, "supplier", id, "delete", (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return 0;
}
