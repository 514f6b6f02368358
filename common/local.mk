# common/: libbahi, the library every worker links.
noinst_LIBRARIES += common/libbahi.a
common_libbahi_a_SOURCES = \
	common/bahi_account.c common/bahi_account_token.c common/bahi_account.h \
	common/bahi_account_me.c common/bahi_account_cols.h \
	common/bahi_activity.c common/bahi_activity.h \
	common/bahi_appkey.c common/bahi_appkey.h \
	common/bahi_buf.c common/bahi_buf.h \
	common/bahi_business.c common/bahi_business.h \
	common/bahi_changelog.c common/bahi_changelog.h \
	common/bahi_config.c common/bahi_config.h \
	common/bahi_cursor.c common/bahi_cursor.h \
	common/bahi_date.c common/bahi_date.h \
	common/bahi_db.c common/bahi_db.h \
	common/bahi_devices.c common/bahi_devices.h \
	common/bahi_export.c common/bahi_export.h \
	common/bahi_health.c common/bahi_health.h \
	common/bahi_idem.c common/bahi_idem.h \
	common/bahi_json.c common/bahi_json.h \
	common/bahi_jwt.c common/bahi_jwt.h \
	common/bahi_log.c common/bahi_log.h \
	common/bahi_money.c common/bahi_money.h \
	common/bahi_num.c common/bahi_num.h \
	common/bahi_otp.c common/bahi_otp.h \
	common/bahi_password.c common/bahi_password.h \
	common/bahi_perm.c common/bahi_perm.h \
	common/bahi_phone.c common/bahi_phone.h \
	common/bahi_pool.c common/bahi_pool.h \
	common/bahi_prefork.c \
	common/bahi_problem.c common/bahi_problem.h \
	common/bahi_purge.c common/bahi_purge.h \
	common/bahi_random.c common/bahi_random.h \
	common/bahi_req.c common/bahi_req.h \
	common/bahi_router.c common/bahi_router.h \
	common/bahi_session.c common/bahi_session.h \
	common/bahi_sms.c common/bahi_sms.h \
	common/bahi_tmpl.cc common/bahi_tmpl.h \
	common/bahi_uuid.c common/bahi_uuid.h \
	common/bahi_users.c common/bahi_users.h \
	common/bahi_valid.c common/bahi_valid.h \
	common/bahi_worker.c common/bahi_worker.h
# catalog modules (one line per module)
common_libbahi_a_SOURCES += common/bahi_image.c common/bahi_image.h
common_libbahi_a_SOURCES += common/bahi_product.h common/bahi_stock.h
common_libbahi_a_SOURCES += common/bahi_md5.c common/bahi_md5.h common/bahi_link.c common/bahi_link.h
common_libbahi_a_SOURCES += common/bahi_s3.c common/bahi_s3.h
common_libbahi_a_SOURCES += common/bahi_csv.c common/bahi_csv.h
common_libbahi_a_SOURCES += common/bahi_stock.c common/bahi_batch.c common/bahi_supplier.c common/bahi_supplier.h
common_libbahi_a_SOURCES += common/bahi_pdf.c common/bahi_pdf.h common/bahi_shape.c common/bahi_shape.h
common_libbahi_a_SOURCES += common/bahi_imgcodec.c common/bahi_imgcodec.h common/bahi_imgstore.c common/bahi_imgstore.h
common_libbahi_a_SOURCES += common/bahi_import.c common/bahi_import_invoice.c common/bahi_import.h
common_libbahi_a_SOURCES += common/bahi_category.c common/bahi_category.h common/bahi_product.c common/bahi_product_list.c
common_libbahi_a_SOURCES += common/bahi_totals.c common/bahi_totals.h common/bahi_alloc.c common/bahi_alloc.h common/bahi_debt.c common/bahi_debt.h
common_libbahi_a_SOURCES += common/bahi_customer.c common/bahi_customer.h
common_libbahi_a_SOURCES += common/bahi_debts.c common/bahi_debts.h common/bahi_remind.c common/bahi_remind.h
common_libbahi_a_SOURCES += common/bahi_invoice.c common/bahi_invoice_read.c common/bahi_invoice.h common/bahi_stock_lines.c
common_libbahi_a_SOURCES += common/bahi_invoice_pdf.c common/bahi_invoice_pdf.h
common_libbahi_a_SOURCES += common/bahi_payment.c common/bahi_payment.h common/bahi_customer_history.c
common_libbahi_a_SOURCES += common/bahi_correction.h common/bahi_invoice_void.c common/bahi_credit_note.c
common_libbahi_a_SOURCES += common/bahi_sync.h common/bahi_sync_entities.c \
	common/bahi_sync_pull.c common/bahi_sync_push.c
common_libbahi_a_SOURCES += common/bahi_chart.c common/bahi_chart.h
common_libbahi_a_SOURCES += common/bahi_i18n.c common/bahi_i18n.h
common_libbahi_a_SOURCES += common/bahi_multipart.c common/bahi_multipart.h
common_libbahi_a_SOURCES += common/bahi_dashboard.c common/bahi_dashboard.h
