// SPDX-License-Identifier: GPL-2.0
/*
 * The ARMv7 backend's reconstruction of an MMIO access that came without a
 * syndrome (arch-armv7/decode.c: the instruction decoded in HYP). Two
 * oracles, each for what it knows:
 *
 * - Capstone 4.0.2 (sim/decode.c, the simulator's decoder) for the facts of
 *   every encoding the decoder accepts (register, size, direction, sign
 *   extension, writeback), and for validity: an encoding Capstone rejects
 *   must be refused. Capstone accepts many UNPREDICTABLE encodings (LLVM's
 *   "soft fail"), so it is no oracle for those.
 * - The ARMv7 manual (DDI 0406C, A8.8): the decode pseudo-code of each
 *   load/store encoding, transcribed below per instruction (manual[]), for
 *   which encodings are UNPREDICTABLE and must be refused with
 *   WD_R_insn_unpredictable, and which valid ones the decoder leaves alone
 *   (WD_R_insn_not_emulated: PC as Rt or base, RRX).
 *
 * test_decoder_matches_capstone: every form the decoder takes (LDR/STR/LDRB/
 * STRB with immediate and shifted register offsets, LDRH/STRH/LDRSB/LDRSH/
 * LDRD/STRD with immediate and register offsets, offset, pre-indexed (!)
 * and post-indexed addressing, up and down, and the unprivileged T forms),
 * each with pseudo-random registers and offsets; the address the decoder
 * computes is checked against an independent computation from the
 * encoding's fields. test_unpredictable_sweep: every register combination
 * (Rn, Rt, Rm) of every addressing form, checked against both oracles; it
 * prints how many encodings meet each UNPREDICTABLE condition.
 * test_random_words: random instruction words, the same checks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include <unicorn/unicorn.h>

#include "arch-armv7/decode.h"
#include "sim/decode.h"
#include "support_run.h"

#define BIT(n) (1U << (n))

static uint32_t rng = 0x2545f491;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Capstone/Unicorn register id -> r0..r15. */
static unsigned int gpr(uint8_t reg)
{
	if (reg >= UC_ARM_REG_R0 && reg <= UC_ARM_REG_R12)
		return reg - UC_ARM_REG_R0;
	if (reg == UC_ARM_REG_SP)
		return 13;
	if (reg == UC_ARM_REG_LR)
		return 14;
	return reg == UC_ARM_REG_PC ? 15 : 99;
}

static uint32_t lsl_etc(uint32_t v, unsigned int type, unsigned int imm)
{
	switch (type) {
	case 0:
		return v << imm;
	case 1:
		return imm ? v >> imm : 0;
	case 2:
		return (uint32_t)((int32_t)v >> (imm ? imm : 31));
	default:
		return v >> imm | v << (32 - imm); /* imm != 0: no RRX here */
	}
}

struct form {
	uint32_t insn;
	unsigned int size; /* per access */
	bool load, sext, pair;
	uint32_t offset; /* the offset the encoding asks for */
};

/* Pick registers: rt even for pairs, rn not the PC, and no writeback into
 * a loaded register (UNPREDICTABLE, refused by the decoder). */
static void pick_regs(bool pair, bool wback, bool load, unsigned int *rn,
		      unsigned int *rt)
{
	do {
		*rt = rnd() % (pair ? 14 : 15);
		if (pair)
			*rt &= ~1U;
		*rn = rnd() % 15;
	} while (wback && (*rn == *rt || (pair && *rn == *rt + 1) ||
			   (!load && *rn == *rt)));
}

/* LDR/STR/LDRB/STRB (A5.3), immediate or register offset. */
static struct form word_byte(unsigned int p, unsigned int u, unsigned int b,
			     unsigned int w, unsigned int l, bool reg,
			     const uint32_t *regs, unsigned int *rn,
			     unsigned int *rt)
{
	struct form f = { .size = b ? 1 : 4, .load = l };
	unsigned int rm, type, imm5;

	pick_regs(false, !p || w, l, rn, rt);
	f.insn = 0xe4000000 | p << 24 | u << 23 | b << 22 | w << 21 | l << 20 |
		 *rn << 16 | *rt << 12;
	if (!reg) {
		f.offset = rnd() & 0xfff;
		f.insn |= f.offset;
		return f;
	}
	do
		rm = rnd() % 15;
	while ((!p || w) && rm == *rn);
	type = rnd() & 3;
	imm5 = rnd() & 0x1f;
	if (type == 3 && !imm5)
		imm5 = 1; /* RRX needs the carry flag: not decoded */
	f.insn |= BIT(25) | imm5 << 7 | type << 5 | rm;
	f.offset = lsl_etc(regs[rm], type, imm5);
	return f;
}

/* LDRH/STRH/LDRSB/LDRSH/LDRD/STRD (A5.2.8). op2: 1 H, 2 D/SB, 3 D/SH. */
static struct form extra(unsigned int p, unsigned int u, unsigned int w,
			 unsigned int l, unsigned int op2, bool reg,
			 const uint32_t *regs, unsigned int *rn,
			 unsigned int *rt)
{
	struct form f = { .load = l };
	unsigned int rm;

	if (op2 == 1)
		f.size = 2;
	else if (!l) /* LDRD (op2 2) and STRD (op2 3) */
		f.size = 4, f.pair = true, f.load = op2 == 2;
	else
		f.size = op2 == 2 ? 1 : 2, f.sext = true;
	pick_regs(f.pair, !p || w, f.load, rn, rt);
	f.insn = 0xe0000090 | p << 24 | u << 23 | w << 21 | l << 20 |
		 *rn << 16 | *rt << 12 | op2 << 5;
	if (!reg) {
		f.offset = rnd() & 0xff;
		f.insn |= BIT(22) | (f.offset >> 4) << 8 | (f.offset & 0xf);
		return f;
	}
	do
		rm = rnd() % 15;
	while (rm == *rn || (f.pair && (rm == *rt || rm == *rt + 1)));
	f.insn |= rm;
	f.offset = regs[rm];
	return f;
}

static unsigned int checked;

/* ck_assert() marks a point (a write to Check's pipe) even when it holds:
 * too slow for a million encodings. */
#define CHECK(cond, ...)                           \
	do {                                       \
		if (!(cond))                       \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

/* The facts a syndrome would carry, against Capstone (sim/decode.c, which
 * opens Capstone for each call: slow). */
static void check_capstone(uint32_t insn, const struct arm_mmio_insn *d)
{
	struct decoded cs;
	uint8_t code[4];

	memcpy(code, &insn, 4);
	CHECK(!decode_access(true, code, 4, 0x1000, &cs), "Capstone: %08x",
	      insn);
	CHECK(d->load == !cs.write, "%08x: load", insn);
	CHECK(d->rt == gpr(cs.reg), "%08x: rt %u, Capstone %u", insn, d->rt,
	      gpr(cs.reg));
	CHECK(d->size * (d->pair ? 2 : 1) == cs.size,
	      "%08x: size %u%s, Capstone %u", insn, d->size,
	      d->pair ? " x2" : "", cs.size);
	CHECK(d->sext == cs.sext, "%08x: sext", insn);
	CHECK(d->writeback == cs.wback, "%08x: writeback %d, Capstone %d", insn,
	      d->writeback, cs.wback);
	CHECK(cs.len == 4, "%08x: length %u", insn, cs.len);
}

/* @f decoded: against Capstone if @capstone, and against its own fields. */
static void check_form(const struct form *f, const uint32_t *regs,
		       unsigned int rn, unsigned int rt, bool p, bool u,
		       bool wback, bool capstone)
{
	struct arm_mmio_insn d;
	uint32_t base = regs[rn], ea;

	CHECK(arm_decode_mmio(f->insn, regs, &d) == WD_R_none, "decoder: %08x",
	      f->insn);
	checked++;
	if (capstone)
		check_capstone(f->insn, &d);
	CHECK(d.rn == rn && d.rt == rt, "%08x: rn %u, rt %u", f->insn, d.rn,
	      d.rt);
	CHECK(d.size == f->size && d.load == f->load && d.sext == f->sext &&
		      d.pair == f->pair,
	      "%08x: size %u load %d sext %d pair %d", f->insn, d.size, d.load,
	      d.sext, d.pair);
	ea = u ? base + f->offset : base - f->offset;
	CHECK(d.address == (p ? ea : base), "%08x: address %08x", f->insn,
	      d.address);
	CHECK(d.writeback == wback && (!wback || d.wb_value == ea),
	      "%08x: writeback %d to %08x", f->insn, d.writeback, d.wb_value);
}

/* One pass over every addressing form with fresh registers. */
static void all_forms(const uint32_t *regs)
{
	unsigned int combo, p, u, w, l, reg, b, op2, rn, rt;
	struct form f;

	for (combo = 0; combo < 32; combo++) {
		p = combo >> 4 & 1;
		u = combo >> 3 & 1;
		w = combo >> 2 & 1;
		l = combo >> 1 & 1;
		reg = combo & 1;
		for (b = 0; b < 2; b++) {
			f = word_byte(p, u, b, w, l, reg, regs, &rn, &rt);
			check_form(&f, regs, rn, rt, p, u, !p || w, true);
		}
		/* The extra loads/stores have no T forms (P 0, W 1) here. */
		for (op2 = 1; op2 < 4 && (p || !w); op2++) {
			f = extra(p, u, w, l, op2, reg, regs, &rn, &rt);
			check_form(&f, regs, rn, rt, p, u, !p || w, true);
		}
	}
}

START_TEST(test_decoder_matches_capstone)
{
	uint32_t regs[15];
	unsigned int i, round;

	for (round = 0; round < 40; round++) {
		for (i = 0; i < 15; i++)
			regs[i] = rnd();
		all_forms(regs);
	}
	/* 40 rounds x (2 x 32 word/byte + 3 x 24 extra) forms. */
	ck_assert_uint_eq(checked, 40 * (64 + 72));
}
END_TEST

/* ---- The manual's conditions (DDI 0406C, A8.8), the second oracle ---- */

/* UNPREDICTABLE conditions, numbered as arch-armv7/decode.c's table. */
enum cond {
	C_M_PC,	   /* 1: m == 15 */
	C_WB_N_PC, /* 2: wback && n == 15 (literal forms: wback) */
	C_WB_N_T,  /* 3: wback && n == t */
	C_T_PC,	   /* 4: t == 15 */
	C_T_ODD,   /* 5: t odd */
	C_T2_PC,   /* 6: t2 == 15 */
	C_PW01,	   /* 7: P == 0 && W == 1 */
	C_WB_N_T2, /* 8: wback && n == t2 */
	C_M_T,	   /* 9: m == t || m == t2 */
	C_SBZ,	   /* 10: (0) bits 11:8 not zero */
	NUM_CONDS
};

static const char *const cond_names[NUM_CONDS] = {
	"m == 15",	   "wback && n == 15", "wback && n == t",
	"t == 15",	   "t odd (pair)",     "t2 == 15 (pair)",
	"P 0, W 1 (pair)", "wback && n == t2", "m == t || m == t2",
	"bits 11:8 not 0",
};

#define C(x) (1U << C_##x)
#define WB (C(WB_N_PC) | C(WB_N_T))

enum offset_kind {
	IMM12,
	SHIFTED,
	IMM8,
	REG
};

/* One encoding of the manual: its bits, what it does, its conditions. */
struct manual_entry {
	const char *name;
	uint32_t mask, match;
	enum offset_kind off;
	bool unpriv; /* a T form: post-indexed, always writes back */
	unsigned int size;
	bool load, sext, pair;
	unsigned int conds;
};

/* Word/byte (A5.3): 27:25 010 immediate, 011 register (bit 4 0). */
#define WB_T(b, l) (0x04200000U | (b) << 22 | (l) << 20)
#define WB_N(b, l) (0x04000000U | (b) << 22 | (l) << 20)
#define REGF 0x02000000U
/* Extra (A5.2.8, A5.2.9): 27:25 000, 7:4 1 op2 1, bit 22 immediate. */
#define EX_T(i, l, op2) (0x00200090U | (i) << 22 | (l) << 20 | (op2) << 5)
#define EX_N(i, l, op2) (0x00000090U | (i) << 22 | (l) << 20 | (op2) << 5)
#define PAIR_IMM (C(T_ODD) | C(PW01) | WB | C(WB_N_T2) | C(T2_PC))

/* First match wins: the T forms (P 0, W 1) before the others. */
static const struct manual_entry manual[] = {
	{ "STRT", 0x0f700010, WB_T(0, 0) | REGF, SHIFTED, 1, 4, 0, 0, 0,
	  C(M_PC) | WB },
	{ "LDRT", 0x0f700010, WB_T(0, 1) | REGF, SHIFTED, 1, 4, 1, 0, 0,
	  C(M_PC) | WB | C(T_PC) },
	{ "STRBT", 0x0f700010, WB_T(1, 0) | REGF, SHIFTED, 1, 1, 0, 0, 0,
	  C(M_PC) | WB | C(T_PC) },
	{ "LDRBT", 0x0f700010, WB_T(1, 1) | REGF, SHIFTED, 1, 1, 1, 0, 0,
	  C(M_PC) | WB | C(T_PC) },
	{ "STRT", 0x0f700000, WB_T(0, 0), IMM12, 1, 4, 0, 0, 0, WB },
	{ "LDRT", 0x0f700000, WB_T(0, 1), IMM12, 1, 4, 1, 0, 0, WB | C(T_PC) },
	{ "STRBT", 0x0f700000, WB_T(1, 0), IMM12, 1, 1, 0, 0, 0, WB | C(T_PC) },
	{ "LDRBT", 0x0f700000, WB_T(1, 1), IMM12, 1, 1, 1, 0, 0, WB | C(T_PC) },
	{ "STR", 0x0e500010, WB_N(0, 0) | REGF, SHIFTED, 0, 4, 0, 0, 0,
	  C(M_PC) | WB },
	{ "LDR", 0x0e500010, WB_N(0, 1) | REGF, SHIFTED, 0, 4, 1, 0, 0,
	  C(M_PC) | WB },
	{ "STRB", 0x0e500010, WB_N(1, 0) | REGF, SHIFTED, 0, 1, 0, 0, 0,
	  C(M_PC) | WB | C(T_PC) },
	{ "LDRB", 0x0e500010, WB_N(1, 1) | REGF, SHIFTED, 0, 1, 1, 0, 0,
	  C(M_PC) | WB | C(T_PC) },
	/* Rn 15: LDR/LDRB (literal), "if wback then UNPREDICTABLE". */
	{ "STR", 0x0e500000, WB_N(0, 0), IMM12, 0, 4, 0, 0, 0, WB },
	{ "LDR", 0x0e500000, WB_N(0, 1), IMM12, 0, 4, 1, 0, 0, WB },
	{ "STRB", 0x0e500000, WB_N(1, 0), IMM12, 0, 1, 0, 0, 0, WB | C(T_PC) },
	{ "LDRB", 0x0e500000, WB_N(1, 1), IMM12, 0, 1, 1, 0, 0, WB | C(T_PC) },
	{ "STRHT", 0x0f7000f0, EX_T(0, 0, 1), REG, 1, 2, 0, 0, 0,
	  C(T_PC) | WB | C(M_PC) | C(SBZ) },
	{ "LDRHT", 0x0f7000f0, EX_T(0, 1, 1), REG, 1, 2, 1, 0, 0,
	  C(T_PC) | WB | C(M_PC) | C(SBZ) },
	{ "LDRSBT", 0x0f7000f0, EX_T(0, 1, 2), REG, 1, 1, 1, 1, 0,
	  C(T_PC) | WB | C(M_PC) | C(SBZ) },
	{ "LDRSHT", 0x0f7000f0, EX_T(0, 1, 3), REG, 1, 2, 1, 1, 0,
	  C(T_PC) | WB | C(M_PC) | C(SBZ) },
	{ "STRHT", 0x0f7000f0, EX_T(1, 0, 1), IMM8, 1, 2, 0, 0, 0,
	  C(T_PC) | WB },
	{ "LDRHT", 0x0f7000f0, EX_T(1, 1, 1), IMM8, 1, 2, 1, 0, 0,
	  C(T_PC) | WB },
	{ "LDRSBT", 0x0f7000f0, EX_T(1, 1, 2), IMM8, 1, 1, 1, 1, 0,
	  C(T_PC) | WB },
	{ "LDRSHT", 0x0f7000f0, EX_T(1, 1, 3), IMM8, 1, 2, 1, 1, 0,
	  C(T_PC) | WB },
	{ "STRH", 0x0e5000f0, EX_N(0, 0, 1), REG, 0, 2, 0, 0, 0,
	  C(T_PC) | C(M_PC) | WB | C(SBZ) },
	{ "LDRH", 0x0e5000f0, EX_N(0, 1, 1), REG, 0, 2, 1, 0, 0,
	  C(T_PC) | C(M_PC) | WB | C(SBZ) },
	{ "LDRSB", 0x0e5000f0, EX_N(0, 1, 2), REG, 0, 1, 1, 1, 0,
	  C(T_PC) | C(M_PC) | WB | C(SBZ) },
	{ "LDRSH", 0x0e5000f0, EX_N(0, 1, 3), REG, 0, 2, 1, 1, 0,
	  C(T_PC) | C(M_PC) | WB | C(SBZ) },
	{ "LDRD", 0x0e5000f0, EX_N(0, 0, 2), REG, 0, 4, 1, 0, 1,
	  C(T_ODD) | C(PW01) | C(T2_PC) | C(M_PC) | C(M_T) | WB | C(WB_N_T2) |
		  C(SBZ) },
	{ "STRD", 0x0e5000f0, EX_N(0, 0, 3), REG, 0, 4, 0, 0, 1,
	  C(T_ODD) | C(PW01) | C(T2_PC) | C(M_PC) | WB | C(WB_N_T2) | C(SBZ) },
	/* Rn 15: LDRH/LDRSB/LDRSH/LDRD (literal), "if wback then
	 * UNPREDICTABLE", as for the other immediate forms. */
	{ "STRH", 0x0e5000f0, EX_N(1, 0, 1), IMM8, 0, 2, 0, 0, 0,
	  C(T_PC) | WB },
	{ "LDRH", 0x0e5000f0, EX_N(1, 1, 1), IMM8, 0, 2, 1, 0, 0,
	  C(T_PC) | WB },
	{ "LDRSB", 0x0e5000f0, EX_N(1, 1, 2), IMM8, 0, 1, 1, 1, 0,
	  C(T_PC) | WB },
	{ "LDRSH", 0x0e5000f0, EX_N(1, 1, 3), IMM8, 0, 2, 1, 1, 0,
	  C(T_PC) | WB },
	{ "LDRD", 0x0e5000f0, EX_N(1, 0, 2), IMM8, 0, 4, 1, 0, 1, PAIR_IMM },
	{ "STRD", 0x0e5000f0, EX_N(1, 0, 3), IMM8, 0, 4, 0, 0, 1, PAIR_IMM },
};

struct verdict {
	const struct manual_entry *e; /* NULL: no load/store of the table */
	enum wd_reason reason;
	unsigned int conds; /* bits of enum cond met */
	bool wback, pre, up;
	uint32_t offset;
};

/* What the manual says of @insn, and what the decoder must answer. */
static struct verdict manual_verdict(uint32_t insn, const uint32_t *regs)
{
	unsigned int n = insn >> 16 & 0xf, t = insn >> 12 & 0xf, m = insn & 0xf;
	unsigned int type = insn >> 5 & 3, imm5 = insn >> 7 & 0x1f, c = 0;
	struct verdict v = { .reason = WD_R_insn_not_emulated };
	unsigned int i;
	bool met[NUM_CONDS];

	for (i = 0; i < sizeof(manual) / sizeof(manual[0]) && !v.e; i++)
		if (insn >> 28 != 0xf &&
		    (insn & manual[i].mask) == manual[i].match)
			v.e = &manual[i];
	if (!v.e)
		return v;
	v.pre = !v.e->unpriv && (insn & BIT(24));
	v.up = insn & BIT(23);
	v.wback = v.e->unpriv || !(insn & BIT(24)) || (insn & BIT(21));
	met[C_M_PC] = (v.e->off == SHIFTED || v.e->off == REG) && m == 15;
	met[C_WB_N_PC] = v.wback && n == 15;
	met[C_WB_N_T] = v.wback && n == t;
	met[C_T_PC] = t == 15;
	met[C_T_ODD] = t & 1;
	met[C_T2_PC] = t + 1 == 15;
	met[C_PW01] = !(insn & BIT(24)) && (insn & BIT(21));
	met[C_WB_N_T2] = v.wback && n == t + 1;
	met[C_M_T] = m == t || m == t + 1;
	met[C_SBZ] = (insn & 0xf00) != 0;
	for (i = 0; i < NUM_CONDS; i++)
		if (met[i] && (v.e->conds & (1U << i)))
			c |= 1U << i;
	v.conds = c;
	if (c)
		v.reason = WD_R_insn_unpredictable;
	else if (t == 15 || n == 15 ||
		 (v.e->off == SHIFTED && type == 3 && !imm5))
		v.reason = WD_R_insn_not_emulated;
	else
		v.reason = WD_R_none;
	switch (v.e->off) {
	case IMM12:
		v.offset = insn & 0xfff;
		break;
	case SHIFTED: /* not for RRX (imm5 0, type 3): not emulated */
		if (v.reason == WD_R_none)
			v.offset = lsl_etc(regs[m % 15], type, imm5);
		break;
	case IMM8:
		v.offset = (insn >> 4 & 0xf0) | (insn & 0xf);
		break;
	case REG:
		v.offset = regs[m % 15];
		break;
	}
	return v;
}

struct tally {
	unsigned int total, accepted, not_emulated, unpredictable;
	unsigned int cs_rejected;	 /* all of them refused */
	unsigned int cond[NUM_CONDS];	 /* encodings meeting the condition */
	unsigned int cond_cs[NUM_CONDS]; /* ... that Capstone rejects */
};

static csh cs;

/* One encoding against both oracles. */
static void check_word(uint32_t insn, const uint32_t *regs, struct tally *tl)
{
	struct verdict v = manual_verdict(insn, regs);
	struct arm_mmio_insn d;
	enum wd_reason got = arm_decode_mmio(insn, regs, &d);
	uint8_t code[4];
	cs_insn *in = NULL;
	bool cs_ok;
	unsigned int i;

	memcpy(code, &insn, 4);
	cs_ok = cs_disasm(cs, code, 4, 0x1000, 1, &in) == 1;
	if (in)
		cs_free(in, 1);
	tl->total++;
	CHECK(arm_insn_has_syndrome(insn) == (v.e && !v.wback && !v.e->pair),
	      "%08x (%s): syndrome %d", insn, v.e ? v.e->name : "-",
	      arm_insn_has_syndrome(insn));
	CHECK(got == v.reason, "%08x (%s): decoder %d, manual %d", insn,
	      v.e ? v.e->name : "-", got, v.reason);
	if (!cs_ok) {
		tl->cs_rejected++;
		CHECK(got != WD_R_none,
		      "%08x: Capstone rejects it, decoder accepts", insn);
	}
	for (i = 0; i < NUM_CONDS; i++)
		if (v.conds & (1U << i)) {
			tl->cond[i]++;
			tl->cond_cs[i] += !cs_ok;
		}
	if (got == WD_R_insn_unpredictable)
		tl->unpredictable++;
	else if (got == WD_R_insn_not_emulated)
		tl->not_emulated++;
	else {
		struct form f = { .insn = insn,
				  .size = v.e->size,
				  .load = v.e->load,
				  .sext = v.e->sext,
				  .pair = v.e->pair,
				  .offset = v.offset };

		/* Capstone's facts for one in 16 (the first test has them
		 * for every form), the fields for all. */
		check_form(&f, regs, insn >> 16 & 0xf, insn >> 12 & 0xf, v.pre,
			   v.up, v.wback, !(tl->accepted++ % 16));
	}
}

static void print_tally(const char *what, const struct tally *tl)
{
	unsigned int i;

	printf("armdecode: %s: %u encodings, %u accepted, "
	       "%u not emulated, %u UNPREDICTABLE; Capstone rejects %u, "
	       "all refused\n",
	       what, tl->total, tl->accepted, tl->not_emulated,
	       tl->unpredictable, tl->cs_rejected);
	for (i = 0; i < NUM_CONDS; i++)
		printf("armdecode:   %2u %-18s %7u refused (Capstone rejects "
		       "%u)\n",
		       i + 1, cond_names[i], tl->cond[i], tl->cond_cs[i]);
}

static void setup_capstone(void)
{
	ck_assert_int_eq(cs_open(CS_ARCH_ARM, CS_MODE_ARM, &cs), CS_ERR_OK);
}

static void teardown_capstone(void)
{
	cs_close(&cs);
}

/* Opcode bits 27:25 of the three groups of the sweep. */
enum group {
	EXTRA,
	WORD_IMM,
	WORD_REG
};

/*
 * One encoding of @group with bits 24:20 @bits (P U B/I W L), @op2 (extra
 * loads/stores) and registers @n, @t, @m; @sbz sets bits 11:8 of an extra
 * register form. Condition, immediates and shifts are random.
 */
static uint32_t encode(enum group g, unsigned int bits, unsigned int op2,
		       unsigned int n, unsigned int t, unsigned int m, bool sbz)
{
	uint32_t insn = (rnd() % 15) << 28 | bits << 20 | n << 16 | t << 12;

	switch (g) {
	case WORD_IMM:
		return insn | 0x04000000 | (rnd() & 0xfff);
	case WORD_REG: /* imm5, type; bit 4 clear */
		return insn | 0x06000000 | (rnd() & 0xfe0) | m;
	default:
		insn |= 0x90 | op2 << 5;
		if (bits & 4) /* immediate */
			return insn | (rnd() & 0xf0f);
		return insn | m | (sbz ? (rnd() % 15 + 1) << 8 : 0);
	}
}

/* Every Rn, Rt (and Rm, and bits 11:8 zero or not) of one form. */
static void sweep_form(enum group g, unsigned int bits, unsigned int op2,
		       struct tally *tl)
{
	bool reg = g == WORD_REG || (g == EXTRA && !(bits & 4));
	unsigned int n, t, m, sbz, i;
	uint32_t regs[15];

	for (i = 0; i < 15; i++)
		regs[i] = rnd();
	for (n = 0; n < 16; n++)
		for (t = 0; t < 16; t++)
			for (m = 0; m < (reg ? 16U : 1U); m++)
				for (sbz = 0; sbz < (reg && !g ? 2U : 1U);
				     sbz++)
					check_word(encode(g, bits, op2, n, t, m,
							  sbz),
						   regs, tl);
}

/* Every addressing form (bits 24:20, and 6:5 of the extra loads/stores). */
START_TEST(test_unpredictable_sweep)
{
	struct tally tl = { 0 };
	unsigned int g, bits, op2, i;

	for (g = EXTRA; g <= WORD_REG; g++)
		for (bits = 0; bits < 32; bits++)
			for (op2 = 1; op2 <= (g == EXTRA ? 3U : 1U); op2++)
				sweep_form(g, bits, op2, &tl);
	printf("armdecode: verdicts against the ARMv7 manual's conditions, "
	       "facts and validity against Capstone\n");
	print_tally("every register of every form", &tl);
	for (i = 0; i < NUM_CONDS; i++)
		ck_assert_msg(tl.cond[i] > 0, "condition %u never generated",
			      i + 1);
	ck_assert(tl.accepted > 0 && tl.not_emulated > 0);
}
END_TEST

/* Random words: mostly nothing the decoder takes, some load/stores. */
START_TEST(test_random_words)
{
	struct tally tl = { 0 };
	uint32_t regs[15], insn;
	unsigned int i;

	for (i = 0; i < 15; i++)
		regs[i] = rnd();
	for (i = 0; i < 400000; i++) {
		insn = rnd();
		if (i & 1) /* half of them in the load/store space */
			insn = (insn & ~0x0c000000U) | 0x04000000;
		check_word(insn, regs, &tl);
	}
	print_tally("random words", &tl);
	ck_assert(tl.accepted > 0 && tl.unpredictable > 0);
}
END_TEST

/* Hand-picked examples, each with the reason; the sweep covers the rest. */
START_TEST(test_decoder_refusals)
{
	static const struct {
		uint32_t insn;
		enum wd_reason reason;
	} refused[] = {
		/* ldrd r2, r3, [r1], #-4 with W 1: no LDRDT */
		{ 0xe06120d4, WD_R_insn_unpredictable },
		/* strd r2, r3, [r1], r4 with W 1 */
		{ 0xe02120f4, WD_R_insn_unpredictable },
		/* ldrd r2, r3, [r1, r2]: m == t */
		{ 0xe18120d2, WD_R_insn_unpredictable },
		/* ldrd r2, r3, [r1, r3]: m == t2 */
		{ 0xe18120d3, WD_R_insn_unpredictable },
		/* ldrd r0, r1, [r1], r2: post-indexed, n == t2 */
		{ 0xe0810fd2, WD_R_insn_unpredictable },
		/* ldrd r3, r4, [r1]: t odd */
		{ 0xe1c130d0, WD_R_insn_unpredictable },
		/* ldrd lr, [r1]: t2 == pc */
		{ 0xe1c1e0d0, WD_R_insn_unpredictable },
		/* ldr r1, [r1, #4]!: n == t with writeback */
		{ 0xe5b11004, WD_R_insn_unpredictable },
		/* str r1, [r1], #4: also for stores */
		{ 0xe4811004, WD_R_insn_unpredictable },
		/* ldr r0, [r1], pc: m == pc */
		{ 0xe691000f, WD_R_insn_unpredictable },
		/* ldrb r0, [pc, #0]!: writeback into the PC */
		{ 0xe5ff0000, WD_R_insn_unpredictable },
		/* ldrb pc, [r1]: t == pc */
		{ 0xe5d1f000, WD_R_insn_unpredictable },
		/* ldrh r0, [r1], r2 with bit 8 set (should be zero) */
		{ 0xe09101b2, WD_R_insn_unpredictable },
		/* ldrt r1, [r1], #4 */
		{ 0xe4b11004, WD_R_insn_unpredictable },
		/* ldr pc, [r1, #4]: loads the PC (a branch) */
		{ 0xe591f004, WD_R_insn_not_emulated },
		/* ldr r0, [pc, #4]: literal, RAM */
		{ 0xe59f0004, WD_R_insn_not_emulated },
		/* ldr r0, [r1, r0, rrx]: needs the carry flag */
		{ 0xe7910060, WD_R_insn_not_emulated },
		/* ldm r1, {r0, r1} */
		{ 0xe8910003, WD_R_insn_not_emulated },
		/* ldrex r0, [r1] */
		{ 0xe1910f9f, WD_R_insn_not_emulated },
		/* pld [r1] (unconditional space) */
		{ 0xf5d1f000, WD_R_insn_not_emulated },
	};
	uint32_t regs[15] = { 0 };
	struct arm_mmio_insn d;
	unsigned int i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ck_assert_msg(arm_decode_mmio(refused[i].insn, regs, &d) ==
				      refused[i].reason,
			      "%08x", refused[i].insn);
}
END_TEST

/*
 * The Thumb classifier (arm_thumb_has_syndrome) against Capstone in Thumb
 * mode: every 16-bit halfword and, for every 32-bit first halfword,
 * pseudo-random second halfwords. For an instruction Capstone decodes that
 * accesses data memory (an operand in brackets, LDM/STM, PUSH/POP; not the
 * PLD/PLI hints), a syndrome is expected exactly for the single loads and
 * stores of a core register without writeback (no "!", nothing after
 * "]"). Instructions without a memory operand never take a data abort.
 */
static const char *const thumb_single[] = {
	"ldr",	  "ldrb", "ldrh",  "ldrsb", "ldrsh", "str",
	"strb",	  "strh", "ldrt",  "ldrbt", "ldrht", "ldrsbt",
	"ldrsht", "strt", "strbt", "strht", NULL
};

/* Capstone's mnemonic without its width suffix (.w, .n). */
static bool thumb_is_single(const char *mnemonic)
{
	size_t n = strcspn(mnemonic, ".");
	unsigned int i;

	for (i = 0; thumb_single[i]; i++)
		if (strlen(thumb_single[i]) == n &&
		    !strncmp(mnemonic, thumb_single[i], n))
			return true;
	return false;
}

static unsigned int thumb_checked, thumb_with_syndrome;

static void check_thumb(uint16_t hw1, uint16_t hw2)
{
	uint8_t code[4] = { (uint8_t)hw1, (uint8_t)(hw1 >> 8), (uint8_t)hw2,
			    (uint8_t)(hw2 >> 8) };
	unsigned int len = arm_thumb_insn_len(hw1);
	const char *close;
	bool memory, want;
	cs_insn *insn;

	if (cs_disasm(cs, code, len, 0x1000, 1, &insn) != 1)
		return;
	ck_assert_uint_eq(insn->size, len);
	memory = strchr(insn->op_str, '[') ||
		 !strncmp(insn->mnemonic, "ldm", 3) ||
		 !strncmp(insn->mnemonic, "stm", 3) ||
		 !strncmp(insn->mnemonic, "push", 4) ||
		 !strncmp(insn->mnemonic, "pop", 3);
	if (memory && strncmp(insn->mnemonic, "pl", 2)) {
		close = strchr(insn->op_str, ']');
		want = thumb_is_single(insn->mnemonic) &&
		       !strchr(insn->op_str, '!') && close && !close[1];
		ck_assert_msg(arm_thumb_has_syndrome(hw1, hw2) == want,
			      "%04x %04x (%s %s): syndrome %d, want %d", hw1,
			      len == 4 ? hw2 : 0, insn->mnemonic, insn->op_str,
			      !want, want);
		thumb_checked++;
		thumb_with_syndrome += want;
	}
	cs_free(insn, 1);
}

START_TEST(test_thumb_classifier)
{
	unsigned int hw1, i;
	uint32_t seed = 0x7fb1u;

	ck_assert_int_eq(cs_option(cs, CS_OPT_MODE, CS_MODE_THUMB), CS_ERR_OK);
	for (hw1 = 0; hw1 < 0x10000; hw1++) {
		if (arm_thumb_insn_len((uint16_t)hw1) == 2) {
			check_thumb((uint16_t)hw1, 0);
			continue;
		}
		for (i = 0; i < 96; i++) {
			seed = seed * 1103515245u + 12345u;
			check_thumb((uint16_t)hw1, (uint16_t)(seed >> 16));
		}
	}
	ck_assert_int_eq(cs_option(cs, CS_OPT_MODE, CS_MODE_ARM), CS_ERR_OK);
	printf("thumb: %u memory-access encodings checked, %u with syndrome\n",
	       thumb_checked, thumb_with_syndrome);
	ck_assert_uint_gt(thumb_with_syndrome, 10000);
	ck_assert_uint_gt(thumb_checked - thumb_with_syndrome, 10000);
}
END_TEST

static Suite *armdecode_suite(void)
{
	Suite *s = suite_create("armdecode");
	TCase *tc = tcase_create("decoder");

	tcase_add_checked_fixture(tc, setup_capstone, teardown_capstone);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_decoder_matches_capstone);
	tcase_add_test(tc, test_decoder_refusals);
	tcase_add_test(tc, test_unpredictable_sweep);
	tcase_add_test(tc, test_random_words);
	tcase_add_test(tc, test_thumb_classifier);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(armdecode_suite());
}
