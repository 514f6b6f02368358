/* check_uuid: unit tests for bahi_uuid (v7 layout and ordering, validation, normalisation). */
#include "bahi_random.h"
#include "bahi_uuid.h"

#include <check.h>

#include "../check_run.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Value of hex digit c (the generator only emits lower case). */
static int
hexval(char c)
{
	return c >= 'a' ? c - 'a' + 10 : c - '0';
}

/* The 48-bit timestamp of a v7 id: its first 12 hex digits. */
static uint64_t
v7_ms(const char *id)
{
	uint64_t ms = 0;
	for (int i = 0; i < 13; i++)
		if (id[i] != '-')
			ms = ms * 16 + (uint64_t)hexval(id[i]);
	return ms;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Sleeps until the wall clock has moved to a later millisecond. */
static void
next_ms(void)
{
	uint64_t start = now_ms();
	struct timespec nap = { 0, 200000 };
	while (now_ms() == start)
		nanosleep(&nap, NULL);
}

START_TEST(v7_format_and_bits)
{
	char id[BAHI_UUID_LEN + 1];

	for (int n = 0; n < 200; n++) {
		memset(id, 'x', sizeof(id));
		bahi_uuid_v7(id);
		ck_assert_uint_eq(strlen(id), 36);
		ck_assert_int_eq(bahi_uuid_valid(id), 1);
		for (int i = 0; i < 36; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23)
				ck_assert_int_eq(id[i], '-');
			else
				ck_assert_msg((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'),
				    "not lower-case hex: %s", id);
		}
		ck_assert_int_eq(id[14], '7');
		ck_assert_int_eq(hexval(id[19]) >> 2, 2);   /* variant 10xx */
	}
}
END_TEST

START_TEST(v7_timestamp)
{
	char id[BAHI_UUID_LEN + 1];
	uint64_t before = now_ms();

	bahi_uuid_v7(id);
	uint64_t after = now_ms();
	ck_assert_uint_ge(v7_ms(id), before);
	ck_assert_uint_le(v7_ms(id), after);
}
END_TEST

START_TEST(v7_unique_and_ordered)
{
	char a[BAHI_UUID_LEN + 1], b[BAHI_UUID_LEN + 1], c[BAHI_UUID_LEN + 1];

	bahi_uuid_v7(a);
	bahi_uuid_v7(b);
	ck_assert_str_ne(a, b);
	next_ms();
	bahi_uuid_v7(c);
	ck_assert_uint_gt(v7_ms(c), v7_ms(a));
	ck_assert_int_lt(strcmp(a, c), 0);
	ck_assert_int_lt(strcmp(b, c), 0);
	for (int i = 0; i < 5; i++) {
		memcpy(a, c, sizeof(a));
		next_ms();
		bahi_uuid_v7(c);
		ck_assert_int_lt(strcmp(a, c), 0);
	}
}
END_TEST

START_TEST(valid)
{
	ck_assert_int_eq(bahi_uuid_valid("0192f3a4-5b6c-7d8e-9f01-23456789abcd"), 1);
	ck_assert_int_eq(bahi_uuid_valid("0192F3A4-5B6C-7D8E-9F01-23456789ABCD"), 1);
	ck_assert_int_eq(bahi_uuid_valid("00000000-0000-0000-0000-000000000000"), 1);
	ck_assert_int_eq(bahi_uuid_valid("0192f3a4-5b6c-7d8e-9f01-23456789abc"), 0);
	ck_assert_int_eq(bahi_uuid_valid("0192f3a4-5b6c-7d8e-9f01-23456789abcde"), 0);
	ck_assert_int_eq(bahi_uuid_valid("0192f3a45b6c7d8e9f0123456789abcd"), 0);
	ck_assert_int_eq(bahi_uuid_valid("{0192f3a4-5b6c-7d8e-9f01-23456789abcd}"), 0);
	ck_assert_int_eq(bahi_uuid_valid("0192f3a4-5b6c-7d8e-9f01_23456789abcd"), 0);
	ck_assert_int_eq(bahi_uuid_valid("0192f3g4-5b6c-7d8e-9f01-23456789abcd"), 0);
	ck_assert_int_eq(bahi_uuid_valid(" 192f3a4-5b6c-7d8e-9f01-23456789abcd"), 0);
	ck_assert_int_eq(bahi_uuid_valid("0192f3a4-5b6c-7d8e-9f01-23456789abc\n"), 0);
	ck_assert_int_eq(bahi_uuid_valid(""), 0);
	ck_assert_int_eq(bahi_uuid_valid(NULL), 0);
}
END_TEST

START_TEST(normalise)
{
	char out[BAHI_UUID_LEN + 1] = "unchanged";

	ck_assert_int_eq(bahi_uuid_normalise("0192F3A4-5B6C-7D8E-9F01-23456789ABCD", out), 0);
	ck_assert_str_eq(out, "0192f3a4-5b6c-7d8e-9f01-23456789abcd");
	ck_assert_int_eq(bahi_uuid_normalise("0192f3a4-5b6c-7d8e-9f01-23456789abcd", out), 0);
	ck_assert_str_eq(out, "0192f3a4-5b6c-7d8e-9f01-23456789abcd");
	memcpy(out, "unchanged", 10);
	ck_assert_int_eq(bahi_uuid_normalise("not-a-uuid", out), -1);
	ck_assert_int_eq(bahi_uuid_normalise(NULL, out), -1);
	ck_assert_str_eq(out, "unchanged");
}
END_TEST

static Suite *
uuid_suite(void)
{
	Suite *s = suite_create("uuid");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, v7_format_and_bits);
	tcase_add_test(tc, v7_timestamp);
	tcase_add_test(tc, v7_unique_and_ordered);
	tcase_add_test(tc, valid);
	tcase_add_test(tc, normalise);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (bahi_random_init() != 0)
		return EXIT_FAILURE;
	return bahi_check_run(uuid_suite());
}
