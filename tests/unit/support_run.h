/* SPDX-License-Identifier: GPL-2.0 */
#ifndef WARDEN_TEST_SUPPORT_RUN_H
#define WARDEN_TEST_SUPPORT_RUN_H

#include <check.h>

/* Run every test of @suite (forked, as Check does); 0 if all passed. */
int check_run(Suite *suite);

/* The output (stdout and stderr) of the last run_shell(). */
extern char cmd_out[1 << 16];

/* Run the shell command @fmt, its output into cmd_out; its exit status
 * (a failed check when it has none). */
int run_shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A failed check unless cmd_out holds @text. */
void out_has(const char *text);

#endif
