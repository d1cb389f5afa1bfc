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
	uint32_t pins = 1u << GICD_SGI_EVENT;

	if (maintenance_irq < 32)
		pins |= 1u << maintenance_irq;
	return pins;
}

/* Register classes indexed by pin. */
struct pin_reg {
	unsigned int base; /* offset of the register of pins 0.. */
	unsigned int bits; /* bits per pin: 1 << shift */
	unsigned int shift;
	bool set_clear; /* a 0 bit changes nothing */
};

static bool pin_reg(unsigned int off, struct pin_reg *r)
{
	r->set_clear = false;
	if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR) {
		r->base = off & ~0x7fu;
		r->shift = 0;
		r->set_clear = true;
	} else if (off >= GICD_IPRIORITYR && off < GICD_ICFGR) {
		r->base = off < GICD_ITARGETSR ? GICD_IPRIORITYR :
						 GICD_ITARGETSR;
		r->shift = 3;
	} else if (off >= GICD_ICFGR && off < GICD_ICFGR_END) {
		r->base = GICD_ICFGR;
		r->shift = 1;
	} else {
		return false;
	}
	r->bits = 1u << r->shift;
	return true;
}

static void sgir(const struct gicd_caller *c, unsigned int size, uint32_t value,
		 struct gicd_action *a)
{
	uint32_t list = (value >> 16) & 0xff;

	a->verdict = GICD_IGNORE;
	if (size != 4)
		return; /* only a word write sends */
	switch ((value >> 24) & 3) {
	case 0: /* the CPUs in the list: each must be the cell's */
		break;
	case 1: /* all but self: the cell's other CPUs */
		list = c->targets & ~(1u << c->cpu);
		break;
	case 2: /* self */
		list = 1u << c->cpu;
		break;
	default: /* reserved filter: sends nothing */
		return;
	}
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

/* The field mask of the pins in @pins within [@first, @first + @n). */
static uint32_t pin_fields(uint32_t pins, unsigned int first, unsigned int n,
			   unsigned int bits, uint32_t field)
{
	uint32_t mask = 0;
	unsigned int pin;

	for (; pins; pins &= pins - 1) {
		pin = (unsigned int)__builtin_ctz(pins);
		if (pin >= first && pin < first + n)
			mask |= field << ((pin - first) * bits);
	}
	return mask;
}

void gicd_filter(const struct gicd_caller *c, unsigned int off,
		 unsigned int size, bool write, uint32_t value,
		 struct gicd_action *a)
{
	uint32_t all = size >= 4 ? ~0u : (1u << (8 * size)) - 1, field, pins;
	unsigned int i, n, first;
	struct pin_reg r;

	/* The fields every verdict reads (a compound literal would be a
	 * memset call); value, the SGI's and item are set with theirs. */
	a->verdict = GICD_PASS;
	a->mask = 0;
	a->merge = false;
	a->reason = WD_R_none;
	if ((size != 1 && size != 2 && size != 4) || off & (size - 1) ||
	    off >= GICD_SIZE) {
		a->verdict = GICD_DENY;
		a->reason = WD_R_mmio_width;
		a->item = c->base + off;
		return;
	}
	if (off == GICD_SGIR) {
		if (write)
			sgir(c, size, value, a);
		else
			a->verdict = GICD_IGNORE; /* write-only */
		return;
	}
	/*
	 * Physical SGI pending state is the hypervisor's: cells' SGIs are
	 * virtual. So are interrupt groups: every physical interrupt is group
	 * 0 (a group 1 one, highest pending, would read as 1022 at the
	 * hypervisor's IAR and never be taken), cells' virtual ones too.
	 */
	if ((off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR_END) ||
	    (off >= GICD_IGROUPR && off < GICD_ISENABLER)) {
		a->verdict = GICD_IGNORE;
		return;
	}
	if (!pin_reg(off, &r)) {
		/* CTLR is the hypervisor's; the rest is read-only or ID. */
		if (write)
			a->verdict = GICD_IGNORE;
		a->mask = all;
		return;
	}
	first = (off - r.base) * 8 >> r.shift;
	n = size * 8 >> r.shift;
	field = r.bits == 8 ? 0xffu : (1u << r.bits) - 1;
	/* An access covers banked pins (0-31) only or SPIs only. */
	if (first < 32) {
		/* Banked: the cell's own, but for the hypervisor's pins;
		 * banked targets read as this CPU and are read-only, PPI/SGI
		 * trigger modes are fixed. */
		if (r.base == GICD_ITARGETSR || (r.base == GICD_ICFGR && write))
			a->mask = write ? 0 : all;
		else
			a->mask = all & ~pin_fields(c->hyp_pins, first, n,
						    r.bits, field);
	} else {
		/* Only the pins a write changes are checked (the core fails
		 * the cell for a foreign one), in pin order; a read, each pin
		 * it shows. A 0 bit of a set/clear register changes nothing. */
		pins = write && r.set_clear ? value & all : all;
		for (; pins; pins &= ~(field << (i * r.bits))) {
			i = (unsigned int)__builtin_ctz(pins) >> r.shift;
			if (c->owns(c->arg, first + i, write))
				a->mask |= field << (i * r.bits);
			else if (write)
				return (void)(a->verdict = GICD_DENY);
		}
	}
	if (!write)
		return;
	if (!a->mask || (r.set_clear && !(value & a->mask))) {
		a->verdict = GICD_IGNORE; /* changes nothing of the cell's */
		return;
	}
	a->value = value & a->mask;
	if (r.base == GICD_ITARGETSR)
		for (i = 0; i < size; i++)
			a->value &= ~((~c->targets & 0xffu) << (8 * i));
	a->merge = !r.set_clear && a->mask != all;
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
