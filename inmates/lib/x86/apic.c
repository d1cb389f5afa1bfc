/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86 time and the local APIC in x2APIC mode: TSC-based time, the APIC
 * timer in periodic mode, end of interrupt. The x2APIC is enabled on first
 * use only, so inmates that need no interrupts touch no APIC MSR.
 */
#include <inmate.h>

static bool apic_on[INMATE_MAX_CPUS];

static uint32_t tsc_khz(void)
{
	uint32_t khz = comm_region()->x86.tsc_khz;

	return khz ? khz : inmate_params.clock_khz;
}

static uint32_t apic_khz(void)
{
	uint32_t khz = comm_region()->x86.apic_khz;

	return khz ? khz : inmate_params.apic_khz;
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	uint64_t khz = tsc_khz();

	return ticks / khz * 1000000 + ticks % khz * 1000000 / khz;
}

uint64_t time_ns(void)
{
	return timer_ticks_to_ns(rdtsc());
}

void delay_us(uint64_t us)
{
	uint64_t until = time_ns() + us * 1000;

	while (time_ns() < until)
		cpu_relax();
}

void apic_init(void)
{
	unsigned int cpu = cpu_index();
	uint64_t base;

	if (apic_on[cpu])
		return;
	base = rdmsr(MSR_APIC_BASE);
	if ((base & (APIC_BASE_EN | APIC_BASE_EXTD)) !=
	    (APIC_BASE_EN | APIC_BASE_EXTD))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	wrmsr(MSR_X2APIC_SIVR, 0x100 | SPURIOUS_VECTOR); /* software enable */
	wrmsr(MSR_X2APIC_TPR, 0);
	apic_on[cpu] = true;
}

void apic_eoi(void)
{
	wrmsr(MSR_X2APIC_EOI, 0);
}

void irq_enable(unsigned int irq)
{
	(void)irq; /* vectors need no enabling; the source selects them */
}

unsigned int timer_start(uint64_t period_ns, irq_handler_t handler)
{
	uint64_t count = period_ns * apic_khz() / 1000000;

	apic_init();
	irq_set_handler(TIMER_VECTOR, handler);
	wrmsr(MSR_X2APIC_TDCR, 0xb); /* divide by 1 */
	wrmsr(MSR_X2APIC_LVT_TIMER, APIC_LVT_PERIODIC | TIMER_VECTOR);
	wrmsr(MSR_X2APIC_TMICT, count ? count : 1);
	return TIMER_VECTOR;
}

void timer_stop(void)
{
	wrmsr(MSR_X2APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);
	wrmsr(MSR_X2APIC_TMICT, 0);
}
