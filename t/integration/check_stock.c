/* check_stock: stock movements through nginx: kinds and signs, never below zero, composites, batches, bad input, tenancy, and the stock invariant under 8 concurrent clients. */
#include <check.h>

#include "../check_run.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_uuid.h"
#include "harness.h"

#define MOVEMENTS "/api/v1/stock/movements"

/* A: the business under test; B: another business; a clerk of A. */
static bt_session owner_a, owner_b, clerk_a;

/* ---- helpers */

/* A product of s's business at cost (and twice that as its price);
 * composites get their components. id into out. */
static void
product_new(const bt_session *s, const char *name, long cost, int ncomp,
            const char *const *comp_ids, const char *const *comp_qtys, char out[BAHI_UUID_LEN + 1])
{
	char comps[1024] = "[";
	size_t n = 1;
	for (int i = 0; i < ncomp; i++)
		n += (size_t)snprintf(comps + n, sizeof(comps) - n, "%s{\"product_id\":\"%s\",\"qty\":%s}",
		                      i ? "," : "", comp_ids[i], comp_qtys[i]);
	snprintf(comps + n, sizeof(comps) - n, "]");
	bt_product_new(s, name, cost * 2, cost, ncomp ? comps : NULL, out);
}

static void
simple_new(const bt_session *s, const char *name, long cost, char out[BAHI_UUID_LEN + 1])
{
	product_new(s, name, cost, 0, NULL, NULL, out);
}

/* POST /stock/movements; extra is more JSON members (",\"note\":\"x\"") or NULL. */
static bt_resp
move(const char *token, const char *product, const char *kind, const char *qty, const char *extra)
{
	char body[4096];
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"kind\":\"%s\",\"qty\":%s%s}", product,
	         kind, qty, extra ? extra : "");
	return bt_json("POST", MOVEMENTS, token, body);
}

/* A movement that must succeed. */
static void
move_ok(const char *product, const char *kind, const char *qty)
{
	bt_resp r = move(owner_a.access, product, kind, qty, NULL);
	ck_assert_msg(r.status == 201, "%s %s: %ld %s", kind, qty, r.status, r.body);
	bt_free(&r);
}

/* The product's stock as text ("7.125"), from the database. */
static void
stock_of(const char *product, char out[32])
{
	const char *p[1] = {product};
	char *v = bt_super_value("SELECT trim_scale(stock_qty)::text FROM products WHERE id = $1", 1, p);
	ck_assert_ptr_nonnull(v);
	snprintf(out, 32, "%s", v);
	free(v);
}

static void
assert_stock(const char *product, const char *expect)
{
	char s[32];
	stock_of(product, s);
	ck_assert_msg(strcmp(s, expect) == 0, "stock %s, expected %s", s, expect);
}

static long
movements_of(const char *product)
{
	const char *p[1] = {product};
	return bt_super_long("SELECT count(*) FROM stock_ledger WHERE product_id = $1", 1, p);
}

/* Every product of the business: stock_qty = sum of its movements, never negative. */
static void
assert_invariant(const char *business)
{
	const char *p[1] = {business};
	ck_assert_int_eq(bt_super_long(
		"SELECT count(*) FROM products p WHERE p.business_id = $1 AND (p.stock_qty < 0 OR"
		" p.stock_qty <> COALESCE((SELECT sum(m.qty) FROM stock_ledger m"
		"  WHERE m.business_id = p.business_id AND m.product_id = p.id), 0))", 1, p), 0);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM stock_ledger WHERE business_id = $1"
	                               " AND stock_after < 0", 1, p), 0);
}

/* ---- tests */

/* in, out, wastage and adjust with exact quantities, signs, costs and stock_after. */
START_TEST(kinds_apply_their_direction)
{
	char p[BAHI_UUID_LEN + 1];
	simple_new(&owner_a, "Brake pad", 250, p);
	bt_resp r = move(owner_a.access, p, "in", "10", ",\"unit_cost\":120,\"note\":\"first delivery\"");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_ptr_nonnull(bt_str(&r, "id"));
	ck_assert_str_eq(bt_str(&r, "product_id"), p);
	ck_assert_str_eq(bt_str(&r, "kind"), "in");
	ck_assert_double_eq(bt_at_num(&r, "qty"), 10);
	ck_assert_double_eq(bt_at_num(&r, "stock_after"), 10);
	ck_assert_int_eq(bt_at_int(&r, "unit_cost"), 120);
	ck_assert_str_eq(bt_str(&r, "note"), "first delivery");
	ck_assert_str_eq(bt_str(&r, "user_id"), owner_a.user_id);
	ck_assert_str_eq(bt_str(&r, "device_id"), owner_a.device_id);
	ck_assert(cJSON_IsNull(bt_at(&r, "batch_id")));
	ck_assert(cJSON_IsNull(bt_at(&r, "composite_id")));
	ck_assert_int_eq(strlen(bt_str(&r, "created_at")), 20);
	bt_free(&r);

	r = move(owner_a.access, p, "out", "3", NULL);
	ck_assert_int_eq(r.status, 201);
	ck_assert_double_eq(bt_at_num(&r, "qty"), -3);
	ck_assert_double_eq(bt_at_num(&r, "stock_after"), 7);
	ck_assert_int_eq(bt_at_int(&r, "unit_cost"), 250);     /* the product's cost */
	ck_assert(cJSON_IsNull(bt_at(&r, "note")));
	bt_free(&r);
	r = move(owner_a.access, p, "wastage", "1.5", NULL);
	ck_assert_int_eq(r.status, 201);
	ck_assert_double_eq(bt_at_num(&r, "qty"), -1.5);
	ck_assert_double_eq(bt_at_num(&r, "stock_after"), 5.5);
	bt_free(&r);
	r = move(owner_a.access, p, "adjust", "-0.5", NULL);
	ck_assert_int_eq(r.status, 201);
	ck_assert_double_eq(bt_at_num(&r, "qty"), -0.5);
	ck_assert_double_eq(bt_at_num(&r, "stock_after"), 5);
	bt_free(&r);
	r = move(owner_a.access, p, "adjust", "2.125", NULL);
	ck_assert_int_eq(r.status, 201);
	ck_assert_double_eq(bt_at_num(&r, "qty"), 2.125);
	ck_assert_double_eq(bt_at_num(&r, "stock_after"), 7.125);
	bt_free(&r);
	assert_stock(p, "7.125");
	ck_assert_int_eq(movements_of(p), 5);
	assert_invariant(owner_a.business_id);

	/* each manual movement is in the activity log */
	const char *q[2] = {owner_a.business_id, p};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1"
	                               " AND target = $2 AND action LIKE 'stock_%'", 2, q), 5);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1"
	                               " AND target = $2 AND action = 'stock_adjust'"
	                               " AND detail LIKE '-0.5 (movement %'", 2, q), 1);
	/* devices hear of the product's change */
	ck_assert_int_ge(bt_super_long("SELECT count(*) FROM change_entries WHERE business_id = $1"
	                               " AND entity = 'product' AND entity_id = $2", 2, q), 5);
}
END_TEST

/* A movement that would take stock below zero is refused with the product
 * and what is available named, and changes nothing. */
START_TEST(stock_never_goes_below_zero)
{
	char p[BAHI_UUID_LEN + 1];
	simple_new(&owner_a, "Spark plug", 80, p);
	move_ok(p, "in", "2");
	bt_resp r = move(owner_a.access, p, "out", "3", NULL);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"), "Not enough stock of Spark plug: 2 available, 3 requested.");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.field"), "qty");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.code"), "insufficient_stock");
	bt_free(&r);
	r = move(owner_a.access, p, "wastage", "2.001", NULL);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"),
	                 "Not enough stock of Spark plug: 2 available, 2.001 requested.");
	bt_free(&r);
	r = move(owner_a.access, p, "adjust", "-2.5", NULL);
	bt_assert_problem(&r, 422, "insufficient_stock");
	bt_free(&r);
	assert_stock(p, "2");
	ck_assert_int_eq(movements_of(p), 1);

	move_ok(p, "out", "2");            /* exactly to zero is fine */
	assert_stock(p, "0");
	r = move(owner_a.access, p, "adjust", "-0.001", NULL);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"),
	                 "Not enough stock of Spark plug: 0 available, 0.001 requested.");
	bt_free(&r);
	ck_assert_int_eq(movements_of(p), 2);
	assert_invariant(owner_a.business_id);
}
END_TEST

/* The seed's chair: 1 frame + 4 wheels, 10 frames and 32 wheels make 8. */
START_TEST(composites_move_their_components)
{
	char frame[BAHI_UUID_LEN + 1], wheel[BAHI_UUID_LEN + 1], chair[BAHI_UUID_LEN + 1];
	simple_new(&owner_a, "Frame", 500, frame);
	simple_new(&owner_a, "Wheel", 50, wheel);
	const char *ids[2] = {frame, wheel}, *qtys[2] = {"1", "4"};
	product_new(&owner_a, "Chair", 1000, 2, ids, qtys, chair);
	move_ok(frame, "in", "10");
	move_ok(wheel, "in", "32");

	bt_resp r = move(owner_a.access, chair, "out", "9", NULL);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"), "Not enough stock of Chair: 8 available, 9 requested"
	                 " (Wheel: 32 in stock, 36 needed).");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.field"), "qty");
	bt_free(&r);
	assert_stock(frame, "10");
	assert_stock(wheel, "32");

	r = move(owner_a.access, chair, "out", "8", ",\"note\":\"sold as a set\"");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "composite_id"), chair);
	const cJSON *comps = bt_at(&r, "components");
	ck_assert_int_eq(cJSON_GetArraySize(comps), 2);
	/* first in product id order: the movement the response describes */
	int frame_first = strcmp(frame, wheel) < 0;
	const char *first = frame_first ? frame : wheel;
	ck_assert_str_eq(bt_str(&r, "product_id"), first);
	ck_assert_str_eq(bt_str(&r, "id"), bt_at_str(&r, "components.0.id"));
	for (int i = 0; i < 2; i++) {
		char path[64];
		snprintf(path, sizeof(path), "components.%d.product_id", i);
		int is_frame = strcmp(bt_at_str(&r, path), frame) == 0;
		snprintf(path, sizeof(path), "components.%d.qty", i);
		ck_assert_double_eq(bt_at_num(&r, path), is_frame ? -8 : -32);
		snprintf(path, sizeof(path), "components.%d.stock_after", i);
		ck_assert_double_eq(bt_at_num(&r, path), is_frame ? 2 : 0);
		snprintf(path, sizeof(path), "components.%d.unit_cost", i);
		ck_assert_int_eq(bt_at_int(&r, path), is_frame ? 500 : 50);
		snprintf(path, sizeof(path), "components.%d.note", i);
		ck_assert_str_eq(bt_at_str(&r, path), "sold as a set");
		snprintf(path, sizeof(path), "components.%d.kind", i);
		ck_assert_str_eq(bt_at_str(&r, path), "out");
	}
	bt_free(&r);
	assert_stock(frame, "2");
	assert_stock(wheel, "0");
	assert_stock(chair, "0");
	ck_assert_int_eq(movements_of(chair), 0);

	/* a composite's stock is its components': no in, no adjust, no batch */
	r = move(owner_a.access, chair, "in", "1", NULL);
	bt_assert_field(&r, "product_id", "composite_product");
	bt_free(&r);
	r = move(owner_a.access, chair, "adjust", "1", NULL);
	bt_assert_field(&r, "product_id", "composite_product");
	bt_free(&r);
	r = move(owner_a.access, chair, "wastage", "1", NULL);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"), "Not enough stock of Chair: 0 available, 1 requested"
	                 " (Wheel: 0 in stock, 4 needed).");
	bt_free(&r);

	/* its movement list shows the component movements made for it */
	char path[200];
	snprintf(path, sizeof(path), MOVEMENTS "?product_id=%s", chair);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 2);
	ck_assert_str_eq(bt_at_str(&r, "items.0.composite_id"), chair);
	bt_free(&r);
	assert_invariant(owner_a.business_id);
}
END_TEST

/* A composite of composites takes from the plain products at the bottom:
 * a set of 2 chairs (1 frame + 4 wheels each) and 1 more frame needs 3
 * frames and 8 wheels. */
START_TEST(nested_composites_expand_to_plain_products)
{
	char frame[BAHI_UUID_LEN + 1], wheel[BAHI_UUID_LEN + 1], chair[BAHI_UUID_LEN + 1];
	char set[BAHI_UUID_LEN + 1];
	simple_new(&owner_a, "Set frame", 500, frame);
	simple_new(&owner_a, "Set wheel", 50, wheel);
	const char *ids[2] = {frame, wheel}, *qtys[2] = {"1", "4"};
	product_new(&owner_a, "Set chair", 1000, 2, ids, qtys, chair);
	const char *ids2[2] = {chair, frame}, *qtys2[2] = {"2", "1"};
	product_new(&owner_a, "Dining set", 3000, 2, ids2, qtys2, set);
	move_ok(frame, "in", "10");
	move_ok(wheel, "in", "32");
	bt_resp r = move(owner_a.access, set, "out", "4", NULL);
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"), "Not enough stock of Dining set: 3 available,"
	                 " 4 requested (Set frame: 10 in stock, 12 needed).");
	bt_free(&r);
	r = move(owner_a.access, set, "out", "3", NULL);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "components")), 2);
	ck_assert_str_eq(bt_at_str(&r, "components.0.composite_id"), set);
	ck_assert_str_eq(bt_at_str(&r, "components.1.composite_id"), set);
	bt_free(&r);
	assert_stock(frame, "1");
	assert_stock(wheel, "8");
	assert_stock(chair, "0");
	assert_stock(set, "0");
	ck_assert_int_eq(movements_of(chair) + movements_of(set), 0);
	assert_invariant(owner_a.business_id);
}
END_TEST

/* Fractional component quantities round half away from zero to 3 decimals;
 * a move too small to move any of a component is refused. */
START_TEST(composite_fractions_round_and_tiny_moves_are_refused)
{
	char rope[BAHI_UUID_LEN + 1], kit[BAHI_UUID_LEN + 1];
	simple_new(&owner_a, "Rope", 10, rope);
	const char *ids[1] = {rope}, *qtys[1] = {"0.333"};
	product_new(&owner_a, "Rope kit", 100, 1, ids, qtys, kit);
	move_ok(rope, "in", "5");
	bt_resp r = move(owner_a.access, kit, "out", "1.5", NULL);   /* 0.4995 -> 0.5 */
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_double_eq(bt_at_num(&r, "qty"), -0.5);
	bt_free(&r);
	assert_stock(rope, "4.5");
	r = move(owner_a.access, kit, "out", "0.001", NULL);          /* 0.000333 -> 0 */
	bt_assert_field(&r, "qty", "too_small");
	bt_free(&r);
	assert_stock(rope, "4.5");
}
END_TEST

/* Movements against a batch take from (and put back into) its qty_remaining. */
START_TEST(batch_movements_track_qty_remaining)
{
	char p[BAHI_UUID_LEN + 1], other[BAHI_UUID_LEN + 1], body[512], batch[BAHI_UUID_LEN + 1];
	simple_new(&owner_a, "Oil filter", 300, p);
	simple_new(&owner_a, "Air filter", 300, other);
	move_ok(p, "in", "4");                     /* stock outside any batch */
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"qty\":5,\"cost\":280,"
	         "\"batch_no\":\"OF-5\"}", p);
	bt_resp r = bt_json("POST", "/api/v1/batches", owner_a.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(batch, sizeof(batch), "%s", bt_str(&r, "id"));
	bt_free(&r);
	assert_stock(p, "9");

	char extra[128];
	snprintf(extra, sizeof(extra), ",\"batch_id\":\"%s\"", batch);
	r = move(owner_a.access, p, "out", "6", extra);     /* the product has 9, the batch 5 */
	bt_assert_problem(&r, 422, "insufficient_stock");
	ck_assert_str_eq(bt_str(&r, "detail"),
	                 "Not enough stock in batch OF-5 of Oil filter: 5 remaining, 6 requested.");
	bt_free(&r);
	r = move(owner_a.access, p, "wastage", "2", extra);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "batch_id"), batch);
	ck_assert_int_eq(bt_at_int(&r, "unit_cost"), 300);
	bt_free(&r);
	const char *bp[1] = {batch};
	char *rem = bt_super_value("SELECT trim_scale(qty_remaining)::text FROM batches WHERE id = $1",
	                           1, bp);
	ck_assert_str_eq(rem, "3");
	free(rem);
	/* putting back: at most what the batch received */
	r = move(owner_a.access, p, "in", "3", extra);
	bt_assert_field(&r, "qty", "exceeds_batch");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.message"),
	                 "Batch OF-5 received 5 and has 3 remaining: at most 2 can go back into it.");
	bt_free(&r);
	r = move(owner_a.access, p, "adjust", "2", extra);
	ck_assert_int_eq(r.status, 201);
	bt_free(&r);
	rem = bt_super_value("SELECT trim_scale(qty_remaining)::text FROM batches WHERE id = $1", 1, bp);
	ck_assert_str_eq(rem, "5");
	free(rem);
	/* a batch of another product */
	r = move(owner_a.access, other, "in", "1", extra);
	bt_assert_field(&r, "batch_id", "batch_of_another_product");
	bt_free(&r);
	/* the batch's movements */
	char path[200];
	snprintf(path, sizeof(path), MOVEMENTS "?batch_id=%s", batch);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 3);   /* stock-in, wastage, adjust */
	ck_assert_str_eq(bt_at_str(&r, "items.0.kind"), "adjust");
	ck_assert_str_eq(bt_at_str(&r, "items.2.kind"), "in");
	bt_free(&r);
	assert_stock(p, "9");
	assert_invariant(owner_a.business_id);
}
END_TEST

/* One body field broken at a time: the exact field error, nothing recorded. */
START_TEST(bad_input_is_refused_per_field)
{
	char p[BAHI_UUID_LEN + 1], body[2048];
	simple_new(&owner_a, "Fuse", 20, p);
	move_ok(p, "in", "5");
	struct {
		const char *members, *field, *code;
	} cases[] = {
		{"\"kind\":\"in\",\"qty\":1", "product_id", "required"},
		{"\"product_id\":\"nope\",\"kind\":\"in\",\"qty\":1", "product_id", "invalid_uuid"},
		{"\"product_id\":\"@P\",\"qty\":1", "kind", "required"},
		{"\"product_id\":\"@P\",\"kind\":\"sale\",\"qty\":1", "kind", "invalid_choice"},
		{"\"product_id\":\"@P\",\"kind\":7,\"qty\":1", "kind", "must_be_string"},
		{"\"product_id\":\"@P\",\"kind\":\"in\"", "qty", "required"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":\"2\"", "qty", "invalid_quantity"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1.0005", "qty", "invalid_quantity"},
		{"\"product_id\":\"@P\",\"kind\":\"out\",\"qty\":-1", "qty", "invalid_quantity"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":0", "qty", "must_be_positive"},
		{"\"product_id\":\"@P\",\"kind\":\"adjust\",\"qty\":0", "qty", "must_not_be_zero"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1e15", "qty", "invalid_quantity"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1,\"unit_cost\":-1", "unit_cost", "too_small"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1,\"unit_cost\":1.5", "unit_cost",
		 "must_be_integer"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1,\"unit_cost\":1e16", "unit_cost",
		 "too_large"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1,\"batch_id\":\"x\"", "batch_id",
		 "invalid_uuid"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1,\"batch_id\":"
		 "\"00000000-0000-4000-8000-000000000000\"", "batch_id", "unknown_batch"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1,\"note\":\"\"", "note", "required"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1,\"note\":\"a\\u0001b\"", "note",
		 "invalid_text"},
		{"\"product_id\":\"@P\",\"kind\":\"in\",\"qty\":1,\"stock_qty\":5", "stock_qty",
		 "unknown_field"},
		{"\"product_id\":\"00000000-0000-4000-8000-000000000000\",\"kind\":\"in\",\"qty\":1",
		 "product_id", "unknown_product"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char members[1024];
		bt_fill_template(members, sizeof(members), cases[i].members, p, NULL);
		snprintf(body, sizeof(body), "{%s}", members);
		bt_resp r = bt_json("POST", MOVEMENTS, owner_a.access, body);
		ck_assert_msg(r.status == 422, "case %zu: %ld %s", i, r.status, r.body);
		bt_assert_field(&r, cases[i].field, cases[i].code);
		bt_free(&r);
	}
	/* a note of 501 characters; 500 is fine */
	char note[600];
	memset(note, 'n', 501);
	note[501] = '\0';
	snprintf(body, sizeof(body), ",\"note\":\"%s\"", note);
	bt_resp r = move(owner_a.access, p, "in", "1", body);
	bt_assert_field(&r, "note", "too_long");
	bt_free(&r);
	note[500] = '\0';
	snprintf(body, sizeof(body), ",\"note\":\"%s\"", note);
	r = move(owner_a.access, p, "in", "1", body);
	ck_assert_int_eq(r.status, 201);
	bt_free(&r);
	/* SQL and HTML metacharacters are stored verbatim */
	r = move(owner_a.access, p, "in", "1", ",\"note\":\"<b>x</b>'; DROP TABLE products;--\"");
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "note"), "<b>x</b>'; DROP TABLE products;--");
	bt_free(&r);
	/* not JSON */
	r = bt_json("POST", MOVEMENTS, owner_a.access, "{\"product_id\":");
	bt_assert_problem(&r, 400, "malformed_json");
	bt_free(&r);
	ck_assert_int_eq(movements_of(p), 3);
	assert_stock(p, "7");
}
END_TEST

/* Another business's products and batches are unknown (422 in bodies, 404
 * in paths and filters); nothing of either business changes. */
START_TEST(other_business_ids_are_unknown)
{
	char pa[BAHI_UUID_LEN + 1], pb[BAHI_UUID_LEN + 1], body[512], batch_b[BAHI_UUID_LEN + 1];
	simple_new(&owner_a, "Cable", 20, pa);
	simple_new(&owner_b, "Cable", 20, pb);
	bt_resp r = move(owner_b.access, pb, "in", "5", NULL);
	ck_assert_int_eq(r.status, 201);
	bt_free(&r);
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"qty\":2,\"cost\":10}", pb);
	r = bt_json("POST", "/api/v1/batches", owner_b.access, body);
	ck_assert_int_eq(r.status, 201);
	snprintf(batch_b, sizeof(batch_b), "%s", bt_str(&r, "id"));
	bt_free(&r);

	r = move(owner_a.access, pb, "in", "5", NULL);
	bt_assert_field(&r, "product_id", "unknown_product");
	bt_free(&r);
	r = move(owner_a.access, pb, "out", "1", NULL);
	bt_assert_field(&r, "product_id", "unknown_product");
	bt_free(&r);
	char extra[128];
	snprintf(extra, sizeof(extra), ",\"batch_id\":\"%s\"", batch_b);
	move_ok(pa, "in", "3");
	r = move(owner_a.access, pa, "out", "1", extra);
	bt_assert_field(&r, "batch_id", "unknown_batch");
	bt_free(&r);
	char path[200];
	snprintf(path, sizeof(path), MOVEMENTS "?product_id=%s", pb);
	r = bt_json("GET", path, owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	snprintf(path, sizeof(path), MOVEMENTS "?batch_id=%s", batch_b);
	r = bt_json("GET", path, owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	/* A's list holds none of B's movements */
	r = bt_json("GET", MOVEMENTS "?limit=200", owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	const cJSON *it;
	cJSON_ArrayForEach(it, bt_at(&r, "items"))
		ck_assert_str_ne(cJSON_GetObjectItem(it, "product_id")->valuestring, pb);
	bt_free(&r);
	assert_stock(pb, "7");
	ck_assert_int_eq(movements_of(pb), 2);
	assert_invariant(owner_b.business_id);
}
END_TEST

/* A deleted product takes no movements; its history stays listed. */
START_TEST(deleted_products_take_no_movements)
{
	char p[BAHI_UUID_LEN + 1], path[200];
	simple_new(&owner_a, "Old stock", 10, p);
	move_ok(p, "in", "2");
	move_ok(p, "out", "2");
	const char *q[1] = {p};
	ck_assert_int_eq(bt_super_exec("UPDATE products SET deleted_at = now() WHERE id = $1", 1, q), 1);
	bt_resp r = move(owner_a.access, p, "in", "1", NULL);
	bt_assert_field(&r, "product_id", "unknown_product");
	bt_free(&r);
	snprintf(path, sizeof(path), MOVEMENTS "?product_id=%s", p);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 2);
	bt_free(&r);
	ck_assert_int_eq(movements_of(p), 2);
}
END_TEST

/* Clerks see stock but cannot change it. */
START_TEST(clerks_cannot_move_stock)
{
	char p[BAHI_UUID_LEN + 1];
	simple_new(&owner_a, "Bulb", 30, p);
	bt_resp r = move(clerk_a.access, p, "in", "5", NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	ck_assert_int_eq(movements_of(p), 0);
	r = bt_json("GET", MOVEMENTS, clerk_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = bt_json("GET", MOVEMENTS, NULL, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
}
END_TEST

/* Newest first, limit and next_cursor; a client id; an idempotent retry. */
START_TEST(list_pages_newest_first_and_ids)
{
	char p[BAHI_UUID_LEN + 1], ids[5][BAHI_UUID_LEN + 1], path[300];
	simple_new(&owner_a, "Washer", 1, p);
	for (int i = 0; i < 5; i++) {
		bt_resp r = move(owner_a.access, p, "in", "1", NULL);
		ck_assert_int_eq(r.status, 201);
		snprintf(ids[i], sizeof(ids[i]), "%s", bt_str(&r, "id"));
		bt_free(&r);
	}
	char cursor[200] = "";
	int seen = 0;
	for (int page = 0; page < 3; page++) {
		snprintf(path, sizeof(path), MOVEMENTS "?product_id=%s&limit=2%s%s", p,
		         cursor[0] ? "&cursor=" : "", cursor);
		bt_resp r = bt_json("GET", path, owner_a.access, NULL);
		ck_assert_int_eq(r.status, 200);
		int n = cJSON_GetArraySize(bt_at(&r, "items"));
		ck_assert_int_eq(n, page < 2 ? 2 : 1);
		for (int i = 0; i < n; i++) {
			char ip[32];
			snprintf(ip, sizeof(ip), "items.%d.id", i);
			ck_assert_str_eq(bt_at_str(&r, ip), ids[4 - seen]);
			seen++;
		}
		const char *next = bt_str(&r, "next_cursor");
		if (page < 2)
			snprintf(cursor, sizeof(cursor), "%s", next);
		else
			ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
		bt_free(&r);
	}
	ck_assert_int_eq(seen, 5);
	bt_resp r = bt_json("GET", MOVEMENTS "?limit=0", owner_a.access, NULL);
	bt_assert_field(&r, "limit", "invalid_number");
	bt_free(&r);
	r = bt_json("GET", MOVEMENTS "?cursor=zzz", owner_a.access, NULL);
	bt_assert_field(&r, "cursor", "invalid_cursor");
	bt_free(&r);
	r = bt_json("GET", MOVEMENTS "?kind=in", owner_a.access, NULL);
	bt_assert_field(&r, "kind", "unknown_parameter");
	bt_free(&r);

	/* a client-made id, once */
	char id[BAHI_UUID_LEN + 1], extra[128];
	bahi_uuid_v7(id);
	snprintf(extra, sizeof(extra), ",\"id\":\"%s\"", id);
	r = move(owner_a.access, p, "in", "1", extra);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "id"), id);
	bt_free(&r);
	r = move(owner_a.access, p, "in", "1", extra);
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);
	/* Idempotency-Key: the retry replays and records nothing more */
	const char *key[] = {"Idempotency-Key: stock-retry-1", NULL};
	char body[256];
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"kind\":\"out\",\"qty\":1}", p);
	bt_resp a = bt_jsonx("POST", MOVEMENTS, owner_a.access, key, body);
	bt_resp b = bt_jsonx("POST", MOVEMENTS, owner_a.access, key, body);
	ck_assert_int_eq(a.status, 201);
	ck_assert_int_eq(b.status, 201);
	ck_assert_str_eq(bt_str(&a, "id"), bt_str(&b, "id"));
	bt_free(&a);
	bt_free(&b);
	ck_assert_int_eq(movements_of(p), 7);
	assert_stock(p, "5");
}
END_TEST

/* ---- the invariant under concurrency */

#define CLIENTS 8
#define PER_CLIENT 125
#define NPRODUCTS 4     /* three simple products and a composite of two of them */

typedef struct client_job {
	unsigned seed;
	const char *const *products;
	long ok, short_stock, refused, other;
	long rows;                      /* movement rows the successes recorded */
	long long delta[NPRODUCTS];     /* thousandths, per simple product, from the responses */
	char first_other[300];
} client_job;

/* A random movement: mostly out and wastage (to hit zero often), some in
 * and signed adjusts, quantities with up to 3 decimals; the composite sells. */
static void
random_movement(client_job *j, int *which, char *kind, char *qty)
{
	static const char *const kinds[] = {"in", "in", "out", "out", "out", "wastage", "adjust",
	                                    "adjust"};
	unsigned r = (unsigned)rand_r(&j->seed);
	*which = (int)(r % NPRODUCTS);
	int units = 1 + (int)((r >> 4) % 5), frac = (int)((r >> 8) % 4) * 125;
	const char *k = *which == NPRODUCTS - 1 ? ((r >> 12) % 4 == 0 ? "in" : "out") :
	                kinds[(r >> 12) % 8];
	int neg = strcmp(k, "adjust") == 0 && ((r >> 16) & 1);
	snprintf(kind, 16, "%s", k);
	snprintf(qty, 24, "%s%d.%03d", neg ? "-" : "", units, frac);
}

/* Adds the response's movements to the job's per-product totals. */
static void
count_rows(client_job *j, const bt_resp *r)
{
	const cJSON *comps = bt_at(r, "components");
	const cJSON *one = r->json, *it;
	int n = comps ? cJSON_GetArraySize(comps) : 1;
	for (int i = 0; i < n; i++) {
		it = comps ? cJSON_GetArrayItem(comps, i) : one;
		const char *pid = cJSON_GetObjectItem(it, "product_id")->valuestring;
		double q = cJSON_GetObjectItem(it, "qty")->valuedouble;
		for (int p = 0; p < NPRODUCTS - 1; p++)
			if (strcmp(pid, j->products[p]) == 0)
				j->delta[p] += llround(q * 1000);
		j->rows++;
	}
}

static void *
client_thread(void *arg)
{
	client_job *j = arg;
	char body[256], kind[16], qty[24];
	bt_client_new();
	for (int i = 0; i < PER_CLIENT; i++) {
		int which;
		random_movement(j, &which, kind, qty);
		snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"kind\":\"%s\",\"qty\":%s}",
		         j->products[which], kind, qty);
		bt_resp r = bt_json("POST", MOVEMENTS, owner_a.access, body);
		const char *code = bt_str(&r, "code");
		if (r.status == 201) {
			j->ok++;
			count_rows(j, &r);
		} else if (r.status == 422 && code && strcmp(code, "insufficient_stock") == 0) {
			j->short_stock++;
		} else if (r.status == 422 && which == NPRODUCTS - 1 && strcmp(kind, "in") == 0) {
			j->refused++;            /* a composite takes no stock-in */
		} else if (j->other++ == 0) {
			snprintf(j->first_other, sizeof(j->first_other), "%s %s: %ld %s", kind, qty,
			         r.status, r.body);
		}
		bt_free(&r);
	}
	return NULL;
}

/* 1,000 random movements from 8 concurrent clients, many of them trying to
 * go below zero: afterwards every product's stock equals the sum of its
 * movements and of what the clients were told, and was never negative. */
START_TEST(invariant_holds_under_concurrent_clients)
{
	char ids[NPRODUCTS][BAHI_UUID_LEN + 1];
	const char *pids[NPRODUCTS];
	simple_new(&owner_a, "Race nut", 10, ids[0]);
	simple_new(&owner_a, "Race bolt", 10, ids[1]);
	simple_new(&owner_a, "Race washer", 10, ids[2]);
	const char *comp[2] = {ids[0], ids[1]}, *cq[2] = {"1", "2"};
	product_new(&owner_a, "Race kit", 50, 2, comp, cq, ids[3]);
	for (int i = 0; i < NPRODUCTS; i++)
		pids[i] = ids[i];
	for (int i = 0; i < NPRODUCTS - 1; i++)
		move_ok(ids[i], "in", "20");

	client_job jobs[CLIENTS];
	pthread_t t[CLIENTS];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < CLIENTS; i++) {
		jobs[i].seed = 1000u + (unsigned)i;
		jobs[i].products = pids;
		pthread_create(&t[i], NULL, client_thread, &jobs[i]);
	}
	long ok = 0, short_stock = 0, refused = 0, rows = 0;
	long long delta[NPRODUCTS] = {0};
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(t[i], NULL);
		ck_assert_msg(jobs[i].other == 0, "client %d: %ld unexpected answers, first: %s", i,
		              jobs[i].other, jobs[i].first_other);
		ok += jobs[i].ok;
		short_stock += jobs[i].short_stock;
		refused += jobs[i].refused;
		rows += jobs[i].rows;
		for (int p = 0; p < NPRODUCTS - 1; p++)
			delta[p] += jobs[i].delta[p];
	}
	ck_assert_int_eq(ok + short_stock + refused, CLIENTS * PER_CLIENT);
	ck_assert_msg(short_stock > 50 && ok > 300, "ok %ld, short %ld: the mix missed its aim", ok,
	              short_stock);
	/* the successes are exactly the rows (3 initial stock-ins besides) */
	char ps[4 * 40];
	snprintf(ps, sizeof(ps), "{%s,%s,%s,%s}", ids[0], ids[1], ids[2], ids[3]);
	const char *p2[1] = {ps};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM stock_ledger"
	                               " WHERE product_id = ANY($1::uuid[])", 1, p2), rows + 3);
	for (int p = 0; p < NPRODUCTS - 1; p++) {
		const char *q[1] = {ids[p]};
		long stock = bt_super_long("SELECT (stock_qty * 1000)::bigint FROM products"
		                           " WHERE id = $1", 1, q);
		ck_assert_int_eq(stock, 20000 + delta[p]);
		ck_assert_int_ge(stock, 0);
	}
	assert_stock(ids[3], "0");
	assert_invariant(owner_a.business_id);
}
END_TEST

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
}

int
main(void)
{
	bt_start();
	Suite *s = suite_create("stock");
	TCase *t = tcase_create("stock");
	tcase_set_timeout(t, 60);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, kinds_apply_their_direction);
	tcase_add_test(t, stock_never_goes_below_zero);
	tcase_add_test(t, composites_move_their_components);
	tcase_add_test(t, nested_composites_expand_to_plain_products);
	tcase_add_test(t, composite_fractions_round_and_tiny_moves_are_refused);
	tcase_add_test(t, batch_movements_track_qty_remaining);
	tcase_add_test(t, bad_input_is_refused_per_field);
	tcase_add_test(t, other_business_ids_are_unknown);
	tcase_add_test(t, deleted_products_take_no_movements);
	tcase_add_test(t, clerks_cannot_move_stock);
	tcase_add_test(t, list_pages_newest_first_and_ids);
	tcase_add_test(t, invariant_holds_under_concurrent_clients);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
