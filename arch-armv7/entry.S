/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HYP entry, the HYP vector table and the trap entry/exit.
 *
 * The boot CPU arrives at _start in HYP mode (QEMU -kernel or -device
 * loader, or U-Boot's bootm in non-secure HYP), MMU and caches off, at the
 * start of the hypervisor memory the system config names, wherever that
 * is; secondaries arrive at secondary_start from PSCI CPU_ON with their
 * index in r0. Each turns on HYP's identity map (hyp_mmu.c) before it
 * enters the core.
 *
 * The image is position-independent (-fpie, linked -pie): code reaches
 * everything PC-relative, and the boot CPU first adds the load offset to
 * every word the linker listed in .rel.dyn (all R_ARM_RELATIVE: GOT entries
 * and pointers in data), before anything else runs (docs/arm.md, "Where
 * warden runs"). Assembly here uses adr_l, never a literal address.
 */
	.syntax	unified
	.arch_extension virt
	.arch_extension sec
	.arm

#define R_ARM_RELATIVE 23

/* \reg = the run-time address of \sym (PC-relative, any distance). */
	.macro	adr_l reg, sym
	movw	\reg, #:lower16:(\sym - (. + 16))
	movt	\reg, #:upper16:(\sym - (. + 12))
	add	\reg, \reg, pc
	.endm

	.section .text.entry, "ax"
	.globl	_start
_start:
	cpsid	aif
	mrc	p15, 0, r4, c0, c0, 5		/* MPIDR */
	ands	r4, r4, #0xff			/* Aff0 = CPU id on QEMU virt */
	bne	halt				/* only CPU 0 boots here */
	bl	relocate
	adr_l	r0, __bss_start
	adr_l	r1, __bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	mov	r0, r4
	bl	cpu_setup
	bl	arm_boot_main
	b	halt

	.globl	secondary_start
secondary_start:
	cpsid	aif
	mov	r4, r0				/* context id: the CPU index */
	cmp	r4, #8				/* ARM_MAX_CPUS */
	bhs	halt
	bl	cpu_setup
	mov	r0, r4
	bl	arm_secondary_main
	b	halt

/* r0 = CPU index: HTPIDR = &arm_cpus[r0], SP = top of its stack, HVBAR. */
cpu_setup:
	adr_l	r1, arm_cpu_size
	ldr	r1, [r1]
	adr_l	r2, arm_cpus
	mla	r2, r0, r1, r2
	mcr	p15, 4, r2, c13, c0, 2		/* HTPIDR */
	adr_l	r3, arm_stack_size
	ldr	r3, [r3]
	add	sp, r2, r3			/* the stack is the first member */
	adr_l	r1, hyp_vectors
	mcr	p15, 4, r1, c12, c0, 0		/* HVBAR */
	isb
	bx	lr

/*
 * Add the load offset (where _start runs minus where it was linked) to
 * each word .rel.dyn names. Once, on the boot CPU, MMU off: nothing is
 * cached yet. The link address comes from warden_link_start, a word that
 * is itself in the list (so it is read before the loop changes it).
 */
relocate:
	adr_l	r0, _start
	adr_l	r1, warden_link_start
	ldr	r1, [r1]
	subs	r0, r0, r1			/* r0 = load offset */
	bxeq	lr				/* running where linked */
	adr_l	r2, __rel_start
	adr_l	r3, __rel_end
1:	cmp	r2, r3
	bxhs	lr
	ldmia	r2!, {r1, r12}			/* r_offset, r_info */
	and	r12, r12, #0xff
	cmp	r12, #R_ARM_RELATIVE
	bne	halt				/* the build refuses others */
	ldr	r12, [r1, r0]
	add	r12, r12, r0
	str	r12, [r1, r0]
	b	1b

halt:	cpsid	aif
	wfi
	b	halt

	.data
	.balign	4
	.globl	warden_link_start
warden_link_start:
	.word	_start

/*
 * HYP vectors. Guest traps arrive at 0x14; anything else taken in HYP mode
 * is the hypervisor's own fault (0x08: an svc in HYP, e.g. a semihosting
 * call when QEMU runs without -semihosting).
 */
	.text
	.balign	32
	.globl	hyp_vectors
hyp_vectors:
	b	hyp_reset	/* 0x00 */
	b	hyp_undef	/* 0x04 */
	b	hyp_svc		/* 0x08 */
	b	hyp_pabt	/* 0x0c */
	b	hyp_dabt	/* 0x10 */
	b	hyp_trap	/* 0x14 */
	b	hyp_irq_entry	/* 0x18 */
	b	hyp_fiq		/* 0x1c */

hyp_reset:
	mov	r0, #0
	b	hyp_bad
hyp_undef:
	mov	r0, #1
	b	hyp_bad
hyp_svc:
	mov	r0, #2
	b	hyp_bad
hyp_pabt:
	mov	r0, #3
	b	hyp_bad
hyp_dabt:
	mov	r0, #4
	b	hyp_bad
hyp_fiq:
	mov	r0, #7
hyp_bad:
	mrs	r1, ELR_hyp
	bl	arm_hyp_exception
	b	halt

/* A physical interrupt while a guest ran (HCR.IMO): same frame. */
hyp_irq_entry:
	push	{r0-r12, lr}
	mov	r0, sp
	bl	arm_handle_irq
	pop	{r0-r12, lr}
	eret

/* A trap from the guest: save its registers, handle, restore, return. */
hyp_trap:
	push	{r0-r12, lr}
	mov	r0, sp
	bl	arm_handle_trap
	pop	{r0-r12, lr}
	eret

/*
 * arm_enter_guest(entry, spsr, r0, r1, r2 (stack), stack_top (stack)):
 * drop this CPU's HYP stack and enter the guest with clean registers.
 */
	.globl	arm_enter_guest
arm_enter_guest:
	ldr	r12, [sp]
	ldr	r4, [sp, #4]
	mov	sp, r4
	msr	ELR_hyp, r0
	msr	spsr_cxsf, r1
	mov	r0, r2
	mov	r1, r3
	mov	r2, r12
	mov	r3, #0
	mov	r4, #0
	mov	r5, #0
	mov	r6, #0
	mov	r7, #0
	mov	r8, #0
	mov	r9, #0
	mov	r10, #0
	mov	r11, #0
	mov	r12, #0
	mov	lr, #0
	eret

/* arm_smc(fn, a1, a2, a3): a call to the firmware (PSCI), result in r0. */
	.globl	arm_smc
arm_smc:
	push	{r4-r11, lr}
	smc	#0
	pop	{r4-r11, pc}

/*
 * arm_semihosting_exit(reason): SYS_EXIT (0x18) through the semihosting
 * trap. QEMU with -semihosting exits (status 0 for ApplicationExit
 * 0x20026, else 1); without it the svc lands in hyp_svc and the CPU halts.
 */
	.globl	arm_semihosting_exit
arm_semihosting_exit:
	mov	r1, r0
	mov	r0, #0x18
	svc	0x123456
	b	halt
