/* check_payments: customer payments and history through nginx: the seed's worked examples, oldest-first distribution, balances read back, bad input changing nothing, tenancy, retries and concurrent payments. */
#include <check.h>

#include "../check_run.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bahi_uuid.h"
#include "harness.h"

#define PAYMENTS "/api/v1/payments"
#define CUSTOMERS "/api/v1/customers"
#define INVOICES "/api/v1/invoices"
#define ID_LEN (BAHI_UUID_LEN + 1)

/* A: the business under test; B: another business; a clerk of A. */
static bt_session owner_a, owner_b, clerk_a;
/* A product of each business with plenty of stock. */
static char product_a[ID_LEN], product_b[ID_LEN];

/* ---- helpers */

/* A customer of s's business with this opening balance (and phone, or NULL). */
static void
customer_new(const bt_session *s, long opening, const char *phone, char out[ID_LEN])
{
	char body[256];
	static int n;
	snprintf(body, sizeof(body), "{\"name\":\"Payer %d\",\"opening_balance\":%ld%s%s%s}", ++n,
	         opening, phone ? ",\"phone\":\"" : "", phone ? phone : "", phone ? "\"" : "");
	bt_create(s, CUSTOMERS, body, out);
}

/* A one-line invoice of s's business to customer at price (tax 0), mode
 * "cash" or "credit", paid_amount paid; its id into out; returns its number. */
static long
invoice_new(const bt_session *s, const char *customer, long price, const char *mode, long paid,
            char out[ID_LEN])
{
	char body[512];
	snprintf(body, sizeof(body), "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\","
	         "\"qty\":1,\"unit_price\":%ld}],\"tax_rate_bp\":0,\"payment_mode\":\"%s\","
	         "\"paid_amount\":%ld}", customer, s == &owner_b ? product_b : product_a, price, mode,
	         paid);
	bt_resp r = bt_invoice_issue(s, body, out);
	ck_assert_int_eq(bt_at_int(&r, "total"), price);
	long number = bt_at_int(&r, "number");
	bt_free(&r);
	return number;
}

/* POST /payments as A (see bt_pay) that must be recorded (201); the answer. */
static bt_resp
recorded(const char *customer, long amount, const char *invoice, const char *extra)
{
	bt_resp r = bt_pay(&owner_a, customer, amount, invoice, extra);
	ck_assert_msg(r.status == 201, "pay %ld: %ld %s", amount, r.status, r.body);
	return r;
}

/* The invoice as GET /invoices/{id} shows it. */
static void
expect_invoice(const char *id, long paid, long balance_due, const char *status)
{
	char path[200];
	snprintf(path, sizeof(path), INVOICES "/%s", id);
	bt_resp r = bt_get_ok(&owner_a, path);
	ck_assert_msg(bt_at_int(&r, "paid") == paid && bt_at_int(&r, "balance_due") == balance_due &&
	              strcmp(bt_at_str(&r, "status"), status) == 0,
	              "expected paid %ld, due %ld, %s: %s", paid, balance_due, status, r.body);
	bt_free(&r);
}

/* Allocation i of a payment body. */
static void
expect_alloc(const bt_resp *r, int i, const char *invoice, long number, long amount, long after,
             const char *status)
{
	char k[64];
	snprintf(k, sizeof(k), "allocations.%d.invoice_id", i);
	ck_assert_msg(bt_at_str(r, k) != NULL && strcmp(bt_at_str(r, k), invoice) == 0, "%s", r->body);
	snprintf(k, sizeof(k), "allocations.%d.number", i);
	ck_assert_int_eq(bt_at_int(r, k), number);
	snprintf(k, sizeof(k), "allocations.%d.amount", i);
	ck_assert_int_eq(bt_at_int(r, k), amount);
	snprintf(k, sizeof(k), "allocations.%d.balance_after", i);
	ck_assert_int_eq(bt_at_int(r, k), after);
	snprintf(k, sizeof(k), "allocations.%d.status", i);
	ck_assert_str_eq(bt_at_str(r, k), status);
	snprintf(k, sizeof(k), "allocations.%d", i);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(r, k)), 5);
}

static void
expect_split(const bt_resp *r, int nallocs, long reduced, long credit)
{
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(r, "allocations")), nallocs);
	ck_assert_int_eq(bt_at_int(r, "opening_balance_reduced"), reduced);
	ck_assert_int_eq(bt_at_int(r, "credit_added"), credit);
}

/* The number of payments stored for a customer (as the superuser). */
static long
payments_of(const char *customer)
{
	const char *p[1] = {customer};
	return bt_super_long("SELECT count(*) FROM payments WHERE customer_id = $1", 1, p);
}

static void expect_totals(const bt_resp *r, long count, long invoiced, long paid, long payments,
                          long avg, long debt, long credit);

/* ---- the seed's worked examples */

/* Invoice 200.00 with 150.00 paid; 80.00 naming it: 50.00 to the invoice (paid), 30.00 credit. */
START_TEST(seed_named_invoice_overpaid)
{
	char cust[ID_LEN], inv[ID_LEN], path[200], today[16];
	customer_new(&owner_a, 0, NULL, cust);
	long number = invoice_new(&owner_a, cust, 20000, "credit", 15000, inv);
	bt_expect_customer(&owner_a, cust, 0, 0, 5000);
	expect_invoice(inv, 15000, 5000, "partially_paid");

	bt_resp r = recorded(cust, 8000, inv, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(r.json), 11);
	ck_assert_int_eq(strlen(bt_str(&r, "id")), 36);
	ck_assert_str_eq(bt_str(&r, "customer_id"), cust);
	ck_assert_int_eq(bt_at_int(&r, "amount"), 8000);
	ck_assert_str_eq(bt_str(&r, "method"), "cash");
	ck_assert_str_eq(bt_str(&r, "invoice_id"), inv);
	ck_assert(cJSON_IsNull(bt_at(&r, "note")));
	expect_split(&r, 1, 0, 3000);
	expect_alloc(&r, 0, inv, number, 5000, 0, "paid");
	char *d = bt_super_value("SELECT (now() AT TIME ZONE 'Asia/Karachi')::date::text", 0, NULL);
	snprintf(today, sizeof(today), "%s", d);
	free(d);
	ck_assert_str_eq(bt_str(&r, "received_on"), today);
	ck_assert_int_eq(strlen(bt_str(&r, "created_at")), 20);

	expect_invoice(inv, 20000, 0, "paid");
	bt_expect_customer(&owner_a, cust, 0, 3000, 0);
	snprintf(path, sizeof(path), PAYMENTS "/%s", bt_str(&r, "id"));
	bt_expect_body(bt_json("GET", path, owner_a.access, NULL), 200, r.body);

	/* stored as it was split, with the change log of every record touched */
	const char *p[1] = {bt_str(&r, "id")};
	char *row = bt_super_value("SELECT amount || '/' || applied_to_invoices || '/' ||"
	                           " opening_balance_reduced || '/' || credit_added || '/' ||"
	                           " (SELECT string_agg(amount || ':' || balance_after, ',')"
	                           "  FROM payment_allocations a WHERE a.payment_id = payments.id)"
	                           " FROM payments WHERE id = $1", 1, p);
	ck_assert_str_eq(row, "8000/5000/0/3000/5000:0");
	free(row);
	char *log = bt_changes_of("payment", p[0]);
	ck_assert_str_eq(log, "upsert1");
	free(log);
	log = bt_changes_of("invoice", inv);
	ck_assert_str_eq(log, "upsert1,upsert2");
	free(log);
	log = bt_changes_of("customer", cust);
	ck_assert_msg(log != NULL && strlen(log) >= 8 && strcmp(log + strlen(log) - 8, ",upsert1") == 0,
	              "%s", log);
	free(log);
	bt_free(&r);
}
END_TEST

/* The same with a pending opening balance: the rest pays it first, then becomes credit. */
START_TEST(seed_named_invoice_then_opening_balance)
{
	char cust[ID_LEN], inv[ID_LEN];
	customer_new(&owner_a, 1000, NULL, cust);
	long number = invoice_new(&owner_a, cust, 20000, "credit", 15000, inv);
	bt_expect_customer(&owner_a, cust, 1000, 0, 6000);
	bt_resp r = recorded(cust, 8000, inv, NULL);
	expect_split(&r, 1, 1000, 2000);
	expect_alloc(&r, 0, inv, number, 5000, 0, "paid");
	bt_free(&r);
	bt_expect_customer(&owner_a, cust, 0, 2000, 0);
	expect_invoice(inv, 20000, 0, "paid");
}
END_TEST

/* Invoice 1 500.00 unpaid, pending 200.00, pays 800.00: invoice paid, pending 0, credit
 * 100.00; the next 500.00 invoice then owes 400.00. */
START_TEST(seed_800_against_500_and_pending_200)
{
	char cust[ID_LEN], inv[ID_LEN], next[ID_LEN], path[200];
	customer_new(&owner_a, 20000, NULL, cust);
	long number = invoice_new(&owner_a, cust, 50000, "credit", 0, inv);
	bt_expect_customer(&owner_a, cust, 20000, 0, 70000);
	bt_resp r = recorded(cust, 80000, NULL, NULL);
	ck_assert(cJSON_IsNull(bt_at(&r, "invoice_id")));
	expect_split(&r, 1, 20000, 10000);
	expect_alloc(&r, 0, inv, number, 50000, 0, "paid");
	bt_free(&r);
	bt_expect_customer(&owner_a, cust, 0, 10000, 0);
	expect_invoice(inv, 50000, 0, "paid");

	invoice_new(&owner_a, cust, 50000, "credit", 0, next);
	snprintf(path, sizeof(path), INVOICES "/%s", next);
	r = bt_get_ok(&owner_a, path);
	ck_assert_int_eq(bt_at_int(&r, "credit_applied"), 10000);
	ck_assert_int_eq(bt_at_int(&r, "balance_due"), 40000);
	bt_free(&r);
	bt_expect_customer(&owner_a, cust, 0, 0, 40000);
}
END_TEST

/* Without a named invoice the oldest open invoices are paid first, across three of them. */
START_TEST(oldest_first_across_three_invoices)
{
	char cust[ID_LEN], inv[3][ID_LEN];
	long num[3], price[3] = {10000, 20000, 30000};
	customer_new(&owner_a, 0, NULL, cust);
	for (int i = 0; i < 3; i++)
		num[i] = invoice_new(&owner_a, cust, price[i], "credit", 0, inv[i]);
	bt_expect_customer(&owner_a, cust, 0, 0, 60000);

	bt_resp r = recorded(cust, 25000, NULL, NULL);
	expect_split(&r, 2, 0, 0);
	expect_alloc(&r, 0, inv[0], num[0], 10000, 0, "paid");
	expect_alloc(&r, 1, inv[1], num[1], 15000, 5000, "partially_paid");
	bt_free(&r);
	bt_expect_customer(&owner_a, cust, 0, 0, 35000);
	expect_invoice(inv[2], 0, 30000, "unpaid");

	r = recorded(cust, 10000, NULL, NULL);
	expect_split(&r, 2, 0, 0);
	expect_alloc(&r, 0, inv[1], num[1], 5000, 0, "paid");
	expect_alloc(&r, 1, inv[2], num[2], 5000, 25000, "partially_paid");
	bt_free(&r);
	bt_expect_customer(&owner_a, cust, 0, 0, 25000);

	r = recorded(cust, 30000, NULL, NULL);
	expect_split(&r, 1, 0, 5000);
	expect_alloc(&r, 0, inv[2], num[2], 25000, 0, "paid");
	bt_free(&r);
	bt_expect_customer(&owner_a, cust, 0, 5000, 0);
	expect_invoice(inv[0], 10000, 0, "paid");
	expect_invoice(inv[1], 20000, 0, "paid");
	expect_invoice(inv[2], 30000, 0, "paid");
	const char *p[1] = {inv[1]};
	ck_assert_int_eq(bt_super_long("SELECT version FROM invoice_balances WHERE invoice_id = $1",
	                               1, p), 3);

	/* nothing open any more: a payment is all credit */
	r = recorded(cust, 700, NULL, NULL);
	expect_split(&r, 0, 0, 700);
	bt_free(&r);
	bt_expect_customer(&owner_a, cust, 0, 5700, 0);
}
END_TEST

/* A named invoice already paid or void takes nothing: pending balance first, then credit. */
START_TEST(named_paid_invoice_takes_nothing)
{
	char cust[ID_LEN], paid_inv[ID_LEN], open_inv[ID_LEN];
	customer_new(&owner_a, 1000, NULL, cust);
	invoice_new(&owner_a, cust, 4000, "cash", 4000, paid_inv);
	invoice_new(&owner_a, cust, 9000, "credit", 0, open_inv);
	bt_resp r = recorded(cust, 3000, paid_inv, ",\"note\":\"For the cash one\"");
	expect_split(&r, 0, 1000, 2000);
	ck_assert_str_eq(bt_str(&r, "invoice_id"), paid_inv);
	ck_assert_str_eq(bt_str(&r, "note"), "For the cash one");
	bt_free(&r);
	/* the other open invoice was not touched */
	expect_invoice(open_inv, 0, 9000, "unpaid");
	expect_invoice(paid_inv, 4000, 0, "paid");
	bt_expect_customer(&owner_a, cust, 0, 2000, 9000);

	/* a void invoice takes nothing either: all credit now */
	char void_inv[ID_LEN], path[200];
	invoice_new(&owner_a, cust, 3000, "credit", 0, void_inv);
	snprintf(path, sizeof(path), INVOICES "/%s/void", void_inv);
	r = bt_json("POST", path, owner_a.access, NULL);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	bt_free(&r);
	bt_expect_customer(&owner_a, cust, 0, 2000, 9000);
	r = recorded(cust, 500, void_inv, NULL);
	expect_split(&r, 0, 0, 500);
	bt_free(&r);
	expect_invoice(void_inv, 0, 0, "void");
	expect_invoice(open_inv, 0, 9000, "unpaid");
	bt_expect_customer(&owner_a, cust, 0, 2500, 9000);

	/* the history counts the void invoice as a visit, not in the amounts */
	snprintf(path, sizeof(path), CUSTOMERS "/%s/history", cust);
	r = bt_get_ok(&owner_a, path);
	expect_totals(&r, 2, 13000, 7500, 2, 6500, 9000, 2500);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 5);
	ck_assert_str_eq(bt_at_str(&r, "items.1.id"), void_inv);
	ck_assert_str_eq(bt_at_str(&r, "items.1.status"), "void");
	ck_assert_str_eq(bt_at_str(&r, "totals.last_visit"), bt_at_str(&r, "items.1.at"));
	bt_free(&r);
}
END_TEST

/* ---- history */

/* One page of history as owner A; asserts 200. */
static bt_resp
history(const char *base, const char *query)
{
	char path[512];
	snprintf(path, sizeof(path), "%s%s", base, query ? query : "");
	return bt_get_ok(&owner_a, path);
}

static void
expect_totals(const bt_resp *r, long count, long invoiced, long paid, long payments, long avg,
              long debt, long credit)
{
	ck_assert_msg(bt_at_int(r, "totals.invoice_count") == count &&
	              bt_at_int(r, "totals.invoiced") == invoiced &&
	              bt_at_int(r, "totals.paid") == paid &&
	              bt_at_int(r, "totals.payment_count") == payments &&
	              bt_at_int(r, "totals.average_basket") == avg &&
	              bt_at_int(r, "totals.open_debt") == debt &&
	              bt_at_int(r, "totals.credit_balance") == credit, "totals: %s", r->body);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(r, "totals")), 8);
}

/* Items i.. of a page are these ids and types, in order. */
static void
expect_items(const bt_resp *r, int n, const char *const *ids, const char *const *types)
{
	char k[64];
	ck_assert_msg(cJSON_GetArraySize(bt_at(r, "items")) == n, "%s", r->body);
	for (int i = 0; i < n; i++) {
		snprintf(k, sizeof(k), "items.%d.id", i);
		ck_assert_str_eq(bt_at_str(r, k), ids[i]);
		snprintf(k, sizeof(k), "items.%d.type", i);
		ck_assert_str_eq(bt_at_str(r, k), types[i]);
	}
}

/* Invoices and payments newest first, paged, with exact totals; by id and by phone. */
START_TEST(history_totals_and_pages)
{
	char cust[ID_LEN], inv[3][ID_LEN], pays[2][ID_LEN], base[200], phone[BT_PHONE_LEN], q[300];
	bt_phone_new(phone);
	customer_new(&owner_a, 0, phone, cust);
	snprintf(base, sizeof(base), CUSTOMERS "/%s/history", cust);
	bt_resp r = history(base, NULL);
	expect_totals(&r, 0, 0, 0, 0, 0, 0, 0);
	ck_assert(cJSON_IsNull(bt_at(&r, "totals.last_visit")));
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 0);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	ck_assert_str_eq(bt_at_str(&r, "customer.id"), cust);
	bt_free(&r);

	long n0 = invoice_new(&owner_a, cust, 10000, "credit", 2500, inv[0]);
	invoice_new(&owner_a, cust, 10001, "credit", 0, inv[1]);
	invoice_new(&owner_a, cust, 10001, "cash", 10001, inv[2]);
	bt_pay_ok(&owner_a, cust, 5000, NULL, pays[0]);
	bt_pay_ok(&owner_a, cust, 3000, NULL, pays[1]);

	/* 30002 / 3 = 10000.67 -> 10001; paid 2500 + 10001 at sale + 8000 later */
	r = history(base, "?limit=2");
	expect_totals(&r, 3, 30002, 20501, 2, 10001, 9501, 0);
	const char *ids1[2] = {pays[1], pays[0]}, *t1[2] = {"payment", "payment"};
	expect_items(&r, 2, ids1, t1);
	ck_assert_int_eq(bt_at_int(&r, "items.0.amount"), 3000);
	ck_assert_str_eq(bt_at_str(&r, "items.0.method"), "cash");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items.0")), 5);
	ck_assert_str_eq(bt_at_str(&r, "customer.phone"), phone);
	char first_page[8192];
	snprintf(first_page, sizeof(first_page), "%s", r.body);
	snprintf(q, sizeof(q), "?limit=2&cursor=%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);

	r = history(base, q);
	const char *ids2[2] = {inv[2], inv[1]}, *t2[2] = {"invoice", "invoice"};
	expect_items(&r, 2, ids2, t2);
	ck_assert_int_eq(bt_at_int(&r, "items.1.total"), 10001);
	ck_assert_int_eq(bt_at_int(&r, "items.1.paid"), 500);
	ck_assert_int_eq(bt_at_int(&r, "items.1.balance_due"), 9501);
	ck_assert_str_eq(bt_at_str(&r, "items.1.status"), "partially_paid");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items.1")), 8);
	expect_totals(&r, 3, 30002, 20501, 2, 10001, 9501, 0);
	snprintf(q, sizeof(q), "?limit=2&cursor=%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);

	r = history(base, q);
	const char *ids3[1] = {inv[0]}, *t3[1] = {"invoice"};
	expect_items(&r, 1, ids3, t3);
	ck_assert_int_eq(bt_at_int(&r, "items.0.number"), n0);
	ck_assert_int_eq(bt_at_int(&r, "items.0.paid"), 10000);
	ck_assert_str_eq(bt_at_str(&r, "items.0.status"), "paid");
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);

	/* last visit: the newest invoice's issue time */
	snprintf(q, sizeof(q), INVOICES "/%s", inv[2]);
	bt_resp i = bt_json("GET", q, owner_a.access, NULL);
	r = history(base, NULL);
	ck_assert_str_eq(bt_at_str(&r, "totals.last_visit"), bt_at_str(&i, "issued_at"));
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 5);
	bt_free(&i);
	bt_free(&r);

	/* by phone, in its national form: the same answer */
	snprintf(base, sizeof(base), CUSTOMERS "/by-phone/0%s/history", phone + 3);
	r = history(base, "?limit=2");
	ck_assert_str_eq(r.body, first_page);
	bt_free(&r);
}
END_TEST

/* Unknown, deleted and other businesses' customers are not found; bad pages are refused. */
START_TEST(history_not_found_and_bad_pages)
{
	char cust_b[ID_LEN], gone[ID_LEN], path[300], phone[BT_PHONE_LEN];
	bt_phone_new(phone);
	customer_new(&owner_b, 0, phone, cust_b);
	customer_new(&owner_a, 0, NULL, gone);
	bt_customer_delete(&owner_a, gone);
	const char *missing[4] = {cust_b, gone, "00000000-0000-7000-8000-000000000000", "not-a-uuid"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), CUSTOMERS "/%s/history", missing[i]);
		bt_expect_problem(bt_json("GET", path, owner_a.access, NULL), 404, "not_found");
	}
	snprintf(path, sizeof(path), CUSTOMERS "/by-phone/%s/history", phone);
	bt_expect_problem(bt_json("GET", path, owner_a.access, NULL), 404, "not_found");
	bt_expect_field(bt_json("GET", CUSTOMERS "/by-phone/12/history", owner_a.access, NULL),
	                "phone", "invalid_phone");
	snprintf(path, sizeof(path), CUSTOMERS "/%s/history?limit=0", cust_b);
	bt_expect_field(bt_json("GET", path, owner_b.access, NULL), "limit", "invalid_number");
	snprintf(path, sizeof(path), CUSTOMERS "/%s/history?cursor=abc", cust_b);
	bt_expect_field(bt_json("GET", path, owner_b.access, NULL), "cursor", "invalid_cursor");
	snprintf(path, sizeof(path), CUSTOMERS "/%s/history?sort=asc", cust_b);
	bt_expect_field(bt_json("GET", path, owner_b.access, NULL), "sort", "unknown_parameter");
}
END_TEST

/* ---- bad input and tenancy */

/* Each bad body is refused with its field error and changes nothing. */
START_TEST(bad_input_changes_nothing)
{
	char cust[ID_LEN], inv[ID_LEN], other[ID_LEN], other_inv[ID_LEN], body[512];
	char cust_b[ID_LEN], inv_b[ID_LEN], gone[ID_LEN];
	customer_new(&owner_a, 700, NULL, cust);
	invoice_new(&owner_a, cust, 9000, "credit", 1000, inv);
	customer_new(&owner_a, 0, NULL, other);
	invoice_new(&owner_a, other, 5000, "credit", 0, other_inv);
	customer_new(&owner_b, 0, NULL, cust_b);
	invoice_new(&owner_b, cust_b, 5000, "credit", 0, inv_b);
	customer_new(&owner_a, 0, NULL, gone);
	bt_customer_delete(&owner_a, gone);
	const char *nobody = "01890000-0000-7000-8000-000000000000";
	/* @P: the customer; @S: the record of the case */
	struct {
		const char *tmpl, *s, *field, *code;
	} bad[] = {
		{"{\"customer_id\":\"@P\",\"amount\":0,\"method\":\"cash\"}", "", "amount", "too_small"},
		{"{\"customer_id\":\"@P\",\"amount\":-100,\"method\":\"cash\"}", "", "amount", "too_small"},
		{"{\"customer_id\":\"@P\",\"amount\":1000000000000001,\"method\":\"cash\"}", "", "amount",
		 "too_large"},
		{"{\"customer_id\":\"@P\",\"amount\":1.5,\"method\":\"cash\"}", "", "amount", "must_be_integer"},
		{"{\"customer_id\":\"@P\",\"amount\":\"100\",\"method\":\"cash\"}", "", "amount",
		 "must_be_integer"},
		{"{\"customer_id\":\"@P\",\"method\":\"cash\"}", "", "amount", "required"},
		{"{\"customer_id\":\"@P\",\"amount\":100,\"method\":\"card\"}", "", "method", "invalid_choice"},
		{"{\"customer_id\":\"@P\",\"amount\":100,\"method\":\"cash\",\"tip\":1}", "", "tip",
		 "unknown_field"},
		{"{\"customer_id\":\"@P\",\"amount\":100,\"method\":\"cash\",\"note\":\"\"}", "", "note",
		 "required"},
		{"{\"customer_id\":\"@P\",\"amount\":100,\"method\":\"cash\",\"invoice_id\":\"x\"}", "",
		 "invoice_id", "invalid_uuid"},
		{"{\"amount\":100,\"method\":\"cash\"}", "", "customer_id", "required"},
		/* another business's customer, a deleted one, none at all */
		{"{\"customer_id\":\"@S\",\"amount\":100,\"method\":\"cash\"}", cust_b, "customer_id",
		 "unknown_customer"},
		{"{\"customer_id\":\"@S\",\"amount\":100,\"method\":\"cash\"}", gone, "customer_id",
		 "unknown_customer"},
		{"{\"customer_id\":\"@S\",\"amount\":100,\"method\":\"cash\"}", nobody, "customer_id",
		 "unknown_customer"},
		/* another business's invoice, another customer's, none at all */
		{"{\"customer_id\":\"@P\",\"amount\":100,\"method\":\"cash\",\"invoice_id\":\"@S\"}", inv_b,
		 "invoice_id", "unknown_invoice"},
		{"{\"customer_id\":\"@P\",\"amount\":100,\"method\":\"cash\",\"invoice_id\":\"@S\"}",
		 other_inv, "invoice_id", "unknown_invoice"},
		{"{\"customer_id\":\"@P\",\"amount\":100,\"method\":\"cash\",\"invoice_id\":\"@S\"}", nobody,
		 "invoice_id", "unknown_invoice"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bt_fill_template(body, sizeof(body), bad[i].tmpl, cust, bad[i].s);
		bt_resp r = bt_json("POST", PAYMENTS, owner_a.access, body);
		ck_assert_msg(r.status == 422, "%s: %ld %s", body, r.status, r.body);
		bt_assert_field(&r, bad[i].field, bad[i].code);
		bt_free(&r);
	}
	ck_assert_int_eq(payments_of(cust), 0);
	bt_expect_customer(&owner_a, cust, 700, 0, 8700);
	expect_invoice(inv, 1000, 8000, "partially_paid");
	expect_invoice(other_inv, 0, 5000, "unpaid");
	const char *p[1] = {owner_b.business_id}, *q[1] = {cust_b};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM payments WHERE business_id = $1", 1, p), 0);
	ck_assert_int_eq(bt_super_long("SELECT invoice_due FROM customers WHERE id = $1", 1, q), 5000);

	/* 10^15 itself is a payment: all of it credit for a customer who owes nothing */
	char rich[ID_LEN];
	customer_new(&owner_a, 0, NULL, rich);
	bt_resp r = recorded(rich, 1000000000000000L, NULL, NULL);
	ck_assert(bt_at_num(&r, "credit_added") == 1e15);
	bt_free(&r);
	const char *pr[1] = {rich};
	char *credit = bt_super_value("SELECT credit_balance::text FROM customers WHERE id = $1", 1, pr);
	ck_assert_str_eq(credit, "1000000000000000");
	free(credit);
}
END_TEST

/* Another business's payments and customers are not found; B sees nothing of A's. */
START_TEST(other_business_is_not_found)
{
	char cust[ID_LEN], pid[ID_LEN], path[200];
	customer_new(&owner_a, 500, NULL, cust);
	bt_pay_ok(&owner_a, cust, 500, NULL, pid);
	snprintf(path, sizeof(path), PAYMENTS "/%s", pid);
	bt_expect_problem(bt_json("GET", path, owner_b.access, NULL), 404, "not_found");
	bt_expect_problem(bt_json("GET", PAYMENTS "/not-a-uuid", owner_a.access, NULL),
	                  404, "not_found");
	snprintf(path, sizeof(path), PAYMENTS "?customer_id=%s", cust);
	bt_expect_problem(bt_json("GET", path, owner_b.access, NULL), 404, "not_found");
	bt_resp r = bt_get_ok(&owner_b, PAYMENTS);
	ck_assert(!bt_list_has(&r, pid));
	bt_free(&r);
	bt_expect_field(bt_json("GET", PAYMENTS "?customer_id=zzz", owner_a.access, NULL),
	                "customer_id", "invalid_uuid");
	/* B paying A's customer: unknown to B, nothing changes for A */
	bt_expect_field(bt_pay(&owner_b, cust, 100, NULL, NULL), "customer_id", "unknown_customer");
	bt_expect_customer(&owner_a, cust, 0, 0, 0);
	ck_assert_int_eq(payments_of(cust), 1);
}
END_TEST

/* ---- retries */

/* An Idempotency-Key replays the same answer; a client id names one payment for good. */
START_TEST(retries_are_no_ops)
{
	char cust[ID_LEN], inv[ID_LEN], key[80], first[4096], body[300], id[ID_LEN], path[200];
	customer_new(&owner_a, 0, NULL, cust);
	invoice_new(&owner_a, cust, 6000, "credit", 0, inv);
	snprintf(key, sizeof(key), "Idempotency-Key: payment-%ld-%d", (long)time(NULL), rand());
	const char *extra[2] = {key, NULL};
	snprintf(body, sizeof(body), "{\"customer_id\":\"%s\",\"amount\":4000,\"method\":\"bank\"}", cust);
	bt_resp r = bt_jsonx("POST", PAYMENTS, owner_a.access, extra, body);
	ck_assert_int_eq(r.status, 201);
	snprintf(first, sizeof(first), "%s", r.body);
	bt_free(&r);
	bt_expect_body(bt_jsonx("POST", PAYMENTS, owner_a.access, extra, body), 201, first);
	bt_expect_problem(bt_jsonx("POST", PAYMENTS, owner_a.access, extra,
	                           "{\"customer_id\":\"00000000-0000-7000-8000-000000000001\","
	                           "\"amount\":1,\"method\":\"cash\"}"),
	                  422, "idempotency_key_reused");
	ck_assert_int_eq(payments_of(cust), 1);
	bt_expect_customer(&owner_a, cust, 0, 0, 2000);

	/* a client id: the retry answers 200 with the stored payment, even with another body */
	bahi_uuid_v7(id);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"customer_id\":\"%s\",\"amount\":1500,"
	         "\"method\":\"cash\",\"invoice_id\":\"%s\"}", id, cust, inv);
	r = bt_json("POST", PAYMENTS, owner_a.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "id"), id);
	snprintf(first, sizeof(first), "%s", r.body);
	bt_free(&r);
	for (int i = 0; i < 2; i++) {
		if (i == 1)
			snprintf(body, sizeof(body), "{\"id\":\"%s\",\"customer_id\":\"%s\",\"amount\":99,"
			         "\"method\":\"bank\"}", id, cust);
		bt_expect_body(bt_json("POST", PAYMENTS, owner_a.access, body), 200, first);
	}
	snprintf(path, sizeof(path), PAYMENTS "/%s", id);
	bt_expect_body(bt_json("GET", path, owner_a.access, NULL), 200, first);
	ck_assert_int_eq(payments_of(cust), 2);
	bt_expect_customer(&owner_a, cust, 0, 0, 500);
	expect_invoice(inv, 5500, 500, "partially_paid");
}
END_TEST

/* ---- lists and roles */

/* Newest first in pages; per customer or all; clerks record and read payments. */
START_TEST(list_pages_and_clerks)
{
	char cust[ID_LEN], other[ID_LEN], pid[5][ID_LEN], path[300], seen[1024] = "";
	customer_new(&owner_a, 0, NULL, cust);
	customer_new(&owner_a, 0, NULL, other);
	for (int i = 0; i < 4; i++)
		bt_pay_ok(&owner_a, cust, 100 + i, NULL, pid[i]);
	bt_resp r = bt_pay(&clerk_a, other, 50, NULL, NULL);
	ck_assert_int_eq(r.status, 201);
	snprintf(pid[4], ID_LEN, "%s", bt_str(&r, "id"));
	bt_free(&r);

	snprintf(path, sizeof(path), PAYMENTS "?customer_id=%s&limit=3", cust);
	r = bt_get_ok(&clerk_a, path);
	bt_list_ids(&r, seen, sizeof(seen));
	ck_assert_int_eq(bt_at_int(&r, "items.0.amount"), 103);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items.0")), 11);
	snprintf(path, sizeof(path), PAYMENTS "?customer_id=%s&limit=3&cursor=%s", cust,
	         bt_at_str(&r, "next_cursor"));
	bt_free(&r);
	r = bt_get_ok(&owner_a, path);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_list_ids_append(&r, seen, sizeof(seen));
	bt_free(&r);
	char expect[1024];
	snprintf(expect, sizeof(expect), "%s,%s,%s,%s", pid[3], pid[2], pid[1], pid[0]);
	ck_assert_str_eq(seen, expect);

	r = bt_get_ok(&owner_a, PAYMENTS "?limit=2");
	seen[0] = '\0';
	bt_list_ids(&r, seen, sizeof(seen));
	snprintf(expect, sizeof(expect), "%s,%s", pid[4], pid[3]);
	ck_assert_str_eq(seen, expect);
	ck_assert_ptr_nonnull(bt_at_str(&r, "next_cursor"));
	bt_free(&r);
	bt_expect_field(bt_json("GET", PAYMENTS "?limit=201", owner_a.access, NULL),
	                "limit", "invalid_number");
}
END_TEST

/* ---- concurrency */

#define PAYERS 8
#define PAYS_EACH 5

typedef struct payer_job {
	const char *customer;
	long created, other;
	char first_other[512];
} payer_job;

static void *
payer_thread(void *arg)
{
	payer_job *j = arg;
	for (int i = 0; i < PAYS_EACH; i++) {
		bt_resp r = bt_pay(&owner_a, j->customer, 1000, NULL, NULL);
		if (r.status == 201)
			j->created++;
		else if (j->other++ == 0)
			snprintf(j->first_other, sizeof(j->first_other), "%ld %s", r.status, r.body);
		bt_free(&r);
	}
	return NULL;
}

/* 40 payments of 10.00 at once on one customer's three invoices and pending balance:
 * every one recorded, the money split exactly, no deadlock. */
START_TEST(concurrent_payments_add_up)
{
	char cust[ID_LEN], inv[3][ID_LEN];
	customer_new(&owner_a, 5000, NULL, cust);
	invoice_new(&owner_a, cust, 12000, "credit", 0, inv[0]);
	invoice_new(&owner_a, cust, 9000, "credit", 500, inv[1]);
	invoice_new(&owner_a, cust, 7000, "credit", 0, inv[2]);
	payer_job jobs[PAYERS];
	pthread_t t[PAYERS];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < PAYERS; i++) {
		jobs[i].customer = cust;
		pthread_create(&t[i], NULL, payer_thread, &jobs[i]);
	}
	long created = 0;
	for (int i = 0; i < PAYERS; i++) {
		pthread_join(t[i], NULL);
		ck_assert_msg(jobs[i].other == 0, "payer %d: %s", i, jobs[i].first_other);
		created += jobs[i].created;
	}
	ck_assert_int_eq(created, PAYERS * PAYS_EACH);
	/* 40000 in: 27500 to the invoices, 5000 off the pending balance, 7500 credit */
	bt_expect_customer(&owner_a, cust, 0, 7500, 0);
	expect_invoice(inv[0], 12000, 0, "paid");
	expect_invoice(inv[1], 9000, 0, "paid");
	expect_invoice(inv[2], 7000, 0, "paid");
	const char *p[1] = {cust};
	char *sums = bt_super_value("SELECT sum(applied_to_invoices) || '/' ||"
	                            " sum(opening_balance_reduced) || '/' || sum(credit_added)"
	                            " FROM payments WHERE customer_id = $1", 1, p);
	ck_assert_str_eq(sums, "27500/5000/7500");
	free(sums);
}
END_TEST

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
	bt_product_stocked(&owner_a, "Brake pad", 10000, 6000, 100000, product_a);
	bt_product_stocked(&owner_b, "Fuse", 10000, 6000, 100000, product_b);
}

int
main(void)
{
	bt_start();
	Suite *s = suite_create("payments");
	TCase *t = tcase_create("payments");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, seed_named_invoice_overpaid);
	tcase_add_test(t, seed_named_invoice_then_opening_balance);
	tcase_add_test(t, seed_800_against_500_and_pending_200);
	tcase_add_test(t, oldest_first_across_three_invoices);
	tcase_add_test(t, named_paid_invoice_takes_nothing);
	tcase_add_test(t, history_totals_and_pages);
	tcase_add_test(t, history_not_found_and_bad_pages);
	tcase_add_test(t, bad_input_changes_nothing);
	tcase_add_test(t, other_business_is_not_found);
	tcase_add_test(t, retries_are_no_ops);
	tcase_add_test(t, list_pages_and_clerks);
	tcase_add_test(t, concurrent_payments_add_up);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
