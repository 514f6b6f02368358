/* bahi_dashboard: the admin dashboard's figures read in one statement (one round trip) and sorted into a struct. */
/*
 * Measured (PostgreSQL 15 on this 2-core machine, shared with other work:
 * load 2-4) on bench/dashboard-data.sql loaded for 43 businesses: three of
 * 100,000 invoices (1 to 5 lines) issued evenly over a year, 2,000 products
 * and 3,000 customers each, and 40 of 2,000 invoices (380,000 invoices,
 * 1.1 million lines, 129,000 customers in all). The business read has about
 * 8,200 invoices in the last 30 days and 5,700 (17,000 lines) in the month
 * to date (the 21st). Each part alone as bahi_app under row-level security,
 * generic plan (the route's BAHI_GENERIC), the fastest of 30 runs:
 *
 *   revenue today and month, cash / credit    3.0 ms  invoices_issued_on_idx, index only
 *   daily revenue, 14 days                     2.8 ms  (the same scan, shared CTE s)
 *   top 5 customers, 30 days                   4.2 ms  (the same scan), customers_pkey x 5
 *     voids and returns in the three above             invoice_balances_corrected_idx
 *   sales by category, month                  20-27 ms invoices_issued_on_idx, then
 *                                                      invoice_lines_pkey once per invoice
 *                                                      (5,721 probes), products_pkey,
 *                                                      categories_pkey; returns through
 *                                                      credit_notes_invoice_idx
 *   low stock, 10 of 240                       0.4 ms  products_low_idx
 *   counts (customers, products, low)          0.5 ms  customers_phone_key, products_sku_key
 *                                                      (index only), products_low_idx
 *   open debt and debtors                      0.4 ms  customers_pkey (bitmap, 3,000 rows)
 *   red debts: count and sum (4,351)           0.6 ms  invoice_balances_due_idx
 *   red debts: the first 10                    0.1 ms  invoice_balances_due_idx, in order
 *   recent invoices, 10                        0.1 ms  invoices_list_idx, in order
 *   the whole statement                       29-40 ms (psql; through bahi_dashboard_read
 *                                                      with its BEGIN and COMMIT, 36-40 ms
 *                                                      on generic plans; planning a custom
 *                                                      plan adds 6-15 ms)
 *
 * The same statement without 0012_dashboard.sql: 107 ms (sequential scans of
 * invoices and invoice_balances). What remains is the category split: one
 * index probe per invoice of the month. An index (business_id, invoice_id)
 * INCLUDE (product_id, line_total) on invoice_lines took that part from 24
 * to 20 ms; left out, as it would cost every sale line one more index
 * insert. Customers' open debt is summed without an index of its own: one on
 * open_debt would end the HOT updates of the customer row that credit sales
 * and payments make.
 */
#include "bahi_dashboard.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bahi_db.h"
#include "bahi_debt.h"
#include "bahi_num.h"
#include "bahi_req.h"

/* The header's limits, spelt into the statement. */
#define DASH_STR_(x) #x
#define DASH_STR(x) DASH_STR_(x)

/* "today" in the business's time zone at the transaction's now() (as
 * invoices are dated, bahi_invoice), the month's first day, and the first
 * day the sales scan needs (the month's start or 29 days back). */
#define DASH_DATES \
	"d AS MATERIALIZED (" \
	" SELECT t.today, date_trunc('month', t.today)::date AS month_start," \
	"  least(date_trunc('month', t.today)::date, t.today - 29) AS since" \
	" FROM (SELECT (now() AT TIME ZONE timezone)::date AS today FROM businesses" \
	"  WHERE id = $1) AS t)"
/* The sales since then, one row per invoice (its total), and one negative
 * row per corrected invoice (its total when void, else what was returned). */
#define DASH_SALES \
	"s AS MATERIALIZED (" \
	" SELECT i.issued_on, i.customer_id, i.payment_mode, i.total AS amount FROM invoices i" \
	" WHERE i.business_id = $1 AND i.issued_on >= (SELECT since FROM d)" \
	"  AND i.issued_on <= (SELECT today FROM d)" \
	" UNION ALL" \
	" SELECT b.issued_on, b.customer_id, i.payment_mode," \
	"  -CASE WHEN b.status = 'void' THEN i.total ELSE b.returned END" \
	" FROM invoice_balances b" \
	" JOIN invoices i ON i.business_id = b.business_id AND i.id = b.invoice_id" \
	" WHERE b.business_id = $1 AND (b.status = 'void' OR b.returned > 0)" \
	"  AND b.issued_on >= (SELECT since FROM d) AND b.issued_on <= (SELECT today FROM d))"
/* This month's lines, less the lines of voided invoices and of credit notes. */
#define DASH_MONTH_CORRECTED \
	"b.business_id = $1 AND (b.status = 'void' OR b.returned > 0)" \
	" AND b.issued_on >= (SELECT month_start FROM d) AND b.issued_on <= (SELECT today FROM d)"
#define DASH_SOLD \
	"sold AS (" \
	" SELECT l.product_id, l.line_total AS amount FROM invoices i" \
	" JOIN invoice_lines l ON l.business_id = i.business_id AND l.invoice_id = i.id" \
	" WHERE i.business_id = $1 AND i.issued_on >= (SELECT month_start FROM d)" \
	"  AND i.issued_on <= (SELECT today FROM d)" \
	" UNION ALL" \
	" SELECT l.product_id, -l.line_total FROM invoice_balances b" \
	" JOIN invoice_lines l ON l.business_id = b.business_id AND l.invoice_id = b.invoice_id" \
	" WHERE " DASH_MONTH_CORRECTED " AND b.status = 'void'" \
	" UNION ALL" \
	" SELECT cl.product_id, -cl.line_total FROM invoice_balances b" \
	" JOIN credit_notes cn ON cn.business_id = b.business_id AND cn.invoice_id = b.invoice_id" \
	" JOIN credit_note_lines cl ON cl.business_id = cn.business_id" \
	"  AND cl.credit_note_id = cn.id" \
	" WHERE " DASH_MONTH_CORRECTED " AND b.status <> 'void')," \
	"cats AS (" \
	" SELECT p.category_id, sum(x.amount) AS total" \
	" FROM (SELECT product_id, sum(amount) AS amount FROM sold GROUP BY product_id) AS x" \
	" JOIN products p ON p.business_id = $1 AND p.id = x.product_id" \
	" GROUP BY p.category_id HAVING sum(x.amount) > 0)"
/* Rows of columns k (the part), ord (the row's place in it), id, name, a,
 * b, c, d (text) and n1..n4 (numbers), sorted by k and ord. */
#define DASH_FIGURES \
	"SELECT 'sales' AS k, 0::bigint AS ord, NULL AS id, NULL AS name, NULL AS a, NULL AS b," \
	" NULL AS c, NULL AS d," \
	" sum(amount) FILTER (WHERE issued_on = d.today AND payment_mode = 'cash') AS n1," \
	" sum(amount) FILTER (WHERE issued_on = d.today AND payment_mode = 'credit') AS n2," \
	" sum(amount) FILTER (WHERE issued_on >= d.month_start AND payment_mode = 'cash') AS n3," \
	" sum(amount) FILTER (WHERE issued_on >= d.month_start AND payment_mode = 'credit') AS n4" \
	" FROM s, d" \
	" UNION ALL" \
	" SELECT 'day', 0, NULL, NULL, s.issued_on::text, NULL, NULL, NULL, sum(s.amount), NULL," \
	"  NULL, NULL" \
	" FROM s, d WHERE s.issued_on > d.today - " DASH_STR(BAHI_DASH_DAYS) " GROUP BY s.issued_on" \
	" UNION ALL" \
	" SELECT 'top', t.ord, t.customer_id::text, c.name, NULL, NULL, NULL, NULL, t.total, NULL," \
	"  NULL, NULL" \
	" FROM (SELECT s.customer_id, sum(s.amount) AS total," \
	"   row_number() OVER (ORDER BY sum(s.amount) DESC, s.customer_id) AS ord" \
	"  FROM s, d WHERE s.customer_id IS NOT NULL AND s.issued_on > d.today - 30" \
	"  GROUP BY s.customer_id HAVING sum(s.amount) > 0" \
	"  ORDER BY 2 DESC, 1 LIMIT " DASH_STR(BAHI_DASH_TOP_MAX) ") AS t" \
	" JOIN customers c ON c.business_id = $1 AND c.id = t.customer_id" \
	" UNION ALL" \
	" SELECT 'cat', row_number() OVER (ORDER BY x.total DESC, c.name, x.category_id)," \
	"  x.category_id::text, c.name, NULL, NULL, NULL, NULL, x.total, NULL, NULL, NULL" \
	" FROM cats x LEFT JOIN categories c ON c.business_id = $1 AND c.id = x.category_id"
#define DASH_STOCK_DEBTS \
	" UNION ALL" \
	" (SELECT 'low', row_number() OVER (ORDER BY bahi_product_available(p), p.name, p.id)," \
	"  p.id::text, p.name, trim_scale(bahi_product_available(p))::text," \
	"  trim_scale(p.min_stock)::text, NULL, NULL, NULL, NULL, NULL, NULL" \
	" FROM products p WHERE p.business_id = $1 AND p.low_stock AND p.deleted_at IS NULL" \
	"  AND bahi_product_available(p) <= p.min_stock" \
	" ORDER BY 2 LIMIT " DASH_STR(BAHI_DASH_LOW_MAX) ")" \
	" UNION ALL" \
	" SELECT 'counts', 0, NULL, NULL, NULL, NULL, NULL, NULL," \
	"  (SELECT count(*) FROM customers WHERE business_id = $1 AND deleted_at IS NULL)," \
	"  (SELECT count(*) FROM products WHERE business_id = $1 AND deleted_at IS NULL)," \
	"  (SELECT count(*) FROM products p WHERE p.business_id = $1 AND p.low_stock" \
	"   AND p.deleted_at IS NULL AND bahi_product_available(p) <= p.min_stock), NULL" \
	" UNION ALL" \
	" SELECT 'debt', 0, NULL, NULL, NULL, NULL, NULL, NULL, sum(open_debt), count(*), NULL, NULL" \
	" FROM customers WHERE business_id = $1 AND open_debt > 0" \
	" UNION ALL" \
	" SELECT 'redsum', 0, NULL, NULL, NULL, NULL, NULL, NULL, count(*), sum(b.balance_due)," \
	"  NULL, NULL" \
	" FROM invoice_balances b WHERE b.business_id = $1 AND b.balance_due > 0" \
	"  AND b.due_date <= (SELECT today + 3 FROM d)" \
	" UNION ALL" \
	" SELECT 'red', r.ord, r.invoice_id::text, c.name, r.due_date::text, r.customer_id::text," \
	"  NULL, NULL, r.number, r.balance_due, NULL, NULL" \
	" FROM (SELECT b.invoice_id, b.customer_id, b.due_date, b.number, b.balance_due," \
	"   row_number() OVER (ORDER BY b.due_date, b.number) AS ord" \
	"  FROM invoice_balances b WHERE b.business_id = $1 AND b.balance_due > 0" \
	"   AND b.due_date <= (SELECT today + 3 FROM d)" \
	"  ORDER BY b.due_date, b.number LIMIT " DASH_STR(BAHI_DASH_RED_MAX) ") AS r" \
	" JOIN customers c ON c.business_id = $1 AND c.id = r.customer_id"
#define DASH_RECENT \
	" UNION ALL" \
	" SELECT 'recent', i.ord, i.id::text, c.name, i.payment_mode, bahi_ts(i.issued_at), b.status," \
	"  i.customer_id::text, i.number, i.total, NULL, NULL" \
	" FROM (SELECT i.id, i.customer_id, i.payment_mode, i.issued_at, i.number, i.total," \
	"   row_number() OVER (ORDER BY i.issued_at DESC, i.id DESC) AS ord" \
	"  FROM invoices i WHERE i.business_id = $1" \
	"  ORDER BY i.issued_at DESC, i.id DESC LIMIT " DASH_STR(BAHI_DASH_RECENT_MAX) ") AS i" \
	" LEFT JOIN customers c ON c.business_id = $1 AND c.id = i.customer_id" \
	" LEFT JOIN invoice_balances b ON b.business_id = $1 AND b.invoice_id = i.id" \
	" UNION ALL" \
	" SELECT 'today', 0, NULL, NULL, today::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL" \
	" FROM d" \
	" ORDER BY 1, 2"

static BAHI_STMT(dashboard_read,
	"WITH " DASH_DATES ", " DASH_SALES ", " DASH_SOLD " " DASH_FIGURES DASH_STOCK_DEBTS
	DASH_RECENT);

enum { COL_K, COL_ORD, COL_ID, COL_NAME, COL_A, COL_B, COL_C, COL_D, COL_N1, COL_N2, COL_N3,
       COL_N4 };

/* Text column c of row r in the pool; NULL for SQL NULL. */
static const char *
col_text(bahi_req *req, const PGresult *res, int r, int c)
{
	return bahi_db_isnull(res, r, c) ? NULL : bahi_pool_strdup(req->pool, bahi_db_get(res, r, c));
}

/* Number column c of row r (SQL NULL: 0). 0, or -1 when it is not an int64. */
static int
col_num(const PGresult *res, int r, int c, int64_t *out)
{
	*out = 0;
	if (bahi_db_isnull(res, r, c))
		return 0;
	return bahi_num_parse(bahi_db_get(res, r, c), INT64_MIN, INT64_MAX, out, NULL);
}

/* Date column c of row r. 0, or -1 when it is NULL or no date. */
static int
col_date(const PGresult *res, int r, int c, bahi_date *out)
{
	return bahi_db_isnull(res, r, c) ? -1 : bahi_date_parse(bahi_db_get(res, r, c), out);
}

typedef int (*row_fn)(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out);

static int
row_sales(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	if (col_num(res, r, COL_N1, &out->revenue_today.cash) != 0 ||
	    col_num(res, r, COL_N2, &out->revenue_today.credit) != 0 ||
	    col_num(res, r, COL_N3, &out->revenue_month.cash) != 0 ||
	    col_num(res, r, COL_N4, &out->revenue_month.credit) != 0)
		return -1;
	return 0;
}

/* A day's revenue into its place among the 14 (days[0] is 13 days ago). */
static int
row_day(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	bahi_date d;
	int64_t revenue;
	if (col_date(res, r, COL_A, &d) != 0 || col_num(res, r, COL_N1, &revenue) != 0)
		return -1;
	int64_t i = bahi_date_diff(out->days[0].date, d);
	if (i < 0 || i >= BAHI_DASH_DAYS)
		return -1;
	out->days[i].revenue = revenue;
	return 0;
}

static int
row_top(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	if (out->ntop == BAHI_DASH_TOP_MAX)
		return -1;
	bahi_dash_customer *c = &out->top[out->ntop++];
	c->id = col_text(req, res, r, COL_ID);
	c->name = col_text(req, res, r, COL_NAME);
	return col_num(res, r, COL_N1, &c->total);
}

/* The first 8 categories in order; the others into the remainder. */
static int
row_category(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	int64_t total;
	if (col_num(res, r, COL_N1, &total) != 0)
		return -1;
	if (out->ncategories == BAHI_DASH_CATEGORY_MAX) {
		out->nother++;
		return __builtin_add_overflow(out->other_total, total, &out->other_total) ? -1 : 0;
	}
	bahi_dash_category *c = &out->categories[out->ncategories++];
	c->id = col_text(req, res, r, COL_ID);
	c->name = col_text(req, res, r, COL_NAME);
	c->total = total;
	return 0;
}

static int
row_low(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	if (out->nlow == BAHI_DASH_LOW_MAX)
		return -1;
	bahi_dash_low *p = &out->low[out->nlow++];
	p->id = col_text(req, res, r, COL_ID);
	p->name = col_text(req, res, r, COL_NAME);
	p->stock = col_text(req, res, r, COL_A);
	p->threshold = col_text(req, res, r, COL_B);
	return p->stock != NULL && p->threshold != NULL ? 0 : -1;
}

static int
row_counts(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	if (col_num(res, r, COL_N1, &out->customers) != 0 ||
	    col_num(res, r, COL_N2, &out->products) != 0 ||
	    col_num(res, r, COL_N3, &out->low_count) != 0)
		return -1;
	return 0;
}

static int
row_debt(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	if (col_num(res, r, COL_N1, &out->open_debt) != 0 ||
	    col_num(res, r, COL_N2, &out->debtors) != 0)
		return -1;
	return 0;
}

static int
row_red_summary(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	if (col_num(res, r, COL_N1, &out->red_count) != 0 ||
	    col_num(res, r, COL_N2, &out->red_total) != 0)
		return -1;
	return 0;
}

/* A debt turning red, with its days left and status as of today. */
static int
row_red(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	bahi_date due;
	if (out->nred == BAHI_DASH_RED_MAX || col_date(res, r, COL_A, &due) != 0)
		return -1;
	bahi_dash_debt *d = &out->red[out->nred++];
	bahi_debt_info info = bahi_debt_classify(due, out->today);
	d->invoice_id = col_text(req, res, r, COL_ID);
	d->customer_name = col_text(req, res, r, COL_NAME);
	d->due_date = col_text(req, res, r, COL_A);
	d->customer_id = col_text(req, res, r, COL_B);
	d->days_left = info.days_left;
	d->status = bahi_debt_status_name(info.status);
	if (col_num(res, r, COL_N1, &d->number) != 0 || col_num(res, r, COL_N2, &d->balance) != 0)
		return -1;
	return 0;
}

static int
row_recent(bahi_req *req, const PGresult *res, int r, bahi_dashboard *out)
{
	if (out->nrecent == BAHI_DASH_RECENT_MAX)
		return -1;
	bahi_dash_invoice *i = &out->recent[out->nrecent++];
	i->id = col_text(req, res, r, COL_ID);
	i->customer_name = col_text(req, res, r, COL_NAME);
	i->payment_mode = col_text(req, res, r, COL_A);
	i->issued_at = col_text(req, res, r, COL_B);
	i->status = col_text(req, res, r, COL_C);
	i->customer_id = col_text(req, res, r, COL_D);
	if (col_num(res, r, COL_N1, &i->number) != 0 || col_num(res, r, COL_N2, &i->total) != 0)
		return -1;
	return 0;
}

/* The kinds of row (COL_K) and what takes each; "today" is read first. */
static const struct {
	const char *kind;
	row_fn fn;
} row_kinds[] = {
	{"sales", row_sales}, {"day", row_day}, {"top", row_top}, {"cat", row_category},
	{"low", row_low}, {"counts", row_counts}, {"debt", row_debt},
	{"redsum", row_red_summary}, {"red", row_red}, {"recent", row_recent},
};

/* Finds the "today" row: out->today and the 14 days ending with it. 0, or
 * -1 when there is none (the business is not the transaction's). */
static int
read_today(bahi_req *req, const PGresult *res, bahi_dashboard *out)
{
	int r = 0, n = PQntuples(res);
	while (r < n && strcmp(bahi_db_get(res, r, COL_K), "today") != 0)
		r++;
	if (r == n || col_date(res, r, COL_A, &out->today) != 0)
		return -1;
	out->today_text = col_text(req, res, r, COL_A);
	for (int i = 0; i < BAHI_DASH_DAYS; i++) {
		char buf[16];
		out->days[i].date = bahi_date_add_days(out->today, i - (BAHI_DASH_DAYS - 1));
		bahi_date_format(out->days[i].date, buf, sizeof(buf));
		out->days[i].date_text = bahi_pool_strdup(req->pool, buf);
	}
	return 0;
}

/* The dashboard as the database has it now (no cache). */
static int
dashboard_query(bahi_req *req, bahi_dashboard *out)
{
	memset(out, 0, sizeof(*out));
	const char *p[1] = {req->tx_business};
	PGresult *res = bahi_db_exec(req, &dashboard_read, 1, p);
	if (res == NULL)
		return -1;
	if (read_today(req, res, out) != 0)
		return bahi_fail(req, "not_found", "There is no such business.");
	for (int r = 0; r < PQntuples(res); r++) {
		const char *kind = bahi_db_get(res, r, COL_K);
		size_t k = 0, n = sizeof(row_kinds) / sizeof(row_kinds[0]);
		while (k < n && strcmp(row_kinds[k].kind, kind) != 0)
			k++;
		if (k < n && row_kinds[k].fn(req, res, r, out) != 0)
			return bahi_fail(req, "internal_error", "The dashboard's figures do not add up.");
	}
	return 0;
}

/*
 * Dashboards are kept per process, validated by the business's change
 * sequence, as product list pages are (bahi_product_list.c): every sale,
 * payment, return, void, stock or customer change writes the change log, so
 * the figures read at sequence S stand while it is S. The sequence is read
 * first: a change committing in between makes the figures newer than S,
 * never older. "Today" moves without a change: entries age out after a
 * minute, so a new day shows within a minute of midnight.
 */
#define DASH_CACHE_SLOTS 8
#define DASH_CACHE_SECONDS 60

typedef struct dash_slot {
	char business[40];
	int64_t seq;
	time_t made, used;
	bahi_dashboard d;        /* its strings point into arena */
	char *arena;             /* malloc'd */
} dash_slot;

static dash_slot dash_cache[DASH_CACHE_SLOTS];

static BAHI_STMT(dashboard_change_seq,
	"SELECT value FROM business_counters WHERE business_id = $1 AND name = 'change_seq'");

/* Every string member of d, to copy them into one arena. */
static int
dash_strings(bahi_dashboard *d, const char ***s)
{
	int n = 0;
	s[n++] = &d->today_text;
	for (int i = 0; i < d->nlow; i++) {
		s[n++] = &d->low[i].id, s[n++] = &d->low[i].name;
		s[n++] = &d->low[i].stock, s[n++] = &d->low[i].threshold;
	}
	for (int i = 0; i < d->nrecent; i++) {
		bahi_dash_invoice *v = &d->recent[i];
		s[n++] = &v->id, s[n++] = &v->customer_id, s[n++] = &v->customer_name;
		s[n++] = &v->payment_mode, s[n++] = &v->status, s[n++] = &v->issued_at;
	}
	for (int i = 0; i < d->ntop; i++)
		s[n++] = &d->top[i].id, s[n++] = &d->top[i].name;
	for (int i = 0; i < d->ncategories; i++)
		s[n++] = &d->categories[i].id, s[n++] = &d->categories[i].name;
	for (int i = 0; i < BAHI_DASH_DAYS; i++)
		s[n++] = &d->days[i].date_text;
	for (int i = 0; i < d->nred; i++) {
		bahi_dash_debt *v = &d->red[i];
		s[n++] = &v->invoice_id, s[n++] = &v->customer_id, s[n++] = &v->customer_name;
		s[n++] = &v->due_date, s[n++] = &v->status;
	}
	return n;
}

#define DASH_MAX_STRINGS (1 + 4 * BAHI_DASH_LOW_MAX + 6 * BAHI_DASH_RECENT_MAX + \
	2 * BAHI_DASH_TOP_MAX + 2 * BAHI_DASH_CATEGORY_MAX + BAHI_DASH_DAYS + 5 * BAHI_DASH_RED_MAX)

/* Keeps d for business at seq: its slot, else a free one, else the least recently used. */
static void
dash_keep(const char *business, int64_t seq, time_t now, const bahi_dashboard *d)
{
	dash_slot *slot = &dash_cache[0];
	for (int i = 0; i < DASH_CACHE_SLOTS; i++) {
		dash_slot *x = &dash_cache[i];
		if (x->arena != NULL && strcmp(x->business, business) == 0) {
			slot = x;
			break;
		}
		if (x->arena == NULL || x->used < slot->used)
			slot = x;
	}
	bahi_dashboard copy = *d;
	const char **s[DASH_MAX_STRINGS];
	int n = dash_strings(&copy, s);
	size_t size = 1;
	for (int i = 0; i < n; i++)
		size += *s[i] != NULL ? strlen(*s[i]) + 1 : 0;
	char *arena = malloc(size), *at = arena;
	if (arena == NULL)
		return;
	for (int i = 0; i < n; i++) {
		if (*s[i] == NULL)
			continue;
		size_t len = strlen(*s[i]) + 1;
		memcpy(at, *s[i], len);
		*s[i] = at;
		at += len;
	}
	free(slot->arena);
	*slot = (dash_slot){.seq = seq, .made = now, .used = now, .d = copy, .arena = arena};
	snprintf(slot->business, sizeof(slot->business), "%s", business);
}

int
bahi_dashboard_read(bahi_req *req, bahi_dashboard *out)
{
	memset(out, 0, sizeof(*out));
	if (req->tx_business == NULL)
		return bahi_fail(req, "internal_error", "The dashboard needs a business.");
	const char *p[1] = {req->tx_business};
	PGresult *res = bahi_db_exec(req, &dashboard_change_seq, 1, p);
	if (res == NULL)
		return -1;
	int64_t seq = PQntuples(res) > 0 ? strtoll(bahi_db_get(res, 0, 0), NULL, 10) : 0;
	time_t now = time(NULL);
	for (int i = 0; i < DASH_CACHE_SLOTS; i++) {
		dash_slot *x = &dash_cache[i];
		if (x->arena != NULL && x->seq == seq && now - x->made < DASH_CACHE_SECONDS &&
		    strcmp(x->business, req->tx_business) == 0) {
			x->used = now;
			*out = x->d;
			return 0;
		}
	}
	if (dashboard_query(req, out) != 0)
		return -1;
	dash_keep(req->tx_business, seq, now, out);
	return 0;
}
