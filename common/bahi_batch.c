/* bahi_batch: supplier batches: generated batch numbers, the stock-in that records one, expiry lists. */
#include "bahi_stock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bahi_changelog.h"
#include "bahi_date.h"
#include "bahi_db.h"
#include "bahi_json.h"
#include "bahi_num.h"
#include "bahi_req.h"

#define BATCH_COLUMNS \
	"id, batch_no, product_id, supplier_id, trim_scale(qty_received) AS qty_received," \
	" trim_scale(qty_remaining) AS qty_remaining, cost, expiry::text AS expiry," \
	" supplier_invoice_no, version, bahi_ts(created_at) AS created_at," \
	" bahi_ts(updated_at) AS updated_at"
/* Tries before giving up on finding a sequence number nobody typed by hand. */
#define SEQ_TRIES 1000

static BAHI_STMT(batch_supplier_seq,
	"UPDATE suppliers SET batch_seq = batch_seq + 1"
	" WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL"
	" RETURNING batch_prefix, batch_seq");
static BAHI_STMT(batch_business_seq,
	"INSERT INTO business_counters (business_id, name, value) VALUES ($1, 'batch_seq', 1)"
	" ON CONFLICT (business_id, name) DO UPDATE SET value = business_counters.value + 1"
	" RETURNING value");
/* Numbers starting with $2 ("acme-009-"): from it up to $2 with its last
 * character ('-') replaced by the next one ('.'), byte-wise. */
static BAHI_STMT(batch_prefix_used,
	"SELECT 1 FROM batches WHERE business_id = $1"
	" AND batch_no_lower ~>=~ lower($2) AND batch_no_lower ~<~ lower($3) LIMIT 1");
static BAHI_STMT(batch_no_used,
	"SELECT 1 FROM batches WHERE business_id = $1 AND batch_no_lower = lower($2)"
	" AND id <> COALESCE($3::uuid, '00000000-0000-0000-0000-000000000000')");
static BAHI_STMT(batch_id_used,
	"SELECT 1 FROM batches WHERE business_id = $1 AND id = $2");
static BAHI_STMT(batch_product,
	"SELECT is_composite FROM products WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");
static BAHI_STMT(batch_supplier,
	"SELECT 1 FROM suppliers WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL");
static BAHI_STMT(batch_insert,
	"INSERT INTO batches (business_id, id, batch_no, product_id, supplier_id, qty_received,"
	" qty_remaining, cost, expiry, supplier_invoice_no)"
	" VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::numeric, $8::bigint, $9::date, $10)");
static BAHI_STMT(batch_one,
	"SELECT " BATCH_COLUMNS " FROM batches WHERE business_id = $1 AND id = $2"
	" AND deleted_at IS NULL");
static BAHI_STMT(batch_lock,
	"SELECT version FROM batches WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL"
	" FOR NO KEY UPDATE");
static BAHI_STMT(batch_update,
	"UPDATE batches SET batch_no = COALESCE($3, batch_no),"
	" expiry = CASE WHEN $4::bool THEN $5::date ELSE expiry END,"
	" cost = COALESCE($6::bigint, cost),"
	" supplier_invoice_no = CASE WHEN $7::bool THEN $8 ELSE supplier_invoice_no END,"
	" version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");
static BAHI_STMT(batch_page,
	"SELECT " BATCH_COLUMNS ","
	" (extract(epoch FROM created_at) * 1000000)::bigint AS cursor_key"
	" FROM batches WHERE business_id = $1 AND deleted_at IS NULL"
	" AND ($5::uuid IS NULL OR product_id = $5) AND ($6::uuid IS NULL OR supplier_id = $6)"
	" AND ($2::bigint IS NULL OR (created_at, id) <"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY batches.created_at DESC, batches.id DESC LIMIT $4::int");
/* By expiry; the cursor key is the expiry as days since 0001-01-01. */
static BAHI_STMT(batch_expiring_page,
	"SELECT " BATCH_COLUMNS ", (expiry - date '0001-01-01')::bigint AS cursor_key"
	" FROM batches WHERE business_id = $1 AND deleted_at IS NULL"
	" AND qty_remaining > 0 AND expiry IS NOT NULL AND expiry <= $7::date"
	" AND ($5::uuid IS NULL OR product_id = $5) AND ($6::uuid IS NULL OR supplier_id = $6)"
	" AND ($2::bigint IS NULL OR (expiry, id) > (date '0001-01-01' + $2::int, $3::uuid))"
	" ORDER BY expiry, id LIMIT $4::int");
static BAHI_STMT(batch_timezone,
	"SELECT timezone FROM businesses WHERE id = $1");
static BAHI_STMT(batch_product_exists,
	"SELECT 1 FROM products WHERE business_id = $1 AND id = $2");
static BAHI_STMT(batch_supplier_exists,
	"SELECT 1 FROM suppliers WHERE business_id = $1 AND id = $2");

/* One row of st for (business, id)? 1, 0, or -1 on error. */
static int
row_exists(bahi_req *req, bahi_stmt *st, const char *id)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec(req, st, 2, p);
	return res == NULL ? -1 : PQntuples(res) > 0;
}

/* Whether a batch number starting with "<stem>-" exists. 1, 0 or -1. */
static int
stem_used(bahi_req *req, const char *stem)
{
	const char *p[3] = {
		req->tx_business, bahi_pool_printf(req->pool, "%s-", stem),
		bahi_pool_printf(req->pool, "%s.", stem),
	};
	PGresult *res = bahi_db_exec(req, &batch_prefix_used, 3, p);
	return res == NULL ? -1 : PQntuples(res) > 0;
}

/* Takes the next sequence of the supplier (NULL: the business's own);
 * *prefix and *seq receive the prefix and the number taken. */
static int
next_seq(bahi_req *req, const char *supplier_id, const char **prefix, long long *seq)
{
	if (supplier_id == NULL) {
		const char *p[1] = {req->tx_business};
		PGresult *res = bahi_db_exec(req, &batch_business_seq, 1, p);
		if (res == NULL)
			return -1;
		*prefix = BAHI_BATCH_PREFIX;
		*seq = strtoll(bahi_db_get(res, 0, 0), NULL, 10);
		return 0;
	}
	const char *p[2] = {req->tx_business, supplier_id};
	PGresult *res = bahi_db_one(req, &batch_supplier_seq, 2, p, "There is no such supplier.");
	if (res == NULL)
		return -1;
	*prefix = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	*seq = strtoll(bahi_db_get(res, 0, 1), NULL, 10);
	return 0;
}

/* Skips numbers someone already used by hand, so the generated ones stay unique. */
int
bahi_batch_take_seq(bahi_req *req, const char *supplier_id, char out[64])
{
	for (int i = 0; i < SEQ_TRIES; i++) {
		const char *prefix;
		long long seq;
		if (next_seq(req, supplier_id, &prefix, &seq) != 0)
			return -1;
		snprintf(out, 64, "%s-%03lld", prefix, seq);
		int used = stem_used(req, out);
		if (used < 0)
			return -1;
		if (!used)
			return 0;
	}
	return bahi_fail(req, "conflict", "No free batch number was found; give one.");
}

/* Checks the batch's product and supplier (field errors for both at once). */
static int
check_refs(bahi_req *req, const bahi_batch_in *in)
{
	int bad = 0;
	const char *p[2] = {req->tx_business, in->product_id};
	PGresult *res = bahi_db_exec(req, &batch_product, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		bahi_problem_field(&req->problem, "product_id", "unknown_product",
		                   "There is no such product.");
		bad = 1;
	} else if (bahi_db_get(res, 0, 0)[0] == 't') {
		bahi_problem_field(&req->problem, "product_id", "composite_product",
		                   "A composite product has no stock of its own: record its components.");
		bad = 1;
	}
	if (in->supplier_id != NULL) {
		int found = row_exists(req, &batch_supplier, in->supplier_id);
		if (found < 0)
			return -1;
		if (!found) {
			bahi_problem_field(&req->problem, "supplier_id", "unknown_supplier",
			                   "There is no such supplier.");
			bad = 1;
		}
	}
	if (in->qty <= 0) {
		bahi_problem_field(&req->problem, "qty", "must_be_positive", "Must be more than 0.");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* 409 conflict when batch_no is taken by a batch other than self (may be NULL). */
static int
check_batch_no(bahi_req *req, const char *batch_no, const char *self)
{
	const char *p[3] = {req->tx_business, batch_no, self};
	PGresult *res = bahi_db_exec(req, &batch_no_used, 3, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0)
		return bahi_fail(req, "conflict", "The batch number %s is already in use.", batch_no);
	return 0;
}

/* The batch's id and number: given (and free) or generated. */
static int
batch_identity(bahi_req *req, const bahi_batch_in *in, char id[BAHI_UUID_LEN + 1],
               const char **batch_no)
{
	if (in->id != NULL) {
		snprintf(id, BAHI_UUID_LEN + 1, "%s", in->id);
		int used = row_exists(req, &batch_id_used, id);
		if (used < 0)
			return -1;
		if (used)
			return bahi_fail(req, "conflict", "A batch with this id already exists.");
	} else {
		bahi_uuid_v7(id);
	}
	if (in->batch_no != NULL) {
		*batch_no = in->batch_no;
		return check_batch_no(req, in->batch_no, NULL);
	}
	char stem[64];
	if (bahi_batch_take_seq(req, in->supplier_id, stem) != 0)
		return -1;
	*batch_no = bahi_pool_printf(req->pool, "%s-L0", stem);
	return 0;
}

int
bahi_batch_create(bahi_req *req, const bahi_batch_in *in, char id_out[BAHI_UUID_LEN + 1])
{
	char id[BAHI_UUID_LEN + 1], qty[40];
	const char *batch_no = NULL;
	if (check_refs(req, in) != 0 || batch_identity(req, in, id, &batch_no) != 0)
		return -1;
	bahi_qty_format(in->qty, qty, sizeof(qty));
	/* with a stock-in, the movement fills the batch (its positive movements
	 * put stock back into a batch up to what it received) */
	const char *p[10] = {
		req->tx_business, id, batch_no, in->product_id, in->supplier_id, qty,
		in->stock_in ? "0" : qty, bahi_pool_printf(req->pool, "%lld", (long long)in->cost),
		in->expiry, in->supplier_invoice_no,
	};
	if (bahi_db_try(req, &batch_insert, 10, p) == NULL)
		return bahi_fail_unique(req, "conflict", "The batch number %s is already in use.",
		                        batch_no);
	if (in->stock_in) {
		bahi_movement m = {
			.product_id = in->product_id, .kind = "in", .qty = in->qty,
			.unit_cost = in->cost, .batch_id = id, .ref_type = in->ref_type,
			.ref_id = in->ref_id,
		};
		if (bahi_stock_move(req, &m, NULL) != 0)
			return -1;
	} else {
		bahi_changelog_add(req, "batch", id, "upsert", 1);
	}
	if (id_out != NULL)
		snprintf(id_out, BAHI_UUID_LEN + 1, "%s", id);
	return 0;
}

int
bahi_batch_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &batch_one, 2, p, "There is no such batch.");
	if (res == NULL)
		return -1;
	*out = bahi_json_row(res, 0);
	return 0;
}

/* The business-local date in n days, as YYYY-MM-DD in the pool. */
static const char *
local_date_in(bahi_req *req, int n)
{
	const char *p[1] = {req->tx_business};
	PGresult *res = bahi_db_one(req, &batch_timezone, 1, p, "There is no such business.");
	bahi_date today;
	char buf[16];
	if (res == NULL)
		return NULL;
	if (bahi_date_local(bahi_db_get(res, 0, 0), time(NULL), &today) != 0) {
		bahi_fail(req, "internal_error", "The business's time zone is unknown.");
		return NULL;
	}
	bahi_date_format(bahi_date_add_days(today, n), buf, sizeof(buf));
	return bahi_pool_strdup(req->pool, buf);
}

int
bahi_batch_list(bahi_req *req, const bahi_page *pg, const bahi_batch_filter *f, cJSON **out)
{
	int found;
	if (f->product_id != NULL &&
	    (found = row_exists(req, &batch_product_exists, f->product_id)) != 1)
		return found < 0 ? -1 : bahi_fail(req, "not_found", "There is no such product.");
	if (f->supplier_id != NULL &&
	    (found = row_exists(req, &batch_supplier_exists, f->supplier_id)) != 1)
		return found < 0 ? -1 : bahi_fail(req, "not_found", "There is no such supplier.");
	const char *extra[3] = {f->product_id, f->supplier_id, NULL};
	if (f->expiring_within_days < 0)
		return bahi_page_run(req, &batch_page, pg, 2, extra, out);
	if ((extra[2] = local_date_in(req, f->expiring_within_days)) == NULL)
		return -1;
	return bahi_page_run(req, &batch_expiring_page, pg, 3, extra, out);
}

int
bahi_batch_update(bahi_req *req, const char *id, const bahi_batch_patch *p, cJSON **out)
{
	const char *lp[2] = {req->tx_business, id};
	PGresult *res = bahi_db_one(req, &batch_lock, 2, lp, "There is no such batch.");
	if (res == NULL)
		return -1;
	if (p->if_match != 0 && p->if_match != strtol(bahi_db_get(res, 0, 0), NULL, 10))
		return bahi_fail(req, "version_conflict",
		                 "The batch was changed by someone else; reload and try again.");
	if (p->batch_no != NULL && check_batch_no(req, p->batch_no, id) != 0)
		return -1;
	int expiry = p->expiry != NULL || p->clear_expiry;
	int invoice = p->supplier_invoice_no != NULL || p->clear_supplier_invoice_no;
	if (p->batch_no == NULL && !expiry && p->cost < 0 && !invoice)
		return bahi_batch_get(req, id, out);
	const char *params[8] = {
		req->tx_business, id, p->batch_no, expiry ? "true" : "false", p->expiry,
		p->cost >= 0 ? bahi_pool_printf(req->pool, "%lld", (long long)p->cost) : NULL,
		invoice ? "true" : "false", p->supplier_invoice_no,
	};
	PGresult *up = bahi_db_try(req, &batch_update, 8, params);
	if (up == NULL)
		return bahi_fail_unique(req, "conflict", "The batch number %s is already in use.",
		                        p->batch_no);
	bahi_changelog_add(req, "batch", id, "upsert", (int)strtol(bahi_db_get(up, 0, 0), NULL, 10));
	return bahi_batch_get(req, id, out);
}
