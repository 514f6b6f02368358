/* bahi_stock: stock movements (the only way stock changes) and supplier batches. */
#ifndef BAHI_STOCK_H
#define BAHI_STOCK_H

#include <stdint.h>

#include "bahi_uuid.h"

struct bahi_req;

/* One change of a product's stock. */
typedef struct bahi_movement {
	const char *product_id;
	const char *kind;        /* in, out, wastage, adjust, sale, void, return */
	int64_t qty;             /* thousandths, signed: the change applied to stock */
	int64_t unit_cost;       /* minor units, or -1: the product's current cost */
	const char *batch_id;    /* or NULL */
	const char *note;        /* or NULL */
	const char *ref_type;    /* "invoice", "supplier_invoice"... or NULL */
	const char *ref_id;      /* or NULL */
} bahi_movement;

/* Applies m under the product's row lock in the request's transaction:
 * records the movement (and, for a composite product, one movement per
 * component, qty times the component quantity), updates stock_qty and
 * queues the product changes. Stock never goes below zero: -1 with
 * insufficient_stock naming the product and what is available; -1 with
 * not_found for an unknown product. id_out (may be NULL) gets the id of the
 * movement recorded for m itself (the first component's for a composite). */
int bahi_stock_move(struct bahi_req *req, const bahi_movement *m,
                    char id_out[BAHI_UUID_LEN + 1]);

/* A batch to record. */
typedef struct bahi_batch_in {
	const char *id;              /* or NULL: generated */
	const char *batch_no;        /* or NULL: <supplier prefix>-<next seq, 3 digits>-L0 */
	const char *product_id;
	const char *supplier_id;     /* or NULL */
	int64_t qty;                 /* thousandths, > 0 */
	int64_t cost;                /* minor units per unit */
	const char *expiry;          /* YYYY-MM-DD or NULL */
	const char *supplier_invoice_no;   /* or NULL */
	int stock_in;                /* also record an "in" movement of qty at cost */
} bahi_batch_in;

/* Takes the supplier's next batch sequence: writes "<prefix>-<seq>" (Acme-009)
 * into out. 0, or -1 with not_found. */
int bahi_batch_take_seq(struct bahi_req *req, const char *supplier_id, char out[64]);

/* Records a batch (and its stock-in movement when in->stock_in). 0, or -1 with
 * a problem (duplicate batch number: 409 conflict; unknown product or supplier:
 * validation_failed). */
int bahi_batch_create(struct bahi_req *req, const bahi_batch_in *in,
                      char id_out[BAHI_UUID_LEN + 1]);

#endif
