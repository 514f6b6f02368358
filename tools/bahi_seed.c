/* bahi-seed: creates the demo business ./dev up signs you in to (idempotent) and prints its credentials. */
#include <stdio.h>
#include <string.h>

#include "bahi_account.h"
#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_uuid.h"
#include "bahi_worker.h"

#define DEMO_PHONE "+923000000001"
#define DEMO_PASSWORD "demo-shop-2026"

static const bahi_worker_def seed_def = {.name = "seed"};

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
	if (PQntuples(u) == 0 && bahi_account_create(req, &in, DEMO_PHONE, bid, uid) != 0)
		return -1;
	return bahi_tx_commit(req);
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
