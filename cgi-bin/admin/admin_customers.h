/* admin_customers.h: what the customers, customer card and debts pages share (their routes are one group, admin_customers_routes). */
#ifndef BAHI_ADMIN_CUSTOMERS_H
#define BAHI_ADMIN_CUSTOMERS_H

#include <cjson/cJSON.h>

#include "bahi_tmpl.h"

struct bahi_req;

/* admin_customer_card.c: the card (GET), its edit, payment and delete forms. */
int admin_customer_card_get(struct bahi_req *req);
int admin_customer_update(struct bahi_req *req);
int admin_customer_pay(struct bahi_req *req);
int admin_customer_delete(struct bahi_req *req);

/* admin_debts.c: the debts page. */
int admin_debts_get(struct bahi_req *req);
/* Fills row with one debt of a GET /debts answer (invoice_id, number,
 * customer, dates, amounts) and its status badge: the class status-<status>
 * and "N days left" / "due today" / "N days overdue" (the {{>STATUS}}
 * include of debt_status.html.tpl). */
void admin_debt_fill(struct bahi_req *req, bahi_tmpl_dict *row, const cJSON *debt);
/* An invoice status (paid, unpaid, partially_paid, void) in the caller's language. */
const char *admin_invoice_status(struct bahi_req *req, const char *status);

#endif
