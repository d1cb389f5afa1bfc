/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden's Linux driver, x86-64 entry trampoline (docs/linux.md, "Entering
 * warden from Linux"): one page of module text, mapped also at its kernel
 * address in the private table (x86.c) that maps hypervisor memory 1:1.
 *
 * long warden_x86_tramp(u64 entry, u64 block_pa, struct wd_x86_linux *blk)
 * keeps Linux's callee-saved registers, RFLAGS, RSP and CR3, switches to
 * the private table and jumps to the hypervisor's entry with RDI = the
 * block's physical address. The hypervisor comes back at
 * warden_x86_resume on Linux's CR3 and stack with RAX = the result, as the
 * root cell's guest (0) or natively (-errno).
 */
#include <linux/linkage.h>

	.text
	.balign	4096
	.globl	warden_x86_page
warden_x86_page:

SYM_FUNC_START(warden_x86_tramp)
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushfq
	movq	%rsp, 8(%rdx)		/* rsp */
	movq	%cr3, %rax
	movq	%rax, 0(%rdx)		/* cr3 */
	leaq	warden_x86_resume(%rip), %rax
	movq	%rax, 16(%rdx)		/* resume */
	/* seg[]: ES CS SS DS, selector | access rights (LAR) << 32 */
	.irp	n, 0, 1, 2, 3
	xorl	%eax, %eax
	.if \n == 0
	movw	%es, %ax
	.elseif \n == 1
	movw	%cs, %ax
	.elseif \n == 2
	movw	%ss, %ax
	.else
	movw	%ds, %ax
	.endif
	xorl	%ecx, %ecx
	larl	%eax, %ecx		/* a null selector: stays 0 */
	shlq	$32, %rcx
	orq	%rcx, %rax
	movq	%rax, 24 + \n * 8(%rdx)
	.endr
	movq	%rdi, %rcx
	movq	%rsi, %rdi
	movq	56(%rdx), %rax		/* tables */
	movq	%rax, %cr3
	jmp	*%rcx
	.globl	warden_x86_resume
warden_x86_resume:
	popfq
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	RET
SYM_FUNC_END(warden_x86_tramp)

/*
 * Back to Linux natively: CR3 := RDI, then Linux's GDT, IDT, DS and ES
 * from the block's frame (RSP, set by the hypervisor's IRETQ to here), SS
 * and CS Linux's; only then GIF set (an NMI finds Linux's tables) and SVM
 * off; IRETQ
 * through the frame. RAX (the result) is kept; RCX, RDX, RDI are lost.
 */
	.globl	warden_x86_leave
warden_x86_leave:
	movq	%rdi, %cr3
	lgdt	46(%rsp)
	lidt	70(%rsp)
	movq	56(%rsp), %rdi
	movl	%edi, %ds
	movl	%edi, %es
	movq	32(%rsp), %rdi
	movl	%edi, %ss
	pushq	8(%rsp)			/* Linux's CS, for an NMI's IRET */
	leaq	1f(%rip), %rdi
	pushq	%rdi
	lretq
1:	movq	%rax, %rdi
	stgi
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	btrl	$12, %eax		/* SVME */
	wrmsr
	movq	%rdi, %rax
	iretq
	.org	warden_x86_page + 4096	/* fails if the page is full */
