/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMCB (AMD64 APM vol. 2, appendix B): the fields warden uses, as
 * offsets, read and written through the accessors below so that exit
 * handling names fields, not byte offsets.
 */
#ifndef WARDEN_AMD_VMCB_H
#define WARDEN_AMD_VMCB_H

#include <stdint.h>

/* EFER.SVME: SVM on (VMRUN requires it; hidden from the cell). */
#define EFER_SVME (1ULL << 12)

/* Control area */
#define VMCB_INTERCEPT_EXC 0x008
#define VMCB_INTERCEPT_3 0x00c
#define VMCB_INTERCEPT_4 0x010
#define VMCB_IOPM_PA 0x040
#define VMCB_MSRPM_PA 0x048
#define VMCB_ASID 0x058	       /* 32 bits */
#define VMCB_TLB_CONTROL 0x05c /* 8 bits */
#define VMCB_VINTR 0x060
#define VMCB_CR8 VMCB_VINTR /* V_TPR in bits 7:0, the rest 0 */
#define VMCB_EXITCODE 0x070
#define VMCB_EXITINFO1 0x078
#define VMCB_EXITINFO2 0x080
#define VMCB_EXITINTINFO 0x088
#define VMCB_NP_ENABLE 0x090
#define VMCB_EVENTINJ 0x0a8
#define VMCB_NCR3 0x0b0
#define VMCB_CLEAN 0x0c0
#define VMCB_NRIP 0x0c8

/* State save area: segments (selector, attributes, limit, base) */
#define VMCB_ES 0x400
#define VMCB_CS 0x410
#define VMCB_SS 0x420
#define VMCB_DS 0x430
#define VMCB_FS 0x440
#define VMCB_GS 0x450
#define VMCB_GDTR 0x460
#define VMCB_LDTR 0x470
#define VMCB_IDTR 0x480
#define VMCB_TR 0x490
#define VMCB_CPL 0x4cb /* 8 bits */
#define VMCB_EFER 0x4d0
#define VMCB_CR4 0x548
#define VMCB_CR3 0x550
#define VMCB_CR0 0x558
#define VMCB_DR7 0x560
#define VMCB_DR6 0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP 0x578
#define VMCB_RSP 0x5d8
#define VMCB_RAX 0x5f8
#define VMCB_STAR 0x600
#define VMCB_LSTAR 0x608
#define VMCB_CSTAR 0x610
#define VMCB_SFMASK 0x618
#define VMCB_KERNEL_GS_BASE 0x620
#define VMCB_SYSENTER_CS 0x628
#define VMCB_SYSENTER_ESP 0x630
#define VMCB_SYSENTER_EIP 0x638
#define VMCB_CR2 0x640
#define VMCB_G_PAT 0x668

/* Segment field parts */
#define SEG_SEL 0
#define SEG_ATTR 2
#define SEG_LIMIT 4
#define SEG_BASE 8

/* Intercept vector 3 */
#define INT3_NMI (1U << 1)
#define INT3_INIT (1U << 3)
#define INT3_CPUID (1U << 18)
#define INT3_INVD (1U << 22)
#define INT3_INVLPGA (1U << 26)
#define INT3_IOIO (1U << 27)
#define INT3_MSR (1U << 28)
#define INT3_SHUTDOWN (1U << 31)
/* Intercept vector 4: VMRUN VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT */
#define INT4_SVM_INSNS 0x7fU

/* Exit codes */
#define EXIT_EXCP_BASE 0x40
#define EXIT_NMI 0x61
#define EXIT_INIT 0x63
#define EXIT_CPUID 0x72
#define EXIT_INVD 0x76
#define EXIT_INVLPGA 0x7a
#define EXIT_IOIO 0x7b
#define EXIT_MSR 0x7c
#define EXIT_SHUTDOWN 0x7f
#define EXIT_VMRUN 0x80
#define EXIT_VMMCALL 0x81
#define EXIT_VMLOAD 0x82
#define EXIT_SKINIT 0x86
#define EXIT_NPF 0x400
#define EXIT_INVALID 0xffffffffffffffffULL

/*
 * EXITINTINFO and EVENTINJ share a format (APM vol. 2, 15.7.2 and
 * 15.20): vector 7:0, type 10:8, error code valid 11, valid 31, error
 * code 63:32.
 */
#define EVENT_VALID (1ULL << 31)
#define EVENT_ERROR_VALID (1ULL << 11)
#define EVENT_INTR 0 /* types */
#define EVENT_NMI 2
#define EVENT_EXC 3
#define EVENT_SOFT 4

/*
 * What to inject at the next VMRUN after an exit whose EXITINTINFO is
 * @info, so that no event the exit interrupted (its delivery through the
 * cell's IDT had begun) is lost; 0 for nothing. The event itself, with
 * its error code (a #PF's, a #GP's), but:
 * - an NMI is never the cell's (cells get none; the hypervisor's NMIs
 *   exit before delivery): dropped, whatever its type says;
 * - INTn (soft) and #BP/#OF (INT3, INTO) are not injected: RIP still
 *   points at their instruction, which raises them again when it runs;
 * - QEMU's TCG reports an external interrupt it was delivering as an
 *   exception (type 3) with the interrupt's vector: a "exception" with a
 *   vector of 32 or more is injected as the interrupt it was.
 */
static inline uint64_t svm_event_reinject(uint64_t info)
{
	unsigned int vector = info & 0xff, type = info >> 8 & 7;

	if (!(info & EVENT_VALID) || vector == 2 ||
	    (type != EVENT_INTR && type != EVENT_EXC) ||
	    (type == EVENT_EXC && (vector == 3 || vector == 4)))
		return 0;
	return type == EVENT_EXC && vector >= 32 ?
		       EVENT_VALID | EVENT_INTR << 8 | vector :
		       info;
}

/* Fields are little-endian, as x86 is: @size (1, 2, 4 or 8) bytes at @off. */
static inline uint64_t vmcb_read(const void *vmcb, unsigned int off,
				 unsigned int size)
{
	uint64_t v = 0;

	__builtin_memcpy(&v, (const uint8_t *)vmcb + off, size);
	return v;
}

static inline void vmcb_write(void *vmcb, unsigned int off, unsigned int size,
			      uint64_t v)
{
	__builtin_memcpy((uint8_t *)vmcb + off, &v, size);
}

#define vmcb_get(vmcb, f) vmcb_read((vmcb), VMCB_##f, 8)
#define vmcb_set(vmcb, f, v) vmcb_write((vmcb), VMCB_##f, 8, (v))

/* A segment: selector, attributes (APM's packed form), limit, base. */
static inline void vmcb_seg(void *vmcb, unsigned int off, uint16_t sel,
			    uint16_t attr, uint32_t limit, uint64_t base)
{
	vmcb_write(vmcb, off + SEG_SEL, 2, sel);
	vmcb_write(vmcb, off + SEG_ATTR, 2, attr);
	vmcb_write(vmcb, off + SEG_LIMIT, 4, limit);
	vmcb_write(vmcb, off + SEG_BASE, 8, base);
}

#endif /* !WARDEN_AMD_VMCB_H */
