/* catalog_products.c: HTTP handlers for products (placeholder) */
#include "catalog.h"

#include "bahi_req.h"

int
catalog_products_list(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_products_create(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_products_get(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_products_patch(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_products_delete(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

