/* check_sales_sql: at the SQL level, issued sales records refuse change, invoice CHECKs hold, and the reminder look-up opens businesses only. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *A = "0190a2b3-0000-7000-8000-0000000005aa";
static const char *B = "0190a2b3-0000-7000-8000-0000000005bb";

/* Business p[0] (p[1]: a phone of its own) with one row in every table of
 * 0010_sales.sql, written as the superuser: credit invoice 1 of 100.00,
 * 10.00 paid at the sale and 30.00 by a payment, 10.00 returned, the rest
 * (50.00) cancelled by its void; an incomplete sale; a debt reminder. */
static void
seed_business(const char *su, const char *const *p)
{
	bt_setup_sql(su, "INSERT INTO businesses (id, name) VALUES ($1, 'Shop')", 1, p);
	bt_setup_sql(su, "INSERT INTO customers (business_id, id, name, phone) "
	             "VALUES ($1, $1, 'Customer', $2)", 2, p);
	bt_setup_sql(su, "INSERT INTO products (business_id, id, name, sku, price, cost) "
	             "VALUES ($1, $1, 'Chair', 'C-1', 10000, 5000)", 1, p);
	bt_setup_sql(su, "INSERT INTO invoices (business_id, id, number, customer_id, issued_on, "
	             "payment_mode, subtotal, discount, tax_rate_bp, tax, fee, total, credit_applied, "
	             "paid, due_date) VALUES ($1, $1, 1, $1, '2026-01-01', 'credit', 10000, 0, 0, 0, 0, "
	             "10000, 0, 1000, '2026-01-16')", 1, p);
	bt_setup_sql(su, "INSERT INTO invoice_lines (business_id, invoice_id, line_no, product_id, name, "
	             "qty, unit_price, unit_cost, line_total) "
	             "VALUES ($1, $1, 0, $1, 'Chair', 1, 10000, 5000, 10000)", 1, p);
	bt_setup_sql(su, "INSERT INTO invoice_balances (business_id, invoice_id, customer_id, paid, "
	             "returned, balance_due, status, due_date, issued_on, number) "
	             "VALUES ($1, $1, $1, 4000, 1000, 0, 'void', '2026-01-16', '2026-01-01', 1)", 1, p);
	bt_setup_sql(su, "INSERT INTO incomplete_sales (business_id, id, customer_id, cart, subtotal, "
	             "discount, tax, fee, total, paid_amount) "
	             "VALUES ($1, $1, $1, '{}', 10000, 0, 0, 0, 10000, 5000)", 1, p);
	bt_setup_sql(su, "INSERT INTO payments (business_id, id, customer_id, amount, method, invoice_id, "
	             "applied_to_invoices, opening_balance_reduced, credit_added, received_on) "
	             "VALUES ($1, $1, $1, 3000, 'cash', $1, 3000, 0, 0, '2026-01-02')", 1, p);
	bt_setup_sql(su, "INSERT INTO payment_allocations (business_id, payment_id, invoice_id, amount, "
	             "balance_after) VALUES ($1, $1, $1, 3000, 6000)", 1, p);
	bt_setup_sql(su, "INSERT INTO credit_notes (business_id, id, number, invoice_id, customer_id, "
	             "subtotal, discount, tax, fee, total, debt_reduced, credit_restored, refunded, "
	             "refund_to, issued_on) VALUES ($1, $1, 1, $1, $1, 1000, 0, 0, 0, 1000, 1000, 0, 0, "
	             "'credit', '2026-01-03')", 1, p);
	bt_setup_sql(su, "INSERT INTO credit_note_lines (business_id, credit_note_id, line_no, "
	             "invoice_line_no, product_id, qty, unit_price, line_total) "
	             "VALUES ($1, $1, 0, 0, $1, 0.1, 10000, 1000)", 1, p);
	bt_setup_sql(su, "INSERT INTO invoice_voids (business_id, invoice_id, reason, debt_cancelled, "
	             "credit_restored, refunded, refund_to) "
	             "VALUES ($1, $1, 'Wrong customer', 5000, 0, 4000, 'credit')", 1, p);
	bt_setup_sql(su, "INSERT INTO debt_reminders (business_id, id, customer_id, invoice_id, "
	             "debt_status, sent_on, phone, sms_text) "
	             "VALUES ($1, $1, $1, $1, 'red', '2026-01-13', $2, 'Please pay')", 2, p);
}

static void
seed(void)
{
	const char *a[2] = {A, "+923000000051"}, *b[2] = {B, "+923000000052"};
	seed_business(bt_get()->super_url, a);
	seed_business(bt_get()->super_url, b);
}

/* The immutable tables: a harmless UPDATE and a DELETE of the seeded row of
 * business $1 (every id in the seed is the business's own). */
static const struct {
	const char *table, *update, *delete;
} immutable[] = {
	{"invoices", "UPDATE invoices SET note = 'changed' WHERE business_id = $1 AND id = $1",
	 "DELETE FROM invoices WHERE business_id = $1 AND id = $1"},
	{"invoice_lines", "UPDATE invoice_lines SET qty = 2 WHERE business_id = $1 AND invoice_id = $1",
	 "DELETE FROM invoice_lines WHERE business_id = $1 AND invoice_id = $1"},
	{"payments", "UPDATE payments SET method = 'bank' WHERE business_id = $1 AND id = $1",
	 "DELETE FROM payments WHERE business_id = $1 AND id = $1"},
	{"payment_allocations",
	 "UPDATE payment_allocations SET balance_after = 0 WHERE business_id = $1 AND payment_id = $1",
	 "DELETE FROM payment_allocations WHERE business_id = $1 AND payment_id = $1"},
	{"credit_notes", "UPDATE credit_notes SET reason = 'changed' WHERE business_id = $1 AND id = $1",
	 "DELETE FROM credit_notes WHERE business_id = $1 AND id = $1"},
	{"credit_note_lines",
	 "UPDATE credit_note_lines SET qty = 1 WHERE business_id = $1 AND credit_note_id = $1",
	 "DELETE FROM credit_note_lines WHERE business_id = $1 AND credit_note_id = $1"},
	{"invoice_voids", "UPDATE invoice_voids SET reason = 'changed' WHERE business_id = $1 AND invoice_id = $1",
	 "DELETE FROM invoice_voids WHERE business_id = $1 AND invoice_id = $1"},
};
#define NIMMUTABLE ((int)(sizeof(immutable) / sizeof(immutable[0])))

/* Runs sql (one parameter, or none) and checks that it fails with SQLSTATE
 * state; returns the result for more checks (PQclear it). */
static PGresult *
refused(PGconn *c, const char *sql, const char *param, const char *state)
{
	const char *p[1] = {param};
	PGresult *r = PQexecParams(c, sql, param != NULL, NULL, p, NULL, NULL, 0);
	const char *got = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	ck_assert_msg(PQresultStatus(r) == PGRES_FATAL_ERROR && got != NULL && strcmp(got, state) == 0,
	              "%s: expected SQLSTATE %s, got %s (%s)", sql, state, got ? got : "none",
	              PQresStatus(PQresultStatus(r)));
	return r;
}

/* Runs sql with one parameter and returns the number of rows it affected or read. */
static long
rows_of(PGconn *c, const char *sql, const char *param)
{
	PGresult *r = bt_sql(c, sql, param != NULL, &param);
	long n = PQresultStatus(r) == PGRES_TUPLES_OK ? strtol(PQgetvalue(r, 0, 0), NULL, 10) :
	         strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return n;
}

/* A connection as the application role acting for business bid (session-wide). */
static PGconn *
app_for(const char *bid)
{
	PGconn *c = bt_db(bt_get()->app_url);
	const char *p[1] = {bid};
	PQclear(bt_sql(c, "SELECT set_config('app.business_id', $1, false)", 1, p));
	return c;
}

/* The seeded rows are all there, unchanged (invoice note still NULL). */
static void
assert_seed_intact(void)
{
	const char *p[1] = {A};
	ck_assert_int_eq(bt_super_long(
		"SELECT (SELECT count(*) FROM invoices WHERE business_id = $1 AND note IS NULL)"
		" + (SELECT count(*) FROM invoice_lines WHERE business_id = $1 AND qty = 1)"
		" + (SELECT count(*) FROM payments WHERE business_id = $1 AND method = 'cash')"
		" + (SELECT count(*) FROM payment_allocations WHERE business_id = $1 AND balance_after = 6000)"
		" + (SELECT count(*) FROM credit_notes WHERE business_id = $1 AND reason IS NULL)"
		" + (SELECT count(*) FROM credit_note_lines WHERE business_id = $1 AND qty = 0.1)"
		" + (SELECT count(*) FROM invoice_voids WHERE business_id = $1 AND reason = 'Wrong customer')"
		" + (SELECT count(*) FROM invoice_balances WHERE business_id = $1 AND version = 1)",
		1, p), 8);
}

/* UPDATE and DELETE of each immutable row fail with state on connection c
 * (the row is there to be changed: the app role sees it, by RLS): 42501
 * for the app role, which holds neither privilege, BH001 (the trigger) for
 * any role that does. */
static void
assert_immutable(PGconn *c, const char *state)
{
	for (int i = 0; i < NIMMUTABLE; i++) {
		PQclear(refused(c, immutable[i].update, A, state));
		PQclear(refused(c, immutable[i].delete, A, state));
	}
	assert_seed_intact();
}

START_TEST(app_role_cannot_change_issued_records)
{
	PGconn *c = app_for(A);
	char sql[200];
	for (int i = 0; i < NIMMUTABLE; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", immutable[i].table);
		ck_assert_msg(rows_of(c, sql, NULL) == 1, "%s: the app role sees no row of A",
		              immutable[i].table);
	}
	assert_immutable(c, "42501");
	/* another business's deletion does not open A's records */
	const char *pb[1] = {B};
	PQclear(bt_sql(c, "SELECT set_config('app.deleting_business', $1, false)", 1, pb));
	assert_immutable(c, "42501");
	PQfinish(c);
}
END_TEST

START_TEST(superuser_cannot_change_issued_records)
{
	PGconn *c = bt_db(bt_get()->super_url);
	PGresult *r = bt_sql(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", 0, NULL);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	assert_immutable(c, "BH001");
	PQfinish(c);
}
END_TEST

/* Balance rows change (payments, returns, voids) but the app may not delete them. */
START_TEST(app_role_cannot_delete_balances)
{
	PGconn *c = app_for(A);
	PQclear(refused(c, "DELETE FROM invoice_balances WHERE business_id = $1 AND invoice_id = $1",
	                A, "42501"));
	PQclear(refused(c, "DELETE FROM invoice_balances", NULL, "42501"));
	PQclear(bt_sql(c, "BEGIN", 0, NULL));
	ck_assert_int_eq(rows_of(c, "UPDATE invoice_balances SET version = version + 1"
	                         " WHERE business_id = $1 AND invoice_id = $1", A), 1);
	PQclear(bt_sql(c, "ROLLBACK", 0, NULL));
	assert_seed_intact();
	PQfinish(c);
}
END_TEST

/* An invoice of business A, number n, with the given totals and customer ($1: A). */
#define INVOICE_SQL(mode, customer, tax, total, paid) \
	"INSERT INTO invoices (business_id, id, number, customer_id, issued_on, payment_mode," \
	" subtotal, discount, tax_rate_bp, tax, fee, total, credit_applied, paid)" \
	" VALUES ($1, gen_random_uuid(), 2, " customer ", current_date, '" mode "', 10000, 1000," \
	" 1900, " tax ", 500, " total ", 0, " paid ")"

/* The constraint a failed statement names must be the one whose definition is def. */
static void
assert_constraint(PGresult *r, const char *def)
{
	const char *name = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
	ck_assert_ptr_nonnull(name);
	const char *p[1] = {name};
	char *got = bt_super_value("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
	                           " WHERE conrelid = 'invoices'::regclass AND conname = $1", 1, p);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, def);
	free(got);
}

START_TEST(invoice_checks_refuse_bad_totals_and_credit_without_customer)
{
	PGconn *c = app_for(A);
	/* 100.00 - 10.00 + 17.10 tax + 5.00 fee = 112.10, not 112.00 */
	PGresult *r = refused(c, INVOICE_SQL("cash", "NULL", "1710", "11200", "11200"), A, "23514");
	/* subtotal, tax, fee and total are domains since 0015: PostgreSQL shows their casts */
	assert_constraint(r, "CHECK ((((((subtotal)::bigint - discount) + (tax)::bigint) +"
	                  " (fee)::bigint) = (total)::bigint))");
	PQclear(r);
	r = refused(c, INVOICE_SQL("credit", "NULL", "1710", "11210", "0"), A, "23514");
	assert_constraint(r, "CHECK ((((payment_mode)::text = 'cash'::text) OR"
	                  " (customer_id IS NOT NULL)))");
	PQclear(r);
	/* the same rows with the totals right, or the customer named, are taken */
	PQclear(bt_sql(c, "BEGIN", 0, NULL));
	ck_assert_int_eq(rows_of(c, INVOICE_SQL("cash", "NULL", "1710", "11210", "11210"), A), 1);
	PQclear(bt_sql(c, "ROLLBACK", 0, NULL));
	PQclear(bt_sql(c, "BEGIN", 0, NULL));
	ck_assert_int_eq(rows_of(c, INVOICE_SQL("credit", "$1", "1710", "11210", "0"), A), 1);
	PQclear(bt_sql(c, "ROLLBACK", 0, NULL));
	const char *p[1] = {A};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM invoices WHERE business_id = $1", 1, p), 1);
	PQfinish(c);
}
END_TEST

/* Every tenant table but businesses. */
static PGresult *
other_tables(PGconn *c)
{
	return bt_sql(c,
		"SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
		" WHERE n.nspname = 'public' AND c.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_attribute a"
		"   WHERE a.attrelid = c.oid AND a.attname = 'business_id' AND NOT a.attisdropped)"
		" ORDER BY 1", 0, NULL);
}

/* With app.job = 'reminders' (and the tenant tenant, or none: the nil
 * scope of idempotency_keys), c sees every business but, in every other
 * table, only the tenant's rows. */
static void
assert_scan_opens_businesses_only(PGconn *c, const char *tenant)
{
	long all = bt_super_long("SELECT count(*) FROM businesses", 0, NULL);
	ck_assert_int_ge(all, 2);
	ck_assert_int_eq(rows_of(c, "SELECT count(*) FROM businesses", NULL), all);
	ck_assert_int_eq(rows_of(c, "SELECT count(*) FROM businesses WHERE id = $1", B), 1);
	/* SELECT only: the other business cannot be changed or deleted */
	ck_assert_int_eq(rows_of(c, "UPDATE businesses SET name = name WHERE id = $1", B), 0);
	ck_assert_int_eq(rows_of(c, "DELETE FROM businesses WHERE id = $1", B), 0);
	PGresult *t = other_tables(c);
	char sql[200];
	ck_assert_int_ge(PQntuples(t), 29);
	for (int i = 0; i < PQntuples(t); i++) {
		const char *tbl = PQgetvalue(t, i, 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE business_id = $1", tbl);
		ck_assert_msg(rows_of(c, sql, B) == 0, "%s: the reminder scan shows B's rows", tbl);
		const char *p[1] = {tenant ? tenant : "00000000-0000-0000-0000-000000000000"};
		long own = bt_super_long(sql, 1, p);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tbl);
		ck_assert_msg(rows_of(c, sql, NULL) == own, "%s: the reminder scan shows rows not of %s",
		              tbl, p[0]);
	}
	PQclear(t);
}

START_TEST(reminder_scan_sees_every_business_and_nothing_else)
{
	PGconn *c = app_for(A);
	/* without the job: the tenant's own business only */
	ck_assert_int_eq(rows_of(c, "SELECT count(*) FROM businesses", NULL), 1);
	ck_assert_int_eq(rows_of(c, "SELECT count(*) FROM businesses WHERE id = $1", B), 0);
	PQclear(bt_sql(c, "SELECT set_config('app.job', 'sync', false)", 0, NULL));
	ck_assert_int_eq(rows_of(c, "SELECT count(*) FROM businesses", NULL), 1);
	PQclear(bt_sql(c, "SELECT set_config('app.job', 'reminders', false)", 0, NULL));
	assert_scan_opens_businesses_only(c, A);
	PQclear(bt_sql(c, "SELECT set_config('app.business_id', '', false)", 0, NULL));
	assert_scan_opens_businesses_only(c, NULL);
	PQclear(bt_sql(c, "SELECT set_config('app.job', '', false)", 0, NULL));
	ck_assert_int_eq(rows_of(c, "SELECT count(*) FROM businesses", NULL), 0);
	/* transaction-local, as the job sets it: gone after the transaction */
	PQclear(bt_sql(c, "BEGIN", 0, NULL));
	PQclear(bt_sql(c, "SELECT set_config('app.job', 'reminders', true)", 0, NULL));
	ck_assert_int_eq(rows_of(c, "SELECT count(*) FROM businesses", NULL),
	                 bt_super_long("SELECT count(*) FROM businesses", 0, NULL));
	PQclear(bt_sql(c, "COMMIT", 0, NULL));
	ck_assert_int_eq(rows_of(c, "SELECT count(*) FROM businesses", NULL), 0);
	PQfinish(c);
}
END_TEST

int
main(void)
{
	bt_start();
	seed();
	Suite *s = suite_create("sales_sql");
	TCase *t = tcase_create("sales_sql");
	tcase_add_test(t, app_role_cannot_change_issued_records);
	tcase_add_test(t, superuser_cannot_change_issued_records);
	tcase_add_test(t, app_role_cannot_delete_balances);
	tcase_add_test(t, invoice_checks_refuse_bad_totals_and_credit_without_customer);
	tcase_add_test(t, reminder_scan_sees_every_business_and_nothing_else);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
