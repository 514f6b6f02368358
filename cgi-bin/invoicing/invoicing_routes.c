/* invoicing_routes: the invoicing worker's routes and its definition (also used by sync push). */
#include "bahi_health.h"
#include "bahi_session.h"
#include "bahi_worker.h"
#include "invoicing.h"

#define USER_JSON (BAHI_AUTH | BAHI_JSON_BODY)
/* the sales writes: hot, planned once per connection (bahi_tx_generic_plans), their
 * session check sent with their first statement (BAHI_CHECK_LATE) */
#define SALE_JSON (USER_JSON | BAHI_GENERIC | BAHI_CHECK_LATE)

/* First match wins: literal paths come before the {id} patterns they would match. */
static const bahi_route invoicing_routes[] = {
	BAHI_HEALTH_ROUTES("invoicing"),
	/* customers */
	{"GET", "/api/v1/customers", invoicing_customers_list, BAHI_AUTH, "customers.read"},
	{"POST", "/api/v1/customers", invoicing_customers_create, USER_JSON, "customers.write"},
	{"GET", "/api/v1/customers/by-phone/{phone}", invoicing_customers_by_phone, BAHI_AUTH, "customers.read"},
	{"GET", "/api/v1/customers/by-phone/{phone}/history", invoicing_history_by_phone, BAHI_AUTH, "customers.read"},
	{"GET", "/api/v1/customers/{id}/history", invoicing_history_get, BAHI_AUTH, "customers.read"},
	{"GET", "/api/v1/customers/{id}", invoicing_customers_get, BAHI_AUTH, "customers.read"},
	{"PATCH", "/api/v1/customers/{id}", invoicing_customers_patch, USER_JSON, "customers.write"},
	{"DELETE", "/api/v1/customers/{id}", invoicing_customers_delete, BAHI_AUTH, "customers.delete"},
	/* debts and the reminders the daily job queued */
	{"GET", "/api/v1/debts", invoicing_debts_list, BAHI_AUTH, "sales.read"},
	{"GET", "/api/v1/debts/reminders", invoicing_debts_reminders, BAHI_AUTH, "sales.read"},
	/* invoices and incomplete sales */
	{"GET", "/api/v1/invoices", invoicing_invoices_list, BAHI_AUTH, "sales.read"},
	{"POST", "/api/v1/invoices", invoicing_invoices_create, SALE_JSON, "sales.write"},
	{"GET", "/api/v1/invoices/{id}", invoicing_invoices_get, BAHI_AUTH, "sales.read"},
	{"PATCH", "/api/v1/invoices/{id}", invoicing_invoices_immutable, BAHI_AUTH, "sales.read"},
	{"PUT", "/api/v1/invoices/{id}", invoicing_invoices_immutable, BAHI_AUTH, "sales.read"},
	{"DELETE", "/api/v1/invoices/{id}", invoicing_invoices_immutable, BAHI_AUTH, "sales.read"},
	/* invoice PDFs and share links; the shared link needs no sign-in (signed) */
	{"GET", "/api/v1/invoices/{id}/pdf", invoicing_invoice_pdf, BAHI_AUTH, "sales.read"},
	{"GET", "/api/v1/invoices/{id}/share", invoicing_invoice_share, BAHI_AUTH, "sales.read"},
	/* corrections: voids and credit notes (returns) */
	{"POST", "/api/v1/invoices/{id}/void", invoicing_invoice_void, BAHI_AUTH | BAHI_GENERIC,
	 "sales.void"},
	{"GET", "/api/v1/invoices/{id}/credit-notes", invoicing_credit_notes_list, BAHI_AUTH, "sales.read"},
	{"POST", "/api/v1/invoices/{id}/credit-notes", invoicing_credit_notes_create, SALE_JSON,
	 "sales.void"},
	{"GET", "/api/v1/credit-notes/{id}", invoicing_credit_notes_get, BAHI_AUTH, "sales.read"},
	{"GET", "/api/v1/shared/invoices/{business}/{file}", invoicing_shared_pdf, BAHI_PUBLIC, NULL},
	{"GET", "/api/v1/sales/incomplete", invoicing_incomplete_list, BAHI_AUTH, "sales.read"},
	{"GET", "/api/v1/sales/incomplete/{id}", invoicing_incomplete_get, BAHI_AUTH, "sales.read"},
	{"POST", "/api/v1/sales/incomplete/{id}/complete", invoicing_incomplete_complete, SALE_JSON,
	 "sales.write"},
	{"DELETE", "/api/v1/sales/incomplete/{id}", invoicing_incomplete_delete, BAHI_AUTH,
	 "sales.write"},
	/* payments */
	{"GET", "/api/v1/payments", invoicing_payments_list, BAHI_AUTH, "sales.read"},
	{"POST", "/api/v1/payments", invoicing_payments_create, SALE_JSON, "payments.write"},
	{"GET", "/api/v1/payments/{id}", invoicing_payments_get, BAHI_AUTH, "sales.read"},
};

const bahi_worker_def invoicing_worker = {
	.name = "invoicing",
	.routes = invoicing_routes,
	.nroutes = sizeof(invoicing_routes) / sizeof(invoicing_routes[0]),
	.authenticate = bahi_session_authenticate,
	.authorize = bahi_session_authorize,
	.settle = bahi_session_settle,
	.process_init = bahi_session_process_init,
};
