# cgi-bin/: the seven FastCGI workers, each a thin adapter over libbahi.
bin_PROGRAMS += bahi-auth bahi-catalog bahi-invoicing bahi-ledger \
	bahi-reports bahi-sync bahi-admin
bahi_auth_SOURCES = cgi-bin/auth/main.c cgi-bin/auth/auth.h \
	cgi-bin/auth/auth_session.c cgi-bin/auth/auth_me.c cgi-bin/auth/auth_appkeys.c
bahi_auth_SOURCES += cgi-bin/auth/auth_users.c cgi-bin/auth/auth_devices.c \
	cgi-bin/auth/auth_activity.c
bahi_auth_SOURCES += cgi-bin/auth/auth_account.c
bahi_auth_LDADD = $(BAHI_LIBS)
bahi_catalog_SOURCES = cgi-bin/catalog/main.c cgi-bin/catalog/catalog.h
bahi_catalog_SOURCES += cgi-bin/catalog/catalog_categories.c
bahi_catalog_SOURCES += cgi-bin/catalog/catalog_products.c
bahi_catalog_SOURCES += cgi-bin/catalog/catalog_images.c
bahi_catalog_SOURCES += cgi-bin/catalog/catalog_stock.c
bahi_catalog_SOURCES += cgi-bin/catalog/catalog_suppliers.c
bahi_catalog_SOURCES += cgi-bin/catalog/catalog_batches.c
bahi_catalog_SOURCES += cgi-bin/catalog/catalog_import.c
bahi_catalog_LDADD = $(BAHI_LIBS)
bahi_invoicing_SOURCES = cgi-bin/invoicing/main.c cgi-bin/invoicing/invoicing.h
bahi_invoicing_SOURCES += cgi-bin/invoicing/invoicing_customers.c
bahi_invoicing_SOURCES += cgi-bin/invoicing/invoicing_debts.c
bahi_invoicing_SOURCES += cgi-bin/invoicing/invoicing_invoices.c
bahi_invoicing_SOURCES += cgi-bin/invoicing/invoicing_pdf.c
bahi_invoicing_SOURCES += cgi-bin/invoicing/invoicing_payments.c cgi-bin/invoicing/invoicing_history.c
bahi_invoicing_SOURCES += cgi-bin/invoicing/invoicing_returns.c
bahi_invoicing_LDADD = $(BAHI_LIBS)
bahi_ledger_SOURCES = cgi-bin/ledger/main.c
bahi_ledger_LDADD = $(BAHI_LIBS)
bahi_reports_SOURCES = cgi-bin/reports/main.c
bahi_reports_LDADD = $(BAHI_LIBS)
bahi_sync_SOURCES = cgi-bin/sync/main.c
bahi_sync_LDADD = $(BAHI_LIBS)
bahi_admin_SOURCES = cgi-bin/admin/main.c
bahi_admin_LDADD = $(BAHI_LIBS)
