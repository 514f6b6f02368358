/* check_admin_customers: the admin panel's customers, customer card and debts pages through nginx: amounts, payments, debt colours, forms, CSRF, roles, escaping and tenancy. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_uuid.h"
#include "harness.h"

#define ID_LEN (BAHI_UUID_LEN + 1)
#define XSS "<script>alert(1)</script>"
#define XSS_SHOWN "&lt;script&gt;alert(1)&lt;/script&gt;"

/* A: the shop under test; B: another business; a clerk of A; their browsers. */
static bt_session owner_a, owner_b, clerk_a;
static bt_browser web_a, web_b, web_clerk;
/* A product of A and of B with plenty of stock (1,250.00 each). */
static char product_a[ID_LEN], product_b[ID_LEN];

/* ---- helpers */

/* How many times needle occurs in the page. */
static int
count_of(const bt_resp *r, const char *needle)
{
	int n = 0;
	for (const char *p = r->body; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* GET path as browser b, asserting status; the page (bt_free it). */
static bt_resp
page(bt_browser *b, const char *path, long status)
{
	bt_resp r = bt_admin_page(b, path, status);
	ck_assert_ptr_nonnull(strstr(r.content_type, "text/html"));
	return r;
}

/* A credit invoice of s for customer of one line at price, nothing paid,
 * due in term days (the business's credit term is set first); its number. */
static long
credit_invoice(const bt_session *s, const char *customer, long price, int term,
               char out[ID_LEN])
{
	char body[512];
	snprintf(body, sizeof(body), "{\"credit_term_days\":%d}", term);
	bt_business_set(s, body);
	snprintf(body, sizeof(body), "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\","
	         "\"qty\":1,\"unit_price\":%ld}],\"tax_rate_bp\":0,\"payment_mode\":\"credit\","
	         "\"paid_amount\":0}", customer, s == &owner_b ? product_b : product_a, price);
	bt_resp r = bt_invoice_issue(s, body, out);
	ck_assert_int_eq(bt_at_int(&r, "balance_due"), price);
	long number = bt_at_int(&r, "number");
	bt_free(&r);
	return number;
}

/* Moves an invoice of business `days` into the past (issued and due), with
 * the immutability triggers off for this set-up only. */
static void
backdate(const char *business, const char *invoice, int days)
{
	char d[16];
	snprintf(d, sizeof(d), "%d", days);
	const char *p[3] = {business, invoice, d};
	static const char *const sql[2] = {
		"UPDATE invoices SET issued_on = issued_on - $3::int, due_date = due_date - $3::int,"
		" issued_at = issued_at - $3::int * interval '1 day'"
		" WHERE business_id = $1 AND id = $2",
		"UPDATE invoice_balances SET issued_on = issued_on - $3::int,"
		" due_date = due_date - $3::int WHERE business_id = $1 AND invoice_id = $2",
	};
	bt_super_replica(sql, 2, 3, p);
}

/* The live customers of a business, counted as the superuser. */
static long
customer_count(const char *business)
{
	const char *p[1] = {business};
	return bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1"
	                     " AND deleted_at IS NULL", 1, p);
}

/* The payments of a customer, counted as the superuser. */
static long
payment_count(const char *customer)
{
	const char *p[1] = {customer};
	return bt_super_long("SELECT count(*) FROM payments WHERE customer_id = $1", 1, p);
}

/* The customer's stored version, as the superuser. */
static long
customer_version(const char *customer)
{
	const char *p[1] = {customer};
	return bt_super_long("SELECT version FROM customers WHERE id = $1", 1, p);
}

/* The customer id at the end of a redirect to its card ("/admin/customers/<id>?done=..."). */
static void
card_id_of(const bt_resp *r, char out[ID_LEN])
{
	const char *l = bt_header(r, "Location");
	ck_assert_ptr_nonnull(l);
	ck_assert_msg(strncmp(l, "/admin/customers/", 17) == 0, "Location %s", l);
	snprintf(out, ID_LEN, "%.36s", l + 17);
	ck_assert_msg(bahi_uuid_valid(out), "Location %s", l);
	ck_assert_str_eq(l + 17 + 36, "?done=created");
}

/* ---- the pages of an empty business */

START_TEST(empty_states)
{
	bt_resp r = page(&web_b, "/admin/customers", 200);
	bt_assert_contains(&r, "No customers yet. Add the first one above");
	bt_assert_contains(&r, "<details class=\"card add-form\" open>");
	bt_assert_lacks(&r, "rel=\"next\"");
	bt_free(&r);
	r = page(&web_b, "/admin/debts", 200);
	bt_assert_contains(&r, "No open debts. A credit sale shows here until it is paid");
	bt_assert_contains(&r, "Rs 0.00");
	bt_assert_lacks(&r, "<table class=\"list debts\">");
	bt_free(&r);
	r = page(&web_b, "/admin/debts?status=red", 200);
	bt_assert_contains(&r, "No debts with this status.");
	bt_assert_contains(&r, "<option value=\"red\" selected>");
	bt_free(&r);
}
END_TEST

/* ---- the customers page */

/* GET /api/v1/customers/{id} as s: the answer (bt_free it). */
static bt_resp
api_customer(const bt_session *s, const char *id)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/customers/%s", id);
	return bt_get_ok(s, path);
}

START_TEST(add_search_and_list)
{
	char phone[BT_PHONE_LEN], e_phone[64], body[512], id[ID_LEN];
	bt_phone_new(phone);
	bt_form_escape(phone, e_phone, sizeof(e_phone));
	snprintf(body, sizeof(body), "name=Asif+Traders&phone=%s&address=Shop+4%%2C+Hall+Road"
	         "&opening_balance=1%%2C500.00&idem=add-asif", e_phone);
	bt_resp r = bt_admin_form(&web_a, "/admin/customers", body, 303);
	card_id_of(&r, id);
	bt_free(&r);
	bt_expect_customer(&owner_a, id, 150000, 0, 150000);
	r = api_customer(&owner_a, id);
	ck_assert_str_eq(bt_str(&r, "name"), "Asif Traders");
	ck_assert_str_eq(bt_str(&r, "phone"), phone);
	ck_assert_str_eq(bt_str(&r, "address"), "Shop 4, Hall Road");
	bt_free(&r);
	/* the same form sent twice (same idem) adds one customer */
	long before = customer_count(owner_a.business_id);
	r = bt_admin_form(&web_a, "/admin/customers", body, 303);
	bt_free(&r);
	ck_assert_int_eq(customer_count(owner_a.business_id), before);

	/* the card it opens, and the list with its open debt */
	char path[128];
	snprintf(path, sizeof(path), "/admin/customers/%s?done=created", id);
	r = page(&web_a, path, 200);
	bt_assert_contains(&r, "<h1>Asif Traders</h1>");
	bt_assert_contains(&r, "Created.");
	bt_assert_contains(&r, "<div class=\"value owes\">Rs 1,500.00</div>");
	bt_free(&r);
	r = page(&web_a, "/admin/customers?q=asif", 200);
	snprintf(path, sizeof(path), "<a href=\"/admin/customers/%s\">Asif Traders</a>", id);
	bt_assert_contains(&r, path);
	bt_assert_contains(&r, "<td class=\"num owes\">Rs 1,500.00</td><td class=\"num\">Rs 0.00</td>");
	bt_assert_contains(&r, "name=\"q\" maxlength=\"100\" value=\"asif\"");
	bt_free(&r);
	/* by phone, as typed in the national form */
	char local[64];
	snprintf(local, sizeof(local), "/admin/customers?q=0%s", phone + 3);
	r = page(&web_a, local, 200);
	bt_assert_contains(&r, path);
	bt_free(&r);
	r = page(&web_a, "/admin/customers?q=nobody+by+this+name", 200);
	bt_assert_contains(&r, "No customer matches this search.");
	bt_assert_lacks(&r, "Asif Traders");
	bt_free(&r);
	/* a search longer than the API takes is cut to its 100 bytes */
	char longq[300] = "/admin/customers?q=Asif+Traders";
	for (size_t i = strlen(longq); i < 180; i++)
		longq[i] = 'x';
	longq[180] = '\0';
	r = page(&web_a, longq, 200);
	bt_assert_contains(&r, "No customer matches this search.");
	bt_free(&r);
	/* text that is not UTF-8 searches for nothing: every customer */
	r = page(&web_a, "/admin/customers?q=%FF", 200);
	bt_assert_contains(&r, path);
	bt_free(&r);
}
END_TEST

START_TEST(add_form_errors_change_nothing)
{
	long before = customer_count(owner_a.business_id);
	/* an amount that is not one: 422, the typed values shown again */
	bt_resp r = bt_admin_form(&web_a, "/admin/customers",
	                 "name=Bad+Amount&phone=&address=Mall+Road&opening_balance=12x", 422);
	bt_assert_contains(&r, "Enter a number, such as 1250 or 1,250.50.");
	bt_assert_contains(&r, "value=\"Bad Amount\"");
	bt_assert_contains(&r, "value=\"Mall Road\"");
	bt_assert_contains(&r, "value=\"12x\"");
	bt_assert_contains(&r, "<details class=\"card add-form\" open>");
	bt_free(&r);
	/* a phone that is not one: the API's field error */
	r = bt_admin_form(&web_a, "/admin/customers", "name=Bad+Phone&phone=12", 422);
	bt_assert_contains(&r, "phone: ");
	bt_assert_contains(&r, "value=\"Bad Phone\"");
	bt_free(&r);
	/* no name */
	r = bt_admin_form(&web_a, "/admin/customers", "name=&opening_balance=5", 422);
	bt_assert_contains(&r, "name: Is required.");
	bt_assert_contains(&r, "value=\"5\"");
	bt_free(&r);
	/* a phone already in use: 409, shown again */
	char phone[BT_PHONE_LEN], id[ID_LEN], body[256];
	bt_phone_new(phone);
	bt_customer_new(&owner_a, "Phone Holder", phone, id);
	snprintf(body, sizeof(body), "name=Second+Holder&phone=%%2B%s", phone + 1);
	r = bt_admin_form(&web_a, "/admin/customers", body, 409);
	bt_assert_contains(&r, "The phone number is already in use");
	bt_assert_contains(&r, "value=\"Second Holder\"");
	bt_free(&r);
	ck_assert_int_eq(customer_count(owner_a.business_id), before + 1);
	/* without the CSRF token: 403, nothing added */
	r = bt_admin_post(&web_a, "/admin/customers", "name=No+Token", 0);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	snprintf(body, sizeof(body), "csrf=x%s&name=Wrong+Token", web_a.csrf);
	r = bt_admin_post(&web_a, "/admin/customers", body, 0);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	ck_assert_int_eq(customer_count(owner_a.business_id), before + 1);
	/* a signed-out visitor is sent to sign in */
	bt_browser anon;
	memset(&anon, 0, sizeof(anon));
	bt_expect_redirect(bt_admin_get(&anon, "/admin/customers"),
	                   "/admin/login?next=/admin/customers");
}
END_TEST

START_TEST(list_pages)
{
	char id[ID_LEN], name[32], first[ID_LEN] = "", last[ID_LEN] = "";
	for (int i = 1; i <= 51; i++) {
		snprintf(name, sizeof(name), "Pager %02d", i);
		bt_customer_new(&owner_a, name, NULL, id);
		if (i == 1)
			snprintf(first, sizeof(first), "%s", id);
		snprintf(last, sizeof(last), "%s", id);
	}
	bt_resp r = page(&web_a, "/admin/customers?q=pager", 200);
	ck_assert_int_eq(count_of(&r, "\">Pager "), 50);
	bt_assert_contains(&r, "\">Pager 01</a>");
	bt_assert_contains(&r, "\">Pager 50</a>");
	bt_assert_lacks(&r, "\">Pager 51</a>");
	const char *next = strstr(r.body, "<a href=\"/admin/customers?q=pager&amp;cursor=");
	ck_assert_ptr_nonnull(next);
	char href[512];
	next += strlen("<a href=\"");
	size_t n = strcspn(next, "\"");
	snprintf(href, sizeof(href), "%.*s", (int)n, next);
	bt_free(&r);
	/* the link's &amp; is & to the browser */
	char *amp = strstr(href, "&amp;");
	ck_assert_ptr_nonnull(amp);
	memmove(amp + 1, amp + 5, strlen(amp + 5) + 1);
	r = page(&web_a, href, 200);
	ck_assert_int_eq(count_of(&r, "\">Pager "), 1);
	bt_assert_contains(&r, "\">Pager 51</a>");
	bt_assert_lacks(&r, "rel=\"next\"");
	bt_free(&r);
	/* a cursor that is not one of this list's */
	r = page(&web_a, "/admin/customers?cursor=nonsense", 404);
	bt_free(&r);
}
END_TEST

/* ---- the customer card */

START_TEST(card_and_payment)
{
	char id[ID_LEN], inv[ID_LEN], path[160], body[512], needle[256];
	bt_customer_new(&owner_a, "Bilal Autos", NULL, id);
	long number = credit_invoice(&owner_a, id, 125000, 2, inv);
	snprintf(path, sizeof(path), "/admin/customers/%s", id);

	bt_resp r = page(&web_a, path, 200);
	bt_assert_contains(&r, "<h1>Bilal Autos</h1>");
	bt_assert_contains(&r, "<div class=\"value owes\">Rs 1,250.00</div>");
	snprintf(needle, sizeof(needle), "<td><a href=\"/admin/invoices/%s\">#%ld</a></td>", inv,
	         number);
	bt_assert_contains(&r, needle);
	bt_assert_contains(&r, "<span class=\"status status-red\">2 days left</span>");
	snprintf(needle, sizeof(needle), "<option value=\"%s\">#%ld · Rs 1,250.00</option>", inv,
	         number);
	bt_assert_contains(&r, needle);
	bt_assert_contains(&r, "<span class=\"status status-unpaid\">Unpaid</span>");
	bt_assert_contains(&r, "Delete customer");
	bt_free(&r);
	r = page(&web_a, "/admin/customers?q=bilal", 200);
	bt_assert_contains(&r, "<td class=\"num owes\">Rs 1,250.00</td>");
	bt_free(&r);

	/* 250.00 paid through the page: the open debt is 1,000.00 */
	snprintf(needle, sizeof(needle), "%s/payments", path);
	r = bt_admin_form(&web_a, needle, "amount=250.00&method=cash&invoice_id=&note=First+part&idem=pay-1",
	         303);
	snprintf(body, sizeof(body), "%s?done=paid", path);
	ck_assert_str_eq(bt_header(&r, "Location"), body);
	bt_free(&r);
	bt_expect_customer(&owner_a, id, 0, 0, 100000);
	ck_assert_int_eq(payment_count(id), 1);
	/* sent again (a reload): applied once */
	r = bt_admin_form(&web_a, needle, "amount=250.00&method=cash&invoice_id=&note=First+part&idem=pay-1",
	         303);
	bt_free(&r);
	ck_assert_int_eq(payment_count(id), 1);
	r = page(&web_a, body, 200);
	bt_assert_contains(&r, "Payment recorded.");
	bt_assert_contains(&r, "<div class=\"value owes\">Rs 1,000.00</div>");
	bt_assert_contains(&r, "<td class=\"num\">Rs 1,000.00</td><td><span class=\"status status-red\">"
	                   "2 days left</span>");
	bt_assert_contains(&r, "<td>Payment · Cash</td><td class=\"num\">Rs 250.00</td>");
	bt_assert_contains(&r, "<td>First part</td>");
	bt_assert_contains(&r, "<span class=\"status status-partially_paid\">Partly paid</span>");
	bt_free(&r);
	r = page(&web_a, "/admin/customers?q=bilal", 200);
	bt_assert_contains(&r, "<td class=\"num owes\">Rs 1,000.00</td>");
	bt_free(&r);

	/* a bad amount: 422, the form shown again with what was typed, nothing paid */
	snprintf(body, sizeof(body), "amount=12x&method=bank&invoice_id=%s&note=Typed+note", inv);
	r = bt_admin_form(&web_a, needle, body, 422);
	bt_assert_contains(&r, "value=\"12x\"");
	bt_assert_contains(&r, "value=\"Typed note\"");
	bt_assert_contains(&r, "<option value=\"bank\" selected>");
	snprintf(body, sizeof(body), "<option value=\"%s\" selected>", inv);
	bt_assert_contains(&r, body);
	bt_assert_contains(&r, "Enter a number, such as 1250 or 1,250.50.");
	bt_assert_contains(&r, "<div class=\"value owes\">Rs 1,000.00</div>");
	bt_free(&r);
	r = bt_admin_form(&web_a, needle, "amount=0&method=cash", 422);
	bt_assert_contains(&r, "amount: Must be at least 1.");
	bt_free(&r);
	r = bt_admin_form(&web_a, needle, "amount=&method=cash", 422);
	bt_assert_contains(&r, "amount: Is required.");
	bt_free(&r);
	/* without the CSRF token: 403, nothing paid */
	r = bt_admin_post(&web_a, needle, "amount=100&method=cash", 0);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	bt_expect_customer(&owner_a, id, 0, 0, 100000);
	ck_assert_int_eq(payment_count(id), 1);

	/* more than is owed: the rest becomes the customer's credit */
	r = bt_admin_form(&web_a, needle, "amount=1%2C100&method=bank", 303);
	bt_free(&r);
	bt_expect_customer(&owner_a, id, 0, 10000, 0);
	r = page(&web_a, path, 200);
	bt_assert_contains(&r, "<div class=\"label\">Open debt</div><div class=\"value\">Rs 0.00</div>");
	bt_assert_contains(&r, "<div class=\"stat\"><div class=\"label\">Credit balance</div>"
	                   "<div class=\"value\">Rs 100.00</div>");
	bt_assert_contains(&r, "No invoice of this customer is waiting for payment.");
	bt_assert_contains(&r, "Credit Rs 100.00");
	bt_free(&r);
}
END_TEST

START_TEST(card_edit_and_delete)
{
	char id[ID_LEN], inv[ID_LEN], path[160], body[512];
	bt_customer_new(&owner_a, "Chaudhry Electric", NULL, id);
	snprintf(path, sizeof(path), "/admin/customers/%s", id);
	long v = customer_version(id);
	snprintf(body, sizeof(body), "name=Chaudhry+Electric+Co&phone=&address=Block+B"
	         "&opening_balance=300&version=%ld", v);
	bt_resp r = bt_admin_form(&web_a, path, body, 303);
	char where[200];
	snprintf(where, sizeof(where), "%s?done=saved", path);
	ck_assert_str_eq(bt_header(&r, "Location"), where);
	bt_free(&r);
	r = api_customer(&owner_a, id);
	ck_assert_str_eq(bt_str(&r, "name"), "Chaudhry Electric Co");
	ck_assert_str_eq(bt_str(&r, "address"), "Block B");
	ck_assert_int_eq(bt_at_int(&r, "opening_balance"), 30000);
	ck_assert_int_eq(bt_at_int(&r, "version"), v + 1);
	bt_free(&r);
	r = page(&web_a, path, 200);
	bt_assert_contains(&r, "id=\"e-opening\" name=\"opening_balance\" inputmode=\"decimal\" "
	                   "value=\"300.00\"");
	bt_free(&r);

	/* a stale form (the old version): 412, the typed values kept, nothing changed */
	snprintf(body, sizeof(body), "name=Stale+Name&address=Block+C&version=%ld", v);
	r = bt_admin_form(&web_a, path, body, 412);
	bt_assert_contains(&r, "value=\"Stale Name\"");
	bt_assert_contains(&r, "The resource was changed by someone else");
	bt_free(&r);
	/* a bad opening balance: 422 */
	snprintf(body, sizeof(body), "name=Chaudhry&opening_balance=abc&version=%ld", v + 1);
	r = bt_admin_form(&web_a, path, body, 422);
	bt_assert_contains(&r, "value=\"abc\"");
	bt_free(&r);
	/* without the CSRF token: 403 */
	snprintf(body, sizeof(body), "name=No+Token&version=%ld", v + 1);
	r = bt_admin_post(&web_a, path, body, 0);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	r = api_customer(&owner_a, id);
	ck_assert_str_eq(bt_str(&r, "name"), "Chaudhry Electric Co");
	ck_assert_int_eq(bt_at_int(&r, "version"), v + 1);
	bt_free(&r);

	/* deleting while money is owed: 409, shown on the card; still there */
	credit_invoice(&owner_a, id, 125000, 15, inv);
	char del[200];
	snprintf(del, sizeof(del), "%s/delete", path);
	snprintf(body, sizeof(body), "version=%ld", customer_version(id));
	r = bt_admin_form(&web_a, del, body, 409);
	bt_assert_contains(&r, "The record is still in use");
	bt_assert_contains(&r, "<h1>Chaudhry Electric Co</h1>");
	bt_free(&r);
	/* the clerk: sees the card, records a payment, may not delete (403) */
	r = page(&web_clerk, path, 200);
	bt_assert_contains(&r, "Record a payment");
	bt_assert_lacks(&r, "Delete customer");
	bt_free(&r);
	snprintf(where, sizeof(where), "%s/payments", path);
	r = bt_admin_form(&web_clerk, where, "amount=1%2C550.00&method=cash", 303);
	bt_free(&r);
	bt_expect_customer(&owner_a, id, 0, 0, 0);
	snprintf(body, sizeof(body), "version=%ld", customer_version(id));
	r = bt_admin_form(&web_clerk, del, body, 403);
	bt_free(&r);
	bt_expect_customer(&owner_a, id, 0, 0, 0);
	/* CSRF first: without the token the owner's delete is refused too */
	r = bt_admin_post(&web_a, del, body, 0);
	ck_assert_int_eq(r.status, 403);
	bt_free(&r);
	bt_expect_customer(&owner_a, id, 0, 0, 0);
	/* the owner deletes it */
	r = bt_admin_form(&web_a, del, body, 303);
	ck_assert_str_eq(bt_header(&r, "Location"), "/admin/customers?done=deleted");
	bt_free(&r);
	snprintf(where, sizeof(where), "/api/v1/customers/%s", id);
	bt_expect_problem(bt_json("GET", where, owner_a.access, NULL), 404, "not_found");
	r = page(&web_a, path, 404);
	bt_free(&r);
}
END_TEST

START_TEST(clerk_adds_customers)
{
	long before = customer_count(owner_a.business_id);
	bt_resp r = page(&web_clerk, "/admin/customers", 200);
	bt_assert_contains(&r, "Add a customer");
	bt_free(&r);
	r = bt_admin_form(&web_clerk, "/admin/customers", "name=Clerk+Added&opening_balance=10", 303);
	char id[ID_LEN];
	card_id_of(&r, id);
	bt_free(&r);
	ck_assert_int_eq(customer_count(owner_a.business_id), before + 1);
	bt_expect_customer(&owner_a, id, 1000, 0, 1000);
	r = page(&web_clerk, "/admin/debts", 200);
	bt_free(&r);
}
END_TEST

/* ---- the debts page */

START_TEST(debts_coloured_by_status)
{
	char red[ID_LEN], green[ID_LEN], late[ID_LEN], inv_red[ID_LEN], inv_green[ID_LEN],
	     inv_late[ID_LEN], needle[512];
	bt_customer_new(&owner_a, "Debt Red", NULL, red);
	bt_customer_new(&owner_a, "Debt Green", NULL, green);
	bt_customer_new(&owner_a, "Debt Late", NULL, late);
	long n_red = credit_invoice(&owner_a, red, 125000, 2, inv_red);
	credit_invoice(&owner_a, green, 50000, 10, inv_green);
	credit_invoice(&owner_a, late, 70000, 2, inv_late);
	backdate(owner_a.business_id, inv_late, 5);   /* due 3 days ago */
	bt_business_set(&owner_a, "{\"credit_term_days\":15}");

	bt_resp r = page(&web_a, "/admin/debts", 200);
	snprintf(needle, sizeof(needle), "<td><a href=\"/admin/invoices/%s\">#%ld</a></td>"
	         "<td><a href=\"/admin/customers/%s\">Debt Red</a> <bdi class=\"muted\" dir=\"ltr\"></bdi></td>",
	         inv_red, n_red, red);
	bt_assert_contains(&r, needle);
	bt_assert_contains(&r, "<td class=\"num\">Rs 1,250.00</td><td class=\"num\">Rs 1,250.00</td>"
	                   "<td><span class=\"status status-red\">2 days left</span></td>");
	bt_assert_contains(&r, "<td class=\"num\">Rs 500.00</td><td class=\"num\">Rs 500.00</td>"
	                   "<td><span class=\"status status-green\">10 days left</span></td>");
	bt_assert_contains(&r, "<td class=\"num\">Rs 700.00</td><td class=\"num\">Rs 700.00</td>"
	                   "<td><span class=\"status status-overdue\">3 days overdue</span></td>");
	/* most urgent first */
	const char *at_late = strstr(r.body, "Debt Late"), *at_red = strstr(r.body, "Debt Red"),
	           *at_green = strstr(r.body, "Debt Green");
	ck_assert(at_late != NULL && at_red != NULL && at_green != NULL);
	ck_assert(at_late < at_red && at_red < at_green);
	bt_free(&r);

	/* filtered by status */
	r = page(&web_a, "/admin/debts?status=red", 200);
	bt_assert_contains(&r, "Debt Red");
	bt_assert_lacks(&r, "Debt Green");
	bt_assert_lacks(&r, "Debt Late");
	bt_assert_contains(&r, "<option value=\"red\" selected>");
	bt_free(&r);
	r = page(&web_a, "/admin/debts?status=overdue", 200);
	bt_assert_contains(&r, "Debt Late");
	bt_assert_lacks(&r, "Debt Red");
	bt_free(&r);
	r = page(&web_a, "/admin/debts?status=yellow", 200);
	bt_assert_contains(&r, "No debts with this status.");
	bt_free(&r);
	/* one customer's debts */
	snprintf(needle, sizeof(needle), "/admin/debts?customer_id=%s", green);
	r = page(&web_a, needle, 200);
	bt_assert_contains(&r, "Debt Green");
	bt_assert_lacks(&r, "Debt Red");
	bt_assert_contains(&r, "<div class=\"value\">Rs 500.00</div>");
	bt_free(&r);
	r = page(&web_a, "/admin/debts?customer_id=not-a-uuid", 404);
	bt_free(&r);

	/* in Urdu */
	r = bt_admin_form(&web_a, "/admin/language", "language=ur", 303);
	bt_free(&r);
	r = page(&web_a, "/admin/debts?status=red", 200);
	bt_assert_contains(&r, "<span class=\"status status-red\">2 دن باقی</span>");
	bt_free(&r);
	r = page(&web_a, "/admin/debts?status=overdue", 200);
	bt_assert_contains(&r, "<span class=\"status status-overdue\">3 دن تاخیر</span>");
	bt_free(&r);
	r = bt_admin_form(&web_a, "/admin/language", "language=en", 303);
	bt_free(&r);
}
END_TEST

START_TEST(debts_pages)
{
	/* B: 51 debts of one customer (B's empty states were checked first) */
	char id[ID_LEN], inv[ID_LEN], path[200];
	bt_customer_new(&owner_b, "Many Debts", NULL, id);
	bt_business_set(&owner_b, "{\"credit_term_days\":20}");
	for (int i = 0; i < 51; i++) {
		char body[512];
		snprintf(body, sizeof(body), "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\","
		         "\"qty\":1,\"unit_price\":1000}],\"tax_rate_bp\":0,\"payment_mode\":\"credit\","
		         "\"paid_amount\":0}", id, product_b);
		bt_resp r = bt_invoice_issue(&owner_b, body, inv);
		bt_free(&r);
	}
	snprintf(path, sizeof(path), "/admin/debts?customer_id=%s", id);
	bt_resp r = page(&web_b, path, 200);
	ck_assert_int_eq(count_of(&r, "<tr class=\"debt-green\">"), 50);
	bt_assert_contains(&r, "<div class=\"value\">Rs 510.00</div>");
	const char *next = strstr(r.body, "rel=\"next\"");
	ck_assert_ptr_nonnull(next);
	snprintf(path, sizeof(path), "<a href=\"/admin/debts?customer_id=%s&amp;cursor=", id);
	const char *href = strstr(r.body, path);
	ck_assert_ptr_nonnull(href);
	href += strlen("<a href=\"");
	char link[512];
	size_t n = strcspn(href, "\"");
	snprintf(link, sizeof(link), "%.*s", (int)n, href);
	bt_free(&r);
	char *amp = strstr(link, "&amp;");
	ck_assert_ptr_nonnull(amp);
	memmove(amp + 1, amp + 5, strlen(amp + 5) + 1);
	r = page(&web_b, link, 200);
	ck_assert_int_eq(count_of(&r, "<tr class=\"debt-green\">"), 1);
	bt_assert_lacks(&r, "rel=\"next\"");
	bt_free(&r);
	/* the card lists 50 and links to the rest */
	snprintf(path, sizeof(path), "/admin/customers/%s", id);
	r = page(&web_b, path, 200);
	ck_assert_int_eq(count_of(&r, "<tr class=\"debt-green\">"), 50);
	snprintf(link, sizeof(link), "<a href=\"/admin/debts?customer_id=%s\">", id);
	bt_assert_contains(&r, link);
	bt_assert_contains(&r, "<div class=\"value owes\">Rs 510.00</div>");
	bt_free(&r);
}
END_TEST

/* ---- escaping and tenancy */

START_TEST(names_are_escaped)
{
	char id[ID_LEN], inv[ID_LEN], path[160];
	bt_customer_new(&owner_a, XSS, NULL, id);
	credit_invoice(&owner_a, id, 1000, 15, inv);
	/* A has more than a page of customers by now: the list is searched */
	const char *pages[3] = {"/admin/customers?q=alert", "/admin/debts", path};
	snprintf(path, sizeof(path), "/admin/customers/%s", id);
	for (int i = 0; i < 3; i++) {
		bt_resp r = page(&web_a, pages[i], 200);
		bt_assert_contains(&r, XSS_SHOWN);
		bt_assert_lacks(&r, XSS);
		bt_assert_lacks(&r, "<script>alert");
		bt_free(&r);
	}
	bt_resp r = page(&web_a, path, 200);
	bt_assert_contains(&r, "<h1>" XSS_SHOWN "</h1>");
	bt_assert_contains(&r, "<title>" XSS_SHOWN " · ");
	bt_assert_contains(&r, "value=\"" XSS_SHOWN "\"");
	bt_free(&r);
}
END_TEST

START_TEST(other_business_is_not_found)
{
	char id_b[ID_LEN], inv_b[ID_LEN], path[200], body[128];
	bt_customer_new(&owner_b, "Not Yours", NULL, id_b);
	credit_invoice(&owner_b, id_b, 125000, 15, inv_b);
	snprintf(path, sizeof(path), "/admin/customers/%s", id_b);
	bt_resp r = page(&web_a, path, 404);
	bt_assert_lacks(&r, "Not Yours");
	bt_free(&r);
	r = page(&web_b, path, 200);
	bt_assert_contains(&r, "<h1>Not Yours</h1>");
	bt_free(&r);
	snprintf(body, sizeof(body), "version=%ld", customer_version(id_b));
	r = bt_admin_form(&web_a, path, "name=Taken&version=1", 404);
	bt_free(&r);
	snprintf(path, sizeof(path), "/admin/customers/%s/payments", id_b);
	r = bt_admin_form(&web_a, path, "amount=100&method=cash", 404);
	bt_free(&r);
	snprintf(path, sizeof(path), "/admin/customers/%s/delete", id_b);
	r = bt_admin_form(&web_a, path, body, 404);
	bt_free(&r);
	snprintf(path, sizeof(path), "/admin/debts?customer_id=%s", id_b);
	r = page(&web_a, path, 404);
	bt_free(&r);
	r = page(&web_a, "/admin/debts", 200);
	bt_assert_lacks(&r, "Not Yours");
	bt_free(&r);
	r = page(&web_a, "/admin/customers/not-a-uuid", 404);
	bt_free(&r);
	/* nothing of B's changed */
	bt_expect_customer(&owner_b, id_b, 0, 0, 125000);
	r = api_customer(&owner_b, id_b);
	ck_assert_str_eq(bt_str(&r, "name"), "Not Yours");
	bt_free(&r);
	ck_assert_int_eq(payment_count(id_b), 0);
}
END_TEST

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
	/* the owner's and the clerk's apps and browsers: four devices of A */
	bt_business_set(&owner_a, "{\"device_cap\":10}");
	bt_product_stocked(&owner_a, "Battery", 125000, 60000, 10000, product_a);
	bt_product_stocked(&owner_b, "Battery", 125000, 60000, 10000, product_b);
	bt_admin_signin(&owner_a, &web_a);
	bt_admin_signin(&owner_b, &web_b);
	bt_admin_signin(&clerk_a, &web_clerk);
}

int
main(void)
{
	bt_start();
	Suite *s = suite_create("admin_customers");
	TCase *t = tcase_create("admin_customers");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, empty_states);
	tcase_add_test(t, add_search_and_list);
	tcase_add_test(t, add_form_errors_change_nothing);
	tcase_add_test(t, list_pages);
	tcase_add_test(t, card_and_payment);
	tcase_add_test(t, card_edit_and_delete);
	tcase_add_test(t, clerk_adds_customers);
	tcase_add_test(t, debts_coloured_by_status);
	tcase_add_test(t, debts_pages);
	tcase_add_test(t, names_are_escaped);
	tcase_add_test(t, other_business_is_not_found);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
