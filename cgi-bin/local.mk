# cgi-bin/: the seven FastCGI workers, each a thin adapter over libbahi.
bin_PROGRAMS += bahi-auth bahi-catalog bahi-invoicing bahi-ledger \
	bahi-reports bahi-sync bahi-admin
bahi_auth_SOURCES = cgi-bin/auth/main.c cgi-bin/auth/auth.h \
	cgi-bin/auth/auth_session.c cgi-bin/auth/auth_me.c cgi-bin/auth/auth_appkeys.c
bahi_auth_SOURCES += cgi-bin/auth/auth_users.c cgi-bin/auth/auth_devices.c \
	cgi-bin/auth/auth_activity.c
bahi_auth_SOURCES += cgi-bin/auth/auth_account.c
bahi_auth_LDADD = $(BAHI_LIBS)
# The catalog and invoicing handlers are libraries: their workers link them,
# and so does sync, whose push applies mutations through the same routes.
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
bahi_admin_SOURCES = cgi-bin/admin/main.c
bahi_admin_LDADD = $(BAHI_LIBS)
# The live change stream (GET /api/v1/events): one threaded process, not pre-forked.
bin_PROGRAMS += bahi-events
bahi_events_SOURCES = cgi-bin/sync/events.h cgi-bin/sync/events_main.c \
	cgi-bin/sync/events_stream.c cgi-bin/sync/events_hub.c cgi-bin/sync/events_listen.c \
	cgi-bin/sync/events_db.c
bahi_events_LDADD = $(BAHI_LIBS) -lpthread
