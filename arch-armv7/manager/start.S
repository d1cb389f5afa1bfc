/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Root-cell manager start-up: warden enters at BOOT_ROOT_ENTRY in SVC mode,
 * MMU and caches off, interrupts masked, r2 = the DTB. Stack, BSS, vectors
 * (every exception is reported and ends the run, except the bench's
 * interrupts), then manager_main().
 * secondary_start: a second root CPU the manager starts by PSCI CPU_ON.
 */
	.syntax	unified
	.arm
	.section .text.entry, "ax"
	.globl	_start
_start:
	cpsid	aif
	ldr	sp, =stack_top
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r3, #0
1:	cmp	r0, r1
	strlo	r3, [r0], #4
	blo	1b
	cps	#0x12				/* IRQ mode's stack */
	ldr	sp, =irq_stack_top
	cps	#0x13
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		/* VBAR */
	isb
	bl	manager_main
halt:	cpsid	aif
	wfi
	b	halt

/* A second root CPU, started with PSCI CPU_ON: r0 = context id. */
	.globl	secondary_start
secondary_start:
	cpsid	aif
	ldr	sp, =stack2_top
	ldr	r1, =vectors
	mcr	p15, 0, r1, c12, c0, 0		/* VBAR */
	isb
	bl	manager_secondary
	b	halt

	.balign	32
vectors:
	b	halt		/* reset */
	b	und		/* undefined */
	b	svc		/* svc */
	b	pabt		/* prefetch abort */
	b	dabt		/* data abort */
	b	halt
	b	irq		/* IRQ */
	b	fiq		/* FIQ */
und:	mov	r0, #1
	b	exc
svc:	mov	r0, #2
	b	exc
pabt:	mov	r0, #3
	b	exc
dabt:	mov	r0, #4
	b	exc
/* IRQ: manager_irq(lr) acknowledges and ends the bench's virtual
 * interrupts; it reports any other one as an exception. */
irq:	sub	lr, lr, #4
	push	{r0-r3, r12, lr}
	mov	r0, lr
	bl	manager_irq
	ldmfd	sp!, {r0-r3, r12, pc}^
fiq:	mov	r0, #7
exc:	mov	r1, lr
	ldr	sp, =stack_top
	bl	manager_exception
	b	halt

	.ltorg
	.bss
	.balign	8
	.skip	0x4000
stack_top:
	.skip	0x1000
stack2_top:
	.skip	0x400
irq_stack_top:
