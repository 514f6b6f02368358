/* bahi_stock: stock movements under the product's row lock; stock never below zero; composites move their components. */
#include "bahi_stock.h"

#include <stdlib.h>
#include <string.h>

#include "bahi_activity.h"
#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_num.h"
#include "bahi_product.h"
#include "bahi_req.h"

#define MOVEMENT_COLUMNS \
	"id, product_id, kind, trim_scale(qty) AS qty, trim_scale(stock_after) AS stock_after," \
	" unit_cost, batch_id, note, ref_type, ref_id, user_id, device_id, composite_id," \
	" bahi_ts(created_at) AS created_at"

/* A simple product's row is locked for its stock; a composite's only
 * against deletion (FOR KEY SHARE): its row does not change, and the
 * low-stock bookkeeping after a component's movement updates composite rows,
 * so locking them here would order locks composite-then-component in one
 * transaction and component-then-composite in another. */
static BAHI_STMT(stock_lock_product,
	"SELECT name, is_composite, cost, stock_qty::text FROM products"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL AND NOT is_composite"
	" FOR NO KEY UPDATE");
static BAHI_STMT(stock_share_composite,
	"SELECT name, is_composite, cost, stock_qty::text FROM products"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL AND is_composite"
	" FOR KEY SHARE");
/* The plain products a composite takes stock from (components of
 * components expanded, quantities multiplied and added up:
 * bahi_product_needs), locked in id order; delta is the change for each
 * (qty x quantity needed, rounded half away from zero to 3 decimals), makes
 * how many composites its stock makes. */
static BAHI_STMT(stock_lock_components,
	"SELECT p.id, p.name, p.stock_qty::text, p.cost,"
	" trim_scale(round($3::numeric * n.qty, 3))::text AS delta,"
	" floor(p.stock_qty / n.qty)::bigint AS makes"
	" FROM bahi_product_needs($1, $2) n JOIN products p"
	"  ON p.business_id = $1 AND p.id = n.product_id"
	" ORDER BY p.id FOR NO KEY UPDATE OF p");
static BAHI_STMT(stock_add,
	"UPDATE products SET stock_qty = stock_qty + $3::numeric"
	" WHERE business_id = $1 AND id = $2 RETURNING stock_qty::text");
static BAHI_STMT(stock_lock_batch,
	"SELECT product_id, batch_no, qty_remaining::text, qty_received::text FROM batches"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE");
static BAHI_STMT(stock_batch_add,
	"UPDATE batches SET qty_remaining = qty_remaining + $3::numeric, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");
static BAHI_STMT(stock_id_used,
	"SELECT 1 FROM stock_movements WHERE business_id = $1 AND id = $2");
static BAHI_STMT(stock_insert,
	"INSERT INTO stock_movements (business_id, id, product_id, kind, qty, stock_after,"
	" unit_cost, batch_id, note, ref_type, ref_id, user_id, device_id, composite_id)"
	" VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, $7::bigint, $8, $9, $10, $11, $12,"
	" $13, $14)");
/* A movement recorded as a row (bahi_stock_move's, never a sale line's). */
static BAHI_STMT(stock_one,
	"SELECT " MOVEMENT_COLUMNS " FROM stock_movements WHERE business_id = $1 AND id = $2");
static BAHI_STMT(stock_of_composite,
	"SELECT " MOVEMENT_COLUMNS " FROM stock_movements"
	" WHERE business_id = $1 AND composite_id = $2 AND created_at = now() ORDER BY product_id");
/* A page of the ledger (stock_ledger, 0016): the newest rows and the newest
 * sale lines that carry their movement, each side limited and in its own
 * index's order (a sort over the view would read every line of the
 * business), then merged. A batch has no sale lines. */
static BAHI_STMT(stock_page,
	"SELECT " MOVEMENT_COLUMNS ","
	" (extract(epoch FROM created_at) * 1000000)::bigint AS cursor_key FROM ("
	" (SELECT business_id, id, product_id, kind::text, qty::numeric, stock_after::numeric,"
	"  unit_cost::bigint, batch_id, note::text, ref_type::text, ref_id, user_id, device_id,"
	"  composite_id, created_at FROM stock_movements WHERE business_id = $1"
	"  AND ($5::uuid IS NULL OR product_id = $5 OR composite_id = $5)"
	"  AND ($6::uuid IS NULL OR batch_id = $6)"
	"  AND ($2::bigint IS NULL OR (created_at, id) <"
	"   (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	"  ORDER BY created_at DESC, id DESC LIMIT $4::int)"
	" UNION ALL"
	" (SELECT business_id, movement_id, product_id, 'sale', -qty::numeric, stock_after::numeric,"
	"  unit_cost::bigint, NULL::uuid, NULL::text, 'invoice', invoice_id, user_id, device_id,"
	"  NULL::uuid, issued_at FROM invoice_lines WHERE business_id = $1"
	"  AND movement_id IS NOT NULL AND $6::uuid IS NULL"
	"  AND ($5::uuid IS NULL OR product_id = $5)"
	"  AND ($2::bigint IS NULL OR (issued_at, movement_id) <"
	"   (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	"  ORDER BY issued_at DESC, movement_id DESC LIMIT $4::int)"
	") AS u (business_id, id, product_id, kind, qty, stock_after, unit_cost, batch_id, note,"
	" ref_type, ref_id, user_id, device_id, composite_id, created_at)"
	" ORDER BY u.created_at DESC, u.id DESC LIMIT $4::int");
/* The live simple products of $2, locked in id order (bahi_stock_receive_many). */
static BAHI_STMT(stock_lock_many,
	"SELECT p.id FROM products p WHERE p.business_id = $1 AND p.id = ANY ($2::uuid[])"
	" AND p.deleted_at IS NULL AND NOT p.is_composite ORDER BY p.id FOR NO KEY UPDATE");
/* Adds qty to each product ($3, distinct) and records an "in" movement ($2)
 * at cost with note $6 and stock_after the new stock. */
static BAHI_STMT(stock_receive_many,
	"WITH u AS (SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::numeric[], $5::bigint[])"
	"  AS u(mid, pid, qty, cost)),"
	" upd AS (UPDATE products p SET stock_qty = p.stock_qty + u.qty FROM u"
	"  WHERE p.business_id = $1 AND p.id = u.pid RETURNING p.id, p.stock_qty)"
	" INSERT INTO stock_movements (business_id, id, product_id, kind, qty, stock_after,"
	" unit_cost, note, user_id, device_id)"
	" SELECT $1, u.mid, u.pid, 'in', u.qty, upd.stock_qty, u.cost, $6, $7, $8"
	" FROM u JOIN upd ON upd.id = u.pid ORDER BY u.mid");
static BAHI_STMT(stock_product_exists,
	"SELECT 1 FROM products WHERE business_id = $1 AND id = $2");
static BAHI_STMT(stock_batch_exists,
	"SELECT 1 FROM batches WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL");

/* The product as locked for a movement. */
typedef struct locked_product {
	const char *name;
	int composite;
	int64_t cost;
	int64_t stock;     /* thousandths */
} locked_product;

int
bahi_stock_lock_conflict(bahi_req *req, const char *state)
{
	if (state == NULL || strncmp(state, "40", 2) != 0)
		return 0;
	return bahi_fail(req, "conflict", "The stock was being changed by another request;"
	                 " try again.");
}

PGresult *
bahi_stock_lock_exec(bahi_req *req, bahi_stmt *st, int n, const char *const *p)
{
	PGresult *res = bahi_db_try(req, st, n, p);
	if (res == NULL && req->problem.status == 0 &&
	    bahi_stock_lock_conflict(req, req->sqlstate) == 0)
		bahi_fail(req, "internal_error", NULL);
	return res;
}

static int
lock_product(bahi_req *req, const char *id, locked_product *p)
{
	const char *params[2] = {req->tx_business, id};
	PGresult *res = bahi_stock_lock_exec(req, &stock_lock_product, 2, params);
	if (res != NULL && PQntuples(res) == 0)
		res = bahi_stock_lock_exec(req, &stock_share_composite, 2, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return bahi_fail(req, "not_found", "There is no such product.");
	p->name = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	p->composite = bahi_db_get(res, 0, 1)[0] == 't';
	p->cost = strtoll(bahi_db_get(res, 0, 2), NULL, 10);
	p->stock = bahi_num_qty_of(bahi_db_get(res, 0, 3));
	return 0;
}

/* Tells devices that a product's stock (and so its availability and the
 * availability of composites made from it) changed, and reports low-stock
 * crossings: the products module's bookkeeping. */
static int
stock_changed(bahi_req *req, const char *product_id)
{
	return bahi_product_stock_changed(req, product_id);
}

/* The insufficient_stock problem with its "qty" field error. */
static int
insufficient(bahi_req *req, const char *detail)
{
	bahi_fail(req, "insufficient_stock", "%s", detail);
	bahi_problem_field(&req->problem, "qty", "insufficient_stock", detail);
	return -1;
}

/* Adds delta to the product's stock; *after receives the new stock as text. */
static int
add_stock(bahi_req *req, const char *product_id, int64_t delta, const char **after)
{
	const char *p[3] = {req->tx_business, product_id, bahi_num_qty(req->pool, delta)};
	PGresult *res = bahi_db_exec(req, &stock_add, 3, p);
	if (res == NULL)
		return -1;
	*after = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	return 0;
}

/* One movement row: delta on product_id, stock_after after it. */
static int
insert_movement(bahi_req *req, const char *id, const char *product_id, const bahi_movement *m,
                int64_t delta, const char *after, int64_t unit_cost, const char *composite_id)
{
	const char *p[14] = {
		req->tx_business, id, product_id, m->kind, bahi_num_qty(req->pool, delta), after,
		bahi_pool_printf(req->pool, "%lld", (long long)unit_cost), m->batch_id, m->note,
		m->ref_type, m->ref_id, req->auth.user_id, req->auth.device_id, composite_id,
	};
	return bahi_db_exec(req, &stock_insert, 14, p) == NULL ? -1 : 0;
}

/* Checks m's batch against the product: it exists, holds this product, and
 * can give (or take back) the quantity. Locks the batch row. */
static int
check_batch(bahi_req *req, const bahi_movement *m, const locked_product *prod)
{
	const char *p[2] = {req->tx_business, m->batch_id};
	PGresult *res = bahi_stock_lock_exec(req, &stock_lock_batch, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		bahi_problem_field(&req->problem, "batch_id", "unknown_batch", "There is no such batch.");
		return -1;
	}
	const char *batch_no = bahi_db_get(res, 0, 1);
	int64_t remaining = bahi_num_qty_of(bahi_db_get(res, 0, 2));
	int64_t received = bahi_num_qty_of(bahi_db_get(res, 0, 3));
	if (strcmp(bahi_db_get(res, 0, 0), m->product_id) != 0) {
		bahi_problem_field(&req->problem, "batch_id", "batch_of_another_product",
		    bahi_pool_printf(req->pool, "Batch %s is not a batch of %s.", batch_no, prod->name));
		return -1;
	}
	if (m->qty < 0 && remaining + m->qty < 0)
		return insufficient(req, bahi_pool_printf(req->pool,
		    "Not enough stock in batch %s of %s: %s remaining, %s requested.", batch_no,
		    prod->name, bahi_num_qty(req->pool, remaining), bahi_num_qty(req->pool, -m->qty)));
	if (m->qty > 0 && remaining + m->qty > received) {
		bahi_problem_field(&req->problem, "qty", "exceeds_batch", bahi_pool_printf(req->pool,
		    "Batch %s received %s and has %s remaining: at most %s can go back into it.",
		    batch_no, bahi_num_qty(req->pool, received), bahi_num_qty(req->pool, remaining),
		    bahi_num_qty(req->pool, received - remaining)));
		return -1;
	}
	return 0;
}

/* Takes delta from (or puts it back into) m's batch and queues its change. */
static int
move_batch(bahi_req *req, const bahi_movement *m)
{
	const char *p[3] = {req->tx_business, m->batch_id, bahi_num_qty(req->pool, m->qty)};
	PGresult *res = bahi_db_exec(req, &stock_batch_add, 3, p);
	if (res == NULL)
		return -1;
	bahi_changelog_add(req, "batch", m->batch_id, "upsert",
	                   (int)strtol(bahi_db_get(res, 0, 0), NULL, 10));
	return 0;
}

/* A movement of a simple product (locked as prod) recorded under id. */
static int
move_simple(bahi_req *req, const bahi_movement *m, const locked_product *prod, const char *id)
{
	if (m->qty < 0 && prod->stock + m->qty < 0)
		return insufficient(req, bahi_pool_printf(req->pool,
		    "Not enough stock of %s: %s available, %s requested.", prod->name,
		    bahi_num_qty(req->pool, prod->stock), bahi_num_qty(req->pool, -m->qty)));
	if (m->batch_id != NULL && check_batch(req, m, prod) != 0)
		return -1;
	const char *after;
	int64_t cost = m->unit_cost >= 0 ? m->unit_cost : prod->cost;
	if (add_stock(req, m->product_id, m->qty, &after) != 0 ||
	    insert_movement(req, id, m->product_id, m, m->qty, after, cost, NULL) != 0)
		return -1;
	if (m->batch_id != NULL && move_batch(req, m) != 0)
		return -1;
	return stock_changed(req, m->product_id);
}

/* Refuses what a composite product cannot take. */
static int
check_composite_kind(bahi_req *req, const bahi_movement *m, const locked_product *prod)
{
	if (strcmp(m->kind, "in") == 0 || strcmp(m->kind, "adjust") == 0) {
		bahi_problem_field(&req->problem, "product_id", "composite_product",
		    bahi_pool_printf(req->pool, "%s is a composite product: its stock is its"
		    " components'; move the components instead.", prod->name));
		return -1;
	}
	if (m->batch_id != NULL) {
		bahi_problem_field(&req->problem, "batch_id", "composite_product",
		                   "A composite product has no batches of its own.");
		return -1;
	}
	return 0;
}

/* Checks every component of a composite can take its delta; on a shortage
 * names the composite, how many of it are available, and the first short
 * component. */
static int
check_components(bahi_req *req, const bahi_movement *m, const locked_product *prod,
                 const PGresult *res)
{
	int n = PQntuples(res), short_row = -1;
	int64_t avail = -1;
	if (n == 0)
		return bahi_fail(req, "validation_failed", "%s has no components.", prod->name);
	for (int i = 0; i < n; i++) {
		int64_t stock = bahi_num_qty_of(bahi_db_get(res, i, 2)), delta = bahi_num_qty_of(bahi_db_get(res, i, 4));
		int64_t makes = strtoll(bahi_db_get(res, i, 5), NULL, 10);
		if (delta == 0) {
			bahi_problem_field(&req->problem, "qty", "too_small", bahi_pool_printf(req->pool,
			    "Is too small to move any %s.", bahi_db_get(res, i, 1)));
			return -1;
		}
		if (avail < 0 || makes < avail)
			avail = makes;
		if (short_row < 0 && stock + delta < 0)
			short_row = i;
	}
	if (short_row < 0)
		return 0;
	int64_t stock = bahi_num_qty_of(bahi_db_get(res, short_row, 2));
	int64_t need = -bahi_num_qty_of(bahi_db_get(res, short_row, 4));
	return insufficient(req, bahi_pool_printf(req->pool,
	    "Not enough stock of %s: %lld available, %s requested (%s: %s in stock, %s needed).",
	    prod->name, (long long)(avail < 0 ? 0 : avail), bahi_num_qty(req->pool, -m->qty),
	    bahi_db_get(res, short_row, 1), bahi_num_qty(req->pool, stock), bahi_num_qty(req->pool, need)));
}

/* A movement of a composite product: one movement per plain product it is
 * made of, the first recorded under first_id. */
static int
move_composite(bahi_req *req, const bahi_movement *m, const locked_product *prod,
               const char *first_id)
{
	if (check_composite_kind(req, m, prod) != 0)
		return -1;
	const char *p[3] = {req->tx_business, m->product_id, bahi_num_qty(req->pool, m->qty)};
	PGresult *res = bahi_stock_lock_exec(req, &stock_lock_components, 3, p);
	if (res == NULL || check_components(req, m, prod, res) != 0)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *cid = bahi_db_get(res, i, 0), *after;
		int64_t delta = bahi_num_qty_of(bahi_db_get(res, i, 4));
		int64_t cost = strtoll(bahi_db_get(res, i, 3), NULL, 10);
		char id[BAHI_UUID_LEN + 1];
		if (i == 0)
			snprintf(id, sizeof(id), "%s", first_id);
		else
			bahi_uuid_v7(id);
		if (add_stock(req, cid, delta, &after) != 0 ||
		    insert_movement(req, id, cid, m, delta, after, cost, m->product_id) != 0 ||
		    stock_changed(req, cid) != 0)   /* the composite too: it uses cid */
			return -1;
	}
	return 0;
}

/* The movement's id: the client's (refused when taken) or a new one. */
static int
movement_id(bahi_req *req, const bahi_movement *m, char id[BAHI_UUID_LEN + 1])
{
	if (m->id == NULL) {
		bahi_uuid_v7(id);
		return 0;
	}
	snprintf(id, BAHI_UUID_LEN + 1, "%s", m->id);
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, &stock_id_used, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0)
		return bahi_fail(req, "conflict", "A stock movement with this id already exists.");
	return 0;
}

int
bahi_stock_move(bahi_req *req, const bahi_movement *m, char id_out[BAHI_UUID_LEN + 1])
{
	locked_product prod = {0};
	char id[BAHI_UUID_LEN + 1];
	if (m->qty == 0)
		return bahi_fail(req, "internal_error", "A stock movement of nothing.");
	if (movement_id(req, m, id) != 0 || lock_product(req, m->product_id, &prod) != 0)
		return -1;
	int rc = prod.composite ? move_composite(req, m, &prod, id) : move_simple(req, m, &prod, id);
	if (rc == 0 && id_out != NULL)
		snprintf(id_out, BAHI_UUID_LEN + 1, "%s", id);
	return rc;
}

int
bahi_stock_receive_many(bahi_req *req, int n, const char *const *product_id,
                        const int64_t *qty, const int64_t *unit_cost, const char *note)
{
	if (n == 0)
		return 0;
	const char **a = bahi_pool_calloc(req->pool, 3 * (size_t)n + 1, sizeof(char *));
	const char **mid = a, **q = a + n, **cost = a + 2 * n;
	for (int i = 0; i < n; i++) {
		char *id = bahi_pool_alloc(req->pool, BAHI_UUID_LEN + 1);
		bahi_uuid_v7(id);
		mid[i] = id;
		q[i] = bahi_num_qty(req->pool, qty[i]);
		cost[i] = bahi_pool_printf(req->pool, "%lld", (long long)unit_cost[i]);
	}
	const char *products = bahi_pg_array(req->pool, product_id, n);
	const char *lk[2] = {req->tx_business, products};
	PGresult *res = bahi_stock_lock_exec(req, &stock_lock_many, 2, lk);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != n)
		return bahi_fail(req, "not_found", "A product to stock is not a live simple product.");
	const char *p[8] = {
		req->tx_business, bahi_pg_array(req->pool, mid, n), products,
		bahi_pg_array(req->pool, q, n), bahi_pg_array(req->pool, cost, n), note,
		req->auth.user_id, req->auth.device_id,
	};
	if (bahi_db_exec(req, &stock_receive_many, 8, p) == NULL)
		return -1;
	return bahi_product_stocks_changed(req, product_id, n);
}

/* The signed change a client's movement asks for, or -1 with a field error. */
static int
signed_qty(bahi_req *req, const bahi_movement *m, int64_t *delta)
{
	if (strcmp(m->kind, "adjust") == 0) {
		if (m->qty == 0) {
			bahi_problem_field(&req->problem, "qty", "must_not_be_zero",
			                   "Must be the change to apply: not zero.");
			return -1;
		}
		*delta = m->qty;
		return 0;
	}
	if (m->qty <= 0) {
		bahi_problem_field(&req->problem, "qty", "must_be_positive", "Must be more than 0.");
		return -1;
	}
	*delta = strcmp(m->kind, "in") == 0 ? m->qty : -m->qty;
	return 0;
}

int
bahi_stock_record(bahi_req *req, const bahi_movement *m, cJSON **out)
{
	bahi_movement mv = *m;
	char id[BAHI_UUID_LEN + 1];
	if (strcmp(m->kind, "in") != 0 && strcmp(m->kind, "out") != 0 &&
	    strcmp(m->kind, "wastage") != 0 && strcmp(m->kind, "adjust") != 0) {
		bahi_problem_field(&req->problem, "kind", "invalid_choice",
		                   "Must be in, out, wastage or adjust.");
		return -1;
	}
	if (signed_qty(req, m, &mv.qty) != 0)
		return -1;
	if (bahi_stock_move(req, &mv, id) != 0) {
		/* the product named in the body is a field of it */
		if (req->problem.code != NULL && strcmp(req->problem.code, "not_found") == 0) {
			memset(&req->problem, 0, sizeof(req->problem));
			bahi_problem_field(&req->problem, "product_id", "unknown_product",
			                   "There is no such product.");
		}
		return -1;
	}
	if (bahi_activity_add(req, bahi_pool_printf(req->pool, "stock_%s", m->kind), m->product_id,
	                      bahi_pool_printf(req->pool, "%s (movement %s)", bahi_num_qty(req->pool, mv.qty),
	                                       id)) != 0 ||
	    bahi_stock_movement_get(req, id, out) != 0)
		return -1;
	const char *composite = bahi_json_str(*out, "composite_id");
	if (composite == NULL)
		return 0;
	const char *p[2] = {req->tx_business, composite};
	PGresult *res = bahi_db_exec(req, &stock_of_composite, 2, p);
	if (res == NULL)
		return -1;
	cJSON_AddItemToObject(*out, "components", bahi_json_rows(res));
	return 0;
}

int
bahi_stock_movement_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &stock_one, 2, p, "There is no such stock movement.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	return 0;
}

/* not_found unless st finds id in the business. */
static int
must_exist(bahi_req *req, bahi_stmt *st, const char *id, const char *missing)
{
	const char *p[2] = {req->tx_business, id};
	return bahi_db_one(req, st, 2, p, missing) == NULL ? -1 : 0;
}

int
bahi_stock_movements_list(bahi_req *req, const bahi_page *pg, const char *product_id,
                          const char *batch_id, cJSON **out)
{
	if (product_id != NULL &&
	    must_exist(req, &stock_product_exists, product_id, "There is no such product.") != 0)
		return -1;
	if (batch_id != NULL &&
	    must_exist(req, &stock_batch_exists, batch_id, "There is no such batch.") != 0)
		return -1;
	const char *extra[2] = {product_id, batch_id};
	return bahi_page_run(req, &stock_page, pg, 2, extra, out);
}
