/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * GICv2: the CPU interface of each CPU, and enabling the cell's own
 * interrupts in the distributor. The distributor itself belongs to the root
 * cell (and the hypervisor): an inmate only touches its own interrupts.
 */
#include <inmate.h>

static bool gic_on[INMATE_MAX_CPUS];

uintptr_t gicd_base(void)
{
	uint64_t b = comm_region()->arm.gicd_base;

	return b ? b : DEFAULT_GICD_BASE;
}

uintptr_t gicc_base(void)
{
	uint64_t b = comm_region()->arm.gicc_base;

	return b ? b : DEFAULT_GICC_BASE;
}

void gic_cpu_init(void)
{
	unsigned int cpu = cpu_index();

	if (gic_on[cpu])
		return;
	mmio_write32(gicc_base() + GICC_PMR, 0xf0); /* let all through */
	mmio_write32(gicc_base() + GICC_CTLR, 1);
	gic_on[cpu] = true;
}

void irq_enable(unsigned int irq)
{
	gic_cpu_init();
	if (irq >= 32) {
		/* Route an SPI to this CPU: ITARGETSR0 reads as this CPU's
		 * own interface bit. */
		uint8_t self = mmio_read8(gicd_base() + GICD_ITARGETSR);

		mmio_write8(gicd_base() + GICD_ITARGETSR + irq, self);
	}
	mmio_write32(gicd_base() + GICD_ISENABLER + irq / 32 * 4,
		     1u << (irq % 32));
}
