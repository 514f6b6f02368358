/* bahi_activity: the append-only activity log (who, what, when, from where). */
#ifndef BAHI_ACTIVITY_H
#define BAHI_ACTIVITY_H

struct bahi_req;

/* Records action ("signin", "signin_failed", "device_revoked"...) on target
 * (may be NULL) with a short detail (may be NULL), by the request's user and
 * device, from its client address, in the transaction's business. 0 or -1. */
int bahi_activity_add(struct bahi_req *req, const char *action, const char *target,
                      const char *detail);

struct bahi_page;
struct cJSON;
/* One page of the business's activity, newest first: {"items": [{"id", "at",
 * "user_id", "device_id", "action", "target", "ip", "detail"}], "next_cursor"}.
 * 0, or -1 with a problem. */
int bahi_activity_list(struct bahi_req *req, const struct bahi_page *pg, struct cJSON **out);

#endif
