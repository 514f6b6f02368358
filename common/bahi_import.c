/* bahi_import: the product CSV import (checked row by row, all or nothing, dry run) and the catalog CSV export in the same columns. */
#include "bahi_import.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bahi_activity.h"
#include "bahi_category.h"
#include "bahi_changelog.h"
#include "bahi_csv.h"
#include "bahi_db.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_product.h"
#include "bahi_req.h"
#include "bahi_stock.h"
#include "bahi_uuid.h"

/*
 * The columns, in the export's order (the import takes any order and case):
 *   name        required, 1..200 characters
 *   sku         1..64 characters, unique in the business (case-insensitive);
 *               empty: generated (category prefix '-' next number)
 *   barcode     1..64 characters, unique in the business
 *   category    a category's name (any case); a category the business does
 *               not have yet is created (SKU prefix derived from the name)
 *   unit        pcs kg g m cm l ml box pack dozen pair set; empty: pcs
 *   price       required, decimal money in the business currency ("120.50")
 *   cost        required, the same
 *   min_stock   quantity, at most 3 decimals; empty: 5
 *   stock       opening stock, recorded as a stock-in movement at cost
 *   components  a composite's parts as SKU*qty joined by '|'
 *               (FRAME-1*1|WHEEL-2*4): SKUs of products in the business
 *               or of rows of the file (which are created first)
 */
enum { P_NAME, P_SKU, P_BARCODE, P_CATEGORY, P_UNIT, P_PRICE, P_COST, P_MIN, P_STOCK, P_COMP,
       NPCOLS };

static const bahi_csv_col product_cols[NPCOLS] = {
	{"name", BAHI_CSV_REQUIRED}, {"sku", 0}, {"barcode", 0}, {"category", 0}, {"unit", 0},
	{"price", BAHI_CSV_REQUIRED}, {"cost", BAHI_CSV_REQUIRED}, {"min_stock", 0},
	{"stock", 0}, {"components", 0},
};

static const char *const units[] = {
	"pcs", "kg", "g", "m", "cm", "l", "ml", "box", "pack", "dozen", "pair", "set", NULL,
};

static BAHI_STMT(imp_business,
	"SELECT currency, to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD')"
	" FROM businesses WHERE id = $1");
/* Of the given (lower-cased) SKUs, those of live products, with the product. */
static BAHI_STMT(imp_skus,
	"SELECT s.k, p.id FROM unnest($2::text[]) AS s(k) JOIN products p"
	" ON p.business_id = $1 AND lower(p.sku) = lower(s.k) AND p.deleted_at IS NULL"
	" ORDER BY s.k COLLATE \"C\"");
static BAHI_STMT(imp_barcodes,
	"SELECT s.k FROM unnest($2::text[]) AS s(k) JOIN products p"
	" ON p.business_id = $1 AND p.barcode = s.k AND p.deleted_at IS NULL"
	" ORDER BY s.k COLLATE \"C\"");
static BAHI_STMT(imp_categories,
	"SELECT s.k, c.id FROM unnest($2::text[]) AS s(k) JOIN categories c"
	" ON c.business_id = $1 AND lower(c.name) = lower(s.k) AND c.deleted_at IS NULL"
	" ORDER BY s.k COLLATE \"C\"");
static BAHI_STMT(imp_created,
	"SELECT id, sku FROM products WHERE business_id = $1 AND id = ANY($2::uuid[])"
	" ORDER BY id");

/* One row of the file. */
typedef struct imp_row {
	bahi_csv_row *r;
	const char *name, *sku, *barcode, *category, *unit;
	const char *sku_key, *category_key;   /* lower-cased (ASCII) for look-ups */
	int64_t price, cost;
	int64_t min_stock;       /* thousandths, -1: the default */
	int64_t stock;           /* thousandths, 0: none */
	int ncomp;
	const char **comp_key;   /* the components' SKUs, lower-cased */
	int64_t *comp_qty;
	const char **comp_id;    /* a product in the catalog, or NULL... */
	int *comp_row;           /* ...a row of the file (index), or -1 */
	const char *category_id;
	int category_first;      /* a new category: the row that creates it */
	int planned;
	char id[BAHI_UUID_LEN + 1];
} imp_row;

/* A look-up key and the row it came from. */
typedef struct key_ix {
	const char *key;
	int idx;
} key_ix;

int
bahi_import_blame(bahi_req *req, size_t first_error, const char *where)
{
	bahi_problem *pb = &req->problem;
	for (size_t i = first_error; i < pb->nerrors; i++)
		pb->errors[i].field = pb->errors[i].field[0] ?
		                      bahi_pool_printf(req->pool, "%s.%s", where, pb->errors[i].field) :
		                      where;
	if (pb->nerrors == first_error && pb->detail != NULL)
		pb->detail = bahi_pool_printf(req->pool, "%s: %s", where, pb->detail);
	return -1;
}

int
bahi_import_find_row(const PGresult *res, const char *key)
{
	int lo = 0, hi = PQntuples(res) - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(bahi_db_get(res, mid, 0), key);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static char *
ascii_lower(bahi_pool *pool, const char *s)
{
	char *d = bahi_pool_strdup(pool, s);
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

static int
key_cmp(const void *a, const void *b)
{
	const key_ix *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c != 0 ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The rows' keys at byte offset off of imp_row (NULL keys left out), sorted. */
static key_ix *
key_index(bahi_pool *pool, imp_row *rows, int n, size_t off, int *nkeys)
{
	key_ix *ix = bahi_pool_calloc(pool, (size_t)n + 1, sizeof(*ix));
	*nkeys = 0;
	for (int i = 0; i < n; i++) {
		const char *k = *(const char **)((char *)&rows[i] + off);
		if (k != NULL)
			ix[(*nkeys)++] = (key_ix){k, i};
	}
	qsort(ix, (size_t)*nkeys, sizeof(*ix), key_cmp);
	return ix;
}

/* The first row with key, or -1. */
static int
key_find(const key_ix *ix, int n, const char *key)
{
	int lo = 0, hi = n - 1, found = -1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(ix[mid].key, key);
		if (c == 0)
			found = ix[mid].idx;
		if (c >= 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return found;
}

/* The distinct keys of ix as a PostgreSQL text array. */
static const char *
key_array(bahi_pool *pool, const key_ix *ix, int n)
{
	const char **k = bahi_pool_calloc(pool, (size_t)n + 1, sizeof(char *));
	int m = 0;
	for (int i = 0; i < n; i++)
		if (m == 0 || strcmp(k[m - 1], ix[i].key) != 0)
			k[m++] = ix[i].key;
	return bahi_pg_array(pool, k, m);
}

/* Parses a composite's parts, "SKU*qty|SKU*qty" (qty 1 when left out). */
static void
parse_components(bahi_csv *c, imp_row *ir, const char *text)
{
	static const char usage[] = "Write the parts as SKU*qty joined by |, such as "
	                            "FRAME-1*1|WHEEL-2*4.";
	int n = 1;
	for (const char *p = text; *p; p++)
		n += *p == '|';
	if (n > BAHI_PRODUCT_MAX_COMPONENTS) {
		bahi_csv_error(c, ir->r, P_COMP, "too_many_components", bahi_pool_printf(c->pool,
		               "A product has at most %d components.", BAHI_PRODUCT_MAX_COMPONENTS));
		return;
	}
	ir->comp_key = bahi_pool_calloc(c->pool, (size_t)n, sizeof(char *));
	ir->comp_qty = bahi_pool_calloc(c->pool, (size_t)n, sizeof(int64_t));
	ir->comp_id = bahi_pool_calloc(c->pool, (size_t)n, sizeof(char *));
	ir->comp_row = bahi_pool_calloc(c->pool, (size_t)n, sizeof(int));
	char *s = bahi_pool_strdup(c->pool, text);
	for (char *part = s, *next; part != NULL; part = next) {
		next = strchr(part, '|');
		if (next != NULL)
			*next++ = '\0';
		char *star = strrchr(part, '*');
		int64_t qty = BAHI_QTY_SCALE;
		if (star != NULL) {
			*star = '\0';
			const char *q = star + 1 + strspn(star + 1, " ");
			char *qe = (char *)q + strlen(q);
			while (qe > q && qe[-1] == ' ')
				*--qe = '\0';
			if (bahi_qty_parse(q, &qty) != 0 || qty == 0)
				qty = -1;
		}
		part += strspn(part, " ");
		for (char *e = part + strlen(part); e > part && e[-1] == ' '; )
			*--e = '\0';
		const char *key = ascii_lower(c->pool, part);
		int dup = 0;
		for (int j = 0; j < ir->ncomp; j++)
			dup |= strcmp(ir->comp_key[j], key) == 0;
		if (qty < 0 || *part == '\0' || strlen(part) > 64 || dup) {
			bahi_csv_error(c, ir->r, P_COMP, "invalid_components", usage);
			ir->ncomp = 0;
			return;
		}
		ir->comp_key[ir->ncomp] = key;
		ir->comp_row[ir->ncomp] = -1;
		ir->comp_qty[ir->ncomp++] = qty;
	}
}

/* Checks one row's fields into ir. */
static void
check_row(bahi_csv *c, imp_row *ir, int decimals)
{
	bahi_csv_row *r = ir->r;
	const char *unit = NULL, *comp = NULL;
	bahi_csv_text(c, r, P_NAME, 200, &ir->name);
	if (bahi_csv_text(c, r, P_SKU, 64, &ir->sku) == 1)
		ir->sku_key = ascii_lower(c->pool, ir->sku);
	bahi_csv_text(c, r, P_BARCODE, 64, &ir->barcode);
	if (bahi_csv_text(c, r, P_CATEGORY, 100, &ir->category) == 1)
		ir->category_key = ascii_lower(c->pool, ir->category);
	if (bahi_csv_text(c, r, P_UNIT, 200, &unit) == 1) {
		const char *u = ascii_lower(c->pool, unit);
		for (const char *const *x = units; *x && ir->unit == NULL; x++)
			if (strcmp(*x, u) == 0)
				ir->unit = *x;
		if (ir->unit == NULL)
			bahi_csv_error(c, r, P_UNIT, "invalid_choice", "Must be one of pcs, kg, g, m, cm,"
			               " l, ml, box, pack, dozen, pair, set.");
	}
	bahi_csv_money(c, r, P_PRICE, decimals, &ir->price);
	bahi_csv_money(c, r, P_COST, decimals, &ir->cost);
	ir->min_stock = -1;
	bahi_csv_qty(c, r, P_MIN, 0, &ir->min_stock);
	bahi_csv_qty(c, r, P_STOCK, 0, &ir->stock);
	if (bahi_csv_text(c, r, P_COMP, 6000, &comp) == 1)
		parse_components(c, ir, comp);
	if (ir->ncomp > 0 && ir->stock > 0)
		bahi_csv_error(c, r, P_STOCK, "composite_product", "A composite product holds no"
		               " stock of its own: leave stock empty and stock its components.");
}

/* Reports rows repeating an earlier row's key (at offset off of imp_row). */
static void
file_duplicates(bahi_csv *c, imp_row *rows, int n, size_t off, int col, const char *code,
                const char *what)
{
	int nk;
	key_ix *ix = key_index(c->pool, rows, n, off, &nk);
	for (int i = 1, first = 0; i < nk; i++) {
		if (strcmp(ix[i].key, ix[first].key) != 0) {
			first = i;
			continue;
		}
		bahi_csv_error(c, rows[ix[i].idx].r, col, code, bahi_pool_printf(c->pool,
		               "Row %ld has the same %s.", rows[ix[first].idx].r->row, what));
	}
}

/* Runs a look-up statement over the distinct keys of ix. */
static PGresult *
lookup(bahi_req *req, bahi_stmt *st, const key_ix *ix, int nk)
{
	const char *p[2] = {req->tx_business, key_array(req->pool, ix, nk)};
	return bahi_db_exec(req, st, 2, p);
}

/* Every SKU the file names (its own and its components') as one index. */
static key_ix *
all_skus(bahi_pool *pool, imp_row *rows, int n, int *nk)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += 1 + rows[i].ncomp;
	key_ix *ix = bahi_pool_calloc(pool, (size_t)total + 1, sizeof(*ix));
	*nk = 0;
	for (int i = 0; i < n; i++) {
		if (rows[i].sku_key != NULL)
			ix[(*nk)++] = (key_ix){rows[i].sku_key, i};
		for (int j = 0; j < rows[i].ncomp; j++)
			ix[(*nk)++] = (key_ix){rows[i].comp_key[j], i};
	}
	qsort(ix, (size_t)*nk, sizeof(*ix), key_cmp);
	return ix;
}

/* Resolves a row's components to rows of the file or products of the catalog. */
static void
resolve_components(bahi_csv *c, imp_row *ir, const key_ix *file_skus, int nfile,
                   const PGresult *known)
{
	for (int j = 0; j < ir->ncomp; j++) {
		int r = key_find(file_skus, nfile, ir->comp_key[j]);
		int k = r < 0 ? bahi_import_find_row(known, ir->comp_key[j]) : -1;
		if (r >= 0)
			ir->comp_row[j] = r;
		else if (k >= 0)
			ir->comp_id[j] = bahi_db_get(known, k, 1);
		else
			bahi_csv_error(c, ir->r, P_COMP, "unknown_component", bahi_pool_printf(c->pool,
			               "No product has the SKU %s.", ir->comp_key[j]));
	}
}

/* Checks the rows against the catalog: SKUs and barcodes taken, components
 * known; finds their categories. 0, or -1 when the database failed. */
static int
catalog_checks(bahi_req *req, bahi_csv *c, imp_row *rows, int n)
{
	int nsku, nall, nbar, ncat;
	key_ix *skus = key_index(req->pool, rows, n, offsetof(imp_row, sku_key), &nsku);
	key_ix *all = all_skus(req->pool, rows, n, &nall);
	key_ix *bars = key_index(req->pool, rows, n, offsetof(imp_row, barcode), &nbar);
	key_ix *cats = key_index(req->pool, rows, n, offsetof(imp_row, category_key), &ncat);
	PGresult *known = lookup(req, &imp_skus, all, nall);
	PGresult *taken = known ? lookup(req, &imp_barcodes, bars, nbar) : NULL;
	PGresult *cat = taken ? lookup(req, &imp_categories, cats, ncat) : NULL;
	if (cat == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		imp_row *ir = &rows[i];
		if (ir->sku_key != NULL && bahi_import_find_row(known, ir->sku_key) >= 0)
			bahi_csv_error(c, ir->r, P_SKU, "duplicate_sku",
			               "A product with this SKU already exists.");
		if (ir->barcode != NULL && bahi_import_find_row(taken, ir->barcode) >= 0)
			bahi_csv_error(c, ir->r, P_BARCODE, "duplicate_barcode",
			               "A product with this barcode already exists.");
		if (ir->category_key != NULL) {
			int k = bahi_import_find_row(cat, ir->category_key);
			if (k >= 0)
				ir->category_id = bahi_db_get(cat, k, 1);
		}
		resolve_components(c, ir, skus, nsku, known);
	}
	return 0;
}

/* The order of creation: file order, except that a composite waits for the
 * rows it is made of (an export lists them first, so it keeps its order); a
 * composite whose parts lead back to it is reported. */
static int *
plan(bahi_csv *c, imp_row *rows, int n)
{
	int *order = bahi_pool_calloc(c->pool, (size_t)n + 1, sizeof(int));
	int k = 0, progress = 1;
	while (progress) {
		progress = 0;
		for (int i = 0; i < n; i++) {
			int ready = !rows[i].planned;
			for (int j = 0; ready && j < rows[i].ncomp; j++)
				ready = rows[i].comp_row[j] < 0 || rows[rows[i].comp_row[j]].planned;
			if (ready) {
				rows[i].planned = progress = 1;
				order[k++] = i;
			}
		}
	}
	for (int i = 0; i < n; i++)
		if (!rows[i].planned)
			bahi_csv_error(c, rows[i].r, P_COMP, "component_cycle",
			               "The components lead back to this product.");
	return order;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Gives the rows ids that sort in the planned order: the products are
 * created in one transaction (one created_at), and the export, ordered by
 * created_at and id, then lists them as the file did. */
static void
assign_ids(bahi_pool *pool, imp_row *rows, int n, const int *order)
{
	char **ids = bahi_pool_calloc(pool, (size_t)n + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		ids[i] = bahi_pool_alloc(pool, BAHI_UUID_LEN + 1);
		bahi_uuid_v7(ids[i]);
	}
	qsort(ids, (size_t)n, sizeof(*ids), str_cmp);
	for (int k = 0; k < n; k++)
		memcpy(rows[order[k]].id, ids[k], BAHI_UUID_LEN + 1);
}

/* The rows naming a category the business does not have, the first of
 * each name only, in file order (*n of them). */
static imp_row **
new_categories(bahi_pool *pool, imp_row *rows, int n, int *nnew)
{
	int nk;
	key_ix *ix = key_index(pool, rows, n, offsetof(imp_row, category_key), &nk);
	imp_row **out = bahi_pool_calloc(pool, (size_t)n + 1, sizeof(*out));
	*nnew = 0;
	for (int i = 0; i < n; i++) {
		if (rows[i].category_key == NULL || rows[i].category_id != NULL)
			continue;
		rows[i].category_first = key_find(ix, nk, rows[i].category_key);
		if (rows[i].category_first == i)
			out[(*nnew)++] = &rows[i];
	}
	return out;
}

/* Creates the missing categories (SKU prefix derived from the name) and
 * gives every row its category. */
static int
create_categories(bahi_req *req, imp_row *rows, int n, imp_row **fresh, int nfresh)
{
	for (int i = 0; i < nfresh; i++) {
		bahi_category_in in = {.name = fresh[i]->category};
		cJSON *out = NULL;
		size_t first = req->problem.nerrors;
		if (bahi_category_create(req, &in, &out) != 0)
			return bahi_import_blame(req, first, bahi_pool_printf(req->pool,
			                         "rows[%ld].category", fresh[i]->r->row));
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(out, "id");
		fresh[i]->category_id = cJSON_IsString(id) ?
		                        bahi_pool_strdup(req->pool, id->valuestring) : NULL;
		cJSON_Delete(out);
		if (fresh[i]->category_id == NULL)
			return bahi_fail(req, "internal_error", "The new category has no id.");
	}
	for (int i = 0; i < n; i++)
		if (rows[i].category_key != NULL && rows[i].category_id == NULL)
			rows[i].category_id = rows[rows[i].category_first].category_id;
	return 0;
}

/* The row's product to create (its components resolved to ids). */
static void
product_of(const imp_row *rows, const imp_row *ir, bahi_product_in *in)
{
	*in = (bahi_product_in){
		.id = ir->id, .name = ir->name, .category_id = ir->category_id, .sku = ir->sku,
		.barcode = ir->barcode, .unit = ir->unit, .price = ir->price, .cost = ir->cost,
		.min_stock = ir->min_stock, .ncomponents = ir->ncomp,
	};
	for (int j = 0; j < ir->ncomp; j++) {
		in->component_id[j] = ir->comp_row[j] >= 0 ? rows[ir->comp_row[j]].id : ir->comp_id[j];
		in->component_qty[j] = ir->comp_qty[j];
	}
}

/* Creates the rows' products and opening stock, set-based (the rows were
 * checked): the simple products, their stock, then the composites, so
 * that a composite's availability is reckoned once, from stocked parts. */
static int
create_rows(bahi_req *req, imp_row *rows, int n, const int *order)
{
	assign_ids(req->pool, rows, n, order);
	bahi_product_in *in = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(*in));
	const char **stock_id = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(char *));
	int64_t *qty = bahi_pool_calloc(req->pool, 2 * (size_t)n + 1, sizeof(int64_t));
	int64_t *cost = qty + n;
	int k = 0, nplain = 0, nstock = 0;
	for (int composite = 0; composite < 2; composite++) {
		for (int j = 0; j < n; j++) {
			const imp_row *ir = &rows[order[j]];
			if ((ir->ncomp > 0) != composite)
				continue;
			product_of(rows, ir, &in[k++]);
			if (ir->stock > 0) {
				stock_id[nstock] = ir->id;
				qty[nstock] = ir->stock;
				cost[nstock++] = ir->cost;
			}
		}
		if (!composite)
			nplain = k;
	}
	return bahi_product_create_many(req, in, nplain) != 0 ||
	       bahi_stock_receive_many(req, nstock, stock_id, qty, cost,
	                               "Opening stock (CSV import)") != 0 ||
	       bahi_product_create_many(req, in + nplain, n - nplain) != 0 ? -1 : 0;
}

/* {"dry_run", "created", "categories_created": [names], "rows": [{"row",
 * "id", "name", "sku"}]} in file order. */
static const char *
import_report(bahi_req *req, imp_row *rows, int n, imp_row **fresh, int nfresh, int dry_run)
{
	PGresult *res = NULL;
	if (!dry_run) {
		const char **ids = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(char *));
		for (int i = 0; i < n; i++)
			ids[i] = rows[i].id;
		const char *p[2] = {req->tx_business, bahi_pg_array(req->pool, ids, n)};
		if ((res = bahi_db_exec(req, &imp_created, 2, p)) == NULL)
			return NULL;
	}
	bahi_buf b;
	bahi_buf_init(&b, BAHI_MAX_RESPONSE);
	bahi_buf_printf(&b, "{\"dry_run\":%s,\"created\":%d,\"categories_created\":[",
	                dry_run ? "true" : "false", dry_run ? 0 : n);
	for (int i = 0; i < nfresh; i++) {
		bahi_buf_puts(&b, i ? ",\"" : "\"");
		bahi_buf_json_escape(&b, fresh[i]->category);
		bahi_buf_putc(&b, '"');
	}
	bahi_buf_puts(&b, "],\"rows\":[");
	for (int i = 0; i < n; i++) {
		int k = res ? bahi_import_find_row(res, rows[i].id) : -1;
		bahi_buf_printf(&b, "%s{\"row\":%ld", i ? "," : "", rows[i].r->row);
		bahi_buf_json_member(&b, "id", dry_run ? NULL : rows[i].id);
		bahi_buf_json_member(&b, "name", rows[i].name);
		bahi_buf_json_member(&b, "sku", k >= 0 ? bahi_db_get(res, k, 1) : rows[i].sku);
		bahi_buf_putc(&b, '}');
	}
	bahi_buf_puts(&b, "]}");
	const char *s = b.overflow ? NULL : bahi_pool_strndup(req->pool, b.data, b.len);
	bahi_buf_free(&b);
	if (s == NULL)
		bahi_fail(req, "internal_error", "The report is too large.");
	return s;
}

/* The business's currency digits and local date (YYYY-MM-DD, may be NULL). */
static int
business_info(bahi_req *req, int *decimals, const char **today)
{
	const char *p[1] = {req->tx_business};
	PGresult *res = bahi_db_one(req, &imp_business, 1, p, NULL);
	if (res == NULL)
		return -1;
	*decimals = bahi_currency_decimals(bahi_db_get(res, 0, 0));
	if (today != NULL)
		*today = bahi_db_get(res, 0, 1);
	return 0;
}

int
bahi_product_import(bahi_req *req, const char *csv, size_t len, int dry_run, const char **json)
{
	int decimals;
	if (business_info(req, &decimals, NULL) != 0)
		return -1;
	bahi_csv c;
	bahi_csv_parse(&c, req->pool, &req->problem, csv, len, product_cols, NPCOLS,
	               BAHI_IMPORT_MAX_ROWS);
	int n = (int)c.nrows;
	imp_row *rows = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(*rows));
	for (int i = 0; i < n; i++) {
		rows[i].r = &c.rows[i];
		check_row(&c, &rows[i], decimals);
	}
	file_duplicates(&c, rows, n, offsetof(imp_row, sku_key), P_SKU, "duplicate_sku", "SKU");
	file_duplicates(&c, rows, n, offsetof(imp_row, barcode), P_BARCODE, "duplicate_barcode",
	                "barcode");
	if (catalog_checks(req, &c, rows, n) != 0)
		return -1;
	const int *order = plan(&c, rows, n);
	if (bahi_csv_finish(&c) != 0)
		return -1;
	int nfresh;
	imp_row **fresh = new_categories(req->pool, rows, n, &nfresh);
	if (!dry_run) {
		if (create_categories(req, rows, n, fresh, nfresh) != 0 ||
		    create_rows(req, rows, n, order) != 0 ||
		    bahi_activity_add(req, "products_imported", NULL,
		                      bahi_pool_printf(req->pool, "%d products", n)) != 0)
			return -1;
	}
	*json = import_report(req, rows, n, fresh, nfresh, dry_run);
	return *json ? 0 : -1;
}

/* ---- export */

#define EXPORT_PAGE 5000

/* One page of live products after the cursor ($2 microseconds since the
 * epoch, $3 id), oldest first, in the import's columns. */
static BAHI_STMT(exp_page,
	"SELECT p.name, p.sku, p.barcode, c.name, p.unit, p.price, p.cost,"
	" trim_scale(p.min_stock)::text,"
	" CASE WHEN p.is_composite THEN NULL ELSE trim_scale(p.stock_qty)::text END,"
	" (SELECT string_agg(x.sku || '*' || trim_scale(pc.qty)::text, '|'"
	"   ORDER BY pc.pos, lower(x.sku)) FROM product_components pc JOIN products x"
	"   ON x.business_id = pc.business_id AND x.id = pc.component_id"
	"   WHERE pc.business_id = p.business_id AND pc.product_id = p.id),"
	" (extract(epoch FROM p.created_at) * 1000000)::bigint, p.id"
	" FROM products p LEFT JOIN categories c"
	"  ON c.business_id = p.business_id AND c.id = p.category_id"
	" WHERE p.business_id = $1 AND p.deleted_at IS NULL"
	" AND ($2::bigint IS NULL OR (p.created_at, p.id) >"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY p.created_at, p.id LIMIT $4::int");

/* Appends one product row of res to b. */
static int
export_row(bahi_buf *b, const PGresult *res, int r, int decimals)
{
	char price[48], cost[48];
	bahi_money_format(strtoll(bahi_db_get(res, r, 5), NULL, 10), decimals, NULL, 0, price,
	                  sizeof(price));
	bahi_money_format(strtoll(bahi_db_get(res, r, 6), NULL, 10), decimals, NULL, 0, cost,
	                  sizeof(cost));
	int rc = 0;
	for (int col = 0; col < NPCOLS; col++) {
		const char *v = col == P_PRICE ? price : col == P_COST ? cost :
		                bahi_db_isnull(res, r, col) ? NULL : bahi_db_get(res, r, col);
		int is_text = col <= P_UNIT || col == P_COMP;
		rc |= bahi_csv_put(b, col == 0, v, is_text);
	}
	return rc | bahi_csv_end_row(b);
}

/* Writes the page after the cursor (key, id) to f in a pool of its own (so
 * memory stays flat however many products there are); *rows receives its
 * size, and key and id the last row's cursor. 0 or -1 with a problem. */
static int
export_page(bahi_req *req, FILE *f, int decimals, const char **key, const char **id, int *rows)
{
	bahi_pool *outer = req->pool, *page = bahi_pool_create();
	req->pool = page;
	const char *p[4] = {req->tx_business, *key, *id, bahi_pool_printf(page, "%d", EXPORT_PAGE)};
	PGresult *res = bahi_db_exec(req, &exp_page, 4, p);
	req->pool = outer;
	if (res == NULL) {
		/* the problem's strings live in the page pool */
		bahi_pool_cleanup(outer, (bahi_cleanup_fn)bahi_pool_destroy, page);
		return -1;
	}
	bahi_buf b;
	bahi_buf_init(&b, 256u * 1024 * 1024);
	int rc = 0;
	*rows = PQntuples(res);
	for (int r = 0; r < *rows && rc == 0; r++)
		rc = export_row(&b, res, r, decimals);
	if (rc == 0 && b.len > 0 && fwrite(b.data, 1, b.len, f) != b.len)
		rc = -1;
	if (*rows > 0) {
		*key = bahi_pool_strdup(outer, bahi_db_get(res, *rows - 1, NPCOLS));
		*id = bahi_pool_strdup(outer, bahi_db_get(res, *rows - 1, NPCOLS + 1));
	}
	bahi_buf_free(&b);
	bahi_pool_destroy(page);
	return rc == 0 ? 0 : bahi_fail(req, "internal_error", "Could not write the export.");
}

int
bahi_product_export(bahi_req *req, int *fd, const char **filename)
{
	int decimals, rows = EXPORT_PAGE;
	const char *today, *key = NULL, *id = NULL;
	if (business_info(req, &decimals, &today) != 0)
		return -1;
	FILE *f = tmpfile();
	if (f == NULL)
		return bahi_fail(req, "internal_error", "Could not create a temporary file.");
	bahi_buf h;
	bahi_buf_init(&h, 4096);
	bahi_buf_puts(&h, "\xEF\xBB\xBF");
	for (int col = 0; col < NPCOLS; col++)
		bahi_csv_put(&h, col == 0, product_cols[col].name, 1);
	bahi_csv_end_row(&h);
	int rc = fwrite(h.data, 1, h.len, f) == h.len ? 0 :
	         bahi_fail(req, "internal_error", "Could not write the export.");
	bahi_buf_free(&h);
	while (rc == 0 && rows == EXPORT_PAGE)
		rc = export_page(req, f, decimals, &key, &id, &rows);
	if (rc == 0 && fflush(f) != 0)
		rc = bahi_fail(req, "internal_error", "Could not write the export.");
	*fd = rc == 0 ? dup(fileno(f)) : -1;
	fclose(f);
	if (rc != 0)
		return -1;
	if (*fd < 0)
		return bahi_fail(req, "internal_error", "Could not open the export.");
	*filename = bahi_pool_printf(req->pool, "bahi-products-%s.csv", today);
	return 0;
}
