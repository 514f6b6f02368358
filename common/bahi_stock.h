/* bahi_stock: stock movements (the only way stock changes) and supplier batches. */
#ifndef BAHI_STOCK_H
#define BAHI_STOCK_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_cursor.h"
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
	const char *id;          /* client-supplied UUID, or NULL: generated */
} bahi_movement;

/* Applies m under the product's row lock in the request's transaction:
 * records the movement (and, for a composite product, one movement per
 * plain product it is made of, components of components expanded: qty times
 * the quantity one composite needs, rounded half away from zero to 3
 * decimals; each names the composite in composite_id), updates stock_qty and
 * queues the product changes. Stock never goes below zero: -1 with
 * insufficient_stock naming the product and what is available; -1 with
 * not_found for an unknown product. id_out (may be NULL) gets the id of the
 * movement recorded for m itself (the first component's for a composite).
 *
 * Locks: a simple product's row (FOR NO KEY UPDATE; a composite's row only
 * FOR KEY SHARE), a composite's components in id order, then the batch;
 * then bahi_product_stock_changed may update the low-stock flag of the
 * composites using the product. A caller moving several products in one
 * transaction (an invoice) should move them in product id order, or two
 * such transactions may deadlock (reported as 409 conflict, try again).
 * Composites: kinds in and adjust are refused (their stock is their
 * components'); a batch cannot be named. A batch (simple products): a
 * negative qty takes from its qty_remaining (never below zero:
 * insufficient_stock), a positive one puts back into it up to what it
 * received. The product's and batch's versions do not change (stock is not
 * an editable field); their change-log entries carry the current version. */
int bahi_stock_move(struct bahi_req *req, const bahi_movement *m,
                    char id_out[BAHI_UUID_LEN + 1]);

/* Stock-in of n distinct simple products at once (an import's opening
 * stock): each gets qty[i] (> 0, thousandths) as an "in" movement at
 * unit_cost[i] with note, under the products' row locks (taken in id
 * order), and the product changes are queued as bahi_stock_move does, in
 * a fixed number of statements whatever n. -1 with not_found when one is
 * not a live simple product of the business. */
int bahi_stock_receive_many(struct bahi_req *req, int n, const char *const *product_id,
                            const int64_t *qty, const int64_t *unit_cost, const char *note);
/* POST /stock/movements: m->kind is in, out, wastage or adjust and m->qty
 * the quantity as the client gave it: > 0 for in, out and wastage (out and
 * wastage take it away), a signed non-zero change for adjust. Applies it
 * with bahi_stock_move, records it in the activity log and returns the
 * movement (for a composite, the first component's, with "components":
 * every component movement). An unknown or deleted product is a field
 * error on product_id (unknown_product). 0, or -1 with a problem. */
int bahi_stock_record(struct bahi_req *req, const bahi_movement *m, cJSON **out);
/* One movement: {"id", "product_id", "kind", "qty", "stock_after", "unit_cost",
 * "batch_id", "note", "ref_type", "ref_id", "user_id", "device_id",
 * "composite_id", "created_at"}; not_found when there is none. */
int bahi_stock_movement_get(struct bahi_req *req, const char *id, cJSON **out);
/* One page of movements, newest first, optionally of one product (its own
 * and, for a composite, those recorded for it on its components) and/or one
 * batch (NULL: any). A product or batch id that names nothing of the
 * business is not_found. */
int bahi_stock_movements_list(struct bahi_req *req, const bahi_page *pg,
                              const char *product_id, const char *batch_id, cJSON **out);

struct pg_result;

/* One line of a sales document as stock sees it. */
typedef struct bahi_stock_line {
	const char *product_id;  /* simple or composite */
	int64_t qty;             /* signed change, thousandths: < 0 takes (sale), > 0 puts back */
	int known_simple;        /* 1: the caller knows it is a simple product (0: unknown) */
	int carry;               /* 1: the caller records this line's movement itself when the
	                          * line moves a simple product (an invoice line: 0016) */
	const char *movement_id; /* out, when carried: the movement's id */
	const char *stock_after; /* out, when carried: the product's stock after it (text) */
} bahi_stock_line;

/* The stock movements of a whole document (kind "sale", "void" or
 * "return", with ref_type/ref_id naming it) in two statements whatever n
 * (three when a composite contains a moved product): every plain product
 * the lines move (a composite's components, expanded and rounded as
 * bahi_stock_move does) is locked in id order, the lines
 * are checked in order against what is left, then every movement is
 * recorded and the product changes queued. A line whose product is not a
 * live product of the business (a deleted one may only take stock back):
 * field error "<field_prefix>[i].product_id" unknown_product. The first
 * line that would take a product below zero: 422 insufficient_stock with
 * field "<field_prefix>[i].qty", naming the product, what is available to
 * that line and what it asked for. Nothing is written on failure. When
 * every line is known_simple, a plainer locking statement serves (no
 * composite expansion); a line that is composite after all still fails as
 * unknown_product, so callers set it only from what they read in this
 * transaction. later: when no composite contains a moved product (nothing
 * needs to be read after the move), the writing statement is deferred to go
 * out with the next one (bahi_db_defer), in its round trip. prelocked: the
 * rows bahi_stock_prelock locked for these lines in this transaction, used
 * instead of locking again when every line is known_simple; or NULL. A
 * line with carry set that proves to move a simple product gets no movement
 * row: its movement_id and stock_after are set for the caller to record on
 * the line (sql/migrations/0016_sale_lines_ledger.sql), and stock_ledger
 * shows it with the rows. */
int bahi_stock_move_lines(struct bahi_req *req, const char *kind, bahi_stock_line *lines,
                          int n, const char *ref_type, const char *ref_id,
                          const char *field_prefix, int later, struct pg_result *prelocked);
/* Locks the products of lines that are all simple products, as
 * bahi_stock_move_lines would, in the round trip of the request's next
 * statement (bahi_db_defer_read): *out receives the locked rows, for
 * bahi_stock_move_lines' prelocked when every line proved known_simple
 * (otherwise it locks again, with the composites expanded). For a document
 * that takes no other lock before its products, so that the locks are taken
 * in the same order as bahi_stock_move_lines takes them. 0, or -1 with a
 * problem. */
int bahi_stock_prelock(struct bahi_req *req, const bahi_stock_line *lines, int n,
                       struct pg_result **out);

/* A lock's failure with SQLSTATE state: a deadlock or serialisation failure
 * (class 40) becomes 409 conflict (try again) and -1; 0 for anything else. */
int bahi_stock_lock_conflict(struct bahi_req *req, const char *state);
/* Runs a locking statement: a deadlock or serialisation failure becomes 409
 * conflict (try again), any other failure an internal error. */
struct bahi_stmt;
struct pg_result *bahi_stock_lock_exec(struct bahi_req *req, struct bahi_stmt *st, int n,
                                       const char *const *p);

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
	const char *ref_type;        /* the stock-in's document ("supplier_invoice") or NULL */
	const char *ref_id;          /* its id, or NULL */
} bahi_batch_in;

/* Takes the supplier's next batch sequence: writes "<prefix>-<seq>" (Acme-009)
 * into out. 0, or -1 with not_found. */
int bahi_batch_take_seq(struct bahi_req *req, const char *supplier_id, char out[64]);

/* Records a batch (and its stock-in movement when in->stock_in). 0, or -1 with
 * a problem (duplicate batch number: 409 conflict; unknown product or supplier:
 * validation_failed). */
int bahi_batch_create(struct bahi_req *req, const bahi_batch_in *in,
                      char id_out[BAHI_UUID_LEN + 1]);

/* The prefix of batches recorded without a supplier. */
#define BAHI_BATCH_PREFIX "B"

/* One batch: {"id", "batch_no", "product_id", "supplier_id", "qty_received",
 * "qty_remaining", "cost", "expiry", "supplier_invoice_no", "version",
 * "created_at", "updated_at"}; not_found when there is none. */
int bahi_batch_get(struct bahi_req *req, const char *id, cJSON **out);

/* What GET /batches lists. */
typedef struct bahi_batch_filter {
	const char *product_id;      /* or NULL */
	const char *supplier_id;     /* or NULL */
	int expiring_within_days;    /* -1: every batch, newest first; N >= 0: batches
	                                with qty_remaining > 0 and expiry <= the
	                                business-local today + N, by expiry */
} bahi_batch_filter;
/* One page of batches. A product or supplier id that names nothing of the
 * business is not_found. */
int bahi_batch_list(struct bahi_req *req, const bahi_page *pg, const bahi_batch_filter *f,
                    cJSON **out);

/* A change to a batch; qty_remaining changes only through movements. */
typedef struct bahi_batch_patch {
	const char *batch_no;              /* NULL: unchanged */
	const char *expiry;                /* NULL: unchanged */
	int clear_expiry;                  /* expiry given as null */
	int64_t cost;                      /* -1: unchanged */
	const char *supplier_invoice_no;   /* NULL: unchanged */
	int clear_supplier_invoice_no;
	long if_match;                     /* 0: no If-Match */
} bahi_batch_patch;
/* Applies p (412 version_conflict when if_match is stale; 409 conflict for
 * a batch number in use) and returns the batch. */
int bahi_batch_update(struct bahi_req *req, const char *id, const bahi_batch_patch *p,
                      cJSON **out);

#endif
