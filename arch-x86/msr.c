// SPDX-License-Identifier: GPL-2.0
/*
 * Which MSRs a cell may use, as warden's x86 backends set up their MSR
 * bitmaps and x2APIC virtualization: the guest-state MSRs the CPU switches
 * per VM run natively; the TSC and the x2APIC are emulated (sim/lapic.c in
 * the simulator); everything else is refused. IPIs may target only the
 * cell's own CPUs, and starting one (SIPI) is the core's decision.
 * Freestanding: the core's API (hal/core.h) only.
 */
#include "msr.h"
#include "handover.h"

/* The handover list's MSRs (handover.h): the list is the rule. */
bool x86_msr_native(uint32_t msr)
{
#define NATIVE(name, id, value) case id:
	switch (msr) {
		X86_HANDOVER_MSRS(NATIVE)
		return true;
	}
#undef NATIVE
	return false;
}

enum access_result x86_msr_policy(unsigned int cpu, uint32_t msr, bool write,
				  uint64_t value, struct msr_action *act)
{
	struct wd_trap trap = { .kind = WD_TRAP_MSR,
				.write = write,
				.addr = msr,
				.value = write ? value : 0 };

	*act = (struct msr_action){ .route = msr == MSR_TSC && !write ?
						     ROUTE_TSC :
					     x86_msr_native(msr) ?
						     ROUTE_NATIVE :
						     ROUTE_APIC };
	if (act->route != ROUTE_APIC)
		return ACCESS_EMULATED;
	if (x2apic_msr_valid(msr, write, value))
		return write && msr == MSR_X2APIC_ICR ?
			       x86_icr_policy(cpu, value, &trap,
					      WD_R_msr_denied, act) :
			       ACCESS_EMULATED;
	/* The cell fails; the core records the MSR access with the refusal.
	 * The root cell gets the #GP of a CPU without the MSR (docs/linux.md). */
	if (core_cell_id(core_cpu_cell(cpu)))
		return core_trap_refused(&trap, WD_R_msr_denied, msr);
	act->route = (msr >= 0x179 && msr <= 0x17b) ||
				     (msr >= 0x400 && msr < 0x480) ?
			     ROUTE_ZERO :
			     ROUTE_GP;
	return ACCESS_EMULATED;
}

static uint8_t logical_id[WD_MAX_CPUS];

void x86_apic_ldr(unsigned int cpu, uint32_t ldr)
{
	logical_id[cpu] = (uint8_t)(ldr >> 24);
}

uint64_t x86_apic_logical(uint32_t dest)
{
	uint64_t m = 0;
	unsigned int i;

	for (i = 0; i < WD_MAX_CPUS; i++)
		if (logical_id[i] & dest)
			m |= 1ULL << i;
	return m;
}

enum access_result x86_icr_policy(unsigned int cpu, uint64_t icr,
				  const struct wd_trap *trap,
				  enum wd_reason why, struct msr_action *act)
{
	uint64_t own = core_cell_cpus(core_cpu_cell(cpu)).bits;
	struct ipi ipi = x2apic_decode_icr(icr);
	unsigned int dest = ipi.self ? cpu : ipi.dest;
	bool many = ipi.broadcast || (ipi.logical && !ipi.self);

	/* Nothing is sent unless allowed below: refused, a cell fails, the
	 * root cell's IPI is dropped. */
	*act = (struct msr_action){ .route = ROUTE_APIC, .ipi = ipi };
	if (ipi.kind == IPI_BAD || ipi.kind == IPI_NMI ||
	    (many && ipi.kind != IPI_FIXED))
		return core_trap_refused(trap, why, trap->addr);
	if (ipi.kind == IPI_SIPI)
		return core_cpu_on(dest, (uint64_t)ipi.vector << 12);
	/* A fixed IPI or INIT only to a CPU of the sender's cell (NULL for a
	 * CPU id out of range: never this CPU's cell). */
	if (!many && core_cpu_cell(dest) != core_cpu_cell(cpu))
		return core_trap_refused(trap, WD_R_cpu_foreign, dest);
	/* Shorthands and logical destinations: the cell's CPUs among them. */
	act->mask = !many	   ? 1ULL << (dest % WD_MAX_CPUS) :
		    !ipi.broadcast ? own & x86_apic_logical(ipi.dest) :
		    ipi.but_self   ? own & ~(1ULL << cpu) :
				     own;
	return ACCESS_EMULATED;
}
