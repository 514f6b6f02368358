/* bahi-seed: creates the demo business ./dev up signs you in to, with a small catalog and two sales (idempotent), and prints its credentials. */
#include <stdio.h>
#include <string.h>

#include "bahi_account.h"
#include "bahi_category.h"
#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_invoice.h"
#include "bahi_num.h"
#include "bahi_random.h"
#include "bahi_product.h"
#include "bahi_req.h"
#include "bahi_stock.h"
#include "bahi_uuid.h"
#include "bahi_worker.h"

#define DEMO_PHONE "+923000000001"
#define DEMO_PASSWORD "demo-shop-2026"

static const bahi_worker_def seed_def = {.name = "seed"};

/* A demo product: name, category index, price and cost (minor units), stock. */
typedef struct demo_product {
	const char *name;
	int category;
	int64_t price, cost, stock;
} demo_product;

static const char *const demo_categories[] = {"Engine", "Brakes"};
static const demo_product demo_products[] = {
	{"Oil filter", 0, 85000, 60000, 40},
	{"Spark plug", 0, 45000, 30000, 3},
	{"Brake pad set", 1, 350000, 260000, 12},
	{"بریک آئل", 1, 90000, 65000, 8},
};

/* The demo products' ids, in demo_products order, for the demo sales. */
static char seeded[4][BAHI_UUID_LEN + 1];

/* Two demo sales: a walk-in cash sale of two oil filters, and a credit sale
 * of a brake pad set to a regular customer who paid part of it (an open
 * debt on the debts screen). */
static int
seed_sales(bahi_req *req)
{
	const bahi_sale_line cash_lines[] = {{seeded[0], 2 * BAHI_QTY_SCALE, -1}};
	const bahi_sale_line credit_lines[] = {
		{seeded[2], 1 * BAHI_QTY_SCALE, -1}, {seeded[3], 1 * BAHI_QTY_SCALE, -1},
	};
	const bahi_sale_in sales[] = {
		{.lines = cash_lines, .nlines = 1, .tax_rate_bp = -1, .mode = BAHI_PAY_CASH,
		 .paid_amount = 202300},
		{.customer_phone = "+923001234567", .customer_name = "Ali Khan",
		 .lines = credit_lines, .nlines = 2, .tax_rate_bp = -1, .mode = BAHI_PAY_CREDIT,
		 .paid_amount = 100000},
	};
	for (size_t i = 0; i < sizeof(sales) / sizeof(sales[0]); i++) {
		int status;
		cJSON *out;
		if (bahi_sale_create(req, &sales[i], &status, &out) != 0)
			return -1;
		cJSON_Delete(out);
	}
	return 0;
}

/* Stocks the new demo shop's catalog: two categories, four products with
 * opening stock (one of them low), and two sales, in the business's own
 * transaction. */
static int
seed_catalog(bahi_req *req, const char *bid, const char *uid)
{
	char cat[2][BAHI_UUID_LEN + 1], pid[BAHI_UUID_LEN + 1];
	req->auth.business_id = bid;
	req->auth.user_id = uid;
	req->auth.role = "owner";
	if (bahi_tx_begin(req, bid) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		bahi_category_in c = {.name = demo_categories[i]};
		cJSON *out;
		if (bahi_category_create(req, &c, &out) != 0)
			return -1;
		snprintf(cat[i], sizeof(cat[i]), "%s", cJSON_GetObjectItem(out, "id")->valuestring);
	}
	for (size_t i = 0; i < sizeof(demo_products) / sizeof(demo_products[0]); i++) {
		const demo_product *d = &demo_products[i];
		bahi_product_in p = {
			.category_id = cat[d->category], .name = d->name,
			.price = d->price, .cost = d->cost, .min_stock = -1,
		};
		bahi_movement m = {
			.kind = "in", .qty = d->stock * BAHI_QTY_SCALE, .unit_cost = -1,
			.note = "opening stock",
		};
		if (bahi_product_create(req, &p, pid) != 0)
			return -1;
		m.product_id = pid;
		if (bahi_stock_move(req, &m, NULL) != 0)
			return -1;
		snprintf(seeded[i], sizeof(seeded[i]), "%s", pid);
	}
	return seed_sales(req) != 0 ? -1 : bahi_tx_commit(req);
}

/* Creates the demo shop unless its owner's phone is already registered.
 * 0 when it exists now, -1 with a problem. */
static int
seed(bahi_req *req)
{
	char bid[BAHI_UUID_LEN + 1], uid[BAHI_UUID_LEN + 1];
	bahi_signup_in in = {
		.phone = DEMO_PHONE, .password = DEMO_PASSWORD, .name = "Demo Owner",
		.business_name = "Demo Auto Parts", .business_type = "auto parts",
		.tax_rate_bp = -1,
	};
	if (bahi_tx_begin(req, NULL) != 0)
		return -1;
	PGresult *u = bahi_account_find_login(req, DEMO_PHONE);
	if (u == NULL)
		return -1;
	if (PQntuples(u) > 0)
		return bahi_tx_commit(req);
	if (bahi_account_create(req, &in, DEMO_PHONE, bid, uid) != 0 || bahi_tx_commit(req) != 0)
		return -1;
	return seed_catalog(req, bid, uid);
}

int
main(void)
{
	bahi_req req;
	if (bahi_config_load(NULL) != 0 || bahi_random_init() != 0)
		return 2;
	bahi_db_init(bahi_config_get("db_url"));
	bahi_req_local(&req, &seed_def);
	int rc = seed(&req);
	if (rc != 0) {
		bahi_tx_rollback(&req);
		fprintf(stderr, "bahi-seed: %s: %s\n", req.problem.code ? req.problem.code : "error",
		        req.problem.detail ? req.problem.detail : "see the log above");
	} else {
		printf("Demo business: sign in with phone %s (or 0300 0000001) and password %s\n",
		       DEMO_PHONE, DEMO_PASSWORD);
	}
	bahi_req_local_free(&req);
	bahi_db_close();
	return rc == 0 ? 0 : 1;
}
