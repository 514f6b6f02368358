/* check_account: the account export (a zip of every table, no secrets) and deletion (every row, file, code and SMS of the business; nothing of another). */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "harness.h"

/* A: exported, then deleted. B: another business that must not be touched. */
static bt_session owner_a, admin_a, owner_b;

#define FORMULA_NAME "=HYPERLINK(\"http://x\",\"y\")"
#define FORMULA_JSON "=HYPERLINK(\\\"http://x\\\",\\\"y\\\")"
/* How the CSV must hold it: defused with ', quoted, quotes doubled. */
#define FORMULA_CSV "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""

/* Every table of schema public that holds a business's rows, as the test
 * sees it: a business_id column, or businesses itself. Its own query, so a
 * table the code overlooks still shows up here. */
static PGresult *
tenant_tables(PGconn *c)
{
	return bt_sql(c,
		"SELECT c.relname, format('SELECT count(*) FROM public.%I WHERE %I = $1', c.relname,"
		"  CASE WHEN c.relname = 'businesses' THEN 'id' ELSE 'business_id' END)"
		" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
		" WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND (c.relname = 'businesses'"
		"   OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
		"   AND a.attname = 'business_id' AND a.attnum > 0 AND NOT a.attisdropped))"
		" ORDER BY 1", 0, NULL);
}

/* Rows of business bid in table i of tables. */
static long
table_rows(PGconn *c, const PGresult *tables, int i, const char *bid)
{
	const char *p[1] = {bid};
	PGresult *r = bt_sql(c, PQgetvalue(tables, i, 1), 1, p);
	long n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

/* OTP codes and outbox SMS of the given phones. */
static long
global_rows(const char *phones)
{
	const char *p[1] = {phones};
	return bt_super_long("SELECT (SELECT count(*) FROM otp_codes WHERE phone = ANY($1::text[]))"
	                     " + (SELECT count(*) FROM sms_outbox WHERE phone = ANY($1::text[]))", 1, p);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static int
exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* A's files: two plain files (one in a subfolder) and two links pointing
 * outside (whose targets must survive); B's one file; the targets. */
static void
seed_files(void)
{
	const char *d = bt_get()->dir;
	char p[600], q[600];
	snprintf(p, sizeof(p), "%s/outside", d);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/outside/keep.txt", d);
	write_file(p, "keep");
	const char *bids[2] = {owner_a.business_id, owner_b.business_id};
	for (int i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/files/%s", d, bids[i]);
		ck_assert_int_eq(mkdir(p, 0755), 0);
		snprintf(p, sizeof(p), "%s/files/%s/a.txt", d, bids[i]);
		write_file(p, "a");
	}
	snprintf(p, sizeof(p), "%s/files/%s/img", d, owner_a.business_id);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/files/%s/img/p.jpg", d, owner_a.business_id);
	write_file(p, "jpg");
	snprintf(p, sizeof(p), "%s/outside/keep.txt", d);
	snprintf(q, sizeof(q), "%s/files/%s/link", d, owner_a.business_id);
	ck_assert_int_eq(symlink(p, q), 0);
	snprintf(p, sizeof(p), "%s/outside", d);
	snprintf(q, sizeof(q), "%s/files/%s/dirlink", d, owner_a.business_id);
	ck_assert_int_eq(symlink(p, q), 0);
}

/* Two businesses through the API; A gets an admin, a formula for a name, and
 * rows in the tables sign-up leaves empty (as the superuser). */
static void
setup(void)
{
	bt_signup(&owner_a);
	bt_signup(&owner_b);
	bt_add_user(&owner_a, "admin", &admin_a);
	bt_resp r = bt_json("PATCH", "/api/v1/business", owner_a.access,
	                    "{\"name\":\"" FORMULA_JSON "\"}");
	ck_assert_msg(r.status == 200, "PATCH /business: %ld %s", r.status, r.body);
	bt_free(&r);
	const char *pa[2] = {owner_a.business_id, owner_a.user_id};
	ck_assert_int_eq(bt_super_exec(
		"INSERT INTO pairing_tokens (business_id, id, user_id, token_hash, expires_at)"
		" VALUES ($1, gen_random_uuid(), $2, repeat('b', 64), now())", 2, pa), 1);
	ck_assert_int_eq(bt_super_exec(
		"INSERT INTO app_keys (business_id, id, name, key_hash, created_by)"
		" VALUES ($1, gen_random_uuid(), 'erp', repeat('c', 64), $2)", 2, pa), 1);
	const char *bids[2] = {owner_a.business_id, owner_b.business_id};
	const bt_session *owners[2] = {&owner_a, &owner_b};
	for (int i = 0; i < 2; i++) {
		/* a sale: rows the business's cascade reaches only through a
		 * trigger (invoice lines, balances, stock movements: 0015) */
		char product[BAHI_UUID_LEN + 1], invoice[BAHI_UUID_LEN + 1], body[300];
		bt_product_stocked(owners[i], "Tea", 1000, 600, 5, product);
		snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2}],"
		         "\"payment_mode\":\"cash\",\"paid_amount\":2380}", product);
		bt_resp sale = bt_invoice_issue(owners[i], body, invoice);
		bt_free(&sale);
		const char *p[1] = {bids[i]};
		ck_assert_int_eq(bt_super_long("SELECT (SELECT count(*) FROM invoice_lines WHERE"
		                               " business_id = $1) * 100 + (SELECT count(*) FROM"
		                               " invoice_balances WHERE business_id = $1) * 10 +"
		                               " (SELECT count(*) FROM stock_ledger WHERE"
		                               " business_id = $1)", 1, p), 112);
		ck_assert_int_eq(bt_super_exec(
			"INSERT INTO idempotency_keys (business_id, key, method, path, request_hash)"
			" VALUES ($1, 'k1', 'POST', '/api/v1/x', repeat('a', 64))", 1, p), 1);
	}
	/* more rows than the export reads at once (bahi_export.c, EXPORT_BATCH) */
	ck_assert_int_eq(bt_super_exec(
		"INSERT INTO categories (business_id, id, name, sku_prefix)"
		" SELECT $1, gen_random_uuid(), 'Shelf ' || g, 'S' || g FROM generate_series(1, 4321) g",
		1, pa), 4321);
	const char *ph[1] = {admin_a.phone};
	ck_assert_int_eq(bt_super_exec(
		"INSERT INTO sms_outbox (phone, body, provider) VALUES ($1, 'hello', 'outbox')", 1, ph), 1);
	seed_files();
}

typedef struct zip_entry {
	char name[128];
	char *data;     /* NUL-terminated */
	size_t len;
} zip_entry;

/* Reads every entry of the archive held in data into e (at most max). */
static int
unzip_all(const char *data, size_t len, zip_entry *e, int max)
{
	char path[] = "/tmp/check_account-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	int err = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	ck_assert_msg(za != NULL, "zip_open: libzip error %d", err);
	int n = (int)zip_get_num_entries(za, 0);
	ck_assert_int_le(n, max);
	for (int i = 0; i < n; i++) {
		zip_stat_t st;
		ck_assert_int_eq(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
		snprintf(e[i].name, sizeof(e[i].name), "%s", st.name);
		e[i].len = (size_t)st.size;
		e[i].data = malloc(e[i].len + 1);
		zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(zip_fread(f, e[i].data, st.size), (zip_int64_t)st.size);
		e[i].data[e[i].len] = '\0';
		zip_fclose(f);
	}
	zip_discard(za);
	unlink(path);
	return n;
}

static const zip_entry *
entry(const zip_entry *e, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0)
			return &e[i];
	ck_abort_msg("no %s in the export", name);
	return NULL;
}

/* users.json: A's two users, with phones, without password hashes. */
static void
check_users_json(const zip_entry *e, int n)
{
	cJSON *users = cJSON_Parse(entry(e, n, "users.json")->data);
	ck_assert_int_eq(cJSON_GetArraySize(users), 2);
	int owner_seen = 0, admin_seen = 0;
	for (int i = 0; i < 2; i++) {
		const cJSON *u = cJSON_GetArrayItem(users, i);
		ck_assert_str_eq(cJSON_GetObjectItem(u, "business_id")->valuestring, owner_a.business_id);
		const char *phone = cJSON_GetObjectItem(u, "phone")->valuestring;
		owner_seen += strcmp(phone, owner_a.phone) == 0;
		admin_seen += strcmp(phone, admin_a.phone) == 0;
		ck_assert_ptr_null(cJSON_GetObjectItem(u, "password_hash"));
		ck_assert_int_eq(cJSON_IsNumber(cJSON_GetObjectItem(u, "token_version")), 1);
	}
	ck_assert_int_eq(owner_seen, 1);
	ck_assert_int_eq(admin_seen, 1);
	cJSON_Delete(users);
}

/* businesses.json holds the name as it is; businesses.csv defuses it. */
static void
check_business_files(const zip_entry *e, int n)
{
	cJSON *b = cJSON_Parse(entry(e, n, "businesses.json")->data);
	ck_assert_int_eq(cJSON_GetArraySize(b), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 0), "name")->valuestring,
	                 FORMULA_NAME);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 0), "id")->valuestring,
	                 owner_a.business_id);
	cJSON_Delete(b);
	const char *csv = entry(e, n, "businesses.csv")->data;
	const char *head = "\xEF\xBB\xBF" "id,name,type,country,";
	ck_assert_int_eq(strncmp(csv, head, strlen(head)), 0);
	char row[300];
	snprintf(row, sizeof(row), "\r\n%s," FORMULA_CSV ",,PK,PKR,Asia/Karachi,1900,15,3,en,2,",
	         owner_a.business_id);
	ck_assert_msg(strstr(csv, row) != NULL, "expected %s in %s", row, csv);
	ck_assert_int_eq(strcmp(csv + strlen(csv) - 2, "\r\n"), 0);
}

/* The manifest names every tenant table but the replay cache, with A's row
 * counts, and the archive holds exactly its JSON and CSV files. */
static void
check_manifest(const zip_entry *e, int n)
{
	const char *text = entry(e, n, "manifest.json")->data;
	cJSON *m = cJSON_Parse(text);
	ck_assert_msg(m != NULL, "manifest.json is not JSON: %s", text);
	ck_assert_str_eq(cJSON_GetObjectItem(m, "business_id")->valuestring, owner_a.business_id);
	ck_assert_str_eq(cJSON_GetObjectItem(m, "bahi_version")->valuestring, PACKAGE_VERSION);
	ck_assert_int_eq(strlen(cJSON_GetObjectItem(m, "exported_at")->valuestring), 20);
	const cJSON *counts = cJSON_GetObjectItem(m, "tables");
	PGconn *c = bt_db(bt_get()->super_url);
	PGresult *t = tenant_tables(c);
	int expected = 0;
	for (int i = 0; i < PQntuples(t); i++) {
		const char *name = PQgetvalue(t, i, 0);
		const cJSON *count = cJSON_GetObjectItem(counts, name);
		if (strcmp(name, "idempotency_keys") == 0) {
			ck_assert_ptr_null(count);
			continue;
		}
		ck_assert_msg(cJSON_IsNumber(count), "table %s missing from the manifest", name);
		/* the export's own activity row came after the snapshot */
		long rows = table_rows(c, t, i, owner_a.business_id) - (strcmp(name, "activity_log") == 0);
		ck_assert_msg(count->valueint == rows, "%s: %d rows exported, %ld in the table",
		              name, count->valueint, rows);
		char file[160];
		snprintf(file, sizeof(file), "%s.json", name);
		entry(e, n, file);
		snprintf(file, sizeof(file), "%s.csv", name);
		entry(e, n, file);
		expected++;
	}
	ck_assert_int_eq(cJSON_GetArraySize(counts), expected);
	ck_assert_int_eq(n, 1 + 2 * expected);
	ck_assert_int_eq(cJSON_GetObjectItem(counts, "users")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItem(counts, "businesses")->valueint, 1);
	PQclear(t);
	PQfinish(c);
	cJSON_Delete(m);
}

/* A table read in several batches comes out whole, once, in key order: the
 * JSON array and the CSV (a header, then a line per row) hold every row. */
static void
check_batched_table(const zip_entry *e, int n)
{
	const char *p[1] = {owner_a.business_id};
	long rows = bt_super_long("SELECT count(*) FROM categories WHERE business_id = $1", 1, p);
	ck_assert_int_eq(rows, 4321);
	cJSON *a = cJSON_Parse(entry(e, n, "categories.json")->data);
	ck_assert_msg(cJSON_IsArray(a), "categories.json is not a JSON array");
	ck_assert_int_eq(cJSON_GetArraySize(a), rows);
	for (int i = 1; i < rows; i++)
		ck_assert_str_lt(cJSON_GetObjectItem(cJSON_GetArrayItem(a, i - 1), "id")->valuestring,
		                 cJSON_GetObjectItem(cJSON_GetArrayItem(a, i), "id")->valuestring);
	cJSON_Delete(a);
	const zip_entry *csv = entry(e, n, "categories.csv");
	long lines = 0;
	for (size_t i = 0; i < csv->len; i++)
		lines += csv->data[i] == '\n';
	ck_assert_int_eq(lines, rows + 1);
	ck_assert_int_eq(memcmp(csv->data, "\xEF\xBB\xBF" "business_id,id,name,", 23), 0);
}

START_TEST(export_is_a_zip_of_every_table_without_secrets)
{
	bt_resp r = bt_json("GET", "/api/v1/account/export", owner_a.access, NULL);
	ck_assert_msg(r.status == 200, "export: %ld %s", r.status, r.body);
	ck_assert_str_eq(r.content_type, "application/zip");
	ck_assert_int_eq(memcmp(r.body, "PK\x03\x04", 4), 0);
	char *date = bt_super_value("SELECT to_char(now() AT TIME ZONE 'Asia/Karachi', 'YYYY-MM-DD')",
	                            0, NULL);
	char disp[200];
	snprintf(disp, sizeof(disp), "attachment; filename=\"bahi-export-%s-%s.zip\"",
	         owner_a.business_id, date);
	ck_assert_str_eq(bt_header(&r, "Content-Disposition"), disp);
	ck_assert_str_eq(bt_header(&r, "Cache-Control"), "no-store");
	free(date);
	zip_entry e[200];
	int n = unzip_all(r.body, r.len, e, 200);
	for (int i = 0; i < n; i++) {
		ck_assert_msg(strstr(e[i].data, "password_hash") == NULL, "password_hash in %s", e[i].name);
		ck_assert_msg(strstr(e[i].data, "$argon2id$") == NULL, "a password hash in %s", e[i].name);
		ck_assert_msg(strstr(e[i].data, "_hash") == NULL, "a _hash column in %s", e[i].name);
		ck_assert_msg(strstr(e[i].data, owner_b.business_id) == NULL, "B's id in %s", e[i].name);
		ck_assert_msg(strstr(e[i].data, owner_b.phone) == NULL, "B's phone in %s", e[i].name);
	}
	check_manifest(e, n);
	check_users_json(e, n);
	check_batched_table(e, n);
	check_business_files(e, n);
	for (int i = 0; i < n; i++)
		free(e[i].data);
	bt_free(&r);
	const char *p[1] = {owner_a.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1"
	                               " AND action = 'account_exported'", 1, p), 1);
}
END_TEST

START_TEST(only_the_owner_may_export_or_delete)
{
	bt_resp r = bt_json("GET", "/api/v1/account/export", admin_a.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	char body[200];
	snprintf(body, sizeof(body), "{\"password\":\"%s\"}", admin_a.password);
	r = bt_json("DELETE", "/api/v1/account", admin_a.access, body);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = bt_json("DELETE", "/api/v1/account", owner_a.access, "{}");
	bt_assert_problem(&r, 422, "validation_failed");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.field"), "password");
	bt_free(&r);
	const char *p[1] = {owner_a.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM businesses WHERE id = $1", 1, p), 1);
}
END_TEST

START_TEST(wrong_password_deletes_nothing)
{
	const char *p[1] = {owner_a.business_id};
	long users = bt_super_long("SELECT count(*) FROM users WHERE business_id = $1", 1, p);
	ck_assert_int_eq(users, 2);
	bt_resp r = bt_json("DELETE", "/api/v1/account", owner_a.access,
	                    "{\"password\":\"not-the-password-1\"}");
	bt_assert_field(&r, "password", "wrong_password");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM businesses WHERE id = $1", 1, p), 1);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM users WHERE business_id = $1", 1, p), 2);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1"
	                               " AND action = 'account_delete_refused'", 1, p), 1);
	r = bt_json("GET", "/api/v1/me", owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
}
END_TEST

/* The worker's log line for the deletion, or "" (read from the stack's log). */
static void
deletion_log_line(char *out, size_t size)
{
	char path[600], needle[120], line[4096];
	snprintf(path, sizeof(path), "%s/log/auth.log", bt_get()->dir);
	snprintf(needle, sizeof(needle), "business deleted: id=%s ", owner_a.business_id);
	out[0] = '\0';
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, needle) != NULL)
			snprintf(out, size, "%s", line);
	fclose(f);
}

/* A's files are gone, links removed but not followed; B's file and the
 * links' targets are still there. */
static void
check_files(void)
{
	const char *d = bt_get()->dir;
	char p[600];
	snprintf(p, sizeof(p), "%s/files/%s", d, owner_a.business_id);
	ck_assert_msg(!exists(p), "%s still exists", p);
	snprintf(p, sizeof(p), "%s/files/%s/a.txt", d, owner_b.business_id);
	ck_assert(exists(p));
	snprintf(p, sizeof(p), "%s/outside/keep.txt", d);
	ck_assert(exists(p));
}

START_TEST(delete_removes_every_row_file_and_code)
{
	PGconn *c = bt_db(bt_get()->super_url);
	PGresult *t = tenant_tables(c);
	int n = PQntuples(t);
	long before_a = 0, before_b[64];
	ck_assert_int_le(n, 64);
	for (int i = 0; i < n; i++) {
		before_a += table_rows(c, t, i, owner_a.business_id);
		before_b[i] = table_rows(c, t, i, owner_b.business_id);
	}
	char phones_a[80], phones_b[40];
	snprintf(phones_a, sizeof(phones_a), "{%s,%s}", owner_a.phone, admin_a.phone);
	snprintf(phones_b, sizeof(phones_b), "{%s}", owner_b.phone);
	long global_a = global_rows(phones_a), global_b = global_rows(phones_b);
	ck_assert_int_eq(global_a, 3);  /* the owner's OTP code and SMS, the admin's SMS */
	ck_assert_int_ge(before_a, 20);
	long sum_b = 0;
	for (int i = 0; i < n; i++)
		sum_b += before_b[i];
	ck_assert_int_ge(sum_b, 10);

	char body[200];
	snprintf(body, sizeof(body), "{\"password\":\"%s\"}", owner_a.password);
	bt_resp r = bt_json("DELETE", "/api/v1/account", owner_a.access, body);
	ck_assert_msg(r.status == 204, "delete: %ld %s", r.status, r.body);
	ck_assert_int_eq(r.len, 0);
	bt_free(&r);

	for (int i = 0; i < n; i++) {
		ck_assert_msg(table_rows(c, t, i, owner_a.business_id) == 0, "rows of A left in %s",
		              PQgetvalue(t, i, 0));
		ck_assert_msg(table_rows(c, t, i, owner_b.business_id) == before_b[i],
		              "rows of B changed in %s", PQgetvalue(t, i, 0));
	}
	ck_assert_int_eq(global_rows(phones_a), 0);
	ck_assert_int_eq(global_rows(phones_b), global_b);
	ck_assert_int_eq(global_b, 2);
	check_files();

	char line[4096], expect[200];
	deletion_log_line(line, sizeof(line));
	snprintf(expect, sizeof(expect), "business deleted: id=%s rows=%ld files=4\"",
	         owner_a.business_id, before_a + global_a);
	ck_assert_msg(strstr(line, expect) != NULL, "log line %s lacks %s", line, expect);
	ck_assert_ptr_null(strstr(line, owner_a.phone + 1));

	r = bt_json("GET", "/api/v1/me", owner_a.access, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/me", admin_a.access, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/me", owner_b.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "business.id"), owner_b.business_id);
	bt_free(&r);
	PQclear(t);
	PQfinish(c);
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("account");
	TCase *t = tcase_create("account");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, export_is_a_zip_of_every_table_without_secrets);
	tcase_add_test(t, only_the_owner_may_export_or_delete);
	tcase_add_test(t, wrong_password_deletes_nothing);
	tcase_add_test(t, delete_removes_every_row_file_and_code);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
