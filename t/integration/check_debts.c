/* check_debts: GET /debts on the status boundaries in a business far from UTC (filters, summary, pages, tenancy) and the daily reminder job (texts, wa.me links, one per customer per day, red then overdue). */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_remind.h"
#include "harness.h"

#define DEBTS "/api/v1/debts"
#define REMINDERS "/api/v1/debts/reminders"
#define DAY 86400

/* A: the boundaries; R: the reminders (English); U: the reminders in Urdu;
 * B: another business; a clerk of A. */
static bt_session owner_a, owner_b, clerk_a, owner_r, owner_u;
/* A time zone whose local date differs from the UTC date right now (set up in main). */
static const char *far_tz;

/* ---- helpers */

/* PATCH /business {"timezone": tz} as s. */
static void
set_timezone(const bt_session *s, const char *tz)
{
	char body[128];
	snprintf(body, sizeof(body), "{\"timezone\":\"%s\"}", tz);
	bt_business_set(s, body);
}

/* A product of s with 1000 in stock. */
static void
stocked_product(const bt_session *s, char out[BAHI_UUID_LEN + 1])
{
	bt_product_stocked(s, "Battery", 10000, 5000, 1000, out);
}

/* An issued credit invoice: its id, number and dates. */
typedef struct invoice {
	char id[BAHI_UUID_LEN + 1];
	long num;
	char number[24];
	char issued_on[16], due_date[16];
	long amount;
} invoice;

/* A credit invoice of one line at price for customer, nothing paid, due in
 * term days: the business's credit term is set to term first. */
static void
credit_invoice(const bt_session *s, const char *customer, const char *product, long price,
               int term, invoice *out)
{
	char body[512];
	snprintf(body, sizeof(body), "{\"credit_term_days\":%d}", term);
	bt_business_set(s, body);
	snprintf(body, sizeof(body), "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\","
	         "\"qty\":1,\"unit_price\":%ld}],\"tax_rate_bp\":0,\"payment_mode\":\"credit\","
	         "\"paid_amount\":0}", customer, product, price);
	bt_resp r = bt_invoice_issue(s, body, out->id);
	ck_assert_int_eq(bt_at_int(&r, "balance_due"), price);
	out->num = bt_at_int(&r, "number");
	snprintf(out->number, sizeof(out->number), "%ld", out->num);
	snprintf(out->issued_on, sizeof(out->issued_on), "%s", bt_str(&r, "issued_on"));
	snprintf(out->due_date, sizeof(out->due_date), "%s", bt_str(&r, "due_date"));
	out->amount = price;
	bt_free(&r);
}

/* The date in time zone tz at instant t (0: the database's now()) plus days, as YYYY-MM-DD. */
static void
local_date(const char *tz, time_t t, int days, char out[16])
{
	char ts[24], d[16];
	snprintf(ts, sizeof(ts), "%lld", (long long)t);
	snprintf(d, sizeof(d), "%d", days);
	const char *p[3] = {tz, t ? ts : NULL, d};
	char *v = bt_super_value("SELECT ((COALESCE(to_timestamp($2::bigint), now()) AT TIME ZONE $1)"
	                         "::date + $3::int)::text", 3, p);
	ck_assert_ptr_nonnull(v);
	snprintf(out, 16, "%s", v);
	free(v);
}

/* Moves an issued invoice `days` into the past (issued and due). The
 * invoices row is immutable (bahi_refuse_mutation refuses any UPDATE), so
 * this test set-up runs with the triggers off (bt_super_replica). */
static void
backdate(const char *business, invoice *inv, int days)
{
	char d[16];
	snprintf(d, sizeof(d), "%d", days);
	const char *p[3] = {business, inv->id, d};
	static const char *const sql[2] = {
		"UPDATE invoices SET issued_on = issued_on - $3::int, due_date = due_date - $3::int,"
		" issued_at = issued_at - $3::int * interval '1 day'"
		" WHERE business_id = $1 AND id = $2",
		"UPDATE invoice_balances SET issued_on = issued_on - $3::int,"
		" due_date = due_date - $3::int WHERE business_id = $1 AND invoice_id = $2",
	};
	bt_super_replica(sql, 2, 3, p);
	char *v = bt_super_value("SELECT issued_on || ' ' || due_date FROM invoice_balances"
	                         " WHERE business_id = $1 AND invoice_id = $2", 2, p);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(sscanf(v, "%15s %15s", inv->issued_on, inv->due_date), 2);
	free(v);
}

/* The invoice ids of a debts answer's items, joined with ',', appended to out. */
static void
debt_ids(const bt_resp *r, char *out, size_t size)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, bt_at(r, "items")) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "invoice_id");
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%s%s", n ? "," : "", cJSON_IsString(id) ? id->valuestring : "?");
	}
}

/* The ids of invoices, joined with ','. */
static void
join_ids(const invoice *const *inv, int n, char *out, size_t size)
{
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t k = strlen(out);
		snprintf(out + k, size - k, "%s%s", i ? "," : "", inv[i]->id);
	}
}

/* ---- A's debts: one customer with debts due in 8, 7, 4, 3, 0 and -1 days,
 * another with one due in 7 days (made once, by setup) */

enum { A_DEBTS = 7 };
static const int a_days[A_DEBTS] = {8, 7, 4, 3, 0, -1, 7};
static invoice a_inv[A_DEBTS];
static char a_product[BAHI_UUID_LEN + 1], a_cust1[BAHI_UUID_LEN + 1], a_cust2[BAHI_UUID_LEN + 1];
static char a_phone1[BT_PHONE_LEN];
/* a_inv in the order GET /debts lists them: due date, then number. */
static const invoice *a_sorted[A_DEBTS];

static void
setup_a(void)
{
	set_timezone(&owner_a, far_tz);
	stocked_product(&owner_a, a_product);
	bt_phone_new(a_phone1);
	bt_customer_new(&owner_a, "Boundary Traders", a_phone1, a_cust1);
	bt_customer_new(&owner_a, "Second Customer", NULL, a_cust2);
	for (int i = 0; i < A_DEBTS; i++) {
		/* -1: issued with term 0, then moved a day into the past */
		credit_invoice(&owner_a, i == 6 ? a_cust2 : a_cust1, a_product, 1000L * (i + 1),
		               a_days[i] < 0 ? 0 : a_days[i], &a_inv[i]);
		if (a_days[i] < 0)
			backdate(owner_a.business_id, &a_inv[i], 1);
	}
	static const int order[A_DEBTS] = {5, 4, 3, 2, 1, 6, 0};
	for (int i = 0; i < A_DEBTS; i++)
		a_sorted[i] = &a_inv[order[i]];
}

/* Checks item i of a debts answer against invoice inv due in days (as of today). */
static void
assert_debt(const bt_resp *r, int i, const invoice *inv, int days, const char *customer,
            const char *name, const char *phone)
{
	char k[64];
#define AT(f) (snprintf(k, sizeof(k), "items.%d.%s", i, f), k)
	snprintf(k, sizeof(k), "items.%d", i);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(r, k)), 12);
	ck_assert_str_eq(bt_at_str(r, AT("invoice_id")), inv->id);
	ck_assert_int_eq(bt_at_int(r, AT("number")), inv->num);
	ck_assert_str_eq(bt_at_str(r, AT("customer_id")), customer);
	ck_assert_str_eq(bt_at_str(r, AT("customer_name")), name);
	if (phone != NULL)
		ck_assert_str_eq(bt_at_str(r, AT("customer_phone")), phone);
	else
		ck_assert(cJSON_IsNull(bt_at(r, AT("customer_phone"))));
	ck_assert_str_eq(bt_at_str(r, AT("issued_on")), inv->issued_on);
	ck_assert_str_eq(bt_at_str(r, AT("due_date")), inv->due_date);
	ck_assert_int_eq(bt_at_int(r, AT("total")), inv->amount);
	ck_assert_int_eq(bt_at_int(r, AT("balance_due")), inv->amount);
	ck_assert_int_eq(bt_at_int(r, AT("days_left")), days);
	ck_assert_int_eq(bt_at_int(r, AT("days_overdue")), days < 0 ? -days : 0);
	ck_assert_str_eq(bt_at_str(r, AT("debt_status")),
	                 days >= 8 ? "green" : days >= 4 ? "yellow" : days >= 0 ? "red" : "overdue");
#undef AT
}

/* The days left of a_inv[i] as the list shows it. */
static int
a_days_of(const invoice *inv)
{
	return a_days[inv - a_inv];
}

/* Every boundary: 8 green, 7 and 4 yellow, 3 and 0 red, -1 overdue by one
 * day; the dates are the business's (its local date is not UTC's). */
START_TEST(debts_on_the_boundaries)
{
	char today[16], utc_today[16], yesterday[16];
	local_date(far_tz, 0, 0, today);
	local_date("UTC", 0, 0, utc_today);
	ck_assert_str_ne(today, utc_today);
	/* due dates: issue date + term, in the business's calendar */
	for (int i = 0; i < A_DEBTS; i++) {
		char due[16];
		local_date(far_tz, 0, a_days[i], due);
		ck_assert_str_eq(a_inv[i].due_date, due);
	}
	ck_assert_str_eq(a_inv[4].due_date, today);
	local_date(far_tz, 0, -1, yesterday);
	ck_assert_str_eq(a_inv[5].issued_on, yesterday);
	bt_resp r = bt_get_ok(&owner_a, DEBTS);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), A_DEBTS);
	for (int i = 0; i < A_DEBTS; i++) {
		int second = a_sorted[i] == &a_inv[6];
		assert_debt(&r, i, a_sorted[i], a_days_of(a_sorted[i]), second ? a_cust2 : a_cust1,
		            second ? "Second Customer" : "Boundary Traders", second ? NULL : a_phone1);
	}
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
	/* the invoice itself says the same */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/invoices/%s", a_inv[5].id);
	r = bt_get_ok(&owner_a, path);
	ck_assert_int_eq(bt_at_int(&r, "days_left"), -1);
	ck_assert_str_eq(bt_at_str(&r, "debt_status"), "overdue");
	bt_free(&r);
}
END_TEST

/* ?status= lists exactly the debts of that status, in due order. */
START_TEST(status_filter)
{
	static const struct {
		const char *status;
		int n, idx[3];
	} want[] = {
		{"green", 1, {0}}, {"yellow", 3, {2, 1, 6}}, {"red", 2, {4, 3}}, {"overdue", 1, {5}},
	};
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		char path[128], got[1024] = "", expect[1024];
		const invoice *inv[3];
		for (int i = 0; i < want[w].n; i++)
			inv[i] = &a_inv[want[w].idx[i]];
		join_ids(inv, want[w].n, expect, sizeof(expect));
		snprintf(path, sizeof(path), DEBTS "?status=%s", want[w].status);
		bt_resp r = bt_get_ok(&owner_a, path);
		debt_ids(&r, got, sizeof(got));
		ck_assert_msg(strcmp(got, expect) == 0, "%s: %s, want %s", want[w].status, got, expect);
		for (int i = 0; i < want[w].n; i++) {
			char k[64];
			snprintf(k, sizeof(k), "items.%d.debt_status", i);
			ck_assert_str_eq(bt_at_str(&r, k), want[w].status);
		}
		/* the summary still covers everything */
		ck_assert_int_eq(bt_at_int(&r, "summary.count"), A_DEBTS);
		bt_free(&r);
	}
	/* with a customer */
	char path[160];
	snprintf(path, sizeof(path), DEBTS "?status=yellow&customer_id=%s", a_cust2);
	bt_resp r = bt_get_ok(&owner_a, path);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 1);
	ck_assert_str_eq(bt_at_str(&r, "items.0.invoice_id"), a_inv[6].id);
	bt_free(&r);
	snprintf(path, sizeof(path), DEBTS "?status=green&customer_id=%s", a_cust2);
	r = bt_get_ok(&owner_a, path);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 0);
	bt_free(&r);
}
END_TEST

/* Checks summary.by_status.<status>. */
static void
assert_bucket(const bt_resp *r, const char *status, long count, long amount)
{
	char k[64];
	snprintf(k, sizeof(k), "summary.by_status.%s.count", status);
	ck_assert_int_eq(bt_at_int(r, k), count);
	snprintf(k, sizeof(k), "summary.by_status.%s.amount", status);
	ck_assert_int_eq(bt_at_int(r, k), amount);
}

/* The summary counts every open debt by status, not only the page's. */
START_TEST(summary_covers_every_open_debt)
{
	char today[16], path[160];
	local_date(far_tz, 0, 0, today);
	bt_resp r = bt_get_ok(&owner_a, DEBTS "?limit=1");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 1);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "summary")), 4);
	ck_assert_str_eq(bt_at_str(&r, "summary.as_of"), today);
	ck_assert_int_eq(bt_at_int(&r, "summary.count"), 7);
	ck_assert_int_eq(bt_at_int(&r, "summary.total_due"), 28000);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "summary.by_status")), 4);
	assert_bucket(&r, "green", 1, 1000);
	assert_bucket(&r, "yellow", 3, 2000 + 3000 + 7000);
	assert_bucket(&r, "red", 2, 4000 + 5000);
	assert_bucket(&r, "overdue", 1, 6000);
	bt_free(&r);
	/* one customer's */
	snprintf(path, sizeof(path), DEBTS "?customer_id=%s", a_cust2);
	r = bt_get_ok(&owner_a, path);
	ck_assert_int_eq(bt_at_int(&r, "summary.count"), 1);
	ck_assert_int_eq(bt_at_int(&r, "summary.total_due"), 7000);
	assert_bucket(&r, "green", 0, 0);
	assert_bucket(&r, "yellow", 1, 7000);
	assert_bucket(&r, "red", 0, 0);
	assert_bucket(&r, "overdue", 0, 0);
	bt_free(&r);
	/* another business has none */
	r = bt_get_ok(&owner_b, DEBTS);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 0);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	ck_assert_int_eq(bt_at_int(&r, "summary.count"), 0);
	ck_assert_int_eq(bt_at_int(&r, "summary.total_due"), 0);
	assert_bucket(&r, "overdue", 0, 0);
	bt_free(&r);
}
END_TEST

/* Walks GET /debts?limit=<limit>[&status=] by its cursors; the ids in order into out. */
static void
walk(int limit, const char *status, char *out, size_t size, int *pages)
{
	char path[512], cursor[256] = "";
	out[0] = '\0';
	*pages = 0;
	for (;;) {
		snprintf(path, sizeof(path), DEBTS "?limit=%d%s%s%s%s", limit, status ? "&status=" : "",
		         status ? status : "", cursor[0] ? "&cursor=" : "", cursor);
		bt_resp r = bt_get_ok(&owner_a, path);
		ck_assert_int_le(cJSON_GetArraySize(bt_at(&r, "items")), limit);
		debt_ids(&r, out, size);
		(*pages)++;
		const char *next = bt_at_str(&r, "next_cursor");
		ck_assert_int_lt(*pages, 10);
		if (next == NULL) {
			ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
			bt_free(&r);
			return;
		}
		snprintf(cursor, sizeof(cursor), "%s", next);
		bt_free(&r);
	}
}

/* Pages follow due date then number, also when a page ends between two
 * debts due the same day. */
START_TEST(pages_in_due_order)
{
	char expect[1024], got[1024];
	int pages;
	join_ids(a_sorted, A_DEBTS, expect, sizeof(expect));
	walk(2, NULL, got, sizeof(got), &pages);
	ck_assert_str_eq(got, expect);
	ck_assert_int_eq(pages, 4);
	walk(5, NULL, got, sizeof(got), &pages);   /* ends between the two due in 7 days */
	ck_assert_str_eq(got, expect);
	ck_assert_int_eq(pages, 2);
	walk(7, NULL, got, sizeof(got), &pages);
	ck_assert_str_eq(got, expect);
	ck_assert_int_eq(pages, 1);
	walk(1, "yellow", got, sizeof(got), &pages);
	const invoice *yellow[3] = {&a_inv[2], &a_inv[1], &a_inv[6]};
	join_ids(yellow, 3, expect, sizeof(expect));
	ck_assert_str_eq(got, expect);
	ck_assert_int_eq(pages, 3);
}
END_TEST

/* Bad parameters are field errors; other businesses' customers are not
 * found; a clerk may read; nobody else. */
START_TEST(bad_queries_and_access)
{
	static const bt_bad_query bad[] = {
		{"?status=purple", "status", "invalid_choice"},
		{"?status=Red", "status", "invalid_choice"},
		{"?limit=0", "limit", "invalid_number"},
		{"?limit=201", "limit", "invalid_number"},
		{"?cursor=bm90LWEtY3Vyc29y", "cursor", "invalid_cursor"},
		{"?customer_id=42", "customer_id", "invalid_uuid"},
		{"?colour=red", "colour", "unknown_parameter"},
	};
	bt_expect_bad_queries(DEBTS, owner_a.access, bad, sizeof(bad) / sizeof(bad[0]));
	char path[160];
	snprintf(path, sizeof(path), DEBTS "?customer_id=%s", a_cust1);
	bt_expect_problem(bt_json("GET", path, owner_b.access, NULL), 404, "not_found");
	bt_expect_problem(bt_json("GET", DEBTS "?customer_id=00000000-0000-7000-8000-000000000000",
	                          owner_a.access, NULL),
	                  404, "not_found");
	bt_resp r = bt_get_ok(&clerk_a, DEBTS "?status=overdue");
	ck_assert_str_eq(bt_at_str(&r, "items.0.invoice_id"), a_inv[5].id);
	bt_free(&r);
	r = bt_get_ok(&clerk_a, REMINDERS);
	bt_free(&r);
	bt_expect_field(bt_json("GET", REMINDERS "?status=red", owner_a.access, NULL),
	                "status", "unknown_parameter");
	bt_expect_field(bt_json("GET", REMINDERS "?cursor=bm90LWEtY3Vyc29y", owner_a.access, NULL),
	                "cursor", "invalid_cursor");
	bt_expect_problem(bt_json("GET", DEBTS, NULL, NULL), 401, "unauthorized");
	bt_expect_problem(bt_json("GET", REMINDERS, NULL, NULL), 401, "unauthorized");
	r = bt_json("POST", DEBTS, owner_a.access, "{}");
	ck_assert_int_eq(r.status, 405);
	bt_free(&r);
}
END_TEST

/* The same debts in a time zone on the other side of the date line: every
 * days_left moves by the difference of the two local dates, and the
 * statuses follow (the debt overdue by a day is not overdue there). */
START_TEST(status_follows_the_business_time_zone)
{
	const char *other = strcmp(far_tz, "Pacific/Kiritimati") == 0 ? "Pacific/Pago_Pago" :
	                    "Pacific/Kiritimati";
	char here[16], there[16];
	set_timezone(&owner_a, other);
	local_date(far_tz, 0, 0, here);
	local_date(other, 0, 0, there);
	const char *p[2] = {here, there};
	long shift = bt_super_long("SELECT $1::date - $2::date", 2, p);
	ck_assert(shift != 0);
	bt_resp r = bt_get_ok(&owner_a, DEBTS);
	for (int i = 0; i < A_DEBTS; i++) {
		int second = a_sorted[i] == &a_inv[6];
		assert_debt(&r, i, a_sorted[i], a_days_of(a_sorted[i]) + (int)shift,
		            second ? a_cust2 : a_cust1, second ? "Second Customer" : "Boundary Traders",
		            second ? NULL : a_phone1);
	}
	ck_assert_str_eq(bt_at_str(&r, "summary.as_of"), there);
	bt_free(&r);
	set_timezone(&owner_a, far_tz);
	r = bt_get_ok(&owner_a, DEBTS "?status=overdue");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 1);
	bt_free(&r);
}
END_TEST

/* ---- the reminder job */

/* R: P1 owes two debts due in 2 and 3 days, P2 one due in 5 (yellow), P3
 * (no phone) one due today; U (Urdu): Q owes one due tomorrow. */
static invoice p1a, p1b, p2, p3, q1;
static char phone1[BT_PHONE_LEN], phone2[BT_PHONE_LEN], phone4[BT_PHONE_LEN];
static const char *const u_name = "کراچی آٹوز";

static void
setup_reminder_debts(void)
{
	char product[BAHI_UUID_LEN + 1], c1[BAHI_UUID_LEN + 1], c2[BAHI_UUID_LEN + 1];
	char c3[BAHI_UUID_LEN + 1], c4[BAHI_UUID_LEN + 1], body[256];
	set_timezone(&owner_r, far_tz);
	stocked_product(&owner_r, product);
	bt_phone_new(phone1);
	bt_phone_new(phone2);
	bt_phone_new(phone4);
	bt_customer_new(&owner_r, "P1 Two Debts", phone1, c1);
	bt_customer_new(&owner_r, "P2 Yellow", phone2, c2);
	bt_customer_new(&owner_r, "P3 No Phone", NULL, c3);
	credit_invoice(&owner_r, c1, product, 123456, 2, &p1a);
	credit_invoice(&owner_r, c1, product, 5000, 3, &p1b);
	credit_invoice(&owner_r, c2, product, 7000, 5, &p2);
	credit_invoice(&owner_r, c3, product, 8000, 0, &p3);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"language\":\"ur\"}", u_name);
	bt_business_set(&owner_u, body);
	stocked_product(&owner_u, product);
	bt_customer_new(&owner_u, "Qasim", phone4, c4);
	credit_invoice(&owner_u, c4, product, 250000, 1, &q1);
}

/* What a reminder run is checked against: the live businesses, and the
 * reminders and SMS recorded so far (in every business of the stack). */
typedef struct tally {
	long businesses, reminders, sms;
} tally;

static tally
tally_now(void)
{
	tally t = {
		bt_super_long("SELECT count(*) FROM businesses WHERE deleted_at IS NULL", 0, NULL),
		bt_super_long("SELECT count(*) FROM debt_reminders", 0, NULL),
		bt_super_long("SELECT count(*) FROM sms_outbox", 0, NULL),
	};
	return t;
}

/* Runs the job as of instant t and checks its counts against what the
 * database gained (every business of the stack takes part). */
static bahi_remind_counts
run_job(time_t t)
{
	tally before = tally_now();
	bahi_remind_counts c;
	ck_assert_int_eq(bahi_remind_run(t, &c), 0);
	tally after = tally_now();
	ck_assert_int_eq(c.businesses, before.businesses);
	ck_assert_int_eq(c.failed, 0);
	ck_assert_int_eq(c.queued, after.reminders - before.reminders);
	ck_assert_int_eq(c.sms_sent, after.sms - before.sms);
	return c;
}

/* The reminders of s's business sent on day: "<invoice>:<status>:<phone or ->"
 * by customer name, '|' between; malloc'd ("" when none). */
static char *
reminders_on(const bt_session *s, const char *day)
{
	const char *p[2] = {s->business_id, day};
	char *v = bt_super_value("SELECT COALESCE(string_agg(r.invoice_id || ':' || r.debt_status"
	                         " || ':' || COALESCE(r.phone, '-'), '|' ORDER BY c.name), '')"
	                         " FROM debt_reminders r JOIN customers c ON c.business_id = r.business_id"
	                         " AND c.id = r.customer_id WHERE r.business_id = $1 AND r.sent_on = $2::date",
	                         2, p);
	ck_assert_ptr_nonnull(v);
	return v;
}

static void
assert_reminders_on(const bt_session *s, const char *day, const char *expect)
{
	char *got = reminders_on(s, day);
	ck_assert_msg(strcmp(got, expect) == 0, "on %s: %s, want %s", day, got, expect);
	free(got);
}

/* Percent-encodes s into out: every byte but A-Z a-z 0-9 - . _ ~ as %XX. */
static void
pct(const char *s, char *out, size_t size)
{
	size_t n = 0;
	for (const unsigned char *c = (const unsigned char *)s; *c && n + 4 < size; c++) {
		if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		    strchr("-._~", *c) != NULL)
			out[n++] = (char)*c;
		else
			n += (size_t)snprintf(out + n, size - n, "%%%02X", *c);
	}
	out[n] = '\0';
}

/* Checks the reminder about inv with status: its text, phone, wa.me link,
 * the SMS the phone got last, and its change-log entry. */
static void
assert_reminder(const bt_session *s, const invoice *inv, const char *status, const char *phone,
                const char *text)
{
	const char *p[3] = {s->business_id, inv->id, status};
	char *got = bt_super_value("SELECT sms_text || '|' || COALESCE(phone, '-') || '|'"
	                           " || COALESCE(whatsapp_url, '-') || '|' || id FROM debt_reminders"
	                           " WHERE business_id = $1 AND invoice_id = $2 AND debt_status = $3",
	                           3, p);
	char enc[4096], expect[8192];
	ck_assert_ptr_nonnull(got);
	pct(text, enc, sizeof(enc));
	if (phone != NULL)
		snprintf(expect, sizeof(expect), "%s|%s|https://wa.me/%s?text=%s|", text, phone,
		         phone + 1, enc);
	else
		snprintf(expect, sizeof(expect), "%s|-|-|", text);
	ck_assert_int_eq(strncmp(got, expect, strlen(expect)), 0);
	char *log = bt_changes_of("debt_reminder", got + strlen(expect));
	ck_assert_str_eq(log, "upsert1");
	free(log);
	free(got);
	if (phone != NULL) {
		const char *q[1] = {phone};
		char *sms = bt_super_value("SELECT body FROM sms_outbox WHERE phone = $1"
		                           " ORDER BY id DESC LIMIT 1", 1, q);
		ck_assert_str_eq(sms, text);
		free(sms);
	}
}

static long
sms_count(const char *phone)
{
	const char *p[1] = {phone};
	return bt_super_long("SELECT count(*) FROM sms_outbox WHERE phone = $1", 1, p);
}

/* Checks the English reminder about inv in s's business (as assert_reminder
 * does): money is due, red; or, when overdue, was due. */
static void
assert_en_reminder(const bt_session *s, const invoice *inv, const char *money, int overdue,
                   const char *phone)
{
	char text[1024];
	if (overdue)
		snprintf(text, sizeof(text), "%s: %s was due on %s for invoice %s. Please pay soon."
		         " Thank you.", s->business_name, money, inv->due_date, inv->number);
	else
		snprintf(text, sizeof(text), "%s: %s is due on %s for invoice %s. Thank you.",
		         s->business_name, money, inv->due_date, inv->number);
	assert_reminder(s, inv, overdue ? "overdue" : "red", phone, text);
}

/* Day 0: P1's debt due first and P3's turn red (one reminder each, P3's
 * without SMS or link), Q's in Urdu; P2's yellow debt waits. Run again the
 * same day, nothing more goes out. */
static void
day_zero(time_t t)
{
	char day[16], text[1024], expect[512];
	local_date(far_tz, t, 0, day);
	bahi_remind_counts c = run_job(t);
	ck_assert_int_ge(c.queued, 3);
	snprintf(expect, sizeof(expect), "%s:red:%s|%s:red:-", p1a.id, phone1, p3.id);
	assert_reminders_on(&owner_r, day, expect);
	assert_en_reminder(&owner_r, &p1a, "Rs 1,234.56", 0, phone1);
	assert_en_reminder(&owner_r, &p3, "Rs 80.00", 0, NULL);
	ck_assert_int_eq(sms_count(phone1), 1);
	ck_assert_int_eq(sms_count(phone2), 0);
	snprintf(text, sizeof(text), "%s: انوائس نمبر %s کی رقم Rs 2,500.00 کی آخری تاریخ %s ہے۔ شکریہ۔",
	         u_name, q1.number, q1.due_date);
	assert_reminder(&owner_u, &q1, "red", phone4, text);
	c = run_job(t);
	ck_assert_int_eq(c.queued, 0);
	ck_assert_int_eq(c.sms_sent, 0);
	ck_assert_int_eq(sms_count(phone1), 1);
	ck_assert_int_eq(sms_count(phone4), 1);
}

/* Days 4 and 5: P1's first debt, reminded red, is overdue now and gets its
 * overdue reminder; the next day the second one does (one a day). P2's
 * debt turned red; P3's overdue; Q's overdue, in Urdu. */
static void
days_four_and_five(time_t t)
{
	char day[16], text[1024], expect[512];
	local_date(far_tz, t + 4 * DAY, 0, day);
	run_job(t + 4 * DAY);
	snprintf(expect, sizeof(expect), "%s:overdue:%s|%s:red:%s|%s:overdue:-", p1a.id, phone1,
	         p2.id, phone2, p3.id);
	assert_reminders_on(&owner_r, day, expect);
	assert_en_reminder(&owner_r, &p1a, "Rs 1,234.56", 1, phone1);
	assert_en_reminder(&owner_r, &p2, "Rs 70.00", 0, phone2);
	snprintf(text, sizeof(text), "%s: انوائس نمبر %s کی رقم Rs 2,500.00 کی آخری تاریخ %s تھی۔"
	         " براہ کرم جلد ادائیگی کریں۔ شکریہ۔", u_name, q1.number, q1.due_date);
	assert_reminder(&owner_u, &q1, "overdue", phone4, text);
	ck_assert_int_eq(sms_count(phone1), 2);

	local_date(far_tz, t + 5 * DAY, 0, day);
	run_job(t + 5 * DAY);
	snprintf(expect, sizeof(expect), "%s:overdue:%s", p1b.id, phone1);
	assert_reminders_on(&owner_r, day, expect);
	assert_en_reminder(&owner_r, &p1b, "Rs 50.00", 1, phone1);
	local_date("Asia/Karachi", t + 5 * DAY, 0, day);
	assert_reminders_on(&owner_u, day, "");
	ck_assert_int_eq(sms_count(phone1), 3);
	ck_assert_int_eq(sms_count(phone2), 1);
	ck_assert_int_eq(sms_count(phone4), 2);
}

/* Day 10 with a gateway that fails: P2's overdue reminder is not kept;
 * the next run with a working provider sends it. */
static void
day_ten_gateway_down(time_t t)
{
	char day[16], expect[512];
	local_date(far_tz, t + 10 * DAY, 0, day);
	ck_assert_int_eq(bahi_config_set("sms_provider", "http"), 0);
	ck_assert_int_eq(bahi_config_set("sms_http_url", "http://127.0.0.1:9/sms?to={phone}&m={text}"), 0);
	bahi_remind_counts c = run_job(t + 10 * DAY);
	ck_assert_int_eq(c.sms_sent, 0);
	ck_assert_int_ge(c.sms_failed, 1);
	assert_reminders_on(&owner_r, day, "");
	ck_assert_int_eq(sms_count(phone2), 1);
	ck_assert_int_eq(bahi_config_set("sms_provider", "outbox"), 0);
	c = run_job(t + 10 * DAY);
	ck_assert_int_eq(c.sms_failed, 0);
	snprintf(expect, sizeof(expect), "%s:overdue:%s", p2.id, phone2);
	assert_reminders_on(&owner_r, day, expect);
	assert_en_reminder(&owner_r, &p2, "Rs 70.00", 1, phone2);
	ck_assert_int_eq(sms_count(phone2), 2);
}

/* GET /debts/reminders: R's seven, newest first, in pages; B sees none. */
static void
reminder_list(void)
{
	const char *p[1] = {owner_r.business_id};
	char *expect = bt_super_value("SELECT string_agg(id::text, ',' ORDER BY created_at DESC, id DESC)"
	                              " FROM debt_reminders WHERE business_id = $1", 1, p);
	char got[2048] = "", path[512], cursor[256] = "";
	int pages = 0;
	do {
		snprintf(path, sizeof(path), REMINDERS "?limit=3%s%s", cursor[0] ? "&cursor=" : "", cursor);
		bt_resp r = bt_get_ok(&owner_r, path);
		bt_list_ids_append(&r, got, sizeof(got));
		const char *next = bt_at_str(&r, "next_cursor");
		snprintf(cursor, sizeof(cursor), "%s", next ? next : "");
		bt_free(&r);
		ck_assert_int_lt(++pages, 5);
	} while (cursor[0]);
	ck_assert_int_eq(pages, 3);
	ck_assert_str_eq(got, expect);
	free(expect);
	bt_resp r = bt_get_ok(&owner_r, REMINDERS "?limit=1");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items.0")), 11);
	ck_assert_str_eq(bt_at_str(&r, "items.0.invoice_id"), p2.id);
	ck_assert_int_eq(bt_at_int(&r, "items.0.invoice_number"), p2.num);
	ck_assert_str_eq(bt_at_str(&r, "items.0.customer_name"), "P2 Yellow");
	ck_assert_str_eq(bt_at_str(&r, "items.0.debt_status"), "overdue");
	ck_assert_str_eq(bt_at_str(&r, "items.0.phone"), phone2);
	ck_assert_int_eq(strncmp(bt_at_str(&r, "items.0.whatsapp_url"), "https://wa.me/", 14), 0);
	ck_assert_int_eq(strlen(bt_at_str(&r, "items.0.created_at")), 20);
	bt_free(&r);
	r = bt_get_ok(&owner_b, REMINDERS);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 0);
	bt_free(&r);
}

/* The job day by day (instants in the future stand for the days to come). */
START_TEST(reminder_job_day_by_day)
{
	time_t t = time(NULL);
	setup_reminder_debts();
	bahi_db_init(bt_get()->app_url);
	day_zero(t);
	days_four_and_five(t);
	day_ten_gateway_down(t);
	bahi_db_close();
	reminder_list();
}
END_TEST

/* bahi-remind (what the timer and ./dev remind run) against the stack,
 * with its configuration file: one line, the second run queues nothing. */
START_TEST(bahi_remind_command)
{
	bt_session x;
	char product[BAHI_UUID_LEN + 1], cust[BAHI_UUID_LEN + 1], phone[BT_PHONE_LEN];
	char cmd[1024], expect[512];
	invoice inv;
	bt_signup(&x);
	stocked_product(&x, product);
	bt_phone_new(phone);
	bt_customer_new(&x, "Command Line", phone, cust);
	credit_invoice(&x, cust, product, 99900, 3, &inv);
	snprintf(cmd, sizeof(cmd), "BAHI_CONFIG='%s/bahi.conf' '%s/bahi-remind' 2>/dev/null",
	         bt_get()->dir, getenv("BAHI_BUILDDIR"));
	for (int run = 0; run < 2; run++) {
		char line[512] = "";
		tally before = tally_now();
		FILE *f = popen(cmd, "r");
		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
		ck_assert_int_eq(pclose(f), 0);
		tally after = tally_now();
		long rem = after.reminders - before.reminders, sms = after.sms - before.sms;
		ck_assert(run == 0 ? rem >= 1 : rem == 0);
		snprintf(expect, sizeof(expect), "bahi-remind: %ld businesses scanned, %ld reminders queued,"
		         " %ld SMS sent, 0 SMS failed, 0 businesses failed\n", before.businesses,
		         rem, sms);
		ck_assert_str_eq(line, expect);
	}
	assert_en_reminder(&x, &inv, "Rs 999.00", 0, phone);
}
END_TEST

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
	bt_signup(&owner_r);
	bt_signup(&owner_u);
	setup_a();
}

int
main(void)
{
	/* a zone whose date is not UTC's now: Kiritimati (UTC+14) is a day
	 * ahead from 10:00 UTC to midnight, Pago Pago (UTC-11) a day behind
	 * until 11:00 UTC (a run across midnight UTC would fail) */
	time_t now = time(NULL);
	struct tm utc;
	gmtime_r(&now, &utc);
	far_tz = utc.tm_hour >= 10 ? "Pacific/Kiritimati" : "Pacific/Pago_Pago";
	bt_start();
	Suite *s = suite_create("debts");
	TCase *t = tcase_create("debts");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, debts_on_the_boundaries);
	tcase_add_test(t, status_filter);
	tcase_add_test(t, summary_covers_every_open_debt);
	tcase_add_test(t, pages_in_due_order);
	tcase_add_test(t, bad_queries_and_access);
	tcase_add_test(t, status_follows_the_business_time_zone);
	tcase_add_test(t, reminder_job_day_by_day);
	tcase_add_test(t, bahi_remind_command);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
