/* check_money: unit tests for bahi_money (rounding, rates, ratios, parsing, formatting and digit grouping, currencies). */
#include "bahi_money.h"

#include <check.h>

#include "../check_run.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

START_TEST(round_div_half_away_from_zero)
{
	ck_assert_int_eq(bahi_round_div(125, 10), 13);
	ck_assert_int_eq(bahi_round_div(-125, 10), -13);
	ck_assert_int_eq(bahi_round_div(125, -10), -13);
	ck_assert_int_eq(bahi_round_div(-125, -10), 13);
	ck_assert_int_eq(bahi_round_div(124, 10), 12);
	ck_assert_int_eq(bahi_round_div(-124, 10), -12);
	ck_assert_int_eq(bahi_round_div(126, 10), 13);
	ck_assert_int_eq(bahi_round_div(1, 3), 0);
	ck_assert_int_eq(bahi_round_div(2, 3), 1);
	ck_assert_int_eq(bahi_round_div(-2, 3), -1);
	ck_assert_int_eq(bahi_round_div(0, 7), 0);
	ck_assert_int_eq(bahi_round_div(50000, 7), 7143);
}
END_TEST

START_TEST(round_div_extremes)
{
	ck_assert_int_eq(bahi_round_div(INT64_MAX, 1), INT64_MAX);
	ck_assert_int_eq(bahi_round_div(INT64_MIN, 1), INT64_MIN);
	ck_assert_int_eq(bahi_round_div(INT64_MAX, 2), INT64_C(4611686018427387904));
	ck_assert_int_eq(bahi_round_div(INT64_MIN, 2), INT64_C(-4611686018427387904));
	ck_assert_int_eq(bahi_round_div(INT64_MIN, INT64_MAX), -1);
	ck_assert_int_eq(bahi_round_div(INT64_MAX, INT64_MIN), -1);
	ck_assert_int_eq(bahi_round_div(INT64_MIN, -1), INT64_MAX);
	ck_assert_int_eq(bahi_round_div(INT64_MAX, INT64_MAX), 1);
	ck_assert_int_eq(bahi_round_div(5, 0), 0);
}
END_TEST

START_TEST(apply_bp_invoice_example)
{
	int64_t subtotal = 2 * 10000, discount, tax, after, total;

	ck_assert_int_eq(bahi_money_apply_bp(subtotal, 1000, &discount), 0);
	ck_assert_int_eq(discount, 2000);
	ck_assert_int_eq(bahi_money_sub(subtotal, discount, &after), 0);
	ck_assert_int_eq(after, 18000);
	ck_assert_int_eq(bahi_money_apply_bp(after, 1900, &tax), 0);
	ck_assert_int_eq(tax, 3420);
	ck_assert_int_eq(bahi_money_add(after, tax, &total), 0);
	ck_assert_int_eq(bahi_money_add(total, 500, &total), 0);
	ck_assert_int_eq(total, 21920);
}
END_TEST

START_TEST(apply_bp_rounding)
{
	int64_t out;

	/* 0.5 and -0.5 minor units round away from zero. */
	ck_assert_int_eq(bahi_money_apply_bp(50, 100, &out), 0);
	ck_assert_int_eq(out, 1);
	ck_assert_int_eq(bahi_money_apply_bp(-50, 100, &out), 0);
	ck_assert_int_eq(out, -1);
	ck_assert_int_eq(bahi_money_apply_bp(49, 100, &out), 0);
	ck_assert_int_eq(out, 0);
	ck_assert_int_eq(bahi_money_apply_bp(1999, 1900, &out), 0);
	ck_assert_int_eq(out, 380);   /* 379.81 */
	ck_assert_int_eq(bahi_money_apply_bp(BAHI_MONEY_MAX, 10000, &out), 0);
	ck_assert_int_eq(out, BAHI_MONEY_MAX);
	out = 42;
	ck_assert_int_eq(bahi_money_apply_bp(BAHI_MONEY_MAX, 10001, &out), -1);
	ck_assert_int_eq(bahi_money_apply_bp(INT64_MAX, INT64_MAX, &out), -1);
	ck_assert_int_eq(out, 42);
}
END_TEST

START_TEST(mul_ratio_proration)
{
	int64_t out;

	/* weekly 100.00 x 10 days / 7 = 142.857 -> 142.86 */
	ck_assert_int_eq(bahi_money_mul_ratio(10000, 10, 7, &out), 0);
	ck_assert_int_eq(out, 14286);
	/* yearly 12000.00 x 100 / 365 = 3287.67 */
	ck_assert_int_eq(bahi_money_mul_ratio(1200000, 100, 365, &out), 0);
	ck_assert_int_eq(out, 328767);
	/* weekly 1000.00 x 21 / 7 = 3000.00 */
	ck_assert_int_eq(bahi_money_mul_ratio(100000, 21, 7, &out), 0);
	ck_assert_int_eq(out, 300000);
	/* monthly salary 3000.00 x 1.0484 months */
	ck_assert_int_eq(bahi_money_mul_ratio(300000, 10484, 10000, &out), 0);
	ck_assert_int_eq(out, 314520);
	/* quarterly 3000.00 x 2 / 3 months */
	ck_assert_int_eq(bahi_money_mul_ratio(300000, 2, 3, &out), 0);
	ck_assert_int_eq(out, 200000);
	ck_assert_int_eq(bahi_money_mul_ratio(-10000, 10, 7, &out), 0);
	ck_assert_int_eq(out, -14286);
	/* large intermediates do not overflow: 10^15 * 10^15 / 10^15 */
	ck_assert_int_eq(bahi_money_mul_ratio(BAHI_MONEY_MAX, BAHI_MONEY_MAX, BAHI_MONEY_MAX, &out), 0);
	ck_assert_int_eq(out, BAHI_MONEY_MAX);
	ck_assert_int_eq(bahi_money_mul_ratio(INT64_MAX, INT64_MAX, INT64_MAX, &out), -1);
	ck_assert_int_eq(bahi_money_mul_ratio(100, 1, 0, &out), -1);
	ck_assert_int_eq(bahi_money_mul_ratio(100, 1, -1, &out), -1);
}
END_TEST

START_TEST(add_sub_limits)
{
	int64_t out = 7;

	ck_assert_int_eq(bahi_money_add(BAHI_MONEY_MAX - 1, 1, &out), 0);
	ck_assert_int_eq(out, BAHI_MONEY_MAX);
	ck_assert_int_eq(bahi_money_add(BAHI_MONEY_MAX, 1, &out), -1);
	ck_assert_int_eq(bahi_money_add(INT64_MAX, INT64_MAX, &out), -1);
	ck_assert_int_eq(bahi_money_sub(-BAHI_MONEY_MAX, 1, &out), -1);
	ck_assert_int_eq(bahi_money_sub(INT64_MIN, INT64_MAX, &out), -1);
	ck_assert_int_eq(out, BAHI_MONEY_MAX);
	ck_assert_int_eq(bahi_money_sub(500, 800, &out), 0);
	ck_assert_int_eq(out, -300);
	ck_assert_int_eq(bahi_money_add(-500, 800, &out), 0);
	ck_assert_int_eq(out, 300);
}
END_TEST

START_TEST(parse_good)
{
	int64_t out;

	ck_assert_int_eq(bahi_money_parse("219.20", 2, &out), 0);
	ck_assert_int_eq(out, 21920);
	ck_assert_int_eq(bahi_money_parse("5", 2, &out), 0);
	ck_assert_int_eq(out, 500);
	ck_assert_int_eq(bahi_money_parse("-5.5", 2, &out), 0);
	ck_assert_int_eq(out, -550);
	ck_assert_int_eq(bahi_money_parse("0.05", 2, &out), 0);
	ck_assert_int_eq(out, 5);
	ck_assert_int_eq(bahi_money_parse("-0", 2, &out), 0);
	ck_assert_int_eq(out, 0);
	ck_assert_int_eq(bahi_money_parse("1234", 0, &out), 0);
	ck_assert_int_eq(out, 1234);
	ck_assert_int_eq(bahi_money_parse("1.234", 3, &out), 0);
	ck_assert_int_eq(out, 1234);
	ck_assert_int_eq(bahi_money_parse("10000000000000.00", 2, &out), 0);
	ck_assert_int_eq(out, BAHI_MONEY_MAX);
	ck_assert_int_eq(bahi_money_parse("-10000000000000", 2, &out), 0);
	ck_assert_int_eq(out, -BAHI_MONEY_MAX);
}
END_TEST

START_TEST(parse_bad)
{
	static const char *bad[] = {
		"1,234.56", "1.234", "", "abc", "1e5", "-", ".5", "5.", "+5", " 5",
		"5 ", "1.2.3", "--5", "0x10", "10000000000000.01", "-10000000000000.01",
		"99999999999999999999999", "5.5a",
	};
	int64_t out = 99;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(bahi_money_parse(bad[i], 2, &out) == -1, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(bahi_money_parse("5.0", 0, &out), -1);
	ck_assert_int_eq(bahi_money_parse(NULL, 2, &out), -1);
	ck_assert_int_eq(bahi_money_parse("5", -1, &out), -1);
	ck_assert_int_eq(bahi_money_parse("5", 19, &out), -1);
	ck_assert_int_eq(out, 99);
}
END_TEST

START_TEST(format_examples)
{
	char buf[64];

	ck_assert_int_eq(bahi_money_format(123456, 2, "Rs", ',', buf, sizeof(buf)), 11);
	ck_assert_str_eq(buf, "Rs 1,234.56");
	ck_assert_int_eq(bahi_money_format(-500, 2, "$", ',', buf, sizeof(buf)), 6);
	ck_assert_str_eq(buf, "-$5.00");
	ck_assert_int_eq(bahi_money_format(5, 2, NULL, 0, buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "0.05");
	ck_assert_int_eq(bahi_money_format(1234567, 0, NULL, ',', buf, sizeof(buf)), 9);
	ck_assert_str_eq(buf, "1,234,567");
	bahi_money_format(100, 2, "PKR", ',', buf, sizeof(buf));
	ck_assert_str_eq(buf, "PKR 1.00");
	bahi_money_format(100, 2, "Rs.", ',', buf, sizeof(buf));
	ck_assert_str_eq(buf, "Rs. 1.00");
	bahi_money_format(-123456789, 2, "Rs", ',', buf, sizeof(buf));
	ck_assert_str_eq(buf, "-Rs 1,234,567.89");
	bahi_money_format(123456789, 3, NULL, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "123456.789");
	bahi_money_format(0, 2, "$", ',', buf, sizeof(buf));
	ck_assert_str_eq(buf, "$0.00");
	bahi_money_format(100000, 2, NULL, ',', buf, sizeof(buf));
	ck_assert_str_eq(buf, "1,000.00");
	bahi_money_format(99999, 2, NULL, ',', buf, sizeof(buf));
	ck_assert_str_eq(buf, "999.99");
	bahi_money_format(-1, 2, "", 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-0.01");
}
END_TEST

START_TEST(format_extremes_and_truncation)
{
	char buf[64], small[6];

	bahi_money_format(INT64_MIN, 2, NULL, ',', buf, sizeof(buf));
	ck_assert_str_eq(buf, "-92,233,720,368,547,758.08");
	bahi_money_format(INT64_MAX, 0, NULL, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "9223372036854775807");
	ck_assert_int_eq(bahi_money_format(123456, 2, "Rs", ',', small, sizeof(small)), 11);
	ck_assert_str_eq(small, "Rs 1,");
	ck_assert_int_eq(bahi_money_format(1, 19, NULL, 0, buf, sizeof(buf)), -1);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(format_grouped_styles)
{
	char buf[64];

	ck_assert_int_eq(bahi_money_format_grouped(123456, 2, "Rs", BAHI_GROUP_THOUSANDS, buf, sizeof(buf)), 11);
	ck_assert_str_eq(buf, "Rs 1,234.56");
	ck_assert_int_eq(bahi_money_format_grouped(123456, 2, "Rs", BAHI_GROUP_LAKH, buf, sizeof(buf)), 11);
	ck_assert_str_eq(buf, "Rs 1,234.56");
	ck_assert_int_eq(bahi_money_format_grouped(123456789, 2, "Rs", BAHI_GROUP_LAKH, buf, sizeof(buf)), 15);
	ck_assert_str_eq(buf, "Rs 12,34,567.89");
	bahi_money_format_grouped(123456789, 2, "Rs", BAHI_GROUP_THOUSANDS, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Rs 1,234,567.89");
	ck_assert_int_eq(bahi_money_format_grouped(123456789, 2, "Rs", BAHI_GROUP_NONE, buf, sizeof(buf)), 13);
	ck_assert_str_eq(buf, "Rs 1234567.89");
	bahi_money_format_grouped(-123456789, 2, "Rs", BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-Rs 12,34,567.89");
	bahi_money_format_grouped(-500, 2, "$", BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-$5.00");
	bahi_money_format_grouped(0, 2, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.00");
	/* the lakh boundaries: 99,999 / 1,00,000 / 99,99,999 / 1,00,00,000 */
	bahi_money_format_grouped(99999, 0, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "99,999");
	bahi_money_format_grouped(100000, 0, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1,00,000");
	bahi_money_format_grouped(9999999, 0, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "99,99,999");
	bahi_money_format_grouped(100000000, 0, "PKR", BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "PKR 10,00,00,000");
	bahi_money_format_grouped(999, 0, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "999");
	bahi_money_format_grouped(1000, 0, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1,000");
	/* 0 and 3 decimals (JPY, KWD) */
	bahi_money_format_grouped(1234567, 0, "Rs", BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Rs 12,34,567");
	bahi_money_format_grouped(1234567, 0, NULL, BAHI_GROUP_THOUSANDS, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1,234,567");
	bahi_money_format_grouped(1234567, 0, NULL, BAHI_GROUP_NONE, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1234567");
	bahi_money_format_grouped(1234567891, 3, "KD", BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "KD 12,34,567.891");
	bahi_money_format_grouped(1234567891, 3, "KD", BAHI_GROUP_THOUSANDS, buf, sizeof(buf));
	ck_assert_str_eq(buf, "KD 1,234,567.891");
	bahi_money_format_grouped(-1, 3, NULL, BAHI_GROUP_THOUSANDS, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-0.001");
}
END_TEST

START_TEST(format_grouped_extremes)
{
	char buf[64], small[8];

	ck_assert_int_eq(bahi_money_format_grouped(INT64_MIN, 2, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf)), 28);
	ck_assert_str_eq(buf, "-92,23,37,20,36,85,47,758.08");
	bahi_money_format_grouped(INT64_MIN, 2, "Rs", BAHI_GROUP_THOUSANDS, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-Rs 92,233,720,368,547,758.08");
	bahi_money_format_grouped(INT64_MIN, 0, NULL, BAHI_GROUP_NONE, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-9223372036854775808");
	bahi_money_format_grouped(INT64_MIN, 0, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-92,23,37,20,36,85,47,75,808");
	bahi_money_format_grouped(INT64_MAX, 18, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf));
	ck_assert_str_eq(buf, "9.223372036854775807");
	ck_assert_int_eq(bahi_money_format_grouped(123456789, 2, "Rs", BAHI_GROUP_LAKH, small, sizeof(small)), 15);
	ck_assert_str_eq(small, "Rs 12,3");
	ck_assert_int_eq(bahi_money_format_grouped(1, 19, NULL, BAHI_GROUP_LAKH, buf, sizeof(buf)), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(bahi_money_format_grouped(1, -1, NULL, BAHI_GROUP_NONE, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(grouping_parse)
{
	bahi_grouping g = BAHI_GROUP_NONE;

	ck_assert_int_eq(bahi_grouping_parse("thousands", &g), 0);
	ck_assert_int_eq(g, BAHI_GROUP_THOUSANDS);
	ck_assert_int_eq(bahi_grouping_parse("lakh", &g), 0);
	ck_assert_int_eq(g, BAHI_GROUP_LAKH);
	ck_assert_int_eq(bahi_grouping_parse("none", &g), 0);
	ck_assert_int_eq(g, BAHI_GROUP_NONE);
	ck_assert_int_eq(bahi_grouping_parse("Lakh", &g), -1);
	ck_assert_int_eq(bahi_grouping_parse("lakhs", &g), -1);
	ck_assert_int_eq(bahi_grouping_parse("", &g), -1);
	ck_assert_int_eq(bahi_grouping_parse("bogus", &g), -1);
	ck_assert_int_eq(bahi_grouping_parse(NULL, &g), -1);
	ck_assert_int_eq(g, BAHI_GROUP_NONE);
	ck_assert_str_eq(bahi_grouping_names[BAHI_GROUP_THOUSANDS], "thousands");
	ck_assert_str_eq(bahi_grouping_names[BAHI_GROUP_LAKH], "lakh");
	ck_assert_str_eq(bahi_grouping_names[BAHI_GROUP_NONE], "none");
	ck_assert_ptr_null(bahi_grouping_names[BAHI_GROUP_NONE + 1]);
}
END_TEST

START_TEST(currency_decimals)
{
	ck_assert_int_eq(bahi_currency_decimals("PKR"), 2);
	ck_assert_int_eq(bahi_currency_decimals("USD"), 2);
	ck_assert_int_eq(bahi_currency_decimals("EUR"), 2);
	ck_assert_int_eq(bahi_currency_decimals("JPY"), 0);
	ck_assert_int_eq(bahi_currency_decimals("KRW"), 0);
	ck_assert_int_eq(bahi_currency_decimals("KWD"), 3);
	ck_assert_int_eq(bahi_currency_decimals("BHD"), 3);
	ck_assert_int_eq(bahi_currency_decimals("OMR"), 3);
	ck_assert_int_eq(bahi_currency_decimals("XYZ"), 2);
	ck_assert_int_eq(bahi_currency_decimals(""), 2);
	ck_assert_int_eq(bahi_currency_decimals(NULL), 2);
}
END_TEST

static Suite *
money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, round_div_half_away_from_zero);
	tcase_add_test(tc, round_div_extremes);
	tcase_add_test(tc, apply_bp_invoice_example);
	tcase_add_test(tc, apply_bp_rounding);
	tcase_add_test(tc, mul_ratio_proration);
	tcase_add_test(tc, add_sub_limits);
	tcase_add_test(tc, parse_good);
	tcase_add_test(tc, parse_bad);
	tcase_add_test(tc, format_examples);
	tcase_add_test(tc, format_extremes_and_truncation);
	tcase_add_test(tc, format_grouped_styles);
	tcase_add_test(tc, format_grouped_extremes);
	tcase_add_test(tc, grouping_parse);
	tcase_add_test(tc, currency_decimals);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return bahi_check_run(money_suite());
}
