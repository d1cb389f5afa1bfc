/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv2 distributor, trapped for every cell (it is never mapped) and
 * filtered by the policy of gicd.c (traps.c hands its accesses here, not
 * to core_mmio, as the simulator does): a cell touches only the
 * configuration of its own SPIs (checked through core_irqchip_access for
 * each pin a write changes, whose records are the access's) and reads
 * zeros for the others; SGIs and PPIs (0-31) are banked
 * per CPU and the caller's, except the hypervisor's pins (event SGI,
 * maintenance PPI), which read as zero and ignore writes. SGIs a cell
 * sends are virtual (vgic.c); the distributor's enable (CTLR) is the
 * hypervisor's. This file is the mechanism: physical accesses.
 */
#include "arm.h"
#include "gicd.h"

#define GICV_SIZE 0x2000

static bool owns(void *arg, unsigned int pin, bool change)
{
	(void)arg;
	if (change)
		return core_irqchip_access(arm_gic.gicd_base, pin) !=
		       ACCESS_DENIED;
	return core_irq_owner(arm_gic.gicd_base, pin) ==
	       core_cpu_cell(arm_this_cpu()->id);
}

/* The distributor register at @off, @size bytes (1, 2 or 4: the filter
 * passes no other) written with @v (@write) or read; HYP maps it at its
 * address (device memory). */
static uint32_t dist(unsigned int off, unsigned int size, bool write,
		     uint32_t v)
{
	volatile uint8_t *p = (volatile uint8_t *)arm_gic.gicd + off;

	if (size == 4 && write)
		*(volatile uint32_t *)p = v;
	else if (size == 2 && write)
		*(volatile uint16_t *)p = (uint16_t)v;
	else if (write)
		*p = (uint8_t)v;
	else
		v = size == 4 ? *(volatile uint32_t *)p :
		    size == 2 ? *(volatile uint16_t *)p :
				*p;
	return v;
}

/* The cell's access of @size bytes at offset @off: @value written, or
 * read into it. */
enum access_result arm_gic_access(unsigned int off, unsigned int size,
				  bool write, uint32_t *value)
{
	unsigned int cpu = arm_this_cpu()->id;
	struct gicd_caller c = { arm_gic.gicd_base, cpu,  0,
				 arm_gic.hyp_pins,  owns, NULL };
	struct gicd_action a;
	uint32_t v;

	/* Targets byte of the cell's CPUs (GICv2: CPU interface n = CPU n).
	 * While the root's CPUs leave one by one at DISABLE (no other cell
	 * exists by then), those that left still are the root's: its other
	 * CPUs' IPIs to them go out as physical SGIs (arm_gic_send_sgi). */
	if (gicd_needs_targets(off))
		c.targets = (uint32_t)(core_cell_cpus(core_cpu_cell(cpu)).bits &
				       0xff) |
			    arm_native_cpus;
	core_stat_inc(WD_CPU_STAT_VMEXITS_MMIO);
	gicd_filter(&c, off, size, write, *value, &a);
	switch (a.verdict) {
	case GICD_DENY: {
		/* No reason: a pin's check (owns) denied and recorded it. An
		 * SGI to another cell's CPU: the root's is dropped. */
		struct wd_trap trap = { .kind = WD_TRAP_IRQCHIP,
					.value = arm_gic.gicd_base };

		if (a.reason == WD_R_cpu_foreign)
			return core_trap_refused(&trap, a.reason, a.item);
		if (a.reason)
			core_trap_denied(&trap, a.reason, a.item);
		return ACCESS_DENIED;
	}
	case GICD_IGNORE:
		*value = 0; /* a read's; a write's is not looked at */
		return ACCESS_EMULATED;
	case GICD_SGI:
		arm_gic_send_sgi(a.sgi_list, a.sgi_id);
		return ACCESS_EMULATED;
	case GICD_PASS:
		break;
	}
	/* The distributor is where the cell sees it: at its address. */
	if (!write) {
		*value = dist(off, size, false, 0) & a.mask;
		return ACCESS_FORWARDED;
	}
	v = a.value;
	if (a.merge) /* keep the other pins' bits as they are */
		v |= dist(off, size, false, 0) & ~a.mask;
	dist(off, size, true, v);
	return ACCESS_FORWARDED;
}

/* The virtual CPU interface where the CPU one is (the distributor traps:
 * it is never mapped). */
int arm_gic_cell_init(struct cell *cell)
{
	const struct wd_platform_arm *arm =
		&core_system_config()->platform_info.arm;

	if (!core_cell_id(cell)) /* the root cell: before any CPU enters */
		arm_gic_setup();
	return hal_map(cell, gpa(arm->gicc_base), hpa(arm->gicv_base),
		       GICV_SIZE, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO);
}

bool hal_irq_assignable(const struct wd_irqchip *chip, unsigned int pin)
{
	(void)chip;
	/* SGIs and PPIs (0..31, the maintenance interrupt too) are per CPU. */
	return pin >= 32;
}

/*
 * GICv2 has no message-signalled interrupts (no GICv2m frame here): no
 * device of a cell may raise one.
 */
enum wd_reason hal_msi_route(const struct cell *cell, uint16_t bdf,
			     unsigned int index, uint64_t address,
			     uint32_t data, struct msi_route *route)
{
	(void)cell;
	(void)bdf;
	(void)index;
	(void)address;
	(void)data;
	(void)route;
	return WD_R_msi_unsupported;
}
