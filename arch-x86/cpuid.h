/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPUID leaves warden's x86 backends give a cell (cpuid.c). VT-x and
 * AMD-V intercept CPUID; the backend executes it on the CPU and passes the
 * answer through x86_cpuid(). The simulator does the same with Unicorn's
 * answer.
 */
#ifndef WARDEN_X86_CPUID_H
#define WARDEN_X86_CPUID_H

#include <stdint.h>

#define X86_CPUID_SIGNATURE 0x40000000 /* "Jailhouse\0\0\0" */
#define X86_CPUID_FEATURES 0x40000001  /* none: all zero */

struct x86_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

/*
 * The cell's answer to CPUID leaf @leaf (for any subleaf: no change below
 * depends on it) on the CPU with x2APIC id @apic_id, from the CPU's own
 * answer @r (changed in place):
 * - leaf 1: APIC id in EBX[31:24], ECX bit 21 (x2APIC) and bit 31
 *   (hypervisor present) set, bit 5 (VMX) clear;
 * - leaf 0xb: EDX = x2APIC id;
 * - 0x80000001: ECX bit 2 (SVM) clear;
 * - 0x40000000: EAX = 0x40000001 (the highest hypervisor leaf),
 *   EBX ECX EDX = "Jailhouse\0\0\0" (as Linux's Jailhouse guest support
 *   looks for it, hypervisor_cpuid_base()); 0x40000001: all zero (no
 *   features); the rest of 0x40000000-0x4fffffff: all zero.
 * Other leaves pass unchanged.
 */
void x86_cpuid(uint32_t leaf, uint32_t apic_id, struct x86_cpuid *r);

#endif /* !WARDEN_X86_CPUID_H */
