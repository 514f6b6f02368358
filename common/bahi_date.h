/* bahi_date: civil dates, business-local today, calendar-accurate months and days. */
#ifndef BAHI_DATE_H
#define BAHI_DATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct bahi_date {
	int year;   /* 1..9999 */
	int month;  /* 1..12 */
	int day;    /* 1..days in month */
} bahi_date;

int bahi_date_is_leap(int year);
int bahi_date_days_in_month(int year, int month);
/* Parses strict "YYYY-MM-DD". 0, or -1 when malformed or not a real date. */
int bahi_date_parse(const char *s, bahi_date *out);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void bahi_date_format(bahi_date d, char *buf, size_t size);
/* Days since 1970-01-01 (negative before). */
int64_t bahi_date_to_days(bahi_date d);
bahi_date bahi_date_from_days(int64_t days);
/* d plus n days (n may be negative). */
bahi_date bahi_date_add_days(bahi_date d, int64_t n);
/* b - a in days (Jan 31 - Jan 25 = 6). */
int64_t bahi_date_diff(bahi_date a, bahi_date b);
/* Inclusive day count from a to b, the seed's calcDays (Jan 25..Jan 31 = 7);
 * 0 when b is before a. */
int64_t bahi_date_days_inclusive(bahi_date a, bahi_date b);
/* The seed's calcMonths from a to b inclusive, in ten-thousandths of a month,
 * rounded half away from zero: a partial first month (days left in it / its
 * length), whole months between, a partial last month (days into it / its
 * length). Feb 15..Mar 17 = 10484, Jan 1..Mar 31 = 30000. 0 when b < a. */
int64_t bahi_date_months_e4(bahi_date a, bahi_date b);
/* The calendar date in IANA time zone tz at instant t. 0, or -1 for an unknown zone. */
int bahi_date_local(const char *tz, time_t t, bahi_date *out);
/* Formats t as RFC 3339 UTC with seconds ("2026-11-21T08:30:00Z"). */
void bahi_time_rfc3339(time_t t, char *buf, size_t size);

#endif
