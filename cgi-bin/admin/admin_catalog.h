/* admin_catalog.h: what the catalog pages (products, stock, suppliers, supplier invoices) share. */
#ifndef BAHI_ADMIN_CATALOG_H
#define BAHI_ADMIN_CATALOG_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_tmpl.h"

struct bahi_req;

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- admin_catalog.c: helpers */

/* A quantity member of obj (a JSON number with at most 3 decimals) as
 * text ("12.5"), in the pool; "0" when absent. */
const char *admin_catalog_qty(struct bahi_req *req, const cJSON *obj, const char *key);
/* The same in thousandths. */
int64_t admin_catalog_qty_of(const cJSON *obj, const char *key);
/* Every live category of the business (the list read page by page), as
 * the array of their JSON objects. 0, or -1 with a problem. */
int admin_categories_all(struct bahi_req *req, cJSON **out);
/* The name of the category id among cats ("" when none). */
const char *admin_category_name(const cJSON *cats, const char *id);
/* Adds an OPTION section to d for each category (id, name, SELECTED for
 * the one whose id is selected). */
void admin_category_options(bahi_tmpl_dict *d, const cJSON *cats, const char *selected);
/* 1 when this request is a form (POST) being shown again after it
 * failed, and its path ends with suffix ("" for the form at the page's
 * own path, "/stock"...): which of a page's forms to fill back in. */
int admin_catalog_reshown(struct bahi_req *req, const char *suffix);
/* The posted value of a form shown again, else fallback. */
const char *admin_catalog_posted(struct bahi_req *req, const char *suffix, const char *name,
                            const char *fallback);
/* The version an edit form was read at (its hidden version field), 0 when none. */
long admin_catalog_version(struct bahi_req *req);
/* The live product whose SKU or barcode is code (any case): its id (pool),
 * or NULL with a field error on field (or another problem). Reads through
 * the products route: call it outside a transaction (forms). */
const char *admin_product_by_code(struct bahi_req *req, const char *code, const char *field);
/* Adds a SKU section (sku, name) to d for the business's first products
 * (a datalist the product fields offer). Reads the product list, which ends
 * the request's transaction: call it after every other read. 0 or -1. */
int admin_product_datalist(struct bahi_req *req, bahi_tmpl_dict *d);

/* ---- admin_products.c */

/* One product's page (edit form, image, stock form and movements). */
int admin_product_page(struct bahi_req *req);

/* ---- admin_product_stock.c: the product page's stock and image parts */

/* Fills the product page's stock form and recent movements (STOCK_FORM
 * when the caller may move stock, MOVEMENT rows). 0 or -1. */
int admin_product_stock_fill(struct bahi_req *req, bahi_tmpl_dict *d, const char *id);
/* Fills the image part (IMAGE with image_url, IMAGE_FORM when allowed). */
void admin_product_image_fill(struct bahi_req *req, bahi_tmpl_dict *d, const cJSON *product);
int admin_product_stock_post(struct bahi_req *req);
int admin_product_image_post(struct bahi_req *req);
int admin_product_image_delete(struct bahi_req *req);

/* ---- admin_supplier_invoice.c: the supplier invoice upload and its confirmation */

int admin_supinv_new_get(struct bahi_req *req);
int admin_supinv_upload(struct bahi_req *req);
int admin_supinv_get(struct bahi_req *req);
int admin_supinv_confirm(struct bahi_req *req);

#endif
