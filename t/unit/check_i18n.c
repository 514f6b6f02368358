/* check_i18n: unit tests for bahi_i18n (the .po parser, loading a directory, look-ups, right-to-left languages). */
#include "bahi_i18n.h"

#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What put received, in order. */
static struct {
	char *id[16], *str[16];
	int n;
} got;

static void
collect(void *ctx, const char *msgid, const char *msgstr)
{
	ck_assert_ptr_eq(ctx, &got);
	ck_assert_int_lt(got.n, 16);
	got.id[got.n] = strdup(msgid);
	got.str[got.n] = strdup(msgstr);
	got.n++;
}

static void
got_reset(void)
{
	for (int i = 0; i < got.n; i++) {
		free(got.id[i]);
		free(got.str[i]);
	}
	got.n = 0;
}

/* Parses a NUL-terminated text; returns the error line, or 0 when it parsed. */
static int
parse(const char *text)
{
	int line = -5;
	got_reset();
	int rc = bahi_i18n_parse(text, strlen(text), collect, &got, &line);
	if (rc == 0) {
		ck_assert_int_eq(line, -5);
		return 0;
	}
	ck_assert_int_eq(rc, -1);
	return line;
}

static const char sample[] =
	"# Urdu translations of the admin panel.\n"
	"msgid \"\"\n"
	"msgstr \"\"\n"
	"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	"\"Language: ur\\n\"\n"
	"\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
	"\n"
	"#: templates/invoices.tpl:3\n"
	"msgid \"Invoices\"\n"
	"msgstr \"انوائسز\"\n"
	"\n"
	"#, fuzzy\n"
	"msgid \"Stock\"\n"
	"msgstr \"اسٹاک\"\n"
	"\n"
	"msgid \"Long \"\n"
	"\"text\"\n"
	"msgstr \"\"\n"
	"\"لمبا \"\n"
	"  \"متن\"\n"
	"\n"
	"msgid \"Tab\\there \\\"quoted\\\" back\\\\slash\\nnew\"\n"
	"msgstr \"ٹیب\\tیہاں \\\"اقتباس\\\" \\\\\\nنیا\"\n"
	"\n"
	"msgid \"Untranslated\"\n"
	"msgstr \"\"\n"
	"\n"
	"#, c-format, fuzzy\n"
	"msgid \"Also fuzzy\"\n"
	"msgstr \"x\"\n"
	"\n"
	"#, c-format\n"
	"msgid \"%d items\"\n"
	"msgstr \"%d اشیاء\"\n"
	"msgctxt \"menu\"\n"
	"msgid \"Open\"\n"
	"msgstr \"کھولیں\"\n"
	"\n"
	"msgid \"One day\"\n"
	"msgid_plural \"%d days\"\n"
	"msgstr[0] \"ایک دن\"\n"
	"msgstr[1] \"%d دن\"\n"
	"\n"
	"#, fuzzy\n"
	"#~ msgid \"Old\"\n"
	"#~ msgstr \"پرانا\"\n"
	"\n"
	"msgid \"After the obsolete one\"\n"
	"msgstr \"پرانے کے بعد\"\n";

START_TEST(parse_sample)
{
	ck_assert_int_eq(parse(sample), 0);
	ck_assert_int_eq(got.n, 7);
	ck_assert_str_eq(got.id[0], "Invoices");
	ck_assert_str_eq(got.str[0], "انوائسز");
	ck_assert_str_eq(got.id[1], "Long text");
	ck_assert_str_eq(got.str[1], "لمبا متن");
	ck_assert_str_eq(got.id[2], "Tab\there \"quoted\" back\\slash\nnew");
	ck_assert_str_eq(got.str[2], "ٹیب\tیہاں \"اقتباس\" \\\nنیا");
	ck_assert_str_eq(got.id[3], "%d items");
	ck_assert_str_eq(got.str[3], "%d اشیاء");
	ck_assert_str_eq(got.id[4], "Open");
	ck_assert_str_eq(got.str[4], "کھولیں");
	ck_assert_str_eq(got.id[5], "One day");
	ck_assert_str_eq(got.str[5], "ایک دن");
	ck_assert_str_eq(got.id[6], "After the obsolete one");
	ck_assert_str_eq(got.str[6], "پرانے کے بعد");
	got_reset();
}
END_TEST

START_TEST(parse_crlf_bom_and_length)
{
	static const char crlf[] = "\xEF\xBB\xBFmsgid \"a\"\r\nmsgstr \"b\"\r\n\"c\"\r\n";
	int line = 0;

	ck_assert_int_eq(parse(crlf), 0);
	ck_assert_int_eq(got.n, 1);
	ck_assert_str_eq(got.id[0], "a");
	ck_assert_str_eq(got.str[0], "bc");
	/* only len bytes are read: what follows (no line end, garbage) is not */
	static const char cut[] = "msgid \"x\"\nmsgstr \"y\"GARBAGE";
	got_reset();
	ck_assert_int_eq(bahi_i18n_parse(cut, sizeof(cut) - 1 - 7, collect, &got, &line), 0);
	ck_assert_int_eq(got.n, 1);
	ck_assert_str_eq(got.str[0], "y");
	ck_assert_int_eq(parse(cut), 2);
	ck_assert_int_eq(parse(""), 0);
	ck_assert_int_eq(got.n, 0);
	got_reset();
}
END_TEST

START_TEST(parse_syntax_errors)
{
	static const struct {
		const char *text;
		int line;
	} bad[] = {
		{"msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\n", 4},           /* unterminated */
		{"msgid \"a\"\nmsgstr \"b\"\nbogus \"x\"\n", 3},            /* unknown keyword */
		{"msgstr \"x\"\n", 1},                                       /* msgstr first */
		{"msgid \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n", 2},             /* two msgids */
		{"# c\n\nmsgid \"a\"\n\n", 3},                               /* no msgstr at the end */
		{"\"orphan\"\n", 1},                                         /* string first */
		{"msgid \"a\" junk\nmsgstr \"b\"\n", 1},                     /* after the quote */
		{"msgid \"a\\q\"\nmsgstr \"b\"\n", 1},                       /* unknown escape */
		{"msgid \"a\"\nmsgstr \"\xff\"\n", 2},                       /* not UTF-8 */
		{"msgid \"a\"\nmsgstr \"\xE0\x80\xAF\"\n", 2},               /* overlong */
		{"msgid \"a\"\nmsgstr[0] \"b\"\n", 2},                       /* [n] without plural */
		{"msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"b\"\n", 3},  /* [1] before [0] */
		{"msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0 \"b\"\n", 3},   /* malformed [n] */
		{"msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", 3},            /* two msgstrs */
		{"msgid \"a\"\n# c\nmsgstr \"b\"\n", 2},                     /* comment inside */
		{"msgid a\nmsgstr \"b\"\n", 1},                              /* no quotes */
		{"msgid \"tab\there\"\nmsgstr \"b\"\n", 0},                  /* raw tab is fine */
		{"msgid \"a\"\nmsgstr \"b\x01\"\n", 2},                      /* control character */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int line = parse(bad[i].text);
		ck_assert_msg(line == bad[i].line, "case %zu: expected line %d, got %d",
		              i, bad[i].line, line);
	}
	/* the entries ended before the error were put ("c" ends only at the next entry) */
	ck_assert_int_eq(parse("msgid \"a\"\nmsgstr \"b\"\nmsgid \"c\"\nmsgstr \"d\"\n?\n"), 5);
	ck_assert_int_eq(got.n, 1);
	ck_assert_str_eq(got.str[0], "b");
	got_reset();
}
END_TEST

/* ------------------------------------------------------------ loading */

static char tmp[64];

/* Writes dir/rel with text. */
static void
write_file(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void
rm(const char *rel)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	ck_assert_int_eq(remove(path), 0);
}

static void
make_tree(void)
{
	char path[256];
	snprintf(tmp, sizeof(tmp), "/tmp/check_i18n.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/ur", tmp);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/en", tmp);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	write_file("ur/admin.po", sample);
	write_file("ur/reports.po",
	           "msgid \"Sales\"\nmsgstr \"فروخت\"\n\nmsgid \"Invoices\"\nmsgstr \"بل\"\n");
	write_file("ur/notes.txt", "not a po file");
	write_file("en/admin.po", "msgid \"Invoices\"\nmsgstr \"Bills\"\n");
	write_file("README", "not a language");
}

static void
remove_tree(void)
{
	rm("ur/admin.po");
	rm("ur/reports.po");
	rm("ur/notes.txt");
	rm("en/admin.po");
	rm("README");
	rm("ur");
	rm("en");
	ck_assert_int_eq(rmdir(tmp), 0);
}

START_TEST(load_and_look_up)
{
	make_tree();
	ck_assert_int_eq(bahi_i18n_load(tmp), 0);
	/* reports.po sorts after admin.po: its "Invoices" wins */
	ck_assert_str_eq(bahi_i18n_get("ur", "Invoices"), "بل");
	ck_assert_str_eq(bahi_i18n_get("ur", "Sales"), "فروخت");
	ck_assert_str_eq(bahi_i18n_get("ur", "Long text"), "لمبا متن");
	ck_assert_str_eq(bahi_i18n_get("ur", "One day"), "ایک دن");
	/* len bytes of a longer, unterminated text */
	static const char page[] = {'S', 'a', 'l', 'e', 's', 'X', 'Y'};
	ck_assert_str_eq(bahi_i18n_lookup("ur", page, 5), "فروخت");
	ck_assert_ptr_null(bahi_i18n_lookup("ur", page, 4));
	ck_assert_ptr_null(bahi_i18n_lookup("ur", page, 7));
	ck_assert_ptr_null(bahi_i18n_lookup("ur", "", 0));
	/* fuzzy, empty, unknown, English, other languages: NULL, and get gives msgid back */
	ck_assert_ptr_null(bahi_i18n_lookup("ur", "Stock", 5));
	ck_assert_ptr_null(bahi_i18n_lookup("ur", "Untranslated", 12));
	ck_assert_ptr_null(bahi_i18n_lookup("ur", "Old", 3));
	ck_assert_ptr_null(bahi_i18n_lookup("en", "Invoices", 8));
	ck_assert_ptr_null(bahi_i18n_lookup("fr", "Invoices", 8));
	ck_assert_ptr_null(bahi_i18n_lookup(NULL, "Invoices", 8));
	const char *msgid = "Stock";
	ck_assert_ptr_eq(bahi_i18n_get("ur", msgid), msgid);
	ck_assert_ptr_eq(bahi_i18n_get("en", msgid), msgid);
	ck_assert_ptr_eq(bahi_i18n_get("fr", msgid), msgid);
	ck_assert_ptr_null(bahi_i18n_get("ur", NULL));

	/* a syntax error fails the load and keeps what was loaded */
	write_file("ur/reports.po", "msgid \"Sales\"\nmsgstr \"فروخت\"\nmsgstr \"again\"\n");
	ck_assert_int_eq(bahi_i18n_load(tmp), -1);
	ck_assert_str_eq(bahi_i18n_get("ur", "Invoices"), "بل");
	/* a good reload replaces everything */
	write_file("ur/reports.po", "msgid \"Customers\"\nmsgstr \"گاہک\"\n");
	ck_assert_int_eq(bahi_i18n_load(tmp), 0);
	ck_assert_str_eq(bahi_i18n_get("ur", "Invoices"), "انوائسز");
	ck_assert_str_eq(bahi_i18n_get("ur", "Customers"), "گاہک");
	ck_assert_str_eq(bahi_i18n_get("ur", "Sales"), "Sales");
	remove_tree();
	ck_assert_int_eq(bahi_i18n_load(tmp), -1);   /* gone */
	ck_assert_str_eq(bahi_i18n_get("ur", "Customers"), "گاہک");
}
END_TEST

START_TEST(load_many_entries)
{
	/* 1000 entries: the table grows past its first size and finds each one */
	char path[256], *text = malloc(64 * 1024);
	size_t len = 0;
	ck_assert_ptr_nonnull(text);
	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(text + len, 64 * 1024 - len,
		                        "msgid \"item %d\"\nmsgstr \"شے %d\"\n", i, i);
	snprintf(tmp, sizeof(tmp), "/tmp/check_i18n.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/ur", tmp);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	write_file("ur/many.po", text);
	free(text);
	ck_assert_int_eq(bahi_i18n_load(tmp), 0);
	for (int i = 0; i < 1000; i++) {
		char id[32], want[32];
		snprintf(id, sizeof(id), "item %d", i);
		snprintf(want, sizeof(want), "شے %d", i);
		ck_assert_str_eq(bahi_i18n_get("ur", id), want);
	}
	ck_assert_ptr_null(bahi_i18n_lookup("ur", "item 1000", 9));
	rm("ur/many.po");
	ck_assert_int_eq(bahi_i18n_load(tmp), 0);   /* an empty language: nothing */
	ck_assert_ptr_null(bahi_i18n_lookup("ur", "item 1", 6));
	rm("ur");
	ck_assert_int_eq(rmdir(tmp), 0);
}
END_TEST

START_TEST(rtl_languages)
{
	ck_assert_int_eq(bahi_i18n_is_rtl("ur"), 1);
	ck_assert_int_eq(bahi_i18n_is_rtl("ar"), 1);
	ck_assert_int_eq(bahi_i18n_is_rtl("fa"), 1);
	ck_assert_int_eq(bahi_i18n_is_rtl("he"), 1);
	ck_assert_int_eq(bahi_i18n_is_rtl("ur_PK"), 1);
	ck_assert_int_eq(bahi_i18n_is_rtl("ur-PK"), 1);
	ck_assert_int_eq(bahi_i18n_is_rtl("en"), 0);
	ck_assert_int_eq(bahi_i18n_is_rtl("urd"), 0);
	ck_assert_int_eq(bahi_i18n_is_rtl("u"), 0);
	ck_assert_int_eq(bahi_i18n_is_rtl(""), 0);
	ck_assert_int_eq(bahi_i18n_is_rtl(NULL), 0);
}
END_TEST

static Suite *
i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_sample);
	tcase_add_test(tc, parse_crlf_bom_and_length);
	tcase_add_test(tc, parse_syntax_errors);
	tcase_add_test(tc, load_and_look_up);
	tcase_add_test(tc, load_many_entries);
	tcase_add_test(tc, rtl_languages);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return bahi_check_run(i18n_suite());
}
