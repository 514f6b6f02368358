/* catalog_stock.c: HTTP handlers for stock movements (placeholder) */
#include "catalog.h"

#include "bahi_req.h"

int
catalog_movements_create(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_movements_list(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

