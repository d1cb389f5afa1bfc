// SPDX-License-Identifier: GPL-2.0
/*
 * The demo scenarios of ./run demo (tests/scenarios/demo-<arch>.scn): tiny
 * and attack run next to each other, attack is denied and contained, tiny
 * keeps running, both cells are destroyed; then two cells play ivshmem
 * ping-pong and are destroyed. Each runs verbosely with stdout
 * in a file, so the -v summary is checked too. Run from the source tree's
 * top (as ./run test does).
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal/observe.h"
#include "sim/exec.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "support_run.h"

struct demo {
	const char *arch, *verdict, *denial;
};

static const struct demo demos[] = {
	{ "x86", "[tiny] [verdict] pass 4/4", "mmio_unhandled item=0xe000000" },
	{ "arm", "[tiny] [verdict] pass 4/4",
	  "mmio_unhandled item=0x4e000000" },
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(test_demo)
{
	const struct demo *d = &demos[_i];
	struct scenario_opts opts = { .verbose = true, .keep = true };
	char scn[128], out[128], err[512] = "";
	char *text;
	int ret;

	snprintf(scn, sizeof(scn), "tests/scenarios/demo-%s.scn", d->arch);
	snprintf(out, sizeof(out), "build/host/tests/demo-%s.out", d->arch);
	ck_assert_ptr_nonnull(freopen(out, "w", stdout));
	ret = scenario_file(scn, &opts, err, sizeof(err));
	fflush(stdout);
	ck_assert_msg(!ret, "%s", err);

	/* tiny printed its verdict; attack was denied and contained. */
	ck_assert_ptr_nonnull(strstr(sim_console(), d->verdict));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "warden: cell \"attack\" FAILED"));
	ck_assert(!sim_machine_stopped());
	/* CPU 3 is ivshmem-b's now: attack's denial went with attack. */
	ck_assert_uint_eq(core_cpu_stat(3, WD_CPU_STAT_VMEXITS_DENIED), 0);
	ck_assert_uint_eq(core_cpu_stat(2, WD_CPU_STAT_VMEXITS_DENIED), 0);
	/* ivshmem: data and a doorbell each way. */
	ck_assert_ptr_nonnull(strstr(sim_console(),
				     "[ivshmem-a] [check] ivshmem.doorbell: "
				     "pass (1 from peer 1)\n"));
	ck_assert_ptr_nonnull(strstr(sim_console(),
				     "[ivshmem-b] [check] ivshmem.doorbell: "
				     "pass (1 from peer 0)\n"));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "[ivshmem-a] [verdict] pass 9/9\n"));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "[ivshmem-b] [verdict] pass 9/9\n"));
	/* All destroyed: their CPUs are back in the root cell. */
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "warden: destroyed cell \"tiny\""));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "warden: destroyed cell \"attack\""));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "warden: destroyed cell \"ivshmem-a\""));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "warden: destroyed cell \"ivshmem-b\""));
	ck_assert_uint_eq(core_cell_id(core_cpu_cell(2)), 0);
	ck_assert_uint_eq(core_cell_id(core_cpu_cell(3)), 0);
	scenario_release();

	/* The -v summary: tiny RUNNING to the end, attack FAILED, verdicts. */
	text = slurp(out);
	ck_assert_msg(strstr(text, "=== summary: scenario passed"), "%s", text);
	ck_assert_msg(strstr(text, "tiny         1   2      running         "
				   "destroyed  -\n"),
		      "%s", text);
	ck_assert_msg(strstr(text, "attack       2   3      failed          "
				   "destroyed  "),
		      "%s", text);
	/* Ids 1 and 2 again, a new line each: the table lists every cell. */
	ck_assert_msg(strstr(text, "ivshmem-a    1   2      running         "
				   "destroyed  -\n"),
		      "%s", text);
	ck_assert_msg(strstr(text, "ivshmem-b    2   3      running         "
				   "destroyed  -\n"),
		      "%s", text);
	ck_assert_ptr_nonnull(strstr(text, d->denial));
	ck_assert_ptr_nonnull(
		strstr(text, "  [ivshmem-a] [verdict] pass 9/9\n"));
	ck_assert_ptr_nonnull(strstr(text, "  [tiny] [verdict] pass 4/4\n"));
	ck_assert_ptr_nonnull(
		strstr(text, "  [attack] (log) [run] attack.ram-other-read\n"));
	ck_assert_ptr_nonnull(strstr(text, "denied              0        0"
					   "        0        1        1\n"));
	free(text);
}
END_TEST

static Suite *demo_suite(void)
{
	Suite *s = suite_create("demo");
	TCase *tc = tcase_create("demo");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_demo, 0, sizeof(demos) / sizeof(demos[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(demo_suite());
}
