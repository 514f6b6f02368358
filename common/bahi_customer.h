/* bahi_customer: customers: unique E.164 phones per business, opening balance, credit balance, open debt. */
#ifndef BAHI_CUSTOMER_H
#define BAHI_CUSTOMER_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_cursor.h"
#include "bahi_phone.h"
#include "bahi_uuid.h"

struct bahi_req;

/* Upper bound of an opening balance, in minor units (the contract's 10^15). */
#define BAHI_CUSTOMER_BALANCE_MAX INT64_C(1000000000000000)

/* A customer to create, validated by the caller (types and lengths). */
typedef struct bahi_customer_in {
	const char *id;              /* client UUID, or NULL: generated */
	const char *name;
	const char *phone;           /* as typed (local forms allowed), or NULL */
	const char *address;         /* or NULL */
	int64_t opening_balance;     /* minor units, 0..BAHI_CUSTOMER_BALANCE_MAX */
} bahi_customer_in;

/* A change; NULL (or -1) leaves a field alone, clear_x (given as null) empties it. */
typedef struct bahi_customer_patch {
	const char *name, *phone, *address;
	int clear_phone, clear_address;
	int64_t opening_balance;     /* -1: unchanged */
	long if_match;               /* 0: no If-Match */
} bahi_customer_patch;

/* Each works in the request's transaction and business and returns 0 (with
 * *out set where there is one), or -1 with a problem. Deleted customers are
 * not found (404). The body: {"id", "name", "phone", "address",
 * "opening_balance", "credit_balance", "open_debt", "version", "created_at",
 * "updated_at"}; open_debt = opening_balance + the unpaid part of the
 * customer's credit invoices. */

/* Normalises a phone to E.164 with the business's country for national forms
 * ("0300 1234567" in a PK business is +923001234567); a field error
 * invalid_phone on field otherwise. 0 or -1. */
int bahi_customer_phone(struct bahi_req *req, const char *in, const char *field,
                        char out[BAHI_PHONE_MAX + 1]);

/* The live customers, oldest first; q (or NULL) keeps those whose name
 * contains q (case-insensitive) or whose phone contains q's digits (a
 * leading trunk 0 or 00 dropped: "0300 12" finds +92300 12...). */
int bahi_customer_list(struct bahi_req *req, const bahi_page *pg, const char *q, cJSON **out);
int bahi_customer_get(struct bahi_req *req, const char *id, cJSON **out);
/* The live customers among ids, in one statement: put(ctx, id, JSON text)
 * for each found, as bahi_customer_get gives it. 0, or -1 with a problem. */
int bahi_customer_get_many(struct bahi_req *req, const char *const *ids, int n,
                           void (*put)(void *ctx, const char *id, char *json), void *ctx);
/* The live customer with this phone (normalised first; 422 when invalid). */
int bahi_customer_by_phone(struct bahi_req *req, const char *phone, cJSON **out);
/* 409 duplicate_phone when a live customer has the phone; 409 conflict when
 * the client's id is taken. */
int bahi_customer_create(struct bahi_req *req, const bahi_customer_in *in, cJSON **out);
/* 412 version_conflict when if_match is stale; 409 duplicate_phone. A new
 * opening balance is recorded in the activity log (old -> new). An empty
 * patch changes nothing (no new version). */
int bahi_customer_update(struct bahi_req *req, const char *id, const bahi_customer_patch *p,
                         cJSON **out);
/* Soft delete (the phone becomes free); 409 in_use while the customer owes
 * anything (open_debt > 0) or is owed credit (credit_balance > 0). */
int bahi_customer_delete(struct bahi_req *req, const char *id, long if_match);

/* For a sale naming its customer by phone: the live customer with this
 * phone, else a new one named name (NULL: the phone number) at address
 * (validated by the caller, or NULL). An existing customer keeps its name
 * and address. Safe against concurrent sales creating the same
 * customer (both get the one id). Field errors name "customer.phone" and
 * "customer.name". 0 with the id in id_out, or -1 with a problem. */
int bahi_customer_find_or_create(struct bahi_req *req, const char *phone, const char *name,
                                 const char *address, char id_out[BAHI_UUID_LEN + 1]);

/* ---- history (bahi_customer_history.c) */

/*
 * GET /customers/{id}/history: {"customer": <the customer body>, "items":
 * [...], "next_cursor", "totals"}. items are the customer's invoices and
 * payments together, newest first (invoices by issued_at, payments by
 * created_at), one page of pg: {"type": "invoice", "id", "at", "number",
 * "total", "paid", "balance_due", "status"} or {"type": "payment", "id",
 * "at", "amount", "method"}. totals (over everything, not the page):
 * {"invoice_count" (invoices not void), "invoiced" (their totals less
 * returns), "paid"
 * (every payment plus what was paid at the sale of those invoices),
 * "payment_count", "last_visit" (issued_at of the newest invoice, void or
 * not, or null), "average_basket" (invoiced / invoice_count rounded half
 * away from zero, 0 when none), "open_debt", "credit_balance"}.
 * not_found for an unknown or deleted customer.
 */
int bahi_customer_history(struct bahi_req *req, const char *id, const bahi_page *pg,
                          cJSON **out);
/* The same for the live customer with this phone (normalised as
 * bahi_customer_by_phone does; 422 when invalid). */
int bahi_customer_history_by_phone(struct bahi_req *req, const char *phone,
                                   const bahi_page *pg, cJSON **out);

#endif
