/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x2APIC rules of warden's x86 backends (x2apic.c): which x2APIC MSRs a
 * cell may read or write, and what an ICR write asks for. Plain C: the
 * simulator's x2APIC model (sim/lapic.c) and the MSR policy (msr.c) use
 * them, as the VT-x and AMD-V backends will.
 */
#ifndef WARDEN_X86_X2APIC_H
#define WARDEN_X86_X2APIC_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_TSC 0x10
#define MSR_APIC_BASE 0x1b
#define MSR_X2APIC_FIRST 0x800
#define MSR_X2APIC_LAST 0x8ff
#define MSR_X2APIC_ICR 0x830
#define MSR_TSC_AUX 0xc0000103

/* x2APIC register numbers: MSR - 0x800 (the xAPIC offset / 16). */
enum {
	X2APIC_ID = 0x02,
	X2APIC_VER = 0x03,
	X2APIC_TPR = 0x08,
	X2APIC_PPR = 0x0a,
	X2APIC_EOI = 0x0b,
	X2APIC_LDR = 0x0d,
	X2APIC_SIVR = 0x0f,
	X2APIC_ISR = 0x10,
	X2APIC_TMR = 0x18,
	X2APIC_IRR = 0x20,
	X2APIC_ESR = 0x28,
	X2APIC_LVT_CMCI = 0x2f,
	X2APIC_ICR = 0x30,
	XAPIC_ICR_HI = 0x31, /* xAPIC only: ICR 63:32 (x2APIC: one MSR) */
	X2APIC_LVT_TIMER = 0x32,
	X2APIC_LVT_ERROR = 0x37,
	X2APIC_TMICT = 0x38,
	X2APIC_TMCCT = 0x39,
	X2APIC_TDCR = 0x3e,
	X2APIC_SELF_IPI = 0x3f,
};

/*
 * May an APIC MSR be read (written with @val)? The static rules: reserved
 * registers, read-only and write-only ones, reserved bits (63:32 but in
 * the ICR; EOI takes only 0), unmasked LVT entries (CMCI, thermal, PMC,
 * LINT0/1) with a delivery mode other than fixed (an SMI, NMI, INIT or
 * ExtINT the cell's own APIC would raise: Jailhouse refuses them too).
 * True for MSR_APIC_BASE, false for MSRs outside it and the x2APIC range.
 */
bool x2apic_msr_valid(uint32_t msr, bool write, uint64_t val);

/* What an ICR write asks for. */
enum ipi_kind {
	IPI_FIXED, /* fixed or lowest priority */
	IPI_INIT,
	IPI_SIPI,
	IPI_NMI,
	IPI_BAD /* SMI, reserved modes */
};
struct ipi {
	enum ipi_kind kind;
	uint32_t dest;	/* x2APIC id (= CPU id); logical: xAPIC flat mask */
	uint8_t vector; /* fixed: vector; SIPI: start page */
	bool self;	/* destination shorthand "self" */
	bool broadcast; /* "all" or "all but self" */
	bool but_self;	/* "all but self" */
	bool logical;	/* logical destination mode (bit 11) */
};
struct ipi x2apic_decode_icr(uint64_t icr);

#endif /* !WARDEN_X86_X2APIC_H */
