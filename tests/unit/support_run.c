/* SPDX-License-Identifier: GPL-2.0 */
/* Test support: run one Check suite, exit status for the test runner. */
#include <check.h>

#include "support_run.h"

int check_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
