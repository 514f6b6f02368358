/* catalog_suppliers.c: HTTP handlers for suppliers (placeholder) */
#include "catalog.h"

#include "bahi_req.h"

int
catalog_suppliers_list(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_suppliers_create(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_suppliers_get(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_suppliers_patch(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_suppliers_delete(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

