/* check_chart: unit tests for bahi_chart (escaping, exact bar sizes and donut shares, labels cut at a UTF-8 boundary, empty and all-zero charts, no inline styles). */
#include "bahi_chart.h"

#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_buf.h"
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

/* Fails unless svg holds fragment. */
#define ck_assert_has(svg, fragment) \
	ck_assert_msg(strstr((svg), (fragment)) != NULL, "missing %s in %s", (fragment), (svg))
#define ck_assert_lacks(svg, fragment) \
	ck_assert_msg(strstr((svg), (fragment)) == NULL, "unexpected %s in %s", (fragment), (svg))

/* How many times fragment occurs in s. */
static int
count_of(const char *s, const char *fragment)
{
	int n = 0;
	for (const char *p = strstr(s, fragment); p != NULL; p = strstr(p + 1, fragment))
		n++;
	return n;
}

/* What every chart is: one <svg> element, scaled to its container, named
 * for assistive technology, with no inline style the CSP would refuse. */
static void
assert_svg_frame(const char *svg, const char *title_escaped)
{
	char want[512];
	ck_assert_ptr_nonnull(svg);
	ck_assert_int_eq(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ", 53), 0);
	ck_assert_str_eq(svg + strlen(svg) - 6, "</svg>");
	ck_assert_int_eq(count_of(svg, "<svg"), 1);
	ck_assert_has(svg, " width=\"100%\" role=\"img\" aria-label=\"");
	ck_assert_lacks(svg, "height=\"100%\"");
	ck_assert_lacks(svg, "style");
	snprintf(want, sizeof(want), "aria-label=\"%s\" direction=\"ltr\"", title_escaped);
	ck_assert_has(svg, want);
	snprintf(want, sizeof(want), "fill=\"currentColor\"><title>%s</title>", title_escaped);
	ck_assert_has(svg, want);
}

/* bahi_chart_text into a fresh buffer; the result in the pool. */
static const char *
text(const char *s, int max)
{
	bahi_buf b;
	bahi_buf_init(&b, 4096);
	ck_assert_int_eq(bahi_chart_text(&b, s, max), 0);
	const char *out = bahi_pool_strdup(pool, b.data != NULL ? b.data : "");
	bahi_buf_free(&b);
	return out;
}

START_TEST(text_is_escaped)
{
	ck_assert_str_eq(text("<script>&\"'", 0), "&lt;script&gt;&amp;&quot;&#39;");
	ck_assert_str_eq(text("a\tb\nc\x7f", 0), "a b c ");
	ck_assert_str_eq(text(NULL, 5), "");
	ck_assert_str_eq(text("", 5), "");
	/* escaping does not count against the length */
	ck_assert_str_eq(text("<<<<", 4), "&lt;&lt;&lt;&lt;");
	ck_assert_str_eq(text("<<<<<", 4), "&lt;&lt;&lt;\xe2\x80\xa6");
}
END_TEST

START_TEST(text_is_cut_at_a_character_boundary)
{
	/* "Ünïcödé" is 7 characters in 11 bytes */
	ck_assert_str_eq(text("\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9", 7),
	                 "\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9");
	ck_assert_str_eq(text("\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9", 6),
	                 "\xc3\x9cn\xc3\xaf" "c\xc3\xb6\xe2\x80\xa6");
	ck_assert_str_eq(text("\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9", 4),
	                 "\xc3\x9cn\xc3\xaf\xe2\x80\xa6");
	/* four-byte characters (U+1F600) and Urdu (three two-byte letters) */
	ck_assert_str_eq(text("\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 2),
	                 "\xf0\x9f\x98\x80\xe2\x80\xa6");
	ck_assert_str_eq(text("\xd9\x85\xdb\x8c\xda\xba", 2), "\xd9\x85\xe2\x80\xa6");
	ck_assert_str_eq(text("\xd9\x85\xdb\x8c\xda\xba", 3), "\xd9\x85\xdb\x8c\xda\xba");
	/* max 1: the ellipsis alone */
	ck_assert_str_eq(text("ab", 1), "\xe2\x80\xa6");
	ck_assert_str_eq(text("a", 1), "a");
}
END_TEST

START_TEST(text_replaces_invalid_utf8)
{
	static const char fffd[] = "\xef\xbf\xbd";
	char want[64];
	ck_assert_str_eq(text("a\xff" "b", 0), "a\xef\xbf\xbd" "b");
	/* a sequence cut short at the end, a lone continuation byte */
	snprintf(want, sizeof(want), "x%s", fffd);
	ck_assert_str_eq(text("x\xc3", 0), want);
	snprintf(want, sizeof(want), "%sy", fffd);
	ck_assert_str_eq(text("\x80y", 0), want);
	/* overlong '/', a surrogate (U+D800), past U+10FFFF: one U+FFFD per byte */
	snprintf(want, sizeof(want), "%s%s", fffd, fffd);
	ck_assert_str_eq(text("\xc0\xaf", 0), want);
	snprintf(want, sizeof(want), "%s%s%s", fffd, fffd, fffd);
	ck_assert_str_eq(text("\xed\xa0\x80", 0), want);
	snprintf(want, sizeof(want), "%s%s%s%s", fffd, fffd, fffd, fffd);
	ck_assert_str_eq(text("\xf4\x90\x80\x80", 0), want);
	/* counted as characters when cutting: two of them, then the ellipsis */
	snprintf(want, sizeof(want), "%s%s\xe2\x80\xa6", fffd, fffd);
	ck_assert_str_eq(text("\xff\xff\xff\xff", 3), want);
}
END_TEST

/* The exact heights of a known input: value / max * 160, half away from zero. */
START_TEST(bar_heights_are_exact)
{
	static const bahi_chart_item items[] = {
		{"Mon", 0, "Rs 0.00"}, {"Tue", 40, "Rs 0.40"}, {"Wed", 100, "Rs 1.00"},
		{"Thu", -5, "-Rs 0.05"}, {"Fri", 25, NULL}, {"Sat", 1, "x"},
	};
	bahi_chart_opts o = {.title = "Revenue, last 6 days"};
	char *svg = bahi_chart_bars(pool, items, 6, &o);
	assert_svg_frame(svg, "Revenue, last 6 days");
	/* 6 slots of 36 and 8 each side; plot 160 high above the axis at 168 */
	ck_assert_has(svg, "class=\"chart chart-bars\" viewBox=\"0 0 232 192\"");
	ck_assert_has(svg, "<title>Revenue, last 6 days</title>"
	              "<rect class=\"chart-bar\" x=\"14\" y=\"168\" width=\"24\" height=\"0\""
	              " fill=\"#2563eb\"><title>Mon: Rs 0.00</title></rect>"
	              "<rect class=\"chart-bar\" x=\"50\" y=\"104\" width=\"24\" height=\"64\""
	              " fill=\"#2563eb\"><title>Tue: Rs 0.40</title></rect>"
	              "<rect class=\"chart-bar\" x=\"86\" y=\"8\" width=\"24\" height=\"160\"");
	/* a negative value is drawn as 0 */
	ck_assert_has(svg, "<rect class=\"chart-bar\" x=\"122\" y=\"168\" width=\"24\" height=\"0\""
	              " fill=\"#2563eb\"><title>Thu: -Rs 0.05</title></rect>");
	/* no value text: the label alone as the tooltip */
	ck_assert_has(svg, "<rect class=\"chart-bar\" x=\"158\" y=\"128\" width=\"24\" height=\"40\""
	              " fill=\"#2563eb\"><title>Fri</title></rect>");
	/* 1/100 of 160 = 1.6: 2 */
	ck_assert_has(svg, "x=\"194\" y=\"166\" width=\"24\" height=\"2\"");
	/* the axis, then the labels centred under the bars */
	ck_assert_has(svg, "<line class=\"chart-axis\" x1=\"8\" y1=\"168\" x2=\"224\" y2=\"168\""
	              " stroke=\"#9ca3af\"/><g font-size=\"10\" text-anchor=\"middle\">"
	              "<text class=\"chart-label\" x=\"26\" y=\"184\" unicode-bidi=\"plaintext\">Mon</text>"
	              "<text class=\"chart-label\" x=\"62\" y=\"184\" unicode-bidi=\"plaintext\">Tue</text>");
	ck_assert_has(svg, "<text class=\"chart-label\" x=\"206\" y=\"184\" unicode-bidi=\"plaintext\">"
	              "Sat</text></g></svg>");
	ck_assert_int_eq(count_of(svg, "class=\"chart-bar\""), 6);
	ck_assert_int_eq(count_of(svg, "class=\"chart-label\""), 6);
}
END_TEST

/* Rounding half away from zero: 1/320 of 160 is 0.5 (1); 1/3 of 160 is
 * 53.3 (53), 2/3 is 106.7 (107); large values do not overflow. */
START_TEST(bar_heights_round_half_away)
{
	bahi_chart_item half[] = {{"a", 1, NULL}, {"b", 320, NULL}};
	char *svg = bahi_chart_bars(pool, half, 2, NULL);
	assert_svg_frame(svg, "Chart");
	ck_assert_has(svg, "x=\"14\" y=\"167\" width=\"24\" height=\"1\"");
	bahi_chart_item thirds[] = {{"a", 1, NULL}, {"b", 2, NULL}, {"c", 3, NULL}};
	svg = bahi_chart_bars(pool, thirds, 3, NULL);
	ck_assert_has(svg, "x=\"14\" y=\"115\" width=\"24\" height=\"53\"");
	ck_assert_has(svg, "x=\"50\" y=\"61\" width=\"24\" height=\"107\"");
	ck_assert_has(svg, "x=\"86\" y=\"8\" width=\"24\" height=\"160\"");
	bahi_chart_item huge[] = {{"a", INT64_MAX / 2, NULL}, {"b", INT64_MAX, NULL}};
	svg = bahi_chart_bars(pool, huge, 2, NULL);
	ck_assert_has(svg, "x=\"14\" y=\"88\" width=\"24\" height=\"80\"");
	ck_assert_has(svg, "x=\"50\" y=\"8\" width=\"24\" height=\"160\"");
}
END_TEST

START_TEST(all_zero_bars_are_flat)
{
	bahi_chart_item items[] = {{"a", 0, NULL}, {"b", 0, NULL}, {"c", -3, NULL}};
	char *svg = bahi_chart_bars(pool, items, 3, NULL);
	assert_svg_frame(svg, "Chart");
	ck_assert_int_eq(count_of(svg, "y=\"168\" width=\"24\" height=\"0\""), 3);
	svg = bahi_chart_hbars(pool, items, 3, NULL);
	ck_assert_int_eq(count_of(svg, "<rect class=\"chart-bar\" x=\"0\""), 3);
	ck_assert_int_eq(count_of(svg, "width=\"0\" height=\"10\""), 3);
}
END_TEST

/* Labels, values and the title are escaped everywhere they appear. */
START_TEST(everything_is_escaped)
{
	bahi_chart_item items[] = {{"<script>&\"", 5, "<b>&\"5\"</b>"}, {"ok", 10, "10"}};
	bahi_chart_opts o = {.title = "<script>&\"", .center_text = "<i>&\"</i>"};
	char *bars = bahi_chart_bars(pool, items, 2, &o);
	char *hbars = bahi_chart_hbars(pool, items, 2, &o);
	char *donut = bahi_chart_donut(pool, items, 2, &o);
	const char *all[3] = {bars, hbars, donut};
	for (int i = 0; i < 3; i++) {
		assert_svg_frame(all[i], "&lt;script&gt;&amp;&quot;");
		ck_assert_lacks(all[i], "<script");
		ck_assert_lacks(all[i], "<b>");
		ck_assert_lacks(all[i], "<i>");
		ck_assert_has(all[i], "<title>&lt;script&gt;&amp;&quot;: &lt;b&gt;&amp;&quot;5&quot;&lt;/b&gt;");
	}
	/* the bars' labels are cut to 6 characters: "<script>&\"" is 10 */
	ck_assert_has(bars, "unicode-bidi=\"plaintext\">&lt;scri\xe2\x80\xa6</text>");
	ck_assert_has(hbars, "unicode-bidi=\"plaintext\">&lt;script&gt;&amp;&quot;</text>"
	              "<text class=\"chart-value\" x=\"400\" y=\"14\" text-anchor=\"end\">"
	              "&lt;b&gt;&amp;&quot;5&quot;&lt;/b&gt;</text>");
	ck_assert_has(donut, "font-weight=\"bold\">&lt;i&gt;&amp;&quot;&lt;/i&gt;</text>");
	ck_assert_has(donut, "unicode-bidi=\"plaintext\">&lt;script&gt;&amp;&quot;</text>"
	              "<text class=\"chart-value\" x=\"162\" y=\"34\">"
	              "&lt;b&gt;&amp;&quot;5&quot;&lt;/b&gt;</text>");
}
END_TEST

START_TEST(hbars_widths_and_rows)
{
	bahi_chart_item items[] = {
		{"Tools", 50, "Rs 0.50"}, {"\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 parts", 200, "Rs 2.00"},
		{"Other", 3, "Rs 0.03"},
	};
	bahi_chart_opts o = {.title = "Sales by category", .label_max = 6};
	char *svg = bahi_chart_hbars(pool, items, 3, &o);
	assert_svg_frame(svg, "Sales by category");
	ck_assert_has(svg, "class=\"chart chart-hbars\" viewBox=\"0 0 400 108\"");
	ck_assert_has(svg, "<text class=\"chart-label\" x=\"0\" y=\"14\" unicode-bidi=\"plaintext\">"
	              "Tools</text><text class=\"chart-value\" x=\"400\" y=\"14\" text-anchor=\"end\">"
	              "Rs 0.50</text><rect class=\"chart-track\" x=\"0\" y=\"20\" width=\"400\""
	              " height=\"10\" fill=\"#e5e7eb\"/><rect class=\"chart-bar\" x=\"0\" y=\"20\""
	              " width=\"100\" height=\"10\" fill=\"#2563eb\"><title>Tools: Rs 0.50</title></rect>");
	/* cut to 6 characters on the label, whole in the tooltip */
	ck_assert_has(svg, "y=\"50\" unicode-bidi=\"plaintext\">\xc3\x9cn\xc3\xaf" "c\xc3\xb6"
	              "\xe2\x80\xa6</text>");
	ck_assert_has(svg, "y=\"56\" width=\"400\" height=\"10\" fill=\"#2563eb\"><title>"
	              "\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 parts: Rs 2.00</title>");
	/* 3/200 of 400 = 6 */
	ck_assert_has(svg, "<rect class=\"chart-bar\" x=\"0\" y=\"92\" width=\"6\" height=\"10\"");
}
END_TEST

/* Thirds: 33.4% + 33.3% + 33.3% (the remainder to the first), the arcs
 * one after the other around a circumference of 300. */
START_TEST(donut_shares_add_up)
{
	bahi_chart_item items[] = {{"Cash", 1, "Rs 0.01"}, {"Credit", 1, "Rs 0.01"}, {"Bank", 1, NULL}};
	bahi_chart_opts o = {.title = "Cash and credit", .center_text = "Rs 0.03"};
	char *svg = bahi_chart_donut(pool, items, 3, &o);
	assert_svg_frame(svg, "Cash and credit");
	ck_assert_has(svg, "class=\"chart chart-donut\" viewBox=\"0 0 340 128\"");
	ck_assert_has(svg, "<title>Cash and credit</title><circle class=\"chart-track\" cx=\"64\""
	              " cy=\"64\" r=\"47.746\" fill=\"none\" stroke=\"#e5e7eb\" stroke-width=\"14\"/>");
	ck_assert_has(svg, "<circle class=\"chart-part-1\" cx=\"64\" cy=\"64\" r=\"47.746\""
	              " fill=\"none\" stroke=\"#2563eb\" stroke-width=\"14\""
	              " stroke-dasharray=\"100.2 199.8\" stroke-dashoffset=\"-0.0\""
	              " transform=\"rotate(-90 64 64)\"><title>Cash: Rs 0.01 (33.4%)</title></circle>");
	ck_assert_has(svg, "<circle class=\"chart-part-2\" cx=\"64\" cy=\"64\" r=\"47.746\""
	              " fill=\"none\" stroke=\"#f59e0b\" stroke-width=\"14\""
	              " stroke-dasharray=\"99.9 200.1\" stroke-dashoffset=\"-100.2\"");
	ck_assert_has(svg, " stroke-dasharray=\"99.9 200.1\" stroke-dashoffset=\"-200.1\"");
	ck_assert_has(svg, "<title>Bank (33.3%)</title>");
	ck_assert_has(svg, "<text class=\"chart-center\" x=\"64\" y=\"68\" text-anchor=\"middle\""
	              " font-size=\"11\" font-weight=\"bold\">Rs 0.03</text>");
	/* the legend: swatch, label, value (none for Bank) */
	ck_assert_has(svg, "<rect class=\"chart-part-1\" x=\"144\" y=\"10\" width=\"12\" height=\"12\""
	              " rx=\"2\" fill=\"#2563eb\"/><text class=\"chart-label\" x=\"162\" y=\"20\""
	              " unicode-bidi=\"plaintext\">Cash</text><text class=\"chart-value\" x=\"162\""
	              " y=\"34\">Rs 0.01</text>");
	ck_assert_has(svg, "<rect class=\"chart-part-3\" x=\"144\" y=\"74\" width=\"12\" height=\"12\""
	              " rx=\"2\" fill=\"#10b981\"/><text class=\"chart-label\" x=\"162\" y=\"84\""
	              " unicode-bidi=\"plaintext\">Bank</text></svg>");
}
END_TEST

/* 3:1 is 75% and 25%; a part of 0 has no arc but stays in the legend;
 * every part 0: the track alone. */
START_TEST(donut_zero_parts)
{
	bahi_chart_item items[] = {{"Cash", 300, "3"}, {"Credit", 0, "0"}, {"Bank", 100, "1"}};
	char *svg = bahi_chart_donut(pool, items, 3, NULL);
	assert_svg_frame(svg, "Chart");
	ck_assert_has(svg, "class=\"chart-part-1\" cx=\"64\" cy=\"64\" r=\"47.746\" fill=\"none\""
	              " stroke=\"#2563eb\" stroke-width=\"14\" stroke-dasharray=\"225.0 75.0\""
	              " stroke-dashoffset=\"-0.0\"");
	ck_assert_lacks(svg, "<circle class=\"chart-part-2\"");
	ck_assert_has(svg, "<rect class=\"chart-part-2\"");
	ck_assert_has(svg, "class=\"chart-part-3\" cx=\"64\" cy=\"64\" r=\"47.746\" fill=\"none\""
	              " stroke=\"#10b981\" stroke-width=\"14\" stroke-dasharray=\"75.0 225.0\""
	              " stroke-dashoffset=\"-225.0\"");
	ck_assert_lacks(svg, "chart-center");
	bahi_chart_item zero[] = {{"Cash", 0, "0"}, {"Credit", -2, "0"}};
	svg = bahi_chart_donut(pool, zero, 2, NULL);
	assert_svg_frame(svg, "Chart");
	ck_assert_has(svg, "<circle class=\"chart-track\"");
	ck_assert_lacks(svg, "<circle class=\"chart-part-");
	ck_assert_int_eq(count_of(svg, "<rect class=\"chart-part-"), 2);
}
END_TEST

/* No items: the empty state, one line of text; NULL only for misuse. */
START_TEST(empty_and_misuse)
{
	bahi_chart_opts o = {.title = "Top customers", .empty_text = "No sales & no customers"};
	ck_assert_str_eq(bahi_chart_hbars(pool, NULL, 0, &o),
	                 "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-hbars\""
	                 " viewBox=\"0 0 400 80\" width=\"100%\" role=\"img\""
	                 " aria-label=\"Top customers\" direction=\"ltr\" font-size=\"12\""
	                 " fill=\"currentColor\"><title>Top customers</title>"
	                 "<text class=\"chart-empty\" x=\"200\" y=\"44\" text-anchor=\"middle\">"
	                 "No sales &amp; no customers</text></svg>");
	ck_assert_str_eq(bahi_chart_bars(pool, NULL, 0, NULL),
	                 "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-bars\""
	                 " viewBox=\"0 0 400 80\" width=\"100%\" role=\"img\""
	                 " aria-label=\"Chart\" direction=\"ltr\" font-size=\"12\""
	                 " fill=\"currentColor\"><title>Chart</title>"
	                 "<text class=\"chart-empty\" x=\"200\" y=\"44\" text-anchor=\"middle\">"
	                 "No data</text></svg>");
	assert_svg_frame(bahi_chart_donut(pool, NULL, 0, &o), "Top customers");
	bahi_chart_item nine[9] = {{"a", 1, NULL}};
	ck_assert_ptr_null(bahi_chart_donut(pool, nine, 9, NULL));
	ck_assert_ptr_nonnull(bahi_chart_donut(pool, nine, 8, NULL));
	ck_assert_ptr_null(bahi_chart_bars(pool, nine, -1, NULL));
	ck_assert_ptr_null(bahi_chart_hbars(pool, NULL, 2, NULL));
}
END_TEST

static Suite *
chart_suite(void)
{
	Suite *s = suite_create("chart");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_is_escaped);
	tcase_add_test(tc, text_is_cut_at_a_character_boundary);
	tcase_add_test(tc, text_replaces_invalid_utf8);
	tcase_add_test(tc, bar_heights_are_exact);
	tcase_add_test(tc, bar_heights_round_half_away);
	tcase_add_test(tc, all_zero_bars_are_flat);
	tcase_add_test(tc, everything_is_escaped);
	tcase_add_test(tc, hbars_widths_and_rows);
	tcase_add_test(tc, donut_shares_add_up);
	tcase_add_test(tc, donut_zero_parts);
	tcase_add_test(tc, empty_and_misuse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return bahi_check_run(chart_suite());
}
