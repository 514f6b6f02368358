/* check_csv: unit tests for the CSV reader (header mapping, quoting, BOM, separators, encoding, row errors) and writer. */
#include "bahi_csv.h"

#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_NAME, C_BUY, C_SELL, C_QTY, C_PART, NCOLS };

static const bahi_csv_col cols[NCOLS] = {
	{"name", BAHI_CSV_REQUIRED}, {"buy_price", BAHI_CSV_REQUIRED},
	{"sell_price", BAHI_CSV_REQUIRED}, {"qty", BAHI_CSV_REQUIRED}, {"part_no", 0},
};

static bahi_pool *pool;
static bahi_problem problem;
static bahi_csv csv;

static void
setup(void)
{
	pool = bahi_pool_create();
	memset(&problem, 0, sizeof(problem));
}

static void
teardown(void)
{
	bahi_pool_destroy(pool);
}

/* A fresh pool and problem within one test. */
static void
reset(void)
{
	teardown();
	setup();
}

static int
parse_n(const char *data, size_t len, size_t max_rows)
{
	return bahi_csv_parse(&csv, pool, &problem, data, len, cols, NCOLS, max_rows);
}

static int
parse(const char *data)
{
	return parse_n(data, strlen(data), 1000);
}

/* The errors reported so far, moved to the problem. */
static size_t
nerrors(void)
{
	bahi_csv_finish(&csv);
	return problem.nerrors;
}

/* Asserts that field error i is field/code. */
static void
assert_error(size_t i, const char *field, const char *code)
{
	nerrors();
	ck_assert_msg(i < problem.nerrors, "error %zu missing (%zu errors)", i, problem.nerrors);
	ck_assert_str_eq(problem.errors[i].field, field);
	ck_assert_str_eq(problem.errors[i].code, code);
}

/* The value of row i, column col, or "(null)". */
static const char *
val(size_t i, int col)
{
	ck_assert_uint_lt(i, csv.nrows);
	return csv.rows[i].v[col] ? csv.rows[i].v[col] : "(null)";
}

START_TEST(header_maps_columns_by_name_in_any_order_and_case)
{
	ck_assert_int_eq(parse("QTY,Part No,Name,Buy Price,sell-price\r\n"
	                       "10,AB-1,Brake pad,120.50,150\r\n"
	                       "2.5,,Oil filter,80,99.99\r\n"), 0);
	ck_assert_int_eq(csv.delim, ',');
	ck_assert_uint_eq(csv.nrows, 2);
	ck_assert_int_eq(csv.rows[0].row, 2);
	ck_assert_int_eq(csv.rows[1].row, 3);
	ck_assert_str_eq(val(0, C_NAME), "Brake pad");
	ck_assert_str_eq(val(0, C_BUY), "120.50");
	ck_assert_str_eq(val(0, C_SELL), "150");
	ck_assert_str_eq(val(0, C_QTY), "10");
	ck_assert_str_eq(val(0, C_PART), "AB-1");
	ck_assert_str_eq(val(1, C_PART), "(null)");
	ck_assert_int_eq(csv.present[C_PART], 1);
	ck_assert_uint_eq(nerrors(), 0);
}
END_TEST

START_TEST(quoting_commas_doubled_quotes_and_line_breaks)
{
	ck_assert_int_eq(parse("name,buy_price,sell_price,qty\n"
	                       "\"Pipe 1/2\"\", PVC\",1,2,3\n"
	                       "\"two\nlines\",1,2,3\n"
	                       "after,1,2,3\n"), 0);
	ck_assert_uint_eq(csv.nrows, 3);
	ck_assert_str_eq(val(0, C_NAME), "Pipe 1/2\", PVC");
	ck_assert_str_eq(val(1, C_NAME), "two\nlines");
	/* a record with a line break inside quotes is still one row */
	ck_assert_int_eq(csv.rows[2].row, 4);
	ck_assert_int_eq(csv.present[C_PART], 0);
	ck_assert_str_eq(val(2, C_PART), "(null)");
}
END_TEST

START_TEST(bom_is_skipped)
{
	ck_assert_int_eq(parse("\xEF\xBB\xBFname,buy_price,sell_price,qty\r\nA,1,2,3\r\n"), 0);
	ck_assert_uint_eq(csv.nrows, 1);
	ck_assert_str_eq(val(0, C_NAME), "A");
}
END_TEST

START_TEST(semicolons_are_detected_with_decimal_commas)
{
	int64_t v = 0;
	ck_assert_int_eq(parse("name;buy_price;sell_price;qty\nA, B;120,50;1.234,5;2,5\n"), 0);
	ck_assert_int_eq(csv.delim, ';');
	ck_assert_str_eq(val(0, C_NAME), "A, B");
	ck_assert_int_eq(bahi_csv_money(&csv, &csv.rows[0], C_BUY, 2, &v), 1);
	ck_assert_int_eq(v, 12050);
	ck_assert_int_eq(bahi_csv_qty(&csv, &csv.rows[0], C_QTY, 1, &v), 1);
	ck_assert_int_eq(v, 2500);
	/* both separators: a thousands separator is not guessed at */
	ck_assert_int_eq(bahi_csv_money(&csv, &csv.rows[0], C_SELL, 2, &v), -1);
	assert_error(0, "rows[2].sell_price", "invalid_money");
}
END_TEST

START_TEST(a_quoted_semicolon_in_the_header_does_not_decide)
{
	ck_assert_int_eq(parse("\"name;x\",buy_price\n"), -1);
	ck_assert_int_eq(csv.delim, ',');
}
END_TEST

START_TEST(invalid_utf8_is_reported_on_its_row_and_column)
{
	ck_assert_int_eq(parse("name,buy_price,sell_price,qty\n"
	                       "ok,1,2,3\n"
	                       "caf\xE9,1,2,3\n"
	                       "ok too,1,2\xC3,3\n"), -1);
	assert_error(0, "rows[3].name", "invalid_encoding");
	assert_error(1, "rows[4].sell_price", "invalid_encoding");
	ck_assert_uint_eq(nerrors(), 2);
	ck_assert_uint_eq(csv.nrows, 3);
	ck_assert_int_eq(csv.rows[0].bad, 0);
	ck_assert_int_eq(csv.rows[1].bad, 1);
	/* the checkers say nothing more about a refused field */
	const char *s;
	ck_assert_int_eq(bahi_csv_text(&csv, &csv.rows[1], C_NAME, 200, &s), -1);
	ck_assert_uint_eq(nerrors(), 2);
}
END_TEST

START_TEST(nul_bytes_inside_a_field_are_invalid_encoding)
{
	static const char data[] = "name,buy_price,sell_price,qty\nn\0x,1,2,3\n";
	ck_assert_int_eq(parse_n(data, sizeof(data) - 1, 10), -1);
	assert_error(0, "rows[2].name", "invalid_encoding");
}
END_TEST

START_TEST(utf16_files_are_refused_as_a_whole)
{
	static const char data[] = "\xFF\xFEn\0a\0";
	ck_assert_int_eq(parse_n(data, sizeof(data) - 1, 10), -1);
	assert_error(0, "file", "invalid_encoding");
	ck_assert_uint_eq(nerrors(), 1);
}
END_TEST

START_TEST(missing_unknown_and_repeated_columns)
{
	ck_assert_int_eq(parse("Name,colour,name,buy_price,,sell_price\nA,red,B,1,,2\n"), -1);
	assert_error(0, "columns.colour", "unknown_column");
	assert_error(1, "columns.name", "duplicate_column");
	assert_error(2, "columns.qty", "missing_column");
	ck_assert_uint_eq(nerrors(), 3);
	/* the row is still read under the columns that are known */
	ck_assert_str_eq(val(0, C_NAME), "A");
	/* a missing required column gives no error per row */
	int64_t q;
	ck_assert_int_eq(bahi_csv_qty(&csv, &csv.rows[0], C_QTY, 1, &q), 0);
	ck_assert_uint_eq(nerrors(), 3);
	ck_assert_int_eq(problem.status, 422);
	ck_assert_str_eq(problem.code, "validation_failed");
	ck_assert_str_eq(problem.detail, "The file cannot be imported; nothing was stored.");
}
END_TEST

START_TEST(blank_rows_are_skipped_but_counted)
{
	ck_assert_int_eq(parse("\r\nname,buy_price,sell_price,qty\r\n\r\nA,1,2,3\r\n,,,\r\n\nB,1,2,3"),
	                 0);
	ck_assert_uint_eq(csv.nrows, 2);
	ck_assert_int_eq(csv.rows[0].row, 4);
	ck_assert_int_eq(csv.rows[1].row, 7);
	ck_assert_str_eq(val(1, C_NAME), "B");
}
END_TEST

START_TEST(extra_fields_are_an_error_unless_empty)
{
	ck_assert_int_eq(parse("name,buy_price,sell_price,qty\nA,1,2,3,,\nB,1,2,3,x\n"), -1);
	assert_error(0, "rows[3]", "too_many_fields");
	ck_assert_uint_eq(nerrors(), 1);
	ck_assert_uint_eq(csv.nrows, 2);
}
END_TEST

START_TEST(unbalanced_quotes_are_reported_on_their_row)
{
	ck_assert_int_eq(parse("name,buy_price,sell_price,qty\nA,1,2,3\nPipe 1/2\",1,2,3\nC,1,2,3\n"),
	                 -1);
	assert_error(0, "rows[3]", "malformed_csv");
	ck_assert_uint_eq(csv.nrows, 1);
	reset();
	ck_assert_int_eq(parse("name,buy_price,sell_price,qty\nA,1,2,3\n\"never closed,1,2,3\n"), -1);
	assert_error(0, "rows[3]", "malformed_csv");
}
END_TEST

START_TEST(empty_and_header_only_files)
{
	ck_assert_int_eq(parse(""), -1);
	assert_error(0, "file", "empty");
	reset();
	ck_assert_int_eq(parse("\xEF\xBB\xBF\r\n\r\n"), -1);
	assert_error(0, "file", "empty");
	reset();
	ck_assert_int_eq(parse("name,buy_price,sell_price,qty\r\n"), -1);
	assert_error(0, "file", "no_rows");
}
END_TEST

START_TEST(the_row_limit_stops_reading)
{
	ck_assert_int_eq(parse_n("name,buy_price,sell_price,qty\nA,1,2,3\nB,1,2,3\nC,1,2,3\n",
	                         60, 2), -1);
	ck_assert_uint_eq(csv.nrows, 2);
	assert_error(0, "rows", "too_many_rows");
	ck_assert_str_eq(problem.errors[0].message,
	                 "The file has more than 2 rows; split it into smaller files.");
}
END_TEST

START_TEST(field_checkers)
{
	int64_t v = -1;
	const char *s = NULL;
	ck_assert_int_eq(parse("name,buy_price,sell_price,qty,part_no\n"
	                       "Brake pad,120.50,0,10,\n"              /* row 2: fine */
	                       ",-5,1.234,0,\n"                        /* row 3 */
	                       "Tab\there,Rs 5,12,-2,x\n"              /* row 4 */
	                       "ok,1,2,1.2345,\n"), 0);                /* row 5 */
	bahi_csv_row *r = csv.rows;
	ck_assert_int_eq(bahi_csv_text(&csv, &r[0], C_NAME, 200, &s), 1);
	ck_assert_str_eq(s, "Brake pad");
	ck_assert_int_eq(bahi_csv_money(&csv, &r[0], C_BUY, 2, &v), 1);
	ck_assert_int_eq(v, 12050);
	ck_assert_int_eq(bahi_csv_money(&csv, &r[0], C_BUY, 0, &v), -1);
	ck_assert_int_eq(bahi_csv_money(&csv, &r[0], C_BUY, 3, &v), 1);
	ck_assert_int_eq(v, 120500);
	ck_assert_int_eq(bahi_csv_money(&csv, &r[0], C_SELL, 2, &v), 1);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(bahi_csv_qty(&csv, &r[0], C_QTY, 1, &v), 1);
	ck_assert_int_eq(v, 10000);
	ck_assert_int_eq(bahi_csv_text(&csv, &r[0], C_PART, 64, &s), 0);

	ck_assert_int_eq(bahi_csv_text(&csv, &r[1], C_NAME, 200, &s), 0);
	ck_assert_int_eq(bahi_csv_money(&csv, &r[1], C_BUY, 2, &v), -1);
	ck_assert_int_eq(bahi_csv_money(&csv, &r[1], C_SELL, 2, &v), -1);
	ck_assert_int_eq(bahi_csv_qty(&csv, &r[1], C_QTY, 1, &v), -1);
	ck_assert_int_eq(bahi_csv_qty(&csv, &r[1], C_QTY, 0, &v), 1);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(bahi_csv_text(&csv, &r[2], C_NAME, 200, &s), -1);
	ck_assert_int_eq(bahi_csv_money(&csv, &r[2], C_BUY, 2, &v), -1);
	ck_assert_int_eq(bahi_csv_qty(&csv, &r[2], C_QTY, 0, &v), -1);
	ck_assert_int_eq(bahi_csv_text(&csv, &r[2], C_PART, 0, &s), -1);
	ck_assert_int_eq(bahi_csv_qty(&csv, &r[3], C_QTY, 1, &v), -1);

	assert_error(0, "rows[2].buy_price", "invalid_money");
	assert_error(1, "rows[3].name", "required");
	assert_error(2, "rows[3].buy_price", "must_not_be_negative");
	assert_error(3, "rows[3].sell_price", "invalid_money");
	assert_error(4, "rows[3].qty", "must_be_positive");
	assert_error(5, "rows[4].name", "invalid_text");
	assert_error(6, "rows[4].buy_price", "invalid_money");
	assert_error(7, "rows[4].qty", "must_not_be_negative");
	assert_error(8, "rows[4].part_no", "too_long");
	assert_error(9, "rows[5].qty", "invalid_quantity");
	ck_assert_uint_eq(nerrors(), 10);
	ck_assert_uint_eq(csv.nbad_rows, 4);
	ck_assert_int_eq(bahi_csv_finish(&csv), -1);
	ck_assert_str_eq(problem.detail, "4 rows have errors; nothing was stored.");
}
END_TEST

START_TEST(finish_says_when_the_list_is_cut_short)
{
	char data[4096];
	int n = snprintf(data, sizeof(data), "name,buy_price,sell_price,qty\n");
	for (int i = 0; i < 40; i++)
		n += snprintf(data + n, sizeof(data) - (size_t)n, "x,-1,1,1\n");
	ck_assert_int_eq(parse(data), 0);
	ck_assert_int_eq(bahi_csv_finish(&csv), 0);
	int64_t v;
	for (size_t i = 0; i < csv.nrows; i++)
		bahi_csv_money(&csv, &csv.rows[i], C_BUY, 2, &v);
	ck_assert_uint_eq(nerrors(), BAHI_PROBLEM_MAX_ERRORS);
	ck_assert_int_eq(bahi_csv_finish(&csv), -1);
	ck_assert_str_eq(problem.detail,
	                 "40 rows have errors (40 in all, the first 32 listed); nothing was stored.");
	assert_error(31, "rows[33].buy_price", "must_not_be_negative");
}
END_TEST

/* What the writer makes of one field. */
static const char *
put(const char *v, int is_text)
{
	static char out[256];
	bahi_buf b;
	bahi_buf_init(&b, 1024);
	ck_assert_int_eq(bahi_csv_put(&b, 1, v, is_text), 0);
	snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
	bahi_buf_free(&b);
	return out;
}

START_TEST(writer_quotes_and_marks_formulas_and_apostrophes)
{
	ck_assert_str_eq(put("Brake pad", 1), "Brake pad");
	ck_assert_str_eq(put("a,b", 1), "\"a,b\"");
	ck_assert_str_eq(put("1/2\" pipe", 1), "\"1/2\"\" pipe\"");
	ck_assert_str_eq(put("=SUM(A1)", 1), "'=SUM(A1)");
	ck_assert_str_eq(put("-5", 1), "'-5");
	ck_assert_str_eq(put("-5", 0), "-5");
	ck_assert_str_eq(put("'quoted'", 1), "''quoted'");
	ck_assert_str_eq(put("', x", 1), "\"'', x\"");
	ck_assert_str_eq(put(" padded ", 1), "\" padded \"");
	ck_assert_str_eq(put("semi;colon", 1), "\"semi;colon\"");
	ck_assert_str_eq(put("\rx", 1), "\"'\rx\"");
	ck_assert_str_eq(put(NULL, 1), "");
	bahi_buf b;
	bahi_buf_init(&b, 4);
	ck_assert_int_eq(bahi_csv_put(&b, 1, "12345678", 1), -1);
	bahi_buf_free(&b);
}
END_TEST

START_TEST(what_the_writer_writes_the_reader_reads_back)
{
	static const char *const names[] = {
		"plain", "a,b", "say \"hi\"", "=1+1", "+92300", "-minus", "@at", "'apos", "''two",
		"اردو نام", "semi;colon", " padded ",
	};
	size_t n = sizeof(names) / sizeof(names[0]);
	bahi_buf b;
	bahi_buf_init(&b, 1 << 16);
	bahi_buf_puts(&b, "\xEF\xBB\xBF");
	bahi_csv_put(&b, 1, "name", 1);
	bahi_csv_put(&b, 0, "buy_price", 1);
	bahi_csv_put(&b, 0, "sell_price", 1);
	bahi_csv_put(&b, 0, "qty", 1);
	bahi_csv_end_row(&b);
	for (size_t i = 0; i < n; i++) {
		bahi_csv_put(&b, 1, names[i], 1);
		bahi_csv_put(&b, 0, "1.50", 0);
		bahi_csv_put(&b, 0, NULL, 0);
		bahi_csv_put(&b, 0, "2", 0);
		bahi_csv_end_row(&b);
	}
	ck_assert_int_eq(parse_n(b.data, b.len, 100), 0);
	bahi_buf_free(&b);
	ck_assert_uint_eq(csv.nrows, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(val(i, C_NAME), names[i]);
		ck_assert_str_eq(val(i, C_BUY), "1.50");
		ck_assert_str_eq(val(i, C_SELL), "(null)");
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("csv");
	TCase *t = tcase_create("csv");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, header_maps_columns_by_name_in_any_order_and_case);
	tcase_add_test(t, quoting_commas_doubled_quotes_and_line_breaks);
	tcase_add_test(t, bom_is_skipped);
	tcase_add_test(t, semicolons_are_detected_with_decimal_commas);
	tcase_add_test(t, a_quoted_semicolon_in_the_header_does_not_decide);
	tcase_add_test(t, invalid_utf8_is_reported_on_its_row_and_column);
	tcase_add_test(t, nul_bytes_inside_a_field_are_invalid_encoding);
	tcase_add_test(t, utf16_files_are_refused_as_a_whole);
	tcase_add_test(t, missing_unknown_and_repeated_columns);
	tcase_add_test(t, blank_rows_are_skipped_but_counted);
	tcase_add_test(t, extra_fields_are_an_error_unless_empty);
	tcase_add_test(t, unbalanced_quotes_are_reported_on_their_row);
	tcase_add_test(t, empty_and_header_only_files);
	tcase_add_test(t, the_row_limit_stops_reading);
	tcase_add_test(t, field_checkers);
	tcase_add_test(t, finish_says_when_the_list_is_cut_short);
	tcase_add_test(t, writer_quotes_and_marks_formulas_and_apostrophes);
	tcase_add_test(t, what_the_writer_writes_the_reader_reads_back);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
