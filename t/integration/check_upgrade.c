/* check_upgrade: a database made by the earlier migrations, holding data, upgrades to the latest (bahi-migrate, as on a running install): 0014 copies each user onto their devices, 0015 turns single-column checks into domains and leaves a sale's rows intact and deletable, 0016 leaves its movements in the ledger. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#include "../check_run.h"

#define UPG_DB "bahi_upgrade"

static char secret_dir[600];

/* A password of the stack (secrets/<name>.pw), without its newline. */
static void
secret(const char *name, char *out, size_t size)
{
	char path[700];
	snprintf(path, sizeof(path), "%s/%s.pw", secret_dir, name);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL && fgets(out, (int)size, f) != NULL, "cannot read %s", path);
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

/* Runs a shell command; asserts it succeeds. */
__attribute__((format(printf, 1, 2))) static void
sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

/* A conninfo for role (password secret pw) to database db of the stack. */
static void
url(char *out, size_t size, const char *db, const char *role, const char *pw)
{
	char p[128];
	secret(pw, p, sizeof(p));
	snprintf(out, size, "host='%s/run/pg' port=5432 dbname=%s user=%s password=%s",
	         bt_get()->dir, db, role, p);
}

/* Runs bahi-migrate as the owner on UPG_DB with the migrations of dir. */
static void
migrate(const char *dir)
{
	const char *bld = getenv("BAHI_BUILDDIR");
	char owner[1024];
	url(owner, sizeof(owner), UPG_DB, "bahi_owner", "owner");
	sh("'%s/bahi-migrate' --db \"%s\" --dir '%s' >/dev/null", bld ? bld : ".", owner, dir);
}

/* The devices of UPG_DB as "name role version live" lines, by name. */
static char *
devices_now(PGconn *c)
{
	PGresult *r = bt_sql(c, "SELECT string_agg(name || ' ' || user_role || ' ' || token_version"
	                     " || ' ' || (revoked_at IS NULL), ',' ORDER BY name) FROM devices", 0, NULL);
	char *s = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return s;
}

#define UPG_B "'0190a2b3-0000-7000-8000-0000000000b1'"
#define UPG_I "'0190a2b3-0000-7000-8000-0000000000e1'"

/* Asserts that the one value sql answers on c is want. */
static void
expect_value(PGconn *c, const char *sql, const char *want)
{
	PGresult *r = bt_sql(c, sql, 0, NULL);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), want);
	PQclear(r);
}

/* A product, its stock movements and a sold invoice, in the tables as they
 * were before 0015. */
static void
sale_before(PGconn *c)
{
	PQclear(bt_sql(c, "INSERT INTO products (business_id, id, name, sku, price, cost, stock_qty)"
	       " VALUES (" UPG_B ", '0190a2b3-0000-7000-8000-0000000000f1', 'Tea', 'T-1', 1000, 600, 3)",
	       0, NULL));
	PQclear(bt_sql(c, "INSERT INTO stock_movements (business_id, id, product_id, kind, qty,"
	       " stock_after, unit_cost) VALUES"
	       " (" UPG_B ", gen_random_uuid(), '0190a2b3-0000-7000-8000-0000000000f1', 'in', 5, 5, 600),"
	       " (" UPG_B ", gen_random_uuid(), '0190a2b3-0000-7000-8000-0000000000f1', 'sale', -2, 3,"
	       "  600)", 0, NULL));
	PQclear(bt_sql(c, "INSERT INTO invoices (business_id, id, number, issued_on, payment_mode,"
	       " subtotal, discount, tax_rate_bp, tax, fee, total, credit_applied, paid, change_given,"
	       " user_id, device_id) VALUES (" UPG_B ", " UPG_I ", 1, '2026-11-20', 'cash', 2000, 0,"
	       " 1900, 380, 0, 2380, 0, 2380, 0, '0190a2b3-0000-7000-8000-0000000000a1',"
	       " '0190a2b3-0000-7000-8000-0000000000d1')", 0, NULL));
	PQclear(bt_sql(c, "INSERT INTO invoice_lines (business_id, invoice_id, line_no, product_id,"
	       " name, qty, unit_price, unit_cost, line_total) VALUES (" UPG_B ", " UPG_I ", 0,"
	       " '0190a2b3-0000-7000-8000-0000000000f1', 'Tea', 2, 1000, 600, 2000)", 0, NULL));
	PQclear(bt_sql(c, "INSERT INTO invoice_balances (business_id, invoice_id, paid, balance_due,"
	       " status, issued_on, number) VALUES (" UPG_B ", " UPG_I ", 2380, 0, 'paid',"
	       " '2026-11-20', 1)", 0, NULL));
}

/* The sale after 0015: the same values in domain-typed columns, which
 * refuse what the checks refused; deleting the business removes its rows of
 * the tables that no longer reference businesses. */
static void
sale_after(PGconn *c)
{
	expect_value(c, "SELECT string_agg(format_type(atttypid, atttypmod), ','"
	                " ORDER BY attrelid::regclass::text, attname) FROM pg_attribute"
	                " WHERE (attrelid, attname) IN (('invoices'::regclass, 'total'),"
	                " ('invoice_lines'::regclass, 'qty'), ('stock_movements'::regclass,"
	                " 'kind'), ('products'::regclass, 'stock_qty'))",
	                "bahi_qty_positive,bahi_amount,bahi_qty,bahi_movement_kind");
	expect_value(c, "SELECT i.total || ' ' || l.qty || ' ' || l.line_total || ' ' || p.stock_qty"
	                " || ' ' || b.status || ' ' || (SELECT string_agg(m.kind || m.qty, ','"
	                " ORDER BY m.qty DESC) FROM stock_movements m) FROM invoices i JOIN invoice_lines l"
	                " USING (business_id) JOIN products p USING (business_id)"
	                " JOIN invoice_balances b USING (business_id)",
	                "2380 2.000 2000 3.000 paid in5.000,sale-2.000");
	/* 0016: the sale's line carries no movement; the ledger reads its row */
	expect_value(c, "SELECT string_agg(kind || trim_scale(qty), ',' ORDER BY qty DESC) || ' '"
	                " || sum(qty) || ' ' || (SELECT count(*) FROM invoice_lines WHERE movement_id"
	                " IS NOT NULL) FROM stock_ledger",
	                "in5,sale-2 3.000 0");
	PGresult *r = PQexec(c, "UPDATE products SET stock_qty = -1");
	ck_assert_str_eq(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23514");
	PQclear(r);
	r = PQexec(c, "INSERT INTO stock_movements (business_id, id, product_id, kind, qty, stock_after,"
	           " unit_cost) VALUES (" UPG_B ", gen_random_uuid(),"
	           " '0190a2b3-0000-7000-8000-0000000000f1', 'gift', 1, 4, 600)");
	ck_assert_str_eq(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23514");
	PQclear(r);
	PQclear(bt_sql(c, "BEGIN", 0, NULL));
	PQclear(bt_sql(c, "SELECT set_config('app.deleting_business', " UPG_B ", true),"
	       " set_config('app.business_id', " UPG_B ", true)", 0, NULL));
	PQclear(bt_sql(c, "DELETE FROM businesses WHERE id = " UPG_B, 0, NULL));
	expect_value(c, "SELECT (SELECT count(*) FROM invoice_lines) + (SELECT count(*) FROM"
	                " invoice_balances) + (SELECT count(*) FROM stock_movements) + (SELECT count(*)"
	                " FROM invoices) + (SELECT count(*) FROM products)",
	                "0");
	PQclear(bt_sql(c, "ROLLBACK", 0, NULL));
}

START_TEST(devices_take_their_users_on_upgrade)
{
	const char *src = getenv("BAHI_SRCDIR") ? getenv("BAHI_SRCDIR") : ".";
	char dir[] = "/tmp/bahi-upgrade-XXXXXX", super[1024], owner_pw[128], app_pw[128], su_pw[128];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* the migrations before 0014, as an install that has not upgraded yet had them */
	sh("for f in '%s'/sql/migrations/[0-9]*.sql; do n=$(basename \"$f\" | cut -c1-4);"
	   " [ \"$n\" -lt 14 ] && ln -s \"$f\" '%s'/; done; true", src, dir);
	secret("owner", owner_pw, sizeof(owner_pw));
	secret("app", app_pw, sizeof(app_pw));
	secret("super", su_pw, sizeof(su_pw));
	sh("PGPASSWORD='%s' PGOPTIONS='-c client_min_messages=warning' psql -X -q"
	   " -h '%s/run/pg' -U bahi_super -d postgres -v owner_password='%s' -v app_password='%s'"
	   " -v dbname=" UPG_DB " -f '%s/sql/bootstrap.sql' >/dev/null",
	   su_pw, bt_get()->dir, owner_pw, app_pw, src);
	migrate(dir);

	url(super, sizeof(super), UPG_DB, "bahi_super", "super");
	PGconn *c = bt_db(super);
	PQclear(bt_sql(c, "INSERT INTO businesses (id, name) VALUES"
	       " ('0190a2b3-0000-7000-8000-0000000000b1', 'Upgraded shop')", 0, NULL));
	PQclear(bt_sql(c, "INSERT INTO users (business_id, id, phone, name, role, password_hash,"
	       " token_version, deleted_at) VALUES"
	       " ('0190a2b3-0000-7000-8000-0000000000b1', '0190a2b3-0000-7000-8000-0000000000a1',"
	       "  '+923001110001', 'Admin', 'admin', 'x', 4, NULL),"
	       " ('0190a2b3-0000-7000-8000-0000000000b1', '0190a2b3-0000-7000-8000-0000000000a2',"
	       "  '+923001110002', 'Gone', 'clerk', 'x', 2, now())", 0, NULL));
	PQclear(bt_sql(c, "INSERT INTO devices (business_id, id, user_id, name, platform,"
	       " revoked_at) VALUES"
	       " ('0190a2b3-0000-7000-8000-0000000000b1', '0190a2b3-0000-7000-8000-0000000000d1',"
	       "  '0190a2b3-0000-7000-8000-0000000000a1', 'admin-phone', 'android', NULL),"
	       " ('0190a2b3-0000-7000-8000-0000000000b1', '0190a2b3-0000-7000-8000-0000000000d2',"
	       "  '0190a2b3-0000-7000-8000-0000000000a1', 'admin-old', 'ios', now()),"
	       " ('0190a2b3-0000-7000-8000-0000000000b1', '0190a2b3-0000-7000-8000-0000000000d3',"
	       "  '0190a2b3-0000-7000-8000-0000000000a2', 'gone-phone', 'android', NULL)", 0, NULL));

	sale_before(c);

	char all[700];
	snprintf(all, sizeof(all), "%s/sql/migrations", src);
	migrate(all);
	sale_after(c);
	char *now = devices_now(c);
	ck_assert_str_eq(now, "admin-old admin 4 false,admin-phone admin 4 true,gone-phone clerk 2 false");
	free(now);
	expect_value(c, "SELECT string_agg(version::text, ',' ORDER BY version)"
	                " FROM schema_migrations WHERE version >= '0013'",
	                "0013,0014,0015,0016,0017");
	PQfinish(c);

	sh("rm -rf '%s'", dir);
	sh("PGPASSWORD='%s' psql -X -q -h '%s/run/pg' -U bahi_super -d postgres"
	   " -c 'DROP DATABASE " UPG_DB "' >/dev/null", su_pw, bt_get()->dir);
}
END_TEST

int
main(void)
{
	const bt_env *e = bt_start();
	snprintf(secret_dir, sizeof(secret_dir), "%s/secrets", e->dir);
	Suite *s = suite_create("upgrade");
	TCase *t = tcase_create("upgrade");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, devices_take_their_users_on_upgrade);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
