/* invoicing.h: the invoicing worker's handlers, shared between its files. */
#ifndef BAHI_INVOICING_WORKER_H
#define BAHI_INVOICING_WORKER_H

struct bahi_req;

/* invoicing_customers.c */
int invoicing_customers_list(struct bahi_req *req);
int invoicing_customers_create(struct bahi_req *req);
int invoicing_customers_by_phone(struct bahi_req *req);
int invoicing_customers_get(struct bahi_req *req);
int invoicing_customers_patch(struct bahi_req *req);
int invoicing_customers_delete(struct bahi_req *req);

/* invoicing_debts.c */
int invoicing_debts_list(struct bahi_req *req);
int invoicing_debts_reminders(struct bahi_req *req);

/* invoicing_invoices.c */
/* For a handler whose body failed validation: when the path's id names
 * nothing of the business, the answer is 404 not_found (missing) rather
 * than the body's 422, as if the record had been looked up first. -1. */
int invoicing_body_failed(struct bahi_req *req, int (*exists)(struct bahi_req *, const char *),
                          const char *id, const char *missing);
int invoicing_invoices_list(struct bahi_req *req);
int invoicing_invoices_create(struct bahi_req *req);
int invoicing_invoices_get(struct bahi_req *req);
int invoicing_invoices_immutable(struct bahi_req *req);
int invoicing_incomplete_list(struct bahi_req *req);
int invoicing_incomplete_get(struct bahi_req *req);
int invoicing_incomplete_complete(struct bahi_req *req);
int invoicing_incomplete_delete(struct bahi_req *req);

/* invoicing_pdf.c */
int invoicing_invoice_pdf(struct bahi_req *req);
int invoicing_invoice_share(struct bahi_req *req);
int invoicing_shared_pdf(struct bahi_req *req);

/* invoicing_payments.c */
int invoicing_payments_create(struct bahi_req *req);
int invoicing_payments_get(struct bahi_req *req);
int invoicing_payments_list(struct bahi_req *req);

/* invoicing_history.c */
int invoicing_history_get(struct bahi_req *req);
int invoicing_history_by_phone(struct bahi_req *req);

/* invoicing_returns.c */
int invoicing_invoice_void(struct bahi_req *req);
int invoicing_credit_notes_create(struct bahi_req *req);
int invoicing_credit_notes_list(struct bahi_req *req);
int invoicing_credit_notes_get(struct bahi_req *req);

/* The worker: its routes and hooks (invoicing_routes.c), also applied by sync push. */
struct bahi_worker_def;
extern const struct bahi_worker_def invoicing_worker;

#endif
