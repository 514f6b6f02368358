/* auth_activity: HTTP handler for the business's activity log (GET /activity). */
#include "auth.h"

#include "bahi_activity.h"
#include "bahi_cursor.h"
#include "bahi_req.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const bahi_field list_fields[] = {BAHI_PAGE_FIELDS};

int
auth_activity_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	cJSON *out;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0 ||
	    bahi_activity_list(req, &pg, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
