// SPDX-License-Identifier: GPL-2.0
/*
 * x2APIC register rules and ICR decoding (Intel SDM vol. 3, chapter 11:
 * x2APIC register address space, ICR format). Freestanding.
 */
#include "x2apic.h"

#define RD 1
#define WR 2
static const uint8_t reg_access[0x40] = {
	[X2APIC_ID... X2APIC_VER] = RD,
	[X2APIC_TPR] = RD | WR,
	[X2APIC_PPR] = RD,
	[X2APIC_EOI] = WR,
	[X2APIC_LDR] = RD,
	[X2APIC_SIVR] = RD | WR,
	[X2APIC_ISR... X2APIC_IRR + 7] = RD, /* ISR, TMR, IRR */
	[X2APIC_ESR] = RD | WR,
	[X2APIC_LVT_CMCI] = RD | WR,
	[X2APIC_ICR] = RD | WR,
	[X2APIC_LVT_TIMER... X2APIC_TMICT] = RD | WR, /* LVT, initial count */
	[X2APIC_TMCCT] = RD,
	[X2APIC_TDCR] = RD | WR,
	[X2APIC_SELF_IPI] = WR,
};

/* An unmasked LVT entry with a delivery mode other than fixed (SMI, NMI,
 * INIT, ExtINT; bits 10:8; the timer and error entries have none)? */
static bool lvt_not_fixed(unsigned int reg, uint64_t val)
{
	return (reg == X2APIC_LVT_CMCI ||
		(reg > X2APIC_LVT_TIMER && reg < X2APIC_LVT_ERROR)) &&
	       !(val & (1U << 16)) && (val >> 8 & 7);
}

bool x2apic_msr_valid(uint32_t msr, bool write, uint64_t val)
{
	/* Below MSR_X2APIC_FIRST, reg wraps past the table. */
	unsigned int reg = msr - MSR_X2APIC_FIRST;

	return msr == MSR_APIC_BASE ||
	       (reg < sizeof(reg_access) &&
		reg_access[reg] & (write ? WR : RD) &&
		(!write ||
		 ((reg == X2APIC_ICR || !(val >> 32)) &&
		  (reg != X2APIC_EOI || !val) && !lvt_not_fixed(reg, val))));
}

struct ipi x2apic_decode_icr(uint64_t icr)
{
	static const enum ipi_kind modes[8] = {
		IPI_FIXED, IPI_FIXED, IPI_BAD,	IPI_BAD,
		IPI_NMI,   IPI_INIT,  IPI_SIPI, IPI_BAD,
	};
	unsigned int shorthand = (icr >> 18) & 3;

	return (struct ipi){
		.kind = modes[(icr >> 8) & 7],
		.dest = (uint32_t)(icr >> 32),
		.vector = icr & 0xff,
		.self = shorthand == 1,
		.broadcast = shorthand >= 2,
		.but_self = shorthand == 3,
		.logical = icr >> 11 & 1,
	};
}
