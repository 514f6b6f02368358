/* bahi_stock_lines: the stock movements of a whole sales document (invoice, void, credit note) in a fixed number of statements. */
#include "bahi_stock.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_num.h"
#include "bahi_product.h"
#include "bahi_req.h"

/*
 * The plain products the lines ($2 products, $3 signed quantities, in line
 * order) move, locked in id order, one row per (line, plain product): a
 * simple product moves itself, a composite its components (components of
 * components expanded, qty x the quantity needed, rounded half away from
 * zero to 3 decimals, as bahi_stock_move does). Deleted products may only
 * take stock back. Lines naming nothing of the business yield no row.
 * need: the quantity one unit of the line's product takes of the plain one.
 * Then what the low-stock flag needs (LOCK_COLUMNS): the product's minimum,
 * flag and version, whether it is live, and whether a composite contains it.
 */
#define LOCK_TAIL \
	" lk.min_stock::text, lk.low_stock, lk.version, lk.live," \
	" EXISTS (SELECT 1 FROM product_components pc WHERE pc.business_id = $1" \
	"  AND pc.component_id = lk.id)"
#define LOCK_COLUMNS 13
static BAHI_STMT(lines_lock,
	"WITH l AS (SELECT * FROM unnest($2::uuid[], $3::numeric[]) WITH ORDINALITY"
	"  AS l(pid, qty, ord)),"
	" x AS (SELECT l.ord, p.id AS pid, l.qty AS delta, 1::numeric AS need,"
	"   NULL::uuid AS composite_id"
	"  FROM l JOIN products p ON p.business_id = $1 AND p.id = l.pid"
	"  WHERE NOT p.is_composite AND (p.deleted_at IS NULL OR l.qty > 0)"
	"  UNION ALL"
	"  SELECT l.ord, n.product_id, round(l.qty * n.qty, 3), n.qty, l.pid"
	"  FROM l JOIN products c ON c.business_id = $1 AND c.id = l.pid"
	"  CROSS JOIN LATERAL bahi_product_needs($1, l.pid) n"
	"  WHERE c.is_composite AND (c.deleted_at IS NULL OR l.qty > 0)),"
	" lk AS (SELECT id, name, stock_qty, cost, min_stock, low_stock, version,"
	"  deleted_at IS NULL AS live FROM products"
	"  WHERE business_id = $1 AND id = ANY (ARRAY(SELECT pid FROM x))"
	"  ORDER BY id FOR NO KEY UPDATE)"
	" SELECT x.ord, x.pid, x.delta::text, round(x.need, 3)::text, x.composite_id, lk.name,"
	"  lk.stock_qty::text, lk.cost," LOCK_TAIL
	" FROM x JOIN lk ON lk.id = x.pid ORDER BY x.ord, x.pid");
/* lines_lock for lines all known to be simple products: the same rows,
 * without the composite expansion. */
static BAHI_STMT(lines_lock_simple,
	"WITH l AS (SELECT * FROM unnest($2::uuid[], $3::numeric[]) WITH ORDINALITY"
	"  AS l(pid, qty, ord)),"
	" lk AS (SELECT p.id, p.name, p.stock_qty, p.cost, p.min_stock, p.low_stock, p.version,"
	"  p.deleted_at IS NULL AS live"
	"  FROM products p WHERE p.business_id = $1 AND p.id = ANY ($2::uuid[])"
	"  AND NOT p.is_composite ORDER BY p.id FOR NO KEY UPDATE)"
	" SELECT l.ord, lk.id, l.qty::text, '1', NULL::uuid, lk.name, lk.stock_qty::text, lk.cost,"
	LOCK_TAIL
	" FROM l JOIN lk ON lk.id = l.pid WHERE lk.live OR l.qty > 0 ORDER BY l.ord");
/* The line products' names (for messages about composites). */
static BAHI_STMT(lines_names,
	"SELECT id, name FROM products WHERE business_id = $1 AND id = ANY ($2::uuid[])");
/* Each product of the array parameter pids gets its stock after the
 * document from afters and the low-stock flag that follows (a plain
 * product's available stock is its stock; a deleted one's flag stays). */
#define STOCK_UPDATE(pids, afters) \
	"UPDATE products p SET stock_qty = s.after," \
	" low_stock = CASE WHEN p.deleted_at IS NULL THEN s.after <= p.min_stock" \
	" ELSE p.low_stock END" \
	" FROM unnest(" pids "::uuid[], " afters "::numeric[]) AS s(pid, after)" \
	" WHERE p.business_id = $1 AND p.id = ANY (" pids "::uuid[]) AND p.id = s.pid"
/* Applies the movements of locked products, worked out by the caller from
 * the stock it locked: STOCK_UPDATE of $7 and $8, and the movements ($2
 * ids, $3 products, $4 changes, $5 the product's stock after each, $6 unit
 * costs, $14 composites) are recorded. */
static BAHI_STMT(lines_apply,
	"WITH upd AS (" STOCK_UPDATE("$7", "$8") ")"
	" INSERT INTO stock_movements (business_id, id, product_id, kind, qty, stock_after,"
	" unit_cost, ref_type, ref_id, user_id, device_id, composite_id)"
	" SELECT $1, m.mid, m.pid, $9, m.delta, m.after, m.cost, $10, $11, $12, $13, m.cid"
	" FROM unnest($2::uuid[], $3::uuid[], $4::numeric[], $5::numeric[], $6::bigint[],"
	"  $14::uuid[]) AS m(mid, pid, delta, after, cost, cid)");
/* The update alone, for a document whose lines carry all its movements. */
static BAHI_STMT(lines_stock_only, STOCK_UPDATE("$2", "$3"));

/* One locked (line, plain product) row. */
typedef struct move_row {
	int line;              /* index into the lines */
	const char *pid;
	int64_t delta;         /* thousandths */
	int64_t need;          /* per unit of the line's product */
	const char *composite; /* or NULL */
	const char *name;
	int64_t stock;         /* before this document */
	const char *cost;
	int64_t min_stock;
	int was_low;           /* the product's low-stock flag before */
	int version;
	int live;
	int in_composite;      /* a component of some composite */
} move_row;

/* The stock of pid left for row upto: its stock before the document plus
 * the changes of the rows before upto (rows end with a NULL pid; a document
 * has few rows, so a linear scan is fine). */
static int64_t
remaining(const move_row *rows, int upto, const char *pid)
{
	int64_t left = 0;
	int found = 0;
	for (int i = 0; rows[i].pid != NULL; i++)
		if (strcmp(rows[i].pid, pid) == 0) {
			if (!found)
				left = rows[i].stock;
			found = 1;
			if (i < upto)
				left += rows[i].delta;
		}
	return left;
}

/* The insufficient_stock problem for line `line`, whose rows start at
 * first: names the product, what of it is available to this line (for a
 * composite, how many its components still make) and what was asked. */
static int
short_line(bahi_req *req, const bahi_stock_line *l, int line, const move_row *rows, int first,
           const char *field_prefix, const char *name)
{
	int64_t avail = -1;
	const char *detail;
	if (rows[first].composite == NULL) {
		avail = remaining(rows, first, rows[first].pid);
		detail = bahi_pool_printf(req->pool, "Not enough stock of %s: %s available, %s requested.",
		                          name, bahi_num_qty(req->pool, avail), bahi_num_qty(req->pool, -l->qty));
	} else {
		for (int i = first; rows[i].pid != NULL && rows[i].line == line; i++) {
			if (rows[i].need <= 0)   /* needs less than 0.001 a unit: never the limit */
				continue;
			int64_t makes = remaining(rows, first, rows[i].pid) * BAHI_QTY_SCALE / rows[i].need;
			makes -= makes % BAHI_QTY_SCALE;
			if (avail < 0 || makes < avail)
				avail = makes;
		}
		detail = bahi_pool_printf(req->pool, "Not enough stock of %s: %s available, %s requested.",
		                          name, bahi_num_qty(req->pool, avail < 0 ? 0 : avail),
		                          bahi_num_qty(req->pool, -l->qty));
	}
	bahi_fail(req, "insufficient_stock", "%s", detail);
	bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "%s[%d].qty", field_prefix, line),
	                   "insufficient_stock", detail);
	return -1;
}

/* The name of a line's product (a composite's own row is not among the locked ones). */
static const char *
product_name(bahi_req *req, const char *product_id)
{
	const char *p[2] = {req->tx_business, bahi_pg_array(req->pool, &product_id, 1)};
	PGresult *res = bahi_db_exec(req, &lines_names, 2, p);
	return res != NULL && PQntuples(res) > 0 ? bahi_db_get(res, 0, 1) : "the product";
}

/* Reads the locked rows, then walks them in line order checking nothing
 * goes below zero and every line moved something. */
static int
check_rows(bahi_req *req, const bahi_stock_line *lines, int n, PGresult *res, move_row *rows,
           const char *field_prefix)
{
	int nr = PQntuples(res);
	char *moved = bahi_pool_calloc(req->pool, (size_t)n + 1, 1);
	for (int i = 0; i < nr; i++) {
		move_row *r = &rows[i];
		r->line = (int)strtol(bahi_db_get(res, i, 0), NULL, 10) - 1;
		r->pid = bahi_db_get(res, i, 1);
		r->delta = bahi_num_qty_of(bahi_db_get(res, i, 2));
		r->need = bahi_num_qty_of(bahi_db_get(res, i, 3));
		r->composite = bahi_db_isnull(res, i, 4) ? NULL : bahi_db_get(res, i, 4);
		r->name = bahi_db_get(res, i, 5);
		r->stock = bahi_num_qty_of(bahi_db_get(res, i, 6));
		r->cost = bahi_db_get(res, i, 7);
		r->min_stock = bahi_num_qty_of(bahi_db_get(res, i, 8));
		r->was_low = bahi_db_get(res, i, 9)[0] == 't';
		r->version = (int)strtol(bahi_db_get(res, i, 10), NULL, 10);
		r->live = bahi_db_get(res, i, 11)[0] == 't';
		r->in_composite = bahi_db_get(res, i, 12)[0] == 't';
		moved[r->line] = 1;
	}
	int bad = 0;
	for (int i = 0; i < n; i++)
		if (!moved[i]) {
			bahi_problem_field(&req->problem,
			                   bahi_pool_printf(req->pool, "%s[%d].product_id", field_prefix, i),
			                   "unknown_product", "Is not a product of this business.");
			bad = 1;
		}
	if (bad)
		return -1;
	for (int i = 0; i < nr; i++) {
		if (rows[i].delta == 0) {
			bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "%s[%d].qty",
			                   field_prefix, rows[i].line), "too_small",
			                   bahi_pool_printf(req->pool, "Is too small to move any %s.",
			                                    rows[i].name));
			return -1;
		}
		if (rows[i].delta < 0 && remaining(rows, i, rows[i].pid) + rows[i].delta < 0) {
			int first = i;
			while (first > 0 && rows[first - 1].line == rows[i].line)
				first--;
			int line = rows[i].line;
			const char *name = rows[first].composite == NULL ? rows[first].name :
			                   product_name(req, lines[line].product_id);
			return short_line(req, &lines[line], line, rows, first, field_prefix, name);
		}
	}
	return 0;
}

/* Orders move rows by product id. */
static int
row_by_pid(const void *a, const void *b)
{
	return strcmp((*(const move_row *const *)a)->pid, (*(const move_row *const *)b)->pid);
}

/* The distinct products of rows, in the order they first appear. */
static int
distinct_products(bahi_req *req, move_row *rows, int nr, move_row ***out)
{
	move_row **first = bahi_pool_calloc(req->pool, (size_t)nr + 1, sizeof(*first));
	int n = 0;
	for (int i = 0; i < nr; i++) {
		int seen = 0;
		for (int j = 0; j < n && !seen; j++)
			seen = strcmp(first[j]->pid, rows[i].pid) == 0;
		if (!seen)
			first[n++] = &rows[i];
	}
	*out = first;
	return n;
}

/* Queues the change-log entries of the moved products, in id order: each
 * live one's upsert, and its low_stock entry when its flag crossed (as
 * lines_apply sets it); then, when a composite contains one of them, what
 * bahi_product_stocks_changed finds for the composites above. */
static int
queue_changes(bahi_req *req, move_row *rows, int nr, int composites)
{
	move_row **first;
	int nplain = distinct_products(req, rows, nr, &first);
	const char **plain = bahi_pool_calloc(req->pool, (size_t)nplain + 1, sizeof(char *));
	qsort(first, (size_t)nplain, sizeof(*first), row_by_pid);
	for (int j = 0; j < nplain; j++) {
		const move_row *r = first[j];
		plain[j] = r->pid;
		if (!r->live)
			continue;
		int64_t after = remaining(rows, nr, r->pid);
		int low = after <= r->min_stock;
		bahi_changelog_merge(req, "product", r->pid, "upsert", r->version);
		if (low != r->was_low)
			bahi_changelog_add(req, "low_stock", r->pid, low ? "upsert" : "delete", r->version);
	}
	return composites ? bahi_product_stocks_changed(req, plain, nplain) : 0;
}

/* lines_lock's parameters for the lines: the business, the products, the
 * signed quantities. */
static void
lock_params(bahi_req *req, const bahi_stock_line *lines, int n, const char *lp[3])
{
	const char **a = bahi_pool_calloc(req->pool, 2 * (size_t)n + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		a[i] = lines[i].product_id;
		a[n + i] = bahi_num_qty(req->pool, lines[i].qty);
	}
	lp[0] = req->tx_business;
	lp[1] = bahi_pg_array(req->pool, a, n);
	lp[2] = bahi_pg_array(req->pool, a + n, n);
}

/* The deferred lock's answer: a deadlock or serialisation failure is a conflict. */
static int
prelock_done(bahi_req *req, PGresult *res)
{
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return 0;
	return bahi_stock_lock_conflict(req, PQresultErrorField(res, PG_DIAG_SQLSTATE));
}

int
bahi_stock_prelock(bahi_req *req, const bahi_stock_line *lines, int n, PGresult **out)
{
	const char **lp = bahi_pool_calloc(req->pool, 3, sizeof(char *));
	lock_params(req, lines, n, lp);
	return bahi_db_defer_read(req, &lines_lock_simple, 3, lp, prelock_done, out);
}

/* Gives each row an id and, for a row its line carries (a line with carry
 * that moves a simple product: its only row), the line its movement_id and
 * stock_after; m gets the other rows' movements as lines_apply's arrays
 * ($2..$6, $14: ids, products, changes, stock after, costs, composites).
 * Returns how many rows are left to insert. */
static int
movement_rows(bahi_req *req, bahi_stock_line *lines, move_row *rows, int nr, const char **m)
{
	int k = 0;
	for (int i = 0; i < nr; i++) {
		char *id = bahi_pool_alloc(req->pool, BAHI_UUID_LEN + 1);
		bahi_uuid_v7(id);
		const char *after = bahi_num_qty(req->pool, remaining(rows, i + 1, rows[i].pid));
		bahi_stock_line *l = &lines[rows[i].line];
		if (l->carry && rows[i].composite == NULL) {
			l->movement_id = id;
			l->stock_after = after;
			continue;
		}
		m[k] = id;
		m[nr + k] = rows[i].pid;
		m[2 * nr + k] = bahi_num_qty(req->pool, rows[i].delta);
		m[3 * nr + k] = after;
		m[4 * nr + k] = rows[i].cost;
		m[5 * nr + k] = rows[i].composite;
		k++;
	}
	return k;
}

/* Records the checked rows' movements (those their lines do not carry) and
 * their products' new stock (lines_apply, or lines_stock_only when the
 * lines carry every movement); later: in the next statement's round trip. */
static int
apply_rows(bahi_req *req, bahi_stock_line *lines, move_row *rows, int nr,
           const char *const doc[3], int later)
{
	move_row **prod;
	int np = distinct_products(req, rows, nr, &prod);
	const char **m = bahi_pool_calloc(req->pool, 6 * (size_t)nr + 2 * (size_t)np + 1,
	                                  sizeof(char *));
	const char **pa = m + 6 * (size_t)nr;
	int k = movement_rows(req, lines, rows, nr, m);
	for (int j = 0; j < np; j++) {
		pa[j] = prod[j]->pid;
		pa[np + j] = bahi_num_qty(req->pool, remaining(rows, nr, prod[j]->pid));
	}
	const char *ap[14] = {
		req->tx_business, bahi_pg_array(req->pool, m, k), bahi_pg_array(req->pool, m + nr, k),
		bahi_pg_array(req->pool, m + 2 * nr, k), bahi_pg_array(req->pool, m + 3 * nr, k),
		bahi_pg_array(req->pool, m + 4 * nr, k), bahi_pg_array(req->pool, pa, np),
		bahi_pg_array(req->pool, pa + np, np), doc[0], doc[1],
		bahi_pool_strdup(req->pool, doc[2]),   /* may be the caller's */
		req->auth.user_id, req->auth.device_id, bahi_pg_array(req->pool, m + 5 * nr, k),
	};
	const char *sp[3] = {req->tx_business, ap[6], ap[7]};
	bahi_stmt *st = k > 0 ? &lines_apply : &lines_stock_only;
	const char *const *p = k > 0 ? ap : sp;
	int nparams = k > 0 ? 14 : 3;
	if (later)
		return bahi_db_defer(req, st, nparams, p, NULL);
	return bahi_db_exec(req, st, nparams, p) != NULL ? 0 : -1;
}

int
bahi_stock_move_lines(bahi_req *req, const char *kind, bahi_stock_line *lines, int n,
                      const char *ref_type, const char *ref_id, const char *field_prefix,
                      int later, PGresult *prelocked)
{
	int simple = 1;
	for (int i = 0; i < n; i++)
		simple &= lines[i].known_simple;
	PGresult *res = simple ? prelocked : NULL;
	if (res == NULL) {
		const char *lp[3];
		lock_params(req, lines, n, lp);
		res = bahi_stock_lock_exec(req, simple ? &lines_lock_simple : &lines_lock, 3, lp);
		if (res == NULL)
			return -1;
	}
	int nr = PQntuples(res);
	move_row *rows = bahi_pool_calloc(req->pool, (size_t)nr + 1, sizeof(*rows));
	if (check_rows(req, lines, n, res, rows, field_prefix) != 0)
		return -1;
	int composites = 0;
	for (int i = 0; i < nr; i++)
		composites |= rows[i].in_composite;
	const char *doc[3] = {kind, ref_type, ref_id};
	if (apply_rows(req, lines, rows, nr, doc, later && !composites) != 0)
		return -1;
	return queue_changes(req, rows, nr, composites);
}
