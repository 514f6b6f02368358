/* bahi_product: the rules for changing products: SKUs, barcodes, composites without cycles, price permission, low-stock crossings. */
#include "bahi_product.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_activity.h"
#include "bahi_category.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_num.h"
#include "bahi_perm.h"
#include "bahi_req.h"
#include "bahi_stock.h"

static BAHI_STMT(product_id_used,
	"SELECT 1 FROM products WHERE business_id = $1 AND id = $2");
/* Another live product holding the SKU ($2) or the barcode ($3): its name. */
static BAHI_STMT(product_taken,
	"SELECT (SELECT name FROM products WHERE business_id = $1 AND deleted_at IS NULL"
	"  AND sku_lower = lower($2) AND id <> $4 LIMIT 1),"
	" (SELECT name FROM products WHERE business_id = $1 AND deleted_at IS NULL"
	"  AND barcode = $3 AND id <> $4 LIMIT 1)");
static BAHI_STMT(product_take_sku, "SELECT bahi_take_sku($1, $2)");
/* Inserts products from parallel arrays, in their order: a NULL SKU takes
 * the next generated one of the product's category (bahi_take_sku, in
 * array order: its NULL for a category that is gone fails the insert). */
static BAHI_STMT(product_insert,
	"INSERT INTO products (business_id, id, category_id, name, sku, sku_auto, barcode, unit,"
	" price, cost, min_stock, is_composite, low_stock)"
	" SELECT $1, u.id, u.cat, u.name, COALESCE(u.sku, bahi_take_sku($1, u.cat)), u.auto,"
	" u.barcode, COALESCE(u.unit, 'pcs'), u.price, u.cost, COALESCE(u.min_stock, 5),"
	" u.composite, NOT u.composite"
	" FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::bool[], $7::text[],"
	" $8::text[], $9::bigint[], $10::bigint[], $11::numeric[], $12::bool[]) WITH ORDINALITY"
	" AS u(id, cat, name, sku, auto, barcode, unit, price, cost, min_stock, composite, i)"
	" ORDER BY u.i");
/* The 1-based positions in $2 of ids that are not live products of the business. */
static BAHI_STMT(product_unknown,
	"SELECT u.i FROM unnest($2::uuid[]) WITH ORDINALITY u(id, i) WHERE NOT EXISTS ("
	" SELECT 1 FROM products p WHERE p.business_id = $1 AND p.id = u.id"
	" AND p.deleted_at IS NULL) ORDER BY u.i");
/* The names along a chain of components from one of $3 down to $2, if any. */
static BAHI_STMT(product_cycle,
	"WITH RECURSIVE down (id, path, depth) AS ("
	"  SELECT p.id, ARRAY[p.name], 0 FROM products p"
	"  WHERE p.business_id = $1 AND p.id = ANY ($3::uuid[])"
	"  UNION ALL"
	"  SELECT c.id, down.path || c.name, down.depth + 1 FROM down"
	"  JOIN product_components pc ON pc.business_id = $1 AND pc.product_id = down.id"
	"  JOIN products c ON c.business_id = $1 AND c.id = pc.component_id"
	"  WHERE down.id <> $2 AND down.depth < 64)"
	" SELECT array_to_string(path, ' > ') FROM down WHERE id = $2 LIMIT 1");
static BAHI_STMT(product_components_clear,
	"DELETE FROM product_components WHERE business_id = $1 AND product_id = $2");
/* Component rows from parallel arrays (product, component, qty, pos). */
static BAHI_STMT(product_components_insert,
	"INSERT INTO product_components (business_id, product_id, component_id, qty, pos)"
	" SELECT $1, u.p, u.c, u.q, u.pos"
	" FROM unnest($2::uuid[], $3::uuid[], $4::numeric[], $5::int[]) u(p, c, q, pos)");
static BAHI_STMT(product_lock,
	"SELECT version, name, category_id, sku_auto, price, cost, trim_scale(stock_qty),"
	" low_stock FROM products WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL"
	" FOR UPDATE");
static BAHI_STMT(product_update,
	"UPDATE products SET"
	" category_id = CASE WHEN $3::bool THEN $4::uuid ELSE category_id END,"
	" name = COALESCE($5, name), sku = COALESCE($6, sku),"
	" sku_auto = COALESCE($7::bool, sku_auto),"
	" barcode = CASE WHEN $8::bool THEN $9 ELSE barcode END,"
	" unit = COALESCE($10, unit), price = COALESCE($11::bigint, price),"
	" cost = COALESCE($12::bigint, cost), min_stock = COALESCE($13::numeric, min_stock),"
	" is_composite = COALESCE($14::bool, is_composite),"
	" version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");
/* The live composites that have $2 as a component: how many, and their names. */
static BAHI_STMT(product_users,
	"SELECT count(*), string_agg(p.name, ', ' ORDER BY p.name)"
	" FROM product_components pc JOIN products p ON p.business_id = pc.business_id"
	" AND p.id = pc.product_id AND p.deleted_at IS NULL"
	" WHERE pc.business_id = $1 AND pc.component_id = $2");
static BAHI_STMT(product_soft_delete,
	"UPDATE products SET deleted_at = now(), version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");
/* The products $2 and every live composite that contains one of them, at
 * any depth, with whether each is below the line now; the flag of those that
 * crossed it is updated (re-checked against the newest row under its lock),
 * and those are reported by "crossed". */
static BAHI_STMT(product_low_refresh,
	"WITH RECURSIVE up (id) AS ("
	"  SELECT unnest($2::uuid[])"
	"  UNION"
	"  SELECT pc.product_id FROM up"
	"  JOIN product_components pc ON pc.business_id = $1 AND pc.component_id = up.id),"
	" cur AS ("
	"  SELECT p.id, p.version, bahi_product_available(p) <= p.min_stock AS is_low"
	"  FROM up JOIN products p ON p.business_id = $1 AND p.id = up.id"
	"  WHERE p.deleted_at IS NULL),"
	" lk AS ("   /* the rows to change, locked in id order (composites are not yet) */
	"  SELECT p.id, cur.is_low FROM products p JOIN cur ON cur.id = p.id"
	"  WHERE p.business_id = $1 AND p.low_stock <> cur.is_low"
	"  ORDER BY p.id FOR NO KEY UPDATE OF p),"
	" upd AS ("
	"  UPDATE products p SET low_stock = lk.is_low FROM lk"
	"  WHERE p.business_id = $1 AND p.id = lk.id"
	"  RETURNING p.id)"
	" SELECT cur.id, cur.version, cur.is_low, upd.id IS NOT NULL"
	" FROM cur LEFT JOIN upd ON upd.id = cur.id ORDER BY cur.id");

int
bahi_product_stocks_changed(bahi_req *req, const char *const *product_id, int n)
{
	if (n == 0)
		return 0;
	const char *p[2] = {req->tx_business, bahi_pg_array(req->pool, product_id, n)};
	PGresult *res = bahi_stock_lock_exec(req, &product_low_refresh, 2, p);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *id = bahi_db_get(res, r, 0);
		int version = (int)strtol(bahi_db_get(res, r, 1), NULL, 10);
		/* a sale touching several components of one composite queues it once */
		bahi_changelog_merge(req, "product", id, "upsert", version);
		if (bahi_db_get(res, r, 3)[0] == 't')
			bahi_changelog_add(req, "low_stock", id,
			                   bahi_db_get(res, r, 2)[0] == 't' ? "upsert" : "delete", version);
	}
	return 0;
}

int
bahi_product_stock_changed(bahi_req *req, const char *product_id)
{
	return bahi_product_stocks_changed(req, &product_id, 1);
}

/* Field errors for a component list of product self: duplicates, self, and
 * ids that are not live products of the business. */
static int
check_components(bahi_req *req, const char *self, int n, const char *const *ids)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		const char *f = bahi_pool_printf(req->pool, "components[%d].product_id", i);
		if (strcmp(ids[i], self) == 0) {
			bahi_problem_field(&req->problem, f, "self_component",
			                   "A product cannot be a component of itself.");
			bad = 1;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0) {
				bahi_problem_field(&req->problem, f, "duplicate_component",
				                   "Is listed twice; give each component once with its quantity.");
				bad = 1;
				break;
			}
	}
	const char *p[2] = {req->tx_business, bahi_pg_array(req->pool, ids, n)};
	PGresult *res = bahi_db_exec(req, &product_unknown, 2, p);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		long i = strtol(bahi_db_get(res, r, 0), NULL, 10) - 1;
		bahi_problem_field(&req->problem,
		                   bahi_pool_printf(req->pool, "components[%ld].product_id", i),
		                   "unknown_product", "Is not a product of this business.");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* 409 duplicate_sku / duplicate_barcode when another live product (not self)
 * holds sku or barcode (either may be NULL: not checked). */
static int
check_unique(bahi_req *req, const char *self, const char *sku, const char *barcode)
{
	if (sku == NULL && barcode == NULL)
		return 0;
	const char *p[4] = {req->tx_business, sku, barcode, self};
	PGresult *res = bahi_db_exec(req, &product_taken, 4, p);
	if (res == NULL)
		return -1;
	if (!bahi_db_isnull(res, 0, 0))
		return bahi_fail(req, "duplicate_sku", "The SKU \"%s\" is already used by \"%s\".",
		                 sku, bahi_db_get(res, 0, 0));
	if (!bahi_db_isnull(res, 0, 1))
		return bahi_fail(req, "duplicate_barcode",
		                 "The barcode \"%s\" is already used by \"%s\".", barcode,
		                 bahi_db_get(res, 0, 1));
	return 0;
}

/* The next generated SKU in category (NULL: the business-wide ITEM series). */
static const char *
take_sku(bahi_req *req, const char *category)
{
	const char *p[2] = {req->tx_business, category};
	PGresult *res = bahi_db_exec(req, &product_take_sku, 2, p);
	if (res == NULL)
		return NULL;
	if (bahi_db_isnull(res, 0, 0)) {
		bahi_problem_field(&req->problem, "category_id", "unknown_category",
		                   "Is not a category of this business.");
		return NULL;
	}
	return bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
}

/* Component rows gathered for one insert. */
typedef struct comp_rows {
	const char **product, **component, **qty, **pos;
	int n;
} comp_rows;

static void
comp_rows_init(bahi_pool *pool, comp_rows *cr, int cap)
{
	const char **a = bahi_pool_calloc(pool, (size_t)cap * 4 + 1, sizeof(char *));
	*cr = (comp_rows){a, a + cap, a + 2 * (size_t)cap, a + 3 * (size_t)cap, 0};
}

/* Adds the n components of product (room for them was made by comp_rows_init). */
static void
comp_rows_add(bahi_req *req, comp_rows *cr, const char *product, int n,
              const char *const *ids, const int64_t *qty)
{
	for (int i = 0; i < n; i++, cr->n++) {
		char *q = bahi_pool_alloc(req->pool, 32);
		bahi_qty_format(qty[i], q, 32);
		cr->product[cr->n] = product;
		cr->component[cr->n] = ids[i];
		cr->qty[cr->n] = q;
		cr->pos[cr->n] = bahi_pool_printf(req->pool, "%d", i);
	}
}

static int
comp_rows_insert(bahi_req *req, const comp_rows *cr)
{
	if (cr->n == 0)
		return 0;
	const char *p[5] = {
		req->tx_business, bahi_pg_array(req->pool, cr->product, cr->n),
		bahi_pg_array(req->pool, cr->component, cr->n), bahi_pg_array(req->pool, cr->qty, cr->n),
		bahi_pg_array(req->pool, cr->pos, cr->n),
	};
	return bahi_db_exec(req, &product_components_insert, 5, p) == NULL ? -1 : 0;
}

/* Replaces product id's components with the n given. */
static int
write_components(bahi_req *req, const char *id, int n, const char *const *ids,
                 const int64_t *qty)
{
	const char *p[2] = {req->tx_business, id};
	if (bahi_db_exec(req, &product_components_clear, 2, p) == NULL)
		return -1;
	comp_rows cr;
	comp_rows_init(req->pool, &cr, n);
	comp_rows_add(req, &cr, id, n, ids, qty);
	return comp_rows_insert(req, &cr);
}

/* 409 conflict when a product (even a deleted one) already has the id. */
static int
check_id_free(bahi_req *req, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &product_id_used, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0)
		return bahi_fail(req, "conflict", "A product with this id already exists.");
	return 0;
}

/* The checks of a new product that need the database, all reported at once
 * when they are field errors. */
static int
check_new(bahi_req *req, const char *id, const bahi_product_in *in)
{
	int bad = 0;
	if (check_id_free(req, id) != 0)
		return -1;
	if (in->category_id != NULL && bahi_category_check(req, in->category_id, "category_id") != 0) {
		if (req->problem.status != 422)
			return -1;
		bad = 1;
	}
	if (in->ncomponents > 0 &&
	    check_components(req, id, in->ncomponents, in->component_id) != 0) {
		if (req->problem.status != 422)
			return -1;
		bad = 1;
	}
	return bad ? -1 : check_unique(req, id, in->sku, in->barcode);
}

static const char *
fmt_i64(bahi_req *req, int64_t v)
{
	return bahi_pool_printf(req->pool, "%lld", (long long)v);
}

static const char *
fmt_qty(bahi_req *req, int64_t v)
{
	char *b = bahi_pool_alloc(req->pool, 32);
	bahi_qty_format(v, b, 32);
	return b;
}

/* Inserts the n products rows[i] under ids[i] with the SKUs skus[i] (NULL:
 * the next generated one of the category), in order, in one statement. */
static int
insert_products(bahi_req *req, const bahi_product_in *const *rows, const char *const *ids,
                const char *const *skus, int n)
{
	if (n == 0)
		return 0;
	const char **a = bahi_pool_calloc(req->pool, (size_t)n * 9 + 1, sizeof(char *));
	const char **cat = a, **name = a + n, **autos = a + 2 * n, **barcode = a + 3 * n;
	const char **unit = a + 4 * n, **price = a + 5 * n, **cost = a + 6 * n;
	const char **min = a + 7 * n, **comp = a + 8 * n;
	for (int i = 0; i < n; i++) {
		const bahi_product_in *in = rows[i];
		cat[i] = in->category_id;
		name[i] = in->name;
		autos[i] = in->sku ? "f" : "t";
		barcode[i] = in->barcode;
		unit[i] = in->unit;
		price[i] = fmt_i64(req, in->price);
		cost[i] = fmt_i64(req, in->cost);
		min[i] = in->min_stock >= 0 ? fmt_qty(req, in->min_stock) : NULL;
		comp[i] = in->ncomponents > 0 ? "t" : "f";
	}
	bahi_pool *pl = req->pool;
	const char *p[12] = {
		req->tx_business, bahi_pg_array(pl, ids, n), bahi_pg_array(pl, cat, n),
		bahi_pg_array(pl, name, n), bahi_pg_array(pl, skus, n), bahi_pg_array(pl, autos, n),
		bahi_pg_array(pl, barcode, n), bahi_pg_array(pl, unit, n), bahi_pg_array(pl, price, n),
		bahi_pg_array(pl, cost, n), bahi_pg_array(pl, min, n), bahi_pg_array(pl, comp, n),
	};
	if (bahi_db_try(req, &product_insert, 12, p) != NULL)
		return 0;
	return bahi_fail_unique(req, "conflict", "Another change took this SKU or barcode at the"
	                        " same time; try again.");
}

int
bahi_product_create(bahi_req *req, const bahi_product_in *in, char id_out[BAHI_UUID_LEN + 1])
{
	char id[BAHI_UUID_LEN + 1];
	if (in->id != NULL)
		snprintf(id, sizeof(id), "%s", in->id);
	else
		bahi_uuid_v7(id);
	if (check_new(req, id, in) != 0)
		return -1;
	const char *sku = in->sku ? in->sku : take_sku(req, in->category_id);
	const char *ids[1] = {id};
	if (sku == NULL || insert_products(req, &in, ids, &sku, 1) != 0 ||
	    write_components(req, id, in->ncomponents, in->component_id, in->component_qty) != 0)
		return -1;
	/* a new plain product has no stock yet, so it starts on the low-stock
	 * list; a composite starts off it and joins it if its components say so */
	bahi_changelog_add(req, "product", id, "upsert", 1);
	if (in->ncomponents > 0) {
		if (bahi_product_stock_changed(req, id) != 0)
			return -1;
	} else {
		bahi_changelog_add(req, "low_stock", id, "upsert", 1);
	}
	snprintf(id_out, BAHI_UUID_LEN + 1, "%s", id);
	return 0;
}

int
bahi_product_create_many(bahi_req *req, const bahi_product_in *in, int n)
{
	const bahi_product_in **rows = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(*rows));
	const char **ids = bahi_pool_calloc(req->pool, 3 * (size_t)n + 1, sizeof(char *));
	const char **skus = ids + n, **composites = skus + n;
	int ncomp = 0, ncomposites = 0, given = 0;
	/* the rows with a SKU first: a generated SKU then steers clear of them */
	for (int pass = 0, k = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++)
			if ((in[i].sku != NULL) == (pass == 0)) {
				rows[k] = &in[i];
				ids[k] = in[i].id;
				skus[k++] = in[i].sku;
				given += pass == 0;
			}
	for (int i = 0; i < n; i++)
		ncomp += in[i].ncomponents;
	comp_rows cr;
	comp_rows_init(req->pool, &cr, ncomp);
	for (int i = 0; i < n; i++)
		if (in[i].ncomponents > 0) {
			comp_rows_add(req, &cr, in[i].id, in[i].ncomponents, in[i].component_id,
			              in[i].component_qty);
			composites[ncomposites++] = in[i].id;
		}
	if (insert_products(req, rows, ids, skus, given) != 0 ||
	    insert_products(req, rows + given, ids + given, skus + given, n - given) != 0 ||
	    comp_rows_insert(req, &cr) != 0)
		return -1;
	/* as bahi_product_create: plain products start on the low-stock list */
	for (int i = 0; i < n; i++) {
		bahi_changelog_add(req, "product", in[i].id, "upsert", 1);
		if (in[i].ncomponents == 0)
			bahi_changelog_add(req, "low_stock", in[i].id, "upsert", 1);
	}
	return bahi_product_stocks_changed(req, composites, ncomposites);
}

/* What update and delete need of the product, read under its row lock. */
typedef struct locked_product {
	long version;
	const char *name, *category_id;   /* category_id NULL: none */
	int sku_auto, low_stock;
	int64_t price, cost;
	const char *stock_qty;
} locked_product;

/* Locks a live product and checks If-Match. */
static int
lock_product(bahi_req *req, const char *id, long if_match, locked_product *lp)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &product_lock, 2, p, "There is no such product.");
	if (res == NULL)
		return -1;
	lp->version = strtol(bahi_db_get(res, 0, 0), NULL, 10);
	lp->name = bahi_db_get(res, 0, 1);
	lp->category_id = bahi_db_isnull(res, 0, 2) ? NULL : bahi_db_get(res, 0, 2);
	lp->sku_auto = bahi_db_get(res, 0, 3)[0] == 't';
	lp->price = strtoll(bahi_db_get(res, 0, 4), NULL, 10);
	lp->cost = strtoll(bahi_db_get(res, 0, 5), NULL, 10);
	lp->stock_qty = bahi_db_get(res, 0, 6);
	lp->low_stock = bahi_db_get(res, 0, 7)[0] == 't';
	if (if_match != 0 && if_match != lp->version)
		return bahi_fail(req, "version_conflict",
		                 "The product was changed by someone else; reload and try again.");
	return 0;
}

static int
same_id(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The checks of a patch that need the database. */
static int
check_patch(bahi_req *req, const char *id, const locked_product *lp, const bahi_product_patch *p)
{
	int bad = 0;
	if (p->category_id != NULL && bahi_category_check(req, p->category_id, "category_id") != 0) {
		if (req->problem.status != 422)
			return -1;
		bad = 1;
	}
	if (p->set_components && p->ncomponents > 0) {
		if (check_components(req, id, p->ncomponents, p->component_id) != 0) {
			if (req->problem.status != 422)
				return -1;
			bad = 1;
		}
		if (strcmp(lp->stock_qty, "0") != 0) {
			bahi_problem_field(&req->problem, "components", "has_stock",
			    bahi_pool_printf(req->pool, "The product holds %s in stock of its own; move"
			    " it out with a stock movement before making the product composite.",
			    lp->stock_qty));
			bad = 1;
		}
	}
	if (bad)
		return -1;
	if (p->set_components && p->ncomponents > 0) {
		const char *q[3] = {req->tx_business, id,
		                    bahi_pg_array(req->pool, p->component_id, p->ncomponents)};
		PGresult *res = bahi_db_exec(req, &product_cycle, 3, q);
		if (res == NULL)
			return -1;
		if (PQntuples(res) > 0) {
			bahi_problem_field(&req->problem, "components", "cycle",
			    bahi_pool_printf(req->pool, "Would make a cycle of components: %s > %s.",
			    lp->name, bahi_db_get(res, 0, 0)));
			return -1;
		}
	}
	return check_unique(req, id, p->sku, p->barcode);
}

/* 403 when p changes price or cost and the caller's role may not. */
static int
check_price_permission(bahi_req *req, const locked_product *lp, const bahi_product_patch *p)
{
	int changes = (p->price >= 0 && p->price != lp->price) ||
	              (p->cost >= 0 && p->cost != lp->cost);
	if (changes && !bahi_perm_allows(req->auth.role, "prices.write"))
		return bahi_fail(req, "forbidden", "Changing a price or cost needs the prices.write"
		                 " permission (owner or admin).");
	return 0;
}

static int
patch_is_empty(const bahi_product_patch *p)
{
	return p->category_id == NULL && !p->clear_category && p->name == NULL && p->sku == NULL &&
	       !p->regenerate_sku && p->barcode == NULL && !p->clear_barcode && p->unit == NULL &&
	       p->price < 0 && p->cost < 0 && p->min_stock < 0 && !p->set_components;
}

/* Records a change of price or cost in the activity log. */
static int
log_price_change(bahi_req *req, const char *id, const locked_product *lp,
                 const bahi_product_patch *p)
{
	if ((p->price < 0 || p->price == lp->price) && (p->cost < 0 || p->cost == lp->cost))
		return 0;
	return bahi_activity_add(req, "product_price_changed", id, bahi_pool_printf(req->pool,
	    "price %lld -> %lld, cost %lld -> %lld", (long long)lp->price,
	    (long long)(p->price >= 0 ? p->price : lp->price), (long long)lp->cost,
	    (long long)(p->cost >= 0 ? p->cost : lp->cost)));
}

/* Runs the UPDATE of p (sku: the SKU to set or NULL; sku_auto likewise). */
static PGresult *
run_update(bahi_req *req, const char *id, const bahi_product_patch *p, const char *sku,
           const char *sku_auto)
{
	int set_cat = p->category_id != NULL || p->clear_category;
	int set_barcode = p->barcode != NULL || p->clear_barcode;
	const char *q[14] = {
		req->tx_business, id, set_cat ? "true" : "false", p->category_id, p->name, sku,
		sku_auto, set_barcode ? "true" : "false", p->barcode, p->unit,
		p->price >= 0 ? fmt_i64(req, p->price) : NULL,
		p->cost >= 0 ? fmt_i64(req, p->cost) : NULL,
		p->min_stock >= 0 ? fmt_qty(req, p->min_stock) : NULL,
		p->set_components ? (p->ncomponents > 0 ? "true" : "false") : NULL,
	};
	PGresult *res = bahi_db_try(req, &product_update, 14, q);
	if (res == NULL && strcmp(req->sqlstate, "23505") == 0)
		bahi_fail(req, "conflict", "Another change took this SKU or barcode at the same"
		          " time; try again.");
	return res;
}

int
bahi_product_update(bahi_req *req, const char *id, const bahi_product_patch *p, cJSON **out)
{
	locked_product lp;
	if (lock_product(req, id, p->if_match, &lp) != 0 ||
	    check_price_permission(req, &lp, p) != 0)
		return -1;
	if (patch_is_empty(p))
		return (*out = bahi_product_get(req, id)) ? 0 : -1;
	if (check_patch(req, id, &lp, p) != 0)
		return -1;
	const char *new_cat = p->clear_category ? NULL : p->category_id ? p->category_id :
	                      lp.category_id;
	const char *sku = p->sku, *sku_auto = p->sku ? "false" : NULL;
	if (p->regenerate_sku ||
	    (p->sku == NULL && lp.sku_auto && !same_id(new_cat, lp.category_id))) {
		if ((sku = take_sku(req, new_cat)) == NULL)
			return -1;
		sku_auto = "true";
	}
	PGresult *res = run_update(req, id, p, sku, sku_auto);
	if (res == NULL ||
	    (p->set_components &&
	     write_components(req, id, p->ncomponents, p->component_id, p->component_qty) != 0))
		return -1;
	int version = (int)strtol(bahi_db_get(res, 0, 0), NULL, 10);
	bahi_changelog_add(req, "product", id, "upsert", version);
	/* availability or the line moved: this product and the composites
	 * holding it may cross it */
	if ((p->min_stock >= 0 || p->set_components) && bahi_product_stock_changed(req, id) != 0)
		return -1;
	if (log_price_change(req, id, &lp, p) != 0)
		return -1;
	return (*out = bahi_product_get(req, id)) ? 0 : -1;
}

int
bahi_product_delete(bahi_req *req, const char *id, long if_match)
{
	locked_product lp;
	if (lock_product(req, id, if_match, &lp) != 0)
		return -1;
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &product_users, 2, p);
	if (res == NULL)
		return -1;
	long n = strtol(bahi_db_get(res, 0, 0), NULL, 10);
	if (n > 0)
		return bahi_fail(req, "in_use", "The product is a component of %ld composite"
		                 " product%s (%s); remove it from %s first.", n, n == 1 ? "" : "s",
		                 bahi_db_get(res, 0, 1), n == 1 ? "it" : "them");
	if ((res = bahi_db_exec(req, &product_soft_delete, 2, p)) == NULL)
		return -1;
	int version = (int)strtol(bahi_db_get(res, 0, 0), NULL, 10);
	bahi_changelog_add(req, "product", id, "delete", version);
	if (lp.low_stock)
		bahi_changelog_add(req, "low_stock", id, "delete", version);
	return bahi_activity_add(req, "product_deleted", id, lp.name);
}
