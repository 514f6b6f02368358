/* bahi_dashboard: the admin dashboard's figures (revenue, debts, stock, recent sales, charts' data) read in one statement. */
#ifndef BAHI_DASHBOARD_H
#define BAHI_DASHBOARD_H

#include <stdint.h>

#include "bahi_date.h"

struct bahi_req;

#define BAHI_DASH_LOW_MAX 10
#define BAHI_DASH_RECENT_MAX 10
#define BAHI_DASH_TOP_MAX 5
#define BAHI_DASH_CATEGORY_MAX 8
#define BAHI_DASH_DAYS 14
#define BAHI_DASH_RED_MAX 10

/* What the sales of a period came to, by the invoices' payment mode.
 * Revenue: the totals of the invoices issued in the period (by issued_on,
 * the business-local date of issue), less the totals of their credit notes
 * (returns: invoice_balances.returned), voided invoices not at all. A return
 * or void counts on its invoice's date, so a day's figure is that day's
 * sales as they stand now. Incomplete sales are not invoices: not counted. */
typedef struct bahi_dash_revenue {
	int64_t cash;
	int64_t credit;
} bahi_dash_revenue;

/* A live product at or below its minimum stock. */
typedef struct bahi_dash_low {
	const char *id;
	const char *name;
	const char *stock;      /* available quantity as the API writes it: "0", "2.5" (a
	                           composite's: what its components make) */
	const char *threshold;  /* min_stock, the same way: "5" */
} bahi_dash_low;

/* An issued invoice. */
typedef struct bahi_dash_invoice {
	const char *id;
	int64_t number;
	const char *customer_id;    /* NULL: a walk-in cash sale */
	const char *customer_name;  /* NULL with customer_id */
	int64_t total;
	const char *payment_mode;   /* "cash" | "credit" */
	const char *status;         /* "paid", "partially_paid", "unpaid", "void" */
	const char *issued_at;      /* RFC 3339 UTC, "2026-11-21T08:30:00Z" */
} bahi_dash_invoice;

/* A customer and what they bought (revenue, as above) in the last 30 days. */
typedef struct bahi_dash_customer {
	const char *id;
	const char *name;
	int64_t total;
} bahi_dash_customer;

/* A category and this month's sales of its products: the line totals
 * (quantity x unit price, before the invoice's discount, tax and fee) of
 * the month's invoices, less the lines of their credit notes, voided
 * invoices not at all. A product counts in the category it is in now. */
typedef struct bahi_dash_category {
	const char *id;     /* NULL: products without a category */
	const char *name;   /* NULL: the same ("uncategorised", the page's word) */
	int64_t total;
} bahi_dash_category;

typedef struct bahi_dash_day {
	bahi_date date;
	const char *date_text;  /* "YYYY-MM-DD" */
	int64_t revenue;        /* cash + credit */
} bahi_dash_day;

/* An open credit invoice due within 3 days or overdue. */
typedef struct bahi_dash_debt {
	const char *invoice_id;
	int64_t number;
	const char *customer_id;
	const char *customer_name;
	int64_t balance;        /* balance_due */
	const char *due_date;   /* "YYYY-MM-DD" */
	int64_t days_left;      /* due - today: 0..3, negative once overdue */
	const char *status;     /* "red" | "overdue" (bahi_debt_status_name) */
} bahi_dash_debt;

/* Every figure of the dashboard as of the business-local today. Strings
 * are in the request's pool. Money in minor units. */
typedef struct bahi_dashboard {
	bahi_date today;
	const char *today_text;         /* "YYYY-MM-DD" */
	bahi_dash_revenue revenue_today;
	bahi_dash_revenue revenue_month; /* the 1st of this month to today */
	/* open debt: the customers' open_debt (opening balances still unpaid
	 * and their credit invoices' balances), and how many owe anything */
	int64_t open_debt;
	int64_t debtors;
	int64_t customers;              /* live customers */
	int64_t products;               /* live products */
	/* low stock: available <= min_stock (0005_catalog.sql), the lowest
	 * first (then by name); nlow of low_count */
	bahi_dash_low low[BAHI_DASH_LOW_MAX];
	int nlow;
	int64_t low_count;
	/* the last invoices issued, newest first */
	bahi_dash_invoice recent[BAHI_DASH_RECENT_MAX];
	int nrecent;
	/* the customers who bought most in the last 30 days (today and the 29
	 * before), most first; only those above 0 */
	bahi_dash_customer top[BAHI_DASH_TOP_MAX];
	int ntop;
	/* this month's sales by category, most first (then by name); the
	 * categories past the 8th add up in other_total (nother of them);
	 * only categories above 0 */
	bahi_dash_category categories[BAHI_DASH_CATEGORY_MAX];
	int ncategories;
	int64_t other_total;
	int nother;
	/* revenue of each of the last 14 days, oldest first, today last */
	bahi_dash_day days[BAHI_DASH_DAYS];
	/* debts turning red: open credit invoices due within 3 days or
	 * overdue, the earliest due date first (then by number); nred of
	 * red_count, which owe red_total */
	bahi_dash_debt red[BAHI_DASH_RED_MAX];
	int nred;
	int64_t red_count;
	int64_t red_total;
} bahi_dashboard;

/* Reads the dashboard of the request's business (req->tx_business: call
 * inside its transaction): from the process's cache while the business's
 * change sequence is unchanged (for at most a minute), else in one
 * statement, one round trip (it goes out
 * with whatever the transaction has waiting, e.g. the session check). The
 * business's time zone (businesses.timezone) makes "today" and "this
 * month", from the transaction's now(). 0, or -1 with a problem. The route
 * may be flagged BAHI_GENERIC: the statement then is planned once per
 * connection (its plan does not depend on the business). */
int bahi_dashboard_read(struct bahi_req *req, bahi_dashboard *out);

#endif
