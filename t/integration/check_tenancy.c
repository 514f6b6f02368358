/* check_tenancy: one business never reaches another's records through any route of any worker, and roles hold. */
#include <check.h>

#include "../check_run.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

#include "bahi_perm.h"
#include "bahi_uuid.h"
#include "harness.h"

/* ------------------------------------------------------------ route tables */

typedef struct route {
	char method[8];
	char path[200];
	char perm[64];          /* "" when the route names no permission */
	int perm_known;         /* 0 when the permission is not a string literal or NULL */
} route;

static route routes[512];
static int nroutes;

static const char *const workers[] = {
	"auth", "catalog", "invoicing", "ledger", "reports", "sync", "admin",
};

/* Copies the next "quoted" string after *p into out; 0, or -1 when none. */
static int
next_quoted(const char **p, char *out, size_t size)
{
	const char *a = strchr(*p, '"');
	const char *b = a ? strchr(a + 1, '"') : NULL;
	if (b == NULL || (size_t)(b - a - 1) >= size)
		return -1;
	snprintf(out, size, "%.*s", (int)(b - a - 1), a + 1);
	*p = b + 1;
	return 0;
}

/* One line of a route table: {"METHOD", "/api/v1/...", handler, flags, perm}. */
static void
parse_route_line(const char *line)
{
	route r;
	const char *p = line;
	memset(&r, 0, sizeof(r));
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "{\"", 2) != 0 || next_quoted(&p, r.method, sizeof(r.method)) != 0 ||
	    next_quoted(&p, r.path, sizeof(r.path)) != 0 || strncmp(r.path, "/api/v1/", 8) != 0)
		return;
	/* the fifth member: a string literal or NULL */
	const char *f = p;
	for (int commas = 0; *f && commas < 3; f++)
		commas += *f == ',';
	while (*f == ' ')
		f++;
	if (*f == '"') {
		r.perm_known = next_quoted(&f, r.perm, sizeof(r.perm)) == 0;
	} else {
		r.perm_known = strncmp(f, "NULL", 4) == 0;
	}
	if (nroutes == (int)(sizeof(routes) / sizeof(routes[0]))) {
		fprintf(stderr, "check_tenancy: too many routes\n");
		exit(2);
	}
	routes[nroutes++] = r;
}

/* Reads every worker's route table from the source tree: its main.c, and
 * <worker>_routes.c where the handlers are a library (auth, catalog,
 * invoicing). The admin panel's pages are /admin paths, not API routes. */
static void
load_routes(void)
{
	const char *src = getenv("BAHI_SRCDIR");
	char path[512], line[1024];
	int files = 0;
	for (size_t i = 0; i < sizeof(workers) / sizeof(workers[0]); i++) {
		for (int k = 0; k < 2; k++) {
			snprintf(path, sizeof(path), k == 0 ? "%s/cgi-bin/%s/main.c" :
			         "%s/cgi-bin/%s/%s_routes.c", src ? src : ".", workers[i], workers[i]);
			FILE *f = fopen(path, "r");
			if (f == NULL && k == 0) {
				fprintf(stderr, "check_tenancy: cannot read %s\n", path);
				exit(2);
			}
			if (f == NULL)
				continue;
			files++;
			while (fgets(line, sizeof(line), f) != NULL)
				parse_route_line(line);
			fclose(f);
		}
	}
	if (files != 10) {
		fprintf(stderr, "check_tenancy: %d route files read, not 10\n", files);
		exit(2);
	}
	if (nroutes < 10) {
		fprintf(stderr, "check_tenancy: only %d routes found\n", nroutes);
		exit(2);
	}
}

static int
has_capture(const route *r)
{
	return strchr(r->path, '{') != NULL;
}

static int
body_method(const char *m)
{
	return strcmp(m, "POST") == 0 || strcmp(m, "PATCH") == 0 || strcmp(m, "PUT") == 0;
}

/* ------------------------------------------------------------ two businesses */

typedef struct world {
	bt_session a, a2, b;    /* A's owner, A's owner on a second device, B's owner */
	char a_clerk_id[40], a_clerk_phone[BT_PHONE_LEN], a_key_id[40];
} world;

static bt_resp
post_json(const char *path, const char *token, const char *body)
{
	return bt_json("POST", path, token, body);
}

/* A category, product, supplier and batch of s's business, written as the
 * superuser (the catalog routes' own tests create them through the API). */
static void
make_catalog(const bt_session *s)
{
	const char *p[1] = {s->business_id};
	ck_assert_int_eq(bt_super_exec(
		"WITH c AS (INSERT INTO categories (business_id, id, name, sku_prefix)"
		"  VALUES ($1, gen_random_uuid(), 'Marker category of A', 'Mark') RETURNING id),"
		" p AS (INSERT INTO products (business_id, id, category_id, name, sku)"
		"  SELECT $1, gen_random_uuid(), c.id, 'Marker product of A', 'Mark-1' FROM c RETURNING id),"
		" s AS (INSERT INTO suppliers (business_id, id, name, batch_prefix)"
		"  VALUES ($1, gen_random_uuid(), 'Marker supplier of A', 'Mark') RETURNING id)"
		" INSERT INTO batches (business_id, id, batch_no, product_id, supplier_id,"
		"  qty_received, qty_remaining, cost)"
		" SELECT $1, gen_random_uuid(), 'Mark-001-L0', p.id, s.id, 3, 3, 100 FROM p, s",
		1, p), 1);
	const char *pc[2] = {s->business_id, s->phone};
	ck_assert_int_eq(bt_super_exec("INSERT INTO customers (business_id, id, name, phone)"
		" VALUES ($1, gen_random_uuid(), 'Marker customer of A', $2)", 2, pc), 1);
}

/* The sales tables of 0010_sales.sql, and the rows make_sales gives each. */
static const struct {
	const char *table;
	int rows;
} sales_tables[] = {
	{"invoices", 2}, {"invoice_lines", 2}, {"invoice_balances", 2}, {"incomplete_sales", 1},
	{"payments", 1}, {"payment_allocations", 1}, {"credit_notes", 1},
	{"credit_note_lines", 1}, {"invoice_voids", 1}, {"debt_reminders", 1},
};
#define NSALES ((int)(sizeof(sales_tables) / sizeof(sales_tables[0])))

/* Rows of business bid in every sales table, one count per line ("2,2,2,1,..."). */
static char *
sales_counts(const char *bid)
{
	const char *p[1] = {bid};
	return bt_super_value("SELECT concat_ws(',', (SELECT count(*) FROM invoices WHERE business_id = $1),"
		" (SELECT count(*) FROM invoice_lines WHERE business_id = $1),"
		" (SELECT count(*) FROM invoice_balances WHERE business_id = $1),"
		" (SELECT count(*) FROM incomplete_sales WHERE business_id = $1),"
		" (SELECT count(*) FROM payments WHERE business_id = $1),"
		" (SELECT count(*) FROM payment_allocations WHERE business_id = $1),"
		" (SELECT count(*) FROM credit_notes WHERE business_id = $1),"
		" (SELECT count(*) FROM credit_note_lines WHERE business_id = $1),"
		" (SELECT count(*) FROM invoice_voids WHERE business_id = $1),"
		" (SELECT count(*) FROM debt_reminders WHERE business_id = $1))", 1, p);
}

/* A customer "<tag> debtor of <who>" and a product, and a row in every sales
 * table, written as the superuser as the sales code would leave them (the
 * invoicing routes' own tests make them through the API): credit invoice 1
 * of 100.00 issued 13 days ago, 10.00 paid at the sale, 30.00 by a payment,
 * 10.00 returned (credit note 1), 50.00 still due in 2 days (a red debt,
 * reminded today); credit invoice 2 of 20.00, voided; an incomplete sale. */
static void
make_sales(const bt_session *s, const char *tag, const char *who)
{
	const char *p[3] = {s->business_id, tag, who};
	ck_assert_int_eq(bt_super_exec(
		"WITH ids AS MATERIALIZED (SELECT $1::uuid AS b, gen_random_uuid() AS cust,"
		"  gen_random_uuid() AS prod, gen_random_uuid() AS inv1, gen_random_uuid() AS inv2,"
		"  gen_random_uuid() AS pay, gen_random_uuid() AS cn, gen_random_uuid() AS inc,"
		"  $2::text || ' ' AS tag, ' of ' || $3::text AS who,"
		"  (now() AT TIME ZONE 'Asia/Karachi')::date AS today),"
		" c_ins AS (INSERT INTO customers (business_id, id, name, invoice_due)"
		"  SELECT b, cust, tag || 'debtor' || who, 5000 FROM ids),"
		" p_ins AS (INSERT INTO products (business_id, id, name, sku, price, cost)"
		"  SELECT b, prod, tag || 'item' || who, 'Sale-1', 10000, 5000 FROM ids),"
		" i_ins AS (INSERT INTO invoices (business_id, id, number, customer_id, issued_at,"
		"  issued_on, payment_mode, subtotal, discount, tax_rate_bp, tax, fee, total,"
		"  credit_applied, paid, due_date, note)"
		"  SELECT b, inv1, 1, cust, now() - interval '13 days', today - 13, 'credit', 10000, 0, 0,"
		"  0, 0, 10000, 0, 1000, today + 2, tag || 'invoice' || who FROM ids UNION ALL"
		"  SELECT b, inv2, 2, cust, now() - interval '1 day', today - 1, 'credit', 2000, 0, 0,"
		"  0, 0, 2000, 0, 0, today + 14, tag || 'voided invoice' || who FROM ids),"
		" l_ins AS (INSERT INTO invoice_lines (business_id, invoice_id, line_no, product_id, name,"
		"  qty, unit_price, unit_cost, line_total)"
		"  SELECT b, inv1, 0, prod, tag || 'item' || who, 1, 10000, 5000, 10000 FROM ids UNION ALL"
		"  SELECT b, inv2, 0, prod, tag || 'item' || who, 0.2, 10000, 5000, 2000 FROM ids),"
		" b_ins AS (INSERT INTO invoice_balances (business_id, invoice_id, customer_id, paid,"
		"  returned, balance_due, status, due_date, issued_on, number)"
		"  SELECT b, inv1, cust, 4000, 1000, 5000, 'partially_paid', today + 2, today - 13, 1"
		"  FROM ids UNION ALL"
		"  SELECT b, inv2, cust, 0, 0, 0, 'void', today + 14, today - 1, 2 FROM ids),"
		" n_ins AS (INSERT INTO business_counters (business_id, name, value)"
		"  SELECT b, 'invoice_number', 2 FROM ids UNION ALL"
		"  SELECT b, 'credit_note_number', 1 FROM ids),"
		" s_ins AS (INSERT INTO incomplete_sales (business_id, id, customer_id, cart, subtotal,"
		"  discount, tax, fee, total, paid_amount)"
		"  SELECT b, inc, cust, jsonb_build_object('customer_id', cust, 'lines',"
		"  jsonb_build_array(jsonb_build_object('product_id', prod, 'name', tag || 'item' || who,"
		"  'qty', 1, 'unit_price', 10000, 'line_total', 10000)), 'tax_rate_bp', 0, 'fee', 0,"
		"  'note', tag || 'cart' || who), 10000, 0, 0, 0, 10000, 4000 FROM ids),"
		" pay_ins AS (INSERT INTO payments (business_id, id, customer_id, amount, method,"
		"  invoice_id, note, applied_to_invoices, opening_balance_reduced, credit_added,"
		"  received_on)"
		"  SELECT b, pay, cust, 3000, 'cash', inv1, tag || 'payment' || who, 3000, 0, 0,"
		"  today - 5 FROM ids),"
		" a_ins AS (INSERT INTO payment_allocations (business_id, payment_id, invoice_id, amount,"
		"  balance_after) SELECT b, pay, inv1, 3000, 6000 FROM ids),"
		" cn_ins AS (INSERT INTO credit_notes (business_id, id, number, invoice_id, customer_id,"
		"  subtotal, discount, tax, fee, total, debt_reduced, credit_restored, refunded,"
		"  refund_to, reason, issued_on)"
		"  SELECT b, cn, 1, inv1, cust, 1000, 0, 0, 0, 1000, 1000, 0, 0, 'credit',"
		"  tag || 'return' || who, today - 3 FROM ids),"
		" cl_ins AS (INSERT INTO credit_note_lines (business_id, credit_note_id, line_no,"
		"  invoice_line_no, product_id, qty, unit_price, line_total)"
		"  SELECT b, cn, 0, 0, prod, 0.1, 10000, 1000 FROM ids),"
		" v_ins AS (INSERT INTO invoice_voids (business_id, invoice_id, reason, debt_cancelled,"
		"  credit_restored, refunded, refund_to)"
		"  SELECT b, inv2, tag || 'void' || who, 2000, 0, 0, 'cash' FROM ids)"
		" INSERT INTO debt_reminders (business_id, id, customer_id, invoice_id, debt_status,"
		"  sent_on, sms_text)"
		" SELECT b, gen_random_uuid(), cust, inv1, 'red', today, tag || 'reminder' || who FROM ids",
		3, p), 1);
	char *counts = sales_counts(s->business_id);
	ck_assert_str_eq(counts, "2,2,2,1,1,1,1,1,1,1");
	free(counts);
}

/* A and B, each with records made through the API. */
static void
make_world(world *w)
{
	char body[512];
	bt_signup(&w->a);
	bt_signup(&w->b);
	bt_client_new();
	bt_resp r = bt_login(w->a.phone, w->a.password, NULL);
	ck_assert_int_eq(r.status, 200);
	w->a2 = w->a;
	bt_session_fill(&w->a2, &r);
	bt_free(&r);
	bt_phone_new(w->a_clerk_phone);
	snprintf(body, sizeof(body), "{\"phone\":\"%s\",\"name\":\"Clerk of A\",\"role\":\"clerk\","
	         "\"password\":\"clerk secret of A\"}", w->a_clerk_phone);
	r = post_json("/api/v1/users", w->a.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(w->a_clerk_id, sizeof(w->a_clerk_id), "%s", bt_at_str(&r, "id"));
	bt_free(&r);
	r = post_json("/api/v1/app-keys", w->a.access, "{\"name\":\"erp of A\"}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(w->a_key_id, sizeof(w->a_key_id), "%s", bt_at_str(&r, "id"));
	bt_free(&r);
	r = post_json("/api/v1/devices/pairing", w->a.access, NULL);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	bt_free(&r);
	make_catalog(&w->a);
	make_sales(&w->a, "Marker", "A");
}

/* Strings that identify A's data. */
static int
a_markers(const world *w, const char *out[12])
{
	int n = 0;
	out[n++] = w->a.business_id;
	out[n++] = w->a.user_id;
	out[n++] = w->a.phone;
	out[n++] = w->a.business_name;
	out[n++] = w->a.device_id;
	out[n++] = w->a2.device_id;
	out[n++] = w->a_clerk_id;
	out[n++] = w->a_clerk_phone;
	out[n++] = w->a_key_id;
	out[n++] = "Marker ";
	out[n++] = "Mark-001-L0";
	return n;
}

/* The text of every file in a zip archive, concatenated; malloc'd. */
static char *
zip_text(const char *data, size_t len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	ck_assert_ptr_nonnull(src);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	ck_assert_msg(za != NULL, "not a zip archive");
	size_t size = 1, used = 0;
	char *text = calloc(1, 1);
	for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
		zip_stat_t st;
		ck_assert_int_eq(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
		zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
		ck_assert_ptr_nonnull(f);
		size += st.size + 1;
		text = realloc(text, size);
		zip_int64_t got = zip_fread(f, text + used, st.size);
		ck_assert_int_eq(got, (zip_int64_t)st.size);
		used += st.size;
		text[used++] = '\n';
		text[used] = '\0';
		zip_fclose(f);
	}
	zip_close(za);
	return text;
}

/* The text of member name of the zip archive r holds; malloc'd, NULL when absent. */
static char *
zip_member(const bt_resp *r, const char *name)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(r->body, r->len, 0, &ze);
	ck_assert_ptr_nonnull(src);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	ck_assert_msg(za != NULL, "not a zip archive");
	zip_stat_t st;
	char *text = NULL;
	if (zip_stat(za, name, 0, &st) == 0) {
		zip_file_t *f = zip_fopen(za, name, 0);
		ck_assert_ptr_nonnull(f);
		text = malloc(st.size + 1);
		ck_assert_int_eq(zip_fread(f, text, st.size), (zip_int64_t)st.size);
		text[st.size] = '\0';
		zip_fclose(f);
	}
	zip_close(za);
	return text;
}

/* The response as text (a zip archive's files, or the body); malloc'd. */
static char *
text_of(const bt_resp *r)
{
	if (strcmp(r->content_type, "application/zip") == 0)
		return zip_text(r->body, r->len);
	return strdup(r->body);
}

static void
assert_no_marker(const world *w, const char *what, const char *text)
{
	const char *m[12];
	int n = a_markers(w, m);
	for (int i = 0; i < n; i++)
		ck_assert_msg(strstr(text, m[i]) == NULL, "%s shows A's %s", what, m[i]);
}

static int
has_marker(const world *w, const char *text)
{
	const char *m[12];
	int n = a_markers(w, m);
	for (int i = 0; i < n; i++)
		if (strstr(text, m[i]) != NULL)
			return 1;
	return 0;
}

/* The text shows something of s's (or is an empty list): the route answered for real. */
static int
shows_own(const bt_session *s, const char *text)
{
	return strstr(text, s->business_id) != NULL || strstr(text, s->user_id) != NULL ||
	       strstr(text, s->device_id) != NULL || strstr(text, s->phone) != NULL ||
	       strstr(text, "\"items\":[]") != NULL;
}

/* A CSV export of an empty business: the header line alone. */
static int
csv_header_only(const bt_resp *r, const char *text)
{
	const char *nl = strchr(text, '\n');
	return strncmp(r->content_type, "text/csv", 8) == 0 && nl != NULL && nl[1] == '\0';
}

/* An id of A's for the resource the route's first path segment names. */
static void
a_id_for(const world *w, const char *path, char out[40])
{
	const char *seg = path + strlen("/api/v1/");
	size_t len = strcspn(seg, "/");
	char table[64];
	snprintf(table, sizeof(table), "%.*s", (int)len, seg);
	if (strcmp(table, "users") == 0) {
		snprintf(out, 40, "%s", w->a_clerk_id);
	} else if (strcmp(table, "devices") == 0) {
		snprintf(out, 40, "%s", w->a2.device_id);
	} else if (strcmp(table, "app-keys") == 0) {
		snprintf(out, 40, "%s", w->a_key_id);
	} else {
		/* /sales/incomplete/{id}: the incomplete sales */
		if (strcmp(table, "sales") == 0)
			snprintf(table, sizeof(table), "incomplete_sales");
		/* no recipe yet: any row of A's in the table of that name, else an unknown id */
		for (char *c = table; *c; c++)
			*c = *c == '-' ? '_' : *c;
		const char *p[2] = {table, w->a.business_id};
		char *id = bt_super_value(
			"SELECT (xpath('/row/id/text()', NULLIF(query_to_xml(format("
			"'SELECT id FROM %I WHERE business_id = %L LIMIT 1', $1::text, $2::text),"
			" false, true, '')::text, '')::xml))[1]::text"
			" WHERE to_regclass($1::text) IS NOT NULL", 2, p);
		if (id == NULL) {
			fprintf(stderr, "check_tenancy: no record of A for %s; add a recipe to "
			        "make_world (using an unknown id)\n", path);
			bahi_uuid_v7(out);
		} else {
			snprintf(out, 40, "%s", id);
		}
		free(id);
	}
}

/* path with every {capture} replaced: {id} by id, {phone} by phone. */
static void
fill_path(const char *pattern, const char *id, const char *phone, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = pattern; *p && n + 1 < size; ) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			ck_assert_ptr_nonnull(end);
			const char *v = strncmp(p, "{phone}", 7) == 0 ? phone : id;
			n += (size_t)snprintf(out + n, size - n, "%s", v);
			p = end + 1;
		} else {
			out[n++] = *p++;
		}
	}
	out[n < size ? n : size - 1] = '\0';
}

/* A is still whole: signed in on both devices, its clerk and key alive. */
static void
assert_a_intact(const world *w)
{
	char path[200];
	bt_resp r = bt_json("GET", "/api/v1/me", w->a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = bt_json("GET", "/api/v1/me", w->a2.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/users/%s", w->a_clerk_id);
	r = bt_json("GET", path, w->a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Clerk of A");
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
	const char *p[2] = {w->a.business_id, w->a_key_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM app_keys WHERE business_id = $1 AND id = $2"
	                               " AND revoked_at IS NULL", 2, p), 1);
	const char *q[1] = {w->a.business_id};
	ck_assert_int_eq(bt_super_long("SELECT version FROM businesses WHERE id = $1", 1, q), 1);
}

/* ------------------------------------------------------------ tests */

/* Every route with an {id}, called by B with an id of A's: 404, nothing of A's shown or changed. */
START_TEST(other_business_ids_are_not_found)
{
	world w;
	char id[40], path[256];
	int tried = 0;
	make_world(&w);
	for (int i = 0; i < nroutes; i++) {
		const route *rt = &routes[i];
		if (!has_capture(rt))
			continue;
		a_id_for(&w, rt->path, id);
		fill_path(rt->path, id, w.a.phone, path, sizeof(path));
		bt_resp r = bt_json(rt->method, path, w.b.access, body_method(rt->method) ? "{}" : NULL);
		ck_assert_msg(r.status == 404, "%s %s as B: %ld %s", rt->method, path, r.status, r.body);
		bt_assert_problem(&r, 404, "not_found");
		assert_no_marker(&w, path, r.body);
		bt_free(&r);
		tried++;
	}
	ck_assert_int_ge(tried, 5);
	assert_a_intact(&w);
}
END_TEST

/* Every GET route without captures shows B nothing of A's (and A its own). */
START_TEST(lists_show_only_the_callers_business)
{
	world w;
	int tried = 0;
	make_world(&w);
	for (int i = 0; i < nroutes; i++) {
		const route *rt = &routes[i];
		if (has_capture(rt) || strcmp(rt->method, "GET") != 0)
			continue;
		bt_resp r = bt_json("GET", rt->path, w.b.access, NULL);
		ck_assert_msg(r.status < 500, "GET %s as B: %ld %s", rt->path, r.status, r.body);
		if (strcmp(rt->path, "/api/v1/account/export") == 0)
			ck_assert_str_eq(r.content_type, "application/zip");
		char *text = text_of(&r);
		ck_assert_msg(r.status != 200 || shows_own(&w.b, text) || csv_header_only(&r, text),
		              "GET %s as B shows nothing of B's: %.300s",
		              rt->path, text);
		assert_no_marker(&w, rt->path, text);
		free(text);
		bt_free(&r);
		/* the markers are there to be found: A sees its own */
		r = bt_json("GET", rt->path, w.a.access, NULL);
		if (r.status == 200) {
			text = text_of(&r);
			ck_assert_msg(has_marker(&w, text) || strstr(text, "\"items\":[]") != NULL,
			              "GET %s as A shows nothing of A's: %.300s", rt->path, text);
			free(text);
		}
		bt_free(&r);
		tried++;
	}
	ck_assert_int_ge(tried, 6);
}
END_TEST

/* Client-chosen ids live in the caller's business: B using A's ids makes B's own records. */
START_TEST(client_ids_do_not_cross_businesses)
{
	world w;
	char body[512], phone[BT_PHONE_LEN];
	make_world(&w);
	bt_phone_new(phone);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"phone\":\"%s\",\"name\":\"Clerk of B\","
	         "\"role\":\"clerk\",\"password\":\"clerk secret of B\"}", w.a_clerk_id, phone);
	bt_resp r = post_json("/api/v1/users", w.b.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_at_str(&r, "id"), w.a_clerk_id);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Clerk of B");
	bt_free(&r);
	bt_client_new();
	r = bt_login(w.b.phone, w.b.password, w.a2.device_id);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "business.id"), w.b.business_id);
	bt_free(&r);
	assert_a_intact(&w);
}
END_TEST

/* Business bid's rows in every tenant table (a business_id column, or
 * businesses itself), "table=count" joined with ','; malloc'd. */
static char *
tenant_rows(const char *bid)
{
	const char *p[1] = {bid};
	return bt_super_value(
		"SELECT string_agg(c.relname || '=' || (xpath('/row/n/text()', query_to_xml(format("
		"  'SELECT count(*) AS n FROM public.%I WHERE %I = %L', c.relname,"
		"  CASE WHEN c.relname = 'businesses' THEN 'id' ELSE 'business_id' END, $1::text),"
		"  false, true, '')))[1]::text, ',' ORDER BY c.relname)"
		" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
		" WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND (c.relname = 'businesses'"
		"  OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
		"  AND a.attname = 'business_id' AND a.attnum > 0 AND NOT a.attisdropped))", 1, p);
}

/* B deleting its whole account removes every row of B's, the immutable sales
 * records too (bahi_purge: app.deleting_business lets the cascade through the
 * bahi_refuse_mutation triggers), and leaves A untouched. */
START_TEST(deleting_one_business_leaves_the_other)
{
	world w;
	char body[256];
	make_world(&w);
	make_sales(&w.b, "Sale", "B");
	char *before_a = tenant_rows(w.a.business_id);
	ck_assert_ptr_nonnull(strstr(before_a, ",invoices=2,"));
	snprintf(body, sizeof(body), "{\"password\":\"%s\"}", w.b.password);
	bt_resp r = bt_json("DELETE", "/api/v1/account", w.b.access, body);
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);
	char *left_b = tenant_rows(w.b.business_id);
	for (const char *c = strchr(left_b, '='); c != NULL; c = strchr(c + 1, '='))
		ck_assert_msg(c[1] == '0' && (c[2] == ',' || c[2] == '\0'), "rows of B left: %s", left_b);
	char *counts = sales_counts(w.b.business_id);
	ck_assert_str_eq(counts, "0,0,0,0,0,0,0,0,0,0");
	free(counts);
	char *after_a = tenant_rows(w.a.business_id);
	ck_assert_str_eq(after_a, before_a);
	counts = sales_counts(w.a.business_id);
	ck_assert_str_eq(counts, "2,2,2,1,1,1,1,1,1,1");
	free(counts);
	free(before_a);
	free(after_a);
	free(left_b);
	assert_a_intact(&w);
}
END_TEST

/* The account export holds every sales table as JSON and CSV: A's rows
 * (exactly those make_sales wrote), none in B's export. */
START_TEST(export_holds_the_sales_tables)
{
	world w;
	char name[64];
	make_world(&w);
	bt_resp ra = bt_json("GET", "/api/v1/account/export", w.a.access, NULL);
	ck_assert_msg(ra.status == 200, "%ld %s", ra.status, ra.body);
	bt_resp rb = bt_json("GET", "/api/v1/account/export", w.b.access, NULL);
	ck_assert_msg(rb.status == 200, "%ld %s", rb.status, rb.body);
	for (int i = 0; i < NSALES; i++) {
		snprintf(name, sizeof(name), "%s.json", sales_tables[i].table);
		char *text = zip_member(&ra, name);
		ck_assert_msg(text != NULL, "no %s in A's export", name);
		cJSON *rows = cJSON_Parse(text);
		ck_assert_msg(cJSON_IsArray(rows), "%s: %s", name, text);
		ck_assert_int_eq(cJSON_GetArraySize(rows), sales_tables[i].rows);
		const cJSON *row;
		cJSON_ArrayForEach(row, rows)
			ck_assert_str_eq(cJSON_GetObjectItem(row, "business_id")->valuestring,
			                 w.a.business_id);
		cJSON_Delete(rows);
		free(text);
		text = zip_member(&rb, name);
		ck_assert_msg(text != NULL, "no %s in B's export", name);
		ck_assert_str_eq(text, "[]\n");
		free(text);
		snprintf(name, sizeof(name), "%s.csv", sales_tables[i].table);
		text = zip_member(&ra, name);
		ck_assert_msg(text != NULL, "no %s in A's export", name);
		int lines = 0;
		for (const char *c = strstr(text, "\r\n"); c != NULL; c = strstr(c + 2, "\r\n"))
			lines++;
		ck_assert_msg(lines == 1 + sales_tables[i].rows, "%s: %d lines", name, lines);
		ck_assert_ptr_nonnull(strstr(text, w.a.business_id));
		ck_assert_int_eq(strncmp(text, "\xEF\xBB\xBF" "business_id,", 15), 0);
		free(text);
	}
	bt_free(&ra);
	bt_free(&rb);
}
END_TEST

typedef struct alternate_job {
	const world *w;
	int n, offset;
	int failures;
	char first_failure[512];
} alternate_job;

/* j->n requests, A's and B's tokens in turn on /me and /business; counts wrong answers. */
static void *
alternate(void *arg)
{
	alternate_job *j = arg;
	bt_timeout_ms(5000);
	for (int i = 0; i < j->n; i++) {
		int k = i + j->offset;
		const bt_session *me = (k & 1) ? &j->w->b : &j->w->a;
		const bt_session *other = (k & 1) ? &j->w->a : &j->w->b;
		int is_me = (k & 2) == 0;
		bt_resp r = bt_json("GET", is_me ? "/api/v1/me" : "/api/v1/business", me->access, NULL);
		const char *bid = bt_at_str(&r, is_me ? "business.id" : "id");
		if (r.status != 200 || bid == NULL || strcmp(bid, me->business_id) != 0 ||
		    strstr(r.body, other->business_id) != NULL || strstr(r.body, other->phone) != NULL) {
			if (j->failures++ == 0)
				snprintf(j->first_failure, sizeof(j->first_failure), "request %d: %ld %.400s",
				         k, r.status, r.body);
		}
		bt_free(&r);
	}
	return NULL;
}

/* 10,000 requests alternating A's and B's tokens over the workers' reused
 * database connections: no answer ever carries the other business. */
START_TEST(alternating_tenants_never_mix)
{
	enum { THREADS = 4, TOTAL = 10000 };
	world w;
	pthread_t t[THREADS];
	alternate_job j[THREADS];
	bt_signup(&w.a);
	bt_signup(&w.b);
	for (int i = 0; i < THREADS; i++) {
		j[i] = (alternate_job){.w = &w, .n = TOTAL / THREADS, .offset = i};
		pthread_create(&t[i], NULL, alternate, &j[i]);
	}
	int failures = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		failures += j[i].failures;
	}
	for (int i = 0; i < THREADS; i++)
		ck_assert_msg(j[i].failures == 0, "%d of %d wrong; first: %s", failures, TOTAL,
		              j[i].first_failure);
}
END_TEST

/* ------------------------------------------------------------ roles */

/* An owner's business with a user of role, made through POST /users. */
static void
staff(bt_session *owner, const char *role, bt_session *user)
{
	char body[512];
	bt_signup(owner);
	memset(user, 0, sizeof(*user));
	bt_phone_new(user->phone);
	snprintf(user->password, sizeof(user->password), "%s secret %s", role, user->phone + 1);
	snprintf(body, sizeof(body), "{\"phone\":\"%s\",\"name\":\"Staff\",\"role\":\"%s\",\"password\":\"%s\"}",
	         user->phone, role, user->password);
	bt_resp r = post_json("/api/v1/users", owner->access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_at_str(&r, "role"), role);
	bt_free(&r);
	bt_client_new();
	r = bt_login(user->phone, user->password, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "user.role"), role);
	bt_session_fill(user, &r);
	bt_free(&r);
}

static char *
perms_json(const char *role)
{
	cJSON *a = cJSON_CreateArray();
	for (const char *const *p = bahi_perm_list(role); *p; p++)
		cJSON_AddItemToArray(a, cJSON_CreateString(*p));
	char *out = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return out;
}

/* Every route whose permission role lacks answers 403 forbidden and changes nothing. */
static void
sweep_forbidden(const char *role, const bt_session *owner, const bt_session *user)
{
	char path[256];
	int tried = 0;
	const char *q[1] = {owner->business_id};
	long before = bt_super_long("SELECT version FROM businesses WHERE id = $1", 1, q);
	for (int i = 0; i < nroutes; i++) {
		const route *rt = &routes[i];
		if (!rt->perm_known || rt->perm[0] == '\0' || bahi_perm_allows(role, rt->perm))
			continue;
		fill_path(rt->path, owner->user_id, owner->phone, path, sizeof(path));
		bt_resp r = bt_json(rt->method, path, user->access, body_method(rt->method) ||
		                    strcmp(rt->method, "DELETE") == 0 ? "{}" : NULL);
		ck_assert_msg(r.status == 403, "%s %s as %s: %ld %s", rt->method, path, role, r.status, r.body);
		bt_assert_problem(&r, 403, "forbidden");
		bt_free(&r);
		tried++;
	}
	ck_assert_int_ge(tried, 1);
	ck_assert_int_eq(bt_super_long("SELECT version FROM businesses WHERE id = $1", 1, q), before);
	bt_resp r = bt_json("GET", "/api/v1/me", owner->access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
}

START_TEST(clerk_is_forbidden_what_clerks_may_not_do)
{
	bt_session owner, clerk;
	char path[200];
	staff(&owner, "clerk", &clerk);
	bt_resp r = bt_json("GET", "/api/v1/me", clerk.access, NULL);
	ck_assert_int_eq(r.status, 200);
	char *perms = cJSON_PrintUnformatted(bt_at(&r, "permissions")), *want = perms_json("clerk");
	ck_assert_str_eq(perms, want);
	ck_assert_ptr_null(strstr(perms, "business.write"));
	ck_assert_ptr_null(strstr(perms, "users.write"));
	ck_assert_ptr_null(strstr(perms, "prices.write"));
	ck_assert_ptr_null(strstr(perms, ".delete"));
	free(perms);
	free(want);
	bt_free(&r);
	r = bt_json("GET", "/api/v1/business", clerk.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);

	r = bt_json("PATCH", "/api/v1/business", clerk.access, "{\"tax_rate_bp\":0}");
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = bt_json("POST", "/api/v1/users", clerk.access,
	            "{\"phone\":\"+923009999999\",\"name\":\"X\",\"role\":\"admin\",\"password\":\"long secret here\"}");
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	/* devices: another user's is forbidden, the clerk's own may be signed out */
	snprintf(path, sizeof(path), "/api/v1/devices/%s", owner.device_id);
	r = bt_json("DELETE", path, clerk.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/me", owner.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	sweep_forbidden("clerk", &owner, &clerk);
	snprintf(path, sizeof(path), "/api/v1/devices/%s", clerk.device_id);
	r = bt_json("DELETE", path, clerk.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	r = bt_json("GET", "/api/v1/me", clerk.access, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
}
END_TEST

START_TEST(admin_is_forbidden_only_the_owners_rights)
{
	bt_session owner, admin;
	staff(&owner, "admin", &admin);
	bt_resp r = bt_json("PATCH", "/api/v1/business", admin.access, "{\"credit_term_days\":20}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "credit_term_days"), 20);
	bt_free(&r);
	sweep_forbidden("admin", &owner, &admin);
	r = bt_json("GET", "/api/v1/account/export", admin.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
}
END_TEST

int
main(void)
{
	load_routes();
	bt_start();
	Suite *s = suite_create("tenancy");
	TCase *t = tcase_create("tenancy");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, other_business_ids_are_not_found);
	tcase_add_test(t, lists_show_only_the_callers_business);
	tcase_add_test(t, client_ids_do_not_cross_businesses);
	tcase_add_test(t, deleting_one_business_leaves_the_other);
	tcase_add_test(t, export_holds_the_sales_tables);
	tcase_add_test(t, alternating_tenants_never_mix);
	tcase_add_test(t, clerk_is_forbidden_what_clerks_may_not_do);
	tcase_add_test(t, admin_is_forbidden_only_the_owners_rights);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
