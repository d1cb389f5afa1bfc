// SPDX-License-Identifier: GPL-2.0
/*
 * The ARMv7 handover policy (arch-armv7/handover.h) as data: which
 * coprocessor accesses are trapped as absent hardware, and the reset list
 * itself (no entry twice, no trapped register in it, the registers issue
 * 10 found leaking all in it). The behaviour is tested end to end by the
 * handover scenarios (test_exec) and QEMU runs.
 */
#include <check.h>
#include <string.h>

#include "arch-armv7/handover.h"
#include "support_run.h"

struct entry {
	const char *name;
	unsigned int opc1, crn, crm, opc2;
	int is64;
	uint64_t value;
};

#define E32(n, op1, crn, crm, op2, v) { #n, op1, crn, crm, op2, 0, v },
#define E64(n, op1, crm, v) { #n, op1, 0, crm, 0, 1, v },

static const struct entry list[] = { ARM_HANDOVER_CP15(E32, E64)
					     ARM_HANDOVER_TIMER(E32, E64) };
#define N (sizeof(list) / sizeof(list[0]))

static const struct entry *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < N; i++)
		if (!strcmp(list[i].name, name))
			return &list[i];
	return NULL;
}

/* Debug (CP14 opc1 0) and PMU (CP15 c9, c12-c14) are trapped; others not. */
START_TEST(test_trapped)
{
	/* DBGBVR0, DBGWCR0, DBGDSCRext, DBGOSLAR (c1 c0 4), DBGDRAR (64) */
	ck_assert(arm_handover_trapped(14, 0, 0, 0, 4, 0));
	ck_assert(arm_handover_trapped(14, 0, 0, 0, 7, 0));
	ck_assert(arm_handover_trapped(14, 0, 0, 2, 2, 0));
	ck_assert(arm_handover_trapped(14, 0, 1, 0, 4, 0));
	ck_assert(arm_handover_trapped(14, 0, 0, 1, 0, 1));
	/* PMCR, PMCNTENSET, PMCCNTR, PMUSERENR, PMINTENCLR */
	ck_assert(arm_handover_trapped(15, 0, 9, 12, 0, 0));
	ck_assert(arm_handover_trapped(15, 0, 9, 12, 1, 0));
	ck_assert(arm_handover_trapped(15, 0, 9, 13, 0, 0));
	ck_assert(arm_handover_trapped(15, 0, 9, 14, 0, 0));
	ck_assert(arm_handover_trapped(15, 0, 9, 14, 2, 0));
	/* Not: ThumbEE/Jazelle, cache maintenance (c7), L2CTLR (1 c9 c0 2),
	 * TLB lockdown (c10 c0), 64-bit CP15, the timer. */
	ck_assert(!arm_handover_trapped(14, 6, 0, 0, 0, 0));
	ck_assert(!arm_handover_trapped(14, 7, 1, 0, 0, 0));
	ck_assert(!arm_handover_trapped(15, 0, 7, 5, 0, 0));
	ck_assert(!arm_handover_trapped(15, 1, 9, 0, 2, 0));
	ck_assert(!arm_handover_trapped(15, 0, 9, 0, 0, 0));
	ck_assert(!arm_handover_trapped(15, 0, 0, 9, 0, 1));
	ck_assert(!arm_handover_trapped(15, 0, 14, 3, 1, 0));
	/* HDCR: TDRA, TDOSA, TDA, TPM, TPMCR; HPMN (4:0) untouched. */
	ck_assert_uint_eq(ARM_HANDOVER_HDCR, 0xe60u);
}
END_TEST

START_TEST(test_list)
{
	static const char *const leaked[] = {
		"TPIDRURW", "TPIDRURO", "CONTEXTIDR", "TTBR0",	"DACR",
		"DFAR",	    "CPACR",	"PAR",	      "CNTKCTL"
	};
	unsigned int i, j;

	for (i = 0; i < N; i++) {
		/* Reset, not trapped: never both. */
		ck_assert_msg(!arm_handover_trapped(15, list[i].opc1,
						    list[i].crn, list[i].crm,
						    list[i].opc2, list[i].is64),
			      "%s", list[i].name);
		for (j = i + 1; j < N; j++)
			ck_assert_msg(list[i].is64 != list[j].is64 ||
					      list[i].opc1 != list[j].opc1 ||
					      list[i].crn != list[j].crn ||
					      list[i].crm != list[j].crm ||
					      list[i].opc2 != list[j].opc2,
				      "%s and %s", list[i].name, list[j].name);
	}
	for (i = 0; i < sizeof(leaked) / sizeof(leaked[0]); i++)
		ck_assert_msg(find(leaked[i]), "%s", leaked[i]);
	/* SCTLR: ARMv7's reset value, MMU/caches/TE/EE/V off. */
	ck_assert_uint_eq(find("SCTLR")->value, 0x00c50078u);
	ck_assert_uint_eq(find("SCTLR")->value &
				  (1u << 30 | 1u << 25 | 1u << 13 | 1u << 0),
			  0);
	ck_assert_uint_eq(find("TTBR0")->is64, 1);
	ck_assert_uint_eq(ARM_HANDOVER_CPSR, 0x1d3u);
	ck_assert_uint_eq(ARM_HANDOVER_FPEXC & (1u << 30), 0);
}
END_TEST

/* Every banked register of the PL0/PL1 modes, once. */
START_TEST(test_banked)
{
#define B(n, mode, reg, v) { #n, mode, reg },
	static const struct {
		const char *name;
		unsigned int mode, reg;
	} b[] = { ARM_HANDOVER_BANKED(B) };
#undef B
	unsigned int i, per_mode[32] = { 0 };

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		per_mode[b[i].mode & 0x1f]++;
	ck_assert_uint_eq(per_mode[0x1f], 1); /* SP_usr */
	ck_assert_uint_eq(per_mode[0x13], 3); /* SP, LR, SPSR */
	ck_assert_uint_eq(per_mode[0x17], 3);
	ck_assert_uint_eq(per_mode[0x1b], 3);
	ck_assert_uint_eq(per_mode[0x12], 3);
	ck_assert_uint_eq(per_mode[0x11], 8); /* r8-r12, SP, LR, SPSR */
}
END_TEST

static Suite *handover_suite(void)
{
	Suite *s = suite_create("handover");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_trapped);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_banked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(handover_suite());
}
