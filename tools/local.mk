# tools/: command-line helpers built with libbahi (the demo seed used by ./dev up).
noinst_PROGRAMS += bahi-seed
bahi_seed_SOURCES = tools/bahi_seed.c
bahi_seed_LDADD = $(BAHI_LIBS)
# bahi-remind: the daily debt-reminder job (dist/systemd/bahi-debt-reminders.timer; ./dev remind).
bin_PROGRAMS += bahi-remind
bahi_remind_SOURCES = tools/bahi_remind.c
bahi_remind_LDADD = $(BAHI_LIBS)
