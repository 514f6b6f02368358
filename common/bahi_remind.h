/* bahi_remind: the daily debt-reminder job: debts turning red or overdue get one SMS and a WhatsApp link per customer per business-local day. */
#ifndef BAHI_REMIND_H
#define BAHI_REMIND_H

#include <stdint.h>
#include <time.h>

#include "bahi_date.h"
#include "bahi_debt.h"

struct bahi_req;
struct bahi_pool;

/* What a run did. */
typedef struct bahi_remind_counts {
	long businesses;    /* businesses scanned */
	long queued;        /* reminders queued (debt_reminders rows) */
	long sms_sent;      /* of them, SMS handed to the provider */
	long sms_failed;    /* SMS the gateway refused: no reminder kept, tried again next run */
	long failed;        /* businesses whose run failed and was rolled back (logged) */
} bahi_remind_counts;

/* The business a run works for, as the job read it. */
typedef struct bahi_remind_business {
	const char *name;
	const char *language;   /* "ur": Urdu texts; else English */
	const char *currency;   /* ISO 4217 */
	const char *timezone;   /* IANA */
} bahi_remind_business;

/*
 * One business's reminders as of instant now, in req's transaction (scoped
 * to the business): the open debts whose status as of the business-local
 * today is red or overdue and that have no reminder for (invoice, that
 * status) yet; per customer without a reminder today, the most urgent of
 * them (earliest due date, then number) gets a debt_reminders row with the
 * text, and, when the customer has a phone, an SMS (bahi_sms_send) and the
 * wa.me link. A gateway failure drops that reminder (counted in sms_failed)
 * so the next run tries again. Adds to *c. 0, or -1 with a problem.
 */
int bahi_remind_business_run(struct bahi_req *req, const bahi_remind_business *b, time_t now,
                             bahi_remind_counts *c);

/* The whole job as of instant now: every business (listed under
 * app.job = 'reminders'), each in its own transaction; a business that
 * fails is rolled back and logged, the others go on. Needs bahi_db_init
 * (and bahi_config_load for the SMS provider). Fills *c; 0, or -1 when a
 * business or the listing failed. */
int bahi_remind_run(time_t now, bahi_remind_counts *c);

/* The reminder text in the business's language, e.g. "Demo Auto Parts:
 * Rs 1,234.56 is due on 2026-11-24 for invoice 42. Thank you." (overdue:
 * "was due on ... Please pay soon."); money formatted as in the invoice
 * PDF. In pool. */
char *bahi_remind_text(struct bahi_pool *pool, const bahi_remind_business *b, int64_t amount,
                       bahi_date due, const char *number, bahi_debt_status status);

/* "https://wa.me/<the phone's digits>?text=<text percent-encoded, RFC 3986
 * unreserved characters kept>" in pool ("https://wa.me/?text=..." when phone
 * is NULL: WhatsApp asks whom to send it to); NULL when out of memory. */
char *bahi_whatsapp_url(struct bahi_pool *pool, const char *phone, const char *text);

#endif
