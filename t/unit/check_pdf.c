/* check_pdf: unit tests for Arabic-script shaping (bahi_shape) and invoice PDFs (bahi_pdf), read back with poppler. */
#include "bahi_config.h"
#include "bahi_pdf.h"
#include "bahi_shape.h"

#include <check.h>

#include "../check_run.h"
#include "../pdf_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shaping ---------------------------------------------------------- */

/* Shapes s and compares the code points of the result with want[0..n). */
static void
assert_shaped(const char *s, int dir, const uint32_t *want, size_t n)
{
	uint32_t got[64];
	char *v = bahi_shape_visual(s, dir);
	ck_assert_ptr_nonnull(v);
	size_t m = bahi_utf8_decode(v, got, 64);
	free(v);
	ck_assert_uint_eq(m, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(got[i] == want[i], "%s: [%zu] is U+%04X, want U+%04X",
		    s, i, (unsigned)got[i], (unsigned)want[i]);
}

#define SHAPED(s, dir, ...) do { \
	static const uint32_t want_[] = {__VA_ARGS__}; \
	assert_shaped(s, dir, want_, sizeof(want_) / sizeof(want_[0])); \
} while (0)

START_TEST(shape_salam_joins_and_reverses)
{
	/* seen initial, lam-alef final ligature, meem isolated; visual order */
	SHAPED("سلام", BAHI_DIR_RTL, 0xFEE1, 0xFEFC, 0xFEB3);
	/* the same word inside a left-to-right line keeps its own order */
	SHAPED("Ali سلام", BAHI_DIR_LTR, 'A', 'l', 'i', ' ', 0xFEE1, 0xFEFC, 0xFEB3);
}
END_TEST

START_TEST(shape_lam_alef_ligatures)
{
	SHAPED("لا", BAHI_DIR_RTL, 0xFEFB);                 /* isolated */
	SHAPED("بلا", BAHI_DIR_RTL, 0xFEFC, 0xFE91);        /* final after beh */
	SHAPED("لآ", BAHI_DIR_RTL, 0xFEF5);                 /* lam with madda alef */
}
END_TEST

START_TEST(shape_urdu_letters)
{
	/* peh, keheh: Presentation Forms-A; noon isolated at the end */
	SHAPED("پاکستان", BAHI_DIR_RTL,
	    0xFEE5, 0xFE8E, 0xFE98, 0xFEB4, 0xFB90, 0xFE8E, 0xFB58);
	/* farsi yeh final, tteh initial, heh goal initial, yeh barree final */
	SHAPED("علی", BAHI_DIR_RTL, 0xFBFD, 0xFEE0, 0xFECB);
	SHAPED("ٹوپی", BAHI_DIR_RTL, 0xFBFD, 0xFB58, 0xFEEE, 0xFB68);
	SHAPED("ہے", BAHI_DIR_RTL, 0xFBAF, 0xFBA8);
}
END_TEST

START_TEST(shape_urdu_with_digits)
{
	/* digits stay left to right, at the line's left end in RTL */
	SHAPED("قیمت 250", BAHI_DIR_RTL,
	    '2', '5', '0', ' ', 0xFE96, 0xFEE4, 0xFBFF, 0xFED7);
	/* after Arabic letters 19 is an Arabic number: '%' stays on its left,
	 * brackets are mirrored */
	SHAPED("ٹیکس (19%)", BAHI_DIR_RTL,
	    '(', '%', '1', '9', ')', ' ', 0xFEB2, 0xFB91, 0xFBFF, 0xFB68);
	SHAPED("(سلام)", BAHI_DIR_RTL, '(', 0xFEE1, 0xFEFC, 0xFEB3, ')');
}
END_TEST

START_TEST(shape_cleans_controls_and_bad_utf8)
{
	SHAPED("a\tb", BAHI_DIR_LTR, 'a', ' ', 'b');
	SHAPED("x\xFFy", BAHI_DIR_LTR, 'x', 0xFFFD, 'y');
	SHAPED("\xE2\x80\x8F" "ab", BAHI_DIR_LTR, 'a', 'b');   /* RLM dropped */
	SHAPED("\xD8", BAHI_DIR_LTR, 0xFFFD);                   /* cut sequence */
	char *v = bahi_shape_visual("", BAHI_DIR_RTL);
	ck_assert_str_eq(v, "");
	free(v);
}
END_TEST

START_TEST(shape_direction_of_first_strong_char)
{
	ck_assert_int_eq(bahi_shape_direction("123 علی"), BAHI_DIR_RTL);
	ck_assert_int_eq(bahi_shape_direction("Ali علی"), BAHI_DIR_LTR);
	ck_assert_int_eq(bahi_shape_direction("12-3"), 0);
	ck_assert_int_eq(bahi_shape_direction(""), 0);
}
END_TEST

/* ---- PDFs --------------------------------------------------------------- */

/* The seed's invoice: 2 x 100.00, 10% discount, 19% tax, 5.00 fee = 219.20. */
static bahi_pdf_line seed_lines[] = {
	{"Rice", 2000, 10000, 20000},
};

static bahi_pdf_invoice
seed_invoice(void)
{
	bahi_pdf_invoice inv = {
		.business_name = "Karachi General Store", .language = "en",
		.currency = "PKR", .number = "42", .date = "2026-11-21",
		.customer_name = "Ali Khan", .customer_phone = "+923001234567",
		.lines = seed_lines, .nlines = 1,
		.subtotal = 20000, .discount = 2000, .tax_rate_bp = 1900,
		.tax = 3420, .fee = 500, .total = 21920, .paid = 5000,
		.credit_applied = 1000, .amount_due = 15920,
		.due_date = "2026-12-06", .status = "unpaid",
	};
	return inv;
}

/* Renders inv into <builddir>/t/unit/check_pdf_<name>.pdf; returns the path. */
static const char *
render(const bahi_pdf_invoice *inv, int layout, const char *name)
{
	static char path[4096];
	const char *dir = getenv("BAHI_BUILDDIR");
	snprintf(path, sizeof(path), "%s/t/unit/check_pdf_%s.pdf", dir ? dir : ".", name);
	ck_assert_ptr_null(strchr(path, '\''));
	unsigned char *pdf = NULL;
	size_t len = 0;
	ck_assert_int_eq(bahi_pdf_render(inv, layout, &pdf, &len), 0);
	ck_assert_uint_gt(len, 1000);
	ck_assert_int_eq(memcmp(pdf, "%PDF-", 5), 0);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(pdf, 1, len, f), len);
	fclose(f);
	free(pdf);
	return path;
}

/* xMin and xMax of the nth word equal to word in pdftotext -bbox output. */
static void
word_box(const char *path, const char *word, int nth, double *xmin, double *xmax)
{
	char cmd[4200], needle[256];
	snprintf(cmd, sizeof(cmd), "pdftotext -q -bbox '%s' -", path);
	snprintf(needle, sizeof(needle), ">%s</word>", word);
	char *html = pt_capture(cmd);
	char *p = html;
	for (int i = 0; i <= nth; i++) {
		p = strstr(p + (i > 0), needle);
		ck_assert_msg(p != NULL, "word %s #%d not found", word, nth);
	}
	*p = '\0';
	char *w = strrchr(html, '<');
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(sscanf(w, "<word xMin=\"%lf\" yMin=\"%*f\" xMax=\"%lf\"",
	    xmin, xmax), 2);
	free(html);
}

START_TEST(pdf_a4_english_has_every_figure)
{
	bahi_pdf_invoice inv = seed_invoice();
	const char *path = render(&inv, BAHI_PDF_A4, "a4_en");
	double w, h;
	ck_assert_int_eq(pt_info(path, &w, &h), 1);
	ck_assert_double_eq_tol(w, PT_A4_W, 0.01);
	ck_assert_double_eq_tol(h, PT_A4_H, 0.01);
	char *t = pt_text(path, 0);
	ck_assert_str_eq(pt_line(t, "Karachi"), "Karachi General Store Invoice");
	ck_assert_str_eq(pt_line(t, "Invoice No."), "Invoice No. 42");
	ck_assert_str_eq(pt_line(t, "Customer"), "Customer Ali Khan Date 2026-11-21");
	ck_assert_str_eq(pt_line(t, "Phone"), "Phone +923001234567");
	ck_assert_str_eq(pt_line(t, "Item"), "Item Qty Unit price Amount");
	ck_assert_str_eq(pt_line(t, "Rice"), "Rice 2 Rs 100.00 Rs 200.00");
	ck_assert_str_eq(pt_line(t, "Subtotal"), "Subtotal Rs 200.00");
	ck_assert_str_eq(pt_line(t, "Discount"), "Discount -Rs 20.00");
	ck_assert_str_eq(pt_line(t, "Tax"), "Tax (19%) Rs 34.20");
	ck_assert_str_eq(pt_line(t, "Fee"), "Fee Rs 5.00");
	ck_assert_str_eq(pt_line(t, "Total"), "Total Rs 219.20");
	ck_assert_str_eq(pt_line(t, "Credit applied"), "Credit applied -Rs 10.00");
	ck_assert_str_eq(pt_line(t, "Paid"), "Paid Rs 50.00");
	ck_assert_str_eq(pt_line(t, "Amount due"), "Amount due Rs 159.20");
	ck_assert_str_eq(pt_line(t, "Due date"), "Due date 2026-12-06");
	ck_assert_str_eq(pt_line(t, "Page"), "Page 1 of 1");
	ck_assert_int_eq(pt_count(t, "VOID"), 0);
	ck_assert_int_eq(pt_count(t, "PAID"), 0);
	free(t);
}
END_TEST

START_TEST(pdf_optional_rows_and_stamps)
{
	bahi_pdf_invoice inv = seed_invoice();
	inv.discount = 0;
	inv.fee = 0;
	inv.tax = 0;
	inv.tax_rate_bp = 0;
	inv.credit_applied = 0;
	inv.customer_name = NULL;
	inv.customer_phone = "";
	inv.due_date = NULL;
	inv.status = "void";
	inv.currency = "KWD";   /* 3 decimals, printed with its code */
	const char *path = render(&inv, BAHI_PDF_A4, "a4_void");
	char *t = pt_text(path, 0);
	ck_assert_int_eq(pt_count(t, "Discount"), 0);
	ck_assert_int_eq(pt_count(t, "Tax"), 0);
	ck_assert_int_eq(pt_count(t, "Fee"), 0);
	ck_assert_int_eq(pt_count(t, "Credit applied"), 0);
	ck_assert_int_eq(pt_count(t, "Due date"), 0);
	ck_assert_int_eq(pt_count(t, "Customer"), 0);
	ck_assert_int_eq(pt_count(t, "Phone"), 0);
	ck_assert_str_eq(pt_line(t, "VOID"), "VOID");
	ck_assert_str_eq(pt_line(t, "Total"), "Total KWD 21.920");
	free(t);

	inv.status = "paid";
	inv.tax_rate_bp = 1750;
	inv.tax = 315;
	path = render(&inv, BAHI_PDF_RECEIPT, "receipt_paid");
	t = pt_text(path, 0);
	ck_assert_str_eq(pt_line(t, "PAID"), "PAID");
	ck_assert_str_eq(pt_line(t, "Tax"), "Tax (17.5%) KWD 0.315");
	free(t);
}
END_TEST

START_TEST(pdf_urdu_customer_in_english_layout)
{
	bahi_pdf_invoice inv = seed_invoice();
	inv.customer_name = "علی حسن";
	const char *path = render(&inv, BAHI_PDF_A4, "a4_urdu_customer");
	char *t = pt_text(path, 0);
	/* drawn shaped in visual order, poppler gives back the presentation
	 * forms in logical order: ain initial, lam medial, farsi yeh final,
	 * hah initial, seen medial, noon final */
	ck_assert_str_eq(pt_line(t, "Customer"),
	    "Customer \uFECB\uFEE0\uFBFD \uFEA3\uFEB4\uFEE6 Date 2026-11-21");
	free(t);
}
END_TEST

START_TEST(pdf_urdu_names_are_right_aligned_in_their_cell)
{
	static bahi_pdf_line lines[] = {
		{"Sugar", 1000, 500, 500},
		{"چاول", 1000, 700, 700},
	};
	bahi_pdf_invoice inv = seed_invoice();
	inv.lines = lines;
	inv.nlines = 2;
	inv.currency = NULL;   /* amounts without a symbol: one word each */
	const char *path = render(&inv, BAHI_PDF_A4, "a4_cells");
	double x0, x1;
	/* item cell: 42 pt margin + 2 pt padding, 250.276 pt wide */
	word_box(path, "Sugar", 0, &x0, &x1);
	ck_assert_double_eq_tol(x0, 44.0, 0.01);
	word_box(path, "\uFEDD\uFEED\uFE8E\uFB7C", 0, &x0, &x1);   /* چاول, visual */
	ck_assert_double_eq_tol(x1, 294.276, 0.01);
	word_box(path, "219.20", 0, &x0, &x1);
	ck_assert_double_eq_tol(x1, PT_A4_W - 42, 0.01);

	/* the Urdu layout mirrors the page: names start at the right edge, the
	 * Latin name is left-aligned in the mirrored cell, totals on the left */
	inv.language = "ur";
	path = render(&inv, BAHI_PDF_A4, "a4_cells_ur");
	word_box(path, "\uFEDD\uFEED\uFE8E\uFB7C", 0, &x0, &x1);
	ck_assert_double_eq_tol(x1, PT_A4_W - 44, 0.01);
	word_box(path, "Sugar", 0, &x0, &x1);
	ck_assert_double_eq_tol(x0, PT_A4_W - 44 - 250.276, 0.01);
	word_box(path, "219.20", 0, &x0, &x1);
	ck_assert_double_eq_tol(x0, 42.0, 0.01);
}
END_TEST

START_TEST(pdf_urdu_layout_labels)
{
	bahi_pdf_invoice inv = seed_invoice();
	inv.language = "ur";
	const char *path = render(&inv, BAHI_PDF_A4, "a4_ur");
	char *t = pt_text(path, 0);
	/* "انوائس نمبر" (invoice number) right of its value 42 */
	ck_assert_str_eq(pt_line(t, "42 "),
	    "42 \uFE8D\uFEE7\uFEEE\uFE8D\uFE8B\uFEB2 \uFEE7\uFEE4\uFE92\uFEAE");
	/* "کل" (total) right of the amount */
	ck_assert_str_eq(pt_line(t, "Rs 219.20"), "Rs 219.20 \uFB90\uFEDE");
	ck_assert_int_eq(pt_count(t, "Total"), 0);
	ck_assert_int_eq(pt_count(t, "Rice"), 1);
	free(t);
}
END_TEST

/* A long invoice of n lines (see PT_LINE_QTY, PT_LINE_PRICE). */
static bahi_pdf_invoice
long_invoice(int n, bahi_pdf_line *lines, char (*names)[16])
{
	bahi_pdf_invoice inv = seed_invoice();
	for (int i = 1; i <= n; i++) {
		snprintf(names[i - 1], 16, "Line %03d", i);
		lines[i - 1].name = names[i - 1];
		lines[i - 1].qty = PT_LINE_QTY(i) * 1000;
		lines[i - 1].unit_price = PT_LINE_PRICE(i);
		lines[i - 1].line_total = PT_LINE_QTY(i) * PT_LINE_PRICE(i);
	}
	inv.lines = lines;
	inv.nlines = (size_t)n;
	return inv;
}

START_TEST(pdf_a4_200_lines_span_pages)
{
	static bahi_pdf_line lines[200];
	static char names[200][16];
	bahi_pdf_invoice inv = long_invoice(200, lines, names);
	const char *path = render(&inv, BAHI_PDF_A4, "a4_200");
	double w, h;
	int pages = pt_info(path, &w, &h);
	ck_assert_int_ge(pages, 3);
	char *all = pt_text(path, 0);
	pt_assert_lines(all, 200, 1);
	ck_assert_int_eq(pt_count(all, "\f"), pages);
	free(all);
	pt_assert_pages(path, pages, 42, 200);
}
END_TEST

START_TEST(pdf_receipt_is_80mm_and_one_page)
{
	static bahi_pdf_line lines[] = {
		{"Rice", 2000, 10000, 20000},
		{"Super Basmati Rice Premium Quality 5kg Bag", 1500, 1000, 1500},
	};
	bahi_pdf_invoice inv = seed_invoice();
	inv.lines = lines;
	inv.nlines = 2;
	inv.customer_name = "علی حسن";
	const char *path = render(&inv, BAHI_PDF_RECEIPT, "receipt");
	double w, h;
	ck_assert_int_eq(pt_info(path, &w, &h), 1);
	ck_assert_double_eq_tol(w, PT_MM80, 0.01);
	ck_assert_double_gt(h, 250);
	ck_assert_double_lt(h, 500);
	char *t = pt_text(path, 0);
	ck_assert_str_eq(pt_line(t, "Invoice No."), "Invoice No. 42");
	ck_assert_str_eq(pt_line(t, "Customer"),
	    "Customer \uFECB\uFEE0\uFBFD \uFEA3\uFEB4\uFEE6");
	ck_assert_str_eq(pt_line(t, "Item"), "Item Qty Amount");
	ck_assert_str_eq(pt_line(t, "Rice"), "Rice 2 Rs 200.00");
	ck_assert_str_eq(pt_line(t, "@ Rs 100.00"), "@ Rs 100.00");
	/* the long name wraps inside its narrow column */
	ck_assert_str_eq(pt_line(t, "Super"), "Super Basmati Rice Premium 1.5 Rs 15.00");
	ck_assert_str_eq(pt_line(t, "Quality"), "Quality 5kg Bag");
	ck_assert_str_eq(pt_line(t, "Total"), "Total Rs 219.20");
	ck_assert_str_eq(pt_line(t, "Amount due"), "Amount due Rs 159.20");
	ck_assert_int_eq(pt_count(t, "Page "), 0);
	free(t);
}
END_TEST

START_TEST(pdf_receipt_grows_then_pages)
{
	static bahi_pdf_line lines[900];
	static char names[900][16];
	bahi_pdf_invoice inv = long_invoice(200, lines, names);
	const char *path = render(&inv, BAHI_PDF_RECEIPT, "receipt_200");
	double w, h;
	ck_assert_int_eq(pt_info(path, &w, &h), 1);
	ck_assert_double_eq_tol(w, PT_MM80, 0.01);
	ck_assert_double_gt(h, 200 * 21.0);
	char *t = pt_text(path, 0);
	pt_assert_lines(t, 200, 0);
	free(t);

	/* beyond PDF's 14400 pt page limit the receipt is paged */
	inv = long_invoice(900, lines, names);
	path = render(&inv, BAHI_PDF_RECEIPT, "receipt_900");
	int pages = pt_info(path, &w, &h);
	ck_assert_int_ge(pages, 2);
	ck_assert_double_eq_tol(h, 14400, 0.01);
	t = pt_text(path, 0);
	pt_assert_lines(t, 900, 0);
	ck_assert_int_eq(pt_count(t, "Amount due"), 1);
	char footer[64];
	snprintf(footer, sizeof(footer), "Page %d of %d", pages, pages);
	ck_assert_int_eq(pt_count(t, footer), 1);
	free(t);
}
END_TEST

START_TEST(pdf_overlong_name_ends_in_ellipsis)
{
	char name[2000];
	for (int i = 0; i < 120; i++)
		memcpy(name + i * 5, "word ", 5);
	name[600] = '\0';
	bahi_pdf_line lines[] = {{name, 1000, 100, 100}};
	bahi_pdf_invoice inv = seed_invoice();
	inv.lines = lines;
	inv.nlines = 1;
	const char *path = render(&inv, BAHI_PDF_RECEIPT, "receipt_long_name");
	char *t = pt_text(path, 0);
	ck_assert_int_eq(pt_count(t, "\u2026"), 1);
	ck_assert_int_lt(pt_count(t, "word"), 120);
	free(t);
}
END_TEST

START_TEST(pdf_refuses_bad_input_and_missing_font)
{
	bahi_pdf_invoice inv = seed_invoice();
	unsigned char *out = (unsigned char *)"x";
	size_t len = 7;
	ck_assert_int_eq(bahi_pdf_render(&inv, 0, &out, &len), -1);
	ck_assert_int_eq(bahi_pdf_render(NULL, BAHI_PDF_A4, &out, &len), -1);
	inv.nlines = 3;
	inv.lines = NULL;
	ck_assert_int_eq(bahi_pdf_render(&inv, BAHI_PDF_A4, &out, &len), -1);

	inv = seed_invoice();
	const char *saved = bahi_config_get("font_path");
	char keep[1024];
	snprintf(keep, sizeof(keep), "%s", saved);
	ck_assert_int_eq(bahi_config_set("font_path", "/nonexistent/font.ttf"), 0);
	ck_assert_int_eq(bahi_pdf_render(&inv, BAHI_PDF_A4, &out, &len), -1);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(bahi_config_set("font_path", keep), 0);

	ck_assert_int_eq(bahi_pdf_layout_parse("a4"), BAHI_PDF_A4);
	ck_assert_int_eq(bahi_pdf_layout_parse("receipt"), BAHI_PDF_RECEIPT);
	ck_assert_int_eq(bahi_pdf_layout_parse("A4"), -1);
	ck_assert_int_eq(bahi_pdf_layout_parse(""), -1);
	ck_assert_int_eq(bahi_pdf_layout_parse(NULL), -1);
}
END_TEST

START_TEST(pdf_empty_invoice_still_renders)
{
	bahi_pdf_invoice inv = {0};
	const char *path = render(&inv, BAHI_PDF_A4, "a4_empty");
	char *t = pt_text(path, 0);
	ck_assert_str_eq(pt_line(t, "Total"), "Total 0.00");
	free(t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pdf");
	TCase *tc = tcase_create("shape");
	tcase_add_test(tc, shape_salam_joins_and_reverses);
	tcase_add_test(tc, shape_lam_alef_ligatures);
	tcase_add_test(tc, shape_urdu_letters);
	tcase_add_test(tc, shape_urdu_with_digits);
	tcase_add_test(tc, shape_cleans_controls_and_bad_utf8);
	tcase_add_test(tc, shape_direction_of_first_strong_char);
	suite_add_tcase(s, tc);
	tc = tcase_create("pdf");
	tcase_add_test(tc, pdf_a4_english_has_every_figure);
	tcase_add_test(tc, pdf_optional_rows_and_stamps);
	tcase_add_test(tc, pdf_urdu_customer_in_english_layout);
	tcase_add_test(tc, pdf_urdu_names_are_right_aligned_in_their_cell);
	tcase_add_test(tc, pdf_urdu_layout_labels);
	tcase_add_test(tc, pdf_a4_200_lines_span_pages);
	tcase_add_test(tc, pdf_receipt_is_80mm_and_one_page);
	tcase_add_test(tc, pdf_receipt_grows_then_pages);
	tcase_add_test(tc, pdf_overlong_name_ends_in_ellipsis);
	tcase_add_test(tc, pdf_refuses_bad_input_and_missing_font);
	tcase_add_test(tc, pdf_empty_invoice_still_renders);
	suite_add_tcase(s, tc);
	return bahi_check_run(s);
}
