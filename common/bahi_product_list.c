/* bahi_product_list: reading products: one product, the list pages, low stock and ranked search, one statement each. */
#include "bahi_product.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bahi_buf.h"
#include "bahi_category.h"
#include "bahi_changelog.h"
#include "bahi_cursor.h"
#include "bahi_db.h"
#include "bahi_image.h"
#include "bahi_num.h"
#include "bahi_req.h"

/* The contract's members in its order, from p (a products row), as columns
 * whose text is already JSON for numbers, booleans and components (see
 * put_product). available_qty is computed (a composite's from its
 * components, sql 0005); image_url holds the image's storage key, which
 * put_product turns into a signed link. */
#define PRODUCT_COLUMNS \
	"p.id, p.category_id, p.name, p.sku, p.barcode, p.unit, p.price, p.cost," \
	" trim_scale(p.stock_qty) AS stock_qty," \
	" trim_scale(CASE WHEN p.is_composite THEN bahi_composite_available(p.business_id, p.id)" \
	"  ELSE p.stock_qty END) AS available_qty," \
	" trim_scale(p.min_stock) AS min_stock, p.is_composite," \
	" CASE WHEN p.is_composite THEN (SELECT json_agg(json_build_object('product_id'," \
	"  c.component_id, 'qty', trim_scale(c.qty)) ORDER BY c.pos) FROM product_components c" \
	"  WHERE c.business_id = p.business_id AND c.product_id = p.id)" \
	"  ELSE '[]'::json END AS components," \
	" p.image_key AS image_url, p.version, bahi_ts(p.created_at) AS created_at," \
	" bahi_ts(p.updated_at) AS updated_at"
/* How many columns PRODUCT_COLUMNS has; list statements add the cursor key after. */
#define PRODUCT_NCOLUMNS 17
#define IMAGE_COLUMN 13

/* Type OIDs (pg_type.dat) whose text is written into JSON as it is. */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_JSON 114
#define OID_NUMERIC 1700

static BAHI_STMT(product_one,
	"SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.business_id = $1 AND p.id = $2"
	" AND p.deleted_at IS NULL");
static BAHI_STMT(product_many,
	"SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.business_id = $1"
	" AND p.id = ANY ($2::uuid[]) AND p.deleted_at IS NULL");
/* The list pages (sql 0005 bahi_product_page): $2 rows, $3 category, $4 low
 * stock only, $5 and $6 the cursor (microseconds, id). */
static BAHI_STMT(product_page,
	"SELECT " PRODUCT_COLUMNS ","
	" (extract(epoch FROM p.created_at) * 1000000)::bigint AS cursor_key"
	" FROM bahi_product_page($1, $2, $3, $4,"
	"  timestamptz 'epoch' + $5::bigint * interval '1 microsecond', $6) WITH ORDINALITY p"
	" ORDER BY p.ordinality");
/* The ranked search (sql 0005): $2 q, $3 category, $4 low stock only,
 * $5 rows, $6 offset. */
static BAHI_STMT(product_search,
	"SELECT " PRODUCT_COLUMNS
	" FROM bahi_product_search($1, $2, $3, $4, $5, $6) WITH ORDINALITY s (id, tier, ord)"
	" JOIN products p ON p.business_id = $1 AND p.id = s.id ORDER BY s.ord");

/* Appends row r's product as a JSON object: numbers, booleans and the
 * components array as PostgreSQL wrote them, NULL as null, the rest as
 * strings, the image key as its signed link. Faster than building a tree,
 * which matters for a list page of 50 or 200. */
static int
put_product(bahi_req *req, bahi_buf *b, const PGresult *res, int r)
{
	int rc = bahi_buf_putc(b, '{');
	for (int c = 0; c < PRODUCT_NCOLUMNS; c++) {
		const char *v = bahi_db_isnull(res, r, c) ? NULL : bahi_db_get(res, r, c);
		rc |= bahi_buf_puts(b, c ? ",\"" : "\"");
		rc |= bahi_buf_puts(b, PQfname(res, c));
		rc |= bahi_buf_puts(b, "\":");
		if (c == IMAGE_COLUMN && v != NULL)
			v = bahi_image_url(req, v);
		if (v == NULL) {
			rc |= bahi_buf_puts(b, "null");
			continue;
		}
		switch (PQftype(res, c)) {
		case OID_BOOL:
			rc |= bahi_buf_puts(b, v[0] == 't' ? "true" : "false");
			break;
		case OID_INT2: case OID_INT4: case OID_INT8: case OID_NUMERIC: case OID_JSON:
			rc |= bahi_buf_puts(b, v);
			break;
		default:
			rc |= bahi_buf_putc(b, '"');
			rc |= bahi_buf_json_escape(b, v);
			rc |= bahi_buf_putc(b, '"');
		}
	}
	return rc | bahi_buf_putc(b, '}');
}

cJSON *
bahi_product_get(bahi_req *req, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &product_one, 2, p, "There is no such product.");
	if (res == NULL)
		return NULL;
	bahi_buf b;
	bahi_buf_init(&b, BAHI_MAX_RESPONSE);
	cJSON *o = put_product(req, &b, res, 0) == 0 ? cJSON_Parse(b.data) : NULL;
	bahi_buf_free(&b);
	if (o == NULL)
		bahi_fail(req, "internal_error", "Could not encode the product.");
	return o;
}

int
bahi_product_get_many(bahi_req *req, const char *const *ids, int n, bahi_record_put put,
                      void *ctx)
{
	const char *p[2] = {req->tx_business, bahi_pg_array(req->pool, ids, n)};
	PGresult *res = bahi_db_exec(req, &product_many, 2, p);
	if (res == NULL)
		return -1;
	bahi_buf b;
	bahi_buf_init(&b, BAHI_MAX_RESPONSE);
	for (int r = 0; r < PQntuples(res); r++) {
		bahi_buf_reset(&b);
		if (put_product(req, &b, res, r) != 0) {
			bahi_buf_free(&b);
			return bahi_fail(req, "internal_error", "Could not encode the product.");
		}
		put(ctx, bahi_db_get(res, r, 0), bahi_pool_strndup(req->pool, b.data, b.len));
	}
	bahi_buf_free(&b);
	return 0;
}

/* {"items": rows 0..n-1, "next_cursor": next} into out. */
static int
list_body(bahi_req *req, const PGresult *res, int n, const char *next, bahi_buf *out)
{
	int rc = bahi_buf_puts(out, "{\"items\":[");
	for (int r = 0; r < n && rc == 0; r++) {
		if (r > 0)
			rc |= bahi_buf_putc(out, ',');
		rc |= put_product(req, out, res, r);
	}
	if (next != NULL)
		rc |= bahi_buf_printf(out, "],\"next_cursor\":\"%s\"}", next);
	else
		rc |= bahi_buf_puts(out, "],\"next_cursor\":null}");
	if (rc != 0 && req->problem.status == 0)
		bahi_fail(req, "internal_error", "The list is too large.");
	return rc ? -1 : 0;
}

/* An empty page filtered by a category: 404 when the category is not one of
 * the business (rather than an empty list that hides the mistake). */
static int
check_filter(bahi_req *req, const PGresult *res, const bahi_product_filter *f)
{
	if (PQntuples(res) > 0 || f->category_id == NULL)
		return 0;
	if (bahi_category_check(req, f->category_id, "category_id") == 0)
		return 0;
	if (req->problem.status == 422) {
		memset(&req->problem, 0, sizeof(req->problem));
		return bahi_fail(req, "not_found", "There is no such category.");
	}
	return -1;
}

/* A search page: the cursor's key is the offset of the page. */
static int
search_page(bahi_req *req, const bahi_page *pg, const bahi_product_filter *f, bahi_buf *out)
{
	int64_t off = 0;
	if (pg->has_after &&
	    bahi_num_parse(pg->after_key, 0, BAHI_PRODUCT_SEARCH_MAX, &off, NULL) != 0) {
		bahi_problem_field(&req->problem, "cursor", "invalid_cursor",
		                   "Is not a cursor of this search; start again without one.");
		return -1;
	}
	const char *p[6] = {
		req->tx_business, f->q, f->category_id, f->low_stock ? "true" : "false",
		bahi_pool_printf(req->pool, "%d", pg->limit + 1),
		bahi_pool_printf(req->pool, "%lld", (long long)off),
	};
	PGresult *res = bahi_db_exec(req, &product_search, 6, p);
	if (res == NULL || check_filter(req, res, f) != 0)
		return -1;
	int rows = PQntuples(res), n = rows > pg->limit ? pg->limit : rows;
	const char *next = NULL;
	if (rows > pg->limit && off + n < BAHI_PRODUCT_SEARCH_MAX)
		next = bahi_cursor_encode(req->pool, off + n, bahi_db_get(res, n - 1, 0));
	return list_body(req, res, n, next, out);
}

/*
 * List pages (not searches) are kept per process, validated by the
 * business's change sequence: every change of a product, its stock, its
 * image or its composites' availability writes the change log (sync relies
 * on it), so a page made when the sequence was S is still the page while it
 * is S. The sequence is read before the page: a change committing in
 * between makes the page newer than S, never older, and the next request,
 * seeing S + 1, makes it anew. Entries also age out (image links in a page
 * expire), and the least recently used goes first.
 */
#define LIST_CACHE_SLOTS 32
#define LIST_CACHE_SECONDS 30
#define LIST_CACHE_MAX_BODY (256 * 1024)

typedef struct list_slot {
	char key[320];           /* business id and the page's query */
	int64_t seq;
	time_t made, used;
	char *body;              /* malloc'd */
	size_t len;
} list_slot;

static list_slot list_cache[LIST_CACHE_SLOTS];

static BAHI_STMT(product_change_seq,
	"SELECT value FROM business_counters WHERE business_id = $1 AND name = 'change_seq'");

/* The cache key of a list page: the business, the page and the filter. */
static int
list_key(bahi_req *req, const bahi_page *pg, const bahi_product_filter *f, char *key,
         size_t size)
{
	int n = snprintf(key, size, "%s|%d|%s|%s|%s|%d", req->tx_business, pg->limit,
	                 pg->has_after ? pg->after_key : "", pg->has_after ? pg->after_id : "",
	                 f->category_id ? f->category_id : "", f->low_stock);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* The slot holding key at sequence seq and young enough, or NULL. */
static list_slot *
list_find(const char *key, int64_t seq, time_t now)
{
	for (int i = 0; i < LIST_CACHE_SLOTS; i++) {
		list_slot *s = &list_cache[i];
		if (s->body != NULL && s->seq == seq && now - s->made < LIST_CACHE_SECONDS &&
		    strcmp(s->key, key) == 0)
			return s;
	}
	return NULL;
}

/* Keeps a page: in key's old slot, else a free one, else the least recently used. */
static void
list_keep(const char *key, int64_t seq, time_t now, const bahi_buf *page)
{
	if (page->len > LIST_CACHE_MAX_BODY)
		return;
	list_slot *slot = &list_cache[0];
	for (int i = 0; i < LIST_CACHE_SLOTS; i++) {
		list_slot *s = &list_cache[i];
		if (s->body != NULL && strcmp(s->key, key) == 0) {
			slot = s;
			break;
		}
		if (s->body == NULL || s->used < slot->used)
			slot = s;
	}
	char *body = malloc(page->len);
	if (body == NULL)
		return;
	memcpy(body, page->data, page->len);
	free(slot->body);
	*slot = (list_slot){.seq = seq, .made = now, .used = now, .body = body, .len = page->len};
	snprintf(slot->key, sizeof(slot->key), "%s", key);
}

/* One list page, as bahi_product_list makes it (no cache). */
static int
list_page(bahi_req *req, const bahi_page *pg, const bahi_product_filter *f, bahi_buf *out)
{
	const char *after[3];
	bahi_page_params(req, pg, after);
	const char *p[6] = {
		req->tx_business, after[2], f->category_id, f->low_stock ? "true" : "false",
		after[0], after[1],
	};
	PGresult *res = bahi_db_exec(req, &product_page, 6, p);
	if (res == NULL || check_filter(req, res, f) != 0)
		return -1;
	int rows = PQntuples(res), n = rows > pg->limit ? pg->limit : rows;
	const char *next = NULL;
	int64_t key;
	if (rows > pg->limit &&
	    bahi_num_parse(bahi_db_get(res, n - 1, PRODUCT_NCOLUMNS), 0, INT64_MAX, &key,
	                   NULL) == 0)
		next = bahi_cursor_encode(req->pool, key, bahi_db_get(res, n - 1, 0));
	return list_body(req, res, n, next, out);
}

int
bahi_product_list(bahi_req *req, const bahi_page *pg, const bahi_product_filter *f, bahi_buf *out)
{
	if (f->q != NULL)
		return search_page(req, pg, f, out);
	char key[320];
	const char *p[1] = {req->tx_business};
	PGresult *res;
	if (list_key(req, pg, f, key, sizeof(key)) != 0)
		return list_page(req, pg, f, out);
	/* the sequence ends the request's transaction in its round trip (with
	 * the session check): a page found needs nothing more */
	if ((res = bahi_db_exec_last(req, &product_change_seq, 1, p)) == NULL)
		return -1;
	int64_t seq = PQntuples(res) > 0 ? strtoll(bahi_db_get(res, 0, 0), NULL, 10) : 0;
	time_t now = time(NULL);
	list_slot *hit = list_find(key, seq, now);
	if (hit != NULL) {
		hit->used = now;
		return bahi_buf_append(out, hit->body, hit->len);
	}
	/* not found: the page is read in a transaction of its own, the caller's
	 * session having been checked in the first */
	if (!req->in_tx && bahi_tx_begin(req, req->tx_business) != 0)
		return -1;
	if (list_page(req, pg, f, out) != 0)
		return -1;
	list_keep(key, seq, now, out);
	return 0;
}
