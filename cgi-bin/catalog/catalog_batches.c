/* catalog_batches.c: HTTP handlers for batches (placeholder) */
#include "catalog.h"

#include "bahi_req.h"

int
catalog_batches_list(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_batches_create(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_batches_get(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_batches_patch(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

