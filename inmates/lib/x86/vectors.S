/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86-64 interrupt and exception entry: one stub per vector pushes a dummy
 * error code where the CPU pushes none, then the vector number, and joins
 * the common path that saves the caller-saved registers and calls
 * x86_trap(frame) in C (setup.c). The stubs are 16 bytes apart, starting
 * at x86_vector_stubs.
 */
	.text
	.code64

	.balign 16
	.globl x86_vector_stubs
x86_vector_stubs:
	vector = 0
	.rept 256
	.balign 16
	/* Exceptions with an error code: 8, 10-14, 17, 21, 29, 30. */
	.if vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30
	.else
	pushq	$0
	.endif
	pushq	$vector
	jmp	vector_common
	vector = vector + 1
	.endr

vector_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	%rsp, %rdi
	cld
	call	x86_trap
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq
