/* bahi_appkey: server-to-server API keys (X-App-Key): created once, stored hashed, revocable. */
#ifndef BAHI_APPKEY_H
#define BAHI_APPKEY_H

#include <cjson/cJSON.h>

struct bahi_req;

/* Creates a key named name for the transaction's business; *out is the
 * record with the plaintext "key", which is never shown again. */
int bahi_appkey_create(struct bahi_req *req, const char *name, cJSON **out);
/* The business's keys (without secrets), newest first. */
int bahi_appkey_list(struct bahi_req *req, cJSON **out);
/* Revokes key id; 404 when it is not the business's. */
int bahi_appkey_revoke(struct bahi_req *req, const char *id);
/* Inside the request's transaction: finds the presented key through the
 * hash look-up policy, scopes the transaction to its business and fills
 * req->auth (role "app"). 0, or -1 with 401 unauthorized. */
int bahi_appkey_authorize(struct bahi_req *req, const char *key);

#endif
