// SPDX-License-Identifier: GPL-2.0
/*
 * The ARMv7 backend's GIC distributor policy (arch-armv7/gicd.c), which the
 * backend and the simulator both carry out: the hypervisor's pins (event
 * SGI 0, maintenance PPI 25) read as zero and ignore writes in every
 * banked register; the cell's own SGIs/PPIs and SPIs pass; foreign SPIs
 * are refused through the core; SGIR filters; widths; and the handover
 * list, applied to the simulator's GIC model after a cell wrecked it.
 */
#include <check.h>
#include <string.h>

#include "arch-armv7/gicd.h"
#include "sim/intc.h"
#include "support_run.h"

#define BASE 0x08000000ULL
#define MAINT 25
#define HYP (1u << 0 | 1u << MAINT)

static unsigned int asked[8], n_asked;

/* The cell owns SPI 33 only. */
static bool owns(void *arg, unsigned int pin)
{
	(void)arg;
	if (n_asked < 8)
		asked[n_asked] = pin;
	n_asked++;
	return pin == 33;
}

static struct gicd_action act(unsigned int off, unsigned int size, bool write,
			      uint32_t value)
{
	/* CPU 2 of a cell of CPUs 2 and 3. */
	struct gicd_caller c = { .base = BASE,
				 .cpu = 2,
				 .targets = 0xc,
				 .hyp_pins = gicd_hyp_pins(MAINT),
				 .owns = owns };
	struct gicd_action a;

	n_asked = 0;
	memset(&a, 0xa5, sizeof(a));
	gicd_filter(&c, off, size, write, value, &a);
	return a;
}

START_TEST(test_hyp_pins)
{
	ck_assert_uint_eq(gicd_hyp_pins(MAINT), HYP);
	ck_assert_uint_eq(gicd_hyp_pins(1023), 1u); /* no maintenance PPI */
}
END_TEST

/* Every banked bit register: hypervisor pins masked out, read and write. */
START_TEST(test_banked_bit_registers)
{
	static const unsigned int regs[] = {
		GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
		GICD_ICPENDR,	GICD_ISACTIVER, GICD_ICACTIVER,
	};
	struct gicd_action a;
	unsigned int i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		a = act(regs[i], 4, false, 0);
		ck_assert_int_eq(a.verdict, GICD_PASS);
		ck_assert_uint_eq(a.mask, ~HYP);
		a = act(regs[i], 4, true, ~0u);
		ck_assert_int_eq(a.verdict, GICD_PASS);
		ck_assert_uint_eq(a.value, ~HYP);
		ck_assert(!a.merge); /* set/clear: 0 bits change nothing */
		/* Only the hypervisor's pins set: nothing happens. */
		a = act(regs[i], 4, true, HYP);
		ck_assert_int_eq(a.verdict, GICD_IGNORE);
		ck_assert_uint_eq(n_asked, 0); /* banked: the core not asked */
	}
	/* Groups are the hypervisor's, for SPIs too: RAZ/WI, no core call. */
	for (i = 0; i < 0x80; i += 4) {
		ck_assert_int_eq(act(GICD_IGROUPR + i, 4, false, 0).verdict,
				 GICD_IGNORE);
		ck_assert_int_eq(act(GICD_IGROUPR + i, 4, true, ~0u).verdict,
				 GICD_IGNORE);
		ck_assert_uint_eq(n_asked, 0);
	}
	/* Byte access to the byte holding PPI 25: bit 1 hidden. */
	a = act(GICD_ISENABLER + 3, 1, false, 0);
	ck_assert_uint_eq(a.mask, 0xfdu);
}
END_TEST

START_TEST(test_priority_targets_config)
{
	struct gicd_action a;

	/* IPRIORITYR0 (pins 0-3): SGI 0's byte kept by read-merge-write. */
	a = act(GICD_IPRIORITYR, 4, true, 0xffffffffu);
	ck_assert_int_eq(a.verdict, GICD_PASS);
	ck_assert_uint_eq(a.mask, 0xffffff00u);
	ck_assert_uint_eq(a.value, 0xffffff00u);
	ck_assert(a.merge);
	ck_assert_int_eq(act(GICD_IPRIORITYR + 0, 1, true, 0xff).verdict,
			 GICD_IGNORE);
	ck_assert_int_eq(act(GICD_IPRIORITYR + MAINT, 1, true, 0xff).verdict,
			 GICD_IGNORE);
	ck_assert_uint_eq(act(GICD_IPRIORITYR + MAINT, 1, false, 0).mask, 0);
	a = act(GICD_IPRIORITYR + 27, 1, true, 0xa0);
	ck_assert_int_eq(a.verdict, GICD_PASS);
	ck_assert_uint_eq(a.value, 0xa0);
	ck_assert(!a.merge);
	/* Banked targets: read as this CPU's (even SGI 0's), never written. */
	ck_assert_uint_eq(act(GICD_ITARGETSR, 4, false, 0).mask, ~0u);
	ck_assert_int_eq(act(GICD_ITARGETSR, 1, true, 0).verdict, GICD_IGNORE);
	/* SGI/PPI trigger modes are fixed; reads hide PPI 25's field. */
	ck_assert_int_eq(act(GICD_ICFGR, 4, true, ~0u).verdict, GICD_IGNORE);
	ck_assert_int_eq(act(GICD_ICFGR + 4, 4, true, ~0u).verdict,
			 GICD_IGNORE);
	ck_assert_uint_eq(act(GICD_ICFGR + 4, 4, false, 0).mask,
			  ~(3u << ((MAINT - 16) * 2)));
	ck_assert_uint_eq(act(GICD_ICFGR, 4, false, 0).mask, ~3u);
}
END_TEST

START_TEST(test_spis)
{
	struct gicd_action a;

	/* Reads: the owned SPI only, each pin asked. */
	a = act(GICD_ISENABLER + 4, 4, false, 0);
	ck_assert_uint_eq(a.mask, 1u << 1);
	ck_assert_uint_eq(n_asked, 32);
	ck_assert_uint_eq(asked[0], 32);
	/* A write: the pins it changes go to the core (check, from first),
	 * a set/clear write's set bits only; the filter asks nobody. */
	a = act(GICD_ISENABLER + 4, 4, true, 1u << 1);
	ck_assert_int_eq(a.verdict, GICD_PASS);
	ck_assert_uint_eq(n_asked, 0);
	ck_assert_uint_eq(a.check, 1u << 1);
	ck_assert_uint_eq(a.first, 32);
	ck_assert_uint_eq(a.value, 1u << 1);
	ck_assert(!a.merge);
	/* A foreign pin too: the core refuses it (and fails the cell). */
	a = act(GICD_ISENABLER + 4, 4, true, 1u << 2 | 1u << 1);
	ck_assert_int_eq(a.verdict, GICD_PASS);
	ck_assert_uint_eq(a.check, 1u << 2 | 1u << 1);
	/* Priority word of SPIs 32-35: every pin is changed. */
	a = act(GICD_IPRIORITYR + 32, 4, true, 0);
	ck_assert_int_eq(a.verdict, GICD_PASS);
	ck_assert_uint_eq(a.check, 0xf);
	ck_assert_uint_eq(a.first, 32);
	/* Configuration of SPIs 48-63: 16 pins of 2 bits. */
	a = act(GICD_ICFGR + 12, 4, true, ~0u);
	ck_assert_uint_eq(a.check, 0xffff);
	ck_assert_uint_eq(a.first, 48);
	/* A byte of targets: one pin, cut to the cell's CPUs (2, 3). */
	a = act(GICD_ITARGETSR + 33, 1, true, 0xff);
	ck_assert_int_eq(a.verdict, GICD_PASS);
	ck_assert_uint_eq(a.value, 0x0c);
	ck_assert_uint_eq(a.check, 1);
	ck_assert_uint_eq(a.first, 33);
	/* Banked pins: nothing for the core. */
	ck_assert_uint_eq(act(GICD_ISENABLER, 4, true, ~0u).check, 0);
}
END_TEST

START_TEST(test_sgir)
{
	struct gicd_action a;

	a = act(GICD_SGIR, 4, true, 0x8u << 16 | 5);
	ck_assert_int_eq(a.verdict, GICD_SGI);
	ck_assert_uint_eq(a.sgi_list, 0x8);
	ck_assert_uint_eq(a.sgi_id, 5);
	a = act(GICD_SGIR, 4, true, 0x3u << 16 | 1);
	ck_assert_int_eq(a.verdict, GICD_DENY);
	ck_assert_uint_eq(a.reason, WD_R_cpu_foreign);
	ck_assert_uint_eq(a.item, 0x3);
	a = act(GICD_SGIR, 4, true, 1u << 24 | 0xffu << 16 | 1u << 15 | 0);
	ck_assert_int_eq(a.verdict, GICD_SGI);
	ck_assert_uint_eq(a.sgi_list, 0x8); /* all but self: CPU 3 */
	a = act(GICD_SGIR, 4, true, 2u << 24 | 0xffu << 16 | 7);
	ck_assert_uint_eq(a.sgi_list, 0x4); /* self */
	ck_assert_uint_eq(a.sgi_id, 7);
	/* Reserved filter, narrow writes, reads: nothing. */
	ck_assert_int_eq(
		act(GICD_SGIR, 4, true, 3u << 24 | 0xffu << 16).verdict,
		GICD_IGNORE);
	ck_assert_int_eq(act(GICD_SGIR, 1, true, 0).verdict, GICD_IGNORE);
	ck_assert_int_eq(act(GICD_SGIR, 4, false, 0).verdict, GICD_IGNORE);
}
END_TEST

START_TEST(test_other_registers)
{
	struct gicd_action a;
	unsigned int off;

	ck_assert_int_eq(act(GICD_CTLR, 4, true, 0).verdict, GICD_IGNORE);
	a = act(GICD_CTLR, 4, false, 0);
	ck_assert_int_eq(a.verdict, GICD_PASS);
	ck_assert_uint_eq(a.mask, ~0u);
	ck_assert_int_eq(act(GICD_TYPER, 4, true, 0).verdict, GICD_IGNORE);
	for (off = GICD_CPENDSGIR; off < GICD_SPENDSGIR_END; off += 4) {
		ck_assert_int_eq(act(off, 4, false, 0).verdict, GICD_IGNORE);
		ck_assert_int_eq(act(off, 4, true, ~0u).verdict, GICD_IGNORE);
	}
	a = act(GICD_ISENABLER, 8, false, 0);
	ck_assert_int_eq(a.verdict, GICD_DENY);
	ck_assert_uint_eq(a.reason, WD_R_mmio_width);
	ck_assert_uint_eq(a.item, BASE + GICD_ISENABLER);
	a = act(GICD_IPRIORITYR + 2, 4, true, 0);
	ck_assert_int_eq(a.verdict, GICD_DENY);
	ck_assert_uint_eq(a.reason, WD_R_mmio_width);
	ck_assert_int_eq(act(GICD_ISENABLER + 1, 2, false, 0).verdict,
			 GICD_DENY);
}
END_TEST

START_TEST(test_reset_list)
{
	struct gicd_reg r[GICD_RESET_REGS];
	unsigned int n = gicd_reset_regs(HYP, r), i, prio = 0;

	ck_assert_uint_eq(n, GICD_RESET_REGS);
	/* Disabled first, the hypervisor's pins enabled last. */
	ck_assert_uint_eq(r[0].off, GICD_ICENABLER);
	ck_assert_uint_eq(r[0].value, ~0u);
	ck_assert_uint_eq(r[n - 1].off, GICD_ISENABLER);
	ck_assert_uint_eq(r[n - 1].value, HYP);
	for (i = 0; i < n; i++) {
		switch (r[i].off) {
		case GICD_ICPENDR:
		case GICD_ICACTIVER:
		case GICD_CPENDSGIR:
		case GICD_CPENDSGIR + 4:
		case GICD_CPENDSGIR + 8:
		case GICD_CPENDSGIR + 12:
			ck_assert_uint_eq(r[i].value, ~0u);
			break;
		case GICD_ICFGR:
			ck_assert_uint_eq(r[i].value, 0xaaaaaaaau);
			break;
		default:
			if (r[i].off >= GICD_IPRIORITYR &&
			    r[i].off < GICD_IPRIORITYR + 32) {
				prio++;
				ck_assert_uint_eq(r[i].value, 0);
			}
		}
	}
	ck_assert_uint_eq(prio, 8);
}
END_TEST

/* A cell wrecks CPU 1's banked state in the sim's model; the list undoes
 * it all (a missing entry would leak to the next cell here too). */
START_TEST(test_reset_list_on_the_model)
{
	struct gicd_reg r[GICD_RESET_REGS];
	unsigned int n = gicd_reset_regs(HYP, r), i;

	gic_init();
	gic_dist_access(1, GICD_IGROUPR, 4, true, ~0u);
	gic_dist_access(1, GICD_ISENABLER, 4, true, ~0u);
	gic_dist_access(1, GICD_ISPENDR, 4, true, ~0u);
	gic_dist_access(1, GICD_ISACTIVER, 4, true, ~0u);
	for (i = 0; i < 8; i++)
		gic_dist_access(1, GICD_IPRIORITYR + 4 * i, 4, true, ~0u);
	gic_dist_access(1, GICD_ICFGR + 4, 4, true, ~0u);
	gic_cpu_access(1, 0x00, true, 1, 0);
	gic_cpu_access(1, 0x04, true, 0xff, 0);
	for (i = 0; i < n; i++)
		gic_dist_access(1, r[i].off, 4, true, r[i].value);
	gic_set_vmcr(1, GICD_RESET_VMCR);
	ck_assert_uint_eq(gic_dist_access(1, GICD_IGROUPR, 4, false, 0), 0);
	ck_assert_uint_eq(gic_dist_access(1, GICD_ISENABLER, 4, false, 0), HYP);
	ck_assert_uint_eq(gic_dist_access(1, GICD_ISPENDR, 4, false, 0), 0);
	ck_assert_uint_eq(gic_dist_access(1, GICD_ISACTIVER, 4, false, 0), 0);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(gic_dist_access(1, GICD_IPRIORITYR + 4 * i, 4,
						  false, 0),
				  0);
	ck_assert_uint_eq(gic_dist_access(1, GICD_ICFGR + 4, 4, false, 0), 0);
	ck_assert_uint_eq(gic_cpu_access(1, 0x00, false, 0, 0), 0);
	ck_assert_uint_eq(gic_cpu_access(1, 0x04, false, 0, 0), 0);
	ck_assert(!gic_irq_line(1, 0));
}
END_TEST

static Suite *gicd_suite(void)
{
	Suite *s = suite_create("gicd");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_hyp_pins);
	tcase_add_test(tc, test_banked_bit_registers);
	tcase_add_test(tc, test_priority_targets_config);
	tcase_add_test(tc, test_spis);
	tcase_add_test(tc, test_sgir);
	tcase_add_test(tc, test_other_registers);
	tcase_add_test(tc, test_reset_list);
	tcase_add_test(tc, test_reset_list_on_the_model);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(gicd_suite());
}
