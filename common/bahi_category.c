/* bahi_category: the rules for product categories: unique names, SKU prefixes, acyclic parents, deletion only when unused. */
#include "bahi_category.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define CATEGORY_COLUMNS \
	"id, name, sku_prefix, parent_id, version, bahi_ts(created_at) AS created_at," \
	" bahi_ts(updated_at) AS updated_at"

/* Without a cursor the row comparison starts before everything, so one
 * indexable condition serves every page. */
static BAHI_STMT(category_page,
	"SELECT " CATEGORY_COLUMNS ", (extract(epoch FROM created_at) * 1000000)::bigint AS cursor_key"
	" FROM categories WHERE business_id = $1 AND deleted_at IS NULL"
	" AND (created_at, id) > (COALESCE(timestamptz 'epoch' + $2::bigint * interval '1 microsecond',"
	"  '-infinity'), COALESCE($3::uuid, '00000000-0000-0000-0000-000000000000'))"
	" ORDER BY categories.created_at, categories.id LIMIT $4::int");
static BAHI_STMT(category_one,
	"SELECT " CATEGORY_COLUMNS " FROM categories WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");
static BAHI_STMT(category_lock,
	"SELECT version, name FROM categories WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL FOR UPDATE");
static BAHI_STMT(category_id_used,
	"SELECT 1 FROM categories WHERE business_id = $1 AND id = $2");
static BAHI_STMT(category_name_used,
	"SELECT 1 FROM categories WHERE business_id = $1 AND deleted_at IS NULL"
	" AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3)");
static BAHI_STMT(category_insert,
	"INSERT INTO categories (business_id, id, name, sku_prefix, parent_id)"
	" VALUES ($1, $2, $3, $4, $5)");
static BAHI_STMT(category_update,
	"UPDATE categories SET name = COALESCE($3, name), sku_prefix = COALESCE($4, sku_prefix),"
	" parent_id = CASE WHEN $5::bool THEN $6::uuid ELSE parent_id END,"
	" version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");
/* The parent chain from $2 (the proposed parent) upwards; a row when it
 * reaches $3 (the category): the names from $2 to $3. */
static BAHI_STMT(category_cycle,
	"WITH RECURSIVE up (id, parent_id, path, depth) AS ("
	"  SELECT id, parent_id, ARRAY[name], 0 FROM categories WHERE business_id = $1 AND id = $2"
	"  UNION ALL"
	"  SELECT c.id, c.parent_id, up.path || c.name, up.depth + 1 FROM up"
	"  JOIN categories c ON c.business_id = $1 AND c.id = up.parent_id"
	"  WHERE up.id <> $3 AND up.depth < 1000)"
	" SELECT array_to_string(path, ' > ') FROM up WHERE id = $3");
static BAHI_STMT(category_users,
	"SELECT (SELECT count(*) FROM products WHERE business_id = $1 AND category_id = $2"
	"  AND deleted_at IS NULL),"
	" (SELECT count(*) FROM categories WHERE business_id = $1 AND parent_id = $2"
	"  AND deleted_at IS NULL)");
static BAHI_STMT(category_soft_delete,
	"UPDATE categories SET deleted_at = now(), version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");

int
bahi_category_prefix_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > BAHI_SKU_PREFIX_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '_' && c != '.')))
			return 0;
	}
	return 1;
}

void
bahi_category_prefix_of(const char *name, char out[BAHI_SKU_PREFIX_MAX + 1])
{
	size_t n = 0;
	for (const char *p = name; *p && n < BAHI_SKU_PREFIX_MAX; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			out[n++] = *p;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, BAHI_SKU_PREFIX_MAX + 1, "CAT");
}

int
bahi_category_list(bahi_req *req, const bahi_page *pg, cJSON **out)
{
	return bahi_page_run(req, &category_page, pg, 0, NULL, out);
}

int
bahi_category_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &category_one, 2, p, "There is no such category.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	return 0;
}

int
bahi_category_check(bahi_req *req, const char *id, const char *field)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &category_one, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		bahi_problem_field(&req->problem, field, "unknown_category",
		                   "Is not a category of this business.");
		return -1;
	}
	return 0;
}

/* 409 duplicate_name when another live category (not self) is called name. */
static int
check_name_free(bahi_req *req, const char *name, const char *self)
{
	const char *p[3] = {req->tx_business, name, self};
	PGresult *res = bahi_db_exec(req, &category_name_used, 3, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0)
		return bahi_fail(req, "duplicate_name", "A category called \"%s\" already exists.",
		                 name);
	return 0;
}

/* 422 on parent_id when making parent the parent of id would close a loop. */
static int
check_no_cycle(bahi_req *req, const char *id, const char *parent)
{
	const char *p[3] = {req->tx_business, parent, id};
	PGresult *res = bahi_db_exec(req, &category_cycle, 3, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0) {
		bahi_problem_field(&req->problem, "parent_id", "cycle", bahi_pool_printf(req->pool,
		    "Would make a cycle of parents: %s.", bahi_db_get(res, 0, 0)));
		return -1;
	}
	return 0;
}

int
bahi_category_create(bahi_req *req, const bahi_category_in *in, cJSON **out)
{
	char id[BAHI_UUID_LEN + 1], prefix[BAHI_SKU_PREFIX_MAX + 1];
	if (in->sku_prefix != NULL)
		snprintf(prefix, sizeof(prefix), "%s", in->sku_prefix);
	else
		bahi_category_prefix_of(in->name, prefix);
	if (in->id != NULL)
		snprintf(id, sizeof(id), "%s", in->id);
	else
		bahi_uuid_v7(id);
	const char *p[5] = {req->tx_business, id, in->name, prefix, in->parent_id};
	PGresult *used = bahi_db_exec(req, &category_id_used, 2, p);
	if (used == NULL)
		return -1;
	if (PQntuples(used) > 0)
		return bahi_fail(req, "conflict", "A category with this id already exists.");
	if ((in->parent_id != NULL && bahi_category_check(req, in->parent_id, "parent_id") != 0) ||
	    check_name_free(req, in->name, NULL) != 0)
		return -1;
	if (bahi_db_try(req, &category_insert, 5, p) == NULL)
		return strcmp(req->sqlstate, "23505") == 0 ?
		       bahi_fail(req, "duplicate_name", "A category called \"%s\" already exists.",
		                 in->name) : -1;
	bahi_changelog_add(req, "category", id, "upsert", 1);
	return bahi_category_get(req, id, out);
}

/* Locks a live category; *version receives its version. */
static int
lock_category(bahi_req *req, const char *id, long if_match, long *version)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &category_lock, 2, p, "There is no such category.");
	if (res == NULL)
		return -1;
	*version = strtol(bahi_db_get(res, 0, 0), NULL, 10);
	if (if_match != 0 && if_match != *version)
		return bahi_fail(req, "version_conflict",
		                 "The category was changed by someone else; reload and try again.");
	return 0;
}

int
bahi_category_update(bahi_req *req, const char *id, const bahi_category_patch *pa, cJSON **out)
{
	long version;
	if (lock_category(req, id, pa->if_match, &version) != 0)
		return -1;
	if (pa->name == NULL && pa->sku_prefix == NULL && pa->parent_id == NULL && !pa->clear_parent)
		return bahi_category_get(req, id, out);
	if (pa->parent_id != NULL &&
	    (bahi_category_check(req, pa->parent_id, "parent_id") != 0 ||
	     check_no_cycle(req, id, pa->parent_id) != 0))
		return -1;
	if (pa->name != NULL && check_name_free(req, pa->name, id) != 0)
		return -1;
	int set_parent = pa->parent_id != NULL || pa->clear_parent;
	const char *p[6] = {
		req->tx_business, id, pa->name, pa->sku_prefix, set_parent ? "true" : "false",
		pa->parent_id,
	};
	PGresult *res = bahi_db_try(req, &category_update, 6, p);
	if (res == NULL)
		return strcmp(req->sqlstate, "23505") == 0 ?
		       bahi_fail(req, "duplicate_name", "A category with this name already exists.") :
		       -1;
	bahi_changelog_add(req, "category", id, "upsert",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return bahi_category_get(req, id, out);
}

int
bahi_category_delete(bahi_req *req, const char *id, long if_match)
{
	long version;
	if (lock_category(req, id, if_match, &version) != 0)
		return -1;
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &category_users, 2, p);
	if (res == NULL)
		return -1;
	long products = strtol(bahi_db_get(res, 0, 0), NULL, 10);
	long subs = strtol(bahi_db_get(res, 0, 1), NULL, 10);
	if (products > 0)
		return bahi_fail(req, "in_use", "%ld product%s still use%s this category; move %s to"
		                 " another category or delete %s first.", products,
		                 products == 1 ? "" : "s", products == 1 ? "s" : "",
		                 products == 1 ? "it" : "them", products == 1 ? "it" : "them");
	if (subs > 0)
		return bahi_fail(req, "in_use", "This category has %ld subcategor%s; move or delete"
		                 " %s first.", subs, subs == 1 ? "y" : "ies",
		                 subs == 1 ? "it" : "them");
	res = bahi_db_exec(req, &category_soft_delete, 2, p);
	if (res == NULL)
		return -1;
	bahi_changelog_add(req, "category", id, "delete",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return 0;
}
