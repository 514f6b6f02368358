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
