// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 MMIO instruction decoder (arch-x86/decode.c) against Capstone:
 * every ModRM, a SIB sweep, REX and prefix combination over the MOV,
 * MOVZX, MOVSX, MOVSXD and moffs opcodes, plus random byte strings. Each
 * encoding the decoder accepts must be one Capstone decodes as that
 * instruction, with the same length, access size, direction, register,
 * immediate, extension and the same address computed from one register
 * file; whatever Capstone rejects the decoder must refuse. Counts are
 * printed. Then the refusals the backends rely on, the load results and
 * the system instruction lengths.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include <capstone/capstone.h>

#include "../../arch-amd/insn_len.h"
#include "../../arch-x86/decode.h"

static csh cs;
static cs_insn *in; /* one instruction, reused */
static struct x86_regs R;

struct counts {
	unsigned long total, accepted, refused, sampled, cs_rejects;
};

static void setup(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	ck_assert_int_eq(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
	cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	in = cs_malloc(cs);
	for (i = 0; i < 16; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		R.gpr[i] = seed;
	}
	R.rip = 0x7ffff0401000ULL;
	R.fs_base = 0x7f0000100000ULL;
	R.gs_base = 0xffff888000200000ULL;
}

static void teardown(void)
{
	cs_free(in, 1);
	cs_close(&cs);
}

/* Capstone register id -> GPR number, width, high byte. */
static const x86_reg ids[4][16] = {
	{ X86_REG_AL, X86_REG_CL, X86_REG_DL, X86_REG_BL, X86_REG_SPL,
	  X86_REG_BPL, X86_REG_SIL, X86_REG_DIL, X86_REG_R8B, X86_REG_R9B,
	  X86_REG_R10B, X86_REG_R11B, X86_REG_R12B, X86_REG_R13B, X86_REG_R14B,
	  X86_REG_R15B },
	{ X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX, X86_REG_SP,
	  X86_REG_BP, X86_REG_SI, X86_REG_DI, X86_REG_R8W, X86_REG_R9W,
	  X86_REG_R10W, X86_REG_R11W, X86_REG_R12W, X86_REG_R13W, X86_REG_R14W,
	  X86_REG_R15W },
	{ X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX, X86_REG_ESP,
	  X86_REG_EBP, X86_REG_ESI, X86_REG_EDI, X86_REG_R8D, X86_REG_R9D,
	  X86_REG_R10D, X86_REG_R11D, X86_REG_R12D, X86_REG_R13D, X86_REG_R14D,
	  X86_REG_R15D },
	{ X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX, X86_REG_RSP,
	  X86_REG_RBP, X86_REG_RSI, X86_REG_RDI, X86_REG_R8, X86_REG_R9,
	  X86_REG_R10, X86_REG_R11, X86_REG_R12, X86_REG_R13, X86_REG_R14,
	  X86_REG_R15 },
};
static const x86_reg high_ids[4] = { X86_REG_AH, X86_REG_CH, X86_REG_DH,
				     X86_REG_BH };

static int reg_num(x86_reg id, unsigned int *size, bool *high)
{
	unsigned int w, n;

	for (n = 0; n < 4; n++)
		if (high_ids[n] == id) {
			*size = 1;
			*high = true;
			return (int)n;
		}
	for (w = 0; w < 4; w++)
		for (n = 0; n < 16; n++)
			if (ids[w][n] == id) {
				*size = 1U << w;
				*high = false;
				return (int)n;
			}
	return -1;
}

/* The value of an address register as Capstone names it. */
static uint64_t addr_reg(x86_reg id, uint64_t next_rip)
{
	unsigned int size;
	bool high;
	int n;

	if (id == X86_REG_INVALID)
		return 0;
	if (id == X86_REG_RIP)
		return next_rip;
	if (id == X86_REG_EIP)
		return next_rip & 0xffffffffULL;
	n = reg_num(id, &size, &high);
	ck_assert_msg(n >= 0 && !high && size >= 4, "address register %d", id);
	return size == 4 ? R.gpr[n] & 0xffffffffULL : R.gpr[n];
}

/* The bytes in hex, for failure messages only (Check evaluates a
 * message's arguments when the assertion fails). */
static const char *hex(const uint8_t *code, unsigned int n)
{
	static char out[64];
	unsigned int i;

	for (i = 0; i < n && i < 15; i++)
		sprintf(out + 3 * i, "%02x ", code[i]);
	return out;
}

static uint64_t trunc_to(uint64_t v, unsigned int size)
{
	return size >= 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

/* Decode @code both ways; fail on any disagreement. */
static void check(const uint8_t *code, unsigned int n, struct counts *c)
{
	struct x86_mmio_insn d;
	enum wd_reason why = x86_decode_mmio(code, n, &R, true, &d);
	const uint8_t *p = code;
	size_t left = n;
	uint64_t pc = R.rip;
	bool k;
	const cs_x86 *x;
	int i, mem = -1, reg = -1, imm = -1;
	uint64_t addr, next;
	bool addr32 = false;

	c->total++;
	if (why != WD_R_none) {
		/* Refusing what Capstone decodes is allowed (the decoder
		 * emulates a subset); Capstone is asked for the count on a
		 * sample only, to keep the run short. */
		ck_assert_msg(why == WD_R_insn_x86_not_emulated ||
				      why == WD_R_insn_x86_truncated,
			      "reason %d", why);
		c->refused++;
		if (c->refused % 16 == 0) {
			c->sampled++;
			if (!cs_disasm_iter(cs, &p, &left, &pc, in))
				c->cs_rejects++;
		}
		return;
	}
	c->accepted++;
	k = cs_disasm_iter(cs, &p, &left, &pc, in);
	ck_assert_msg(k, "%s: accepted, Capstone rejects it", hex(code, n));
	x = &in->detail->x86;
	ck_assert_msg(in->id == X86_INS_MOV || in->id == X86_INS_MOVABS ||
			      in->id == X86_INS_MOVZX ||
			      in->id == X86_INS_MOVSX ||
			      in->id == X86_INS_MOVSXD,
		      "%s: accepted as a MOV, Capstone: %s %s", hex(code, n),
		      in->mnemonic, in->op_str);
	ck_assert_msg(d.len == in->size, "%s: length %u, Capstone %u (%s %s)",
		      hex(code, n), d.len, in->size, in->mnemonic, in->op_str);
	for (i = 0; i < x->op_count; i++) {
		if (x->operands[i].type == X86_OP_MEM)
			mem = i;
		else if (x->operands[i].type == X86_OP_REG)
			reg = i;
		else if (x->operands[i].type == X86_OP_IMM)
			imm = i;
	}
	ck_assert_msg(mem >= 0, "%s: no memory operand", hex(code, n));
	ck_assert_msg(d.size == x->operands[mem].size,
		      "%s: size %u, Capstone %u (%s %s)", hex(code, n), d.size,
		      x->operands[mem].size, in->mnemonic, in->op_str);
	ck_assert_msg(d.write == (mem == 0), "%s: direction (%s %s)",
		      hex(code, n), in->mnemonic, in->op_str);
	ck_assert_msg(d.sext == (in->id == X86_INS_MOVSX ||
				 in->id == X86_INS_MOVSXD) &&
			      d.zext == (in->id == X86_INS_MOVZX),
		      "%s: extension (%s %s)", hex(code, n), in->mnemonic,
		      in->op_str);
	if (d.has_imm) {
		ck_assert_msg(imm >= 0 && reg < 0, "%s: immediate",
			      hex(code, n));
		ck_assert_msg(d.imm == trunc_to((uint64_t)x->operands[imm].imm,
						d.size),
			      "%s: imm %#llx (%s %s)", hex(code, n),
			      (unsigned long long)d.imm, in->mnemonic,
			      in->op_str);
	} else {
		unsigned int size;
		bool high;
		int num;

		ck_assert_msg(reg >= 0 && imm < 0, "%s: register operand",
			      hex(code, n));
		num = reg_num(x->operands[reg].reg, &size, &high);
		ck_assert_msg(num == d.reg && size == d.reg_size &&
				      high == d.high_byte,
			      "%s: register %u/%u/%d, Capstone %s %s",
			      hex(code, n), d.reg, d.reg_size, d.high_byte,
			      in->mnemonic, in->op_str);
	}
	/* The address, from the same register file. */
	next = R.rip + in->size;
	{
		const x86_op_mem *m = &x->operands[mem].mem;
		unsigned int size;
		bool high;

		if (m->base != X86_REG_INVALID && m->base != X86_REG_RIP &&
		    (m->base == X86_REG_EIP ||
		     (reg_num(m->base, &size, &high) >= 0 && size == 4)))
			addr32 = true;
		if (m->index != X86_REG_INVALID &&
		    reg_num(m->index, &size, &high) >= 0 && size == 4)
			addr32 = true;
		addr = addr_reg(m->base, next) +
		       addr_reg(m->index, next) * (uint64_t)m->scale +
		       (uint64_t)m->disp;
		if (addr32 || (in->detail->x86.prefix[3] == 0x67))
			addr &= 0xffffffffULL;
		if (m->segment == X86_REG_FS)
			addr += R.fs_base;
		else if (m->segment == X86_REG_GS)
			addr += R.gs_base;
	}
	ck_assert_msg(d.address == addr,
		      "%s: address %#llx, Capstone %#llx (%s %s)", hex(code, n),
		      (unsigned long long)d.address, (unsigned long long)addr,
		      in->mnemonic, in->op_str);
}

static uint64_t lcg = 12345;

static uint8_t rnd(void)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint8_t)(lcg >> 33);
}

static const struct {
	uint8_t b[2], n;
} opcodes[] = {
	{ { 0x88 }, 1 },       { { 0x89 }, 1 },	      { { 0x8a }, 1 },
	{ { 0x8b }, 1 },       { { 0xc6 }, 1 },	      { { 0xc7 }, 1 },
	{ { 0xa0 }, 1 },       { { 0xa1 }, 1 },	      { { 0xa2 }, 1 },
	{ { 0xa3 }, 1 },       { { 0x63 }, 1 },	      { { 0x0f, 0xb6 }, 2 },
	{ { 0x0f, 0xb7 }, 2 }, { { 0x0f, 0xbe }, 2 }, { { 0x0f, 0xbf }, 2 },
};

static const struct {
	uint8_t b[3], n;
} prefix_sets[] = {
	{ { 0 }, 0 },	       { { 0x66 }, 1 },	      { { 0x67 }, 1 },
	{ { 0x64 }, 1 },       { { 0x65 }, 1 },	      { { 0x2e }, 1 },
	{ { 0x3e }, 1 },       { { 0x26 }, 1 },	      { { 0x66, 0x67 }, 2 },
	{ { 0x65, 0x66 }, 2 }, { { 0x67, 0x64 }, 2 }, { { 0xf0 }, 1 },
	{ { 0xf3 }, 1 },       { { 0xf2 }, 1 },	      { { 0x66, 0x66 }, 2 },
};

/* prefixes, REX (0: none), opcode, then ModRM [SIB] and the tail. */
static unsigned int build(uint8_t *code, unsigned int p, unsigned int rex,
			  unsigned int op, int modrm, int sib)
{
	unsigned int n = 0, i;

	for (i = 0; i < prefix_sets[p].n; i++)
		code[n++] = prefix_sets[p].b[i];
	if (rex)
		code[n++] = (uint8_t)rex;
	for (i = 0; i < opcodes[op].n; i++)
		code[n++] = opcodes[op].b[i];
	if (modrm >= 0)
		code[n++] = (uint8_t)modrm;
	if (sib >= 0)
		code[n++] = (uint8_t)sib;
	while (n < 15)
		code[n++] = rnd();
	return n;
}

START_TEST(test_generated_against_capstone)
{
	struct counts c = { 0 };
	unsigned int p, r, op, rex;
	uint8_t code[16];
	int modrm, sib;

	for (op = 0; op < sizeof(opcodes) / sizeof(opcodes[0]); op++) {
		bool moffs = opcodes[op].b[0] >= 0xa0 &&
			     opcodes[op].b[0] <= 0xa3;

		for (p = 0; p < sizeof(prefix_sets) / sizeof(prefix_sets[0]);
		     p++) {
			for (r = 0; r < 17; r++) {
				rex = r ? 0x3f + r : 0;
				if (moffs) {
					check(code,
					      build(code, p, rex, op, -1, -1),
					      &c);
					continue;
				}
				for (modrm = 0; modrm < 256; modrm++) {
					bool has_sib = (modrm & 7) == 4 &&
						       (modrm >> 6) != 3;
					bool sweep = has_sib && p == 0 &&
						     (r == 0 || r == 12);

					if (!sweep) {
						check(code,
						      build(code, p, rex, op,
							    modrm,
							    has_sib ? rnd() :
								      -1),
						      &c);
						continue;
					}
					for (sib = 0; sib < 256; sib++)
						check(code,
						      build(code, p, rex, op,
							    modrm, sib),
						      &c);
				}
			}
		}
	}
	printf("x86decode: generated %lu encodings: %lu accepted, all "
	       "agreeing with Capstone; %lu refused (Capstone rejects %lu of "
	       "%lu sampled)\n",
	       c.total, c.accepted, c.refused, c.cs_rejects, c.sampled);
	ck_assert_uint_gt(c.accepted, 400000);
	ck_assert_uint_gt(c.refused, 10000);
}
END_TEST

START_TEST(test_random_bytes)
{
	struct counts c = { 0 };
	uint8_t code[15];
	unsigned int i, j;

	lcg = 777;
	for (i = 0; i < 300000; i++) {
		for (j = 0; j < sizeof(code); j++)
			code[j] = rnd();
		check(code, sizeof(code), &c);
	}
	printf("x86decode: random %lu byte strings: %lu accepted, all "
	       "agreeing with Capstone; %lu refused (Capstone rejects %lu of "
	       "%lu sampled)\n",
	       c.total, c.accepted, c.refused, c.cs_rejects, c.sampled);
	ck_assert_uint_gt(c.accepted, 300);
}
END_TEST

static enum wd_reason dec(const char *bytes, unsigned int n,
			  struct x86_mmio_insn *d)
{
	return x86_decode_mmio((const uint8_t *)bytes, n, &R, true, d);
}

START_TEST(test_refusals)
{
	static const struct {
		const char *b;
		unsigned int n;
		const char *what;
	} refused[] = {
		{ "\xa4", 1, "movsb" },
		{ "\xf3\xab", 2, "rep stosd" },
		{ "\x48\xa5", 2, "movsq" },
		{ "\xac", 1, "lodsb" },
		{ "\x66\x0f\x6f\x03", 4, "movdqa xmm0, [rbx]" },
		{ "\x0f\x10\x03", 3, "movups xmm0, [rbx]" },
		{ "\xc5\xfd\x6f\x03", 4, "vmovdqa ymm0, [rbx]" },
		{ "\x0f\xc3\x03", 3, "movnti [rbx], eax" },
		{ "\xf0\x01\x03", 3, "lock add [rbx], eax" },
		{ "\x01\x03", 2, "add [rbx], eax" },
		{ "\xff\x03", 2, "inc dword [rbx]" },
		{ "\x87\x03", 2, "xchg [rbx], eax" },
		{ "\x0f\xb1\x0b", 3, "cmpxchg [rbx], ecx" },
		{ "\xf0\x0f\xb1\x0b", 4, "lock cmpxchg [rbx], ecx" },
		{ "\xf0\x89\x03", 3, "lock mov (#UD)" },
		{ "\xf3\x89\x03", 3, "xrelease mov" },
		{ "\x89\xd8", 2, "mov eax, ebx (no memory)" },
		{ "\xc7\x0b\x01\x00\x00\x00", 6, "C7 /1" },
		{ "\x63\x03", 2, "movsxd without REX.W" },
		{ "\x48\x66\x89\x03", 4, "REX before a prefix (ignored)" },
		{ "\x64\x65\x89\x03", 4, "two segment prefixes" },
		{ "\xd9\x03", 2, "fld dword [rbx]" },
		{ "\x0f\xae\x3b", 3, "clflush [rbx]" },
	};
	struct x86_mmio_insn d;
	unsigned int i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ck_assert_msg(dec(refused[i].b, refused[i].n, &d) ==
				      WD_R_insn_x86_not_emulated,
			      "%s not refused", refused[i].what);
	ck_assert_int_eq(dec("\x8b", 1, &d), WD_R_insn_x86_truncated);
	ck_assert_int_eq(dec("\x8b\x83\x00\x10", 4, &d),
			 WD_R_insn_x86_truncated);
	ck_assert_int_eq(dec("\x48\xa1\x00\x10\x00\x00", 6, &d),
			 WD_R_insn_x86_truncated);
	/* 14 prefixes, then mov eax, [rbx]: 16 bytes. */
	ck_assert_int_eq(dec("\x66\x2e\x66\x2e\x66\x2e\x66\x2e\x66\x2e\x66\x2e"
			     "\x66\x2e\x8b\x03",
			     16, &d),
			 WD_R_insn_x86_not_emulated);
	ck_assert_uint_eq(x86_insn_item((const uint8_t *)"\xf0\x01\x03", 3),
			  0x0301f0);
	ck_assert_uint_eq(
		x86_insn_item((const uint8_t *)"\x01\x02\x03\x04\x05\x06\x07"
					       "\x08\x09",
			      9),
		0x0807060504030201ULL);
}
END_TEST

START_TEST(test_load_and_store_values)
{
	struct x86_mmio_insn d;
	uint64_t old = 0x1122334455667788ULL;

	/* mov rax, [rbx]: 8 bytes, one access. */
	ck_assert_int_eq(dec("\x48\x8b\x03", 3, &d), WD_R_none);
	ck_assert_uint_eq(d.size, 8);
	ck_assert_uint_eq(d.address, R.gpr[3]);
	ck_assert_uint_eq(x86_mmio_load_result(&d, old, 0xa1a2a3a4a5a6a7a8),
			  0xa1a2a3a4a5a6a7a8ULL);
	/* mov eax, [rbx]: bits 63:32 cleared. */
	ck_assert_int_eq(dec("\x8b\x03", 2, &d), WD_R_none);
	ck_assert_uint_eq(x86_mmio_load_result(&d, old, 0xdeadbeef),
			  0xdeadbeefULL);
	/* mov ax, [rbx]; mov al, [rbx]; mov ah, [rbx]: the rest kept. */
	ck_assert_int_eq(dec("\x66\x8b\x03", 3, &d), WD_R_none);
	ck_assert_uint_eq(x86_mmio_load_result(&d, old, 0xbeef),
			  0x112233445566beefULL);
	ck_assert_int_eq(dec("\x8a\x03", 2, &d), WD_R_none);
	ck_assert_uint_eq(x86_mmio_load_result(&d, old, 0xef),
			  0x11223344556677efULL);
	ck_assert_int_eq(dec("\x8a\x23", 2, &d), WD_R_none);
	ck_assert(d.high_byte && d.reg == 0);
	ck_assert_uint_eq(x86_mmio_load_result(&d, old, 0xef),
			  0x112233445566ef88ULL);
	/* with REX, 4 is SPL, not AH */
	ck_assert_int_eq(dec("\x40\x8a\x23", 3, &d), WD_R_none);
	ck_assert(!d.high_byte && d.reg == 4);
	/* movsx eax, byte [rbx]; movzx rax, word [rbx]; movsxd rax, [rbx] */
	ck_assert_int_eq(dec("\x0f\xbe\x03", 3, &d), WD_R_none);
	ck_assert_uint_eq(x86_mmio_load_result(&d, old, 0x80), 0xffffff80ULL);
	ck_assert_int_eq(dec("\x48\x0f\xb7\x03", 4, &d), WD_R_none);
	ck_assert_uint_eq(x86_mmio_load_result(&d, old, 0x8000), 0x8000ULL);
	ck_assert_int_eq(dec("\x48\x63\x03", 3, &d), WD_R_none);
	ck_assert_uint_eq(x86_mmio_load_result(&d, old, 0x80000000),
			  0xffffffff80000000ULL);
	/* stores: mov [rbx], bh; mov qword [rbx], -2 (sign-extended) */
	ck_assert_int_eq(dec("\x88\x3b", 2, &d), WD_R_none);
	ck_assert_uint_eq(x86_mmio_store_value(&d, &R), (R.gpr[3] >> 8) & 0xff);
	ck_assert_int_eq(dec("\x48\xc7\x03\xfe\xff\xff\xff", 7, &d), WD_R_none);
	ck_assert(d.write && d.has_imm && d.size == 8 && d.len == 7);
	ck_assert_uint_eq(x86_mmio_store_value(&d, &R), 0xfffffffffffffffeULL);
	/* mov [rip + 0x10], eax; mov eax, fs:[rbx]; mov [0x7f000000], rax */
	ck_assert_int_eq(dec("\x89\x05\x10\x00\x00\x00", 6, &d), WD_R_none);
	ck_assert_uint_eq(d.address, R.rip + 6 + 0x10);
	ck_assert_int_eq(dec("\x64\x8b\x03", 3, &d), WD_R_none);
	ck_assert_uint_eq(d.address, R.gpr[3] + R.fs_base);
	ck_assert_int_eq(dec("\x48\xa3\x00\x00\x00\x7f\x00\x00\x00\x00", 10,
			     &d),
			 WD_R_none);
	ck_assert(d.write && d.size == 8 && d.address == 0x7f000000 &&
		  d.len == 10);
}
END_TEST

START_TEST(test_system_lengths)
{
	static const struct {
		const char *b;
		unsigned int n, len;
		enum x86_sys_insn op;
		bool lock;
	} sys[] = {
		{ "\x0f\x32", 2, 2, X86_SYS_RDMSR, false },
		{ "\x48\x0f\x32", 3, 3, X86_SYS_RDMSR, false },
		{ "\x2e\x0f\x30", 3, 3, X86_SYS_WRMSR, false },
		{ "\x66\x41\x0f\x31", 4, 4, X86_SYS_RDTSC, false },
		{ "\x0f\x01\xf9", 3, 3, X86_SYS_RDTSCP, false },
		{ "\x65\x48\x0f\x01\xf9", 5, 5, X86_SYS_RDTSCP, false },
		{ "\x40\x0f\xa2", 3, 3, X86_SYS_CPUID, false },
		{ "\xf0\x0f\x32", 3, 3, X86_SYS_RDMSR, true },
		{ "\x0f\x01\xf8", 3, 0, X86_SYS_NONE, false }, /* swapgs */
		{ "\x0f\x33", 2, 0, X86_SYS_NONE, false },     /* rdpmc */
		{ "\x8b\x03", 2, 0, X86_SYS_NONE, false },
	};
	unsigned int i, len;
	bool lock;

	for (i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		enum x86_sys_insn op = x86_decode_sys((const uint8_t *)sys[i].b,
						      sys[i].n, &len, &lock);

		ck_assert_int_eq(op, sys[i].op);
		if (op != X86_SYS_NONE) {
			ck_assert_uint_eq(len, sys[i].len);
			ck_assert_int_eq(lock, sys[i].lock);
		}
	}
}
END_TEST

static Suite *x86decode_suite(void)
{
	Suite *s = suite_create("x86decode");
	TCase *tc = tcase_create("decode");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_generated_against_capstone);
	tcase_add_test(tc, test_random_bytes);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_load_and_store_values);
	tcase_add_test(tc, test_system_lengths);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(x86decode_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
