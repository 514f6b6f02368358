/* bahi_import_invoice: supplier invoice CSV uploads: row checks, proposed matches (part number, then name similarity), confirmation into batches. */
#include "bahi_import.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bahi_activity.h"
#include "bahi_changelog.h"
#include "bahi_csv.h"
#include "bahi_db.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_perm.h"
#include "bahi_product.h"
#include "bahi_req.h"
#include "bahi_stock.h"
#include "bahi_uuid.h"

/*
 * The file: a header row naming the columns (any order, any case; "Buy
 * Price" is buy_price), then one row per line:
 *   name        required, 1..200 characters
 *   buy_price   required, decimal money in the business currency ("120.50"),
 *               at most as many decimals as the currency has, >= 0
 *   sell_price  required, the same
 *   qty         required, > 0, at most 3 decimals
 *   part_no     optional, the supplier's part number, 1..64 characters
 */
enum { C_NAME, C_BUY, C_SELL, C_QTY, C_PART, NCOLS };

static const bahi_csv_col invoice_cols[NCOLS] = {
	{"name", BAHI_CSV_REQUIRED}, {"buy_price", BAHI_CSV_REQUIRED},
	{"sell_price", BAHI_CSV_REQUIRED}, {"qty", BAHI_CSV_REQUIRED}, {"part_no", 0},
};

static BAHI_STMT(inv_supplier,
	"SELECT 1 FROM suppliers WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL");
static BAHI_STMT(inv_confirmed,
	"SELECT 1 FROM supplier_invoices WHERE business_id = $1 AND supplier_id = $2"
	" AND lower(invoice_no) = lower($3) AND status = 'confirmed'");
static BAHI_STMT(inv_currency,
	"SELECT currency FROM businesses WHERE id = $1");
/* pg_trgm's <% operator (served by products_search_trgm_idx, which holds
 * business_id too) uses this threshold: the candidates of a match by name
 * are the products whose name, SKU and barcode contain the line's name at
 * least this well (word_similarity); only their names are then compared.
 * JIT is off for the rest of the transaction: the matching's estimated cost
 * (index look-ups per line) earns it LLVM optimisation and inlining, whose
 * compilation takes longer than the expressions it speeds up. */
static BAHI_STMT(inv_threshold,
	"SELECT set_config('pg_trgm.word_similarity_threshold', $1, true),"
	" set_config('jit', 'off', true)");
/* Stores the lines ($5, in row order) each with its match: the product the
 * supplier's part number was learned for; else a product named exactly as
 * the line, in any case (found through products_search_prefix_idx: its
 * search_text starts with the lower-cased name and a space); else (and only
 * then is the trigram index searched) the live product whose lower-cased
 * name is most similar (pg_trgm similarity() at least $7). An exact name
 * comes first as the likeliest match and as the cheapest: a trigram search
 * costs most for a name with many near namesakes in the catalog, which is
 * what a catalog's own names have. Composites hold no stock and are never
 * proposed. The line's name is lowered in a subquery kept apart (OFFSET 0):
 * under row-level security only a plain value, not a function of the line,
 * may reach an index. */
static BAHI_STMT(inv_insert,
	"INSERT INTO supplier_invoices (business_id, id, supplier_id, invoice_no, lines, created_by)"
	" SELECT $1, $2, $3, $4, COALESCE(jsonb_agg(l.j || jsonb_build_object('match',"
	"  CASE WHEN pm.id IS NOT NULL THEN jsonb_build_object('product_id', pm.id,"
	"   'name', pm.name, 'by', 'part_no', 'score', 1)"
	"  WHEN ex.id IS NOT NULL THEN jsonb_build_object('product_id', ex.id,"
	"   'name', ex.name, 'by', 'name', 'score', 1)"
	"  WHEN nm.id IS NOT NULL THEN jsonb_build_object('product_id', nm.id,"
	"   'name', nm.name, 'by', 'name', 'score', round(nm.score::numeric, 3)) END)"
	"  ORDER BY (l.j->>'row')::int), '[]'::jsonb), $6::uuid"
	" FROM (SELECT e.j, lower(e.j->>'name') AS q, lower(e.j->>'name') || ' ' AS lo,"
	"  lower(e.j->>'name') || '!' AS hi, lower(e.j->>'part_no') AS part"
	"  FROM jsonb_array_elements($5::jsonb) AS e(j) OFFSET 0) l"
	" LEFT JOIN LATERAL (SELECT p.id, p.name FROM supplier_parts sp JOIN products p"
	"  ON p.business_id = sp.business_id AND p.id = sp.product_id"
	"  WHERE sp.business_id = $1 AND sp.supplier_id = $3 AND sp.part_key = l.part"
	"  AND p.deleted_at IS NULL AND NOT p.is_composite) pm ON true"
	" LEFT JOIN LATERAL (SELECT p.id, p.name FROM products p WHERE pm.id IS NULL"
	"  AND p.business_id = $1 AND p.deleted_at IS NULL AND p.search_text ~>=~ l.lo"
	"  AND p.search_text ~<~ l.hi AND lower(p.name) = l.q AND NOT p.is_composite"
	"  ORDER BY p.id LIMIT 1) ex ON true"
	" LEFT JOIN LATERAL (SELECT p.id, p.name, similarity(lower(p.name), l.q) AS score"
	"  FROM products p WHERE pm.id IS NULL AND ex.id IS NULL AND p.business_id = $1"
	"  AND p.deleted_at IS NULL AND l.q <% p.search_text AND NOT p.is_composite"
	"  AND similarity(lower(p.name), l.q) >= $7::real"
	"  ORDER BY 3 DESC, lower(p.name), p.id LIMIT 1) nm ON true");
/* The API's view: unmatched lines first, then by row. */
static BAHI_STMT(inv_view,
	"SELECT json_build_object('id', i.id, 'supplier_id', i.supplier_id,"
	" 'invoice_no', i.invoice_no, 'status', i.status, 'batch_stem', i.batch_stem,"
	" 'created_at', bahi_ts(i.created_at), 'confirmed_at', bahi_ts(i.confirmed_at),"
	" 'version', i.version, 'lines', (SELECT COALESCE(json_agg(json_build_object("
	"  'row', l->'row', 'name', l->'name', 'part_no', l->'part_no',"
	"  'buy_price', l->'buy_price', 'sell_price', l->'sell_price', 'qty', l->'qty',"
	"  'match', l->'match', 'result', l->'result')"
	"  ORDER BY l->'match' = 'null'::jsonb DESC, (l->>'row')::int), '[]'::json)"
	"  FROM jsonb_array_elements(i.lines) l))::text"
	" FROM supplier_invoices i WHERE i.business_id = $1 AND i.id = $2"
	" AND i.deleted_at IS NULL");
static BAHI_STMT(inv_lock,
	"SELECT supplier_id, invoice_no, status, version FROM supplier_invoices"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE");
static BAHI_STMT(inv_lines,
	"SELECT (l->>'row')::bigint, l->>'name', l->>'part_no', (l->>'buy_price')::bigint,"
	" (l->>'sell_price')::bigint, ((l->>'qty')::numeric * 1000)::bigint,"
	" l->'match'->>'product_id'"
	" FROM supplier_invoices i, jsonb_array_elements(i.lines) l"
	" WHERE i.business_id = $1 AND i.id = $2 ORDER BY 1");
static BAHI_STMT(inv_products,
	"SELECT id, is_composite, price, cost FROM products WHERE business_id = $1"
	" AND id = ANY($2::uuid[]) AND deleted_at IS NULL ORDER BY id");
static BAHI_STMT(inv_learn_part,
	"INSERT INTO supplier_parts (business_id, supplier_id, part_no, product_id)"
	" VALUES ($1, $2, $3, $4) ON CONFLICT (business_id, supplier_id, part_key)"
	" DO UPDATE SET part_no = excluded.part_no, product_id = excluded.product_id,"
	" updated_at = now()");
/* $5: {"<row>": result}. */
static BAHI_STMT(inv_finish,
	"UPDATE supplier_invoices SET status = 'confirmed', confirmed_at = now(),"
	" confirmed_by = $3::uuid, batch_stem = $4, lines = (SELECT jsonb_agg(l ||"
	"  jsonb_build_object('result', $5::jsonb -> (l->>'row')) ORDER BY (l->>'row')::int)"
	"  FROM jsonb_array_elements(lines) l),"
	" version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");

/* One line of an invoice being confirmed. */
typedef struct inv_line {
	long row;
	const char *name, *part_no;
	int64_t buy, sell, qty;
	const char *proposed;            /* the proposal's product, or NULL */
	const bahi_invoice_pick *pick;   /* the caller's choice, or NULL */
	int pick_index;
	const char *product_id;          /* what the line is received into */
	const char *action;              /* matched, created, skipped */
	int64_t price, cost;             /* the product's now */
	const char *batch_no;
	char batch_id[BAHI_UUID_LEN + 1];
	int price_updated;
} inv_line;

/* Minor-unit digits of the business's currency. */
static int
currency_decimals(bahi_req *req, int *decimals)
{
	const char *p[1] = {req->tx_business};
	PGresult *res = bahi_db_one(req, &inv_currency, 1, p, NULL);
	if (res == NULL)
		return -1;
	*decimals = bahi_currency_decimals(bahi_db_get(res, 0, 0));
	return 0;
}

/* 409 when the supplier's invoice number was already confirmed. */
static int
check_not_confirmed(bahi_req *req, const char *supplier_id, const char *invoice_no)
{
	const char *p[3] = {req->tx_business, supplier_id, invoice_no};
	PGresult *res = bahi_db_exec(req, &inv_confirmed, 3, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0)
		return bahi_fail(req, "conflict", "Invoice %s of this supplier was already confirmed.",
		                 invoice_no);
	return 0;
}

/* Checks one row and appends it to the lines array (JSON text in b). */
static void
invoice_row(bahi_csv *c, bahi_csv_row *r, int decimals, bahi_buf *b)
{
	const char *name = NULL, *part = NULL;
	int64_t buy = 0, sell = 0, qty = 0;
	int ok = bahi_csv_text(c, r, C_NAME, 200, &name) == 1;
	ok &= bahi_csv_money(c, r, C_BUY, decimals, &buy) == 1;
	ok &= bahi_csv_money(c, r, C_SELL, decimals, &sell) == 1;
	ok &= bahi_csv_qty(c, r, C_QTY, 1, &qty) == 1;
	ok &= bahi_csv_text(c, r, C_PART, 64, &part) >= 0;
	if (!ok || c->nerrors > 0)
		return;
	char q[40];
	bahi_qty_format(qty, q, sizeof(q));
	bahi_buf_printf(b, "%s{\"row\":%ld", b->len > 1 ? "," : "", r->row);
	bahi_buf_json_member(b, "name", name);
	bahi_buf_json_member(b, "part_no", part);
	bahi_buf_printf(b, ",\"buy_price\":%lld,\"sell_price\":%lld,\"qty\":%s}",
	                (long long)buy, (long long)sell, q);
}

/* Reads the file into the JSON array of its lines; every bad row reported. */
static const char *
invoice_lines(bahi_req *req, const char *data, size_t len, int decimals)
{
	bahi_csv c;
	bahi_csv_parse(&c, req->pool, &req->problem, data, len, invoice_cols, NCOLS,
	               BAHI_INVOICE_MAX_LINES);
	bahi_buf b;
	bahi_buf_init(&b, 4 * (size_t)BAHI_MAX_UPLOAD);
	bahi_buf_putc(&b, '[');
	for (size_t i = 0; i < c.nrows; i++)
		invoice_row(&c, &c.rows[i], decimals, &b);
	bahi_buf_putc(&b, ']');
	const char *json = b.overflow ? NULL : bahi_pool_strndup(req->pool, b.data, b.len);
	bahi_buf_free(&b);
	if (bahi_csv_finish(&c) != 0)
		return NULL;
	if (json == NULL)
		bahi_fail(req, "payload_too_large", "The file is too large.");
	return json;
}

int
bahi_supplier_invoice_get(bahi_req *req, const char *id, const char **json)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &inv_view, 2, p, "There is no such supplier invoice.");
	if (res == NULL)
		return -1;
	*json = bahi_db_get(res, 0, 0);
	return 0;
}

int
bahi_supplier_invoice_propose(bahi_req *req, const char *supplier_id, const char *invoice_no,
                              const char *csv, size_t len, const char **json)
{
	int decimals;
	const char *p1[2] = {req->tx_business, supplier_id};
	PGresult *sup = bahi_db_exec(req, &inv_supplier, 2, p1);
	if (sup == NULL || currency_decimals(req, &decimals) != 0)
		return -1;
	if (PQntuples(sup) == 0)
		bahi_problem_field(&req->problem, "supplier_id", "unknown_supplier",
		                   "There is no such supplier.");
	else if (check_not_confirmed(req, supplier_id, invoice_no) != 0)
		return -1;
	const char *lines = invoice_lines(req, csv, len, decimals);
	if (lines == NULL || req->problem.status != 0)
		return -1;
	char id[BAHI_UUID_LEN + 1];
	bahi_uuid_v7(id);
	const char *pt[1] = {BAHI_MATCH_CANDIDATES};
	const char *p[7] = {
		req->tx_business, id, supplier_id, invoice_no, lines, req->auth.user_id,
		BAHI_MATCH_THRESHOLD,
	};
	if (bahi_db_exec(req, &inv_threshold, 1, pt) == NULL ||
	    bahi_db_exec(req, &inv_insert, 7, p) == NULL)
		return -1;
	bahi_changelog_add(req, "supplier_invoice", bahi_pool_strdup(req->pool, id), "upsert", 1);
	return bahi_supplier_invoice_get(req, bahi_pool_strdup(req->pool, id), json);
}

/* ---- confirmation */

/* The proposal's lines, in row order, into *lines. */
static int
load_lines(bahi_req *req, const char *id, inv_line **lines, int *n)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &inv_lines, 2, p);
	if (res == NULL)
		return -1;
	*n = PQntuples(res);
	*lines = bahi_pool_calloc(req->pool, (size_t)*n + 1, sizeof(inv_line));
	for (int i = 0; i < *n; i++) {
		inv_line *l = &(*lines)[i];
		l->row = strtol(bahi_db_get(res, i, 0), NULL, 10);
		l->name = bahi_db_get(res, i, 1);
		l->part_no = bahi_db_isnull(res, i, 2) ? NULL : bahi_db_get(res, i, 2);
		l->buy = strtoll(bahi_db_get(res, i, 3), NULL, 10);
		l->sell = strtoll(bahi_db_get(res, i, 4), NULL, 10);
		l->qty = strtoll(bahi_db_get(res, i, 5), NULL, 10);
		l->proposed = bahi_db_isnull(res, i, 6) ? NULL : bahi_db_get(res, i, 6);
		l->pick_index = -1;
	}
	return 0;
}

static inv_line *
find_line(inv_line *lines, int n, long row)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (lines[mid].row == row)
			return &lines[mid];
		if (lines[mid].row < row)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static const char *
pick_field(bahi_req *req, int i, const char *name)
{
	return bahi_pool_printf(req->pool, "lines[%d].%s", i, name);
}

/* Attaches the picks to their lines and decides each line's product. */
static void
apply_picks(bahi_req *req, inv_line *lines, int n, const bahi_invoice_pick *picks, int npicks)
{
	for (int i = 0; i < npicks; i++) {
		inv_line *l = find_line(lines, n, picks[i].row);
		if (l == NULL)
			bahi_problem_field(&req->problem, pick_field(req, i, "row"), "unknown_row",
			                   "The invoice has no line with this row.");
		else if (l->pick != NULL)
			bahi_problem_field(&req->problem, pick_field(req, i, "row"), "duplicate_row",
			                   "Another entry of lines already names this row.");
		else {
			l->pick = &picks[i];
			l->pick_index = i;
		}
	}
	for (int i = 0; i < n; i++) {
		inv_line *l = &lines[i];
		l->action = "matched";
		if (l->pick != NULL && l->pick->skip)
			l->action = "skipped";
		else if (l->pick != NULL && l->pick->create)
			l->action = "created";
		else if (l->pick != NULL)
			l->product_id = l->pick->product_id;
		else if (l->proposed != NULL)
			l->product_id = l->proposed;
		else
			bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "rows[%ld]", l->row),
			                   "unmatched", "The line has no match: name a product_id, or send"
			                   " create: true or skip: true for its row.");
	}
}

/* Every product lines are received into must be live and not composite. */
static int
check_products(bahi_req *req, inv_line *lines, int n)
{
	const char **ids = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(char *));
	int nids = 0;
	for (int i = 0; i < n; i++)
		if (lines[i].product_id != NULL)
			ids[nids++] = lines[i].product_id;
	const char *p[2] = {req->tx_business, bahi_pg_array(req->pool, ids, nids)};
	PGresult *res = bahi_db_exec(req, &inv_products, 2, p);
	if (res == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		inv_line *l = &lines[i];
		if (l->product_id == NULL)
			continue;
		int found = bahi_import_find_row(res, l->product_id);
		const char *field = l->pick ? pick_field(req, l->pick_index, "product_id") :
		                    bahi_pool_printf(req->pool, "rows[%ld]", l->row);
		if (found < 0)
			bahi_problem_field(&req->problem, field, "unknown_product", l->pick ?
			                   "There is no such product." :
			                   "The proposed product no longer exists; pick another.");
		else if (bahi_db_get(res, found, 1)[0] == 't')
			bahi_problem_field(&req->problem, field, "composite_product",
			                   "A composite product has no stock of its own.");
		else {
			l->price = strtoll(bahi_db_get(res, found, 2), NULL, 10);
			l->cost = strtoll(bahi_db_get(res, found, 3), NULL, 10);
		}
	}
	return 0;
}

/* Creates the products of the lines that ask for one. */
static int
create_products(bahi_req *req, inv_line *lines, int n)
{
	for (int i = 0; i < n; i++) {
		inv_line *l = &lines[i];
		if (strcmp(l->action, "created") != 0)
			continue;
		const bahi_invoice_pick *pk = l->pick;
		bahi_product_in in = {
			.name = pk->name ? pk->name : l->name, .category_id = pk->category_id,
			.sku = pk->sku, .barcode = pk->barcode, .unit = pk->unit,
			.price = l->sell, .cost = l->buy, .min_stock = -1,
		};
		char id[BAHI_UUID_LEN + 1];
		size_t first = req->problem.nerrors;
		if (bahi_product_create(req, &in, id) != 0)
			return bahi_import_blame(req, first,
			                         bahi_pool_printf(req->pool, "lines[%d]", l->pick_index));
		l->product_id = bahi_pool_strdup(req->pool, id);
	}
	return 0;
}

/* Received lines by product (the lock order bahi_stock_move asks for), then row. */
static int
by_product(const void *a, const void *b)
{
	const inv_line *x = *(inv_line *const *)a, *y = *(inv_line *const *)b;
	int c = strcmp(x->product_id, y->product_id);
	return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
}

/* Sets the product's cost and price to the line's when they differ
 * (bahi_product_update: its permission check, version, price log). */
static int
update_prices(bahi_req *req, inv_line *l)
{
	if (l->price == l->sell && l->cost == l->buy)
		return 0;
	bahi_product_patch p = {.price = l->sell, .cost = l->buy, .min_stock = -1};
	cJSON *out = NULL;
	size_t first = req->problem.nerrors;
	if (bahi_product_update(req, l->product_id, &p, &out) != 0)
		return bahi_import_blame(req, first, bahi_pool_printf(req->pool, "rows[%ld]", l->row));
	cJSON_Delete(out);
	l->price_updated = 1;
	return 0;
}

/* Numbers the received lines <stem>-L0, -L1... in row order, then records
 * their batches (with stock-in) and price updates in product order. */
static int
receive(bahi_req *req, inv_line *lines, int n, const char *supplier_id, const char *invoice_no,
        const char *stem, int prices)
{
	inv_line **order = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(inv_line *));
	int k = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(lines[i].action, "skipped") != 0) {
			lines[i].batch_no = bahi_pool_printf(req->pool, "%s-L%d", stem, k);
			order[k++] = &lines[i];
		}
	qsort(order, (size_t)k, sizeof(*order), by_product);
	for (int i = 0; i < k; i++) {
		inv_line *l = order[i];
		int last_of_product = i + 1 == k || strcmp(order[i + 1]->product_id, l->product_id) != 0;
		if (prices && last_of_product && strcmp(l->action, "created") != 0 &&
		    update_prices(req, l) != 0)
			return -1;
		bahi_batch_in b = {
			.batch_no = l->batch_no, .product_id = l->product_id, .supplier_id = supplier_id,
			.qty = l->qty, .cost = l->buy, .expiry = l->pick ? l->pick->expiry : NULL,
			.supplier_invoice_no = invoice_no, .stock_in = 1,
		};
		size_t first = req->problem.nerrors;
		if (bahi_batch_create(req, &b, l->batch_id) != 0)
			return bahi_import_blame(req, first, bahi_pool_printf(req->pool, "rows[%ld]", l->row));
	}
	return 0;
}

/* Remembers the supplier's part numbers of the received lines (the last row wins). */
static int
learn_parts(bahi_req *req, inv_line *lines, int n, const char *supplier_id)
{
	for (int i = 0; i < n; i++) {
		if (lines[i].part_no == NULL || lines[i].product_id == NULL)
			continue;
		const char *p[4] = {req->tx_business, supplier_id, lines[i].part_no, lines[i].product_id};
		if (bahi_db_exec(req, &inv_learn_part, 4, p) == NULL)
			return -1;
	}
	return 0;
}

/* {"<row>": {"action", "product_id", "batch_id", "batch_no", "price_updated"}}. */
static const char *
results_json(bahi_req *req, const inv_line *lines, int n)
{
	bahi_buf b;
	bahi_buf_init(&b, 64u * 1024 * 1024);
	bahi_buf_putc(&b, '{');
	for (int i = 0; i < n; i++) {
		const inv_line *l = &lines[i];
		int skipped = strcmp(l->action, "skipped") == 0;
		bahi_buf_printf(&b, "%s\"%ld\":{\"action\":\"%s\"", i ? "," : "", l->row, l->action);
		bahi_buf_json_member(&b, "product_id", l->product_id);
		bahi_buf_json_member(&b, "batch_id", skipped ? NULL : l->batch_id);
		bahi_buf_json_member(&b, "batch_no", l->batch_no);
		bahi_buf_printf(&b, ",\"price_updated\":%s}", l->price_updated ? "true" : "false");
	}
	bahi_buf_putc(&b, '}');
	const char *s = b.overflow ? NULL : bahi_pool_strndup(req->pool, b.data, b.len);
	bahi_buf_free(&b);
	return s;
}

/* Marks the invoice confirmed with the lines' results. */
static int
finish(bahi_req *req, const char *id, const char *stem, const inv_line *lines, int n)
{
	const char *results = results_json(req, lines, n);
	if (results == NULL)
		return bahi_fail(req, "internal_error", "The invoice is too large.");
	const char *p[5] = {req->tx_business, id, req->auth.user_id, stem, results};
	PGresult *res = bahi_db_try(req, &inv_finish, 5, p);
	if (res == NULL)
		return bahi_fail_unique(req, "conflict", "This invoice number was already confirmed.");
	bahi_changelog_add(req, "supplier_invoice", id, "upsert",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return 0;
}

/* Locks the proposal; refuses a confirmed one or a number confirmed since. */
static PGresult *
lock_invoice(bahi_req *req, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *inv = bahi_db_one(req, &inv_lock, 2, p, "There is no such supplier invoice.");
	if (inv == NULL)
		return NULL;
	if (strcmp(bahi_db_get(inv, 0, 2), "confirmed") == 0) {
		bahi_fail(req, "conflict", "This invoice was already confirmed.");
		return NULL;
	}
	if (check_not_confirmed(req, bahi_db_get(inv, 0, 0), bahi_db_get(inv, 0, 1)) != 0)
		return NULL;
	return inv;
}

int
bahi_supplier_invoice_confirm(bahi_req *req, const char *id, const bahi_invoice_pick *picks,
                              int npicks, int prices, const char **json)
{
	PGresult *inv = lock_invoice(req, id);
	if (inv == NULL)
		return -1;
	if (prices && !bahi_perm_allows(req->auth.role, "prices.write"))
		return bahi_fail(req, "forbidden", "Updating prices needs the prices.write permission;"
		                 " confirm with update_prices: false to leave them alone.");
	const char *supplier_id = bahi_db_get(inv, 0, 0), *invoice_no = bahi_db_get(inv, 0, 1);
	inv_line *lines;
	int n, k = 0;
	if (load_lines(req, id, &lines, &n) != 0)
		return -1;
	apply_picks(req, lines, n, picks, npicks);
	if (check_products(req, lines, n) != 0 || req->problem.status != 0)
		return -1;
	char stem[64] = "";
	for (int i = 0; i < n; i++)
		k += strcmp(lines[i].action, "skipped") != 0;
	if (k > 0 && bahi_batch_take_seq(req, supplier_id, stem) != 0)
		return -1;
	if (create_products(req, lines, n) != 0 ||
	    receive(req, lines, n, supplier_id, invoice_no, stem, prices) != 0 ||
	    learn_parts(req, lines, n, supplier_id) != 0 ||
	    finish(req, id, k > 0 ? stem : NULL, lines, n) != 0)
		return -1;
	const char *detail = bahi_pool_printf(req->pool, "%s: %d lines received", invoice_no, k);
	if (bahi_activity_add(req, "supplier_invoice_confirmed", id, detail) != 0)
		return -1;
	return bahi_supplier_invoice_get(req, id, json);
}
