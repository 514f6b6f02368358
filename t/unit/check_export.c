/* check_export: unit tests for CSV fields (RFC 4180 quoting, formula defusing) and the no-symlink file purge. */
#include "bahi_buf.h"
#include "bahi_export.h"
#include "bahi_purge.h"

#include <check.h>

#include "../check_run.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The CSV form of v (is_text as given). */
static const char *
csv(const char *v, int is_text)
{
	static char out[256];
	bahi_buf b;
	bahi_buf_init(&b, 1024);
	ck_assert_int_eq(bahi_csv_field(&b, v, is_text), 0);
	snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
	bahi_buf_free(&b);
	return out;
}

START_TEST(csv_plain_values_are_unchanged)
{
	ck_assert_str_eq(csv("Ali Traders", 1), "Ali Traders");
	ck_assert_str_eq(csv("", 1), "");
	ck_assert_str_eq(csv("a=b", 1), "a=b");
	ck_assert_str_eq(csv("کراچی", 1), "کراچی");
}
END_TEST

START_TEST(csv_quotes_commas_quotes_and_line_breaks)
{
	ck_assert_str_eq(csv("Ali, Sons", 1), "\"Ali, Sons\"");
	ck_assert_str_eq(csv("the \"best\"", 1), "\"the \"\"best\"\"\"");
	ck_assert_str_eq(csv("\"", 1), "\"\"\"\"");
	ck_assert_str_eq(csv("line 1\nline 2", 1), "\"line 1\nline 2\"");
	ck_assert_str_eq(csv("a\r\nb", 1), "\"a\r\nb\"");
}
END_TEST

START_TEST(csv_defuses_formulas_in_text)
{
	ck_assert_str_eq(csv("=1+1", 1), "'=1+1");
	ck_assert_str_eq(csv("+923001234567", 1), "'+923001234567");
	ck_assert_str_eq(csv("-5", 1), "'-5");
	ck_assert_str_eq(csv("@SUM(A1)", 1), "'@SUM(A1)");
	ck_assert_str_eq(csv("\tx", 1), "'\tx");
	ck_assert_str_eq(csv("\rx", 1), "\"'\rx\"");
	ck_assert_str_eq(csv("=HYPERLINK(\"u\",\"t\")", 1), "\"'=HYPERLINK(\"\"u\"\",\"\"t\"\")\"");
}
END_TEST

START_TEST(csv_numbers_are_not_defused)
{
	ck_assert_str_eq(csv("-500", 0), "-500");
	ck_assert_str_eq(csv("12.250", 0), "12.250");
}
END_TEST

START_TEST(csv_fails_at_the_cap)
{
	bahi_buf b;
	bahi_buf_init(&b, 4);
	ck_assert_int_eq(bahi_csv_field(&b, "abcdefgh", 1), -1);
	bahi_buf_free(&b);
}
END_TEST

static char root[64];

static void
touch(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
dir(const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ck_assert_int_eq(mkdir(p, 0700), 0);
}

static int
present(const char *rel)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return lstat(p, &st) == 0;
}

#define BID "0190a2b3-0000-7000-8000-0000000000aa"
#define OTHER "0190a2b3-0000-7000-8000-0000000000bb"

/* data/BID holds files, a nested folder, and links to a file and a folder
 * outside; data/OTHER is another business's. */
static void
make_tree(void)
{
	snprintf(root, sizeof(root), "/tmp/check_export-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	dir("data");
	dir("outside");
	touch("outside/keep.txt", "k");
	dir("data/" BID);
	dir("data/" OTHER);
	touch("data/" OTHER "/x.txt", "x");
	touch("data/" BID "/a.txt", "a");
	dir("data/" BID "/img");
	dir("data/" BID "/img/2026");
	touch("data/" BID "/img/2026/p.jpg", "p");
	dir("data/" BID "/empty");
	char target[256], link[256];
	snprintf(target, sizeof(target), "%s/outside/keep.txt", root);
	snprintf(link, sizeof(link), "%s/data/" BID "/link", root);
	ck_assert_int_eq(symlink(target, link), 0);
	snprintf(target, sizeof(target), "%s/outside", root);
	snprintf(link, sizeof(link), "%s/data/" BID "/img/dirlink", root);
	ck_assert_int_eq(symlink(target, link), 0);
}

static void
remove_tree(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(purge_removes_the_business_folder_without_following_links)
{
	make_tree();
	char data[128];
	snprintf(data, sizeof(data), "%s/data", root);
	long files = -1;
	ck_assert_int_eq(bahi_purge_files(data, BID, &files), 0);
	ck_assert_int_eq(files, 4);    /* a.txt, p.jpg, link, dirlink */
	ck_assert(!present("data/" BID));
	ck_assert(present("outside/keep.txt"));
	ck_assert(present("data/" OTHER "/x.txt"));
	/* a second run finds nothing */
	ck_assert_int_eq(bahi_purge_files(data, BID, &files), 0);
	ck_assert_int_eq(files, 0);
	remove_tree();
}
END_TEST

START_TEST(purge_removes_a_link_in_place_of_the_folder)
{
	make_tree();
	char data[128], target[256], link[256];
	snprintf(data, sizeof(data), "%s/data", root);
	snprintf(target, sizeof(target), "%s/data/" OTHER, root);
	snprintf(link, sizeof(link), "%s/data/" BID, root);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", link);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(symlink(target, link), 0);
	long files = -1;
	ck_assert_int_eq(bahi_purge_files(data, BID, &files), 0);
	ck_assert_int_eq(files, 1);
	ck_assert(!present("data/" BID));
	ck_assert(present("data/" OTHER "/x.txt"));
	remove_tree();
}
END_TEST

START_TEST(purge_refuses_a_name_that_is_not_a_uuid)
{
	make_tree();
	char data[128];
	snprintf(data, sizeof(data), "%s/data", root);
	long files = -1;
	errno = 0;
	ck_assert_int_eq(bahi_purge_files(data, "..", &files), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(bahi_purge_files(data, OTHER "/../" BID, &files), -1);
	ck_assert(present("data/" BID "/a.txt"));
	ck_assert(present("data/" OTHER "/x.txt"));
	remove_tree();
}
END_TEST

START_TEST(purge_without_a_data_folder_is_fine)
{
	long files = -1;
	ck_assert_int_eq(bahi_purge_files("/nonexistent/bahi-data", BID, &files), 0);
	ck_assert_int_eq(files, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("export");
	TCase *t = tcase_create("csv");
	tcase_add_test(t, csv_plain_values_are_unchanged);
	tcase_add_test(t, csv_quotes_commas_quotes_and_line_breaks);
	tcase_add_test(t, csv_defuses_formulas_in_text);
	tcase_add_test(t, csv_numbers_are_not_defused);
	tcase_add_test(t, csv_fails_at_the_cap);
	suite_add_tcase(s, t);
	t = tcase_create("purge");
	tcase_add_test(t, purge_removes_the_business_folder_without_following_links);
	tcase_add_test(t, purge_removes_a_link_in_place_of_the_folder);
	tcase_add_test(t, purge_refuses_a_name_that_is_not_a_uuid);
	tcase_add_test(t, purge_without_a_data_folder_is_fine);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
