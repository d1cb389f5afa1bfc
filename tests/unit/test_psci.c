// SPDX-License-Identifier: GPL-2.0
/*
 * The PSCI policy (arch-armv7/psci.c), which the ARMv7 backend and the
 * simulator both carry out. Expected answers are the PSCI 1.0 facts
 * (ARM DEN0022D: function ids 5.1, return codes 5.2.2, target MPIDR 5.1.4)
 * and the choices docs/arm.md states, written out per call below.
 */
#include <check.h>
#include <stdint.h>

#include "arch-armv7/psci.h"
#include "support_cfg.h"
#include "support_run.h"

#define CPUS_0_3 0xfu

static struct psci_decision decide(uint32_t fn, uint32_t a1, uint32_t a2,
				   uint32_t a3)
{
	struct psci_decision d;

	psci_decide(fn, a1, a2, a3, CPUS_0_3, &d);
	return d;
}

static void ck_answer(uint32_t fn, uint32_t a1, uint32_t a2, int32_t want)
{
	struct psci_decision d = decide(fn, a1, a2, 0);

	ck_assert_msg(d.action == PSCI_ACT_ANSWER,
		      "fn 0x%08x (0x%x, 0x%x): action %d, want an answer",
		      (unsigned int)fn, (unsigned int)a1, (unsigned int)a2,
		      (int)d.action);
	ck_assert_msg(d.answer == want,
		      "fn 0x%08x (0x%x, 0x%x): answer %d, want %d",
		      (unsigned int)fn, (unsigned int)a1, (unsigned int)a2,
		      (int)d.answer, (int)want);
}

START_TEST(test_answered_calls)
{
	ck_answer(0x84000000, 0, 0, 0x10000); /* VERSION: 1.0 */
	ck_answer(0x84000001, 0, 0, 0);	      /* CPU_SUSPEND: returns at once */
	ck_answer(0x84000001, 1u << 16, 0x40000000, 0); /* powerdown state */
	ck_answer(0x84000006, 0, 0, 2);	 /* MIGRATE_INFO_TYPE: no TOS */
	ck_answer(0x84000005, 1, 0, -1); /* MIGRATE */
	ck_answer(0x84000007, 0, 0, -1); /* MIGRATE_INFO_UP_CPU */
	ck_answer(0x8400000e, 0, 0, -1); /* SYSTEM_SUSPEND (optional) */
	ck_answer(0x80000000, 0, 0, -1); /* SMCCC_VERSION: not PSCI */
	ck_answer(0xc4000003, 1, 0x40000000, -1); /* CPU_ON SMC64 */
	ck_answer(0xc4000004, 1, 0, -1);	  /* AFFINITY_INFO SMC64 */
	ck_answer(0x12345678, 0, 0, -1);
}
END_TEST

START_TEST(test_features)
{
	static const uint32_t mandatory[] = {
		0x84000000, 0x84000001, 0x84000002, 0x84000003, 0x84000004,
		0x84000006, 0x84000008, 0x84000009, 0x8400000a
	};
	static const uint32_t absent[] = { 0x84000005, 0x84000007, 0x8400000b,
					   0x8400000c, 0x8400000e, 0x84000012,
					   0xc4000001, 0xc4000003, 0xc4000004,
					   0x80000000, 0 };
	unsigned int i;

	for (i = 0; i < sizeof(mandatory) / sizeof(mandatory[0]); i++)
		ck_answer(PSCI_FEATURES, mandatory[i], 0, 0);
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		ck_answer(PSCI_FEATURES, absent[i], 0, -1);
}
END_TEST

START_TEST(test_cpu_on)
{
	struct psci_decision d = decide(PSCI_CPU_ON, 2, 0x40001234, 0x5a);

	ck_assert_int_eq(d.action, PSCI_ACT_CPU_ON);
	ck_assert_uint_eq(d.cpu, 2);
	ck_assert_uint_eq(d.entry, 0x40001234);
	ck_assert_uint_eq(d.context, 0x5a);
	/* No such CPU, affinity levels 1-2 or bits above them set. */
	ck_answer(PSCI_CPU_ON, 4, 0x40000000, -2);
	ck_answer(PSCI_CPU_ON, 0xff, 0x40000000, -2);
	ck_answer(PSCI_CPU_ON, 0x100, 0x40000000, -2);
	ck_answer(PSCI_CPU_ON, 0x10000, 0x40000000, -2);
	ck_answer(PSCI_CPU_ON, 0x80000001, 0x40000000, -2);
	/* A CPU missing from the machine's set (1 of 0, 2, 3). */
	psci_decide(PSCI_CPU_ON, 1, 0, 0, 0xd, &d);
	ck_assert_int_eq(d.action, PSCI_ACT_ANSWER);
	ck_assert_int_eq(d.answer, PSCI_INVALID_PARAMETERS);
	ck_assert_int_eq(psci_cpu_on_answer(false, true), 0);
	ck_assert_int_eq(psci_cpu_on_answer(true, true), -4); /* ALREADY_ON */
	/* A CPU not the caller's (the root asked for a cell's): DENIED. */
	ck_assert_int_eq(psci_cpu_on_answer(false, false), -3);
	ck_assert_int_eq(psci_cpu_on_answer(true, false), -3);
}
END_TEST

START_TEST(test_affinity_info)
{
	struct psci_decision d = decide(PSCI_AFFINITY_INFO, 3, 0, 0);

	ck_assert_int_eq(d.action, PSCI_ACT_AFFINITY);
	ck_assert_uint_eq(d.cpu, 3);
	ck_answer(PSCI_AFFINITY_INFO, 3, 1, -2); /* level 1: not offered */
	ck_answer(PSCI_AFFINITY_INFO, 7, 0, -2);
	ck_assert_int_eq(psci_affinity_answer(true, true), 0);	/* ON */
	ck_assert_int_eq(psci_affinity_answer(true, false), 1); /* OFF */
	/* Another cell's CPU: not the caller's to know about. */
	ck_assert_int_eq(psci_affinity_answer(false, true), -2);
	ck_assert_int_eq(psci_affinity_answer(false, false), -2);
}
END_TEST

START_TEST(test_core_calls)
{
	struct psci_decision d = decide(PSCI_CPU_OFF, 0, 0, 0);

	ck_assert_int_eq(d.action, PSCI_ACT_CPU_OFF);
	d = decide(PSCI_SYSTEM_OFF, 0, 0, 0);
	ck_assert_int_eq(d.action, PSCI_ACT_MACHINE);
	ck_assert(d.off);
	d = decide(PSCI_SYSTEM_RESET, 0, 0, 0);
	ck_assert_int_eq(d.action, PSCI_ACT_MACHINE);
	ck_assert(!d.off);
}
END_TEST

/* The machine's CPUs come from the root cell's CPU set. */
START_TEST(test_machine_cpus)
{
	static uint8_t buf[65536];
	struct cfg c;

	cfg_system(&c);
	cfg_build(&c, buf, sizeof(buf));
	ck_assert_uint_eq(psci_machine_cpus((const struct wd_system *)buf),
			  (1u << T_CPUS) - 1);
	c.cpus = 0x5;
	cfg_build(&c, buf, sizeof(buf));
	ck_assert_uint_eq(psci_machine_cpus((const struct wd_system *)buf),
			  0x5);
}
END_TEST

static Suite *psci_suite(void)
{
	Suite *s = suite_create("psci");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_answered_calls);
	tcase_add_test(tc, test_features);
	tcase_add_test(tc, test_cpu_on);
	tcase_add_test(tc, test_affinity_info);
	tcase_add_test(tc, test_core_calls);
	tcase_add_test(tc, test_machine_cpus);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(psci_suite());
}
