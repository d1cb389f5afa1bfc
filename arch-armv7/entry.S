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
	.type	_start, %function
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
	.type	secondary_start, %function
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

/*
 * Late launch (docs/linux.md, "Entering warden from Linux"): the kernel's
 * HYP stub (HVC_SOFT_RESTART) branches here on every online CPU at once,
 * in HYP, MMU off, interrupts masked, r1 = this address, ELR_hyp and
 * SPSR_hyp where and how Linux called. The caller's r1-r12 and LR_usr
 * (HYP shares it) are kept on this CPU's HYP stack, ELR_hyp and SPSR_hyp
 * too; r0 returns 0 (this CPU now runs the root cell) or -errno (the stub
 * still owns HYP). Linux's PL1 state is the root's guest state as it is.
 */
	.globl	linux_entry
	.type	linux_entry, %function
linux_entry:
	cpsid	aif
	mov	sp, r1				/* caller's r1, while r1 works */
	mrc	p15, 0, r0, c0, c0, 5		/* MPIDR */
	and	r0, r0, #0xff
	cmp	r0, #8				/* ARM_MAX_CPUS */
	bhs	1f
	adr_l	r1, arm_cpu_size
	ldr	r1, [r1]
	mul	r1, r0, r1
	adr_l	r0, arm_cpus
	add	r0, r0, r1			/* &arm_cpus[id] */
	mcr	p15, 4, r0, c13, c0, 2		/* HTPIDR */
	adr_l	r1, arm_stack_size
	ldr	r1, [r1]
	add	r1, r0, r1			/* top of its HYP stack */
	str	sp, [r1, #-4]!
	mov	sp, r1
	push	{r2-r12, lr}
	mrs	r2, ELR_hyp
	mrs	r3, spsr
	push	{r2, r3}
	bl	linux_gather
	cmp	r0, #0
	bleq	arm_linux_main			/* relocated: C from here */
	pop	{r2, r3}
	msr	ELR_hyp, r2
	msr	spsr_cxsf, r3
	pop	{r2-r12, lr}
	pop	{r1}
	eret
1:	mov	r1, sp
	mvn	r0, #21				/* -EINVAL: no such CPU */
	eret

/*
 * Before C may run (the image is not relocated yet): every CPU marks its
 * arrival; when header.online_cpus have arrived, the lowest-numbered one
 * relocates the image and lets the others go. Plain stores to per-CPU
 * words, no exclusives (MMU off: memory is strongly ordered, where
 * exclusive accesses need not work). Returns 0, or -ETIMEDOUT when not
 * all arrived within a second (each arrived CPU then fails), -EINVAL
 * when the driver wrote no online_cpus.
 */
linux_gather:
	push	{r4-r8, lr}
	mrc	p15, 0, r4, c0, c0, 5
	and	r4, r4, #0xff
	adr_l	r5, linux_arrived
	mov	r0, #1
	str	r0, [r5, r4, lsl #2]
	dsb
	sev
	mrrc	p15, 0, r6, r7, c14		/* CNTPCT */
	mrc	p15, 0, r0, c14, c0, 0		/* CNTFRQ: one second */
	adds	r6, r6, r0
	adc	r7, r7, #0			/* deadline */
1:	adr_l	r0, linux_go
	ldr	r0, [r0]
	cmp	r0, #2
	beq	4f				/* another CPU gave up */
	mov	r3, #0				/* arrived */
	mov	r1, #8				/* index */
	mov	r8, #8				/* the lowest arrived */
2:	subs	r1, r1, #1
	bmi	3f
	ldr	r2, [r5, r1, lsl #2]
	cmp	r2, #0
	addne	r3, r3, #1
	movne	r8, r1
	b	2b
3:	adr_l	r2, __hv_start
	ldr	r2, [r2, #32]			/* header.online_cpus */
	cmp	r2, #0
	beq	6f
	cmp	r3, r2
	bhs	5f
	mrrc	p15, 0, r0, r1, c14
	subs	r0, r0, r6
	sbcs	r1, r1, r7
	bcc	1b				/* before the deadline */
	adr_l	r1, linux_go
	mov	r0, #2
	str	r0, [r1]
	adr_l	r1, __hv_start
	mov	r0, #161			/* WD_R_late_cpus_missing */
	str	r0, [r1, #48]			/* header.reserved[0], [1] */
	str	r3, [r1, #52]
	dsb
	sev
4:	mvn	r0, #109			/* -ETIMEDOUT */
	pop	{r4-r8, pc}
5:	cmp	r8, r4
	bne	7f
	bl	relocate
	adr_l	r1, linux_first
	str	r4, [r1]
	adr_l	r1, linux_go
	mov	r0, #1
	dsb
	str	r0, [r1]
	dsb
	sev
	mov	r0, #0
	pop	{r4-r8, pc}
6:	adr_l	r1, __hv_start
	mov	r0, #160			/* WD_R_late_header */
	str	r0, [r1, #48]
	mov	r0, #32				/* online_cpus */
	str	r0, [r1, #52]
	mvn	r0, #21				/* -EINVAL */
	pop	{r4-r8, pc}
7:	adr_l	r1, linux_go
8:	ldr	r0, [r1]
	cmp	r0, #0
	beq	8b
	cmp	r0, #1
	bne	4b
	mov	r0, #0
	pop	{r4-r8, pc}

	.bss
	.balign	4
	.globl	linux_first
linux_arrived:	.space	4 * 8
linux_go:	.space	4		/* 1: relocated, 2: failed */
linux_first:	.space	4		/* the CPU that set up */

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
	.type	arm_enter_guest, %function
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
	.type	arm_smc, %function
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
	.type	arm_semihosting_exit, %function
arm_semihosting_exit:
	mov	r1, r0
	mov	r0, #0x18
	svc	0x123456
	b	halt
