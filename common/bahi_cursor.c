/* bahi_cursor: encodes and checks list cursors (base64url of "<key>|<id>") and builds list bodies. */
#include "bahi_cursor.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_num.h"
#include "bahi_pool.h"
#include "bahi_req.h"

/* Keys are microseconds since 1970; below 2^53 they convert to SQL intervals exactly. */
#define CURSOR_KEY_MAX INT64_C(9007199254740991)
/* "<up to 16 digits>|<36-character uuid>" */
#define CURSOR_RAW_MAX 64

char *
bahi_cursor_encode(bahi_pool *pool, int64_t key, const char *id)
{
	const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
	char raw[CURSOR_RAW_MAX];
	int n = snprintf(raw, sizeof(raw), "%lld|%s", (long long)key, id);
	if (n < 0 || (size_t)n >= sizeof(raw))
		return NULL;
	size_t size = sodium_base64_ENCODED_LEN((size_t)n, variant);
	char *out = bahi_pool_alloc(pool, size);
	sodium_bin2base64(out, size, (const unsigned char *)raw, (size_t)n, variant);
	return out;
}

int
bahi_cursor_decode(const char *s, int64_t *key, char id[BAHI_UUID_LEN + 1])
{
	unsigned char raw[CURSOR_RAW_MAX];
	size_t len = 0;
	if (s == NULL || strlen(s) > 4 * (sizeof(raw) - 1) / 3 ||
	    sodium_base642bin(raw, sizeof(raw) - 1, s, strlen(s), NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	raw[len] = '\0';
	if (memchr(raw, '\0', len) != NULL)
		return -1;
	char *bar = strchr((char *)raw, '|');
	if (bar == NULL || bar == (char *)raw || bar - (char *)raw > 16)
		return -1;
	*bar = '\0';
	if (bahi_num_parse((char *)raw, 0, CURSOR_KEY_MAX, key, NULL) != 0 ||
	    strlen(bar + 1) != BAHI_UUID_LEN || bahi_uuid_normalise(bar + 1, id) != 0)
		return -1;
	return 0;
}

int
bahi_page_from_query(bahi_req *req, const bahi_value *limit, const bahi_value *cursor,
                     bahi_page *pg)
{
	int64_t key;
	memset(pg, 0, sizeof(*pg));
	pg->limit = limit->present ? (int)limit->i : BAHI_PAGE_DEFAULT;
	if (!cursor->present)
		return 0;
	if (bahi_cursor_decode(cursor->s, &key, pg->after_id) != 0) {
		bahi_problem_field(&req->problem, "cursor", "invalid_cursor",
		                   "Is not a cursor from this list; start again without one.");
		return -1;
	}
	snprintf(pg->after_key, sizeof(pg->after_key), "%lld", (long long)key);
	pg->has_after = 1;
	return 0;
}

int
bahi_page_query(bahi_req *req, const bahi_field *fields, size_t n, bahi_value *v, bahi_page *pg)
{
	if (bahi_valid_query(req, fields, n, v) != 0)
		return -1;
	return bahi_page_from_query(req, &v[0], &v[1], pg);
}

void
bahi_page_params(bahi_req *req, const bahi_page *pg, const char *out[3])
{
	out[0] = pg->has_after ? pg->after_key : NULL;
	out[1] = pg->has_after ? pg->after_id : NULL;
	out[2] = bahi_pool_printf(req->pool, "%d", pg->limit + 1);
}

cJSON *
bahi_page_body(bahi_req *req, const PGresult *res, const bahi_page *pg)
{
	int rows = PQntuples(res), n = rows > pg->limit ? pg->limit : rows;
	int kcol = PQfnumber(res, "cursor_key"), icol = PQfnumber(res, "id");
	cJSON *body = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(body, "items");
	for (int r = 0; r < n; r++) {
		cJSON *item = bahi_json_row(res, r);
		cJSON_DeleteItemFromObjectCaseSensitive(item, "cursor_key");
		cJSON_AddItemToArray(items, item);
	}
	bahi_page_add_next(req, body, res, pg, kcol, icol);
	return body;
}

void
bahi_page_add_next(bahi_req *req, cJSON *body, const PGresult *res, const bahi_page *pg,
                   int kcol, int icol)
{
	int rows = PQntuples(res), n = rows > pg->limit ? pg->limit : rows;
	char *next = NULL;
	if (rows > pg->limit && n > 0 && kcol >= 0 && icol >= 0) {
		int64_t key;
		if (bahi_num_parse(bahi_db_get(res, n - 1, kcol), 0, CURSOR_KEY_MAX, &key, NULL) == 0)
			next = bahi_cursor_encode(req->pool, key, bahi_db_get(res, n - 1, icol));
	}
	if (next != NULL)
		cJSON_AddStringToObject(body, "next_cursor", next);
	else
		cJSON_AddNullToObject(body, "next_cursor");
}

int
bahi_page_run(bahi_req *req, bahi_stmt *st, const bahi_page *pg, int nextra,
              const char *const *extra, cJSON **out)
{
	const char *p[8] = {req->tx_business};
	if (nextra > 4)
		return bahi_fail(req, "internal_error", "Too many list parameters.");
	bahi_page_params(req, pg, p + 1);
	for (int i = 0; i < nextra; i++)
		p[4 + i] = extra[i];
	PGresult *res = bahi_db_exec(req, st, 4 + nextra, p);
	if (res == NULL)
		return -1;
	*out = bahi_page_body(req, res, pg);
	return 0;
}
