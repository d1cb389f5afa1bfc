// SPDX-License-Identifier: GPL-2.0
/*
 * The root cell's `warden` command (tools/warden/) as a user meets it on a
 * machine without the driver: --help of every verb, usage errors (exit 2,
 * one line and the usage), files that are not the config asked for (exit
 * 1, one line), no /dev/warden (exit 1, says to load the module), config
 * check handed to warden-config. The ASan/UBSan build, each command a
 * process of its own, from the top of the tree. The commands that reach
 * the driver run in the Linux test (tests/linux/arm_linux.py).
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support_run.h"

#define CMD "build/host/warden"
#define SYS "build/configs/qemu-arm-virt/system.cell"
#define CELL "build/configs/qemu-arm-virt/tiny.cell"

/* Exactly one line of output. */
static void one_line(void)
{
	char *nl = strchr(cmd_out, '\n');

	ck_assert_msg(nl && !nl[1], "not one line:\n%s", cmd_out);
}

START_TEST(test_help)
{
	static const char *const verbs[][2] = {
		{ "enable", "enable SYSTEM.cell" },
		{ "disable", "disable\n" },
		{ "console", "console [-f]" },
		{ "config", "config {check|dump}" },
		{ "cell create", "cell create CELL.cell" },
		{ "cell load", "cell load {ID|NAME} IMAGE [-a ADDR]..." },
		{ "cell start", "cell start {ID|NAME}" },
		{ "cell shutdown", "cell shutdown {ID|NAME}" },
		{ "cell destroy", "cell destroy {ID|NAME}" },
		{ "cell list", "cell list\n" },
		{ "cell stats", "cell stats NAME" },
	};
	unsigned int i;

	ck_assert_int_eq(run_shell(CMD " --help"), 0);
	out_has("usage: warden VERB [ARGS]");
	out_has("usage: warden cell VERB [ARGS]");
	out_has("Exit status: 0 done, 1 refused or failed");
	ck_assert_int_eq(run_shell(CMD " cell --help"), 0);
	out_has("usage: warden cell VERB");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		ck_assert_int_eq(run_shell(CMD " %s --help", verbs[i][0]), 0);
		out_has(verbs[i][1]);
	}
	/* Help of one verb names that verb only. */
	ck_assert_int_eq(run_shell(CMD " cell start -h"), 0);
	ck_assert_ptr_null(strstr(cmd_out, "destroy"));
	/* No verb: the help, but a usage error. */
	ck_assert_int_eq(run_shell(CMD), 2);
	out_has("usage: warden VERB");
}
END_TEST

START_TEST(test_usage_errors)
{
	ck_assert_int_eq(run_shell(CMD " frob"), 2);
	out_has("warden: unknown verb \"frob\" (warden --help)\n");
	ck_assert_int_eq(run_shell(CMD " cell frob"), 2);
	out_has("unknown verb \"cell frob\" (warden cell --help)");
	ck_assert_int_eq(run_shell(CMD " enable"), 2);
	out_has("enable takes one system config\nusage: warden enable SYSTEM.cell");
	ck_assert_int_eq(run_shell(CMD " disable now"), 2);
	out_has("disable takes no arguments");
	ck_assert_int_eq(run_shell(CMD " cell start"), 2);
	out_has("cell start takes one cell");
	ck_assert_int_eq(run_shell(CMD " cell destroy a b"), 2);
	ck_assert_int_eq(run_shell(CMD " cell load tiny"), 2);
	out_has("cell load takes a cell and images");
	ck_assert_int_eq(run_shell(CMD " cell load tiny -a 0 " SYS), 2);
	out_has("-a needs an address after an image");
	ck_assert_int_eq(run_shell(CMD " cell load tiny " SYS " -a"), 2);
	ck_assert_int_eq(run_shell(CMD " cell load tiny " SYS " -a 0x1zz"), 2);
	ck_assert_int_eq(run_shell(CMD " cell load tiny " SYS " -a -4"), 2);
	ck_assert_int_eq(run_shell(CMD " cell load tiny " SYS " -x"), 2);
	out_has("unknown option -x");
	ck_assert_int_eq(
		run_shell(CMD " cell start abcdefghijabcdefghijabcdefghijabc"),
		2);
	out_has("1..31 characters");
	ck_assert_int_eq(run_shell(CMD " cell start 99999999999"), 2);
	out_has("cell id 99999999999 out of range");
	ck_assert_int_eq(run_shell(CMD " console -x"), 2);
	ck_assert_int_eq(run_shell(CMD " config frob"), 2);
	out_has("config takes check or dump");
}
END_TEST

START_TEST(test_inputs)
{
	ck_assert_int_eq(run_shell(CMD " enable /nonexistent.cell"), 1);
	out_has("warden: /nonexistent.cell: No such file or directory\n");
	one_line();
	ck_assert_int_eq(run_shell(CMD " enable build"), 1);
	out_has("build: not a regular file");
	one_line();
	ck_assert_int_eq(run_shell(CMD " enable " CELL), 1);
	out_has("tiny.cell: not a system config (signature \"JHSYS\"");
	one_line();
	ck_assert_int_eq(run_shell(CMD " cell create " SYS), 1);
	out_has("system.cell: not a cell config (signature \"JHCLL\"");
	one_line();
	ck_assert_int_eq(run_shell(CMD " cell load tiny /nonexistent.bin"), 1);
	out_has("/nonexistent.bin: No such file or directory");
}
END_TEST

START_TEST(test_no_driver)
{
	if (access("/dev/warden", F_OK) == 0)
		return; /* a machine with the driver: nothing to see here */
	ck_assert_int_eq(run_shell(CMD " enable " SYS), 1);
	out_has("warden: enable: cannot open /dev/warden: No such file or "
		"directory (is the warden module loaded?)\n");
	one_line();
	ck_assert_int_eq(run_shell(CMD " cell start tiny"), 1);
	out_has("cell start: cannot open /dev/warden");
	ck_assert_int_eq(run_shell(CMD " cell list"), 1);
	out_has("cannot read /sys/devices/warden/enabled (is the warden module "
		"loaded?)");
	one_line();
}
END_TEST

START_TEST(test_config_handover)
{
	ck_assert_int_eq(run_shell("PATH=build/host:$PATH " CMD
				   " config check configs/qemu-arm-virt"),
			 0);
	out_has("tiny.dts");
	ck_assert_int_eq(
		run_shell("PATH=/nonexistent " CMD " config dump " SYS), 1);
	out_has("config: cannot run warden-config");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("warden_cmd");
	TCase *tc = tcase_create("warden_cmd");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_inputs);
	tcase_add_test(tc, test_no_driver);
	tcase_add_test(tc, test_config_handover);
	suite_add_tcase(s, tc);
	return check_run(s);
}
