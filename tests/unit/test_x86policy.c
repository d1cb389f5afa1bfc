// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 policy modules without a CPU: CPUID leaves (arch-x86/cpuid.c)
 * and the x2APIC rules (arch-x86/x2apic.c). The MSR policy, which needs
 * the core, runs in test_exec_x86 and the traces.
 */
#include <check.h>

#include "../../arch-x86/cpuid.h"
#include "../../arch-x86/x2apic.h"
#include "support_run.h"

START_TEST(test_cpuid_leaves)
{
	struct x86_cpuid r = { 0x000306a9, 0x01100800, 0x7fbae3ff | 1U << 5,
			       0xbfebfbff };

	x86_cpuid(1, 5, &r);
	ck_assert_uint_eq(r.eax, 0x000306a9);
	ck_assert_uint_eq(r.ebx, 0x05100800);
	ck_assert_uint_eq(r.ecx,
			  (0x7fbae3ffU | 1U << 21 | 1U << 31) & ~(1U << 5));
	ck_assert_uint_eq(r.edx, 0xbfebfbff);

	r = (struct x86_cpuid){ 1, 2, 0xffffffff, 4 };
	x86_cpuid(0x80000001, 5, &r);
	ck_assert_uint_eq(r.ecx, 0xfffffffb); /* SVM hidden */
	ck_assert_uint_eq(r.eax, 1);

	r = (struct x86_cpuid){ 1, 2, 3, 4 };
	x86_cpuid(0xb, 7, &r);
	ck_assert_uint_eq(r.edx, 7);
	ck_assert_uint_eq(r.ecx, 3);

	r = (struct x86_cpuid){ 0x4000000b, 0x4b4d564b, 0x564b4d56, 0x4d };
	x86_cpuid(0x40000000, 0, &r); /* "KVMKVMKVM" replaced */
	ck_assert_uint_eq(r.eax, 0x40000001);
	ck_assert_mem_eq(&r.ebx, "Jailhouse\0\0\0", 4);
	ck_assert_mem_eq(&r.ecx, "Jailhouse\0\0\0" + 4, 4);
	ck_assert_mem_eq(&r.edx, "Jailhouse\0\0\0" + 8, 4);

	r = (struct x86_cpuid){ 1, 2, 3, 4 };
	x86_cpuid(0x40000001, 0, &r);
	ck_assert(!r.eax && !r.ebx && !r.ecx && !r.edx);
	r = (struct x86_cpuid){ 1, 2, 3, 4 };
	x86_cpuid(0x40000100, 0, &r); /* no second hypervisor */
	ck_assert(!r.eax && !r.ebx && !r.ecx && !r.edx);
	r = (struct x86_cpuid){ 1, 2, 3, 4 };
	x86_cpuid(0x7, 0, &r);
	ck_assert(r.eax == 1 && r.ebx == 2 && r.ecx == 3 && r.edx == 4);
}
END_TEST

START_TEST(test_x2apic_rules)
{
	ck_assert(x2apic_msr_valid(MSR_APIC_BASE, true, 0));
	ck_assert(x2apic_msr_valid(0x802, false, 0));  /* ID */
	ck_assert(!x2apic_msr_valid(0x802, true, 0));  /* read-only */
	ck_assert(!x2apic_msr_valid(0x80b, false, 0)); /* EOI write-only */
	ck_assert(x2apic_msr_valid(0x80b, true, 0));
	ck_assert(!x2apic_msr_valid(0x80b, true, 1));  /* EOI takes 0 */
	ck_assert(!x2apic_msr_valid(0x801, false, 0)); /* reserved */
	ck_assert(x2apic_msr_valid(0x830, true, 3ULL << 32 | 0x4500));
	ck_assert(!x2apic_msr_valid(0x808, true, 1ULL << 32)); /* TPR 63:32 */
	ck_assert(!x2apic_msr_valid(0x1a0, false, 0));
	ck_assert(!x2apic_msr_valid(0x840, false, 0));
	ck_assert_int_eq(x2apic_decode_icr(2ULL << 32 | 0x4500).kind, IPI_INIT);
	ck_assert(x2apic_decode_icr(0x40 | 1 << 11).logical);
}
END_TEST

static Suite *x86policy_suite(void)
{
	Suite *s = suite_create("x86policy");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_cpuid_leaves);
	tcase_add_test(tc, test_x2apic_rules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(x86policy_suite());
}
