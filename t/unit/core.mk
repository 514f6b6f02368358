# t/unit/core.mk: unit tests of the request core and validation.
check_PROGRAMS += t/unit/check_core t/unit/check_valid
TESTS += t/unit/check_core t/unit/check_valid
t_unit_check_core_SOURCES = t/unit/check_core.c
t_unit_check_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_core_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)
t_unit_check_valid_SOURCES = t/unit/check_valid.c
t_unit_check_valid_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_valid_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)
check_PROGRAMS += t/unit/check_jwtkeys
TESTS += t/unit/check_jwtkeys
t_unit_check_jwtkeys_SOURCES = t/unit/check_jwtkeys.c
t_unit_check_jwtkeys_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
t_unit_check_jwtkeys_LDADD = $(BAHI_LIBS) $(CHECK_LIBS)
