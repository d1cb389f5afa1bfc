// SPDX-License-Identifier: GPL-2.0
/*
 * x86 CPUs of the executor: what a VT-x/AMD-V backend does on an exit,
 * carried out with the x86 policy of arch-x86/ (one policy, linked here):
 * - MMIO (an access outside the cell's RAM, an EPT/NPT violation on
 *   hardware): the engine stops at the instruction (the unmapped hook
 *   refuses the access, so nothing of it happens), arch-x86/decode.c
 *   decodes it, the core sees ONE access of the instruction's width at
 *   its address, and the result goes into the register with RIP advanced
 *   by the decoded length (xc_x86_complete, after the engine returned).
 * - RDMSR/WRMSR/RDTSC/RDTSCP in any encoding (prefixes, REX): the MSR
 *   policy (arch-x86/msr.c) decides, time is the CPU's virtual time.
 * - CPUID: runs in Unicorn, then arch-x86/cpuid.c makes the cell's answer
 *   of it (before the next instruction).
 */
#include <string.h>

#include <capstone/capstone.h>
#include <unicorn/unicorn.h>

#include "../arch-x86/cpuid.h"
#include "../arch-x86/decode.h"
#include "../arch-x86/msr.h"
#include "../hal/core.h"
#include "../hal/hal.h"
#include "exec_int.h"
#include "intc.h"
#include "sim.h"

#define X86_GP 13 /* general protection fault vector */
#define X86_UD 6  /* invalid opcode */
/* The exit an MMIO access is on VT-x (EPT violation, basic exit reason
 * 48): the item of the exception record of a refused instruction. */
#define X86_EXIT_EPT_VIOLATION 48

static const int gpr_ids[16] = {
	UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
	UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
	UC_X86_REG_R8,	UC_X86_REG_R9,	UC_X86_REG_R10, UC_X86_REG_R11,
	UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15,
};

/* Capstone's name of GPR @n as an instruction of @size bytes names it
 * (trap records use Capstone's ids, which are Unicorn's). */
static uint8_t cs_reg(unsigned int n, unsigned int size, bool high)
{
	static const uint8_t r64[16] = {
		X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
		X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI,
		X86_REG_R8,  X86_REG_R9,  X86_REG_R10, X86_REG_R11,
		X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15,
	};
	static const uint8_t r32[16] = {
		X86_REG_EAX,  X86_REG_ECX,  X86_REG_EDX,  X86_REG_EBX,
		X86_REG_ESP,  X86_REG_EBP,  X86_REG_ESI,  X86_REG_EDI,
		X86_REG_R8D,  X86_REG_R9D,  X86_REG_R10D, X86_REG_R11D,
		X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D,
	};
	static const uint8_t r16[16] = {
		X86_REG_AX,   X86_REG_CX,   X86_REG_DX,	  X86_REG_BX,
		X86_REG_SP,   X86_REG_BP,   X86_REG_SI,	  X86_REG_DI,
		X86_REG_R8W,  X86_REG_R9W,  X86_REG_R10W, X86_REG_R11W,
		X86_REG_R12W, X86_REG_R13W, X86_REG_R14W, X86_REG_R15W,
	};
	static const uint8_t r8[16] = {
		X86_REG_AL,   X86_REG_CL,   X86_REG_DL,	  X86_REG_BL,
		X86_REG_SPL,  X86_REG_BPL,  X86_REG_SIL,  X86_REG_DIL,
		X86_REG_R8B,  X86_REG_R9B,  X86_REG_R10B, X86_REG_R11B,
		X86_REG_R12B, X86_REG_R13B, X86_REG_R14B, X86_REG_R15B,
	};
	static const uint8_t hi[4] = { X86_REG_AH, X86_REG_CH, X86_REG_DH,
				       X86_REG_BH };

	n &= 15;
	if (high)
		return hi[n & 3];
	switch (size) {
	case 1:
		return r8[n];
	case 2:
		return r16[n];
	case 4:
		return r32[n];
	}
	return r64[n];
}

static void read_regs(struct xcpu *xc, struct x86_regs *r)
{
	void *vals[19];
	int ids[19];
	unsigned int i;

	for (i = 0; i < 16; i++) {
		ids[i] = gpr_ids[i];
		vals[i] = &r->gpr[i];
	}
	ids[16] = UC_X86_REG_RIP;
	vals[16] = &r->rip;
	ids[17] = UC_X86_REG_FS_BASE;
	vals[17] = &r->fs_base;
	ids[18] = UC_X86_REG_GS_BASE;
	vals[18] = &r->gs_base;
	*r = (struct x86_regs){ 0 };
	uc_reg_read_batch(xc->uc, ids, vals, 19);
}

/* Up to 15 instruction bytes at @rip; how many could be read. */
static unsigned int fetch(struct xcpu *xc, uint64_t rip, uint8_t *code)
{
	const uint8_t *p = xc_ram_ptr(xc, rip, X86_MAX_INSN);
	unsigned int n;

	if (p) {
		memcpy(code, p, X86_MAX_INSN);
		return X86_MAX_INSN;
	}
	for (n = 0; n < X86_MAX_INSN; n++)
		if (uc_mem_read(xc->uc, rip + n, code + n, 1))
			break;
	return n;
}

/* The instruction was refused before the core saw the access: the cell
 * fails, as the backend logs it (an exception record of the exit). */
static void refuse(struct xcpu *xc, enum wd_reason why, uint64_t item)
{
	xc_refuse(xc,
		  &(struct wd_trap){ .kind = WD_TRAP_EXCEPTION,
				     .addr = X86_EXIT_EPT_VIOLATION },
		  why, item);
}

bool xc_x86_mmio(struct xcpu *xc, uint64_t fault)
{
	struct x86_mmio_insn d;
	struct x86_regs regs;
	struct mmio_access acc;
	enum access_result res;
	enum wd_reason why;
	uint8_t code[X86_MAX_INSN];
	unsigned int n;

	/* A CPU already stopped (slice end, denied) does not access: the
	 * engine stops at the instruction and runs it again next time. */
	if (xc->why != RUNNING || xc->dead)
		return false;
	read_regs(xc, &regs);
	n = fetch(xc, regs.rip, code);
	why = n ? x86_decode_mmio(code, n, &regs, &d) : WD_R_insn_x86_truncated;
	if (why == WD_R_none && fault - d.address >= d.size)
		why = WD_R_insn_x86_address;
	if (why != WD_R_none) {
		refuse(xc, why,
		       why == WD_R_insn_x86_truncated ? regs.rip :
							x86_insn_item(code, n));
		return false;
	}
	acc = (struct mmio_access){
		.address = d.address,
		.size = d.size,
		.is_write = d.write,
		.value = d.write ? x86_mmio_store_value(&d, &regs) : 0
	};
	/* The decoder's facts of the instruction, for the trap record. */
	if (!d.has_imm)
		acc.insn = (struct mmio_insn){ .reg = cs_reg(d.reg, d.reg_size,
							     d.high_byte),
					       .sext = d.sext,
					       .len = d.len };
	sim_set_cpu(xc->id);
	res = core_mmio(&acc);
	if (res == ACCESS_DENIED) {
		xc_stop(xc, STOP_DENIED);
		return false;
	}
	xc->x86_done = true;
	xc->x86_rip = regs.rip + d.len;
	xc->x86_load = !d.write;
	if (!d.write) {
		xc->x86_reg = d.reg & 15;
		xc->x86_val = x86_mmio_load_result(&d, regs.gpr[d.reg & 15],
						   acc.value);
	}
	return false; /* the engine stops at the instruction */
}

bool xc_x86_complete(struct xcpu *xc)
{
	if (!xc->x86_done)
		return false;
	xc->x86_done = false;
	if (xc->x86_load)
		uc_reg_write(xc->uc, gpr_ids[xc->x86_reg], &xc->x86_val);
	uc_reg_write(xc->uc, UC_X86_REG_RIP, &xc->x86_rip);
	return true;
}

/* ---- system instructions ------------------------------------------------ */

static uint64_t reg_get(struct xcpu *xc, int id)
{
	uint64_t v = 0;

	uc_reg_read(xc->uc, id, &v);
	return v;
}

/* EDX:EAX = @val (and RCX = @ecx for RDTSCP), RIP past the instruction. */
static void answer(struct xcpu *xc, uint64_t rip, bool read, uint64_t val)
{
	uint64_t rax = (uint32_t)val, rdx = val >> 32;

	if (read) {
		uc_reg_write(xc->uc, UC_X86_REG_RAX, &rax);
		uc_reg_write(xc->uc, UC_X86_REG_RDX, &rdx);
	}
	uc_reg_write(xc->uc, UC_X86_REG_RIP, &rip);
}

/* RDMSR/WRMSR/RDTSC/RDTSCP of @len bytes at @rip: emulated, skipped. */
static void x86_system(struct xcpu *xc, uint64_t rip, enum x86_sys_insn op,
		       unsigned int len)
{
	uint64_t rcx = reg_get(xc, UC_X86_REG_RCX), val = 0, now = xc_now(xc);
	bool write = op == X86_SYS_WRMSR;
	uint64_t msr, value;
	struct msr_action act;
	enum access_result res;

	if (op == X86_SYS_RDTSC || op == X86_SYS_RDTSCP) {
		if (op == X86_SYS_RDTSCP) {
			uc_x86_msr aux = { .rid = MSR_TSC_AUX };

			/* ECX = TSC_AUX, the guest's own (native) MSR. */
			uc_reg_read(xc->uc, UC_X86_REG_MSR, &aux);
			rcx = (uint32_t)aux.value;
			uc_reg_write(xc->uc, UC_X86_REG_RCX, &rcx);
		}
		answer(xc, rip + len, true, sim_ticks(now));
		return;
	}
	msr = (uint32_t)rcx;
	value = write ? reg_get(xc, UC_X86_REG_RDX) << 32 |
				(uint32_t)reg_get(xc, UC_X86_REG_RAX) :
			0;
	if (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST &&
	    !lapic_x2apic_on(xc->id)) {
		/* #GP on hardware, which the cell cannot be given. */
		xc_fault(xc, X86_GP);
		return;
	}
	sim_set_cpu(xc->id);
	/* The policy's refusals and the SIPI's CPU start are recorded by the
	 * core (core_trap_denied, core_cpu_on); other MSRs are not. */
	res = x86_msr_policy(xc->id, (uint32_t)msr, write, value, &act);
	if (res == ACCESS_DENIED) {
		xc_stop(xc, STOP_DENIED);
		return;
	}
	switch (act.route) {
	case ROUTE_NATIVE:
		return; /* guest state: Unicorn executes it, any encoding */
	case ROUTE_TSC:
		val = sim_ticks(now);
		break;
	case ROUTE_IPI:
	case ROUTE_SIPI:
	case ROUTE_APIC:
		/* The register (the ICR keeps what was written). Cannot fail:
		 * the policy applied the rules and the x2APIC is on. */
		if (write)
			lapic_wrmsr(xc->id, (uint32_t)msr, value, now);
		else
			lapic_rdmsr(xc->id, (uint32_t)msr, now, &val);
		/* INIT needs nothing: the target waits for its SIPI, the
		 * only way a cell starts its CPUs. */
		if (act.route == ROUTE_IPI && act.ipi.kind == IPI_FIXED)
			lapic_raise(act.dest, act.ipi.vector);
		break;
	}
	answer(xc, rip + len, !write, val);
}

void xc_x86_insn(struct xcpu *xc, uint64_t addr, uint32_t size)
{
	const uint8_t *p;
	enum x86_sys_insn op;
	unsigned int len;
	bool lock;

	/* Each of them ends in 0F 30/31/32/A2 or 0F 01 F9. */
	if (size < 2 || size > X86_MAX_INSN)
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
	if (p[size - 2] != 0x0f && (size < 3 || p[size - 3] != 0x0f))
		return;
	op = x86_decode_sys(p, size, &len, &lock);
	if (op == X86_SYS_NONE || len != size)
		return;
	if (lock) {
		xc_fault(xc, X86_UD); /* #UD on hardware */
		return;
	}
	if (op == X86_SYS_CPUID) {
		/* Runs in Unicorn; made the cell's answer after it. */
		xc->cpuid_leaf = (uint32_t)reg_get(xc, UC_X86_REG_RAX);
		xc->cpuid_subleaf = (uint32_t)reg_get(xc, UC_X86_REG_RCX);
		xc->cpuid_next = addr + len;
		return;
	}
	x86_system(xc, addr, op, len);
}

void xc_cpuid_fixup(struct xcpu *xc, uint64_t addr)
{
	struct x86_cpuid r;
	uint64_t v;

	if (addr != xc->cpuid_next)
		return;
	xc->cpuid_next = 0;
	r.eax = (uint32_t)reg_get(xc, UC_X86_REG_RAX);
	r.ebx = (uint32_t)reg_get(xc, UC_X86_REG_RBX);
	r.ecx = (uint32_t)reg_get(xc, UC_X86_REG_RCX);
	r.edx = (uint32_t)reg_get(xc, UC_X86_REG_RDX);
	x86_cpuid(xc->cpuid_leaf, xc->cpuid_subleaf, xc->id, &r);
	v = r.eax;
	uc_reg_write(xc->uc, UC_X86_REG_RAX, &v);
	v = r.ebx;
	uc_reg_write(xc->uc, UC_X86_REG_RBX, &v);
	v = r.ecx;
	uc_reg_write(xc->uc, UC_X86_REG_RCX, &v);
	v = r.edx;
	uc_reg_write(xc->uc, UC_X86_REG_RDX, &v);
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
	struct pio_access acc = { (uint16_t)port, (unsigned int)size, write,
				  value };

	if (xc->why != RUNNING && xc->why != STOP_SLICE)
		return 0;
	sim_set_cpu(xc->id);
	if (core_pio(&acc) == ACCESS_DENIED) {
		xc_stop(xc, STOP_DENIED);
		return 0;
	}
	return write ? 0 : acc.value;
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
	uint64_t rip, rax, rdi, rsi, cs = 0;
	uint8_t insn[3];
	long ret;

	uc_reg_read(uc, UC_X86_REG_RIP, &rip);
	if (uc_mem_read(uc, rip, insn, sizeof(insn)) || insn[0] != 0x0f ||
	    insn[1] != 0x01 || (insn[2] != 0xc1 && insn[2] != 0xd9)) {
		xc_exception(xc, rip, WD_R_cpu_exception, rip);
		xc_stop(xc, STOP_FAULT);
		return false;
	}
	uc_reg_read(uc, UC_X86_REG_RAX, &rax);
	uc_reg_read(uc, UC_X86_REG_RDI, &rdi);
	uc_reg_read(uc, UC_X86_REG_RSI, &rsi);
	/* VT-x and AMD-V exit on vmcall/vmmcall at any CPL: the CS RPL. */
	uc_reg_read(uc, UC_X86_REG_CS, &cs);
	sim_set_cpu(xc->id);
	ret = core_hypercall(rax, rdi, rsi, (cs & 3) != 0);
	rax = (uint64_t)ret;
	rip += 3;
	uc_reg_write(uc, UC_X86_REG_RAX, &rax);
	uc_reg_write(uc, UC_X86_REG_RIP, &rip);
	if (xc_parked(xc))
		xc_stop(xc, STOP_DENIED);
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
