/* check_po: every English text of the admin panel has its Urdu translation in po/ur, once. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_i18n.h"
#include "bahi_tmpl.h"

#include "../check_run.h"

static char srcdir[1024];

/* The whole file, NUL-terminated (malloc'd), or NULL. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s != NULL)
		s[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return s;
}

typedef struct missing {
	int n;
	char first[10][160];
} missing;

static void
check_text(missing *m, const char *where, const char *msgid, size_t len)
{
	if (bahi_i18n_lookup("ur", msgid, len) != NULL)
		return;
	if (m->n < 10)
		snprintf(m->first[m->n], sizeof(m->first[0]), "%s: \"%.*s\"", where, (int)len, msgid);
	m->n++;
}

/* Calls fn for every file of dir whose name ends with suffix. */
static void
each_file(const char *dir, const char *suffix, void (*fn)(missing *, const char *), missing *m)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/%s", srcdir, dir);
	DIR *d = opendir(path);
	ck_assert_msg(d != NULL, "cannot open %s", path);
	struct dirent *e;
	int seen = 0;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), s = strlen(suffix);
		if (n <= s || strcmp(e->d_name + n - s, suffix) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", srcdir, dir, e->d_name);
		fn(m, path);
		seen++;
	}
	closedir(d);
	ck_assert_int_gt(seen, 0);
}

/* [[text]] markers of a template. */
static void
template_markers(missing *m, const char *path)
{
	char *s = slurp(path, NULL);
	ck_assert_ptr_nonnull(s);
	for (char *p = strstr(s, "[["); p != NULL; p = strstr(p, "[[")) {
		char *end = strstr(p + 2, "]]");
		ck_assert_msg(end != NULL, "%s: a [[ marker is not closed", path);
		check_text(m, strrchr(path, '/') + 1, p + 2, (size_t)(end - p - 2));
		p = end + 2;
	}
	free(s);
}

/* N_("text") literals of a C file (adjacent literals are not joined: keep
 * each message in one literal). */
static void
c_literals(missing *m, const char *path)
{
	char *s = slurp(path, NULL);
	ck_assert_ptr_nonnull(s);
	char buf[1024];
	for (char *p = strstr(s, "N_(\""); p != NULL; p = strstr(p, "N_(\"")) {
		size_t n = 0;
		for (p += 4; *p != '\0' && *p != '"' && n + 1 < sizeof(buf); p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			buf[n++] = *p;
		}
		check_text(m, strrchr(path, '/') + 1, buf, n);
	}
	free(s);
}

START_TEST(every_marker_and_message_is_translated)
{
	char po[1100];
	snprintf(po, sizeof(po), "%s/po", srcdir);
	ck_assert_int_eq(bahi_i18n_load(po), 0);
	missing m = {0};
	each_file("templates", ".tpl", template_markers, &m);
	each_file("cgi-bin/admin", ".c", c_literals, &m);
	ck_assert_msg(m.n == 0, "%d texts have no Urdu translation, such as %s; %s; %s", m.n,
	              m.first[0], m.n > 1 ? m.first[1] : "", m.n > 2 ? m.first[2] : "");
}
END_TEST

/* The msgids of every po/ur file, to find one given twice. */
typedef struct ids {
	char *all[4096];
	int n, dup;
	char first_dup[200];
} ids;

static void
collect(void *ctx, const char *msgid, const char *msgstr)
{
	(void)msgstr;
	ids *x = ctx;
	for (int i = 0; i < x->n; i++)
		if (strcmp(x->all[i], msgid) == 0) {
			if (x->dup++ == 0)
				snprintf(x->first_dup, sizeof(x->first_dup), "%s", msgid);
			return;
		}
	if (x->n < 4096)
		x->all[x->n++] = strdup(msgid);
}

static ids found;

static void
po_file(missing *m, const char *path)
{
	(void)m;
	size_t len;
	int line = 0;
	char *s = slurp(path, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(bahi_i18n_parse(s, len, collect, &found, &line) == 0, "%s:%d: syntax error",
	              path, line);
	free(s);
}

START_TEST(each_message_is_translated_once)
{
	missing m = {0};
	each_file("po/ur", ".po", po_file, &m);
	ck_assert_int_gt(found.n, 50);
	ck_assert_msg(found.dup == 0, "%d msgids appear twice in po/ur, such as \"%s\"", found.dup,
	              found.first_dup);
}
END_TEST

START_TEST(templates_are_translated_when_read)
{
	char dir[1100], po[1100];
	snprintf(dir, sizeof(dir), "%s/templates", srcdir);
	snprintf(po, sizeof(po), "%s/po", srcdir);
	ck_assert_int_eq(bahi_i18n_load(po), 0);
	bahi_tmpl_set_root(dir);
	bahi_tmpl_set_translator(bahi_i18n_lookup);
	char *ur = bahi_tmpl_translate("layout.html.tpl", "ur");
	char *en = bahi_tmpl_translate("layout.html.tpl", "en");
	ck_assert_ptr_nonnull(ur);
	ck_assert_ptr_nonnull(en);
	ck_assert_ptr_nonnull(strstr(ur, "<button type=\"submit\">سائن آؤٹ</button>"));
	ck_assert_ptr_nonnull(strstr(en, "<button type=\"submit\">Sign out</button>"));
	ck_assert_ptr_null(strstr(ur, "[["));
	free(ur);
	free(en);
}
END_TEST

int
main(void)
{
	const char *s = getenv("BAHI_SRCDIR");
	snprintf(srcdir, sizeof(srcdir), "%s", s != NULL ? s : ".");
	Suite *suite = suite_create("po");
	TCase *tc = tcase_create("translations");
	tcase_add_test(tc, every_marker_and_message_is_translated);
	tcase_add_test(tc, each_message_is_translated_once);
	tcase_add_test(tc, templates_are_translated_when_read);
	suite_add_tcase(suite, tc);
	return bahi_check_run(suite);
}
