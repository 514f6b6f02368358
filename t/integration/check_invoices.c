/* check_invoices: POST /invoices through nginx: the seed's totals, cash, credit and incomplete sales, inline customers, credit balances, composites, all-or-nothing stock, gapless numbers under concurrency, idempotency, immutability, lists and bad input. */
#include <check.h>

#include "../check_run.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bahi_uuid.h"
#include "harness.h"

#define INVOICES "/api/v1/invoices"
#define INCOMPLETE "/api/v1/sales/incomplete"
#define CUSTOMERS "/api/v1/customers"
#define NOBODY "00000000-0000-4000-8000-000000000000"
#define ID_LEN (BAHI_UUID_LEN + 1)

/* A: the business under test; B: another business; a clerk of A. */
static bt_session owner_a, owner_b, clerk_a;

/* ---- helpers */

typedef struct kv {
	const char *path;
	long value;
} kv;

/* Asserts integer members of a response: {path, value} pairs. */
static void
assert_kv(const bt_resp *r, const kv *want)
{
	for (; want->path != NULL; want++)
		ck_assert_msg(bt_at_int(r, want->path) == want->value, "%s: %ld, expected %ld in %s",
		              want->path, bt_at_int(r, want->path), want->value, r->body);
}
#define ASSERT_INTS(r, ...) assert_kv((r), (const kv[]){__VA_ARGS__, {NULL, 0}})

static void
assert_stock(const char *product, const char *expect)
{
	const char *p[1] = {product};
	char *v = bt_super_value("SELECT trim_scale(stock_qty)::text FROM products WHERE id = $1", 1, p);
	ck_assert_ptr_nonnull(v);
	ck_assert_msg(strcmp(v, expect) == 0, "stock %s, expected %s", v, expect);
	free(v);
}

/* POST /invoices as s with a printf-made body. */
__attribute__((format(printf, 2, 3))) static bt_resp
sale(const bt_session *s, const char *fmt, ...)
{
	char body[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	return bt_json("POST", INVOICES, s->access, body);
}

/* GET /invoices/{id} as s; asserts 200. */
static bt_resp
invoice_get(const bt_session *s, const char *id)
{
	char path[128];
	snprintf(path, sizeof(path), INVOICES "/%s", id);
	return bt_get_ok(s, path);
}

/* A sale of one product p without tax, paid_amount paid in mode, to
 * customer c (NULL: a walk-in sale); the answer. */
static bt_resp
sale_one(const bt_session *s, const char *p, const char *mode, long paid, const char *c)
{
	char cust[64] = "";
	if (c != NULL)
		snprintf(cust, sizeof(cust), ",\"customer_id\":\"%s\"", c);
	return sale(s, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],\"tax_rate_bp\":0,"
	            "\"payment_mode\":\"%s\",\"paid_amount\":%ld%s}", p, mode, paid, cust);
}

/* Asserts r issued an invoice (201, not an incomplete sale); its id into id. */
static void
issued(const bt_resp *r, char id[ID_LEN])
{
	ck_assert_msg(r->status == 201 && bt_str(r, "kind") == NULL && bt_at(r, "number") != NULL,
	              "not issued: %ld %s", r->status, r->body);
	snprintf(id, ID_LEN, "%s", bt_str(r, "id"));
}

/* A one-line sale of qty x price without tax that must issue an invoice;
 * extra: more members (",\"customer_id\":...") or "". */
static void
sell(const bt_session *s, const char *product, const char *qty, long price, const char *mode,
     long paid, const char *extra, char id[ID_LEN])
{
	bt_resp r = sale(s, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":%s,\"unit_price\":%ld}],"
	                 "\"tax_rate_bp\":0,\"payment_mode\":\"%s\",\"paid_amount\":%ld%s}", product,
	                 qty, price, mode, paid, extra);
	issued(&r, id);
	bt_free(&r);
}

/*
 * What a refused request must leave as it was, as one string: the
 * business's invoices, lines and balances, customers and their balances,
 * stock movements and stock, the invoice counter; with all, also its
 * incomplete sales and change log.
 */
static char *
state_of(const char *business, int all)
{
	const char *p[2] = {business, all ? "true" : "false"};
	char *v = bt_super_value(
		"SELECT concat_ws('/', (SELECT count(*) FROM invoices WHERE business_id = $1),"
		" (SELECT count(*) FROM invoice_lines WHERE business_id = $1),"
		" (SELECT count(*) || ':' || COALESCE(sum(balance_due), 0) FROM invoice_balances"
		"  WHERE business_id = $1),"
		" (SELECT count(*) || ':' || COALESCE(sum(credit_balance), 0) || ':'"
		"  || COALESCE(sum(invoice_due), 0) FROM customers WHERE business_id = $1),"
		" (SELECT count(*) FROM stock_ledger WHERE business_id = $1),"
		" (SELECT COALESCE(sum(stock_qty), 0) FROM products WHERE business_id = $1),"
		" (SELECT COALESCE(max(value), 0) FROM business_counters WHERE business_id = $1"
		"  AND name = 'invoice_number'),"
		" CASE WHEN $2::boolean THEN (SELECT count(*) || ':' || count(*) FILTER"
		"  (WHERE status = 'open' AND deleted_at IS NULL) FROM incomplete_sales"
		"  WHERE business_id = $1) END,"
		" CASE WHEN $2::boolean THEN (SELECT COALESCE(max(seq), 0) FROM change_entries"
		"  WHERE business_id = $1) END)", 2, p);
	ck_assert_ptr_nonnull(v);
	return v;
}

static void
assert_state(const char *business, int all, const char *before)
{
	char *now = state_of(business, all);
	ck_assert_msg(strcmp(now, before) == 0, "state changed: %s, was %s", now, before);
	free(now);
}

/* The number the business's next invoice will get. */
static long
next_number(const char *business)
{
	const char *p[1] = {business};
	return bt_super_long("SELECT COALESCE(max(value), 0) + 1 FROM business_counters"
	                     " WHERE business_id = $1 AND name = 'invoice_number'", 1, p);
}

/* The business-local date today, plus days. */
static void
local_date(const char *business, int days, char out[16])
{
	char d[16];
	snprintf(d, sizeof(d), "%d", days);
	const char *p[2] = {business, d};
	char *v = bt_super_value("SELECT ((now() AT TIME ZONE timezone)::date + $2::int)::text"
	                         " FROM businesses WHERE id = $1", 2, p);
	ck_assert_ptr_nonnull(v);
	snprintf(out, 16, "%s", v);
	free(v);
}

/* Moves invoice id back by days: its issue time and date. */
static void
backdate(const char *id, int days)
{
	char d[16];
	snprintf(d, sizeof(d), "%d", days);
	const char *q[2] = {id, d};
	static const char *const sql[2] = {
		"UPDATE invoices SET issued_at = issued_at - $2::int * interval '1 day',"
		" issued_on = issued_on - $2::int WHERE id = $1",
		"UPDATE invoice_balances SET issued_on = issued_on - $2::int WHERE invoice_id = $1",
	};
	bt_super_replica(sql, 2, 2, q);
}

/* ---- the seed's example and the totals */

/* Asserts every member of the seed's invoice (2 x 100.00, 10%, 19%, 5.00 fee, cash). */
static void
assert_seed_invoice(const bt_resp *r, const char *product, const char *today)
{
	ASSERT_INTS(r, {"number", 1}, {"subtotal", 20000}, {"discount", 2000}, {"discount_bp", 1000},
	            {"tax_rate_bp", 1900}, {"tax", 3420}, {"fee", 500}, {"total", 21920},
	            {"credit_applied", 0}, {"paid", 21920}, {"returned", 0}, {"balance_due", 0},
	            {"change_given", 0}, {"version", 1});
	ck_assert_str_eq(bt_str(r, "payment_mode"), "cash");
	ck_assert_str_eq(bt_str(r, "status"), "paid");
	ck_assert_str_eq(bt_str(r, "issued_on"), today);
	ck_assert_int_eq(strlen(bt_str(r, "issued_at")), 20);
	ck_assert_int_eq(strlen(bt_str(r, "updated_at")), 20);
	ck_assert(cJSON_IsNull(bt_at(r, "customer_id")));
	ck_assert(cJSON_IsNull(bt_at(r, "customer_name")));
	ck_assert(cJSON_IsNull(bt_at(r, "due_date")));
	ck_assert(cJSON_IsNull(bt_at(r, "note")));
	ck_assert_ptr_null(bt_at(r, "debt_status"));       /* nothing is due */
	ck_assert_int_eq(cJSON_GetArraySize(r->json), 25);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(r, "lines")), 1);
	ck_assert_str_eq(bt_at_str(r, "lines.0.product_id"), product);
	ck_assert_str_eq(bt_at_str(r, "lines.0.name"), "Seed item");
	ck_assert_double_eq(bt_at_num(r, "lines.0.qty"), 2);
	ASSERT_INTS(r, {"lines.0.unit_price", 10000}, {"lines.0.unit_cost", 6000},
	            {"lines.0.line_total", 20000});
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(r, "lines.0")), 6);
}

/* 2 x 100.00, 10% discount, 19% tax, 5.00 fee = 219.20, paid in cash: invoice
 * number 1, stock down by 2, the line's unit cost the product's at the sale. */
START_TEST(seed_example_paid_in_cash)
{
	bt_session s;
	char p[ID_LEN], id[ID_LEN], path[200], today[16];
	bt_signup(&s);
	bt_product_stocked(&s, "Seed item", 10000, 6000, 5, p);
	local_date(s.business_id, 0, today);
	bt_resp r = sale(&s, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2,\"unit_price\":10000}],"
	                 "\"discount_bp\":1000,\"tax_rate_bp\":1900,\"fee\":500,"
	                 "\"payment_mode\":\"cash\",\"paid_amount\":21920}", p);
	issued(&r, id);
	assert_seed_invoice(&r, p, today);
	char *created = strdup(r.body);
	bt_free(&r);
	assert_stock(p, "3");
	const char *q[2] = {s.business_id, id};
	char *v = bt_super_value("SELECT string_agg(kind || ' ' || trim_scale(qty) || ' '"
	                         " || unit_cost || ' ' || ref_type, ',') FROM stock_ledger"
	                         " WHERE business_id = $1 AND ref_id = $2", 2, q);
	ck_assert_str_eq(v, "sale -2 6000 invoice");
	free(v);
	v = bt_super_value("SELECT status || ' ' || paid || ' ' || balance_due || ' ' || number"
	                   " FROM invoice_balances WHERE business_id = $1 AND invoice_id = $2", 2, q);
	ck_assert_str_eq(v, "paid 21920 0 1");
	free(v);
	v = bt_changes_of("invoice", id);
	ck_assert_str_eq(v, "upsert1");
	free(v);

	/* the read is the create's body; a later cost change leaves the line alone */
	r = invoice_get(&s, id);
	ck_assert_str_eq(r.body, created);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/products/%s", p);
	r = bt_patch(&s, path, NULL, "{\"cost\":7000}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	bt_free(&r);
	r = invoice_get(&s, id);
	ck_assert_int_eq(bt_at_int(&r, "lines.0.unit_cost"), 6000);
	ck_assert_str_eq(r.body, created);
	bt_free(&r);
	free(created);
	/* the next sale takes the new cost and the next number */
	sell(&s, p, "1", 10000, "cash", 10000, "", id);
	r = invoice_get(&s, id);
	ASSERT_INTS(&r, {"number", 2}, {"lines.0.unit_cost", 7000}, {"total", 10000});
	bt_free(&r);
	assert_stock(p, "2");
}
END_TEST

/* discount_amount; the business's default tax rate; the product's price;
 * line totals rounded half away from zero (1.5 x 99.99 = 149.985 -> 149.99). */
START_TEST(totals_variants)
{
	char p[ID_LEN], id[ID_LEN];
	bt_product_stocked(&owner_a, "Variant item", 12345, 5000, 100, p);
	bt_resp r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2,\"unit_price\":10000}],"
	                 "\"discount_amount\":1500,\"tax_rate_bp\":1900,\"payment_mode\":\"cash\","
	                 "\"paid_amount\":22015}", p);
	issued(&r, id);
	ASSERT_INTS(&r, {"subtotal", 20000}, {"discount", 1500}, {"tax", 3515}, {"fee", 0},
	            {"total", 22015}, {"paid", 22015});
	ck_assert(cJSON_IsNull(bt_at(&r, "discount_bp")));
	bt_free(&r);

	/* no tax_rate_bp: the business's 19% */
	r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1,\"unit_price\":10000}],"
	         "\"payment_mode\":\"cash\",\"paid_amount\":11900}", p);
	issued(&r, id);
	ASSERT_INTS(&r, {"tax_rate_bp", 1900}, {"subtotal", 10000}, {"discount", 0}, {"tax", 1900},
	            {"total", 11900});
	ck_assert(cJSON_IsNull(bt_at(&r, "discount_bp")));
	bt_free(&r);

	/* no unit_price: the product's */
	r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":3}],\"tax_rate_bp\":0,"
	         "\"payment_mode\":\"cash\",\"paid_amount\":37035}", p);
	issued(&r, id);
	ASSERT_INTS(&r, {"lines.0.unit_price", 12345}, {"lines.0.line_total", 37035},
	            {"total", 37035}, {"tax_rate_bp", 0}, {"tax", 0});
	bt_free(&r);

	/* 1.5 x 99.99 = 149.985 -> 149.99; 19% of it 28.4981 -> 28.50 */
	r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1.5,\"unit_price\":9999},"
	         "{\"product_id\":\"%s\",\"qty\":0.333,\"unit_price\":100}],"
	         "\"payment_mode\":\"cash\",\"paid_amount\":17888}", p, p);
	issued(&r, id);
	ck_assert_double_eq(bt_at_num(&r, "lines.0.qty"), 1.5);
	ck_assert_double_eq(bt_at_num(&r, "lines.1.qty"), 0.333);
	ASSERT_INTS(&r, {"lines.0.line_total", 14999}, {"lines.1.line_total", 33},
	            {"subtotal", 15032}, {"tax", 2856}, {"total", 17888}, {"paid", 17888});
	bt_free(&r);
	assert_stock(p, "92.167");
}
END_TEST

/* ---- cash: change, incomplete sales */

/* Paid more than the total: paid = total, the rest is change given. */
START_TEST(cash_overpaid_gives_change)
{
	char p[ID_LEN], id[ID_LEN];
	bt_product_stocked(&owner_a, "Change item", 10000, 100, 3, p);
	bt_resp r = sale_one(&owner_a, p, "cash", 15000, NULL);
	issued(&r, id);
	ASSERT_INTS(&r, {"total", 10000}, {"paid", 10000}, {"change_given", 5000},
	            {"balance_due", 0});
	ck_assert_str_eq(bt_str(&r, "status"), "paid");
	bt_free(&r);
	const char *q[1] = {id};
	ck_assert_int_eq(bt_super_long("SELECT paid FROM invoice_balances WHERE invoice_id = $1", 1, q),
	                 10000);
	assert_stock(p, "2");
}
END_TEST

/* A cash sale paid short with an inline customer: an incomplete sale (201)
 * and nothing else changes; listed; completed for too little (422), then
 * in full: an invoice with its id and the next number; completing again
 * returns the invoice; a completed sale cannot be discarded. */
START_TEST(cash_paid_short_is_an_incomplete_sale)
{
	char p[ID_LEN], id[ID_LEN], path[200], phone[BT_PHONE_LEN];
	bt_product_stocked(&owner_a, "Short item", 10000, 100, 3, p);
	bt_phone_new(phone);
	char *before = state_of(owner_a.business_id, 0);
	bt_resp r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],\"tax_rate_bp\":0,"
	                 "\"payment_mode\":\"cash\",\"paid_amount\":4000,\"note\":\"later\","
	                 "\"customer\":{\"phone\":\"%s\",\"name\":\"Cart customer\"}}", p, phone);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "kind"), "incomplete_sale");
	ck_assert_str_eq(bt_str(&r, "status"), "open");
	ck_assert(cJSON_IsNull(bt_at(&r, "invoice_id")));
	ck_assert(cJSON_IsNull(bt_at(&r, "customer_id")));
	ck_assert_str_eq(bt_at_str(&r, "customer.phone"), phone);
	ck_assert_str_eq(bt_at_str(&r, "customer.name"), "Cart customer");
	ck_assert_ptr_null(bt_at(&r, "number"));
	ASSERT_INTS(&r, {"total", 10000}, {"paid_amount", 4000}, {"balance_due", 6000},
	            {"subtotal", 10000}, {"lines.0.unit_price", 10000}, {"version", 1});
	ck_assert_str_eq(bt_str(&r, "note"), "later");
	snprintf(id, sizeof(id), "%s", bt_str(&r, "id"));
	bt_free(&r);
	assert_state(owner_a.business_id, 0, before);
	const char *q[2] = {owner_a.business_id, phone};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1"
	                               " AND phone = $2", 2, q), 0);

	r = bt_get_ok(&owner_a, INCOMPLETE "?limit=200");
	ck_assert(bt_list_has(&r, id));
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), id);    /* newest first */
	bt_free(&r);
	snprintf(path, sizeof(path), INCOMPLETE "/%s/complete", id);
	bt_expect_field(bt_json("POST", path, owner_a.access,
	                        "{\"payment_mode\":\"cash\",\"paid_amount\":9999}"),
	                "paid_amount", "insufficient_payment");
	assert_state(owner_a.business_id, 0, before);
	free(before);

	long number = next_number(owner_a.business_id);
	r = bt_json("POST", path, owner_a.access, "{\"payment_mode\":\"cash\",\"paid_amount\":10000}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "id"), id);
	ck_assert_int_eq(bt_at_int(&r, "number"), number);
	ck_assert_str_eq(bt_str(&r, "status"), "paid");
	ck_assert_str_eq(bt_str(&r, "customer_name"), "Cart customer");
	ck_assert_str_eq(bt_str(&r, "note"), "later");
	ASSERT_INTS(&r, {"total", 10000}, {"paid", 10000});
	char *invoice = strdup(r.body);
	bt_free(&r);
	assert_stock(p, "2");
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1"
	                               " AND phone = $2", 2, q), 1);
	/* again: the invoice, unchanged */
	bt_expect_body(bt_json("POST", path, owner_a.access,
	                       "{\"payment_mode\":\"cash\",\"paid_amount\":10000}"),
	               200, invoice);
	free(invoice);
	assert_stock(p, "2");
	ck_assert_int_eq(next_number(owner_a.business_id), number + 1);

	r = bt_get_ok(&owner_a, INCOMPLETE "?limit=200");
	ck_assert(!bt_list_has(&r, id));
	bt_free(&r);
	snprintf(path, sizeof(path), INCOMPLETE "/%s", id);
	r = bt_get_ok(&owner_a, path);
	ck_assert_str_eq(bt_str(&r, "status"), "completed");
	ck_assert_str_eq(bt_str(&r, "invoice_id"), id);
	bt_free(&r);
	bt_expect_problem(bt_json("DELETE", path, owner_a.access, NULL), 409, "conflict");
}
END_TEST

/* An open incomplete sale is discarded (204, then 404); completed as credit
 * it needs a customer, and with one it becomes a credit invoice. */
START_TEST(incomplete_sales_discarded_or_completed_on_credit)
{
	char p[ID_LEN], c[ID_LEN], a[ID_LEN], b[ID_LEN], path[200];
	bt_product_stocked(&owner_a, "Cart item", 5000, 100, 4, p);
	bt_customer_new(&owner_a, "Cart credit", NULL, c);
	bt_resp r = sale_one(&owner_a, p, "cash", 0, NULL);
	ck_assert_str_eq(bt_str(&r, "kind"), "incomplete_sale");
	snprintf(a, sizeof(a), "%s", bt_str(&r, "id"));
	bt_free(&r);
	r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2}],\"tax_rate_bp\":0,"
	         "\"payment_mode\":\"cash\",\"paid_amount\":1000,\"customer_id\":\"%s\"}", p, c);
	ck_assert_str_eq(bt_str(&r, "kind"), "incomplete_sale");
	ck_assert_str_eq(bt_str(&r, "customer_id"), c);
	snprintf(b, sizeof(b), "%s", bt_str(&r, "id"));
	bt_free(&r);

	/* without a customer, credit is refused and the sale stays open */
	char *before = state_of(owner_a.business_id, 1);
	snprintf(path, sizeof(path), INCOMPLETE "/%s/complete", a);
	bt_expect_problem(bt_json("POST", path, owner_a.access,
	                          "{\"payment_mode\":\"credit\",\"paid_amount\":0}"),
	                  422, "customer_required");
	assert_state(owner_a.business_id, 1, before);
	free(before);
	snprintf(path, sizeof(path), INCOMPLETE "/%s", a);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);
	bt_expect_problem(bt_json("GET", path, owner_a.access, NULL), 404, "not_found");
	bt_expect_problem(bt_json("DELETE", path, owner_a.access, NULL), 404, "not_found");
	snprintf(path, sizeof(path), INCOMPLETE "/%s/complete", a);
	bt_expect_problem(bt_json("POST", path, owner_a.access,
	                          "{\"payment_mode\":\"cash\",\"paid_amount\":5000}"),
	                  404, "not_found");
	r = bt_get_ok(&owner_a, INCOMPLETE "?limit=200");
	ck_assert(!bt_list_has(&r, a));
	ck_assert(bt_list_has(&r, b));
	bt_free(&r);
	assert_stock(p, "4");

	/* with its customer, on credit: 2 x 50.00, 25.00 paid now */
	char today[16], due[16];
	local_date(owner_a.business_id, 0, today);
	local_date(owner_a.business_id, 15, due);
	snprintf(path, sizeof(path), INCOMPLETE "/%s/complete", b);
	r = bt_json("POST", path, owner_a.access, "{\"payment_mode\":\"credit\",\"paid_amount\":2500}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "id"), b);
	ck_assert_str_eq(bt_str(&r, "payment_mode"), "credit");
	ck_assert_str_eq(bt_str(&r, "status"), "partially_paid");
	ck_assert_str_eq(bt_str(&r, "customer_id"), c);
	ck_assert_str_eq(bt_str(&r, "due_date"), due);
	ASSERT_INTS(&r, {"total", 10000}, {"paid", 2500}, {"balance_due", 7500});
	bt_free(&r);
	assert_stock(p, "2");
	bt_expect_customer(&owner_a, c, 0, 0, 7500);
}
END_TEST

/* ---- credit */

/* Credit sales: unpaid / partially paid / fully paid, due in 15 business-local
 * days, green with 15 days left; the customer's open debt grows by what is
 * due; overpaying on credit and credit without a customer are refused. */
START_TEST(credit_sales_record_debt)
{
	char p[ID_LEN], c[ID_LEN], id[ID_LEN], today[16], due[16];
	bt_product_stocked(&owner_a, "Credit item", 10000, 100, 10, p);
	bt_customer_new(&owner_a, "Credit customer", NULL, c);
	local_date(owner_a.business_id, 0, today);
	local_date(owner_a.business_id, 15, due);
	bt_resp r = sale_one(&owner_a, p, "credit", 0, c);
	issued(&r, id);
	ck_assert_str_eq(bt_str(&r, "status"), "unpaid");
	ck_assert_str_eq(bt_str(&r, "payment_mode"), "credit");
	ck_assert_str_eq(bt_str(&r, "customer_id"), c);
	ck_assert_str_eq(bt_str(&r, "customer_name"), "Credit customer");
	ck_assert_str_eq(bt_str(&r, "issued_on"), today);
	ck_assert_str_eq(bt_str(&r, "due_date"), due);
	ck_assert_str_eq(bt_str(&r, "debt_status"), "green");
	ASSERT_INTS(&r, {"days_left", 15}, {"days_overdue", 0}, {"total", 10000}, {"paid", 0},
	            {"balance_due", 10000}, {"credit_applied", 0}, {"change_given", 0});
	bt_free(&r);
	bt_expect_customer(&owner_a, c, 0, 0, 10000);
	const char *q[1] = {id};
	char *v = bt_super_value("SELECT status || ' ' || balance_due || ' ' || due_date"
	                         " FROM invoice_balances WHERE invoice_id = $1", 1, q);
	char expect[64];
	snprintf(expect, sizeof(expect), "unpaid 10000 %s", due);
	ck_assert_str_eq(v, expect);
	free(v);

	r = sale_one(&owner_a, p, "credit", 2500, c);
	issued(&r, id);
	ck_assert_str_eq(bt_str(&r, "status"), "partially_paid");
	ASSERT_INTS(&r, {"paid", 2500}, {"balance_due", 7500}, {"days_left", 15});
	bt_free(&r);
	bt_expect_customer(&owner_a, c, 0, 0, 17500);

	/* paid in full on credit: nothing due, no due date */
	r = sale_one(&owner_a, p, "credit", 10000, c);
	issued(&r, id);
	ck_assert_str_eq(bt_str(&r, "status"), "paid");
	ck_assert(cJSON_IsNull(bt_at(&r, "due_date")));
	ck_assert_ptr_null(bt_at(&r, "debt_status"));
	ASSERT_INTS(&r, {"balance_due", 0});
	bt_free(&r);
	bt_expect_customer(&owner_a, c, 0, 0, 17500);

	char *before = state_of(owner_a.business_id, 1);
	bt_expect_field(sale_one(&owner_a, p, "credit", 10001, c), "paid_amount",
	                "exceeds_amount_due");
	bt_expect_problem(sale_one(&owner_a, p, "credit", 0, NULL), 422, "customer_required");
	assert_state(owner_a.business_id, 1, before);
	free(before);
	assert_stock(p, "7");
}
END_TEST

/* A credit sale of 10.00 to customer c that must issue; the response. */
static bt_resp
credit_sale(const bt_session *s, const char *p, const char *c)
{
	bt_resp r = sale_one(s, p, "credit", 0, c);
	char id[ID_LEN];
	issued(&r, id);
	return r;
}

/* Sets the business's time zone and credit term (superuser). */
static void
business_terms(const char *business, const char *tz, const char *days)
{
	const char *q[3] = {business, tz, days};
	ck_assert_int_eq(bt_super_exec("UPDATE businesses SET timezone = $2,"
	                               " credit_term_days = $3::int WHERE id = $1", 3, q), 1);
}

/* Dates are the business's: issued_on and due_date follow its time zone
 * (UTC+14 and UTC-12 between them differ from the UTC date at any hour) and
 * its credit term; the debt status follows the days left, and once the due
 * date has passed, the days overdue. */
START_TEST(dates_follow_the_business)
{
	bt_session s;
	char p[ID_LEN], c[ID_LEN], today[16], due[16], path[200];
	bt_signup(&s);
	bt_product_stocked(&s, "Dated", 1000, 100, 20, p);
	bt_customer_new(&s, "Dated customer", NULL, c);
	static const struct {
		const char *tz, *term, *status;
		int days;
	} cases[] = {
		{"Pacific/Kiritimati", "15", "green", 15}, {"Etc/GMT+12", "15", "green", 15},
		{"Pacific/Kiritimati", "8", "green", 8}, {"Etc/GMT+12", "7", "yellow", 7},
		{"Asia/Karachi", "4", "yellow", 4}, {"Asia/Karachi", "3", "red", 3},
		{"Pacific/Kiritimati", "0", "red", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		business_terms(s.business_id, cases[i].tz, cases[i].term);
		local_date(s.business_id, 0, today);
		local_date(s.business_id, cases[i].days, due);
		bt_resp r = credit_sale(&s, p, c);
		ck_assert_str_eq(bt_str(&r, "issued_on"), today);
		ck_assert_str_eq(bt_str(&r, "due_date"), due);
		ck_assert_msg(strcmp(bt_str(&r, "debt_status"), cases[i].status) == 0, "case %zu: %s", i,
		              r.body);
		ASSERT_INTS(&r, {"days_left", cases[i].days}, {"days_overdue", 0});
		bt_free(&r);
	}
	/* issued 20 days ago with 15 days' credit: 5 days overdue */
	business_terms(s.business_id, "Asia/Karachi", "15");
	bt_resp r = credit_sale(&s, p, c);
	char id[ID_LEN];
	snprintf(id, sizeof(id), "%s", bt_str(&r, "id"));
	bt_free(&r);
	const char *q[1] = {id};
	static const char *const sql[2] = {
		"UPDATE invoices SET issued_on = issued_on - 20, due_date = due_date - 20 WHERE id = $1",
		"UPDATE invoice_balances SET issued_on = issued_on - 20, due_date = due_date - 20"
		" WHERE invoice_id = $1",
	};
	bt_super_replica(sql, 2, 1, q);
	r = invoice_get(&s, id);
	ck_assert_str_eq(bt_str(&r, "debt_status"), "overdue");
	ASSERT_INTS(&r, {"days_left", -5}, {"days_overdue", 5});
	bt_free(&r);
	snprintf(path, sizeof(path), INVOICES "?status=unpaid&limit=1");
	r = bt_get_ok(&s, path);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), id);
	ck_assert_str_eq(bt_at_str(&r, "items.0.debt_status"), "overdue");
	ck_assert_int_eq(bt_at_int(&r, "items.0.days_overdue"), 5);
	bt_free(&r);
}
END_TEST

/* An inline customer is created once by its phone; another spelling of the
 * number finds it again and keeps its name. */
START_TEST(inline_customer_created_once)
{
	char p[ID_LEN], id[ID_LEN], c[ID_LEN];
	bt_product_stocked(&owner_a, "Inline item", 10000, 100, 10, p);
	const char *q[2] = {owner_a.business_id, "+923001234567"};
	bt_resp r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],\"tax_rate_bp\":0,"
	                 "\"payment_mode\":\"credit\",\"paid_amount\":1000,"
	                 "\"customer\":{\"phone\":\"0300 1234567\",\"name\":\"Ali\"}}", p);
	issued(&r, id);
	snprintf(c, sizeof(c), "%s", bt_str(&r, "customer_id"));
	ck_assert_str_eq(bt_str(&r, "customer_name"), "Ali");
	ck_assert_str_eq(bt_str(&r, "status"), "partially_paid");
	bt_free(&r);
	char *v = bt_super_value("SELECT id || ' ' || name FROM customers WHERE business_id = $1"
	                         " AND phone = $2 AND deleted_at IS NULL", 2, q);
	char expect[128];
	snprintf(expect, sizeof(expect), "%s Ali", c);
	ck_assert_str_eq(v, expect);
	free(v);
	v = bt_changes_of("customer", c);
	ck_assert_ptr_nonnull(v);
	free(v);
	bt_expect_customer(&owner_a, c, 0, 0, 9000);

	r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2}],\"tax_rate_bp\":0,"
	         "\"payment_mode\":\"cash\",\"paid_amount\":20000,"
	         "\"customer\":{\"phone\":\"+923001234567\",\"name\":\"Someone else\"}}", p);
	issued(&r, id);
	ck_assert_str_eq(bt_str(&r, "customer_id"), c);
	ck_assert_str_eq(bt_str(&r, "customer_name"), "Ali");
	bt_free(&r);
	r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],\"tax_rate_bp\":0,"
	         "\"payment_mode\":\"credit\",\"paid_amount\":0,"
	         "\"customer\":{\"phone\":\"0092 300 1234567\"}}", p);
	issued(&r, id);
	ck_assert_str_eq(bt_str(&r, "customer_id"), c);
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1"
	                               " AND phone = $2", 2, q), 1);
	bt_expect_customer(&owner_a, c, 0, 0, 19000);
	v = bt_super_value("SELECT name FROM customers WHERE business_id = $1 AND phone = $2", 2, q);
	ck_assert_str_eq(v, "Ali");
	free(v);
	assert_stock(p, "6");
}
END_TEST

/* The 201 of a new invoice is made from the sale as it is written (the
 * number and time of issue from the write): byte for byte the body GET
 * reads back, for each shape of sale: lines with fractions, a percentage
 * discount, fee, note and tax; a credit sale with a debt; an inline
 * customer; an amount discount; the largest prices. */
START_TEST(issued_body_is_the_invoice_as_read)
{
	char p[ID_LEN], q[ID_LEN], c[ID_LEN];
	bt_product_stocked(&owner_a, "Body item <b>", 12345, 6789, 100, p);
	bt_product_stocked(&owner_a, "Body item two", 999, 0, 100, q);
	bt_customer_new(&owner_a, "Body customer", NULL, c);
	char bodies[5][1024];
	snprintf(bodies[0], sizeof(bodies[0]), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1.5},"
	         "{\"product_id\":\"%s\",\"qty\":2.125}],\"discount_bp\":1000,\"fee\":500,"
	         "\"note\":\"n <i>&amp; \\\"q\\\"\",\"payment_mode\":\"cash\",\"paid_amount\":10000000}", p, q);
	snprintf(bodies[1], sizeof(bodies[1]), "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":"
	         "\"%s\",\"qty\":3}],\"payment_mode\":\"credit\",\"paid_amount\":100}", c, p);
	snprintf(bodies[2], sizeof(bodies[2]), "{\"customer\":{\"phone\":\"0300 7654321\","
	         "\"name\":\"Body inline\"},\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"payment_mode\":\"credit\",\"paid_amount\":0}", q);
	snprintf(bodies[3], sizeof(bodies[3]), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"discount_amount\":345,\"tax_rate_bp\":0,\"payment_mode\":\"cash\","
	         "\"paid_amount\":12000}", p);
	snprintf(bodies[4], sizeof(bodies[4]), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1,"
	         "\"unit_price\":999999999999999}],\"tax_rate_bp\":0,\"payment_mode\":\"credit\","
	         "\"paid_amount\":0,\"customer_id\":\"%s\"}", q, c);
	for (int i = 0; i < 5; i++) {
		bt_resp r = bt_json("POST", INVOICES, owner_a.access, bodies[i]);
		char id[ID_LEN];
		issued(&r, id);
		bt_resp g = invoice_get(&owner_a, id);
		ck_assert_msg(strcmp(r.body, g.body) == 0, "sale %d: POST %s\nGET %s", i, r.body, g.body);
		bt_free(&g);
		bt_free(&r);
	}
}
END_TEST

/* The customer's credit balance is applied: invoice 500.00 with 100.00 of
 * credit -> credit_applied 10000 and 400.00 owed. A cash sale may use it
 * too; a cash sale paid short leaves it untouched. */
START_TEST(credit_balance_is_applied)
{
	char p[ID_LEN], c[ID_LEN], id[ID_LEN];
	bt_product_stocked(&owner_a, "Big item", 50000, 100, 10, p);
	bt_customer_new(&owner_a, "Has credit", NULL, c);
	const char *q[1] = {c};
	ck_assert_int_eq(bt_super_exec("UPDATE customers SET credit_balance = 10000 WHERE id = $1",
	                               1, q), 1);
	bt_expect_customer(&owner_a, c, 0, 10000, 0);
	bt_resp r = sale_one(&owner_a, p, "credit", 0, c);
	issued(&r, id);
	ASSERT_INTS(&r, {"total", 50000}, {"credit_applied", 10000}, {"paid", 0},
	            {"balance_due", 40000});
	ck_assert_str_eq(bt_str(&r, "status"), "partially_paid");
	bt_free(&r);
	bt_expect_customer(&owner_a, c, 0, 0, 40000);

	ck_assert_int_eq(bt_super_exec("UPDATE customers SET credit_balance = 10000 WHERE id = $1",
	                               1, q), 1);
	r = sale_one(&owner_a, p, "cash", 39999, c);
	ck_assert_str_eq(bt_str(&r, "kind"), "incomplete_sale");
	bt_free(&r);
	bt_expect_customer(&owner_a, c, 0, 10000, 40000);
	r = sale_one(&owner_a, p, "cash", 40000, c);
	issued(&r, id);
	ASSERT_INTS(&r, {"total", 50000}, {"credit_applied", 10000}, {"paid", 40000},
	            {"balance_due", 0}, {"change_given", 0});
	ck_assert_str_eq(bt_str(&r, "status"), "paid");
	bt_free(&r);
	bt_expect_customer(&owner_a, c, 0, 0, 40000);
	assert_stock(p, "8");
}
END_TEST

/* ---- stock */

/* A chair (price 50.00, cost 14.00) of 1 frame and 4 wheels, with 10 frames
 * (20.00, cost 10.00) and 32 wheels (3.00, cost 1.00) in stock; names
 * "<prefix>Frame", "<prefix>Wheel" and "<prefix>Chair" (prefix may be ""). */
static void
stocked_chair(const char *prefix, char frame[ID_LEN], char wheel[ID_LEN], char chair[ID_LEN])
{
	char name[64], comps[256];
	snprintf(name, sizeof(name), "%sFrame", prefix);
	bt_product_stocked(&owner_a, name, 2000, 1000, 10, frame);
	snprintf(name, sizeof(name), "%sWheel", prefix);
	bt_product_stocked(&owner_a, name, 300, 100, 32, wheel);
	snprintf(comps, sizeof(comps), "[{\"product_id\":\"%s\",\"qty\":1},"
	         "{\"product_id\":\"%s\",\"qty\":4}]", frame, wheel);
	snprintf(name, sizeof(name), "%sChair", prefix);
	bt_product_new(&owner_a, name, 5000, 1400, comps, chair);
}

/* Selling 2 chairs (1 frame + 4 wheels each) takes 2 frames and 8 wheels;
 * 9 chairs from 10 frames and 32 wheels is short: 8 available. */
START_TEST(composites_take_their_components)
{
	char frame[ID_LEN], wheel[ID_LEN], chair[ID_LEN], id[ID_LEN];
	stocked_chair("", frame, wheel, chair);
	char *before = state_of(owner_a.business_id, 1);
	bt_resp r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":9}],\"tax_rate_bp\":0,"
	                 "\"payment_mode\":\"cash\",\"paid_amount\":45000}", chair);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"), "Not enough stock of Chair: 8 available, 9 requested.");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.field"), "lines[0].qty");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.code"), "insufficient_stock");
	bt_free(&r);
	assert_state(owner_a.business_id, 1, before);
	free(before);

	sell(&owner_a, chair, "2", 5000, "cash", 10000, "", id);
	assert_stock(frame, "8");
	assert_stock(wheel, "24");
	const char *q[1] = {id};
	char *v = bt_super_value("SELECT string_agg(trim_scale(qty)::text || ' ' || (composite_id IS"
	                         " NOT NULL), ',' ORDER BY qty) FROM stock_ledger WHERE ref_id = $1",
	                         1, q);
	ck_assert_str_eq(v, "-8 true,-2 true");
	free(v);
	v = bt_super_value("SELECT unit_cost || ' ' || name FROM invoice_lines WHERE invoice_id = $1",
	                   1, q);
	ck_assert_str_eq(v, "1400 Chair");
	free(v);
}
END_TEST

/* GET /stock/movements of the running frame, two a page: its stock-in and
 * sale sale_id's three movements (two carried by its lines), each once,
 * with the sale's user and what each left in stock. */
static void
ledger_pages(const char *frame, const char *sale_id)
{
	char path[400], cursor[200] = "", got[4][120];
	int n = 0;
	for (int page = 0; page < 2; page++) {
		snprintf(path, sizeof(path), "/api/v1/stock/movements?product_id=%s&limit=2%s%s", frame,
		         page ? "&cursor=" : "", cursor);
		bt_resp r = bt_json("GET", path, owner_a.access, NULL);
		ck_assert_int_eq(r.status, 200);
		ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 2);
		for (int i = 0; i < 2; i++, n++) {
			char f[4][32];
			const char *names[4] = {"kind", "ref_id", "user_id", "stock_after"};
			for (int j = 0; j < 4; j++)
				snprintf(f[j], sizeof(f[j]), "items.%d.%s", i, names[j]);
			const char *ref = bt_at_str(&r, f[1]), *user = bt_at_str(&r, f[2]);
			snprintf(got[n], sizeof(got[n]), "%s %g %s %s", bt_at_str(&r, f[0]),
			         bt_at_num(&r, f[3]), ref != NULL && strcmp(ref, sale_id) == 0 ? "sale" : "other",
			         user != NULL && strcmp(user, owner_a.user_id) == 0 ? "owner" : "?");
		}
		if (page == 0)
			snprintf(cursor, sizeof(cursor), "%s", bt_str(&r, "next_cursor"));
		else
			ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
		bt_free(&r);
	}
	qsort(got, (size_t)n, sizeof(got[0]), (int (*)(const void *, const void *))strcmp);
	char all[600] = "";
	for (int i = 0; i < n; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s", i ? ", " : "", got[i]);
	ck_assert_str_eq(all, "in 10 other owner, sale 5 sale owner, sale 7 sale owner,"
	                 " sale 9 sale owner");
}

/* One walk-in sale moving a product three times (its own two lines and a
 * composite's): every movement records the stock after it, in line order,
 * and each product ends at the sum, its low-stock flag with it (minimum 5;
 * the chair's frames now make 5 chairs). */
START_TEST(a_sale_records_each_movements_stock_after)
{
	char frame[ID_LEN], wheel[ID_LEN], chair[ID_LEN], id[ID_LEN];
	stocked_chair("Running ", frame, wheel, chair);
	bt_resp r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1},"
	                 "{\"product_id\":\"%s\",\"qty\":2},{\"product_id\":\"%s\",\"qty\":2}],"
	                 "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":16000}",
	                 frame, chair, frame);
	issued(&r, id);
	bt_free(&r);
	const char *q[1] = {id};
	char *v = bt_super_value("SELECT string_agg(p.name || ' ' || trim_scale(m.qty) || ' '"
	                         " || trim_scale(m.stock_after) || ' ' || (m.composite_id IS NOT NULL),"
	                         " ', ' ORDER BY p.name, m.stock_after DESC)"
	                         " FROM stock_ledger m JOIN products p ON p.business_id ="
	                         " m.business_id AND p.id = m.product_id WHERE m.ref_id = $1", 1, q);
	ck_assert_str_eq(v, "Running Frame -1 9 false, Running Frame -2 7 true,"
	                 " Running Frame -2 5 false, Running Wheel -8 24 true");
	free(v);
	assert_stock(frame, "5");
	assert_stock(wheel, "24");
	v = bt_super_value("SELECT string_agg(name || ' ' || low_stock, ', ' ORDER BY name)"
	                   " FROM products WHERE name LIKE 'Running %'", 0, NULL);
	ck_assert_str_eq(v, "Running Chair true, Running Frame true, Running Wheel false");
	free(v);
	/* the frame's own lines carry their movements (0016); the chair's
	 * components are rows */
	v = bt_super_value("SELECT (SELECT string_agg(concat_ws(' ', line_no, trim_scale(stock_after),"
	                   " movement_id IS NOT NULL, issued_at = i.issued_at), ', '"
	                   " ORDER BY line_no) FROM invoice_lines WHERE invoice_id = i.id) || ' / '"
	                   " || (SELECT count(*) FROM stock_movements WHERE ref_id = i.id)"
	                   " FROM invoices i WHERE i.id = $1", 1, q);
	ck_assert_str_eq(v, "0 9 t t, 1 f, 2 5 t t / 2");
	free(v);
	/* its changes are one row of change_batches (0017), numbered in a row */
	v = bt_super_value("SELECT (last_seq - first_seq + 1) || ' ' || array_to_string(entities, ',')"
	                   " || ' ' || (SELECT count(*) FROM change_entries e WHERE e.business_id ="
	                   " b.business_id AND e.seq BETWEEN b.first_seq AND b.last_seq)"
	                   " FROM change_batches b WHERE $1 = ANY (entity_ids)", 1, q);
	ck_assert_str_eq(v, "6 product,low_stock,product,product,low_stock,invoice 6");
	free(v);
	ledger_pages(frame, id);
}
END_TEST

/* A composite of composites short of stock is refused with what it makes
 * (a set of 2 chairs of 1 frame + 4 wheels: 10 frames and 32 wheels make 8
 * chairs, 4 sets), not a crash; 4 sets sell. */
START_TEST(nested_composites_short_and_sold)
{
	char frame[ID_LEN], wheel[ID_LEN], chair[ID_LEN], set[ID_LEN], id[ID_LEN], comps[256];
	stocked_chair("Set ", frame, wheel, chair);
	snprintf(comps, sizeof(comps), "[{\"product_id\":\"%s\",\"qty\":2}]", chair);
	bt_product_new(&owner_a, "Chair set", 9000, 2800, comps, set);
	bt_resp r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":9}],\"tax_rate_bp\":0,"
	                 "\"payment_mode\":\"cash\",\"paid_amount\":81000}", set);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"), "Not enough stock of Chair set: 4 available, 9 requested.");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.field"), "lines[0].qty");
	bt_free(&r);
	sell(&owner_a, set, "4", 9000, "cash", 36000, "", id);
	assert_stock(frame, "2");
	assert_stock(wheel, "0");
}
END_TEST

/* One short line among several refuses the whole invoice with the line
 * named, moves no stock and takes no number. */
START_TEST(one_short_line_blocks_the_invoice)
{
	char a[ID_LEN], b[ID_LEN], c[ID_LEN], id[ID_LEN];
	bt_product_stocked(&owner_a, "Plenty one", 1000, 100, 5, a);
	bt_product_stocked(&owner_a, "Scarce", 1000, 100, 1, b);
	bt_product_stocked(&owner_a, "Plenty two", 1000, 100, 5, c);
	char *before = state_of(owner_a.business_id, 1);
	long number = next_number(owner_a.business_id);
	bt_resp r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2},"
	                 "{\"product_id\":\"%s\",\"qty\":2},{\"product_id\":\"%s\",\"qty\":1}],"
	                 "\"tax_rate_bp\":0,\"payment_mode\":\"credit\",\"paid_amount\":0,"
	                 "\"customer\":{\"phone\":\"+923219876543\",\"name\":\"Not made\"}}", a, b, c);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.field"), "lines[1].qty");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.code"), "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"), "Not enough stock of Scarce: 1 available, 2 requested.");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "errors")), 1);
	bt_free(&r);
	assert_state(owner_a.business_id, 1, before);
	/* the same product on two lines: the second finds what the first left */
	r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1},"
	         "{\"product_id\":\"%s\",\"qty\":1},{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":3000}", a, b, b);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.field"), "lines[2].qty");
	ck_assert_str_eq(bt_str(&r, "detail"), "Not enough stock of Scarce: 0 available, 1 requested.");
	bt_free(&r);
	assert_state(owner_a.business_id, 1, before);
	free(before);

	r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2},"
	         "{\"product_id\":\"%s\",\"qty\":1},{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":4000}", a, b, c);
	issued(&r, id);
	ck_assert_int_eq(bt_at_int(&r, "number"), number);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "lines")), 3);
	bt_free(&r);
	assert_stock(a, "3");
	assert_stock(b, "0");
	assert_stock(c, "4");
}
END_TEST

/* ---- concurrency */

typedef struct sale_job {
	const char *token;
	const char *body;
	const char *const *hdrs;     /* extra header lines, or NULL */
	pthread_barrier_t *go;
	long status;
	char code[64];
	char *resp;                  /* the body, malloc'd */
	int replayed;                /* answered with Idempotent-Replayed */
} sale_job;

static void *
sale_thread(void *arg)
{
	sale_job *j = arg;
	pthread_barrier_wait(j->go);
	bt_resp r = bt_jsonx("POST", INVOICES, j->token, j->hdrs, j->body);
	const char *code = bt_str(&r, "code");
	j->status = r.status;
	snprintf(j->code, sizeof(j->code), "%s", code ? code : "");
	j->resp = strdup(r.body);
	j->replayed = r.headers != NULL && strcasestr(r.headers, "\nIdempotent-Replayed: true") != NULL;
	bt_free(&r);
	return NULL;
}

/* Sends the n jobs' requests at once, one thread each. */
static void
run_jobs(sale_job *jobs, int n)
{
	pthread_barrier_t go;
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	pthread_barrier_init(&go, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		jobs[i].go = &go;
		ck_assert_int_eq(pthread_create(&t[i], NULL, sale_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	free(t);
}

#define RACERS 64

/* 64 concurrent one-unit sales of a product with 10 in stock (a fresh
 * business): exactly 10 invoices numbered 1..10, 54 insufficient_stock,
 * stock 0. */
START_TEST(concurrent_sales_never_oversell)
{
	bt_session s;
	char p[ID_LEN], body[512];
	bt_signup(&s);
	bt_product_stocked(&s, "Last ten", 1000, 100, 10, p);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":1000}", p);
	sale_job jobs[RACERS];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < RACERS; i++) {
		jobs[i].token = s.access;
		jobs[i].body = body;
	}
	run_jobs(jobs, RACERS);
	int ok = 0, short_stock = 0;
	for (int i = 0; i < RACERS; i++) {
		if (jobs[i].status == 201)
			ok++;
		else if (jobs[i].status == 422 && strcmp(jobs[i].code, "insufficient_stock") == 0)
			short_stock++;
		else
			ck_abort_msg("racer %d: %ld %s", i, jobs[i].status, jobs[i].resp);
		free(jobs[i].resp);
	}
	ck_assert_int_eq(ok, 10);
	ck_assert_int_eq(short_stock, RACERS - 10);
	assert_stock(p, "0");
	const char *q[1] = {s.business_id};
	char *v = bt_super_value("SELECT string_agg(number::text, ',' ORDER BY number) FROM invoices"
	                         " WHERE business_id = $1", 1, q);
	ck_assert_str_eq(v, "1,2,3,4,5,6,7,8,9,10");
	free(v);
	ck_assert_int_eq(next_number(s.business_id), 11);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM stock_ledger WHERE business_id = $1"
	                               " AND kind = 'sale'", 1, q), 10);
}
END_TEST

#define CREDIT_RACERS 10

/* 10 concurrent credit sales of 50.00 to a customer holding 100.00 of
 * credit: exactly 100.00 is applied across them, and the customer owes
 * the other 400.00. */
START_TEST(concurrent_sales_share_the_credit_once)
{
	char p[ID_LEN], c[ID_LEN], body[512];
	bt_product_stocked(&owner_a, "Credit racer", 5000, 100, 20, p);
	bt_customer_new(&owner_a, "Racing credit", NULL, c);
	const char *q[1] = {c};
	ck_assert_int_eq(bt_super_exec("UPDATE customers SET credit_balance = 10000 WHERE id = $1",
	                               1, q), 1);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"credit\",\"paid_amount\":0,"
	         "\"customer_id\":\"%s\"}", p, c);
	sale_job jobs[CREDIT_RACERS];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < CREDIT_RACERS; i++) {
		jobs[i].token = owner_a.access;
		jobs[i].body = body;
	}
	run_jobs(jobs, CREDIT_RACERS);
	long applied = 0, due = 0;
	for (int i = 0; i < CREDIT_RACERS; i++) {
		ck_assert_msg(jobs[i].status == 201, "racer %d: %ld %s", i, jobs[i].status, jobs[i].resp);
		cJSON *j = cJSON_Parse(jobs[i].resp);
		applied += (long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "credit_applied"));
		due += (long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "balance_due"));
		cJSON_Delete(j);
		free(jobs[i].resp);
	}
	ck_assert_int_eq(applied, 10000);
	ck_assert_int_eq(due, 40000);
	bt_expect_customer(&owner_a, c, 0, 0, 40000);
	assert_stock(p, "10");
}
END_TEST

#define SAME_KEY 100

/* The same Idempotency-Key 100 times at once: one invoice and 100 identical
 * answers; the key with another body is refused. */
START_TEST(idempotency_key_under_concurrency)
{
	char p[ID_LEN], body[512], key[96];
	bt_product_stocked(&owner_a, "Idem item", 1000, 100, 5, p);
	snprintf(key, sizeof(key), "Idempotency-Key: invoice-%ld-%d", (long)time(NULL), getpid());
	const char *hdrs[2] = {key, NULL};
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":1000,"
	         "\"note\":\"idem %s\"}", p, key + 17);
	long number = next_number(owner_a.business_id);
	sale_job *jobs = calloc(SAME_KEY, sizeof(*jobs));
	ck_assert_ptr_nonnull(jobs);
	for (int i = 0; i < SAME_KEY; i++) {
		jobs[i].token = owner_a.access;
		jobs[i].body = body;
		jobs[i].hdrs = hdrs;
	}
	run_jobs(jobs, SAME_KEY);
	int replayed = 0;
	for (int i = 0; i < SAME_KEY; i++) {
		ck_assert_msg(jobs[i].status == 201, "request %d: %ld %s", i, jobs[i].status,
		              jobs[i].resp);
		ck_assert_str_eq(jobs[i].resp, jobs[0].resp);
		replayed += jobs[i].replayed;
	}
	ck_assert_int_eq(replayed, SAME_KEY - 1);   /* one ran, the others were replays */
	for (int i = 0; i < SAME_KEY; i++)
		free(jobs[i].resp);
	free(jobs);
	assert_stock(p, "4");
	ck_assert_int_eq(next_number(owner_a.business_id), number + 1);
	const char *q[2] = {owner_a.business_id, p};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM invoice_lines WHERE business_id = $1"
	                               " AND product_id = $2", 2, q), 1);

	char *before = state_of(owner_a.business_id, 1);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":2000}", p);
	bt_expect_problem(bt_jsonx("POST", INVOICES, owner_a.access, hdrs, body),
	                  422, "idempotency_key_reused");
	assert_state(owner_a.business_id, 1, before);
	free(before);
}
END_TEST

/* A client id sent again (an offline sale retried) returns the invoice
 * recorded under it (200) and changes nothing, whatever the body says. */
START_TEST(client_id_retry_is_a_no_op)
{
	char p[ID_LEN], id[ID_LEN], body[512];
	bt_product_stocked(&owner_a, "Offline item", 1000, 100, 5, p);
	bahi_uuid_v7(id);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":1000}", id, p);
	bt_resp r = bt_json("POST", INVOICES, owner_a.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "id"), id);
	char *first = strdup(r.body);
	bt_free(&r);
	char *before = state_of(owner_a.business_id, 1);
	bt_expect_body(bt_json("POST", INVOICES, owner_a.access, body), 200, first);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"lines\":[{\"product_id\":\"%s\",\"qty\":3}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":3000}", id, p);
	bt_expect_body(bt_json("POST", INVOICES, owner_a.access, body), 200, first);
	assert_state(owner_a.business_id, 1, before);
	free(before);
	free(first);
	assert_stock(p, "4");

	/* an incomplete sale's id likewise returns the incomplete sale */
	bahi_uuid_v7(id);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":10}", id, p);
	r = bt_json("POST", INVOICES, owner_a.access, body);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "kind"), "incomplete_sale");
	first = strdup(r.body);
	bt_free(&r);
	before = state_of(owner_a.business_id, 1);
	bt_expect_body(bt_json("POST", INVOICES, owner_a.access, body), 200, first);
	assert_state(owner_a.business_id, 1, before);
	free(before);
	free(first);
}
END_TEST

/* A retried offline sale is a no-op even when its product and customer
 * were deleted since it was recorded: the recorded invoice comes back. */
START_TEST(client_id_retry_after_deletions)
{
	char p[ID_LEN], c[ID_LEN], id[ID_LEN], body[512], path[200];
	bt_product_stocked(&owner_a, "Gone item", 1000, 100, 5, p);
	bt_customer_new(&owner_a, "Gone customer", NULL, c);
	bahi_uuid_v7(id);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":1000,"
	         "\"customer_id\":\"%s\"}", id, p, c);
	bt_resp r = bt_json("POST", INVOICES, owner_a.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	char *first = strdup(r.body);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/products/%s", p);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);
	bt_customer_delete(&owner_a, c);
	char *before = state_of(owner_a.business_id, 1);
	bt_expect_body(bt_json("POST", INVOICES, owner_a.access, body), 200, first);
	assert_state(owner_a.business_id, 1, before);
	free(before);
	free(first);
	/* a new sale of them is refused */
	bt_expect_field(sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	                     "\"payment_mode\":\"cash\",\"paid_amount\":1190}", p),
	                "lines[0].product_id", "unknown_product");
}
END_TEST

/* ---- immutability, lists */

/* PATCH, PUT and DELETE of an invoice are 409 invoice_immutable; unknown
 * ids and another business's invoices are 404. */
START_TEST(invoices_are_immutable)
{
	char p[ID_LEN], id[ID_LEN], path[200], pb[ID_LEN], idb[ID_LEN];
	bt_product_stocked(&owner_a, "Fixed item", 1000, 100, 5, p);
	sell(&owner_a, p, "1", 1000, "cash", 1000, "", id);
	bt_product_stocked(&owner_b, "B item", 1000, 100, 5, pb);
	sell(&owner_b, pb, "1", 1000, "cash", 1000, "", idb);
	char *before = state_of(owner_a.business_id, 1);
	static const char *const methods[] = {"PATCH", "PUT", "DELETE"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), INVOICES "/%s", id);
		bt_expect_problem(bt_json(methods[i], path, owner_a.access,
		                          strcmp(methods[i], "DELETE") ? "{\"total\":1}" : NULL),
		                  409, "invoice_immutable");
		snprintf(path, sizeof(path), INVOICES "/" NOBODY);
		bt_expect_problem(bt_json(methods[i], path, owner_a.access, NULL),
		                  404, "not_found");
		snprintf(path, sizeof(path), INVOICES "/%s", idb);
		bt_expect_problem(bt_json(methods[i], path, owner_a.access, NULL),
		                  404, "not_found");
	}
	bt_expect_problem(bt_json("GET", INVOICES "/" NOBODY, owner_a.access, NULL),
	                  404, "not_found");
	snprintf(path, sizeof(path), INVOICES "/%s", idb);
	bt_expect_problem(bt_json("GET", path, owner_a.access, NULL), 404, "not_found");
	bt_expect_problem(bt_json("GET", INVOICES "/not-a-uuid", owner_a.access, NULL),
	                  404, "not_found");
	bt_resp r = bt_get_ok(&owner_a, INVOICES "?limit=200");
	ck_assert(!bt_list_has(&r, idb));
	ck_assert(bt_list_has(&r, id));
	bt_free(&r);
	assert_state(owner_a.business_id, 1, before);
	free(before);
	/* the database refuses changes whoever asks */
	const char *q[1] = {id};
	PGconn *c = bt_db(bt_get()->super_url);
	PGresult *res = PQexecParams(c, "UPDATE invoices SET total = total WHERE id = $1", 1, NULL, q,
	                             NULL, NULL, 0);
	ck_assert_int_eq(PQresultStatus(res), PGRES_FATAL_ERROR);
	PQclear(res);
	PQfinish(c);
}
END_TEST

/* One invoice of the list business: k lines of 10.00, cash or credit. */
static void
list_sale(const bt_session *s, const char *p, int k, const char *customer, const char *mode,
          long paid, char id[ID_LEN])
{
	char lines[1024] = "", cust[128] = "";
	size_t n = 0;
	for (int i = 0; i < k; i++)
		n += (size_t)snprintf(lines + n, sizeof(lines) - n, "%s{\"product_id\":\"%s\",\"qty\":1}",
		                      i ? "," : "", p);
	if (customer != NULL)
		snprintf(cust, sizeof(cust), ",\"customer_id\":\"%s\"", customer);
	bt_resp r = sale(s, "{\"lines\":[%s],\"tax_rate_bp\":0,\"payment_mode\":\"%s\","
	                 "\"paid_amount\":%ld%s}", lines, mode, paid, cust);
	issued(&r, id);
	bt_free(&r);
}

/* The ids a list request returns, joined with ','. */
static void
list_of(const bt_session *s, const char *query, char *out, size_t size)
{
	char path[512];
	snprintf(path, sizeof(path), INVOICES "?limit=200%s", query);
	bt_resp r = bt_get_ok(s, path);
	bt_list_ids(&r, out, size);
	bt_free(&r);
}

/* Joins ids[i] for the indexes given (-1 ends), with ','. */
static void
join_ids(char ids[][ID_LEN], const int *which, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; which[i] >= 0; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "," : "", ids[which[i]]);
}

/* Pages of 3 cover the list exactly, newest first, with no duplicates or gaps. */
static void
assert_pages(const bt_session *s, const char *all)
{
	char cursor[256] = "", got[8 * ID_LEN] = "", path[512];
	int sizes[3] = {3, 3, 1};
	for (int page = 0; page < 3; page++) {
		snprintf(path, sizeof(path), INVOICES "?limit=3%s%s", cursor[0] ? "&cursor=" : "", cursor);
		bt_resp r = bt_get_ok(s, path);
		ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), sizes[page]);
		bt_list_ids_append(&r, got, sizeof(got));
		if (page < 2)
			snprintf(cursor, sizeof(cursor), "%s", bt_str(&r, "next_cursor"));
		else
			ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
		bt_free(&r);
	}
	ck_assert_str_eq(got, all);
	bt_resp r = bt_get_ok(s, INVOICES "?limit=7");
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
}

/* Each item: its line count, no lines, numbers newest first. */
static void
assert_items(const bt_session *s, const int *line_counts, int n)
{
	bt_resp r = bt_get_ok(s, INVOICES);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), n);
	for (int i = 0; i < n; i++) {
		char path[64];
		snprintf(path, sizeof(path), "items.%d.line_count", i);
		ck_assert_int_eq(bt_at_int(&r, path), line_counts[n - 1 - i]);
		snprintf(path, sizeof(path), "items.%d.number", i);
		ck_assert_int_eq(bt_at_int(&r, path), n - i);
		snprintf(path, sizeof(path), "items.%d.lines", i);
		ck_assert_ptr_null(bt_at(&r, path));
	}
	ck_assert_str_eq(bt_at_str(&r, "items.0.status"), "unpaid");
	ck_assert_str_eq(bt_at_str(&r, "items.0.debt_status"), "green");
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
}

/* GET /invoices in a fresh business: newest first, line_count instead of
 * lines, exact pages, and the customer, status and date filters. */
START_TEST(list_filters_and_pages)
{
	bt_session s;
	char p[ID_LEN], x[ID_LEN], y[ID_LEN], ids[7][ID_LEN], got[8 * ID_LEN], want[8 * ID_LEN];
	bt_signup(&s);
	bt_product_stocked(&s, "Listed", 1000, 100, 100, p);
	bt_customer_new(&s, "X", NULL, x);
	bt_customer_new(&s, "Y", NULL, y);
	static const int lines[7] = {1, 2, 3, 1, 1, 2, 1};
	list_sale(&s, p, lines[0], NULL, "cash", 1000, ids[0]);
	list_sale(&s, p, lines[1], x, "credit", 0, ids[1]);
	list_sale(&s, p, lines[2], x, "cash", 3000, ids[2]);
	list_sale(&s, p, lines[3], y, "credit", 500, ids[3]);
	list_sale(&s, p, lines[4], x, "credit", 0, ids[4]);
	list_sale(&s, p, lines[5], NULL, "cash", 2000, ids[5]);
	list_sale(&s, p, lines[6], y, "credit", 0, ids[6]);

	list_of(&s, "", got, sizeof(got));
	join_ids(ids, (const int[]){6, 5, 4, 3, 2, 1, 0, -1}, want, sizeof(want));
	ck_assert_str_eq(got, want);
	assert_items(&s, lines, 7);
	assert_pages(&s, want);

	char q[256];
	snprintf(q, sizeof(q), "&customer_id=%s", x);
	list_of(&s, q, got, sizeof(got));
	join_ids(ids, (const int[]){4, 2, 1, -1}, want, sizeof(want));
	ck_assert_str_eq(got, want);
	list_of(&s, "&status=unpaid", got, sizeof(got));
	join_ids(ids, (const int[]){6, 4, 1, -1}, want, sizeof(want));
	ck_assert_str_eq(got, want);
	list_of(&s, "&status=partially_paid", got, sizeof(got));
	ck_assert_str_eq(got, ids[3]);
	list_of(&s, "&status=paid", got, sizeof(got));
	join_ids(ids, (const int[]){5, 2, 0, -1}, want, sizeof(want));
	ck_assert_str_eq(got, want);
	snprintf(q, sizeof(q), "&customer_id=%s&status=unpaid", y);
	list_of(&s, q, got, sizeof(got));
	ck_assert_str_eq(got, ids[6]);

	/* dates: invoice 3 issued 10 days ago (and so last in the list) */
	char today[16], past[16], yesterday[16];
	backdate(ids[3], 10);
	local_date(s.business_id, 0, today);
	local_date(s.business_id, -10, past);
	local_date(s.business_id, -1, yesterday);
	snprintf(q, sizeof(q), "&from=%s", today);
	list_of(&s, q, got, sizeof(got));
	join_ids(ids, (const int[]){6, 5, 4, 2, 1, 0, -1}, want, sizeof(want));
	ck_assert_str_eq(got, want);
	snprintf(q, sizeof(q), "&to=%s", yesterday);
	list_of(&s, q, got, sizeof(got));
	ck_assert_str_eq(got, ids[3]);
	snprintf(q, sizeof(q), "&from=%s&to=%s", past, past);
	list_of(&s, q, got, sizeof(got));
	ck_assert_str_eq(got, ids[3]);
	snprintf(q, sizeof(q), "&from=%s&to=%s&customer_id=%s", past, today, x);
	list_of(&s, q, got, sizeof(got));
	join_ids(ids, (const int[]){4, 2, 1, -1}, want, sizeof(want));
	ck_assert_str_eq(got, want);
	list_of(&s, "", got, sizeof(got));
	join_ids(ids, (const int[]){6, 5, 4, 2, 1, 0, 3, -1}, want, sizeof(want));
	ck_assert_str_eq(got, want);
}
END_TEST

/* Bad list parameters: exact field errors; an unknown customer is 404. */
START_TEST(list_bad_parameters)
{
	static const bt_bad_query cases[] = {
		{"?status=open", "status", "invalid_choice"},
		{"?from=2026-13-01", "from", "invalid_date"},
		{"?to=yesterday", "to", "invalid_date"},
		{"?customer_id=x", "customer_id", "invalid_uuid"},
		{"?limit=0", "limit", "invalid_number"},
		{"?limit=201", "limit", "invalid_number"},
		{"?cursor=zzz", "cursor", "invalid_cursor"},
		{"?number=1", "number", "unknown_parameter"},
	};
	bt_expect_bad_queries(INVOICES, owner_a.access, cases, sizeof(cases) / sizeof(cases[0]));
	bt_expect_problem(bt_json("GET", INVOICES "?customer_id=" NOBODY, owner_a.access, NULL),
	                  404, "not_found");
	char cb[ID_LEN], path[256];
	bt_customer_new(&owner_b, "B's customer", NULL, cb);
	snprintf(path, sizeof(path), INVOICES "?customer_id=%s", cb);
	bt_expect_problem(bt_json("GET", path, owner_a.access, NULL), 404, "not_found");
	bt_expect_problem(bt_json("GET", INVOICES, NULL, NULL), 401, "unauthorized");
}
END_TEST

/* ---- bad input */

typedef struct bad_case {
	const char *members, *field, *code;
} bad_case;

/* @P: a product of A; @S: a product of B. One thing wrong at a time. */
static const bad_case bad_cases[] = {
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":0}]", "lines[0].qty", "must_be_positive"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":-1}]", "lines[0].qty", "invalid_quantity"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1.0005}]", "lines[0].qty", "invalid_quantity"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":\"1\"}]", "lines[0].qty", "invalid_quantity"},
	{"\"lines\":[{\"product_id\":\"@P\"}]", "lines[0].qty", "required"},
	{"\"lines\":[{\"product_id\":\"" NOBODY "\",\"qty\":1}]", "lines[0].product_id",
	 "unknown_product"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1},{\"product_id\":\"@S\",\"qty\":1}]",
	 "lines[1].product_id", "unknown_product"},
	{"\"lines\":[{\"product_id\":\"nope\",\"qty\":1}]", "lines[0].product_id", "invalid_uuid"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1,\"unit_price\":1000000000000001}]",
	 "lines[0].unit_price", "too_large"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1,\"unit_price\":-1}]", "lines[0].unit_price",
	 "too_small"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1,\"unit_price\":1.5}]", "lines[0].unit_price",
	 "must_be_integer"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":2,\"unit_price\":1000000000000000}]",
	 "lines[0].qty", "too_large"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1,\"discount\":5}]", "lines[0].discount",
	 "unknown_field"},
	{"\"lines\":[5]", "lines[0]", "must_be_object"},
	{"\"lines\":[]", "lines", "too_small"},
	{"\"lines\":{}", "lines", "must_be_array"},
	{"\"fee\":1", "lines", "required"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"fee\":1000000000000001", "fee", "too_large"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"discount_bp\":10001", "discount_bp",
	 "too_large"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"discount_amount\":1001", "discount_amount",
	 "exceeds_subtotal"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"discount_bp\":10,\"discount_amount\":10",
	 "discount_amount", "conflicts"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"tax_rate_bp\":10001", "tax_rate_bp",
	 "too_large"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"customer_id\":\"" NOBODY "\","
	 "\"customer\":{\"phone\":\"+923001112233\"}", "customer", "conflicts"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"customer_id\":\"" NOBODY "\"",
	 "customer_id", "unknown_customer"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"customer\":{\"name\":\"No phone\"}",
	 "customer.phone", "required"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"customer\":{\"phone\":\"12\"}",
	 "customer.phone", "invalid_phone"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"total\":1000", "total", "unknown_field"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"note\":\"\"", "note", "required"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"id\":\"x\"", "id", "invalid_uuid"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"payment_mode\":\"cash\","
	 "\"paid_amount\":1000000000000001", "paid_amount", "too_large"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"payment_mode\":\"cash\","
	 "\"paid_amount\":-1", "paid_amount", "too_small"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"payment_mode\":\"cash\"",
	 "paid_amount", "required"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"payment_mode\":\"card\","
	 "\"paid_amount\":1000", "payment_mode", "invalid_choice"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"paid_amount\":1000", "payment_mode",
	 "required"},
	{"\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"payment_mode\":\"credit\","
	 "\"paid_amount\":1001,\"tax_rate_bp\":0,\"customer\":{\"phone\":\"+923001112233\"}",
	 "paid_amount",
	 "exceeds_amount_due"},
};

/* Sends {members} as A, with a cash payment of 10.00 unless members names the payment. */
static bt_resp
bad_sale(const char *members, const char *p, const char *s)
{
	char filled[2048];
	bt_fill_template(filled, sizeof(filled), members, p, s);
	int paying = strstr(filled, "paid_amount") != NULL || strstr(filled, "payment_mode") != NULL;
	return sale(&owner_a, "{%s%s}", filled,
	            paying ? "" : ",\"payment_mode\":\"cash\",\"paid_amount\":1000");
}

/* Each case: 422 with its exact field and code, and nothing changed. */
START_TEST(bad_input_is_refused_per_field)
{
	char p[ID_LEN], pb[ID_LEN];
	bt_product_stocked(&owner_a, "Bad input item", 1000, 100, 5, p);
	bt_product_stocked(&owner_b, "B's item", 1000, 100, 5, pb);
	char *before = state_of(owner_a.business_id, 1);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		bt_resp r = bad_sale(bad_cases[i].members, p, pb);
		ck_assert_msg(r.status == 422, "case %zu: %ld %s", i, r.status, r.body);
		bt_assert_field(&r, bad_cases[i].field, bad_cases[i].code);
		bt_free(&r);
	}
	assert_state(owner_a.business_id, 1, before);
	free(before);
}
END_TEST

/* Another business's customer is unknown; 501 lines are too many (500 are
 * fine); not JSON is 400; over 1 MiB is 413. Nothing changes. */
START_TEST(bad_bodies_are_refused)
{
	char p[ID_LEN], cb[ID_LEN];
	bt_product_stocked(&owner_a, "Body item", 1, 1, 1000, p);
	bt_customer_new(&owner_b, "B's regular", NULL, cb);
	char *before = state_of(owner_a.business_id, 1);
	bt_expect_field(sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	                     "\"payment_mode\":\"credit\",\"paid_amount\":0,"
	                     "\"customer_id\":\"%s\"}", p, cb),
	                "customer_id", "unknown_customer");

	size_t size = 520 * 64 + 256, n = 0;
	char *body = malloc(size);
	ck_assert_ptr_nonnull(body);
	n += (size_t)snprintf(body, size, "{\"tax_rate_bp\":0,\"payment_mode\":\"cash\","
	                      "\"paid_amount\":%d,\"lines\":[", 501);
	for (int i = 0; i < 501; i++)
		n += (size_t)snprintf(body + n, size - n, "%s{\"product_id\":\"%s\",\"qty\":1}",
		                      i ? "," : "", p);
	snprintf(body + n, size - n, "]}");
	bt_expect_field(bt_json("POST", INVOICES, owner_a.access, body), "lines", "too_large");
	bt_expect_problem(bt_json("POST", INVOICES, owner_a.access, "{\"lines\":[{\"product_id\":"),
	                  400, "malformed_json");
	bt_expect_field(bt_json("POST", INVOICES, owner_a.access, "[]"), "", "must_be_object");
	free(body);

	size = 1100 * 1024;
	body = malloc(size + 256);
	ck_assert_ptr_nonnull(body);
	n = (size_t)snprintf(body, 256, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],"
	                     "\"payment_mode\":\"cash\",\"paid_amount\":1,\"note\":\"", p);
	memset(body + n, 'n', size - n);
	snprintf(body + size, 256, "\"}");
	bt_expect_problem(bt_json("POST", INVOICES, owner_a.access, body),
	                  413, "payload_too_large");
	free(body);
	assert_state(owner_a.business_id, 1, before);
	free(before);

	/* 500 lines are an invoice */
	size = 520 * 64 + 256;
	body = malloc(size);
	ck_assert_ptr_nonnull(body);
	n = (size_t)snprintf(body, size, "{\"tax_rate_bp\":0,\"payment_mode\":\"cash\","
	                     "\"paid_amount\":500,\"lines\":[");
	for (int i = 0; i < 500; i++)
		n += (size_t)snprintf(body + n, size - n, "%s{\"product_id\":\"%s\",\"qty\":1}",
		                      i ? "," : "", p);
	snprintf(body + n, size - n, "]}");
	bt_resp r = bt_json("POST", INVOICES, owner_a.access, body);
	ck_assert_msg(r.status == 201, "%ld %.300s", r.status, r.body);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "lines")), 500);
	ASSERT_INTS(&r, {"total", 500}, {"lines.499.line_total", 1});
	bt_free(&r);
	free(body);
	assert_stock(p, "500");
}
END_TEST

/* SQL and HTML metacharacters in the note and an inline customer's name
 * are stored and returned verbatim. */
START_TEST(metacharacters_stored_verbatim)
{
	char p[ID_LEN], id[ID_LEN];
	static const char note[] = "<b>x</b>'; DROP TABLE invoices;-- \"q\" \\ & %s";
	static const char name[] = "O'Brien <script>alert(1)</script>; DELETE FROM customers;--";
	bt_product_stocked(&owner_a, "Meta item", 1000, 100, 5, p);
	bt_resp r = sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}],\"tax_rate_bp\":0,"
	                 "\"payment_mode\":\"credit\",\"paid_amount\":0,"
	                 "\"note\":\"<b>x</b>'; DROP TABLE invoices;-- \\\"q\\\" \\\\ & %%s\","
	                 "\"customer\":{\"phone\":\"+923005550199\",\"name\":\"%s\"}}", p, name);
	issued(&r, id);
	ck_assert_str_eq(bt_str(&r, "note"), note);
	ck_assert_str_eq(bt_str(&r, "customer_name"), name);
	bt_free(&r);
	r = invoice_get(&owner_a, id);
	ck_assert_str_eq(bt_str(&r, "note"), note);
	bt_free(&r);
	const char *q[1] = {id};
	char *v = bt_super_value("SELECT i.note || '|' || c.name FROM invoices i JOIN customers c"
	                         " ON c.id = i.customer_id WHERE i.id = $1", 1, q);
	char expect[256];
	snprintf(expect, sizeof(expect), "%s|%s", note, name);
	ck_assert_str_eq(v, expect);
	free(v);
	ck_assert_int_ge(bt_super_long("SELECT count(*) FROM invoices", 0, NULL), 1);
}
END_TEST

/* A clerk sells (the invoice names the clerk); a clerk cannot stock in. */
START_TEST(clerk_creates_invoices)
{
	char p[ID_LEN], id[ID_LEN];
	bt_product_stocked(&owner_a, "Clerk item", 1000, 100, 3, p);
	bt_resp r = sale_one(&clerk_a, p, "cash", 1000, NULL);
	issued(&r, id);
	bt_free(&r);
	const char *q[1] = {id};
	char *v = bt_super_value("SELECT user_id || ' ' || device_id FROM invoices WHERE id = $1", 1, q);
	char expect[128];
	snprintf(expect, sizeof(expect), "%s %s", clerk_a.user_id, clerk_a.device_id);
	ck_assert_str_eq(v, expect);
	free(v);
	r = invoice_get(&clerk_a, id);
	bt_free(&r);
	assert_stock(p, "2");
	bt_expect_problem(bt_json("POST", INVOICES, NULL, "{}"), 401, "unauthorized");
}
END_TEST

/* A sale's session check goes out with its first statement (BAHI_CHECK_LATE):
 * a revoked device sells nothing, and is told 401 also for a body that the
 * sale would refuse (the check is answered before the handler's problem). */
START_TEST(a_revoked_device_sells_nothing)
{
	char p[ID_LEN], path[160];
	bt_product_stocked(&owner_a, "Revoked item", 1000, 100, 3, p);
	bt_client_new();
	bt_resp r = bt_login(owner_a.phone, owner_a.password, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_session d2 = owner_a;
	bt_session_fill(&d2, &r);
	bt_free(&r);
	r = sale_one(&d2, p, "cash", 1000, NULL);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/devices/%s", d2.device_id);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	const char *q[1] = {owner_a.business_id};
	long before = bt_super_long("SELECT count(*) FROM invoices WHERE business_id = $1", 1, q);
	bt_expect_problem(sale_one(&d2, p, "cash", 1000, NULL), 401, "unauthorized");
	bt_expect_problem(sale(&d2, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":-1}],"
	                       "\"payment_mode\":\"cash\",\"paid_amount\":0}", p), 401, "unauthorized");
	bt_expect_problem(bt_json("POST", "/api/v1/payments", d2.access, "{\"amount\":-5}"), 401,
	                  "unauthorized");
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM invoices WHERE business_id = $1", 1, q),
	                 before);
	assert_stock(p, "2");
	/* a live session still gets the body's problem */
	bt_expect_problem(sale(&owner_a, "{\"lines\":[{\"product_id\":\"%s\",\"qty\":-1}],"
	                       "\"payment_mode\":\"cash\",\"paid_amount\":0}", p), 422,
	                  "validation_failed");
}
END_TEST

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
}

int
main(void)
{
	bt_start();
	Suite *s = suite_create("invoices");
	TCase *t = tcase_create("invoices");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, seed_example_paid_in_cash);
	tcase_add_test(t, totals_variants);
	tcase_add_test(t, cash_overpaid_gives_change);
	tcase_add_test(t, cash_paid_short_is_an_incomplete_sale);
	tcase_add_test(t, incomplete_sales_discarded_or_completed_on_credit);
	tcase_add_test(t, credit_sales_record_debt);
	tcase_add_test(t, dates_follow_the_business);
	tcase_add_test(t, inline_customer_created_once);
	tcase_add_test(t, issued_body_is_the_invoice_as_read);
	tcase_add_test(t, credit_balance_is_applied);
	tcase_add_test(t, composites_take_their_components);
	tcase_add_test(t, nested_composites_short_and_sold);
	tcase_add_test(t, a_sale_records_each_movements_stock_after);
	tcase_add_test(t, one_short_line_blocks_the_invoice);
	tcase_add_test(t, concurrent_sales_never_oversell);
	tcase_add_test(t, concurrent_sales_share_the_credit_once);
	tcase_add_test(t, idempotency_key_under_concurrency);
	tcase_add_test(t, client_id_retry_is_a_no_op);
	tcase_add_test(t, client_id_retry_after_deletions);
	tcase_add_test(t, invoices_are_immutable);
	tcase_add_test(t, list_filters_and_pages);
	tcase_add_test(t, list_bad_parameters);
	tcase_add_test(t, bad_input_is_refused_per_field);
	tcase_add_test(t, bad_bodies_are_refused);
	tcase_add_test(t, metacharacters_stored_verbatim);
	tcase_add_test(t, clerk_creates_invoices);
	tcase_add_test(t, a_revoked_device_sells_nothing);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
