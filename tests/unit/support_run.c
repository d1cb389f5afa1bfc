/* SPDX-License-Identifier: GPL-2.0 */
/* Test support: run one Check suite, exit status for the test runner;
 * run a command and look at its output. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

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

char cmd_out[1 << 16];

int run_shell(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	size_t n;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(cmd_out, 1, sizeof(cmd_out) - 1, p);
	cmd_out[n] = '\0';
	st = pclose(p);
	ck_assert_msg(WIFEXITED(st), "%s: no exit status", cmd);
	return WEXITSTATUS(st);
}

void out_has(const char *text)
{
	ck_assert_msg(strstr(cmd_out, text), "'%s' not in:\n%s", text, cmd_out);
}
