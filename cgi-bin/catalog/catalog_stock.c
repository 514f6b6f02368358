/* catalog_stock: HTTP handlers for stock movements (/stock/movements). */
#include "catalog.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "bahi_cursor.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_stock.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kinds[] = {"in", "out", "wastage", "adjust", NULL};

static const bahi_field create_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"product_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"kind", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, kinds, NULL, 0},
	{"qty", BAHI_V_QTY, BAHI_REQUIRED, 0, BAHI_QTY_MAX, NULL, NULL, 0},
	{"unit_cost", BAHI_V_MONEY, BAHI_NULLABLE, 0, BAHI_MONEY_MAX, NULL, NULL, 0},
	{"batch_id", BAHI_V_UUID, BAHI_NULLABLE, 0, 0, NULL, NULL, 0},
	{"note", BAHI_V_STRING, BAHI_NULLABLE | BAHI_MULTILINE, 1, 500, NULL, NULL, 0},
};

/* An adjust takes a signed change: the rules check its size, the sign is kept
 * aside (the quantity rule itself refuses negatives). 1 when it was negative. */
static int
adjust_sign(bahi_req *req)
{
	cJSON *kind = cJSON_GetObjectItemCaseSensitive(req->json, "kind");
	cJSON *qty = cJSON_GetObjectItemCaseSensitive(req->json, "qty");
	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "adjust") != 0 ||
	    !cJSON_IsNumber(qty) || !(qty->valuedouble < 0))
		return 0;
	cJSON_SetNumberValue(qty, -qty->valuedouble);
	return 1;
}

int
catalog_movements_create(bahi_req *req)
{
	bahi_value v[NF(create_fields)];
	int negative = adjust_sign(req);
	if (bahi_valid_json(req, req->json, create_fields, NF(create_fields), v, "") != 0)
		return -1;
	bahi_movement m = {
		.id = v[0].present ? v[0].s : NULL,
		.product_id = v[1].s, .kind = v[2].s, .qty = negative ? -v[3].i : v[3].i,
		.unit_cost = v[4].present ? v[4].i : -1,
		.batch_id = v[5].present ? v[5].s : NULL,
		.note = v[6].present ? v[6].s : NULL,
	};
	cJSON *out;
	if (bahi_stock_record(req, &m, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

static const bahi_field list_fields[] = {
	BAHI_PAGE_FIELDS,
	{"product_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"batch_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
};

int
catalog_movements_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0 ||
	    bahi_stock_movements_list(req, &pg, v[2].present ? v[2].s : NULL,
	                              v[3].present ? v[3].s : NULL, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
