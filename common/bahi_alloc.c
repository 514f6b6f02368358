/* bahi_alloc: payment distribution: invoice named or oldest open first, then opening balance, then credit. */
#include "bahi_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_money.h"

/* Fills *err (when given) and returns -1. */
static int
fail(bahi_rule_error *err, const char *field, const char *code, const char *message)
{
	if (err != NULL) {
		err->field = field;
		err->line = -1;
		err->code = code;
		err->message = message;
	}
	return -1;
}

/* Oldest first: issue date, then number, then id (a stable total order). */
static int
older_first(const void *pa, const void *pb)
{
	const bahi_open_invoice *a = ((const bahi_allocation *)pa)->invoice;
	const bahi_open_invoice *b = ((const bahi_allocation *)pb)->invoice;
	int64_t da = bahi_date_to_days(a->issued_on), db = bahi_date_to_days(b->issued_on);

	if (da != db)
		return da < db ? -1 : 1;
	if (a->number != b->number)
		return a->number < b->number ? -1 : 1;
	return strcmp(a->id != NULL ? a->id : "", b->id != NULL ? b->id : "");
}

/* Range checks: the amount, and no balance beyond what bahi ever stores. */
static int
check_input(const bahi_alloc_in *in, bahi_rule_error *err)
{
	if (in->amount <= 0)
		return fail(err, "amount", "must_be_positive", "Must be more than zero.");
	if (in->amount > BAHI_MONEY_MAX)
		return fail(err, "amount", "too_large", "Must be at most 10^15 minor units.");
	if (in->opening_balance > BAHI_MONEY_MAX)
		return fail(err, "opening_balance", "too_large",
		    "The opening balance is beyond 10^15 minor units.");
	if (in->named != NULL && in->named->balance_due > BAHI_MONEY_MAX)
		return fail(err, "invoice_id", "too_large",
		    "The invoice balance is beyond 10^15 minor units.");
	if (in->named == NULL && in->ninvoices > 0 && in->invoices == NULL)
		return fail(err, "invoices", "required", "The open invoices are missing.");
	for (size_t i = 0; in->named == NULL && i < in->ninvoices; i++)
		if (in->invoices[i].balance_due > BAHI_MONEY_MAX)
			return fail(err, "invoices", "too_large",
			    "An invoice balance is beyond 10^15 minor units.");
	return 0;
}

/*
 * Step 1: lists the candidate invoices in allocs (the named one, or every
 * open one oldest first), then gives each what it owes while money is left.
 * Returns the amount left over.
 */
static int64_t
pay_invoices(const bahi_alloc_in *in, bahi_allocation *allocs, bahi_alloc_result *r)
{
	size_t n = 0, kept = 0;
	int64_t left = in->amount;

	if (in->named != NULL) {
		r->named_already_paid = in->named->balance_due <= 0;
		allocs[n++].invoice = in->named;
	} else {
		for (size_t i = 0; i < in->ninvoices; i++)
			allocs[n++].invoice = &in->invoices[i];
		qsort(allocs, n, sizeof(*allocs), older_first);
	}
	for (size_t i = 0; i < n && left > 0; i++) {
		const bahi_open_invoice *inv = allocs[i].invoice;
		if (inv->balance_due <= 0)
			continue;
		int64_t take = left < inv->balance_due ? left : inv->balance_due;
		allocs[kept].invoice = inv;
		allocs[kept].amount = take;
		allocs[kept].balance_after = inv->balance_due - take;
		kept++;
		left -= take;
	}
	r->nallocs = kept;
	r->applied_to_invoices = in->amount - left;
	return left;
}

int
bahi_alloc_payment(const bahi_alloc_in *in, bahi_allocation *allocs,
                   bahi_alloc_result *out, bahi_rule_error *err)
{
	bahi_alloc_result r = { 0 };

	if (check_input(in, err) != 0)
		return -1;
	int64_t left = pay_invoices(in, allocs, &r);
	int64_t pending = in->opening_balance > 0 ? in->opening_balance : 0;
	r.opening_balance_reduced = left < pending ? left : pending;
	r.opening_balance_after = in->opening_balance - r.opening_balance_reduced;
	left -= r.opening_balance_reduced;
	r.credit_added = left;
	*out = r;
	return 0;
}
