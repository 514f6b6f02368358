/* bahi_payment: customer payments: the three-step distribution applied to invoices, opening balance and credit; reading and listing them. */
#ifndef BAHI_PAYMENT_H
#define BAHI_PAYMENT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_cursor.h"

struct bahi_req;

/* A payment as asked for (validated by the caller: amount 1..BAHI_MONEY_MAX,
 * method "cash" or "bank", note 1..500 characters). */
typedef struct bahi_payment_in {
	const char *id;            /* client UUID, or NULL: generated */
	const char *customer_id;
	int64_t amount;            /* minor units */
	const char *method;
	const char *invoice_id;    /* the invoice named, or NULL */
	const char *note;          /* or NULL */
} bahi_payment_in;

/*
 * The payment body: {"id", "customer_id", "amount", "method", "invoice_id",
 * "note", "allocations": [{"invoice_id", "number", "amount",
 * "balance_after", "status"}], "opening_balance_reduced", "credit_added",
 * "received_on" (business-local date), "created_at"}. The allocations are
 * listed oldest invoice first; status is what the allocation left the
 * invoice at (paid, partially_paid).
 */

/*
 * POST /payments, in the request's transaction (decisions.md "Payments"):
 * locks the customer, then its open invoice balances (or the one named) in
 * (issued_on, number) order, distributes the amount with
 * bahi_alloc_payment, stores the payment and its allocations, updates each
 * invoice's balance (paid, balance_due, status, version) and the customer
 * (opening_balance, credit_balance, invoice_due), and queues the change-log
 * entries. *status 201 and the body; an id that already names a payment of
 * the business returns it unchanged (*status 200: an offline retry). Field
 * errors: customer_id unknown_customer (unknown or deleted), invoice_id
 * unknown_invoice (not an invoice of that customer). A named invoice that
 * is void or paid takes nothing: the amount goes to the opening balance,
 * then credit. 0, or -1 with a problem.
 */
int bahi_payment_create(struct bahi_req *req, const bahi_payment_in *in, int *status,
                        cJSON **out);
/* One payment's body; not_found when there is none. */
int bahi_payment_get(struct bahi_req *req, const char *id, cJSON **out);
/* A page of payments, newest first (customer_id, or NULL for all; an
 * unknown or deleted customer is not_found). */
int bahi_payment_list(struct bahi_req *req, const bahi_page *pg, const char *customer_id,
                      cJSON **out);

#endif
