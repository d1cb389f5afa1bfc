// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 exit layer (exit.h): one policy for a trapped guest instruction,
 * for the AMD-V and VT-x backends and the simulator. Mechanism comes from
 * the backend's ops; decisions from the policy modules and the core.
 * Freestanding: the core's API (hal/core.h) only.
 */
#include "exit.h"
#include "../hal/hal.h"
#include "ioapic.h"
#include "msr.h"

#define CR4_LA57 (1ULL << 12)
#define PTE_P 1ULL
#define PTE_PS (1ULL << 7)
#define PTE_ADDR 0x000ffffffffff000ULL
#define PAGE 4096ULL

#define APIC_BASE_EN_EXTD (3ULL << 10) /* IA32_APIC_BASE: EN, EXTD */
#define APIC_BASE_EN (1ULL << 11)
#define XAPIC_DFR 0x0e /* xAPIC destination format */

enum {
	RAX = 0,
	RCX = 1,
	RDX = 2,
	RSI = 6,
	RDI = 7
};

/* ---- refusals ------------------------------------------------------------ */

enum x86_exit_result x86_exit_refuse(uint64_t code, enum wd_reason why,
				     uint64_t item)
{
	core_trap_denied(&(struct wd_trap){ .kind = WD_TRAP_EXCEPTION,
					    .addr = code },
			 why, item);
	return X86_EXIT_PARKED;
}

/* A refused MMIO instruction: an exception record of the exit. */
static enum x86_exit_result refuse_insn(enum wd_reason why, uint64_t item)
{
	return x86_exit_refuse(X86_EXIT_EPT_VIOLATION, why, item);
}

/* ---- the guest's memory -------------------------------------------------- */

int x86_guest_translate(const struct x86_guest *g, uint64_t la, uint64_t *gpa)
{
	uint64_t table, e;
	unsigned int level, shift;

	if (!(g->cr0 & CR0_PG)) {
		*gpa = g->code64 ? la : (uint32_t)la;
		return 0;
	}
	/* 4-level long-mode paging only (no 32-bit/PAE, no 5-level);
	 * non-canonical addresses do not translate. */
	if (!(g->efer & EFER_LMA) || (g->cr4 & CR4_LA57) ||
	    (uint64_t)((int64_t)(la << 16) >> 16) != la)
		return -1;
	table = g->cr3 & PTE_ADDR;
	for (level = 4;; level--) {
		shift = 12 + 9 * (level - 1);
		if (g->ops->read_gpa(g->ctx, table + ((la >> shift) & 511) * 8,
				     &e, sizeof(e)) ||
		    !(e & PTE_P))
			return -1;
		table = e & PTE_ADDR;
		/* A 4 KiB page, or a 1 GiB or 2 MiB one (PS in a PDPTE/PDE). */
		if (level == 1 || (level < 4 && (e & PTE_PS))) {
			*gpa = (table & ~((1ULL << shift) - 1)) |
			       (la & ((1ULL << shift) - 1));
			return 0;
		}
	}
}

unsigned int x86_fetch_insn(const struct x86_guest *g, uint8_t *code,
			    uint64_t *fault_la)
{
	uint64_t la = g->regs.rip, pa;
	unsigned int n = 0, chunk;

	if (!g->code64)
		la = (uint32_t)(la + g->cs_base);
	*fault_la = ~0ULL;
	while (n < X86_MAX_INSN) {
		if (x86_guest_translate(g, la + n, &pa)) {
			*fault_la = la + n;
			break;
		}
		chunk = (unsigned int)(PAGE - (pa & (PAGE - 1)));
		if (chunk > X86_MAX_INSN - n)
			chunk = X86_MAX_INSN - n;
		/* Within a page: a cell's RAM is mapped by whole pages, so
		 * the chunk is readable whole or not at all. */
		if (g->ops->read_gpa(g->ctx, pa, code + n, chunk))
			break;
		n += chunk;
	}
	return n;
}

/* ---- hypercall, CPUID ------------------------------------------------------ */

enum x86_exit_result x86_exit_hypercall(struct x86_guest *g)
{
	struct x86_regs *r = &g->regs;

	r->gpr[RAX] = (uint64_t)core_hypercall(r->gpr[RAX], r->gpr[RDI],
					       r->gpr[RSI], g->cpl != 0);
	g->advance = 3;
	return core_cpu_flags(hal_cpu_id()) & CORE_CPU_PARKED ?
		       X86_EXIT_PARKED :
		       X86_EXIT_RESUME;
}

enum x86_exit_result x86_exit_cpuid(struct x86_guest *g)
{
	uint32_t leaf = (uint32_t)g->regs.gpr[RAX];
	struct x86_cpuid c = { 0, 0, 0, 0 };

	core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
	g->ops->cpuid(g->ctx, leaf, (uint32_t)g->regs.gpr[RCX], &c);
	x86_cpuid(leaf, hal_cpu_id(), &c);
	g->regs.gpr[RAX] = c.eax;
	g->regs.gpr[3] = c.ebx;
	g->regs.gpr[RCX] = c.ecx;
	g->regs.gpr[RDX] = c.edx;
	g->advance = g->insn_len;
	return X86_EXIT_RESUME;
}

/* ---- MSRs ---------------------------------------------------------------- */

enum x86_exit_result x86_exit_inject(struct x86_guest *g, unsigned int vector)
{
	g->ops->inject(g->ctx, vector);
	g->advance = 0;
	return X86_EXIT_RESUME;
}

/* An IPI the policy let through, to each CPU of its mask (if any). */
static void send_ipis(struct x86_guest *g, const struct msr_action *act)
{
	uint64_t m;

	for (m = act->mask; m; m &= m - 1)
		g->ops->send_ipi(g->ctx, (unsigned int)__builtin_ctzll(m),
				 act->ipi.kind, act->ipi.vector);
}

enum x86_exit_result x86_exit_msr(struct x86_guest *g, bool write)
{
	uint32_t msr = (uint32_t)g->regs.gpr[RCX];
	uint64_t value =
		write ? g->regs.gpr[RDX] << 32 | (uint32_t)g->regs.gpr[RAX] : 0;
	const struct x86_exit_ops *ops = g->ops;
	struct msr_action act;
	uint64_t base = 0;

	g->advance = 0;
	/* The x2APIC's MSRs are the cell's interrupt controller. */
	core_stat_inc(msr - MSR_X2APIC_FIRST < 0x100 ?
			      WD_CPU_STAT_VMEXITS_IRQCHIP :
			      WD_CPU_STAT_VMEXITS_PLATFORM);
	/* x2APIC registers of an APIC not in x2APIC mode: #GP, as the CPU. */
	if (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST &&
	    (ops->apic_read(g->ctx, MSR_APIC_BASE, &base) ||
	     (base & APIC_BASE_EN_EXTD) != APIC_BASE_EN_EXTD))
		return x86_exit_inject(g, X86_EXC_GP);
	if (x86_msr_policy(hal_cpu_id(), msr, write, value, &act) ==
	    ACCESS_DENIED)
		return X86_EXIT_PARKED;
	switch (act.route) {
	case ROUTE_GP:
		return x86_exit_inject(g, X86_EXC_GP);
	case ROUTE_ZERO:
		value = 0;
		break;
	case ROUTE_NATIVE:
		if (write)
			ops->msr_write(g->ctx, msr, value);
		else
			value = ops->msr_read(g->ctx, msr);
		break;
	case ROUTE_TSC:
		value = ops->tsc(g->ctx);
		break;
	case ROUTE_APIC:
		if (write ? ops->apic_write(g->ctx, msr, value) :
			    ops->apic_read(g->ctx, msr, &value))
			return x86_exit_inject(g, X86_EXC_GP);
		send_ipis(g, &act);
		break;
	}
	if (!write) { /* EDX:EAX */
		g->regs.gpr[RAX] = (uint32_t)value;
		g->regs.gpr[RDX] = value >> 32;
	}
	g->advance = g->insn_len;
	return X86_EXIT_RESUME;
}

/* ---- port I/O --------------------------------------------------------------- */

enum x86_exit_result x86_exit_io(struct x86_guest *g, uint16_t port,
				 unsigned int size, bool in, bool string)
{
	uint64_t mask = size >= 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;
	uint64_t *rax = &g->regs.gpr[RAX];
	struct pio_access acc = { .port = port,
				  .size = size,
				  .is_write = !in,
				  .value = in ? 0 : (uint32_t)(*rax & mask) };

	g->advance = 0;
	if (string)
		core_trap_denied(&(struct wd_trap){ .kind = WD_TRAP_PIO,
						    .write = !in,
						    .size = (uint8_t)size,
						    .addr = port },
				 WD_R_pio_string_rep, port);
	if (string || core_pio(&acc) == ACCESS_DENIED)
		return X86_EXIT_PARKED;
	if (in)
		*rax = size >= 4 ? (uint32_t)acc.value :
				   (*rax & ~mask) | (acc.value & mask);
	g->advance = g->insn_len;
	return X86_EXIT_RESUME;
}

/* ---- the xAPIC page ------------------------------------------------------- */

/*
 * An access of @d to the xAPIC page at @gpa (*@value: a store's value, a
 * load's result): the x2APIC register rules (register = offset / 16;
 * SELF IPI is x2APIC only, ICR high is xAPIC only), the ICR through the
 * IPI policy, the rest the CPU's own APIC's (ops->apic_*). The ID reads
 * in the xAPIC format (bits 31:24); the ICR's low half is the 64-bit ICR
 * the APIC keeps, of which the 32-bit load takes bits 31:0.
 */
static enum access_result xapic(struct x86_guest *g,
				const struct x86_mmio_insn *d, uint64_t gpa,
				uint64_t *value)
{
	unsigned int reg = (unsigned int)(gpa - X86_XAPIC_BASE) >> 4;
	uint32_t msr = MSR_X2APIC_FIRST + reg, val = (uint32_t)*value;
	uint64_t icr = 0, base = 0;
	struct wd_trap trap = { .kind = WD_TRAP_MMIO,
				.write = d->write,
				.size = d->size,
				.reg = WD_TRAP_NO_REG,
				.addr = gpa,
				.value = val };
	struct msr_action act;

	/* xAPIC only: the LDR and DFR of the flat logical model. */
	bool flat = d->write && ((reg == X2APIC_LDR && !(val & 0xffffff)) ||
				 (reg == XAPIC_DFR && val == 0xffffffffU));

	g->ops->apic_read(g->ctx, MSR_APIC_BASE, &base);
	if ((base & APIC_BASE_EN_EXTD) != APIC_BASE_EN || d->size != 4 ||
	    (gpa & 15) || reg == X2APIC_SELF_IPI ||
	    (reg != XAPIC_ICR_HI && !flat &&
	     !x2apic_msr_valid(msr, d->write, val)))
		goto denied;
	if (flat && reg == X2APIC_LDR)
		x86_apic_ldr(hal_cpu_id(), val);
	if (reg == X2APIC_ICR || reg == XAPIC_ICR_HI)
		g->ops->apic_read(g->ctx, MSR_X2APIC_ICR, &icr);
	if (d->write && reg == X2APIC_ICR) {
		/* The whole ICR (x2APIC format) through the IPI policy. */
		icr = (icr >> 32) << 32 | val;
		if (x86_icr_policy(hal_cpu_id(), icr, &trap, WD_R_xapic_denied,
				   &act) == ACCESS_DENIED)
			return ACCESS_DENIED;
		g->ops->apic_write(g->ctx, MSR_X2APIC_ICR, icr);
		send_ipis(g, &act);
	} else if (d->write && reg == XAPIC_ICR_HI) {
		g->ops->apic_write(g->ctx, MSR_X2APIC_ICR,
				   (uint64_t)(val >> 24) << 32 | (uint32_t)icr);
	} else if (d->write) {
		if (g->ops->apic_write(g->ctx, msr, val))
			goto denied;
	} else if (reg == XAPIC_ICR_HI) {
		*value = (uint32_t)(icr >> 32) << 24;
	} else if (g->ops->apic_read(g->ctx, msr, value)) {
		goto denied;
	} else if (reg == X2APIC_ID) {
		*value = (uint32_t)*value << 24;
	}
	return ACCESS_EMULATED;
denied:
	core_trap_denied(&trap, WD_R_xapic_denied, gpa);
	return ACCESS_DENIED;
}

/* ---- nested page faults ------------------------------------------------- */

enum x86_exit_result x86_exit_npf(struct x86_guest *g, uint64_t gpa, bool write,
				  bool fetch)
{
	uint8_t code[X86_MAX_INSN];
	struct x86_mmio_insn d;
	struct mmio_access acc;
	uint64_t fault_la, dgpa, val;
	enum access_result res;
	enum wd_reason why;
	unsigned int n;
	int chip;

	g->advance = 0;
	/* MMIO is counted by core_mmio(), the IOAPIC's by ioapic.c; the
	 * xAPIC page here. */
	if (gpa - X86_XAPIC_BASE < X86_XAPIC_SIZE)
		core_stat_inc(WD_CPU_STAT_VMEXITS_IRQCHIP);
	if (fetch)
		return refuse_insn(WD_R_x86_exec_mmio, gpa);
	n = x86_fetch_insn(g, code, &fault_la);
	/* 16-bit code: no decoding at all. */
	why = !n ? WD_R_insn_x86_truncated :
	      !g->code64 && !g->code32 ?
		   WD_R_insn_x86_mode :
		   x86_decode_mmio(code, n, &g->regs, g->code64, &d);
	/* Cut short by a page the walk could not reach: that is why. */
	if (why == WD_R_insn_x86_truncated && fault_la != ~0ULL)
		return refuse_insn(WD_R_x86_walk_fault, fault_la);
	if (why == WD_R_insn_x86_mode || why == WD_R_insn_x86_truncated)
		return refuse_insn(why, g->regs.rip);
	if (why != WD_R_none)
		return refuse_insn(why, x86_insn_item(code, n));
	if (x86_guest_translate(g, d.address, &dgpa))
		return refuse_insn(WD_R_x86_walk_fault, d.address);
	/* What the CPU faulted on, or the bytes changed since (another CPU
	 * of the cell may write them): refused. */
	if (gpa - dgpa >= d.size || d.write != write)
		return refuse_insn(WD_R_insn_x86_address,
				   x86_insn_item(code, n));
	val = d.write ? x86_mmio_store_value(&d, &g->regs) : 0;
	chip = x86_ioapic_chip(dgpa);
	if (dgpa >> 12 == X86_XAPIC_BASE >> 12) {
		res = xapic(g, &d, dgpa, &val);
	} else if (chip >= 0) { /* ioapic.c decides */
		res = x86_ioapic_access(chip, dgpa, d.size, d.write, &val);
	} else {
		acc = (struct mmio_access){ .address = dgpa,
					    .size = d.size,
					    .is_write = d.write,
					    .value = val };
#ifdef WARDEN_TRAP_RECORDS
		/* The decoder's facts of the instruction, for the record. */
		if (!d.has_imm)
			acc.insn = (struct mmio_insn){
				.reg = x86_record_reg(d.reg, d.reg_size,
						      d.high_byte),
				.sext = d.sext,
				.len = d.len
			};
#endif
		res = core_mmio(&acc);
		val = acc.value;
	}
	if (res == ACCESS_DENIED)
		return X86_EXIT_PARKED;
	if (!d.write)
		g->regs.gpr[d.reg & 15] =
			x86_mmio_load_result(&d, g->regs.gpr[d.reg & 15], val);
	g->advance = d.len;
	return X86_EXIT_RESUME;
}
