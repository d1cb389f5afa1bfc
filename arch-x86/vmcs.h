/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMCS (Intel SDM vol. 3, appendix B): the field encodings warden
 * uses, the controls and exit reasons, and the accessor interface every
 * VT-x file reaches the VMCS through: vmcs_read()/vmcs_write() of the
 * current VMCS. On hardware they are VMREAD/VMWRITE (vmx.c); the host
 * tests (tests/unit/test_vmxexit.c) implement them on a fake VMCS in host
 * memory and drive vmx_exit.c with recorded exits.
 */
#ifndef WARDEN_X86_VMCS_H
#define WARDEN_X86_VMCS_H

#include <stdint.h>

/* 16-bit fields */
#define VMCS_VPID 0x0000
#define VMCS_HOST_ES_SEL 0x0c00 /* ES CS SS DS FS GS TR, step 2 */

/* 64-bit fields */
#define VMCS_IO_BITMAP_A 0x2000
#define VMCS_IO_BITMAP_B 0x2002
#define VMCS_MSR_BITMAP 0x2004
#define VMCS_TSC_OFFSET 0x2010
#define VMCS_EPT_POINTER 0x201a
#define VMCS_XSS_EXIT_BITMAP 0x202c
#define VMCS_GUEST_PHYS_ADDR 0x2400
#define VMCS_LINK_POINTER 0x2800
#define VMCS_GUEST_DEBUGCTL 0x2802
#define VMCS_GUEST_PAT 0x2804
#define VMCS_GUEST_EFER 0x2806
#define VMCS_HOST_PAT 0x2c00
#define VMCS_HOST_EFER 0x2c02

/* 32-bit fields */
#define VMCS_PIN_CTLS 0x4000
#define VMCS_PROC_CTLS 0x4002
#define VMCS_EXC_BITMAP 0x4004
#define VMCS_CR3_TARGET_COUNT 0x400a
#define VMCS_EXIT_CTLS 0x400c
#define VMCS_EXIT_MSR_STORE_COUNT 0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010
#define VMCS_ENTRY_CTLS 0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014
#define VMCS_ENTRY_INTR_INFO 0x4016
#define VMCS_ENTRY_EXC_ERROR 0x4018
#define VMCS_PROC_CTLS2 0x401e
#define VMCS_INSN_ERROR 0x4400
#define VMCS_EXIT_REASON 0x4402
#define VMCS_EXIT_INTR_INFO 0x4404
#define VMCS_IDT_VECTORING_INFO 0x4408
#define VMCS_IDT_VECTORING_ERROR 0x440a
#define VMCS_EXIT_INSN_LEN 0x440c
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824
#define VMCS_GUEST_ACTIVITY 0x4826
#define VMCS_GUEST_SYSENTER_CS 0x482a
#define VMCS_HOST_SYSENTER_CS 0x4c00

/* Natural-width fields */
#define VMCS_CR0_MASK 0x6000
#define VMCS_CR4_MASK 0x6002
#define VMCS_CR0_SHADOW 0x6004
#define VMCS_CR4_SHADOW 0x6006
#define VMCS_EXIT_QUAL 0x6400
#define VMCS_GUEST_CR0 0x6800
#define VMCS_GUEST_CR3 0x6802
#define VMCS_GUEST_CR4 0x6804
#define VMCS_GUEST_DR7 0x681a
#define VMCS_GUEST_RSP 0x681c
#define VMCS_GUEST_RIP 0x681e
#define VMCS_GUEST_RFLAGS 0x6820
#define VMCS_GUEST_PENDING_DBG 0x6822
#define VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMCS_HOST_CR0 0x6c00
#define VMCS_HOST_CR3 0x6c02
#define VMCS_HOST_CR4 0x6c04
#define VMCS_HOST_FS_BASE 0x6c06
#define VMCS_HOST_GS_BASE 0x6c08
#define VMCS_HOST_TR_BASE 0x6c0a
#define VMCS_HOST_GDTR_BASE 0x6c0c
#define VMCS_HOST_IDTR_BASE 0x6c0e
#define VMCS_HOST_SYSENTER_ESP 0x6c10
#define VMCS_HOST_SYSENTER_EIP 0x6c12
#define VMCS_HOST_RIP 0x6c16

/* The guest segment registers, in the order of their field encodings:
 * the selector (16-bit, ES..TR), limit (32-bit, ES..IDTR), access rights
 * (32-bit, ES..TR) and base (natural width, ES..IDTR) of each, in steps of
 * 2 from ES's. */
enum vmcs_seg {
	VSEG_ES,
	VSEG_CS,
	VSEG_SS,
	VSEG_DS,
	VSEG_FS,
	VSEG_GS,
	VSEG_LDTR,
	VSEG_TR,
	VSEG_GDTR,
	VSEG_IDTR
};
#define VMCS_SEG_SEL(s) (0x0800 + 2 * (s))
#define VMCS_SEG_LIMIT(s) (0x4800 + 2 * (s))
#define VMCS_SEG_AR(s) (0x4814 + 2 * (s))
#define VMCS_SEG_BASE(s) (0x6806 + 2 * (s))
/* Access rights: the descriptor's type..P byte, flags (AVL L D G) at
 * 15:12. */
#define AR_L (1U << 13)
#define AR_DB (1U << 14)

/* Pin-based controls */
#define PIN_NMI (1U << 3)
/* Primary processor-based controls */
#define PROC_IO_BITMAPS (1U << 25)
#define PROC_MSR_BITMAPS (1U << 28)
#define PROC_SECONDARY (1U << 31)
/* Secondary processor-based controls */
#define PROC2_EPT (1U << 1)
#define PROC2_RDTSCP (1U << 3)
#define PROC2_VPID (1U << 5)
#define PROC2_UNRESTRICTED (1U << 7)
#define PROC2_INVPCID (1U << 12)
#define PROC2_XSAVES (1U << 20)
/* VM-exit controls */
#define EXIT_HOST_64 (1U << 9)
#define EXIT_SAVE_PAT (1U << 18)
#define EXIT_LOAD_PAT (1U << 19)
#define EXIT_SAVE_EFER (1U << 20)
#define EXIT_LOAD_EFER (1U << 21)
/* VM-entry controls */
#define ENTRY_IA32E (1U << 9)
#define ENTRY_LOAD_PAT (1U << 14)
#define ENTRY_LOAD_EFER (1U << 15)

/* Basic exit reasons */
#define VMX_EXIT_EXC_NMI 0
#define VMX_EXIT_TRIPLE_FAULT 2
#define VMX_EXIT_INIT 3
#define VMX_EXIT_SIPI 4
#define VMX_EXIT_CPUID 10
#define VMX_EXIT_INVD 13
#define VMX_EXIT_VMCALL 18
#define VMX_EXIT_CR 28
#define VMX_EXIT_IO 30
#define VMX_EXIT_RDMSR 31
#define VMX_EXIT_WRMSR 32
#define VMX_EXIT_INVALID_STATE 33
#define VMX_EXIT_XSETBV 55
/* The exits of the instructions a cell gets #UD for (bit = basic reason):
 * GETSEC (11), the VMX instructions VMCLEAR-VMXON (19-27), INVEPT (50),
 * INVVPID (53), VMFUNC (59). */
#define VMX_EXITS_UD \
	(1ULL << 11 | 0x1ffULL << 19 | 1ULL << 50 | 1ULL << 53 | 1ULL << 59)
#define VMX_EXIT_ENTRY_FAILED (1U << 31)

/* The current VMCS's field @field (VMREAD), and VMWRITE. */
uint64_t vmcs_read(uint32_t field);
void vmcs_write(uint32_t field, uint64_t val);

#endif /* !WARDEN_X86_VMCS_H */
