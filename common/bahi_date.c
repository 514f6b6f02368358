/* bahi_date: proleptic Gregorian civil dates, calendar-accurate months/days and business-local dates. */
#include "bahi_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define TZ_NAME_MAX 128

int
bahi_date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* 0 for a month outside 1..12. */
int
bahi_date_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && bahi_date_is_leap(year))
		return 29;
	return days[month - 1];
}

/* Value of n ASCII digits at s, or -1 if any is not a digit. */
static int
parse_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Exactly "YYYY-MM-DD", year 0001..9999, a day that exists in that month. */
int
bahi_date_parse(const char *s, bahi_date *out)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = parse_digits(s, 4), m = parse_digits(s + 5, 2), d = parse_digits(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > bahi_date_days_in_month(y, m))
		return -1;
	out->year = y;
	out->month = m;
	out->day = d;
	return 0;
}

void
bahi_date_format(bahi_date d, char *buf, size_t size)
{
	snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
}

/* Howard Hinnant's days_from_civil: eras of 400 years starting in March. */
int64_t
bahi_date_to_days(bahi_date d)
{
	int64_t y = d.year - (d.month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Inverse of bahi_date_to_days (civil_from_days); the year is not clamped. */
bahi_date
bahi_date_from_days(int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	bahi_date d;

	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

bahi_date
bahi_date_add_days(bahi_date d, int64_t n)
{
	return bahi_date_from_days(bahi_date_to_days(d) + n);
}

int64_t
bahi_date_diff(bahi_date a, bahi_date b)
{
	return bahi_date_to_days(b) - bahi_date_to_days(a);
}

int64_t
bahi_date_days_inclusive(bahi_date a, bahi_date b)
{
	int64_t n = bahi_date_diff(a, b);
	return n < 0 ? 0 : n + 1;
}

/* num/den for num >= 0, den > 0, rounded half up (= away from zero here). */
static int64_t
round_div_pos(int64_t num, int64_t den)
{
	return (2 * num + den) / (2 * den);
}

/*
 * calcMonths in ten-thousandths. Same month: (b.day - a.day + 1) / len.
 * Otherwise first part (len_a - a.day + 1) / len_a, whole months between,
 * last part b.day / len_b. Summed exactly over len_a * len_b, rounded once.
 * Months outside 1..12 give 0.
 */
int64_t
bahi_date_months_e4(bahi_date a, bahi_date b)
{
	if (bahi_date_diff(a, b) < 0)
		return 0;
	int64_t la = bahi_date_days_in_month(a.year, a.month);
	int64_t lb = bahi_date_days_in_month(b.year, b.month);
	if (la == 0 || lb == 0)
		return 0;   /* not a real date */
	if (a.year == b.year && a.month == b.month)
		return round_div_pos((int64_t)(b.day - a.day + 1) * 10000, la);
	int64_t whole = ((int64_t)b.year * 12 + b.month) - ((int64_t)a.year * 12 + a.month) - 1;
	int64_t num = whole * la * lb + (la - a.day + 1) * lb + (int64_t)b.day * la;
	return round_div_pos(num * 10000, la * lb);
}

/* Directory glibc reads zones from: $TZDIR, else the standard one. */
static const char *
zoneinfo_dir(void)
{
	const char *dir = getenv("TZDIR");
	return dir != NULL && dir[0] != '\0' ? dir : ZONEINFO_DIR;
}

/*
 * 1 when tz names a TZif file under the zoneinfo directory: only
 * [A-Za-z0-9._+-/] characters, no "..", not absolute, a regular file that
 * starts with the "TZif" magic (so zone.tab and friends are refused).
 */
static int
zone_exists(const char *tz)
{
	char path[512], magic[4];
	struct stat st;

	if (tz == NULL || tz[0] == '\0' || tz[0] == '/' || strlen(tz) >= TZ_NAME_MAX ||
	    strstr(tz, "..") != NULL)
		return 0;
	for (const char *p = tz; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("._+-/", *p) != NULL))
			return 0;
	int n = snprintf(path, sizeof(path), "%s/%s", zoneinfo_dir(), tz);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	size_t got = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	return got == sizeof(magic) && memcmp(magic, "TZif", 4) == 0;
}

/*
 * Swaps TZ to ":tz" (the ':' forces a zone file, never a POSIX TZ rule),
 * converts, then restores the previous TZ. Not thread-safe: workers are
 * single-threaded.
 */
int
bahi_date_local(const char *tz, time_t t, bahi_date *out)
{
	char want[TZ_NAME_MAX + 2];
	struct tm tm;
	char *saved = NULL;

	if (!zone_exists(tz))
		return -1;
	snprintf(want, sizeof(want), ":%s", tz);
	const char *old = getenv("TZ");
	if (old != NULL && (saved = strdup(old)) == NULL)
		return -1;
	int ok = setenv("TZ", want, 1) == 0;
	if (ok) {
		tzset();
		ok = localtime_r(&t, &tm) != NULL;
	}
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	if (!ok || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
		return -1;
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	return 0;
}

/* An empty string when t cannot be represented. */
void
bahi_time_rfc3339(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (size == 0)
		return;
	if (gmtime_r(&t, &tm) == NULL || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}
