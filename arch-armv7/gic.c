/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv2 distributor, trapped for every cell (it is never mapped) and
 * filtered by interrupt ownership: a cell touches only the configuration of
 * its own SPIs (checked through core_irqchip_access for each pin a write
 * changes) and reads zeros for the others. SGIs and PPIs (0-31) are banked
 * per CPU and always the caller's. SGIs a cell sends are virtual (vgic.c);
 * the distributor's enable (CTLR) is the hypervisor's.
 */
#include "traplog.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ICACTIVER_END 0x400 /* bit-per-pin registers: 0x080..0x3ff */
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_ICFGR_END 0xd00
#define GICD_SGIR 0xf00
#define GICD_SIZE 0x1000
#define GICV_SIZE 0x2000

static uint64_t gicd_base(void)
{
	return core_system_config()->platform_info.arm.gicd_base;
}

static bool owns(struct cell *cell, unsigned int pin)
{
	return pin < 32 || core_irq_owner(gicd_base(), pin) == cell;
}

/* Targets byte of the cell's CPUs (GICv2: CPU interface n = CPU n). */
static uint32_t cell_targets(struct cell *cell)
{
	return (uint32_t)(cell->cpus.bits & 0xff);
}

static enum access_result irqchip_access(unsigned int pin)
{
	struct wd_trap t = { .kind = WD_TRAP_IRQCHIP,
			     .addr = pin,
			     .value = gicd_base() };
	enum access_result res;

	arm_log_begin(&t);
	res = core_irqchip_access(gicd_base(), pin);
	arm_log_end(res, 0);
	return res;
}

/*
 * An access to registers holding @bits bits per pin: the pins it covers,
 * the mask of owned pins, and (writes) a core check for each pin it
 * changes. Returns false if the cell was denied.
 */
static bool filter(struct cell *cell, struct mmio_access *acc,
		   unsigned int reg_base, unsigned int bits, bool set_clear,
		   uint32_t *owned_mask)
{
	unsigned int off = (unsigned int)(acc->address - gicd_base());
	unsigned int first = (off - reg_base) * 8 / bits;
	unsigned int n = acc->size * 8 / bits, i, pin;
	uint32_t field = bits == 32 ? ~0u : (1u << bits) - 1;

	*owned_mask = 0;
	for (i = 0; i < n; i++) {
		pin = first + i;
		if (!acc->is_write || pin < 32) {
			if (owns(cell, pin))
				*owned_mask |= field << (i * bits);
			continue;
		}
		/* Set/clear registers change only the pins written as 1. */
		if (set_clear && !((acc->value >> (i * bits)) & field))
			continue;
		if (irqchip_access(pin) == ACCESS_DENIED)
			return false;
		*owned_mask |= field << (i * bits);
	}
	return true;
}

static enum access_result gicd_access(void *arg, struct cell *cell,
				      struct mmio_access *acc)
{
	unsigned int off = (unsigned int)(acc->address - gicd_base());
	uint64_t phys = acc->address; /* the distributor is at its address */
	uint32_t mask = ~0u;
	unsigned int i;

	(void)arg;
	if (acc->size > 4 || off & (acc->size - 1)) {
		core_cell_fault(WD_R_mmio_width, acc->address);
		return ACCESS_DENIED;
	}
	if (off >= GICD_IGROUPR && off < GICD_ICACTIVER_END) {
		if (!filter(cell, acc, off & ~0x7fu, 1, off >= 0x100, &mask))
			return ACCESS_DENIED;
	} else if (off >= GICD_IPRIORITYR && off < GICD_ICFGR) {
		unsigned int base = off < GICD_ITARGETSR ? GICD_IPRIORITYR :
							   GICD_ITARGETSR;

		if (!filter(cell, acc, base, 8, false, &mask))
			return ACCESS_DENIED;
		/* Targets: only the cell's own CPUs. */
		if (base == GICD_ITARGETSR && acc->is_write)
			for (i = 0; i < acc->size; i++)
				acc->value &=
					~((uint64_t)(~cell_targets(cell) & 0xff)
					  << (8 * i));
	} else if (off >= GICD_ICFGR && off < GICD_ICFGR_END) {
		if (!filter(cell, acc, GICD_ICFGR, 2, false, &mask))
			return ACCESS_DENIED;
	} else if (off == GICD_SGIR && acc->is_write) {
		uint32_t v = (uint32_t)acc->value;
		uint32_t list = (v >> 16) & 0xff;

		/* Filter 0 (list): only the cell's CPUs; 1, 2: rewritten. */
		if (((v >> 24) & 3) == 1)
			list = cell_targets(cell) & ~(1u << hal_cpu_id());
		if (((v >> 24) & 3) == 2)
			list = 1u << hal_cpu_id();
		if (list & ~cell_targets(cell)) {
			core_cell_fault(WD_R_cpu_foreign, list);
			return ACCESS_DENIED;
		}
		arm_gic_send_sgi(list, v & 0xf);
		return ACCESS_EMULATED;
	} else if (acc->is_write) {
		return ACCESS_EMULATED; /* CTLR and read-only registers */
	}

	if (acc->is_write) {
		if (mask != ~0u) {
			/* Keep the foreign pins' bits as they are. */
			struct mmio_access old = { acc->address, acc->size,
						   false, 0 };

			if (off < 0x100 || off >= GICD_IPRIORITYR) {
				hal_phys_access(hpa(phys), &old);
				acc->value = (acc->value & mask) |
					     (old.value & ~mask);
			} else {
				acc->value &= mask; /* set/clear: 0 = no-op */
			}
		}
		hal_phys_access(hpa(phys), acc);
		return ACCESS_FORWARDED;
	}
	hal_phys_access(hpa(phys), acc);
	acc->value &= mask;
	return ACCESS_FORWARDED;
}

/* Trap the distributor; the virtual CPU interface where the CPU one is. */
int arm_gic_cell_init(struct cell *cell)
{
	const struct wd_platform_arm *arm =
		&core_system_config()->platform_info.arm;
	int err;

	err = core_mmio_register(cell, gicd_base(), GICD_SIZE, gicd_access,
				 NULL);
	if (err)
		return err;
	return hal_map(cell, gpa(arm->gicc_base), hpa(arm->gicv_base),
		       GICV_SIZE, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO);
}

bool hal_irq_assignable(const struct wd_irqchip *chip, unsigned int pin)
{
	(void)chip;
	/* SGIs and PPIs (0..31, the maintenance interrupt too) are per CPU. */
	return pin >= 32;
}
