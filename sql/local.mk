# sql/: the migration runner, the bootstrap script and the schema migrations.
bin_PROGRAMS += bahi-migrate
bahi_migrate_SOURCES = sql/bahi_migrate.c
bahi_migrate_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBAHI_MIGRATIONS_DIR='"$(migrationsdir)"'
bahi_migrate_LDADD = $(PQ_LIBS) $(SODIUM_LIBS)

# bootstrap.sql and check_isolation.sql go to $(pkgdatadir); a variable of our own
# so that other fragments may use dist_pkgdata_DATA without clashing.
bootstrapdir = $(pkgdatadir)
dist_bootstrap_DATA = sql/bootstrap.sql sql/check_isolation.sql
migrationsdir = $(pkgdatadir)/migrations
dist_migrations_DATA = \
	sql/migrations/0001_base.sql \
	sql/migrations/0002_auth.sql \
	sql/migrations/0003_user_phone_reuse.sql \
	sql/migrations/0004_hot_paths.sql \
	sql/migrations/0005_catalog.sql
dist_migrations_DATA += sql/migrations/0006_images.sql
dist_migrations_DATA += sql/migrations/0007_supplier_invoices.sql
dist_migrations_DATA += sql/migrations/0008_session_check.sql
dist_migrations_DATA += sql/migrations/0009_customers.sql
dist_migrations_DATA += sql/migrations/0010_sales.sql
dist_migrations_DATA += sql/migrations/0011_sync.sql
dist_migrations_DATA += sql/migrations/0012_dashboard.sql
dist_migrations_DATA += sql/migrations/0013_number_grouping.sql
dist_migrations_DATA += sql/migrations/0014_device_sessions.sql
dist_migrations_DATA += sql/migrations/0015_sale_write_cost.sql
dist_migrations_DATA += sql/migrations/0016_sale_lines_ledger.sql
dist_migrations_DATA += sql/migrations/0017_change_batches.sql

EXTRA_DIST += sql/README.md
