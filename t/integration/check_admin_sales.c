/* check_admin_sales: the admin panel's new-sale, invoices, invoice and incomplete-sales pages: cash and credit sales to new customers by phone, the server's totals shown, filters, void, credit notes, payments, PDFs, CSRF, roles, escaping, other businesses and bad input. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "harness.h"

#define ID_LEN (BAHI_UUID_LEN + 1)

/* A: the shop under test; B: another shop; a clerk of A. */
static bt_session a, b, clerk;
/* A's product sold in the seed's example: 100.00 each, 1,000 in stock. */
static char widget[ID_LEN], widget_sku[64];

static void
setup(void)
{
	static int done;
	if (done)
		return;
	bt_signup_shops(&a, &b, &clerk);
	/* every browser sign-in is a device: room for all of this program's */
	bt_business_set(&a, "{\"device_cap\":50}");
	bt_business_set(&b, "{\"device_cap\":50}");
	bt_product_stocked(&a, "Widget", 10000, 6000, 1000, widget);
	const char *p[1] = {widget};
	char *sku = bt_super_value("SELECT sku FROM products WHERE id = $1", 1, p);
	ck_assert_ptr_nonnull(sku);
	snprintf(widget_sku, sizeof(widget_sku), "%s", sku);
	free(sku);
	done = 1;
}

/* ---- helpers */

/* A form body made with printf. */
__attribute__((format(printf, 3, 4))) static void
form(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
}

/* The seed's sale (2 x 100.00, 10% discount, 19% tax, 5.00 fee) of product
 * as the sale form posts it, with more fields (phone, mode, paid...). */
static void
seed_sale(char *out, size_t size, const char *product, const char *more)
{
	form(out, size, "op=save&lines=1&product_0=%s&qty_0=2&disc_0=&discount=10"
	     "&discount_kind=percent&tax_rate_bp=19&fee=5&note=&%s", product, more);
}

/* POST /admin/sales as br; expects the 303 to an invoice and copies its id. */
static void
sell(bt_browser *br, const char *body, char id[ID_LEN])
{
	bt_resp r = bt_admin_post(br, "/admin/sales", body, 1);
	ck_assert_msg(r.status == 303, "sale: %ld %.600s", r.status, r.body ? r.body : "");
	const char *l = bt_header(&r, "Location");
	ck_assert_ptr_nonnull(l);
	ck_assert_msg(strncmp(l, "/admin/invoices/", 16) == 0 && strstr(l, "?done=sold") != NULL,
	              "sale went to %s", l);
	snprintf(id, ID_LEN, "%.36s", l + 16);
	bt_free(&r);
}

static char *
invoice_path(char *out, size_t size, const char *id, const char *rest)
{
	snprintf(out, size, "/admin/invoices/%s%s", id, rest);
	return out;
}

/* SQL as the superuser: a value of invoice id's row of what. */
static long
invoice_long(const char *sql, const char *id)
{
	const char *p[1] = {id};
	return bt_super_long(sql, 1, p);
}

static long
count_sales(const bt_session *s)
{
	const char *p[1] = {s->business_id};
	return bt_super_long("SELECT (SELECT count(*) FROM invoices WHERE business_id = $1)"
	                     " + (SELECT count(*) FROM incomplete_sales WHERE business_id = $1)", 1, p);
}

/* The business-local date today, with days added. */
static void
local_date(int days, char out[16])
{
	char n[8];
	snprintf(n, sizeof(n), "%d", days);
	const char *p[1] = {n};
	char *v = bt_super_value("SELECT ((now() AT TIME ZONE 'Asia/Karachi')::date + $1::int)::text",
	                         1, p);
	ck_assert_ptr_nonnull(v);
	snprintf(out, 16, "%s", v);
	free(v);
}

/* ---- the new-sale form */

START_TEST(the_form_shows_the_business_tax_rate_and_no_lines)
{
	bt_browser br;
	bt_admin_signin(&a, &br);
	bt_resp r = bt_admin_page(&br, "/admin/sales/new", 200);
	bt_assert_contains(&r, "<h1>New sale</h1>");
	bt_assert_contains(&r, "<form method=\"post\" action=\"/admin/sales\" id=\"sale-form\"");
	bt_assert_contains(&r, "name=\"tax_rate_bp\" value=\"19\"");
	bt_assert_contains(&r, "No items yet.");
	bt_assert_contains(&r, "<script src=\"/static/js/sale.js\" defer></script>");
	bt_assert_contains(&r, "data-grouping=\"lakh\"");
	bt_assert_lacks(&r, "<script>");
	bt_assert_lacks(&r, "style=");
	bt_free(&r);
	/* the script is served */
	r = bt_http("GET", "/static/js/sale.js", NULL, NULL, 0);
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "function computeTotals(");
	bt_free(&r);
}
END_TEST

START_TEST(a_line_is_added_by_sku_without_javascript)
{
	bt_browser br;
	char body[512];
	bt_admin_signin(&clerk, &br);
	form(body, sizeof(body), "op=add&lines=0&q=%s&tax_rate_bp=19&payment_mode=cash", widget_sku);
	bt_resp r = bt_admin_post(&br, "/admin/sales", body, 1);
	ck_assert_int_eq(r.status, 200);
	char want[160];
	snprintf(want, sizeof(want), "name=\"product_0\" value=\"%s\"", widget);
	bt_assert_contains(&r, want);
	bt_assert_contains(&r, "name=\"qty_0\" value=\"1\"");
	bt_assert_contains(&r, "name=\"lines\" value=\"1\"");
	/* a clerk may not type prices: the product's price is shown, not a field */
	bt_assert_lacks(&r, "name=\"price_0\"");
	bt_assert_contains(&r, "<td class=\"num\">Rs 100.00</td>");
	/* the server's preview: 100.00 + 19% tax */
	bt_assert_contains(&r, "<dd class=\"grand\" data-out=\"total\">Rs 119.00</dd>");
	bt_free(&r);
	/* the same product again is one more on its line; a search with no match says so */
	form(body, sizeof(body), "op=add&lines=1&product_0=%s&qty_0=1&q=%s", widget, widget_sku);
	r = bt_admin_post(&br, "/admin/sales", body, 1);
	bt_assert_contains(&r, "name=\"qty_0\" value=\"2\"");
	bt_free(&r);
	r = bt_admin_post(&br, "/admin/sales", "op=add&lines=0&q=zzqqxxnothing", 1);
	ck_assert_int_eq(r.status, 200);
	bt_assert_contains(&r, "No product matches this search.");
	bt_assert_contains(&r, "value=\"zzqqxxnothing\"");
	bt_free(&r);
	/* a line is removed */
	form(body, sizeof(body), "remove=0&lines=1&product_0=%s&qty_0=1", widget);
	r = bt_admin_post(&br, "/admin/sales", body, 1);
	bt_assert_lacks(&r, "name=\"product_0\"");
	bt_assert_contains(&r, "No items yet.");
	bt_free(&r);
}
END_TEST

START_TEST(the_product_search_answers_json)
{
	bt_browser br;
	bt_admin_signin(&clerk, &br);
	bt_resp r = bt_admin_page(&br, "/admin/sales/products?q=Widget", 200);
	ck_assert_str_eq(r.content_type, "application/json");
	ck_assert_ptr_nonnull(r.json);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), widget);
	ck_assert_int_eq(bt_at_int(&r, "items.0.price"), 10000);
	ck_assert_str_eq(bt_at_str(&r, "items.0.price_money"), "Rs 100.00");
	bt_free(&r);
	/* signed out: no answer */
	bt_browser none;
	memset(&none, 0, sizeof(none));
	r = bt_admin_get(&none, "/admin/sales/products?q=Widget");
	ck_assert_int_eq(r.status, 303);
	bt_free(&r);
}
END_TEST

/* ---- sales */

START_TEST(a_cash_sale_to_a_new_customer_shows_the_servers_totals)
{
	bt_browser br;
	char phone[BT_PHONE_LEN], ephone[64], more[256], body[1024], id[ID_LEN], path[160];
	bt_admin_signin(&a, &br);
	bt_phone_new(phone);
	bt_form_escape(phone, ephone, sizeof(ephone));
	form(more, sizeof(more), "customer_phone=%s&customer_name=Cash+Buyer&payment_mode=cash"
	     "&paid_amount=&idem=cash-sale-1", ephone);
	seed_sale(body, sizeof(body), widget, more);
	sell(&br, body, id);
	/* the invoice as stored: the seed's 219.20, paid in full, to the new customer */
	ck_assert_int_eq(invoice_long("SELECT total FROM invoices WHERE id = $1", id), 21920);
	ck_assert_int_eq(invoice_long("SELECT count(*) FROM invoice_balances WHERE invoice_id = $1"
	                              " AND status = 'paid' AND balance_due = 0", id), 1);
	const char *p[2] = {a.business_id, phone};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1"
	                               " AND phone = $2 AND name = 'Cash Buyer'", 2, p), 1);
	bt_resp r = bt_admin_page(&br, invoice_path(path, sizeof(path), id, "?done=sold"), 200);
	bt_assert_contains(&r, "<p class=\"flash\" role=\"status\">Sale recorded.</p>");
	bt_assert_contains(&r, "<dd data-total=\"subtotal\">Rs 200.00</dd>");
	bt_assert_contains(&r, "<dt>Discount (10%)</dt><dd data-total=\"discount\">Rs 20.00</dd>");
	bt_assert_contains(&r, "<dt>Tax (19%)</dt><dd data-total=\"tax\">Rs 34.20</dd>");
	bt_assert_contains(&r, "<dd data-total=\"fee\">Rs 5.00</dd>");
	bt_assert_contains(&r, "<dd class=\"grand\" data-total=\"total\">Rs 219.20</dd>");
	bt_assert_contains(&r, "<dd data-total=\"paid\">Rs 219.20</dd>");
	bt_assert_contains(&r, "<dd data-total=\"balance_due\">Rs 0.00</dd>");
	bt_assert_contains(&r, "<span class=\"status status-paid\">Paid</span>");
	bt_assert_contains(&r, ">Cash Buyer</a>");
	bt_assert_contains(&r, "<td>Widget</td><td class=\"num\">2</td><td class=\"num\">Rs 100.00</td>"
	                   "<td class=\"num\">Rs 200.00</td>");
	/* the PDFs and the WhatsApp link */
	snprintf(body, sizeof(body), "href=\"/admin/invoices/%s/pdf?format=receipt\"", id);
	bt_assert_contains(&r, body);
	bt_assert_contains(&r, "href=\"https://wa.me/");
	bt_free(&r);
	/* the same form sent twice (same idem) is one sale */
	long before = count_sales(&a);
	seed_sale(body, sizeof(body), widget, more);
	char id2[ID_LEN];
	sell(&br, body, id2);
	ck_assert_str_eq(id2, id);
	ck_assert_int_eq(count_sales(&a), before);
}
END_TEST

START_TEST(a_credit_sale_to_a_new_customer_becomes_a_debt)
{
	bt_browser br;
	char phone[BT_PHONE_LEN], ephone[64], more[256], body[1024], id[ID_LEN], path[160];
	bt_admin_signin(&clerk, &br);
	bt_phone_new(phone);
	bt_form_escape(phone, ephone, sizeof(ephone));
	form(more, sizeof(more), "customer_phone=%s&customer_name=Credit+Buyer&payment_mode=credit"
	     "&paid_amount=50", ephone);
	seed_sale(body, sizeof(body), widget, more);
	sell(&br, body, id);
	ck_assert_int_eq(invoice_long("SELECT count(*) FROM invoice_balances WHERE invoice_id = $1"
	                              " AND status = 'partially_paid' AND balance_due = 16920"
	                              " AND paid = 5000", id), 1);
	bt_resp r = bt_admin_page(&br, invoice_path(path, sizeof(path), id, ""), 200);
	bt_assert_contains(&r, "<dd class=\"grand\" data-total=\"total\">Rs 219.20</dd>");
	bt_assert_contains(&r, "<dd data-total=\"balance_due\">Rs 169.20</dd>");
	bt_assert_contains(&r, "<span class=\"status status-partially_paid\">Partly paid</span>");
	bt_assert_contains(&r, "<dt>Due date</dt>");
	/* clerks record payments but do not void or return */
	bt_assert_contains(&r, "/payments\" class=\"inline-form\"");
	bt_assert_lacks(&r, "/void\"");
	bt_assert_lacks(&r, "/credit-notes\"");
	bt_free(&r);
	/* a payment from the invoice page */
	snprintf(path, sizeof(path), "/admin/invoices/%s/payments", id);
	const char *p[1] = {id};
	char *cid = bt_super_value("SELECT customer_id FROM invoices WHERE id = $1", 1, p);
	form(body, sizeof(body), "customer_id=%s&amount=69.20&method=cash", cid);
	free(cid);
	char done[160];
	snprintf(done, sizeof(done), "/admin/invoices/%s?done=paid", id);
	bt_expect_redirect(bt_admin_post(&br, path, body, 1), done);
	r = bt_admin_page(&br, done, 200);
	bt_assert_contains(&r, "<dd data-total=\"balance_due\">Rs 100.00</dd>");
	bt_assert_contains(&r, "<td class=\"num\">Rs 69.20</td>");
	bt_free(&r);
}
END_TEST

START_TEST(a_cash_sale_paid_short_is_an_incomplete_sale)
{
	bt_browser br;
	char body[1024], path[200];
	bt_admin_signin(&a, &br);
	seed_sale(body, sizeof(body), widget, "payment_mode=cash&paid_amount=100");
	bt_expect_redirect(bt_admin_post(&br, "/admin/sales", body, 1),
	                   "/admin/sales/incomplete?done=incomplete");
	const char *p[1] = {a.business_id};
	char *id = bt_super_value("SELECT id FROM incomplete_sales WHERE business_id = $1"
	                          " AND status = 'open' AND deleted_at IS NULL"
	                          " ORDER BY created_at DESC LIMIT 1", 1, p);
	ck_assert_ptr_nonnull(id);
	bt_resp r = bt_admin_page(&br, "/admin/sales/incomplete?done=incomplete", 200);
	bt_assert_contains(&r, "Paid short: the sale was kept as an incomplete sale.");
	bt_assert_contains(&r, "<dt>Total</dt><dd>Rs 219.20</dd>");
	bt_assert_contains(&r, "<dt>Short by</dt><dd>Rs 119.20</dd>");
	bt_assert_contains(&r, "2 × Widget");
	bt_free(&r);
	/* completing it short again is refused and shows the form again */
	snprintf(path, sizeof(path), "/admin/sales/incomplete/%s/complete", id);
	r = bt_admin_post(&br, path, "payment_mode=cash&paid_amount=200", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "value=\"200\"");
	bt_free(&r);
	r = bt_admin_post(&br, path, "payment_mode=cash&paid_amount=219.20", 1);
	ck_assert_int_eq(r.status, 303);
	bt_free(&r);
	ck_assert_int_eq(invoice_long("SELECT total FROM invoices WHERE id = $1", id), 21920);
	free(id);
	/* another one discarded */
	bt_expect_redirect(bt_admin_post(&br, "/admin/sales", body, 1),
	                   "/admin/sales/incomplete?done=incomplete");
	id = bt_super_value("SELECT id FROM incomplete_sales WHERE business_id = $1"
	                    " AND status = 'open' AND deleted_at IS NULL", 1, p);
	snprintf(path, sizeof(path), "/admin/sales/incomplete/%s/delete", id);
	bt_expect_redirect(bt_admin_post(&br, path, "", 1), "/admin/sales/incomplete?done=deleted");
	ck_assert_int_eq(invoice_long("SELECT count(*) FROM incomplete_sales WHERE id = $1"
	                              " AND deleted_at IS NOT NULL", id), 1);
	free(id);
	r = bt_admin_page(&br, "/admin/sales/incomplete", 200);
	bt_assert_contains(&r, "No incomplete sales.");
	bt_free(&r);
}
END_TEST

START_TEST(bad_input_shows_the_form_again_and_changes_nothing)
{
	bt_browser br;
	char body[1024];
	bt_admin_signin(&a, &br);
	long before = count_sales(&a);
	form(body, sizeof(body), "op=save&lines=1&product_0=%s&qty_0=abc&discount=10"
	     "&discount_kind=percent&payment_mode=cash&customer_phone=&customer_name=", widget);
	bt_resp r = bt_admin_post(&br, "/admin/sales", body, 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "The request has invalid fields");
	bt_assert_contains(&r, "<li>Item 1: Enter a quantity, such as 2 or 1.5.</li>");
	bt_assert_contains(&r, "name=\"qty_0\" value=\"abc\"");
	bt_assert_contains(&r, "name=\"discount\" value=\"10\"");
	bt_assert_contains(&r, "<div class=\"field-error\">Enter a quantity, such as 2 or 1.5.</div>");
	bt_free(&r);
	r = bt_admin_post(&br, "/admin/sales", "op=save&lines=0&payment_mode=credit&fee=5", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "<li>Items: Add at least one item.</li>");
	bt_assert_contains(&r, "name=\"fee\" value=\"5\"");
	bt_free(&r);
	/* the API's refusals too: a credit sale needs a customer */
	form(body, sizeof(body), "op=save&lines=1&product_0=%s&qty_0=1&payment_mode=credit", widget);
	r = bt_admin_post(&br, "/admin/sales", body, 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "A customer is required for a credit sale");
	bt_assert_contains(&r, "name=\"qty_0\" value=\"1\"");
	bt_free(&r);
	/* more than the stock */
	form(body, sizeof(body), "op=save&lines=1&product_0=%s&qty_0=999999&payment_mode=cash", widget);
	r = bt_admin_post(&br, "/admin/sales", body, 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "Not enough stock");
	bt_free(&r);
	ck_assert_int_eq(count_sales(&a), before);
}
END_TEST

START_TEST(forms_without_the_csrf_token_change_nothing)
{
	bt_browser br;
	char body[1024], path[160], id[ID_LEN];
	bt_admin_signin(&a, &br);
	seed_sale(body, sizeof(body), widget, "payment_mode=cash");
	long before = count_sales(&a);
	bt_resp r = bt_admin_post(&br, "/admin/sales", body, 0);
	ck_assert_int_eq(r.status, 403);
	bt_assert_contains(&r, "The form has expired or did not come from this site");
	bt_free(&r);
	ck_assert_int_eq(count_sales(&a), before);
	sell(&br, body, id);
	r = bt_admin_post(&br, invoice_path(path, sizeof(path), id, "/void"), "reason=x", 0);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	ck_assert_int_eq(invoice_long("SELECT count(*) FROM invoice_balances WHERE invoice_id = $1"
	                              " AND status = 'paid'", id), 1);
}
END_TEST

/* ---- the invoice page: void, returns, PDFs */

START_TEST(an_admin_voids_a_clerk_gets_403)
{
	bt_browser owner, cl;
	char body[1024], path[160], id[ID_LEN];
	bt_admin_signin(&a, &owner);
	bt_admin_signin(&clerk, &cl);
	seed_sale(body, sizeof(body), widget, "payment_mode=cash");
	sell(&cl, body, id);
	invoice_path(path, sizeof(path), id, "/void");
	bt_resp r = bt_admin_post(&cl, path, "reason=Clerk+try", 1);
	ck_assert_int_eq(r.status, 403);
	bt_assert_contains(&r, "You do not have permission to do this");
	bt_free(&r);
	ck_assert_int_eq(invoice_long("SELECT count(*) FROM invoice_balances WHERE invoice_id = $1"
	                              " AND status = 'paid'", id), 1);
	char done[160];
	invoice_path(done, sizeof(done), id, "?done=voided");
	bt_expect_redirect(bt_admin_post(&owner, path, "reason=Typed+%3Ctwice%3E&refund_to=cash", 1),
	                   done);
	ck_assert_int_eq(invoice_long("SELECT count(*) FROM invoice_balances WHERE invoice_id = $1"
	                              " AND status = 'void'", id), 1);
	ck_assert_int_eq(invoice_long("SELECT count(*) FROM invoice_voids WHERE invoice_id = $1"
	                              " AND reason = 'Typed <twice>' AND refund_to = 'cash'", id), 1);
	r = bt_admin_page(&owner, done, 200);
	bt_assert_contains(&r, "<p class=\"flash\" role=\"status\">Invoice voided.</p>");
	bt_assert_contains(&r, "<span class=\"status status-void\">Void</span>");
	/* why and how it was voided, the reason escaped */
	bt_assert_contains(&r, "<dd data-void=\"reason\">Typed &lt;twice&gt;</dd>");
	ck_assert_int_eq(invoice_long("SELECT refunded FROM invoice_voids WHERE invoice_id = $1", id),
	                 21920);
	bt_assert_contains(&r, "<dd data-void=\"refunded\">Rs 219.20 (Cash)</dd>");
	bt_assert_lacks(&r, "Void this invoice");
	bt_free(&r);
	/* voiding it again: 409, the page says why */
	r = bt_admin_post(&owner, path, "reason=again", 1);
	ck_assert_int_eq(r.status, 409);
	bt_assert_contains(&r, "The request conflicts with the current state");
	bt_free(&r);
}
END_TEST

START_TEST(a_credit_note_returns_goods)
{
	bt_browser br;
	char body[1024], path[160], id[ID_LEN], done[160];
	bt_admin_signin(&a, &br);
	seed_sale(body, sizeof(body), widget, "payment_mode=cash");
	sell(&br, body, id);
	bt_resp r = bt_admin_page(&br, invoice_path(path, sizeof(path), id, ""), 200);
	bt_assert_contains(&r, "name=\"returns\" value=\"1\"");
	bt_free(&r);
	invoice_path(path, sizeof(path), id, "/credit-notes");
	/* more than was sold: shown again with the quantity typed */
	form(body, sizeof(body), "returns=1&ret_product_0=%s&ret_0=3&reason=Broken", widget);
	r = bt_admin_post(&br, path, body, 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "name=\"ret_0\" value=\"3\"");
	bt_assert_contains(&r, "<li>Item 1: ");
	bt_free(&r);
	r = bt_admin_post(&br, path, "returns=1&ret_0=", 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "Enter a quantity to return on at least one line.");
	bt_free(&r);
	form(body, sizeof(body), "returns=1&ret_product_0=%s&ret_0=1&reason=Broken&refund_to=cash",
	     widget);
	invoice_path(done, sizeof(done), id, "?done=returned");
	bt_expect_redirect(bt_admin_post(&br, path, body, 1), done);
	r = bt_admin_page(&br, done, 200);
	bt_assert_contains(&r, "Credit note issued.");
	/* half the seed's invoice back: 100.00 - 10% = 90.00 + 19% = 107.10 */
	bt_assert_contains(&r, "<td>Broken</td><td>Cash</td><td class=\"num\">Rs 107.10</td>"
	                   "<td class=\"num\">Rs 107.10</td>");
	bt_assert_contains(&r, "<dd data-total=\"returned\">Rs 107.10</dd>");
	bt_free(&r);
}
END_TEST

START_TEST(the_pdf_route_answers_pdfs)
{
	bt_browser br;
	char body[1024], path[200], id[ID_LEN];
	bt_admin_signin(&clerk, &br);
	seed_sale(body, sizeof(body), widget, "payment_mode=cash");
	sell(&br, body, id);
	static const char *const formats[] = {"?format=a4", "?format=receipt", ""};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/admin/invoices/%s/pdf%s", id, formats[i]);
		bt_resp r = bt_admin_page(&br, path, 200);
		ck_assert_str_eq(r.content_type, "application/pdf");
		ck_assert_msg(r.len > 1000 && memcmp(r.body, "%PDF-", 5) == 0, "not a PDF: %zu", r.len);
		bt_free(&r);
	}
	snprintf(path, sizeof(path), "/admin/invoices/%s/pdf?format=letter", id);
	bt_resp r = bt_admin_page(&br, path, 404);
	bt_free(&r);
}
END_TEST

START_TEST(names_are_shown_as_text)
{
	bt_browser br;
	char product[ID_LEN], phone[BT_PHONE_LEN], ephone[64], more[512], body[1024], id[ID_LEN];
	char path[160];
	bt_admin_signin(&a, &br);
	bt_product_stocked(&a, "<script>alert(1)</script>", 500, 100, 10, product);
	bt_phone_new(phone);
	bt_form_escape(phone, ephone, sizeof(ephone));
	form(more, sizeof(more), "payment_mode=credit&customer_phone=%s"
	     "&customer_name=%%3Cscript%%3Ealert(2)%%3C%%2Fscript%%3E", ephone);
	seed_sale(body, sizeof(body), product, more);
	sell(&br, body, id);
	bt_resp r = bt_admin_page(&br, invoice_path(path, sizeof(path), id, ""), 200);
	bt_assert_contains(&r, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>");
	bt_assert_contains(&r, "&lt;script&gt;alert(2)&lt;/script&gt;</a>");
	bt_assert_lacks(&r, "<script>alert");
	bt_free(&r);
	r = bt_admin_page(&br, "/admin/invoices", 200);
	bt_assert_contains(&r, "<td>&lt;script&gt;alert(2)&lt;/script&gt;</td>");
	bt_assert_lacks(&r, "<script>alert");
	bt_free(&r);
	/* and on the sale form shown again */
	form(body, sizeof(body), "op=recalc&lines=1&product_0=%s&qty_0=1", product);
	r = bt_admin_post(&br, "/admin/sales", body, 1);
	bt_assert_contains(&r, "<span class=\"sale-name\">&lt;script&gt;alert(1)&lt;/script&gt;</span>");
	bt_assert_lacks(&r, "<script>alert");
	bt_free(&r);
}
END_TEST

START_TEST(another_business_invoice_is_a_404_page)
{
	bt_browser mine;
	char theirs[ID_LEN], product[ID_LEN], body[512], path[160];
	bt_product_stocked(&b, "Their thing", 1000, 500, 10, product);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":1000}", product);
	bt_resp r = bt_invoice_issue(&b, body, theirs);
	bt_free(&r);
	bt_admin_signin(&a, &mine);
	r = bt_admin_page(&mine, invoice_path(path, sizeof(path), theirs, ""), 404);
	bt_assert_contains(&r, "The resource was not found");
	bt_assert_lacks(&r, "Their thing");
	bt_free(&r);
	r = bt_admin_page(&mine, invoice_path(path, sizeof(path), theirs, "/pdf"), 404);
	bt_free(&r);
	r = bt_admin_post(&mine, invoice_path(path, sizeof(path), theirs, "/void"), "reason=x", 1);
	ck_assert_int_eq(r.status, 404);
	bt_free(&r);
	ck_assert_int_eq(invoice_long("SELECT count(*) FROM invoice_balances WHERE invoice_id = $1"
	                              " AND status = 'paid'", theirs), 1);
	/* their product is not sold by our form either */
	form(body, sizeof(body), "op=save&lines=1&product_0=%s&qty_0=1&payment_mode=cash", product);
	r = bt_admin_post(&mine, "/admin/sales", body, 1);
	ck_assert_int_eq(r.status, 422);
	bt_assert_contains(&r, "This product is no longer in the catalog; remove the line.");
	bt_free(&r);
}
END_TEST

/* ---- the invoices list */

START_TEST(the_list_filters_by_status_and_date)
{
	bt_browser br;
	bt_session shop;
	char phone[BT_PHONE_LEN], ephone[64], more[256], body[1024], cash[ID_LEN], credit[ID_LEN];
	char today[16], tomorrow[16], url[256];
	bt_signup(&shop);
	bt_business_set(&shop, "{\"device_cap\":50}");
	bt_admin_signin(&shop, &br);
	bt_resp r = bt_admin_page(&br, "/admin/invoices", 200);
	bt_assert_contains(&r, "No invoices yet. Make a sale to issue the first one.");
	bt_free(&r);
	char product[ID_LEN];
	bt_product_stocked(&shop, "Cable", 10000, 5000, 100, product);
	seed_sale(body, sizeof(body), product, "payment_mode=cash");
	sell(&br, body, cash);
	bt_phone_new(phone);
	bt_form_escape(phone, ephone, sizeof(ephone));
	form(more, sizeof(more), "payment_mode=credit&customer_phone=%s&customer_name=Bilal", ephone);
	seed_sale(body, sizeof(body), product, more);
	sell(&br, body, credit);
	local_date(0, today);
	local_date(1, tomorrow);
	char cash_link[128], credit_link[128];
	snprintf(cash_link, sizeof(cash_link), "href=\"/admin/invoices/%s\"", cash);
	snprintf(credit_link, sizeof(credit_link), "href=\"/admin/invoices/%s\"", credit);
	r = bt_admin_page(&br, "/admin/invoices?status=paid", 200);
	bt_assert_contains(&r, cash_link);
	bt_assert_lacks(&r, credit_link);
	bt_assert_contains(&r, "<option value=\"paid\" selected>Paid</option>");
	bt_free(&r);
	r = bt_admin_page(&br, "/admin/invoices?status=unpaid", 200);
	bt_assert_contains(&r, credit_link);
	bt_assert_lacks(&r, cash_link);
	bt_assert_contains(&r, "<td>Bilal</td>");
	bt_assert_contains(&r, "<td class=\"num\">Rs 219.20</td><td class=\"num\">Rs 219.20</td>");
	bt_free(&r);
	snprintf(url, sizeof(url), "/admin/invoices?from=%s&to=%s", today, today);
	r = bt_admin_page(&br, url, 200);
	bt_assert_contains(&r, cash_link);
	bt_assert_contains(&r, credit_link);
	bt_free(&r);
	snprintf(url, sizeof(url), "/admin/invoices?from=%s", tomorrow);
	r = bt_admin_page(&br, url, 200);
	bt_assert_contains(&r, "No invoices match these filters.");
	bt_assert_lacks(&r, cash_link);
	bt_free(&r);
	/* by customer, typed as a name */
	r = bt_admin_page(&br, "/admin/invoices?customer=Bilal", 200);
	bt_assert_contains(&r, credit_link);
	bt_assert_lacks(&r, cash_link);
	bt_free(&r);
	r = bt_admin_page(&br, "/admin/invoices?customer=Nobody+Here", 200);
	bt_assert_contains(&r, "No customer matches that name or phone.");
	bt_free(&r);
	r = bt_admin_page(&br, "/admin/invoices?from=2026-13-45&status=lost", 422);
	bt_assert_contains(&r, "The request has invalid fields");
	bt_assert_contains(&r, "value=\"2026-13-45\"");
	bt_free(&r);
}
END_TEST

START_TEST(the_list_has_50_a_page)
{
	bt_browser br;
	bt_session shop;
	char product[ID_LEN], body[512], id[ID_LEN];
	bt_signup(&shop);
	bt_business_set(&shop, "{\"device_cap\":50}");
	bt_product_stocked(&shop, "Bolt", 100, 50, 1000, product);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":100}", product);
	for (int i = 0; i < 51; i++) {
		bt_resp r = bt_invoice_issue(&shop, body, id);
		bt_free(&r);
	}
	bt_admin_signin(&shop, &br);
	bt_resp r = bt_admin_page(&br, "/admin/invoices?status=paid", 200);
	int rows = 0;
	for (const char *p = r.body; (p = strstr(p, "<tr><td><a href=\"/admin/invoices/")) != NULL; p++)
		rows++;
	ck_assert_int_eq(rows, 50);
	const char *next = strstr(r.body, "<a href=\"/admin/invoices?status=paid&amp;cursor=");
	ck_assert_msg(next != NULL, "no next page link");
	char url[512];
	next += strlen("<a href=\"");
	size_t n = strcspn(next, "\"");
	snprintf(url, sizeof(url), "%.*s", (int)n, next);
	/* &amp; in the page is & in the link */
	char *amp = strstr(url, "&amp;");
	ck_assert_ptr_nonnull(amp);
	memmove(amp + 1, amp + 5, strlen(amp + 5) + 1);
	bt_free(&r);
	r = bt_admin_page(&br, url, 200);
	rows = 0;
	for (const char *p = r.body; (p = strstr(p, "<tr><td><a href=\"/admin/invoices/")) != NULL; p++)
		rows++;
	ck_assert_int_eq(rows, 1);
	bt_assert_lacks(&r, "rel=\"next\"");
	bt_free(&r);
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("admin_sales");
	TCase *tc = tcase_create("sales");
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_form_shows_the_business_tax_rate_and_no_lines);
	tcase_add_test(tc, a_line_is_added_by_sku_without_javascript);
	tcase_add_test(tc, the_product_search_answers_json);
	tcase_add_test(tc, a_cash_sale_to_a_new_customer_shows_the_servers_totals);
	tcase_add_test(tc, a_credit_sale_to_a_new_customer_becomes_a_debt);
	tcase_add_test(tc, a_cash_sale_paid_short_is_an_incomplete_sale);
	tcase_add_test(tc, bad_input_shows_the_form_again_and_changes_nothing);
	tcase_add_test(tc, forms_without_the_csrf_token_change_nothing);
	tcase_add_test(tc, an_admin_voids_a_clerk_gets_403);
	tcase_add_test(tc, a_credit_note_returns_goods);
	tcase_add_test(tc, the_pdf_route_answers_pdfs);
	tcase_add_test(tc, names_are_shown_as_text);
	tcase_add_test(tc, another_business_invoice_is_a_404_page);
	tcase_add_test(tc, the_list_filters_by_status_and_date);
	tcase_add_test(tc, the_list_has_50_a_page);
	suite_add_tcase(s, tc);
	return bahi_check_run(s);
}
