/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86-64 cases of mmio-access: MOV loads and stores of 1, 2, 4 and 8
 * bytes, immediates, MOVZX/MOVSX/MOVSXD, the addressing modes (displacement
 * 8/32, SIB, index without base, absolute, RIP-relative, the r12/r13/rsp
 * encoding corners), REX and high-byte registers, and MOVABS (moffs).
 * Interrupts stay off throughout (the rsp case borrows the stack pointer).
 */
#include "../mmio_access.h"

#define PAT 0x1122334455667788ULL

/* The test region as a symbol for the RIP-relative form: the linker script
 * defines it (an absolute symbol defined here would be taken as a plain
 * displacement by the assembler). */
extern const char mmio_test_region[];
_Static_assert(MMIO_TEST_BASE < 0x80000000, "RIP-relative reach");

static void put64(unsigned int off, uint64_t v)
{
	mmio_write64(R + off, v);
}

static uint64_t get64(unsigned int off)
{
	return mmio_read64(R + off);
}

#define STORE(fn, insn, prep)                                       \
	static uint64_t fn(void)                                    \
	{                                                           \
		put64(0, prep);                                     \
		asm volatile(insn : : "a"(PAT), "b"(R) : "memory"); \
		return get64(0);                                    \
	}

STORE(store8, "movb %%al, (%%rbx)", ~0ULL)
STORE(store16, "movw %%ax, (%%rbx)", ~0ULL)
STORE(store32, "movl %%eax, (%%rbx)", ~0ULL)
STORE(store64, "movq %%rax, (%%rbx)", ~0ULL)
STORE(imm8, "movb $0x5a, (%%rbx)", ~0ULL)
STORE(imm16, "movw $0x1234, (%%rbx)", ~0ULL)
STORE(imm32, "movl $0xdeadbeef, (%%rbx)", ~0ULL)
STORE(imm64, "movq $-2, (%%rbx)", 0)

/* Loads into a register holding all ones: shows what is preserved. */
#define LOAD(fn, insn, value)                                     \
	static uint64_t fn(void)                                  \
	{                                                         \
		uint64_t r = ~0ULL;                               \
		put64(0, value);                                  \
		asm volatile(insn : "+a"(r) : "b"(R) : "memory"); \
		return r;                                         \
	}

LOAD(load8, "movb (%%rbx), %%al", PAT)
LOAD(load16, "movw (%%rbx), %%ax", PAT)
LOAD(load32, "movl (%%rbx), %%eax", PAT)
LOAD(load64, "movq (%%rbx), %%rax", PAT)
LOAD(movzx8_32, "movzbl (%%rbx), %%eax", 0x80)
LOAD(movzx16_32, "movzwl (%%rbx), %%eax", 0x8001)
LOAD(movzx8_64, "movzbq (%%rbx), %%rax", 0x80)
LOAD(movzx16_64, "movzwq (%%rbx), %%rax", 0x8001)
LOAD(movsx8_32, "movsbl (%%rbx), %%eax", 0x80)
LOAD(movsx16_32, "movswl (%%rbx), %%eax", 0x8001)
LOAD(movsx8_64, "movsbq (%%rbx), %%rax", 0x80)
LOAD(movsx16_64, "movswq (%%rbx), %%rax", 0x8001)
LOAD(movsxd, "movslq (%%rbx), %%rax", 0x80000001)

#define V32 0xa5c3e10fu

/* 32-bit stores of V32 through an addressing mode; read back at off. */
#define ADDR(fn, off, insn, ...)                               \
	static uint64_t fn(void)                               \
	{                                                      \
		put32(off, 0);                                 \
		asm volatile(insn                              \
			     :                                 \
			     : "d"(V32), "b"(R), ##__VA_ARGS__ \
			     : "memory");                      \
		return get32(off);                             \
	}

ADDR(disp8, 0x10, "movl %%edx, 0x10(%%rbx)")
ADDR(disp32, 0x80, "movl %%edx, 0x80(%%rbx)")
ADDR(sib, 0x14, "movl %%edx, (%%rbx,%%rcx,4)", "c"(5))
ADDR(sib_disp, 0x38, "movl %%edx, 0x20(%%rbx,%%rcx,8)", "c"(3))
ADDR(index_only, 0x48, "movl %%edx, %c[a](,%%rcx,2)", "c"(4), [a] "i"(R + 0x40))
ADDR(absolute, 0x50, "movl %%edx, %c[a]", [a] "i"(R + 0x50))
ADDR(rip_rel, 0x58, "movl %%edx, mmio_test_region+0x58(%%rip)")

static uint64_t rex_store(void)
{
	register uint64_t v asm("r9") = V32;
	register uint64_t p asm("r10") = R + 0x60;

	put32(0x60, 0);
	asm volatile("movl %%r9d, (%%r10)" : : "r"(v), "r"(p) : "memory");
	return get32(0x60);
}

static uint64_t rex_load(void)
{
	register uint64_t p asm("r11") = R + 0x60;
	register uint64_t r asm("r12");

	put64(0x60, PAT);
	asm volatile("movq (%%r11), %%r12" : "=r"(r) : "r"(p) : "memory");
	return r;
}

static uint64_t high_store(void)
{
	put32(0x68, 0);
	asm volatile("movb %%ah, (%%rbx)"
		     :
		     : "a"(0xbeef), "b"(R + 0x68)
		     : "memory");
	return get32(0x68);
}

static uint64_t high_load(void)
{
	uint64_t r = ~0ULL;

	put32(0x6c, 0x42);
	asm volatile("movb (%%rbx), %%ch" : "+c"(r) : "b"(R + 0x6c) : "memory");
	return r;
}

static uint64_t r12_base(void)
{
	register uint64_t p asm("r12") = R + 0x70;

	put32(0x70, 0);
	asm volatile("movl %%edx, (%%r12)" : : "d"(V32), "r"(p) : "memory");
	return get32(0x70);
}

static uint64_t r13_base(void)
{
	register uint64_t p asm("r13") = R + 0x74;

	put32(0x74, 0);
	asm volatile("movl %%edx, (%%r13)" : : "d"(V32), "r"(p) : "memory");
	return get32(0x74);
}

static uint64_t rsp_base(void)
{
	uint64_t p = R + 0x78;

	put32(0x78, 0);
	asm volatile("xchgq %%rsp, %0\n\t"
		     "movl %%edx, (%%rsp)\n\t"
		     "xchgq %%rsp, %0"
		     : "+r"(p)
		     : "d"(V32)
		     : "memory");
	return get32(0x78);
}

static uint64_t movabs_load(void)
{
	uint64_t r;

	put64(0x88, PAT);
	asm volatile("movabsq %c[a], %%rax"
		     : "=a"(r)
		     : [a] "i"(R + 0x88)
		     : "memory");
	return r;
}

static uint64_t movabs_store(void)
{
	put32(0x90, 0xffffffff);
	asm volatile("movabsb %%al, %c[a]"
		     :
		     : "a"(0x3c), [a] "i"(R + 0x90)
		     : "memory");
	return get32(0x90);
}

const struct mmio_case mmio_cases[] = {
	{ "mmio.store8", store8, 0xffffffffffffff88 },
	{ "mmio.store16", store16, 0xffffffffffff7788 },
	{ "mmio.store32", store32, 0xffffffff55667788 },
	{ "mmio.store64", store64, PAT },
	{ "mmio.load8", load8, 0xffffffffffffff88 },
	{ "mmio.load16", load16, 0xffffffffffff7788 },
	{ "mmio.load32", load32, 0x55667788 },
	{ "mmio.load64", load64, PAT },
	{ "mmio.imm8", imm8, 0xffffffffffffff5a },
	{ "mmio.imm16", imm16, 0xffffffffffff1234 },
	{ "mmio.imm32", imm32, 0xffffffffdeadbeef },
	{ "mmio.imm64-sext", imm64, 0xfffffffffffffffe },
	{ "mmio.movzx8-32", movzx8_32, 0x80 },
	{ "mmio.movzx16-32", movzx16_32, 0x8001 },
	{ "mmio.movzx8-64", movzx8_64, 0x80 },
	{ "mmio.movzx16-64", movzx16_64, 0x8001 },
	{ "mmio.movsx8-32", movsx8_32, 0xffffff80 },
	{ "mmio.movsx16-32", movsx16_32, 0xffff8001 },
	{ "mmio.movsx8-64", movsx8_64, 0xffffffffffffff80 },
	{ "mmio.movsx16-64", movsx16_64, 0xffffffffffff8001 },
	{ "mmio.movsxd", movsxd, 0xffffffff80000001 },
	{ "mmio.disp8", disp8, V32 },
	{ "mmio.disp32", disp32, V32 },
	{ "mmio.sib", sib, V32 },
	{ "mmio.sib-disp", sib_disp, V32 },
	{ "mmio.index-no-base", index_only, V32 },
	{ "mmio.absolute", absolute, V32 },
	{ "mmio.rip-relative", rip_rel, V32 },
	{ "mmio.rex-store", rex_store, V32 },
	{ "mmio.rex-load", rex_load, PAT },
	{ "mmio.high-byte-store", high_store, 0xbe },
	{ "mmio.high-byte-load", high_load, 0xffffffffffff42ff },
	{ "mmio.r12-base", r12_base, V32 },
	{ "mmio.r13-base", r13_base, V32 },
	{ "mmio.rsp-base", rsp_base, V32 },
	{ "mmio.movabs-load", movabs_load, PAT },
	{ "mmio.movabs-store8", movabs_store, 0xffffff3c },
};
const unsigned int num_mmio_cases = ARRAY_SIZE(mmio_cases);
