// SPDX-License-Identifier: GPL-2.0
/*
 * x2APIC register rules and ICR decoding (Intel SDM vol. 3, chapter 11:
 * x2APIC register address space, ICR format). Freestanding.
 */
#include "x2apic.h"

#define RD 1
#define WR 2
/* An LVT entry with a delivery mode (bits 10:8; the timer and error
 * entries have none): unmasked, fixed only (no SMI, NMI, INIT, ExtINT). */
#define DM 4
static const uint8_t reg_access[0x40] = {
	[X2APIC_ID... X2APIC_VER] = RD,
	[X2APIC_TPR] = RD | WR,
	[X2APIC_PPR] = RD,
	[X2APIC_EOI] = WR,
	[X2APIC_LDR] = RD,
	[X2APIC_SIVR] = RD | WR,
	[X2APIC_ISR... X2APIC_IRR + 7] = RD, /* ISR, TMR, IRR */
	[X2APIC_ESR] = RD | WR,
	[X2APIC_LVT_CMCI] = RD | WR | DM,
	[X2APIC_ICR] = RD | WR,
	[X2APIC_LVT_TIMER] = RD | WR,
	/* thermal, performance counters, LINT0, LINT1 */
	[X2APIC_LVT_TIMER + 1 ... X2APIC_LVT_ERROR - 1] = RD | WR | DM,
	[X2APIC_LVT_ERROR... X2APIC_TMICT] = RD | WR, /* initial count */
	[X2APIC_TMCCT] = RD,
	[X2APIC_TDCR] = RD | WR,
	[X2APIC_SELF_IPI] = WR,
};

bool x2apic_msr_valid(uint32_t msr, bool write, uint64_t val)
{
	/* Below MSR_X2APIC_FIRST, reg wraps past the table. */
	unsigned int reg = msr - MSR_X2APIC_FIRST;

	return msr == MSR_APIC_BASE ||
	       (reg < sizeof(reg_access) &&
		reg_access[reg] & (write ? WR : RD) &&
		(!write || ((reg == X2APIC_ICR || !(val >> 32)) &&
			    (reg != X2APIC_EOI || !val) &&
			    !(reg_access[reg] & DM && !(val & (1U << 16)) &&
			      (val >> 8 & 7)))));
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
