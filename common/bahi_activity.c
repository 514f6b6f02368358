/* bahi_activity: appends activity-log rows in the request's transaction and lists them newest first. */
#include "bahi_activity.h"

#include "bahi_cursor.h"
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

static BAHI_STMT(activity_page,
	"SELECT id, bahi_ts(at) AS at, user_id, device_id, action, target, ip, detail,"
	" (extract(epoch FROM at) * 1000000)::bigint AS cursor_key"
	" FROM activity_log WHERE business_id = $1"
	" AND ($2::bigint IS NULL OR (at, id) <"
	"  (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid))"
	" ORDER BY activity_log.at DESC, activity_log.id DESC LIMIT $4::int");

int
bahi_activity_list(bahi_req *req, const bahi_page *pg, cJSON **out)
{
	return bahi_page_run(req, &activity_page, pg, 0, NULL, out);
}
