/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * irqown (ARM only): attacks the interrupts the hypervisor owns on this
 * CPU and leaves its own in the worst state it can, then idles. The
 * hypervisor's pins (the event SGI 0 and the maintenance PPI, 25 on the
 * sim-arm and qemu-arm-virt configs) must read as zero and ignore every
 * write to their banked distributor registers (group, enable, pending,
 * active, priority, configuration); the cell's own PPIs must stay its own;
 * distributor-wide controls (CTLR, SGI pending registers) are not the
 * cell's. What it cannot check itself: the root destroys the cell (the
 * event SGI must still park this CPU) and the next cell on this CPU must
 * find the banked state reset and its timer must tick as if nothing had
 * happened. select 2 is that next cell: it reads the state it inherited,
 * then counts 10 ticks of a 1 ms virtual timer (as the timer inmate does).
 */
#include <inmate.h>

INMATE_NAME("irqown");

#define GICD_CTLR 0x000
#define GICD_IGROUPR 0x080
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICC_BPR 0x08

#define SGI_EVENT 0
#define MAINT_PPI 25
#define VTIMER_PPI 27
#define HYP_PINS (1u << SGI_EVENT | 1u << MAINT_PPI)

static uintptr_t d(unsigned int off)
{
	return gicd_base() + off;
}

/* Every banked register of @pin attacked, one pin at a time. */
static void attack_pin(unsigned int pin)
{
	uint32_t bit = 1u << pin;

	mmio_write32(d(GICD_ICENABLER), bit);
	mmio_write32(d(GICD_ISPENDR), bit);
	mmio_write32(d(GICD_ISACTIVER), bit);
	mmio_write32(d(GICD_IGROUPR), bit);
	mmio_write8(d(GICD_IPRIORITYR + pin), 0xff);
	mmio_write32(d(GICD_ICFGR + pin / 16 * 4), 3u << (pin % 16 * 2));
	mmio_write8(d(GICD_ITARGETSR + pin), 0);
}

/* What the cell reads of @pin's banked state: all zero for hyp pins. */
static uint32_t seen(unsigned int pin)
{
	uint32_t bit = 1u << pin, v = 0;

	v |= (mmio_read32(d(GICD_ISENABLER)) & bit) ? 1 : 0;
	v |= (mmio_read32(d(GICD_ISPENDR)) & bit) ? 2 : 0;
	v |= (mmio_read32(d(GICD_ISACTIVER)) & bit) ? 4 : 0;
	v |= (mmio_read32(d(GICD_IGROUPR)) & bit) ? 8 : 0;
	v |= mmio_read8(d(GICD_IPRIORITYR + pin)) ? 16 : 0;
	v |= (mmio_read32(d(GICD_ICFGR + pin / 16 * 4)) >> (pin % 16 * 2) & 3) ?
		     32 :
		     0;
	return v;
}

#define NEXT_OWNER 2
#define PERIOD_NS 1000000ULL
#define TICKS 10

static volatile uint32_t ticks;
static uint64_t first_ns, last_ns;

static void tick(unsigned int irq)
{
	(void)irq;
	last_ns = time_ns();
	if (!ticks)
		first_ns = last_ns;
	ticks++;
}

/* The next cell on the CPU: what it inherits, and whether its timer ticks. */
static void next_owner(void)
{
	uint32_t st = 0, prio = 0;
	uint64_t deadline;
	unsigned int i, irq;

	/* SGI enables may be fixed at 1 (GICv2 4.3.5; QEMU's are). */
	st |= mmio_read32(d(GICD_ISENABLER)) & 0xffff0000u;
	st |= mmio_read32(d(GICD_ISPENDR));
	st |= mmio_read32(d(GICD_ISACTIVER));
	st |= mmio_read32(d(GICD_IGROUPR));
	for (i = 0; i < 8; i++)
		prio |= mmio_read32(d(GICD_IPRIORITYR + 4 * i));
	check("irqown.inherited-distributor", !st && !prio,
	      "enable|pending|active|group 0x%x, priorities 0x%x",
	      (unsigned int)st, (unsigned int)prio);
	check("irqown.inherited-cpu-interface",
	      !mmio_read32(gicc_base() + GICC_CTLR) &&
		      !mmio_read32(gicc_base() + GICC_PMR),
	      "CTLR 0x%x, PMR 0x%x",
	      (unsigned int)mmio_read32(gicc_base() + GICC_CTLR),
	      (unsigned int)mmio_read32(gicc_base() + GICC_PMR));
	deadline = time_ns() + 2 * (TICKS + 1) * PERIOD_NS + NS_PER_SEC;
	irq = timer_start(PERIOD_NS, tick);
	irq_on();
	while (ticks <= TICKS && time_ns() < deadline)
		cpu_relax();
	irq_off();
	timer_stop();
	check("irqown.next-owner-ticks", ticks > TICKS,
	      "interrupt %u: %u of %u intervals", irq,
	      (unsigned int)(ticks ? ticks - 1 : 0), TICKS);
	if (ticks > TICKS)
		report_value("irqown.interval-avg",
			     (int64_t)((last_ns - first_ns) / (ticks - 1)),
			     "ns");
	test_verdict();
}

void inmate_main(void)
{
	uint32_t ctlr = mmio_read32(d(GICD_CTLR)), v;
	unsigned int i;

	if (inmate_params.select == NEXT_OWNER) {
		next_owner();
		return;
	}

	/* 1. The hypervisor's pins, each register on its own. */
	attack_pin(SGI_EVENT);
	attack_pin(MAINT_PPI);
	check("irqown.sgi-event", !seen(SGI_EVENT),
	      "reads 0x%x (enable 1, pending 2, active 4, group 8, "
	      "priority 16, config 32)",
	      (unsigned int)seen(SGI_EVENT));
	check("irqown.maintenance", !seen(MAINT_PPI), "reads 0x%x",
	      (unsigned int)seen(MAINT_PPI));

	/* 2. Its own PPI is its own: enable and priority read back. */
	mmio_write32(d(GICD_ISENABLER), 1u << VTIMER_PPI);
	mmio_write8(d(GICD_IPRIORITYR + VTIMER_PPI), 0xa0);
	v = mmio_read32(d(GICD_ISENABLER));
	check("irqown.own-ppi",
	      (v & (1u << VTIMER_PPI)) && !(v & HYP_PINS) &&
		      mmio_read8(d(GICD_IPRIORITYR + VTIMER_PPI)) == 0xa0,
	      "ISENABLER0 0x%x, priority 0x%x", (unsigned int)v,
	      (unsigned int)mmio_read8(d(GICD_IPRIORITYR + VTIMER_PPI)));

	/* 3. Whole registers, as a careless GIC driver writes them. */
	mmio_write32(d(GICD_ICENABLER), ~0u);
	mmio_write32(d(GICD_ICPENDR), ~0u);
	mmio_write32(d(GICD_ICACTIVER), ~0u);
	mmio_write32(d(GICD_ISPENDR), ~0u);
	mmio_write32(d(GICD_ISACTIVER), ~0u);
	mmio_write32(d(GICD_IGROUPR), ~0u);
	for (i = 0; i < 8; i++)
		mmio_write32(d(GICD_IPRIORITYR + 4 * i), ~0u);
	mmio_write32(d(GICD_ICFGR), ~0u);
	mmio_write32(d(GICD_ICFGR + 4), ~0u);
	v = mmio_read32(d(GICD_ISACTIVER)) | mmio_read32(d(GICD_IGROUPR));
	check("irqown.whole-registers",
	      !(v & HYP_PINS) && !seen(SGI_EVENT) && !seen(MAINT_PPI),
	      "ISACTIVER0|IGROUPR0 0x%x", (unsigned int)v);

	/* 4. Beyond the banked pins: the distributor switch, the SGI
	 * pending registers, a reserved SGI target filter to every CPU. */
	mmio_write32(d(GICD_CTLR), 0);
	mmio_write32(d(GICD_CPENDSGIR), ~0u);
	mmio_write32(d(GICD_SPENDSGIR), ~0u);
	mmio_write32(d(GICD_SGIR), 3u << 24 | 0xffu << 16 | 1u << 15);
	check("irqown.distributor-ctlr", mmio_read32(d(GICD_CTLR)) == ctlr,
	      "CTLR 0x%x, was 0x%x", (unsigned int)mmio_read32(d(GICD_CTLR)),
	      (unsigned int)ctlr);
	check("irqown.sgi-pending", !mmio_read32(d(GICD_SPENDSGIR)),
	      "SPENDSGIR0 reads 0x%x",
	      (unsigned int)mmio_read32(d(GICD_SPENDSGIR)));

	/* 5. Its virtual CPU interface off and masked: the next owner's. */
	mmio_write32(gicc_base() + GICC_PMR, 0);
	mmio_write32(gicc_base() + GICC_BPR, 7);
	mmio_write32(gicc_base() + GICC_CTLR, 0);
	test_verdict();
	/* Left this way: own PPIs disabled, active, pending, group 1,
	 * priority 0xff. Waits for the root's destroy. */
}
