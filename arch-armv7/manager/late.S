/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The late-launch test's start-up (manager-late.elf): a stand-in for Linux
 * on the virt board. QEMU starts it in HYP (-kernel, virtualization=on);
 * like Linux's arch/arm/kernel/hyp-stub.S it installs a HYP stub whose
 * only call is HVC_SOFT_RESTART (r0 = 1: branch to r1 in HYP, MMU off)
 * and goes on in SVC. late.c then acts as the driver (docs/linux.md),
 * and the manager runs as it does after a standalone boot.
 */
	.syntax	unified
	.arch_extension virt
	.arm
	.text

/* Drop from HYP to SVC at the label after the macro, interrupts masked. */
	.macro	to_svc
	adr	r1, 9f
	msr	ELR_hyp, r1
	mov	r1, #0x1d3			/* SVC, A, I, F */
	msr	spsr_cxsf, r1
	eret
9:
	.endm

	.globl	late_start
late_start:
	cpsid	aif
	bl	stub_install
	to_svc
	ldr	sp, =late_stacks + 0x800
	bl	late_main
	b	_start				/* the manager, as always */

/* PSCI CPU_ON from the firmware, in HYP: r0 = the CPU's index. */
	.globl	late_secondary
late_secondary:
	cpsid	aif
	mov	r4, r0
	bl	stub_install
	to_svc
	ldr	sp, =late_stacks + 0x800
	add	sp, sp, r4, lsl #11
	mov	r0, r4
	bl	late_cpu
	b	.

/* PSCI CPU_ON from the root, through warden: in SVC already. */
	.globl	late_again
late_again:
	mrs	r1, cpsr
	ldr	sp, =late_stacks + 0x4800
	bl	late_again_main
	b	.

/* As Linux's __hyp_stub_install: the stub's HVBAR, PL1 timer access,
 * CNTVOFF 0, no traps. */
stub_install:
	adr	r0, stub_vectors
	mcr	p15, 4, r0, c12, c0, 0		/* HVBAR */
	mov	r0, #3
	mcr	p15, 4, r0, c14, c1, 0		/* CNTHCTL */
	mov	r0, #0
	mov	r1, #0
	mcrr	p15, 4, r0, r1, c14		/* CNTVOFF */
	mcr	p15, 4, r0, c1, c1, 0		/* HCR */
	isb
	bx	lr

	.balign	32
stub_vectors:
	b	.
	b	.
	b	.
	b	.
	b	.
	b	stub_trap			/* hvc from SVC */
	b	.
	b	.
stub_trap:
	cmp	r0, #1				/* HVC_SOFT_RESTART */
	bxeq	r1
	ldr	r0, =0xbadca11			/* HVC_STUB_ERR */
	eret

/*
 * late_enter(entry, out[16]): the driver's hvc on this CPU, with known
 * values in every register the caller could lose: out[0] = r0 (the
 * result), out[1..12] = r1..r12 after it, out[13] = LR_usr after it,
 * out[14] = SP before, out[15] = SP after (4 less: one word pushed).
 */
	.globl	late_enter
late_enter:
	push	{r4-r12, lr}
	str	sp, [r1, #56]
	push	{r1}
	mov	r1, r0
	ldr	r0, =0xeeeeeeee
	msr	LR_usr, r0
	ldr	r2, =0x22222222
	ldr	r3, =0x33333333
	ldr	r4, =0x44444444
	ldr	r5, =0x55555555
	ldr	r6, =0x66666666
	ldr	r7, =0x77777777
	ldr	r8, =0x88888888
	ldr	r9, =0x99999999
	ldr	r10, =0xaaaaaaaa
	ldr	r11, =0xbbbbbbbb
	ldr	r12, =0xcccccccc
	mov	r0, #1				/* HVC_SOFT_RESTART */
	hvc	#0
	ldr	lr, [sp]
	stmia	lr, {r0-r12}
	mrs	r0, LR_usr
	str	r0, [lr, #52]
	str	sp, [lr, #60]
	pop	{r1}
	pop	{r4-r12, pc}

	.ltorg
	.bss
	.balign	8
late_stacks:
	.skip	0x4800				/* 8 CPUs x 2 KiB, one more */
