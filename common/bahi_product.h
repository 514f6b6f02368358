/* bahi_product: categories and products (SKU generation, composites, availability, search). */
#ifndef BAHI_PRODUCT_H
#define BAHI_PRODUCT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_uuid.h"

struct bahi_req;

#define BAHI_PRODUCT_MAX_COMPONENTS 50

/* A product to create, validated by the caller (lengths, ranges, enums). */
typedef struct bahi_product_in {
	const char *id;              /* client-supplied UUID, or NULL: generated */
	const char *category_id;     /* or NULL */
	const char *name;
	const char *sku;             /* or NULL: category prefix '-' next number */
	const char *barcode;         /* or NULL */
	const char *unit;            /* or NULL: "pcs" */
	int64_t price, cost;         /* minor units */
	int64_t min_stock;           /* thousandths; -1: the default, 5 */
	int ncomponents;             /* > 0 makes the product composite */
	const char *component_id[BAHI_PRODUCT_MAX_COMPONENTS];
	int64_t component_qty[BAHI_PRODUCT_MAX_COMPONENTS];   /* thousandths, > 0 */
} bahi_product_in;

/* Creates a product in the request's transaction and queues its change.
 * 0 (id_out filled), or -1 with a problem on req (duplicate_sku,
 * duplicate_barcode, validation_failed for an unknown category or component). */
int bahi_product_create(struct bahi_req *req, const bahi_product_in *in,
                        char id_out[BAHI_UUID_LEN + 1]);

/* The product as the API shows it (contract fields, available_qty and
 * components included), or NULL with not_found on req. */
cJSON *bahi_product_get(struct bahi_req *req, const char *id);
/* Where a reader of many records puts each one it found: its id and its
 * JSON text (in the request's pool), as the one-record reader gives it. */
typedef void (*bahi_record_put)(void *ctx, const char *id, char *json);
/* The live products among ids (n of them), in one statement: put is called
 * for each found. 0, or -1 with a problem. */
int bahi_product_get_many(struct bahi_req *req, const char *const *ids, int n,
                          bahi_record_put put, void *ctx);

/* ---- beyond the shared contract: the rest of the products API */

/* A change to a product; what is not given stays as it is. */
typedef struct bahi_product_patch {
	const char *category_id;     /* NULL: unchanged */
	int clear_category;          /* category_id given as null */
	const char *name;            /* NULL: unchanged */
	const char *sku;             /* NULL: unchanged */
	int regenerate_sku;          /* sku given as null: generate one */
	const char *barcode;         /* NULL: unchanged */
	int clear_barcode;           /* barcode given as null */
	const char *unit;            /* NULL: unchanged */
	int64_t price, cost;         /* -1: unchanged */
	int64_t min_stock;           /* thousandths; -1: unchanged */
	int set_components;          /* components given: replace the list */
	int ncomponents;
	const char *component_id[BAHI_PRODUCT_MAX_COMPONENTS];
	int64_t component_qty[BAHI_PRODUCT_MAX_COMPONENTS];
	long if_match;               /* 0: no If-Match */
} bahi_product_patch;

/* Applies p (412 version_conflict when if_match is stale). Changing price or
 * cost needs the prices.write permission (403 forbidden). A category change
 * gives a product whose SKU was generated a new SKU in the new category, as
 * does sku given as null. Components must be live products of the business,
 * not the product itself, and must not make a cycle (422 naming it); a
 * product with stock of its own cannot become composite. */
int bahi_product_update(struct bahi_req *req, const char *id, const bahi_product_patch *p,
                        cJSON **out);
/* Soft-deletes a product (if_match as above); 409 in_use while it is a
 * component of a live composite product. */
int bahi_product_delete(struct bahi_req *req, const char *id, long if_match);

struct bahi_page;
struct bahi_buf;
/* What GET /products lists. */
typedef struct bahi_product_filter {
	const char *q;               /* search text, or NULL: the list, oldest first */
	const char *category_id;     /* or NULL */
	int low_stock;               /* only products with available <= min_stock */
} bahi_product_filter;
/* One page of products, written to out as the JSON text {"items",
 * "next_cursor"} (built in SQL: a list page is the hottest read). Without q,
 * oldest first (keyset cursor). With q, ranked by bahi_product_search (sql
 * 0005): the cursor holds the offset of the next page, at most
 * BAHI_PRODUCT_SEARCH_MAX results deep. A category_id naming nothing of the
 * business is not_found. List pages (not searches) are kept per process for
 * up to 30 s while the business's change sequence stays the same: the
 * product, stock and image code must log every change that shows in a page
 * (they do: sync depends on it). */
int bahi_product_list(struct bahi_req *req, const struct bahi_page *pg,
                      const bahi_product_filter *f, struct bahi_buf *out);
#define BAHI_PRODUCT_SEARCH_MAX 10000

/* To be called after every change of a product's stock_qty (each stock
 * movement), in the same transaction: queues a "product" upsert for the
 * product and for every live composite that uses it, directly or through
 * other composites (their available_qty changed), and tells devices when a
 * product crosses the low-stock line.
 *
 * Low stock on the change stream: the entity "low_stock" with the product's
 * id is the membership of the product in GET /products?low_stock=true: "upsert"
 * when it enters the list (available <= min_stock), "delete" when it leaves
 * it, with the product's version. Whether a product is in the list is kept in
 * products.low_stock and recomputed here for each product concerned, so a
 * crossing in either direction is reported once, whichever path changed the
 * stock (sale, movement, import); a composite crosses when its components'
 * stock makes it. Updating the flag locks the row of a product that crossed;
 * rows that did not cross are only read. Product creation, min_stock and
 * component changes and deletion report membership the same way.
 * 0, or -1 with a problem. */
int bahi_product_stock_changed(struct bahi_req *req, const char *product_id);
/* bahi_product_stock_changed for n products at once, in one statement (bulk
 * stock-in). */
int bahi_product_stocks_changed(struct bahi_req *req, const char *const *product_id, int n);

/* Creates the n products in[] in one go, for bulk paths (the CSV import):
 * one insert for the products and one for their components, whatever n, and
 * the same change-log entries and low-stock bookkeeping as n calls of
 * bahi_product_create. Unlike bahi_product_create it checks nothing row by
 * row: the caller has, set-based. Every in[i].id is given and free; SKUs
 * and barcodes are free (a clash, such as with a concurrent request, is 409
 * conflict); categories are live categories of the business; components are
 * live products of the business or products of in[], without cycles. A NULL
 * SKU takes the category's next generated one, in array order, after the
 * given SKUs of in[] are in place. 0, or -1 with a problem. */
int bahi_product_create_many(struct bahi_req *req, const bahi_product_in *in, int n);

#endif
