/* bahi_idem: Idempotency-Key storage and replay for POST requests. */
#ifndef BAHI_IDEM_H
#define BAHI_IDEM_H

struct bahi_req;

/* Inside the request's transaction, claims req->idem_key for this request.
 * A concurrent request with the same key waits on the claim until the first
 * commits, then replays its stored response. Returns 0 to run the handler,
 * 1 when req now holds the stored response, -1 with a problem (another body:
 * 422 idempotency_key_reused; a malformed key: 400). */
int bahi_idem_claim(struct bahi_req *req);
/* Stores the response of a claimed request (before commit). 0 or -1. */
int bahi_idem_store(struct bahi_req *req);

/* Gives up a claimed key without a stored response, for a failing request
 * whose bookkeeping is committed anyway (keep_changes): a retry then runs
 * again instead of finding a claim that never completes. 0 or -1. */
int bahi_idem_release(struct bahi_req *req);

#endif
