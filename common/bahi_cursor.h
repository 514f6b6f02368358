/* bahi_cursor: opaque keyset-pagination cursors and the {"items", "next_cursor"} list body. */
#ifndef BAHI_CURSOR_H
#define BAHI_CURSOR_H

#include <stdint.h>

#include <libpq-fe.h>
#include <cjson/cJSON.h>

#include "bahi_uuid.h"
#include "bahi_valid.h"

struct bahi_req;
struct bahi_pool;

#define BAHI_PAGE_DEFAULT 50
#define BAHI_PAGE_MAX 200

/* One page request: limit, and the position after which it starts. */
typedef struct bahi_page {
	int limit;                      /* 1..BAHI_PAGE_MAX */
	int has_after;                  /* a cursor was given */
	char after_key[24];             /* decimal (e.g. microseconds since 1970) */
	char after_id[BAHI_UUID_LEN + 1];
} bahi_page;

/* The query-string rules for "limit" and "cursor", to copy into a handler's
 * list of query fields (index 0: limit, 1: cursor). */
#define BAHI_PAGE_FIELDS \
	{"limit", BAHI_V_INT, 0, 1, BAHI_PAGE_MAX, NULL, NULL, 0}, \
	{"cursor", BAHI_V_STRING, 0, 1, 200, NULL, NULL, 0}

/* Encodes (key, id) as an opaque base64url string in the pool. */
char *bahi_cursor_encode(struct bahi_pool *pool, int64_t key, const char *id);
/* Decodes a cursor made by bahi_cursor_encode. 0, or -1 when it is not one. */
int bahi_cursor_decode(const char *s, int64_t *key, char id[BAHI_UUID_LEN + 1]);

/* Fills pg from the validated limit and cursor values (either may be
 * absent). 0, or -1 with a field error on "cursor". */
int bahi_page_from_query(struct bahi_req *req, const bahi_value *limit,
                         const bahi_value *cursor, bahi_page *pg);
/* Checks the query string against fields (the first two BAHI_PAGE_FIELDS)
 * into v, and fills pg from its limit and cursor. 0, or -1 with errors. */
int bahi_page_query(struct bahi_req *req, const bahi_field *fields, size_t n, bahi_value *v,
                    bahi_page *pg);
/* The statement parameters of pg: the key (NULL without a cursor), the id
 * (NULL without one) and limit + 1 (one extra row tells whether more follow). */
void bahi_page_params(struct bahi_req *req, const bahi_page *pg, const char *out[3]);

/* Builds {"items": [...], "next_cursor": ...} from res, which holds up to
 * limit + 1 rows, each with a bigint column "cursor_key" (removed from the
 * items) and a column "id". */
cJSON *bahi_page_body(struct bahi_req *req, const PGresult *res, const bahi_page *pg);

/* Adds "next_cursor" to body: the cursor after the last of the page's rows
 * (key column kcol, id column icol) when res holds more than pg->limit
 * rows, else null. */
void bahi_page_add_next(struct bahi_req *req, cJSON *body, const PGresult *res,
                        const bahi_page *pg, int kcol, int icol);

struct bahi_stmt;
/* Runs a paged list statement whose parameters are $1 the business, $2..$4
 * the page (bahi_page_params), then nextra more, and builds the list body. */
int bahi_page_run(struct bahi_req *req, struct bahi_stmt *st, const bahi_page *pg,
                  int nextra, const char *const *extra, cJSON **out);

#endif
