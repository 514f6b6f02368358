# bench/: the foundation benchmark (bench/run) and its trivial FastCGI baseline.
noinst_PROGRAMS += bench/baseline-fcgi
bench_baseline_fcgi_SOURCES = bench/baseline_fcgi.c
bench_baseline_fcgi_LDADD = $(FCGI_LIBS) $(PQ_LIBS)
EXTRA_DIST += bench/run bench/README.md bench/wrk-summary.lua
