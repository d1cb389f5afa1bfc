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

static uint64_t gicd_base(void)
{
	return core_system_config()->platform_info.arm.gicd_base;
}

/*
 * Targets byte of the cell's CPUs (GICv2: CPU interface n = CPU n). While
 * the root's CPUs leave one by one at DISABLE (no other cell exists by
 * then), those that left still are the root's: its other CPUs' IPIs to
 * them go out as physical SGIs (arm_gic_send_sgi).
 */
static uint32_t cell_targets(struct cell *cell)
{
	uint32_t t = (uint32_t)(core_cell_cpus(cell).bits & 0xff);
	unsigned int cpu;

	for (cpu = 0; cpu < ARM_MAX_CPUS; cpu++)
		if (arm_cpus[cpu].native)
			t |= 1u << cpu;
	return t;
}

static bool owns(void *arg, unsigned int pin, bool change)
{
	if (change)
		return core_irqchip_access(gicd_base(), pin) != ACCESS_DENIED;
	return core_irq_owner(gicd_base(), pin) == arg;
}

uint32_t arm_gic_hyp_pins(void)
{
	return gicd_hyp_pins(
		core_system_config()->platform_info.arm.maintenance_irq);
}

enum access_result arm_gic_access(struct mmio_access *acc)
{
	struct cell *cell = core_cpu_cell(hal_cpu_id());
	unsigned int off = (unsigned int)(acc->address - gicd_base());
	uint64_t phys = acc->address; /* the distributor is at its address */
	struct gicd_caller c = { .base = gicd_base(),
				 .cpu = hal_cpu_id(),
				 .targets = cell_targets(cell),
				 .hyp_pins = arm_gic_hyp_pins(),
				 .owns = owns,
				 .arg = cell };
	struct wd_trap trap = { .kind = WD_TRAP_IRQCHIP, .value = gicd_base() };
	struct gicd_action a;

	core_stat_inc(WD_CPU_STAT_VMEXITS_MMIO);
	gicd_filter(&c, off, acc->size, acc->is_write, (uint32_t)acc->value,
		    &a);
	switch (a.verdict) {
	case GICD_DENY:
		/* No reason: a pin's check (owns) denied and recorded it. */
		if (!a.reason)
			return ACCESS_DENIED;
		/* An SGI to another cell's CPU: the root's is dropped. */
		if (a.reason == WD_R_cpu_foreign)
			return core_trap_refused(&trap, a.reason, a.item);
		core_trap_denied(&trap, a.reason, a.item);
		return ACCESS_DENIED;
	case GICD_IGNORE:
		if (!acc->is_write)
			acc->value = 0;
		return ACCESS_EMULATED;
	case GICD_SGI:
		arm_gic_send_sgi(a.sgi_list, a.sgi_id);
		return ACCESS_EMULATED;
	case GICD_PASS:
		break;
	}
	if (acc->is_write) {
		acc->value = a.value;
		if (a.merge) {
			/* Keep the other pins' bits as they are. */
			struct mmio_access old = { .address = acc->address,
						   .size = acc->size };

			hal_phys_access(hpa(phys), &old);
			acc->value |= old.value & ~(uint64_t)a.mask;
		}
		hal_phys_access(hpa(phys), acc);
		return ACCESS_FORWARDED;
	}
	hal_phys_access(hpa(phys), acc);
	acc->value &= a.mask;
	return ACCESS_FORWARDED;
}

/* The virtual CPU interface where the CPU one is (the distributor traps:
 * it is never mapped). */
int arm_gic_cell_init(struct cell *cell)
{
	const struct wd_platform_arm *arm =
		&core_system_config()->platform_info.arm;

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
