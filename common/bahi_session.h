/* bahi_session: the authenticate and authorize hooks every API worker uses. */
#ifndef BAHI_SESSION_H
#define BAHI_SESSION_H

struct bahi_req;

/* Loads the JWT keys from configuration (once per process). 0 or -1. */
int bahi_session_init(void);
/* process_init hook of the API workers: loads the keys or exits. */
void bahi_session_process_init(void);
/* Verifies the bearer access token without touching the database and fills
 * req->auth. 401 unauthorized or token_expired otherwise. */
int bahi_session_authenticate(struct bahi_req *req);
/* In the request's transaction: the device is not revoked, the user and
 * business still exist, the token's ver is the user's current one (so a
 * password change or revocation ends the session at once), then the role
 * (as stored now, not as in the token) must hold perm. */
int bahi_session_authorize(struct bahi_req *req, const char *perm);

#endif
