/* bahi_supplier: suppliers (contact details and the batch-number prefix of their batches). */
#ifndef BAHI_SUPPLIER_H
#define BAHI_SUPPLIER_H

#include <cjson/cJSON.h>

#include "bahi_cursor.h"

struct bahi_req;

/* A supplier to create, validated by the caller (lengths). */
typedef struct bahi_supplier_in {
	const char *id;              /* client UUID, or NULL: generated */
	const char *name;
	const char *batch_prefix;    /* or NULL: derived from the name */
	const char *phone, *email, *address, *notes;   /* or NULL */
} bahi_supplier_in;

/* A change; NULL leaves a field alone, clear_x (given as null) empties it. */
typedef struct bahi_supplier_patch {
	const char *name, *batch_prefix, *phone, *email, *address, *notes;
	int clear_phone, clear_email, clear_address, clear_notes;
	long if_match;               /* 0: no If-Match */
} bahi_supplier_patch;

/* Each works in the request's transaction and business and returns 0 (with
 * *out set where there is one), or -1 with a problem. Deleted suppliers are
 * not found (404). The body: {"id", "name", "batch_prefix", "phone", "email",
 * "address", "notes", "version", "created_at", "updated_at"}. */

/* The prefix derived from a name: its first word's ASCII letters and digits
 * (at most 20): "Acme Traders" -> "Acme", "A.B. & Sons" -> "AB"; "S" when
 * the first word has none. Writes into out[21]. Exposed for unit tests. */
void bahi_supplier_prefix_of(const char *name, char out[21]);

int bahi_supplier_list(struct bahi_req *req, const bahi_page *pg, cJSON **out);
int bahi_supplier_get(struct bahi_req *req, const char *id, cJSON **out);
/* Names are unique among the business's suppliers (409 duplicate_name);
 * a batch prefix is never used twice in a business, deleted suppliers
 * included, and "B" is reserved for batches without a supplier (a given
 * prefix in use: 409 conflict; a derived one takes the first free of
 * Acme, Acme2, Acme3...). The phone is normalised to E.164. */
int bahi_supplier_create(struct bahi_req *req, const bahi_supplier_in *in, cJSON **out);
/* 412 version_conflict when if_match is stale. A new prefix numbers the
 * batches recorded from then on; the sequence continues. A patch that
 * gives nothing returns the supplier unchanged (same version, no change
 * queued). */
int bahi_supplier_update(struct bahi_req *req, const char *id, const bahi_supplier_patch *p,
                         cJSON **out);
/* Soft delete; 409 in_use while any of its batches has stock remaining. */
int bahi_supplier_delete(struct bahi_req *req, const char *id, long if_match);

#endif
