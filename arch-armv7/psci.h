/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PSCI policy (psci.c): what a cell's PSCI call (smc #0 or hvc #0, function
 * id in r0, arguments in r1-r3) means. Plain C, no HYP state: the ARMv7
 * backend (traps.c: registers, conduit, trap records) and the simulator
 * (sim/exec.c) both ask it, so the answers are the same everywhere;
 * tests/unit/test_psci.c checks them. Answers follow the PSCI 1.0
 * specification (ARM DEN0022D); docs/arm.md, "PSCI", lists them.
 */
#ifndef WARDEN_ARM_PSCI_H
#define WARDEN_ARM_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#include <warden/cell_config.h>

/* Function ids (SMC32; DEN0022D 5.1). */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE 0x84000005u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_MIGRATE_INFO_UP_CPU 0x84000007u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

/* Return values (DEN0022D 5.2.2). */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)

/* The version this policy implements: 1.0 (major << 16 | minor). */
#define PSCI_IMPLEMENTED_VERSION 0x00010000u
/* MIGRATE_INFO_TYPE: no Trusted OS that needs migration. */
#define PSCI_TOS_NOT_PRESENT_MP 2
/* AFFINITY_INFO answers. */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1

/* What the backend does for a call. */
enum psci_action {
	PSCI_ACT_ANSWER, /* write @answer to r0, nothing else */
	PSCI_ACT_CPU_ON, /* core_cpu_on(@cpu, @entry), then psci_cpu_on_answer */
	PSCI_ACT_CPU_OFF,  /* core_cpu_off(): no return on success */
	PSCI_ACT_MACHINE,  /* core_machine_control(@off, WD_METHOD_PSCI) */
	PSCI_ACT_AFFINITY, /* psci_affinity_answer() about @cpu */
};

struct psci_decision {
	enum psci_action action;
	int32_t answer;	  /* PSCI_ACT_ANSWER: r0 */
	unsigned int cpu; /* CPU_ON, AFFINITY: target CPU id */
	uint32_t entry;	  /* CPU_ON: entry point */
	uint32_t context; /* CPU_ON: r0 of the started CPU */
	bool off;	  /* MACHINE: SYSTEM_OFF (true) or SYSTEM_RESET */
};

/*
 * The machine's CPUs as a mask (bit n: CPU id n, n < 32): those of the
 * root cell's CPU set in the system config @sys. A PSCI target outside
 * it names no CPU at all (INVALID_PARAMETERS).
 */
uint32_t psci_machine_cpus(const struct wd_system *sys);

/*
 * Decide the call @fn(@a1, @a2, @a3) made by a cell on a machine whose
 * CPUs are @present (psci_machine_cpus) and whose MPIDR affinity level 0
 * is the CPU id (levels 1-2 zero: QEMU virt, the simulator). Always
 * fills @d.
 */
void psci_decide(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3,
		 uint32_t present, struct psci_decision *d);

/*
 * r0 after a CPU_ON the core handled (core_cpu_on EMULATED): DENIED for a
 * CPU not @own (the caller's cell's: the root cell asked for a cell's
 * CPU, refused, its reason recorded); else @was_running says whether the
 * target ran (was not parked) before the call.
 */
int32_t psci_cpu_on_answer(bool was_running, bool own);

/*
 * r0 of AFFINITY_INFO about a CPU: @in_cell, whether it is the caller's
 * cell's; @on, whether it runs (not parked). Another cell's CPU is not
 * the caller's to ask about: INVALID_PARAMETERS, as for no CPU at all.
 */
int32_t psci_affinity_answer(bool in_cell, bool on);

#endif /* !WARDEN_ARM_PSCI_H */
