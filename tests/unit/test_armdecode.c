// SPDX-License-Identifier: GPL-2.0
/*
 * The ARMv7 backend's reconstruction of an MMIO access that came without a
 * syndrome (arch-armv7/decode.c: the instruction decoded in HYP), checked
 * against Capstone (sim/decode.c, the simulator's oracle) on every form the
 * decoder takes: LDR/STR/LDRB/STRB with immediate and shifted register
 * offsets, LDRH/STRH/LDRSB/LDRSH/LDRD/STRD with immediate and register
 * offsets, offset, pre-indexed (!) and post-indexed addressing, up and
 * down, and the unprivileged T forms; each with pseudo-random registers
 * and offsets. The address the decoder computes is checked against an
 * independent computation from the encoding's fields.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

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

static void check_form(const struct form *f, const uint32_t *regs,
		       unsigned int rn, unsigned int rt, bool p, bool u,
		       bool wback)
{
	struct arm_mmio_insn d;
	struct decoded cs;
	uint8_t code[4];
	uint32_t base = regs[rn], ea;

	memcpy(code, &f->insn, 4);
	ck_assert_msg(!decode_access(true, code, 4, 0x1000, &cs),
		      "Capstone: %08x", f->insn);
	ck_assert_msg(arm_decode_mmio(f->insn, regs, &d), "decoder: %08x",
		      f->insn);
	checked++;
	/* The facts a syndrome would carry, against Capstone. */
	ck_assert_msg(d.load == !cs.write, "%08x: load", f->insn);
	ck_assert_msg(d.rt == gpr(cs.reg), "%08x: rt %u, Capstone %u", f->insn,
		      d.rt, gpr(cs.reg));
	ck_assert_msg(d.size * (d.pair ? 2 : 1) == cs.size,
		      "%08x: size %u%s, Capstone %u", f->insn, d.size,
		      d.pair ? " x2" : "", cs.size);
	ck_assert_msg(d.sext == cs.sext, "%08x: sext", f->insn);
	ck_assert_msg(d.writeback == cs.wback,
		      "%08x: writeback %d, Capstone %d", f->insn, d.writeback,
		      cs.wback);
	ck_assert_uint_eq(cs.len, 4);
	/* And against the encoding's own fields. */
	ck_assert_uint_eq(d.rn, rn);
	ck_assert_uint_eq(d.rt, rt);
	ck_assert_uint_eq(d.size, f->size);
	ck_assert(d.load == f->load && d.sext == f->sext && d.pair == f->pair);
	ea = u ? base + f->offset : base - f->offset;
	ck_assert_msg(d.address == (p ? ea : base), "%08x: address %08x",
		      f->insn, d.address);
	ck_assert(!wback || d.wb_value == ea);
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
			check_form(&f, regs, rn, rt, p, u, !p || w);
		}
		/* The extra loads/stores have no T forms (P 0, W 1) here. */
		for (op2 = 1; op2 < 4 && (p || !w); op2++) {
			f = extra(p, u, w, l, op2, reg, regs, &rn, &rt);
			check_form(&f, regs, rn, rt, p, u, !p || w);
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

/* What the decoder refuses on purpose; Capstone decodes them all. */
START_TEST(test_decoder_refusals)
{
	static const uint32_t refused[] = {
		0xe59ff004, /* ldr pc, [pc, #4]: loads the PC */
		0xe59f0004, /* ldr r0, [pc, #4]: literal, RAM */
		0xe7910060, /* ldr r0, [r1, r0, rrx]: needs the carry flag */
		0xe5b11004, /* ldr r1, [r1, #4]!: writeback into rt */
		0xe1c130d0, /* ldrd r3, r4, [r1]: rt odd */
		0xe8910003, /* ldm r1, {r0, r1}: not decoded */
		0xe1910f9f, /* ldrex r0, [r1]: not decoded */
	};
	uint32_t regs[15] = { 0 };
	struct arm_mmio_insn d;
	unsigned int i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ck_assert_msg(!arm_decode_mmio(refused[i], regs, &d), "%08x",
			      refused[i]);
}
END_TEST

static Suite *armdecode_suite(void)
{
	Suite *s = suite_create("armdecode");
	TCase *tc = tcase_create("decoder");

	tcase_add_test(tc, test_decoder_matches_capstone);
	tcase_add_test(tc, test_decoder_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(armdecode_suite());
}
