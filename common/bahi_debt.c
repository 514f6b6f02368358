/* bahi_debt: credit due dates and the debt status thresholds (>= 8 green, 4-7 yellow, 0-3 red, < 0 overdue). */
#include "bahi_debt.h"

#include <string.h>

#define GREEN_FROM 8    /* days left at or above: green */
#define YELLOW_FROM 4   /* 4..7: yellow; 0..3: red */

static const char *const status_names[] = { "green", "yellow", "red", "overdue" };

int
bahi_debt_due_date(bahi_date issued, int64_t term_days, bahi_date *due)
{
	if (term_days < 0 || term_days > BAHI_CREDIT_TERM_MAX)
		return -1;
	*due = bahi_date_add_days(issued, term_days);
	return 0;
}

bahi_debt_status
bahi_debt_status_of(int64_t days_left)
{
	if (days_left >= GREEN_FROM)
		return BAHI_DEBT_GREEN;
	if (days_left >= YELLOW_FROM)
		return BAHI_DEBT_YELLOW;
	if (days_left >= 0)
		return BAHI_DEBT_RED;
	return BAHI_DEBT_OVERDUE;
}

bahi_debt_info
bahi_debt_classify(bahi_date due, bahi_date today)
{
	bahi_debt_info d;

	d.days_left = bahi_date_diff(today, due);
	d.days_overdue = d.days_left < 0 ? -d.days_left : 0;
	d.status = bahi_debt_status_of(d.days_left);
	return d;
}

const char *
bahi_debt_status_name(bahi_debt_status s)
{
	if ((unsigned)s >= sizeof(status_names) / sizeof(status_names[0]))
		return "overdue";
	return status_names[s];
}

int
bahi_debt_status_parse(const char *s, bahi_debt_status *out)
{
	if (s == NULL)
		return -1;
	for (unsigned i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (bahi_debt_status)i;
			return 0;
		}
	return -1;
}

/* Mirrors bahi_debt_status_of: days_left = due - today. */
bahi_debt_range
bahi_debt_due_range(bahi_debt_status s, bahi_date today)
{
	bahi_debt_range r = { 0 };

	switch (s) {
	case BAHI_DEBT_GREEN:
		r.has_min = 1;
		r.min = bahi_date_add_days(today, GREEN_FROM);
		break;
	case BAHI_DEBT_YELLOW:
		r.has_min = r.has_max = 1;
		r.min = bahi_date_add_days(today, YELLOW_FROM);
		r.max = bahi_date_add_days(today, GREEN_FROM - 1);
		break;
	case BAHI_DEBT_RED:
		r.has_min = r.has_max = 1;
		r.min = today;
		r.max = bahi_date_add_days(today, YELLOW_FROM - 1);
		break;
	case BAHI_DEBT_OVERDUE:
		r.has_max = 1;
		r.max = bahi_date_add_days(today, -1);
		break;
	}
	return r;
}
