// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID leaves for cells. The signature is Jailhouse's, so that Linux's
 * Jailhouse guest support (x86 hypervisor detection) finds warden.
 * Freestanding.
 */
#include "cpuid.h"

#define LEAF1_ECX_VMX (1U << 5)
#define LEAF1_ECX_X2APIC (1U << 21)
#define LEAF1_ECX_HYPERVISOR (1U << 31)
#define EXT1_ECX_SVM (1U << 2)

/* "Jailhouse\0\0\0" as EBX, ECX, EDX (little-endian ASCII). */
#define SIG_EBX 0x6c69614aU /* "Jail" */
#define SIG_ECX 0x73756f68U /* "hous" */
#define SIG_EDX 0x00000065U /* "e\0\0\0" */

void x86_cpuid(uint32_t leaf, uint32_t apic_id, struct x86_cpuid *r)
{
	switch (leaf) {
	case 1:
		r->ebx = (r->ebx & 0x00ffffffU) | (apic_id & 0xff) << 24;
		r->ecx |= LEAF1_ECX_X2APIC | LEAF1_ECX_HYPERVISOR;
		r->ecx &= ~LEAF1_ECX_VMX;
		return;
	case 0xb:
		r->edx = apic_id;
		return;
	case 0x80000001:
		r->ecx &= ~EXT1_ECX_SVM;
		return;
	case X86_CPUID_SIGNATURE:
		*r = (struct x86_cpuid){ X86_CPUID_FEATURES, SIG_EBX, SIG_ECX,
					 SIG_EDX };
		return;
	}
	if (leaf > X86_CPUID_SIGNATURE && leaf <= 0x4fffffffU)
		*r = (struct x86_cpuid){ 0, 0, 0, 0 };
}
