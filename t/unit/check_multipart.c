/* check_multipart: unit tests for multipart/form-data reading (boundaries, fields, files, malformed bodies). */
#include "bahi_multipart.h"

#include <check.h>
#include <string.h>

#include "../check_run.h"
#include "bahi_pool.h"

static bahi_pool *pool;

static void
setup(void)
{
	pool = bahi_pool_create();
}

static void
teardown(void)
{
	bahi_pool_destroy(pool);
}

#define CT "multipart/form-data; boundary=----WebKitFormBoundaryX7"

/* As a browser sends a form with a text field, a file and a textarea. */
static const char body[] =
	"------WebKitFormBoundaryX7\r\n"
	"Content-Disposition: form-data; name=\"csrf\"\r\n"
	"\r\n"
	"tok-123\r\n"
	"------WebKitFormBoundaryX7\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"inv;1.csv\"\r\n"
	"Content-Type: text/csv\r\n"
	"\r\n"
	"name,qty\r\n--not a boundary\r\nBolt,2\r\n"
	"\r\n"
	"------WebKitFormBoundaryX7\r\n"
	"content-disposition: form-data; name=\"notes\"\r\n"
	"\r\n"
	"\r\n"
	"------WebKitFormBoundaryX7--\r\n";

static int
find(const char *ct, const char *b, size_t n, const char *name, bahi_part *p)
{
	return bahi_multipart_find(pool, ct, b, n, name, p);
}

START_TEST(fields_and_files_are_found)
{
	bahi_part p;
	ck_assert_int_eq(find(CT, body, sizeof(body) - 1, "csrf", &p), 1);
	ck_assert_int_eq((int)p.len, 7);
	ck_assert_int_eq(memcmp(p.data, "tok-123", 7), 0);
	ck_assert_ptr_null(p.filename);
	ck_assert_ptr_null(p.content_type);

	ck_assert_int_eq(find(CT, body, sizeof(body) - 1, "file", &p), 1);
	ck_assert_str_eq(p.filename, "inv;1.csv");
	ck_assert_str_eq(p.content_type, "text/csv");
	/* the line ends inside the data and the one before the delimiter: only the latter goes */
	const char want[] = "name,qty\r\n--not a boundary\r\nBolt,2\r\n";
	ck_assert_int_eq((int)p.len, (int)sizeof(want) - 1);
	ck_assert_int_eq(memcmp(p.data, want, p.len), 0);

	/* header names in any case; an empty value */
	ck_assert_int_eq(find(CT, body, sizeof(body) - 1, "notes", &p), 1);
	ck_assert_int_eq((int)p.len, 0);

	ck_assert_int_eq(find(CT, body, sizeof(body) - 1, "missing", &p), 0);
	/* "name" is not found inside "filename" */
	ck_assert_int_eq(find(CT, body, sizeof(body) - 1, "inv;1.csv", &p), 0);
}
END_TEST

START_TEST(binary_data_and_quoted_boundaries)
{
	const char b[] = "--q b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
	                 "\r\n\x89PNG\r\n\x1a\n\0\r\n--q b--";
	bahi_part p;
	ck_assert_int_eq(find("multipart/form-data; boundary=\"q b\"", b, sizeof(b) - 1, "image", &p), 1);
	ck_assert_int_eq((int)p.len, 9);
	ck_assert_int_eq(memcmp(p.data, "\x89PNG\r\n\x1a\n\0", 9), 0);
	ck_assert_int_eq(bahi_multipart_is("Multipart/Form-Data; boundary=x"), 1);
	ck_assert_int_eq(bahi_multipart_is("multipart/form-datax"), 0);
	ck_assert_int_eq(bahi_multipart_is("application/x-www-form-urlencoded"), 0);
	ck_assert_int_eq(bahi_multipart_is(NULL), 0);
}
END_TEST

START_TEST(malformed_bodies_are_refused)
{
	bahi_part p;
	/* no boundary, an empty one, one over 70 characters */
	ck_assert_int_eq(find("multipart/form-data", body, sizeof(body) - 1, "csrf", &p), -1);
	ck_assert_int_eq(find("multipart/form-data; boundary=", body, sizeof(body) - 1, "csrf", &p), -1);
	char longct[160];
	memset(longct, 'a', sizeof(longct));
	memcpy(longct, "multipart/form-data; boundary=", 30);
	longct[30 + 71] = '\0';
	ck_assert_int_eq(find(longct, body, sizeof(body) - 1, "csrf", &p), -1);
	/* another boundary than the body's */
	ck_assert_int_eq(find("multipart/form-data; boundary=zzz", body, sizeof(body) - 1, "csrf",
	                      &p), -1);
	/* cut before the closing delimiter: the part's end is not known */
	const char cut[] = "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
	ck_assert_int_eq(find("multipart/form-data; boundary=x", cut, sizeof(cut) - 1, "a", &p), -1);
	/* headers without their blank line */
	const char nohead[] = "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n--x--";
	ck_assert_int_eq(find("multipart/form-data; boundary=x", nohead, sizeof(nohead) - 1, "a", &p), -1);
	/* no parts at all */
	ck_assert_int_eq(find("multipart/form-data; boundary=x", "--x--\r\n", 7, "a", &p), 0);
	ck_assert_int_eq(find(CT, NULL, 0, "a", &p), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("multipart");
	TCase *tc = tcase_create("multipart");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fields_and_files_are_found);
	tcase_add_test(tc, binary_data_and_quoted_boundaries);
	tcase_add_test(tc, malformed_bodies_are_refused);
	suite_add_tcase(s, tc);
	return bahi_check_run(s);
}
