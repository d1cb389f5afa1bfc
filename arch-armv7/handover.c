/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Handover scrubbing: this CPU's guest-writable state set to the values of
 * handover.h before it waits for its next owner, and the traps that keep
 * debug and PMU registers away from cells. The list itself is handover.h;
 * here it only becomes instructions (inline asm needs constant encodings).
 */
#include "arm.h"
#include "handover.h"

/* VFP/NEON from HYP: CPACR does not apply at PL2, FPEXC.EN does. */
static void scrub_vfp(void)
{
	uint32_t en = 1u << 30, zero = (uint32_t)ARM_HANDOVER_DREG;

	_Static_assert(ARM_HANDOVER_VFP_DREGS == 32, "d0-d31 below");
	asm volatile(".fpu neon-vfpv4\n\t"
		     "vmsr fpexc, %0\n\t"
		     ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
		     "19,20,21,22,23,24,25,26,27,28,29,30,31\n\t"
		     "vmov d\\n, %1, %1\n\t"
		     ".endr\n\t"
		     "vmsr fpscr, %2\n\t"
		     "vmsr fpexc, %3"
		     :
		     : "r"(en), "r"(zero), "r"(ARM_HANDOVER_FPSCR),
		       "r"(ARM_HANDOVER_FPEXC)
		     : "memory");
}

#define CP15_32(name, op1, crn, crm, op2, v) \
	arm_write_cp32(op1, c##crn, c##crm, op2, v);
#define CP15_64(name, op1, crm, v) arm_write_cp64(op1, c##crm, v);
#define BANKED(name, mode, reg, v) \
	asm volatile("msr " #name ", %0" : : "r"((uint32_t)(v)) : "memory");

void arm_handover_scrub(void)
{
	ARM_HANDOVER_CP15(CP15_32, CP15_64)
	ARM_HANDOVER_TIMER(CP15_32, CP15_64)
	ARM_HANDOVER_BANKED(BANKED)
	scrub_vfp();
	/* GPRS and CPSR: arm_enter_guest() enters with them. */
	asm volatile("isb" ::: "memory");
}

void arm_handover_traps(bool on)
{
	uint32_t hdcr = arm_read_cp32(4, c1, c1, 1) & ~ARM_HANDOVER_HDCR;

	arm_write_cp32(4, c1, c1, 1, hdcr | (on ? ARM_HANDOVER_HDCR : 0));
	asm volatile("isb" ::: "memory");
}
