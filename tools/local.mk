# tools/: command-line helpers built with libbahi (the demo seed used by ./dev up).
noinst_PROGRAMS += bahi-seed
bahi_seed_SOURCES = tools/bahi_seed.c
bahi_seed_LDADD = $(BAHI_LIBS)
