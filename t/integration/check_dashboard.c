/* check_dashboard: bahi_dashboard_read against sales made through the API in a business far from UTC (revenue and its cash/credit split, voids and returns, open debt, top customers, categories and their remainder, low stock, red debts, recent invoices, tenancy). */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bahi_dashboard.h"
#include "bahi_db.h"
#include "bahi_req.h"
#include "bahi_worker.h"
#include "harness.h"

#define ID_LEN (BAHI_UUID_LEN + 1)

static const bahi_worker_def test_def = {.name = "check_dashboard"};

/* A: the shop with the sales; B: a shop with none. */
static bt_session owner_a, owner_b;
/* A time zone whose local date differs from the UTC date right now (main). */
static const char *far_tz;

/* A's records (made once by setup). */
static char c_tools[ID_LEN], c_electric[ID_LEN], c_small[9][ID_LEN];
static char p_bolt[ID_LEN], p_cable[ID_LEN], p_lamp[ID_LEN], p_fuse[ID_LEN], p_wire[ID_LEN];
static char p_small[9][ID_LEN];
static char cu_ayesha[ID_LEN], cu_bilal[ID_LEN], cu_chand[ID_LEN];
enum { INVOICES = 9 };
static char inv[INVOICES + 1][ID_LEN];   /* inv[1..9] */
/* The local dates today and yesterday, and whether yesterday is
 * in this month. */
static char today[16], yesterday[16];
static int yesterday_this_month;

/* ---- set-up helpers */

/* The date in time zone tz now plus days, as YYYY-MM-DD. */
static void
local_date(const char *tz, int days, char out[16])
{
	char d[16];
	snprintf(d, sizeof(d), "%d", days);
	const char *p[2] = {tz, d};
	char *v = bt_super_value("SELECT ((now() AT TIME ZONE $1)::date + $2::int)::text", 2, p);
	ck_assert_ptr_nonnull(v);
	snprintf(out, 16, "%s", v);
	free(v);
}

/* A category of A. */
static void
category(const char *name, const char *prefix, char out[ID_LEN])
{
	char body[128];
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"sku_prefix\":\"%s\"}", name, prefix);
	bt_create(&owner_a, "/api/v1/categories", body, out);
}

/* A product of A in category cat (NULL: none) with min_stock, and stock
 * (JSON text, "0": none) taken in. */
static void
product(const char *name, const char *cat, long price, const char *min_stock, const char *stock,
        char out[ID_LEN])
{
	char body[256], cat_member[80] = "";
	if (cat != NULL)
		snprintf(cat_member, sizeof(cat_member), ",\"category_id\":\"%s\"", cat);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"price\":%ld,\"cost\":%ld,\"min_stock\":%s%s}",
	         name, price, price / 2, min_stock, cat_member);
	bt_create(&owner_a, "/api/v1/products", body, out);
	if (strcmp(stock, "0") == 0)
		return;
	char mv[ID_LEN];
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"kind\":\"in\",\"qty\":%s}", out, stock);
	bt_create(&owner_a, "/api/v1/stock/movements", body, mv);
}

/* An invoice of A: lines (JSON array text), customer (NULL: walk-in), mode,
 * paid, no tax; asserts its number (A's invoices are numbered 1, 2...). */
static void
sale(int n, const char *customer, const char *lines, const char *mode, long paid)
{
	char body[1024], cust[80] = "";
	if (customer != NULL)
		snprintf(cust, sizeof(cust), "\"customer_id\":\"%s\",", customer);
	snprintf(body, sizeof(body), "{%s\"lines\":%s,\"tax_rate_bp\":0,\"payment_mode\":\"%s\","
	         "\"paid_amount\":%ld}", cust, lines, mode, paid);
	bt_resp r = bt_invoice_issue(&owner_a, body, inv[n]);
	ck_assert_int_eq(bt_at_int(&r, "number"), n);
	bt_free(&r);
}

/* One line of qty of product. */
static const char *
line(const char *product, int qty)
{
	static char buf[4][160];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "[{\"product_id\":\"%s\",\"qty\":%d}]", product, qty);
	return buf[k];
}

/* Moves invoice n's issue (and due) date `days` into the past, or only its
 * due date when due_only; invoices are immutable, so as the superuser with
 * triggers off (bt_super_replica), as check_debts does. */
static void
move_back(int n, int days, int due_only)
{
	char d[16];
	snprintf(d, sizeof(d), "%d", days);
	const char *p[3] = {owner_a.business_id, inv[n], d};
	static const char *const dates[2] = {
		"UPDATE invoices SET issued_on = issued_on - $3::int, due_date = due_date - $3::int,"
		" issued_at = issued_at - $3::int * interval '1 day' WHERE business_id = $1 AND id = $2",
		"UPDATE invoice_balances SET issued_on = issued_on - $3::int,"
		" due_date = due_date - $3::int WHERE business_id = $1 AND invoice_id = $2",
	};
	static const char *const due[2] = {
		"UPDATE invoices SET due_date = due_date - $3::int WHERE business_id = $1 AND id = $2",
		"UPDATE invoice_balances SET due_date = due_date - $3::int"
		" WHERE business_id = $1 AND invoice_id = $2",
	};
	bt_super_replica(due_only ? due : dates, 2, 3, p);
}

/* A's catalog: Bolt (Tools, 100 in stock), Cable (Electric, 6), Lamp (no
 * category, 10), Fuse (Electric, none: low), Wire (Tools, 2.5 of minimum 3:
 * low), and Small 1..9, each in a category of its own, 10 in stock. */
static void
setup_catalog(void)
{
	category("Tools", "TL", c_tools);
	category("Electric", "EL", c_electric);
	product("Bolt", c_tools, 1000, "5", "100", p_bolt);
	product("Cable", c_electric, 2500, "5", "6", p_cable);
	product("Lamp", NULL, 4000, "5", "10", p_lamp);
	product("Fuse", c_electric, 150, "5", "0", p_fuse);
	product("Wire", c_tools, 300, "3", "2.5", p_wire);
	for (int k = 0; k < 9; k++) {
		char name[32], prefix[8];
		snprintf(name, sizeof(name), "Small %d", k + 1);
		snprintf(prefix, sizeof(prefix), "S%d", k + 1);
		category(name, prefix, c_small[k]);
		product(name, c_small[k], 100L * (k + 1), "5", "10", p_small[k]);
	}
}

/* A's sales, all without tax:
 *   1 cash, walk-in: 2 Bolt 2000           6 credit, Ayesha: 2 Bolt 2000 (term 15),
 *   2 cash, Ayesha: 1 Lamp 4000              1 Bolt returned (1000)
 *   3 credit, Ayesha: 2 Cable 5000, 1000   7 cash, Chand: 1 Lamp 4000, yesterday
 *     paid (term 2: red, 2 days left)      8 cash, Chand: 5 Bolt 5000, 40 days ago
 *   4 credit, Bilal: 3 Bolt 3000 (term 0;  9 cash, walk-in: 1 of each Small,
 *     due date moved 3 days back:            100 + 200 + ... + 900 = 4500
 *     overdue by 3), 1000 paid later
 *   5 cash, Bilal: 1 Bolt 1000, voided
 * Chand also owes an opening balance of 5000. */
static void
setup_sales(void)
{
	bt_create(&owner_a, "/api/v1/customers", "{\"name\":\"Ayesha\"}", cu_ayesha);
	bt_create(&owner_a, "/api/v1/customers", "{\"name\":\"Bilal\"}", cu_bilal);
	bt_create(&owner_a, "/api/v1/customers", "{\"name\":\"Chand\",\"opening_balance\":5000}",
	          cu_chand);
	sale(1, NULL, line(p_bolt, 2), "cash", 2000);
	sale(2, cu_ayesha, line(p_lamp, 1), "cash", 4000);
	bt_business_set(&owner_a, "{\"credit_term_days\":2}");
	sale(3, cu_ayesha, line(p_cable, 2), "credit", 1000);
	bt_business_set(&owner_a, "{\"credit_term_days\":0}");
	sale(4, cu_bilal, line(p_bolt, 3), "credit", 0);
	sale(5, cu_bilal, line(p_bolt, 1), "cash", 1000);
	bt_business_set(&owner_a, "{\"credit_term_days\":15}");
	sale(6, cu_ayesha, line(p_bolt, 2), "credit", 0);
	sale(7, cu_chand, line(p_lamp, 1), "cash", 4000);
	sale(8, cu_chand, line(p_bolt, 5), "cash", 5000);
	char lines[2048] = "[";
	for (int k = 0; k < 9; k++) {
		size_t n = strlen(lines);
		snprintf(lines + n, sizeof(lines) - n, "%s{\"product_id\":\"%s\",\"qty\":1}",
		         k ? "," : "", p_small[k]);
	}
	size_t n = strlen(lines);
	snprintf(lines + n, sizeof(lines) - n, "]");
	sale(9, NULL, lines, "cash", 4500);
	char path[128], id[ID_LEN], body[256];
	snprintf(path, sizeof(path), "/api/v1/invoices/%s/void", inv[5]);
	bt_resp r = bt_json("POST", path, owner_a.access, "{}");
	ck_assert_msg(r.status == 200, "void: %ld %s", r.status, r.body);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/invoices/%s/credit-notes", inv[6]);
	snprintf(body, sizeof(body), "{\"lines\":%s}", line(p_bolt, 1));
	bt_create(&owner_a, path, body, id);
	bt_pay_ok(&owner_a, cu_bilal, 1000, inv[4], NULL);
	move_back(7, 1, 0);
	move_back(8, 40, 0);
	move_back(4, 3, 1);
}

static void
setup(void)
{
	bt_signup(&owner_a);
	bt_signup(&owner_b);
	char body[128];
	snprintf(body, sizeof(body), "{\"timezone\":\"%s\"}", far_tz);
	bt_business_set(&owner_a, body);
	setup_catalog();
	setup_sales();
	local_date(far_tz, 0, today);
	local_date(far_tz, -1, yesterday);
	yesterday_this_month = strncmp(today, yesterday, 7) == 0;
}

/* ---- the dashboard, read as the admin worker would: in a transaction
 * scoped to the business */

static bahi_req req;

static void
read_dashboard(const char *business, bahi_dashboard *d)
{
	bahi_db_init(bt_get()->app_url);
	bahi_req_local(&req, &test_def);
	req.auth.business_id = business;
	ck_assert_int_eq(bahi_tx_begin(&req, business), 0);
	int rc = bahi_dashboard_read(&req, d);
	ck_assert_msg(rc == 0, "dashboard: %s %s", req.problem.code ? req.problem.code : "-",
	              req.problem.detail ? req.problem.detail : "-");
	ck_assert_int_eq(bahi_tx_commit(&req), 0);
}

static void
read_done(void)
{
	bahi_req_local_free(&req);
	bahi_db_close();
}

/* Revenue today and this month, split by payment mode: voided sale 5
 * counts nothing, sale 6 what is left after its return; sale 7 (yesterday)
 * counts in the month when yesterday is in it; sale 8 (40 days ago) never. */
START_TEST(revenue_by_day_and_mode)
{
	bahi_dashboard d;
	read_dashboard(owner_a.business_id, &d);
	ck_assert_str_eq(d.today_text, today);
	ck_assert_int_eq(d.revenue_today.cash, 2000 + 4000 + 4500);
	ck_assert_int_eq(d.revenue_today.credit, 5000 + 3000 + 1000);
	ck_assert_int_eq(d.revenue_month.cash, 10500 + (yesterday_this_month ? 4000 : 0));
	ck_assert_int_eq(d.revenue_month.credit, 9000);
	/* the 14 days, oldest first */
	for (int i = 0; i < BAHI_DASH_DAYS; i++) {
		char want[16];
		local_date(far_tz, i - 13, want);
		ck_assert_str_eq(d.days[i].date_text, want);
		ck_assert_int_eq(d.days[i].revenue, i == 13 ? 19500 : i == 12 ? 4000 : 0);
	}
	ck_assert_str_eq(d.days[12].date_text, yesterday);
	read_done();
}
END_TEST

/* Open debt: Ayesha 4000 + 1000, Bilal 3000 - 1000 paid, Chand's opening
 * 5000; the counts; the low-stock list, lowest first. */
START_TEST(debt_counts_and_low_stock)
{
	bahi_dashboard d;
	read_dashboard(owner_a.business_id, &d);
	ck_assert_int_eq(d.open_debt, 5000 + 2000 + 5000);
	ck_assert_int_eq(d.debtors, 3);
	ck_assert_int_eq(d.customers, 3);
	ck_assert_int_eq(d.products, 14);
	ck_assert_int_eq(d.low_count, 3);
	ck_assert_int_eq(d.nlow, 3);
	static const char *const names[3] = {"Fuse", "Wire", "Cable"};
	static const char *const stock[3] = {"0", "2.5", "4"};
	static const char *const min[3] = {"5", "3", "5"};
	const char *ids[3] = {p_fuse, p_wire, p_cable};
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(d.low[i].id, ids[i]);
		ck_assert_str_eq(d.low[i].name, names[i]);
		ck_assert_str_eq(d.low[i].stock, stock[i]);
		ck_assert_str_eq(d.low[i].threshold, min[i]);
	}
	read_done();
}
END_TEST

/* The last 30 days by customer: Ayesha 4000 + 5000 + 1000, Chand 4000
 * (sale 8 is older), Bilal 3000 (sale 5 was voided); walk-ins not at all. */
START_TEST(top_customers)
{
	bahi_dashboard d;
	read_dashboard(owner_a.business_id, &d);
	ck_assert_int_eq(d.ntop, 3);
	ck_assert_str_eq(d.top[0].id, cu_ayesha);
	ck_assert_str_eq(d.top[0].name, "Ayesha");
	ck_assert_int_eq(d.top[0].total, 10000);
	ck_assert_str_eq(d.top[1].id, cu_chand);
	ck_assert_str_eq(d.top[1].name, "Chand");
	ck_assert_int_eq(d.top[1].total, 4000);
	ck_assert_str_eq(d.top[2].id, cu_bilal);
	ck_assert_int_eq(d.top[2].total, 3000);
	read_done();
}
END_TEST

/* This month by category: Tools 2000 + 3000 + (2000 - 1000 returned),
 * Electric 5000, no category 4000 (Lamp; 8000 with yesterday's), Small 9..5;
 * Small 4..1 (400 + 300 + 200 + 100) are the remainder. */
START_TEST(sales_by_category)
{
	bahi_dashboard d;
	read_dashboard(owner_a.business_id, &d);
	ck_assert_int_eq(d.ncategories, 8);
	int k = 0;
	if (yesterday_this_month) {
		ck_assert_ptr_null(d.categories[k].id);
		ck_assert_ptr_null(d.categories[k].name);
		ck_assert_int_eq(d.categories[k++].total, 8000);
	}
	ck_assert_str_eq(d.categories[k].id, c_tools);
	ck_assert_str_eq(d.categories[k].name, "Tools");
	ck_assert_int_eq(d.categories[k++].total, 6000);
	ck_assert_str_eq(d.categories[k].id, c_electric);
	ck_assert_str_eq(d.categories[k].name, "Electric");
	ck_assert_int_eq(d.categories[k++].total, 5000);
	if (!yesterday_this_month) {
		ck_assert_ptr_null(d.categories[k].id);
		ck_assert_ptr_null(d.categories[k].name);
		ck_assert_int_eq(d.categories[k++].total, 4000);
	}
	for (int s = 9; k < 8; k++, s--) {
		char name[32];
		snprintf(name, sizeof(name), "Small %d", s);
		ck_assert_str_eq(d.categories[k].id, c_small[s - 1]);
		ck_assert_str_eq(d.categories[k].name, name);
		ck_assert_int_eq(d.categories[k].total, 100L * s);
	}
	ck_assert_int_eq(d.nother, 4);
	ck_assert_int_eq(d.other_total, 400 + 300 + 200 + 100);
	read_done();
}
END_TEST

/* Debts turning red: sale 4 overdue by 3 days (2000 left), sale 3 due in 2
 * (4000 left); sale 6 (due in 15) is not. */
START_TEST(red_debts)
{
	bahi_dashboard d;
	read_dashboard(owner_a.business_id, &d);
	char due4[16], due3[16];
	local_date(far_tz, -3, due4);
	local_date(far_tz, 2, due3);
	ck_assert_int_eq(d.red_count, 2);
	ck_assert_int_eq(d.red_total, 6000);
	ck_assert_int_eq(d.nred, 2);
	ck_assert_str_eq(d.red[0].invoice_id, inv[4]);
	ck_assert_int_eq(d.red[0].number, 4);
	ck_assert_str_eq(d.red[0].customer_id, cu_bilal);
	ck_assert_str_eq(d.red[0].customer_name, "Bilal");
	ck_assert_int_eq(d.red[0].balance, 2000);
	ck_assert_str_eq(d.red[0].due_date, due4);
	ck_assert_int_eq(d.red[0].days_left, -3);
	ck_assert_str_eq(d.red[0].status, "overdue");
	ck_assert_str_eq(d.red[1].invoice_id, inv[3]);
	ck_assert_int_eq(d.red[1].number, 3);
	ck_assert_str_eq(d.red[1].customer_name, "Ayesha");
	ck_assert_int_eq(d.red[1].balance, 4000);
	ck_assert_str_eq(d.red[1].due_date, due3);
	ck_assert_int_eq(d.red[1].days_left, 2);
	ck_assert_str_eq(d.red[1].status, "red");
	read_done();
}
END_TEST

/* The invoices newest first: 9, 6, 5, 4, 3, 2, 1 today, then 7 and 8 as
 * they were moved back. */
START_TEST(recent_invoices)
{
	static const int order[INVOICES] = {9, 6, 5, 4, 3, 2, 1, 7, 8};
	static const long totals[10] = {0, 2000, 4000, 5000, 3000, 1000, 2000, 4000, 5000, 4500};
	bahi_dashboard d;
	read_dashboard(owner_a.business_id, &d);
	ck_assert_int_eq(d.nrecent, INVOICES);
	for (int i = 0; i < INVOICES; i++) {
		int n = order[i];
		ck_assert_str_eq(d.recent[i].id, inv[n]);
		ck_assert_int_eq(d.recent[i].number, n);
		ck_assert_int_eq(d.recent[i].total, totals[n]);
		ck_assert_str_eq(d.recent[i].payment_mode, n == 3 || n == 4 || n == 6 ? "credit" : "cash");
		ck_assert_int_eq(strlen(d.recent[i].issued_at), 20);
	}
	ck_assert_ptr_null(d.recent[0].customer_id);
	ck_assert_ptr_null(d.recent[0].customer_name);
	ck_assert_str_eq(d.recent[0].status, "paid");
	ck_assert_str_eq(d.recent[2].customer_id, cu_bilal);
	ck_assert_str_eq(d.recent[2].customer_name, "Bilal");
	ck_assert_str_eq(d.recent[2].status, "void");
	ck_assert_str_eq(d.recent[3].status, "partially_paid");
	ck_assert_str_eq(d.recent[7].customer_name, "Chand");
	read_done();
}
END_TEST

/* Another business sees none of it: its own today (Asia/Karachi), zeros,
 * empty lists, 14 days of 0. */
START_TEST(another_business_sees_nothing)
{
	bahi_dashboard d;
	char b_today[16];
	local_date("Asia/Karachi", 0, b_today);
	read_dashboard(owner_b.business_id, &d);
	ck_assert_str_eq(d.today_text, b_today);
	ck_assert_int_eq(d.revenue_today.cash + d.revenue_today.credit, 0);
	ck_assert_int_eq(d.revenue_month.cash + d.revenue_month.credit, 0);
	ck_assert_int_eq(d.open_debt + d.debtors + d.customers + d.products + d.low_count, 0);
	ck_assert_int_eq(d.nlow + d.nrecent + d.ntop + d.ncategories + d.nother + d.nred, 0);
	ck_assert_int_eq(d.red_count + d.red_total + d.other_total, 0);
	for (int i = 0; i < BAHI_DASH_DAYS; i++)
		ck_assert_int_eq(d.days[i].revenue, 0);
	ck_assert_str_eq(d.days[13].date_text, b_today);
	read_done();
}
END_TEST

/* Outside a business's transaction there is nothing to read. */
START_TEST(no_business_no_dashboard)
{
	bahi_dashboard d;
	bahi_db_init(bt_get()->app_url);
	bahi_req_local(&req, &test_def);
	ck_assert_int_eq(bahi_tx_begin(&req, NULL), 0);
	ck_assert_int_eq(bahi_dashboard_read(&req, &d), -1);
	ck_assert_str_eq(req.problem.code, "internal_error");
	bahi_tx_rollback(&req);
	/* a business the transaction is not scoped to is invisible */
	ck_assert_int_eq(bahi_tx_begin(&req, owner_a.business_id), 0);
	req.tx_business = owner_b.business_id;
	ck_assert_int_eq(bahi_dashboard_read(&req, &d), -1);
	ck_assert_str_eq(req.problem.code, "not_found");
	bahi_tx_rollback(&req);
	read_done();
}
END_TEST

int
main(void)
{
	/* as check_debts: Kiritimati (UTC+14) is a day ahead of UTC from 10:00
	 * UTC, Pago Pago (UTC-11) a day behind until 11:00 UTC */
	time_t now = time(NULL);
	struct tm utc;
	gmtime_r(&now, &utc);
	far_tz = utc.tm_hour >= 10 ? "Pacific/Kiritimati" : "Pacific/Pago_Pago";
	bt_start();
	Suite *s = suite_create("dashboard");
	TCase *t = tcase_create("dashboard");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, revenue_by_day_and_mode);
	tcase_add_test(t, debt_counts_and_low_stock);
	tcase_add_test(t, top_customers);
	tcase_add_test(t, sales_by_category);
	tcase_add_test(t, red_debts);
	tcase_add_test(t, recent_invoices);
	tcase_add_test(t, another_business_sees_nothing);
	tcase_add_test(t, no_business_no_dashboard);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
