/* bahi_debt: debt due dates and green/yellow/red/overdue status from the business-local date. */
#ifndef BAHI_DEBT_H
#define BAHI_DEBT_H

#include <stdint.h>

#include "bahi_date.h"

/* The business's credit term: business.credit_term_days, 0..365, default 15. */
#define BAHI_CREDIT_TERM_MAX 365
#define BAHI_CREDIT_TERM_DEFAULT 15

typedef enum bahi_debt_status {
	BAHI_DEBT_GREEN = 0,   /* days_left >= 8 */
	BAHI_DEBT_YELLOW,      /* 4..7 */
	BAHI_DEBT_RED,         /* 0..3 (due today is red) */
	BAHI_DEBT_OVERDUE      /* < 0 */
} bahi_debt_status;

typedef struct bahi_debt_info {
	bahi_debt_status status;
	int64_t days_left;      /* due - today in days; negative once overdue */
	int64_t days_overdue;   /* today - due when overdue, else 0 */
} bahi_debt_info;

/* due = issued + term_days (issued is the business-local issue date).
 * 0, or -1 when term_days is outside 0..BAHI_CREDIT_TERM_MAX. */
int bahi_debt_due_date(bahi_date issued, int64_t term_days, bahi_date *due);
/* Status of a debt due on `due` as of the business-local `today`
 * (bahi_date_local(business tz, now)). Boundaries: 8 green, 7 yellow,
 * 4 yellow, 3 red, 0 red, -1 overdue with days_overdue 1. */
bahi_debt_info bahi_debt_classify(bahi_date due, bahi_date today);
bahi_debt_status bahi_debt_status_of(int64_t days_left);

/* "green", "yellow", "red", "overdue". */
const char *bahi_debt_status_name(bahi_debt_status s);
/* The reverse (exact, lower case). 0, or -1 for anything else. */
int bahi_debt_status_parse(const char *s, bahi_debt_status *out);

/* The due dates a status covers as of today, for `GET /debts?status=`:
 * due_date >= *min when has_min, due_date <= *max when has_max.
 * green: min today+8; yellow: today+4..today+7; red: today..today+3;
 * overdue: max today-1. */
typedef struct bahi_debt_range {
	int has_min, has_max;
	bahi_date min, max;
} bahi_debt_range;
bahi_debt_range bahi_debt_due_range(bahi_debt_status s, bahi_date today);

#endif
