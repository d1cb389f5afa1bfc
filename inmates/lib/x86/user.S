/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * long x86_user_hypercall(code, arg1, arg2): a hypercall made from ring 3
 * (CPL 3), to test that the hypervisor refuses it (docs/inmates.md).
 *
 * The way down and back, as the hardware does it: a GDT with the boot
 * selectors plus user segments, a 64-bit TSS (RSP0) and a DPL-3 call gate
 * to ring-0 code; iretq drops to ring 3, which runs vmcall (vmmcall on
 * AMD) and comes back through the call gate, landing on the TSS's RSP0
 * with SS null. Interrupts stay off in ring 3. The boot GDT is loaded
 * again before returning; one CPU at a time.
 */
#include "layout.h"

#define USER_DS 0x20 /* with RPL 3: 0x23 */
#define USER_CS 0x28 /* with RPL 3: 0x2b */
#define TSS_SEL 0x30
#define GATE_SEL 0x40

	.section .text.x86_user, "ax"
	.code64
	.globl x86_user_hypercall
x86_user_hypercall:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushfq
	cli
	sgdt	saved_gdt(%rip)
	movq	%rsp, saved_rsp(%rip)

	/* Descriptors whose base is an address: filled in here. */
	leaq	user_tss(%rip), %rax
	movw	%ax, user_gdt + TSS_SEL + 2(%rip)
	shrq	$16, %rax
	movb	%al, user_gdt + TSS_SEL + 4(%rip)
	movb	$0x89, user_gdt + TSS_SEL + 5(%rip) /* available TSS */
	movb	%ah, user_gdt + TSS_SEL + 7(%rip)
	shrq	$16, %rax
	movl	%eax, user_gdt + TSS_SEL + 8(%rip)
	leaq	ring0_back(%rip), %rax
	movw	%ax, user_gdt + GATE_SEL(%rip)
	shrq	$16, %rax
	movw	%ax, user_gdt + GATE_SEL + 6(%rip)
	shrq	$16, %rax
	movl	%eax, user_gdt + GATE_SEL + 8(%rip)
	/* The way back lands on this stack (RSP0), below our frame. */
	leaq	-64(%rsp), %rax
	movq	%rax, user_tss + 4(%rip)

	lgdt	user_gdt_desc(%rip)
	movw	$TSS_SEL, %ax
	ltr	%ax

	/* rax = code, rdi = arg1, rsi = arg2 as the hypercall wants them. */
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	pushq	$(USER_DS | 3)
	leaq	user_stack_top(%rip), %rcx
	pushq	%rcx
	pushq	$0x2 /* RFLAGS: IF clear */
	pushq	$(USER_CS | 3)
	leaq	ring3(%rip), %rcx
	pushq	%rcx
	iretq

ring3:
	cmpb	$0, x86_user_vmmcall(%rip)
	jne	1f
	vmcall
	jmp	2f
1:	vmmcall
2:	lcall	*gate_ptr(%rip)

ring0_back:
	movl	$BOOT_DS, %ecx
	movl	%ecx, %ss
	movq	saved_rsp(%rip), %rsp
	lgdt	saved_gdt(%rip)
	popfq
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

	.data
	.balign 16
user_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code (as boot_gdt) */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
	.quad	0x00cff2000000ffff	/* 0x20: data, DPL 3 */
	.quad	0x00affa000000ffff	/* 0x28: 64-bit code, DPL 3 */
	.quad	0x0000000000000067, 0	/* 0x30: 64-bit TSS (base above) */
	/* 0x40: 64-bit call gate, DPL 3, to BOOT_CS64:ring0_back */
	.quad	0x0000ec0000000000 | (BOOT_CS64 << 16), 0
user_gdt_end:

	.balign 8
user_gdt_desc:
	.word	user_gdt_end - user_gdt - 1
	.quad	user_gdt

	.balign 8
gate_ptr:
	.long	0	/* offset: ignored for a call gate */
	.word	GATE_SEL | 3

	.globl x86_user_vmmcall
x86_user_vmmcall:
	.byte	0	/* 1: the hypercall is vmmcall (AMD-V) */

	.bss
	.balign 16
user_tss:
	.skip	0x68
saved_gdt:
	.skip	16
saved_rsp:
	.skip	8
	.balign 16
user_stack:
	.skip	256
user_stack_top:
