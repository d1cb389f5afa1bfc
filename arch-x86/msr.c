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
#define NATIVE(name, id, value) id,
	static const uint32_t native[] = { X86_HANDOVER_MSRS(NATIVE) };
#undef NATIVE
	unsigned int i;

	for (i = 0; i < sizeof(native) / sizeof(native[0]); i++)
		if (native[i] == msr)
			return true;
	return false;
}

/* The cell fails; the core records the MSR access with the refusal. */
static enum access_result refuse(uint32_t msr, bool write, uint64_t value,
				 enum wd_reason why, uint64_t item)
{
	core_trap_denied(&(struct wd_trap){ .kind = WD_TRAP_MSR,
					    .write = write,
					    .addr = msr,
					    .value = write ? value : 0 },
			 why, item);
	return ACCESS_DENIED;
}

bool x86_ipi_allowed(unsigned int cpu, unsigned int dest)
{
	return cpu < WD_MAX_CPUS && dest < WD_MAX_CPUS &&
	       core_cpu_cell(dest) == core_cpu_cell(cpu);
}

enum access_result x86_msr_policy(unsigned int cpu, uint32_t msr, bool write,
				  uint64_t value, struct msr_action *act)
{
	struct ipi ipi;

	*act = (struct msr_action){ .route = ROUTE_APIC };
	if (msr == MSR_TSC && !write) {
		act->route = ROUTE_TSC;
		return ACCESS_EMULATED;
	}
	if (x86_msr_native(msr)) {
		act->route = ROUTE_NATIVE;
		return ACCESS_EMULATED;
	}
	if (!x2apic_msr_valid(msr, write, value))
		return refuse(msr, write, value, WD_R_msr_denied, msr);
	if (!write || msr != MSR_X2APIC_ICR)
		return ACCESS_EMULATED;

	ipi = x2apic_decode_icr(value);
	if (ipi.kind == IPI_BAD || ipi.kind == IPI_NMI || ipi.broadcast)
		return refuse(msr, write, value, WD_R_msr_denied,
			      MSR_X2APIC_ICR);
	act->ipi = ipi;
	act->dest = ipi.self ? cpu : ipi.dest;
	if (ipi.kind == IPI_SIPI) {
		act->route = ROUTE_SIPI;
		return core_cpu_on(act->dest, (uint64_t)ipi.vector << 12);
	}
	if (!x86_ipi_allowed(cpu, act->dest))
		return refuse(msr, write, value, WD_R_cpu_foreign, act->dest);
	act->route = ROUTE_IPI;
	return ACCESS_EMULATED;
}
