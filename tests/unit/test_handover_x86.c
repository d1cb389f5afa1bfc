// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 handover reset list (arch-x86/handover.h): as data (no entry
 * twice, the MSRs exactly those the MSR policy lets cells write natively,
 * the SDM's values), and end to end in the simulator: a cell plants a
 * distinctive value in every register it can reach and goes (destroyed,
 * or failed); the next cell on the CPU reads them back
 * (tests/scenarios/handover-x86.scn, handover-failed-x86.scn; and a CPU
 * the next cell starts by INIT/SIPI: handover-sipi-x86.scn). With the
 * whole list applied every group passes; with any one entry left out
 * (exec_handover_skip) the scenario fails and names that register.
 * Run from the source tree's top.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "arch-x86/handover.h"
#include "arch-x86/msr.h"
#include "arch-x86/x2apic.h"
#include "hal/core.h"
#include "sim/exec.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "support_run.h"

/* ---- the list as data ---- */

struct entry {
	const char *name, *group; /* the handover inmate's [check] group */
	uint64_t value;
};

#define GPR(n) { #n, "gprs", X86_HANDOVER_GPR_VALUE },
#define CR(n, num, v) { #n, "control", v },
#define SEG(n, sel, base, limit, ar) { #n, "segments", sel },
#define DTR(n, base, limit) { #n, "segments", limit },
#define DR(n, num, v) { #n, "debug", v },
#define MSR(n, id, v) { #n, "msrs", v },
#define FPU(n, v) { #n, "fpu", v },
#define APIC(n, reg, v) { #n, "x2apic", v },
#define APIC_VEC(n, reg) { #n, "x2apic", 0 },

static const struct entry list[] = {
	/* the X86_HANDOVER_GPRS general registers, by encoding number */
	GPR(RAX) GPR(RCX) GPR(RDX) GPR(RBX) GPR(RSP) GPR(RBP) GPR(RSI) GPR(RDI)
		GPR(R8) GPR(R9) GPR(R10) GPR(R11) GPR(R12) GPR(R13) GPR(R14)
			GPR(R15){ "RFLAGS", "rflags", X86_HANDOVER_RFLAGS },
	X86_HANDOVER_CRS(CR) X86_HANDOVER_SEGS(SEG) X86_HANDOVER_DTRS(DTR)
		X86_HANDOVER_DRS(DR) X86_HANDOVER_MSRS(MSR)
			X86_HANDOVER_FPU(FPU){ "ST", "fpu", 0 },
	{ "XMM", "xmm", 0 },
	X86_HANDOVER_APIC(APIC) X86_HANDOVER_APIC_VECTORS(APIC_VEC){
		"APIC_BASE", "x2apic", X86_HANDOVER_APIC_BASE },
};
#define N (sizeof(list) / sizeof(list[0]))

static const struct entry *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < N; i++)
		if (!strcmp(list[i].name, name))
			return &list[i];
	return NULL;
}

START_TEST(test_list)
{
	unsigned int i, j;

	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			ck_assert_msg(strcmp(list[i].name, list[j].name), "%s",
				      list[i].name);
	/* SDM Table 9-1 and the init values of the XSAVE area. */
	ck_assert_uint_eq(X86_HANDOVER_GPRS, 16);
	ck_assert_uint_eq(find("RAX")->value, 0);
	ck_assert_uint_eq(find("CR0")->value, 0x60000010);
	ck_assert_uint_eq(find("RFLAGS")->value, 0x2);
	ck_assert_uint_eq(find("DR6")->value, 0xffff0ff0);
	ck_assert_uint_eq(find("DR7")->value, 0x400);
	ck_assert_uint_eq(find("CS")->value, 0xf000);
	ck_assert_uint_eq(find("GDTR")->value, 0xffff);
	ck_assert_uint_eq(find("FCW")->value, 0x37f);
	ck_assert_uint_eq(find("MXCSR")->value, 0x1f80);
	ck_assert_uint_eq(find("PAT")->value, 0x0007040600070406ull);
	ck_assert_uint_eq(find("SIVR")->value, 0xff);
	ck_assert_uint_eq(find("LVT_TIMER")->value, 1u << 16);
	ck_assert_uint_eq(X86_HANDOVER_XCR0 & 1, 1);
	ck_assert_uint_eq(X86_HANDOVER_APIC_BASE & (1u << 10), 0); /* xAPIC */
	ck_assert_uint_eq(X86_HANDOVER_APIC_BASE & (1u << 11), 1u << 11);
	ck_assert_uint_eq(X86_HANDOVER_TSC_OFFSET, 0);
}
END_TEST

/* Every MSR a cell writes natively is on the list, and only those. */
START_TEST(test_msrs_are_the_policys)
{
#define ID(n, id, v) id,
	static const uint32_t ids[] = { X86_HANDOVER_MSRS(ID) };
#undef ID
	static const uint32_t ranges[][2] = { { 0, 0x2000 },
					      { 0xc0000000, 0xc0002000 } };
	unsigned int i, r, n = 0;
	uint32_t msr;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		ck_assert_msg(x86_msr_native(ids[i]), "0x%x", ids[i]);
	for (r = 0; r < 2; r++)
		for (msr = ranges[r][0]; msr < ranges[r][1]; msr++) {
			if (!x86_msr_native(msr))
				continue;
			n++;
			for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
				if (ids[i] == msr)
					break;
			ck_assert_msg(i < sizeof(ids) / sizeof(ids[0]),
				      "MSR 0x%x native, not on the list", msr);
		}
	ck_assert_uint_eq(n, sizeof(ids) / sizeof(ids[0]));
}
END_TEST

/* The x2APIC entries are registers a cell reads (a leak it could see). */
START_TEST(test_apic_registers)
{
#define REG(n, reg, v) reg,
#define VEC(n, reg) reg, reg + 7,
	static const unsigned int regs[] = { X86_HANDOVER_APIC(
		REG) X86_HANDOVER_APIC_VECTORS(VEC) };
#undef REG
#undef VEC
	unsigned int i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		ck_assert_msg(x2apic_msr_valid(MSR_X2APIC_FIRST + regs[i],
					       false, 0),
			      "x2APIC register 0x%x", regs[i]);
}
END_TEST

/* ---- end to end ---- */

static const char *const scn[] = {
	"tests/scenarios/handover-x86.scn",
	/* the first cell fails with the planted state (select 4) */
	"tests/scenarios/handover-failed-x86.scn",
	/* the next cell starts the CPU by INIT/SIPI (select 3) */
	"tests/scenarios/handover-sipi-x86.scn",
};

static char err[512];

static int run(const char *path)
{
	struct scenario_opts opts = { .keep = true };

	err[0] = '\0';
	return scenario_file(path, &opts, err, sizeof(err));
}

START_TEST(test_handover_x86)
{
	const char *con;

	exec_handover_skip(NULL);
	ck_assert_msg(!run(scn[_i]), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(
		strstr(con, _i == 2 ? "[smp] [verdict] pass 11/11\n" :
				      "[tiny] [verdict] pass 9/9\n"));
	ck_assert_ptr_null(strstr(con, ": fail"));
	ck_assert_uint_eq(core_cell_id(core_cpu_cell(2)), 1);
	scenario_release();
}
END_TEST

/*
 * What a cell cannot set in the simulator, so that leaving it out of the
 * list shows nothing there (the hardware backends' runs will):
 * - RBP: the simulator's start-up shortcut sets EBP after the list (0 for
 *   the cell's first CPU, 1 for one started by SIPI: docs/inmates.md);
 * - CR8: Unicorn's CPU has no APIC behind it, writes are dropped;
 * - EFER: Unicorn's CPU keeps SCE and NXE clear on WRMSR (observed), and
 *   LME/LMA are the shortcut's;
 * - FOP, FIP, FDP: Unicorn does not record the last x87 instruction;
 * - ESR, TMR: the x2APIC model raises no APIC errors and has no
 *   level-triggered interrupts (both read 0).
 */
static const char *const unseen[] = {
	"RBP", "CR8", "EFER", "FOP", "FIP", "FDP", "ESR", "TMR",
};

static bool is_unseen(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(unseen) / sizeof(unseen[0]); i++)
		if (!strcmp(unseen[i], name))
			return true;
	return false;
}

/*
 * The test can fail: with entry _i left out, the value the first cell
 * planted reaches the second, and the entry's group fails naming it.
 * General registers, RFLAGS and ISR: from the failed cell, whose last
 * instructions (in an interrupt handler) loaded each of them; the rest
 * from the destroyed one.
 */
START_TEST(test_handover_x86_leak)
{
	const struct entry *e = &list[_i];
	bool gpr = !strcmp(e->group, "gprs") || !strcmp(e->group, "rflags") ||
		   !strcmp(e->name, "ISR");
	/* The inmate checks EFER with the control registers. */
	const char *group = strcmp(e->name, "EFER") ? e->group : "control";
	char want[96];

	if (is_unseen(e->name))
		return;
	exec_handover_skip(e->name);
	ck_assert_int_ne(run(scn[gpr ? 1 : 0]), 0);
	exec_handover_skip(NULL);
	if (!strcmp(e->name, "RFLAGS"))
		snprintf(want, sizeof(want),
			 "[tiny] [check] handover.rflags: fail (0x243");
	else /* ST and XMM: the first register that is not 0 */
		snprintf(want, sizeof(want),
			 "[tiny] [check] handover.%s: fail (%s%s", group,
			 e->name,
			 strcmp(e->name, "ST") && strcmp(e->name, "XMM") ? " " :
									   "");
	ck_assert_msg(strstr(sim_console(), want), "%s: no '%s' in\n%s",
		      e->name, want, sim_console());
	ck_assert_ptr_nonnull(strstr(sim_console(), "[tiny] [verdict] fail"));
	scenario_release();
}
END_TEST

/* The same on the CPU the next cell starts by INIT/SIPI. */
static const struct {
	const char *entry, *line;
} sipi_leak[] = {
	{ "CR4", "handover.control: fail (CR4 = 0x70c" },
	{ "XMM", "handover.xmm: fail (XMM0 = 0x8a8a000000015a5a" },
	{ "TPR", "handover.x2apic: fail (TPR = 0x70" },
	{ "DR0", "handover.debug: fail (DR0 = 0x1040" },
	{ "KERNEL_GS_BASE",
	  "handover.msrs: fail (KERNEL_GS_BASE = 0x7f7f7f000" },
};

START_TEST(test_handover_sipi_leak)
{
	char want[112];

	exec_handover_skip(sipi_leak[_i].entry);
	ck_assert_int_ne(run(scn[2]), 0);
	exec_handover_skip(NULL);
	snprintf(want, sizeof(want), "[smp] [check] %s", sipi_leak[_i].line);
	ck_assert_msg(strstr(sim_console(), want), "%s: no '%s' in\n%s",
		      sipi_leak[_i].entry, want, sim_console());
	scenario_release();
}
END_TEST

/* Every entry is either seen leaking or on the unseen list, by name. */
START_TEST(test_unseen_are_entries)
{
	unsigned int i;

	for (i = 0; i < sizeof(unseen) / sizeof(unseen[0]); i++)
		ck_assert_msg(find(unseen[i]), "%s", unseen[i]);
}
END_TEST

static Suite *handover_x86_suite(void)
{
	Suite *s = suite_create("handover_x86");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_msrs_are_the_policys);
	tcase_add_test(tc, test_apic_registers);
	tcase_add_test(tc, test_unseen_are_entries);
	suite_add_tcase(s, tc);
	tc = tcase_create("sim");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_handover_x86, 0,
			    sizeof(scn) / sizeof(scn[0]));
	tcase_add_loop_test(tc, test_handover_x86_leak, 0, N);
	tcase_add_loop_test(tc, test_handover_sipi_leak, 0,
			    sizeof(sipi_leak) / sizeof(sipi_leak[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(handover_x86_suite());
}
