/* bahi-remind: runs the daily debt-reminder job once (bahi_remind_run) and prints one summary line; the systemd timer starts it daily. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_log.h"
#include "bahi_random.h"
#include "bahi_remind.h"

static int
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--config FILE]\n"
	        "  (without --config: $BAHI_CONFIG, else /etc/bahi/bahi.conf)\n", prog);
	return 2;
}

int
main(int argc, char **argv)
{
	const char *config = NULL;
	bahi_remind_counts c;
	if (argc == 3 && strcmp(argv[1], "--config") == 0)
		config = argv[2];
	else if (argc != 1)
		return usage(argv[0]);
	if (bahi_config_load(config) != 0 || bahi_random_init() != 0)
		return 2;
	bahi_log_init("remind");
	bahi_db_init(bahi_config_get("db_url"));
	int rc = bahi_remind_run(time(NULL), &c);
	printf("bahi-remind: %ld businesses scanned, %ld reminders queued, %ld SMS sent,"
	       " %ld SMS failed, %ld businesses failed\n",
	       c.businesses, c.queued, c.sms_sent, c.sms_failed, c.failed);
	bahi_db_close();
	return rc == 0 ? 0 : 1;
}
