/* check_random: unit tests for bahi_random (digits, uniform, tokens, SHA-256). */
#include "bahi_random.h"

#include <check.h>

#include "../check_run.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

START_TEST(init_twice)
{
	ck_assert_int_eq(bahi_random_init(), 0);
	ck_assert_int_eq(bahi_random_init(), 0);
}
END_TEST

START_TEST(bytes_fill)
{
	unsigned char a[32], b[32], guard[4] = { 0xAA, 0xAA, 0xAA, 0xAA };
	unsigned char buf[36];

	bahi_random_bytes(a, sizeof(a));
	bahi_random_bytes(b, sizeof(b));
	/* equal 256-bit draws would mean a broken generator */
	ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
	memset(buf, 0xAA, sizeof(buf));
	bahi_random_bytes(buf, 32);
	ck_assert_int_eq(memcmp(buf + 32, guard, 4), 0);
	bahi_random_bytes(buf, 0);
	ck_assert_int_eq(memcmp(buf + 32, guard, 4), 0);
}
END_TEST

START_TEST(uniform_bounds)
{
	int seen[6] = { 0 };

	for (int i = 0; i < 6000; i++) {
		uint32_t v = bahi_random_uniform(6);
		ck_assert_uint_lt(v, 6);
		seen[v]++;
	}
	/* each face expects 1000; below 700 is ~1e-20 likely for a fair die */
	for (int i = 0; i < 6; i++)
		ck_assert_int_gt(seen[i], 700);
	ck_assert_uint_eq(bahi_random_uniform(1), 0);
	ck_assert_uint_eq(bahi_random_uniform(0), 0);
}
END_TEST

START_TEST(digits)
{
	char out[65];
	int seen[10] = { 0 };

	for (int round = 0; round < 100; round++) {
		memset(out, 'x', sizeof(out));
		bahi_random_digits(out, 6);
		ck_assert_uint_eq(strlen(out), 6);
		for (int i = 0; i < 6; i++) {
			ck_assert_msg(out[i] >= '0' && out[i] <= '9', "not a digit: %s", out);
			seen[out[i] - '0']++;
		}
		ck_assert_int_eq(out[7], 'x');
	}
	/* 600 digits, 60 expected per value; under 20 is ~1e-12 likely */
	for (int i = 0; i < 10; i++)
		ck_assert_int_gt(seen[i], 20);
	bahi_random_digits(out, 64);
	ck_assert_uint_eq(strlen(out), 64);
	bahi_random_digits(out, 0);
	ck_assert_str_eq(out, "");
}
END_TEST

/* 1 when every byte of s is in the base64url alphabet. */
static int
is_base64url(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

START_TEST(tokens)
{
	char a[4 * 32 / 3 + 3], b[4 * 32 / 3 + 3], big[4 * 100 / 3 + 3];

	bahi_random_token(a, sizeof(a), 32);
	bahi_random_token(b, sizeof(b), 32);
	ck_assert_uint_eq(strlen(a), 43);
	ck_assert_int_eq(is_base64url(a), 1);
	ck_assert_str_ne(a, b);
	bahi_random_token(a, sizeof(a), 16);
	ck_assert_uint_eq(strlen(a), 22);
	ck_assert_int_eq(is_base64url(a), 1);
	bahi_random_token(a, sizeof(a), 3);
	ck_assert_uint_eq(strlen(a), 4);
	bahi_random_token(a, sizeof(a), 0);
	ck_assert_str_eq(a, "");
	/* more than one internal 48-byte chunk */
	bahi_random_token(big, sizeof(big), 100);
	ck_assert_uint_eq(strlen(big), 134);
	ck_assert_int_eq(is_base64url(big), 1);
	bahi_random_token(big, sizeof(big), 96);
	ck_assert_uint_eq(strlen(big), 128);
}
END_TEST

START_TEST(token_buffer_too_small)
{
	char small[10];

	bahi_random_token(small, sizeof(small), 32);
}
END_TEST

START_TEST(sha256)
{
	char out[65];

	bahi_sha256_hex("abc", 3, out);
	ck_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	bahi_sha256_hex("", 0, out);
	ck_assert_str_eq(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

static Suite *
random_suite(void)
{
	Suite *s = suite_create("random");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, init_twice);
	tcase_add_test(tc, bytes_fill);
	tcase_add_test(tc, uniform_bounds);
	tcase_add_test(tc, digits);
	tcase_add_test(tc, tokens);
	tcase_add_test_raise_signal(tc, token_buffer_too_small, SIGABRT);
	tcase_add_test(tc, sha256);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (bahi_random_init() != 0)
		return EXIT_FAILURE;
	return bahi_check_run(random_suite());
}
