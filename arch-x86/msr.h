/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 backends' MSR policy for cells (msr.c): what RDMSR/WRMSR of a
 * cell may do, as the VT-x and AMD-V backends set up their MSR bitmaps and
 * x2APIC virtualization. The simulator links it: its executor carries out
 * what is allowed, its replayer reproduces the decisions recorded as `msr`
 * trap records.
 */
#ifndef WARDEN_X86_MSR_H
#define WARDEN_X86_MSR_H

#include <stdbool.h>
#include <stdint.h>

#include "../hal/core.h"
#include "x2apic.h"

enum msr_route {
	ROUTE_NATIVE, /* guest state VT-x/AMD-V switch: the CPU executes it */
	ROUTE_TSC,    /* TSC read: virtual time */
	ROUTE_APIC,   /* the x2APIC's register; an ICR write keeps the value
			 and sends the IPI to the CPUs of the mask, if any */
	ROUTE_GP,     /* the root cell's MSR nobody offers: #GP, as a CPU
			 without it (Linux probes with rdmsr_safe) */
	ROUTE_ZERO,   /* the root cell's machine-check MSRs: read 0, writes
			 dropped (no banks, no errors; Linux's #GP is fatal) */
};

struct msr_action {
	enum msr_route route;
	struct ipi ipi; /* an ICR write's IPI */
	uint64_t mask;	/* the CPUs to send it to: 0 for none (refused for
			   the root cell, or a SIPI, core_cpu_on()'s) */
};

/* CPU @cpu's xAPIC logical id (LDR bits 31:24, flat model), for logical
 * destinations: what the cell wrote, or found at a late launch. @cpu is
 * a CPU's id (hal_cpu_id(), one the core passed): below WD_MAX_CPUS. */
void x86_apic_ldr(unsigned int cpu, uint32_t ldr);
/* The CPUs whose logical id shares a bit with @dest (flat model). */
uint64_t x86_apic_logical(uint32_t dest);

/*
 * Decide RDMSR/WRMSR of @msr (@value for writes) by the cell on CPU @cpu,
 * which must be the current CPU of the core. Denials fail the cell through
 * core_trap_refused() (a non-root cell): `msr_denied` (item = MSR) for
 * MSRs cells may not use, reserved or read-only/write-only x2APIC registers, NMI, logical or
 * broadcast IPIs (item = the ICR, 0x830); `cpu_foreign` (item = APIC id)
 * for INIT or fixed IPIs to CPUs of other cells; the root cell's are
 * dropped instead (core_trap_refused, an empty mask). A SIPI goes to
 * core_cpu_on(dest, vector << 12), whose result is returned. Otherwise
 * ACCESS_EMULATED, with @act saying what the backend does.
 */
enum access_result x86_msr_policy(unsigned int cpu, uint32_t msr, bool write,
				  uint64_t value, struct msr_action *act);

/*
 * Is @msr guest state the CPU switches per VM run (VMCS/VMCB, or the
 * backend's save/restore), so that a cell reads and writes it natively
 * (ROUTE_NATIVE)? Exactly the MSRs of the handover reset list
 * (arch-x86/handover.h, X86_HANDOVER_MSRS): what a cell may write is
 * what the next owner gets reset.
 */
/*
 * The IPI rule, for a write of @icr (x2APIC format) to the ICR on CPU @cpu,
 * whether by WRMSR or on the xAPIC page: no NMI, SIPI only as
 * core_cpu_on() decides, other IPIs to the cell's own CPUs only; fixed
 * IPIs also by shorthand ("all" and "all but self": the cell's CPUs) or to
 * logical xAPIC flat destinations (the cell's CPUs whose logical id
 * matches), INIT and SIPI only to one physical destination.
 * ACCESS_EMULATED with @act (ROUTE_APIC, the IPI and the CPUs to send it
 * to); or ACCESS_DENIED, the access @trap recorded with reason @why
 * (item: its address) or WD_R_cpu_foreign (item: the target CPU); for
 * the root cell such a refusal is ACCESS_EMULATED with an empty mask (the
 * ICR written, nothing sent, the reason recorded).
 */
enum access_result x86_icr_policy(unsigned int cpu, uint64_t icr,
				  const struct wd_trap *trap,
				  enum wd_reason why, struct msr_action *act);

bool x86_msr_native(uint32_t msr);

#endif /* !WARDEN_X86_MSR_H */
