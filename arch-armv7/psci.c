// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI policy: one decision per call, taken here for the ARMv7 backend
 * and the simulator alike (psci.h). Facts from PSCI 1.0 (ARM DEN0022D):
 * function ids (5.1), return codes (5.2.2), MPIDR target format (5.1.4:
 * SMC32 calls carry Aff2-Aff0 in bits 23:0, other bits zero), mandatory
 * functions of 1.0 (VERSION, CPU_SUSPEND, CPU_OFF, CPU_ON, AFFINITY_INFO,
 * SYSTEM_OFF, SYSTEM_RESET, FEATURES). SMC64 function ids do not exist
 * for an AArch32 caller (SMC Calling Convention): NOT_SUPPORTED, as for
 * any unknown id.
 */
#include "psci.h"

uint32_t psci_machine_cpus(const struct wd_system *sys)
{
	const uint8_t *set = wd_cell_cpu_set(&sys->root_cell);
	uint32_t mask = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < 32 && cpu < sys->root_cell.cpu_set_size * 8u; cpu++)
		if (set[cpu / 8] >> (cpu % 8) & 1)
			mask |= 1u << cpu;
	return mask;
}

void psci_decide(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3,
		 uint32_t present, struct psci_decision *d)
{
	/* The CPU a target MPIDR @a1 names (id Aff0 of this machine), or -1. */
	int cpu = a1 & ~0x1fu || !(present >> a1 & 1) ? -1 : (int)a1;

	*d = (struct psci_decision){ .action = PSCI_ACT_ANSWER,
				     .answer = PSCI_NOT_SUPPORTED };
	switch (fn) {
	case PSCI_VERSION:
		d->answer = (int32_t)PSCI_IMPLEMENTED_VERSION;
		return;
	case PSCI_CPU_SUSPEND:
		/*
		 * Every power state is taken as a standby that a wake-up
		 * event ends at once: the call returns SUCCESS (5.4.2 allows
		 * an early return). The CPU stays the cell's, nothing is
		 * powered down, so nothing needs a handover.
		 */
		d->answer = PSCI_SUCCESS;
		return;
	case PSCI_CPU_OFF:
		d->action = PSCI_ACT_CPU_OFF;
		return;
	case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO:
		/* AFFINITY_INFO: level 0 only (levels above are optional in
		 * 1.0). */
		if (cpu < 0 || (fn == PSCI_AFFINITY_INFO && a2 != 0)) {
			d->answer = PSCI_INVALID_PARAMETERS;
			return;
		}
		d->action = fn == PSCI_CPU_ON ? PSCI_ACT_CPU_ON :
						PSCI_ACT_AFFINITY;
		d->cpu = (unsigned int)cpu;
		d->entry = a2;
		d->context = a3;
		return;
	case PSCI_MIGRATE_INFO_TYPE:
		d->answer = PSCI_TOS_NOT_PRESENT_MP;
		return;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		d->action = PSCI_ACT_MACHINE;
		d->off = fn == PSCI_SYSTEM_OFF;
		return;
	case PSCI_FEATURES:
		/* 0: implemented, the functions 1.0 makes mandatory: VERSION
		 * to FEATURES but MIGRATE and MIGRATE_INFO_UP_CPU (for a
		 * Trusted OS to migrate). For CPU_SUSPEND the flags are 0 as
		 * well (original power_state format, platform-coordinated). */
		if (a1 >= PSCI_VERSION && a1 <= PSCI_FEATURES &&
		    a1 != PSCI_MIGRATE && a1 != PSCI_MIGRATE_INFO_UP_CPU)
			d->answer = PSCI_SUCCESS;
		return;
	}
	/* MIGRATE, MIGRATE_INFO_UP_CPU (no Trusted OS to migrate), SMC64
	 * ids, the optional 1.0+ functions, anything else. */
}

int32_t psci_cpu_on_answer(bool was_running, bool own)
{
	if (!own)
		return PSCI_DENIED;
	return was_running ? PSCI_ALREADY_ON : PSCI_SUCCESS;
}

int32_t psci_affinity_answer(bool in_cell, bool on)
{
	if (!in_cell)
		return PSCI_INVALID_PARAMETERS;
	return on ? PSCI_AFF_ON : PSCI_AFF_OFF;
}
