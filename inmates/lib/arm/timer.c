/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARM generic timer: time from the virtual counter (CNTVCT), a periodic
 * interrupt from the virtual timer (PPI 27), re-armed on each tick at an
 * absolute compare value so that the period does not drift.
 */
#include <inmate.h>

#define CNTV_CTL_ENABLE 1
#define CNTV_CTL_IMASK 2

static uint64_t period_ticks[INMATE_MAX_CPUS];
static irq_handler_t tick_handler[INMATE_MAX_CPUS];

static uint64_t timer_hz(void)
{
	uint32_t f = arm_read_cp32(0, c14, c0, 0); /* CNTFRQ */

	return f ? f : (uint64_t)inmate_params.clock_khz * 1000;
}

static uint64_t counter(void)
{
	asm volatile("isb" : : : "memory");
	return arm_read_cp64(1, c14); /* CNTVCT */
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	uint64_t hz = timer_hz();

	return ticks / hz * NS_PER_SEC + ticks % hz * NS_PER_SEC / hz;
}

uint64_t time_ns(void)
{
	return timer_ticks_to_ns(counter());
}

void delay_us(uint64_t us)
{
	uint64_t until = time_ns() + us * 1000;

	while (time_ns() < until)
		cpu_relax();
}

static void timer_tick(unsigned int irq)
{
	unsigned int cpu = cpu_index();
	uint64_t cval = arm_read_cp64(3, c14); /* CNTV_CVAL */

	arm_write_cp64(3, c14, cval + period_ticks[cpu]);
	if (tick_handler[cpu])
		tick_handler[cpu](irq);
}

unsigned int timer_start(uint64_t period_ns, irq_handler_t handler)
{
	unsigned int cpu = cpu_index();
	uint64_t t = period_ns * timer_hz() / NS_PER_SEC;

	period_ticks[cpu] = t ? t : 1;
	tick_handler[cpu] = handler;
	irq_set_handler(TIMER_IRQ, timer_tick);
	arm_write_cp64(3, c14, counter() + period_ticks[cpu]);
	arm_write_cp32(0, c14, c3, 1, CNTV_CTL_ENABLE); /* CNTV_CTL */
	irq_enable(TIMER_IRQ);
	return TIMER_IRQ;
}

void timer_stop(void)
{
	arm_write_cp32(0, c14, c3, 1, CNTV_CTL_IMASK);
}
