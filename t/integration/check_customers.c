/* check_customers: customers through nginx (E.164 phones unique per business, balances, versions, soft delete, lists, roles, tenancy) and find-or-create for sales. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bahi_customer.h"
#include "bahi_db.h"
#include "bahi_req.h"
#include "bahi_uuid.h"
#include "bahi_worker.h"
#include "harness.h"

#define CUSTOMERS "/api/v1/customers"

/* A: the business under test; B: another business; a clerk of A. */
static bt_session owner_a, owner_b, clerk_a;

static const bahi_worker_def test_def = {.name = "check_customers"};

/* ---- helpers */

/* A new E.164 number no other call returns, and its national form ("0300 1234567"). */
static void
phone_pair(char e164[BT_PHONE_LEN], char local[BT_PHONE_LEN + 2])
{
	bt_phone_new(e164);
	snprintf(local, BT_PHONE_LEN + 2, "0%.3s %s", e164 + 3, e164 + 6);
}

/* A customer of s's business named name with phone (may be NULL). */
static void
customer_named(const bt_session *s, const char *name, const char *phone, char out[BAHI_UUID_LEN + 1])
{
	char body[512];
	if (phone != NULL)
		snprintf(body, sizeof(body), "{\"name\":\"%s\",\"phone\":\"%s\"}", name, phone);
	else
		snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	bt_create(s, CUSTOMERS, body, out);
}

static long
live_with_phone(const bt_session *s, const char *phone)
{
	const char *p[2] = {s->business_id, phone};
	return bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1 AND phone = $2"
	                     " AND deleted_at IS NULL", 2, p);
}

/* ---- create, read, change */

/* A national form is stored as E.164 and every field comes back exactly. */
START_TEST(create_normalises_the_phone_and_keeps_every_field)
{
	char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], body[512], id[BAHI_UUID_LEN + 1], path[200];
	phone_pair(e164, local);
	snprintf(body, sizeof(body), "{\"name\":\"Ali Khan\",\"phone\":\"%s\",\"address\":"
	         "\"Shop 12\\nSaddar, Karachi\",\"opening_balance\":20000}", local);
	bt_resp r = bt_json("POST", CUSTOMERS, owner_a.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(id, sizeof(id), "%s", bt_str(&r, "id"));
	ck_assert_str_eq(bt_str(&r, "name"), "Ali Khan");
	ck_assert_str_eq(bt_str(&r, "phone"), e164);
	ck_assert_str_eq(bt_str(&r, "address"), "Shop 12\nSaddar, Karachi");
	ck_assert_int_eq(bt_at_int(&r, "opening_balance"), 20000);
	ck_assert_int_eq(bt_at_int(&r, "credit_balance"), 0);
	ck_assert_int_eq(bt_at_int(&r, "open_debt"), 20000);
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	ck_assert_int_eq(strlen(bt_str(&r, "created_at")), 20);
	ck_assert_str_eq(bt_str(&r, "created_at"), bt_str(&r, "updated_at"));
	ck_assert_int_eq(cJSON_GetArraySize(r.json), 10);
	char *created = strdup(r.body);
	bt_free(&r);

	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, created);
	bt_free(&r);
	free(created);
	const char *p[2] = {owner_a.business_id, id};
	char *stored = bt_super_value("SELECT phone || '|' || opening_balance || '|' || invoice_due"
	                              " FROM customers WHERE business_id = $1 AND id = $2", 2, p);
	snprintf(body, sizeof(body), "%s|20000|0", e164);
	ck_assert_str_eq(stored, body);
	free(stored);
	char *log = bt_changes_of("customer", id);
	ck_assert_str_eq(log, "upsert1");
	free(log);

	/* other spellings of numbers; no phone at all; defaults */
	r = bt_json("POST", CUSTOMERS, owner_a.access, "{\"name\":\"Walk-in regular\"}");
	ck_assert_int_eq(r.status, 201);
	ck_assert(cJSON_IsNull(bt_at(&r, "phone")));
	ck_assert(cJSON_IsNull(bt_at(&r, "address")));
	ck_assert_int_eq(bt_at_int(&r, "opening_balance"), 0);
	ck_assert_int_eq(bt_at_int(&r, "open_debt"), 0);
	bt_free(&r);
	struct {
		const char *typed, *stored;
	} forms[] = {
		{"+92 (321) 555-0101", "+923215550101"},
		{"0092 321 5550102", "+923215550102"},
		{"0321.555.0103", "+923215550103"},
		{"+44 20 7946 0958", "+442079460958"},
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(body, sizeof(body), "{\"name\":\"Form %zu\",\"phone\":\"%s\"}", i, forms[i].typed);
		r = bt_json("POST", CUSTOMERS, owner_a.access, body);
		ck_assert_msg(r.status == 201, "%s: %ld %s", forms[i].typed, r.status, r.body);
		ck_assert_str_eq(bt_str(&r, "phone"), forms[i].stored);
		bt_free(&r);
	}
}
END_TEST

/* One live customer per number in a business, whatever the spelling; other businesses are free to use it. */
START_TEST(phone_is_unique_per_business)
{
	char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], body[512], detail[200], path[200];
	char first[BAHI_UUID_LEN + 1], other[BAHI_UUID_LEN + 1];
	phone_pair(e164, local);
	customer_named(&owner_a, "Bilal Ahmed", e164, first);
	snprintf(detail, sizeof(detail), "The phone number %s already belongs to the customer Bilal Ahmed.",
	         e164);
	const char *spellings[3] = {e164, local, NULL};
	char intl[BT_PHONE_LEN + 4];
	snprintf(intl, sizeof(intl), "00%s", e164 + 1);
	spellings[2] = intl;
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof(body), "{\"name\":\"Someone else\",\"phone\":\"%s\"}", spellings[i]);
		bt_resp r = bt_json("POST", CUSTOMERS, owner_a.access, body);
		bt_assert_problem(&r, 409, "duplicate_phone");
		ck_assert_str_eq(bt_str(&r, "detail"), detail);
		bt_free(&r);
	}
	ck_assert_int_eq(live_with_phone(&owner_a, e164), 1);

	/* moving another customer onto the number is refused too; its own number is fine */
	customer_named(&owner_a, "Other customer", NULL, other);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", other);
	snprintf(body, sizeof(body), "{\"phone\":\"%s\"}", local);
	bt_resp r = bt_patch(&owner_a, path, NULL, body);
	bt_assert_problem(&r, 409, "duplicate_phone");
	ck_assert_str_eq(bt_str(&r, "detail"), detail);
	bt_free(&r);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", first);
	snprintf(body, sizeof(body), "{\"phone\":\"%s\",\"name\":\"Bilal A.\"}", local);
	r = bt_patch(&owner_a, path, "1", body);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "phone"), e164);
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);

	/* B has its own customers: the same number is B's to use */
	snprintf(body, sizeof(body), "{\"name\":\"B's Bilal\",\"phone\":\"%s\"}", local);
	r = bt_json("POST", CUSTOMERS, owner_b.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "phone"), e164);
	bt_free(&r);
	ck_assert_int_eq(live_with_phone(&owner_a, e164), 1);
	ck_assert_int_eq(live_with_phone(&owner_b, e164), 1);
}
END_TEST

/* The opening balance is taken exactly, 0 to 10^15, and shows in open_debt. */
START_TEST(opening_balance_exact)
{
	struct {
		const char *given;
		long long expect;
	} ok[] = {
		{"0", 0}, {"1", 1}, {"21920", 21920}, {"999999999999999", 999999999999999LL},
		{"1000000000000000", 1000000000000000LL},
	};
	char body[256], id[BAHI_UUID_LEN + 1];
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(body, sizeof(body), "{\"name\":\"Balance %zu\",\"opening_balance\":%s}", i,
		         ok[i].given);
		bt_resp r = bt_json("POST", CUSTOMERS, owner_a.access, body);
		ck_assert_msg(r.status == 201, "%s: %ld %s", ok[i].given, r.status, r.body);
		ck_assert(cJSON_GetNumberValue(bt_at(&r, "opening_balance")) == (double)ok[i].expect);
		ck_assert(cJSON_GetNumberValue(bt_at(&r, "open_debt")) == (double)ok[i].expect);
		snprintf(id, sizeof(id), "%s", bt_str(&r, "id"));
		bt_free(&r);
		const char *p[2] = {owner_a.business_id, id};
		char *stored = bt_super_value("SELECT opening_balance::text || '/' || open_debt::text"
		                              " FROM customers WHERE business_id = $1 AND id = $2", 2, p);
		snprintf(body, sizeof(body), "%s/%s", ok[i].given, ok[i].given);
		ck_assert_str_eq(stored, body);
		free(stored);
	}
	/* the open debt also counts what the invoice code keeps in invoice_due */
	const char *p[2] = {owner_a.business_id, id};
	ck_assert_int_eq(bt_super_exec("UPDATE customers SET opening_balance = 30000, invoice_due = 21920"
	                               " WHERE business_id = $1 AND id = $2", 2, p), 1);
	char path[200];
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	bt_resp r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(bt_at_int(&r, "opening_balance"), 30000);
	ck_assert_int_eq(bt_at_int(&r, "open_debt"), 51920);
	bt_free(&r);
}
END_TEST

/* PATCH: versions, If-Match, clearing fields, the opening balance logged, read-only fields refused. */
START_TEST(patch_with_versions)
{
	char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], body[512], id[BAHI_UUID_LEN + 1], path[200];
	phone_pair(e164, local);
	snprintf(body, sizeof(body), "{\"name\":\"Chand Bibi\",\"phone\":\"%s\",\"address\":\"Lane 3\","
	         "\"opening_balance\":50000}", e164);
	bt_create(&owner_a, CUSTOMERS, body, id);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);

	bt_resp r = bt_patch(&owner_a, path, "1", "{\"name\":\"Chand B.\",\"opening_balance\":45000}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "name"), "Chand B.");
	ck_assert_str_eq(bt_str(&r, "phone"), e164);
	ck_assert_str_eq(bt_str(&r, "address"), "Lane 3");
	ck_assert_int_eq(bt_at_int(&r, "opening_balance"), 45000);
	ck_assert_int_eq(bt_at_int(&r, "open_debt"), 45000);
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	const char *p[1] = {id};
	char *act = bt_super_value("SELECT string_agg(action || ':' || detail, ';' ORDER BY at, id)"
	                           " FROM activity_log WHERE target = $1", 1, p);
	ck_assert_str_eq(act, "customer_opening_balance_changed:opening_balance 50000 -> 45000");
	free(act);

	r = bt_patch(&owner_a, path, "1", "{\"address\":\"stale\"}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	r = bt_patch(&owner_a, path, "x", "{\"address\":\"bad\"}");
	bt_assert_problem(&r, 400, "bad_request");
	bt_free(&r);
	/* the same opening balance again is no change to log; null clears phone and address */
	r = bt_patch(&owner_a, path, "2", "{\"phone\":null,\"address\":null,\"opening_balance\":45000}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert(cJSON_IsNull(bt_at(&r, "phone")));
	ck_assert(cJSON_IsNull(bt_at(&r, "address")));
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log WHERE target = $1", 1, p), 1);
	/* an empty patch changes nothing, not even the version */
	r = bt_patch(&owner_a, path, "3", "{}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"phone\":\"" "0300 0000 000" "\",\"opening_balance\":0}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "phone"), "+923000000000");
	ck_assert_int_eq(bt_at_int(&r, "open_debt"), 0);
	ck_assert_int_eq(bt_at_int(&r, "version"), 4);
	bt_free(&r);

	const char *readonly[] = {"credit_balance", "open_debt", "version", "id", "created_at"};
	for (size_t i = 0; i < sizeof(readonly) / sizeof(readonly[0]); i++) {
		snprintf(body, sizeof(body), "{\"%s\":1}", readonly[i]);
		r = bt_patch(&owner_a, path, NULL, body);
		bt_assert_field(&r, readonly[i], "unknown_field");
		bt_free(&r);
	}
	r = bt_patch(&owner_a, path, NULL, "{\"name\":null}");
	bt_assert_field(&r, "name", "required");
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"opening_balance\":null}");
	bt_assert_field(&r, "opening_balance", "required");
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"opening_balance\":-5}");
	bt_assert_field(&r, "opening_balance", "too_small");
	bt_free(&r);
	char *log = bt_changes_of("customer", id);
	ck_assert_str_eq(log, "upsert1,upsert2,upsert3,upsert4");
	free(log);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_str_eq(bt_str(&r, "name"), "Chand B.");
	ck_assert_int_eq(bt_at_int(&r, "version"), 4);
	bt_free(&r);
}
END_TEST

/* ---- deleting */

/* Deleting is soft: 204, then 404 everywhere, gone from lists, and the number is free again. */
START_TEST(delete_is_soft_and_frees_the_phone)
{
	char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], id[BAHI_UUID_LEN + 1], again[BAHI_UUID_LEN + 1];
	char path[200], by_phone[200];
	phone_pair(e164, local);
	customer_named(&owner_a, "Dawood", e164, id);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	snprintf(by_phone, sizeof(by_phone), CUSTOMERS "/by-phone/%s", e164);
	bt_resp r = bt_json("DELETE", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	ck_assert_int_eq(r.len, 0);
	bt_free(&r);
	const char *reqs[3][2] = {{"GET", NULL}, {"PATCH", "{\"name\":\"x\"}"}, {"DELETE", NULL}};
	for (int i = 0; i < 3; i++) {
		r = bt_json(reqs[i][0], path, owner_a.access, reqs[i][1]);
		bt_assert_problem(&r, 404, "not_found");
		ck_assert_str_eq(bt_str(&r, "detail"), "There is no such customer.");
		bt_free(&r);
	}
	r = bt_json("GET", by_phone, owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("GET", CUSTOMERS "?q=Dawood&limit=200", owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert(!bt_list_has(&r, id));
	bt_free(&r);
	char *log = bt_changes_of("customer", id);
	ck_assert_str_eq(log, "upsert1,delete2");
	free(log);
	const char *p[1] = {id};
	char *act = bt_super_value("SELECT action || ':' || detail FROM activity_log WHERE target = $1",
	                           1, p);
	ck_assert_str_eq(act, "customer_deleted:Dawood");
	free(act);

	/* a new customer may take the number; the deleted row stays for sync */
	customer_named(&owner_a, "Dawood Jr", local, again);
	ck_assert_str_ne(again, id);
	r = bt_json("GET", by_phone, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "id"), again);
	bt_free(&r);
	const char *q[2] = {owner_a.business_id, e164};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1"
	                               " AND phone = $2", 2, q), 2);
}
END_TEST

/* DELETE with If-Match deletes only at that version: a stale one is 412
 * and the customer stays. */
START_TEST(delete_honours_if_match)
{
	char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], id[BAHI_UUID_LEN + 1], path[200];
	phone_pair(e164, local);
	customer_named(&owner_a, "Ejaz", e164, id);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	bt_resp r = bt_patch(&owner_a, path, "1", "{\"name\":\"Ejaz Ali\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	const char *stale[] = {"If-Match: \"1\"", NULL}, *bad[] = {"If-Match: x", NULL};
	r = bt_jsonx("DELETE", path, owner_a.access, stale, NULL);
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	r = bt_jsonx("DELETE", path, owner_a.access, bad, NULL);
	bt_assert_problem(&r, 400, "bad_request");
	bt_free(&r);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "name"), "Ejaz Ali");
	bt_free(&r);
	const char *fresh[] = {"If-Match: \"2\"", NULL};
	r = bt_jsonx("DELETE", path, owner_a.access, fresh, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	char *log = bt_changes_of("customer", id);
	ck_assert_str_eq(log, "upsert1,upsert2,delete3");
	free(log);
}
END_TEST

/* A customer who owes money or is owed credit cannot be deleted. */
START_TEST(delete_refused_while_money_is_owed)
{
	char id[BAHI_UUID_LEN + 1], path[200];
	bt_create(&owner_a, CUSTOMERS, "{\"name\":\"Ehsan\",\"opening_balance\":1500}", id);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	bt_resp r = bt_json("DELETE", path, owner_a.access, NULL);
	bt_assert_problem(&r, 409, "in_use");
	ck_assert_str_eq(bt_str(&r, "detail"), "Ehsan has an open debt of 1500; it must be settled first.");
	bt_free(&r);
	/* credit from an overpayment (set the way the payment code will) */
	const char *p[2] = {owner_a.business_id, id};
	ck_assert_int_eq(bt_super_exec("UPDATE customers SET opening_balance = 0, credit_balance = 300"
	                               " WHERE business_id = $1 AND id = $2", 2, p), 1);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	bt_assert_problem(&r, 409, "in_use");
	ck_assert_str_eq(bt_str(&r, "detail"),
	                 "Ehsan has a credit balance of 300; it must be used or paid back first.");
	bt_free(&r);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "credit_balance"), 300);
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
	ck_assert_int_eq(bt_super_exec("UPDATE customers SET credit_balance = 0"
	                               " WHERE business_id = $1 AND id = $2", 2, p), 1);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
}
END_TEST

/* ---- lists and look-ups */

/* Five customers named "<tag> Customer i" (tag from prefix and the time),
 * made one after another with client ids in descending order; their ids
 * joined with ',' into expect. */
static void
make_tagged(const char *prefix, char tag[16], char ids[5][BAHI_UUID_LEN + 1],
            char phones[5][BT_PHONE_LEN], char *expect, size_t size)
{
	snprintf(tag, 16, "%s%ld", prefix, (long)time(NULL) % 100000);
	expect[0] = '\0';
	for (int i = 0; i < 5; i++) {
		char v7[BAHI_UUID_LEN + 1], body[512], made[BAHI_UUID_LEN + 1];
		bahi_uuid_v7(v7);
		snprintf(ids[i], BAHI_UUID_LEN + 1, "%08x%s", 0x90000000u - (unsigned)i, v7 + 8);
		bt_phone_new(phones[i]);
		snprintf(body, sizeof(body), "{\"id\":\"%s\",\"name\":\"%s Customer %d\",\"phone\":\"%s\"}",
		         ids[i], tag, i, phones[i]);
		bt_create(&owner_a, CUSTOMERS, body, made);
		ck_assert_str_eq(made, ids[i]);
		size_t n = strlen(expect);
		snprintf(expect + n, size - n, "%s%s", n ? "," : "", ids[i]);
	}
}

/* The ids of the list at url, joined with ','. */
static void
ids_at(const char *url, char *got, size_t size)
{
	bt_resp r = bt_json("GET", url, owner_a.access, NULL);
	ck_assert_msg(r.status == 200, "%s: %ld %.300s", url, r.status, r.body);
	bt_list_ids(&r, got, size);
	bt_free(&r);
}

/* Oldest first in pages of limit, by creation time to the microsecond (the
 * ids descend: customers made within one second must not be ordered by id). */
START_TEST(list_pages_follow_creation_time)
{
	char tag[16], ids[5][BAHI_UUID_LEN + 1], phones[5][BT_PHONE_LEN];
	char expect[400], got[400] = "", url[300], cursor[200] = "";
	make_tagged("Qp", tag, ids, phones, expect, sizeof(expect));
	/* pages of 2: 2, 2, 1, then no cursor */
	for (int page = 0; page < 3; page++) {
		snprintf(url, sizeof(url), CUSTOMERS "?q=%s&limit=2%s%s", tag, cursor[0] ? "&cursor=" : "",
		         cursor);
		bt_resp r = bt_json("GET", url, owner_a.access, NULL);
		ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
		ck_assert_msg(cJSON_GetArraySize(bt_at(&r, "items")) == (page < 2 ? 2 : 1),
		              "page %d of %s: %.500s", page, url, r.body);
		bt_list_ids_append(&r, got, sizeof(got));
		if (page < 2) {
			ck_assert_msg(bt_at_str(&r, "next_cursor") != NULL, "page %d of %s: %.300s", page, url,
			              r.body);
			snprintf(cursor, sizeof(cursor), "%s", bt_at_str(&r, "next_cursor"));
		} else {
			ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
		}
		bt_free(&r);
	}
	ck_assert_str_eq(got, expect);
	/* without q the list holds them all, in the same order */
	char all[200 * (BAHI_UUID_LEN + 1) + 1];
	ids_at(CUSTOMERS "?limit=200", all, sizeof(all));
	ck_assert_ptr_nonnull(strstr(all, expect));
}
END_TEST

/* q matches names (any case, any part, wildcards as plain characters) and phone digits. */
START_TEST(list_search_by_name_and_phone)
{
	char tag[16], ids[5][BAHI_UUID_LEN + 1], phones[5][BT_PHONE_LEN];
	char expect[400], got[400], url[300], pct[BAHI_UUID_LEN + 1];
	make_tagged("Qs", tag, ids, phones, expect, sizeof(expect));
	snprintf(url, sizeof(url), CUSTOMERS "?q=qS%s%%20customer%%203", tag + 2);
	ids_at(url, got, sizeof(got));
	ck_assert_str_eq(got, ids[3]);
	snprintf(url, sizeof(url), CUSTOMERS "?q=%s", tag);
	ids_at(url, got, sizeof(got));
	ck_assert_str_eq(got, expect);
	/* phone digits, typed in national form: "0300 <seven digits>" finds exactly one */
	snprintf(url, sizeof(url), CUSTOMERS "?q=0300%%20%s", phones[2] + 6);
	ids_at(url, got, sizeof(got));
	ck_assert_str_eq(got, ids[2]);
	snprintf(url, sizeof(url), CUSTOMERS "?q=%%2B92%s", phones[4] + 3);
	ids_at(url, got, sizeof(got));
	ck_assert_str_eq(got, ids[4]);
	/* no match is an empty page */
	bt_resp r = bt_json("GET", CUSTOMERS "?q=nobody-is-called-this", owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"items\":[],\"next_cursor\":null}");
	bt_free(&r);
	/* LIKE's wildcards are plain characters here */
	customer_named(&owner_a, "50% off_deal", NULL, pct);
	ids_at(CUSTOMERS "?q=%25%20off_", got, sizeof(got));
	ck_assert_str_eq(got, pct);
	ids_at(CUSTOMERS "?q=_", got, sizeof(got));
	ck_assert_str_eq(got, pct);
}
END_TEST

START_TEST(list_bad_parameters)
{
	char url[300], q[120];
	memset(q, 'a', 101);
	q[101] = '\0';
	snprintf(url, sizeof(url), CUSTOMERS "?q=%s", q);
	struct {
		const char *url, *field, *code;
	} cases[] = {
		{url, "q", "too_long"},
		{CUSTOMERS "?limit=0", "limit", "invalid_number"},
		{CUSTOMERS "?limit=201", "limit", "invalid_number"},
		{CUSTOMERS "?limit=x", "limit", "invalid_number"},
		{CUSTOMERS "?cursor=nope", "cursor", "invalid_cursor"},
		{CUSTOMERS "?sort=name", "sort", "unknown_parameter"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bt_resp r = bt_json("GET", cases[i].url, owner_a.access, NULL);
		bt_assert_field(&r, cases[i].field, cases[i].code);
		bt_free(&r);
	}
	/* an empty q (a cleared search box) is no filter */
	bt_resp all = bt_json("GET", CUSTOMERS, owner_a.access, NULL);
	bt_resp r = bt_json("GET", CUSTOMERS "?q=", owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_gt(cJSON_GetArraySize(bt_at(&r, "items")), 0);
	ck_assert_str_eq(r.body, all.body);
	bt_free(&r);
	bt_free(&all);
}
END_TEST

/* GET /customers/by-phone/{phone}: any spelling of the number; invalid numbers are 422. */
START_TEST(lookup_by_phone)
{
	char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], id[BAHI_UUID_LEN + 1], path[200];
	phone_pair(e164, local);
	customer_named(&owner_a, "Farah", e164, id);
	/* E.164, national, national with an encoded space, E.164 with an encoded '+' */
	char national[40], spaced[40], encoded[40];
	snprintf(national, sizeof(national), "0%s", e164 + 3);
	snprintf(spaced, sizeof(spaced), "0%.3s%%20%s", e164 + 3, e164 + 6);
	snprintf(encoded, sizeof(encoded), "%%2B%s", e164 + 1);
	const char *forms[4] = {e164, national, spaced, encoded};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), CUSTOMERS "/by-phone/%s", forms[i]);
		bt_resp r = bt_json("GET", path, owner_a.access, NULL);
		ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
		ck_assert_str_eq(bt_str(&r, "id"), id);
		ck_assert_str_eq(bt_str(&r, "name"), "Farah");
		ck_assert_str_eq(bt_str(&r, "phone"), e164);
		bt_free(&r);
	}
	char unknown[BT_PHONE_LEN];
	bt_phone_new(unknown);
	snprintf(path, sizeof(path), CUSTOMERS "/by-phone/%s", unknown);
	bt_resp r = bt_json("GET", path, owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	ck_assert_str_eq(bt_str(&r, "detail"), "There is no customer with this phone number.");
	bt_free(&r);
	const char *bad[] = {"12", "abc", "0300-12a4567", "%2B0123456789", "1234567890123456789"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), CUSTOMERS "/by-phone/%s", bad[i]);
		r = bt_json("GET", path, owner_a.access, NULL);
		bt_assert_field(&r, "phone", "invalid_phone");
		bt_free(&r);
	}
	r = bt_json("GET", CUSTOMERS "/by-phone", owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
}
END_TEST

/* ---- bad input */

/* One field broken at a time: the exact field error, nothing recorded. */
START_TEST(bad_input_per_field)
{
	char long_name[260], long_addr[560], body[1024];
	memset(long_name, 'n', 201);
	long_name[201] = '\0';
	memset(long_addr, 'a', 501);
	long_addr[501] = '\0';
	struct {
		const char *body, *field, *code;
	} cases[] = {
		{"{}", "name", "required"},
		{"{\"name\":\"\"}", "name", "required"},
		{"{\"name\":null}", "name", "required"},
		{"{\"name\":7}", "name", "must_be_string"},
		{"{\"name\":\"X\\u0001\"}", "name", "invalid_text"},
		{"{\"name\":\"X\",\"phone\":\"12\"}", "phone", "invalid_phone"},
		{"{\"name\":\"X\",\"phone\":\"0300 123456a\"}", "phone", "invalid_phone"},
		{"{\"name\":\"X\",\"phone\":\"+0300 1234567\"}", "phone", "invalid_phone"},
		{"{\"name\":\"X\",\"phone\":\"+92 300 1234567 8901\"}", "phone", "invalid_phone"},
		{"{\"name\":\"X\",\"phone\":\"\"}", "phone", "required"},
		{"{\"name\":\"X\",\"phone\":923001234567}", "phone", "must_be_string"},
		{"{\"name\":\"X\",\"phone\":\"+92 300 1234567 8901234567890123456\"}", "phone", "too_long"},
		{"{\"name\":\"X\",\"address\":\"\"}", "address", "required"},
		{"{\"name\":\"X\",\"opening_balance\":-1}", "opening_balance", "too_small"},
		{"{\"name\":\"X\",\"opening_balance\":1000000000000001}", "opening_balance", "too_large"},
		{"{\"name\":\"X\",\"opening_balance\":1e20}", "opening_balance", "too_large"},
		{"{\"name\":\"X\",\"opening_balance\":10.5}", "opening_balance", "must_be_integer"},
		{"{\"name\":\"X\",\"opening_balance\":\"100\"}", "opening_balance", "must_be_integer"},
		{"{\"name\":\"X\",\"opening_balance\":null}", "opening_balance", "required"},
		{"{\"name\":\"X\",\"id\":\"x\"}", "id", "invalid_uuid"},
		{"{\"name\":\"X\",\"credit_balance\":100}", "credit_balance", "unknown_field"},
		{"{\"name\":\"X\",\"open_debt\":100}", "open_debt", "unknown_field"},
		{"{\"name\":\"X\",\"invoice_due\":100}", "invoice_due", "unknown_field"},
		{"{\"name\":\"X\",\"version\":3}", "version", "unknown_field"},
		{"{\"name\":\"X\",\"deleted_at\":null}", "deleted_at", "unknown_field"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bt_resp r = bt_json("POST", CUSTOMERS, owner_a.access, cases[i].body);
		bt_assert_field(&r, cases[i].field, cases[i].code);
		bt_free(&r);
	}
	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", long_name);
	bt_resp r = bt_json("POST", CUSTOMERS, owner_a.access, body);
	bt_assert_field(&r, "name", "too_long");
	bt_free(&r);
	snprintf(body, sizeof(body), "{\"name\":\"X\",\"address\":\"%s\"}", long_addr);
	r = bt_json("POST", CUSTOMERS, owner_a.access, body);
	bt_assert_field(&r, "address", "too_long");
	bt_free(&r);
	r = bt_json("POST", CUSTOMERS, owner_a.access, "{\"name\":\"X\",");
	bt_assert_problem(&r, 400, "malformed_json");
	bt_free(&r);
	r = bt_json("POST", CUSTOMERS, owner_a.access, "[]");
	bt_assert_field(&r, "", "must_be_object");
	bt_free(&r);
	/* several bad fields are reported together */
	r = bt_json("POST", CUSTOMERS, owner_a.access, "{\"name\":\"\",\"opening_balance\":-1,\"x\":1}");
	bt_assert_problem(&r, 422, "validation_failed");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "errors")), 3);
	bt_free(&r);
	const char *p[1] = {owner_a.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM customers WHERE business_id = $1"
	                               " AND name IN ('X', '')", 1, p), 0);
}
END_TEST

/* HTML and SQL metacharacters are data: stored and returned verbatim. */
START_TEST(metacharacters_stored_verbatim)
{
	const char *name = "<script>alert('x')</script> O'Brien \"Bob\"; DROP TABLE customers;--";
	const char *addr = "Robert'); DELETE FROM customers; --\n<b>&amp;</b> \\ 100% _x_ \xd8\xb9\xd9\x84\xdb\x8c";
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "address", addr);
	char *body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	bt_resp r = bt_json("POST", CUSTOMERS, owner_a.access, body);
	free(body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "name"), name);
	ck_assert_str_eq(bt_str(&r, "address"), addr);
	char id[BAHI_UUID_LEN + 1];
	snprintf(id, sizeof(id), "%s", bt_str(&r, "id"));
	bt_free(&r);
	const char *p[2] = {owner_a.business_id, id};
	char *stored = bt_super_value("SELECT name FROM customers WHERE business_id = $1 AND id = $2", 2, p);
	ck_assert_str_eq(stored, name);
	free(stored);
	stored = bt_super_value("SELECT address FROM customers WHERE business_id = $1 AND id = $2", 2, p);
	ck_assert_str_eq(stored, addr);
	free(stored);
	/* and found by a search with them */
	r = bt_json("GET", CUSTOMERS "?q=o'brien%20%22bob%22%3B%20drop", owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 1);
	ck_assert(bt_list_has(&r, id));
	bt_free(&r);
	ck_assert_int_ge(bt_super_long("SELECT count(*) FROM customers", 0, NULL), 2);
}
END_TEST

/* ---- ids, idempotency, permissions, tenancy */

/* A client-chosen id is used; taken in the business it is 409; B may use it for its own. */
START_TEST(client_ids)
{
	char id[BAHI_UUID_LEN + 1], upper[BAHI_UUID_LEN + 1], body[256];
	bahi_uuid_v7(id);
	for (int i = 0; id[i]; i++)
		upper[i] = (char)(id[i] >= 'a' && id[i] <= 'f' ? id[i] - 32 : id[i]);
	upper[BAHI_UUID_LEN] = '\0';
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"name\":\"Offline customer\"}", upper);
	bt_resp r = bt_json("POST", CUSTOMERS, owner_a.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "id"), id);
	bt_free(&r);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"name\":\"Another\"}", id);
	r = bt_json("POST", CUSTOMERS, owner_a.access, body);
	bt_assert_problem(&r, 409, "conflict");
	ck_assert_str_eq(bt_str(&r, "detail"), "A customer with this id already exists.");
	bt_free(&r);
	r = bt_json("POST", CUSTOMERS, owner_b.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "name"), "Another");
	bt_free(&r);
	char path[200];
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_str_eq(bt_str(&r, "name"), "Offline customer");
	bt_free(&r);
}
END_TEST

/* The same Idempotency-Key replays the first answer; with another body it is 422. */
START_TEST(idempotent_create)
{
	char key[80], phone[BT_PHONE_LEN], body[256], first[1024];
	snprintf(key, sizeof(key), "Idempotency-Key: customer-%ld", (long)time(NULL));
	const char *extra[2] = {key, NULL};
	bt_phone_new(phone);
	snprintf(body, sizeof(body), "{\"name\":\"Once\",\"phone\":\"%s\",\"opening_balance\":700}", phone);
	bt_resp r = bt_jsonx("POST", CUSTOMERS, owner_a.access, extra, body);
	ck_assert_int_eq(r.status, 201);
	snprintf(first, sizeof(first), "%s", r.body);
	bt_free(&r);
	r = bt_jsonx("POST", CUSTOMERS, owner_a.access, extra, body);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(r.body, first);
	bt_free(&r);
	ck_assert_int_eq(live_with_phone(&owner_a, phone), 1);
	r = bt_jsonx("POST", CUSTOMERS, owner_a.access, extra, "{\"name\":\"Twice\"}");
	bt_assert_problem(&r, 422, "idempotency_key_reused");
	bt_free(&r);
}
END_TEST

/* A claim sweeps its business's expired keys (no other's, no live one), and
 * an expired key is new again. */
START_TEST(expired_idempotency_keys_are_swept)
{
	const char *pa[1] = {owner_a.business_id}, *pb[1] = {owner_b.business_id};
	const char *ins = "INSERT INTO idempotency_keys (business_id, key, method, path, request_hash,"
	                  " created_at, expires_at) SELECT $1, 'old-' || g, 'POST', '/api/v1/x',"
	                  " repeat('a', 64), now() - interval '25 hours', now() - interval '1 hour'"
	                  " FROM generate_series(1, 30) g";
	ck_assert_int_eq(bt_super_exec(ins, 1, pa), 30);
	ck_assert_int_eq(bt_super_exec(ins, 1, pb), 30);
	ck_assert_int_eq(bt_super_exec("INSERT INTO idempotency_keys (business_id, key, method, path,"
	                               " request_hash) VALUES ($1, 'live', 'POST', '/api/v1/x',"
	                               " repeat('a', 64))", 1, pa), 1);
	const char *extra[2] = {"Idempotency-Key: old-7", NULL};
	char phone[BT_PHONE_LEN], body[200];
	bt_phone_new(phone);
	snprintf(body, sizeof(body), "{\"name\":\"Swept\",\"phone\":\"%s\"}", phone);
	bt_resp r = bt_jsonx("POST", CUSTOMERS, owner_a.access, extra, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM idempotency_keys WHERE business_id = $1"
	                               " AND expires_at < now()", 1, pa), 0);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM idempotency_keys WHERE business_id = $1"
	                               " AND key IN ('live', 'old-7')", 1, pa), 2);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM idempotency_keys WHERE business_id = $1"
	                               " AND expires_at < now()", 1, pb), 30);
	ck_assert_int_eq(bt_super_exec("DELETE FROM idempotency_keys WHERE business_id = $1"
	                               " AND key LIKE 'old-%'", 1, pb), 30);
}
END_TEST

/* Clerks read, add and change customers (opening balance too), but cannot delete them. */
START_TEST(clerk_permissions)
{
	char id[BAHI_UUID_LEN + 1], path[200], phone[BT_PHONE_LEN], body[256];
	bt_phone_new(phone);
	snprintf(body, sizeof(body), "{\"name\":\"Clerk's customer\",\"phone\":\"%s\",\"opening_balance\":10}",
	         phone);
	bt_create(&clerk_a, CUSTOMERS, body, id);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	bt_resp r = bt_json("GET", path, clerk_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = bt_json("GET", CUSTOMERS, clerk_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	snprintf(body, sizeof(body), CUSTOMERS "/by-phone/%s", phone);
	r = bt_json("GET", body, clerk_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = bt_patch(&clerk_a, path, "1", "{\"opening_balance\":0,\"address\":\"Block B\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_int_eq(bt_at_int(&r, "opening_balance"), 0);
	bt_free(&r);
	const char *p[1] = {id};
	char *who = bt_super_value("SELECT user_id::text FROM activity_log WHERE target = $1"
	                           " AND action = 'customer_opening_balance_changed'", 1, p);
	ck_assert_str_eq(who, clerk_a.user_id);
	free(who);
	r = bt_json("DELETE", path, clerk_a.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	r = bt_json("GET", CUSTOMERS, NULL, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
}
END_TEST

/* B gets 404 for A's customers by id and by phone, and never sees them listed. */
START_TEST(other_business_customers_are_not_found)
{
	char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], id[BAHI_UUID_LEN + 1], path[200];
	phone_pair(e164, local);
	customer_named(&owner_a, "Private customer of A", e164, id);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	const char *reqs[3][2] = {{"GET", NULL}, {"PATCH", "{\"name\":\"Stolen\"}"}, {"DELETE", NULL}};
	for (int i = 0; i < 3; i++) {
		bt_resp r = bt_json(reqs[i][0], path, owner_b.access, reqs[i][1]);
		bt_assert_problem(&r, 404, "not_found");
		ck_assert_ptr_null(strstr(r.body, "Private"));
		bt_free(&r);
	}
	snprintf(path, sizeof(path), CUSTOMERS "/by-phone/%s", e164);
	bt_resp r = bt_json("GET", path, owner_b.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	ck_assert_ptr_null(strstr(r.body, e164 + 1));
	bt_free(&r);
	r = bt_json("GET", CUSTOMERS "?q=Private%20customer%20of%20A&limit=200", owner_b.access, NULL);
	ck_assert_str_eq(r.body, "{\"items\":[],\"next_cursor\":null}");
	bt_free(&r);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "name"), "Private customer of A");
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
}
END_TEST

/* National forms take the business's country's calling code. */
START_TEST(national_forms_follow_the_business_country)
{
	bt_session gb, us;
	bt_signup(&gb);
	bt_signup(&us);
	const char *pg[1] = {gb.business_id}, *pu[1] = {us.business_id};
	ck_assert_int_eq(bt_super_exec("UPDATE businesses SET country = 'GB' WHERE id = $1", 1, pg), 1);
	ck_assert_int_eq(bt_super_exec("UPDATE businesses SET country = 'US' WHERE id = $1", 1, pu), 1);
	bt_resp r = bt_json("POST", CUSTOMERS, gb.access, "{\"name\":\"Ada\",\"phone\":\"07700 900123\"}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "phone"), "+447700900123");
	bt_free(&r);
	r = bt_json("GET", CUSTOMERS "/by-phone/07700900123", gb.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "name"), "Ada");
	bt_free(&r);
	/* no national rule known for US: only international forms */
	r = bt_json("POST", CUSTOMERS, us.access, "{\"name\":\"Joe\",\"phone\":\"0300 1234567\"}");
	bt_assert_field(&r, "phone", "invalid_phone");
	bt_free(&r);
	r = bt_json("POST", CUSTOMERS, us.access, "{\"name\":\"Joe\",\"phone\":\"+1 202 555 0143\"}");
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "phone"), "+12025550143");
	bt_free(&r);
}
END_TEST

/* ---- bahi_customer_find_or_create, called as the invoice code will */

/* Runs find_or_create in its own transaction in business; rc 0/-1, the id into id. */
static int
find_or_create(const char *business, const char *phone, const char *name, char id[BAHI_UUID_LEN + 1],
               char *problem, size_t size)
{
	bahi_req req;
	bahi_req_local(&req, &test_def);
	id[0] = '\0';
	int rc = bahi_tx_begin(&req, business);
	if (rc == 0)
		rc = bahi_customer_find_or_create(&req, phone, name, NULL, id);
	if (rc == 0)
		rc = bahi_tx_commit(&req);
	else
		bahi_tx_rollback(&req);
	if (problem != NULL)
		snprintf(problem, size, "%s %s %s", req.problem.code ? req.problem.code : "-",
		         req.problem.nerrors ? req.problem.errors[0].field : "-",
		         req.problem.nerrors ? req.problem.errors[0].code : "-");
	bahi_req_local_free(&req);
	return rc;
}

START_TEST(find_or_create_for_sales)
{
	char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], id[BAHI_UUID_LEN + 1], again[BAHI_UUID_LEN + 1];
	char problem[200], path[200];
	bahi_db_init(bt_get()->app_url);
	phone_pair(e164, local);
	ck_assert_int_eq(find_or_create(owner_a.business_id, local, "Gul", id, NULL, 0), 0);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	bt_resp r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "name"), "Gul");
	ck_assert_str_eq(bt_str(&r, "phone"), e164);
	ck_assert_int_eq(bt_at_int(&r, "opening_balance"), 0);
	bt_free(&r);
	char *log = bt_changes_of("customer", id);
	ck_assert_str_eq(log, "upsert1");
	free(log);
	/* found again by another spelling; the name it has stays */
	ck_assert_int_eq(find_or_create(owner_a.business_id, e164, "Someone else", again, NULL, 0), 0);
	ck_assert_str_eq(again, id);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_str_eq(bt_str(&r, "name"), "Gul");
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
	/* no name: the number is the name; B gets its own customer for the number */
	char e2[BT_PHONE_LEN], l2[BT_PHONE_LEN + 2];
	phone_pair(e2, l2);
	ck_assert_int_eq(find_or_create(owner_a.business_id, l2, NULL, id, NULL, 0), 0);
	snprintf(path, sizeof(path), CUSTOMERS "/%s", id);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_str_eq(bt_str(&r, "name"), e2);
	bt_free(&r);
	ck_assert_int_eq(find_or_create(owner_b.business_id, l2, "B's", again, NULL, 0), 0);
	ck_assert_str_ne(again, id);
	/* bad input: field errors named as in the invoice body */
	ck_assert_int_eq(find_or_create(owner_a.business_id, "12", "X", id, problem, sizeof(problem)), -1);
	ck_assert_str_eq(problem, "validation_failed customer.phone invalid_phone");
	ck_assert_int_eq(find_or_create(owner_a.business_id, NULL, "X", id, problem, sizeof(problem)), -1);
	ck_assert_str_eq(problem, "validation_failed customer.phone required");
	char long_name[260];
	memset(long_name, 'n', 201);
	long_name[201] = '\0';
	ck_assert_int_eq(find_or_create(owner_a.business_id, local, long_name, id, problem,
	                                sizeof(problem)), -1);
	ck_assert_str_eq(problem, "validation_failed customer.name too_long");
	ck_assert_int_eq(find_or_create(owner_a.business_id, local, "", id, problem, sizeof(problem)), -1);
	ck_assert_str_eq(problem, "validation_failed customer.name required");
	bahi_db_close();
}
END_TEST

enum { RACERS = 4 };

/* Forks RACERS processes calling find_or_create for phone in A; each writes its id to the pipe. */
static void
start_racers(const char *phone, pid_t pids[RACERS], int fds[RACERS])
{
	bahi_db_close();
	for (int i = 0; i < RACERS; i++) {
		int p[2];
		ck_assert_int_eq(pipe(p), 0);
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			char id[BAHI_UUID_LEN + 1];
			close(p[0]);
			bahi_db_init(bt_get()->app_url);
			int rc = find_or_create(owner_a.business_id, phone, "Racer", id, NULL, 0);
			ssize_t w = write(p[1], id, sizeof(id));
			_exit(rc == 0 && w == (ssize_t)sizeof(id) ? 0 : 1);
		}
		close(p[1]);
		fds[i] = p[0];
	}
}

/* Waits until n sessions of the app role wait for a lock in an INSERT into customers. */
static void
wait_blocked(int n)
{
	for (int tries = 0; tries < 1000; tries++) {
		long waiting = bt_super_long("SELECT count(*) FROM pg_stat_activity WHERE usename = 'bahi_app'"
		                             " AND wait_event_type = 'Lock'"
		                             " AND query LIKE 'INSERT INTO customers%'", 0, NULL);
		if (waiting >= n)
			return;
		usleep(10000);
	}
	ck_abort_msg("the racers never blocked on the uncommitted customer");
}

/* Collects the racers' ids; each must equal expect (or, when expect is "", one another). */
static void
collect_racers(pid_t pids[RACERS], int fds[RACERS], char expect[BAHI_UUID_LEN + 1])
{
	for (int i = 0; i < RACERS; i++) {
		char id[BAHI_UUID_LEN + 1] = "";
		int status;
		ck_assert_int_eq(read(fds[i], id, sizeof(id)), (ssize_t)sizeof(id));
		close(fds[i]);
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "racer %d failed", i);
		if (expect[0] == '\0')
			snprintf(expect, BAHI_UUID_LEN + 1, "%s", id);
		ck_assert_str_eq(id, expect);
	}
}

/* Concurrent sales creating the same customer all end with the one customer. */
START_TEST(find_or_create_is_safe_against_concurrent_sales)
{
	for (int commit = 0; commit < 2; commit++) {
		char e164[BT_PHONE_LEN], local[BT_PHONE_LEN + 2], held[BAHI_UUID_LEN + 1];
		char got[BAHI_UUID_LEN + 1] = "";
		pid_t pids[RACERS];
		int fds[RACERS];
		phone_pair(e164, local);
		/* another sale's transaction holds the number, uncommitted */
		PGconn *c = bt_db(bt_get()->super_url);
		bahi_uuid_v7(held);
		const char *p[3] = {owner_a.business_id, held, e164};
		PQclear(bt_sql(c, "BEGIN", 0, NULL));
		PQclear(bt_sql(c, "INSERT INTO customers (business_id, id, name, phone)"
		               " VALUES ($1, $2, 'First sale', $3)", 3, p));
		start_racers(local, pids, fds);
		wait_blocked(RACERS);
		PQclear(bt_sql(c, commit ? "COMMIT" : "ROLLBACK", 0, NULL));
		PQfinish(c);
		if (commit)
			snprintf(got, sizeof(got), "%s", held);
		collect_racers(pids, fds, got);
		ck_assert_int_eq(live_with_phone(&owner_a, e164), 1);
		const char *q[2] = {owner_a.business_id, e164};
		char *name = bt_super_value("SELECT name FROM customers WHERE business_id = $1 AND phone = $2",
		                            2, q);
		ck_assert_str_eq(name, commit ? "First sale" : "Racer");
		free(name);
		char *log = bt_changes_of("customer", got);
		if (commit)
			ck_assert_ptr_null(log);
		else
			ck_assert_str_eq(log, "upsert1");
		free(log);
	}
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
	Suite *s = suite_create("customers");
	TCase *t = tcase_create("customers");
	tcase_set_timeout(t, 60);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, create_normalises_the_phone_and_keeps_every_field);
	tcase_add_test(t, phone_is_unique_per_business);
	tcase_add_test(t, opening_balance_exact);
	tcase_add_test(t, patch_with_versions);
	tcase_add_test(t, delete_is_soft_and_frees_the_phone);
	tcase_add_test(t, delete_honours_if_match);
	tcase_add_test(t, delete_refused_while_money_is_owed);
	tcase_add_test(t, list_pages_follow_creation_time);
	tcase_add_test(t, list_search_by_name_and_phone);
	tcase_add_test(t, list_bad_parameters);
	tcase_add_test(t, lookup_by_phone);
	tcase_add_test(t, bad_input_per_field);
	tcase_add_test(t, metacharacters_stored_verbatim);
	tcase_add_test(t, client_ids);
	tcase_add_test(t, idempotent_create);
	tcase_add_test(t, expired_idempotency_keys_are_swept);
	tcase_add_test(t, clerk_permissions);
	tcase_add_test(t, other_business_customers_are_not_found);
	tcase_add_test(t, national_forms_follow_the_business_country);
	tcase_add_test(t, find_or_create_for_sales);
	tcase_add_test(t, find_or_create_is_safe_against_concurrent_sales);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
