// SPDX-License-Identifier: GPL-2.0
/*
 * GICv2 distributor policy (see gicd.h): per register class, which pins an
 * access covers, which of them the cell may see or change, and what the
 * write becomes. Pure C: no register access, no core call except through
 * the caller's owns() hook.
 */
#include "gicd.h"

uint32_t gicd_hyp_pins(unsigned int maintenance_irq)
{
	return 1u << GICD_SGI_EVENT |
	       (maintenance_irq < 32 ? 1u << maintenance_irq : 0);
}

/*
 * The class of each 0x80 bytes of the distributor, fixed: 0 not a register
 * of pins (CTLR, read-only or ID registers; SGIR and the SGI pending ones
 * are singled out), RAZ (groups: the hypervisor's), else PINS with its
 * bits per pin (1 << shift in bits 0-1): set/clear bit registers (a 0 bit
 * changes nothing), priorities, targets, configuration.
 */
#define RAZ 1
#define PINS 4
#define SET_CLEAR (PINS | 0)
#define PRIORITY (PINS | 3)
#define TARGETS (PINS | 8 | 3)
#define CONFIG (PINS | 16 | 1)
static const uint8_t classes[GICD_SIZE / 0x80] = {
	[1] = RAZ,
	[2 ... 7] = SET_CLEAR,
	[8 ... 15] = PRIORITY,
	[16 ... 23] = TARGETS,
	[24 ... 25] = CONFIG,
};

static void sgir(const struct gicd_caller *c, unsigned int size, uint32_t value,
		 struct gicd_action *a)
{
	uint32_t list = (value >> 16) & 0xff, self = 1u << c->cpu;
	unsigned int filter = (value >> 24) & 3;

	a->verdict = GICD_IGNORE;
	/* Only a word write sends; the reserved filter sends nothing. 0: the
	 * CPUs in the list, each must be the cell's; 1: all but self, the
	 * cell's other CPUs; 2: self. */
	if (size != 4 || filter == 3)
		return;
	if (filter)
		list = filter == 1 ? c->targets & ~self : self;
	if (list & ~c->targets) {
		a->verdict = GICD_DENY;
		a->reason = WD_R_cpu_foreign;
		a->item = list;
		return;
	}
	/* NSATT (bit 15) means nothing for the virtual SGIs cells get. */
	a->verdict = GICD_SGI;
	a->sgi_list = list;
	a->sgi_id = value & 0xf;
}

/* The field mask of the @n pins from @first that are in @pins (banked
 * pins), or that the caller owns (SPIs, each asked). */
static uint32_t pin_fields(const struct gicd_caller *c, uint32_t pins,
			   unsigned int first, unsigned int n,
			   unsigned int bits)
{
	uint32_t mask = 0, field = ~0u >> (32 - bits);
	unsigned int i;

	for (i = 0; i < n; i++)
		if (first < 32 ? pins >> (first + i) & 1 :
				 c->owns(c->arg, first + i))
			mask |= field << (i * bits);
	return mask;
}

void gicd_filter(const struct gicd_caller *c, unsigned int off,
		 unsigned int size, bool write, uint32_t value,
		 struct gicd_action *a)
{
	unsigned int i, n, first, cls, shift;
	uint32_t all, mask;

	/* Each field is set with the verdict that has it (gicd.h). */
	a->verdict = GICD_PASS;
	if ((size != 1 && size != 2 && size != 4) || off & (size - 1) ||
	    off >= GICD_SIZE) {
		a->verdict = GICD_DENY;
		a->reason = WD_R_mmio_width;
		a->item = c->base + off;
		return;
	}
	all = ~0u >> (32 - 8 * size);
	cls = classes[off / 0x80];
	if (!(cls & PINS)) {
		/*
		 * Physical SGI pending state is the hypervisor's: cells' SGIs
		 * are virtual. So are interrupt groups: every physical
		 * interrupt is group 0 (a group 1 one, highest pending, would
		 * read as 1022 at the hypervisor's IAR and never be taken),
		 * cells' virtual ones too. CTLR is the hypervisor's; the rest
		 * is read-only or ID. SGIR is write-only.
		 */
		if (off == GICD_SGIR && write)
			sgir(c, size, value, a);
		else if (cls == RAZ || off == GICD_SGIR || write ||
			 off - GICD_CPENDSGIR <
				 GICD_SPENDSGIR_END - GICD_CPENDSGIR)
			a->verdict = GICD_IGNORE;
		else
			a->mask = all;
		return;
	}
	shift = cls & 3;
	n = size * 8 >> shift; /* pins */
	first = (off & ((0x80u << shift) - 1)) * 8 >> shift;
	a->check = 0;
	a->first = first;
	/* An access covers banked pins (0-31) only or SPIs only. */
	if (first < 32) {
		/* Banked: the cell's own, but for the hypervisor's pins;
		 * banked targets read as this CPU and are read-only, PPI/SGI
		 * trigger modes are fixed. */
		if (cls == TARGETS || (cls == CONFIG && write))
			mask = write ? 0 : all;
		else
			mask = all & ~pin_fields(c, c->hyp_pins, first, n,
						 1u << shift);
	} else if (write) {
		/* The pins it changes, which the core checks (a->check): a 0
		 * bit of a set/clear register changes nothing. */
		mask = cls == SET_CLEAR ? value & all : all;
		a->check = cls == SET_CLEAR ? mask : ~0u >> (32 - n);
	} else {
		mask = pin_fields(c, 0, first, n, 1u << shift); /* owned */
	}
	a->mask = mask;
	if (!write)
		return;
	if (!mask || (cls == SET_CLEAR && !(value & mask))) {
		a->verdict = GICD_IGNORE; /* changes nothing of the cell's */
		return;
	}
	a->value = value & mask;
	if (cls == TARGETS)
		for (i = 0; i < size; i++)
			a->value &= ~((~c->targets & 0xffu) << (8 * i));
	a->merge = cls != SET_CLEAR && mask != all;
}

unsigned int gicd_reset_regs(uint32_t hyp_pins,
			     struct gicd_reg out[GICD_RESET_REGS])
{
	unsigned int n = 0, i;

	/* Disabled first: configuration changes only of disabled pins. */
	out[n++] = (struct gicd_reg){ GICD_ICENABLER, 0xffffffffu };
	out[n++] = (struct gicd_reg){ GICD_ICPENDR, 0xffffffffu };
	/* SGI pending state, per source CPU: a byte per SGI. */
	for (i = 0; i < 4; i++)
		out[n++] =
			(struct gicd_reg){ (uint16_t)(GICD_CPENDSGIR + 4 * i),
					   0xffffffffu };
	out[n++] = (struct gicd_reg){ GICD_ICACTIVER, 0xffffffffu };
	out[n++] = (struct gicd_reg){ GICD_IGROUPR, 0 };
	for (i = 0; i < 8; i++)
		out[n++] =
			(struct gicd_reg){ (uint16_t)(GICD_IPRIORITYR + 4 * i),
					   0 };
	out[n++] = (struct gicd_reg){ GICD_ICFGR, 0xaaaaaaaau }; /* SGIs edge */
	out[n++] = (struct gicd_reg){ GICD_ICFGR + 4, 0 }; /* PPIs level */
	out[n++] = (struct gicd_reg){ GICD_ISENABLER, hyp_pins };
	return n;
}
