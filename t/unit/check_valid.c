/* check_valid: unit tests for declared input validation of JSON bodies and query strings. */
#include <check.h>

#include "../check_run.h"
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bahi_req.h"
#include "bahi_valid.h"

static const char *const modes[] = {"cash", "credit", NULL};
static const bahi_field line_fields[] = {
	{"product_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"qty", BAHI_V_QTY, BAHI_REQUIRED, 1, 1000000000, NULL, NULL, 0},
};
static const bahi_field sale_fields[] = {
	{"name", BAHI_V_STRING, BAHI_REQUIRED, 1, 10, NULL, NULL, 0},
	{"paid_amount", BAHI_V_MONEY, BAHI_REQUIRED, 0, 1000000000000000, NULL, NULL, 0},
	{"tax_rate_bp", BAHI_V_BP, 0, 0, 10000, NULL, NULL, 0},
	{"payment_mode", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, modes, NULL, 0},
	{"due", BAHI_V_DATE, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
	{"line", BAHI_V_OBJECT, 0, 0, 0, NULL, line_fields, 2},
	{"lines", BAHI_V_ARRAY, 0, 1, 3, NULL, NULL, 0},
	{"urgent", BAHI_V_BOOL, 0, 0, 0, NULL, NULL, 0},
};
#define NSALE (sizeof(sale_fields) / sizeof(sale_fields[0]))

static bahi_req req;

static void
setup(void)
{
	memset(&req, 0, sizeof(req));
	req.pool = bahi_pool_create();
}

static void
teardown(void)
{
	bahi_pool_destroy(req.pool);
}

/* Validates text and returns the number of field errors. */
static int
run(const char *text, bahi_value *out)
{
	cJSON *j = cJSON_Parse(text);
	ck_assert_ptr_nonnull(j);
	bahi_pool_cleanup(req.pool, (bahi_cleanup_fn)cJSON_Delete, j);
	memset(&req.problem, 0, sizeof(req.problem));
	bahi_valid_json(&req, j, sale_fields, NSALE, out, "");
	return (int)req.problem.nerrors;
}

START_TEST(valid_body_gives_typed_values)
{
	bahi_value v[NSALE];
	ck_assert_int_eq(run("{\"name\":\"\xd8\xb9\xd9\x84\xdb\x8c Khan\",\"paid_amount\":21920,"
	                     "\"tax_rate_bp\":1900,\"payment_mode\":\"credit\",\"due\":null,"
	                     "\"line\":{\"product_id\":\"0190A2B3-0000-7000-8000-00000000000A\",\"qty\":2.5},"
	                     "\"lines\":[1],\"urgent\":true}", v), 0);
	ck_assert_int_eq(req.problem.status, 0);
	ck_assert_int_eq(v[1].i, 21920);
	ck_assert_int_eq(v[2].i, 1900);
	ck_assert_str_eq(v[3].s, "credit");
	ck_assert_int_eq(v[4].present, 0);
	ck_assert_int_eq(v[4].is_null, 1);
	ck_assert_str_eq(v[5].sub[0].s, "0190a2b3-0000-7000-8000-00000000000a");
	ck_assert_int_eq(v[5].sub[1].i, 2500);
	ck_assert_int_eq(v[6].i, 1);
	ck_assert_int_eq(v[7].i, 1);
}
END_TEST

START_TEST(each_bad_field_is_named)
{
	bahi_value v[NSALE];
	ck_assert_int_eq(run("{\"name\":\"01234567890\",\"paid_amount\":1.5,\"tax_rate_bp\":10001,"
	                     "\"payment_mode\":\"barter\",\"due\":\"2026-02-30\","
	                     "\"line\":{\"product_id\":\"nope\",\"qty\":0.0005},"
	                     "\"lines\":[],\"urgent\":\"yes\",\"hack\":1}", v), 10);
	ck_assert_int_eq(req.problem.status, 422);
	ck_assert_str_eq(req.problem.code, "validation_failed");
	ck_assert_str_eq(req.problem.errors[0].field, "hack");
	ck_assert_str_eq(req.problem.errors[0].code, "unknown_field");
	ck_assert_str_eq(req.problem.errors[1].field, "name");
	ck_assert_str_eq(req.problem.errors[1].code, "too_long");
	ck_assert_str_eq(req.problem.errors[2].field, "paid_amount");
	ck_assert_str_eq(req.problem.errors[2].code, "must_be_integer");
	ck_assert_str_eq(req.problem.errors[3].code, "too_large");
	ck_assert_str_eq(req.problem.errors[4].code, "invalid_choice");
	ck_assert_str_eq(req.problem.errors[5].code, "invalid_date");
	ck_assert_str_eq(req.problem.errors[6].field, "line.product_id");
	ck_assert_str_eq(req.problem.errors[6].code, "invalid_uuid");
	ck_assert_str_eq(req.problem.errors[7].field, "line.qty");
	ck_assert_str_eq(req.problem.errors[7].code, "invalid_quantity");
	ck_assert_str_eq(req.problem.errors[8].field, "lines");
	ck_assert_str_eq(req.problem.errors[8].code, "too_small");
	ck_assert_str_eq(req.problem.errors[9].code, "must_be_boolean");
}
END_TEST

START_TEST(missing_wrong_types_and_huge_numbers)
{
	bahi_value v[NSALE];
	ck_assert_int_eq(run("{\"name\":5,\"paid_amount\":1e16,\"payment_mode\":null}", v), 3);
	ck_assert_str_eq(req.problem.errors[0].code, "must_be_string");
	ck_assert_str_eq(req.problem.errors[1].code, "too_large");
	ck_assert_str_eq(req.problem.errors[2].field, "payment_mode");
	ck_assert_str_eq(req.problem.errors[2].code, "required");
	ck_assert_int_eq(run("{\"name\":\"\",\"paid_amount\":-1,\"payment_mode\":\"cash\"}", v), 2);
	ck_assert_str_eq(req.problem.errors[0].code, "required");
	ck_assert_str_eq(req.problem.errors[1].code, "too_small");
}
END_TEST

START_TEST(text_must_be_clean_utf8)
{
	size_t n;
	ck_assert_int_eq(bahi_valid_utf8("Kh\xc3\xa1" "n", 0, &n), 1);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(bahi_valid_utf8("a\xc0\xaf" "b", 0, &n), 0);     /* overlong '/' */
	ck_assert_int_eq(bahi_valid_utf8("\xed\xa0\x80", 0, &n), 0);   /* surrogate */
	ck_assert_int_eq(bahi_valid_utf8("\xff", 0, &n), 0);
	ck_assert_int_eq(bahi_valid_utf8("a\nb", 0, &n), 0);
	ck_assert_int_eq(bahi_valid_utf8("a\nb", 1, &n), 1);
	ck_assert_int_eq(bahi_valid_utf8("a\x1b[31m", 1, &n), 0);
}
END_TEST

START_TEST(query_parameters)
{
	static const bahi_field qf[] = {
		{"limit", BAHI_V_INT, 0, 1, 200, NULL, NULL, 0},
		{"q", BAHI_V_STRING, 0, 0, 100, NULL, NULL, 0},
		{"low_stock", BAHI_V_BOOL, 0, 0, 0, NULL, NULL, 0},
	};
	bahi_value v[3];
	req.query = "limit=50&q=chair%20leg&low_stock=true";
	ck_assert_int_eq(bahi_valid_query(&req, qf, 3, v), 0);
	ck_assert_int_eq(v[0].i, 50);
	ck_assert_str_eq(v[1].s, "chair leg");
	ck_assert_int_eq(v[2].i, 1);
	req.query = "limit=201&color=red";
	ck_assert_int_eq(bahi_valid_query(&req, qf, 3, v), -1);
	ck_assert_int_eq(req.problem.nerrors, 2);
	ck_assert_str_eq(req.problem.errors[0].field, "color");
	ck_assert_str_eq(req.problem.errors[0].code, "unknown_parameter");
	ck_assert_str_eq(req.problem.errors[1].field, "limit");
	ck_assert_str_eq(req.problem.errors[1].code, "invalid_number");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("valid");
	TCase *t = tcase_create("valid");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, valid_body_gives_typed_values);
	tcase_add_test(t, each_bad_field_is_named);
	tcase_add_test(t, missing_wrong_types_and_huge_numbers);
	tcase_add_test(t, text_must_be_clean_utf8);
	tcase_add_test(t, query_parameters);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
