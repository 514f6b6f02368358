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

#endif
