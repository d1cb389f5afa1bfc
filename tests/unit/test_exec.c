// SPDX-License-Identifier: GPL-2.0
/*
 * Execute mode: real inmate images (build/inmates/x86_64/) run in Unicorn
 * against the core, driven by the scenarios in tests/scenarios/. Run from
 * the source tree's top (as ./run test does).
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hal/observe.h"
#include "hal/hal.h"
#include "sim/exec.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "support_run.h"

static char err[512];

static int run(const char *path, bool keep)
{
	struct scenario_opts opts = { .keep = keep };

	err[0] = '\0';
	return scenario_file(path, &opts, err, sizeof(err));
}

START_TEST(test_tiny)
{
	const char *con;

	ck_assert_msg(!run("tests/scenarios/tiny-x86.scn", true), "%s", err);
	con = sim_console();
	/* Printed by the real tiny.bin through the debug console hypercall;
	 * CPU 2 is its hardware id (CPUID / MPIDR as the backend presents it). */
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [test] tiny x86_64\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] Hello from tiny on x86_64, CPU 2\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] [check] tiny.get-state-root-refused: "
			    "pass (result -1)\n"));
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [verdict] pass 4/4\n"));
	/* tiny idles after its verdict: it used its whole 10 ms. */
	ck_assert_uint_eq(exec_instructions(), 10 * EXEC_INSN_PER_MS);
	ck_assert(!(core_cpu_flags(2) & CORE_CPU_PARKED));
	scenario_release();
}
END_TEST

/*
 * mmio-access: 37 MOV forms against an emulated sub-page region; each
 * access traps, the core checks width and alignment and forwards it (to
 * RAM in the sim), and the inmate compares the values end to end.
 */
START_TEST(test_mmio_access)
{
	const char *con;

	ck_assert_msg(!run("tests/scenarios/mmio-x86.scn", true), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(con, "[mmio] [check] mmio.rip-relative: "
					  "pass\n"));
	ck_assert_ptr_nonnull(strstr(con, "[mmio] [verdict] pass 37/37\n"));
	ck_assert_ptr_null(strstr(con, ": fail"));
	/* Every form was a trap counted on CPU 1, none denied. */
	ck_assert_uint_ge(core_cpu_stat(1, WD_CPU_STAT_VMEXITS_MMIO), 37);
	ck_assert_uint_eq(core_cpu_stat(1, WD_CPU_STAT_VMEXITS_DENIED), 0);
	scenario_release();
}
END_TEST

START_TEST(test_attack)
{
	struct cell *attack, *tiny;

	ck_assert_msg(!run("tests/scenarios/attack-x86.scn", true), "%s", err);
	tiny = core_cpu_cell(2);
	attack = core_cpu_cell(3);
	ck_assert_uint_eq(core_cell_comm(attack)->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(attack), WD_R_mmio_unhandled);
	ck_assert_uint_eq(core_cell_fail_item(attack), 0x0e000000);
	ck_assert((core_cpu_flags(3) & CORE_CPU_PARKED));
	ck_assert_uint_eq(core_cell_comm(tiny)->cell_state, WD_CELL_RUNNING);
	ck_assert(!(core_cpu_flags(2) & CORE_CPU_PARKED));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "warden: cell \"attack\" FAILED"));
	scenario_release();
}
END_TEST

/*
 * destroy/set-loadable of a running shutdown inmate: the cell runs while
 * the core waits (relax hook) and its real replies decide the outcome.
 */
START_TEST(test_shutdown)
{
	const char *con;
	struct cell *cell;

	ck_assert_msg(!run("tests/scenarios/shutdown-x86.scn", true), "%s",
		      err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(
		con, "[tiny] [check] shutdown.request-1: pass (denied)\n"));
	ck_assert_ptr_nonnull(strstr(con, "[shutdown_denied]"));
	ck_assert_ptr_nonnull(strstr(
		con, "[tiny] [check] shutdown.request-2: pass (approved)\n"));
	cell = core_cpu_cell(2);
	ck_assert_uint_eq(core_cell_id(cell), 1);
	ck_assert_uint_eq(core_cell_comm(cell)->cell_state, WD_CELL_SHUT_DOWN);
	scenario_release();
}
END_TEST

START_TEST(test_shutdown_deny)
{
	const char *con, *first;

	ck_assert_msg(!run("tests/scenarios/shutdown-deny-x86.scn", true), "%s",
		      err);
	con = sim_console();
	first = strstr(con, "[shutdown_denied]");
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_nonnull(strstr(first + 1, "[shutdown_denied]"));
	ck_assert_ptr_null(strstr(con, "approved"));
	ck_assert_uint_eq(core_cell_comm(core_cpu_cell(2))->cell_state,
			  WD_CELL_RUNNING);
	scenario_release();
}
END_TEST

static uint64_t hooked;

static void count_hook(void *uc, uint64_t addr, uint32_t size, void *arg)
{
	ck_assert_ptr_eq(uc, exec_engine(2));
	ck_assert_uint_gt(size, 0);
	ck_assert_uint_lt(addr, 0x100000);
	(*(uint64_t *)arg)++;
}

/* exec_engine() and exec_add_code_hook() (the gdb stub's entry points). */
START_TEST(test_code_hook)
{
	uint64_t before;

	ck_assert_msg(!run("tests/scenarios/tiny-x86.scn", true), "%s", err);
	ck_assert_ptr_nonnull(exec_engine(2));
	ck_assert_ptr_null(exec_engine(1));
	ck_assert_ptr_null(exec_engine(WD_MAX_CPUS));
	ck_assert_int_ne(exec_add_code_hook(WD_MAX_CPUS, count_hook, NULL), 0);
	ck_assert_int_ne(exec_add_code_hook(2, NULL, NULL), 0);
	ck_assert_int_eq(exec_add_code_hook(2, count_hook, &hooked), 0);
	before = exec_instructions();
	ck_assert_int_eq(exec_run(1), 0);
	/* Called once per executed instruction. */
	ck_assert_uint_eq(hooked, exec_instructions() - before);
	ck_assert_uint_eq(hooked, EXEC_INSN_PER_MS);
	scenario_release();
}
END_TEST

/* Instructions the attack scenario executes, run in a child process. */
static uint64_t attack_instructions(void)
{
	uint64_t n = 0;
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		close(fds[0]);
		if (!run("tests/scenarios/attack-x86.scn", true))
			n = exec_instructions();
		scenario_release();
		_exit(write(fds[1], &n, sizeof(n)) == sizeof(n) ? 0 : 1);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &n, sizeof(n)), sizeof(n));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && !WEXITSTATUS(status));
	return n;
}

/* Deterministic: the same scenario executes the same instructions. */
START_TEST(test_deterministic)
{
	uint64_t first = attack_instructions();

	ck_assert_uint_gt(first, 10 * EXEC_INSN_PER_MS);
	ck_assert_uint_eq(attack_instructions(), first);
}
END_TEST

/* A wrong expectation fails with FILE:LINE and what was wrong. */
START_TEST(test_wrong_expectation)
{
	FILE *f = fopen("build/host/tests/exec-wrong.scn", "w");

	ck_assert_ptr_nonnull(f);
	fputs("machine ram=0x0 size=0x10000000 cpus=4\n"
	      "system configs/sys-x86.cell\n"
	      "load-config 0x200000 configs/tiny-x86.cell\n"
	      "enable\n"
	      "create 0x200000 expect=1\n"
	      "set-loadable 1\n"
	      "load 1 0x0 ../../inmates/x86_64/tiny.bin\n"
	      "start 1\n"
	      "run 10\n"
	      "expect-console tiny [verdict] pass 5/5\n",
	      f);
	fclose(f);
	ck_assert_int_ne(run("build/host/tests/exec-wrong.scn", false), 0);
	ck_assert_str_eq(err, "build/host/tests/exec-wrong.scn:10: "
			      "'[tiny] [verdict] pass 5/5' not printed");
}
END_TEST

/*
 * ivshmem: two cells on the core's ivshmem v2 device exchange data and
 * doorbells (x86: MSI-X vector 0x40 through the x2APIC; ARM: INTx, SPI
 * 140 in ivshmem-a and 141 in ivshmem-b, through the GIC).
 */
static const struct {
	const char *scn;
	unsigned int irq[2]; /* at CPU 2 (ivshmem-a), CPU 3 (ivshmem-b) */
} ivshmem[] = {
	{ "tests/scenarios/ivshmem-x86.scn", { 0x40, 0x40 } },
	{ "tests/scenarios/ivshmem-arm.scn", { 140, 141 } },
};

START_TEST(test_ivshmem)
{
	const char *con;
	unsigned int cpu;

	ck_assert_msg(!run(ivshmem[_i].scn, true), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(con,
				     "[ivshmem-a] [check] ivshmem.doorbell: "
				     "pass (1 from peer 1)\n"));
	ck_assert_ptr_nonnull(strstr(con,
				     "[ivshmem-b] [check] ivshmem.doorbell: "
				     "pass (1 from peer 0)\n"));
	ck_assert_ptr_nonnull(strstr(con,
				     "[ivshmem-b] [check] ivshmem.peer-output: "
				     "pass (peer 0's output section as "
				     "expected)\n"));
	ck_assert_ptr_nonnull(strstr(con, "[ivshmem-a] [verdict] pass 9/9\n"));
	ck_assert_ptr_nonnull(strstr(con, "[ivshmem-b] [verdict] pass 9/9\n"));
	/* The core raised the doorbells (and state changes) at CPUs 2, 3. */
	for (cpu = 2; cpu <= 3; cpu++) {
		ck_assert_uint_ge(sim_cpu(cpu)->pending_irqs, 1);
		ck_assert_uint_eq(sim_cpu(cpu)->last_irq,
				  ivshmem[_i].irq[cpu - 2]);
	}
	scenario_release();
}
END_TEST

/* ARMv7: tiny from its reset address 0x0 in SVC mode, hvc #0x4a48. */
START_TEST(test_tiny_arm)
{
	const char *con;

	ck_assert_msg(!run("tests/scenarios/tiny-arm.scn", true), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [test] tiny armv7\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] Hello from tiny on armv7, CPU 2\n"));
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [check] tiny.comm-signature: "
					  "pass\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] [check] tiny.get-state-root-refused: "
			    "pass (result -1)\n"));
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [verdict] pass 4/4\n"));
	/* tiny polls the comm region after its verdict: all 10 ms. */
	ck_assert_uint_eq(exec_instructions(), 10 * EXEC_INSN_PER_MS);
	ck_assert(!(core_cpu_flags(2) & CORE_CPU_PARKED));
	scenario_release();
}
END_TEST

START_TEST(test_attack_arm)
{
	struct cell *attack, *tiny;

	ck_assert_msg(!run("tests/scenarios/attack-arm.scn", true), "%s", err);
	tiny = core_cpu_cell(2);
	attack = core_cpu_cell(3);
	ck_assert_uint_eq(core_cell_comm(attack)->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(attack), WD_R_mmio_unhandled);
	ck_assert_uint_eq(core_cell_fail_item(attack),
			  0x4e000000); /* tiny's RAM */
	ck_assert((core_cpu_flags(3) & CORE_CPU_PARKED));
	ck_assert_uint_eq(core_cell_comm(tiny)->cell_state, WD_CELL_RUNNING);
	ck_assert(!(core_cpu_flags(2) & CORE_CPU_PARKED));
	ck_assert_ptr_nonnull(strstr(sim_console(),
				     "warden: cell \"attack\": management "
				     "call from a non-root cell: hypercall "
				     "code 0x4 [not_root]"));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "warden: cell \"attack\" FAILED"));
	scenario_release();
}
END_TEST

/* PSCI through smc #0: CPU_ON of a root CPU, SYSTEM_RESET, SYSTEM_OFF. */
static const struct {
	const char *scn;
	enum wd_reason reason;
	uint64_t item;
} psci[] = {
	{ "tests/scenarios/attack-cpu-on-arm.scn", WD_R_cpu_foreign, 0 },
	{ "tests/scenarios/attack-reset-arm.scn", WD_R_machine_reset,
	  WD_METHOD_PSCI },
	{ "tests/scenarios/attack-off-arm.scn", WD_R_machine_off,
	  WD_METHOD_PSCI },
};

START_TEST(test_psci_arm)
{
	struct cell *attack;

	ck_assert_msg(!run(psci[_i].scn, true), "%s", err);
	attack = core_cpu_cell(3);
	ck_assert_uint_eq(core_cell_comm(attack)->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(attack), psci[_i].reason);
	ck_assert_uint_eq(core_cell_fail_item(attack), psci[_i].item);
	ck_assert(!sim_machine_stopped());
	ck_assert_uint_eq(core_cell_comm(core_cpu_cell(2))->cell_state,
			  WD_CELL_RUNNING);
	scenario_release();
}
END_TEST

/*
 * x86 cpu-foreign alone: INIT through the x2APIC ICR to a root CPU; the
 * backend's MSR policy (arch-x86/msr.c) fails the cell with cpu_foreign.
 */
START_TEST(test_cpu_foreign_x86)
{
	struct cell *attack;

	ck_assert_msg(!run("tests/scenarios/attack-cpu-x86.scn", true), "%s",
		      err);
	attack = core_cpu_cell(3);
	ck_assert_uint_eq(core_cell_comm(attack)->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(attack), WD_R_cpu_foreign);
	ck_assert_uint_eq(core_cell_fail_item(attack), 0);
	ck_assert((core_cpu_flags(3) & CORE_CPU_PARKED));
	/* The root CPU was never touched. */
	ck_assert(!(core_cpu_flags(0) & CORE_CPU_PARKED));
	ck_assert_uint_eq(sim_cpu(0)->resets, 0);
	ck_assert_uint_eq(core_cell_comm(core_cpu_cell(2))->cell_state,
			  WD_CELL_RUNNING);
	scenario_release();
}
END_TEST

/* mmio-access on ARMv7 (configs/sim-arm/mmio.dts): 26 load/store forms. */
START_TEST(test_mmio_access_arm)
{
	const char *con;

	ck_assert_msg(!run("tests/scenarios/mmio-arm.scn", true), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(
		strstr(con, "[mmio] [check] mmio.strb-reg-pre-index: pass\n"));
	ck_assert_ptr_nonnull(strstr(con, "[mmio] [verdict] pass 26/26\n"));
	ck_assert_ptr_null(strstr(con, ": fail"));
	ck_assert_uint_ge(core_cpu_stat(1, WD_CPU_STAT_VMEXITS_MMIO), 26);
	ck_assert_uint_eq(core_cpu_stat(1, WD_CPU_STAT_VMEXITS_DENIED), 0);
	scenario_release();
}
END_TEST

/*
 * ARM accesses to emulated pages refused or denied as the ARMv7 backend
 * does (issue #11; the same outcomes on QEMU: tests/qemu/
 * arm_equivalence.py): attack attempts 26-30 on the distributor (LDM, STM,
 * LDREX: no syndrome, the decoder refuses; Thumb with writeback:
 * insn_thumb at its PC; an unaligned LDR: one 4-byte access at GICD + 2)
 * and mmio-access's unaligned forms on its sub-page region (one access
 * each, mmio_unaligned; Unicorn alone would split them into allowed ones).
 */
static const struct {
	const char *image, *config;
	unsigned int select, cpu;
	enum wd_reason reason;
	uint64_t item; /* ~0: the Thumb PC, checked against the image */
} arm_refused[] = {
	{ "attack", "attack", 26, 3, WD_R_insn_not_emulated, 0xe890000c },
	{ "attack", "attack", 27, 3, WD_R_insn_not_emulated, 0xe880000c },
	{ "attack", "attack", 28, 3, WD_R_insn_not_emulated, 0xe1902f9f },
	{ "attack", "attack", 29, 3, WD_R_insn_thumb, ~0ULL },
	{ "attack", "attack", 30, 3, WD_R_mmio_width, 0x08000002 },
	{ "mmio-access", "mmio", 27, 1, WD_R_mmio_unaligned, 0x7f000002 },
	{ "mmio-access", "mmio", 28, 1, WD_R_mmio_unaligned, 0x7f000001 },
	{ "mmio-access", "mmio", 29, 1, WD_R_mmio_unaligned, 0x7f000003 },
};

START_TEST(test_arm_mmio_refused)
{
	const char *path = "build/host/tests/arm-refused.scn";
	struct cell *cell;
	uint16_t hw[2];
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"board ../../boards/sim-arm.dtb\n"
		"system ../../configs/sim-arm/system.cell\n"
		"load-config 0x40200000 ../../configs/sim-arm/%s.cell\n"
		"enable\n"
		"create 0x40200000 expect=1\n"
		"set-loadable 1\n"
		"load 1 0x0 ../../inmates/armv7/%s.bin\n"
		"param 1 select %u\n"
		"start 1\n"
		"run 10\n"
		"expect-state 1 failed\n",
		arm_refused[_i].config, arm_refused[_i].image,
		arm_refused[_i].select);
	fclose(f);
	ck_assert_msg(!run(path, true), "%s", err);
	cell = core_cpu_cell(arm_refused[_i].cpu);
	ck_assert_uint_eq(core_cell_fail_reason(cell), arm_refused[_i].reason);
	if (arm_refused[_i].item != ~0ULL) {
		ck_assert_uint_eq(core_cell_fail_item(cell),
				  arm_refused[_i].item);
	} else {
		/* ldr.w r2, [r0], #4 (T4, post-index) at the PC reported */
		ck_assert(!hal_copy_from_guest(
			cell, gpa(core_cell_fail_item(cell)), hw, sizeof(hw)));
		ck_assert_uint_eq(hw[0], 0xf850);
		ck_assert_uint_eq(hw[1], 0x2b04);
	}
	ck_assert(!sim_machine_stopped());
	scenario_release();
}
END_TEST

/* The ARM shutdown inmate denies, then approves (shutdown-arm.scn). */
START_TEST(test_shutdown_arm)
{
	const char *con;

	ck_assert_msg(!run("tests/scenarios/shutdown-arm.scn", true), "%s",
		      err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [test] shutdown armv7\n"));
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [verdict] pass 2/2\n"));
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [verdict] pass 3/3\n"));
	ck_assert_uint_eq(core_cell_comm(core_cpu_cell(2))->cell_state,
			  WD_CELL_SHUT_DOWN);
	scenario_release();
}
END_TEST

START_TEST(test_shutdown_deny_arm)
{
	const char *con;

	ck_assert_msg(!run("tests/scenarios/shutdown-deny-arm.scn", true), "%s",
		      err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [verdict] pass 3/3\n"));
	ck_assert_ptr_null(strstr(con, "approved"));
	ck_assert_uint_eq(core_cell_comm(core_cpu_cell(2))->cell_state,
			  WD_CELL_RUNNING);
	scenario_release();
}
END_TEST

/*
 * timer: ten 1 ms timer interrupts (x86: x2APIC timer through the IDT;
 * ARM: generic virtual timer through the GIC and VBAR) in both arches.
 * Virtual time is exact, so every interval is the period.
 */
static const char *const timer_scn[] = { "tests/scenarios/timer-x86.scn",
					 "tests/scenarios/timer-arm.scn" };

START_TEST(test_timer)
{
	const char *con;

	ck_assert_msg(!run(timer_scn[_i], true), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] [check] timer.ticks: pass (10 of 10 "
			    "intervals)\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] [value] timer.interval-avg: 1000000 ns\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] [value] timer.jitter-max: 0 ns\n"));
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [verdict] pass 2/2\n"));
	ck_assert_ptr_null(strstr(con, "unexpected interrupt"));
	scenario_release();
}
END_TEST

/*
 * smp: the boot CPU (1) starts CPUs 2 and 3 of its cell (x86: INIT/SIPI
 * through the emulated x2APIC ICR, each AP's id from CPUID; ARM: PSCI
 * CPU_ON with the context id in r0, ids from MPIDR).
 */
static const char *const smp_scn[] = { "tests/scenarios/smp-x86.scn",
				       "tests/scenarios/smp-arm.scn" };

START_TEST(test_smp)
{
	const char *con;
	unsigned int cpu;

	ck_assert_msg(!run(smp_scn[_i], true), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(
		con, "[smp] smp: boot CPU hw id 0x1, starting 2 more\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[smp] [check] smp.cpu1: pass (hw id 0x2: start 1, "
			    "alive 1, saw id 0x2)\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[smp] [check] smp.cpu2: pass (hw id 0x3: start 2, "
			    "alive 1, saw id 0x3)\n"));
	ck_assert_ptr_nonnull(strstr(con, "[smp] [verdict] pass 4/4\n"));
	/* The boot CPU runs on; the others stopped when their entry returned:
	 * x86 halts, ARM gives the CPU back with PSCI CPU_OFF (parked, off
	 * for the cell). */
	for (cpu = 1; cpu <= 3; cpu++) {
		ck_assert_uint_eq(core_cell_id(core_cpu_cell(cpu)), 1);
		ck_assert(!!(core_cpu_flags(cpu) & CORE_CPU_PARKED) ==
			  (_i == 1 && cpu > 1));
		ck_assert_ptr_nonnull(exec_engine(cpu));
	}
	ck_assert_ptr_null(exec_engine(0));
	scenario_release();
}
END_TEST

/*
 * Interrupt ownership (irqown-arm.scn): irqown attacks the hypervisor's
 * pins (event SGI, maintenance PPI) and wrecks its own PPIs and virtual
 * CPU interface; nothing of it is denied (writes are ignored), the
 * destroy succeeds, and the timer inmate, next on the same CPU, ticks at
 * its programmed rate with no jitter.
 */
START_TEST(test_irqown_arm)
{
	const char *con;

	ck_assert_msg(!run("tests/scenarios/irqown-arm.scn", true), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [verdict] pass 6/6\n"));
	ck_assert_ptr_nonnull(strstr(con, "destroyed cell \"tiny\""));
	ck_assert_ptr_null(strstr(con, "FAILED"));
	ck_assert_ptr_null(strstr(con, "PANIC"));
	ck_assert(!sim_machine_stopped());
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] [check] timer.ticks: pass (10 of 10 "
			    "intervals)\n"));
	ck_assert_ptr_nonnull(
		strstr(con, "[tiny] [value] timer.jitter-max: 0 ns\n"));
	ck_assert_ptr_null(strstr(con, "unexpected interrupt"));
	ck_assert_uint_eq(core_cell_id(core_cpu_cell(2)), 1);
	ck_assert(!(core_cpu_flags(2) & CORE_CPU_PARKED));
	scenario_release();
}
END_TEST

/*
 * Handover (handover-arm.scn): a cell plants a distinctive value in every
 * register it can write and is destroyed; the next cell on CPU 2 reads
 * them back. The sim keeps the CPU's whole state between engines and
 * applies the backend's reset list: every group as documented.
 */
static const char *const handover_scn[] = {
	"tests/scenarios/handover-arm.scn",
	/* the first cell fails with the planted state (select 4) */
	"tests/scenarios/handover-failed-arm.scn",
};

START_TEST(test_handover_arm)
{
	const char *con;

	exec_handover_skip(NULL);
	ck_assert_msg(!run(handover_scn[_i], true), "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(con, "[tiny] [verdict] pass 12/12\n"));
	ck_assert_ptr_null(strstr(con, ": fail"));
	ck_assert_uint_eq(core_cell_id(core_cpu_cell(2)), 1);
	scenario_release();
}
END_TEST

/* The same inside one cell, across PSCI CPU_OFF and CPU_ON of CPU 2
 * (handover-offon-arm.scn); without TPIDRURW in the list, it leaks. */
START_TEST(test_handover_offon_arm)
{
	const char *con;

	exec_handover_skip(NULL);
	ck_assert_msg(!run("tests/scenarios/handover-offon-arm.scn", true),
		      "%s", err);
	con = sim_console();
	ck_assert_ptr_nonnull(strstr(con, "[smp] [verdict] pass 16/16\n"));
	ck_assert_ptr_null(strstr(con, ": fail"));
	ck_assert_uint_eq(core_cell_id(core_cpu_cell(2)), 1);
	ck_assert(!(core_cpu_flags(2) & CORE_CPU_PARKED));
	scenario_release();
}
END_TEST

START_TEST(test_handover_offon_arm_leak)
{
	exec_handover_skip("TPIDRURW");
	ck_assert_int_ne(run("tests/scenarios/handover-offon-arm.scn", true),
			 0);
	exec_handover_skip(NULL);
	ck_assert_msg(strstr(sim_console(), "[smp] [check] handover.cp15: fail "
					    "(TPIDRURW = 0xc0ffee01"),
		      "%s\n%s", err, sim_console());
	scenario_release();
}
END_TEST

/*
 * The test can fail: with one entry of the reset list left out, the value
 * the first cell planted reaches the second, and its group fails naming
 * the register.
 */
static const struct {
	const char *entry, *line;
	unsigned int scn; /* handover_scn[] */
} leak[] = {
	{ "TPIDRURW", "handover.cp15: fail (TPIDRURW = 0xc0ffee01", 0 },
	{ "CONTEXTIDR", "handover.cp15: fail (CONTEXTIDR = 0xc0de00a5", 1 },
	{ "SP_svc", "handover.banked: fail (SP_svc 0xbad0ff0d", 1 },
	{ "DACR", "handover.cp15: fail (DACR = 0x55555555", 0 },
	{ "SCTLR", "handover.sctlr-vbar-tpidrprw: fail (SCTLR 0x42c52078", 0 },
	{ "SPSR_irq", "handover.banked: fail (SPSR_irq = 0xf00001d2)", 0 },
	{ "r8_fiq", "handover.banked: fail (r8_fiq = 0xbad00b00)", 0 },
	{ "LR_svc", "handover.gprs: fail (LR_svc = 0xbad0ff1e)", 0 },
	{ "VFP", "handover.vfp: fail (d0 = 0xd0d00000a5a50000)", 0 },
	{ "FPEXC", "handover.fpexc: fail (0x40000000)", 0 },
	{ "CNTKCTL", "handover.timer: fail (CNTKCTL = 0x303", 0 },
};

START_TEST(test_handover_arm_leak)
{
	char want[96];

	exec_handover_skip(leak[_i].entry);
	ck_assert_int_ne(run(handover_scn[leak[_i].scn], true), 0);
	exec_handover_skip(NULL);
	snprintf(want, sizeof(want), "[tiny] [check] %s", leak[_i].line);
	ck_assert_msg(strstr(sim_console(), want), "%s: no '%s' in\n%s",
		      leak[_i].entry, want, sim_console());
	ck_assert_ptr_nonnull(strstr(sim_console(), "[tiny] [verdict] fail"));
	scenario_release();
}
END_TEST

static Suite *exec_suite(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("x86");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tiny);
	tcase_add_test(tc, test_attack);
	tcase_add_test(tc, test_mmio_access);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_wrong_expectation);
	tcase_add_test(tc, test_shutdown);
	tcase_add_test(tc, test_shutdown_deny);
	tcase_add_test(tc, test_code_hook);
	tcase_add_test(tc, test_cpu_foreign_x86);
	suite_add_tcase(s, tc);
	tc = tcase_create("arm");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tiny_arm);
	tcase_add_test(tc, test_attack_arm);
	tcase_add_test(tc, test_mmio_access_arm);
	tcase_add_test(tc, test_shutdown_arm);
	tcase_add_test(tc, test_shutdown_deny_arm);
	tcase_add_loop_test(tc, test_arm_mmio_refused, 0,
			    sizeof(arm_refused) / sizeof(arm_refused[0]));
	tcase_add_loop_test(tc, test_psci_arm, 0,
			    sizeof(psci) / sizeof(psci[0]));
	tcase_add_loop_test(tc, test_handover_arm, 0,
			    sizeof(handover_scn) / sizeof(handover_scn[0]));
	tcase_add_test(tc, test_handover_offon_arm);
	tcase_add_test(tc, test_handover_offon_arm_leak);
	tcase_add_loop_test(tc, test_handover_arm_leak, 0,
			    sizeof(leak) / sizeof(leak[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("interrupts and cpus");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_timer, 0, 2);
	tcase_add_test(tc, test_irqown_arm);
	tcase_add_loop_test(tc, test_smp, 0, 2);
	tcase_add_loop_test(tc, test_ivshmem, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(exec_suite());
}
