/* check_suppliers: suppliers and batches through nginx: CRUD, prefixes, batch numbering, expiry lists on their boundaries, permissions and tenancy. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_uuid.h"
#include "harness.h"

#define SUPPLIERS "/api/v1/suppliers"
#define BATCHES "/api/v1/batches"

/* A: the business under test; B: another business; a clerk of A. */
static bt_session owner_a, owner_b, clerk_a;

/* ---- helpers */

/* A product of s's business at price 200 and cost 100; a composite (component
 * given) holds two of component. */
static void
product_new(const bt_session *s, const char *name, const char *component, char out[BAHI_UUID_LEN + 1])
{
	char comps[128];
	if (component != NULL)
		snprintf(comps, sizeof(comps), "[{\"product_id\":\"%s\",\"qty\":2}]", component);
	bt_product_new(s, name, 200, 100, component ? comps : NULL, out);
}

/* The batch prefix a supplier named name gets. */
static void
prefix_for(const char *name, const char *expect)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	bt_resp r = bt_json("POST", SUPPLIERS, owner_a.access, body);
	ck_assert_msg(r.status == 201, "%s: %ld %s", name, r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "batch_prefix"), expect);
	bt_free(&r);
}

/* POST /batches; supplier, expiry and batch_no may be NULL. */
static bt_resp
batch_post(const bt_session *s, const char *product, const char *supplier, const char *qty,
           const char *expiry, const char *batch_no)
{
	char body[1024], sup[80] = "", exp[40] = "", no[120] = "";
	if (supplier)
		snprintf(sup, sizeof(sup), ",\"supplier_id\":\"%s\"", supplier);
	if (expiry)
		snprintf(exp, sizeof(exp), ",\"expiry\":\"%s\"", expiry);
	if (batch_no)
		snprintf(no, sizeof(no), ",\"batch_no\":\"%s\"", batch_no);
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"qty\":%s,\"cost\":480%s%s%s}", product,
	         qty, sup, exp, no);
	return bt_json("POST", BATCHES, s->access, body);
}

/* A batch that must be recorded; its id into id, its number checked when expect_no is given. */
static void
batch_new(const char *product, const char *supplier, const char *qty, const char *expiry,
          const char *expect_no, char id[BAHI_UUID_LEN + 1])
{
	bt_resp r = batch_post(&owner_a, product, supplier, qty, expiry, NULL);
	ck_assert_msg(r.status == 201, "POST /batches: %ld %s", r.status, r.body);
	if (expect_no != NULL)
		ck_assert_str_eq(bt_str(&r, "batch_no"), expect_no);
	snprintf(id, BAHI_UUID_LEN + 1, "%s", bt_str(&r, "id"));
	bt_free(&r);
}

/* ---- suppliers */

START_TEST(supplier_crud_with_versions)
{
	char id[BAHI_UUID_LEN + 1], path[200];
	bt_resp r = bt_json("POST", SUPPLIERS, owner_a.access,
	                    "{\"name\":\"Kappa Traders\",\"phone\":\"0300 7654321\","
	                    "\"email\":\"orders@kappa.pk\",\"address\":\"Shop 4\\nMain road\","
	                    "\"notes\":\"Pays on Fridays\"}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(id, sizeof(id), "%s", bt_str(&r, "id"));
	ck_assert_str_eq(bt_str(&r, "name"), "Kappa Traders");
	ck_assert_str_eq(bt_str(&r, "batch_prefix"), "Kappa");
	ck_assert_str_eq(bt_str(&r, "phone"), "+923007654321");
	ck_assert_str_eq(bt_str(&r, "email"), "orders@kappa.pk");
	ck_assert_str_eq(bt_str(&r, "address"), "Shop 4\nMain road");
	ck_assert_str_eq(bt_str(&r, "notes"), "Pays on Fridays");
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	ck_assert_int_eq(strlen(bt_str(&r, "created_at")), 20);
	bt_free(&r);

	snprintf(path, sizeof(path), SUPPLIERS "/%s", id);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "name"), "Kappa Traders");
	bt_free(&r);
	r = bt_json("GET", SUPPLIERS "?limit=200", owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert(bt_list_has(&r, id));
	bt_free(&r);

	r = bt_patch(&owner_a, path, "1", "{\"name\":\"Kappa Traders Ltd\",\"phone\":null}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "name"), "Kappa Traders Ltd");
	ck_assert(cJSON_IsNull(bt_at(&r, "phone")));
	ck_assert_str_eq(bt_str(&r, "email"), "orders@kappa.pk");
	ck_assert_str_eq(bt_str(&r, "batch_prefix"), "Kappa");
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	r = bt_patch(&owner_a, path, "1", "{\"notes\":\"stale\"}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	r = bt_patch(&owner_a, path, "x", "{\"notes\":\"bad\"}");
	bt_assert_problem(&r, 400, "bad_request");
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"batch_prefix\":\"KT\",\"notes\":null}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "batch_prefix"), "KT");
	ck_assert(cJSON_IsNull(bt_at(&r, "notes")));
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"version\":9}");
	bt_assert_field(&r, "version", "unknown_field");
	bt_free(&r);
	/* an empty patch changes nothing: the same record, no new version */
	r = bt_patch(&owner_a, path, "3", "{}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "name"), "Kappa Traders Ltd");
	ck_assert_str_eq(bt_str(&r, "batch_prefix"), "KT");
	ck_assert_str_eq(bt_str(&r, "email"), "orders@kappa.pk");
	ck_assert(cJSON_IsNull(bt_at(&r, "notes")));
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	bt_free(&r);
	r = bt_patch(&owner_a, path, "2", "{}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);

	char *log = bt_changes_of("supplier", id);
	ck_assert_str_eq(log, "upsert1,upsert2,upsert3");
	free(log);
}
END_TEST

/* Deleting is soft: 204, then 404 everywhere and absent from the list. */
START_TEST(supplier_delete_is_soft)
{
	char id[BAHI_UUID_LEN + 1], path[200];
	bt_create(&owner_a, SUPPLIERS, "{\"name\":\"Lambda Traders\"}", id);
	snprintf(path, sizeof(path), SUPPLIERS "/%s", id);
	bt_resp r;
	r = bt_json("DELETE", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	ck_assert_int_eq(r.len, 0);
	bt_free(&r);
	r = bt_json("GET", path, owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"notes\":\"gone\"}");
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("GET", SUPPLIERS "?limit=200", owner_a.access, NULL);
	ck_assert(!bt_list_has(&r, id));
	bt_free(&r);
	r = bt_json("GET", SUPPLIERS "/not-a-uuid", owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);

	/* the change log tells devices each version, then the deletion */
	char *log = bt_changes_of("supplier", id);
	ck_assert_str_eq(log, "upsert1,delete2");
	free(log);
}
END_TEST

/* DELETE with If-Match deletes only at that version (412 otherwise). */
START_TEST(supplier_delete_honours_if_match)
{
	char id[BAHI_UUID_LEN + 1], path[200];
	bt_create(&owner_a, SUPPLIERS, "{\"name\":\"Mu Traders\"}", id);
	snprintf(path, sizeof(path), SUPPLIERS "/%s", id);
	bt_resp r = bt_patch(&owner_a, path, "1", "{\"notes\":\"weekly\"}");
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	const char *stale[] = {"If-Match: \"1\"", NULL}, *fresh[] = {"If-Match: \"2\"", NULL};
	r = bt_jsonx("DELETE", path, owner_a.access, stale, NULL);
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = bt_jsonx("DELETE", path, owner_a.access, fresh, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	char *log = bt_changes_of("supplier", id);
	ck_assert_str_eq(log, "upsert1,upsert2,delete3");
	free(log);
}
END_TEST

/* Names unique, prefixes derived, never reused, 'B' reserved. */
START_TEST(supplier_names_and_prefixes)
{
	char id[BAHI_UUID_LEN + 1], path[200];
	prefix_for("Zeta Parts", "Zeta");
	prefix_for("Zeta Motors", "Zeta2");
	prefix_for("A.B. & Sons", "AB");
	prefix_for("کراچی ٹریڈرز", "S");
	prefix_for("B. Brothers", "B2");                    /* 'B' is reserved */
	prefix_for("Verylongsuppliernamewithoutspaces Co", "Verylongsuppliername");
	prefix_for("Verylongsuppliernamewithoutspaces Two", "Verylongsuppliernam2");

	bt_resp r = bt_json("POST", SUPPLIERS, owner_a.access, "{\"name\":\"zeta PARTS\"}");
	bt_assert_problem(&r, 409, "duplicate_name");
	bt_free(&r);
	r = bt_json("POST", SUPPLIERS, owner_a.access, "{\"name\":\"Other\",\"batch_prefix\":\"zeta\"}");
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);

	/* metacharacters verbatim */
	char body[400];
	r = bt_json("POST", SUPPLIERS, owner_a.access, "{\"name\":\"<b>O'Brien & Co</b>; --\"}");
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "name"), "<b>O'Brien & Co</b>; --");
	ck_assert_str_eq(bt_str(&r, "batch_prefix"), "bOBrien");
	bt_free(&r);

	/* a deleted supplier's name is free again, its prefix is not */
	bt_create(&owner_a, SUPPLIERS, "{\"name\":\"Omega Spares\"}", id);
	snprintf(path, sizeof(path), SUPPLIERS "/%s", id);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	prefix_for("Omega Spares", "Omega2");
	r = bt_json("POST", SUPPLIERS, owner_a.access, "{\"name\":\"Y\",\"batch_prefix\":\"OMEGA\"}");
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);

	/* a client id, once */
	char cid[BAHI_UUID_LEN + 1];
	bahi_uuid_v7(cid);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"name\":\"Client made\"}", cid);
	r = bt_json("POST", SUPPLIERS, owner_a.access, body);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "id"), cid);
	bt_free(&r);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"name\":\"Client made again\"}", cid);
	r = bt_json("POST", SUPPLIERS, owner_a.access, body);
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);
}
END_TEST

/* One field broken at a time: the exact field error, nothing recorded. */
START_TEST(supplier_bad_input_per_field)
{
	struct {
		const char *body, *field, *code;
	} cases[] = {
		{"{}", "name", "required"},
		{"{\"name\":\"\"}", "name", "required"},
		{"{\"name\":7}", "name", "must_be_string"},
		{"{\"name\":\"X\",\"batch_prefix\":\"b\"}", "batch_prefix", "reserved"},
		{"{\"name\":\"X\",\"batch_prefix\":\"A-B\"}", "batch_prefix", "invalid_prefix"},
		{"{\"name\":\"X\",\"batch_prefix\":\"_x\"}", "batch_prefix", "invalid_prefix"},
		{"{\"name\":\"X\",\"batch_prefix\":\"abcdefghijklmnopqrstu\"}", "batch_prefix", "too_long"},
		{"{\"name\":\"X\",\"email\":\"nope\"}", "email", "invalid_email"},
		{"{\"name\":\"X\",\"email\":\"a@b\"}", "email", "invalid_email"},
		{"{\"name\":\"X\",\"phone\":\"12\"}", "phone", "invalid_phone"},
		{"{\"name\":\"X\",\"notes\":\"\"}", "notes", "required"},
		{"{\"name\":\"X\",\"id\":\"x\"}", "id", "invalid_uuid"},
		{"{\"name\":\"X\",\"batch_seq\":5}", "batch_seq", "unknown_field"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bt_resp r = bt_json("POST", SUPPLIERS, owner_a.access, cases[i].body);
		bt_assert_field(&r, cases[i].field, cases[i].code);
		bt_free(&r);
	}
	char name[260];
	memset(name, 'n', 201);
	name[201] = '\0';
	char body[400];
	snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	bt_resp r = bt_json("POST", SUPPLIERS, owner_a.access, body);
	bt_assert_field(&r, "name", "too_long");
	bt_free(&r);
	const char *p[1] = {owner_a.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM suppliers WHERE business_id = $1"
	                               " AND name = 'X'", 1, p), 0);

}
END_TEST

/* A supplier whose batches still hold stock cannot be deleted. */
START_TEST(supplier_delete_refused_while_batches_hold_stock)
{
	char sup[BAHI_UUID_LEN + 1], prod[BAHI_UUID_LEN + 1], batch[BAHI_UUID_LEN + 1], path[200];
	bt_create(&owner_a, SUPPLIERS, "{\"name\":\"Delta Supply\"}", sup);
	product_new(&owner_a, "Delta valve", NULL, prod);
	batch_new(prod, sup, "2", NULL, "Delta-001-L0", batch);
	snprintf(path, sizeof(path), SUPPLIERS "/%s", sup);
	bt_resp r = bt_json("DELETE", path, owner_a.access, NULL);
	bt_assert_problem(&r, 409, "in_use");
	ck_assert_str_eq(bt_str(&r, "detail"), "Delta Supply still has 1 batch with stock remaining.");
	bt_free(&r);
	char body[256];
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"kind\":\"wastage\",\"qty\":2,"
	         "\"batch_id\":\"%s\"}", prod, batch);
	r = bt_json("POST", "/api/v1/stock/movements", owner_a.access, body);
	ck_assert_int_eq(r.status, 201);
	bt_free(&r);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	/* its batch stays, naming it */
	snprintf(path, sizeof(path), BATCHES "/%s", batch);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_str(&r, "supplier_id"), sup);
	ck_assert_int_eq(bt_at_int(&r, "qty_remaining"), 0);
	bt_free(&r);
	/* and no new batch can name it */
	r = batch_post(&owner_a, prod, sup, "1", NULL, NULL);
	bt_assert_field(&r, "supplier_id", "unknown_supplier");
	bt_free(&r);
}
END_TEST

/* ---- batches */

/* Acme-001-L0, Acme-002-L0; B-001-L0 without a supplier; numbers typed by
 * hand are skipped; the batch's stock-in movement. */
START_TEST(batch_numbers_and_stock_in)
{
	char sup[BAHI_UUID_LEN + 1], prod[BAHI_UUID_LEN + 1], id[BAHI_UUID_LEN + 1];
	bt_create(&owner_a, SUPPLIERS, "{\"name\":\"Acme Traders\"}", sup);
	product_new(&owner_a, "Acme bearing", NULL, prod);

	char body[512];
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"supplier_id\":\"%s\",\"qty\":12.5,"
	         "\"cost\":480,\"expiry\":\"2027-03-31\",\"supplier_invoice_no\":\"INV-77\"}", prod, sup);
	bt_resp r = bt_json("POST", BATCHES, owner_a.access, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "batch_no"), "Acme-001-L0");
	ck_assert_str_eq(bt_str(&r, "product_id"), prod);
	ck_assert_str_eq(bt_str(&r, "supplier_id"), sup);
	ck_assert_double_eq(bt_at(&r, "qty_received")->valuedouble, 12.5);
	ck_assert_double_eq(bt_at(&r, "qty_remaining")->valuedouble, 12.5);
	ck_assert_int_eq(bt_at_int(&r, "cost"), 480);
	ck_assert_str_eq(bt_str(&r, "expiry"), "2027-03-31");
	ck_assert_str_eq(bt_str(&r, "supplier_invoice_no"), "INV-77");
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	snprintf(id, sizeof(id), "%s", bt_str(&r, "id"));
	bt_free(&r);
	/* recorded with its stock-in, at its cost */
	const char *p[1] = {id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM stock_movements WHERE batch_id = $1"
	                               " AND kind = 'in' AND qty = 12.5 AND stock_after = 12.5"
	                               " AND unit_cost = 480", 1, p), 1);
	const char *pp[1] = {prod};
	char *stock = bt_super_value("SELECT trim_scale(stock_qty)::text FROM products WHERE id = $1",
	                             1, pp);
	ck_assert_str_eq(stock, "12.5");
	free(stock);

	batch_new(prod, sup, "1", NULL, "Acme-002-L0", id);
	batch_new(prod, NULL, "1", NULL, "B-001-L0", id);
	batch_new(prod, NULL, "1", NULL, "B-002-L0", id);
	/* typed by hand: used as given, and skipped by the numbering */
	r = batch_post(&owner_a, prod, sup, "1", NULL, "Acme-003-L0");
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "batch_no"), "Acme-003-L0");
	bt_free(&r);
	r = batch_post(&owner_a, prod, sup, "1", NULL, "acme-003-l0");
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);
	batch_new(prod, sup, "1", NULL, "Acme-004-L0", id);

	/* a client id, once */
	char cid[BAHI_UUID_LEN + 1];
	bahi_uuid_v7(cid);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"product_id\":\"%s\",\"qty\":1,\"cost\":1}", cid,
	         prod);
	r = bt_json("POST", BATCHES, owner_a.access, body);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "id"), cid);
	ck_assert_str_eq(bt_str(&r, "batch_no"), "B-003-L0");
	bt_free(&r);
	r = bt_json("POST", BATCHES, owner_a.access, body);
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);
	stock = bt_super_value("SELECT trim_scale(stock_qty)::text FROM products WHERE id = $1", 1, pp);
	ck_assert_str_eq(stock, "18.5");
	free(stock);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM products p WHERE p.id = $1 AND p.stock_qty"
	                               " = (SELECT sum(qty) FROM stock_movements m WHERE m.product_id"
	                               " = p.id)", 1, pp), 1);
}
END_TEST

START_TEST(batch_bad_input_per_field)
{
	char prod[BAHI_UUID_LEN + 1], kit[BAHI_UUID_LEN + 1], sup_b[BAHI_UUID_LEN + 1];
	char prod_b[BAHI_UUID_LEN + 1], body[600];
	product_new(&owner_a, "Gasket", NULL, prod);
	product_new(&owner_a, "Gasket kit", prod, kit);
	product_new(&owner_b, "Gasket of B", NULL, prod_b);
	bt_create(&owner_b, SUPPLIERS, "{\"name\":\"B's supplier\"}", sup_b);
	const char *p[1] = {owner_a.business_id};
	long before = bt_super_long("SELECT count(*) FROM batches WHERE business_id = $1", 1, p);
	struct {
		const char *tmpl, *field, *code;
	} cases[] = {
		{"{\"product_id\":\"@P\",\"qty\":1,\"cost\":1}", "product_id", "composite_product"},
		{"{\"product_id\":\"@P\",\"qty\":1,\"cost\":1}", "product_id", "unknown_product"},
		{"{\"product_id\":\"@P\",\"supplier_id\":\"@S\",\"qty\":1,\"cost\":1}", "supplier_id",
		 "unknown_supplier"},
		{"{\"product_id\":\"@P\",\"qty\":0,\"cost\":1}", "qty", "must_be_positive"},
		{"{\"product_id\":\"@P\",\"qty\":1.0001,\"cost\":1}", "qty", "invalid_quantity"},
		{"{\"product_id\":\"@P\",\"qty\":-1,\"cost\":1}", "qty", "invalid_quantity"},
		{"{\"product_id\":\"@P\",\"qty\":1}", "cost", "required"},
		{"{\"product_id\":\"@P\",\"qty\":1,\"cost\":-1}", "cost", "too_small"},
		{"{\"product_id\":\"@P\",\"qty\":1,\"cost\":1,\"expiry\":\"2026-02-30\"}", "expiry",
		 "invalid_date"},
		{"{\"product_id\":\"@P\",\"qty\":1,\"cost\":1,\"batch_no\":\"\"}", "batch_no", "required"},
		{"{\"product_id\":\"@P\",\"qty\":1,\"cost\":1,\"qty_remaining\":1}", "qty_remaining",
		 "unknown_field"},
		{"{\"qty\":1,\"cost\":1}", "product_id", "required"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *a = i == 0 ? kit : i == 1 ? prod_b : prod;
		bt_fill_template(body, sizeof(body), cases[i].tmpl, a, sup_b);
		bt_resp r = bt_json("POST", BATCHES, owner_a.access, body);
		ck_assert_msg(r.status == 422, "case %zu: %ld %s", i, r.status, r.body);
		bt_assert_field(&r, cases[i].field, cases[i].code);
		bt_free(&r);
	}
	char gone[BAHI_UUID_LEN + 1];
	product_new(&owner_a, "Gasket (discontinued)", NULL, gone);
	const char *g[1] = {gone};
	ck_assert_int_eq(bt_super_exec("UPDATE products SET deleted_at = now() WHERE id = $1", 1, g), 1);
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"qty\":1,\"cost\":1}", gone);
	bt_resp r = bt_json("POST", BATCHES, owner_a.access, body);
	bt_assert_field(&r, "product_id", "unknown_product");
	bt_free(&r);
	char no[80];
	memset(no, 'x', 65);
	no[65] = '\0';
	r = batch_post(&owner_a, prod, NULL, "1", NULL, no);
	bt_assert_field(&r, "batch_no", "too_long");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM batches WHERE business_id = $1", 1, p),
	                 before);
}
END_TEST

/* GET and PATCH of one batch. */
START_TEST(batch_get_and_patch)
{
	char sup[BAHI_UUID_LEN + 1], prod[BAHI_UUID_LEN + 1], b1[BAHI_UUID_LEN + 1];
	char b2[BAHI_UUID_LEN + 1], path[200];
	bt_create(&owner_a, SUPPLIERS, "{\"name\":\"Sigma Imports\"}", sup);
	product_new(&owner_a, "Sigma belt", NULL, prod);
	batch_new(prod, sup, "3", "2027-01-01", "Sigma-001-L0", b1);
	batch_new(prod, NULL, "4", NULL, NULL, b2);
	snprintf(path, sizeof(path), BATCHES "/%s", b1);

	bt_resp r = bt_json("GET", path, owner_b.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_patch(&owner_b, path, NULL, "{\"cost\":1}");
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_patch(&owner_a, path, "2", "{\"cost\":1}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	r = bt_patch(&owner_a, path, "1", "{\"expiry\":\"2027-01-31\",\"cost\":500,"
	          "\"supplier_invoice_no\":\"INV-9\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "expiry"), "2027-01-31");
	ck_assert_int_eq(bt_at_int(&r, "cost"), 500);
	ck_assert_str_eq(bt_str(&r, "supplier_invoice_no"), "INV-9");
	ck_assert_int_eq(bt_at_int(&r, "qty_remaining"), 3);
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"expiry\":null,\"supplier_invoice_no\":null,"
	          "\"batch_no\":\"SIG-1\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert(cJSON_IsNull(bt_at(&r, "expiry")));
	ck_assert(cJSON_IsNull(bt_at(&r, "supplier_invoice_no")));
	ck_assert_str_eq(bt_str(&r, "batch_no"), "SIG-1");
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"qty_remaining\":1}");
	bt_assert_field(&r, "qty_remaining", "unknown_field");
	bt_free(&r);
	r = bt_patch(&owner_a, path, NULL, "{\"cost\":-5}");
	bt_assert_field(&r, "cost", "too_small");
	bt_free(&r);
	char body[120];
	snprintf(path, sizeof(path), BATCHES "/%s", b2);
	snprintf(body, sizeof(body), "{\"batch_no\":\"sig-1\"}");
	r = bt_patch(&owner_a, path, NULL, body);
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);
	char *log = bt_changes_of("batch", b1);
	ck_assert_str_eq(log, "upsert1,upsert2,upsert3");
	free(log);
}
END_TEST

/* Lists, newest first, by product and supplier; B sees none of it. */
START_TEST(batch_lists)
{
	char sup[BAHI_UUID_LEN + 1], prod[BAHI_UUID_LEN + 1], b1[BAHI_UUID_LEN + 1];
	char b2[BAHI_UUID_LEN + 1], path[200], ids[200], expect[200];
	bt_resp r;
	bt_create(&owner_a, SUPPLIERS, "{\"name\":\"Tau Imports\"}", sup);
	product_new(&owner_a, "Tau belt", NULL, prod);
	batch_new(prod, sup, "3", NULL, "Tau-001-L0", b1);
	batch_new(prod, NULL, "4", NULL, NULL, b2);
	/* lists, newest first */
	snprintf(path, sizeof(path), BATCHES "?product_id=%s", prod);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_list_ids(&r, ids, sizeof(ids));
	snprintf(expect, sizeof(expect), "%s,%s", b2, b1);
	ck_assert_str_eq(ids, expect);
	bt_free(&r);
	snprintf(path, sizeof(path), BATCHES "?supplier_id=%s&product_id=%s", sup, prod);
	r = bt_json("GET", path, owner_a.access, NULL);
	bt_list_ids(&r, ids, sizeof(ids));
	ck_assert_str_eq(ids, b1);
	bt_free(&r);
	r = bt_json("GET", path, owner_b.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("GET", BATCHES "?expiring_within_days=-1", owner_a.access, NULL);
	bt_assert_field(&r, "expiring_within_days", "invalid_number");
	bt_free(&r);
	r = bt_json("GET", BATCHES "?limit=1", owner_b.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert(!bt_list_has(&r, b1) && !bt_list_has(&r, b2));
	bt_free(&r);
}
END_TEST

/* Batches with stock left and expiry <= the business-local today + N, by
 * expiry: today + N is in, today + N + 1 is not. */
START_TEST(expiring_list_on_its_boundaries)
{
	bt_session c;
	char prod[BAHI_UUID_LEN + 1], e[6][BAHI_UUID_LEN + 1], d[6][16], body[300], ids[400];
	char expect[400];
	bt_signup(&c);
	/* far east of UTC, so "today" differs from UTC's for most of the day */
	const char *bp[1] = {c.business_id};
	bt_super_exec("UPDATE businesses SET timezone = 'Pacific/Kiritimati' WHERE id = $1", 1, bp);
	product_new(&c, "Milk", NULL, prod);
	static const char *const offsets[6] = {"-1", "0", "7", "8", "3", "5"};
	for (int i = 0; i < 6; i++) {
		const char *op[1] = {offsets[i]};
		char *v = bt_super_value("SELECT ((now() AT TIME ZONE 'Pacific/Kiritimati')::date"
		                         " + $1::int)::text", 1, op);
		snprintf(d[i], sizeof(d[i]), "%s", v);
		free(v);
		bt_resp r = batch_post(&c, prod, NULL, "2", d[i], NULL);
		ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
		snprintf(e[i], sizeof(e[i]), "%s", bt_str(&r, "id"));
		bt_free(&r);
	}
	bt_resp r = batch_post(&c, prod, NULL, "2", NULL, NULL);    /* no expiry: never listed */
	ck_assert_int_eq(r.status, 201);
	bt_free(&r);
	/* e[4] (today + 3) is used up: no longer listed */
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"kind\":\"out\",\"qty\":2,"
	         "\"batch_id\":\"%s\"}", prod, e[4]);
	r = bt_json("POST", "/api/v1/stock/movements", c.access, body);
	ck_assert_int_eq(r.status, 201);
	bt_free(&r);

	r = bt_json("GET", BATCHES "?expiring_within_days=7", c.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_list_ids(&r, ids, sizeof(ids));
	snprintf(expect, sizeof(expect), "%s,%s,%s,%s", e[0], e[1], e[5], e[2]);
	ck_assert_str_eq(ids, expect);
	ck_assert_str_eq(bt_at_str(&r, "items.3.expiry"), d[2]);
	bt_free(&r);
	r = bt_json("GET", BATCHES "?expiring_within_days=0", c.access, NULL);
	bt_list_ids(&r, ids, sizeof(ids));
	snprintf(expect, sizeof(expect), "%s,%s", e[0], e[1]);
	ck_assert_str_eq(ids, expect);
	bt_free(&r);
	r = bt_json("GET", BATCHES "?expiring_within_days=8", c.access, NULL);
	bt_list_ids(&r, ids, sizeof(ids));
	snprintf(expect, sizeof(expect), "%s,%s,%s,%s,%s", e[0], e[1], e[5], e[2], e[3]);
	ck_assert_str_eq(ids, expect);
	bt_free(&r);

	/* pages of one, in the same order */
	char cursor[200] = "", path[300];
	const int order[4] = {0, 1, 5, 2};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), BATCHES "?expiring_within_days=7&limit=1%s%s",
		         cursor[0] ? "&cursor=" : "", cursor);
		r = bt_json("GET", path, c.access, NULL);
		ck_assert_int_eq(r.status, 200);
		bt_list_ids(&r, ids, sizeof(ids));
		ck_assert_str_eq(ids, e[order[i]]);
		if (i < 3)
			snprintf(cursor, sizeof(cursor), "%s", bt_str(&r, "next_cursor"));
		else
			ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
		bt_free(&r);
	}
}
END_TEST

/* Clerks may add suppliers (catalog.write) but not delete them, and cannot
 * record or change batches (stock.write). */
START_TEST(clerk_permissions)
{
	char sup[BAHI_UUID_LEN + 1], prod[BAHI_UUID_LEN + 1], batch[BAHI_UUID_LEN + 1], path[200];
	bt_create(&clerk_a, SUPPLIERS, "{\"name\":\"Clerk's pick\"}", sup);
	product_new(&owner_a, "Clerk bolt", NULL, prod);
	batch_new(prod, sup, "1", NULL, NULL, batch);
	snprintf(path, sizeof(path), SUPPLIERS "/%s", sup);
	bt_resp r = bt_json("DELETE", path, clerk_a.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = batch_post(&clerk_a, prod, sup, "1", NULL, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	snprintf(path, sizeof(path), BATCHES "/%s", batch);
	r = bt_patch(&clerk_a, path, NULL, "{\"cost\":1}");
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = bt_json("GET", path, clerk_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
	r = bt_json("GET", BATCHES, clerk_a.access, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = bt_json("GET", SUPPLIERS, NULL, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
}
END_TEST

/* Another business's suppliers are 404 on every route. */
START_TEST(other_business_suppliers_are_not_found)
{
	char sup[BAHI_UUID_LEN + 1], path[200];
	bt_create(&owner_a, SUPPLIERS, "{\"name\":\"Private supplier\"}", sup);
	snprintf(path, sizeof(path), SUPPLIERS "/%s", sup);
	bt_resp r = bt_json("GET", path, owner_b.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_patch(&owner_b, path, NULL, "{\"name\":\"Stolen\"}");
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("DELETE", path, owner_b.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	snprintf(path, sizeof(path), BATCHES "?supplier_id=%s", sup);
	r = bt_json("GET", path, owner_b.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("GET", SUPPLIERS "?limit=200", owner_b.access, NULL);
	ck_assert(!bt_list_has(&r, sup));
	bt_free(&r);
	/* B may use the same name and gets its own prefix sequence */
	r = bt_json("POST", SUPPLIERS, owner_b.access, "{\"name\":\"Private supplier\"}");
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_str(&r, "batch_prefix"), "Private");
	bt_free(&r);
	snprintf(path, sizeof(path), SUPPLIERS "/%s", sup);
	r = bt_json("GET", path, owner_a.access, NULL);
	ck_assert_str_eq(bt_str(&r, "name"), "Private supplier");
	bt_free(&r);
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
	Suite *s = suite_create("suppliers");
	TCase *t = tcase_create("suppliers");
	tcase_set_timeout(t, 60);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, supplier_crud_with_versions);
	tcase_add_test(t, supplier_delete_is_soft);
	tcase_add_test(t, supplier_delete_honours_if_match);
	tcase_add_test(t, supplier_names_and_prefixes);
	tcase_add_test(t, supplier_bad_input_per_field);
	tcase_add_test(t, supplier_delete_refused_while_batches_hold_stock);
	tcase_add_test(t, batch_numbers_and_stock_in);
	tcase_add_test(t, batch_bad_input_per_field);
	tcase_add_test(t, batch_get_and_patch);
	tcase_add_test(t, batch_lists);
	tcase_add_test(t, expiring_list_on_its_boundaries);
	tcase_add_test(t, clerk_permissions);
	tcase_add_test(t, other_business_suppliers_are_not_found);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
