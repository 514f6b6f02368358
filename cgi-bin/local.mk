# cgi-bin/: the seven FastCGI workers, each a thin adapter over libbahi.
bin_PROGRAMS += bahi-auth bahi-catalog bahi-invoicing bahi-ledger \
	bahi-reports bahi-sync bahi-admin
# The auth, catalog and invoicing handlers are libraries: their workers link
# them, and so do sync (push applies mutations through the same routes) and
# admin (the panel's forms do).
noinst_LIBRARIES += cgi-bin/auth/libauth.a
cgi_bin_auth_libauth_a_SOURCES = cgi-bin/auth/auth.h cgi-bin/auth/auth_routes.c \
	cgi-bin/auth/auth_session.c cgi-bin/auth/auth_me.c cgi-bin/auth/auth_appkeys.c
cgi_bin_auth_libauth_a_SOURCES += cgi-bin/auth/auth_users.c cgi-bin/auth/auth_devices.c \
	cgi-bin/auth/auth_activity.c
cgi_bin_auth_libauth_a_SOURCES += cgi-bin/auth/auth_account.c
bahi_auth_SOURCES = cgi-bin/auth/main.c
bahi_auth_LDADD = cgi-bin/auth/libauth.a $(BAHI_LIBS)
noinst_LIBRARIES += cgi-bin/catalog/libcatalog.a cgi-bin/invoicing/libinvoicing.a
cgi_bin_catalog_libcatalog_a_SOURCES = cgi-bin/catalog/catalog.h \
	cgi-bin/catalog/catalog_routes.c
cgi_bin_catalog_libcatalog_a_SOURCES += cgi-bin/catalog/catalog_categories.c
cgi_bin_catalog_libcatalog_a_SOURCES += cgi-bin/catalog/catalog_products.c
cgi_bin_catalog_libcatalog_a_SOURCES += cgi-bin/catalog/catalog_images.c
cgi_bin_catalog_libcatalog_a_SOURCES += cgi-bin/catalog/catalog_stock.c
cgi_bin_catalog_libcatalog_a_SOURCES += cgi-bin/catalog/catalog_suppliers.c
cgi_bin_catalog_libcatalog_a_SOURCES += cgi-bin/catalog/catalog_batches.c
cgi_bin_catalog_libcatalog_a_SOURCES += cgi-bin/catalog/catalog_import.c
bahi_catalog_SOURCES = cgi-bin/catalog/main.c
bahi_catalog_LDADD = cgi-bin/catalog/libcatalog.a $(BAHI_LIBS)
cgi_bin_invoicing_libinvoicing_a_SOURCES = cgi-bin/invoicing/invoicing.h \
	cgi-bin/invoicing/invoicing_routes.c
cgi_bin_invoicing_libinvoicing_a_SOURCES += cgi-bin/invoicing/invoicing_customers.c
cgi_bin_invoicing_libinvoicing_a_SOURCES += cgi-bin/invoicing/invoicing_debts.c
cgi_bin_invoicing_libinvoicing_a_SOURCES += cgi-bin/invoicing/invoicing_invoices.c
cgi_bin_invoicing_libinvoicing_a_SOURCES += cgi-bin/invoicing/invoicing_pdf.c
cgi_bin_invoicing_libinvoicing_a_SOURCES += cgi-bin/invoicing/invoicing_payments.c
cgi_bin_invoicing_libinvoicing_a_SOURCES += cgi-bin/invoicing/invoicing_history.c
cgi_bin_invoicing_libinvoicing_a_SOURCES += cgi-bin/invoicing/invoicing_returns.c
bahi_invoicing_SOURCES = cgi-bin/invoicing/main.c
bahi_invoicing_LDADD = cgi-bin/invoicing/libinvoicing.a $(BAHI_LIBS)
bahi_ledger_SOURCES = cgi-bin/ledger/main.c
bahi_ledger_LDADD = $(BAHI_LIBS)
bahi_reports_SOURCES = cgi-bin/reports/main.c
bahi_reports_LDADD = $(BAHI_LIBS)
bahi_sync_SOURCES = cgi-bin/sync/main.c cgi-bin/sync/sync.h cgi-bin/sync/sync_handlers.c
bahi_sync_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/cgi-bin/catalog -I$(srcdir)/cgi-bin/invoicing
bahi_sync_LDADD = cgi-bin/catalog/libcatalog.a cgi-bin/invoicing/libinvoicing.a $(BAHI_LIBS)
bahi_admin_SOURCES = cgi-bin/admin/main.c cgi-bin/admin/admin.h
bahi_admin_SOURCES += cgi-bin/admin/admin_session.c
bahi_admin_SOURCES += cgi-bin/admin/admin_page.c
bahi_admin_SOURCES += cgi-bin/admin/admin_format.c
bahi_admin_SOURCES += cgi-bin/admin/admin_form.c
bahi_admin_SOURCES += cgi-bin/admin/admin_signin.c
bahi_admin_SOURCES += cgi-bin/admin/admin_categories.c
bahi_admin_SOURCES += cgi-bin/admin/admin_dashboard.c
bahi_admin_SOURCES += cgi-bin/admin/admin_catalog.c cgi-bin/admin/admin_catalog.h
bahi_admin_SOURCES += cgi-bin/admin/admin_products.c
bahi_admin_SOURCES += cgi-bin/admin/admin_product_stock.c
bahi_admin_SOURCES += cgi-bin/admin/admin_suppliers.c
bahi_admin_SOURCES += cgi-bin/admin/admin_supplier_invoice.c
bahi_admin_SOURCES += cgi-bin/admin/admin_customers.c cgi-bin/admin/admin_customers.h
bahi_admin_SOURCES += cgi-bin/admin/admin_customer_card.c
bahi_admin_SOURCES += cgi-bin/admin/admin_debts.c
bahi_admin_SOURCES += cgi-bin/admin/admin_settings.c cgi-bin/admin/admin_settings.h
bahi_admin_SOURCES += cgi-bin/admin/admin_users.c
bahi_admin_SOURCES += cgi-bin/admin/admin_devices.c
bahi_admin_SOURCES += cgi-bin/admin/admin_account.c
bahi_admin_SOURCES += cgi-bin/admin/admin_signup.c
bahi_admin_SOURCES += cgi-bin/admin/admin_sales.c cgi-bin/admin/admin_sales.h
bahi_admin_SOURCES += cgi-bin/admin/admin_sale_form.c
bahi_admin_SOURCES += cgi-bin/admin/admin_incomplete.c
bahi_admin_SOURCES += cgi-bin/admin/admin_invoices.c
bahi_admin_SOURCES += cgi-bin/admin/admin_invoice.c
bahi_admin_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/cgi-bin/auth -I$(srcdir)/cgi-bin/catalog \
	-I$(srcdir)/cgi-bin/invoicing
bahi_admin_LDADD = cgi-bin/auth/libauth.a cgi-bin/catalog/libcatalog.a \
	cgi-bin/invoicing/libinvoicing.a $(BAHI_LIBS)
# The live change stream (GET /api/v1/events): one threaded process, not pre-forked.
bin_PROGRAMS += bahi-events
bahi_events_SOURCES = cgi-bin/sync/events.h cgi-bin/sync/events_main.c \
	cgi-bin/sync/events_stream.c cgi-bin/sync/events_hub.c cgi-bin/sync/events_listen.c \
	cgi-bin/sync/events_db.c
bahi_events_LDADD = $(BAHI_LIBS) -lpthread
