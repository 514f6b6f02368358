/* bahi_export: finds a business's tables in the catalog and writes them as JSON and CSV into a zip archive. */
#include "bahi_export.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "bahi_activity.h"
#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_log.h"
#include "bahi_random.h"
#include "bahi_req.h"

/* Every table of schema public with a business_id column, and businesses
 * (keyed by id), with statements that PostgreSQL writes from the catalog:
 * names quoted by format('%I'), never by us. Columns ending in _hash
 * (password_hash, token_hash, code_hash, key_hash...) are never selected;
 * timestamps come out as RFC 3339 UTC through bahi_ts(). idempotency_keys
 * is a 24-hour replay cache whose stored responses can hold one-time secrets
 * (a new app key, a pairing token): it is deleted with the business but not
 * exported. */
static BAHI_STMT(tenant_catalog,
	"SELECT c.relname,"
	" format('SELECT %s FROM public.%I t WHERE t.%I = $1%s', cols.list, c.relname, k.col, pk.ord),"
	" format('SELECT count(*) FROM public.%I t WHERE t.%I = $1', c.relname, k.col),"
	" format('DELETE FROM public.%I t WHERE t.%I = $1', c.relname, k.col),"
	" c.relname <> 'idempotency_keys'"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" CROSS JOIN LATERAL (SELECT CASE WHEN c.relname = 'businesses' THEN 'id'"
	"   ELSE 'business_id' END AS col) k"
	" CROSS JOIN LATERAL (SELECT string_agg(CASE WHEN a.atttypid = 'timestamptz'::regtype"
	"   THEN format('public.bahi_ts(t.%1$I) AS %1$I', a.attname) ELSE format('t.%I', a.attname) END,"
	"   ', ' ORDER BY a.attnum) AS list FROM pg_attribute a WHERE a.attrelid = c.oid"
	"   AND a.attnum > 0 AND NOT a.attisdropped AND a.attname !~ '_hash$') cols"
	" CROSS JOIN LATERAL (SELECT COALESCE(' ORDER BY ' || string_agg(format('t.%I', a.attname),"
	"   ', ' ORDER BY x.n), '') AS ord FROM pg_index i"
	"   CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY x(attnum, n)"
	"   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.attnum"
	"   WHERE i.indrelid = c.oid AND i.indisprimary) pk"
	" WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
	"   AND cols.list IS NOT NULL AND (c.relname = 'businesses' OR EXISTS ("
	"   SELECT 1 FROM pg_attribute b WHERE b.attrelid = c.oid AND b.attname = 'business_id'"
	"   AND b.attnum > 0 AND NOT b.attisdropped))"
	" ORDER BY c.relname");

/* 1 when name is a plain lower-case identifier (safe as a file name too). */
static int
plain_name(const char *name)
{
	if (name[0] == '\0' || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

bahi_tenant_table *
bahi_tenant_tables(bahi_req *req, int *n)
{
	PGresult *res = bahi_db_exec(req, &tenant_catalog, 0, NULL);
	if (res == NULL)
		return NULL;
	int rows = PQntuples(res);
	bahi_tenant_table *t = bahi_pool_calloc(req->pool, (size_t)rows + 1, sizeof(*t));
	for (int i = 0; i < rows; i++) {
		t[i].name = bahi_db_get(res, i, 0);
		if (!plain_name(t[i].name)) {
			bahi_fail(req, "internal_error", NULL);
			return NULL;
		}
		t[i].select_sql = bahi_db_get(res, i, 1);
		t[i].count_sql = bahi_db_get(res, i, 2);
		t[i].delete_sql = bahi_db_get(res, i, 3);
		t[i].exported = bahi_db_get(res, i, 4)[0] == 't';
	}
	*n = rows;
	return t;
}

/* Statements generated from the catalog, prepared once per connection like
 * any BAHI_STMT. Their number only grows when migrations change tables. */
#define TENANT_STMT_MAX 512
static struct tenant_stmt {
	char name[32];
	bahi_stmt st;
} tenant_stmts[TENANT_STMT_MAX];
static int tenant_nstmts;

static bahi_stmt *
tenant_stmt(bahi_req *req, const char *sql)
{
	for (int i = 0; i < tenant_nstmts; i++)
		if (strcmp(tenant_stmts[i].st.sql, sql) == 0)
			return &tenant_stmts[i].st;
	char *copy = tenant_nstmts < TENANT_STMT_MAX ? strdup(sql) : NULL;
	if (copy == NULL) {
		bahi_fail(req, "internal_error", "Too many generated statements.");
		return NULL;
	}
	struct tenant_stmt *e = &tenant_stmts[tenant_nstmts++];
	char hash[65];
	bahi_sha256_hex(sql, strlen(sql), hash);
	snprintf(e->name, sizeof(e->name), "tenant_%.20s", hash);
	e->st.name = e->name;
	e->st.sql = copy;
	e->st.prepared_gen = 0;
	return &e->st;
}

PGresult *
bahi_tenant_exec(bahi_req *req, const char *sql, const char *business_id)
{
	bahi_stmt *st = tenant_stmt(req, sql);
	const char *p[1] = {business_id};
	return st ? bahi_db_exec(req, st, 1, p) : NULL;
}

int
bahi_csv_field(bahi_buf *b, const char *v, int is_text)
{
	int rc = 0, quote = strpbrk(v, ",\"\r\n") != NULL;
	if (quote)
		rc |= bahi_buf_putc(b, '"');
	if (is_text && v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL)
		rc |= bahi_buf_putc(b, '\'');
	for (const char *q; (q = strchr(v, '"')) != NULL; v = q + 1)
		rc |= bahi_buf_append(b, v, (size_t)(q - v + 1)) | bahi_buf_putc(b, '"');
	rc |= bahi_buf_puts(b, v);
	if (quote)
		rc |= bahi_buf_putc(b, '"');
	return rc ? -1 : 0;
}

/* Type OIDs from pg_type.dat. */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_JSON 114
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700
#define OID_JSONB 3802

enum col_kind { KIND_TEXT, KIND_NUMBER, KIND_BOOL, KIND_JSON };

static enum col_kind
col_kind(Oid type)
{
	switch (type) {
	case OID_BOOL:
		return KIND_BOOL;
	case OID_INT2: case OID_INT4: case OID_INT8: case OID_NUMERIC:
	case OID_FLOAT4: case OID_FLOAT8:
		return KIND_NUMBER;
	case OID_JSON: case OID_JSONB:
		return KIND_JSON;
	default:
		return KIND_TEXT;
	}
}

/* One row as a JSON object; json and jsonb columns are embedded as JSON. */
static cJSON *
export_row(const PGresult *res, int row)
{
	cJSON *o = bahi_json_row(res, row);
	for (int c = 0; c < PQnfields(res); c++) {
		if (col_kind(PQftype(res, c)) != KIND_JSON || PQgetisnull(res, row, c))
			continue;
		cJSON *v = cJSON_Parse(PQgetvalue(res, row, c));
		if (v != NULL)
			cJSON_ReplaceItemInObjectCaseSensitive(o, PQfname(res, c), v);
	}
	return o;
}

/* One table's two files while its rows arrive in batches. */
typedef struct table_out {
	FILE *js, *csv;
	long rows;
	int batches;
} table_out;

/* Appends the batch's rows to the JSON array, one object per line (the
 * array is opened at the first row and closed by out_finish). 0 or -1. */
static int
out_json(table_out *o, const PGresult *res)
{
	for (int r = 0; r < PQntuples(res); r++) {
		cJSON *row = export_row(res, r);
		char *s = cJSON_PrintUnformatted(row);
		cJSON_Delete(row);
		if (s == NULL)
			return -1;
		int rc = fprintf(o->js, "%s%s", o->rows + r ? ",\n" : "[\n", s);
		cJSON_free(s);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Appends row's fields (row -1: the column names) and CRLF to b. */
static int
csv_line(bahi_buf *b, const PGresult *res, int row)
{
	int rc = 0;
	for (int c = 0; c < PQnfields(res); c++) {
		if (c > 0)
			rc |= bahi_buf_putc(b, ',');
		if (row < 0) {
			rc |= bahi_csv_field(b, PQfname(res, c), 1);
			continue;
		}
		if (PQgetisnull(res, row, c))
			continue;
		const char *v = PQgetvalue(res, row, c);
		enum col_kind k = col_kind(PQftype(res, c));
		if (k == KIND_BOOL)
			rc |= bahi_buf_puts(b, v[0] == 't' ? "true" : "false");
		else
			rc |= bahi_csv_field(b, v, k != KIND_NUMBER);
	}
	rc |= bahi_buf_puts(b, "\r\n");
	return rc ? -1 : 0;
}

/* Appends the batch's rows as CSV: UTF-8 with a BOM (so spreadsheets read it
 * as UTF-8) and a header row before the first batch, CRLF line ends. 0 or -1. */
static int
out_csv(table_out *o, const PGresult *res, int first)
{
	bahi_buf b;
	bahi_buf_init(&b, 64u * 1024 * 1024);
	int rc = first ? bahi_buf_puts(&b, "\xEF\xBB\xBF") : 0;
	for (int r = first ? -1 : 0; rc == 0 && r < PQntuples(res); r++) {
		rc = csv_line(&b, res, r);
		if (rc == 0 && fwrite(b.data, 1, b.len, o->csv) != b.len)
			rc = -1;
		bahi_buf_reset(&b);
	}
	bahi_buf_free(&b);
	return rc;
}

/* Ends the JSON array ("[]" when the table had no row). 0 or -1. */
static int
out_finish(table_out *o)
{
	return fputs(o->rows ? "\n]\n" : "[]\n", o->js) == EOF ? -1 : 0;
}

/* Adds the file f (read from its start) to the archive as name; the archive
 * owns f from here on, even on failure. 0 or -1. */
static int
zip_add_file(zip_t *za, const char *name, FILE *f)
{
	if (f == NULL)
		return -1;
	/* libzip reads a stream from where it stands, not from start 0 */
	if (fflush(f) != 0 || ferror(f) || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	zip_source_t *src = zip_source_filep(za, f, 0, -1);
	if (src == NULL) {
		fclose(f);
		return -1;
	}
	if (zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return -1;
	}
	return 0;
}

#define EXPORT_BATCH 2000
#define EXPORT_STR(x) EXPORT_STR_(x)
#define EXPORT_STR_(x) #x
static BAHI_STMT(export_fetch, "FETCH FORWARD " EXPORT_STR(EXPORT_BATCH) " FROM bahi_export");
static BAHI_STMT(export_close, "CLOSE bahi_export");

/* Reads the table through a cursor, EXPORT_BATCH rows at a time (each batch
 * cleared before the next, so a large table never sits in memory), into o's
 * files; o->rows gets the count. 0, or -1 with a problem when a statement
 * failed (the files may be incomplete either way). */
static int
out_table(bahi_req *req, const bahi_tenant_table *t, table_out *o)
{
	const char *declare = bahi_pool_printf(req->pool,
		"DECLARE bahi_export NO SCROLL CURSOR FOR %s", t->select_sql);
	if (bahi_tenant_exec(req, declare, req->tx_business) == NULL)
		return -1;
	int more = 1, rc = 0;
	while (more && rc == 0) {
		PGresult *res = bahi_db_exec(req, &export_fetch, 0, NULL);
		if (res == NULL)
			return -1;
		rc = out_json(o, res) | out_csv(o, res, o->batches++ == 0);
		more = PQntuples(res) == EXPORT_BATCH;
		o->rows += PQntuples(res);
		bahi_db_release(req, res);
	}
	if (rc != 0)
		return bahi_fail(req, "internal_error", "Could not write the export.");
	return bahi_db_exec(req, &export_close, 0, NULL) == NULL || out_finish(o) != 0 ? -1 : 0;
}

/* Writes one table as <name>.json and <name>.csv into the archive; *rows
 * gets its row count. 0, or -1 with a problem. */
static int
zip_add_table(bahi_req *req, zip_t *za, const bahi_tenant_table *t, long *rows)
{
	table_out o = {tmpfile(), tmpfile(), 0, 0};
	int rc = o.js != NULL && o.csv != NULL ? out_table(req, t, &o) : -1;
	*rows = o.rows;
	if (rc != 0) {
		if (o.js != NULL)
			fclose(o.js);
		if (o.csv != NULL)
			fclose(o.csv);
		return req->problem.status ? -1 :
		       bahi_fail(req, "internal_error", "Could not write the export.");
	}
	/* the archive owns each file from here on, even on failure */
	if (zip_add_file(za, bahi_pool_printf(req->pool, "%s.json", t->name), o.js) != 0) {
		fclose(o.csv);
		return bahi_fail(req, "internal_error", "Could not write the export.");
	}
	if (zip_add_file(za, bahi_pool_printf(req->pool, "%s.csv", t->name), o.csv) != 0)
		return bahi_fail(req, "internal_error", "Could not write the export.");
	return 0;
}

/* Adds manifest.json: what was exported, when, by which bahi, and how many
 * rows each table had. 0 or -1. */
static int
zip_add_manifest(bahi_req *req, zip_t *za, const char *exported_at, cJSON *counts)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddNumberToObject(m, "format_version", 1);
	cJSON_AddStringToObject(m, "business_id", req->tx_business);
	cJSON_AddStringToObject(m, "exported_at", exported_at);
	cJSON_AddStringToObject(m, "bahi_version", bahi_config_get("version"));
	cJSON_AddItemToObject(m, "tables", counts);
	char *s = cJSON_Print(m);
	cJSON_Delete(m);
	FILE *f = s ? tmpfile() : NULL;
	if (f != NULL && fprintf(f, "%s\n", s) < 0) {
		fclose(f);
		f = NULL;
	}
	cJSON_free(s);
	return zip_add_file(za, "manifest.json", f);
}

/* Selects every exported table into the archive; *total gets the rows. */
static int
zip_add_tables(bahi_req *req, zip_t *za, const char *exported_at, long *total)
{
	int n;
	bahi_tenant_table *t = bahi_tenant_tables(req, &n);
	if (t == NULL)
		return -1;
	cJSON *counts = cJSON_CreateObject();
	*total = 0;
	for (int i = 0; i < n; i++) {
		long rows;
		if (!t[i].exported)
			continue;
		if (zip_add_table(req, za, &t[i], &rows) != 0) {
			cJSON_Delete(counts);
			return -1;
		}
		cJSON_AddNumberToObject(counts, t[i].name, rows);
		*total += rows;
	}
	if (zip_add_manifest(req, za, exported_at, counts) != 0)
		return bahi_fail(req, "internal_error", "Could not write the export.");
	return 0;
}

/* Writes the archive at path (in a private directory) and opens it. Returns
 * the open descriptor, or -1 with a problem. */
static int
export_write(bahi_req *req, const char *path, const char *exported_at, long *total)
{
	int zerr = 0;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_EXCL, &zerr);
	if (za == NULL) {
		bahi_log_error(req, "export: zip_open failed (libzip error %d)", zerr);
		return bahi_fail(req, "internal_error", "Could not write the export.");
	}
	if (zip_add_tables(req, za, exported_at, total) != 0) {
		zip_discard(za);
		return -1;
	}
	if (zip_close(za) != 0) {
		bahi_log_error(req, "export: %s", zip_strerror(za));
		zip_discard(za);
		return bahi_fail(req, "internal_error", "Could not write the export.");
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bahi_fail(req, "internal_error", "Could not read the export.");
	return fd;
}

static BAHI_STMT(export_meta,
	"SELECT public.bahi_ts(now()), to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD')"
	" FROM businesses WHERE id = $1");

int
bahi_export_archive(bahi_req *req, int *fd, const char **filename)
{
	const char *p[1] = {req->tx_business};
	PGresult *meta = bahi_db_exec(req, &export_meta, 1, p);
	if (meta == NULL)
		return -1;
	if (PQntuples(meta) != 1)
		return bahi_fail(req, "not_found", NULL);
	/* libzip writes a temporary file beside the archive and renames it, so
	 * both live in a directory only this user can enter; the archive is
	 * unlinked as soon as it is open, and the directory removed */
	char dir[] = "/tmp/bahi-export-XXXXXX";
	if (mkdtemp(dir) == NULL)
		return bahi_fail(req, "internal_error", "Could not create a temporary directory.");
	const char *path = bahi_pool_printf(req->pool, "%s/export.zip", dir);
	long total = 0;
	int out = export_write(req, path, bahi_db_get(meta, 0, 0), &total);
	unlink(path);
	rmdir(dir);
	if (out < 0)
		return -1;
	const char *detail = bahi_pool_printf(req->pool, "%ld rows", total);
	if (bahi_activity_add(req, "account_exported", NULL, detail) != 0) {
		close(out);
		return -1;
	}
	*fd = out;
	*filename = bahi_pool_printf(req->pool, "bahi-export-%s-%s.zip", req->tx_business,
	                             bahi_db_get(meta, 0, 1));
	return 0;
}
