/* bahi_invoice_pdf: an issued invoice as a PDF (A4 or receipt), and signed, expiring share links that need no sign-in. */
#ifndef BAHI_INVOICE_PDF_H
#define BAHI_INVOICE_PDF_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct bahi_req;

/* Bounds of a share link's lifetime in seconds (the ttl parameter and the
 * share_ttl setting): one minute to 30 days. */
#define BAHI_SHARE_TTL_MIN 60
#define BAHI_SHARE_TTL_MAX 2592000
/* A share link's signature: the unpadded base64url of an HMAC-SHA256. */
#define BAHI_SHARE_SIG_LEN 43

/* A rendered invoice. data belongs to the request's pool. */
typedef struct bahi_invoice_pdf_file {
	const unsigned char *data;
	size_t len;
	const char *number;     /* the invoice number as printed ("42") */
} bahi_invoice_pdf_file;

/*
 * Loads invoice id of the transaction's business (the invoice, its lines,
 * balance, customer and the business's name, language and currency, in one
 * statement, the transaction's last) and renders it in layout (BAHI_PDF_A4
 * or BAHI_PDF_RECEIPT). 0, or -1 with not_found (also for another
 * business's invoice) or internal_error (rendering failed).
 */
int bahi_invoice_pdf(struct bahi_req *req, const char *id, int layout,
                     bahi_invoice_pdf_file *out);

/* The signature of a share link to invoice_id of business_id in layout
 * ("a4", "receipt") valid until expires ("<unix seconds>"): HMAC-SHA256
 * under a key derived from secret, over the four values, as unpadded
 * base64url into out. */
void bahi_invoice_share_sign(const char *secret, const char *business_id,
                             const char *invoice_id, const char *layout,
                             const char *expires, char out[BAHI_SHARE_SIG_LEN + 1]);

/*
 * GET /invoices/{id}/share: {"pdf_url", "whatsapp_url", "expires_at"}.
 * pdf_url is <public_url>/api/v1/shared/invoices/<business>/<id>.pdf
 * ?layout=<layout>&e=<expiry>&s=<signature> (link_secret signs it),
 * valid for ttl seconds; whatsapp_url is https://wa.me/<the customer's
 * phone digits>?text=<the message, percent-encoded> (no digits for a
 * walk-in sale or a customer without a phone). 0, or -1 with not_found,
 * or internal_error when link_secret is not set.
 */
int bahi_invoice_share(struct bahi_req *req, const char *id, const char *layout, long ttl,
                       cJSON **out);

/*
 * Checks a share link's parts as the request gave them, in constant time,
 * before anything of the business is read: 0 when signature is the link's
 * and it has not expired; -1 with 403 forbidden for a signature that does
 * not match (any part of the link changed, or link_secret unset) and 410
 * link_expired for a genuine link past its expiry.
 */
int bahi_invoice_share_check(struct bahi_req *req, const char *business_id,
                             const char *invoice_id, const char *layout,
                             const char *expires, const char *signature);

#endif
