/* bahi_activity: the append-only activity log (who, what, when, from where). */
#ifndef BAHI_ACTIVITY_H
#define BAHI_ACTIVITY_H

struct bahi_req;

/* Records action ("signin", "signin_failed", "device_revoked"...) on target
 * (may be NULL) with a short detail (may be NULL), by the request's user and
 * device, from its client address, in the transaction's business. 0 or -1. */
int bahi_activity_add(struct bahi_req *req, const char *action, const char *target,
                      const char *detail);

#endif
