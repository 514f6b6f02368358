/* catalog_import.c: HTTP handlers for CSV import and export (placeholder) */
#include "catalog.h"

#include "bahi_req.h"

int
catalog_products_import(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_products_export(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_supplier_invoice_upload(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_supplier_invoice_get(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

int
catalog_supplier_invoice_confirm(bahi_req *req)
{
	return bahi_fail(req, "not_implemented", "Not built yet.");
}

