/* pdf_text: reads PDFs back with poppler (pdftotext, pdfinfo) for the unit and integration PDF tests. */
#include "pdf_text.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for a command around a path of up to 4095 bytes. */
#define CMD_SIZE 4200

char *
pt_capture(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t cap = 1 << 16, len = 0, n;
	char *out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 4096) {
			out = realloc(out, cap *= 2);
			ck_assert_ptr_nonnull(out);
		}
	}
	out[len] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	return out;
}

/* Checks that path can stand in single quotes in a command of CMD_SIZE. */
static void
check_path(const char *path)
{
	ck_assert_ptr_null(strchr(path, '\''));
	ck_assert_uint_lt(strlen(path), 4096);
}

char *
pt_text(const char *path, int page)
{
	char cmd[CMD_SIZE];
	check_path(path);
	if (page > 0)
		snprintf(cmd, sizeof(cmd), "pdftotext -q -layout -f %d -l %d '%s' -", page, page, path);
	else
		snprintf(cmd, sizeof(cmd), "pdftotext -q -layout '%s' -", path);
	return pt_capture(cmd);
}

int
pt_info(const char *path, double *w, double *h)
{
	char cmd[CMD_SIZE];
	int pages = 0;
	check_path(path);
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
	char *out = pt_capture(cmd);
	char *p = strstr(out, "\nPages:");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "\nPages: %d", &pages), 1);
	p = strstr(out, "\nPage size:");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "\nPage size: %lf x %lf", w, h), 2);
	free(out);
	return pages;
}

/* Copies s[0..n) into out without poppler's bidi embedding marks
 * (U+202A..U+202E), runs of spaces made one, the ends trimmed. */
static void
normalise(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		const unsigned char *u = (const unsigned char *)s + i;
		if (i + 2 < n && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) {
			i += 2;
			continue;
		}
		if (s[i] == ' ' && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = s[i];
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

const char *
pt_line(const char *text, const char *prefix)
{
	static char line[1024];
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, "\n\f");
		normalise(p, n, line, sizeof(line));
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			return line;
		p += n;
		if (*p != '\0')
			p++;
	}
	return "";
}

int
pt_count(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

void
pt_assert_lines(const char *text, int n, int with_price)
{
	for (int i = 1; i <= n; i++) {
		char name[16], want[96];
		long q = PT_LINE_QTY(i), p = PT_LINE_PRICE(i), tot = q * p;
		snprintf(name, sizeof(name), "Line %03d", i);
		ck_assert_msg(pt_count(text, name) == 1, "%s printed %d times", name,
		              pt_count(text, name));
		if (with_price)
			snprintf(want, sizeof(want), "%s %ld Rs %ld.%02ld Rs %ld.%02ld", name, q, p / 100,
			         p % 100, tot / 100, tot % 100);
		else
			snprintf(want, sizeof(want), "%s %ld Rs %ld.%02ld", name, q, tot / 100, tot % 100);
		ck_assert_str_eq(pt_line(text, name), want);
	}
}

/* Checks that the lines of page text go on from line *last_seen + 1; the
 * last line on it into *last_seen. */
static void
assert_lines_go_on(const char *text, int *last_seen)
{
	const char *p = strstr(text, "Line ");
	int first = 0;
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sscanf(p, "Line %d", &first), 1);
	ck_assert_int_eq(first, *last_seen + 1);
	for (; p != NULL; p = strstr(p + 1, "Line "))
		ck_assert_int_eq(sscanf(p, "Line %d", last_seen), 1);
}

void
pt_assert_pages(const char *path, int pages, long number, int n)
{
	char cont[64], last_line[16];
	int last_seen = 0;
	snprintf(cont, sizeof(cont), "Invoice %ld (continued)", number);
	snprintf(last_line, sizeof(last_line), "Line %03d", n);
	for (int pg = 1; pg <= pages; pg++) {
		char *t = pt_text(path, pg), footer[32];
		snprintf(footer, sizeof(footer), "Page %d of %d", pg, pages);
		ck_assert_str_eq(pt_line(t, "Page "), footer);
		ck_assert_str_eq(pt_line(t, "Item"), "Item Qty Unit price Amount");
		ck_assert_int_eq(pt_count(t, cont), pg > 1);
		ck_assert_int_eq(pt_count(t, "Invoice No."), pg == 1);
		ck_assert_int_eq(pt_count(t, "Subtotal"), pg == pages);
		ck_assert_int_eq(pt_count(t, "Total"), pg == pages);
		ck_assert_int_eq(pt_count(t, "Amount due"), pg == pages);
		ck_assert_int_eq(pt_count(t, last_line), pg == pages);
		assert_lines_go_on(t, &last_seen);
		free(t);
	}
	ck_assert_int_eq(last_seen, n);
}
