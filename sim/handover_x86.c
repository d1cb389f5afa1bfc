// SPDX-License-Identifier: GPL-2.0
/*
 * An x86 CPU changes hands: the reset list of arch-x86/handover.h applied
 * to the engine, which handover.c started from the CPU's kept state, and
 * to the CPU's x2APIC model (sim/lapic.c); then the simulator's start-up
 * shortcut. Each entry is a Unicorn register write (or an x2APIC model
 * write), skippable by name for the leak tests (exec_handover_skip).
 *
 * The shortcut (docs/inmates.md): Unicorn cannot go from real mode to
 * long mode, so where the inmate's 16/32-bit start-up code would, on top
 * of the INIT state the list gives, set CR0.PE and EFER.LME (LMA), the
 * sim sets them here, read-modify-write as the start-up code does: the
 * rest of CR0, EFER and CR4 stays as the list left it, so an entry the
 * list forgets still shows. No paging (Unicorn runs 64-bit code without
 * it, and honours CR0.PG: the page tables are not built), flat null
 * segments instead of the real-mode ones (the inmate's entry64 loads its
 * own), RIP and RBP as exec.c sets them.
 *
 * Not in Unicorn's CPU (qemu64: no XSAVE, no AVX, CR8 not tied to an
 * APIC): XCR0 and the YMM upper halves cannot be set by a cell here, so
 * nothing of them is applied; CR8 is written (Unicorn keeps it at 0).
 * The TSC offset is none: guest time is the sim's virtual time.
 */
#include <string.h>

#include <unicorn/unicorn.h>

#include "../arch-x86/handover.h"
#include "../hal/core.h"
#include "exec_int.h"
#include "intc.h"
#include "sim.h"

#define CR0_PE 0x1ull
#define EFER_LME 0x100ull
#define MSR_EFER 0xc0000080u

/* The general registers by encoding number, with their names in the list
 * (X86_HANDOVER_GPRS). */
static const struct {
	const char *name;
	int id;
} gprs[X86_HANDOVER_GPRS] = {
	{ "RAX", UC_X86_REG_RAX }, { "RCX", UC_X86_REG_RCX },
	{ "RDX", UC_X86_REG_RDX }, { "RBX", UC_X86_REG_RBX },
	{ "RSP", UC_X86_REG_RSP }, { "RBP", UC_X86_REG_RBP },
	{ "RSI", UC_X86_REG_RSI }, { "RDI", UC_X86_REG_RDI },
	{ "R8", UC_X86_REG_R8 },   { "R9", UC_X86_REG_R9 },
	{ "R10", UC_X86_REG_R10 }, { "R11", UC_X86_REG_R11 },
	{ "R12", UC_X86_REG_R12 }, { "R13", UC_X86_REG_R13 },
	{ "R14", UC_X86_REG_R14 }, { "R15", UC_X86_REG_R15 },
};

static int cr_id(unsigned int n)
{
	return n == 0 ? UC_X86_REG_CR0 :
	       n == 2 ? UC_X86_REG_CR2 :
	       n == 3 ? UC_X86_REG_CR3 :
	       n == 4 ? UC_X86_REG_CR4 :
			UC_X86_REG_CR8;
}

static int dr_id(unsigned int n)
{
	return n < 4  ? UC_X86_REG_DR0 + (int)n :
	       n == 6 ? UC_X86_REG_DR6 :
			UC_X86_REG_DR7;
}

/* The x87 registers of the list with their Unicorn ids: FIP and FDP
 * include their selectors (FCS, FDS), 0 as well. */
static uc_err fpu(uc_engine *uc, const char *name, uint64_t v)
{
	static const struct {
		const char *name;
		int id, id2;
	} regs[] = {
		{ "FCW", UC_X86_REG_FPCW, 0 },
		{ "FSW", UC_X86_REG_FPSW, 0 },
		{ "FTW", UC_X86_REG_FPTAG, 0 },
		{ "FOP", UC_X86_REG_FOP, 0 },
		{ "FIP", UC_X86_REG_FIP, UC_X86_REG_FCS },
		{ "FDP", UC_X86_REG_FDP, UC_X86_REG_FDS },
		{ "MXCSR", UC_X86_REG_MXCSR, 0 },
	};
	unsigned int i;
	uc_err e = UC_ERR_ARG;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (strcmp(regs[i].name, name))
			continue;
		e = uc_reg_write(uc, regs[i].id, &v);
		if (!e && regs[i].id2)
			e = uc_reg_write(uc, regs[i].id2, &v);
	}
	return e;
}

static uc_err seg(uc_engine *uc, const char *name, uint64_t base,
		  uint32_t limit, uint32_t ar)
{
	static const struct {
		const char *name;
		int id;
	} segs[] = {
		{ "CS", UC_X86_REG_CS }, { "SS", UC_X86_REG_SS },
		{ "DS", UC_X86_REG_DS }, { "ES", UC_X86_REG_ES },
		{ "FS", UC_X86_REG_FS }, { "GS", UC_X86_REG_GS },
	};
	uc_x86_mmr m = { .base = base, .limit = limit, .flags = ar << 8 };
	uint64_t null = 0;
	unsigned int i;

	if (!strcmp(name, "LDTR"))
		return uc_reg_write(uc, UC_X86_REG_LDTR, &m);
	if (!strcmp(name, "TR"))
		return uc_reg_write(uc, UC_X86_REG_TR, &m);
	/* The shortcut's flat segments: null selectors in 64-bit mode, CS
	 * the engine's 64-bit code segment. Loading one clears its base:
	 * FS's and GS's are the FS_BASE and GS_BASE entries (one state, as
	 * in the VMCS), so they are kept here. */
	for (i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		int b = segs[i].id == UC_X86_REG_FS ? UC_X86_REG_FS_BASE :
			segs[i].id == UC_X86_REG_GS ? UC_X86_REG_GS_BASE :
						      0;
		uint64_t keep = 0;
		uc_err e;

		if (strcmp(segs[i].name, name))
			continue;
		e = b ? uc_reg_read(uc, b, &keep) : UC_ERR_OK;
		if (!e)
			e = uc_reg_write(uc, segs[i].id, &null);
		if (!e && b)
			e = uc_reg_write(uc, b, &keep);
		return e;
	}
	return UC_ERR_ARG;
}

static uc_err msr(uc_engine *uc, uint32_t id, uint64_t v)
{
	uc_x86_msr m = { .rid = id, .value = v };

	return uc_reg_write(uc, UC_X86_REG_MSR, &m);
}

static uc_err vectors(uc_engine *uc)
{
	uint8_t zero[32];
	uc_err e = UC_ERR_OK;
	unsigned int i;

	memset(zero, (int)X86_HANDOVER_VEC_VALUE, sizeof(zero));
	for (i = 0; i < X86_HANDOVER_ST_REGS && !e; i++)
		if (!xc_handover_skipped("ST"))
			e = uc_reg_write(uc, UC_X86_REG_ST0 + (int)i, zero);
	for (i = 0; i < X86_HANDOVER_VEC_REGS && !e; i++)
		if (!xc_handover_skipped("XMM"))
			e = uc_reg_write(uc, UC_X86_REG_XMM0 + (int)i, zero);
	return e;
}

#define SKIP(name) xc_handover_skipped(#name)
#define CR(name, n, v) \
	e = e || SKIP(name) ? e : uc_reg_write(uc, cr_id(n), &(uint64_t){ v });
#define SEG(name, sel, base, limit, ar) \
	e = e || SKIP(name) ? e : seg(uc, #name, base, limit, ar);
#define DTR(name, b, l)                                 \
	e = e || SKIP(name) ?                           \
		    e :                                 \
		    uc_reg_write(uc, UC_X86_REG_##name, \
				 &(uc_x86_mmr){ .base = b, .limit = l });
#define DR(name, n, v) \
	e = e || SKIP(name) ? e : uc_reg_write(uc, dr_id(n), &(uint64_t){ v });
#define MSR(name, id, v) e = e || SKIP(name) ? e : msr(uc, id, v);
#define FPU(name, v) e = e || SKIP(name) ? e : fpu(uc, #name, v);
#define APIC(name, reg, v) \
	bad |= SKIP(name) ? 0 : lapic_handover(xc->id, reg, v);
#define APIC_VEC(name, reg) \
	bad |= SKIP(name) ? 0 : lapic_handover(xc->id, reg, 0);

int xc_x86_handover(struct xcpu *xc)
{
	uc_engine *uc = xc->uc;
	bool boot = sim_cpu(xc->id)->reset_entry ==
		    core_cell_config(xc->cell)->cpu_reset_address;
	uint64_t rflags = X86_HANDOVER_RFLAGS, v = 0;
	uc_x86_msr efer = { .rid = MSR_EFER };
	uc_err e = UC_ERR_OK;
	unsigned int i;
	int bad = 0;

	for (i = 0; i < X86_HANDOVER_GPRS && !e; i++)
		if (!xc_handover_skipped(gprs[i].name))
			e = uc_reg_write(uc, gprs[i].id,
					 &(uint64_t){ X86_HANDOVER_GPR_VALUE });
	if (!e && !SKIP(RFLAGS))
		e = uc_reg_write(uc, UC_X86_REG_RFLAGS, &rflags);
	X86_HANDOVER_CRS(CR)
	X86_HANDOVER_SEGS(SEG)
	X86_HANDOVER_DTRS(DTR)
	X86_HANDOVER_DRS(DR)
	X86_HANDOVER_MSRS(MSR)
	X86_HANDOVER_FPU(FPU)
	if (!e)
		e = vectors(uc);
	X86_HANDOVER_APIC(APIC)
	X86_HANDOVER_APIC_VECTORS(APIC_VEC)
	if (!SKIP(APIC_BASE))
		bad |= lapic_handover(
			xc->id, MSR_APIC_BASE,
			X86_HANDOVER_APIC_BASE |
				(boot ? X86_HANDOVER_APIC_BASE_BSP : 0));

	/* The start-up shortcut, on top of what the list left. */
	if (!e)
		e = uc_reg_read(uc, UC_X86_REG_CR0, &v);
	if (!e)
		e = uc_reg_write(uc, UC_X86_REG_CR0, &(uint64_t){ v | CR0_PE });
	if (!e)
		e = uc_reg_read(uc, UC_X86_REG_MSR, &efer);
	if (!e)
		e = msr(uc, MSR_EFER, efer.value | EFER_LME | EFER_LMA);
	return e || bad ? -1 : 0;
}
