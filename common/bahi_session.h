/* bahi_session: the authenticate and authorize hooks every API worker uses. */
#ifndef BAHI_SESSION_H
#define BAHI_SESSION_H

struct bahi_req;
struct bahi_stmt;
struct pg_result;

/* Loads the JWT keys from configuration (once per process). 0 or -1. */
int bahi_session_init(void);
/* process_init hook of the API workers: loads the keys or exits. */
void bahi_session_process_init(void);
/* Verifies the bearer access token without touching the database and fills
 * req->auth. 401 unauthorized or token_expired otherwise. A token verified
 * before in this process is found by a keyed hash and only its times are
 * checked again. */
int bahi_session_authenticate(struct bahi_req *req);
/* The admin panel's authenticate: verifies a web session token (the
 * cookie's value) like an access token and fills req->auth; *expires (when
 * not NULL) receives its exp. 401 unauthorized otherwise. */
int bahi_session_authenticate_web(struct bahi_req *req, const char *token, long *expires);
/* In the request's transaction: the device is not revoked (deleting a user
 * or business revokes theirs), the token's ver is the user's current one (so
 * a password change or revocation ends the session at once), then the role
 * (as stored now, not as in the token) must hold perm. The device row holds
 * its user's role and token version (sql/migrations/0014_device_sessions.sql),
 * so this reads one row. For GET and HEAD, and routes flagged
 * BAHI_CHECK_LATE, the check is deferred to the handler's first statement's
 * round trip (bahi_db_defer); for other writes it is answered before this
 * returns. Marks the device seen, at most once a
 * minute: a read with its check, a write just before its COMMIT. */
int bahi_session_authorize(struct bahi_req *req, const char *perm);

/* The settle hook of the API workers: when the handler failed before any
 * statement carried the check bahi_session_authorize deferred, runs it now;
 * 0 when it passes (the handler's problem stands), -1 with its problem. */
int bahi_session_settle(struct bahi_req *req);

/* The session as bahi_session_authorize checks it, as a statement that
 * also selects cols (a leading comma, then expressions over the caller's
 * device d), for a handler that reads nothing else: with
 * bahi_session_exec_last, one statement both checks the session and reads.
 * One row when the session is live: the role as stored now, whether it is
 * among the roles allowed, whether the device's last_seen_at is due for a
 * refresh (the first BAHI_SESSION_NCOLS columns), then cols. Parameters
 * $1..$5: business, device, user, token version, the roles allowed (a
 * text[], NULL: any). */
#define BAHI_SESSION_SELECT(cols) \
	"SELECT d.user_role, $5::text[] IS NULL OR d.user_role = ANY ($5::text[])," \
	" d.last_seen_at < now() - interval '60 seconds'" cols \
	" FROM devices d" \
	" WHERE d.business_id = $1 AND d.id = $2 AND d.user_id = $3" \
	" AND d.revoked_at IS NULL AND d.token_version = $4::int"
#define BAHI_SESSION_NCOLS 3

/* Runs st (made with BAHI_SESSION_SELECT; it must only read) as the
 * request's last statement (bahi_db_exec_last), in place of the session
 * check bahi_session_authorize deferred: its one row, whose columns from
 * BAHI_SESSION_NCOLS on are the caller's, or NULL with the check's problem
 * (401, 403) or another. */
struct pg_result *bahi_session_exec_last(struct bahi_req *req, struct bahi_stmt *st);

#endif
