/* bahi_alloc: the three-step distribution of a customer payment, as a pure function. */
#ifndef BAHI_ALLOC_H
#define BAHI_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "bahi_date.h"
#include "bahi_totals.h"

/* One of the customer's invoices as the payment rules see it. */
typedef struct bahi_open_invoice {
	const char *id;          /* borrowed, not interpreted (the invoice UUID) */
	bahi_date issued_on;     /* business-local issue date */
	int64_t number;          /* per-business invoice number */
	int64_t balance_due;     /* minor units still owed; <= 0 means already paid */
} bahi_open_invoice;

typedef struct bahi_alloc_in {
	int64_t amount;                     /* the payment, 1..BAHI_MONEY_MAX */
	const bahi_open_invoice *named;     /* the invoice named on the payment, or NULL */
	const bahi_open_invoice *invoices;  /* the customer's open invoices, any order */
	size_t ninvoices;                   /* ignored when named is set */
	int64_t opening_balance;            /* pending opening balance; <= 0: none */
} bahi_alloc_in;

typedef struct bahi_allocation {
	const bahi_open_invoice *invoice;   /* points at named or into invoices */
	int64_t amount;                     /* applied to it, > 0 */
	int64_t balance_after;              /* its balance afterwards; 0 = now paid */
} bahi_allocation;

typedef struct bahi_alloc_result {
	size_t nallocs;                     /* entries written to allocs */
	int64_t applied_to_invoices;        /* sum of the allocations */
	int64_t opening_balance_reduced;
	int64_t opening_balance_after;
	int64_t credit_added;               /* becomes customer credit */
	int named_already_paid;             /* named was given with balance_due <= 0 */
} bahi_alloc_result;

/*
 * Distributes a payment (decisions.md "Payments", seed 04):
 *  1. the invoice named, up to its balance; without one, the open invoices
 *     oldest first (issue date, then number), each up to its balance;
 *  2. then the customer's pending opening balance, up to what is pending;
 *  3. the rest becomes customer credit (applied to the customer's next
 *     invoices by bahi_totals_settle).
 * With a named invoice, step 1 touches only that invoice (seed: invoice 200,
 * 150 paid, pays 80 -> 50 to the invoice, 30 to the balance). A named
 * invoice that is already paid takes nothing: the whole amount goes on to
 * steps 2 and 3 and named_already_paid is set (the money was received; the
 * handler may say so). Invoices with balance_due <= 0 in the list are skipped.
 *
 * allocs must have room for max(ninvoices, 1) entries; it receives the
 * allocations in the order applied. applied_to_invoices +
 * opening_balance_reduced + credit_added == amount. Returns 0, or -1 with
 * *err ("amount" too_small / too_large, or a balance beyond 10^15).
 */
int bahi_alloc_payment(const bahi_alloc_in *in, bahi_allocation *allocs,
                       bahi_alloc_result *out, bahi_rule_error *err);

#endif
