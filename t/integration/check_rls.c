/* check_rls: at the SQL level, the app role cannot see or change another business's rows, in any tenant table. */
#include <check.h>

#include "../check_run.h"
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *A = "0190a2b3-0000-7000-8000-0000000000aa";
static const char *B = "0190a2b3-0000-7000-8000-0000000000bb";

/* The catalog rows of business p[0]: one of each table, ids derived from the business's. */
static void
seed_catalog(const char *su, const char *const *p)
{
	bt_setup_sql(su, "INSERT INTO categories (business_id, id, name, sku_prefix) "
	             "VALUES ($1, $1, 'Furniture', 'Furniture') ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO products (business_id, id, category_id, name, sku) "
	             "VALUES ($1, $1, $1, 'Chair', 'Furniture-1') ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO products (business_id, id, name, sku, is_composite) "
	             "VALUES ($1::uuid, md5($1::text)::uuid, 'Chair set', 'SET-1', true) "
	             "ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO product_components (business_id, product_id, component_id, qty) "
	             "VALUES ($1::uuid, md5($1::text)::uuid, $1, 4) ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO suppliers (business_id, id, name, batch_prefix) "
	             "VALUES ($1, $1, 'Acme', 'Acme') ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO batches (business_id, id, batch_no, product_id, supplier_id, "
	             "qty_received, qty_remaining, cost) "
	             "VALUES ($1, $1, 'Acme-001-L0', $1, $1, 10, 10, 500) ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO stock_movements (business_id, id, product_id, kind, qty, "
	             "stock_after, batch_id) VALUES ($1, $1, $1, 'in', 10, 10, $1) "
	             "ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO image_uploads (business_id, id, product_id, content_type, size, "
	             "token_hash, expires_at) VALUES ($1::uuid, $1::uuid, $1::uuid, 'image/png', 10, "
	             "encode(sha256(convert_to($1::text, 'UTF8')), 'hex'), now()) ON CONFLICT DO NOTHING",
	             1, p);
	bt_setup_sql(su, "INSERT INTO supplier_invoices (business_id, id, supplier_id, invoice_no, lines) "
	             "VALUES ($1, $1, $1, 'INV-1', '[]') ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO supplier_parts (business_id, supplier_id, part_no, product_id) "
	             "VALUES ($1, $1, 'P-1', $1) ON CONFLICT DO NOTHING", 1, p);
}

/* The sales rows of business p[0] (p[1]: a phone of its own): a credit
 * invoice of 100.00 with one line, part paid, part returned, then voided,
 * an incomplete sale and a debt reminder. Written as the superuser, so the
 * immutable tables take them like any other; the figures satisfy every
 * CHECK of 0010_sales.sql. */
static void
seed_sales(const char *su, const char *const *p)
{
	bt_setup_sql(su, "INSERT INTO customers (business_id, id, name, phone, opening_balance) "
	             "VALUES ($1, $1, 'Customer', $2, 100) ON CONFLICT DO NOTHING", 2, p);
	bt_setup_sql(su, "INSERT INTO invoices (business_id, id, number, customer_id, issued_on, "
	             "payment_mode, subtotal, discount, tax_rate_bp, tax, fee, total, credit_applied, "
	             "paid, due_date) VALUES ($1, $1, 1, $1, '2026-01-01', 'credit', 10000, 0, 0, 0, 0, "
	             "10000, 0, 1000, '2026-01-16') ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO invoice_lines (business_id, invoice_id, line_no, product_id, name, "
	             "qty, unit_price, unit_cost, line_total) VALUES ($1, $1, 0, $1, 'Chair', 1, 10000, "
	             "5000, 10000) ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO invoice_balances (business_id, invoice_id, customer_id, paid, "
	             "returned, balance_due, status, due_date, issued_on, number) VALUES ($1, $1, $1, "
	             "4000, 1000, 0, 'void', '2026-01-16', '2026-01-01', 1) ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO incomplete_sales (business_id, id, customer_id, cart, subtotal, "
	             "discount, tax, fee, total, paid_amount) VALUES ($1, $1, $1, '{}', 10000, 0, 0, 0, "
	             "10000, 5000) ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO payments (business_id, id, customer_id, amount, method, invoice_id, "
	             "applied_to_invoices, opening_balance_reduced, credit_added, received_on) "
	             "VALUES ($1, $1, $1, 3000, 'cash', $1, 3000, 0, 0, '2026-01-02') "
	             "ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO payment_allocations (business_id, payment_id, invoice_id, amount, "
	             "balance_after) VALUES ($1, $1, $1, 3000, 6000) ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO credit_notes (business_id, id, number, invoice_id, customer_id, "
	             "subtotal, discount, tax, fee, total, debt_reduced, credit_restored, refunded, "
	             "refund_to, issued_on) VALUES ($1, $1, 1, $1, $1, 1000, 0, 0, 0, 1000, 1000, 0, 0, "
	             "'credit', '2026-01-03') ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO credit_note_lines (business_id, credit_note_id, line_no, "
	             "invoice_line_no, product_id, qty, unit_price, line_total) "
	             "VALUES ($1, $1, 0, 0, $1, 0.1, 10000, 1000) ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO invoice_voids (business_id, invoice_id, reason, debt_cancelled, "
	             "credit_restored, refunded, refund_to) VALUES ($1, $1, 'Wrong customer', 5000, 0, "
	             "4000, 'credit') ON CONFLICT DO NOTHING", 1, p);
	bt_setup_sql(su, "INSERT INTO debt_reminders (business_id, id, customer_id, invoice_id, "
	             "debt_status, sent_on, phone, sms_text) VALUES ($1, $1, $1, $1, 'red', '2026-01-13', "
	             "$2, 'Please pay') ON CONFLICT DO NOTHING", 2, p);
}

/* Two businesses with a row in every base table, written as the superuser. */
static void
seed(void)
{
	const char *su = bt_get()->super_url;
	const char *ids[2] = {A, B};
	for (int i = 0; i < 2; i++) {
		const char *p[2] = {ids[i], i == 0 ? "+923000000001" : "+923000000002"};
		bt_setup_sql(su, "INSERT INTO businesses (id, name) VALUES ($1, 'Shop') "
		               "ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO users (business_id, id, phone, name, role, password_hash) "
		               "VALUES ($1, $1, $2, 'Owner', 'owner', 'x') ON CONFLICT DO NOTHING", 2, p);
		bt_setup_sql(su, "INSERT INTO devices (business_id, id, user_id, name, platform) "
		               "VALUES ($1, $1, $1, 'Phone', 'android') ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO business_counters (business_id, name, value) "
		               "VALUES ($1, 'change_seq', 1) ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO change_log (business_id, seq, entity, entity_id, op, version) "
		               "VALUES ($1, 1, 'business', $1, 'upsert', 1) ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO change_batches (business_id, first_seq, last_seq, entities, "
		               "entity_ids, ops, versions) VALUES ($1, 2, 3, '{business,user}', "
		               "ARRAY[$1::uuid, $1::uuid], '{upsert,upsert}', '{1,1}') ON CONFLICT DO NOTHING",
		               1, p);
		bt_setup_sql(su, "INSERT INTO refresh_tokens (business_id, id, family_id, user_id, device_id, "
		             "token_hash, expires_at) VALUES ($1::uuid, $1::uuid, $1::uuid, $1::uuid, $1::uuid, "
		             "encode(sha256(convert_to($1::text, 'UTF8')), 'hex'), now() + interval '1 day') "
		             "ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO pairing_tokens (business_id, id, user_id, token_hash, expires_at) "
		             "VALUES ($1::uuid, $1::uuid, $1::uuid, encode(sha256(convert_to($1::text, 'UTF8')), 'hex'), now()) "
		             "ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO app_keys (business_id, id, name, key_hash, created_by) "
		             "VALUES ($1::uuid, $1::uuid, 'erp', encode(sha256(convert_to($1::text, 'UTF8')), 'hex'), $1::uuid) "
		             "ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO activity_log (business_id, id, action) "
		             "VALUES ($1, $1, 'signin') ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO idempotency_keys (business_id, key, method, path, request_hash) "
		               "VALUES ($1, 'k1', 'POST', '/x', repeat('a', 64)) ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO sync_mutations (business_id, mutation_id, device_id, entity, "
		             "op, entity_id, status) VALUES ($1, $1, $1, 'category', 'create', $1, 'applied') "
		             "ON CONFLICT DO NOTHING", 1, p);
		bt_setup_sql(su, "INSERT INTO sync_positions (business_id, device_id, seq) "
		             "VALUES ($1, $1, 1) ON CONFLICT DO NOTHING", 1, p);
		seed_catalog(su, p);
		seed_sales(su, p);
	}
}

/* Every table of the schema that holds tenant rows, and its tenant column. */
static PGresult *
tenant_tables(PGconn *c)
{
	return bt_sql(c,
		"SELECT c.relname, CASE WHEN c.relname = 'businesses' THEN 'id' ELSE 'business_id' END,"
		"       c.relrowsecurity, c.relforcerowsecurity"
		" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
		" WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations'"
		"   AND COALESCE(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'global:%'"
		" ORDER BY 1", 0, NULL);
}

START_TEST(every_table_forces_row_level_security)
{
	PGconn *c = bt_db(bt_get()->app_url);
	PGresult *t = tenant_tables(c);
	ck_assert_int_ge(PQntuples(t), 6);
	for (int i = 0; i < PQntuples(t); i++) {
		ck_assert_msg(strcmp(PQgetvalue(t, i, 2), "t") == 0, "%s: RLS off", PQgetvalue(t, i, 0));
		ck_assert_msg(strcmp(PQgetvalue(t, i, 3), "t") == 0, "%s: RLS not forced",
		              PQgetvalue(t, i, 0));
	}
	PQclear(t);
	PGresult *r = bt_sql(c, "SELECT rolsuper, rolbypassrls, "
	                     "(SELECT count(*) FROM pg_class WHERE relowner = r.oid) "
	                     "FROM pg_roles r WHERE rolname = current_user", 0, NULL);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "f");
	ck_assert_str_eq(PQgetvalue(r, 0, 1), "f");
	ck_assert_str_eq(PQgetvalue(r, 0, 2), "0");
	PQclear(r);
	PQfinish(c);
}
END_TEST

static long
affected(PGconn *c, const char *sql, const char *param, const char *table)
{
	const char *p[1] = {param};
	/* a refused statement aborts the transaction: run each under a savepoint */
	PQclear(bt_sql(c, "SAVEPOINT probe", 0, NULL));
	PGresult *res = PQexecParams(c, sql, param ? 1 : 0, NULL, p, NULL, NULL, 0);
	long n = -1;
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	else if (PQresultStatus(res) == PGRES_COMMAND_OK)
		n = strtol(PQcmdTuples(res), NULL, 10);
	else
		ck_assert_msg(strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE), "42501") == 0,
		              "%s: %s", table, PQresultErrorMessage(res));
	PQclear(res);
	PQclear(bt_sql(c, "ROLLBACK TO SAVEPOINT probe", 0, NULL));
	return n;
}

/* With business A set, B's rows cannot be read, updated, deleted or forged. */
START_TEST(app_role_cannot_touch_other_business)
{
	PGconn *c = bt_db(bt_get()->app_url);
	PGresult *t = tenant_tables(c);
	for (int i = 0; i < PQntuples(t); i++) {
		const char *tbl = PQgetvalue(t, i, 0), *col = PQgetvalue(t, i, 1);
		char sql[2048];
		PQclear(bt_sql(c, "BEGIN", 0, NULL));
		const char *pa[1] = {A};
		PQclear(bt_sql(c, "SELECT set_config('app.business_id', $1, true)", 1, pa));
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s = $1", tbl, col);
		ck_assert_msg(affected(c, sql, B, tbl) == 0, "%s: read B's rows", tbl);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s = $1", tbl, col);
		long own = bt_super_long(sql, 1, pa);
		ck_assert_msg(own >= 1, "%s: seed() must give A a row in every tenant table", tbl);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tbl);
		ck_assert_msg(affected(c, sql, NULL, tbl) == own, "%s: A should see its %ld rows", tbl, own);
		snprintf(sql, sizeof(sql), "UPDATE %s SET %s = %s WHERE %s = $1", tbl, col, col, col);
		ck_assert_msg(affected(c, sql, B, tbl) <= 0, "%s: updated B's rows", tbl);
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = $1", tbl, col);
		ck_assert_msg(affected(c, sql, B, tbl) <= 0, "%s: deleted B's rows", tbl);
		/* every column but generated ones, which an INSERT may not name */
		const char *pt[1] = {tbl};
		char *cols = bt_super_value("SELECT string_agg(format('%I', attname), ', ' ORDER BY attnum)"
		                            " FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0"
		                            " AND NOT attisdropped AND attgenerated = ''", 1, pt);
		char *rcols = bt_super_value("SELECT string_agg(format('r.%I', attname), ', ' ORDER BY attnum)"
		                             " FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0"
		                             " AND NOT attisdropped AND attgenerated = ''", 1, pt);
		snprintf(sql, sizeof(sql),
		         "INSERT INTO %s (%s) SELECT %s FROM %s x, jsonb_populate_record(NULL::%s, "
		         "to_jsonb(x) || jsonb_build_object('%s', $1::text)) r", tbl, cols, rcols, tbl, tbl, col);
		free(cols);
		free(rcols);
		ck_assert_msg(affected(c, sql, B, tbl) == -1, "%s: forged a row for B", tbl);
		PQclear(bt_sql(c, "ROLLBACK", 0, NULL));
	}
	PQclear(t);
	PQfinish(c);
}
END_TEST

/* The tenant is transaction-local: the next transaction on the connection sees nothing. */
START_TEST(tenant_does_not_outlive_transaction)
{
	PGconn *c = bt_db(bt_get()->app_url);
	const char *pa[1] = {A};
	PQclear(bt_sql(c, "BEGIN", 0, NULL));
	PQclear(bt_sql(c, "SELECT set_config('app.business_id', $1, true)", 1, pa));
	PGresult *r = bt_sql(c, "SELECT count(*) FROM users", 0, NULL);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "1");
	PQclear(r);
	PQclear(bt_sql(c, "COMMIT", 0, NULL));
	r = bt_sql(c, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM businesses)"
	           " + (SELECT count(*) FROM devices) + (SELECT count(*) FROM change_log)"
	           " + (SELECT count(*) FROM change_entries) + (SELECT count(*) FROM stock_ledger)",
	           0, NULL);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "0");
	/* the views read as the caller: in A's transaction, A's changes alone */
	PQclear(bt_sql(c, "BEGIN", 0, NULL));
	PQclear(bt_sql(c, "SELECT set_config('app.business_id', $1, true)", 1, pa));
	PQclear(r);
	r = bt_sql(c, "SELECT string_agg(seq || ' ' || entity, ',' ORDER BY seq) FROM change_entries",
	           0, NULL);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "1 business,2 business,3 user");
	PQclear(bt_sql(c, "COMMIT", 0, NULL));
	PQclear(r);
	PQfinish(c);
}
END_TEST

START_TEST(app_role_cannot_change_schema)
{
	PGconn *c = bt_db(bt_get()->app_url);
	const char *stmts[] = {
		"ALTER TABLE users DISABLE ROW LEVEL SECURITY",
		"ALTER TABLE users NO FORCE ROW LEVEL SECURITY",
		"DROP POLICY IF EXISTS users_tenant ON users",
		"DROP TABLE change_log",
		"CREATE TABLE evil (id int)",
		"SET row_security = off; SELECT count(*) FROM users",
	};
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		PGresult *res = PQexec(c, stmts[i]);
		ck_assert_msg(PQresultStatus(res) == PGRES_FATAL_ERROR, "allowed: %s", stmts[i]);
		PQclear(res);
	}
	PQfinish(c);
}
END_TEST

int
main(void)
{
	bt_start();
	seed();
	Suite *s = suite_create("rls");
	TCase *t = tcase_create("rls");
	tcase_add_test(t, every_table_forces_row_level_security);
	tcase_add_test(t, app_role_cannot_touch_other_business);
	tcase_add_test(t, tenant_does_not_outlive_transaction);
	tcase_add_test(t, app_role_cannot_change_schema);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
