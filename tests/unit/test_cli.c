// SPDX-License-Identifier: GPL-2.0
/*
 * The command lines of warden-sim and warden-config as a user meets them
 * (issue #13): --help of every subcommand, option values checked with a
 * reason, directory/empty/binary inputs refused in one line, a scenario
 * that does nothing or whose cell fails unexpectedly does not pass, an
 * image of the wrong architecture refused, -v naming hypercalls, check
 * DIR by groups. Runs the ASan/UBSan build (build/host/) from the top of
 * the tree, each command a process of its own.
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

#define SIM "build/host/warden-sim"
#define CFG "build/host/warden-config"
#define REL "build/release/warden-sim"
#define DIR "build/host/tests/cli"

/* Write @text to DIR/@name; its path. */
static const char *file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	ck_assert_int_eq(system("mkdir -p " DIR), 0);
	snprintf(path, sizeof(path), DIR "/%s", name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

/* tiny-arm.scn with @from replaced by @to, lines starting with @drop
 * left cmd_out (NULL: none), as DIR/@name. */
static const char *variant(const char *name, const char *from, const char *to,
			   const char *drop)
{
	char line[512], *text = calloc(1, 1 << 16), *at, top[512];
	FILE *f = fopen("tests/scenarios/tiny-arm.scn", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(getcwd(top, sizeof(top)));
	while (fgets(line, sizeof(line), f)) {
		if (drop && !strncmp(line, drop, strlen(drop)))
			continue;
		if (from && (at = strstr(line, from))) {
			char rest[512];

			snprintf(rest, sizeof(rest), "%s", at + strlen(from));
			snprintf(at, sizeof(line) - (size_t)(at - line), "%s%s",
				 to, rest);
		}
		/* Paths: from the scenario directory to the top. */
		while ((at = strstr(line, "../../"))) {
			char rest[512];

			snprintf(rest, sizeof(rest), "%s", at + 6);
			snprintf(at, sizeof(line) - (size_t)(at - line),
				 "%s/%s", top, rest);
		}
		strcat(text, line);
	}
	fclose(f);
	name = file(name, text);
	free(text);
	return name;
}

START_TEST(test_sim_help)
{
	static const char *const cmds[] = { "run", "replay" };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(run_shell(SIM " %s --help", cmds[i]), 0);
		out_has("usage: warden-sim ");
		out_has("Exit status: 0");
		out_has("Example:\n  build/release/warden-sim ");
	}
	ck_assert_int_eq(run_shell(SIM " --help"), 0);
	out_has("--help' describes a command");
}
END_TEST

START_TEST(test_sim_options)
{
	ck_assert_int_eq(run_shell(SIM " run --gdb 70000 x.scn"), 2);
	out_has("warden-sim run: --gdb 70000: port out of range (1-65535)\n");
	ck_assert_int_eq(run_shell(SIM " run --gdb 0 x.scn"), 2);
	out_has("port out of range (1-65535)");
	ck_assert_int_eq(run_shell(SIM " run --gdb 12ab x.scn"), 2);
	out_has("--gdb 12ab: not a decimal number");
	ck_assert_int_eq(run_shell(SIM " run --gdb"), 2);
	out_has("--gdb needs a port number");
	ck_assert_int_eq(run_shell(SIM " run --gdb-cpu 1 x.scn"), 2);
	out_has("--gdb-cpu needs --gdb PORT");
	ck_assert_int_eq(run_shell(SIM " run --gdb 2345 --gdb-cpu 256 x.scn"),
			 2);
	out_has("--gdb-cpu 256: CPU out of range (0-255)");
	ck_assert_int_eq(run_shell(SIM " run --frob x.scn"), 2);
	out_has("unknown option '--frob'");
	ck_assert_int_eq(run_shell(SIM " run a.scn b.scn"), 2);
	out_has("one SCENARIO only (also got 'b.scn')");
	ck_assert_int_eq(run_shell(SIM " replay"), 2);
	out_has("missing TRACE");
}
END_TEST

START_TEST(test_sim_inputs)
{
	ck_assert_int_eq(run_shell(SIM " run tests/scenarios"), 1);
	out_has("tests/scenarios: is a directory, not a scenario file");
	ck_assert_int_eq(run_shell(SIM " run %s", file("empty.scn", "")), 1);
	out_has("empty.scn: empty file, not a scenario\n");
	ck_assert_int_eq(run_shell(SIM " run " SIM), 1);
	out_has(SIM ": an ELF file, not a scenario");
	ck_assert_int_eq(run_shell(SIM " run %s",
				   file("comments.scn", "# nothing\n\n")),
			 1);
	out_has("comments.scn: no directives: nothing was run");
	ck_assert_int_eq(run_shell(SIM " replay tests/traces"), 1);
	out_has("tests/traces: is a directory, not a trace file");
	ck_assert_int_eq(
		run_shell(SIM " replay build/configs/sim-arm/tiny.cell"), 1);
	out_has("a compiled .cell config, not a trace");
	ck_assert_int_eq(run_shell(SIM " run %s",
				   file("long.scn",
					"machine ram=0 size=0x1000000 "
					"cpus=2\nrun 600001\n")),
			 1);
	out_has("long.scn:2: run: argument 1 (MS): 600001 is out of range (at "
		"most 600000)");
}
END_TEST

START_TEST(test_sim_verdicts)
{
	/* An x86 image into an ARM cell: refused at load. */
	ck_assert_int_eq(run_shell(SIM " run %s",
				   variant("x86-in-arm.scn", "armv7/tiny.bin",
					   "x86_64/tiny.bin", NULL)),
			 1);
	out_has("x86-in-arm.scn:10: load: cell 1 ('tiny'): ");
	out_has("x86_64/tiny.bin holds x86-64 code (so says ");
	out_has("the cell is an ARM cell");
	ck_assert_int_eq(run_shell(SIM " run %s",
				   variant("elf.scn", "armv7/tiny.bin",
					   "armv7/tiny.elf", NULL)),
			 1);
	out_has("is an ELF file: load takes the raw image");
	/* The same code, but where the check cannot see it, and no
	 * expectations: the cell fails, so does the scenario. */
	ck_assert_int_eq(system("mkdir -p " DIR " && cp "
				"build/inmates/x86_64/tiny.bin " DIR
				"/raw.bin"),
			 0);
	ck_assert_int_eq(run_shell(SIM " run -v %s",
				   variant("silent.scn",
					   "../../build/inmates/armv7/tiny.bin",
					   "raw.bin", "expect")),
			 1);
	out_has("=== summary: SCENARIO FAILED; failed cells: tiny (NOT expected)");
	out_has("silent.scn: cell 'tiny' (id 1) failed (cpu_exception");
	out_has("the scenario does not expect it");
	/* ... unless the caller compares outcomes itself. */
	ck_assert_int_eq(run_shell(SIM " run -v --cells-may-fail " DIR
				       "/silent.scn"),
			 0);
	out_has("=== summary: scenario passed; failed cells: tiny (NOT expected)");
	/* Expected failures pass and are named. */
	ck_assert_int_eq(
		run_shell(SIM " run -v tests/scenarios/attack-arm.scn"), 0);
	out_has("=== summary: scenario passed; failed cells: attack (expected)\n");
	/* -v names hypercalls with replay's names. */
	out_has("hvc cell_create (code=1) arg1=0x");
	out_has("hvc cell_start (code=2) arg1=0x");
	ck_assert_int_eq(run_shell(SIM " run tests/scenarios/tiny-arm.scn"), 0);
}
END_TEST

/*
 * The release build (build/release/warden-sim, what users and ./run demo
 * run): every shipped scenario passes by hand, exit 0 with the verdict and
 * not a word from a sanitizer; a scenario with one expectation broken
 * exits 1 with SCENARIO FAILED.
 */
START_TEST(test_release_scenarios)
{
	FILE *ls = popen("ls tests/scenarios/*.scn", "r");
	char path[256], text[64 * 1024];
	unsigned int n = 0;

	ck_assert_ptr_nonnull(ls);
	while (fgets(path, sizeof(path), ls)) {
		path[strcspn(path, "\n")] = '\0';
		ck_assert_msg(!run_shell("env -u ASAN_OPTIONS -u LSAN_OPTIONS "
					 "-u UBSAN_OPTIONS " REL " run -v %s",
					 path),
			      "%s: %s", path, cmd_out);
		out_has("=== summary: scenario passed");
		ck_assert_msg(!strstr(cmd_out, "Sanitizer") &&
				      !strstr(cmd_out, "Suppressions") &&
				      !strstr(cmd_out, "runtime error"),
			      "%s: sanitizer text in:\n%s", path, cmd_out);
		n++;
	}
	pclose(ls);
	ck_assert_uint_ge(n, 28);
	snprintf(text, sizeof(text), "%s",
		 variant("broken.scn", "[verdict] pass 4/4",
			 "[verdict] pass 5/4", NULL));
	ck_assert_int_eq(run_shell(REL " run -v %s", text), 1);
	out_has("=== summary: SCENARIO FAILED");
	out_has("broken.scn:14: '[tiny] [verdict] pass 5/4' not printed");
}
END_TEST

START_TEST(test_config_help)
{
	static const char *const cmds[] = { "compile", "check", "dump",
					    "upgrade" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(run_shell(CFG " %s --help", cmds[i]), 0);
		out_has("usage: warden-config ");
		out_has("Exit status: 0");
		out_has("Example");
		out_has("  build/release/warden-config ");
	}
	ck_assert_int_eq(run_shell(CFG " --help"), 0);
	out_has("--help' explains a command");
}
END_TEST

START_TEST(test_config_options)
{
	ck_assert_int_eq(run_shell(CFG " compile configs/sim-x86/tiny.dts"), 2);
	out_has("warden-config compile: missing -o OUT.cell\n");
	ck_assert_int_eq(run_shell(CFG " compile a.dts -o"), 2);
	out_has("warden-config compile: -o needs a file name\n");
	ck_assert_int_eq(run_shell(CFG " compile a.dts b.dts -o c.cell"), 2);
	out_has("one input only (also got 'b.dts')");
	ck_assert_int_eq(run_shell(CFG " dump --frob x.cell"), 2);
	out_has("warden-config dump: unknown option '--frob'\n"
		"'warden-config dump --help' explains.\n");
	ck_assert_int_eq(run_shell(CFG " upgrade x.cell -o y.cell --arch mips"),
			 2);
	out_has("--arch mips: unknown architecture (x86, arm or arm64)");
}
END_TEST

START_TEST(test_config_inputs)
{
	ck_assert_int_eq(run_shell(CFG " compile configs -o " DIR "/x.cell"),
			 1);
	out_has("warden-config: configs: cannot read: Is a directory\n");
	ck_assert_int_eq(run_shell(CFG " dump configs"), 1);
	out_has("warden-config: configs: cannot read: Is a directory\n");
	ck_assert_int_eq(run_shell(CFG " compile %s -o " DIR "/x.cell",
				   file("empty.dts", "")),
			 1);
	out_has("empty.dts: empty file: a DTS source or DTB expected\n");
	ck_assert_int_eq(run_shell(CFG
				   " compile build/configs/sim-x86/tiny.cell "
				   "-o " DIR "/x.cell"),
			 1);
	out_has("a compiled .cell config, not a DTS source or DTB");
	ck_assert_int_eq(run_shell(CFG " compile " CFG " -o " DIR "/x.cell"),
			 1);
	out_has(CFG ": an ELF file, not a DTS source or DTB\n");
}
END_TEST

START_TEST(test_config_check_dir)
{
	ck_assert_int_eq(run_shell(CFG " check configs/sim-x86"), 0);
	out_has("configs/sim-x86: system.dts with attack.dts mmio.dts tiny.dts "
		"(group of the cells without '-'): ok\n");
	out_has("configs/sim-x86: system.dts with ivshmem-a.dts ivshmem-b.dts "
		"(group 'ivshmem'): ok\n");
	out_has("configs/sim-x86: system.dts with attack-con.dts (group "
		"'attack'): ok\n");
	ck_assert_int_eq(run_shell(CFG " check build/configs/sim-arm"), 0);
	out_has("build/configs/sim-arm: system.cell with ivshmem-a.cell "
		"ivshmem-b.cell (group 'ivshmem'): ok\n");
	/* The files of a directory as one set: alternatives collide. */
	ck_assert_int_eq(run_shell(CFG " check configs/sim-x86/*.dts"), 1);
	out_has("physical range overlaps");
	out_has("note: the 7 files were checked as ONE set");
	ck_assert_int_eq(
		run_shell(CFG " check configs configs/sim-x86/tiny.dts"), 2);
	out_has("not both");
	ck_assert_int_eq(run_shell(CFG " check tests/scenarios"), 1);
	out_has("tests/scenarios: no .dts or .cell configs in this directory\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sim_help);
	tcase_add_test(tc, test_sim_options);
	tcase_add_test(tc, test_sim_inputs);
	tcase_add_test(tc, test_sim_verdicts);
	tcase_add_test(tc, test_release_scenarios);
	tcase_add_test(tc, test_config_help);
	tcase_add_test(tc, test_config_options);
	tcase_add_test(tc, test_config_inputs);
	tcase_add_test(tc, test_config_check_dir);
	suite_add_tcase(s, tc);
	return check_run(s);
}
