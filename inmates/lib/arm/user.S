/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * long arm_user_hvc(code, arg1, arg2): hvc #0x4a48 executed in USR mode
 * (PL0), to test what the CPU and the hypervisor do with it (docs/inmates.md).
 *
 * On ARMv7 an HVC at PL0 is UNDEFINED: the CPU takes the cell's own
 * undefined instruction exception at the hvc, the hypervisor sees nothing.
 * Should the hvc ever return (r0 = its result), the udf after it takes the
 * same exception. Either way und_entry (start.S) sees user_probe_sp set and
 * comes back here in UND mode: arm_user_undef_pc is the address of the
 * instruction that was undefined (arm_user_hvc_insn or the udf after it),
 * and the function returns r0 as it was then, in the caller's mode with
 * its interrupt masks. One CPU at a time.
 */
#define MODE_USR 0x10
#define MODE_SVC 0x13

	.arm
	.syntax unified
	.section .text.arm_user, "ax"
	.globl arm_user_hvc
arm_user_hvc:
	push	{r4-r11, lr}
	mrs	r4, cpsr
	push	{r4}
	ldr	r4, =user_probe_sp
	str	sp, [r4]
	cps	#MODE_USR
	.globl arm_user_hvc_insn
arm_user_hvc_insn:
	hvc	#0x4a48
	.globl arm_user_udf_insn
arm_user_udf_insn:
	.word	0xe7f000f0		/* udf #0 */

/*
 * From und_entry, in UND mode, with r0-r3 pushed on the UND stack and r1
 * the caller's stack pointer (user_probe_sp).
 */
	.globl arm_user_probe_return
arm_user_probe_return:
	mov	r12, r1
	ldr	r0, =user_probe_sp
	mov	r2, #0
	str	r2, [r0]
	sub	r2, lr, #4		/* ARM state: LR_und = insn + 4 */
	ldr	r0, =arm_user_undef_pc
	str	r2, [r0]
	pop	{r0-r3}
	cps	#MODE_SVC
	mov	sp, r12
	pop	{r4}
	msr	cpsr_c, r4
	pop	{r4-r11, pc}

	.ltorg

	.bss
	.balign 4
	.globl user_probe_sp
user_probe_sp:
	.skip	4
	.globl arm_user_undef_pc
arm_user_undef_pc:
	.skip	4
