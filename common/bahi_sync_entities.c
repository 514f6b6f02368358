/* bahi_sync_entities: the change log's entities as sync sees them: who may read each, its reader, its snapshot, its API collection. */
#include "bahi_sync.h"

#include <string.h>

#include "bahi_account.h"
#include "bahi_category.h"
#include "bahi_correction.h"
#include "bahi_customer.h"
#include "bahi_db.h"
#include "bahi_import.h"
#include "bahi_invoice.h"
#include "bahi_payment.h"
#include "bahi_product.h"
#include "bahi_req.h"
#include "bahi_stock.h"
#include "bahi_supplier.h"
#include "bahi_users.h"

/* The snapshot statements: live record ids after $2, id order, at most $3. */
#define SNAPSHOT(ident, table, live) \
	static BAHI_STMT(ident, "SELECT id FROM " table " WHERE business_id = $1" live \
	                 " AND id > $2::uuid ORDER BY id LIMIT $3")
#define LIVE " AND deleted_at IS NULL"
static BAHI_STMT(snap_business,
	"SELECT id FROM businesses WHERE id = $1 AND id > $2::uuid LIMIT $3");
SNAPSHOT(snap_users, "users", LIVE);
SNAPSHOT(snap_categories, "categories", LIVE);
SNAPSHOT(snap_suppliers, "suppliers", LIVE);
SNAPSHOT(snap_products, "products", LIVE);
SNAPSHOT(snap_batches, "batches", LIVE);
SNAPSHOT(snap_customers, "customers", LIVE);
SNAPSHOT(snap_invoices, "invoices", "");
SNAPSHOT(snap_incomplete, "incomplete_sales", LIVE);
SNAPSHOT(snap_payments, "payments", "");
SNAPSHOT(snap_credit_notes, "credit_notes", "");

static int
business_get(bahi_req *req, const char *id, cJSON **out)
{
	(void)id;
	return (*out = bahi_account_business_json(req)) != NULL ? 0 : -1;
}

static int
product_get(bahi_req *req, const char *id, cJSON **out)
{
	return (*out = bahi_product_get(req, id)) != NULL ? 0 : -1;
}

static int
supplier_invoice_get(bahi_req *req, const char *id, cJSON **out)
{
	const char *json;
	if (bahi_supplier_invoice_get(req, id, &json) != 0)
		return -1;
	if ((*out = cJSON_Parse(json)) == NULL)
		return bahi_fail(req, "internal_error", "Could not read the supplier invoice.");
	return 0;
}

/* Snapshot order: what a record refers to comes before it. */
static const bahi_sync_entity entities[] = {
	{"business", "business.read", business_get, NULL, &snap_business, NULL},
	{"user", "users.read", bahi_users_get, NULL, &snap_users, NULL},
	{"category", "catalog.read", bahi_category_get, NULL, &snap_categories,
	 "/api/v1/categories"},
	{"supplier", "catalog.read", bahi_supplier_get, NULL, &snap_suppliers,
	 "/api/v1/suppliers"},
	{"product", "catalog.read", product_get, bahi_product_get_many, &snap_products,
	 "/api/v1/products"},
	{"batch", "stock.read", bahi_batch_get, NULL, &snap_batches, "/api/v1/batches"},
	{"customer", "customers.read", bahi_customer_get, bahi_customer_get_many, &snap_customers,
	 "/api/v1/customers"},
	{"invoice", "sales.read", bahi_invoice_get, NULL, &snap_invoices, "/api/v1/invoices"},
	{"incomplete_sale", "sales.read", bahi_sale_incomplete_get, NULL, &snap_incomplete,
	 "/api/v1/sales/incomplete"},
	{"payment", "sales.read", bahi_payment_get, NULL, &snap_payments, "/api/v1/payments"},
	{"credit_note", "sales.read", bahi_credit_note_get, NULL, &snap_credit_notes, NULL},
	/* no snapshot: a product's record says whether it is low */
	{"low_stock", "catalog.read", product_get, bahi_product_get_many, NULL, NULL},
	{"stock_movement", "stock.read", bahi_stock_movement_get, NULL, NULL,
	 "/api/v1/stock/movements"},
	{"supplier_invoice", "stock.read", supplier_invoice_get, NULL, NULL, NULL},
	/* listed by their own routes; changes tell only that they changed */
	{"device", "devices.read", NULL, NULL, NULL, NULL},
	{"debt_reminder", "sales.read", NULL, NULL, NULL, NULL},
};

char *
bahi_sync_record(bahi_req *req, const bahi_sync_entity *e, const char *id, int *version)
{
	cJSON *o = NULL;
	if (e->get == NULL || id == NULL)
		return NULL;
	if (e->get(req, id, &o) != 0) {
		if (req->problem.status != 404)
			return "";
		memset(&req->problem, 0, sizeof(req->problem));
		return NULL;
	}
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "version");
	if (version != NULL && cJSON_IsNumber(v))
		*version = (int)v->valuedouble;
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL) {
		bahi_fail(req, "internal_error", "Could not encode the record.");
		return "";
	}
	char *s = bahi_pool_strdup(req->pool, text);
	cJSON_free(text);
	return s;
}

const bahi_sync_entity *
bahi_sync_entity_find(const char *name)
{
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (strcmp(entities[i].name, name) == 0)
			return &entities[i];
	return NULL;
}

const bahi_sync_entity *
bahi_sync_entities(int *n)
{
	*n = (int)(sizeof(entities) / sizeof(entities[0]));
	return entities;
}
