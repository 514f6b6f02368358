/* admin_sales.h: what the new-sale, invoices, invoice and incomplete-sales pages share (admin_sales_routes, admin_invoices_routes). */
#ifndef BAHI_ADMIN_SALES_H
#define BAHI_ADMIN_SALES_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_problem.h"
#include "bahi_tmpl.h"
#include "bahi_totals.h"

struct bahi_req;

/* ---- admin_sale_form.c: the sale being made, as the form posts it */

/* One line of the form (rows are numbered by the form; removed rows leave gaps). */
typedef struct admin_sale_row {
	int index;                /* n of the form's product_n, qty_n, price_n, disc_n */
	const char *product_id;   /* canonical UUID */
	const char *qty_s, *price_s, *disc_s;   /* as typed (price_s NULL: not a field) */
	/* read from the product and the typed values */
	int found;                /* the product is a live product of the business */
	const char *name, *sku, *unit, *available;
	int64_t list_price;       /* the product's price */
	int64_t qty;              /* thousandths, -1: unreadable */
	int64_t unit_price;       /* typed or the product's, -1: unreadable */
	int64_t disc_bp;          /* line discount, 0: none, -1: unreadable */
	int64_t price;            /* unit price after the line discount, -1: unknown */
	int64_t line_total;       /* -1: unknown */
} admin_sale_row;

/* The whole sale. */
typedef struct admin_sale {
	admin_sale_row *rows;
	int nrows, next_index;
	const char *customer_id, *customer_phone, *customer_name;
	const char *discount_s, *discount_kind, *tax_s, *fee_s, *paid_s, *mode, *note;
	int can_price;            /* the caller may type unit prices (prices.write) */
	/* the customer found by id or phone */
	int has_customer;
	const char *found_name, *found_phone;
	int64_t credit_balance;
	/* figures, when every value could be read */
	int computed, settled;
	bahi_totals totals;
	int64_t paid;             /* typed, or the default: cash the amount due, credit 0 */
	bahi_settlement settle;
	int64_t tax_rate_bp;      /* as typed, else the business's */
} admin_sale;

/* The sale the form posted (an empty one for a GET, with ?customer_id=). */
void admin_sale_read(struct bahi_req *req, admin_sale *s);
/* Adds product (a product body) as a line, or one more of it when it is on a line. */
void admin_sale_add(struct bahi_req *req, admin_sale *s, const cJSON *product);
/* Drops the line of form row index. */
void admin_sale_remove(admin_sale *s, int index);
/* In the request's transaction: the products, the customer and the business's
 * tax rate are read, the typed values parsed and the figures computed by the
 * totals rules (bahi_totals_compute, bahi_totals_settle). 0, or -1 with a
 * problem when a read failed. */
int admin_sale_resolve(struct bahi_req *req, admin_sale *s);
/* The POST /api/v1/invoices body of a resolved sale, or NULL with field
 * errors in req->problem (named as the API names them: lines[k].qty...). */
cJSON *admin_sale_body(struct bahi_req *req, const admin_sale *s);

/* Shows p's field errors (when p is not NULL) in d's ERRORS section with
 * the sale form's labels ("Item 2: ..."), and each line's own message in
 * its row dictionary (rows[k], n of them). */
void admin_sale_errors(struct bahi_req *req, bahi_tmpl_dict *d, const bahi_problem *p,
                       bahi_tmpl_dict **rows, int n);

/* admin_reshow for the sale's forms: while page runs, admin_sale_failed()
 * is the failed write's problem (for admin_sale_errors). */
int admin_sale_reshow(struct bahi_req *req, const char *perm, int (*page)(struct bahi_req *req));
const bahi_problem *admin_sale_failed(void);

/* A money amount as typed ("1,250.50") into minor units of the business's
 * currency: 0, or -1 when it cannot be read. */
int admin_sale_money(struct bahi_req *req, const char *s, int64_t *out);
/* A percentage as typed ("17.5") into basis points (1750): 0 or -1. */
int admin_sale_percent(const char *s, int64_t *out);
/* basis points as a percentage for a form field ("17.5"). */
const char *admin_sale_bp_text(struct bahi_req *req, int64_t bp);

/* ---- admin_invoice.c: one invoice (the routes are in admin_invoices.c) */

int admin_invoice_get(struct bahi_req *req);
int admin_invoice_pdf(struct bahi_req *req);
int admin_invoice_void(struct bahi_req *req);
int admin_invoice_return(struct bahi_req *req);
int admin_invoice_pay(struct bahi_req *req);

/* ---- admin_incomplete.c: incomplete sales (the routes are in admin_sales.c) */

int admin_incomplete_get(struct bahi_req *req);
int admin_incomplete_complete(struct bahi_req *req);
int admin_incomplete_delete(struct bahi_req *req);

#endif
