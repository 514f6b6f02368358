# bench/: the benchmarks (bench/run), their trivial FastCGI baseline and the raw Argon2id rate.
noinst_PROGRAMS += bench/baseline-fcgi
bench_baseline_fcgi_SOURCES = bench/baseline_fcgi.c
bench_baseline_fcgi_LDADD = $(FCGI_LIBS) $(PQ_LIBS)
noinst_PROGRAMS += bench/pwhash-rate
bench_pwhash_rate_SOURCES = bench/pwhash_rate.c
bench_pwhash_rate_LDADD = $(SODIUM_LIBS)
EXTRA_DIST += bench/run bench/lib.sh bench/foundation.sh bench/auth.sh bench/README.md bench/wrk-summary.lua
EXTRA_DIST += bench/catalog.sh bench/catalog-data.sql bench/catalog-search.lua
EXTRA_DIST += bench/sales.sh bench/sales-data.sql bench/sales-invoices.lua
EXTRA_DIST += bench/sales-instr.sh bench/sales-instr.awk
EXTRA_DIST += bench/sync.sh bench/sync-data.sql
EXTRA_DIST += bench/admin.sh bench/dashboard-data.sql
noinst_PROGRAMS += bench/events-client
bench_events_client_SOURCES = bench/events_client.c
EXTRA_DIST += bench/events.sh
