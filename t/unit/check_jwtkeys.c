/* check_jwtkeys: access-token signing keys: issue and verify, rotation with the previous key, expiry, phone rules. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "bahi_jwt.h"
#include "bahi_phone.h"
#include "bahi_random.h"

#define KEY_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define NOW 1795250000L

static char *
issue(void)
{
	bahi_claims c;
	memset(&c, 0, sizeof(c));
	snprintf(c.sub, sizeof(c.sub), "%s", "01a1fd51-6d72-7086-bbbe-11ea46d00ea5");
	snprintf(c.bid, sizeof(c.bid), "%s", "01a1fd51-6d72-704a-803a-40f34d8bd0b9");
	snprintf(c.did, sizeof(c.did), "%s", "01a1fd51-6d74-7890-92d4-8b9e25ca7e9a");
	snprintf(c.role, sizeof(c.role), "%s", "clerk");
	c.ver = 3;
	return bahi_jwt_issue(&c, NOW);
}

START_TEST(round_trip_keeps_every_claim)
{
	ck_assert_int_eq(bahi_jwt_init(KEY_A, NULL), 0);
	char *t = issue();
	bahi_claims c;
	ck_assert_int_eq(bahi_jwt_verify(t, NOW + 10, &c), 0);
	ck_assert_str_eq(c.sub, "01a1fd51-6d72-7086-bbbe-11ea46d00ea5");
	ck_assert_str_eq(c.role, "clerk");
	ck_assert_int_eq(c.ver, 3);
	ck_assert_int_eq(c.exp, NOW + BAHI_JWT_TTL);
	ck_assert_int_eq(bahi_jwt_verify(t, NOW + BAHI_JWT_TTL, &c), 1);   /* expired */
	ck_assert_int_eq(bahi_jwt_verify(t, NOW - 1, &c), -1);             /* before nbf */
	free(t);
}
END_TEST

START_TEST(rotation_accepts_previous_key_only_while_configured)
{
	ck_assert_int_eq(bahi_jwt_init(KEY_A, NULL), 0);
	char *old = issue();
	bahi_claims c;
	ck_assert_int_eq(bahi_jwt_init(KEY_B, KEY_A), 0);
	ck_assert_int_eq(bahi_jwt_verify(old, NOW + 1, &c), 0);
	char *fresh = issue();
	/* same alg and typ, so the headers differ only by the new key's kid */
	size_t ho = strcspn(old, "."), hf = strcspn(fresh, ".");
	ck_assert_int_eq(ho, hf);
	ck_assert_int_ne(memcmp(old, fresh, ho), 0);
	ck_assert_int_eq(bahi_jwt_verify(fresh, NOW + 1, &c), 0);
	ck_assert_int_eq(bahi_jwt_init(KEY_B, NULL), 0);
	ck_assert_int_eq(bahi_jwt_verify(old, NOW + 1, &c), -1);
	ck_assert_int_eq(bahi_jwt_verify(fresh, NOW + 1, &c), 0);
	ck_assert_int_eq(bahi_jwt_init("short", NULL), -1);
	free(old);
	free(fresh);
}
END_TEST

START_TEST(phone_numbers_normalise_to_e164)
{
	char out[BAHI_PHONE_MAX + 1];
	ck_assert_int_eq(bahi_phone_normalise("0300 1234567", "PK", out), 0);
	ck_assert_str_eq(out, "+923001234567");
	ck_assert_int_eq(bahi_phone_normalise("+92 (300) 123-4567", "PK", out), 0);
	ck_assert_str_eq(out, "+923001234567");
	ck_assert_int_eq(bahi_phone_normalise("0092300123456", "PK", out), 0);
	ck_assert_str_eq(out, "+92300123456");
	ck_assert_int_eq(bahi_phone_normalise("03001234567", "US", out), -1);
	ck_assert_int_eq(bahi_phone_normalise("3001234567", "PK", out), -1);
	ck_assert_int_eq(bahi_phone_normalise("+92300abc", "PK", out), -1);
	ck_assert_int_eq(bahi_phone_normalise("+1234567890123456", "PK", out), -1);
	ck_assert_int_eq(bahi_phone_normalise("+92'; DROP TABLE users;--", "PK", out), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("jwtkeys");
	TCase *t = tcase_create("jwtkeys");
	bahi_random_init();
	tcase_add_test(t, round_trip_keeps_every_claim);
	tcase_add_test(t, rotation_accepts_previous_key_only_while_configured);
	tcase_add_test(t, phone_numbers_normalise_to_e164);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
