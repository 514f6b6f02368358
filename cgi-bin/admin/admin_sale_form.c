/* admin_sale_form: the new-sale form's sale: read from the posted fields, figured by the totals rules, turned into the POST /api/v1/invoices body. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "admin.h"
#include "admin_sales.h"
#include "bahi_account.h"
#include "bahi_customer.h"
#include "bahi_invoice.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_perm.h"
#include "bahi_product.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

/* Rows a form may number (removed rows leave gaps in the numbering). */
#define MAX_INDEX 2000

/* A posted field, "" when absent. */
static const char *
field(bahi_req *req, const char *name)
{
	const char *v = admin_form(req, name);
	return v != NULL ? v : "";
}

int
admin_sale_money(bahi_req *req, const char *s, int64_t *out)
{
	while (*s == ' ')
		s++;
	if (*s == '-')
		return -1;
	return admin_money_parse(req, s, out);
}

int
admin_sale_percent(const char *s, int64_t *out)
{
	char buf[32];
	size_t n = strlen(s);
	if (n > 0 && s[n - 1] == '%')
		n--;
	if (n == 0 || n >= sizeof(buf) || s[0] == '-')
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return bahi_money_parse(buf, 2, out);
}

const char *
admin_sale_bp_text(bahi_req *req, int64_t bp)
{
	long long w = (long long)(bp / 100), f = (long long)(bp % 100);
	if (f == 0)
		return bahi_pool_printf(req->pool, "%lld", w);
	if (f % 10 == 0)
		return bahi_pool_printf(req->pool, "%lld.%lld", w, f / 10);
	return bahi_pool_printf(req->pool, "%lld.%02lld", w, f);
}

/* The lines of the form: product_n, qty_n, price_n and disc_n for n below
 * the lines field; rows without a product are gaps. */
static void
read_rows(bahi_req *req, admin_sale *s)
{
	int64_t count = 0;
	if (bahi_num_parse(field(req, "lines"), 0, MAX_INDEX, &count, NULL) != 0)
		count = 0;
	s->rows = bahi_pool_calloc(req->pool, BAHI_INVOICE_MAX_LINES + 2, sizeof(*s->rows));
	s->next_index = (int)count;
	for (int i = 0; i < (int)count && s->nrows <= BAHI_INVOICE_MAX_LINES; i++) {
		char name[32];
		snprintf(name, sizeof(name), "product_%d", i);
		const char *p = field(req, name);
		if (*p == '\0')
			continue;
		admin_sale_row *r = &s->rows[s->nrows++];
		r->index = i;
		r->product_id = p;
		snprintf(name, sizeof(name), "qty_%d", i);
		r->qty_s = field(req, name);
		snprintf(name, sizeof(name), "price_%d", i);
		r->price_s = s->can_price ? field(req, name) : NULL;
		snprintf(name, sizeof(name), "disc_%d", i);
		r->disc_s = field(req, name);
	}
}

void
admin_sale_read(bahi_req *req, admin_sale *s)
{
	memset(s, 0, sizeof(*s));
	s->can_price = bahi_perm_allows(req->auth.role, "prices.write");
	read_rows(req, s);
	s->customer_id = field(req, "customer_id");
	if (*s->customer_id == '\0' && bahi_req_query(req, "customer_id") != NULL)
		s->customer_id = bahi_req_query(req, "customer_id");
	s->customer_phone = field(req, "customer_phone");
	s->customer_name = field(req, "customer_name");
	s->discount_s = field(req, "discount");
	s->discount_kind = strcmp(field(req, "discount_kind"), "amount") == 0 ? "amount" : "percent";
	/* NULL: a new form, which shows the business's tax rate */
	s->tax_s = admin_form(req, "tax_rate_bp");
	s->fee_s = field(req, "fee");
	s->paid_s = field(req, "paid_amount");
	s->mode = strcmp(field(req, "payment_mode"), "credit") == 0 ? "credit" : "cash";
	s->note = field(req, "note");
}

void
admin_sale_add(bahi_req *req, admin_sale *s, const cJSON *product)
{
	const char *id = admin_json_str(product, "id");
	for (int k = 0; k < s->nrows; k++) {
		int64_t q;
		if (strcmp(s->rows[k].product_id, id) != 0)
			continue;
		if (bahi_qty_parse(s->rows[k].qty_s, &q) == 0 && q + 1000 <= BAHI_QTY_MAX)
			s->rows[k].qty_s = bahi_num_qty(req->pool, q + 1000);
		return;
	}
	if (s->nrows > BAHI_INVOICE_MAX_LINES || s->next_index >= MAX_INDEX)
		return;
	admin_sale_row *r = &s->rows[s->nrows++];
	r->index = s->next_index++;
	r->product_id = bahi_pool_strdup(req->pool, id);
	r->qty_s = "1";
	r->price_s = s->can_price ? admin_amount(req, admin_json_int(product, "price")) : NULL;
	r->disc_s = "";
}

void
admin_sale_remove(admin_sale *s, int index)
{
	for (int k = 0; k < s->nrows; k++)
		if (s->rows[k].index == index) {
			memmove(&s->rows[k], &s->rows[k + 1], (size_t)(s->nrows - k - 1) * sizeof(*s->rows));
			s->nrows--;
			return;
		}
}

/* bahi_product_get_many's answer: fills the rows of that product. */
static void
put_product(void *ctx, const char *id, char *json)
{
	bahi_req *req = ((void **)ctx)[0];
	admin_sale *s = ((void **)ctx)[1];
	cJSON *p = cJSON_Parse(json);
	for (int k = 0; p != NULL && k < s->nrows; k++) {
		admin_sale_row *r = &s->rows[k];
		if (strcmp(r->product_id, id) != 0)
			continue;
		r->found = 1;
		r->list_price = admin_json_int(p, "price");
		r->name = bahi_pool_strdup(req->pool, admin_json_str(p, "name"));
		r->sku = bahi_pool_strdup(req->pool, admin_json_str(p, "sku"));
		r->unit = bahi_pool_strdup(req->pool, admin_json_str(p, "unit"));
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "available_qty");
		int64_t q;
		if (cJSON_IsNumber(a) && bahi_qty_from_double(a->valuedouble, &q) == 0)
			r->available = bahi_num_qty(req->pool, q);
	}
	cJSON_Delete(p);
}

/* The rows' products, in one statement (a product id that is not a UUID is
 * not looked up: its row stays unknown). */
static int
read_products(bahi_req *req, admin_sale *s)
{
	const char **ids = bahi_pool_calloc(req->pool, (size_t)s->nrows + 1, sizeof(char *));
	int n = 0;
	for (int k = 0; k < s->nrows; k++) {
		char id[BAHI_UUID_LEN + 1];
		if (bahi_uuid_normalise(s->rows[k].product_id, id) != 0)
			continue;
		s->rows[k].product_id = bahi_pool_strdup(req->pool, id);
		ids[n++] = s->rows[k].product_id;
	}
	void *ctx[2] = {req, s};
	return n == 0 ? 0 : bahi_product_get_many(req, ids, n, put_product, ctx);
}

/* The customer named by id (a 404 when there is none), or the customer
 * who has the typed phone (none: a new customer, or a number the sale
 * will refuse). */
static int
read_customer(bahi_req *req, admin_sale *s)
{
	cJSON *c = NULL;
	if (*s->customer_id != '\0') {
		char id[BAHI_UUID_LEN + 1];
		if (bahi_uuid_normalise(s->customer_id, id) != 0)
			return bahi_fail(req, "not_found", "There is no such customer.");
		s->customer_id = bahi_pool_strdup(req->pool, id);
		if (bahi_customer_get(req, id, &c) != 0)
			return -1;
	} else if (*s->customer_phone != '\0') {
		if (bahi_customer_by_phone(req, s->customer_phone, &c) != 0) {
			if (req->problem.status >= 500)
				return -1;
			memset(&req->problem, 0, sizeof(req->problem));
			return 0;
		}
	} else {
		return 0;
	}
	s->has_customer = 1;
	s->found_name = bahi_pool_strdup(req->pool, admin_json_str(c, "name"));
	s->found_phone = bahi_pool_strdup(req->pool, admin_json_str(c, "phone"));
	s->credit_balance = admin_json_int(c, "credit_balance");
	cJSON_Delete(c);
	return 0;
}

/* The business's tax rate: what an empty tax field means. */
static int
read_tax_rate(bahi_req *req, admin_sale *s)
{
	cJSON *b = bahi_account_business_json(req);
	if (b == NULL)
		return -1;
	s->tax_rate_bp = admin_json_int(b, "tax_rate_bp");
	cJSON_Delete(b);
	return 0;
}

/* A row's typed values, its unit price after the line discount (the price
 * the invoice line gets: unit price x (100% - discount), rounded as every
 * rate is) and its line total by the totals rules. */
static void
figure_row(bahi_req *req, admin_sale_row *r)
{
	int64_t v;
	r->qty = bahi_qty_parse(r->qty_s, &v) == 0 ? v : -1;
	if (r->price_s != NULL && *r->price_s != '\0')
		r->unit_price = admin_sale_money(req, r->price_s, &v) == 0 ? v : -1;
	else
		r->unit_price = r->found ? r->list_price : -1;
	if (*r->disc_s == '\0')
		r->disc_bp = 0;
	else
		r->disc_bp = admin_sale_percent(r->disc_s, &v) == 0 && v <= 10000 ? v : -1;
	r->price = r->line_total = -1;
	if (r->unit_price < 0 || r->disc_bp < 0)
		return;
	if (r->disc_bp == 0)
		r->price = r->unit_price;
	else if (bahi_money_apply_bp(r->unit_price, 10000 - r->disc_bp, &v) == 0)
		r->price = v;
	if (r->price < 0 || r->qty <= 0)
		return;
	bahi_totals_line l = {r->qty, r->price};
	bahi_totals_in in = {.lines = &l, .nlines = 1};
	bahi_totals t;
	if (bahi_totals_compute(&in, NULL, &t, NULL) == 0)
		r->line_total = t.subtotal;
}

/* A field error when errors is set; returns -1. */
static int
bad(bahi_req *req, int errors, const char *field_name, const char *message)
{
	if (errors)
		bahi_problem_field(&req->problem, field_name, "invalid_number", message);
	return -1;
}

/* The discount, tax, fee and paid amount as typed into in and *paid (-1:
 * not typed, the sale's default). 0 when all could be read; else -1, with
 * field errors when errors is set. */
static int
read_charges(bahi_req *req, const admin_sale *s, bahi_totals_in *in, int64_t *paid, int errors)
{
	int rc = 0;
	int64_t v;
	in->discount_kind = BAHI_DISCOUNT_NONE;
	if (*s->discount_s != '\0' && strcmp(s->discount_kind, "amount") == 0) {
		if (admin_sale_money(req, s->discount_s, &in->discount) != 0)
			rc = bad(req, errors, "discount", N_("Enter a number, such as 1250 or 1,250.50."));
		in->discount_kind = BAHI_DISCOUNT_AMOUNT;
	} else if (*s->discount_s != '\0') {
		if (admin_sale_percent(s->discount_s, &in->discount) != 0 || in->discount > 10000)
			rc = bad(req, errors, "discount", N_("Enter a percentage from 0 to 100, such as 10 or 12.5."));
		in->discount_kind = BAHI_DISCOUNT_BP;
	}
	in->tax_rate_bp = s->tax_rate_bp;
	if (s->tax_s != NULL && *s->tax_s != '\0' &&
	    (admin_sale_percent(s->tax_s, &in->tax_rate_bp) != 0 || in->tax_rate_bp > 10000))
		rc = bad(req, errors, "tax_rate_bp", N_("Enter a percentage from 0 to 100, such as 10 or 12.5."));
	in->fee = 0;
	if (*s->fee_s != '\0' && admin_sale_money(req, s->fee_s, &in->fee) != 0)
		rc = bad(req, errors, "fee", N_("Enter a number, such as 1250 or 1,250.50."));
	*paid = -1;
	if (*s->paid_s != '\0') {
		if (admin_sale_money(req, s->paid_s, &v) != 0)
			rc = bad(req, errors, "paid_amount", N_("Enter a number, such as 1250 or 1,250.50."));
		else
			*paid = v;
	}
	return rc;
}

/* What a cash sale takes when the paid field is empty: the amount due after
 * the customer's credit; a credit sale: nothing. */
static int64_t
default_paid(const admin_sale *s)
{
	bahi_settlement st;
	if (strcmp(s->mode, "credit") == 0 ||
	    bahi_totals_settle(s->totals.total, s->credit_balance, BAHI_PAY_CASH, 0, &st, NULL) != 0)
		return 0;
	return st.amount_due;
}

int
admin_sale_resolve(bahi_req *req, admin_sale *s)
{
	if (read_products(req, s) != 0 || read_customer(req, s) != 0 || read_tax_rate(req, s) != 0)
		return -1;
	int ok = s->nrows > 0;
	bahi_totals_line *tl = bahi_pool_calloc(req->pool, (size_t)s->nrows + 1, sizeof(*tl));
	for (int k = 0; k < s->nrows; k++) {
		figure_row(req, &s->rows[k]);
		if (s->rows[k].price < 0 || s->rows[k].qty <= 0)
			ok = 0;
		tl[k].qty = s->rows[k].qty;
		tl[k].unit_price = s->rows[k].price;
	}
	bahi_totals_in in;
	int64_t paid;
	memset(&in, 0, sizeof(in));
	if (read_charges(req, s, &in, &paid, 0) != 0)
		return 0;
	s->paid = paid >= 0 ? paid : 0;
	in.lines = tl;
	in.nlines = (size_t)s->nrows;
	if (!ok || bahi_totals_compute(&in, NULL, &s->totals, NULL) != 0)
		return 0;
	s->computed = 1;
	if (paid < 0)
		s->paid = default_paid(s);
	bahi_pay_mode mode = strcmp(s->mode, "credit") == 0 ? BAHI_PAY_CREDIT : BAHI_PAY_CASH;
	s->settled = bahi_totals_settle(s->totals.total, s->credit_balance, mode, s->paid,
	                                &s->settle, NULL) == 0;
	return 0;
}

/* Line k of the body, with its field errors. */
static void
line_json(bahi_req *req, cJSON *lines, const admin_sale_row *r, int k)
{
	if (!r->found)
		bahi_problem_field(&req->problem, bahi_pool_printf(req->pool, "lines[%d].product_id", k),
		                   "unknown_product",
		                   N_("This product is no longer in the catalog; remove the line."));
	if (r->qty < 0)
		bad(req, 1, bahi_pool_printf(req->pool, "lines[%d].qty", k),
		    N_("Enter a quantity, such as 2 or 1.5."));
	if (r->price_s != NULL && *r->price_s != '\0' && r->unit_price < 0)
		bad(req, 1, bahi_pool_printf(req->pool, "lines[%d].unit_price", k),
		    N_("Enter a number, such as 1250 or 1,250.50."));
	if (r->disc_bp < 0)
		bad(req, 1, bahi_pool_printf(req->pool, "lines[%d].discount", k),
		    N_("Enter a percentage from 0 to 100, such as 10 or 12.5."));
	cJSON *l = cJSON_CreateObject();
	cJSON_AddStringToObject(l, "product_id", r->product_id);
	cJSON_AddNumberToObject(l, "qty", (double)r->qty / BAHI_QTY_SCALE);
	/* a typed price or a line discount makes the line's unit price */
	if (r->price >= 0 && ((r->price_s != NULL && *r->price_s != '\0') || r->disc_bp > 0))
		cJSON_AddNumberToObject(l, "unit_price", (double)r->price);
	cJSON_AddItemToArray(lines, l);
}

/* The customer: the one chosen, or one by phone (created when new). */
static void
customer_json(bahi_req *req, const admin_sale *s, cJSON *b)
{
	if (*s->customer_id != '\0') {
		cJSON_AddStringToObject(b, "customer_id", s->customer_id);
	} else if (*s->customer_phone != '\0') {
		cJSON *c = cJSON_AddObjectToObject(b, "customer");
		cJSON_AddStringToObject(c, "phone", s->customer_phone);
		if (*s->customer_name != '\0')
			cJSON_AddStringToObject(c, "name", s->customer_name);
	} else if (*s->customer_name != '\0') {
		bahi_problem_field(&req->problem, "customer.phone", "required",
		                   N_("Enter the customer's phone number, or leave the name empty."));
	}
}

cJSON *
admin_sale_body(bahi_req *req, const admin_sale *s)
{
	cJSON *b = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(b, "lines");
	bahi_totals_in in;
	int64_t paid;
	if (s->nrows == 0)
		bahi_problem_field(&req->problem, "lines", "too_small", N_("Add at least one item."));
	for (int k = 0; k < s->nrows; k++)
		line_json(req, lines, &s->rows[k], k);
	customer_json(req, s, b);
	memset(&in, 0, sizeof(in));
	read_charges(req, s, &in, &paid, 1);
	if (in.discount_kind == BAHI_DISCOUNT_BP)
		cJSON_AddNumberToObject(b, "discount_bp", (double)in.discount);
	else if (in.discount_kind == BAHI_DISCOUNT_AMOUNT)
		cJSON_AddNumberToObject(b, "discount_amount", (double)in.discount);
	if (s->tax_s != NULL && *s->tax_s != '\0')
		cJSON_AddNumberToObject(b, "tax_rate_bp", (double)in.tax_rate_bp);
	if (in.fee > 0)
		cJSON_AddNumberToObject(b, "fee", (double)in.fee);
	cJSON_AddStringToObject(b, "payment_mode", s->mode);
	cJSON_AddNumberToObject(b, "paid_amount", (double)s->paid);
	if (*s->note != '\0')
		cJSON_AddStringToObject(b, "note", s->note);
	if (req->problem.status != 0) {
		cJSON_Delete(b);
		return NULL;
	}
	return b;
}

/* The sale form's words for the API's field names. */
static const struct {
	const char *field, *label;
} labels[] = {
	{"lines", N_("Items")},
	{"customer", N_("Customer")},
	{"customer_id", N_("Customer")},
	{"customer.phone", N_("Customer's phone")},
	{"customer.name", N_("Customer's name")},
	{"discount", N_("Discount")},
	{"discount_bp", N_("Discount")},
	{"discount_amount", N_("Discount")},
	{"tax_rate_bp", N_("Tax (%)")},
	{"fee", N_("Fee")},
	{"payment_mode", N_("Payment")},
	{"paid_amount", N_("Paid now")},
	{"note", N_("Note")},
	{"reason", N_("Reason")},
	{"refund_to", N_("Refund to")},
	{"amount", N_("Amount")},
	{"method", N_("Method")},
};

/* The label of field, and in *line the k of lines[k]... (else -1). */
static const char *
label_of(bahi_req *req, const char *f, int *line)
{
	int k, n = 0;
	*line = -1;
	if (sscanf(f, "lines[%d]%n", &k, &n) == 1 && n > 0 && k >= 0) {
		*line = k;
		return bahi_pool_printf(req->pool, "%s %d", admin_t(req, N_("Item")), k + 1);
	}
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(f, labels[i].field) == 0)
			return admin_t(req, labels[i].label);
	return f;
}

void
admin_sale_errors(bahi_req *req, bahi_tmpl_dict *d, const bahi_problem *p, bahi_tmpl_dict **rows,
                  int n)
{
	if (p == NULL || p->status == 0)
		return;
	bahi_tmpl_dict *e = bahi_tmpl_section(d, "ERRORS");
	bahi_tmpl_set(e, "title", admin_t(req, p->title ? p->title : ""));
	if (p->detail != NULL && p->nerrors == 0)
		bahi_tmpl_set(bahi_tmpl_section(e, "ERROR"), "message", admin_t(req, p->detail));
	for (size_t i = 0; i < p->nerrors; i++) {
		int k;
		const char *label = label_of(req, p->errors[i].field, &k);
		const char *msg = admin_t(req, p->errors[i].message);
		bahi_tmpl_set(bahi_tmpl_section(e, "ERROR"), "message",
		              bahi_pool_printf(req->pool, "%s: %s", label, msg));
		if (rows != NULL && k >= 0 && k < n)
			bahi_tmpl_set(bahi_tmpl_section(rows[k], "ROW_ERROR"), "message", msg);
	}
}

/* The failed form's problem while admin_sale_reshow shows its page again. */
static const bahi_problem *failed;

const bahi_problem *
admin_sale_failed(void)
{
	return failed;
}

int
admin_sale_reshow(bahi_req *req, const char *perm, int (*page)(bahi_req *req))
{
	bahi_problem *p = bahi_pool_alloc(req->pool, sizeof(*p));
	*p = req->problem;
	failed = p;
	int rc = admin_reshow(req, perm, page);
	failed = NULL;
	return rc;
}
