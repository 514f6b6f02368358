/* pdf_text: reads PDFs back with poppler (pdftotext, pdfinfo) for the unit and integration PDF tests. */
#ifndef BAHI_TEST_PDF_TEXT_H
#define BAHI_TEST_PDF_TEXT_H

/* Runs a shell command and returns its whole output (malloc'd); fails the
 * test unless the command exits 0. */
char *pt_capture(const char *cmd);
/* pdftotext -layout of page (0: every page, separated by form feeds); malloc'd. */
char *pt_text(const char *path, int page);
/* The page count and the first page's size in points, from pdfinfo. */
int pt_info(const char *path, double *w, double *h);
/* The first line of text starting with prefix, with poppler's bidi marks
 * (U+202A..U+202E) removed, runs of spaces made one and the ends trimmed;
 * "" when none. The answer stays valid until the next call. */
const char *pt_line(const char *text, const char *prefix);
/* How many times needle occurs in text (not overlapping). */
int pt_count(const char *text, const char *needle);

/* Page sizes in points: A4 and the 80 mm receipt's width. */
#define PT_A4_W 595.276
#define PT_A4_H 841.89
#define PT_MM80 (80.0 / 25.4 * 72.0)

/* The long invoices both PDF tests print: line i (from 1) is "Line %03d",
 * qty i % 5 + 1 at a unit price of 100 + i minor units. */
#define PT_LINE_QTY(i) ((long)(i) % 5 + 1)
#define PT_LINE_PRICE(i) (100L + (i))
/* Every line 1..n of a long invoice stands exactly once in text, with its
 * qty, unit price (when with_price) and line total in rupees. */
void pt_assert_lines(const char *text, int n, int with_price);
/* Each page of the A4 PDF at path, a long invoice numbered number of n
 * lines over pages pages: "Page i of pages"; the table header; "Invoice
 * No." on the first page only, "Invoice <number> (continued)" on the others;
 * the totals and line n on the last only; the lines in order, each page
 * going on from the one before, the last ending with line n. */
void pt_assert_pages(const char *path, int pages, long number, int n);

#endif
