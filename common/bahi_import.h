/* bahi_import: supplier invoice CSV uploads (proposed matches, confirmation into batches) and the product CSV import and export. */
#ifndef BAHI_IMPORT_H
#define BAHI_IMPORT_H

#include <stddef.h>

struct bahi_req;

/* Most data rows of one supplier invoice file and of one product import. */
#define BAHI_INVOICE_MAX_LINES 500
#define BAHI_IMPORT_MAX_ROWS 20000
/* Least pg_trgm similarity() of lower-cased names for a proposed match by
 * name, and the least word_similarity() of the line's name to a product's
 * name, SKU and barcode for the product to be compared at all. */
#define BAHI_MATCH_THRESHOLD "0.5"
#define BAHI_MATCH_CANDIDATES "0.6"

/* Reads a supplier's invoice (CSV columns name, buy_price, sell_price, qty,
 * part_no: see bahi_import_invoice.c) and stores it as a proposal: each line
 * matched to a product by the supplier's part number learned from earlier
 * invoices, else by the most similar name. Every bad row is reported
 * (validation_failed, rows[7].qty...) and then nothing is stored; an
 * unknown supplier is a supplier_id field error; an invoice number already
 * confirmed for the supplier is 409 conflict. *json receives the invoice
 * (as bahi_supplier_invoice_get). 0 or -1 with a problem. */
int bahi_supplier_invoice_propose(struct bahi_req *req, const char *supplier_id,
                                  const char *invoice_no, const char *csv, size_t len,
                                  const char **json);

/* The invoice as JSON text: {"id", "supplier_id", "invoice_no", "status",
 * "batch_stem", "created_at", "confirmed_at", "version", "lines": [{"row",
 * "name", "part_no", "buy_price", "sell_price", "qty", "match": {"product_id",
 * "name", "by", "score"} | null, "result"?}]}, unmatched lines first, then by
 * row. 0, or -1 with not_found. */
int bahi_supplier_invoice_get(struct bahi_req *req, const char *id, const char **json);

/* What to do with one line on confirmation: exactly one of product_id,
 * create and skip. A line not picked takes its proposed match. */
typedef struct bahi_invoice_pick {
	long row;                 /* the line's row */
	const char *product_id;   /* receive into this product */
	int create;               /* create a product from the line */
	int skip;                 /* leave the line out */
	/* create only, each NULL for the default: */
	const char *name;         /* the line's name */
	const char *category_id, *sku, *barcode, *unit;
	const char *expiry;       /* the batch's expiry (YYYY-MM-DD), or NULL */
} bahi_invoice_pick;

/* Confirms a proposal in the request's transaction: products created where
 * asked; for every line not skipped, in row order, a batch <stem>-L<k> (one
 * bahi_batch_take_seq per invoice: Acme-009-L0, Acme-009-L1...) with its
 * stock-in movement at the buy price; when update_prices, each received
 * product's cost and price set to the line's buy and sell price (the last
 * line wins; needs prices.write, else 403); part numbers learned; status
 * confirmed. Field errors name the pick (lines[2].product_id) or the row
 * (rows[5]: no match and no pick). 409 conflict when the invoice or its
 * number was already confirmed. *json as bahi_supplier_invoice_get. */
int bahi_supplier_invoice_confirm(struct bahi_req *req, const char *id,
                                  const bahi_invoice_pick *picks, int npicks,
                                  int update_prices, const char **json);

/* Imports products from CSV (columns name, sku, barcode, category, unit,
 * price, cost, min_stock, stock, components: see bahi_import.c), all or
 * nothing: every bad row is reported, duplicates within the file and
 * against the catalog included, and nothing is created. With dry_run the
 * rows are only checked. *json: {"dry_run", "created", "rows": [{"row",
 * "id", "name", "sku"}]} (id null and sku as given in a dry run). */
int bahi_product_import(struct bahi_req *req, const char *csv, size_t len, int dry_run,
                        const char **json);

/* The business's live products as CSV in the import's columns (UTF-8 with a
 * BOM, CRLF), oldest first, written to an unlinked temporary file: *fd is
 * open on it, *filename "bahi-products-<YYYY-MM-DD>.csv" (business-local
 * date). 0 or -1 with a problem. */
int bahi_product_export(struct bahi_req *req, int *fd, const char **filename);

/* Shared by the files of this module. */
struct pg_result;
/* Prefixes the field errors reported since first_error (or, when there were
 * none, the problem's detail) with where ("rows[7]"). Returns -1. */
int bahi_import_blame(struct bahi_req *req, size_t first_error, const char *where);
/* The row of res whose first column (a uuid or text, ordered COLLATE "C")
 * equals key, found by bisection; -1 when none. */
int bahi_import_find_row(const struct pg_result *res, const char *key);

#endif
