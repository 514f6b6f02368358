/* check_num: unit tests for bahi_num (bounded integer parsing, quantity parse/convert/format). */
#include "bahi_num.h"
#include "bahi_pool.h"

#include <check.h>

#include "../check_run.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

START_TEST(num_parse_good)
{
	int64_t out = 0;
	const char *err = "unset";

	ck_assert_int_eq(bahi_num_parse("42", 0, 100, &out, &err), 0);
	ck_assert_int_eq(out, 42);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(bahi_num_parse("-7", -10, 10, &out, NULL), 0);
	ck_assert_int_eq(out, -7);
	ck_assert_int_eq(bahi_num_parse("0", 0, 0, &out, NULL), 0);
	ck_assert_int_eq(out, 0);
	ck_assert_int_eq(bahi_num_parse("-0", 0, 5, &out, NULL), 0);
	ck_assert_int_eq(out, 0);
	ck_assert_int_eq(bahi_num_parse("007", 0, 10, &out, NULL), 0);
	ck_assert_int_eq(out, 7);
	ck_assert_int_eq(bahi_num_parse("9223372036854775807", INT64_MIN, INT64_MAX, &out, NULL), 0);
	ck_assert_int_eq(out, INT64_MAX);
	ck_assert_int_eq(bahi_num_parse("-9223372036854775808", INT64_MIN, INT64_MAX, &out, NULL), 0);
	ck_assert_int_eq(out, INT64_MIN);
}
END_TEST

START_TEST(num_parse_invalid)
{
	static const char *bad[] = {
		"", " 1", "1 ", "+1", "1e3", "0x10", "-", "--1", "1.0", "1,000",
		"abc", "12a", "\t1", "1\n", "99999999999999999999x",
	};
	int64_t out = 5;
	const char *err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		ck_assert_msg(bahi_num_parse(bad[i], INT64_MIN, INT64_MAX, &out, &err) == -1,
		    "accepted \"%s\"", bad[i]);
		ck_assert_str_eq(err, "invalid");
	}
	ck_assert_int_eq(bahi_num_parse(NULL, 0, 1, &out, &err), -1);
	ck_assert_str_eq(err, "invalid");
	ck_assert_int_eq(bahi_num_parse("1", 5, 4, &out, &err), -1);
	ck_assert_str_eq(err, "invalid");
	ck_assert_int_eq(bahi_num_parse("x", 0, 1, &out, NULL), -1);
	ck_assert_int_eq(out, 5);
}
END_TEST

START_TEST(num_parse_range)
{
	int64_t out = 5;
	const char *err = NULL;

	ck_assert_int_eq(bahi_num_parse("101", 0, 100, &out, &err), -1);
	ck_assert_str_eq(err, "too large");
	ck_assert_int_eq(bahi_num_parse("-1", 0, 100, &out, &err), -1);
	ck_assert_str_eq(err, "too small");
	ck_assert_int_eq(bahi_num_parse("9223372036854775808", INT64_MIN, INT64_MAX, &out, &err), -1);
	ck_assert_str_eq(err, "too large");
	ck_assert_int_eq(bahi_num_parse("-9223372036854775809", INT64_MIN, INT64_MAX, &out, &err), -1);
	ck_assert_str_eq(err, "too small");
	ck_assert_int_eq(bahi_num_parse("18446744073709551616", INT64_MIN, INT64_MAX, &out, &err), -1);
	ck_assert_str_eq(err, "too large");
	ck_assert_int_eq(bahi_num_parse("99999999999999999999999999", INT64_MIN, INT64_MAX, &out, &err), -1);
	ck_assert_str_eq(err, "too large");
	ck_assert_int_eq(out, 5);
}
END_TEST

START_TEST(qty_parse_good)
{
	int64_t out = -1;

	ck_assert_int_eq(bahi_qty_parse("2", &out), 0);
	ck_assert_int_eq(out, 2000);
	ck_assert_int_eq(bahi_qty_parse("2.5", &out), 0);
	ck_assert_int_eq(out, 2500);
	ck_assert_int_eq(bahi_qty_parse("0.125", &out), 0);
	ck_assert_int_eq(out, 125);
	ck_assert_int_eq(bahi_qty_parse("0", &out), 0);
	ck_assert_int_eq(out, 0);
	ck_assert_int_eq(bahi_qty_parse("0.001", &out), 0);
	ck_assert_int_eq(out, 1);
	ck_assert_int_eq(bahi_qty_parse("10.50", &out), 0);
	ck_assert_int_eq(out, 10500);
	ck_assert_int_eq(bahi_qty_parse("99999999999.999", &out), 0);
	ck_assert_int_eq(out, BAHI_QTY_MAX);
}
END_TEST

START_TEST(qty_parse_bad)
{
	static const char *bad[] = {
		"2.1234", "-1", "1.", ".5", "abc", "", "+1", " 1", "1 ", "1e3",
		"1,5", "100000000000", "99999999999.9999", "1.2.3", "0x1",
	};
	int64_t out = 77;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(bahi_qty_parse(bad[i], &out) == -1, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(bahi_qty_parse(NULL, &out), -1);
	ck_assert_int_eq(out, 77);
}
END_TEST

START_TEST(qty_from_double_good)
{
	int64_t out = -1;

	ck_assert_int_eq(bahi_qty_from_double(2.5, &out), 0);
	ck_assert_int_eq(out, 2500);
	ck_assert_int_eq(bahi_qty_from_double(0.1, &out), 0);
	ck_assert_int_eq(out, 100);
	ck_assert_int_eq(bahi_qty_from_double(0.3, &out), 0);
	ck_assert_int_eq(out, 300);
	ck_assert_int_eq(bahi_qty_from_double(1.005, &out), 0);
	ck_assert_int_eq(out, 1005);
	ck_assert_int_eq(bahi_qty_from_double(0.125, &out), 0);
	ck_assert_int_eq(out, 125);
	ck_assert_int_eq(bahi_qty_from_double(0.0, &out), 0);
	ck_assert_int_eq(out, 0);
	ck_assert_int_eq(bahi_qty_from_double(7.0, &out), 0);
	ck_assert_int_eq(out, 7000);
	ck_assert_int_eq(bahi_qty_from_double(99999999999.999, &out), 0);
	ck_assert_int_eq(out, BAHI_QTY_MAX);
	ck_assert_int_eq(bahi_qty_from_double(12345678901.234, &out), 0);
	ck_assert_int_eq(out, INT64_C(12345678901234));
	/* every 3-decimal value in 0..20 as a JSON parser would produce it */
	for (int64_t k = 0; k <= 20000; k++) {
		ck_assert_int_eq(bahi_qty_from_double((double)k / 1000.0, &out), 0);
		ck_assert_int_eq(out, k);
	}
}
END_TEST

START_TEST(qty_from_double_bad)
{
	int64_t out = 33;

	ck_assert_int_eq(bahi_qty_from_double(0.0005, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(2.1234, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(1e-7, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(1e-10, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(NAN, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(INFINITY, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(-INFINITY, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(-1.0, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(-0.001, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(100000000000.0, &out), -1);
	ck_assert_int_eq(bahi_qty_from_double(1e300, &out), -1);
	ck_assert_int_eq(out, 33);
}
END_TEST

START_TEST(qty_format)
{
	char buf[32], small[4];

	bahi_qty_format(2000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2");
	bahi_qty_format(2500, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2.5");
	bahi_qty_format(125, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.125");
	bahi_qty_format(10050, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.05");
	bahi_qty_format(1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.001");
	bahi_qty_format(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0");
	bahi_qty_format(-1500, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-1.5");
	bahi_qty_format(BAHI_QTY_MAX, buf, sizeof(buf));
	ck_assert_str_eq(buf, "99999999999.999");
	bahi_qty_format(12345, small, sizeof(small));
	ck_assert_str_eq(small, "12.");
}
END_TEST

/* The text helpers for statement parameters and numeric columns. */
START_TEST(qty_text_round_trip)
{
	bahi_pool *pool = bahi_pool_create();
	ck_assert_str_eq(bahi_num_i64(pool, INT64_C(-1000000000000000)), "-1000000000000000");
	ck_assert_str_eq(bahi_num_i64(pool, 0), "0");
	ck_assert_str_eq(bahi_num_qty(pool, -2500), "-2.5");
	ck_assert_str_eq(bahi_num_qty(pool, 1), "0.001");
	ck_assert_str_eq(bahi_num_qty(pool, 4000), "4");
	ck_assert_int_eq(bahi_num_qty_of("-2.500"), -2500);
	ck_assert_int_eq(bahi_num_qty_of("4"), 4000);
	ck_assert_int_eq(bahi_num_qty_of("0.001"), 1);
	ck_assert_int_eq(bahi_num_qty_of("99999999999.999"), INT64_C(99999999999999));
	ck_assert_int_eq(bahi_num_qty_of("1.2345"), 0);
	ck_assert_int_eq(bahi_num_qty_of("abc"), 0);
	bahi_pool_destroy(pool);
}
END_TEST

static Suite *
num_suite(void)
{
	Suite *s = suite_create("num");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, num_parse_good);
	tcase_add_test(tc, num_parse_invalid);
	tcase_add_test(tc, num_parse_range);
	tcase_add_test(tc, qty_parse_good);
	tcase_add_test(tc, qty_parse_bad);
	tcase_add_test(tc, qty_from_double_good);
	tcase_add_test(tc, qty_from_double_bad);
	tcase_add_test(tc, qty_format);
	tcase_add_test(tc, qty_text_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return bahi_check_run(num_suite());
}
