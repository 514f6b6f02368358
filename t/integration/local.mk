# t/integration/: Check tests against a private stack (PostgreSQL, workers, nginx) started by the harness.
noinst_LIBRARIES += t/integration/libharness.a
t_integration_libharness_a_SOURCES = t/integration/harness.c t/integration/harness.h
t_integration_libharness_a_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
BAHI_IT_LIBS = t/integration/libharness.a $(BAHI_LIBS) $(CHECK_LIBS) -lpthread

check_PROGRAMS += t/integration/check_http t/integration/check_rls
TESTS += t/integration/check_http t/integration/check_rls
t_integration_check_http_SOURCES = t/integration/check_http.c
t_integration_check_http_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_http_LDADD = $(BAHI_IT_LIBS)
t_integration_check_rls_SOURCES = t/integration/check_rls.c
t_integration_check_rls_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_rls_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_auth t/integration/check_jwt t/integration/check_tenancy
TESTS += t/integration/check_auth t/integration/check_jwt t/integration/check_tenancy
t_integration_check_auth_SOURCES = t/integration/check_auth.c
t_integration_check_auth_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_auth_LDADD = $(BAHI_IT_LIBS)
t_integration_check_jwt_SOURCES = t/integration/check_jwt.c
t_integration_check_jwt_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_jwt_LDADD = $(BAHI_IT_LIBS)
t_integration_check_tenancy_SOURCES = t/integration/check_tenancy.c
t_integration_check_tenancy_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_tenancy_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_account
TESTS += t/integration/check_account
t_integration_check_account_SOURCES = t/integration/check_account.c
t_integration_check_account_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_account_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_stock t/integration/check_suppliers
TESTS += t/integration/check_stock t/integration/check_suppliers
t_integration_check_stock_SOURCES = t/integration/check_stock.c
t_integration_check_stock_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_stock_LDADD = $(BAHI_IT_LIBS)
t_integration_check_suppliers_SOURCES = t/integration/check_suppliers.c
t_integration_check_suppliers_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_suppliers_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_images
TESTS += t/integration/check_images
t_integration_check_images_SOURCES = t/integration/check_images.c
t_integration_check_images_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_images_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_catalog
TESTS += t/integration/check_catalog
t_integration_check_catalog_SOURCES = t/integration/check_catalog.c
t_integration_check_catalog_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_catalog_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_import
TESTS += t/integration/check_import
t_integration_check_import_SOURCES = t/integration/check_import.c
t_integration_check_import_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_import_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_pipeline
TESTS += t/integration/check_pipeline
t_integration_check_pipeline_SOURCES = t/integration/check_pipeline.c
t_integration_check_pipeline_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_pipeline_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_customers
TESTS += t/integration/check_customers
t_integration_check_customers_SOURCES = t/integration/check_customers.c
t_integration_check_customers_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_customers_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_invoice_pdf
TESTS += t/integration/check_invoice_pdf
t_integration_check_invoice_pdf_SOURCES = t/integration/check_invoice_pdf.c t/pdf_text.c t/pdf_text.h
t_integration_check_invoice_pdf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_invoice_pdf_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_payments
TESTS += t/integration/check_payments
t_integration_check_payments_SOURCES = t/integration/check_payments.c
t_integration_check_payments_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_payments_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_invoices
TESTS += t/integration/check_invoices
t_integration_check_invoices_SOURCES = t/integration/check_invoices.c
t_integration_check_invoices_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_invoices_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_debts
TESTS += t/integration/check_debts
t_integration_check_debts_SOURCES = t/integration/check_debts.c
t_integration_check_debts_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_debts_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_returns
TESTS += t/integration/check_returns
t_integration_check_returns_SOURCES = t/integration/check_returns.c
t_integration_check_returns_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_returns_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_sales_sql
TESTS += t/integration/check_sales_sql
t_integration_check_sales_sql_SOURCES = t/integration/check_sales_sql.c
t_integration_check_sales_sql_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_sales_sql_LDADD = $(BAHI_IT_LIBS)
# check_sync runs 200 convergence seeds; `make check-sync-long` runs 5,000
# (2,000 took 167 s on two cores); any number, or one, through the environment:
#   make check TESTS=t/integration/check_sync BAHI_SYNC_SEEDS=5000
#   make check TESTS=t/integration/check_sync BAHI_SYNC_SEED=137   (the seed a failure names)
check_PROGRAMS += t/integration/check_sync
TESTS += t/integration/check_sync
t_integration_check_sync_SOURCES = t/integration/check_sync.c
t_integration_check_sync_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_sync_LDADD = $(BAHI_IT_LIBS)
check_PROGRAMS += t/integration/check_events
TESTS += t/integration/check_events
t_integration_check_events_SOURCES = t/integration/check_events.c
t_integration_check_events_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_integration_check_events_LDADD = $(BAHI_IT_LIBS)

# The longer convergence run (5,000 seeds).
check-sync-long:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS=t/integration/check_sync BAHI_SYNC_SEEDS=5000
.PHONY: check-sync-long
