/* bahi_debts: open credit invoices as debts (GET /debts) with their status from the business-local date, and the reminders sent about them. */
#ifndef BAHI_DEBTS_H
#define BAHI_DEBTS_H

#include <cjson/cJSON.h>

#include "bahi_cursor.h"
#include "bahi_date.h"
#include "bahi_debt.h"

struct bahi_req;

/* What GET /debts lists. */
typedef struct bahi_debts_filter {
	int has_status;               /* 0: every status */
	bahi_debt_status status;
	const char *customer_id;      /* or NULL */
} bahi_debts_filter;

/* The business-local date now (the business's time zone, bahi_date_local).
 * 0, or -1 with a problem. */
int bahi_debts_today(struct bahi_req *req, bahi_date *today);

/*
 * One page of the business's debts: its credit invoices with something
 * still due, most urgent first (due date, then number):
 *   {"items": [{"invoice_id", "number", "customer_id", "customer_name",
 *     "customer_phone", "issued_on", "due_date", "total", "balance_due",
 *     "days_left", "days_overdue", "debt_status"}], "next_cursor",
 *    "summary": {"as_of", "count", "total_due", "by_status": {"green":
 *     {"count", "amount"}, "yellow": ..., "red": ..., "overdue": ...}}}
 * Statuses are as of the business-local today (bahi_debt_classify); the
 * status filter is the due-date range bahi_debt_due_range gives. The
 * summary covers every open debt (of the customer, when customer_id is
 * given), whatever the status filter and the page. An unknown customer_id
 * is not_found.
 */
int bahi_debts_list(struct bahi_req *req, const bahi_page *pg, const bahi_debts_filter *f,
                    cJSON **out);

/* One page of the reminders the daily job queued, newest first:
 * {"items": [{"id", "customer_id", "customer_name", "invoice_id",
 * "invoice_number", "debt_status", "sent_on", "phone", "sms_text",
 * "whatsapp_url", "created_at"}], "next_cursor"}. */
int bahi_debts_reminders(struct bahi_req *req, const bahi_page *pg, cJSON **out);

#endif
