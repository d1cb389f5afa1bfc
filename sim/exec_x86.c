// SPDX-License-Identifier: GPL-2.0
/*
 * x86 CPUs of the executor: what a VT-x/AMD-V backend does on an exit,
 * through the same x86 exit layer (arch-x86/exit.c: one policy, linked
 * here), with Unicorn behind its ops:
 * - MMIO (an access outside the cell's RAM, an EPT/NPT violation on
 *   hardware): the engine stops at the instruction (the unmapped hook
 *   refuses the access, so nothing of it happens), x86_exit_npf() fetches,
 *   decodes and emulates it (the core sees ONE access of the instruction's
 *   width; the xAPIC page is emulated), and its register changes and RIP
 *   go into the engine after it returned (xc_x86_complete).
 * - RDMSR/WRMSR/RDTSC/RDTSCP in any encoding: x86_exit_msr(),
 *   sim_x86_rdtsc(); time is the CPU's virtual time; the guest-state MSRs (x86_msr_native(),
 *   which the backends do not intercept) Unicorn executes itself.
 * - CPUID: runs in Unicorn (the CPU's answer), then x86_exit_cpuid() makes
 *   the cell's answer of it (before the next instruction).
 * - IN/OUT: x86_exit_io(); VMCALL/VMMCALL: x86_exit_hypercall().
 */
#include <string.h>

#include <unicorn/unicorn.h>

#include "../arch-amd/insn_len.h"
#include "../arch-x86/exit.h"
#include "../arch-x86/msr.h"
#include "../hal/core.h"
#include "../hal/hal.h"
#include "exec_int.h"
#include "intc.h"
#include "sim.h"

static const int gpr_ids[16] = {
	UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
	UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
	UC_X86_REG_R8,	UC_X86_REG_R9,	UC_X86_REG_R10, UC_X86_REG_R11,
	UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15,
};

/* ---- the exit layer's ops on Unicorn --------------------------------------- */

struct sim_guest {
	struct xcpu *xc;
	struct x86_cpuid cpuid; /* the answer Unicorn gave */
};

static uint64_t reg_get(struct xcpu *xc, int id)
{
	uint64_t v = 0;

	uc_reg_read(xc->uc, id, &v);
	return v;
}

static int op_read_gpa(void *ctx, uint64_t gpa, void *dst, unsigned int len)
{
	struct sim_guest *sg = ctx;
	const uint8_t *p = xc_ram_ptr(sg->xc, gpa, len);

	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

static void op_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf,
		     struct x86_cpuid *r)
{
	(void)leaf;
	(void)subleaf;
	*r = ((struct sim_guest *)ctx)->cpuid;
}

static uint64_t op_msr_read(void *ctx, uint32_t msr)
{
	uc_x86_msr m = { .rid = msr };

	uc_reg_read(((struct sim_guest *)ctx)->xc->uc, UC_X86_REG_MSR, &m);
	return m.value;
}

static void op_msr_write(void *ctx, uint32_t msr, uint64_t val)
{
	uc_x86_msr m = { .rid = msr, .value = val };

	uc_reg_write(((struct sim_guest *)ctx)->xc->uc, UC_X86_REG_MSR, &m);
}

static uint64_t op_tsc(void *ctx)
{
	return sim_ticks(xc_now(((struct sim_guest *)ctx)->xc));
}

static int op_apic_read(void *ctx, uint32_t msr, uint64_t *val)
{
	struct xcpu *xc = ((struct sim_guest *)ctx)->xc;

	return lapic_reg_read(xc->id, msr, xc_now(xc), val);
}

static int op_apic_write(void *ctx, uint32_t msr, uint64_t val)
{
	struct xcpu *xc = ((struct sim_guest *)ctx)->xc;

	return lapic_reg_write(xc->id, msr, val, xc_now(xc));
}

static void op_send_ipi(void *ctx, unsigned int cpu, enum ipi_kind kind,
			uint8_t vector)
{
	(void)ctx;
	/* INIT needs nothing: the target waits for its SIPI, the only way a
	 * cell starts its CPUs. */
	if (kind == IPI_FIXED)
		lapic_raise(cpu, vector);
}

/* The exceptions the layer raises (#GP) the cell cannot be given here. */
static void op_inject(void *ctx, unsigned int vector)
{
	xc_fault(((struct sim_guest *)ctx)->xc, vector);
}

static const struct x86_exit_ops sim_ops = {
	.read_gpa = op_read_gpa,
	.cpuid = op_cpuid,
	.msr_read = op_msr_read,
	.msr_write = op_msr_write,
	.tsc = op_tsc,
	.apic_read = op_apic_read,
	.apic_write = op_apic_write,
	.send_ipi = op_send_ipi,
	.inject = op_inject,
};

/*
 * The trapped guest of @xc as the layer takes it. Unicorn's CPUs run
 * 64-bit code (entry64, docs/inmates.md), with their paging as set.
 */
static void guest(struct xcpu *xc, struct sim_guest *sg, struct x86_guest *g,
		  unsigned int insn_len)
{
	void *vals[19];
	int ids[19];
	unsigned int i;

	*sg = (struct sim_guest){ .xc = xc };
	*g = (struct x86_guest){
		.code64 = true, .insn_len = insn_len, .ops = &sim_ops, .ctx = sg
	};
	for (i = 0; i < 16; i++) {
		ids[i] = gpr_ids[i];
		vals[i] = &g->regs.gpr[i];
	}
	ids[16] = UC_X86_REG_RIP;
	vals[16] = &g->regs.rip;
	ids[17] = UC_X86_REG_FS_BASE;
	vals[17] = &g->regs.fs_base;
	ids[18] = UC_X86_REG_GS_BASE;
	vals[18] = &g->regs.gs_base;
	uc_reg_read_batch(xc->uc, ids, vals, 19);
	g->cr0 = reg_get(xc, UC_X86_REG_CR0);
	g->cr3 = reg_get(xc, UC_X86_REG_CR3);
	g->cr4 = reg_get(xc, UC_X86_REG_CR4);
	g->efer = op_msr_read(sg, 0xc0000080);
	/* VT-x and AMD-V exit on vmcall/vmmcall at any CPL: the CS RPL. */
	g->cpl = reg_get(xc, UC_X86_REG_CS) & 3;
	sim_set_cpu(xc->id);
}

/* The GPRs the layer changed, into the engine now. */
static void put_regs(struct xcpu *xc, const struct x86_guest *g,
		     const uint64_t *before)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (g->regs.gpr[i] != before[i])
			uc_reg_write(xc->uc, gpr_ids[i], &g->regs.gpr[i]);
}

/* ---- MMIO ------------------------------------------------------------------- */

bool xc_x86_mmio(struct xcpu *xc, uint64_t fault, bool write)
{
	struct sim_guest sg;
	struct x86_guest g;
	uint64_t before[16];
	unsigned int i;

	/* A CPU already stopped (slice end, denied) does not access: the
	 * engine stops at the instruction and runs it again next time. */
	if (xc->why != RUNNING || xc->dead)
		return false;
	guest(xc, &sg, &g, 0);
	memcpy(before, g.regs.gpr, sizeof(before));
	if (x86_exit_npf(&g, fault, write, false) != X86_EXIT_RESUME ||
	    xc->why != RUNNING) {
		if (xc->why == RUNNING)
			xc_stop(xc, STOP_DENIED);
		return false;
	}
	xc->x86_done = true;
	xc->x86_rip = g.regs.rip + g.advance;
	xc->x86_changed = 0;
	for (i = 0; i < 16; i++) {
		xc->x86_gpr[i] = g.regs.gpr[i];
		if (g.regs.gpr[i] != before[i])
			xc->x86_changed |= 1U << i;
	}
	return false; /* the engine stops at the instruction */
}

bool xc_x86_complete(struct xcpu *xc)
{
	unsigned int i;

	if (!xc->x86_done)
		return false;
	xc->x86_done = false;
	for (i = 0; i < 16; i++)
		if (xc->x86_changed & (1U << i))
			uc_reg_write(xc->uc, gpr_ids[i], &xc->x86_gpr[i]);
	uc_reg_write(xc->uc, UC_X86_REG_RIP, &xc->x86_rip);
	return true;
}

/* ---- system instructions ------------------------------------------------ */

/*
 * RDTSC/RDTSCP (which the hardware backends let the CPU execute: only the
 * simulator emulates them): EDX:EAX = ops->tsc(), RDTSCP also ECX =
 * TSC_AUX (ops->msr_read); advance: g->insn_len.
 */
enum x86_exit_result sim_x86_rdtsc(struct x86_guest *g, bool rdtscp)
{
	uint64_t tsc = g->ops->tsc(g->ctx);

	if (rdtscp)
		g->regs.gpr[1] =
			(uint32_t)g->ops->msr_read(g->ctx, MSR_TSC_AUX);
	g->regs.gpr[0] = (uint32_t)tsc;
	g->regs.gpr[2] = tsc >> 32;
	g->advance = g->insn_len;
	return X86_EXIT_RESUME;
}

/* RDMSR/WRMSR/RDTSC/RDTSCP of @len bytes at @addr: emulated, skipped. */
static void x86_system(struct xcpu *xc, enum x86_sys_insn op, unsigned int len)
{
	struct sim_guest sg;
	struct x86_guest g;
	uint64_t before[16];
	enum x86_exit_result res;

	/* Guest state: the backends let the CPU execute it, so does Unicorn
	 * (any encoding). */
	if ((op == X86_SYS_RDMSR || op == X86_SYS_WRMSR) &&
	    x86_msr_native((uint32_t)reg_get(xc, UC_X86_REG_RCX)))
		return;
	guest(xc, &sg, &g, len);
	memcpy(before, g.regs.gpr, sizeof(before));
	if (op == X86_SYS_RDTSC || op == X86_SYS_RDTSCP)
		res = sim_x86_rdtsc(&g, op == X86_SYS_RDTSCP);
	else
		res = x86_exit_msr(&g, op == X86_SYS_WRMSR);
	if (xc->why != RUNNING && xc->why != STOP_SLICE)
		return; /* #GP: xc_fault() stopped the CPU */
	if (res != X86_EXIT_RESUME) {
		xc_stop(xc, STOP_DENIED);
		return;
	}
	put_regs(xc, &g, before);
	g.regs.rip += g.advance;
	uc_reg_write(xc->uc, UC_X86_REG_RIP, &g.regs.rip);
}

void xc_x86_insn(struct xcpu *xc, uint64_t addr, uint32_t size)
{
	const uint8_t *p;
	enum x86_sys_insn op;
	unsigned int len;
	bool lock;

	xc->x86_io_string = false;
	if (size < 1 || size > X86_MAX_INSN)
		return;
	if (xc->code_host && addr - xc->code_page < PAGE &&
	    addr + size - xc->code_page <= PAGE) {
		p = xc->code_host + (addr - xc->code_page);
	} else {
		p = xc_ram_ptr(xc, addr, size);
		if (!p)
			return;
		/* Cache the page for the next instructions. */
		if (xc_ram_ptr(xc, addr & ~(PAGE - 1), PAGE)) {
			xc->code_page = addr & ~(PAGE - 1);
			xc->code_host = p - (addr - xc->code_page);
		}
	}
	/* INS/OUTS end in 6C-6F: the port hooks refuse them (the CPU's
	 * exit information says "string" on hardware). */
	if (p[size - 1] >= 0x6c && p[size - 1] <= 0x6f) {
		xc->x86_io_string = x86_decode_sys(p, size, &len, &lock) ==
					    X86_SYS_INS_OUTS &&
				    len == size;
		return;
	}
	/* Each of the others ends in 0F 30/31/32/A2 or 0F 01 F9. */
	if (size < 2 ||
	    (p[size - 2] != 0x0f && (size < 3 || p[size - 3] != 0x0f)))
		return;
	op = x86_decode_sys(p, size, &len, &lock);
	if (op == X86_SYS_NONE || len != size)
		return;
	if (lock) {
		xc_fault(xc, X86_EXC_UD); /* #UD on hardware */
		return;
	}
	if (op == X86_SYS_CPUID) {
		/* Runs in Unicorn; made the cell's answer after it. */
		xc->cpuid_leaf = (uint32_t)reg_get(xc, UC_X86_REG_RAX);
		xc->cpuid_subleaf = (uint32_t)reg_get(xc, UC_X86_REG_RCX);
		xc->cpuid_next = addr + len;
		return;
	}
	x86_system(xc, op, len);
}

void xc_cpuid_fixup(struct xcpu *xc, uint64_t addr)
{
	struct sim_guest sg;
	struct x86_guest g;
	uint64_t before[16];

	if (addr != xc->cpuid_next)
		return;
	xc->cpuid_next = 0;
	guest(xc, &sg, &g, 2);
	memcpy(before, g.regs.gpr, sizeof(before));
	sg.cpuid = (struct x86_cpuid){ (uint32_t)g.regs.gpr[0],
				       (uint32_t)g.regs.gpr[3],
				       (uint32_t)g.regs.gpr[1],
				       (uint32_t)g.regs.gpr[2] };
	/* The request as it was (CPUID ran already: RIP is past it). */
	g.regs.gpr[0] = xc->cpuid_leaf;
	g.regs.gpr[1] = xc->cpuid_subleaf;
	x86_exit_cpuid(&g);
	put_regs(xc, &g, before);
}

/* ---- exits to the core: port I/O, vmcall/vmmcall ------------------------ */

/* A port the core allowed (hal_pio_access): the UARTs, on this CPU. */
void xc_pio_device(void *arg, struct pio_access *acc)
{
	struct xcpu *xc = xc_cpu(hal_cpu_id() % WD_MAX_CPUS);

	(void)arg;
	acc->value = xc_uart_8250(xc, acc->port, acc->is_write, acc->value);
}

static uint32_t pio(struct xcpu *xc, uint32_t port, int size, bool write,
		    uint32_t value)
{
	struct sim_guest sg;
	struct x86_guest g;

	if (xc->why != RUNNING && xc->why != STOP_SLICE)
		return 0;
	/* Unicorn completes the instruction itself (length 1: no fetch). */
	guest(xc, &sg, &g, 1);
	if (write)
		g.regs.gpr[0] = value;
	if (x86_exit_io(&g, (uint16_t)port, (unsigned int)size, !write,
			xc->x86_io_string) != X86_EXIT_RESUME) {
		xc_stop(xc, STOP_DENIED);
		return 0;
	}
	return write ? 0 : (uint32_t)g.regs.gpr[0];
}

static uint32_t hook_in(uc_engine *uc, uint32_t port, int size, void *arg)
{
	(void)uc;
	return pio(arg, port, size, false, 0);
}

static void hook_out(uc_engine *uc, uint32_t port, int size, uint32_t value,
		     void *arg)
{
	(void)uc;
	pio(arg, port, size, true, value);
}

static bool hook_invalid(uc_engine *uc, void *arg)
{
	struct xcpu *xc = arg;
	struct sim_guest sg;
	struct x86_guest g;
	uint8_t insn[3];
	uint64_t rip = 0;

	uc_reg_read(uc, UC_X86_REG_RIP, &rip);
	if (uc_mem_read(uc, rip, insn, sizeof(insn)) || insn[0] != 0x0f ||
	    insn[1] != 0x01 || (insn[2] != 0xc1 && insn[2] != 0xd9)) {
		xc_exception(xc, rip, WD_R_cpu_exception, rip);
		xc_stop(xc, STOP_FAULT);
		return false;
	}
	guest(xc, &sg, &g, 3);
	if (x86_exit_hypercall(&g) != X86_EXIT_RESUME || xc_parked(xc))
		xc_stop(xc, STOP_DENIED);
	g.regs.rip += g.advance;
	uc_reg_write(uc, UC_X86_REG_RAX, &g.regs.gpr[0]);
	uc_reg_write(uc, UC_X86_REG_RIP, &g.regs.rip);
	return true;
}

uc_err xc_x86_hooks(struct xcpu *xc)
{
	uc_hook h;
	uc_err e;

	if ((e = uc_hook_add(xc->uc, &h, UC_HOOK_INSN, hook_in, xc, 1, 0,
			     UC_X86_INS_IN)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_INSN, hook_out, xc, 1, 0,
			     UC_X86_INS_OUT)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_INSN_INVALID, hook_invalid, xc,
			     1, 0)))
		return e;
	return UC_ERR_OK;
}
