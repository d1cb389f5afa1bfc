/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both x86 hardware backends (arch-amd/svm.c, arch-x86/vmx.c) share
 * (hal.c): hal_cpu_init(), hal_cpu_exit() (DISABLE), hal_cell_destroy(),
 * hal_config_commit(), hal_irq_assignable()
 * and hal_inject_irq() are written there once; the backend's
 * hal_cell_create() calls x86_cell_create(), and its struct x86_exit_ops
 * takes the x86_op_*() members below beside its own MSR and injection
 * ones. A cell's core_cell_arch() is its struct x86_cell.
 */
#ifndef WARDEN_X86_HAL_H
#define WARDEN_X86_HAL_H

#include "cell.h"
#include "exit.h"

/* Bumped by every configuration commit: each CPU flushes its cells'
 * translations before its next entry when it moved. */
extern uint64_t x86_tlb_generation;

/*
 * hal_cell_create(): @cell's struct x86_cell with an empty table in @fmt
 * (leaves of @sizes), an ASID/VPID, @io_pages of port bitmap (all ports
 * exit until the first commit copies the core's 8 KiB), its IOAPIC view,
 * and the x86 part of its comm region. 0 or -WD_ENOMEM.
 */
int x86_cell_create(struct cell *cell, const struct x86_pt_format *fmt,
		    unsigned int sizes, unsigned int io_pages);

int x86_op_read_gpa(void *ctx, uint64_t addr, void *dst, unsigned int len);
void x86_op_cpuid(void *ctx, uint32_t leaf, uint32_t sub, struct x86_cpuid *r);
uint64_t x86_op_tsc(void *ctx);
/*
 * setup.c: the CPU's own LAPIC as a cell sees it, in x2APIC MSR numbering
 * (the exit layer's apic_read/apic_write, arch-x86/exit.h), on the xAPIC
 * page or, with x86_x2apic, the x2APIC MSRs: the ID in x2APIC form, the
 * ICR kept per CPU (never written: IPIs go through the policy), SELF_IPI
 * as a fixed IPI to this CPU. IA32_APIC_BASE is virtual: a cell may turn
 * on x2APIC mode (EXTD) also where the hardware has no x2APIC (QEMU's
 * TCG): its x2APIC MSR accesses then exit and reach the xAPIC page; the
 * base address stays 0xfee00000. A write: 0, or -1 for a value the
 * x2APIC refused (#GP: nothing written).
 */
int x86_op_apic_read(void *ctx, uint32_t msr, uint64_t *val);
int x86_op_apic_write(void *ctx, uint32_t msr, uint64_t val);
void x86_op_send_ipi(void *ctx, unsigned int cpu, enum ipi_kind kind,
		     uint8_t vector);

#endif /* !WARDEN_X86_HAL_H */
