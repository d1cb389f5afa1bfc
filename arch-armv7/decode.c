/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of ARM-state load/store instructions for MMIO data aborts that
 * come without a syndrome (HSR.ISV 0): write-back forms (pre-index with !,
 * post-index, LDRT/STRT) and LDRD/STRD. Encodings: ARM ARM A5.3 (load/store
 * word and unsigned byte) and A5.2.8 (extra load/store instructions).
 * LDM/STM, exclusives and Thumb are not decoded.
 */
#include "decode.h"

#define BIT(n) (1u << (n))

static uint32_t shifted(uint32_t v, unsigned int type, unsigned int imm,
			bool *ok)
{
	switch (type) {
	case 0: /* LSL */
		return v << imm;
	case 1: /* LSR, 0 = 32 */
		return imm ? v >> imm : 0;
	case 2: /* ASR, 0 = 32 */
		return (uint32_t)((int32_t)v >> (imm ? imm : 31));
	default: /* ROR; RRX (imm 0) needs the carry flag: refused */
		if (!imm) {
			*ok = false;
			return 0;
		}
		return v >> imm | v << (32 - imm);
	}
}

bool arm_decode_mmio(uint32_t insn, const uint32_t *regs,
		     struct arm_mmio_insn *d)
{
	bool pre = insn & BIT(24), up = insn & BIT(23), wback;
	uint32_t offset, base;
	bool ok = true;

	d->rn = (insn >> 16) & 0xf;
	d->rt = (insn >> 12) & 0xf;
	d->load = insn & BIT(20);
	d->sext = false;
	d->pair = false;
	if (insn >> 28 == 0xf)
		return false; /* unconditional space: PLD and friends */

	if (((insn >> 26) & 3) == 1) {
		/* LDR/STR/LDRB/STRB (and the T forms: P 0, W 1) */
		if (insn & BIT(25)) {
			if (insn & BIT(4))
				return false; /* media instructions */
			if ((insn & 0xf) == 15)
				return false;
			offset = shifted(regs[insn & 0xf], (insn >> 5) & 3,
					 (insn >> 7) & 0x1f, &ok);
		} else {
			offset = insn & 0xfff;
		}
		d->size = insn & BIT(22) ? 1 : 4;
	} else if (((insn >> 25) & 7) == 0 && (insn & 0x90) == 0x90 &&
		   (insn & 0x60)) {
		/* LDRH/STRH/LDRSB/LDRSH/LDRD/STRD */
		unsigned int op2 = (insn >> 5) & 3;

		if (insn & BIT(22)) {
			offset = ((insn >> 4) & 0xf0) | (insn & 0xf);
		} else {
			if ((insn & 0xf) == 15 || (insn & 0xf00))
				return false;
			offset = regs[insn & 0xf];
		}
		if (d->load) {
			d->size = op2 == 2 ? 1 : 2;
			d->sext = op2 != 1;
		} else if (op2 == 1) {
			d->size = 2; /* STRH */
		} else {
			/* LDRD (op2 2) and STRD (op2 3): L is 0 */
			d->load = op2 == 2;
			d->size = 4;
			d->pair = true;
			if (d->rt & 1 || d->rt == 14)
				return false;
		}
	} else {
		return false;
	}
	if (!ok || d->rt == 15)
		return false;

	if (d->rn == 15)
		return false; /* literal loads are RAM, never MMIO here */
	wback = !pre || (insn & BIT(21));
	base = regs[d->rn];
	d->wb_value = up ? base + offset : base - offset;
	d->address = pre ? d->wb_value : base;
	d->writeback = wback;
	/* Unpredictable: loading into the register written back. */
	if (wback && d->load &&
	    (d->rn == d->rt || (d->pair && d->rn == d->rt + 1)))
		return false;
	return true;
}
