/* check_invoice_pdf: invoice PDFs (A4, receipt, Urdu, 200 lines over pages) and signed share links through nginx, read back with poppler. */
#include <check.h>

#include "../check_run.h"
#include "../pdf_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bahi_invoice_pdf.h"
#include "harness.h"

#define INVOICES "/api/v1/invoices"
#define SHARED "/api/v1/shared/invoices/"
/* Business A's name: characters a share message must percent-encode. */
#define SHOP_NAME "Ali's Store & Co"
/* ... percent-encoded, as a printf format */
#define SHOP_NAME_ENC "Ali%%27s%%20Store%%20%%26%%20Co"

/* A: the business under test (English); B: another business (Urdu); a clerk of A. */
static bt_session owner_a, owner_b, clerk_a;

/* A's customers: Ali Khan with a phone, an Urdu name without one. */
static char ali[BAHI_UUID_LEN + 1], ali_phone[BT_PHONE_LEN], urdu[BAHI_UUID_LEN + 1];
/* A's product Rice (100.00) with stock; B's product with stock. */
static char rice[BAHI_UUID_LEN + 1], rice_b[BAHI_UUID_LEN + 1];

/* An issued invoice as the API answered it. */
typedef struct invoice {
	char id[BAHI_UUID_LEN + 1];
	long number;
	char issued_on[16], due_date[16];
} invoice;

/* ---- helpers: the stack */

/* POST /invoices with body; asserts an issued invoice and fills inv. */
static void
invoice_new(const bt_session *s, const char *body, invoice *inv)
{
	bt_resp r = bt_invoice_issue(s, body, inv->id);
	inv->number = bt_at_int(&r, "number");
	ck_assert_int_ge(inv->number, 1);
	snprintf(inv->issued_on, sizeof(inv->issued_on), "%s", bt_str(&r, "issued_on"));
	const char *due = bt_at_str(&r, "due_date");
	snprintf(inv->due_date, sizeof(inv->due_date), "%s", due ? due : "");
	bt_free(&r);
}

/* The seed's sale on credit to customer: 2 x 100.00, 10% discount, 19% tax,
 * 5.00 fee = 219.20, 50.00 paid now: 169.20 due. */
static void
seed_invoice(const bt_session *s, const char *product, const char *customer, invoice *inv)
{
	char body[512];
	snprintf(body, sizeof(body),
	         "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\",\"qty\":2,"
	         "\"unit_price\":10000}],\"discount_bp\":1000,\"tax_rate_bp\":1900,\"fee\":500,"
	         "\"payment_mode\":\"credit\",\"paid_amount\":5000}", customer, product);
	invoice_new(s, body, inv);
}

/* The seed's sale by B to a new customer of that name. */
static void
b_seed_invoice(const char *customer_name, invoice *inv)
{
	char cust[BAHI_UUID_LEN + 1];
	bt_customer_new(&owner_b, customer_name, NULL, cust);
	seed_invoice(&owner_b, rice_b, cust, inv);
}

/* A walk-in cash sale of one Rice at 100.00, no tax: paid in full. */
static void
walk_in_invoice(invoice *inv)
{
	char body[512];
	snprintf(body, sizeof(body),
	         "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1,\"unit_price\":10000}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":10000}", rice);
	invoice_new(&owner_a, body, inv);
}

/* GET path as s (NULL: no Authorization header). */
static bt_resp
get(const bt_session *s, const char *path)
{
	if (s == NULL)
		return bt_http("GET", path, NULL, NULL, 0);
	return bt_json("GET", path, s->access, NULL);
}

/* GET /invoices/{id}/pdf<query> as s, asserting a PDF answer. */
static bt_resp
get_pdf(const bt_session *s, const invoice *inv, const char *query)
{
	char path[256], disp[96];
	snprintf(path, sizeof(path), INVOICES "/%s/pdf%s", inv->id, query);
	bt_resp r = get(s, path);
	ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
	ck_assert_str_eq(r.content_type, "application/pdf");
	snprintf(disp, sizeof(disp), "inline; filename=\"invoice-%ld.pdf\"", inv->number);
	ck_assert_str_eq(bt_header(&r, "Content-Disposition"), disp);
	ck_assert_str_eq(bt_header(&r, "Cache-Control"), "private, no-store");
	ck_assert_int_eq(memcmp(r.body, "%PDF-", 5), 0);
	return r;
}

/* ---- helpers: reading PDFs back with poppler */

/* Writes the response body to <stack dir>/<name>.pdf; returns the path. */
static const char *
save(const bt_resp *r, const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s.pdf", bt_get()->dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(r->body, 1, r->len, f), r->len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* GET /invoices/{id}/pdf<query> as s (asserted as get_pdf does), saved as
 * <stack dir>/<name>.pdf; returns the path. */
static const char *
pdf_file(const bt_session *s, const invoice *inv, const char *query, const char *name)
{
	bt_resp r = get_pdf(s, inv, query);
	const char *path = save(&r, name);
	bt_free(&r);
	return path;
}

/* ---- the authenticated PDF */

/* The seed's invoice as printed: number, customer, lines, every total. */
START_TEST(a4_prints_number_customer_and_totals)
{
	invoice inv;
	char want[256];
	seed_invoice(&owner_a, rice, ali, &inv);
	const char *path = pdf_file(&owner_a, &inv, "", "a4_seed");
	double w, h;
	ck_assert_int_eq(pt_info(path, &w, &h), 1);
	ck_assert_double_eq_tol(w, PT_A4_W, 0.01);
	ck_assert_double_eq_tol(h, PT_A4_H, 0.01);
	char *t = pt_text(path, 0);
	ck_assert_str_eq(pt_line(t, "Ali's"), SHOP_NAME " Invoice");
	snprintf(want, sizeof(want), "Invoice No. %ld", inv.number);
	ck_assert_str_eq(pt_line(t, "Invoice No."), want);
	snprintf(want, sizeof(want), "Customer Ali Khan Date %s", inv.issued_on);
	ck_assert_str_eq(pt_line(t, "Customer"), want);
	snprintf(want, sizeof(want), "Phone %s", ali_phone);
	ck_assert_str_eq(pt_line(t, "Phone"), want);
	ck_assert_str_eq(pt_line(t, "Rice"), "Rice 2 Rs 100.00 Rs 200.00");
	ck_assert_str_eq(pt_line(t, "Subtotal"), "Subtotal Rs 200.00");
	ck_assert_str_eq(pt_line(t, "Discount"), "Discount -Rs 20.00");
	ck_assert_str_eq(pt_line(t, "Tax"), "Tax (19%) Rs 34.20");
	ck_assert_str_eq(pt_line(t, "Fee"), "Fee Rs 5.00");
	ck_assert_str_eq(pt_line(t, "Total"), "Total Rs 219.20");
	ck_assert_str_eq(pt_line(t, "Paid"), "Paid Rs 50.00");
	ck_assert_str_eq(pt_line(t, "Amount due"), "Amount due Rs 169.20");
	ck_assert_int_eq(strlen(inv.due_date), 10);
	snprintf(want, sizeof(want), "Due date %s", inv.due_date);
	ck_assert_str_eq(pt_line(t, "Due date"), want);
	ck_assert_str_eq(pt_line(t, "Page"), "Page 1 of 1");
	ck_assert_int_eq(pt_count(t, "PAID"), 0);
	free(t);
}
END_TEST

/* A paid walk-in sale: no customer rows, no due date, the PAID stamp. */
START_TEST(walk_in_cash_sale)
{
	invoice inv;
	walk_in_invoice(&inv);
	ck_assert_str_eq(inv.due_date, "");
	const char *path = pdf_file(&owner_a, &inv, "?layout=a4", "a4_walk_in");
	char *t = pt_text(path, 0);
	ck_assert_int_eq(pt_count(t, "Customer"), 0);
	ck_assert_int_eq(pt_count(t, "Due date"), 0);
	ck_assert_int_eq(pt_count(t, "Tax"), 0);
	ck_assert_str_eq(pt_line(t, "Total"), "Total Rs 100.00");
	ck_assert_str_eq(pt_line(t, "Amount due"), "Amount due Rs 0.00");
	ck_assert_str_eq(pt_line(t, "PAID"), "PAID");
	free(t);
}
END_TEST

/* An Urdu customer name comes out shaped: poppler gives back the Arabic
 * presentation forms in logical order (ain initial, lam medial, farsi yeh
 * final; hah initial, seen medial, noon final). */
START_TEST(urdu_customer_name_is_shaped)
{
	invoice inv;
	char want[256];
	seed_invoice(&owner_a, rice, urdu, &inv);
	const char *path = pdf_file(&owner_a, &inv, "", "a4_urdu_customer");
	char *t = pt_text(path, 0);
	snprintf(want, sizeof(want), "Customer \uFECB\uFEE0\uFBFD \uFEA3\uFEB4\uFEE6 Date %s",
	         inv.issued_on);
	ck_assert_str_eq(pt_line(t, "Customer"), want);
	ck_assert_int_eq(pt_count(t, "Phone"), 0);
	free(t);
}
END_TEST

/* A business whose language is Urdu gets the mirrored Urdu layout. */
START_TEST(urdu_business_layout)
{
	invoice inv;
	char want[256];
	b_seed_invoice("Bilal", &inv);
	const char *path = pdf_file(&owner_b, &inv, "", "a4_urdu_business");
	char *t = pt_text(path, 0);
	/* "انوائس نمبر" (invoice number) right of its value */
	snprintf(want, sizeof(want), "%ld \uFE8D\uFEE7\uFEEE\uFE8D\uFE8B\uFEB2 \uFEE7\uFEE4\uFE92\uFEAE",
	         inv.number);
	ck_assert_str_eq(pt_line(t, want), want);
	/* "کل" (total) right of the amount */
	ck_assert_str_eq(pt_line(t, "Rs 219.20"), "Rs 219.20 \uFB90\uFEDE");
	ck_assert_int_eq(pt_count(t, "Total"), 0);
	free(t);
}
END_TEST

/* The receipt layout: one page, 80 mm wide, the same figures. */
START_TEST(receipt_is_one_page_80mm)
{
	invoice inv;
	char want[64];
	seed_invoice(&owner_a, rice, ali, &inv);
	const char *path = pdf_file(&owner_a, &inv, "?layout=receipt", "receipt");
	double w, h;
	ck_assert_int_eq(pt_info(path, &w, &h), 1);
	ck_assert_double_eq_tol(w, 226.77, 0.01);
	ck_assert_double_eq_tol(w, PT_MM80, 0.01);
	ck_assert_double_lt(h, PT_A4_H);
	char *t = pt_text(path, 0);
	snprintf(want, sizeof(want), "Invoice No. %ld", inv.number);
	ck_assert_str_eq(pt_line(t, "Invoice No."), want);
	ck_assert_str_eq(pt_line(t, "Customer"), "Customer Ali Khan");
	ck_assert_str_eq(pt_line(t, "Item"), "Item Qty Amount");
	ck_assert_str_eq(pt_line(t, "Rice"), "Rice 2 Rs 200.00");
	ck_assert_str_eq(pt_line(t, "Total"), "Total Rs 219.20");
	ck_assert_str_eq(pt_line(t, "Amount due"), "Amount due Rs 169.20");
	ck_assert_int_eq(pt_count(t, "Page "), 0);
	free(t);
}
END_TEST

/* Layouts other than a4 and receipt, unknown parameters, other businesses'
 * invoices, unknown ids, and signing in. */
START_TEST(bad_requests)
{
	invoice inv, inv_b;
	char path[256];
	seed_invoice(&owner_a, rice, ali, &inv);
	const char *bad[] = {"?layout=A4", "?layout=letter"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), INVOICES "/%s/pdf%s", inv.id, bad[i]);
		bt_expect_field(get(&owner_a, path), "layout", "invalid_choice");
	}
	snprintf(path, sizeof(path), INVOICES "/%s/pdf?size=big", inv.id);
	bt_expect_field(get(&owner_a, path), "size", "unknown_parameter");

	/* B's invoice is not A's to see, nor is an unknown or malformed id */
	b_seed_invoice("Other", &inv_b);
	const char *ids[] = {inv_b.id, "0190c2a4-0000-7000-8000-000000000000", "42"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), INVOICES "/%s/pdf", ids[i]);
		bt_expect_problem(get(&owner_a, path), 404, "not_found");
		snprintf(path, sizeof(path), INVOICES "/%s/share", ids[i]);
		bt_expect_problem(get(&owner_a, path), 404, "not_found");
	}
	/* signing in is required; a clerk may read */
	snprintf(path, sizeof(path), INVOICES "/%s/pdf", inv.id);
	bt_expect_problem(get(NULL, path), 401, "unauthorized");
	bt_resp r = get_pdf(&clerk_a, &inv, "");
	bt_free(&r);
	snprintf(path, sizeof(path), INVOICES "/%s/share", inv.id);
	bt_expect_problem(get(NULL, path), 401, "unauthorized");
	bt_expect_problem(bt_json("POST", path, owner_a.access, "{}"), 405, "method_not_allowed");
}
END_TEST

/* ---- 200 lines over several A4 pages */

#define LONG_LINES 200
/* A4 pages the 200-line invoice takes: as many as bahi_pdf's table needs
 * (header block on page 1, a continuation header on the others, totals on
 * the last). A layout change shows up here first. */
#define LONG_PAGES 5

static char long_products[LONG_LINES][BAHI_UUID_LEN + 1];

/* 200 products with stock and one cash invoice selling all of them. */
static void
long_invoice(invoice *inv)
{
	size_t cap = LONG_LINES * 128 + 256, n = 0;
	char *body = malloc(cap);
	long total = 0;
	ck_assert_ptr_nonnull(body);
	n += (size_t)snprintf(body, cap, "{\"lines\":[");
	for (int i = 1; i <= LONG_LINES; i++) {
		char name[16];
		snprintf(name, sizeof(name), "Line %03d", i);
		bt_product_stocked(&owner_a, name, PT_LINE_PRICE(i), 50, 5, long_products[i - 1]);
		n += (size_t)snprintf(body + n, cap - n, "%s{\"product_id\":\"%s\",\"qty\":%ld}",
		                      i > 1 ? "," : "", long_products[i - 1], PT_LINE_QTY(i));
		total += PT_LINE_QTY(i) * PT_LINE_PRICE(i);
	}
	snprintf(body + n, cap - n, "],\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":%ld}",
	         total);
	invoice_new(&owner_a, body, inv);
	free(body);
}

/* Every line once, in order, each with its figures; "Page i of N" on
 * every page; the totals and the last line on the last page. */
START_TEST(a4_200_lines_span_pages)
{
	invoice inv;
	long_invoice(&inv);
	const char *path = pdf_file(&owner_a, &inv, "?layout=a4", "a4_200");
	double w, h;
	int pages = pt_info(path, &w, &h);
	ck_assert_int_eq(pages, LONG_PAGES);
	char *all = pt_text(path, 0);
	ck_assert_int_eq(pt_count(all, "\f"), LONG_PAGES);
	pt_assert_lines(all, LONG_LINES, 1);
	free(all);
	pt_assert_pages(path, LONG_PAGES, inv.number, LONG_LINES);
}
END_TEST

/* ---- share links */

typedef struct share {
	char pdf_url[512], whatsapp_url[4096], expires_at[32];
	char path[512];     /* pdf_url without the base */
	long long e;        /* its expiry */
	char sig[BAHI_SHARE_SIG_LEN + 1];
} share;

/* GET /invoices/{id}/share<query> as A; asserts 200 and fills sh. */
static void
share_of(const invoice *inv, const char *query, share *sh)
{
	char path[256];
	snprintf(path, sizeof(path), INVOICES "/%s/share%s", inv->id, query);
	bt_resp r = get(&owner_a, path);
	ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
	ck_assert_int_eq(cJSON_GetArraySize(r.json), 3);
	snprintf(sh->pdf_url, sizeof(sh->pdf_url), "%s", bt_str(&r, "pdf_url"));
	snprintf(sh->whatsapp_url, sizeof(sh->whatsapp_url), "%s", bt_str(&r, "whatsapp_url"));
	snprintf(sh->expires_at, sizeof(sh->expires_at), "%s", bt_str(&r, "expires_at"));
	bt_free(&r);
	size_t blen = strlen(bt_get()->base);
	ck_assert_int_eq(strncmp(sh->pdf_url, bt_get()->base, blen), 0);
	snprintf(sh->path, sizeof(sh->path), "%s", sh->pdf_url + blen);
	const char *e = strstr(sh->path, "&e="), *s = strstr(sh->path, "&s=");
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(s);
	sh->e = strtoll(e + 3, NULL, 10);
	snprintf(sh->sig, sizeof(sh->sig), "%s", s + 3);
	ck_assert_int_eq(strlen(s + 3), BAHI_SHARE_SIG_LEN);
}

/* A shared-link path for business/invoice/layout/e signed with the stack's secret. */
static void
signed_path(const char *business, const char *invoice_id, const char *layout, long long e,
            char *out, size_t size)
{
	char secret[256], es[24], sig[BAHI_SHARE_SIG_LEN + 1];
	bt_link_secret(secret, sizeof(secret));
	snprintf(es, sizeof(es), "%lld", e);
	bahi_invoice_share_sign(secret, business, invoice_id, layout, es, sig);
	snprintf(out, size, SHARED "%s/%s.pdf?layout=%s&e=%s&s=%s", business, invoice_id, layout,
	         es, sig);
}

/* The link: its exact form, the default lifetime, the same bytes as the
 * signed-in route without any Authorization header, and the exact
 * WhatsApp link to the customer's number. */
START_TEST(share_link_works_without_auth)
{
	invoice inv;
	share sh;
	char want[4096], path[1024];
	seed_invoice(&owner_a, rice, ali, &inv);
	long long now = (long long)time(NULL);
	share_of(&inv, "", &sh);
	/* the default lifetime: share_ttl, 7 days */
	ck_assert_msg(sh.e >= now + 604800 && sh.e <= now + 604800 + 5, "e=%lld now=%lld", sh.e, now);
	snprintf(want, sizeof(want), SHARED "%s/%s.pdf?layout=a4&e=%lld&s=%s", owner_a.business_id,
	         inv.id, sh.e, sh.sig);
	ck_assert_str_eq(sh.path, want);
	char at[32];
	time_t et = (time_t)sh.e;
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&et));
	ck_assert_str_eq(sh.expires_at, at);
	/* the scheme: HMAC-SHA256 under the link secret over business, invoice, layout, expiry */
	signed_path(owner_a.business_id, inv.id, "a4", sh.e, path, sizeof(path));
	ck_assert_str_eq(path, sh.path);

	bt_resp pub = get(NULL, sh.path);
	ck_assert_msg(pub.status == 200, "%ld %s", pub.status, pub.body);
	ck_assert_str_eq(pub.content_type, "application/pdf");
	snprintf(want, sizeof(want), "inline; filename=\"invoice-%ld.pdf\"", inv.number);
	ck_assert_str_eq(bt_header(&pub, "Content-Disposition"), want);
	bt_resp auth = get_pdf(&owner_a, &inv, "");
	ck_assert_uint_eq(pub.len, auth.len);
	ck_assert_int_eq(memcmp(pub.body, auth.body, pub.len), 0);
	bt_free(&auth);
	bt_free(&pub);

	/* a messenger's tracking parameter does not matter */
	snprintf(path, sizeof(path), "%s&fbclid=abc", sh.path);
	pub = get(NULL, path);
	ck_assert_int_eq(pub.status, 200);
	bt_free(&pub);

	snprintf(want, sizeof(want),
	         "https://wa.me/%s?text=Invoice%%20%ld%%20from%%20" SHOP_NAME_ENC
	         "%%3A%%20total%%20Rs%%20219.20%%2C%%20amount%%20due%%20Rs%%20169.20%%20by%%20%s."
	         "%%20http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Fapi%%2Fv1%%2Fshared%%2Finvoices%%2F%s%%2F%s.pdf"
	         "%%3Flayout%%3Da4%%26e%%3D%lld%%26s%%3D%s",
	         ali_phone + 1, inv.number, inv.due_date, bt_get()->port, owner_a.business_id,
	         inv.id, sh.e, sh.sig);
	ck_assert_str_eq(sh.whatsapp_url, want);
}
END_TEST

/* A walk-in sale has no number to send to: WhatsApp's pick-a-chat form.
 * The receipt layout and a given ttl are kept in the link. */
START_TEST(share_walk_in_receipt_with_ttl)
{
	invoice inv;
	share sh;
	char want[4096];
	walk_in_invoice(&inv);
	long long now = (long long)time(NULL);
	share_of(&inv, "?layout=receipt&ttl=600", &sh);
	ck_assert_msg(sh.e >= now + 600 && sh.e <= now + 605, "e=%lld now=%lld", sh.e, now);
	snprintf(want, sizeof(want),
	         "https://wa.me/?text=Invoice%%20%ld%%20from%%20" SHOP_NAME_ENC
	         "%%3A%%20total%%20Rs%%20100.00.%%20http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Fapi%%2Fv1%%2F"
	         "shared%%2Finvoices%%2F%s%%2F%s.pdf%%3Flayout%%3Dreceipt%%26e%%3D%lld%%26s%%3D%s",
	         inv.number, bt_get()->port, owner_a.business_id, inv.id, sh.e, sh.sig);
	ck_assert_str_eq(sh.whatsapp_url, want);
	bt_resp pub = get(NULL, sh.path);
	ck_assert_msg(pub.status == 200, "%ld %s", pub.status, pub.body);
	const char *path = save(&pub, "shared_receipt");
	bt_free(&pub);
	double w, h;
	ck_assert_int_eq(pt_info(path, &w, &h), 1);
	ck_assert_double_eq_tol(w, PT_MM80, 0.01);

	const char *bad[] = {"?ttl=59", "?ttl=2592001", "?ttl=abc", "?layout=pdf"};
	const char *field[] = {"ttl", "ttl", "ttl", "layout"};
	const char *code[] = {"invalid_number", "invalid_number", "invalid_number", "invalid_choice"};
	for (size_t i = 0; i < 4; i++) {
		char p[256];
		snprintf(p, sizeof(p), INVOICES "/%s/share%s", inv.id, bad[i]);
		bt_expect_field(get(&owner_a, p), field[i], code[i]);
	}
}
END_TEST

/* Expect status/code for GET path without auth. */
static void
public_fails(const char *path, long status, const char *code)
{
	bt_resp r = get(NULL, path);
	ck_assert_msg(r.status == status, "%s: %ld %s", path, r.status, r.body);
	bt_assert_problem(&r, status, code);
	bt_free(&r);
}

/* Shared links are rate limited per address by nginx (10 a second, bursts
 * of 50): a rapid run of 80 ends refused with 429 rate_limited, and the
 * bucket refills. Runs last: it spends the address's burst. */
START_TEST(shared_links_are_rate_limited)
{
	char path[256];
	snprintf(path, sizeof(path), SHARED "%s/%s.pdf?layout=a4&e=4102444800&s=x",
	         owner_a.business_id, owner_a.business_id);
	long last = 0;
	for (int i = 0; i < 80; i++) {
		bt_resp r = get(NULL, path);
		last = r.status;
		if (i == 79)
			bt_assert_problem(&r, 429, "rate_limited");
		bt_free(&r);
	}
	ck_assert_int_eq(last, 429);
	sleep(6);
	public_fails(path, 403, "forbidden");
}
END_TEST

/* Changing any part of the link breaks it (403 forbidden); a genuine link
 * past its time is 410 link_expired; a genuine link naming another
 * business's invoice finds nothing (the tenant is the link's). */
START_TEST(share_link_tampering)
{
	invoice inv, other, inv_b;
	share sh;
	char path[1024];
	seed_invoice(&owner_a, rice, ali, &inv);
	walk_in_invoice(&other);
	share_of(&inv, "", &sh);
	const char *q = strchr(sh.path, '?');
	ck_assert_ptr_nonnull(q);

	/* the signature changed in its last character */
	snprintf(path, sizeof(path), "%s", sh.path);
	char *last = path + strlen(path) - 1;
	*last = *last == 'A' ? 'B' : 'A';
	public_fails(path, 403, "forbidden");
	/* another invoice of the same business */
	snprintf(path, sizeof(path), SHARED "%s/%s.pdf%s", owner_a.business_id, other.id, q);
	public_fails(path, 403, "forbidden");
	/* another business */
	snprintf(path, sizeof(path), SHARED "%s/%s.pdf%s", owner_b.business_id, inv.id, q);
	public_fails(path, 403, "forbidden");
	/* the other layout */
	snprintf(path, sizeof(path), SHARED "%s/%s.pdf?layout=receipt&e=%lld&s=%s",
	         owner_a.business_id, inv.id, sh.e, sh.sig);
	public_fails(path, 403, "forbidden");
	/* a later expiry */
	snprintf(path, sizeof(path), SHARED "%s/%s.pdf?layout=a4&e=%lld&s=%s",
	         owner_a.business_id, inv.id, sh.e + 1, sh.sig);
	public_fails(path, 403, "forbidden");
	/* the id in upper case: not the bytes that were signed */
	snprintf(path, sizeof(path), "%s", sh.path);
	for (char *p = path + strlen(SHARED); *p != '/'; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	public_fails(path, 403, "forbidden");
	/* parts missing */
	snprintf(path, sizeof(path), SHARED "%s/%s.pdf?layout=a4&e=%lld", owner_a.business_id,
	         inv.id, sh.e);
	public_fails(path, 403, "forbidden");
	snprintf(path, sizeof(path), SHARED "%s/%s.pdf?e=%lld&s=%s", owner_a.business_id, inv.id,
	         sh.e, sh.sig);
	public_fails(path, 403, "forbidden");
	snprintf(path, sizeof(path), SHARED "%s/%s.pdf", owner_a.business_id, inv.id);
	public_fails(path, 403, "forbidden");
	/* not a PDF name, or no such route */
	snprintf(path, sizeof(path), SHARED "%s/%s%s", owner_a.business_id, inv.id, q);
	public_fails(path, 404, "not_found");
	public_fails(SHARED, 404, "not_found");
	public_fails("/api/v1/shared/invoices", 404, "not_found");

	/* genuine but expired a second ago */
	long long past = (long long)time(NULL) - 1;
	signed_path(owner_a.business_id, inv.id, "a4", past, path, sizeof(path));
	public_fails(path, 410, "link_expired");
	/* genuine, live, but B's invoice under A's business: RLS finds nothing */
	b_seed_invoice("Bashir", &inv_b);
	signed_path(owner_a.business_id, inv_b.id, "a4", past + 600, path, sizeof(path));
	public_fails(path, 404, "not_found");
	/* and the same made right works */
	signed_path(owner_b.business_id, inv_b.id, "a4", past + 600, path, sizeof(path));
	bt_resp r = get(NULL, path);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	bt_free(&r);
	/* the original still works */
	r = get(NULL, sh.path);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
}
END_TEST

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
	bt_business_set(&owner_a, "{\"name\":\"" SHOP_NAME "\"}");
	bt_business_set(&owner_b, "{\"language\":\"ur\"}");
	bt_phone_new(ali_phone);
	bt_customer_new(&owner_a, "Ali Khan", ali_phone, ali);
	bt_customer_new(&owner_a, "علی حسن", NULL, urdu);
	bt_product_stocked(&owner_a, "Rice", 10000, 6000, 1000, rice);
	bt_product_stocked(&owner_b, "Rice", 10000, 6000, 1000, rice_b);
}

int
main(void)
{
	bt_start();
	Suite *s = suite_create("invoice_pdf");
	TCase *t = tcase_create("invoice_pdf");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, a4_prints_number_customer_and_totals);
	tcase_add_test(t, walk_in_cash_sale);
	tcase_add_test(t, urdu_customer_name_is_shaped);
	tcase_add_test(t, urdu_business_layout);
	tcase_add_test(t, receipt_is_one_page_80mm);
	tcase_add_test(t, bad_requests);
	tcase_add_test(t, a4_200_lines_span_pages);
	tcase_add_test(t, share_link_works_without_auth);
	tcase_add_test(t, share_walk_in_receipt_with_ttl);
	tcase_add_test(t, share_link_tampering);
	tcase_add_test(t, shared_links_are_rate_limited);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
