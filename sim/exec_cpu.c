// SPDX-License-Identifier: GPL-2.0
/*
 * What an executed CPU answers itself, without the core: the instructions
 * that read or program its own hardware (RDMSR/WRMSR/RDTSC and CPUID's
 * APIC id on x86, CP15 generic timer and MPIDR accesses on ARM), virtual
 * time, interrupt delivery (the exception entry the CPU performs) and the
 * GIC as a cell sees it, whose distributor asks the core about interrupt
 * ownership. The models behind it are in sim/lapic.c and sim/gic.c;
 * docs/sim.md describes the behaviour.
 */
#include <string.h>

#include <unicorn/unicorn.h>

#include "../arch-armv7/gicd.h"
#include "../arch-armv7/handover.h"
#include "../hal/core.h"
#include "board.h"
#include "exec.h"
#include "exec_int.h"
#include "intc.h"
#include "sim.h"

/* ---- time ------------------------------------------------------------- */

/*
 * A CPU's virtual time: the sim's clock at the start of its slice plus the
 * instructions it ran since (EXEC_INSN_PER_MS per ms, one timer tick each).
 */
_Static_assert(1000000ULL / EXEC_INSN_PER_MS == SIM_NS_PER_TICK,
	       "one timer tick per guest instruction");

uint64_t xc_now(const struct xcpu *xc)
{
	return xc->slice_ns + (xc->icount - xc->slice_icount) * SIM_NS_PER_TICK;
}

/* The CPU's icount at virtual time @ns (not before now). */
uint64_t xc_icount_at(const struct xcpu *xc, uint64_t ns)
{
	uint64_t now = xc_now(xc);

	if (ns <= now)
		return xc->icount;
	if ((ns - now) / SIM_NS_PER_TICK > UINT64_MAX / 2)
		return UINT64_MAX / 2;
	return xc->icount + (ns - now + SIM_NS_PER_TICK - 1) / SIM_NS_PER_TICK;
}

const uint8_t *xc_ram_ptr(struct xcpu *xc, uint64_t gpa, uint64_t len)
{
	unsigned int i, n;

	for (n = 0; n < xc->num_ram; n++) {
		struct ram_window *w;

		i = (xc->last_ram + n) % xc->num_ram;
		w = &xc->ram[i];
		if (gpa >= w->gpa && gpa - w->gpa + len <= w->size) {
			xc->last_ram = i;
			return w->host + (gpa - w->gpa);
		}
	}
	return NULL;
}

static int arm_gpr(unsigned int r)
{
	return r < 13  ? UC_ARM_REG_R0 + (int)r :
	       r == 13 ? UC_ARM_REG_SP :
			 UC_ARM_REG_LR;
}

int xc_gt_reg32(unsigned int opc1, unsigned int crm, unsigned int opc2)
{
	if (opc1)
		return -1;
	switch (crm << 4 | opc2) {
	case 0x00:
		return GT_CNTFRQ;
	case 0x10:
		return GT_CNTKCTL;
	case 0x20:
		return GT_CNTP_TVAL;
	case 0x21:
		return GT_CNTP_CTL;
	case 0x30:
		return GT_CNTV_TVAL;
	case 0x31:
		return GT_CNTV_CTL;
	}
	return -1;
}

int xc_gt_reg64(unsigned int opc1)
{
	static const int regs[] = { GT_CNTPCT, GT_CNTVCT, GT_CNTP_CVAL,
				    GT_CNTV_CVAL };

	return opc1 < 4 ? regs[opc1] : -1; /* 4: CNTVOFF, HYP only */
}

/*
 * Debug (CP14) and PMU registers: the backend traps them and answers as
 * absent hardware (arch-armv7/handover.h), reads as zero, writes ignored.
 * Unconditional MRC/MCR/MRRC/MCRR only. True if @w was one (done).
 */
static bool arm_absent(struct xcpu *xc, uint64_t pc, uint32_t w)
{
	bool mrc = (w & 0xff000010) == 0xee000010;
	bool mrrc = (w & 0xffe00000) == 0xec400000;
	unsigned int cp = (w >> 8) & 0xf, rt = (w >> 12) & 0xf;
	unsigned int rt2 = (w >> 16) & 0xf;
	uint32_t zero = 0, next = (uint32_t)pc + 4;

	if ((!mrc && !mrrc) || (cp != 14 && cp != 15))
		return false;
	if (mrc ? !arm_handover_trapped(cp, (w >> 21) & 7, (w >> 16) & 0xf,
					w & 0xf, (w >> 5) & 7, 0) :
		  !arm_handover_trapped(cp, (w >> 4) & 0xf, 0, w & 0xf, 0, 1))
		return false;
	if (w & (1U << 20)) {
		if (rt != 15)
			uc_reg_write(xc->uc, arm_gpr(rt), &zero);
		if (mrrc && rt2 != 15)
			uc_reg_write(xc->uc, arm_gpr(rt2), &zero);
	}
	uc_reg_write(xc->uc, UC_ARM_REG_PC, &next);
	return true;
}

/*
 * Unconditional CP15 accesses to the generic timer (c14) and MPIDR, which
 * the real CPU answers from its own hardware and Unicorn from the host's
 * clock: emulated from virtual time, skipped. Others execute natively.
 */
static void arm_system(struct xcpu *xc, uint64_t pc, uint32_t w)
{
	bool read = w & (1U << 20);
	unsigned int rt = (w >> 12) & 0xf, rt2 = (w >> 16) & 0xf;
	uint64_t val = 0, now = xc_now(xc);
	uint32_t lo, hi;
	int reg;

	if (arm_absent(xc, pc, w))
		return;
	if ((w & 0xff000f10) == 0xee000f10) { /* MRC/MCR p15, AL */
		unsigned int crn = (w >> 16) & 0xf, crm = w & 0xf;
		unsigned int opc1 = (w >> 21) & 7, opc2 = (w >> 5) & 7;

		if (crn == 0 && read && !opc1 && !crm && opc2 == 5) {
			/* MPIDR: multiprocessor format, Aff0 = CPU id. */
			val = 0x80000000U | xc->id;
			reg = -2;
		} else if (crn == 14) {
			reg = xc_gt_reg32(opc1, crm, opc2);
		} else {
			return;
		}
		if (rt == 15)
			return;
		rt2 = rt;
	} else if ((w & 0xffe00f0f) == 0xec400f0e) { /* MRRC/MCRR p15 c14 */
		reg = xc_gt_reg64((w >> 4) & 0xf);
		if (rt == 15 || rt2 == 15)
			return;
	} else {
		return;
	}
	if (reg == -1) {
		xc_fault(xc, pc); /* undefined instruction */
		return;
	}
	if (read) {
		if (reg >= 0 && gt_read(xc->id, (enum gt_reg)reg, now, &val)) {
			xc_fault(xc, pc);
			return;
		}
		lo = (uint32_t)val;
		hi = (uint32_t)(val >> 32);
		uc_reg_write(xc->uc, arm_gpr(rt), &lo);
		if (rt2 != rt)
			uc_reg_write(xc->uc, arm_gpr(rt2), &hi);
	} else {
		lo = xc_arm_reg(xc, arm_gpr(rt));
		hi = rt2 != rt ? xc_arm_reg(xc, arm_gpr(rt2)) : 0;
		if (gt_write(xc->id, (enum gt_reg)reg, (uint64_t)hi << 32 | lo,
			     now)) {
			xc_fault(xc, pc);
			return;
		}
	}
	lo = (uint32_t)pc + 4;
	uc_reg_write(xc->uc, UC_ARM_REG_PC, &lo);
}

void xc_system_insn(struct xcpu *xc, uint64_t addr)
{
	const uint8_t *p = xc_ram_ptr(xc, addr, 4);
	uint32_t w;

	if (!p)
		return;
	memcpy(&w, p, 4);
	/* Coprocessor 14/15 register transfers, ARM state only. */
	if (((w & 0x0e000e00) == 0x0c000e00 ||
	     (w & 0x0f000e10) == 0x0e000e10) &&
	    !(xc_arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_T))
		arm_system(xc, addr, w);
}

/* The next time a timer of @xc fires (ns), or INTC_NEVER. */
uint64_t xc_next_event(const struct xcpu *xc, uint64_t now)
{
	return xc->arm ? gt_next_event(xc->id, now) : lapic_next_event(xc->id);
}

/* An interrupt waits for @xc (whether or not the CPU masks it). */
bool xc_irq_waiting(const struct xcpu *xc, uint64_t now)
{
	return xc->arm ? gic_irq_line(xc->id, now) :
			 lapic_pending(xc->id, now, false) >= 0;
}

#define X86_RFLAGS_IF (1ULL << 9)
#define X86_RFLAGS_TF (1ULL << 8)
#define X86_RFLAGS_NT (1ULL << 14)
#define X86_RFLAGS_RF (1ULL << 16)
#define ARM_CPSR_I 0x80U
#define ARM_CPSR_A 0x100U
#define ARM_CPSR_IT 0x0600fc00U
#define ARM_MODE_IRQ 0x12U
#define ARM_MODE_UND 0x1bU
#define ARM_VBAR                    \
	(uc_arm_cp_reg)             \
	{                           \
		.cp = 15, .crn = 12 \
	}

bool xc_irq_masked(struct xcpu *xc)
{
	uint64_t rflags = 0;

	if (xc->arm)
		return xc_arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_I;
	uc_reg_read(xc->uc, UC_X86_REG_RFLAGS, &rflags);
	return !(rflags & X86_RFLAGS_IF);
}

/*
 * x86-64 interrupt entry through the cell's IDT, as the CPU performs it at
 * the same privilege level: 16-byte aligned frame SS, RSP, RFLAGS, CS, RIP;
 * interrupt gates clear IF. Gates that need a stack switch (IST) or
 * another code segment than the current one are not offered: the cell
 * fails with the vector as item.
 */
static void x86_interrupt(struct xcpu *xc, unsigned int vector)
{
	uc_x86_mmr idtr = { 0 };
	uint64_t frame[5], rsp = 0, rflags = 0, rip = 0, cs = 0, ss = 0, entry;
	uint8_t gate[16];
	uint16_t sel;

	uc_reg_read(xc->uc, UC_X86_REG_IDTR, &idtr);
	uc_reg_read(xc->uc, UC_X86_REG_RSP, &rsp);
	uc_reg_read(xc->uc, UC_X86_REG_RFLAGS, &rflags);
	uc_reg_read(xc->uc, UC_X86_REG_RIP, &rip);
	uc_reg_read(xc->uc, UC_X86_REG_CS, &cs);
	uc_reg_read(xc->uc, UC_X86_REG_SS, &ss);
	if (vector * 16 + 15 > idtr.limit ||
	    uc_mem_read(xc->uc, idtr.base + vector * 16, gate, 16) ||
	    !(gate[5] & 0x80) || (gate[4] & 7)) {
		xc_fault(xc, vector);
		return;
	}
	memcpy(&sel, gate + 2, 2);
	if (sel != (uint16_t)cs) {
		xc_fault(xc, vector);
		return;
	}
	entry = (uint64_t)gate[0] | (uint64_t)gate[1] << 8 |
		(uint64_t)gate[6] << 16 | (uint64_t)gate[7] << 24 |
		(uint64_t)gate[8] << 32 | (uint64_t)gate[9] << 40 |
		(uint64_t)gate[10] << 48 | (uint64_t)gate[11] << 56;
	frame[0] = rip;
	frame[1] = cs;
	frame[2] = rflags;
	frame[3] = rsp;
	frame[4] = ss;
	rsp = (rsp & ~0xfULL) - sizeof(frame);
	if (uc_mem_write(xc->uc, rsp, frame, sizeof(frame))) {
		xc_fault(xc, vector);
		return;
	}
	rflags &= ~(X86_RFLAGS_TF | X86_RFLAGS_NT | X86_RFLAGS_RF);
	if ((gate[5] & 0xf) == 0xe) /* interrupt gate, not trap gate */
		rflags &= ~X86_RFLAGS_IF;
	uc_reg_write(xc->uc, UC_X86_REG_RSP, &rsp);
	uc_reg_write(xc->uc, UC_X86_REG_RFLAGS, &rflags);
	uc_reg_write(xc->uc, UC_X86_REG_RIP, &entry);
}

/*
 * ARMv7 exception entry (ARM ARM B1.8.3) into @mode at VBAR + @offset, ARM
 * state, with @mask set in the CPSR and LR = @lr.
 */
static void arm_exception_entry(struct xcpu *xc, uint32_t mode, uint32_t offset,
				uint32_t lr, uint32_t mask)
{
	uc_arm_cp_reg vbar = ARM_VBAR;
	uint32_t cpsr = xc_arm_reg(xc, UC_ARM_REG_CPSR), pc;
	uint32_t entry = (cpsr & ~(0x1fU | ARM_CPSR_T | ARM_CPSR_IT)) | mode |
			 mask;

	uc_reg_read(xc->uc, UC_ARM_REG_CP_REG, &vbar);
	pc = (uint32_t)vbar.val + offset;
	uc_reg_write(xc->uc, UC_ARM_REG_CPSR, &entry); /* banks switch here */
	uc_reg_write(xc->uc, UC_ARM_REG_SPSR, &cpsr);
	uc_reg_write(xc->uc, UC_ARM_REG_LR, &lr);
	uc_reg_write(xc->uc, UC_ARM_REG_PC, &pc);
}

/* IRQ: to VBAR + 0x18 in IRQ mode, IRQs and aborts masked. */
static void arm_interrupt(struct xcpu *xc)
{
	arm_exception_entry(xc, ARM_MODE_IRQ, 0x18, (uint32_t)xc_pc(xc) + 4,
			    ARM_CPSR_I | ARM_CPSR_A);
}

void xc_arm_undefined(struct xcpu *xc, unsigned int len)
{
	arm_exception_entry(xc, ARM_MODE_UND, 0x04, (uint32_t)xc_pc(xc) + len,
			    ARM_CPSR_I);
}

/* Take a waiting, unmasked interrupt, as the CPU would between insns. */
void xc_deliver(struct xcpu *xc, uint64_t now)
{
	int vector;

	if (xc->cpuid_next)
		xc_cpuid_fixup(xc, xc_pc(xc));
	if (xc->arm) {
		arm_interrupt(xc);
		return;
	}
	vector = lapic_pending(xc->id, now, true);
	if (vector >= 0)
		x86_interrupt(xc, (unsigned int)vector);
}

/* hal_inject_irq(): the core's virtual devices raise @irq at @cpu. */
void xc_inject(void *arg, unsigned int cpu, unsigned int irq)
{
	struct cell *cell = core_cpu_cell(cpu);

	(void)arg;
	if (!cell)
		return;
	if (core_cell_config(cell)->architecture == WD_ARCH_ARM)
		gic_raise(cpu, irq);
	else
		lapic_raise(cpu, (uint8_t)irq);
}

/* ---- the GIC as a cell sees it (ARM) ------------------------------------ */

#define GICC_SIZE 0x2000

/* The GIC pages: the board's, else where the system config says. */
enum page_kind xc_gic_page(struct xcpu *xc, uint64_t addr)
{
	const struct wd_platform_arm *a =
		&core_system_config()->platform_info.arm;
	const struct board *b = board_get();
	uint64_t page = addr & ~(PAGE - 1);
	uint64_t gicd = b ? b->gicd : a->gicd_base;
	uint64_t gicc = b ? b->gicc : a->gicc_base;

	if (!xc->arm || (!b && a->gic_version != 2))
		return PG_CORE;
	if (gicd && page == gicd)
		return PG_GICD;
	if (gicc && page >= gicc && page < gicc + GICC_SIZE)
		return PG_GICC;
	return PG_CORE;
}

/* Ask the core whether the cell may configure SPI @irq; false: denied. */
static bool gicd_owns(struct xcpu *xc, uint64_t chip, unsigned int irq)
{
	enum access_result res;

	sim_set_cpu(xc->id);
	res = core_irqchip_access(chip, irq);
	if (res == ACCESS_DENIED)
		xc_stop(xc, STOP_DENIED);
	return res != ACCESS_DENIED;
}

static uint64_t gicd_chip(void)
{
	return core_system_config()->platform_info.arm.gicd_base;
}

static bool owns(void *arg, unsigned int irq)
{
	struct xcpu *xc = arg;

	return core_irq_owner(gicd_chip(), irq) == xc->cell;
}

/* The cell's CPU interfaces (interface n = CPU n), as a target mask. */
static uint32_t cell_targets(struct xcpu *xc)
{
	uint32_t m = 0;
	unsigned int n;

	for (n = 0; n < 8 && n < sim_num_cpus(); n++)
		if (core_cpu_cell(n) == xc->cell)
			m |= 1U << n;
	return m;
}

static uint32_t hyp_pins(void)
{
	return gicd_hyp_pins(
		core_system_config()->platform_info.arm.maintenance_irq);
}

/*
 * A distributor access, decided by the ARMv7 backend's policy
 * (arch-armv7/gicd.c) and carried out on the GIC model as the backend
 * carries it out on the GIC: masked reads, merged writes, virtual SGIs.
 */
uint64_t xc_gicd(struct xcpu *xc, uint64_t off, unsigned int size, bool write,
		 uint32_t val)
{
	struct gicd_caller c = { .base = gicd_chip(),
				 .cpu = xc->id,
				 .targets = cell_targets(xc),
				 .hyp_pins = hyp_pins(),
				 .owns = owns,
				 .arg = xc };
	struct wd_trap trap = { .kind = WD_TRAP_IRQCHIP, .value = gicd_chip() };
	struct gicd_action a;
	unsigned int n;
	uint32_t v, pins;

	gicd_filter(&c, (unsigned int)off, size, write, val, &a);
	switch (a.verdict) {
	case GICD_DENY:
		/* An SGI to another cell's CPU: the root's is dropped. */
		if (a.reason == WD_R_cpu_foreign) {
			sim_set_cpu(xc->id);
			if (core_trap_refused(&trap, a.reason, a.item) ==
			    ACCESS_DENIED)
				xc_stop(xc, STOP_DENIED);
		} else {
			xc_refuse(xc, &trap, a.reason, a.item);
		}
		return 0;
	case GICD_IGNORE:
		return 0;
	case GICD_SGI:
		for (n = 0; n < 8; n++)
			if (a.sgi_list >> n & 1)
				gic_raise(n, a.sgi_id);
		return 0;
	case GICD_PASS:
		break;
	}
	if (!write)
		return gic_dist_access(xc->id, off, size, false, 0) & a.mask;
	for (pins = a.check; pins; pins &= pins - 1) /* the core's records */
		if (!gicd_owns(xc, gicd_chip(),
			       a.first + (unsigned int)__builtin_ctz(pins)))
			return 0;
	v = a.value;
	if (a.merge)
		v |= gic_dist_access(xc->id, off, size, false, 0) & ~a.mask;
	gic_dist_access(xc->id, off, size, true, v);
	return 0;
}

/* @xc's CPU changes hands: the backend's handover list on the model. */
void xc_gic_handover(struct xcpu *xc)
{
	struct gicd_reg regs[GICD_RESET_REGS];
	unsigned int i, n = gicd_reset_regs(hyp_pins(), regs);

	for (i = 0; i < n; i++)
		gic_dist_access(xc->id, regs[i].off, 4, true, regs[i].value);
	gic_set_vmcr(xc->id, GICD_RESET_VMCR);
}
