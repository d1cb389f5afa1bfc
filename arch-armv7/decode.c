/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of ARM-state load/store instructions for MMIO data aborts that
 * come without a syndrome (HSR.ISV 0): write-back forms (pre-index with !,
 * post-index, the unprivileged T forms) and LDRD/STRD. Encodings: ARM ARM
 * (DDI 0406C) A5.3 (load/store word and unsigned byte), A5.2.8 and A5.2.9
 * (extra load/store instructions, and their unprivileged forms).
 *
 * The hypervisor emulates only what the architecture defines: an encoding
 * whose decode pseudo-code (A8.8, one entry per instruction) says
 * UNPREDICTABLE is refused, never emulated with some writeback. With
 * n = Rn, t = Rt, t2 = Rt + 1, m = Rm and wback = (P == 0 || W == 1) (the T
 * forms, P 0 and W 1, always write back), these are the conditions:
 *
 * | #  | UNPREDICTABLE if     | in the encodings of                            |
 * |----|----------------------|------------------------------------------------|
 * | 1  | m == 15              | every register-offset form                     |
 * | 2  | wback && n == 15     | every form (immediate ones through the literal |
 * |    |                      | encodings: "if wback then UNPREDICTABLE")      |
 * | 3  | wback && n == t      | every form, loads and stores                   |
 * | 4  | t == 15              | LDRB STRB LDRH STRH LDRSB LDRSH, LDRT LDRBT    |
 * |    |                      | STRBT LDRHT STRHT LDRSBT LDRSHT                |
 * | 5  | t odd                | LDRD STRD                                      |
 * | 6  | t2 == 15 (t == 14)   | LDRD STRD                                      |
 * | 7  | P == 0 && W == 1     | LDRD STRD (they have no unprivileged form)     |
 * | 8  | wback && n == t2     | LDRD STRD                                      |
 * | 9  | m == t || m == t2    | LDRD (register)                                |
 * | 10 | bits 11:8 not 0      | register forms of A5.2.8, A5.2.9 (should be 0) |
 *
 * "ArchVersion() < 6 && wback && m == n" does not concern ARMv7; there m
 * may equal n (the offset is read before the base is written back) and
 * LDR/STR (register) may have m == t.
 *
 * Valid but not emulated (WD_R_insn_not_emulated): t == 15 where allowed
 * (LDR, a branch; STR, STRT: the stored PC value is implementation
 * defined), n == 15 without writeback (literal and PC-relative: RAM, never
 * MMIO here), an RRX offset (needs the carry flag), and everything that is
 * not a single or double load/store (LDM/STM, exclusives, media,
 * coprocessor, the unconditional space). UNPREDICTABLE wins when both
 * apply.
 */
#include "decode.h"

#define BIT(n) (1u << (n))

/* Conditions of the table beyond 1-3, which every encoding has. */
enum {
	RULE_RT_PC = BIT(0),  /* 4 */
	RULE_PAIR = BIT(1),   /* 5-8 */
	RULE_M_PAIR = BIT(2), /* 9 */
	RULE_SBZ = BIT(3),    /* 10 */
};

struct fields {
	unsigned int n, t, m;
	bool reg, wback, unpriv; /* unpriv: P 0, W 1 */
};

static bool unpredictable(uint32_t insn, unsigned int rules,
			  const struct fields *f)
{
	unsigned int t2 = f->t + 1;

	if (f->reg && f->m == 15)
		return true;
	if (f->wback && (f->n == 15 || f->n == f->t))
		return true;
	if ((rules & RULE_RT_PC) && f->t == 15)
		return true;
	if ((rules & RULE_PAIR) &&
	    ((f->t & 1) || t2 == 15 || f->unpriv || (f->wback && f->n == t2)))
		return true;
	if ((rules & RULE_M_PAIR) && (f->m == f->t || f->m == t2))
		return true;
	return (rules & RULE_SBZ) && (insn & 0xf00);
}

/* Shift_C() without the carry: LSL, LSR, ASR, ROR (RRX is refused). */
static uint32_t shifted(uint32_t v, unsigned int type, unsigned int imm)
{
	switch (type) {
	case 0: /* LSL */
		return v << imm;
	case 1: /* LSR, 0 = 32 */
		return imm ? v >> imm : 0;
	case 2: /* ASR, 0 = 32 */
		return (uint32_t)((int32_t)v >> (imm ? imm : 31));
	default: /* ROR, imm != 0 */
		return v >> imm | v << (32 - imm);
	}
}

enum wd_reason arm_decode_mmio(uint32_t insn, const uint32_t *regs,
			       struct arm_mmio_insn *d)
{
	bool pre = insn & BIT(24), up = insn & BIT(23), w = insn & BIT(21);
	struct fields f = { .n = (insn >> 16) & 0xf,
			    .t = (insn >> 12) & 0xf,
			    .m = insn & 0xf,
			    .wback = !pre || w,
			    .unpriv = !pre && w };
	unsigned int rules = 0, type = (insn >> 5) & 3,
		     imm5 = (insn >> 7) & 0x1f;
	uint32_t offset, base;

	d->rn = f.n;
	d->rt = f.t;
	d->load = insn & BIT(20);
	d->sext = false;
	d->pair = false;
	d->writeback = f.wback;
	if (insn >> 28 == 0xf)
		return WD_R_insn_not_emulated; /* PLD and friends */

	if (((insn >> 26) & 3) == 1) {
		/* LDR/STR/LDRB/STRB and LDRT/STRT/LDRBT/STRBT */
		f.reg = insn & BIT(25);
		if (f.reg && (insn & BIT(4)))
			return WD_R_insn_not_emulated; /* media instructions */
		d->size = insn & BIT(22) ? 1 : 4;
		if (d->size == 1 || (f.unpriv && d->load))
			rules = RULE_RT_PC;
	} else if (((insn >> 25) & 7) == 0 && (insn & 0x90) == 0x90 &&
		   (insn & 0x60)) {
		/* LDRH/STRH/LDRSB/LDRSH/LDRD/STRD and the T forms */
		f.reg = !(insn & BIT(22));
		if (f.reg)
			rules = RULE_SBZ;
		if (d->load) {
			d->size = type == 2 ? 1 : 2;
			d->sext = type != 1;
			rules |= RULE_RT_PC;
		} else if (type == 1) {
			d->size = 2; /* STRH */
			rules |= RULE_RT_PC;
		} else {
			/* LDRD (op2 2) and STRD (op2 3): L is 0 */
			d->load = type == 2;
			d->size = 4;
			d->pair = true;
			rules |= RULE_PAIR |
				 (d->load && f.reg ? RULE_M_PAIR : 0);
		}
	} else {
		return WD_R_insn_not_emulated;
	}
	if (unpredictable(insn, rules, &f))
		return WD_R_insn_unpredictable;
	if (f.t == 15 || f.n == 15)
		return WD_R_insn_not_emulated;

	if (((insn >> 26) & 3) != 1)
		offset = f.reg ? regs[f.m] :
				 ((insn >> 4) & 0xf0) | (insn & 0xf);
	else if (!f.reg)
		offset = insn & 0xfff;
	else if (type == 3 && !imm5)
		return WD_R_insn_not_emulated; /* RRX */
	else
		offset = shifted(regs[f.m], type, imm5);
	base = regs[f.n];
	d->wb_value = up ? base + offset : base - offset;
	d->address = pre ? d->wb_value : base;
	return WD_R_none;
}

bool arm_insn_has_syndrome(uint32_t insn)
{
	bool wb_form = !(insn & BIT(24)) || (insn & BIT(21));

	if (insn >> 28 == 0xf || wb_form)
		return false;
	if (((insn >> 26) & 3) == 1) /* A5.3, not media */
		return !((insn & BIT(25)) && (insn & BIT(4)));
	/* A5.2.8: LDRH STRH LDRSB LDRSH, not LDRD STRD (L 0, op2 1x) */
	return ((insn >> 25) & 7) == 0 && (insn & 0x90) == 0x90 &&
	       (insn & 0x60) && ((insn & BIT(20)) || (insn & 0x60) == 0x20);
}

unsigned int arm_thumb_insn_len(uint16_t hw1)
{
	return (hw1 >> 11) >= 0x1d ? 4 : 2;
}

bool arm_thumb_has_syndrome(uint16_t hw1, uint16_t hw2)
{
	unsigned int op = hw2 >> 6 & 0x3f;

	if (arm_thumb_insn_len(hw1) == 2)
		/* 0101 register, 0110-1001 immediate and SP-relative forms,
		 * 01001 LDR literal */
		return (hw1 >> 12 >= 5 && hw1 >> 12 <= 9) || hw1 >> 11 == 9;
	/* 1111 100 S op1(2) size(2) L: single loads/stores, size 3 none */
	if (hw1 >> 9 != 0x7c || (hw1 >> 5 & 3) == 3)
		return false;
	if ((hw1 & BIT(8)) && !(hw1 & BIT(4)))
		return false; /* S is for loads only */
	if ((hw1 & BIT(7)) || (hw1 & 0xf) == 15)
		return true; /* imm12, or literal: no writeback */
	/* op2 (hw2 11:6): 000000 register; 1PUW imm8: writeback if W or !P */
	if (op == 0)
		return true;
	return (op & 0x20) && (op & 0x10) && !(op & 0x04);
}
