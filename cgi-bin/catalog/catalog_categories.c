/* catalog_categories.c: HTTP handlers for categories (placeholder) */
#include "catalog.h"

#include "bahi_req.h"

int
catalog_categories_list(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_categories_create(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_categories_get(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_categories_patch(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_categories_delete(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

