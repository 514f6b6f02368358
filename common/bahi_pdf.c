/* bahi_pdf: invoice PDFs (A4 page, 80 mm thermal receipt) rendered in memory with libharu. */
#include "bahi_pdf.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bahi_config.h"
#include "bahi_log.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_shape.h"

#define A4_WIDTH 595.276f
#define A4_HEIGHT 841.89f
#define RECEIPT_WIDTH 226.772f      /* 80 mm */
#define RECEIPT_MAX_HEIGHT 14400.0f /* PDF's (and libharu's) largest page */
#define UNBOUNDED 1.0e7f            /* page height while measuring a receipt */
#define MAX_WRAP 8                  /* lines a wrapped text may take */

enum { ALIGN_START, ALIGN_END, ALIGN_CENTER, ALIGN_NATURAL };

/* The printed words of one language. */
typedef struct pdf_labels {
	const char *invoice, *number, *date, *customer, *phone;
	const char *item, *qty, *price, *amount;
	const char *subtotal, *discount, *tax, *fee, *total, *paid, *credit, *returned;
	const char *due, *due_date, *page, *of, *continued, *void_stamp, *paid_stamp;
} pdf_labels;

static const pdf_labels labels_en = {
	"Invoice", "Invoice No.", "Date", "Customer", "Phone",
	"Item", "Qty", "Unit price", "Amount",
	"Subtotal", "Discount", "Tax", "Fee", "Total", "Paid", "Credit applied", "Returned",
	"Amount due", "Due date", "Page", "of", "continued", "VOID", "PAID",
};

static const pdf_labels labels_ur = {
	"انوائس", "انوائس نمبر", "تاریخ", "گاہک", "فون",
	"آئٹم", "مقدار", "قیمت فی یونٹ", "رقم",
	"ذیلی کل", "رعایت", "ٹیکس", "فیس", "کل", "ادا شدہ", "کریڈٹ استعمال", "واپسی",
	"واجب الادا رقم", "آخری تاریخ", "صفحہ", "از", "جاری", "منسوخ", "ادا شدہ",
};

/* Sizes and table columns of a layout. */
typedef struct pdf_spec {
	float width, margin;
	float size, leading;     /* body text */
	float title;             /* business name */
	int name_lines;          /* wrapped lines of an item name */
	float qty_w, price_w, amount_w;   /* price_w 0: unit price under the name */
} pdf_spec;

static const pdf_spec spec_a4 = {
	A4_WIDTH, 42.0f, 9.5f, 13.0f, 18.0f, 4, 62.0f, 95.0f, 100.0f,
};

static const pdf_spec spec_receipt = {
	RECEIPT_WIDTH, 8.0f, 8.0f, 10.5f, 11.0f, 6, 34.0f, 0.0f, 66.0f,
};

typedef struct pdf_ctx {
	HPDF_Doc doc;
	HPDF_Font font;
	HPDF_Page page;              /* the page being drawn (draw pass) */
	const bahi_pdf_invoice *inv;
	const pdf_labels *lb;
	const pdf_spec *sp;
	int layout;
	int rtl;                     /* Urdu layout: mirrored, right to left */
	int draw;                    /* 0 while measuring */
	int footer;                  /* pages carry "Page N of M" */
	float page_h;
	float y;                     /* next free position, from the page top */
	int page_no, page_count;
	int oom;
	int decimals;
	const char *symbol;
	HPDF_STATUS hpdf_error, hpdf_detail;
} pdf_ctx;

/* Records libharu's first error; the render fails when one was recorded. */
static void
pdf_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	pdf_ctx *c = user;
	if (c->hpdf_error == 0) {
		c->hpdf_error = error_no;
		c->hpdf_detail = detail_no;
	}
}

static const char *
str_or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static float
content_width(const pdf_ctx *c)
{
	return c->sp->width - 2 * c->sp->margin;
}

/* The layout's own direction, used for labels. */
static int
label_dir(const pdf_ctx *c)
{
	return c->rtl ? BAHI_DIR_RTL : BAHI_DIR_LTR;
}

/* User text (names) takes the direction of its first strong character. */
static int
user_dir(const pdf_ctx *c, const char *text)
{
	int d = bahi_shape_direction(text);
	return d != 0 ? d : label_dir(c);
}

/* Shapes text into visual order; characters beyond the BMP (which libharu's
 * UTF-8 fonts cannot address) become '?'. malloc'd, NULL when out of memory. */
static char *
pdf_visual(pdf_ctx *c, const char *text, int dir)
{
	char *v = bahi_shape_visual(text, dir);
	if (v == NULL) {
		c->oom = 1;
		return NULL;
	}
	char *w = v;
	for (const char *r = v; *r != '\0';) {
		if (((unsigned char)*r & 0xF8) == 0xF0) {
			*w++ = '?';
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return v;
}

static float
pdf_width(const pdf_ctx *c, const char *visual, float size)
{
	HPDF_TextWidth tw = HPDF_Font_TextWidth(c->font, (const HPDF_BYTE *)visual,
	    (HPDF_UINT)strlen(visual));
	return (float)tw.width * size / 1000.0f;
}

/* Width of the first len bytes of logical text once shaped; -1 when out of memory. */
static float
pdf_prefix_width(pdf_ctx *c, const char *text, size_t len, int dir, float size)
{
	char *part = strndup(text, len);
	if (part == NULL) {
		c->oom = 1;
		return -1;
	}
	char *v = pdf_visual(c, part, dir);
	free(part);
	if (v == NULL)
		return -1;
	float w = pdf_width(c, v, size);
	free(v);
	return w;
}

/* Physical left edge of the box that starts x after the layout's start edge. */
static float
box_left(const pdf_ctx *c, float x, float w)
{
	return c->rtl ? c->sp->width - c->sp->margin - x - w : c->sp->margin + x;
}

/*
 * Draws text in the box [x, x + w) (logical, from the start edge) with its
 * baseline y below the page top, shrinking the size when it would not fit.
 * align: ALIGN_START/END follow the layout, ALIGN_NATURAL the text's own
 * direction dir. Returns the width drawn.
 */
static float
pdf_text(pdf_ctx *c, float x, float w, float y, float size, int dir,
         int align, const char *text)
{
	char *v = pdf_visual(c, text, dir);
	if (v == NULL)
		return 0;
	float tw = pdf_width(c, v, size);
	if (tw > w && tw > 0) {
		size *= w / tw;
		tw = w;
	}
	float left = box_left(c, x, w), px = left;
	int right = align == ALIGN_END ? !c->rtl : align == ALIGN_START ? c->rtl :
	    dir == BAHI_DIR_RTL;
	if (align == ALIGN_CENTER)
		px = left + (w - tw) / 2;
	else if (right)
		px = left + w - tw;
	if (c->draw) {
		HPDF_Page_BeginText(c->page);
		HPDF_Page_SetFontAndSize(c->page, c->font, size);
		HPDF_Page_TextOut(c->page, px, c->page_h - y, v);
		HPDF_Page_EndText(c->page);
	}
	free(v);
	return tw;
}

/* Length of the longest prefix of p (at a character boundary, at least one
 * character) whose shaped width plus extra fits w. */
static size_t
fit_chars(pdf_ctx *c, const char *p, int dir, float w, float size, float extra)
{
	size_t best = 0, i = 0;
	while (p[i] != '\0') {
		size_t j = i + 1;
		while (((unsigned char)p[j] & 0xC0) == 0x80)
			j++;
		float pw = pdf_prefix_width(c, p, j, dir, size);
		if (pw < 0 || (pw + extra > w && best > 0))
			break;
		best = j;
		if (pw + extra > w)
			break;
		i = j;
	}
	return best;
}

/* Length of the longest prefix of p ending at a word end that fits w, else
 * what fit_chars allows. */
static size_t
fit_words(pdf_ctx *c, const char *p, int dir, float w, float size)
{
	size_t best = 0;
	for (size_t e = 1;; e++) {
		if (p[e] != ' ' && p[e] != '\0')
			continue;
		float pw = pdf_prefix_width(c, p, e, dir, size);
		if (pw < 0 || pw > w)
			break;
		best = e;
		if (p[e] == '\0')
			break;
	}
	return best > 0 ? best : fit_chars(c, p, dir, w, size, 0);
}

/* Stores the last wrapped line: as much of p as fits before an ellipsis. */
static char *
wrap_last(pdf_ctx *c, const char *p, int dir, float w, float size)
{
	static const char ellipsis[] = "\xE2\x80\xA6";
	float ew = pdf_prefix_width(c, ellipsis, strlen(ellipsis), dir, size);
	size_t n = fit_chars(c, p, dir, w, size, ew);
	char *line = malloc(n + sizeof(ellipsis));
	if (line == NULL) {
		c->oom = 1;
		return NULL;
	}
	memcpy(line, p, n);
	memcpy(line + n, ellipsis, sizeof(ellipsis));
	return line;
}

/*
 * Breaks logical text into at most max lines (malloc'd, logical order) that
 * fit w at size, at spaces where it can; text that does not fit ends with an
 * ellipsis. Returns the count (at least 1).
 */
static int
pdf_wrap(pdf_ctx *c, const char *text, int dir, float w, float size,
         char **lines, int max)
{
	const char *p = text;
	int n = 0;
	while (n < max && !c->oom) {
		while (*p == ' ')
			p++;
		if (*p == '\0') {
			if (n == 0 && (lines[n++] = strdup("")) == NULL)
				c->oom = 1;
			break;
		}
		size_t len = fit_words(c, p, dir, w, size);
		const char *rest = p + len;
		while (*rest == ' ')
			rest++;
		if (n == max - 1 && *rest != '\0') {
			lines[n++] = wrap_last(c, p, dir, w, size);
			break;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		lines[n] = strndup(p, len);
		if (lines[n++] == NULL)
			c->oom = 1;
		p = rest;
	}
	return n;
}

static void
wrap_free(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
}

/* Draws user text wrapped in [x, x + w) from top y; returns the y below it. */
static float
pdf_block(pdf_ctx *c, float x, float w, float y, float size, int max, int align,
          const char *text)
{
	char *lines[MAX_WRAP] = {NULL};
	int dir = user_dir(c, text);
	int n = pdf_wrap(c, text, dir, w, size, lines, max < MAX_WRAP ? max : MAX_WRAP);
	for (int i = 0; i < n; i++) {
		y += size * 1.3f;
		if (lines[i] != NULL)
			pdf_text(c, x, w, y - size * 0.3f, size, dir, align, lines[i]);
	}
	wrap_free(lines, n);
	return y;
}

/* A label at the start of [x, x + w) and its value after it (value_align),
 * on baseline y. value_dir: the value's direction. */
static void
pdf_pair(pdf_ctx *c, float x, float w, float y, float size, const char *label,
         const char *value, int value_dir, int value_align)
{
	float lw = pdf_text(c, x, w, y, size, label_dir(c), ALIGN_START, label);
	float gap = size;
	if (lw + gap < w)
		pdf_text(c, x + lw + gap, w - lw - gap, y, size, value_dir, value_align,
		    value);
}

/* A horizontal rule across [x, x + w) at y, grey. */
static void
pdf_rule(pdf_ctx *c, float x, float w, float y, float width)
{
	if (!c->draw)
		return;
	HPDF_Page_SetGrayStroke(c->page, 0.55f);
	HPDF_Page_SetLineWidth(c->page, width);
	HPDF_Page_MoveTo(c->page, box_left(c, x, w), c->page_h - y);
	HPDF_Page_LineTo(c->page, box_left(c, x, w) + w, c->page_h - y);
	HPDF_Page_Stroke(c->page);
}

static void
pdf_money(const pdf_ctx *c, int64_t amount, char *buf, size_t size)
{
	bahi_money_format(amount, c->decimals, c->symbol, ',', buf, size);
}

const char *
bahi_pdf_currency_symbol(const char *iso)
{
	static const struct {
		const char *iso, *symbol;
	} symbols[] = {
		{"PKR", "Rs"}, {"INR", "\xE2\x82\xB9"}, {"USD", "$"},
		{"EUR", "\xE2\x82\xAC"}, {"GBP", "\xC2\xA3"},
	};
	if (iso == NULL || *iso == '\0')
		return NULL;
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strcmp(iso, symbols[i].iso) == 0)
			return symbols[i].symbol;
	return iso;
}

/* The stamp of a status ("void", "paid"), in red or green; 0 when none. */
static float
pdf_stamp(pdf_ctx *c, float x, float w, float y, int align)
{
	const char *status = str_or_empty(c->inv->status), *text;
	float r = 0, g = 0, size = c->sp->size * 1.6f;
	if (strcmp(status, "void") == 0) {
		text = c->lb->void_stamp;
		r = 0.8f;
	} else if (strcmp(status, "paid") == 0) {
		text = c->lb->paid_stamp;
		g = 0.5f;
	} else {
		return 0;
	}
	if (c->draw)
		HPDF_Page_SetRGBFill(c->page, r, g, 0);
	float tw = pdf_text(c, x, w, y + size * 1.2f, size, label_dir(c), align, text);
	if (c->draw) {
		HPDF_Page_SetGrayFill(c->page, 0);
		float bx = align == ALIGN_CENTER ? x + (w - tw) / 2 :
		    align == ALIGN_END ? x + w - tw : x;
		HPDF_Page_SetRGBStroke(c->page, r, g, 0);
		HPDF_Page_SetLineWidth(c->page, 1.2f);
		HPDF_Page_Rectangle(c->page, box_left(c, bx - 4, tw + 8),
		    c->page_h - y - size * 1.6f, tw + 8, size * 1.5f);
		HPDF_Page_Stroke(c->page);
	}
	return size * 1.8f;
}

/* The first page's header on A4: business and customer at the start side,
 * title, number, date and stamp at the end side. */
static void
a4_header(pdf_ctx *c)
{
	const bahi_pdf_invoice *inv = c->inv;
	const pdf_labels *lb = c->lb;
	float cw = content_width(c), sw = cw * 0.55f, ex = cw * 0.6f, ew = cw - ex;
	float s = c->sp->size, l = c->sp->leading, y0 = c->y;

	float ys = pdf_block(c, 0, sw, y0, c->sp->title, 2, ALIGN_NATURAL,
	    str_or_empty(inv->business_name)) + l;
	if (inv->customer_name != NULL && *inv->customer_name != '\0') {
		ys += l;
		pdf_pair(c, 0, sw, ys, s, lb->customer, inv->customer_name,
		    user_dir(c, inv->customer_name), ALIGN_NATURAL);
	}
	if (inv->customer_phone != NULL && *inv->customer_phone != '\0') {
		ys += l;
		pdf_pair(c, 0, sw, ys, s, lb->phone, inv->customer_phone,
		    BAHI_DIR_LTR, ALIGN_START);
	}

	float ye = y0 + 16.0f * 1.3f;
	pdf_text(c, ex, ew, ye - 4, 16.0f, label_dir(c), ALIGN_END, lb->invoice);
	ye += l;
	pdf_pair(c, ex, ew, ye, s, lb->number, str_or_empty(inv->number),
	    BAHI_DIR_LTR, ALIGN_END);
	ye += l;
	pdf_pair(c, ex, ew, ye, s, lb->date, str_or_empty(inv->date),
	    BAHI_DIR_LTR, ALIGN_END);
	ye += 6 + pdf_stamp(c, ex, ew, ye + 4, ALIGN_END);
	c->y = (ys > ye ? ys : ye) + l;
}

/* The first page's header on a receipt: everything stacked, centred title. */
static void
receipt_header(pdf_ctx *c)
{
	const bahi_pdf_invoice *inv = c->inv;
	const pdf_labels *lb = c->lb;
	float cw = content_width(c), s = c->sp->size, l = c->sp->leading;

	c->y = pdf_block(c, 0, cw, c->y, c->sp->title, 3, ALIGN_CENTER,
	    str_or_empty(inv->business_name));
	c->y += l + 2;
	pdf_text(c, 0, cw, c->y, s * 1.25f, label_dir(c), ALIGN_CENTER, lb->invoice);
	c->y += 4;
	c->y += pdf_stamp(c, 0, cw, c->y, ALIGN_CENTER);
	pdf_pair(c, 0, cw, c->y += l, s, lb->number, str_or_empty(inv->number),
	    BAHI_DIR_LTR, ALIGN_END);
	pdf_pair(c, 0, cw, c->y += l, s, lb->date, str_or_empty(inv->date),
	    BAHI_DIR_LTR, ALIGN_END);
	if (inv->customer_name != NULL && *inv->customer_name != '\0')
		pdf_pair(c, 0, cw, c->y += l, s, lb->customer, inv->customer_name,
		    user_dir(c, inv->customer_name), ALIGN_END);
	if (inv->customer_phone != NULL && *inv->customer_phone != '\0')
		pdf_pair(c, 0, cw, c->y += l, s, lb->phone, inv->customer_phone,
		    BAHI_DIR_LTR, ALIGN_END);
	c->y += l * 0.8f;
}

/* Pages after the first: "<business>   Invoice 42 (continued)". */
static void
continued_header(pdf_ctx *c)
{
	char buf[256];
	float cw = content_width(c), s = c->sp->size;
	snprintf(buf, sizeof(buf), "%s %s (%s)", c->lb->invoice,
	    str_or_empty(c->inv->number), c->lb->continued);
	c->y += c->sp->leading;
	const char *name = str_or_empty(c->inv->business_name);
	pdf_text(c, 0, cw * 0.5f, c->y, s, user_dir(c, name), ALIGN_START, name);
	pdf_text(c, cw * 0.5f, cw * 0.5f, c->y, s, label_dir(c), ALIGN_END, buf);
	c->y += c->sp->leading;
}

/* Starts a page: the full header on the first, a short one after. */
static void
page_begin(pdf_ctx *c)
{
	c->page_no++;
	c->y = c->sp->margin;
	if (c->draw) {
		c->page = HPDF_AddPage(c->doc);
		HPDF_Page_SetWidth(c->page, c->sp->width);
		HPDF_Page_SetHeight(c->page, c->page_h);
	}
	if (c->page_no > 1)
		continued_header(c);
	else if (c->layout == BAHI_PDF_A4)
		a4_header(c);
	else
		receipt_header(c);
}

/* Ends a page with its "Page N of M" footer. */
static void
page_end(pdf_ctx *c)
{
	char buf[128];
	if (!c->footer)
		return;
	snprintf(buf, sizeof(buf), "%s %d %s %d", c->lb->page, c->page_no,
	    c->lb->of, c->page_count);
	pdf_text(c, 0, content_width(c), c->page_h - c->sp->margin, c->sp->size * 0.9f,
	    label_dir(c), ALIGN_CENTER, buf);
}

/* Whether a block of height h still fits on the page above the footer. */
static int
fits(const pdf_ctx *c, float h)
{
	float limit = c->page_h - c->sp->margin -
	    (c->footer ? c->sp->leading * 1.5f : 0.0f);
	return c->y + h <= limit + 0.01f;
}

/* Column x offsets (logical, from the start edge) of item, qty, price, amount. */
static void
columns(const pdf_ctx *c, float x[4], float w[4])
{
	const pdf_spec *sp = c->sp;
	float cw = content_width(c);
	w[1] = sp->qty_w;
	w[2] = sp->price_w;
	w[3] = sp->amount_w;
	w[0] = cw - w[1] - w[2] - w[3];
	x[0] = 0;
	x[1] = w[0];
	x[2] = x[1] + w[1];
	x[3] = x[2] + w[2];
}

/* The table's column titles on a grey band. */
static void
table_header(pdf_ctx *c)
{
	float x[4], w[4], s = c->sp->size, l = c->sp->leading;
	const char *titles[4] = {c->lb->item, c->lb->qty, c->lb->price, c->lb->amount};
	columns(c, x, w);
	if (c->draw) {
		HPDF_Page_SetGrayFill(c->page, 0.9f);
		HPDF_Page_Rectangle(c->page, c->sp->margin, c->page_h - c->y - l - 3,
		    content_width(c), l + 3);
		HPDF_Page_Fill(c->page);
		HPDF_Page_SetGrayFill(c->page, 0);
	}
	c->y += l;
	for (int i = 0; i < 4; i++)
		if (w[i] > 0)
			pdf_text(c, x[i] + 2, w[i] - 4, c->y - 1, s, label_dir(c),
			    i == 0 ? ALIGN_START : ALIGN_END, titles[i]);
	c->y += 5;
}

/* Ends the page and starts the next one, with the table's titles when asked. */
static void
page_break(pdf_ctx *c, int table)
{
	page_end(c);
	page_begin(c);
	if (table)
		table_header(c);
}

/* Draws the numbers of one row on baseline y: qty, unit price, line total. */
static void
row_numbers(pdf_ctx *c, const bahi_pdf_line *ln, const float x[4],
            const float w[4], float y)
{
	char buf[64];
	float s = c->sp->size;
	bahi_qty_format(ln->qty, buf, sizeof(buf));
	pdf_text(c, x[1] + 2, w[1] - 4, y, s, BAHI_DIR_LTR, ALIGN_END, buf);
	if (w[2] > 0) {
		pdf_money(c, ln->unit_price, buf, sizeof(buf));
		pdf_text(c, x[2] + 2, w[2] - 4, y, s, BAHI_DIR_LTR, ALIGN_END, buf);
	}
	pdf_money(c, ln->line_total, buf, sizeof(buf));
	pdf_text(c, x[3] + 2, w[3] - 4, y, s, BAHI_DIR_LTR, ALIGN_END, buf);
}

/* One invoice line: the wrapped name (and, on receipts, "@ unit price"
 * under it), the numbers on its first line; breaks the page when needed. */
static void
table_row(pdf_ctx *c, const bahi_pdf_line *ln)
{
	char *lines[MAX_WRAP] = {NULL}, buf[80];
	float x[4], w[4], s = c->sp->size, l = c->sp->leading;
	const char *name = str_or_empty(ln->name);
	int dir = user_dir(c, name);
	columns(c, x, w);
	int n = pdf_wrap(c, name, dir, w[0] - 4, s, lines, c->sp->name_lines);
	int extra = w[2] > 0 ? 0 : 1;
	float h = (float)(n + extra) * l + 3;
	if (!fits(c, h))
		page_break(c, 1);
	float y = c->y + l - 3;
	row_numbers(c, ln, x, w, y);
	for (int i = 0; i < n; i++, y += l)
		if (lines[i] != NULL)
			pdf_text(c, x[0] + 2, w[0] - 4, y, s, dir, ALIGN_NATURAL, lines[i]);
	wrap_free(lines, n);
	if (extra) {
		char money[64];
		pdf_money(c, ln->unit_price, money, sizeof(money));
		snprintf(buf, sizeof(buf), "@ %s", money);
		pdf_text(c, x[0] + 2, w[0] - 4, y, s * 0.85f, BAHI_DIR_LTR,
		    ALIGN_START, buf);
	}
	c->y += h;
	pdf_rule(c, 0, content_width(c), c->y - 1.5f, 0.3f);
}

/* One line of the totals block. */
typedef struct total_row {
	char label[128];
	char value[80];
	int strong;
} total_row;

/* Appends a row "label: amount" (negated for deductions) to rows[*n]. */
static void
total_add(const pdf_ctx *c, total_row *rows, int *n, const char *label,
          int64_t amount, int deduct, int strong)
{
	total_row *r = &rows[(*n)++];
	snprintf(r->label, sizeof(r->label), "%s", label);
	if (deduct)
		amount = amount == INT64_MIN ? INT64_MAX : -amount;
	pdf_money(c, amount, r->value, sizeof(r->value));
	r->strong = strong;
}

/* The tax rate in percent: 1900 -> "19", 1750 -> "17.5", 25 -> "0.25". */
static void
rate_percent(int64_t bp, char *buf, size_t size)
{
	if (bp < 0)
		bp = 0;
	long long whole = (long long)(bp / 100), frac = (long long)(bp % 100);
	if (frac == 0)
		snprintf(buf, size, "%lld", whole);
	else if (frac % 10 == 0)
		snprintf(buf, size, "%lld.%lld", whole, frac / 10);
	else
		snprintf(buf, size, "%lld.%02lld", whole, frac);
}

/* Fills rows with the totals to print; returns how many (at most 10). */
static int
totals_rows(const pdf_ctx *c, total_row rows[10])
{
	const bahi_pdf_invoice *inv = c->inv;
	const pdf_labels *lb = c->lb;
	char label[128], pct[32];
	int n = 0;
	total_add(c, rows, &n, lb->subtotal, inv->subtotal, 0, 0);
	if (inv->discount != 0)
		total_add(c, rows, &n, lb->discount, inv->discount, 1, 0);
	if (inv->tax != 0 || inv->tax_rate_bp != 0) {
		rate_percent(inv->tax_rate_bp, pct, sizeof(pct));
		snprintf(label, sizeof(label), "%s (%s%%)", lb->tax, pct);
		total_add(c, rows, &n, label, inv->tax, 0, 0);
	}
	if (inv->fee != 0)
		total_add(c, rows, &n, lb->fee, inv->fee, 0, 0);
	total_add(c, rows, &n, lb->total, inv->total, 0, 1);
	if (inv->credit_applied != 0)
		total_add(c, rows, &n, lb->credit, inv->credit_applied, 1, 0);
	if (inv->returned != 0)
		total_add(c, rows, &n, lb->returned, inv->returned, 1, 0);
	total_add(c, rows, &n, lb->paid, inv->paid, 0, 0);
	total_add(c, rows, &n, lb->due, inv->amount_due, 0, 1);
	if (inv->due_date != NULL && *inv->due_date != '\0') {
		snprintf(rows[n].label, sizeof(rows[n].label), "%s", lb->due_date);
		snprintf(rows[n].value, sizeof(rows[n].value), "%s", inv->due_date);
		rows[n++].strong = 0;
	}
	return n;
}

/* The totals block, kept whole on one page, at the end side. */
static void
totals(pdf_ctx *c)
{
	total_row rows[10];
	memset(rows, 0, sizeof(rows));
	int n = totals_rows(c, rows);
	float cw = content_width(c), l = c->sp->leading, s = c->sp->size;
	float x = c->layout == BAHI_PDF_A4 ? cw * 0.5f : 0, w = cw - x;
	float h = (float)n * (l + 2) + l * 1.5f;   /* exactly what follows uses */
	if (!fits(c, h))
		page_break(c, 0);
	c->y += l * 0.5f;
	for (int i = 0; i < n; i++) {
		float size = rows[i].strong ? s * 1.15f : s;
		if (rows[i].strong)
			pdf_rule(c, x, w, c->y + 2, 0.6f);
		c->y += l + 2;
		pdf_pair(c, x, w, c->y, size, rows[i].label, rows[i].value,
		    BAHI_DIR_LTR, ALIGN_END);
	}
	c->y += l;
}

/* One pass over the whole invoice: measuring (draw 0) or drawing. */
static int
layout_pass(pdf_ctx *c, int draw)
{
	c->draw = draw;
	c->page_no = 0;
	page_begin(c);
	table_header(c);
	for (size_t i = 0; i < c->inv->nlines && !c->oom; i++)
		table_row(c, &c->inv->lines[i]);
	totals(c);
	page_end(c);
	return c->oom ? -1 : 0;
}

/* Measures the invoice: page height and page count for the drawing pass. A
 * receipt is one page as tall as its content, or paged at the PDF maximum. */
static int
layout_plan(pdf_ctx *c)
{
	if (c->layout == BAHI_PDF_A4) {
		c->page_h = A4_HEIGHT;
		c->footer = 1;
		if (layout_pass(c, 0) != 0)
			return -1;
		c->page_count = c->page_no;
		return 0;
	}
	c->page_h = UNBOUNDED;
	c->footer = 0;
	if (layout_pass(c, 0) != 0)
		return -1;
	if (c->y + c->sp->margin <= RECEIPT_MAX_HEIGHT) {
		c->page_h = c->y + c->sp->margin;
		c->page_count = 1;
		return 0;
	}
	c->page_h = RECEIPT_MAX_HEIGHT;
	c->footer = 1;
	if (layout_pass(c, 0) != 0)
		return -1;
	c->page_count = c->page_no;
	return 0;
}

/*
 * libharu 2.3 embeds only the glyphs it has measured, and of a composite
 * glyph it keeps the direct components only when that glyph is measured
 * before it is met as someone's component; nested components are never
 * followed. FreeSerif builds the Arabic presentation forms from nested
 * composites (skeleton + dots), so measured in text order the dots or the
 * skeletons went missing. Measuring the whole repertoire once, base letters
 * before the presentation forms built from them, marks every outline.
 */
static int
pdf_mark_glyphs(pdf_ctx *c)
{
	static const uint32_t ranges[][2] = {
		{0x0020, 0x007E}, {0x00A0, 0x00FF}, {0x0600, 0x06FF},
		{0x0750, 0x077F}, {0xFB50, 0xFDFF}, {0xFE70, 0xFEFE},
	};
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		cap += (ranges[i][1] - ranges[i][0] + 1) * 3;
	char *text = malloc(cap);
	if (text == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		for (uint32_t cp = ranges[i][0]; cp <= ranges[i][1]; cp++)
			n += bahi_utf8_encode(cp, text + n);
	HPDF_Font_TextWidth(c->font, (const HPDF_BYTE *)text, (HPDF_UINT)n);
	free(text);
	return 0;
}

/* Creates the document with the embedded UTF-8 font. 0, or -1 after logging. */
static int
pdf_open(pdf_ctx *c)
{
	const char *path = bahi_config_get("font_path");
	if (path == NULL || access(path, R_OK) != 0) {
		bahi_log_error(NULL, "pdf: font_path '%s' is not readable",
		    str_or_empty(path));
		return -1;
	}
	c->doc = HPDF_New(pdf_on_error, c);
	if (c->doc == NULL) {
		bahi_log_error(NULL, "pdf: out of memory");
		return -1;
	}
	HPDF_SetCompressionMode(c->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(c->doc);
	HPDF_SetCurrentEncoder(c->doc, "UTF-8");
	const char *name = HPDF_LoadTTFontFromFile(c->doc, path, HPDF_TRUE);
	if (name != NULL)
		c->font = HPDF_GetFont(c->doc, name, "UTF-8");
	if (c->font == NULL || c->hpdf_error != 0 || pdf_mark_glyphs(c) != 0) {
		bahi_log_error(NULL, "pdf: cannot load font '%s' (libharu error 0x%04X)",
		    path, (unsigned)c->hpdf_error);
		return -1;
	}
	return 0;
}

/* Saves the document into a malloc'd buffer. 0 or -1. */
static int
pdf_save(pdf_ctx *c, unsigned char **out, size_t *outlen)
{
	if (HPDF_SaveToStream(c->doc) != HPDF_OK)
		return -1;
	HPDF_UINT32 size = HPDF_GetStreamSize(c->doc);
	unsigned char *buf = malloc(size > 0 ? size : 1);
	if (buf == NULL)
		return -1;
	HPDF_UINT32 got = 0;
	while (got < size) {
		HPDF_UINT32 n = size - got;
		HPDF_STATUS st = HPDF_ReadFromStream(c->doc, buf + got, &n);
		got += n;
		if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || n == 0)
			break;
	}
	if (got != size) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = size;
	return 0;
}

int
bahi_pdf_render(const bahi_pdf_invoice *inv, int layout, unsigned char **out,
                size_t *outlen)
{
	if (inv == NULL || out == NULL || outlen == NULL ||
	    (layout != BAHI_PDF_A4 && layout != BAHI_PDF_RECEIPT) ||
	    (inv->nlines > 0 && inv->lines == NULL))
		return -1;
	*out = NULL;
	*outlen = 0;
	int ur = inv->language != NULL && strcmp(inv->language, "ur") == 0;
	pdf_ctx c = {
		.inv = inv,
		.layout = layout,
		.sp = layout == BAHI_PDF_A4 ? &spec_a4 : &spec_receipt,
		.lb = ur ? &labels_ur : &labels_en,
		.rtl = ur,
		.decimals = bahi_currency_decimals(inv->currency),
		.symbol = bahi_pdf_currency_symbol(inv->currency),
	};
	int rc = -1;
	if (pdf_open(&c) == 0 && layout_plan(&c) == 0 && layout_pass(&c, 1) == 0 &&
	    c.hpdf_error == 0 && pdf_save(&c, out, outlen) == 0 && c.hpdf_error == 0)
		rc = 0;
	else if (c.doc != NULL)
		bahi_log_error(NULL, "pdf: rendering invoice %s failed (libharu error "
		    "0x%04X, detail %u%s)", str_or_empty(inv->number),
		    (unsigned)c.hpdf_error, (unsigned)c.hpdf_detail,
		    c.oom ? ", out of memory" : "");
	if (rc != 0 && *out != NULL) {
		free(*out);
		*out = NULL;
		*outlen = 0;
	}
	if (c.doc != NULL)
		HPDF_Free(c.doc);
	return rc;
}

int
bahi_pdf_layout_parse(const char *name)
{
	if (name == NULL)
		return -1;
	if (strcmp(name, "a4") == 0)
		return BAHI_PDF_A4;
	if (strcmp(name, "receipt") == 0)
		return BAHI_PDF_RECEIPT;
	return -1;
}
