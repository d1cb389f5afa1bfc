// SPDX-License-Identifier: GPL-2.0
/*
 * The simulator's interrupt hardware models on their own (sim/lapic.c,
 * sim/gic.c): x2APIC registers, timer, priorities, ICR decoding; GICv2
 * distributor and CPU interface; the generic timer. The demos exercise
 * them end to end (test_exec.c); these pin down the edges.
 */
#include <check.h>

#include "sim/intc.h"
#include "support_run.h"

#define MS 1000000ULL
#define TICK SIM_NS_PER_TICK

static void x2apic_on(unsigned int cpu)
{
	ck_assert_int_eq(lapic_wrmsr(cpu, MSR_APIC_BASE, 0xfee00c00, 0), 0);
	ck_assert_int_eq(lapic_wrmsr(cpu, 0x80f, 0x1ff, 0), 0); /* SIVR */
}

START_TEST(test_lapic_reset_and_ids)
{
	uint64_t v = 0;

	lapic_reset(3, false);
	ck_assert_int_eq(lapic_rdmsr(3, MSR_APIC_BASE, 0, &v), 0);
	/* Enabled xAPIC at the default base, not the BSP. */
	ck_assert_uint_eq(v, 0xfee00800);
	/* x2APIC registers #GP until EXTD is set. */
	ck_assert_int_eq(lapic_rdmsr(3, 0x802, 0, &v), -1);
	x2apic_on(3);
	ck_assert_int_eq(lapic_rdmsr(3, 0x802, 0, &v), 0);
	ck_assert_uint_eq(v, 3);
	ck_assert_int_eq(lapic_rdmsr(3, 0x80d, 0, &v), 0); /* LDR */
	ck_assert_uint_eq(v, 1U << 3);
	lapic_reset(0, true);
	ck_assert_int_eq(lapic_rdmsr(0, MSR_APIC_BASE, 0, &v), 0);
	ck_assert_uint_eq(v, 0xfee00900);
}
END_TEST

START_TEST(test_lapic_reserved_and_readonly)
{
	uint64_t v;

	lapic_reset(1, false);
	x2apic_on(1);
	ck_assert_int_eq(lapic_rdmsr(1, 0x80b, 0, &v), -1); /* EOI: WO */
	ck_assert_int_eq(lapic_rdmsr(1, 0x83f, 0, &v), -1); /* SELF IPI */
	ck_assert_int_eq(lapic_rdmsr(1, 0x801, 0, &v), -1); /* reserved */
	ck_assert_int_eq(lapic_wrmsr(1, 0x802, 5, 0), -1);  /* ID: RO */
	ck_assert_int_eq(lapic_wrmsr(1, 0x839, 5, 0), -1);  /* TMCCT: RO */
	ck_assert_int_eq(lapic_wrmsr(1, 0x80b, 1, 0), -1);  /* EOI != 0 */
	ck_assert_int_eq(lapic_wrmsr(1, 0x808, 1ULL << 32, 0), -1);
	ck_assert_int_eq(lapic_wrmsr(1, 0x8ff, 0, 0), -1);
	/* Outside the APIC's MSRs: not the model's. */
	ck_assert_int_eq(lapic_rdmsr(1, 0x10, 0, &v), -1);
}
END_TEST

START_TEST(test_lapic_periodic_timer)
{
	uint64_t v;
	int i;

	lapic_reset(2, false);
	x2apic_on(2);
	ck_assert_int_eq(lapic_wrmsr(2, 0x83e, 0xb, 0), 0); /* div 1 */
	ck_assert_int_eq(lapic_wrmsr(2, 0x832, 1 << 17 | 0x20, 0),
			 0);				       /* per. */
	ck_assert_int_eq(lapic_wrmsr(2, 0x838, 100000, 0), 0); /* 1 ms */
	ck_assert_uint_eq(lapic_next_event(2), 1 * MS);
	ck_assert_int_eq(lapic_pending(2, 1 * MS - 1, false), -1);
	ck_assert_int_eq(lapic_rdmsr(2, 0x839, MS / 2, &v), 0);
	ck_assert_uint_eq(v, 50000); /* half the count left */
	ck_assert_int_eq(lapic_pending(2, 1 * MS, true), 0x20);
	ck_assert_uint_eq(lapic_next_event(2), 2 * MS);
	/* In service: the same vector is not delivered again before EOI. */
	ck_assert_int_eq(lapic_pending(2, 2 * MS, false), -1);
	ck_assert_int_eq(lapic_wrmsr(2, 0x80b, 0, 2 * MS), 0);
	ck_assert_int_eq(lapic_pending(2, 2 * MS, true), 0x20);
	ck_assert_int_eq(lapic_wrmsr(2, 0x80b, 0, 2 * MS), 0);
	/* Missed periods collapse into one request; the next one is in
	 * the future. */
	ck_assert_int_eq(lapic_pending(2, 7 * MS + 10, true), 0x20);
	ck_assert_uint_eq(lapic_next_event(2), 8 * MS);
	ck_assert_int_eq(lapic_wrmsr(2, 0x80b, 0, 7 * MS), 0);
	/* Masked: the timer runs, nothing is requested. */
	ck_assert_int_eq(
		lapic_wrmsr(2, 0x832, 1 << 16 | 1 << 17 | 0x20, 7 * MS), 0);
	for (i = 8; i < 12; i++)
		ck_assert_int_eq(lapic_pending(2, i * MS, false), -1);
	/* Stopped by a zero count. */
	ck_assert_int_eq(lapic_wrmsr(2, 0x838, 0, 12 * MS), 0);
	ck_assert_uint_eq(lapic_next_event(2), INTC_NEVER);
}
END_TEST

START_TEST(test_lapic_oneshot_divider)
{
	uint64_t v;

	lapic_reset(1, false);
	x2apic_on(1);
	ck_assert_int_eq(lapic_wrmsr(1, 0x83e, 0x3, 0), 0);  /* divide by 16 */
	ck_assert_int_eq(lapic_wrmsr(1, 0x832, 0x31, 0), 0); /* one-shot */
	ck_assert_int_eq(lapic_wrmsr(1, 0x838, 10, 0), 0);
	ck_assert_uint_eq(lapic_next_event(1), 10 * 16 * TICK);
	ck_assert_int_eq(lapic_pending(1, 160 * TICK, true), 0x31);
	ck_assert_uint_eq(lapic_next_event(1), INTC_NEVER);
	ck_assert_int_eq(lapic_rdmsr(1, 0x839, 1000 * TICK, &v), 0);
	ck_assert_uint_eq(v, 0);
}
END_TEST

START_TEST(test_lapic_priorities)
{
	lapic_reset(0, true);
	/* Software-disabled APIC: nothing is delivered. */
	lapic_raise(0, 0x40);
	ck_assert_int_eq(lapic_pending(0, 0, false), -1);
	x2apic_on(0);
	lapic_raise(0, 0x51);
	ck_assert_int_eq(lapic_pending(0, 0, false), 0x51);
	/* TPR class 5 holds back 0x51 and 0x40, not 0x61. */
	ck_assert_int_eq(lapic_wrmsr(0, 0x808, 0x50, 0), 0);
	ck_assert_int_eq(lapic_pending(0, 0, false), -1);
	lapic_raise(0, 0x61);
	ck_assert_int_eq(lapic_pending(0, 0, true), 0x61);
	/* 0x61 in service: class 6 blocks the lower ones after TPR 0 too. */
	ck_assert_int_eq(lapic_wrmsr(0, 0x808, 0, 0), 0);
	ck_assert_int_eq(lapic_pending(0, 0, false), -1);
	ck_assert_int_eq(lapic_wrmsr(0, 0x80b, 0, 0), 0);
	ck_assert_int_eq(lapic_pending(0, 0, true), 0x51);
	ck_assert_int_eq(lapic_wrmsr(0, 0x80b, 0, 0), 0);
	ck_assert_int_eq(lapic_pending(0, 0, true), 0x40);
	/* SELF IPI */
	ck_assert_int_eq(lapic_wrmsr(0, 0x80b, 0, 0), 0);
	ck_assert_int_eq(lapic_wrmsr(0, 0x83f, 0x77, 0), 0);
	ck_assert_int_eq(lapic_pending(0, 0, false), 0x77);
}
END_TEST

START_TEST(test_lapic_icr_decode)
{
	struct ipi i;

	i = x2apic_decode_icr(2ULL << 32 | 0x4500); /* INIT to 2 */
	ck_assert_int_eq(i.kind, IPI_INIT);
	ck_assert_uint_eq(i.dest, 2);
	ck_assert(!i.self && !i.broadcast);
	i = x2apic_decode_icr(3ULL << 32 | 0x4600 | 0x9a); /* SIPI page 0x9a */
	ck_assert_int_eq(i.kind, IPI_SIPI);
	ck_assert_uint_eq(i.vector, 0x9a);
	i = x2apic_decode_icr(0x40 | 1 << 18); /* fixed, self */
	ck_assert_int_eq(i.kind, IPI_FIXED);
	ck_assert(i.self);
	i = x2apic_decode_icr(0x40 | 3 << 18); /* all but self */
	ck_assert(i.broadcast && i.but_self && !i.logical);
	i = x2apic_decode_icr(0x40 | 2 << 18); /* all including self */
	ck_assert(i.broadcast && !i.but_self);
	ck_assert_int_eq(x2apic_decode_icr(0x400).kind, IPI_NMI);
	i = x2apic_decode_icr(6ULL << 32 | 0x40 | 1 << 11); /* logical 6 */
	ck_assert(i.logical && !i.broadcast);
	ck_assert_int_eq(i.kind, IPI_FIXED);
	ck_assert_uint_eq(i.dest, 6);
	ck_assert_int_eq(x2apic_decode_icr(0x300).kind, IPI_BAD); /* SMI */
}
END_TEST

/* ---- GIC ------------------------------------------------------------ */

#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ITARGETSR 0x800
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

static void gicc_on(unsigned int cpu)
{
	gic_cpu_access(cpu, GICC_PMR, true, 0xf0, 0);
	gic_cpu_access(cpu, GICC_CTLR, true, 1, 0);
}

START_TEST(test_gic_dist_irq)
{
	ck_assert_uint_eq(gic_dist_irq(0x104), 32); /* ISENABLER1 */
	ck_assert_uint_eq(gic_dist_irq(0x184), 32); /* ICENABLER1 */
	ck_assert_uint_eq(gic_dist_irq(0x42b), 43); /* IPRIORITYR byte */
	ck_assert_uint_eq(gic_dist_irq(0x828), 40); /* ITARGETSR byte */
	ck_assert_uint_eq(gic_dist_irq(0xc08), 32); /* ICFGR2: 2 bits each */
	ck_assert_uint_eq(gic_dist_irq(0x000), 0);  /* CTLR */
}
END_TEST

START_TEST(test_gic_spi_route_ack_eoi)
{
	gic_init();
	gicc_on(1);
	gicc_on(2);
	/* ITARGETSR0 reads as the CPU's own interface; read-only. */
	ck_assert_uint_eq(gic_dist_access(2, GICD_ITARGETSR, 1, false, 0), 4);
	gic_dist_access(2, GICD_ITARGETSR, 1, true, 0xff);
	ck_assert_uint_eq(gic_dist_access(2, GICD_ITARGETSR, 1, false, 0), 4);
	/* SPI 40 to CPU 2, enabled, raised. */
	gic_dist_access(2, GICD_ITARGETSR + 40, 1, true, 4);
	gic_dist_access(2, GICD_ISENABLER + 4, 4, true, 1 << 8);
	ck_assert_uint_eq(gic_dist_access(1, GICD_ISENABLER + 4, 4, false, 0),
			  1 << 8);
	gic_raise(2, 40);
	ck_assert(!gic_irq_line(1, 0)); /* not its target */
	ck_assert(gic_irq_line(2, 0));
	ck_assert_uint_eq(gic_cpu_access(2, GICC_IAR, false, 0, 0), 40);
	/* Active: no second delivery, IAR is spurious until EOI. */
	ck_assert(!gic_irq_line(2, 0));
	gic_raise(2, 40);
	ck_assert_uint_eq(gic_cpu_access(2, GICC_IAR, false, 0, 0),
			  GIC_SPURIOUS);
	gic_cpu_access(2, GICC_EOIR, true, 40, 0);
	/* Raised again while active: pending once more after EOI. */
	ck_assert(gic_irq_line(2, 0));
	gic_cpu_access(2, GICC_EOIR, true, 40, 0);
	ck_assert_uint_eq(gic_cpu_access(2, GICC_IAR, false, 0, 0), 40);
	gic_cpu_access(2, GICC_EOIR, true, 40, 0);
	/* Disabled: pending but not signalled. */
	gic_dist_access(2, GICD_ICENABLER + 4, 4, true, 1 << 8);
	gic_raise(2, 40);
	ck_assert(!gic_irq_line(2, 0));
	ck_assert_uint_eq(gic_dist_access(2, GICD_ISPENDR + 4, 4, false, 0),
			  1 << 8);
}
END_TEST

START_TEST(test_gic_cpu_interface_gates)
{
	gic_init();
	gic_dist_access(0, GICD_ISENABLER, 4, true, 1 << 5);
	gic_raise(0, 5); /* SGI 5 */
	/* Interface off, then PMR 0: nothing signalled. */
	ck_assert(!gic_irq_line(0, 0));
	gic_cpu_access(0, GICC_CTLR, true, 1, 0);
	ck_assert(!gic_irq_line(0, 0));
	gic_cpu_access(0, GICC_PMR, true, 0x80, 0);
	ck_assert(gic_irq_line(0, 0));
	/* Banked: CPU 1 has its own SGIs. */
	gicc_on(1);
	ck_assert(!gic_irq_line(1, 0));
	ck_assert_uint_eq(gic_cpu_access(0, GICC_IAR, false, 0, 0), 5);
}
END_TEST

START_TEST(test_generic_timer)
{
	uint64_t v;

	gic_init();
	gicc_on(1);
	gic_dist_access(1, GICD_ISENABLER, 4, true, 1U << GIC_PPI_VTIMER);
	ck_assert_int_eq(gt_read(1, GT_CNTFRQ, 0, &v), 0);
	ck_assert_uint_eq(v, SIM_TIMER_KHZ * 1000);
	ck_assert_int_eq(gt_read(1, GT_CNTVCT, 5 * MS, &v), 0);
	ck_assert_uint_eq(v, 5 * MS / TICK);
	ck_assert_int_eq(gt_write(1, GT_CNTVCT, 0, 0), -1);
	ck_assert_int_eq(gt_write(1, GT_CNTFRQ, 1, 0), -1);
	/* Fire at 6 ms through TVAL (relative), enabled. */
	ck_assert_int_eq(gt_write(1, GT_CNTV_TVAL, MS / TICK, 5 * MS), 0);
	ck_assert_int_eq(gt_write(1, GT_CNTV_CTL, 1, 5 * MS), 0);
	ck_assert_uint_eq(gt_next_event(1, 5 * MS), 6 * MS);
	ck_assert(!gic_irq_line(1, 6 * MS - 1));
	ck_assert_int_eq(gt_read(1, GT_CNTV_CTL, 6 * MS - 1, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert(gic_irq_line(1, 6 * MS));
	ck_assert_int_eq(gt_read(1, GT_CNTV_CTL, 6 * MS, &v), 0);
	ck_assert_uint_eq(v, 5); /* ENABLE | ISTATUS */
	ck_assert_int_eq(gt_read(1, GT_CNTV_TVAL, 7 * MS, &v), 0);
	ck_assert_int_eq((int32_t)v, -(int32_t)(MS / TICK));
	/* Level: acknowledged and ended while still asserted, it returns. */
	ck_assert_uint_eq(gic_cpu_access(1, GICC_IAR, false, 0, 6 * MS),
			  GIC_PPI_VTIMER);
	gic_cpu_access(1, GICC_EOIR, true, GIC_PPI_VTIMER, 6 * MS);
	ck_assert(gic_irq_line(1, 6 * MS));
	/* IMASK drops the line; re-arming in the future does too. */
	ck_assert_int_eq(gt_write(1, GT_CNTV_CTL, 3, 6 * MS), 0);
	ck_assert(!gic_irq_line(1, 6 * MS));
	ck_assert_uint_eq(gt_next_event(1, 6 * MS), INTC_NEVER);
	ck_assert_int_eq(gt_write(1, GT_CNTV_CTL, 1, 6 * MS), 0);
	ck_assert_int_eq(gt_write(1, GT_CNTV_CVAL, 8 * MS / TICK, 6 * MS), 0);
	ck_assert(!gic_irq_line(1, 6 * MS));
	ck_assert_uint_eq(gt_next_event(1, 6 * MS), 8 * MS);
}
END_TEST

static Suite *intc_suite(void)
{
	Suite *s = suite_create("intc");
	TCase *tc = tcase_create("lapic");

	tcase_add_test(tc, test_lapic_reset_and_ids);
	tcase_add_test(tc, test_lapic_reserved_and_readonly);
	tcase_add_test(tc, test_lapic_periodic_timer);
	tcase_add_test(tc, test_lapic_oneshot_divider);
	tcase_add_test(tc, test_lapic_priorities);
	tcase_add_test(tc, test_lapic_icr_decode);
	suite_add_tcase(s, tc);
	tc = tcase_create("gic");
	tcase_add_test(tc, test_gic_dist_irq);
	tcase_add_test(tc, test_gic_spi_route_ack_eoi);
	tcase_add_test(tc, test_gic_cpu_interface_gates);
	tcase_add_test(tc, test_generic_timer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(intc_suite());
}
