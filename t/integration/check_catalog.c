/* check_catalog: categories, products, SKU generation, composites, low stock and ranked search through nginx. */
#include <check.h>

#include "../check_run.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* A: the main business, with a clerk. B: another business, whose ids A must
 * never reach. S: a business holding only the search test's products. */
static bt_session owner_a, clerk_a, owner_b, owner_s;

/* A JSON body or path built with printf, in a static ring of buffers. */
static const char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *
fmt(const char *f, ...)
{
	static char ring[8][4096];
	static int next;
	char *b = ring[next++ % 8];
	va_list ap;
	va_start(ap, f);
	vsnprintf(b, sizeof(ring[0]), f, ap);
	va_end(ap);
	return b;
}

/* Sends a request as s, expecting status; returns the response. */
static bt_resp
call(const bt_session *s, const char *method, const char *path, const char *body, long status)
{
	bt_resp r = bt_json(method, path, s->access, body);
	ck_assert_msg(r.status == status, "%s %s %s: expected %ld, got %ld: %s", method, path,
	              body ? body : "", status, r.status, r.body);
	return r;
}

/* The string member at path of GET path as s (200), in a static buffer. */
static const char *
get_str(const bt_session *s, const char *path, const char *member)
{
	static char out[256];
	bt_resp r = call(s, "GET", path, NULL, 200);
	const char *v = bt_at_str(&r, member);
	snprintf(out, sizeof(out), "%s", v ? v : "(null)");
	bt_free(&r);
	return out;
}

/* The numeric member at path of GET path as s (200). */
static double
get_num(const bt_session *s, const char *path, const char *member)
{
	bt_resp r = call(s, "GET", path, NULL, 200);
	double d = bt_at_num(&r, member);
	bt_free(&r);
	return d;
}

/* Expects a 422 whose first field error is field/code. */
static void
expect_field(const bt_session *s, const char *method, const char *path, const char *body,
             const char *field, const char *code)
{
	bt_resp r = bt_json(method, path, s->access, body);
	bt_assert_field(&r, field, code);
	bt_free(&r);
}

/* Moves stock through the stock API (kind in or out). */
static void
move(const bt_session *s, const char *product, const char *kind, const char *qty)
{
	bt_resp r = call(s, "POST", "/api/v1/stock/movements",
	                 fmt("{\"product_id\":\"%s\",\"kind\":\"%s\",\"qty\":%s}", product, kind, qty),
	                 201);
	bt_free(&r);
}

/* The live products of business bid, counted as the superuser. */
static long
count_products(const char *bid)
{
	const char *p[1] = {bid};
	return bt_super_long("SELECT count(*) FROM products WHERE business_id = $1"
	                     " AND deleted_at IS NULL", 1, p);
}

/* The change-log rows of entity/id/op in business bid. */
static long
count_changes(const char *bid, const char *entity, const char *id, const char *op)
{
	const char *p[4] = {bid, entity, id, op};
	return bt_super_long("SELECT count(*) FROM change_entries WHERE business_id = $1"
	                     " AND entity = $2 AND entity_id = $3 AND op = $4", 4, p);
}

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
	bt_signup(&owner_s);
}

/* ------------------------------------------------------------ categories */

START_TEST(categories_create_and_read)
{
	char tools[41], hand[41], power[41];
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"Tools & <Things>\"}", tools);
	ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/categories/%s", tools), "sku_prefix"),
	                 "ToolsThings");
	bt_create(&owner_a, "/api/v1/categories",
	          fmt("{\"name\":\"Pliers\",\"sku_prefix\":\"HT\",\"parent_id\":\"%s\"}", tools), hand);
	bt_resp r = call(&owner_a, "GET", fmt("/api/v1/categories/%s", hand), NULL, 200);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Pliers");
	ck_assert_str_eq(bt_at_str(&r, "sku_prefix"), "HT");
	ck_assert_str_eq(bt_at_str(&r, "parent_id"), tools);
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	bt_free(&r);
	/* an Urdu name has no ASCII letters: the prefix falls back to CAT */
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"بجلی کا سامان\"}", power);
	ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/categories/%s", power), "name"),
	                 "بجلی کا سامان");
	ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/categories/%s", power), "sku_prefix"), "CAT");

	r = bt_json("POST", "/api/v1/categories", owner_a.access, "{\"name\":\"PLIERS\"}");
	bt_assert_problem(&r, 409, "duplicate_name");
	bt_free(&r);
	expect_field(&owner_a, "POST", "/api/v1/categories", "{\"name\":\"X\",\"sku_prefix\":\"-x\"}",
	             "sku_prefix", "invalid_sku_prefix");
	expect_field(&owner_a, "POST", "/api/v1/categories",
	             "{\"name\":\"X\",\"sku_prefix\":\"abcdefghijklmnopqrstu\"}", "sku_prefix", "too_long");
	expect_field(&owner_a, "POST", "/api/v1/categories", "{\"name\":\"\"}", "name", "required");
	expect_field(&owner_a, "POST", "/api/v1/categories", "{\"name\":7}", "name", "must_be_string");
	expect_field(&owner_a, "POST", "/api/v1/categories", "{\"name\":\"X\",\"colour\":1}",
	             "colour", "unknown_field");
	expect_field(&owner_a, "POST", "/api/v1/categories",
	             "{\"name\":\"X\",\"parent_id\":\"01a1fd8a-0000-7000-8000-000000000000\"}",
	             "parent_id", "unknown_category");

}
END_TEST

START_TEST(categories_change_and_delete)
{
	char tools[41], hand[41], power[41];
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"Garden\"}", tools);
	bt_create(&owner_a, "/api/v1/categories",
	          fmt("{\"name\":\"Hand tools\",\"parent_id\":\"%s\"}", tools), hand);
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"Power\"}", power);
	/* PATCH: If-Match, cycles, clearing the parent */
	const char *stale[] = {"If-Match: \"7\"", NULL}, *cur[] = {"If-Match: \"1\"", NULL};
	bt_resp r = bt_jsonx("PATCH", fmt("/api/v1/categories/%s", tools), owner_a.access, stale,
	                     "{\"name\":\"Tools\"}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	r = bt_jsonx("PATCH", fmt("/api/v1/categories/%s", tools), owner_a.access, cur,
	             "{\"name\":\"Tools\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Tools");
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	r = bt_json("PATCH", fmt("/api/v1/categories/%s", tools), owner_a.access,
	            fmt("{\"parent_id\":\"%s\"}", hand));
	bt_assert_problem(&r, 422, "validation_failed");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.code"), "cycle");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.message"),
	                 "Would make a cycle of parents: Hand tools > Tools.");
	bt_free(&r);
	expect_field(&owner_a, "PATCH", fmt("/api/v1/categories/%s", tools),
	             fmt("{\"parent_id\":\"%s\"}", tools), "parent_id", "cycle");
	r = call(&owner_a, "PATCH", fmt("/api/v1/categories/%s", hand), "{\"parent_id\":null}", 200);
	ck_assert_ptr_null(bt_at_str(&r, "parent_id"));
	ck_assert(cJSON_IsNull(bt_at(&r, "parent_id")));
	bt_free(&r);

	r = bt_json("PATCH", fmt("/api/v1/categories/%s", hand), owner_a.access, "{\"name\":\"TOOLS\"}");
	bt_assert_problem(&r, 409, "duplicate_name");
	bt_free(&r);

	/* soft delete: gone from GET and the list, but still in the database */
	r = call(&owner_a, "DELETE", fmt("/api/v1/categories/%s", power), NULL, 204);
	bt_free(&r);
	r = bt_json("GET", fmt("/api/v1/categories/%s", power), owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("DELETE", fmt("/api/v1/categories/%s", power), owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	const char *p[1] = {power};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM categories WHERE id = $1"
	                               " AND deleted_at IS NOT NULL", 1, p), 1);
	ck_assert_int_eq(count_changes(owner_a.business_id, "category", power, "delete"), 1);
	r = call(&owner_a, "GET", "/api/v1/categories?limit=200", NULL, 200);
	for (int i = 0; bt_at(&r, fmt("items.%d", i)); i++)
		ck_assert_str_ne(bt_at_str(&r, fmt("items.%d.id", i)), power);
	bt_free(&r);
	/* its name is free again */
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"power\"}", power);
}
END_TEST

START_TEST(category_delete_refused_while_used)
{
	char cat[41], sub[41], p1[41], p2[41];
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"Lamps\"}", cat);
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Desk lamp\",\"category_id\":\"%s\"}", cat), p1);
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Floor lamp\",\"category_id\":\"%s\"}", cat), p2);
	bt_resp r = bt_json("DELETE", fmt("/api/v1/categories/%s", cat), owner_a.access, NULL);
	bt_assert_problem(&r, 409, "in_use");
	ck_assert_str_eq(bt_str(&r, "detail"), "2 products still use this category; move them to"
	                 " another category or delete them first.");
	bt_free(&r);
	r = call(&owner_a, "DELETE", fmt("/api/v1/products/%s", p1), NULL, 204);
	bt_free(&r);
	r = bt_json("DELETE", fmt("/api/v1/categories/%s", cat), owner_a.access, NULL);
	bt_assert_problem(&r, 409, "in_use");
	ck_assert_str_eq(bt_str(&r, "detail"), "1 product still uses this category; move it to"
	                 " another category or delete it first.");
	bt_free(&r);
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", p2), "{\"category_id\":null}", 200);
	bt_free(&r);
	bt_create(&owner_a, "/api/v1/categories", fmt("{\"name\":\"Bulbs\",\"parent_id\":\"%s\"}", cat), sub);
	r = bt_json("DELETE", fmt("/api/v1/categories/%s", cat), owner_a.access, NULL);
	bt_assert_problem(&r, 409, "in_use");
	ck_assert_str_eq(bt_str(&r, "detail"), "This category has 1 subcategory; move or delete it first.");
	bt_free(&r);
	/* a clerk deletes nothing */
	r = bt_json("DELETE", fmt("/api/v1/categories/%s", sub), clerk_a.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = call(&owner_a, "DELETE", fmt("/api/v1/categories/%s", sub), NULL, 204);
	bt_free(&r);
	r = call(&owner_a, "DELETE", fmt("/api/v1/categories/%s", cat), NULL, 204);
	bt_free(&r);
}
END_TEST

/* ------------------------------------------------------------ SKUs */

START_TEST(sku_generation)
{
	char furn[41], other[41], id[41], fourth[41], moved[41], manual[41];
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"Furniture\"}", furn);
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"Other\",\"sku_prefix\":\"OT\"}", other);
	for (int i = 1; i <= 3; i++) {
		bt_create(&owner_a, "/api/v1/products",
		          fmt("{\"name\":\"Stool %d\",\"category_id\":\"%s\"}", i, furn), id);
		ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/products/%s", id), "sku"),
		                 fmt("Furniture-%d", i));
	}
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Bench\",\"category_id\":\"%s\"}", furn),
	          fourth);
	ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/products/%s", fourth), "sku"), "Furniture-4");
	/* a hand-made SKU that a generated one would take is skipped */
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Odd\",\"sku\":\"FURNITURE-5\"}", manual);
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Sofa\",\"category_id\":\"%s\"}", furn), id);
	ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/products/%s", id), "sku"), "Furniture-6");

	/* SKUs and barcodes are unique, SKUs whatever their case */
	bt_resp r = bt_json("POST", "/api/v1/products", owner_a.access,
	                    "{\"name\":\"Dup\",\"sku\":\"furniture-4\"}");
	bt_assert_problem(&r, 409, "duplicate_sku");
	ck_assert_str_eq(bt_str(&r, "detail"), "The SKU \"furniture-4\" is already used by \"Bench\".");
	bt_free(&r);
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", manual), "{\"barcode\":\"8961234567890\"}",
	         200);
	bt_free(&r);
	r = bt_json("POST", "/api/v1/products", owner_a.access,
	            "{\"name\":\"Dup\",\"barcode\":\"8961234567890\"}");
	bt_assert_problem(&r, 409, "duplicate_barcode");
	bt_free(&r);
	r = bt_json("PATCH", fmt("/api/v1/products/%s", fourth), owner_a.access, "{\"sku\":\"Furniture-5\"}");
	bt_assert_problem(&r, 409, "duplicate_sku");
	bt_free(&r);

	/* a category change gives a generated SKU a new one; a hand-made one stays */
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", fourth),
	         fmt("{\"category_id\":\"%s\"}", other), 200);
	ck_assert_str_eq(bt_at_str(&r, "sku"), "OT-1");
	bt_free(&r);
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", manual),
	         fmt("{\"category_id\":\"%s\"}", other), 200);
	ck_assert_str_eq(bt_at_str(&r, "sku"), "FURNITURE-5");
	bt_free(&r);
	/* sku: null asks for a generated one; without a category the ITEM series */
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", manual), "{\"sku\":null}", 200);
	ck_assert_str_eq(bt_at_str(&r, "sku"), "OT-2");
	bt_free(&r);
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Loose\",\"category_id\":\"%s\"}", furn),
	          moved);
	ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/products/%s", moved), "sku"), "Furniture-7");
	/* the ITEM series is business-wide (other tests use it too): the next number */
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Uncategorised\"}", id);
	int item = (int)strtol(get_str(&owner_a, fmt("/api/v1/products/%s", id), "sku") + 5, NULL, 10);
	ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/products/%s", id), "sku"), fmt("ITEM-%d", item));
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", moved), "{\"category_id\":null}", 200);
	ck_assert_str_eq(bt_at_str(&r, "sku"), fmt("ITEM-%d", item + 1));
	ck_assert(cJSON_IsNull(bt_at(&r, "category_id")));
	bt_free(&r);
	/* deleting frees an SKU for a new product */
	r = call(&owner_a, "DELETE", fmt("/api/v1/products/%s", moved), NULL, 204);
	bt_free(&r);
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Reuse\",\"sku\":\"item-%d\"}", item + 1),
	          id);
}
END_TEST

/* ------------------------------------------------------------ products */

START_TEST(product_fields_and_defaults)
{
	char id[41];
	const char *name = "<b>Bolt</b> 'M8'; DROP TABLE products;--";
	bt_create(&owner_a, "/api/v1/products",
	          "{\"name\":\"<b>Bolt</b> 'M8'; DROP TABLE products;--\",\"sku\":\"B\\\"8\","
	          "\"price\":123456789012345,\"cost\":0}", id);
	bt_resp r = call(&owner_a, "GET", fmt("/api/v1/products/%s", id), NULL, 200);
	static const char *const keys[] = {
		"id", "category_id", "name", "sku", "barcode", "unit", "price", "cost", "stock_qty",
		"available_qty", "min_stock", "is_composite", "components", "image_url", "version",
		"created_at", "updated_at",
	};
	int n = 0;
	for (const cJSON *m = r.json->child; m; m = m->next, n++)
		ck_assert_msg(n < 17 && strcmp(m->string, keys[n]) == 0, "member %d is %s", n, m->string);
	ck_assert_int_eq(n, 17);
	ck_assert_str_eq(bt_at_str(&r, "id"), id);
	ck_assert_str_eq(bt_at_str(&r, "name"), name);
	ck_assert_str_eq(bt_at_str(&r, "sku"), "B\"8");
	ck_assert_str_eq(bt_at_str(&r, "unit"), "pcs");
	ck_assert_int_eq((long long)bt_at(&r, "price")->valuedouble, 123456789012345LL);
	ck_assert_int_eq(bt_at_int(&r, "cost"), 0);
	ck_assert_int_eq(bt_at_int(&r, "stock_qty"), 0);
	ck_assert_int_eq(bt_at_int(&r, "available_qty"), 0);
	ck_assert_int_eq(bt_at_int(&r, "min_stock"), 5);
	ck_assert(cJSON_IsFalse(bt_at(&r, "is_composite")));
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "components")), 0);
	ck_assert(cJSON_IsNull(bt_at(&r, "barcode")));
	ck_assert(cJSON_IsNull(bt_at(&r, "image_url")));
	ck_assert(cJSON_IsNull(bt_at(&r, "category_id")));
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	ck_assert_int_eq(strlen(bt_at_str(&r, "created_at")), 20);
	bt_free(&r);
	/* quantities keep 3 decimals and print without trailing zeros */
	bt_create(&owner_a, "/api/v1/products",
	          "{\"name\":\"Cable\",\"unit\":\"m\",\"min_stock\":2.125,\"barcode\":\"CBL-1\"}", id);
	ck_assert(get_num(&owner_a, fmt("/api/v1/products/%s", id), "min_stock") == 2.125);
	ck_assert_str_eq(get_str(&owner_a, fmt("/api/v1/products/%s", id), "unit"), "m");
	/* a new product has no stock: it is on the low-stock list, and devices hear of it */
	ck_assert_int_eq(count_changes(owner_a.business_id, "product", id, "upsert"), 1);
	ck_assert_int_eq(count_changes(owner_a.business_id, "low_stock", id, "upsert"), 1);
}
END_TEST

/* One bad field per request: nothing is created. */
START_TEST(product_bad_input)
{
	static const struct {
		const char *body, *field, *code;
	} cases[] = {
		{"{}", "name", "required"},
		{"{\"name\":null}", "name", "required"},
		{"{\"name\":5}", "name", "must_be_string"},
		{"{\"name\":\"a\\u0001b\"}", "name", "invalid_text"},
		{"{\"name\":\"x\",\"price\":-1}", "price", "too_small"},
		{"{\"name\":\"x\",\"price\":1.5}", "price", "must_be_integer"},
		{"{\"name\":\"x\",\"price\":\"10\"}", "price", "must_be_integer"},
		{"{\"name\":\"x\",\"cost\":1000000000000001}", "cost", "too_large"},
		{"{\"name\":\"x\",\"min_stock\":1.2345}", "min_stock", "invalid_quantity"},
		{"{\"name\":\"x\",\"min_stock\":-1}", "min_stock", "invalid_quantity"},
		{"{\"name\":\"x\",\"unit\":\"ton\"}", "unit", "invalid_choice"},
		{"{\"name\":\"x\",\"category_id\":\"cat\"}", "category_id", "invalid_uuid"},
		{"{\"name\":\"x\",\"category_id\":\"01a1fd8a-0000-7000-8000-000000000001\"}",
		 "category_id", "unknown_category"},
		{"{\"name\":\"x\",\"id\":\"nope\"}", "id", "invalid_uuid"},
		{"{\"name\":\"x\",\"barcode\":\"12 34\"}", "barcode", "invalid_barcode"},
		{"{\"name\":\"x\",\"barcode\":\"\"}", "barcode", "required"},
		{"{\"name\":\"x\",\"sku\":\" A1\"}", "sku", "invalid_sku"},
		{"{\"name\":\"x\",\"sku\":\"" "0123456789012345678901234567890123456789012345678901234567890123"
		 "4\"}", "sku", "too_long"},
		{"{\"name\":\"x\",\"stock_qty\":5}", "stock_qty", "read_only"},
		{"{\"name\":\"x\",\"available_qty\":5}", "available_qty", "read_only"},
		{"{\"name\":\"x\",\"version\":3}", "version", "read_only"},
		{"{\"name\":\"x\",\"colour\":\"red\"}", "colour", "unknown_field"},
		{"{\"name\":\"x\",\"components\":{}}", "components", "must_be_array"},
		{"{\"name\":\"x\",\"components\":[5]}", "components[0]", "must_be_object"},
		{"{\"name\":\"x\",\"components\":[{\"qty\":1}]}", "components[0].product_id", "required"},
		{"{\"name\":\"x\",\"components\":[{\"product_id\":\"01a1fd8a-0000-7000-8000-000000000001\"}]}",
		 "components[0].qty", "required"},
		{"{\"name\":\"x\",\"components\":[{\"product_id\":\"01a1fd8a-0000-7000-8000-000000000001\","
		 "\"qty\":0}]}", "components[0].qty", "must_be_positive"},
		{"{\"name\":\"x\",\"components\":[{\"product_id\":\"01a1fd8a-0000-7000-8000-000000000001\","
		 "\"qty\":1}]}", "components[0].product_id", "unknown_product"},
	};
	char name[300];
	memset(name, 'n', 201);
	name[201] = '\0';
	long before = count_products(owner_a.business_id);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_field(&owner_a, "POST", "/api/v1/products", cases[i].body, cases[i].field,
		             cases[i].code);
	expect_field(&owner_a, "POST", "/api/v1/products", fmt("{\"name\":\"%s\"}", name), "name",
	             "too_long");
	/* 51 components */
	char big[8192] = "{\"name\":\"x\",\"components\":[";
	for (int i = 0; i < 51; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big), "%s{\"product_id\":"
		         "\"01a1fd8a-0000-7000-8000-0000000000%02d\",\"qty\":1}", i ? "," : "", i);
	snprintf(big + strlen(big), sizeof(big) - strlen(big), "]}");
	expect_field(&owner_a, "POST", "/api/v1/products", big, "components", "too_large");
	bt_resp r = bt_json("POST", "/api/v1/products", owner_a.access, "[1]");
	ck_assert_int_ge(r.status, 400);
	bt_free(&r);
	ck_assert_int_eq(count_products(owner_a.business_id), before);
}
END_TEST

/* ------------------------------------------------------------ composites and low stock */

START_TEST(composite_availability_and_low_stock)
{
	char frame[41], wheel[41], chair[41], set[41];
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Frame\",\"min_stock\":3}", frame);
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Wheel\"}", wheel);
	move(&owner_a, frame, "in", "10");
	move(&owner_a, wheel, "in", "32");
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Chair\",\"components\":["
	          "{\"product_id\":\"%s\",\"qty\":1},{\"product_id\":\"%s\",\"qty\":4}]}", frame, wheel), chair);
	bt_resp r = call(&owner_a, "GET", fmt("/api/v1/products/%s", chair), NULL, 200);
	ck_assert_int_eq(bt_at_int(&r, "available_qty"), 8);
	ck_assert_int_eq(bt_at_int(&r, "stock_qty"), 0);
	ck_assert(cJSON_IsTrue(bt_at(&r, "is_composite")));
	ck_assert_str_eq(bt_at_str(&r, "components.0.product_id"), frame);
	ck_assert_int_eq(bt_at_int(&r, "components.0.qty"), 1);
	ck_assert_str_eq(bt_at_str(&r, "components.1.product_id"), wheel);
	ck_assert_int_eq(bt_at_int(&r, "components.1.qty"), 4);
	bt_free(&r);
	/* nested: a set is a chair and 2 more wheels: wheels 32 / 6 = 5.33, frames 10 */
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Chair set\",\"components\":["
	          "{\"product_id\":\"%s\",\"qty\":1},{\"product_id\":\"%s\",\"qty\":2}]}", chair, wheel), set);
	ck_assert(get_num(&owner_a, fmt("/api/v1/products/%s", set), "available_qty") == 5);
	ck_assert(get_num(&owner_a, fmt("/api/v1/products/%s", wheel), "available_qty") == 32);
	/* chair 8 > 5 and the set at 5 <= 5: the set is low, the chair is not */
	ck_assert_int_eq(count_changes(owner_a.business_id, "low_stock", chair, "upsert"), 0);
	ck_assert_int_eq(count_changes(owner_a.business_id, "low_stock", set, "upsert"), 1);

	/* selling wheels: the chair crosses the line (32 -> 20 wheels: 5 chairs), and
	 * devices hear of the wheel, the chair and the set */
	long chair_up = count_changes(owner_a.business_id, "product", chair, "upsert");
	move(&owner_a, wheel, "out", "12");
	ck_assert(get_num(&owner_a, fmt("/api/v1/products/%s", chair), "available_qty") == 5);
	ck_assert_int_eq(count_changes(owner_a.business_id, "low_stock", chair, "upsert"), 1);
	ck_assert_int_eq(count_changes(owner_a.business_id, "product", chair, "upsert"), chair_up + 1);
	ck_assert_int_eq(count_changes(owner_a.business_id, "low_stock", frame, "delete"), 1);
	/* and back over it */
	move(&owner_a, wheel, "in", "4");
	ck_assert_int_eq(count_changes(owner_a.business_id, "low_stock", chair, "delete"), 1);
	/* min_stock moves the line too */
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", chair), "{\"min_stock\":6}", 200);
	ck_assert_int_eq(bt_at_int(&r, "min_stock"), 6);
	bt_free(&r);
	ck_assert_int_eq(count_changes(owner_a.business_id, "low_stock", chair, "upsert"), 2);

	/* low stock list: chair (6 <= 6), set (5), not frame (10 > 3) nor wheel (24) */
	r = call(&owner_a, "GET", "/api/v1/products?low_stock=true&limit=200", NULL, 200);
	int seen_chair = 0, seen_set = 0;
	for (int i = 0; bt_at(&r, fmt("items.%d", i)); i++) {
		const char *id = bt_at_str(&r, fmt("items.%d.id", i));
		ck_assert_str_ne(id, frame);
		ck_assert_str_ne(id, wheel);
		seen_chair |= strcmp(id, chair) == 0;
		seen_set |= strcmp(id, set) == 0;
		ck_assert(bt_at(&r, fmt("items.%d.available_qty", i))->valuedouble <=
		          bt_at(&r, fmt("items.%d.min_stock", i))->valuedouble);
	}
	ck_assert(seen_chair && seen_set);
	bt_free(&r);

}
END_TEST

START_TEST(composite_rules)
{
	char frame[41], wheel[41], id[41], a[41], b[41], c[41];
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Rim\"}", frame);
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Spoke\"}", wheel);
	move(&owner_a, frame, "in", "1");
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Bike wheel\",\"components\":["
	          "{\"product_id\":\"%s\",\"qty\":1}]}", wheel), id);
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Axle kit\",\"components\":["
	          "{\"product_id\":\"%s\",\"qty\":0.001}]}", wheel), id);
	/* a component of a live composite cannot go; the composite can */
	bt_resp r = bt_json("DELETE", fmt("/api/v1/products/%s", wheel), owner_a.access, NULL);
	bt_assert_problem(&r, 409, "in_use");
	ck_assert_str_eq(bt_str(&r, "detail"), "The product is a component of 2 composite products"
	                 " (Axle kit, Bike wheel); remove it from them first.");
	bt_free(&r);
	r = call(&owner_a, "DELETE", fmt("/api/v1/products/%s", id), NULL, 204);
	bt_free(&r);
	r = bt_json("DELETE", fmt("/api/v1/products/%s", wheel), owner_a.access, NULL);
	bt_assert_problem(&r, 409, "in_use");
	ck_assert_str_eq(bt_str(&r, "detail"), "The product is a component of 1 composite product"
	                 " (Bike wheel); remove it from it first.");
	bt_free(&r);
	/* a product with stock of its own cannot become composite */
	expect_field(&owner_a, "PATCH", fmt("/api/v1/products/%s", frame),
	             fmt("{\"components\":[{\"product_id\":\"%s\",\"qty\":1}]}", wheel), "components", "has_stock");

	/* cycles: a = 1 b, b = 1 c; c = 1 a would close one */
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Part C\"}", c);
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Part B\",\"components\":["
	          "{\"product_id\":\"%s\",\"qty\":1}]}", c), b);
	bt_create(&owner_a, "/api/v1/products", fmt("{\"name\":\"Part A\",\"components\":["
	          "{\"product_id\":\"%s\",\"qty\":2.5}]}", b), a);
	r = bt_json("PATCH", fmt("/api/v1/products/%s", c), owner_a.access,
	            fmt("{\"components\":[{\"product_id\":\"%s\",\"qty\":1}]}", a));
	bt_assert_field(&r, "components", "cycle");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.message"),
	                 "Would make a cycle of components: Part C > Part A > Part B > Part C.");
	bt_free(&r);
	expect_field(&owner_a, "PATCH", fmt("/api/v1/products/%s", c),
	             fmt("{\"components\":[{\"product_id\":\"%s\",\"qty\":1}]}", c),
	             "components[0].product_id", "self_component");
	expect_field(&owner_a, "PATCH", fmt("/api/v1/products/%s", a),
	             fmt("{\"components\":[{\"product_id\":\"%s\",\"qty\":1},{\"product_id\":\"%s\","
	                 "\"qty\":2}]}", c, c), "components[1].product_id", "duplicate_component");
	ck_assert(get_num(&owner_a, fmt("/api/v1/products/%s", a), "components.0.qty") == 2.5);
	/* replacing the list; an empty one makes the product plain */
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", a),
	         fmt("{\"components\":[{\"product_id\":\"%s\",\"qty\":3}]}", c), 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "components")), 1);
	ck_assert_str_eq(bt_at_str(&r, "components.0.product_id"), c);
	bt_free(&r);
	r = call(&owner_a, "PATCH", fmt("/api/v1/products/%s", a), "{\"components\":[]}", 200);
	ck_assert(cJSON_IsFalse(bt_at(&r, "is_composite")));
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "components")), 0);
	bt_free(&r);
}
END_TEST

/* ------------------------------------------------------------ search */

/* The names of the items of GET path as s, joined by '|'. */
static const char *
names_of(const bt_session *s, const char *path)
{
	static char out[2048];
	bt_resp r = call(s, "GET", path, NULL, 200);
	out[0] = '\0';
	for (int i = 0; bt_at(&r, fmt("items.%d", i)); i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? "|" : "",
		         bt_at_str(&r, fmt("items.%d.name", i)));
	bt_free(&r);
	return out;
}

START_TEST(search_ranking)
{
	char id[41], cat[41];
	bt_create(&owner_s, "/api/v1/categories", "{\"name\":\"Seating\"}", cat);
	bt_create(&owner_s, "/api/v1/products", "{\"name\":\"Plastic Stool\",\"sku\":\"CHAIR\"}", id);
	bt_create(&owner_s, "/api/v1/products",
	          fmt("{\"name\":\"Chair Cushion\",\"sku\":\"CC-1\",\"category_id\":\"%s\"}", cat), id);
	bt_create(&owner_s, "/api/v1/products", "{\"name\":\"Office Chair\",\"sku\":\"OC-1\"}", id);
	bt_create(&owner_s, "/api/v1/products", "{\"name\":\"Armchair\",\"sku\":\"AC-1\"}", id);
	bt_create(&owner_s, "/api/v1/products", "{\"name\":\"Chain Lock\",\"sku\":\"CL-1\"}", id);
	bt_create(&owner_s, "/api/v1/products",
	          "{\"name\":\"Table\",\"sku\":\"TB-1\",\"barcode\":\"8964000123457\"}", id);
	bt_create(&owner_s, "/api/v1/products", "{\"name\":\"چائے کی پتی\",\"sku\":\"TEA-1\"}", id);
	bt_create(&owner_s, "/api/v1/products", "{\"name\":\"چینی\",\"sku\":\"SUG-1\"}", id);
	bt_create(&owner_s, "/api/v1/products", "{\"name\":\"50% off_sale\",\"sku\":\"PCT-1\"}", id);

	/* the SKU equals q, the name starts with it, a word starts with it, then
	 * the rest of the close matches by trigram similarity */
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=chair"),
	                 "Plastic Stool|Chair Cushion|Office Chair|Armchair|Chain Lock");
	/* a typo: the words one transposition away first (edit distance 2), then Chain (3) */
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=chiar"),
	                 "Chair Cushion|Office Chair|Plastic Stool|Chain Lock");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=Offise%20chair"),
	                 "Office Chair|Chair Cushion|Plastic Stool|Armchair|Chain Lock");
	/* barcode, SKU prefix, short queries */
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=8964000123457"), "Table");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=tb-"), "Table");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=of"), "Office Chair");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=oc"), "Office Chair");
	/* Urdu */
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=%DA%86%D8%A7%D8%A6%DB%92"),
	                 "چائے کی پتی");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=%D9%BE%D8%AA%DB%8C"), "چائے کی پتی");
	/* LIKE metacharacters are plain text */
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=50%25"), "50% off_sale");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=%25%25%25"), "");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=zzzzqqq"), "");
	/* filters */
	ck_assert_str_eq(names_of(&owner_s, fmt("/api/v1/products?q=chair&category_id=%s", cat)),
	                 "Chair Cushion");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=chair&low_stock=true"),
	                 "Plastic Stool|Chair Cushion|Office Chair|Armchair|Chain Lock");
	ck_assert_str_eq(names_of(&owner_s, "/api/v1/products?q=chair&low_stock=false"),
	                 "Plastic Stool|Chair Cushion|Office Chair|Armchair|Chain Lock");

}
END_TEST

/* Runs after search_ranking, on its products. */
START_TEST(search_pages_and_input)
{
	/* pages of a search: 2 + 2 + 1, the same order */
	bt_resp r = call(&owner_s, "GET", "/api/v1/products?q=chair&limit=2", NULL, 200);
	ck_assert_str_eq(bt_at_str(&r, "items.1.name"), "Chair Cushion");
	char cursor[200];
	snprintf(cursor, sizeof(cursor), "%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);
	r = call(&owner_s, "GET", fmt("/api/v1/products?q=chair&limit=2&cursor=%s", cursor), NULL, 200);
	ck_assert_str_eq(bt_at_str(&r, "items.0.name"), "Office Chair");
	ck_assert_str_eq(bt_at_str(&r, "items.1.name"), "Armchair");
	snprintf(cursor, sizeof(cursor), "%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);
	r = call(&owner_s, "GET", fmt("/api/v1/products?q=chair&limit=2&cursor=%s", cursor), NULL, 200);
	ck_assert_str_eq(bt_at_str(&r, "items.0.name"), "Chain Lock");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 1);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
	/* a typo search paged across its phases */
	r = call(&owner_s, "GET", "/api/v1/products?q=chiar&limit=3", NULL, 200);
	snprintf(cursor, sizeof(cursor), "%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);
	ck_assert_str_eq(names_of(&owner_s, fmt("/api/v1/products?q=chiar&limit=3&cursor=%s", cursor)),
	                 "Chain Lock");
	/* a list cursor is not a search cursor */
	r = call(&owner_s, "GET", "/api/v1/products?limit=1", NULL, 200);
	snprintf(cursor, sizeof(cursor), "%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);
	expect_field(&owner_s, "GET", fmt("/api/v1/products?q=chair&cursor=%s", cursor), NULL,
	             "cursor", "invalid_cursor");
	char longq[200];
	memset(longq, 'q', 101);
	longq[101] = '\0';
	expect_field(&owner_s, "GET", fmt("/api/v1/products?q=%s", longq), NULL, "q", "too_long");
	expect_field(&owner_s, "GET", "/api/v1/products?low_stock=yes", NULL, "low_stock",
	             "must_be_boolean");
	expect_field(&owner_s, "GET", "/api/v1/products?sort=name", NULL, "sort", "unknown_parameter");
}
END_TEST

/* ------------------------------------------------------------ changes, roles, deletion */

START_TEST(patch_and_permissions)
{
	char id[41];
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Drill\",\"price\":5000,\"cost\":3000}", id);
	const char *path = fmt("/api/v1/products/%s", id);
	const char *stale[] = {"If-Match: \"2\"", NULL}, *cur[] = {"If-Match: \"1\"", NULL};
	bt_resp r = bt_jsonx("PATCH", path, owner_a.access, stale, "{\"name\":\"Drill 2\"}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	r = bt_jsonx("PATCH", path, owner_a.access, cur, "{\"name\":\"Drill 2\",\"price\":5500,"
	             "\"unit\":\"set\",\"barcode\":\"DR-2\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Drill 2");
	ck_assert_int_eq(bt_at_int(&r, "price"), 5500);
	ck_assert_int_eq(bt_at_int(&r, "cost"), 3000);
	ck_assert_str_eq(bt_at_str(&r, "unit"), "set");
	ck_assert_str_eq(bt_at_str(&r, "barcode"), "DR-2");
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	r = bt_jsonx("PATCH", path, owner_a.access, cur, "{\"name\":\"Drill 3\"}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	const char *bad_match[] = {"If-Match: \"abc\"", NULL};
	r = bt_jsonx("PATCH", path, owner_a.access, bad_match, "{\"name\":\"Drill 3\"}");
	bt_assert_problem(&r, 400, "bad_request");
	bt_free(&r);
	/* the price change is in the activity log */
	const char *p[2] = {owner_a.business_id, id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1"
	                 " AND target = $2 AND action = 'product_price_changed'"
	                 " AND detail = 'price 5000 -> 5500, cost 3000 -> 3000'", 2, p), 1);

	/* a clerk: no price or cost changes, no deletions; other changes are fine */
	r = bt_json("PATCH", path, clerk_a.access, "{\"price\":1}");
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = bt_json("PATCH", path, clerk_a.access, "{\"cost\":1,\"name\":\"Cheap\"}");
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = call(&clerk_a, "PATCH", path, "{\"price\":5500,\"name\":\"Drill (clerk)\"}", 200);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Drill (clerk)");
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	bt_free(&r);
	r = bt_json("DELETE", path, clerk_a.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	char mine[41];
	bt_create(&clerk_a, "/api/v1/products", "{\"name\":\"Clerk item\",\"price\":700}", mine);

}
END_TEST

START_TEST(patch_input_and_delete)
{
	char id[41];
	bt_create(&owner_a, "/api/v1/products", "{\"name\":\"Drill (clerk)\",\"barcode\":\"DR-9\"}", id);
	const char *path = fmt("/api/v1/products/%s", id);
	const char *stale[] = {"If-Match: \"9\"", NULL};
	/* read-only fields are refused by name; an empty change changes nothing */
	bt_resp r = bt_json("PATCH", path, owner_a.access, "{\"stock_qty\":50,\"name\":\"x\"}");
	bt_assert_field(&r, "stock_qty", "read_only");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.message"),
	                 "Stock changes only through stock movements (POST /api/v1/stock/movements).");
	bt_free(&r);
	expect_field(&owner_a, "PATCH", path, fmt("{\"id\":\"%s\"}", id), "id", "read_only");
	expect_field(&owner_a, "PATCH", path, "{\"name\":null}", "name", "required");
	expect_field(&owner_a, "PATCH", path, "{\"price\":null}", "price", "required");
	expect_field(&owner_a, "PATCH", path, "{\"barcode\":\"a b\"}", "barcode", "invalid_barcode");
	r = call(&owner_a, "PATCH", path, "{}", 200);
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Drill (clerk)");
	bt_free(&r);
	r = call(&owner_a, "PATCH", path, "{\"barcode\":null}", 200);
	ck_assert(cJSON_IsNull(bt_at(&r, "barcode")));
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);

	/* deletion: If-Match holds, then gone */
	r = bt_jsonx("DELETE", path, owner_a.access, stale, NULL);
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	r = call(&owner_a, "DELETE", path, NULL, 204);
	bt_free(&r);
	for (int i = 0; i < 3; i++) {
		static const char *const m[] = {"GET", "PATCH", "DELETE"};
		r = bt_json(m[i], path, owner_a.access, i == 1 ? "{\"name\":\"y\"}" : NULL);
		bt_assert_problem(&r, 404, "not_found");
		bt_free(&r);
	}
	ck_assert_int_eq(count_changes(owner_a.business_id, "product", id, "delete"), 1);
	r = bt_json("GET", "/api/v1/products/not-a-uuid", owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
}
END_TEST

/* Walks every page of GET path (limit 2) as s; returns how many items, and
 * fails when an id is seen twice or is id_absent. */
static int
walk_pages(const bt_session *s, const char *path, const char *id_absent)
{
	char cursor[200] = "", seen[512][41];
	int n = 0;
	for (int page = 0; page < 256; page++) {
		bt_resp r = call(s, "GET", cursor[0] ? fmt("%s&cursor=%s", path, cursor) : path, NULL, 200);
		int k = cJSON_GetArraySize(bt_at(&r, "items"));
		ck_assert_int_le(k, 2);
		for (int i = 0; i < k; i++) {
			const char *id = bt_at_str(&r, fmt("items.%d.id", i));
			ck_assert_str_ne(id, id_absent);
			for (int j = 0; j < n; j++)
				ck_assert_str_ne(seen[j], id);
			ck_assert_int_lt(n, 512);
			snprintf(seen[n++], 41, "%s", id);
		}
		const char *next = bt_at_str(&r, "next_cursor");
		ck_assert(next != NULL || cJSON_IsNull(bt_at(&r, "next_cursor")));
		snprintf(cursor, sizeof(cursor), "%s", next ? next : "");
		bt_free(&r);
		if (!cursor[0])
			return n;
	}
	ck_abort_msg("more than 256 pages");
	return n;
}

START_TEST(list_pages_and_client_ids)
{
	char cat[41], gone[41], id[41];
	bt_create(&owner_b, "/api/v1/categories", "{\"name\":\"Paged\"}", cat);
	for (int i = 0; i < 5; i++)
		bt_create(&owner_b, "/api/v1/products",
		          fmt("{\"name\":\"Paged %d\",\"category_id\":\"%s\"}", i, cat), id);
	bt_create(&owner_b, "/api/v1/products", fmt("{\"name\":\"Gone\",\"category_id\":\"%s\"}", cat), gone);
	bt_resp r = call(&owner_b, "DELETE", fmt("/api/v1/products/%s", gone), NULL, 204);
	bt_free(&r);
	ck_assert_int_eq(walk_pages(&owner_b, fmt("/api/v1/products?limit=2&category_id=%s", cat), gone), 5);
	ck_assert_int_eq(walk_pages(&owner_b, "/api/v1/products?limit=2", gone),
	                 count_products(owner_b.business_id));
	ck_assert_int_eq(walk_pages(&owner_b, "/api/v1/products?limit=2&low_stock=true", gone),
	                 count_products(owner_b.business_id));
	ck_assert_str_eq(names_of(&owner_b, fmt("/api/v1/products?limit=2&category_id=%s", cat)),
	                 "Paged 0|Paged 1");
	expect_field(&owner_b, "GET", "/api/v1/products?limit=0", NULL, "limit", "invalid_number");
	expect_field(&owner_b, "GET", "/api/v1/products?limit=201", NULL, "limit", "invalid_number");
	expect_field(&owner_b, "GET", "/api/v1/products?cursor=abc", NULL, "cursor", "invalid_cursor");
	expect_field(&owner_b, "GET", "/api/v1/products?category_id=7", NULL, "category_id",
	             "invalid_uuid");
	expect_field(&owner_b, "GET", "/api/v1/categories?limit=-1", NULL, "limit", "invalid_number");

	/* a client-made id (offline); the same id again is a conflict, the same
	 * Idempotency-Key replays the first answer */
	const char *cid = "01a1fd8a-1111-7222-8333-444455556666";
	const char *body = fmt("{\"id\":\"%s\",\"name\":\"Offline\",\"sku\":\"OFF-1\"}", cid);
	const char *key[] = {"Idempotency-Key: offline-1", NULL};
	r = bt_jsonx("POST", "/api/v1/products", owner_b.access, key, body);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(bt_at_str(&r, "id"), cid);
	char first[4096];
	snprintf(first, sizeof(first), "%s", r.body);
	bt_free(&r);
	r = bt_jsonx("POST", "/api/v1/products", owner_b.access, key, body);
	ck_assert_int_eq(r.status, 201);
	ck_assert_str_eq(r.body, first);
	bt_free(&r);
	r = bt_json("POST", "/api/v1/products", owner_b.access, body);
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);
	r = bt_json("POST", "/api/v1/categories", owner_b.access,
	            fmt("{\"id\":\"%s\",\"name\":\"Paged 2\"}", cat));
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);
}
END_TEST

/* "name:available_qty:price|..." of a list page. */
static const char *
stock_of(const bt_session *s, const char *path)
{
	static char out[2048];
	bt_resp r = call(s, "GET", path, NULL, 200);
	out[0] = '\0';
	for (int i = 0; bt_at(&r, fmt("items.%d", i)); i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s:%g:%ld", i ? "|" : "",
		         bt_at_str(&r, fmt("items.%d.name", i)),
		         bt_at_num(&r, fmt("items.%d.available_qty", i)),
		         bt_at_int(&r, fmt("items.%d.price", i)));
	bt_free(&r);
	return out;
}

/* List pages are kept by the workers while nothing changes: every change
 * that shows in a page shows at once (a new product, a price, a stock
 * movement, a component's stock in a composite, a deletion), and two
 * businesses never share a page. */
START_TEST(list_pages_follow_every_change)
{
	bt_session x, y;
	char frame[41], chair[41], id[41];
	bt_signup(&x);
	bt_signup(&y);
	const char *page = "/api/v1/products?limit=10";
	ck_assert_str_eq(stock_of(&x, page), "");
	bt_create(&x, "/api/v1/products", "{\"name\":\"Frame\",\"price\":500}", frame);
	for (int i = 0; i < 3; i++)   /* every worker process sees it */
		ck_assert_str_eq(stock_of(&x, page), "Frame:0:500");
	bt_stock_in(&x, frame, 10);
	ck_assert_str_eq(stock_of(&x, page), "Frame:10:500");
	bt_create(&x, "/api/v1/products", fmt("{\"name\":\"Chair\",\"price\":900,"
	          "\"components\":[{\"product_id\":\"%s\",\"qty\":2}]}", frame), chair);
	ck_assert_str_eq(stock_of(&x, page), "Frame:10:500|Chair:5:900");
	bt_resp r = call(&x, "PATCH", fmt("/api/v1/products/%s", frame), "{\"price\":550}", 200);
	bt_free(&r);
	ck_assert_str_eq(stock_of(&x, page), "Frame:10:550|Chair:5:900");
	r = call(&x, "POST", "/api/v1/stock/movements",
	         fmt("{\"product_id\":\"%s\",\"kind\":\"out\",\"qty\":4}", frame), 201);
	bt_free(&r);
	ck_assert_str_eq(stock_of(&x, page), "Frame:6:550|Chair:3:900");
	/* the same page of another business is its own */
	bt_create(&y, "/api/v1/products", "{\"name\":\"Lamp\",\"price\":300}", id);
	ck_assert_str_eq(stock_of(&y, page), "Lamp:0:300");
	ck_assert_str_eq(stock_of(&x, page), "Frame:6:550|Chair:3:900");
	r = call(&x, "DELETE", fmt("/api/v1/products/%s", chair), NULL, 204);
	bt_free(&r);
	ck_assert_str_eq(stock_of(&x, page), "Frame:6:550");
}
END_TEST

START_TEST(other_business_ids)
{
	char bcat[41], bprod[41], acat[41];
	bt_create(&owner_b, "/api/v1/categories", "{\"name\":\"B only\"}", bcat);
	bt_create(&owner_b, "/api/v1/products", fmt("{\"name\":\"B thing\",\"category_id\":\"%s\"}", bcat),
	          bprod);
	bt_create(&owner_a, "/api/v1/categories", "{\"name\":\"A only\"}", acat);
	static const char *const methods[] = {"GET", "PATCH", "DELETE"};
	for (int i = 0; i < 3; i++) {
		bt_resp r = bt_json(methods[i], fmt("/api/v1/categories/%s", bcat), owner_a.access,
		                    i == 1 ? "{\"name\":\"mine\"}" : NULL);
		bt_assert_problem(&r, 404, "not_found");
		bt_free(&r);
		r = bt_json(methods[i], fmt("/api/v1/products/%s", bprod), owner_a.access,
		            i == 1 ? "{\"name\":\"mine\"}" : NULL);
		bt_assert_problem(&r, 404, "not_found");
		bt_free(&r);
	}
	bt_resp r = bt_json("GET", fmt("/api/v1/products?category_id=%s", bcat), owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("GET", fmt("/api/v1/products?q=thing&category_id=%s", bcat), owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	ck_assert_str_eq(names_of(&owner_a, "/api/v1/products?q=B%20thing"), "");
	/* in bodies: 422 naming the field, never a 500 */
	expect_field(&owner_a, "POST", "/api/v1/products", fmt("{\"name\":\"x\",\"category_id\":\"%s\"}",
	             bcat), "category_id", "unknown_category");
	expect_field(&owner_a, "POST", "/api/v1/products", fmt("{\"name\":\"x\",\"components\":"
	             "[{\"product_id\":\"%s\",\"qty\":1}]}", bprod), "components[0].product_id",
	             "unknown_product");
	expect_field(&owner_a, "POST", "/api/v1/categories", fmt("{\"name\":\"x\",\"parent_id\":\"%s\"}",
	             bcat), "parent_id", "unknown_category");
	expect_field(&owner_a, "PATCH", fmt("/api/v1/categories/%s", acat),
	             fmt("{\"parent_id\":\"%s\"}", bcat), "parent_id", "unknown_category");
	/* B's things are untouched */
	ck_assert_str_eq(get_str(&owner_b, fmt("/api/v1/products/%s", bprod), "name"), "B thing");
	ck_assert_str_eq(get_str(&owner_b, fmt("/api/v1/categories/%s", bcat), "name"), "B only");
}
END_TEST

int
main(void)
{
	bt_start();
	Suite *s = suite_create("catalog");
	TCase *t = tcase_create("catalog");
	tcase_set_timeout(t, 60);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, categories_create_and_read);
	tcase_add_test(t, categories_change_and_delete);
	tcase_add_test(t, category_delete_refused_while_used);
	tcase_add_test(t, sku_generation);
	tcase_add_test(t, product_fields_and_defaults);
	tcase_add_test(t, product_bad_input);
	tcase_add_test(t, composite_availability_and_low_stock);
	tcase_add_test(t, composite_rules);
	tcase_add_test(t, search_ranking);
	tcase_add_test(t, search_pages_and_input);
	tcase_add_test(t, patch_and_permissions);
	tcase_add_test(t, patch_input_and_delete);
	tcase_add_test(t, list_pages_and_client_ids);
	tcase_add_test(t, other_business_ids);
	tcase_add_test(t, list_pages_follow_every_change);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
