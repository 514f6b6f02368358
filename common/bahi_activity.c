/* bahi_activity: appends activity-log rows in the request's transaction. */
#include "bahi_activity.h"

#include "bahi_db.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

static BAHI_STMT(activity_insert,
	"INSERT INTO activity_log (business_id, id, user_id, device_id, action, target, ip, detail)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");

int
bahi_activity_add(bahi_req *req, const char *action, const char *target, const char *detail)
{
	char id[BAHI_UUID_LEN + 1];
	bahi_uuid_v7(id);
	const char *p[8] = {
		req->tx_business, id, req->auth.user_id, req->auth.device_id, action, target,
		bahi_req_param(req, "REMOTE_ADDR"), detail,
	};
	return bahi_db_exec(req, &activity_insert, 8, p) == NULL ? -1 : 0;
}
