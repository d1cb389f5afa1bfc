/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 backend's MSR policy for cells (sim/msr.c), shared by the
 * executor, which carries out what is allowed, and the replayer, which
 * reproduces the decisions recorded as `msr` trap records.
 */
#ifndef WARDEN_SIM_MSR_H
#define WARDEN_SIM_MSR_H

#include <stdbool.h>
#include <stdint.h>

#include "../hal/core.h"
#include "intc.h"

enum msr_route {
	ROUTE_NATIVE, /* guest state VT-x/AMD-V switch: the CPU executes it */
	ROUTE_TSC,    /* TSC read: virtual time */
	ROUTE_APIC,   /* the x2APIC model's register */
	ROUTE_IPI,    /* ICR write: a fixed IPI or INIT within the cell */
	ROUTE_SIPI,   /* ICR write: SIPI, decided by core_cpu_on() */
};

struct msr_action {
	enum msr_route route;
	struct ipi ipi;	   /* ROUTE_IPI, ROUTE_SIPI */
	unsigned int dest; /* their target CPU */
};

/*
 * Decide RDMSR/WRMSR of @msr (@value for writes) by the cell on CPU @cpu,
 * which must be the current CPU of the core (sim_set_cpu). Denials fail the
 * cell through core_cell_fault(): `msr_denied` (item = MSR) for MSRs cells
 * may not use, reserved or read-only/write-only x2APIC registers, NMI,
 * logical or broadcast IPIs (item = the ICR, 0x830); `cpu_foreign` (item =
 * APIC id) for INIT or fixed IPIs to CPUs of other cells. A SIPI goes to
 * core_cpu_on(dest, vector << 12), whose result is returned. Otherwise
 * ACCESS_EMULATED, with @act saying what the backend does.
 */
enum access_result sim_msr(unsigned int cpu, uint32_t msr, bool write,
			   uint64_t value, struct msr_action *act);

#endif /* !WARDEN_SIM_MSR_H */
