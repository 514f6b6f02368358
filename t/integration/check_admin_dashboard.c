/* check_admin_dashboard: the dashboard page: exact figures, charts as inline SVG, lists to act on, the clerk's start page. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../check_run.h"
#include "harness.h"

static bt_session a, b, clerk;
static char product[BAHI_UUID_LEN + 1], customer[BAHI_UUID_LEN + 1];

/* Shop a: a category, a product with 3 in stock (minimum 5), a customer
 * named with HTML metacharacters, a cash sale of 1,500.00 and a credit sale
 * of 1,250.00 due in 2 days. */
static void
setup(void)
{
	static int done;
	if (done)
		return;
	bt_signup_shops(&a, &b, &clerk);
	bt_business_set(&a, "{\"device_cap\":50,\"credit_term_days\":2,\"tax_rate_bp\":0}");
	char cat[BAHI_UUID_LEN + 1], body[512], inv[BAHI_UUID_LEN + 1];
	bt_create(&a, "/api/v1/categories", "{\"name\":\"Tyres\"}", cat);
	snprintf(body, sizeof(body), "{\"name\":\"Tube\",\"price\":50000,\"cost\":30000,"
	         "\"category_id\":\"%s\",\"min_stock\":5}", cat);
	bt_create(&a, "/api/v1/products", body, product);
	bt_stock_in(&a, product, 13);
	bt_customer_new(&a, "<b>Bold</b> & Sons", "+923009998877", customer);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":3}],"
	         "\"payment_mode\":\"cash\",\"paid_amount\":150000}", product);
	bt_resp r = bt_invoice_issue(&a, body, inv);
	bt_free(&r);
	snprintf(body, sizeof(body), "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\","
	         "\"qty\":7,\"unit_price\":17857}],\"discount_bp\":0,\"fee\":1,\"payment_mode\":\"credit\","
	         "\"paid_amount\":0}", customer, product);
	r = bt_invoice_issue(&a, body, inv);
	bt_free(&r);
	done = 1;
}

START_TEST(owner_sees_the_exact_figures)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	bt_resp r = bt_admin_get(&br, "/admin/");
	ck_assert_int_eq(r.status, 200);
	/* 3 x 500.00 cash; 7 x 178.57 + 0.01 fee = 1,250.00 credit */
	bt_assert_contains(&r, "<div class=\"value\" id=\"stat-today\">Rs 2,750.00</div>");
	bt_assert_contains(&r, "<div class=\"muted\">Cash Rs 1,500.00 · Credit Rs 1,250.00</div>");
	bt_assert_contains(&r, "<div class=\"value\" id=\"stat-month\">Rs 2,750.00</div>");
	bt_assert_contains(&r, "<div class=\"value\" id=\"stat-debt\">Rs 1,250.00</div>");
	bt_assert_contains(&r, "Customers who owe: 1");
	/* 13 in, 10 sold: 3 left of a minimum of 5 */
	bt_assert_contains(&r, "<td class=\"num\">3 / 5</td>");
	bt_assert_contains(&r, "Low on stock: 1");
	/* due in 2 days: red */
	bt_assert_contains(&r, "<span class=\"status status-red\">2 days left</span>");
	bt_assert_contains(&r, "(1 · Rs 1,250.00)");
	/* recent invoices, newest first */
	const char *two = strstr(r.body, ">#2</a>"), *one = strstr(r.body, ">#1</a>");
	ck_assert_ptr_nonnull(two);
	ck_assert_ptr_nonnull(one);
	ck_assert_msg(two < one, "invoice #2 is listed after #1");
	bt_assert_contains(&r, "<td>Walk-in customer</td><td>Cash</td>");
	bt_free(&r);
}
END_TEST

START_TEST(charts_are_inline_svg_with_escaped_labels)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	bt_resp r = bt_admin_get(&br, "/admin/");
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "aria-label=\"Sales of the last 14 days\"");
	bt_assert_contains(&r, "aria-label=\"Cash and credit this month\"");
	bt_assert_contains(&r, "<title>Cash: Rs 1,500.00 (54.5%)</title>");
	bt_assert_contains(&r, "<title>Credit: Rs 1,250.00 (45.5%)</title>");
	bt_assert_contains(&r, ">Tyres</text>");
	/* the customer's name is text in the SVG and in the lists, never markup */
	bt_assert_contains(&r, "&lt;b&gt;Bold&lt;/b&gt; &amp; Sons");
	bt_assert_lacks(&r, "<b>Bold</b>");
	bt_assert_lacks(&r, "style=");
	bt_assert_lacks(&r, "<style");
	bt_free(&r);
}
END_TEST

START_TEST(an_empty_shop_says_what_to_do)
{
	bt_business_set(&b, "{\"device_cap\":50}");
	bt_browser br;
	bt_admin_signin(&b, &br);
	bt_resp r = bt_admin_get(&br, "/admin/");
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "<div class=\"value\" id=\"stat-today\">Rs 0.00</div>");
	bt_assert_contains(&r, "No invoices yet. Your first sale starts at New sale.");
	bt_assert_contains(&r, "Every product is above its minimum stock.");
	bt_assert_contains(&r, "No sales yet");
	/* nothing of shop a */
	bt_assert_lacks(&r, "Tyres");
	bt_assert_lacks(&r, "Sons");
	bt_free(&r);
}
END_TEST

START_TEST(clerks_get_a_start_page_without_the_shop_figures)
{
	bt_browser br;
	bt_admin_signin(&clerk, &br);
	bt_resp r = bt_admin_get(&br, "/admin/");
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "<h2>What would you like to do?</h2>");
	bt_assert_lacks(&r, "stat-today");
	bt_assert_lacks(&r, "Rs 2,750.00");
	bt_free(&r);
}
END_TEST

START_TEST(the_dashboard_in_urdu)
{
	bt_browser br;
	bt_admin_urdu_user(&a, &br);
	bt_resp r = bt_admin_get(&br, "/admin/");
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "<html lang=\"ur\" dir=\"rtl\">");
	bt_assert_contains(&r, "<div class=\"label\">آج کی فروخت</div>");
	bt_assert_contains(&r, "aria-label=\"پچھلے 14 دن کی فروخت\"");
	bt_free(&r);
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("admin_dashboard");
	TCase *tc = tcase_create("dashboard");
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, owner_sees_the_exact_figures);
	tcase_add_test(tc, charts_are_inline_svg_with_escaped_labels);
	tcase_add_test(tc, an_empty_shop_says_what_to_do);
	tcase_add_test(tc, clerks_get_a_start_page_without_the_shop_figures);
	tcase_add_test(tc, the_dashboard_in_urdu);
	suite_add_tcase(s, tc);
	return bahi_check_run(s);
}
