// SPDX-License-Identifier: GPL-2.0
/*
 * GICv2 (ARM IHI 0048B) and the ARMv7 generic timer of the simulated ARM
 * CPUs, as a backend presents them to a cell: the distributor as the cell
 * may see it (the executor has already asked the core whether the cell owns
 * the interrupts an access touches), and the CPU interface the backend maps
 * from the virtual CPU interface. Simplifications, all invisible to a
 * cell that acknowledges and ends its interrupts in order: one priority
 * level (PMR gates, IPRIORITYR is stored but not compared), no preemption
 * while an interrupt is active, SGIs carry no source CPU id.
 *
 * The generic timer counts at SIM_TIMER_KHZ; CNTVOFF is 0, so the virtual
 * and physical counters agree. A timer's output is level-triggered: PPI 27
 * (virtual) or 30 (physical) is pending while ENABLE && !IMASK && the
 * counter has reached CVAL.
 */
#include <string.h>

#include "../arch-armv7/gicd.h"
#include "../hal/types.h"
#include "intc.h"

#define GIC_IRQS 256 /* distributor lines offered (ITLinesNumber 7) */
#define GIC_PPI_PTIMER 30
#define CTL_ENABLE 1
#define CTL_IMASK 2
#define CTL_ISTATUS 4

/* CPU interface register offsets */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_RPR 0x14
#define GICC_HPPIR 0x18
#define GICC_IIDR 0xfc

struct gt {
	uint32_t ctl;
	uint64_t cval;
};

struct gic_cpu {
	/* Banked SGIs/PPIs (0-31) */
	uint32_t group, enabled, pending, active;
	uint8_t prio[32];
	uint32_t cfg[2];
	/* CPU interface */
	uint32_t ctlr, pmr, bpr;
	struct gt vt, pt;
	uint32_t kctl;
};

static struct {
	uint32_t group[GIC_IRQS / 32], enabled[GIC_IRQS / 32],
		pending[GIC_IRQS / 32], active[GIC_IRQS / 32];
	uint8_t prio[GIC_IRQS], targets[GIC_IRQS];
	uint32_t cfg[GIC_IRQS / 16];
	struct gic_cpu cpu[WD_MAX_CPUS];
} gic;

void gic_init(void)
{
	memset(&gic, 0, sizeof(gic));
}

void gic_set_vmcr(unsigned int cpu, uint32_t vmcr)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];

	c->ctlr = vmcr & 1;	    /* VMGrp0En */
	c->pmr = (vmcr >> 27) << 3; /* VMPriMask */
	c->bpr = (vmcr >> 21) & 7;  /* VMBP */
}

/* ---- generic timer ------------------------------------------------------ */

static bool gt_fired(const struct gt *t, uint64_t now)
{
	return (t->ctl & CTL_ENABLE) && sim_ticks(now) >= t->cval;
}

static uint32_t gt_level(struct gic_cpu *c, uint64_t now)
{
	uint32_t lines = 0;

	if (gt_fired(&c->vt, now) && !(c->vt.ctl & CTL_IMASK))
		lines |= 1U << GIC_PPI_VTIMER;
	if (gt_fired(&c->pt, now) && !(c->pt.ctl & CTL_IMASK))
		lines |= 1U << GIC_PPI_PTIMER;
	return lines;
}

int gt_read(unsigned int cpu, enum gt_reg reg, uint64_t now, uint64_t *val)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	struct gt *t = reg <= GT_CNTV_TVAL ? &c->vt : &c->pt;

	switch (reg) {
	case GT_CNTFRQ:
		*val = SIM_TIMER_KHZ * 1000;
		return 0;
	case GT_CNTPCT:
	case GT_CNTVCT:
		*val = sim_ticks(now);
		return 0;
	case GT_CNTV_CTL:
	case GT_CNTP_CTL:
		*val = (t->ctl & (CTL_ENABLE | CTL_IMASK)) |
		       (gt_fired(t, now) ? CTL_ISTATUS : 0);
		return 0;
	case GT_CNTV_CVAL:
	case GT_CNTP_CVAL:
		*val = t->cval;
		return 0;
	case GT_CNTV_TVAL:
	case GT_CNTP_TVAL:
		*val = (uint32_t)(t->cval - sim_ticks(now));
		return 0;
	case GT_CNTKCTL:
		*val = c->kctl;
		return 0;
	}
	return -1;
}

int gt_write(unsigned int cpu, enum gt_reg reg, uint64_t val, uint64_t now)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	struct gt *t = reg <= GT_CNTV_TVAL ? &c->vt : &c->pt;

	switch (reg) {
	case GT_CNTV_CTL:
	case GT_CNTP_CTL:
		t->ctl = val & (CTL_ENABLE | CTL_IMASK);
		return 0;
	case GT_CNTV_CVAL:
	case GT_CNTP_CVAL:
		t->cval = val;
		return 0;
	case GT_CNTV_TVAL:
	case GT_CNTP_TVAL:
		/* A signed 32-bit down-counter relative to now. */
		t->cval = sim_ticks(now) + (uint64_t)(int64_t)(int32_t)val;
		return 0;
	case GT_CNTKCTL:
		c->kctl = (uint32_t)val;
		return 0;
	case GT_CNTFRQ: /* writable only in the secure state */
	case GT_CNTPCT:
	case GT_CNTVCT:
		break;
	}
	return -1;
}

static uint64_t gt_next(const struct gt *t, uint64_t now)
{
	uint64_t at;

	if (!(t->ctl & CTL_ENABLE) || (t->ctl & CTL_IMASK))
		return INTC_NEVER;
	at = t->cval * SIM_NS_PER_TICK;
	if (t->cval > INTC_NEVER / SIM_NS_PER_TICK)
		return INTC_NEVER;
	return at > now ? at : now;
}

uint64_t gt_next_event(unsigned int cpu, uint64_t now)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	uint64_t v = gt_next(&c->vt, now), p = gt_next(&c->pt, now);

	return v < p ? v : p;
}

/* ---- distributor -------------------------------------------------------- */

unsigned int gic_dist_irq(uint64_t off)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		return (unsigned int)(off & 0x7f) * 8;
	if (off >= GICD_IPRIORITYR && off < GICD_ICFGR)
		return (unsigned int)(off & 0x3ff);
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		return (unsigned int)(off & 0xff) * 4;
	return 0;
}

/* The bit word of interrupts [first, first+32): banked below 32. */
static uint32_t *bits(uint32_t *global, uint32_t *banked, unsigned int first)
{
	return first < 32 ? banked : &global[first / 32];
}

static uint32_t bit_reg(unsigned int cpu, uint64_t off, bool write,
			uint32_t val)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	unsigned int first = gic_dist_irq(off);
	uint64_t base = off & ~0x7fULL;
	uint32_t *w;

	if (first >= GIC_IRQS)
		return 0;
	switch (base) {
	case GICD_IGROUPR:
		w = bits(gic.group, &c->group, first);
		if (write)
			*w = val;
		return *w;
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		w = bits(gic.enabled, &c->enabled, first);
		break;
	case GICD_ISPENDR:
	case GICD_ICPENDR:
		w = bits(gic.pending, &c->pending, first);
		break;
	default:
		w = bits(gic.active, &c->active, first);
		break;
	}
	if (!write)
		return *w;
	if (base == GICD_ISENABLER || base == GICD_ISPENDR ||
	    base == GICD_ISACTIVER)
		*w |= val;
	else
		*w &= ~val;
	return 0;
}

static uint8_t *byte_reg(unsigned int cpu, uint64_t off)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	static uint8_t self_targets[WD_MAX_CPUS];
	unsigned int irq = gic_dist_irq(off);

	if (irq >= GIC_IRQS)
		return NULL;
	if (off < GICD_ITARGETSR)
		return irq < 32 ? &c->prio[irq] : &gic.prio[irq];
	if (irq >= 32)
		return &gic.targets[irq];
	/* Banked ITARGETSR0-7 read as this CPU's own interface. */
	self_targets[cpu % WD_MAX_CPUS] = (uint8_t)(1U << (cpu % 8));
	return &self_targets[cpu % WD_MAX_CPUS];
}

uint32_t gic_dist_access(unsigned int cpu, uint64_t off, unsigned int size,
			 bool write, uint32_t val)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	uint32_t r = 0;
	unsigned int i;
	uint8_t *b;

	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		return size == 4 ? bit_reg(cpu, off, write, val) : 0;
	if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR && write &&
	    size == 4) {
		/* SGIs carry no source here: any source clears the SGI. */
		for (i = 0; i < 4; i++)
			if (val >> (8 * i) & 0xff)
				c->pending &=
					~(1U << ((off - GICD_CPENDSGIR) + i));
		return 0;
	}
	if (off >= GICD_IPRIORITYR && off < GICD_ICFGR) {
		for (i = 0; i < size; i++) {
			b = byte_reg(cpu, off + i);
			if (!b)
				continue;
			if (!write)
				r |= (uint32_t)*b << (8 * i);
			else if (off >= GICD_ITARGETSR &&
				 gic_dist_irq(off) < 32)
				continue; /* banked targets are read-only */
			else
				*b = (uint8_t)(val >> (8 * i));
		}
		return r;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100 && size == 4) {
		unsigned int irq = gic_dist_irq(off);
		uint32_t *w = irq < 32 ? &c->cfg[irq / 16] : &gic.cfg[irq / 16];

		if (irq >= GIC_IRQS)
			return 0;
		if (write)
			*w = val;
		return *w;
	}
	switch (off) {
	case GICD_CTLR:
		return 1; /* enabled by the root cell; writes ignored */
	case GICD_TYPER:
		return (GIC_IRQS / 32 - 1) | (WD_MAX_CPUS > 8 ? 7 : 0) << 5;
	case GICD_IIDR:
		return 0x0200043b; /* ARM, GICv2 */
	}
	return 0;
}

void gic_raise(unsigned int cpu, unsigned int irq)
{
	if (irq < 32)
		gic.cpu[cpu % WD_MAX_CPUS].pending |= 1U << irq;
	else if (irq < GIC_IRQS)
		gic.pending[irq / 32] |= 1U << (irq % 32);
}

/* ---- CPU interface ------------------------------------------------------ */

/* Highest-priority pending interrupt for @cpu (lowest id), or -1. */
static int next_irq(unsigned int cpu, uint64_t now)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	uint32_t w = (c->pending | gt_level(c, now)) & c->enabled & ~c->active;
	unsigned int i;

	if (w)
		return __builtin_ctz(w);
	for (i = 1; i < GIC_IRQS / 32; i++) {
		uint32_t m = gic.pending[i] & gic.enabled[i] & ~gic.active[i];

		while (m) {
			unsigned int irq = i * 32 + __builtin_ctz(m);

			if (gic.targets[irq] & (1U << (cpu % 8)))
				return (int)irq;
			m &= m - 1;
		}
	}
	return -1;
}

static bool any_active(unsigned int cpu)
{
	unsigned int i;

	if (gic.cpu[cpu % WD_MAX_CPUS].active)
		return true;
	for (i = 1; i < GIC_IRQS / 32; i++) {
		uint32_t m = gic.active[i];

		for (; m; m &= m - 1)
			if (gic.targets[i * 32 + __builtin_ctz(m)] &
			    (1U << (cpu % 8)))
				return true;
	}
	return false;
}

bool gic_irq_line(unsigned int cpu, uint64_t now)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];

	/* PMR 0 masks everything (one priority level: 0). */
	return (c->ctlr & 1) && c->pmr > 0 && !any_active(cpu) &&
	       next_irq(cpu, now) >= 0;
}

static void set_active(unsigned int cpu, unsigned int irq, bool on)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	uint32_t *w = irq < 32 ? &c->active : &gic.active[irq / 32];
	uint32_t *p = irq < 32 ? &c->pending : &gic.pending[irq / 32];
	uint32_t m = 1U << (irq % 32);

	if (on) {
		*w |= m;
		*p &= ~m;
	} else {
		*w &= ~m;
	}
}

uint32_t gic_cpu_access(unsigned int cpu, uint64_t off, bool write,
			uint32_t val, uint64_t now)
{
	struct gic_cpu *c = &gic.cpu[cpu % WD_MAX_CPUS];
	int irq;

	if (write) {
		switch (off) {
		case GICC_CTLR:
			c->ctlr = val & 1;
			break;
		case GICC_PMR:
			c->pmr = val & 0xff;
			break;
		case GICC_BPR:
			c->bpr = val & 7;
			break;
		case GICC_EOIR:
			if ((val & 0x3ff) < GIC_IRQS)
				set_active(cpu, val & 0x3ff, false);
			break;
		}
		return 0;
	}
	switch (off) {
	case GICC_CTLR:
		return c->ctlr;
	case GICC_PMR:
		return c->pmr;
	case GICC_BPR:
		return c->bpr;
	case GICC_IAR:
		irq = (c->ctlr & 1) && !any_active(cpu) ? next_irq(cpu, now) :
							  -1;
		if (irq < 0)
			return GIC_SPURIOUS;
		set_active(cpu, (unsigned int)irq, true);
		return (uint32_t)irq;
	case GICC_RPR:
		return any_active(cpu) ? 0 : 0xff;
	case GICC_HPPIR:
		irq = next_irq(cpu, now);
		return irq < 0 ? GIC_SPURIOUS : (uint32_t)irq;
	case GICC_IIDR:
		return 0x0202043b;
	}
	return 0;
}
