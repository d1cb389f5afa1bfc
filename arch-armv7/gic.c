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

/* Does the caller's cell own SPI @pin? Nobody's for the probe at set-up
 * (@arg: not NULL). */
static bool owns(void *arg, unsigned int pin)
{
	return !arg && core_irq_owner(arm_gic.gicd_base, pin) ==
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

/*
 * The words of the distributor that a word read sees whole, whoever reads
 * (no pin's owner asked: the filter's verdict for a caller who owns no
 * SPI, at set-up), bit n of word n / 32: those are read directly.
 */
static uint32_t read_whole[GICD_SIZE / 4 / 32];

/* The cell's access of @size bytes at offset @off: @value written, or
 * read into it. */
enum access_result arm_gic_access(unsigned int off, unsigned int size,
				  bool write, uint32_t *value)
{
	struct gicd_action a;
	uint32_t v, pins;

	core_stat_inc(WD_CPU_STAT_VMEXITS_MMIO);
	if (!write && size == 4 && !(off & 3) &&
	    read_whole[off / 128] >> (off / 4 % 32) & 1) {
		*value = dist(off, 4, false, 0);
		return ACCESS_FORWARDED;
	}
	struct gicd_caller c = { arm_gic.gicd_base,
				 arm_this_cpu()->id,
				 0,
				 arm_gic.hyp_pins,
				 owns,
				 NULL };
	/* Targets byte of the cell's CPUs (GICv2: CPU interface n = CPU n).
	 * While the root's CPUs leave one by one at DISABLE (no other cell
	 * exists by then), those that left still are the root's: its other
	 * CPUs' IPIs to them go out as physical SGIs (arm_gic_send_sgi). */
	if (gicd_needs_targets(off))
		c.targets =
			(uint32_t)(core_cell_cpus(core_cpu_cell(c.cpu)).bits &
				   0xff) |
			arm_native_cpus;
	gicd_filter(&c, off, size, write, *value, &a);
	if (a.verdict != GICD_PASS) /* the others end here */
		switch (a.verdict) {
		case GICD_DENY: {
			/* An SGI to another cell's CPU: the root's is dropped. */
			struct wd_trap trap = { .kind = WD_TRAP_IRQCHIP,
						.value = arm_gic.gicd_base };

			if (a.reason == WD_R_cpu_foreign)
				return core_trap_refused(&trap, a.reason,
							 a.item);
			core_trap_denied(&trap, a.reason, a.item);
			return ACCESS_DENIED;
		}
		case GICD_IGNORE:
			*value = 0; /* a read's; a write's is not looked at */
			return ACCESS_EMULATED;
		default: /* GICD_SGI */
			arm_gic_send_sgi(a.sgi_list, a.sgi_id);
			return ACCESS_EMULATED;
		}
	/* The distributor is where the cell sees it: at its address. */
	if (!write) {
		*value = dist(off, size, false, 0) & a.mask;
		return ACCESS_FORWARDED;
	}
	for (pins = a.check; pins; pins &= pins - 1) /* the core's records */
		if (core_irqchip_access(
			    arm_gic.gicd_base,
			    a.first + (unsigned int)__builtin_ctz(pins)) ==
		    ACCESS_DENIED)
			return ACCESS_DENIED;
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
	struct gicd_caller probe = { 0, 0, 0, 0, owns, read_whole };
	struct gicd_action a;
	unsigned int i;

	if (!core_cell_id(cell)) { /* the root cell: before any CPU enters */
		arm_gic_setup();
		probe.hyp_pins = arm_gic.hyp_pins;
		for (i = 0; i < GICD_SIZE / 4; i++) {
			gicd_filter(&probe, 4 * i, 4, false, 0, &a);
			read_whole[i / 32] &= ~(1u << i % 32);
			if (a.verdict == GICD_PASS && a.mask == ~0u)
				read_whole[i / 32] |= 1u << i % 32;
		}
	}
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
