// SPDX-License-Identifier: GPL-2.0
/*
 * ARM CPUs of the executor: what the ARMv7 backend does on a trap that is
 * no memory access. HVC #0x4a48 is a hypercall to the core; PSCI (HVC #0,
 * SMC) is decided by arch-armv7/psci.c; an HVC from USR mode is the
 * cell's own undefined instruction; other undefined instructions fail
 * the cell (cpu_exception).
 */
#include <unicorn/unicorn.h>

#include "../arch-armv7/psci.h"
#include "../core/trace.h"
#include "../hal/core.h"
#include "exec_int.h"
#include "sim.h"

#define ARM_HVC_WARDEN 0xe144a478 /* hvc #0x4a48 */
#define ARM_HVC_PSCI 0xe1400070	  /* hvc #0 */

static void arm_set_r0(struct xcpu *xc, uint32_t v)
{
	uc_reg_write(xc->uc, UC_ARM_REG_R0, &v);
}

/* The ARM CPU runs in USR mode (PL0). */
static bool arm_user(struct xcpu *xc)
{
	return (xc_arm_reg(xc, UC_ARM_REG_CPSR) & 0x1f) == 0x10;
}

/*
 * PSCI from the cell (smc #0 or hvc #0): function in r0, result in r0.
 * arch-armv7/psci.c decides, as for the ARMv7 backend (traps.c).
 */
static void arm_psci(struct xcpu *xc)
{
	struct cell *self = core_cpu_cell(xc->id);
	struct psci_decision d;
	enum access_result res;
	bool running;

	sim_set_cpu(xc->id);
	psci_decide(xc_arm_reg(xc, UC_ARM_REG_R0),
		    xc_arm_reg(xc, UC_ARM_REG_R1),
		    xc_arm_reg(xc, UC_ARM_REG_R2),
		    xc_arm_reg(xc, UC_ARM_REG_R3),
		    psci_machine_cpus(core_system_config()), &d);
	switch (d.action) {
	case PSCI_ACT_ANSWER:
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		arm_set_r0(xc, (uint32_t)d.answer);
		return;
	case PSCI_ACT_AFFINITY:
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		arm_set_r0(xc, (uint32_t)psci_affinity_answer(
				       d.cpu < WD_MAX_CPUS &&
					       core_cpu_cell(d.cpu) == self,
				       d.cpu < WD_MAX_CPUS &&
					       !(core_cpu_flags(d.cpu) &
						 CORE_CPU_PARKED)));
		return;
	case PSCI_ACT_MACHINE:
		res = core_machine_control(d.off, WD_METHOD_PSCI);
		if (res == ACCESS_DENIED) {
			xc_stop(xc, STOP_DENIED);
			return;
		}
		arm_set_r0(xc, PSCI_SUCCESS);
		return;
	case PSCI_ACT_CPU_OFF:
		/* No return on success: the CPU waits, off, for a CPU_ON. */
		core_cpu_off();
		xc_stop(xc, STOP_DENIED);
		return;
	case PSCI_ACT_CPU_ON:
		running = !(core_cpu_flags(d.cpu) & CORE_CPU_PARKED);
		/* r0 of the started CPU; only for a CPU of this cell. */
		if (!running && core_cpu_cell(d.cpu) == self)
			xc_cpu(d.cpu)->context = d.context;
		res = core_cpu_on(d.cpu, d.entry);
		if (res == ACCESS_DENIED) {
			xc_stop(xc, STOP_DENIED);
			return;
		}
		arm_set_r0(xc, (uint32_t)psci_cpu_on_answer(
				       running, core_cpu_cell(d.cpu) == self));
		return;
	}
}

static void hook_intr_arm(uc_engine *uc, uint32_t intno, void *arg)
{
	struct xcpu *xc = arg;
	uint32_t pc = (uint32_t)xc_pc(xc), insn = 0;
	long ret;

	(void)uc;
	if (xc->why != RUNNING)
		return;
	if (intno == 13) { /* smc, PC after it */
		arm_psci(xc);
		return;
	}
	if (intno != 11 || uc_mem_read(xc->uc, pc - 4, &insn, 4)) {
		xc_fault(xc, pc);
		return;
	}
	if (insn == ARM_HVC_PSCI) {
		arm_psci(xc);
		return;
	}
	if (insn != ARM_HVC_WARDEN) {
		xc_fault(xc, pc - 4);
		return;
	}
	sim_set_cpu(xc->id);
	ret = core_hypercall(xc_arm_reg(xc, UC_ARM_REG_R0),
			     xc_arm_reg(xc, UC_ARM_REG_R1),
			     xc_arm_reg(xc, UC_ARM_REG_R2), arm_user(xc));
	arm_set_r0(xc, (uint32_t)ret);
	if (xc_parked(xc))
		xc_stop(xc, STOP_DENIED);
}

/*
 * Is the instruction at the PC an HVC (A1 or T1 encoding)? Unicorn makes
 * one executed in USR mode an invalid instruction, PC at it.
 */
static bool arm_hvc_at_pc(struct xcpu *xc)
{
	uint32_t pc = (uint32_t)xc_pc(xc), insn = 0;
	uint16_t hw[2] = { 0, 0 };

	if (xc_arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_T)
		return !uc_mem_read(xc->uc, pc, hw, sizeof(hw)) &&
		       (hw[0] & 0xfff0) == 0xf7e0 && (hw[1] & 0xf000) == 0x8000;
	return !uc_mem_read(xc->uc, pc, &insn, sizeof(insn)) &&
	       (insn & 0x0ff000f0) == 0x01400070;
}

static bool hook_invalid_arm(uc_engine *uc, void *arg)
{
	struct xcpu *xc = arg;

	(void)uc;
	/*
	 * HVC in USR mode is UNDEFINED (ARM ARM B9.3.3): the cell takes its
	 * own undefined instruction exception, the hypervisor sees nothing.
	 */
	if (arm_user(xc) && arm_hvc_at_pc(xc)) {
		xc_arm_undefined(xc, 4);
		return true;
	}
	xc_fault(xc, xc_pc(xc));
	return false;
}

uc_err xc_arm_hooks(struct xcpu *xc)
{
	/* SCR.HCE: hvc is a hypervisor call (interrupt 11), not undefined. */
	uc_arm_cp_reg scr = { .cp = 15, .crn = 1, .crm = 1, .val = 0x101 };
	uc_hook h;
	uc_err e;

	if ((e = uc_reg_write(xc->uc, UC_ARM_REG_CP_REG, &scr)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_INTR, hook_intr_arm, xc, 1,
			     0)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_INSN_INVALID, hook_invalid_arm,
			     xc, 1, 0)))
		return e;
	return UC_ERR_OK;
}
