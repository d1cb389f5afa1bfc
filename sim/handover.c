// SPDX-License-Identifier: GPL-2.0
/*
 * A physical CPU keeps its state from one cell to the next, as a board
 * does, for ARM and x86 alike: when a CPU's engine goes (its cell lost
 * it), the whole CPU state of the engine is kept (uc_context: every
 * register Unicorn models, far more than the reset lists name: x86 FPU,
 * XMM, MSRs, debug and control registers too); the CPU's next engine
 * starts from it, and then the backend's reset list is applied, as the
 * backend applies it on hardware: arch-armv7/handover.h here, and
 * arch-x86/handover.h in handover_x86.c. A register a list forgets leaks
 * into the next cell here as it would on a board, and the handover tests
 * (tests/scenarios/handover*-arm.scn, handover*-x86.scn) see it.
 *
 * The devices of the CPU persist too and get their part of the list:
 * the ARM generic timer is the sim's model (sim/gic.c), its registers of
 * the list are written through gt_write(); the x86 x2APIC is sim/lapic.c,
 * reset only at machine start (exec_init), its registers of the list are
 * written through lapic_handover().
 */
#include <stdio.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "../arch-armv7/handover.h"
#include "exec.h"
#include "exec_int.h"
#include "intc.h"
#include "sim.h"

/* Test-only: the list entry to leave out (exec_handover_skip). */
static char skip[32];

void exec_handover_skip(const char *name)
{
	snprintf(skip, sizeof(skip), "%s", name ? name : "");
}

bool xc_handover_skipped(const char *name)
{
	return skip[0] && !strcmp(skip, name);
}

void xc_handover_keep(struct xcpu *xc)
{
	if (!xc->uc)
		return;
	if (!xc->carry && uc_context_alloc(xc->uc, &xc->carry)) {
		xc->carry = NULL;
		return;
	}
	if (uc_context_save(xc->uc, xc->carry)) {
		uc_context_free(xc->carry);
		xc->carry = NULL;
	}
}

void xc_handover_drop(struct xcpu *xc)
{
	if (xc->carry)
		uc_context_free(xc->carry);
	xc->carry = NULL;
}

static uc_err cp15(uc_engine *uc, const char *name, unsigned int opc1,
		   unsigned int crn, unsigned int crm, unsigned int opc2,
		   bool is64, uint64_t v)
{
	/* sec 0: the copy the cell uses (observed with Unicorn 2.0.1). */
	uc_arm_cp_reg r = { .cp = 15,
			    .is64 = is64,
			    .sec = 0,
			    .crn = crn,
			    .crm = crm,
			    .opc1 = opc1,
			    .opc2 = opc2,
			    .val = v };

	return xc_handover_skipped(name) ?
		       UC_ERR_OK :
		       uc_reg_write(uc, UC_ARM_REG_CP_REG, &r);
}

static uc_err mode_reg(uc_engine *uc, const char *name, uint32_t mode,
		       unsigned int reg, uint32_t v)
{
	uint32_t cpsr = 0x1c0 | mode;
	int id = reg == 16 ? UC_ARM_REG_SPSR :
		 reg == 13 ? UC_ARM_REG_SP :
		 reg == 14 ? UC_ARM_REG_LR :
			     UC_ARM_REG_R0 + (int)reg;
	uc_err e;

	if (xc_handover_skipped(name))
		return UC_ERR_OK;
	/* Unicorn banks on a mode change of the CPSR, as the CPU does. */
	if ((e = uc_reg_write(uc, UC_ARM_REG_CPSR, &cpsr)))
		return e;
	return uc_reg_write(uc, id, &v);
}

static int timer(struct xcpu *xc, const char *name, unsigned int opc1,
		 unsigned int crm, unsigned int opc2, bool is64, uint64_t v)
{
	int reg = is64 ? xc_gt_reg64(opc1) : xc_gt_reg32(opc1, crm, opc2);

	if (xc_handover_skipped(name))
		return 0;
	return reg < 0 ? -1 :
			 gt_write(xc->id, (enum gt_reg)reg, v, sim_time_ns());
}

#define CP32(name, op1, crn, crm, op2, v) \
	e = e ? e : cp15(xc->uc, #name, op1, crn, crm, op2, false, v);
#define CP64(name, op1, crm, v) \
	e = e ? e : cp15(xc->uc, #name, op1, 0, crm, 0, true, v);
#define T32(name, op1, crn, crm, op2, v) \
	bad |= timer(xc, #name, op1, crm, op2, false, v);
#define T64(name, op1, crm, v) bad |= timer(xc, #name, op1, crm, 0, true, v);
#define BANKED(name, mode, reg, v) \
	e = e ? e : mode_reg(xc->uc, #name, mode, reg, v);
#define GPR(name, reg, v) e = e ? e : mode_reg(xc->uc, #name, 0x1f, reg, v);

static int arm_apply(struct xcpu *xc)
{
	uint32_t cpsr = ARM_HANDOVER_CPSR, fpscr = ARM_HANDOVER_FPSCR;
	uint32_t fpexc = ARM_HANDOVER_FPEXC;
	uint64_t d = ARM_HANDOVER_DREG;
	uc_err e = UC_ERR_OK;
	unsigned int i;
	int bad = 0;

	ARM_HANDOVER_CP15(CP32, CP64)
	ARM_HANDOVER_TIMER(T32, T64)
	ARM_HANDOVER_BANKED(BANKED)
	ARM_HANDOVER_GPRS(GPR)
	for (i = 0; i < ARM_HANDOVER_VFP_DREGS && !e; i++)
		if (!xc_handover_skipped("VFP"))
			e = uc_reg_write(xc->uc, UC_ARM_REG_D0 + (int)i, &d);
	if (!e && !xc_handover_skipped("FPSCR"))
		e = uc_reg_write(xc->uc, UC_ARM_REG_FPSCR, &fpscr);
	if (!e && !xc_handover_skipped("FPEXC"))
		e = uc_reg_write(xc->uc, UC_ARM_REG_FPEXC, &fpexc);
	if (!e)
		e = uc_reg_write(xc->uc, UC_ARM_REG_CPSR, &cpsr);
	return e || bad ? -1 : 0;
}

int xc_handover_apply(struct xcpu *xc)
{
	/* The CPU as its last cell left it (none: as the machine started). */
	if (xc->carry && uc_context_restore(xc->uc, xc->carry))
		return -1;
	return xc->arm ? arm_apply(xc) : xc_x86_handover(xc);
}
