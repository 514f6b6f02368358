/* admin_dashboard: the dashboard (figures, SVG charts, lists to act on), and the clerk's start page. */
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "admin_customers.h"
#include "bahi_chart.h"
#include "bahi_dashboard.h"
#include "bahi_perm.h"
#include "bahi_req.h"

static const char *const months[] = {
	N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
	N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
};

/* The figures at the top. */
static void
fill_stats(bahi_req *req, bahi_tmpl_dict *d, const bahi_dashboard *x)
{
	admin_set_money(req, d, "today_total", x->revenue_today.cash + x->revenue_today.credit);
	admin_set_money(req, d, "today_cash", x->revenue_today.cash);
	admin_set_money(req, d, "today_credit", x->revenue_today.credit);
	admin_set_money(req, d, "month_total", x->revenue_month.cash + x->revenue_month.credit);
	admin_set_money(req, d, "month_cash", x->revenue_month.cash);
	admin_set_money(req, d, "month_credit", x->revenue_month.credit);
	admin_set_money(req, d, "open_debt", x->open_debt);
	bahi_tmpl_set_int(d, "debtors", x->debtors);
	bahi_tmpl_set_int(d, "customers", x->customers);
	bahi_tmpl_set_int(d, "products", x->products);
	bahi_tmpl_set_int(d, "low_count", x->low_count);
	bahi_tmpl_set(d, "today", x->today_text);
}

/* The four charts, drawn here as SVG. */
static void
fill_charts(bahi_req *req, bahi_tmpl_dict *d, const bahi_dashboard *x)
{
	bahi_chart_item items[BAHI_DASH_DAYS + BAHI_DASH_CATEGORY_MAX + 1];
	bahi_chart_opts o = {.empty_text = admin_t(req, N_("No sales yet"))};
	for (int i = 0; i < BAHI_DASH_DAYS; i++) {
		const bahi_date *dt = &x->days[i].date;
		/* the day under its bar; the month where it starts and on the first */
		items[i].label = i == 0 || dt->day == 1 ?
		                 bahi_pool_printf(req->pool, "%d %s", dt->day,
		                                  admin_t(req, months[(dt->month - 1) % 12])) :
		                 bahi_pool_printf(req->pool, "%d", dt->day);
		items[i].value = x->days[i].revenue;
		items[i].value_text = admin_money(req, x->days[i].revenue);
	}
	o.title = admin_t(req, N_("Sales of the last 14 days"));
	bahi_tmpl_set(d, "chart_days", bahi_chart_bars(req->pool, items, BAHI_DASH_DAYS, &o));

	items[0] = (bahi_chart_item){admin_t(req, N_("Cash")), x->revenue_month.cash,
	                             admin_money(req, x->revenue_month.cash)};
	items[1] = (bahi_chart_item){admin_t(req, N_("Credit")), x->revenue_month.credit,
	                             admin_money(req, x->revenue_month.credit)};
	o.title = admin_t(req, N_("Cash and credit this month"));
	o.center_text = admin_money(req, x->revenue_month.cash + x->revenue_month.credit);
	bahi_tmpl_set(d, "chart_split", bahi_chart_donut(req->pool, items, 2, &o));
	o.center_text = NULL;

	int n = 0;
	for (int i = 0; i < x->ncategories; i++, n++)
		items[n] = (bahi_chart_item){x->categories[i].name ? x->categories[i].name :
		                             admin_t(req, N_("Uncategorised")), x->categories[i].total,
		                             admin_money(req, x->categories[i].total)};
	if (x->nother > 0)
		items[n++] = (bahi_chart_item){admin_t(req, N_("Other categories")), x->other_total,
		                               admin_money(req, x->other_total)};
	o.title = admin_t(req, N_("Sales by category this month"));
	bahi_tmpl_set(d, "chart_categories", bahi_chart_hbars(req->pool, items, n, &o));

	for (int i = 0; i < x->ntop; i++)
		items[i] = (bahi_chart_item){x->top[i].name, x->top[i].total,
		                             admin_money(req, x->top[i].total)};
	o.title = admin_t(req, N_("Top 5 customers, last 30 days"));
	bahi_tmpl_set(d, "chart_top", bahi_chart_hbars(req->pool, items, x->ntop, &o));
}

/* The lists: low stock, recent invoices, debts turning red. */
static void
fill_lists(bahi_req *req, bahi_tmpl_dict *d, const bahi_dashboard *x)
{
	for (int i = 0; i < x->nlow; i++) {
		bahi_tmpl_dict *r = bahi_tmpl_section(d, "LOW");
		bahi_tmpl_set(r, "id", x->low[i].id);
		bahi_tmpl_set(r, "name", x->low[i].name);
		bahi_tmpl_set(r, "stock", x->low[i].stock);
		bahi_tmpl_set(r, "threshold", x->low[i].threshold);
	}
	if (x->nlow == 0)
		bahi_tmpl_show(d, "NO_LOW");
	for (int i = 0; i < x->nrecent; i++) {
		const bahi_dash_invoice *v = &x->recent[i];
		bahi_tmpl_dict *r = bahi_tmpl_section(d, "RECENT");
		bahi_tmpl_set(r, "id", v->id);
		bahi_tmpl_set_int(r, "number", v->number);
		bahi_tmpl_set(r, "customer", v->customer_name ? v->customer_name :
		              admin_t(req, N_("Walk-in customer")));
		admin_set_money(req, r, "total", v->total);
		bahi_tmpl_set(r, "mode", admin_t(req, strcmp(v->payment_mode, "credit") == 0 ?
		                                 N_("Credit") : N_("Cash")));
		bahi_tmpl_set(r, "time", admin_time(req, v->issued_at));
	}
	if (x->nrecent == 0)
		bahi_tmpl_show(d, "NO_RECENT");
	for (int i = 0; i < x->nred; i++) {
		const bahi_dash_debt *v = &x->red[i];
		/* the debt as GET /debts shows it, for the badge the debts page draws */
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "invoice_id", v->invoice_id);
		cJSON_AddNumberToObject(o, "number", (double)v->number);
		cJSON_AddStringToObject(o, "customer_id", v->customer_id);
		cJSON_AddStringToObject(o, "customer_name", v->customer_name);
		cJSON_AddStringToObject(o, "due_date", v->due_date);
		cJSON_AddStringToObject(o, "debt_status", v->status);
		cJSON_AddNumberToObject(o, "balance_due", (double)v->balance);
		cJSON_AddNumberToObject(o, "days_left", (double)(v->days_left > 0 ? v->days_left : 0));
		cJSON_AddNumberToObject(o, "days_overdue", (double)(v->days_left < 0 ? -v->days_left : 0));
		admin_debt_fill(req, bahi_tmpl_section(d, "RED"), o);
		cJSON_Delete(o);
	}
	if (x->nred == 0)
		bahi_tmpl_show(d, "NO_RED");
	bahi_tmpl_set_int(d, "red_count", x->red_count);
	admin_set_money(req, d, "red_total", x->red_total);
}

static int
dashboard_get(bahi_req *req)
{
	bahi_tmpl_dict *d = admin_page(req, N_("Dashboard"), "dashboard", "dashboard.html.tpl");
	if (d == NULL)
		return -1;
	if (!bahi_perm_allows(req->auth.role, "reports.read")) {
		/* a clerk's start page: what they can do, no shop figures */
		bahi_tmpl_show(d, "START");
		return admin_render(req);
	}
	bahi_dashboard x;
	if (bahi_dashboard_read(req, &x) != 0)
		return -1;
	bahi_tmpl_dict *f = bahi_tmpl_section(d, "FIGURES");
	fill_stats(req, f, &x);
	fill_charts(req, f, &x);
	fill_lists(req, f, &x);
	/* the figures follow the shop's changes as they happen (live.js) */
	admin_ctx *c = req->app;
	bahi_tmpl_show(c->layout, "LIVE_RELOAD");
	return admin_render(req);
}

static const bahi_route routes[] = {
	{"GET", "/admin", dashboard_get, ADMIN_PAGE | BAHI_GENERIC, "session"},
	{"GET", "/admin/", dashboard_get, ADMIN_PAGE | BAHI_GENERIC, "session"},
};
ADMIN_ROUTES(admin_dashboard_routes, routes);
