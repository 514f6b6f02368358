/* bahi_invoice_pdf: loads an issued invoice into bahi_pdf and renders it; signs and checks the links that share it. */
#include "bahi_invoice_pdf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "bahi_buf.h"
#include "bahi_config.h"
#include "bahi_date.h"
#include "bahi_db.h"
#include "bahi_log.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_pdf.h"
#include "bahi_remind.h"
#include "bahi_req.h"

/* The invoice with its balance, customer and business, one row per line
 * (the header repeats on each: one round trip whatever the line count).
 * Columns 0..17 are the header, 18..21 the line (NULL without lines), 22
 * what credit notes returned. */
static BAHI_STMT(invoice_pdf_rows,
	"SELECT i.number, to_char(i.issued_on, 'YYYY-MM-DD'), i.subtotal, i.discount,"
	" i.tax_rate_bp, i.tax, i.fee, i.total, i.credit_applied, b.paid, b.balance_due,"
	" to_char(b.due_date, 'YYYY-MM-DD'), b.status, c.name, c.phone, z.name, z.language,"
	" z.currency, l.name, (l.qty * 1000)::bigint, l.unit_price, l.line_total,"
	" b.returned FROM invoices i"
	" JOIN invoice_balances b ON b.business_id = i.business_id AND b.invoice_id = i.id"
	" JOIN businesses z ON z.id = i.business_id"
	" LEFT JOIN customers c ON c.business_id = i.business_id AND c.id = i.customer_id"
	" LEFT JOIN invoice_lines l ON l.business_id = i.business_id AND l.invoice_id = i.id"
	" WHERE i.business_id = $1 AND i.id = $2"
	" ORDER BY l.line_no");

/* What a share message says: number, total, what is due and by when, the
 * customer's phone, the business's name and currency. */
static BAHI_STMT(invoice_share_row,
	"SELECT i.number, i.total, b.balance_due, to_char(b.due_date, 'YYYY-MM-DD'), c.phone,"
	" z.name, z.currency"
	" FROM invoices i"
	" JOIN invoice_balances b ON b.business_id = i.business_id AND b.invoice_id = i.id"
	" JOIN businesses z ON z.id = i.business_id"
	" LEFT JOIN customers c ON c.business_id = i.business_id AND c.id = i.customer_id"
	" WHERE i.business_id = $1 AND i.id = $2");

#define NOT_FOUND "There is no such invoice."
#define SHARED_PATH "/api/v1/shared/invoices/"

/* A bigint column (never NULL where it is read). */
static int64_t
col_i64(const PGresult *res, int row, int col)
{
	return strtoll(bahi_db_get(res, row, col), NULL, 10);
}

/* A text column, NULL when SQL NULL. */
static const char *
col_opt(const PGresult *res, int row, int col)
{
	return bahi_db_isnull(res, row, col) ? NULL : bahi_db_get(res, row, col);
}

/* Fills inv from the rows of invoice_pdf_rows; lines go into the pool. */
static void
fill_invoice(bahi_req *req, const PGresult *res, bahi_pdf_invoice *inv)
{
	int n = PQntuples(res);
	bahi_pdf_line *lines = bahi_pool_calloc(req->pool, (size_t)n + 1, sizeof(*lines));
	size_t k = 0;
	for (int r = 0; r < n; r++) {
		if (bahi_db_isnull(res, r, 18))
			continue;   /* the LEFT JOIN's row of an invoice without lines */
		lines[k].name = bahi_db_get(res, r, 18);
		lines[k].qty = col_i64(res, r, 19);
		lines[k].unit_price = col_i64(res, r, 20);
		lines[k].line_total = col_i64(res, r, 21);
		k++;
	}
	int64_t due = col_i64(res, 0, 10);
	*inv = (bahi_pdf_invoice){
		.number = bahi_db_get(res, 0, 0),
		.date = bahi_db_get(res, 0, 1),
		.subtotal = col_i64(res, 0, 2),
		.discount = col_i64(res, 0, 3),
		.tax_rate_bp = col_i64(res, 0, 4),
		.tax = col_i64(res, 0, 5),
		.fee = col_i64(res, 0, 6),
		.total = col_i64(res, 0, 7),
		.credit_applied = col_i64(res, 0, 8),
		.paid = col_i64(res, 0, 9),
		.returned = col_i64(res, 0, 22),
		.amount_due = due,
		/* a due date only means something while something is due */
		.due_date = due > 0 ? col_opt(res, 0, 11) : NULL,
		.status = bahi_db_get(res, 0, 12),
		.customer_name = col_opt(res, 0, 13),
		.customer_phone = col_opt(res, 0, 14),
		.business_name = bahi_db_get(res, 0, 15),
		.language = bahi_db_get(res, 0, 16),
		.currency = bahi_db_get(res, 0, 17),
		.lines = lines,
		.nlines = k,
	};
}

int
bahi_invoice_pdf(bahi_req *req, const char *id, int layout, bahi_invoice_pdf_file *out)
{
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec_last(req, &invoice_pdf_rows, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return bahi_fail(req, "not_found", NOT_FOUND);
	bahi_pdf_invoice inv;
	fill_invoice(req, res, &inv);
	unsigned char *pdf = NULL;
	size_t len = 0;
	if (bahi_pdf_render(&inv, layout, &pdf, &len) != 0)
		return bahi_fail(req, "internal_error", "The invoice could not be rendered.");
	bahi_pool_cleanup(req->pool, free, pdf);
	out->data = pdf;
	out->len = len;
	out->number = inv.number;
	return 0;
}

/* ---- share links ------------------------------------------------------ */

void
bahi_invoice_share_sign(const char *secret, const char *business_id, const char *invoice_id,
                        const char *layout, const char *expires,
                        char out[BAHI_SHARE_SIG_LEN + 1])
{
	unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
	/* a key of its own: the same secret also keys nginx's /files/ links */
	crypto_generichash(key, sizeof(key), (const unsigned char *)secret, strlen(secret),
	                   (const unsigned char *)"bahi-invoice-share", 18);
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, sizeof(key));
	/* each value with its NUL: no two lists of values sign the same bytes */
	const char *parts[4] = {business_id, invoice_id, layout, expires};
	for (int i = 0; i < 4; i++)
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)parts[i],
		                              strlen(parts[i]) + 1);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, BAHI_SHARE_SIG_LEN + 1, mac, sizeof(mac),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(key, sizeof(key));
}

int
bahi_invoice_share_check(bahi_req *req, const char *business_id, const char *invoice_id,
                         const char *layout, const char *expires, const char *signature)
{
	const char *secret = bahi_config_get("link_secret");
	char want[BAHI_SHARE_SIG_LEN + 1];
	if (business_id == NULL || invoice_id == NULL || layout == NULL || expires == NULL ||
	    signature == NULL || *secret == '\0' || strlen(signature) != BAHI_SHARE_SIG_LEN)
		return bahi_fail(req, "forbidden", "This link is not valid.");
	bahi_invoice_share_sign(secret, business_id, invoice_id, layout, expires, want);
	if (sodium_memcmp(want, signature, BAHI_SHARE_SIG_LEN) != 0)
		return bahi_fail(req, "forbidden", "This link is not valid.");
	int64_t e;
	if (bahi_num_parse(expires, 0, INT64_C(253402300799), &e, NULL) != 0)
		return bahi_fail(req, "forbidden", "This link is not valid.");
	if ((int64_t)time(NULL) >= e)
		return bahi_fail(req, "link_expired",
		                 "This link has expired; ask the shop for a new one.");
	return 0;
}

/* The share message: "Invoice 42 from <business>: total Rs 219.20[, amount
 * due Rs 159.20 by 2026-12-06]. <pdf_url>". */
static char *
share_text(bahi_req *req, const PGresult *res, const char *url)
{
	const char *currency = bahi_db_get(res, 0, 6);
	const char *sym = bahi_pdf_currency_symbol(currency);
	int dec = bahi_currency_decimals(currency);
	char total[64], due[64];
	bahi_money_format(col_i64(res, 0, 1), dec, sym, ',', total, sizeof(total));
	int64_t owed = col_i64(res, 0, 2);
	const char *by = col_opt(res, 0, 3);
	char *msg = bahi_pool_printf(req->pool, "Invoice %s from %s: total %s",
	                             bahi_db_get(res, 0, 0), bahi_db_get(res, 0, 5), total);
	if (owed > 0) {
		bahi_money_format(owed, dec, sym, ',', due, sizeof(due));
		msg = bahi_pool_printf(req->pool, "%s, amount due %s%s%s", msg, due,
		                       by ? " by " : "", by ? by : "");
	}
	return bahi_pool_printf(req->pool, "%s. %s", msg, url);
}

/* The share_ttl setting in seconds (its default when unreadable). */
static long
share_ttl(void)
{
	int64_t v;
	if (bahi_num_parse(bahi_config_get("share_ttl"), BAHI_SHARE_TTL_MIN, BAHI_SHARE_TTL_MAX,
	                   &v, NULL) != 0)
		return 604800;
	return (long)v;
}

int
bahi_invoice_share(bahi_req *req, const char *id, const char *layout, long ttl, cJSON **out)
{
	const char *secret = bahi_config_get("link_secret");
	if (*secret == '\0') {
		bahi_log_error(req, "cannot sign an invoice link: link_secret is not set");
		return bahi_fail(req, "internal_error", "Sharing links are not configured.");
	}
	const char *p[2] = {req->tx_business, id};
	PGresult *res = bahi_db_exec_last(req, &invoice_share_row, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return bahi_fail(req, "not_found", NOT_FOUND);
	time_t exp = time(NULL) + (ttl > 0 ? ttl : share_ttl());
	char e[24], sig[BAHI_SHARE_SIG_LEN + 1], at[32];
	snprintf(e, sizeof(e), "%lld", (long long)exp);
	bahi_invoice_share_sign(secret, req->tx_business, id, layout, e, sig);
	const char *base = bahi_config_get("public_url");
	size_t blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	char *url = bahi_pool_printf(req->pool, "%.*s" SHARED_PATH "%s/%s.pdf?layout=%s&e=%s&s=%s",
	                             (int)blen, base, req->tx_business, id, layout, e, sig);
	char *wa = bahi_whatsapp_url(req->pool, col_opt(res, 0, 4), share_text(req, res, url));
	if (wa == NULL)
		return bahi_fail(req, "internal_error", "The share link is too long.");
	bahi_time_rfc3339(exp, at, sizeof(at));
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "pdf_url", url);
	cJSON_AddStringToObject(o, "whatsapp_url", wa);
	cJSON_AddStringToObject(o, "expires_at", at);
	*out = o;
	return 0;
}
