/* bahi_chart: SVG charts drawn on the server (vertical bars, horizontal bars, a donut), CSP-safe: no style attributes, no <style>. */
#ifndef BAHI_CHART_H
#define BAHI_CHART_H

#include <stdint.h>

#include "bahi_pool.h"

/* One bar or part. label and value_text are UTF-8 and written XML-escaped;
 * label is cut to the chart's label length with an ellipsis (at a character
 * boundary); value_text (the caller's formatted amount, "Rs 1,250.00") is
 * never cut. NULL label: ""; NULL value_text: the bar shows no value. A
 * negative value counts as 0. */
typedef struct bahi_chart_item {
	const char *label;
	int64_t value;
	const char *value_text;
} bahi_chart_item;

/* o may be NULL (every default). */
typedef struct bahi_chart_opts {
	const char *title;        /* the accessible name: aria-label and <title> (NULL: "Chart") */
	const char *empty_text;   /* the empty chart's text (NULL: "No data") */
	const char *center_text;  /* donut: written in the hole, e.g. the total (NULL: none) */
	int label_max;            /* characters a label keeps, the ellipsis included
	                             (<= 0: 6 for bars, 24 for hbars and the donut) */
} bahi_chart_opts;

/* Every chart is one complete <svg> element: xmlns, a viewBox, width="100%"
 * (no fixed size: it scales with its container, height from the viewBox),
 * role="img", aria-label and a <title> first. Colours are presentation
 * attributes (fill, stroke) that a stylesheet may override through the class
 * names: chart-bar, chart-track, chart-axis, chart-label, chart-value,
 * chart-part-N (N = 1..8, donut parts and their legend swatches),
 * chart-center, chart-empty. Text is fill="currentColor" (the page's colour).
 *
 * Direction: the geometry is left to right in every page (the root says
 * direction="ltr", so text-anchor start/end mean left/right also inside a
 * right-to-left page), while each label has unicode-bidi="plaintext": an Urdu
 * label reads right to left, its ellipsis on its left.
 *
 * n == 0 draws the empty state (not NULL): the same kind of <svg>, 400 x 80,
 * holding only empty_text, centred (class chart-empty). Every value 0 (or
 * negative) draws the chart with empty bars. NULL only when n < 0, items is
 * NULL with n > 0, the donut has more than 8 parts, or the SVG would pass
 * 1 MiB. Strings are in pool. */

/* Vertical bars, one per item in order (e.g. 14 days, oldest first), each
 * bar's height value / max * 160 rounded half away from zero (all zero: every
 * bar 0 high), the label under it (font-size 10: "21 Nov" fits), and
 * "label: value_text" as the bar's <title> (a tooltip). Layout: 36 units per
 * bar (24 wide), 8 each side: 14 bars are 520 x 192. */
char *bahi_chart_bars(bahi_pool *pool, const bahi_chart_item *items, int n,
                      const bahi_chart_opts *o);
/* Horizontal bars, one row per item (e.g. sales by category): the label on
 * the left and value_text on the right above the bar, the bar's width
 * value / max * 400 over a full-width track. */
char *bahi_chart_hbars(bahi_pool *pool, const bahi_chart_item *items, int n,
                       const bahi_chart_opts *o);
/* A donut of 1..8 parts in order, clockwise from the top, each part's share
 * in tenths of a percent (largest remainders, so the shares add up to 100%
 * exactly), with a legend (swatch, label, value_text) and center_text in the
 * hole. Every value 0: the ring is the grey track alone, the legend as
 * usual. */
char *bahi_chart_donut(bahi_pool *pool, const bahi_chart_item *items, int n,
                       const bahi_chart_opts *o);

/* Appends s XML-escaped (& < > " ') with at most max characters (max <= 0:
 * all), the last of them an ellipsis when s is longer; a byte that is not
 * valid UTF-8 becomes U+FFFD, a control character a space. NULL: nothing.
 * Exposed for tests. 0, or -1 when the buffer's cap was reached. */
struct bahi_buf;
int bahi_chart_text(struct bahi_buf *b, const char *s, int max);

#endif
