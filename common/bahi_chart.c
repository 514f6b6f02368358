/* bahi_chart: SVG bar, horizontal bar and donut charts written on the server, with escaped, cut labels and no inline styles. */
#include "bahi_chart.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bahi_buf.h"

/* The largest chart written: past it the function answers NULL. */
#define CHART_MAX (1024 * 1024)

/* Vertical bars: a slot per bar, the plot's top and height, the axis and
 * the labels' baseline. */
#define BARS_SLOT 36
#define BARS_WIDTH 24
#define BARS_PAD 8
#define BARS_TOP 8
#define BARS_PLOT 160
#define BARS_AXIS (BARS_TOP + BARS_PLOT)
#define BARS_LABEL (BARS_AXIS + 16)
#define BARS_HEIGHT (BARS_LABEL + 8)
/* Horizontal bars: the width of a full bar, a row's height, the bar's
 * offset in its row and its thickness. */
#define HBARS_WIDTH 400
#define HBARS_ROW 36
#define HBARS_BAR_Y 20
#define HBARS_BAR_H 10
/* The donut: a ring whose circumference is 300 units (r = 300 / 2pi), a
 * legend row per part to its right. */
#define DONUT_WIDTH 340
#define DONUT_C 64
#define DONUT_R "47.746"
#define DONUT_CIRC 300
#define DONUT_STROKE 14
#define DONUT_LEGEND_X 144
#define DONUT_ROW 32
#define DONUT_PARTS 8

#define LABEL_MAX_BARS 6
#define LABEL_MAX_WIDE 24

#define COLOR_BAR "#2563eb"
#define COLOR_TRACK "#e5e7eb"
#define COLOR_AXIS "#9ca3af"
static const char *const part_colors[DONUT_PARTS] = {
	"#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#84cc16", "#ec4899",
};

/* The code point at s (at most n bytes) and its length in *len; -1 (length
 * 1) for a byte that starts no valid UTF-8 sequence: overlong forms,
 * surrogates and values past U+10FFFF included. */
static long
utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	static const long min[4] = {0, 0x80, 0x800, 0x10000};
	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	size_t k = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (k == 0 || k > n || (k == 3 && s[0] > 0xef))
		return -1;
	long cp = s[0] & (0x7f >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min[k - 1] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = k;
	return cp;
}

/* The number of characters of s, counting no further than stop. */
static int
utf8_count(const char *s, int stop)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	int count = 0;
	for (size_t i = 0; i < n && count < stop; i += len, count++)
		utf8_next(p + i, n - i, &len);
	return count;
}

/* Appends one character, escaped. */
static int
put_char(bahi_buf *b, const unsigned char *p, size_t len, long cp)
{
	switch (cp) {
	case '&': return bahi_buf_puts(b, "&amp;");
	case '<': return bahi_buf_puts(b, "&lt;");
	case '>': return bahi_buf_puts(b, "&gt;");
	case '"': return bahi_buf_puts(b, "&quot;");
	case '\'': return bahi_buf_puts(b, "&#39;");
	default: break;
	}
	if (cp < 0 || cp == 0xfffe || cp == 0xffff)
		return bahi_buf_puts(b, "\xef\xbf\xbd");   /* U+FFFD */
	if (cp < 0x20 || cp == 0x7f)
		return bahi_buf_putc(b, ' ');
	return bahi_buf_append(b, p, len);
}

int
bahi_chart_text(bahi_buf *b, const char *s, int max)
{
	if (s == NULL)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	/* longer than max: max - 1 characters and the ellipsis */
	int keep = max > 0 && utf8_count(s, max + 1) > max ? max - 1 : -1;
	for (size_t i = 0; i < n && keep != 0; i += len, keep--) {
		long cp = utf8_next(p + i, n - i, &len);
		if (put_char(b, p + i, len, cp) != 0)
			return -1;
	}
	return keep == 0 ? bahi_buf_puts(b, "\xe2\x80\xa6") : 0;   /* U+2026 */
}

/* The <svg> start tag and its <title>: w x h units, scaled to the width of
 * its container. */
static void
svg_open(bahi_buf *b, const char *kind, int w, int h, const bahi_chart_opts *o)
{
	const char *title = o != NULL && o->title != NULL ? o->title : "Chart";
	bahi_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-%s\""
	                " viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"",
	                kind, w, h);
	bahi_chart_text(b, title, 0);
	bahi_buf_puts(b, "\" direction=\"ltr\" font-size=\"12\" fill=\"currentColor\"><title>");
	bahi_chart_text(b, title, 0);
	bahi_buf_puts(b, "</title>");
}

/* Closes the chart and copies it into pool: NULL when it grew past the cap. */
static char *
svg_close(bahi_buf *b, bahi_pool *pool)
{
	bahi_buf_puts(b, "</svg>");
	char *svg = b->overflow || b->data == NULL ? NULL : bahi_pool_strdup(pool, b->data);
	bahi_buf_free(b);
	return svg;
}

/* The chart of no items: its title and empty_text, centred. */
static char *
svg_empty(bahi_pool *pool, const char *kind, const bahi_chart_opts *o)
{
	bahi_buf b;
	bahi_buf_init(&b, CHART_MAX);
	svg_open(&b, kind, 400, 80, o);
	bahi_buf_puts(&b, "<text class=\"chart-empty\" x=\"200\" y=\"44\" text-anchor=\"middle\">");
	bahi_chart_text(&b, o != NULL && o->empty_text != NULL ? o->empty_text : "No data", 0);
	bahi_buf_puts(&b, "</text>");
	return svg_close(&b, pool);
}

/* The characters a label keeps in this chart. */
static int
label_max(const bahi_chart_opts *o, int fallback)
{
	return o != NULL && o->label_max > 0 ? o->label_max : fallback;
}

/* The largest value, negatives as 0. */
static int64_t
max_value(const bahi_chart_item *items, int n)
{
	int64_t max = 0;
	for (int i = 0; i < n; i++)
		if (items[i].value > max)
			max = items[i].value;
	return max;
}

/* v / max * len rounded half away from zero, v clamped to 0..max; 0 when max is 0. */
static int
scale(int64_t v, int64_t max, int len)
{
	if (max <= 0 || v <= 0)
		return 0;
	if (v >= max)
		return len;
	__int128 num = (__int128)v * len * 2 + max;
	return (int)(num / ((__int128)max * 2));
}

/* A label's text element at x, y: escaped, cut to max characters, its
 * characters in the order of their own script. */
static void
put_label(bahi_buf *b, int x, int y, const char *s, int max)
{
	bahi_buf_printf(b, "<text class=\"chart-label\" x=\"%d\" y=\"%d\""
	                " unicode-bidi=\"plaintext\">", x, y);
	bahi_chart_text(b, s, max);
	bahi_buf_puts(b, "</text>");
}

/* A <title> child: "label: value_text", or the label alone. */
static void
put_tooltip(bahi_buf *b, const bahi_chart_item *it, const char *extra)
{
	bahi_buf_puts(b, "<title>");
	bahi_chart_text(b, it->label, 0);
	if (it->value_text != NULL) {
		bahi_buf_puts(b, ": ");
		bahi_chart_text(b, it->value_text, 0);
	}
	if (extra != NULL)
		bahi_buf_puts(b, extra);
	bahi_buf_puts(b, "</title>");
}

char *
bahi_chart_bars(bahi_pool *pool, const bahi_chart_item *items, int n, const bahi_chart_opts *o)
{
	if (n < 0 || (n > 0 && items == NULL))
		return NULL;
	if (n == 0)
		return svg_empty(pool, "bars", o);
	int w = n * BARS_SLOT + 2 * BARS_PAD, max_chars = label_max(o, LABEL_MAX_BARS);
	int64_t max = max_value(items, n);
	bahi_buf b;
	bahi_buf_init(&b, CHART_MAX);
	svg_open(&b, "bars", w, BARS_HEIGHT, o);
	for (int i = 0; i < n; i++) {
		int h = scale(items[i].value, max, BARS_PLOT);
		bahi_buf_printf(&b, "<rect class=\"chart-bar\" x=\"%d\" y=\"%d\" width=\"%d\""
		                " height=\"%d\" fill=\"" COLOR_BAR "\">",
		                BARS_PAD + i * BARS_SLOT + (BARS_SLOT - BARS_WIDTH) / 2, BARS_AXIS - h,
		                BARS_WIDTH, h);
		put_tooltip(&b, &items[i], NULL);
		bahi_buf_puts(&b, "</rect>");
	}
	bahi_buf_printf(&b, "<line class=\"chart-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
	                " stroke=\"" COLOR_AXIS "\"/>", BARS_PAD, BARS_AXIS, w - BARS_PAD, BARS_AXIS);
	/* the labels under the bars, centred, smaller */
	bahi_buf_puts(&b, "<g font-size=\"10\" text-anchor=\"middle\">");
	for (int i = 0; i < n; i++)
		put_label(&b, BARS_PAD + i * BARS_SLOT + BARS_SLOT / 2, BARS_LABEL, items[i].label,
		          max_chars);
	bahi_buf_puts(&b, "</g>");
	return svg_close(&b, pool);
}

char *
bahi_chart_hbars(bahi_pool *pool, const bahi_chart_item *items, int n, const bahi_chart_opts *o)
{
	if (n < 0 || (n > 0 && items == NULL))
		return NULL;
	if (n == 0)
		return svg_empty(pool, "hbars", o);
	int max_chars = label_max(o, LABEL_MAX_WIDE);
	int64_t max = max_value(items, n);
	bahi_buf b;
	bahi_buf_init(&b, CHART_MAX);
	svg_open(&b, "hbars", HBARS_WIDTH, n * HBARS_ROW, o);
	for (int i = 0; i < n; i++) {
		int y = i * HBARS_ROW, len = scale(items[i].value, max, HBARS_WIDTH);
		put_label(&b, 0, y + 14, items[i].label, max_chars);
		if (items[i].value_text != NULL) {
			bahi_buf_printf(&b, "<text class=\"chart-value\" x=\"%d\" y=\"%d\""
			                " text-anchor=\"end\">", HBARS_WIDTH, y + 14);
			bahi_chart_text(&b, items[i].value_text, 0);
			bahi_buf_puts(&b, "</text>");
		}
		bahi_buf_printf(&b, "<rect class=\"chart-track\" x=\"0\" y=\"%d\" width=\"%d\""
		                " height=\"%d\" fill=\"" COLOR_TRACK "\"/>", y + HBARS_BAR_Y,
		                HBARS_WIDTH, HBARS_BAR_H);
		bahi_buf_printf(&b, "<rect class=\"chart-bar\" x=\"0\" y=\"%d\" width=\"%d\""
		                " height=\"%d\" fill=\"" COLOR_BAR "\">", y + HBARS_BAR_Y, len,
		                HBARS_BAR_H);
		put_tooltip(&b, &items[i], NULL);
		bahi_buf_puts(&b, "</rect>");
	}
	return svg_close(&b, pool);
}

/* Each part's share of the total in tenths of a percent (0 when the total
 * is 0): floors, then the thousandths left over to the largest remainders
 * (the earlier part first on a tie), so that the shares add up to 1000. */
static void
donut_shares(const bahi_chart_item *items, int n, int share[DONUT_PARTS])
{
	int64_t total = 0, rem[DONUT_PARTS];
	int given = 0;
	for (int i = 0; i < n; i++)
		total += items[i].value > 0 ? items[i].value : 0;
	for (int i = 0; i < n; i++) {
		int64_t v = items[i].value > 0 ? items[i].value : 0;
		__int128 num = (__int128)v * 1000;
		share[i] = total > 0 ? (int)(num / total) : 0;
		rem[i] = total > 0 ? (int64_t)(num % total) : 0;
		given += share[i];
	}
	for (; total > 0 && given < 1000; given++) {
		int best = 0;
		for (int i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		share[best]++;
		rem[best] = -1;
	}
}

/* The ring: the track, then each part with a share as an arc of the
 * circle's dash pattern (200 units around), clockwise from the top. */
static void
donut_ring(bahi_buf *b, const bahi_chart_item *items, int n, const int share[DONUT_PARTS])
{
	bahi_buf_printf(b, "<circle class=\"chart-track\" cx=\"%d\" cy=\"%d\" r=\"" DONUT_R "\""
	                " fill=\"none\" stroke=\"" COLOR_TRACK "\" stroke-width=\"%d\"/>",
	                DONUT_C, DONUT_C, DONUT_STROKE);
	int start = 0;   /* lengths in tenths of a unit (a share of 1 per mille is 2) */
	for (int i = 0; i < n; i++) {
		if (share[i] == 0)
			continue;
		int len = share[i] * DONUT_CIRC / 100, gap = 10 * DONUT_CIRC - len;
		char pct[32];
		bahi_buf_printf(b, "<circle class=\"chart-part-%d\" cx=\"%d\" cy=\"%d\""
		                " r=\"" DONUT_R "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%d\""
		                " stroke-dasharray=\"%d.%d %d.%d\" stroke-dashoffset=\"-%d.%d\""
		                " transform=\"rotate(-90 %d %d)\">", i + 1, DONUT_C, DONUT_C,
		                part_colors[i], DONUT_STROKE, len / 10, len % 10, gap / 10, gap % 10,
		                start / 10, start % 10, DONUT_C, DONUT_C);
		snprintf(pct, sizeof(pct), " (%d.%d%%)", share[i] / 10, share[i] % 10);
		put_tooltip(b, &items[i], pct);
		bahi_buf_puts(b, "</circle>");
		start += len;
	}
}

/* The legend: per part a swatch, its label and under it its value_text. */
static void
donut_legend(bahi_buf *b, const bahi_chart_item *items, int n, int max_chars)
{
	for (int i = 0; i < n; i++) {
		int y = 20 + i * DONUT_ROW;
		bahi_buf_printf(b, "<rect class=\"chart-part-%d\" x=\"%d\" y=\"%d\" width=\"12\""
		                " height=\"12\" rx=\"2\" fill=\"%s\"/>", i + 1, DONUT_LEGEND_X,
		                y - 10, part_colors[i]);
		put_label(b, DONUT_LEGEND_X + 18, y, items[i].label, max_chars);
		if (items[i].value_text != NULL) {
			bahi_buf_printf(b, "<text class=\"chart-value\" x=\"%d\" y=\"%d\">",
			                DONUT_LEGEND_X + 18, y + 14);
			bahi_chart_text(b, items[i].value_text, 0);
			bahi_buf_puts(b, "</text>");
		}
	}
}

char *
bahi_chart_donut(bahi_pool *pool, const bahi_chart_item *items, int n, const bahi_chart_opts *o)
{
	if (n < 0 || n > DONUT_PARTS || (n > 0 && items == NULL))
		return NULL;
	if (n == 0)
		return svg_empty(pool, "donut", o);
	int share[DONUT_PARTS], h = 8 + n * DONUT_ROW;
	donut_shares(items, n, share);
	bahi_buf b;
	bahi_buf_init(&b, CHART_MAX);
	svg_open(&b, "donut", DONUT_WIDTH, h < 2 * DONUT_C ? 2 * DONUT_C : h, o);
	donut_ring(&b, items, n, share);
	if (o != NULL && o->center_text != NULL) {
		bahi_buf_printf(&b, "<text class=\"chart-center\" x=\"%d\" y=\"%d\""
		                " text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\">", DONUT_C,
		                DONUT_C + 4);
		bahi_chart_text(&b, o->center_text, 0);
		bahi_buf_puts(&b, "</text>");
	}
	donut_legend(&b, items, n, label_max(o, LABEL_MAX_WIDE));
	return svg_close(&b, pool);
}
