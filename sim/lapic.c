// SPDX-License-Identifier: GPL-2.0
/*
 * The x2APIC of each simulated x86 CPU: what a VT-x/AMD-V backend gets from
 * the CPU's APIC virtualization, modelled on its registers (Intel SDM vol. 3,
 * chapter 11): ID, version, TPR/PPR, EOI, SIVR, ISR/IRR, ESR, LVT, ICR,
 * the timer (one-shot and periodic; TSC-deadline mode is not offered) and
 * SELF IPI. Only x2APIC mode is modelled: MMIO (xAPIC) accesses are not
 * APIC accesses here, and x2APIC MSRs with EXTD clear raise #GP.
 */
#include <string.h>

#include "../hal/types.h"
#include "intc.h"

#define APIC_DEFAULT_BASE 0xfee00000ULL
#define BASE_BSP (1ULL << 8)
#define BASE_EXTD (1ULL << 10)
#define BASE_EN (1ULL << 11)
#define BASE_ADDR_MASK 0xfffff000ULL

#define SIVR_ENABLE 0x100
#define LVT_MASKED (1U << 16)
#define LVT_TIMER_MODE(l) (((l) >> 17) & 3)
#define TIMER_ONESHOT 0
#define TIMER_PERIODIC 1
#define NUM_LVT 7 /* CMCI, timer, thermal, PMC, LINT0, LINT1, error */

/* Register numbers: MSR - 0x800 (arch-x86/x2apic.h). */
enum {
	R_ID = X2APIC_ID,
	R_VER = X2APIC_VER,
	R_TPR = X2APIC_TPR,
	R_PPR = X2APIC_PPR,
	R_EOI = X2APIC_EOI,
	R_LDR = X2APIC_LDR,
	R_SIVR = X2APIC_SIVR,
	R_ISR = X2APIC_ISR,
	R_TMR = X2APIC_TMR,
	R_IRR = X2APIC_IRR,
	R_ESR = X2APIC_ESR,
	R_LVT_CMCI = X2APIC_LVT_CMCI,
	R_ICR = X2APIC_ICR,
	R_LVT_TIMER = X2APIC_LVT_TIMER,
	R_LVT_ERROR = X2APIC_LVT_ERROR,
	R_TMICT = X2APIC_TMICT,
	R_TMCCT = X2APIC_TMCCT,
	R_TDCR = X2APIC_TDCR,
	R_SELF_IPI = X2APIC_SELF_IPI,
};

struct lapic {
	uint64_t base, icr;
	uint32_t tpr, sivr, esr, tdcr, tmict;
	uint32_t lvt[NUM_LVT];
	uint32_t irr[8], isr[8];
	uint64_t fire;	 /* next timer expiry (ns) or INTC_NEVER */
	uint64_t period; /* ns per timer period (0: stopped) */
};

static struct lapic apics[WD_MAX_CPUS];

static int lvt_index(unsigned int reg)
{
	return reg == R_LVT_CMCI ? 0 : (int)(reg - R_LVT_TIMER) + 1;
}

void lapic_reset(unsigned int cpu, bool bsp)
{
	struct lapic *a = &apics[cpu % WD_MAX_CPUS];
	unsigned int i;

	memset(a, 0, sizeof(*a));
	a->base = APIC_DEFAULT_BASE | BASE_EN | (bsp ? BASE_BSP : 0);
	a->sivr = 0xff;
	for (i = 0; i < NUM_LVT; i++)
		a->lvt[i] = LVT_MASKED;
	a->fire = INTC_NEVER;
}

int lapic_handover(unsigned int cpu, unsigned int reg, uint64_t val)
{
	struct lapic *a = &apics[cpu % WD_MAX_CPUS];
	unsigned int i;

	if (reg == MSR_APIC_BASE) {
		a->base = val;
		return 0;
	}
	switch (reg) {
	case R_TPR:
		a->tpr = (uint32_t)val;
		return 0;
	case R_SIVR:
		a->sivr = (uint32_t)val;
		return 0;
	case R_ESR:
		a->esr = (uint32_t)val;
		return 0;
	case R_ICR:
		a->icr = val;
		return 0;
	case R_TMICT:
		/* Stopped: the list gives 0, which stops the timer. */
		a->tmict = (uint32_t)val;
		a->period = 0;
		a->fire = INTC_NEVER;
		return 0;
	case R_TDCR:
		a->tdcr = (uint32_t)val;
		return 0;
	case R_ISR:
	case R_IRR:
		for (i = 0; i < 8; i++)
			(reg == R_ISR ? a->isr : a->irr)[i] = (uint32_t)val;
		return 0;
	case R_TMR:
		return 0; /* every interrupt here is edge-triggered: 0 */
	}
	if (reg == R_LVT_CMCI || (reg >= R_LVT_TIMER && reg <= R_LVT_ERROR)) {
		a->lvt[lvt_index(reg)] = (uint32_t)val;
		return 0;
	}
	return -1;
}

static int highest(const uint32_t *bits)
{
	int w;

	for (w = 7; w >= 0; w--)
		if (bits[w])
			return w * 32 + 31 - __builtin_clz(bits[w]);
	return -1;
}

static void set_bit(uint32_t *bits, unsigned int v)
{
	bits[v / 32] |= 1U << (v % 32);
}

static void clear_bit(uint32_t *bits, unsigned int v)
{
	bits[v / 32] &= ~(1U << (v % 32));
}

static unsigned int divisor(const struct lapic *a)
{
	unsigned int v = ((a->tdcr >> 1) & 4) | (a->tdcr & 3);

	return v == 7 ? 1 : 2U << v;
}

/* Timer expiries up to @now set the timer vector in the IRR. */
static void timer_catch_up(struct lapic *a, uint64_t now)
{
	uint32_t lvt = a->lvt[lvt_index(R_LVT_TIMER)];

	if (a->fire > now)
		return;
	if (!(lvt & LVT_MASKED) && (a->sivr & SIVR_ENABLE))
		set_bit(a->irr, lvt & 0xff);
	if (LVT_TIMER_MODE(lvt) == TIMER_PERIODIC && a->period) {
		/* Missed periods collapse into one request, as on hardware. */
		a->fire += (now - a->fire) / a->period * a->period + a->period;
	} else {
		a->fire = INTC_NEVER;
	}
}

static void timer_arm(struct lapic *a, uint64_t now)
{
	a->period = (uint64_t)a->tmict * divisor(a) * SIM_NS_PER_TICK;
	a->fire = a->period ? now + a->period : INTC_NEVER;
}

static uint32_t timer_count(const struct lapic *a, uint64_t now)
{
	if (a->fire == INTC_NEVER || a->fire <= now)
		return 0;
	return (uint32_t)((a->fire - now) / SIM_NS_PER_TICK / divisor(a));
}

static unsigned int ppr(const struct lapic *a)
{
	int isr = highest(a->isr);
	unsigned int isrv = isr < 0 ? 0 : (unsigned int)isr & 0xf0;

	return (a->tpr & 0xf0) >= isrv ? a->tpr & 0xff : isrv;
}

static bool x2apic_on(const struct lapic *a)
{
	return (a->base & (BASE_EN | BASE_EXTD)) == (BASE_EN | BASE_EXTD);
}

bool lapic_x2apic_on(unsigned int cpu)
{
	return x2apic_on(&apics[cpu % WD_MAX_CPUS]);
}

int lapic_rdmsr(unsigned int cpu, uint32_t msr, uint64_t now, uint64_t *val)
{
	if (msr != MSR_APIC_BASE && !lapic_x2apic_on(cpu))
		return -1;
	return lapic_reg_read(cpu, msr, now, val);
}

int lapic_reg_read(unsigned int cpu, uint32_t msr, uint64_t now, uint64_t *val)
{
	struct lapic *a = &apics[cpu % WD_MAX_CPUS];
	unsigned int reg = msr - MSR_X2APIC_FIRST;

	if (msr == MSR_APIC_BASE) {
		*val = a->base;
		return 0;
	}
	if (!x2apic_msr_valid(msr, false, 0))
		return -1;
	timer_catch_up(a, now);
	switch (reg) {
	case R_ID:
		*val = cpu;
		return 0;
	case R_VER:
		/* Version 0x14, six LVT entries (max LVT index 5 + CMCI). */
		*val = 0x00050014;
		return 0;
	case R_TPR:
		*val = a->tpr;
		return 0;
	case R_PPR:
		*val = ppr(a);
		return 0;
	case R_LDR:
		/* x2APIC logical id: cluster in 31:16, one bit of 16. */
		*val = (cpu >> 4) << 16 | 1U << (cpu & 0xf);
		return 0;
	case R_SIVR:
		*val = a->sivr;
		return 0;
	case R_ESR:
		*val = a->esr;
		return 0;
	case R_ICR:
		*val = a->icr;
		return 0;
	case R_TMICT:
		*val = a->tmict;
		return 0;
	case R_TMCCT:
		*val = timer_count(a, now);
		return 0;
	case R_TDCR:
		*val = a->tdcr;
		return 0;
	}
	if (reg >= R_ISR && reg < R_ISR + 8) {
		*val = a->isr[reg - R_ISR];
		return 0;
	}
	if (reg >= R_TMR && reg < R_TMR + 8) {
		*val = 0; /* every interrupt here is edge-triggered */
		return 0;
	}
	if (reg >= R_IRR && reg < R_IRR + 8) {
		*val = a->irr[reg - R_IRR];
		return 0;
	}
	if (reg == R_LVT_CMCI || (reg >= R_LVT_TIMER && reg <= R_LVT_ERROR)) {
		*val = a->lvt[lvt_index(reg)];
		return 0;
	}
	return -1; /* reserved or write-only (EOI, SELF IPI) */
}

int lapic_wrmsr(unsigned int cpu, uint32_t msr, uint64_t val, uint64_t now)
{
	if (msr != MSR_APIC_BASE && !lapic_x2apic_on(cpu))
		return -1;
	return lapic_reg_write(cpu, msr, val, now);
}

int lapic_reg_write(unsigned int cpu, uint32_t msr, uint64_t val, uint64_t now)
{
	struct lapic *a = &apics[cpu % WD_MAX_CPUS];
	unsigned int reg = msr - MSR_X2APIC_FIRST;
	int v;

	if (msr == MSR_APIC_BASE) {
		/* The base address stays (the xAPIC page is at 0xfee00000). */
		a->base = (a->base & (BASE_ADDR_MASK | BASE_BSP)) |
			  (val & (BASE_EN | BASE_EXTD));
		return 0;
	}
	if (!x2apic_msr_valid(msr, true, val))
		return -1;
	timer_catch_up(a, now);
	switch (reg) {
	case R_TPR:
		a->tpr = val & 0xff;
		return 0;
	case R_EOI:
		v = highest(a->isr);
		if (v >= 0)
			clear_bit(a->isr, (unsigned int)v);
		return 0;
	case R_SIVR:
		a->sivr = val & 0x1ff;
		return 0;
	case R_ESR:
		a->esr = 0;
		return 0;
	case R_ICR:
		a->icr = val;
		return 0;
	case R_TMICT:
		a->tmict = (uint32_t)val;
		timer_arm(a, now);
		return 0;
	case R_TDCR:
		a->tdcr = val & 0xb;
		return 0;
	case R_SELF_IPI:
		set_bit(a->irr, val & 0xff);
		return 0;
	}
	if (reg == R_LVT_CMCI || (reg >= R_LVT_TIMER && reg <= R_LVT_ERROR)) {
		a->lvt[lvt_index(reg)] = (uint32_t)val;
		return 0;
	}
	return -1;
}

void lapic_raise(unsigned int cpu, uint8_t vector)
{
	set_bit(apics[cpu % WD_MAX_CPUS].irr, vector);
}

int lapic_pending(unsigned int cpu, uint64_t now, bool take)
{
	struct lapic *a = &apics[cpu % WD_MAX_CPUS];
	int v;

	timer_catch_up(a, now);
	v = highest(a->irr);
	if (v < 0 || !(a->sivr & SIVR_ENABLE) ||
	    ((unsigned int)v & 0xf0) <= (ppr(a) & 0xf0))
		return -1;
	if (take) {
		clear_bit(a->irr, (unsigned int)v);
		set_bit(a->isr, (unsigned int)v);
	}
	return v;
}

uint64_t lapic_next_event(unsigned int cpu)
{
	return apics[cpu % WD_MAX_CPUS].fire;
}
