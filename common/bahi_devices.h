/* bahi_devices: signed-in devices: listing, revoking, and pairing a new device by QR code. */
#ifndef BAHI_DEVICES_H
#define BAHI_DEVICES_H

#include <cjson/cJSON.h>

#include "bahi_account.h"
#include "bahi_cursor.h"

struct bahi_req;
struct bahi_pool;

/* Pairing tokens live this long (seconds). */
#define BAHI_PAIRING_TTL 300

/* Each works in the request's transaction and returns 0 (with *out set where
 * there is one), or -1 with a problem. */

/* One page of active (not revoked) devices, oldest first: every device of
 * the business for callers allowed "devices.write", else the caller's own.
 * Items: {"id", "name", "platform", "last_seen_at", "current", "user_id"}. */
int bahi_devices_list(struct bahi_req *req, const bahi_page *pg, cJSON **out);
/* Revokes an active device at once (its next request gets 401): the
 * caller's own, or any of the business's with "devices.write" (else 403). */
int bahi_devices_revoke(struct bahi_req *req, const char *id);
/* Issues a single-use pairing token for the caller, valid BAHI_PAIRING_TTL
 * seconds: {"pairing_token", "expires_at", "qr_svg"}. */
int bahi_devices_pairing_create(struct bahi_req *req, cJSON **out);
/* Redeems a pairing token (no caller yet): scopes the transaction to the
 * token's business and opens a session for its user on dev. An unknown,
 * used or expired token is 401 unauthorized. */
int bahi_devices_pair(struct bahi_req *req, const char *token, const bahi_device_in *dev,
                      cJSON **out);

/* An SVG drawing of a QR code (level M, 4-module quiet zone) encoding text,
 * in the pool; NULL when text cannot be encoded. */
char *bahi_devices_qr_svg(struct bahi_pool *pool, const char *text);

#endif
