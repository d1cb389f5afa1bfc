/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated CPUs' interrupt hardware, as plain state machines driven by
 * the executor (sim/exec.c): the x2APIC of x86 CPUs (sim/lapic.c) and the
 * GICv2 with the ARM generic timer (sim/gic.c). They know nothing of
 * Unicorn or of the core: the executor decodes the guest's accesses, asks
 * the core where the hypervisor must decide (IPIs to other cells' CPUs,
 * distributor pins), and performs the exception entry these models ask
 * for.
 *
 * Time is the CPU's virtual time in ns; all timers and counters count at
 * SIM_CLOCK_KHZ (sim.h), so one tick is one guest instruction.
 */
#ifndef WARDEN_SIM_INTC_H
#define WARDEN_SIM_INTC_H

#include <stdbool.h>
#include <stdint.h>

#include "../arch-x86/x2apic.h"
#include "sim.h"

#define SIM_TIMER_KHZ ((uint64_t)SIM_CLOCK_KHZ)
#define SIM_NS_PER_TICK (1000000ULL / SIM_TIMER_KHZ)
#define INTC_NEVER UINT64_MAX

static inline uint64_t sim_ticks(uint64_t ns)
{
	return ns / SIM_NS_PER_TICK;
}

/* ---- x2APIC ------------------------------------------------------------ */

/* Register rules and ICR decoding: arch-x86/x2apic.h. */

/* Bring @cpu's APIC out of reset (machine start: xAPIC mode, timer
 * stopped). Its state then persists across cells, as on hardware. */
void lapic_reset(unsigned int cpu, bool bsp);

/*
 * @cpu changes hands: set APIC register @reg (x2APIC number, MSR - 0x800;
 * ISR, TMR, IRR: all 8 of them) to @val as the backend's handover list
 * says (arch-x86/handover.h), read-only or not, x2APIC mode or not.
 * MSR_APIC_BASE for @reg sets the base MSR. Returns 0, or -1 for a
 * register the model does not have.
 */
int lapic_handover(unsigned int cpu, unsigned int reg, uint64_t val);

/* Is @cpu's APIC in x2APIC mode (EN and EXTD)? */
bool lapic_x2apic_on(unsigned int cpu);

/*
 * A RDMSR/WRMSR of an APIC register (MSR_APIC_BASE or the x2APIC range). Returns 0, or -1 for an access the hardware answers
 * with #GP (reserved register, write to a read-only one, x2APIC off).
 */
int lapic_rdmsr(unsigned int cpu, uint32_t msr, uint64_t now, uint64_t *val);
int lapic_wrmsr(unsigned int cpu, uint32_t msr, uint64_t val, uint64_t now);
/*
 * The same in any APIC mode (the x86 exit layer checks the mode: x2APIC
 * MSRs, or the xAPIC page with register = offset / 16). -1 for a register
 * or access the rules refuse.
 */
int lapic_reg_read(unsigned int cpu, uint32_t msr, uint64_t now, uint64_t *val);
int lapic_reg_write(unsigned int cpu, uint32_t msr, uint64_t val, uint64_t now);

/* Make @vector pending (IPIs, MSI, the ivshmem doorbell). */
void lapic_raise(unsigned int cpu, uint8_t vector);

/*
 * The vector to deliver now (timer expiries up to @now included), or -1.
 * With @take the vector moves from requested to in service.
 */
int lapic_pending(unsigned int cpu, uint64_t now, bool take);

/* When the APIC timer fires next (ns), or INTC_NEVER. */
uint64_t lapic_next_event(unsigned int cpu);

/* ---- GICv2 and the generic timer ---------------------------------------- */

#define GIC_SPURIOUS 1023
#define GIC_PPI_VTIMER 27

/* Forget all distributor and CPU interface state (machine start). */
void gic_init(void);
/*
 * @cpu's banked distributor state and CPU interface persist across cells,
 * as on hardware: the executor applies the ARMv7 backend's handover list
 * (arch-armv7/gicd.h) with gic_dist_access() and gic_set_vmcr().
 * Set the CPU interface as a GICH_VMCR value sets the virtual one.
 */
void gic_set_vmcr(unsigned int cpu, uint32_t vmcr);

/*
 * Distributor register @off of CPU @cpu's view, @size bytes. Returns the
 * interrupt id the access concerns (its first one), so the executor can ask
 * the core about ownership before calling gic_dist_access() with @commit.
 */
unsigned int gic_dist_irq(uint64_t off);
uint32_t gic_dist_access(unsigned int cpu, uint64_t off, unsigned int size,
			 bool write, uint32_t val);
/* CPU interface register access of @cpu. */
uint32_t gic_cpu_access(unsigned int cpu, uint64_t off, bool write,
			uint32_t val, uint64_t now);

/* Make interrupt @irq pending (SPI: at its target CPUs; PPI/SGI: @cpu). */
void gic_raise(unsigned int cpu, unsigned int irq);

/* Should @cpu take an IRQ exception now? */
bool gic_irq_line(unsigned int cpu, uint64_t now);

/*
 * Generic timer registers (CP15 c14) of @cpu: @reg names the register by
 * its encoding (see gic.c). Returns 0, or -1 for an unknown one.
 */
enum gt_reg {
	GT_CNTFRQ,
	GT_CNTPCT,
	GT_CNTVCT,
	GT_CNTV_CTL,
	GT_CNTV_CVAL,
	GT_CNTV_TVAL,
	GT_CNTP_CTL,
	GT_CNTP_CVAL,
	GT_CNTP_TVAL,
	GT_CNTKCTL,
};
int gt_read(unsigned int cpu, enum gt_reg reg, uint64_t now, uint64_t *val);
int gt_write(unsigned int cpu, enum gt_reg reg, uint64_t val, uint64_t now);
/* When @cpu's virtual or physical timer condition next becomes true. */
uint64_t gt_next_event(unsigned int cpu, uint64_t now);

#endif /* !WARDEN_SIM_INTC_H */
