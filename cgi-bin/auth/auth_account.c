/* auth_account: HTTP handlers for the account export (GET /account/export) and deletion (DELETE /account). */
#include "auth.h"

#include "bahi_export.h"
#include "bahi_purge.h"
#include "bahi_req.h"

int
auth_account_export(bahi_req *req)
{
	int fd;
	const char *filename;
	if (bahi_export_archive(req, &fd, &filename) != 0)
		return -1;
	bahi_resp_header(req, "Content-Disposition",
	                 bahi_pool_printf(req->pool, "attachment; filename=\"%s\"", filename));
	bahi_resp_header(req, "Cache-Control", "no-store");
	return bahi_resp_file(req, 200, "application/zip", fd);
}

static const bahi_field delete_fields[] = {
	{"password", BAHI_V_STRING, BAHI_REQUIRED, 1, 1024, NULL, NULL, 0},
};

int
auth_account_delete(bahi_req *req)
{
	bahi_value v[1];
	if (bahi_valid_json(req, req->json, delete_fields, 1, v, "") != 0 ||
	    bahi_purge_business(req, v[0].s) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
