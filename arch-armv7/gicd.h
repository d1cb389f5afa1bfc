/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv2 distributor policy of the ARMv7 backend, host-compilable: what a
 * cell's access to the (always trapped) distributor becomes, and the
 * banked per-CPU distributor state a CPU gets when it changes hands.
 * arch-armv7/gic.c and vgic.c carry the decisions out on the real GIC; the
 * simulator links this file and carries them out on its GIC model
 * (sim/gic.c), so the rules are written once. docs/arm.md has the tables.
 *
 * Pins the hypervisor keeps for itself (gicd_hyp_pins()): the event SGI
 * (park, suspend, injections for another CPU) and the maintenance PPI.
 * A cell sees them as a GIC shows interrupts it does not implement: their
 * bits read as zero and writes to them are ignored, in every banked
 * register (enable, pending, active, priority, configuration; groups are
 * the hypervisor's for every pin, IGROUPR reads as zero),
 * so nothing a cell writes can keep the hypervisor's events from a CPU.
 * Ignoring, not refusing: a guest's GIC driver writes whole registers
 * (Linux disables all PPIs and sets every priority at boot).
 */
#ifndef WARDEN_ARM_GICD_H
#define WARDEN_ARM_GICD_H

#include <stdbool.h>
#include <stdint.h>

#include <warden/reason.h>

#define GICD_SGI_EVENT 0 /* the hypervisor's event SGI */

/* Distributor register offsets (ARM IHI 0048B, 4.1.2). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_ICFGR_END 0xd00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICD_SPENDSGIR_END 0xf30
#define GICD_SIZE 0x1000

/* The banked pins (0-31) the hypervisor owns on every CPU. */
uint32_t gicd_hyp_pins(unsigned int maintenance_irq);

/* Does the filter read gicd_caller.targets for an access at @off (SGIR,
 * ITARGETSR)? Elsewhere a caller may leave it 0. */
static inline bool gicd_needs_targets(unsigned int off)
{
	return off == GICD_SGIR || (off >= GICD_ITARGETSR && off < GICD_ICFGR);
}

/* Who accesses the distributor. */
struct gicd_caller {
	uint64_t base;	  /* the distributor's address (for items) */
	unsigned int cpu; /* this CPU's interface number */
	uint32_t targets; /* the cell's CPU interfaces (bit n = CPU n) */
	uint32_t hyp_pins;
	/* Does the cell own SPI @pin (a read shows it)? */
	bool (*owns)(void *arg, unsigned int pin);
	void *arg;
};

enum gicd_verdict {
	GICD_PASS,   /* to the distributor, through the mask (below) */
	GICD_IGNORE, /* write ignored, read as zero */
	GICD_SGI,    /* write: send SGI sgi_id to the CPUs in sgi_list */
	GICD_DENY,   /* fail the cell with reason/item */
};

struct gicd_action {
	enum gicd_verdict verdict;
	/* PASS: bits of the access the cell may see (read) or change. */
	uint32_t mask;
	/*
	 * PASS write: keep the distributor's other bits (read, merge, write);
	 * false when the mask covers the access or in set/clear registers,
	 * where a 0 bit changes nothing.
	 */
	bool merge;
	uint32_t value; /* PASS write: the value, masked, targets cut */
	/*
	 * PASS write: the SPIs it changes, bit n = SPI first + n, which the
	 * mechanism has the core check in this order before it writes
	 * (core_irqchip_access: a foreign one fails the cell, nothing is
	 * written). 0: banked pins only.
	 */
	uint32_t check;
	unsigned int first;
	uint32_t sgi_list;
	unsigned int sgi_id;
	enum wd_reason reason; /* DENY */
	uint64_t item;	       /* DENY with a reason */
};

/* Decide a cell's access of @size bytes at offset @off (below GICD_SIZE). */
void gicd_filter(const struct gicd_caller *c, unsigned int off,
		 unsigned int size, bool write, uint32_t value,
		 struct gicd_action *a);

/*
 * The banked distributor state of a CPU that changes hands: 32-bit writes
 * (offset, value) in this order, by the hypervisor on the CPU itself (the
 * registers are banked). Every pin disabled, not pending, not active,
 * group 0, priority 0, SGIs edge and PPIs level-sensitive; then the
 * hypervisor's pins enabled. Clearing a pending event SGI loses nothing:
 * requests are flags in memory, and a CPU being reset is not in guest mode,
 * so nobody sends it one (hal_cpu_park/suspend look at its state first);
 * the maintenance PPI is level, raised again while its cause remains.
 * In the simulator SGI 0's bits also hold a cell's own virtual SGI 0,
 * which must not reach the next owner either.
 */
struct gicd_reg {
	uint16_t off;
	uint32_t value;
};
#define GICD_RESET_REGS 19
/* GICH_VMCR after handover: virtual CPU interface off, PMR 0, BPR 0. */
#define GICD_RESET_VMCR 0
unsigned int gicd_reset_regs(uint32_t hyp_pins,
			     struct gicd_reg out[GICD_RESET_REGS]);

#endif /* !WARDEN_ARM_GICD_H */
