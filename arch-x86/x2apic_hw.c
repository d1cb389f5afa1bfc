/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The LAPIC in x2APIC mode, built into the VT-x image only (docs/x86.md,
 * "LAPIC"): where the CPU has an x2APIC (Bochs' corei7 models), each CPU
 * switches its own LAPIC to x2APIC mode before the backend takes the CPU
 * (vmx.c's x86_vendor_cpu_init: x86_lapic = &x86_x2apic), and the
 * hypervisor then reaches it through the MSRs instead of setup.c's xAPIC
 * page; a cell's x2APIC EOI and TPR then run natively (vmx.c). An INIT
 * (DISABLE) puts it back into xAPIC mode. The AMD-V image never switches:
 * the xAPIC page is all it uses.
 */
#include "x2apic.h"
#include "x86.h"

static uint32_t x2apic_read(unsigned int reg)
{
	return (uint32_t)rdmsr(MSR_X2APIC_FIRST + reg);
}

/* #GP where the x2APIC refuses the value: nothing written, -1. */
static int x2apic_write(unsigned int reg, uint32_t val)
{
	return x86_wrmsr_safe(MSR_X2APIC_FIRST + reg, val);
}

static void x2apic_send_ipi(unsigned int cpu, uint32_t mode_vector)
{
	wrmsr(MSR_X2APIC_FIRST + X2APIC_ICR,
	      (uint64_t)cpu << 32 | mode_vector | (1U << 14));
}

const struct x86_lapic x86_x2apic = { x2apic_read, x2apic_write,
				      x2apic_send_ipi };
