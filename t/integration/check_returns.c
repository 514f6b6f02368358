/* check_returns: voids and credit notes through nginx: stock, debt and customer balances put back exactly, partial returns adding up to the invoice, refusals changing nothing, roles and tenancy. */
#include <check.h>
#include <pthread.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define INVOICES "/api/v1/invoices"
#define ID_LEN (BAHI_UUID_LEN + 1)

/* A: the business under test; B: another business; a clerk of A. */
static bt_session owner_a, owner_b, clerk_a;

/* ---- helpers */

/* A simple product of s's business with stock, its cost half its price. */
static void
product_new(const bt_session *s, const char *name, long price, long stock, char out[ID_LEN])
{
	bt_product_stocked(s, name, price, price / 2, stock, out);
}

/* GET /products/{id} available_qty. */
static double
available(const bt_session *s, const char *product)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/products/%s", product);
	bt_resp r = bt_get_ok(s, path);
	double v = bt_at_num(&r, "available_qty");
	bt_free(&r);
	return v;
}

#define ck_available(s, p, q) ck_assert_double_eq_tol(available((s), (p)), (q), 1e-9)

/* POST /invoices as s; asserts an issued invoice and its total; the id into out. */
static void
invoice_new(const bt_session *s, const char *body, long total, char out[ID_LEN])
{
	bt_resp r = bt_invoice_issue(s, body, out);
	ck_assert_int_eq(bt_at_int(&r, "total"), total);
	bt_free(&r);
}

/* A sale as s of qty x product at price, no tax, paid_amount paid in mode,
 * to customer c (NULL: a walk-in sale). */
static void
sale(const bt_session *s, const char *c, const char *product, long qty, long price,
     const char *mode, long paid, char out[ID_LEN])
{
	char body[512], cust[64] = "";
	if (c != NULL)
		snprintf(cust, sizeof(cust), "\"customer_id\":\"%s\",", c);
	snprintf(body, sizeof(body), "{%s\"lines\":[{\"product_id\":\"%s\",\"qty\":%ld,"
	         "\"unit_price\":%ld}],\"tax_rate_bp\":0,\"payment_mode\":\"%s\","
	         "\"paid_amount\":%ld}", cust, product, qty, price, mode, paid);
	invoice_new(s, body, qty * price, out);
}

/* A walk-in cash sale of qty x product at price, no tax, paid in full. */
static void
walk_in_sale(const bt_session *s, const char *product, long qty, long price, char out[ID_LEN])
{
	sale(s, NULL, product, qty, price, "cash", qty * price, out);
}

/* GET /invoices/{id} as A: paid, returned, balance_due, status and version as expected. */
static void
expect_invoice(const char *id, long paid, long returned, long due, const char *status,
               long version)
{
	char path[128];
	snprintf(path, sizeof(path), INVOICES "/%s", id);
	bt_resp r = bt_get_ok(&owner_a, path);
	ck_assert_msg(bt_at_int(&r, "paid") == paid && bt_at_int(&r, "returned") == returned &&
	              bt_at_int(&r, "balance_due") == due &&
	              strcmp(bt_str(&r, "status"), status) == 0 &&
	              bt_at_int(&r, "version") == version,
	              "invoice %s: expected paid %ld returned %ld due %ld %s v%ld", r.body, paid,
	              returned, due, status, version);
	bt_free(&r);
}

/* POST /invoices/{id}/void as s with body (NULL: no body). */
static bt_resp
void_invoice(const bt_session *s, const char *id, const char *body)
{
	char path[128];
	snprintf(path, sizeof(path), INVOICES "/%s/void", id);
	if (body == NULL) {
		char auth[2100];
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", s->access);
		const char *h[2] = {auth, NULL};
		return bt_http("POST", path, h, NULL, 0);
	}
	return bt_json("POST", path, s->access, body);
}

/* POST /invoices/{id}/credit-notes as s. */
static bt_resp
credit_note(const bt_session *s, const char *id, const char *body)
{
	char path[128];
	snprintf(path, sizeof(path), INVOICES "/%s/credit-notes", id);
	return bt_json("POST", path, s->access, body);
}

/* GET /invoices/{id}/credit-notes<query> as s. */
static bt_resp
notes_list(const bt_session *s, const char *id, const char *query)
{
	char path[512];
	snprintf(path, sizeof(path), INVOICES "/%s/credit-notes%s", id, query);
	return bt_json("GET", path, s->access, NULL);
}

/* GET /credit-notes/{id} as s. */
static bt_resp
note_get(const bt_session *s, const char *id)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/credit-notes/%s", id);
	return bt_json("GET", path, s->access, NULL);
}

/* s can neither void invoice id nor return one of product against it:
 * both answered status and code. */
static void
cannot_correct(const bt_session *s, const char *id, const char *product, long status,
               const char *code)
{
	char body[256];
	bt_expect_problem(void_invoice(s, id, "{}"), status, code);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}]}", product);
	bt_expect_problem(credit_note(s, id, body), status, code);
}

/* A credit note of body against invoice as A that must be issued (201). */
static bt_resp
note_ok(const char *invoice, const char *body)
{
	bt_resp r = credit_note(&owner_a, invoice, body);
	ck_assert_msg(r.status == 201, "credit note %s: %ld %s", body, r.status, r.body);
	return r;
}

/* A return of qty (JSON text) of one product that must be issued (201). */
static bt_resp
return_ok(const char *invoice, const char *product, const char *qty, const char *extra)
{
	char body[512];
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":%s}]%s}", product,
	         qty, extra ? extra : "");
	return note_ok(invoice, body);
}

/* A credit note's figures as expected. */
static void
expect_note(const bt_resp *r, long subtotal, long discount, long tax, long fee, long total,
            long debt, long credit, long refunded, const char *refund_to)
{
	ck_assert_msg(bt_at_int(r, "subtotal") == subtotal && bt_at_int(r, "discount") == discount &&
	              bt_at_int(r, "tax") == tax && bt_at_int(r, "fee") == fee &&
	              bt_at_int(r, "total") == total && bt_at_int(r, "debt_reduced") == debt &&
	              bt_at_int(r, "credit_restored") == credit &&
	              bt_at_int(r, "refunded") == refunded &&
	              strcmp(bt_at_str(r, "refund_to"), refund_to) == 0,
	              "credit note %s: expected %ld %ld %ld %ld %ld / %ld %ld %ld %s", r->body,
	              subtotal, discount, tax, fee, total, debt, credit, refunded, refund_to);
}

/* The "void" member of a void answer as expected. */
static void
expect_void(const bt_resp *r, long debt, long credit, long refunded, const char *refund_to)
{
	ck_assert_msg(r->status == 200, "void: %ld %s", r->status, r->body);
	ck_assert_str_eq(bt_at_str(r, "status"), "void");
	ck_assert_int_eq(bt_at_int(r, "balance_due"), 0);
	ck_assert_msg(bt_at_int(r, "void.debt_cancelled") == debt &&
	              bt_at_int(r, "void.credit_restored") == credit &&
	              bt_at_int(r, "void.refunded") == refunded &&
	              strcmp(bt_at_str(r, "void.refund_to"), refund_to) == 0,
	              "void %s: expected %ld %ld %ld %s", r->body, debt, credit, refunded, refund_to);
	ck_assert_int_eq(strlen(bt_at_str(r, "void.created_at")), 20);
	ck_assert_ptr_null(bt_at(r, "debt_status"));
}

/* Stock movements of kind recorded for the document ref_id. */
static long
movements_for(const char *kind, const char *ref_type, const char *ref_id)
{
	const char *p[3] = {kind, ref_type, ref_id};
	return bt_super_long("SELECT count(*) FROM stock_ledger WHERE kind = $1"
	                     " AND ref_type = $2 AND ref_id = $3", 3, p);
}

static long
change_count(const char *entity, const char *id)
{
	const char *p[2] = {entity, id};
	return bt_super_long("SELECT count(*) FROM change_entries WHERE entity = $1 AND entity_id = $2",
	                     2, p);
}

static long
notes_of(const char *invoice)
{
	const char *p[1] = {invoice};
	return bt_super_long("SELECT count(*) FROM credit_notes WHERE invoice_id = $1", 1, p);
}

/* ---- voids */

/* A walk-in cash sale voided: its stock comes back, the cash is refunded;
 * it cannot be voided again or returned against. */
START_TEST(void_of_a_walk_in_cash_sale)
{
	char p[ID_LEN], inv[ID_LEN], path[128];
	product_new(&owner_a, "Tea", 2500, 10, p);
	walk_in_sale(&owner_a, p, 3, 2500, inv);
	ck_available(&owner_a, p, 7);

	/* a walk-in sale can only be refunded in cash */
	bt_resp r = void_invoice(&owner_a, inv, "{\"refund_to\":\"credit\"}");
	bt_assert_field(&r, "refund_to", "no_customer");
	ck_assert_str_eq(bt_at_str(&r, "errors.0.message"),
	                 "A walk-in sale can only be refunded in cash.");
	bt_free(&r);
	ck_available(&owner_a, p, 7);
	expect_invoice(inv, 7500, 0, 0, "paid", 1);

	r = void_invoice(&owner_a, inv, NULL);
	expect_void(&r, 0, 0, 7500, "cash");
	ck_assert(cJSON_IsNull(bt_at(&r, "void.reason")));
	ck_assert_int_eq(bt_at_int(&r, "paid"), 7500);
	ck_assert_int_eq(bt_at_int(&r, "total"), 7500);
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	ck_available(&owner_a, p, 10);
	expect_invoice(inv, 7500, 0, 0, "void", 2);
	ck_assert_int_eq(movements_for("void", "invoice", inv), 1);
	/* the ledger: the sale's line carries its movement (0016), the void is a
	 * row; together they add up to the stock */
	const char *pp[1] = {p};
	char *ledger = bt_super_value("SELECT string_agg(kind || ' ' || trim_scale(qty) || ' '"
	                              " || trim_scale(stock_after), ', ' ORDER BY created_at) || ' = '"
	                              " || trim_scale(sum(qty)) FROM stock_ledger WHERE product_id = $1",
	                              1, pp);
	ck_assert_str_eq(ledger, "in 10 10, sale -3 7, void 3 10 = 10");
	free(ledger);
	char *log = bt_changes_of("invoice", inv);
	ck_assert_str_eq(log, "upsert1,upsert2");
	free(log);
	const char *q[3] = {owner_a.business_id, inv};
	char *row = bt_super_value("SELECT debt_cancelled || '|' || credit_restored || '|' ||"
	                           " refunded || '|' || refund_to || '|' || (user_id IS NOT NULL)"
	                           " FROM invoice_voids WHERE business_id = $1 AND invoice_id = $2",
	                           2, q);
	ck_assert_str_eq(row, "0|0|7500|cash|true");
	free(row);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log a JOIN invoices i"
	                               " ON i.business_id = a.business_id AND i.number::text = a.target"
	                               " WHERE a.business_id = $1 AND i.id = $2"
	                               " AND a.action = 'invoice_voided'", 2, q), 1);

	/* twice: 409, nothing changes */
	cannot_correct(&owner_a, inv, p, 409, "conflict");
	ck_available(&owner_a, p, 10);
	expect_invoice(inv, 7500, 0, 0, "void", 2);
	ck_assert_int_eq(notes_of(inv), 0);
	/* the invoice itself still cannot be changed */
	snprintf(path, sizeof(path), INVOICES "/%s", inv);
	bt_expect_problem(bt_json("DELETE", path, owner_a.access, NULL), 409, "invoice_immutable");
}
END_TEST

/* A credit sale partly paid at the sale and more by POST /payments, voided:
 * the debt is cancelled and everything paid comes back as credit (the
 * default for a customer). */
START_TEST(void_of_a_credit_sale_paid_later)
{
	char p[ID_LEN], c[ID_LEN], inv[ID_LEN], body[512];
	product_new(&owner_a, "Battery", 10000, 10, p);
	bt_customer_new(&owner_a, "Bashir", NULL, c);
	/* the seed's sale: 2 x 100.00, 10%, 19%, 5.00 fee = 219.20; 50.00 paid */
	snprintf(body, sizeof(body), "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\","
	         "\"qty\":2,\"unit_price\":10000}],\"discount_bp\":1000,\"tax_rate_bp\":1900,"
	         "\"fee\":500,\"payment_mode\":\"credit\",\"paid_amount\":5000}", c, p);
	invoice_new(&owner_a, body, 21920, inv);
	expect_invoice(inv, 5000, 0, 16920, "partially_paid", 1);
	bt_expect_customer(&owner_a, c, 0, 0, 16920);
	ck_available(&owner_a, p, 8);
	bt_pay_ok(&owner_a, c, 6000, inv, NULL);
	expect_invoice(inv, 11000, 0, 10920, "partially_paid", 2);
	bt_expect_customer(&owner_a, c, 0, 0, 10920);
	long customer_changes = change_count("customer", c);

	char path[128];
	snprintf(path, sizeof(path), INVOICES "/%s", inv);
	bt_resp r = bt_get_ok(&owner_a, path);
	ck_assert_ptr_null(bt_at(&r, "void"));
	bt_free(&r);
	r = void_invoice(&owner_a, inv, "{\"reason\":\"Wrong customer\"}");
	expect_void(&r, 10920, 0, 11000, "credit");
	ck_assert_str_eq(bt_at_str(&r, "void.reason"), "Wrong customer");
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	/* GET answers the void invoice with its void record, as the void did */
	bt_resp got = bt_get_ok(&owner_a, path);
	ck_assert_str_eq(got.body, r.body);
	bt_free(&got);
	bt_free(&r);
	expect_invoice(inv, 11000, 0, 0, "void", 3);
	bt_expect_customer(&owner_a, c, 0, 11000, 0);
	ck_available(&owner_a, p, 10);
	ck_assert_int_eq(change_count("customer", c), customer_changes + 1);
	char *log = bt_changes_of("invoice", inv);
	ck_assert_str_eq(log, "upsert1,upsert2,upsert3");
	free(log);
	/* a void invoice is not listed as an open debt and takes no payment */
	snprintf(body, sizeof(body), INVOICES "?customer_id=%s&status=void", c);
	r = bt_get_ok(&owner_a, body);
	ck_assert_int_eq(bt_list_has(&r, inv), 1);
	bt_free(&r);
}
END_TEST

/* Sales that consumed the customer's credit: a void gives that credit back
 * (and refunds in cash when asked); credit notes reduce the debt first,
 * then restore the credit, then refund. */
START_TEST(corrections_restore_consumed_credit)
{
	char p[ID_LEN], c[ID_LEN], inv[ID_LEN], inv2[ID_LEN];
	product_new(&owner_a, "Lamp", 6000, 10, p);
	bt_customer_new(&owner_a, "Chaudhry", NULL, c);
	bt_pay_ok(&owner_a, c, 5000, NULL, NULL);
	bt_expect_customer(&owner_a, c, 0, 5000, 0);
	sale(&owner_a, c, p, 1, 12000, "credit", 0, inv);
	expect_invoice(inv, 0, 0, 7000, "partially_paid", 1);
	bt_expect_customer(&owner_a, c, 0, 0, 7000);
	bt_resp r = void_invoice(&owner_a, inv, "{\"refund_to\":\"cash\",\"reason\":null}");
	expect_void(&r, 7000, 5000, 0, "cash");
	bt_free(&r);
	bt_expect_customer(&owner_a, c, 0, 5000, 0);
	ck_available(&owner_a, p, 10);

	/* 2 x 60.00 on credit: 50.00 of credit used, 70.00 due; 20.00 paid later */
	sale(&owner_a, c, p, 2, 6000, "credit", 0, inv2);
	bt_expect_customer(&owner_a, c, 0, 0, 7000);
	bt_pay_ok(&owner_a, c, 2000, inv2, NULL);
	expect_invoice(inv2, 2000, 0, 5000, "partially_paid", 2);
	bt_expect_customer(&owner_a, c, 0, 0, 5000);
	ck_available(&owner_a, p, 8);

	/* one back: 60.00 = the 50.00 still due + 10.00 of the credit */
	r = return_ok(inv2, p, "1", NULL);
	expect_note(&r, 6000, 0, 0, 0, 6000, 5000, 1000, 0, "credit");
	ck_assert_str_eq(bt_at_str(&r, "invoice.status"), "paid");
	ck_assert_int_eq(bt_at_int(&r, "invoice.returned"), 6000);
	ck_assert_int_eq(bt_at_int(&r, "invoice.balance_due"), 0);
	bt_free(&r);
	expect_invoice(inv2, 2000, 6000, 0, "paid", 3);
	bt_expect_customer(&owner_a, c, 0, 1000, 0);
	ck_available(&owner_a, p, 9);
	/* the other, refunded in cash: the other 40.00 of credit + the 20.00 paid */
	r = return_ok(inv2, p, "1", ",\"refund_to\":\"cash\"");
	expect_note(&r, 6000, 0, 0, 0, 6000, 0, 4000, 2000, "cash");
	bt_free(&r);
	expect_invoice(inv2, 2000, 12000, 0, "paid", 4);
	bt_expect_customer(&owner_a, c, 0, 5000, 0);
	ck_available(&owner_a, p, 10);

	/* voiding what is fully returned moves nothing more */
	r = void_invoice(&owner_a, inv2, NULL);
	expect_void(&r, 0, 0, 0, "credit");
	bt_free(&r);
	bt_expect_customer(&owner_a, c, 0, 5000, 0);
	ck_available(&owner_a, p, 10);
	ck_assert_int_eq(movements_for("void", "invoice", inv2), 0);
}
END_TEST

/* A customer deleted after a cash sale that used their credit: a return and
 * a void hand that credit back in cash, with the rest (no one to hold it). */
START_TEST(deleted_customer_credit_is_refunded)
{
	char p[ID_LEN], c[ID_LEN], inv[ID_LEN];
	product_new(&owner_a, "Kettle", 5000, 10, p);
	bt_customer_new(&owner_a, "Gone Soon", NULL, c);
	bt_pay_ok(&owner_a, c, 3000, NULL, NULL);
	/* 2 x 50.00 cash: 30.00 of credit used, 70.00 paid now */
	sale(&owner_a, c, p, 2, 5000, "cash", 7000, inv);
	bt_expect_customer(&owner_a, c, 0, 0, 0);
	bt_customer_delete(&owner_a, c);
	/* one back: 50.00, all of it refunded in cash, no credit restored */
	bt_resp r = return_ok(inv, p, "1", NULL);
	expect_note(&r, 5000, 0, 0, 0, 5000, 0, 0, 5000, "cash");
	bt_free(&r);
	/* the void refunds the rest: 70.00 paid + 30.00 credit - 50.00 refunded */
	r = void_invoice(&owner_a, inv, NULL);
	expect_void(&r, 0, 0, 5000, "cash");
	bt_free(&r);
	expect_invoice(inv, 7000, 5000, 0, "void", 3);
	ck_available(&owner_a, p, 10);
	PGconn *db = bt_db(bt_get()->super_url);
	const char *pc[1] = {c};
	PGresult *res = bt_sql(db, "SELECT credit_balance FROM customers WHERE id = $1", 1, pc);
	ck_assert_str_eq(PQgetvalue(res, 0, 0), "0");
	PQclear(res);
	PQfinish(db);
}
END_TEST

/* A composite product's components come back, by credit note and by void. */
START_TEST(composite_components_come_back)
{
	char frame[ID_LEN], wheel[ID_LEN], chair[ID_LEN], inv[ID_LEN], comps[256];
	product_new(&owner_a, "Frame", 2000, 10, frame);
	product_new(&owner_a, "Wheel", 500, 40, wheel);
	snprintf(comps, sizeof(comps), "[{\"product_id\":\"%s\",\"qty\":1},"
	         "{\"product_id\":\"%s\",\"qty\":4}]", frame, wheel);
	bt_product_new(&owner_a, "Chair", 5000, 4000, comps, chair);
	ck_available(&owner_a, chair, 10);
	walk_in_sale(&owner_a, chair, 3, 5000, inv);
	ck_available(&owner_a, frame, 7);
	ck_available(&owner_a, wheel, 28);
	ck_available(&owner_a, chair, 7);

	bt_resp r = return_ok(inv, chair, "1", NULL);
	expect_note(&r, 5000, 0, 0, 0, 5000, 0, 0, 5000, "cash");
	ck_assert_str_eq(bt_at_str(&r, "lines.0.name"), "Chair");
	char note[ID_LEN];
	snprintf(note, sizeof(note), "%s", bt_str(&r, "id"));
	bt_free(&r);
	ck_available(&owner_a, frame, 8);
	ck_available(&owner_a, wheel, 32);
	ck_available(&owner_a, chair, 8);
	ck_assert_int_eq(movements_for("return", "credit_note", note), 2);
	expect_invoice(inv, 15000, 5000, 0, "paid", 2);

	r = void_invoice(&owner_a, inv, "{}");
	expect_void(&r, 0, 0, 10000, "cash");
	bt_free(&r);
	ck_available(&owner_a, frame, 10);
	ck_available(&owner_a, wheel, 40);
	ck_available(&owner_a, chair, 10);
	ck_assert_int_eq(movements_for("void", "invoice", inv), 2);
	expect_invoice(inv, 15000, 5000, 0, "void", 3);
}
END_TEST

/* ---- credit notes */

/* A note's id into out; its number. */
static long
note_id(const bt_resp *r, char out[ID_LEN])
{
	snprintf(out, ID_LEN, "%s", bt_str(r, "id"));
	return bt_at_int(r, "number");
}

/* A return body against inv refused for more than was sold: 422 on field,
 * the message saying "<left> may still be returned". */
static void
exceeds_sold(const char *inv, const char *body, const char *field, const char *left)
{
	char msg[128];
	bt_resp r = credit_note(&owner_a, inv, body);
	bt_assert_field(&r, field, "exceeds_sold");
	snprintf(msg, sizeof(msg), "Exceeds what was sold: %s may still be returned.", left);
	ck_assert_str_eq(bt_at_str(&r, "errors.0.message"), msg);
	bt_free(&r);
}

/* After the three returns of partial_returns_add_up_to_the_invoice: nothing
 * is left to return; the notes listed newest first, in pages; one read. */
static void
expect_note_reads(const char *inv, const char *ghee, char ids[3][ID_LEN], long number1)
{
	char body[256], query[200];
	/* nothing is left to return */
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":0.001}]}", ghee);
	exceeds_sold(inv, body, "lines[0].qty", "0 of Ghee");

	/* the list, newest first, in pages */
	bt_resp r = notes_list(&owner_a, inv, "");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 3);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), ids[2]);
	ck_assert_str_eq(bt_at_str(&r, "items.2.id"), ids[0]);
	ck_assert_int_eq(bt_at_int(&r, "items.1.total"), 3568);
	ck_assert_int_eq(bt_at_int(&r, "items.1.lines.1.line_total"), 2999);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
	r = notes_list(&owner_a, inv, "?limit=2");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 2);
	snprintf(query, sizeof(query), "?limit=2&cursor=%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);
	r = notes_list(&owner_a, inv, query);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 1);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), ids[0]);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
	/* one, as the clerk (who may read) */
	r = note_get(&clerk_a, ids[1]);
	ck_assert_int_eq(r.status, 200);
	expect_note(&r, 3332, 334, 570, 0, 3568, 3568, 0, 0, "credit");
	ck_assert_int_eq(bt_at_int(&r, "number"), number1);
	ck_assert(cJSON_IsNull(bt_at(&r, "reason")));
	ck_assert_ptr_null(bt_at(&r, "invoice"));
	bt_free(&r);
}

/* Returns in three notes of a sale with awkward prices, a discount, tax and
 * a fee: each note's figures exact, the fee only on the last, the totals
 * adding up to the invoice total; numbers consecutive; lists and reads. */
START_TEST(partial_returns_add_up_to_the_invoice)
{
	char soap[ID_LEN], ghee[ID_LEN], c[ID_LEN], inv[ID_LEN], body[768];
	char ids[3][ID_LEN];
	long numbers[3];
	product_new(&owner_a, "Soap", 333, 10, soap);
	product_new(&owner_a, "Ghee", 1999, 10, ghee);
	bt_customer_new(&owner_a, "Dilawar", NULL, c);
	/* 3 x 3.33 + 2.5 x 19.99 = 9.99 + 49.98 = 59.97; 10% = 6.00; 19% of 53.97 = 10.25;
	 * 5.00 fee: 69.22; 20.00 paid */
	snprintf(body, sizeof(body), "{\"customer_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\","
	         "\"qty\":3,\"unit_price\":333},{\"product_id\":\"%s\",\"qty\":2.5,"
	         "\"unit_price\":1999}],\"discount_bp\":1000,\"tax_rate_bp\":1900,\"fee\":500,"
	         "\"payment_mode\":\"credit\",\"paid_amount\":2000}", c, soap, ghee);
	invoice_new(&owner_a, body, 6922, inv);
	expect_invoice(inv, 2000, 0, 4922, "partially_paid", 1);
	bt_expect_customer(&owner_a, c, 0, 0, 4922);

	bt_resp r = return_ok(inv, soap, "1", ",\"reason\":\"Damaged\"");
	expect_note(&r, 333, 33, 57, 0, 357, 357, 0, 0, "credit");
	ck_assert_str_eq(bt_at_str(&r, "reason"), "Damaged");
	ck_assert_str_eq(bt_at_str(&r, "invoice_id"), inv);
	ck_assert_str_eq(bt_at_str(&r, "customer_id"), c);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "lines")), 1);
	ck_assert_str_eq(bt_at_str(&r, "lines.0.product_id"), soap);
	ck_assert_str_eq(bt_at_str(&r, "lines.0.name"), "Soap");
	ck_assert_double_eq(bt_at_num(&r, "lines.0.qty"), 1);
	ck_assert_int_eq(bt_at_int(&r, "lines.0.unit_price"), 333);
	ck_assert_int_eq(bt_at_int(&r, "lines.0.line_total"), 333);
	ck_assert_str_eq(bt_at_str(&r, "invoice.status"), "partially_paid");
	ck_assert_int_eq(strlen(bt_at_str(&r, "issued_on")), 10);
	ck_assert_str_eq(bt_at_str(&r, "issued_on"), bt_at_str(&r, "invoice.issued_on"));
	numbers[0] = note_id(&r, ids[0]);
	bt_free(&r);
	expect_invoice(inv, 2000, 357, 4565, "partially_paid", 2);
	bt_expect_customer(&owner_a, c, 0, 0, 4565);

	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1},"
	         "{\"product_id\":\"%s\",\"qty\":1.5}]}", soap, ghee);
	r = note_ok(inv, body);
	expect_note(&r, 3332, 334, 570, 0, 3568, 3568, 0, 0, "credit");
	ck_assert_int_eq(bt_at_int(&r, "lines.0.line_total"), 333);
	ck_assert_str_eq(bt_at_str(&r, "lines.1.name"), "Ghee");
	ck_assert_double_eq(bt_at_num(&r, "lines.1.qty"), 1.5);
	ck_assert_int_eq(bt_at_int(&r, "lines.1.unit_price"), 1999);
	ck_assert_int_eq(bt_at_int(&r, "lines.1.line_total"), 2999);
	numbers[1] = note_id(&r, ids[1]);
	bt_free(&r);
	expect_invoice(inv, 2000, 3925, 997, "partially_paid", 3);
	bt_expect_customer(&owner_a, c, 0, 0, 997);
	ck_available(&owner_a, soap, 9);
	ck_available(&owner_a, ghee, 9);

	/* the rest: the fee comes back now, the total is what is left */
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1},"
	         "{\"product_id\":\"%s\",\"qty\":1}]}", ghee, soap);
	r = note_ok(inv, body);
	expect_note(&r, 2332, 233, 398, 500, 2997, 997, 0, 2000, "credit");
	ck_assert_int_eq(bt_at_int(&r, "lines.0.line_total"), 1999);
	ck_assert_int_eq(bt_at_int(&r, "lines.1.line_total"), 333);
	numbers[2] = note_id(&r, ids[2]);
	bt_free(&r);
	expect_invoice(inv, 2000, 6922, 0, "paid", 4);
	bt_expect_customer(&owner_a, c, 0, 2000, 0);
	ck_available(&owner_a, soap, 10);
	ck_available(&owner_a, ghee, 10);
	ck_assert_int_eq(numbers[1], numbers[0] + 1);
	ck_assert_int_eq(numbers[2], numbers[1] + 1);
	const char *q[1] = {owner_a.business_id};
	ck_assert_int_eq(bt_super_long("SELECT value FROM business_counters WHERE business_id = $1"
	                               " AND name = 'credit_note_number'", 1, q), numbers[2]);
	char *log = bt_changes_of("credit_note", ids[1]);
	ck_assert_str_eq(log, "upsert1");
	free(log);

	expect_note_reads(inv, ghee, ids, numbers[1]);
}
END_TEST

/* A product sold on two lines at two prices: returned from the first line
 * first; never more than sold; refusals change nothing. */
START_TEST(return_more_than_sold_is_refused)
{
	char p[ID_LEN], inv[ID_LEN], body[512];
	product_new(&owner_a, "Rice", 1000, 10, p);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1,"
	         "\"unit_price\":1000},{\"product_id\":\"%s\",\"qty\":1,\"unit_price\":1200}],"
	         "\"tax_rate_bp\":0,\"payment_mode\":\"cash\",\"paid_amount\":2200}", p, p);
	invoice_new(&owner_a, body, 2200, inv);
	ck_available(&owner_a, p, 8);

	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":2.5}]}", p);
	exceeds_sold(inv, body, "lines[0].qty", "2 of Rice");
	/* two lines of the same product in one request count together */
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1.5},"
	         "{\"product_id\":\"%s\",\"qty\":0.6}]}", p, p);
	exceeds_sold(inv, body, "lines[1].qty", "0.5 of Rice");
	ck_available(&owner_a, p, 8);
	expect_invoice(inv, 2200, 0, 0, "paid", 1);
	ck_assert_int_eq(notes_of(inv), 0);

	bt_resp r = return_ok(inv, p, "1.5", NULL);
	expect_note(&r, 1600, 0, 0, 0, 1600, 0, 0, 1600, "cash");
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "lines")), 2);
	ck_assert_double_eq(bt_at_num(&r, "lines.0.qty"), 1);
	ck_assert_int_eq(bt_at_int(&r, "lines.0.unit_price"), 1000);
	ck_assert_int_eq(bt_at_int(&r, "lines.0.line_total"), 1000);
	ck_assert_double_eq(bt_at_num(&r, "lines.1.qty"), 0.5);
	ck_assert_int_eq(bt_at_int(&r, "lines.1.unit_price"), 1200);
	ck_assert_int_eq(bt_at_int(&r, "lines.1.line_total"), 600);
	bt_free(&r);
	ck_available(&owner_a, p, 9.5);
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":0.501}]}", p);
	exceeds_sold(inv, body, "lines[0].qty", "0.5 of Rice");
	r = return_ok(inv, p, "0.5", NULL);
	expect_note(&r, 600, 0, 0, 0, 600, 0, 0, 600, "cash");
	bt_free(&r);
	expect_invoice(inv, 2200, 2200, 0, "paid", 3);
	ck_available(&owner_a, p, 10);
}
END_TEST

/* A request with one bad member, answered 422 with the field named. */
static void
bad_note(const char *inv, const char *body, const char *field, const char *code)
{
	bt_resp r = credit_note(&owner_a, inv, body);
	if (r.status != 422 || bt_at_str(&r, "errors.0.field") == NULL ||
	    strcmp(bt_at_str(&r, "errors.0.field"), field) != 0)
		ck_abort_msg("%s: %ld %s (expected %s %s)", body, r.status, r.body, field, code);
	bt_assert_field(&r, field, code);
	bt_free(&r);
}

/* Bad input gets a clear error and changes nothing. */
START_TEST(bad_input_changes_nothing)
{
	char p[ID_LEN], other[ID_LEN], inv[ID_LEN], body[512], missing[ID_LEN];
	product_new(&owner_a, "Sugar", 1500, 10, p);
	product_new(&owner_a, "Salt", 500, 10, other);
	walk_in_sale(&owner_a, p, 2, 1500, inv);
	bahi_uuid_v7(missing);
	struct {
		const char *tmpl, *field, *code;
	} cases[] = {
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":0}]}", "lines[0].qty", "must_be_positive"},
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":1.2345}]}", "lines[0].qty",
		 "invalid_quantity"},
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":-1}]}", "lines[0].qty", "invalid_quantity"},
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":\"1\"}]}", "lines[0].qty",
		 "invalid_quantity"},
		{"{\"lines\":[{\"product_id\":\"@S\",\"qty\":1}]}", "lines[0].product_id",
		 "not_on_invoice"},
		{"{\"lines\":[{\"product_id\":\"nope\",\"qty\":1}]}", "lines[0].product_id",
		 "invalid_uuid"},
		{"{\"lines\":[{\"qty\":1}]}", "lines[0].product_id", "required"},
		{"{\"lines\":[5]}", "lines[0]", "must_be_object"},
		{"{\"lines\":[]}", "lines", "too_small"},
		{"{}", "lines", "required"},
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"refund_to\":\"bank\"}", "refund_to",
		 "invalid_choice"},
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"refund_to\":\"credit\"}", "refund_to",
		 "no_customer"},
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"reason\":\"\"}", "reason", "required"},
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":1}],\"id\":\"x\"}", "id", "invalid_uuid"},
		{"{\"lines\":[{\"product_id\":\"@P\",\"qty\":1,\"unit_price\":5}]}",
		 "lines[0].unit_price", "unknown_field"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bt_fill_template(body, sizeof(body), cases[i].tmpl, p, other);
		bad_note(inv, body, cases[i].field, cases[i].code);
	}
	/* an unknown product (no product of the business at all) */
	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}]}", missing);
	bad_note(inv, body, "lines[0].product_id", "not_on_invoice");

	bt_expect_field(void_invoice(&owner_a, inv, "{\"refund_to\":\"bank\"}"),
	                "refund_to", "invalid_choice");
	bt_expect_field(void_invoice(&owner_a, inv, "{\"reason\":\"x\",\"extra\":1}"),
	                "extra", "unknown_field");
	bt_expect_problem(void_invoice(&owner_a, inv, "{"), 400, "malformed_json");
	/* unknown invoices */
	cannot_correct(&owner_a, missing, p, 404, "not_found");
	cannot_correct(&owner_a, "not-a-uuid", p, 404, "not_found");
	bt_expect_problem(notes_list(&owner_a, missing, ""), 404, "not_found");
	bt_expect_problem(note_get(&owner_a, missing), 404, "not_found");
	bt_expect_problem(bt_json("GET", "/api/v1/credit-notes", owner_a.access, NULL),
	                  404, "not_found");

	ck_available(&owner_a, p, 8);
	ck_available(&owner_a, other, 10);
	expect_invoice(inv, 3000, 0, 0, "paid", 1);
	ck_assert_int_eq(notes_of(inv), 0);
	ck_assert_int_eq(movements_for("return", "credit_note", inv), 0);
}
END_TEST

/* Another business's invoices and credit notes are not found, and nothing of theirs changes. */
START_TEST(other_business_is_not_found)
{
	char pb[ID_LEN], inv_b[ID_LEN], body[256], note[ID_LEN];
	product_new(&owner_b, "Flour", 800, 10, pb);
	walk_in_sale(&owner_b, pb, 2, 800, inv_b);
	cannot_correct(&owner_a, inv_b, pb, 404, "not_found");
	bt_expect_problem(notes_list(&owner_a, inv_b, ""), 404, "not_found");
	ck_available(&owner_b, pb, 8);

	snprintf(body, sizeof(body), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}]}", pb);
	bt_resp r = credit_note(&owner_b, inv_b, body);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_int_eq(bt_at_int(&r, "number"), 1);
	snprintf(note, sizeof(note), "%s", bt_str(&r, "id"));
	bt_free(&r);
	bt_expect_problem(note_get(&owner_a, note), 404, "not_found");
	r = note_get(&owner_b, note);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	ck_available(&owner_b, pb, 9);
}
END_TEST

/* Corrections move money back: a clerk may read them but not make them. */
START_TEST(clerk_cannot_correct)
{
	char p[ID_LEN], inv[ID_LEN];
	product_new(&owner_a, "Matches", 100, 10, p);
	walk_in_sale(&owner_a, p, 2, 100, inv);
	cannot_correct(&clerk_a, inv, p, 403, "forbidden");
	bt_resp r = notes_list(&clerk_a, inv, "");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 0);
	bt_free(&r);
	ck_available(&owner_a, p, 8);
	expect_invoice(inv, 200, 0, 0, "paid", 1);
}
END_TEST

/* A client-supplied id makes a retried return a no-op; on another invoice it is a conflict. */
START_TEST(client_id_retry_is_a_no_op)
{
	char p[ID_LEN], inv[ID_LEN], inv2[ID_LEN], id[ID_LEN], body[512];
	product_new(&owner_a, "Candle", 300, 10, p);
	walk_in_sale(&owner_a, p, 3, 300, inv);
	walk_in_sale(&owner_a, p, 1, 300, inv2);
	bahi_uuid_v7(id);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"lines\":[{\"product_id\":\"%s\",\"qty\":1}]}",
	         id, p);
	bt_resp r = note_ok(inv, body);
	ck_assert_str_eq(bt_str(&r, "id"), id);
	long number = bt_at_int(&r, "number");
	bt_free(&r);
	ck_available(&owner_a, p, 7);
	for (int i = 0; i < 2; i++) {
		r = credit_note(&owner_a, inv, body);
		ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
		ck_assert_int_eq(bt_at_int(&r, "number"), number);
		expect_note(&r, 300, 0, 0, 0, 300, 0, 0, 300, "cash");
		ck_assert_int_eq(bt_at_int(&r, "invoice.returned"), 300);
		bt_free(&r);
	}
	ck_available(&owner_a, p, 7);
	expect_invoice(inv, 900, 300, 0, "paid", 2);
	bt_expect_problem(credit_note(&owner_a, inv2, body), 409, "conflict");
	ck_assert_int_eq(notes_of(inv2), 0);
	ck_available(&owner_a, p, 7);
}
END_TEST

/* ---- concurrency */

#define RETURNERS 8
#define PAYERS 4

typedef struct race_job {
	const char *path, *body;
	long want;              /* the status counted in ok */
	long refuse;            /* the status counted in refused */
	long ok, refused, other;
	char first_other[512];
} race_job;

static void *
race_thread(void *arg)
{
	race_job *j = arg;
	bt_resp r = bt_json("POST", j->path, owner_a.access, j->body);
	if (r.status == j->want)
		j->ok++;
	else if (r.status == j->refuse)
		j->refused++;
	else if (j->other++ == 0)
		snprintf(j->first_other, sizeof(j->first_other), "%ld %s", r.status, r.body);
	bt_free(&r);
	return NULL;
}

/* Runs n jobs at once; the number that got their status. */
static long
race(race_job *jobs, int n, long *refused)
{
	pthread_t t[RETURNERS + PAYERS];
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, race_thread, &jobs[i]);
	long ok = 0;
	*refused = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		ck_assert_msg(jobs[i].other == 0, "job %d: %s", i, jobs[i].first_other);
		ok += jobs[i].ok;
		*refused += jobs[i].refused;
	}
	return ok;
}

/* 8 returns of one unit and 4 payments at once on an invoice of 6 units:
 * exactly 6 returns, every payment, no deadlock, and the money adds up
 * whatever the order; 4 voids at once: exactly one. */
START_TEST(concurrent_corrections_add_up)
{
	char p[ID_LEN], c[ID_LEN], inv[ID_LEN], note[256], payment[256], path[160];
	product_new(&owner_a, "Bulb", 1000, 10, p);
	bt_customer_new(&owner_a, "Ejaz", NULL, c);
	sale(&owner_a, c, p, 6, 1000, "credit", 0, inv);
	snprintf(path, sizeof(path), INVOICES "/%s/credit-notes", inv);
	snprintf(note, sizeof(note), "{\"lines\":[{\"product_id\":\"%s\",\"qty\":1}]}", p);
	snprintf(payment, sizeof(payment), "{\"customer_id\":\"%s\",\"amount\":500,"
	         "\"method\":\"cash\",\"invoice_id\":\"%s\"}", c, inv);
	race_job jobs[RETURNERS + PAYERS];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < RETURNERS + PAYERS; i++) {
		int returner = i % 3 != 2;   /* 8 returners, 4 payers, interleaved */
		jobs[i] = (race_job){.path = returner ? path : "/api/v1/payments",
		                     .body = returner ? note : payment, .want = 201,
		                     .refuse = 422};
	}
	long refused;
	ck_assert_int_eq(race(jobs, RETURNERS + PAYERS, &refused), 6 + PAYERS);
	ck_assert_int_eq(refused, RETURNERS - 6);
	/* everything came back. A payment that found the invoice settled went to
	 * credit, so what the invoice was paid depends on the order; the notes
	 * refunded exactly that (as credit): the customer has the 20.00 as credit. */
	const char *q[1] = {inv};
	long allocated = bt_super_long("SELECT coalesce(sum(amount), 0) FROM payment_allocations"
	                               " WHERE invoice_id = $1", 1, q);
	long allocations = bt_super_long("SELECT count(*) FROM payment_allocations"
	                                 " WHERE invoice_id = $1", 1, q);
	expect_invoice(inv, allocated, 6000, 0, "paid", 1 + 6 + allocations);
	ck_assert_int_eq(bt_super_long("SELECT sum(refunded) FROM credit_notes WHERE invoice_id = $1",
	                               1, q), allocated);
	bt_expect_customer(&owner_a, c, 0, 2000, 0);
	ck_available(&owner_a, p, 10);
	ck_assert_int_eq(notes_of(inv), 6);

	char inv2[ID_LEN];
	walk_in_sale(&owner_a, p, 4, 1000, inv2);
	snprintf(path, sizeof(path), INVOICES "/%s/void", inv2);
	for (int i = 0; i < 4; i++)
		jobs[i] = (race_job){.path = path, .body = "{}", .want = 200, .refuse = 409};
	ck_assert_int_eq(race(jobs, 4, &refused), 1);
	ck_assert_int_eq(refused, 3);
	ck_available(&owner_a, p, 10);
	ck_assert_int_eq(movements_for("void", "invoice", inv2), 1);
}
END_TEST

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
}

int
main(void)
{
	bt_start();
	Suite *s = suite_create("returns");
	TCase *t = tcase_create("returns");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, void_of_a_walk_in_cash_sale);
	tcase_add_test(t, void_of_a_credit_sale_paid_later);
	tcase_add_test(t, corrections_restore_consumed_credit);
	tcase_add_test(t, deleted_customer_credit_is_refunded);
	tcase_add_test(t, composite_components_come_back);
	tcase_add_test(t, partial_returns_add_up_to_the_invoice);
	tcase_add_test(t, return_more_than_sold_is_refused);
	tcase_add_test(t, bad_input_changes_nothing);
	tcase_add_test(t, other_business_is_not_found);
	tcase_add_test(t, clerk_cannot_correct);
	tcase_add_test(t, client_id_retry_is_a_no_op);
	tcase_add_test(t, concurrent_corrections_add_up);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
