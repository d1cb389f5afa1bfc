// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation suite (issue #5 item 7): each attempt of the real attack
 * inmate (build/inmates/<arch>/attack.bin, CPU 3) runs alone next to tiny
 * (CPU 2). Every attempt is refused or denied with its precise reason, the
 * attacker is contained, tiny keeps running, and the FNV-1a checksums of
 * the memory the attempt could have touched (tiny's RAM, the hypervisor's,
 * the root's pages next to both cells and to the hypervisor) are the same
 * before and after the window in which only the two cells run (scenario
 * commands checksum and expect-checksum); so is the rest of the root's RAM:
 * all of it in the two attempts that write into foreign memory, a sample
 * of its pages (other ones in each attempt) in the others. Run from the
 * source tree's top.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/trace.h"
#include "hal/observe.h"
#include "sim/exec.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "support_run.h"

enum outcome {
	REFUSED, /* a hypercall error: "[check] NAME: pass", cell runs */
	EMPTY,	 /* PCI read of a foreign function: all ones, cell runs */
	SKIPPED, /* the cell has no such device: "[check] NAME: skip" */
	DENIED,	 /* trap denied: the cell FAILED, its CPU parked */
	LOOPING, /* never ends: the root destroys the cell, promptly */
};

struct attempt {
	unsigned int select;
	const char *name;
	enum outcome outcome;
	const char *reason;
	uint64_t item;	     /* DENIED */
	const char *message; /* hypervisor console, REFUSED */
};

/*
 * The attempts after the arch ones, with more to check: the cell config
 * instead of the machine's attack_cell, console text that must not appear,
 * a bound on the hypervisor's lines about the attacker (NO_LIMIT: none).
 */
struct late_attempt {
	struct attempt a;
	const char *config;
	const char *absent;
	unsigned int max_lines;
};

#define NO_LIMIT 0

struct machine {
	const char *arch, *inmates;
	uint64_t ram, size;    /* machine RAM */
	uint64_t tiny, attack; /* tiny's and attack's RAM, 1 MiB each */
	uint64_t hv, hv_size;  /* system config: hypervisor_memory */
	uint64_t cfg;	       /* where the cell configs are loaded */
	const char *sys, *tiny_cell, *attack_cell;
};

static const struct machine x86 = {
	"x86",
	"x86_64",
	0x0,
	0x10000000,
	0x0e000000,
	0x0e100000,
	0x0f000000,
	0x01000000,
	0x200000,
	"build/host/tests/configs/sys-x86.cell",
	"build/host/tests/configs/tiny-x86.cell",
	"build/host/tests/configs/attack-x86.cell",
};

static const struct machine arm = {
	"arm",
	"armv7",
	0x40000000,
	0x10000000,
	0x4e000000,
	0x4e100000,
	0x4f000000,
	0x01000000,
	0x40200000,
	"build/host/tests/configs/sys-arm.cell",
	"build/host/tests/configs/tiny-arm.cell",
	"build/configs/sim-arm/attack.cell",
};

#define NOT_ROOT(code)                                                    \
	"warden: cell \"attack\": management call from a non-root cell: " \
	"hypercall code " code " [not_root]"
#define REASON_ACCESS                                                    \
	"warden: cell \"attack\": reason of another cell requested: id " \
	"0x0 [reason_access]"
#define PUTC                                                             \
	"warden: cell \"attack\": debug console not permitted for this " \
	"cell: cell id 0x2 [putc_not_permitted]"

/* Attempts 1-10: refused with an error, the cell goes on. */
#define COMMON_REFUSED                                                              \
	{ 1, "hc-disable", REFUSED, "not_root", 0, NOT_ROOT("0x0") },               \
		{ 2, "hc-cell-create", REFUSED, "not_root", 0, NOT_ROOT("0x1") },   \
		{ 3, "hc-cell-start", REFUSED, "not_root", 0, NOT_ROOT("0x2") },    \
		{ 4, "hc-cell-set-loadable", REFUSED, "not_root",                   \
		  0, NOT_ROOT("0x3") },                                             \
		{ 5, "hc-cell-destroy", REFUSED, "not_root", 0, NOT_ROOT("0x4") },  \
		{ 6, "hc-get-state-root", REFUSED, "not_root",                      \
		  0, NOT_ROOT("0x6") },                                             \
		{ 7, "hc-get-reason-root", REFUSED, "reason_access",                \
		  0, REASON_ACCESS },                                               \
		{ 8, "hc-cpu-info-root", REFUSED, "not_root", 0, NOT_ROOT("0x7") }, \
	{                                                                           \
		9, "hc-putc-unpermitted", REFUSED, "putc_not_permitted", 0,         \
			PUTC                                                        \
	}

/*
 * After the arch attempts, from @n on: a hypercall from guest user mode
 * (@user_msg on the console, or @user_absent never); control bytes, a NUL
 * and a forged hypervisor line on the console of a cell that may print
 * (@con: its config), all escaped behind "[attack] ", the line after the
 * NUL visible; 2,000 refused hypercalls giving 10 console lines; a loop of
 * management calls that the root's destroy interrupts at once.
 */
#define USER_X86                                                           \
	"warden: cell \"attack\": hypercall from guest user mode (CPL 3, " \
	"PL0): hypercall code 0x5 [hypercall_user]"
#define FORGED                                                              \
	"[attack] \\x0d\\x1b[2Kwarden: cell \"tiny\" FAILED, its CPUs are " \
	"parked\\x00after the NUL\n"
#define LATE_ATTEMPTS(n, user_msg, user_absent, con)                           \
	{ .a = { n, "hc-user-mode", REFUSED, NULL, 0, user_msg },              \
	  .absent = user_absent },                                             \
		{ .a = { n + 1, "console-control", REFUSED, NULL, 0, FORGED }, \
		  .config = con,                                               \
		  .absent = "\nwarden: cell \"tiny\" FAILED" },                \
		{ .a = { n + 2, "console-flood", REFUSED, NULL, 0,             \
			 NOT_ROOT("0x6") },                                    \
		  .absent = "suppressed",                                      \
		  .max_lines = 10 },                                           \
	{                                                                      \
		.a = { n + 3, "hc-management-loop", LOOPING, NULL,             \
		       0,     NOT_ROOT("0x4") },                               \
		.absent = "shutdown_timeout", .max_lines = 11                  \
	}

static const struct attempt x86_attempts[] = {
	COMMON_REFUSED,
	{ 10, "pci-read-foreign", EMPTY, NULL, 0, NULL },
	{ 11, "ram-other-read", DENIED, "mmio_unhandled", 0x0e000000, NULL },
	{ 12, "ram-other-write", DENIED, "mmio_unhandled", 0x0e000000, NULL },
	{ 13, "hv-read", DENIED, "mmio_unhandled", 0x0f000000, NULL },
	{ 14, "hv-write", DENIED, "mmio_unhandled", 0x0f000000, NULL },
	{ 15, "mmio-unassigned", DENIED, "mmio_unhandled", 0xfed00000, NULL },
	{ 16, "pci-write-foreign", DENIED, "pci_foreign", 0x0008, NULL },
	/* Pin 4 of the IOAPIC (emulated for every cell): the root's. */
	{ 17, "irq-foreign", DENIED, "irq_foreign", 4, NULL },
	/* INIT to APIC id 0, a root CPU, through the emulated x2APIC ICR. */
	{ 18, "cpu-foreign", DENIED, "cpu_foreign", 0, NULL },
	{ 19, "pio-unassigned", DENIED, "pio_denied", 0x3f8, NULL },
	/* The cell owns neither port: denied as port I/O first. */
	{ 20, "reset-cf9", DENIED, "pio_denied", 0xcf9, NULL },
	{ 21, "reset-kbc", DENIED, "pio_denied", 0x64, NULL },
};

static const struct late_attempt x86_late[] = {
	LATE_ATTEMPTS(22, USER_X86, NULL,
		      "build/configs/sim-x86/attack-con.cell"),
};

static const struct attempt arm_attempts[] = {
	COMMON_REFUSED,
	/* 00:01.0 is nobody's on ARM: an empty slot, any write denied. */
	{ 10, "pci-read-foreign", EMPTY, NULL, 0, NULL },
	{ 11, "ram-other-read", DENIED, "mmio_unhandled", 0x4e000000, NULL },
	{ 12, "ram-other-write", DENIED, "mmio_unhandled", 0x4e000000, NULL },
	{ 13, "hv-read", DENIED, "mmio_unhandled", 0x4f000000, NULL },
	{ 14, "hv-write", DENIED, "mmio_unhandled", 0x4f000000, NULL },
	{ 15, "mmio-unassigned", DENIED, "mmio_unhandled", 0x0a000000, NULL },
	{ 16, "pci-write-foreign", DENIED, "pci_foreign", 0x0008, NULL },
	/* The executor's distributor asks the core: SPI 33 is the root's. */
	{ 17, "irq-foreign", DENIED, "irq_foreign", 33, NULL },
	{ 18, "cpu-foreign", DENIED, "cpu_foreign", 0, NULL },
	{ 19, "psci-system-reset", DENIED, "machine_reset", WD_METHOD_PSCI,
	  NULL },
	{ 20, "psci-system-off", DENIED, "machine_off", WD_METHOD_PSCI, NULL },
	/* ldr r1, [r1, #4]! on the distributor: the decoder's refusal. */
	{ 21, "mmio-unpredictable", DENIED, "insn_unpredictable", 0xe5b11004,
	  NULL },
};

/* hvc in USR mode is undefined: the cell's own exception, no line. */
static const struct late_attempt arm_late[] = {
	LATE_ATTEMPTS(22, NULL, "hypercall_user",
		      "build/configs/sim-arm/attack-con.cell"),
};

/*
 * ARM attempts after the late ones (issue #11): accesses to the
 * distributor the backend refuses or denies (the Thumb one, 29, whose item
 * is its PC, is test_exec's), and the PSCI answers.
 */
static const struct attempt arm_more[] = {
	{ 26, "mmio-ldm", DENIED, "insn_not_emulated", 0xe890000c, NULL },
	{ 27, "mmio-stm", DENIED, "insn_not_emulated", 0xe880000c, NULL },
	{ 28, "mmio-ldrex", DENIED, "insn_not_emulated", 0xe1902f9f, NULL },
	{ 30, "mmio-unaligned", DENIED, "mmio_width", 0x08000002, NULL },
	{ 31, "psci-answers", REFUSED, NULL, 0, NULL },
};

/* x86 attempts after the late ones: 00:01.0, the root's, through PCI
 * config mechanism #1 (ports 0xcf8/0xcfc, core/pio.c): the ECAM's rule. */
static const struct attempt x86_more[] = {
	{ 26, "pci-ports-read-foreign", EMPTY, NULL, 0, NULL },
	{ 27, "pci-ports-write-foreign", DENIED, "pci_foreign", 0x0008, NULL },
	/* WRMSR VM_HSAVE_PA: the MSR policy's refusal (arch-x86/msr.c). */
	{ 28, "msr-hsave", DENIED, "msr_denied", 0xc0010117, NULL },
	/* A fixed IPI to APIC id 0, a root CPU: the IPI rule. */
	{ 29, "ipi-foreign", DENIED, "cpu_foreign", 0, NULL },
	/* An NMI: refused to every cell, item = the ICR's MSR index. */
	{ 30, "nmi-foreign", DENIED, "msr_denied", 0x830, NULL },
};

static char err[512];

/*
 * The root's RAM next to tiny, to the attacker and below the hypervisor
 * checked whole; the attempt (select) that checks all of the root's RAM;
 * the pages sampled below tiny and above the attacker in the others.
 */
#define NEAR 0x40000
/* ram-other-write and hv-write, on both machines */
#define WHOLE(select) ((select) == 12 || (select) == 14)
#define SAMPLE_LOW 192
#define SAMPLE_HIGH 64

/* A stray write into the window (test_stray_write), or 0. */
static uint64_t poke_at;

/*
 * tiny starts first and runs to its verdict, then attack is started with
 * only attempt @a. The checksums bracket a window in which only the two
 * cells run (no management call touches hypervisor memory there).
 */
static void write_scenario(const char *path, const struct machine *m,
			   const struct attempt *a, const char *config)
{
	FILE *f = fopen(path, "w");
	uint64_t after = m->attack + 0x100000;

	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"machine ram=0x%" PRIx64 " size=0x%" PRIx64 " cpus=4\n"
		"system ../../../%s\n"
		"load-config 0x%" PRIx64 " ../../../%s\n"
		"load-config 0x%" PRIx64 " ../../../%s\n"
		"enable\n"
		"create 0x%" PRIx64 " expect=1\n"
		"set-loadable 1\n"
		"load 1 0x0 ../../inmates/%s/tiny.bin\n"
		"start 1\n"
		"run 5\n"
		"expect-console tiny [verdict] pass 4/4\n"
		"create 0x%" PRIx64 " expect=2\n"
		"set-loadable 2\n"
		"load 2 0x0 ../../inmates/%s/attack.bin\n"
		"param 2 select %u\n"
		"start 2\n",
		m->ram, m->size, m->sys, m->cfg, m->tiny_cell, m->cfg + 0x1000,
		config ? config : m->attack_cell, m->cfg, m->inmates,
		m->cfg + 0x1000, m->inmates, a->select);
	/*
	 * What the attempt could have touched: tiny's RAM, the hypervisor's
	 * (all of it unless a denial wrote its record there; its first page
	 * always), the root's pages next to tiny, to the attacker and below
	 * the hypervisor. Then the rest of the root's RAM: all of it in the
	 * attempts that write into foreign memory (WHOLE), else SAMPLE_LOW +
	 * SAMPLE_HIGH pages the names pick, other pages in each attempt.
	 */
	fprintf(f,
		"checksum tiny 0x%" PRIx64 " 0x100000\n"
		"checksum near-tiny 0x%" PRIx64 " 0x%x\n"
		"checksum near-attack 0x%" PRIx64 " 0x%x\n"
		"checksum near-hv 0x%" PRIx64 " 0x%x\n"
		"checksum hv-first 0x%" PRIx64 " 0x1000\n",
		m->tiny, m->tiny - NEAR, NEAR, after, NEAR, m->hv - NEAR, NEAR,
		m->hv);
	if (a->outcome != DENIED)
		fprintf(f, "checksum hv 0x%" PRIx64 " 0x%" PRIx64 "\n", m->hv,
			m->hv_size);
	if (WHOLE(a->select))
		fprintf(f,
			"checksum low 0x%" PRIx64 " 0x%" PRIx64 "\n"
			"checksum high 0x%" PRIx64 " 0x%" PRIx64 "\n",
			m->ram, m->tiny - m->ram, after, m->hv - after);
	else
		fprintf(f,
			"checksum low-%u 0x%" PRIx64 " 0x%" PRIx64
			" sample=%u\n"
			"checksum high-%u 0x%" PRIx64 " 0x%" PRIx64
			" sample=%u\n",
			a->select, m->ram, m->tiny - NEAR - m->ram, SAMPLE_LOW,
			a->select, after + NEAR, m->hv - NEAR - after - NEAR,
			SAMPLE_HIGH);
	if (poke_at)
		fprintf(f, "poke 0x%" PRIx64 " 0xa5\n", poke_at);
	fprintf(f, "run 10\n"
		   "expect-checksum tiny\n"
		   "expect-checksum near-tiny\n"
		   "expect-checksum near-attack\n"
		   "expect-checksum near-hv\n"
		   "expect-checksum hv-first\n"
		   "expect-state 1 running\n");
	if (a->outcome != DENIED)
		fprintf(f, "expect-checksum hv\n");
	if (WHOLE(a->select))
		fprintf(f, "expect-checksum low\nexpect-checksum high\n");
	else
		fprintf(f, "expect-checksum low-%u\nexpect-checksum high-%u\n",
			a->select, a->select);
	switch (a->outcome) {
	case REFUSED:
		fprintf(f, "expect-log 2 [check] attack.%s: pass\n", a->name);
		break;
	case EMPTY:
		fprintf(f,
			"expect-log 2 [check] attack.%s: pass (read "
			"0xffffffff)\n",
			a->name);
		break;
	case SKIPPED:
		fprintf(f, "expect-log 2 [check] attack.%s: skip\n", a->name);
		break;
	case DENIED:
		fprintf(f,
			"expect-log 2 [run] attack.%s\n"
			"expect-state 2 failed\n"
			"expect-reason 2 %s item=0x%" PRIx64 "\n",
			a->name, a->reason, a->item);
		break;
	case LOOPING:
		fprintf(f, "expect-log 2 [run] attack.%s\n", a->name);
		break;
	}
	if (a->outcome != DENIED)
		fprintf(f, "expect-state 2 running\n");
	if (a->outcome == REFUSED || a->outcome == EMPTY)
		fprintf(f, "expect-log 2 [verdict] pass 1/1\n");
	/* The cell still loops: its shutdown approval ends the destroy. */
	if (a->outcome == LOOPING)
		fprintf(f, "destroy 2 expect=0\n");
	fclose(f);
}

/* Lines of the hypervisor console about the attacker. */
static unsigned int attacker_lines(void)
{
	const char *p = sim_console(), *what = "warden: cell \"attack\":";
	unsigned int n = 0;

	while ((p = strstr(p, what))) {
		n++;
		p += strlen(what);
	}
	return n;
}

static void run_attempt(const struct machine *m, const struct attempt *a,
			const struct late_attempt *late)
{
	struct scenario_opts opts = { .keep = true };
	char path[128];
	struct cell *attack, *tiny;
	uint64_t insns;

	snprintf(path, sizeof(path), "build/host/tests/isolation-%s-%u.scn",
		 m->arch, a->select);
	write_scenario(path, m, a, late ? late->config : NULL);
	err[0] = '\0';
	ck_assert_msg(!scenario_file(path, &opts, err, sizeof(err)), "%s", err);
	tiny = core_cpu_cell(2);
	attack = core_cpu_cell(3);
	ck_assert_uint_eq(core_cell_id(tiny), 1);
	if (late && late->absent)
		ck_assert_msg(!sim_text_find(sim_console_text(), late->absent),
			      "'%s' on the console", late->absent);
	if (late && late->max_lines != NO_LIMIT)
		ck_assert_uint_le(attacker_lines(), late->max_lines);
	if (a->outcome == LOOPING) {
		/* Destroyed: its CPU back with the root, parked. */
		ck_assert_ptr_eq(attack, core_cpu_cell(0));
		ck_assert((core_cpu_flags(3) & CORE_CPU_PARKED));
		ck_assert_ptr_nonnull(strstr(sim_console(), a->message));
		ck_assert_ptr_nonnull(strstr(
			sim_console(), "warden: destroyed cell \"attack\""));
		ck_assert_ptr_null(strstr(sim_console(), "FAILED"));
		ck_assert(!sim_machine_stopped());
	} else if (a->outcome == DENIED) {
		ck_assert_uint_eq(core_cell_id(attack), 2);
		ck_assert_uint_eq(core_cell_comm(attack)->cell_state,
				  WD_CELL_FAILED);
		ck_assert_str_eq(wd_reason_name(core_cell_fail_reason(attack)),
				 a->reason);
		ck_assert_uint_eq(core_cell_fail_item(attack), a->item);
		ck_assert((core_cpu_flags(3) & CORE_CPU_PARKED));
		ck_assert_ptr_nonnull(strstr(sim_console(),
					     "warden: cell \"attack\" FAILED"));
		/* Contained: the machine was not reset or powered off. */
		ck_assert(!sim_machine_stopped());
	} else {
		ck_assert_uint_eq(core_cell_id(attack), 2);
		ck_assert_uint_eq(core_cell_comm(attack)->cell_state,
				  WD_CELL_RUNNING);
		ck_assert(!(core_cpu_flags(3) & CORE_CPU_PARKED));
		if (a->message)
			ck_assert_msg(strstr(sim_console(), a->message),
				      "'%s' not on the console", a->message);
		/* No cell failed (a cell may print the word, escaped). */
		ck_assert_ptr_null(strstr(sim_console(), "\nwarden: cell "
							 "\"attack\" FAILED"));
		ck_assert_ptr_null(strstr(sim_console(), "\nwarden: cell "
							 "\"tiny\" FAILED"));
	}
	/* tiny keeps running: it executes all of its next 2 ms. */
	ck_assert_uint_eq(core_cell_comm(tiny)->cell_state, WD_CELL_RUNNING);
	ck_assert(!(core_cpu_flags(2) & CORE_CPU_PARKED));
	insns = exec_cpu_executed(2);
	ck_assert_int_eq(exec_run(2), 0);
	ck_assert_uint_eq(exec_cpu_executed(2) - insns, 2 * EXEC_INSN_PER_MS);
	scenario_release();
}

START_TEST(test_attack_x86)
{
	run_attempt(&x86, &x86_attempts[_i], NULL);
}
END_TEST

START_TEST(test_attack_arm)
{
	run_attempt(&arm, &arm_attempts[_i], NULL);
}
END_TEST

START_TEST(test_late_x86)
{
	run_attempt(&x86, &x86_late[_i].a, &x86_late[_i]);
}
END_TEST

START_TEST(test_late_arm)
{
	run_attempt(&arm, &arm_late[_i].a, &arm_late[_i]);
}
END_TEST

START_TEST(test_more_x86)
{
	run_attempt(&x86, &x86_more[_i], NULL);
}
END_TEST

START_TEST(test_more_arm)
{
	run_attempt(&arm, &arm_more[_i], NULL);
}
END_TEST

/*
 * The checks find a stray write (scenario command poke, in the window):
 * in tiny's RAM, the hypervisor's, the root's next to the attacker, far
 * in the root's RAM in an attempt that checks all of it, and in a page
 * the sample of an attempt holds (picked here as the scenario picks it).
 */
static uint64_t sampled_page(const char *name, uint64_t phys, uint64_t size)
{
	uint64_t x = 0xcbf29ce484222325ULL;

	for (; *name; name++)
		x = (x ^ (uint8_t)*name) * 0x100000001b3ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL; /* k = 0 */
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return phys + x % (size / 0x1000) * 0x1000 + 0x123;
}

struct stray {
	unsigned int attempt; /* index in x86_attempts */
	uint64_t at;
	const char *sum;
};

static const struct stray strays[] = {
	{ 0, 0x0e080000, "tiny" },	   { 0, 0x0f800000, "hv" },
	{ 10, 0x0e200010, "near-attack" }, { 11, 0x05000000, "low" },
	{ 11, 0x0e800000, "high" },	   { 0, 0, "low-1" },
};

START_TEST(test_stray_write)
{
	const struct stray *st = &strays[_i];
	const struct attempt *a = &x86_attempts[st->attempt];
	struct scenario_opts opts = { .keep = false };
	char path[128], want[64];

	poke_at = st->at ? st->at :
			   sampled_page("low-1", x86.ram,
					x86.tiny - NEAR - x86.ram);
	snprintf(path, sizeof(path), "build/host/tests/isolation-stray-%d.scn",
		 _i);
	write_scenario(path, &x86, a, NULL);
	err[0] = '\0';
	ck_assert_int_ne(scenario_file(path, &opts, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "checksum %s of [", st->sum);
	ck_assert_msg(strstr(err, want), "%s", err);
	ck_assert_msg(strstr(err, ") changed"), "%s", err);
	poke_at = 0;
}
END_TEST

static Suite *isolation_suite(void)
{
	Suite *s = suite_create("isolation");
	TCase *tc = tcase_create("x86");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_attack_x86, 0,
			    sizeof(x86_attempts) / sizeof(x86_attempts[0]));
	tcase_add_loop_test(tc, test_late_x86, 0,
			    sizeof(x86_late) / sizeof(x86_late[0]));
	tcase_add_loop_test(tc, test_more_x86, 0,
			    sizeof(x86_more) / sizeof(x86_more[0]));
	tcase_add_loop_test(tc, test_stray_write, 0,
			    sizeof(strays) / sizeof(strays[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("arm");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_attack_arm, 0,
			    sizeof(arm_attempts) / sizeof(arm_attempts[0]));
	tcase_add_loop_test(tc, test_late_arm, 0,
			    sizeof(arm_late) / sizeof(arm_late[0]));
	tcase_add_loop_test(tc, test_more_arm, 0,
			    sizeof(arm_more) / sizeof(arm_more[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(isolation_suite());
}
