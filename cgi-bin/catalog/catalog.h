/* catalog.h: the catalog worker's handlers, shared between its files. */
#ifndef BAHI_CATALOG_WORKER_H
#define BAHI_CATALOG_WORKER_H

struct bahi_req;

/* catalog_categories.c */
int catalog_categories_list(struct bahi_req *req);
int catalog_categories_create(struct bahi_req *req);
int catalog_categories_get(struct bahi_req *req);
int catalog_categories_patch(struct bahi_req *req);
int catalog_categories_delete(struct bahi_req *req);

/* catalog_products.c */
int catalog_products_list(struct bahi_req *req);
int catalog_products_create(struct bahi_req *req);
int catalog_products_get(struct bahi_req *req);
int catalog_products_patch(struct bahi_req *req);
int catalog_products_delete(struct bahi_req *req);

/* catalog_images.c */
int catalog_image_request(struct bahi_req *req);
int catalog_image_delete(struct bahi_req *req);
int catalog_image_upload(struct bahi_req *req);

/* catalog_stock.c */
int catalog_movements_create(struct bahi_req *req);
int catalog_movements_list(struct bahi_req *req);

/* catalog_suppliers.c */
int catalog_suppliers_list(struct bahi_req *req);
int catalog_suppliers_create(struct bahi_req *req);
int catalog_suppliers_get(struct bahi_req *req);
int catalog_suppliers_patch(struct bahi_req *req);
int catalog_suppliers_delete(struct bahi_req *req);

/* catalog_batches.c */
int catalog_batches_list(struct bahi_req *req);
int catalog_batches_create(struct bahi_req *req);
int catalog_batches_get(struct bahi_req *req);
int catalog_batches_patch(struct bahi_req *req);

/* catalog_import.c */
int catalog_products_import(struct bahi_req *req);
int catalog_products_export(struct bahi_req *req);
int catalog_supplier_invoice_upload(struct bahi_req *req);
int catalog_supplier_invoice_get(struct bahi_req *req);
int catalog_supplier_invoice_confirm(struct bahi_req *req);

/* The worker: its routes and hooks (catalog_routes.c), also applied by sync push. */
struct bahi_worker_def;
extern const struct bahi_worker_def catalog_worker;

#endif
