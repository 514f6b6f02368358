# t/unit/: Check unit tests, one program per common/ module, run by `make check`.
check_PROGRAMS += t/unit/check_money t/unit/check_date t/unit/check_num \
	t/unit/check_uuid t/unit/check_random
TESTS += t/unit/check_money t/unit/check_date t/unit/check_num \
	t/unit/check_uuid t/unit/check_random

t_unit_check_money_SOURCES = t/unit/check_money.c
t_unit_check_money_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_money_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

t_unit_check_date_SOURCES = t/unit/check_date.c
t_unit_check_date_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_date_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

t_unit_check_num_SOURCES = t/unit/check_num.c
t_unit_check_num_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_num_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

t_unit_check_uuid_SOURCES = t/unit/check_uuid.c
t_unit_check_uuid_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_uuid_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

t_unit_check_random_SOURCES = t/unit/check_random.c
t_unit_check_random_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_random_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_cursor
TESTS += t/unit/check_cursor
t_unit_check_cursor_SOURCES = t/unit/check_cursor.c
t_unit_check_cursor_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_cursor_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_export
TESTS += t/unit/check_export
t_unit_check_export_SOURCES = t/unit/check_export.c
t_unit_check_export_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_export_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_files
TESTS += t/unit/check_files
t_unit_check_files_SOURCES = t/unit/check_files.c
t_unit_check_files_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_files_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_csv
TESTS += t/unit/check_csv
t_unit_check_csv_SOURCES = t/unit/check_csv.c
t_unit_check_csv_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_csv_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_pdf
TESTS += t/unit/check_pdf
t_unit_check_pdf_SOURCES = t/unit/check_pdf.c t/pdf_text.c t/pdf_text.h
t_unit_check_pdf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_pdf_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)
CLEANFILES += t/unit/check_pdf_*.pdf

check_PROGRAMS += t/unit/check_sales_rules
TESTS += t/unit/check_sales_rules
t_unit_check_sales_rules_SOURCES = t/unit/check_sales_rules.c
t_unit_check_sales_rules_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_sales_rules_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_i18n
TESTS += t/unit/check_i18n
t_unit_check_i18n_SOURCES = t/unit/check_i18n.c
t_unit_check_i18n_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_i18n_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_chart
TESTS += t/unit/check_chart
t_unit_check_chart_SOURCES = t/unit/check_chart.c
t_unit_check_chart_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_chart_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_po
TESTS += t/unit/check_po
t_unit_check_po_SOURCES = t/unit/check_po.c
t_unit_check_po_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_po_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)

check_PROGRAMS += t/unit/check_multipart
TESTS += t/unit/check_multipart
t_unit_check_multipart_SOURCES = t/unit/check_multipart.c
t_unit_check_multipart_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_multipart_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)
