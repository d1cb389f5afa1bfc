/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * timer: periodic timer interrupts on the cell's CPU (x86: x2APIC timer,
 * measured with the TSC; ARM: generic virtual timer, measured with its
 * counter). Reports the jitter of the intervals between handler entries
 * (|interval - period|) as min/avg/max in ns. The checks are that the
 * interrupts arrive at all, the count within a generous bound (ten times
 * the intervals, plus 10 s): a virtual machine on a loaded host misses
 * ticks (QEMU's TCG drops the periodic ticks a late vCPU missed). The
 * line "timer: N of M intervals within T ms, E early" says how many came
 * within twice their time plus a second and how many came before their
 * time (tick k before k periods after the start, less 1/64): judged by
 * the runner where the clock is exact (Bochs, the simulator).
 */
#include <inmate.h>

INMATE_NAME("timer");

static volatile uint32_t ticks;
static uint64_t period_ns, last_ns, min_ns = ~0ULL, max_ns, sum_ns, sum_iv;
static uint64_t start_ns, early;

static void tick(unsigned int irq)
{
	uint64_t now = time_ns();

	(void)irq;
	if (now - start_ns <
	    (ticks + 1) * period_ns - (ticks + 1) * period_ns / 64)
		early++;
	if (ticks) {
		uint64_t iv = now - last_ns;
		uint64_t j = iv > period_ns ? iv - period_ns : period_ns - iv;

		if (j < min_ns)
			min_ns = j;
		if (j > max_ns)
			max_ns = j;
		sum_ns += j;
		sum_iv += iv;
	}
	last_ns = now;
	ticks++;
}

void inmate_main(void)
{
	uint32_t n = inmate_params.timer_ticks ? inmate_params.timer_ticks : 1;
	uint64_t deadline, wait_ns, tight_ns, on_time = ~0ULL;
	unsigned int irq;

	period_ns = (uint64_t)inmate_params.timer_period_us * 1000;
	if (!period_ns)
		period_ns = 1000000;
	/* In time: twice the expected time, plus a second; the bound of the
	 * check ten times the expected time, plus 10 s. */
	tight_ns = 2 * (n + 1) * period_ns + NS_PER_SEC;
	wait_ns = 10 * (n + 1) * period_ns + 10 * NS_PER_SEC;
	start_ns = time_ns();
	deadline = start_ns + wait_ns;

	irq = timer_start(period_ns, tick);
	printf("timer: interrupt %u, period %llu ns, %u intervals\n", irq,
	       (unsigned long long)period_ns, (unsigned int)n);
	irq_on();
	while (ticks <= n && time_ns() < deadline) {
		if (on_time == ~0ULL && time_ns() - start_ns >= tight_ns)
			on_time = ticks;
		cpu_relax();
	}
	irq_off();
	timer_stop();
	if (on_time > ticks)
		on_time = ticks; /* done before the tight deadline */
	if (on_time > n + 1)
		on_time = n + 1;
	printf("timer: %u of %u intervals within %llu ms, %llu early\n",
	       (unsigned int)(on_time ? on_time - 1 : 0), (unsigned int)n,
	       (unsigned long long)(tight_ns / 1000000),
	       (unsigned long long)early);

	check("timer.first-tick", ticks > 0, "%s within %llu ms",
	      ticks ? "interrupts" : "no interrupt",
	      (unsigned long long)(wait_ns / 1000000));
	if (!check("timer.ticks", ticks > n, "%u of %u intervals",
		   (unsigned int)(ticks ? ticks - 1 : 0), (unsigned int)n)) {
		test_verdict();
		return;
	}
	report_value("timer.period", period_ns, "ns");
	report_value("timer.interval-avg", sum_iv / n, "ns");
	report_value("timer.jitter-min", min_ns, "ns");
	report_value("timer.jitter-avg", sum_ns / n, "ns");
	report_value("timer.jitter-max", max_ns, "ns");
	test_verdict();
}
