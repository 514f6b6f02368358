/* catalog_routes: the catalog worker's routes and its definition (also used by sync push). */
#include "bahi_health.h"
#include "bahi_session.h"
#include "bahi_worker.h"
#include "catalog.h"

#define USER_JSON (BAHI_AUTH | BAHI_JSON_BODY)

/* First match wins: literal paths come before the {id} patterns they would match. */
static const bahi_route catalog_routes[] = {
	BAHI_HEALTH_ROUTES("catalog"),
	/* categories */
	{"GET", "/api/v1/categories", catalog_categories_list, BAHI_AUTH, "catalog.read"},
	{"POST", "/api/v1/categories", catalog_categories_create, USER_JSON, "catalog.write"},
	{"GET", "/api/v1/categories/{id}", catalog_categories_get, BAHI_AUTH, "catalog.read"},
	{"PATCH", "/api/v1/categories/{id}", catalog_categories_patch, USER_JSON, "catalog.write"},
	{"DELETE", "/api/v1/categories/{id}", catalog_categories_delete, BAHI_AUTH, "catalog.delete"},
	/* product CSV import and export */
	{"GET", "/api/v1/products/export", catalog_products_export, BAHI_AUTH, "catalog.read"},
	{"POST", "/api/v1/products/import", catalog_products_import, BAHI_AUTH | BAHI_BIG_BODY,
	 "catalog.write"},
	/* products */
	{"GET", "/api/v1/products", catalog_products_list, BAHI_AUTH, "catalog.read"},
	{"POST", "/api/v1/products", catalog_products_create, USER_JSON, "catalog.write"},
	{"GET", "/api/v1/products/{id}", catalog_products_get, BAHI_AUTH, "catalog.read"},
	{"PATCH", "/api/v1/products/{id}", catalog_products_patch, USER_JSON, "catalog.write"},
	{"DELETE", "/api/v1/products/{id}", catalog_products_delete, BAHI_AUTH, "catalog.delete"},
	/* images */
	{"POST", "/api/v1/products/{id}/image", catalog_image_request, USER_JSON, "catalog.write"},
	{"DELETE", "/api/v1/products/{id}/image", catalog_image_delete, BAHI_AUTH, "catalog.write"},
	{"PUT", "/api/v1/uploads/{token}", catalog_image_upload, BAHI_PUBLIC | BAHI_BIG_BODY, NULL},
	/* stock */
	{"POST", "/api/v1/stock/movements", catalog_movements_create, USER_JSON, "stock.write"},
	{"GET", "/api/v1/stock/movements", catalog_movements_list, BAHI_AUTH, "stock.read"},
	/* suppliers and their invoices */
	{"GET", "/api/v1/suppliers", catalog_suppliers_list, BAHI_AUTH, "catalog.read"},
	{"POST", "/api/v1/suppliers", catalog_suppliers_create, USER_JSON, "catalog.write"},
	{"GET", "/api/v1/suppliers/{id}", catalog_suppliers_get, BAHI_AUTH, "catalog.read"},
	{"PATCH", "/api/v1/suppliers/{id}", catalog_suppliers_patch, USER_JSON, "catalog.write"},
	{"DELETE", "/api/v1/suppliers/{id}", catalog_suppliers_delete, BAHI_AUTH, "catalog.delete"},
	{"POST", "/api/v1/supplier-invoices", catalog_supplier_invoice_upload,
	 BAHI_AUTH | BAHI_BIG_BODY, "stock.write"},
	{"GET", "/api/v1/supplier-invoices/{id}", catalog_supplier_invoice_get, BAHI_AUTH,
	 "stock.read"},
	{"POST", "/api/v1/supplier-invoices/{id}/confirm", catalog_supplier_invoice_confirm,
	 USER_JSON, "stock.write"},
	/* batches */
	{"GET", "/api/v1/batches", catalog_batches_list, BAHI_AUTH, "stock.read"},
	{"POST", "/api/v1/batches", catalog_batches_create, USER_JSON, "stock.write"},
	{"GET", "/api/v1/batches/{id}", catalog_batches_get, BAHI_AUTH, "stock.read"},
	{"PATCH", "/api/v1/batches/{id}", catalog_batches_patch, USER_JSON, "stock.write"},
};

const bahi_worker_def catalog_worker = {
	.name = "catalog",
	.routes = catalog_routes,
	.nroutes = sizeof(catalog_routes) / sizeof(catalog_routes[0]),
	.authenticate = bahi_session_authenticate,
	.authorize = bahi_session_authorize,
	.settle = bahi_session_settle,
	.process_init = bahi_session_process_init,
};
