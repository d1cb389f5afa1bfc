/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7 inmate start-up. The cell's first CPU starts in SVC mode at the
 * reset address 0 (the first entry of the vector table), MMU and caches
 * off. CPUs started with PSCI CPU_ON enter at secondary_entry with their
 * CPU index in r0 (the context id). Each CPU gets VBAR, its index in
 * TPIDRPRW and stacks for SVC, IRQ and abort/undefined/FIQ mode; the boot
 * CPU also clears BSS. Then C: arm_entry(index). An inmate may look at
 * the boot CPU's state first (inmate_early).
 */
#include "inmate_params.h"
#include "layout.h"

#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b

#define SCTLR_A (1 << 1)
#define SCTLR_V (1 << 13)
#define SCTLR_TE (1 << 30)

	.arm
	.section .vectors, "ax"
	.globl __reset
__reset:
vectors:
	b	reset		/* 0x00 reset: the cell's entry */
	b	und_entry	/* 0x04 undefined instruction */
	b	svc_entry	/* 0x08 supervisor call */
	b	pabt_entry	/* 0x0c prefetch abort */
	b	dabt_entry	/* 0x10 data abort */
	b	.		/* 0x14 not used */
	b	irq_entry	/* 0x18 IRQ */
	b	fiq_entry	/* 0x1c FIQ */

reset:
	b	inmate_early
/*
 * inmate_early: an inmate may look at the CPU exactly as it was handed
 * over before anything here changes it (the handover demo); it must end
 * with "b inmate_reset_continue". By default, nothing.
 */
	.weak	inmate_early
	.globl	inmate_reset_continue
inmate_early:
inmate_reset_continue:
	cpsid	aif
	mov	r4, #0
	bl	cpu_setup
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	mov	r0, #0
	bl	arm_entry
	b	halt

	.globl secondary_entry
secondary_entry:
	cpsid	aif
	mov	r4, r0
	cmp	r4, #INMATE_MAX_CPUS
	bhs	halt
	bl	cpu_setup
	mov	r0, r4
	bl	arm_entry

halt:	cpsid	aif
	wfi
	b	halt

/* r4 = CPU index. Clobbers r0-r2; returns in SVC mode. */
cpu_setup:
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #SCTLR_A
	bic	r0, r0, #SCTLR_V
	bic	r0, r0, #SCTLR_TE
	mcr	p15, 0, r0, c1, c0, 0
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		/* VBAR */
	mcr	p15, 0, r4, c13, c0, 4		/* TPIDRPRW: CPU index */
	isb

	add	r1, r4, #1
	ldr	r0, =irq_stacks
	mov	r2, #IRQ_STACK_SIZE
	mla	r0, r1, r2, r0
	cps	#MODE_IRQ
	mov	sp, r0
	ldr	r0, =exc_stacks
	mov	r2, #EXC_STACK_SIZE
	mla	r0, r1, r2, r0
	cps	#MODE_ABT
	mov	sp, r0
	cps	#MODE_UND
	mov	sp, r0
	cps	#MODE_FIQ
	mov	sp, r0
	ldr	r0, =stacks
	mov	r2, #STACK_SIZE
	mla	r0, r1, r2, r0
	cps	#MODE_SVC
	mov	sp, r0
	bx	lr

	.ltorg

	.text
irq_entry:
	sub	lr, lr, #4
	push	{r0-r3, r12, lr}
	bl	arm_irq
	ldm	sp!, {r0-r3, r12, pc}^

/*
 * Unexpected exceptions: report and stop (arm_exception never returns).
 * An undefined instruction that arm_user_hvc (user.S) provoked goes back
 * there instead.
 */
und_entry:
	push	{r0-r3}
	ldr	r0, =user_probe_sp
	ldr	r1, [r0]
	cmp	r1, #0
	bne	arm_user_probe_return
	pop	{r0-r3}
	mov	r0, #1
	b	exc_common
svc_entry:
	mov	r0, #2
	b	exc_common
pabt_entry:
	mov	r0, #3
	b	exc_common
dabt_entry:
	mov	r0, #4
	b	exc_common
fiq_entry:
	mov	r0, #7
exc_common:
	mov	r1, lr
	mrs	r2, spsr
	bl	arm_exception
	b	halt

	.ltorg

	.bss
	.balign 8
	.globl stacks
stacks:		.skip	INMATE_MAX_CPUS * STACK_SIZE
irq_stacks:	.skip	INMATE_MAX_CPUS * IRQ_STACK_SIZE
exc_stacks:	.skip	INMATE_MAX_CPUS * EXC_STACK_SIZE
