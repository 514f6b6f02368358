/* bahi_category: product categories (item groups): SKU prefixes, parents, soft deletion. */
#ifndef BAHI_CATEGORY_H
#define BAHI_CATEGORY_H

#include <cjson/cJSON.h>

#include "bahi_cursor.h"

struct bahi_req;

/* A category to create, validated by the caller (lengths). */
typedef struct bahi_category_in {
	const char *id;          /* client UUID, or NULL: generated */
	const char *name;
	const char *sku_prefix;  /* or NULL: derived from the name */
	const char *parent_id;   /* or NULL */
} bahi_category_in;

/* A change to a category; what is not given stays as it is. */
typedef struct bahi_category_patch {
	const char *name;        /* NULL: unchanged */
	const char *sku_prefix;  /* NULL: unchanged (SKUs already given keep theirs) */
	const char *parent_id;   /* NULL: unchanged */
	int clear_parent;        /* parent_id given as null */
	long if_match;           /* 0: no If-Match */
} bahi_category_patch;

/* The longest SKU prefix. */
#define BAHI_SKU_PREFIX_MAX 20

/* 1 when s is a valid SKU prefix: an ASCII letter or digit, then up to 19
 * letters, digits, '_' or '.'. */
int bahi_category_prefix_valid(const char *s);
/* The SKU prefix derived from a name: its ASCII letters and digits, at most
 * 20 ("Auto Parts" -> "AutoParts"); "CAT" when it has none. */
void bahi_category_prefix_of(const char *name, char out[BAHI_SKU_PREFIX_MAX + 1]);

/* Each works in the request's transaction and business and returns 0 (with
 * *out set where there is one) or -1 with a problem. Deleted categories are
 * not found (404) by any of them. Body: {"id", "name", "sku_prefix",
 * "parent_id", "version", "created_at", "updated_at"}. */

/* One page of categories, oldest first. */
int bahi_category_list(struct bahi_req *req, const bahi_page *pg, cJSON **out);
int bahi_category_get(struct bahi_req *req, const char *id, cJSON **out);
/* Names are unique per business, whatever their case (409 duplicate_name);
 * a parent must be a live category of the business (422); a client id
 * already used is 409 conflict. */
int bahi_category_create(struct bahi_req *req, const bahi_category_in *in, cJSON **out);
/* As create; a parent that is the category itself or one of its descendants
 * is refused (422 naming the cycle); 412 version_conflict when stale. */
int bahi_category_update(struct bahi_req *req, const char *id, const bahi_category_patch *p,
                         cJSON **out);
/* Soft delete; 409 in_use while live products or subcategories use it. */
int bahi_category_delete(struct bahi_req *req, const char *id, long if_match);

/* 0 when id is a live category of the business; otherwise a 422 field error
 * on field ("unknown_category") and -1. */
int bahi_category_check(struct bahi_req *req, const char *id, const char *field);

#endif
