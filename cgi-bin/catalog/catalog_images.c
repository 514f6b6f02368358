/* catalog_images.c: HTTP handlers for product images (placeholder) */
#include "catalog.h"

#include "bahi_req.h"

int
catalog_image_request(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_image_delete(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_image_upload(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

