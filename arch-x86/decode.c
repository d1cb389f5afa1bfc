// SPDX-License-Identifier: GPL-2.0
/*
 * x86 instruction decoding for the hypervisor (64-bit code, and 32-bit
 * code where it reads alike; decode.h says what is emulated). Encodings
 * per the Intel SDM vol. 2, chapter 2 (prefixes, REX, ModRM/SIB) and the
 * MOV/MOVZX/MOVSX/MOVSXD pages.
 * Freestanding: no libc.
 */
#include "decode.h"

/* Prefix bits seen. */
#define P_OPSIZE 0x01 /* 66 */
#define P_ADSIZE 0x02 /* 67 */
#define P_SEG 0x04    /* 2E 36 3E 26 64 65 */
#define P_LOCK 0x08   /* F0 */
#define P_REP 0x10    /* F2 F3 */

enum seg {
	SEG_NONE,
	SEG_FS,
	SEG_GS
};

/* The legacy prefixes: their P_* bit, and FS/GS (enum seg) in bits 7:5. */
const uint8_t x86_prefix_bits[256] = {
	[0x66] = P_OPSIZE,
	[0x67] = P_ADSIZE,
	[0x2e] = P_SEG,
	[0x36] = P_SEG,
	[0x3e] = P_SEG,
	[0x26] = P_SEG,
	[0x64] = P_SEG | SEG_FS << 5,
	[0x65] = P_SEG | SEG_GS << 5,
	[0xf0] = P_LOCK,
	[0xf2] = P_REP,
	[0xf3] = P_REP,
};

/* Little-endian @bytes bytes at @p. */
static uint64_t le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint64_t x86_insn_item(const uint8_t *code, unsigned int n)
{
	return le(code, n < 8 ? n : 8);
}

/* @v of @bytes bytes (1-8), sign-extended. */
static uint64_t sext(uint64_t v, unsigned int bytes)
{
	return (uint64_t)((int64_t)(v << (64 - 8 * bytes)) >> (64 - 8 * bytes));
}

static uint64_t truncate(uint64_t v, unsigned int size)
{
	return size >= 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

/* What the opcode is. */
enum op {
	OP_NONE,
	OP_STORE,     /* 88 89: r/m <- reg */
	OP_LOAD,      /* 8A 8B: reg <- r/m */
	OP_STORE_IMM, /* C6 /0, C7 /0 */
	OP_MOFFS,     /* A0-A3 */
	OP_MOVZX,     /* 0F B6 B7 */
	OP_MOVSX,     /* 0F BE BF */
	OP_MOVSXD,    /* REX.W 63 */
};

/* The one-byte opcodes emulated: enum op, BYTE for 8-bit operands. */
#define BYTE 0x80
static const uint8_t opcodes[256] = {
	[0x88] = OP_STORE | BYTE,     [0x89] = OP_STORE,
	[0x8a] = OP_LOAD | BYTE,      [0x8b] = OP_LOAD,
	[0xc6] = OP_STORE_IMM | BYTE, [0xc7] = OP_STORE_IMM,
	[0xa0] = OP_MOFFS | BYTE,     [0xa1] = OP_MOFFS,
	[0xa2] = OP_MOFFS | BYTE,     [0xa3] = OP_MOFFS,
	[0x63] = OP_MOVSXD,
};

/* Not emulated, or truncated if the bytes that say so (before @i) are
 * not all there (@n). */
static enum wd_reason refused(unsigned int i, unsigned int n)
{
	return i > n ? WD_R_insn_x86_truncated : WD_R_insn_x86_not_emulated;
}

enum wd_reason x86_decode_mmio(const uint8_t *code, unsigned int n,
			       const struct x86_regs *regs, bool code64,
			       struct x86_mmio_insn *d)
{
	/* The bytes, then zeros: read on freely, judged by how far (i). */
	uint8_t c[X86_MAX_INSN + 16] = { 0 };
	unsigned int i, opsize, mod, reg, rm, base, index, src = 0, imm = 0;
	unsigned int seen = 0, seg = SEG_NONE, disp;
	bool byte_op = false, bad = false, rex_w, addr32;
	uint64_t addr = 0;
	uint8_t b, rex = 0;
	enum op op;

	*d = (struct x86_mmio_insn){ 0 };
	if (n > X86_MAX_INSN)
		n = X86_MAX_INSN;
	__builtin_memcpy(c, code, n);
	/* Legacy prefixes (P_* in seen), then REX. A group given twice, or
	 * anything after REX, is refused below. */
	for (i = 0; i < n && (x86_prefix_bits[c[i]] || (c[i] & 0xf0) == 0x40);
	     i++) {
		b = x86_prefix_bits[c[i]];
		bad |= rex || (seen & b & 0x1f);
		seen |= b & 0x1f;
		seg |= b >> 5;
		rex = b ? rex : c[i];
	}
	rex_w = rex & 8;
	addr32 = seen & P_ADSIZE;
	opsize = rex_w ? 8 : (seen & P_OPSIZE) ? 2 : 4;
	b = c[i++];
	/* 32-bit code: 40-4F are INC/DEC, 67 is 16-bit addressing. */
	if (!code64 && (rex || addr32))
		return WD_R_insn_x86_mode;
	if (bad || (seen & (P_LOCK | P_REP)))
		return refused(i, n);
	if (b == 0x0f) {
		b = c[i++];
		op = (b | 1) == 0xb7 ? OP_MOVZX :
		     (b | 1) == 0xbf ? OP_MOVSX :
				       OP_NONE;
		src = b & 1 ? 2 : 1;
	} else {
		op = (enum op)(opcodes[b] & ~BYTE);
		byte_op = opcodes[b] & BYTE;
		src = op == OP_MOVSXD ? 4 : 0;
	}
	if (op == OP_NONE || (op == OP_MOVSXD && !rex_w))
		return refused(i, n);
	d->size = (uint8_t)(byte_op ? 1 : src ? src : opsize);
	d->reg_size = (uint8_t)(byte_op ? 1 : opsize);

	if (op == OP_MOFFS && !code64)
		return WD_R_insn_x86_mode; /* a 4-byte offset there */
	if (op == OP_MOFFS) {
		disp = addr32 ? 4 : 8; /* the address itself */
		addr = sext(le(c + i, disp), disp);
		i += disp;
		d->write = b >= 0xa2; /* d->reg 0: AL, AX, EAX, RAX */
		goto done;
	}

	/* ModRM, SIB, displacement. */
	b = c[i++];
	mod = b >> 6;
	reg = (b >> 3) & 7;
	rm = b & 7;
	if (mod == 3)
		return refused(i, n); /* register operand */
	if (op == OP_STORE_IMM && reg != 0)
		return refused(i, n); /* C6/C7 /1-/7: #UD */
	base = rm | (rex & 1 ? 8 : 0);
	if (rm == 4) {
		b = c[i++];
		index = ((b >> 3) & 7) | (rex & 2 ? 8 : 0);
		base = (b & 7) | (rex & 1 ? 8 : 0);
		if (index != 4)
			addr = regs->gpr[index] << (b >> 6);
	}
	/* Mod 0 with base 5: disp32 without a base (SIB), or RIP-relative
	 * (no SIB): to the end of the instruction, known once the immediate
	 * is; added below. */
	if ((base & 7) != 5 || mod != 0)
		addr += regs->gpr[base];
	disp = mod == 1 ? 1 : mod == 2 || (base & 7) == 5 ? 4 : 0;
	addr += disp ? sext(le(c + i, disp), disp) : 0;
	i += disp;

	/* The register operand, or the immediate. */
	if (op == OP_STORE_IMM) {
		imm = byte_op ? 1 : opsize == 2 ? 2 : 4;
		d->imm = truncate(sext(le(c + i, imm), imm), d->size);
		d->has_imm = true;
		i += imm;
	} else {
		d->reg = (uint8_t)(reg | (rex & 4 ? 8 : 0));
		if (d->reg_size == 1 && !rex && reg >= 4) {
			d->reg = (uint8_t)(reg - 4);
			d->high_byte = true;
		}
	}
	if (rm == 5 && mod == 0 && !code64)
		return WD_R_insn_x86_mode; /* absolute there */
	if (rm == 5 && mod == 0)
		addr += regs->rip + i;
	d->write = op == OP_STORE || op == OP_STORE_IMM;
	d->zext = op == OP_MOVZX;
	d->sext = op == OP_MOVSX || op == OP_MOVSXD;
done:
	/* 67: the address wraps at 4 GiB (its parts need no masking). */
	if (addr32)
		addr &= 0xffffffffULL;
	if (i > n) /* past the bytes there are, or past 15 */
		return WD_R_insn_x86_truncated;
	if (seg == SEG_FS)
		addr += regs->fs_base;
	else if (seg == SEG_GS)
		addr += regs->gs_base;
	d->address = code64 ? addr : (uint32_t)addr;
	d->len = (uint8_t)i;
	return WD_R_none;
}

uint64_t x86_mmio_store_value(const struct x86_mmio_insn *d,
			      const struct x86_regs *regs)
{
	uint64_t v = regs->gpr[d->reg & 15] >> (d->high_byte ? 8 : 0);

	return truncate(d->has_imm ? d->imm : v, d->size);
}

uint64_t x86_mmio_load_result(const struct x86_mmio_insn *d, uint64_t old,
			      uint64_t val)
{
	/* The bits of @old the destination names (AH-BH: 15:8). */
	unsigned int shift = d->high_byte ? 8 : 0;
	uint64_t mask = truncate(~0ULL, d->reg_size) << shift;

	val = truncate(val, d->size);
	if (d->sext)
		val = sext(val, d->size);
	if (d->reg_size == 4) /* clears 63:32 */
		return truncate(val, 4);
	return (old & ~mask) | (val << shift & mask);
}
