/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 entry: a multiboot v1 image (QEMU -kernel; Bochs' boot ROM jumps to
 * the image's first byte, BOOT_HV_BASE) entered in 32-bit protected mode
 * with EAX = 0x2BADB002 and EBX = the multiboot info. The boot CPU zeroes
 * .bss and switches to long mode with the hypervisor's page tables
 * (boot_pml4: 0..4 GiB 1:1 in 2 MiB pages, the top GiB uncached: devices);
 * the APs come through the real-mode trampoline (copied to X86_TRAMPOLINE
 * by setup.c) and the same switch. A late launch from Linux enters each
 * CPU at x86_linux_entry, in 64-bit mode, and takes the same tables. In
 * 64-bit mode each CPU takes the stack at the top of its per-CPU block
 * (the LAPIC id picks it) and calls C.
 */
#include "x86.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0
#define MB_BOOT_MAGIC 0x2badb002

#define PTE_P 0x01
#define PTE_RW 0x02
#define PTE_PWT 0x08
#define PTE_PCD 0x10
#define PTE_PS 0x80

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	jmp	entry32
	.align	4
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

entry32:
	cli
	cld
	cmpl	$MB_BOOT_MAGIC, %eax
	jne	stop64		/* its bytes mean the same in 32-bit mode */
	movl	%ebx, %esi
	/* .bss: not in warden.bin (Bochs), so zeroed here. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	%esi, x86_mbinfo

	movl	$x86_boot_main, %ebp	/* what C runs: the boot CPU's */
	lgdtl	tramp_gdt_desc	/* the trampoline's, read where it is */
	ljmpl	$GDT_CS32, $common32

/* An AP from the trampoline: the same GDT loaded, CS = GDT_CS32. */
ap_entry32:
	movl	$x86_ap_main, %ebp	/* an AP's */
common32:
	movl	$GDT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$0x20, %eax	/* PAE */
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$0x900, %eax	/* LME, NXE */
	wrmsr
	movl	%cr0, %eax
	andl	$0x9fffffff, %eax	/* caches on (CD, NW clear) */
	orl	$0x80010001, %eax	/* PG, WP, PE */
	movl	%eax, %cr0
	ljmpl	$GDT_CS64, $entry64

	.code64
entry64:
	/* DS, ES, SS hold GDT_DS from common32; FS and GS null. */
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%ebp, %ebp	/* RBP's upper half: undefined from 32-bit mode */
/*
 * From here also the late launch (the AMD-V image's x86_linux_entry,
 * svm_run.S), RBP = x86_linux_main, RBX = its argument. The LAPIC id
 * (xAPIC, 0xfee00020 bits 31:24) picks the block; C runs the function at
 * RBP with the id and RBX.
 */
	.globl x86_cpu_stack
x86_cpu_stack:
	movl	$0xfee00020, %eax
	movl	(%rax), %eax
	shrl	$24, %eax
	cmpl	$X86_MAX_CPUS, %eax
	jae	stop64
	movl	%eax, %edi
	incl	%eax
	shlq	$16, %rax	/* X86_CPU_SIZE */
	leaq	x86_cpus(%rax), %rsp
	xorl	%eax, %eax
	pushq	%rax		/* a zero return address ends backtraces */
	movq	%rbx, %rsi
	call	*%rbp
stop64:
	cli
	hlt
	jmp	stop64

	.section .rodata
	.align	16
	.globl x86_boot_gdt
x86_boot_gdt:
	.quad	0
	.quad	0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: data */
	.quad	0x00cf9b000000ffff	/* 0x18: 32-bit code */
boot_gdt_end:

/*
 * The AP trampoline, copied to X86_TRAMPOLINE (setup.c). The SIPI starts
 * it in real mode, CS = X86_TRAMPOLINE >> 4, IP = 0.
 */
#define T(sym) (X86_TRAMPOLINE + (sym) - x86_trampoline)
	.code16
	.globl x86_trampoline, x86_trampoline_end
x86_trampoline:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	T(tramp_gdt_desc)
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$GDT_CS32, $ap_entry32
	.align	8
tramp_gdt_desc:
	.word	boot_gdt_end - x86_boot_gdt - 1
	.long	x86_boot_gdt
x86_trampoline_end:

/* The hypervisor's page tables, ready in the image for both ways in. */
	.data
	.balign	4096
	.globl boot_pml4
boot_pml4:
	.quad	boot_pdpt + (PTE_P | PTE_RW)
	.fill	511, 8, 0
boot_pdpt:
	.irp	i, 0, 1, 2, 3
	.quad	boot_pd + \i * 4096 + (PTE_P | PTE_RW)
	.endr
	.fill	508, 8, 0
boot_pd:
	.set	leaf, 0
	.rept	2048	/* from 3 GiB PCD | PWT too (a true comparison is -1) */
	.quad	(leaf << 21) | PTE_P | PTE_RW | PTE_PS | ((leaf >= 1536) & (PTE_PCD | PTE_PWT))
	.set	leaf, leaf + 1
	.endr

	.bss
	.globl x86_mbinfo
	.align	4
x86_mbinfo:
	.long	0

/*
 * Exception stubs (IDT vectors 0-31), X86_EXC_STUB_SIZE bytes apart from
 * x86_exception_stubs: push a zero error code where the CPU pushes none,
 * then the vector. Two return: the NMI, which only wakes a waiting CPU (at
 * the wait's HLT it resumes after it: x86_wait_nmi, svm_run.S and
 * vmx_run.S), and the #GP of the
 * VT-x image's x86_wrmsr_safe() (vmx_run.S), which then returns -1; their
 * checks touch no register. Any other exception (or a #GP elsewhere) is
 * reported by x86_exception(vector, error code, RIP, RSP), which stops the
 * machine.
 */
	.text
	.code64
	.weak	x86_wrmsr_safe_insn, x86_wrmsr_safe_fault /* AMD-V: 0, none */
	.balign	X86_EXC_STUB_SIZE
	.globl x86_exception_stubs
x86_exception_stubs:
	.macro	stub vec
	.org	x86_exception_stubs + \vec * X86_EXC_STUB_SIZE /* fails if
							  the last was longer */
	.ifeq	\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21
	pushq	$0	/* the CPU pushes no error code */
	.endif
	pushq	$\vec
	jmp	exc_common
	.endm
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stub	\v
	.endr
exc_common:	/* vector, error code, then the CPU's RIP, CS, RFLAGS, RSP, SS */
	cmpq	$2, (%rsp)
	jne	1f
	cmpq	$x86_wait_hlt, 16(%rsp)
	jne	2f
	incq	16(%rsp)	/* past the HLT (one byte) */
	jmp	2f
1:	cmpq	$13, (%rsp)
	jne	3f
	cmpq	$x86_wrmsr_safe_insn, 16(%rsp)
	jne	3f
	movq	$x86_wrmsr_safe_fault, 16(%rsp)
2:	addq	$16, %rsp
	iretq
3:	popq	%rdi
	popq	%rsi
	movq	(%rsp), %rdx
	movq	24(%rsp), %rcx
	andq	$~15, %rsp
	call	x86_exception	/* the machine stops */
	jmp	stop64

/*
 * x86_load_gprs(): the GPRs but RAX and RSP from the struct x86_gprs at
 * RDI (RDI itself last): the guest's before a VM entry (RAX holds the
 * VMCB on AMD-V and is the caller's) and before DISABLE's IRETQ.
 */
	.globl x86_load_gprs
x86_load_gprs:
	movq	1*8(%rdi), %rcx
	movq	2*8(%rdi), %rdx
	movq	3*8(%rdi), %rbx
	movq	5*8(%rdi), %rbp
	movq	6*8(%rdi), %rsi
	movq	8*8(%rdi), %r8
	movq	9*8(%rdi), %r9
	movq	10*8(%rdi), %r10
	movq	11*8(%rdi), %r11
	movq	12*8(%rdi), %r12
	movq	13*8(%rdi), %r13
	movq	14*8(%rdi), %r14
	movq	15*8(%rdi), %r15
	movq	7*8(%rdi), %rdi
	ret
