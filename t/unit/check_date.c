/* check_date: unit tests for bahi_date (civil dates, calcDays, calcMonths, local dates, RFC 3339). */
#include "bahi_date.h"

#include <check.h>

#include "../check_run.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bahi_date
D(int y, int m, int d)
{
	bahi_date r = { y, m, d };
	return r;
}

/* Asserts that d is y-m-d, reporting the whole date on failure. */
#define ck_assert_date(d, y, m, dd) do { \
	bahi_date d_ = (d); \
	ck_assert_msg(d_.year == (y) && d_.month == (m) && d_.day == (dd), \
	    "got %04d-%02d-%02d, want %04d-%02d-%02d", d_.year, d_.month, d_.day, \
	    (y), (m), (dd)); \
} while (0)

START_TEST(leap_years)
{
	ck_assert_int_eq(bahi_date_is_leap(2024), 1);
	ck_assert_int_eq(bahi_date_is_leap(2026), 0);
	ck_assert_int_eq(bahi_date_is_leap(1900), 0);
	ck_assert_int_eq(bahi_date_is_leap(2000), 1);
	ck_assert_int_eq(bahi_date_is_leap(2100), 0);
	ck_assert_int_eq(bahi_date_days_in_month(2024, 2), 29);
	ck_assert_int_eq(bahi_date_days_in_month(2026, 2), 28);
	ck_assert_int_eq(bahi_date_days_in_month(1900, 2), 28);
	ck_assert_int_eq(bahi_date_days_in_month(2000, 2), 29);
	ck_assert_int_eq(bahi_date_days_in_month(2026, 1), 31);
	ck_assert_int_eq(bahi_date_days_in_month(2026, 4), 30);
	ck_assert_int_eq(bahi_date_days_in_month(2026, 12), 31);
	ck_assert_int_eq(bahi_date_days_in_month(2026, 0), 0);
	ck_assert_int_eq(bahi_date_days_in_month(2026, 13), 0);
}
END_TEST

START_TEST(parse_and_format)
{
	bahi_date d = D(1, 1, 1);
	char buf[11];

	ck_assert_int_eq(bahi_date_parse("2026-02-15", &d), 0);
	ck_assert_date(d, 2026, 2, 15);
	ck_assert_int_eq(bahi_date_parse("2024-02-29", &d), 0);
	ck_assert_date(d, 2024, 2, 29);
	ck_assert_int_eq(bahi_date_parse("0001-01-01", &d), 0);
	ck_assert_date(d, 1, 1, 1);
	ck_assert_int_eq(bahi_date_parse("9999-12-31", &d), 0);
	ck_assert_date(d, 9999, 12, 31);
	bahi_date_format(D(2026, 3, 7), buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-03-07");
	bahi_date_format(D(5, 1, 2), buf, sizeof(buf));
	ck_assert_str_eq(buf, "0005-01-02");
}
END_TEST

START_TEST(parse_rejects)
{
	static const char *bad[] = {
		"2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
		"2026-01-00", "0000-01-01", "2026-1-01", "2026/01/01", "20260101",
		"2026-01-01T00:00:00Z", " 2026-01-01", "2026-01-01 ", "", "2026-0a-01",
		"+026-01-01", "2026-01-1",
	};
	bahi_date d = D(7, 7, 7);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(bahi_date_parse(bad[i], &d) == -1, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(bahi_date_parse(NULL, &d), -1);
	ck_assert_date(d, 7, 7, 7);
}
END_TEST

START_TEST(day_numbers)
{
	ck_assert_int_eq(bahi_date_to_days(D(1970, 1, 1)), 0);
	ck_assert_int_eq(bahi_date_to_days(D(1969, 12, 31)), -1);
	ck_assert_int_eq(bahi_date_to_days(D(2000, 3, 1)), 11017);
	ck_assert_int_eq(bahi_date_to_days(D(2026, 1, 1)), 20454);
	ck_assert_int_eq(bahi_date_to_days(D(1, 1, 1)), -719162);
	ck_assert_int_eq(bahi_date_to_days(D(9999, 12, 31)), 2932896);
	ck_assert_date(bahi_date_from_days(0), 1970, 1, 1);
	ck_assert_date(bahi_date_from_days(-1), 1969, 12, 31);
	ck_assert_date(bahi_date_from_days(11016), 2000, 2, 29);
	ck_assert_date(bahi_date_from_days(-719162), 1, 1, 1);
	ck_assert_date(bahi_date_from_days(2932896), 9999, 12, 31);
	/* Round trip over every day of years 1..9999 would be slow under ASan;
	 * step by 7 across 1899..2101 instead, covering both century rules. */
	for (int64_t n = bahi_date_to_days(D(1899, 1, 1)); n < bahi_date_to_days(D(2102, 1, 1)); n += 7) {
		bahi_date d = bahi_date_from_days(n);
		ck_assert_int_eq(bahi_date_to_days(d), n);
		ck_assert_int_ge(d.day, 1);
		ck_assert_int_le(d.day, bahi_date_days_in_month(d.year, d.month));
	}
}
END_TEST

START_TEST(add_and_diff)
{
	ck_assert_date(bahi_date_add_days(D(2024, 2, 28), 1), 2024, 2, 29);
	ck_assert_date(bahi_date_add_days(D(2026, 2, 28), 1), 2026, 3, 1);
	ck_assert_date(bahi_date_add_days(D(1900, 2, 28), 1), 1900, 3, 1);
	ck_assert_date(bahi_date_add_days(D(2000, 2, 28), 1), 2000, 2, 29);
	ck_assert_date(bahi_date_add_days(D(2026, 1, 1), -1), 2025, 12, 31);
	ck_assert_date(bahi_date_add_days(D(2026, 1, 10), 15), 2026, 1, 25);
	ck_assert_int_eq(bahi_date_diff(D(2026, 1, 25), D(2026, 1, 31)), 6);
	ck_assert_int_eq(bahi_date_diff(D(2026, 1, 31), D(2026, 1, 25)), -6);
	ck_assert_int_eq(bahi_date_diff(D(2024, 1, 1), D(2025, 1, 1)), 366);
	ck_assert_int_eq(bahi_date_diff(D(2026, 1, 1), D(2027, 1, 1)), 365);
}
END_TEST

START_TEST(days_inclusive)
{
	ck_assert_int_eq(bahi_date_days_inclusive(D(2026, 1, 25), D(2026, 1, 31)), 7);
	ck_assert_int_eq(bahi_date_days_inclusive(D(2026, 1, 25), D(2026, 1, 28)), 4);
	ck_assert_int_eq(bahi_date_days_inclusive(D(2026, 1, 25), D(2026, 1, 25)), 1);
	ck_assert_int_eq(bahi_date_days_inclusive(D(2026, 1, 26), D(2026, 1, 25)), 0);
	ck_assert_int_eq(bahi_date_days_inclusive(D(2024, 2, 1), D(2024, 2, 29)), 29);
	ck_assert_int_eq(bahi_date_days_inclusive(D(2026, 1, 1), D(2026, 12, 31)), 365);
}
END_TEST

START_TEST(months_seed_examples)
{
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 2, 15), D(2026, 3, 17)), 10484);
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 1, 1), D(2026, 3, 31)), 30000);
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 3, 5), D(2026, 3, 20)), 5161);
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 1, 1), D(2026, 2, 14)), 15000);
	/* salary check: 3000.00/month over Feb 15..Mar 17 */
	ck_assert_int_eq(300000 * bahi_date_months_e4(D(2026, 2, 15), D(2026, 3, 17)) / 10000, 314520);
}
END_TEST

START_TEST(months_more)
{
	/* whole single month, a leap February, a day */
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 3, 1), D(2026, 3, 31)), 10000);
	ck_assert_int_eq(bahi_date_months_e4(D(2024, 2, 1), D(2024, 2, 29)), 10000);
	ck_assert_int_eq(bahi_date_months_e4(D(2024, 2, 15), D(2024, 3, 17)), 10656); /* 15/29 + 17/31 */
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 1, 31), D(2026, 1, 31)), 323);  /* 1/31 */
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 4, 10), D(2026, 4, 10)), 333);  /* 1/30 */
	/* a year across a year boundary */
	ck_assert_int_eq(bahi_date_months_e4(D(2025, 7, 1), D(2026, 6, 30)), 120000);
	ck_assert_int_eq(bahi_date_months_e4(D(2025, 12, 31), D(2026, 1, 1)), 645); /* 2/31 */
	/* b before a */
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 3, 17), D(2026, 2, 15)), 0);
	ck_assert_int_eq(bahi_date_months_e4(D(2026, 3, 2), D(2026, 3, 1)), 0);
	/* full span of supported years does not overflow */
	ck_assert_int_eq(bahi_date_months_e4(D(1, 1, 1), D(9999, 12, 31)), INT64_C(1199880000));
}
END_TEST

/* 2026-01-01T00:00:00Z */
#define T2026 ((time_t)1767225600)

START_TEST(local_dates)
{
	bahi_date d;

	/* Asia/Karachi, UTC+5: local midnight is 19:00Z the day before */
	ck_assert_int_eq(bahi_date_local("Asia/Karachi", T2026 + 19 * 3600 - 1, &d), 0);
	ck_assert_date(d, 2026, 1, 1);
	ck_assert_int_eq(bahi_date_local("Asia/Karachi", T2026 + 19 * 3600, &d), 0);
	ck_assert_date(d, 2026, 1, 2);
	ck_assert_int_eq(bahi_date_local("Asia/Karachi", T2026 - 5 * 3600 - 1, &d), 0);
	ck_assert_date(d, 2025, 12, 31);
	/* Pacific/Kiritimati, UTC+14 */
	ck_assert_int_eq(bahi_date_local("Pacific/Kiritimati", T2026 + 10 * 3600 - 1, &d), 0);
	ck_assert_date(d, 2026, 1, 1);
	ck_assert_int_eq(bahi_date_local("Pacific/Kiritimati", T2026 + 10 * 3600, &d), 0);
	ck_assert_date(d, 2026, 1, 2);
	/* Pacific/Pago_Pago, UTC-11 */
	ck_assert_int_eq(bahi_date_local("Pacific/Pago_Pago", T2026, &d), 0);
	ck_assert_date(d, 2025, 12, 31);
	ck_assert_int_eq(bahi_date_local("Pacific/Pago_Pago", T2026 + 11 * 3600 - 1, &d), 0);
	ck_assert_date(d, 2025, 12, 31);
	ck_assert_int_eq(bahi_date_local("Pacific/Pago_Pago", T2026 + 11 * 3600, &d), 0);
	ck_assert_date(d, 2026, 1, 1);
	ck_assert_int_eq(bahi_date_local("UTC", T2026, &d), 0);
	ck_assert_date(d, 2026, 1, 1);
	ck_assert_int_eq(bahi_date_local("UTC", T2026 - 1, &d), 0);
	ck_assert_date(d, 2025, 12, 31);
}
END_TEST

START_TEST(local_unknown_zones)
{
	static const char *bad[] = {
		"Mars/Olympus", "", "../etc/passwd", "Asia/../UTC", "/etc/localtime",
		"/usr/share/zoneinfo/UTC", "Asia", "zone.tab", "EST5EDT,M3.2.0,M11.1.0",
		"UTC ", "Asia/Karachi\n",
	};
	bahi_date d = D(3, 3, 3);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(bahi_date_local(bad[i], T2026, &d) == -1, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(bahi_date_local(NULL, T2026, &d), -1);
	ck_assert_date(d, 3, 3, 3);
}
END_TEST

START_TEST(local_restores_tz)
{
	bahi_date d;

	ck_assert_int_eq(setenv("TZ", "Europe/Paris", 1), 0);
	ck_assert_int_eq(bahi_date_local("Asia/Karachi", T2026, &d), 0);
	ck_assert_str_eq(getenv("TZ"), "Europe/Paris");
	ck_assert_int_eq(unsetenv("TZ"), 0);
	ck_assert_int_eq(bahi_date_local("Asia/Karachi", T2026, &d), 0);
	ck_assert_ptr_null(getenv("TZ"));
	ck_assert_int_eq(bahi_date_local("Mars/Olympus", T2026, &d), -1);
	ck_assert_ptr_null(getenv("TZ"));
}
END_TEST

START_TEST(rfc3339)
{
	char buf[32], small[8];

	bahi_time_rfc3339((time_t)1795249800, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-11-21T08:30:00Z");
	bahi_time_rfc3339((time_t)0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	bahi_time_rfc3339(T2026 - 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2025-12-31T23:59:59Z");
	bahi_time_rfc3339(T2026, small, sizeof(small));
	ck_assert_str_eq(small, "");
}
END_TEST

static Suite *
date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, leap_years);
	tcase_add_test(tc, parse_and_format);
	tcase_add_test(tc, parse_rejects);
	tcase_add_test(tc, day_numbers);
	tcase_add_test(tc, add_and_diff);
	tcase_add_test(tc, days_inclusive);
	tcase_add_test(tc, months_seed_examples);
	tcase_add_test(tc, months_more);
	tcase_add_test(tc, local_dates);
	tcase_add_test(tc, local_unknown_zones);
	tcase_add_test(tc, local_restores_tz);
	tcase_add_test(tc, rfc3339);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return bahi_check_run(date_suite());
}
