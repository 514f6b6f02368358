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

#endif
