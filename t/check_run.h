/* check_run: the main() body every Check test program shares: run one suite, exit by its result. */
#ifndef BAHI_CHECK_RUN_H
#define BAHI_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int
bahi_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
