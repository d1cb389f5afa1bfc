/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86-64 inmate start-up, the Jailhouse way: the CPU comes out of reset in
 * 16-bit real mode with no BIOS. The boot CPU starts at the reset stub at
 * RESET_ADDRESS (0xfff0, the cell's cpu_reset_address, CS base 0); CPUs
 * started with INIT/SIPI (vector 0) start at AP_ENTRY_ADDRESS (0x0). Both
 * load a flat GDT, enter 32-bit protected mode, then 64-bit long mode with
 * identity paging of the low 4 GiB (2 MiB pages; the last GiB, where
 * devices live, uncached), and continue at entry64, which clears BSS and
 * calls C with a stack.
 *
 * %ebp carries "AP" (1) or "boot CPU" (0) through the mode switches.
 * An inmate may look at the CPU first, at entry64 (inmate_early64).
 *
 * Built with INMATE_NO_REALMODE (the x86 root-cell manager, linked at
 * 1 MiB, entered in 32-bit protected mode): without the 16-bit entries and
 * the reset stub; the image enters at entry32 itself (boot_gdt_desc
 * loaded, %ebp set), and so do the CPUs its own trampoline starts.
 */
#include "inmate_params.h"
#include "layout.h"

#define CR0_PE 0x00000001
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

#define PTE_P 0x01
#define PTE_RW 0x02
#define PTE_US 0x04 /* ring 3 too: x86_user_hypercall (user.S) */
#define PTE_PWT 0x08
#define PTE_PCD 0x10
#define PTE_PS 0x80

	.section .boot, "ax"
#ifndef INMATE_NO_REALMODE
	.code16

	/* APs: SIPI vector 0 starts them here with CS = 0, IP = 0. */
	.globl ap_entry16
ap_entry16:
	cli
	movl	$1, %ebp
	jmp	1f

	.globl bsp_entry16
bsp_entry16:
	cli
	xorl	%ebp, %ebp
1:	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	boot_gdt_desc
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$BOOT_CS32, $entry32
#endif

	.code32
	.globl	entry32
entry32:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	testl	%ebp, %ebp
	jnz	2f

	/* Boot CPU: build the page tables (.pagetables, not loaded). */
	cld
	movl	$pml4, %edi
	movl	$(2 * 0x1000 / 4), %ecx
	xorl	%eax, %eax
	rep stosl			/* PML4 and PDPT: all empty */

	movl	$pdpt, %eax
	orl	$(PTE_P | PTE_RW | PTE_US), %eax
	movl	%eax, pml4

	movl	$pd, %eax
	orl	$(PTE_P | PTE_RW | PTE_US), %eax
	movl	$pdpt, %edi
	movl	$4, %ecx
3:	movl	%eax, (%edi)
	addl	$0x1000, %eax
	addl	$8, %edi
	loop	3b

	/* 2048 PD entries: 2 MiB each, identity, the last GiB uncached. */
	movl	$pd, %edi
	movl	$(PTE_P | PTE_RW | PTE_US | PTE_PS), %eax
	xorl	%edx, %edx
4:	cmpl	$0xc0000000, %edx
	jb	5f
	orl	$(PTE_PCD | PTE_PWT), %eax
5:	movl	%eax, (%edi)
	movl	$0, 4(%edi)
	addl	$0x200000, %eax
	addl	$0x200000, %edx
	addl	$8, %edi
	cmpl	$(pd + 4 * 0x1000), %edi
	jb	4b

2:	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	ljmpl	$BOOT_CS64, $entry64

	.balign 8
boot_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code, flat */
	.quad	0x00cf92000000ffff	/* 0x10: data, flat */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
boot_gdt_end:

	.globl	boot_gdt_desc
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

	/*
	 * The 64-bit entry, at ENTRY64_ADDRESS (0x800). Real-mode start-up
	 * arrives here in long mode; a simulator whose CPU cannot make that
	 * switch (Unicorn 2.0.1) may start a CPU here directly, in 64-bit
	 * mode with any flat state, EBP = 0 for the boot CPU and 1 for a CPU
	 * started by INIT/SIPI (docs/inmates.md). From here on the code is
	 * the same for both: our own GDT and segments, BSS, stack, C.
	 */
	.section .boot64, "ax"
	.code64
	.globl entry64
entry64:
	jmp	inmate_early64
/*
 * inmate_early64: an inmate may look at the CPU as it reaches entry64
 * before anything here changes it (the handover demo): as handed over in
 * the simulator, after the real-mode start-up elsewhere. It must keep
 * EBP and end with "jmp inmate_entry64_continue". By default, nothing.
 */
	.weak	inmate_early64
	.globl	inmate_entry64_continue
inmate_early64:
inmate_entry64_continue:
	cli
	cld
	lgdt	boot_gdt_desc64(%rip)
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* CPU index (boot CPU 0, APs in order of arrival) and its stack. */
	xorl	%edi, %edi
	testl	%ebp, %ebp
	jz	1f
	movl	$1, %edi
	lock xaddl %edi, next_cpu_index(%rip)
	cmpl	$INMATE_MAX_CPUS, %edi
	jae	halt
1:	movl	%edi, %eax
	incl	%eax
	imull	$STACK_SIZE, %eax
	leaq	stacks(%rip), %rsp
	addq	%rax, %rsp

	/* Our own 64-bit code segment. */
	pushq	$BOOT_CS64
	leaq	2f(%rip), %rax
	pushq	%rax
	lretq

2:	testl	%edi, %edi
	jnz	3f
	/* Boot CPU: APs count from 1 again (the image may be restarted
	 * without reloading); clear BSS (its stack is empty now). */
	movl	$1, next_cpu_index(%rip)
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	shrq	$3, %rcx
	xorl	%eax, %eax
	rep stosq
	xorl	%edi, %edi
3:	call	x86_entry

halt:	cli
	hlt
	jmp	halt

	.balign 8
	.globl	boot_gdt_desc64
boot_gdt_desc64:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	/*
	 * The reset stub, at RESET_ADDRESS (0xfff0): the first instruction
	 * the boot CPU executes. A far jump, so that it also works when the
	 * hypervisor leaves CS with the architectural selector 0xf000.
	 */
#ifndef INMATE_NO_REALMODE
	.section .reset, "ax"
	.code16
	.globl __reset
__reset:
	ljmp	$0, $bsp_entry16
	.fill	16 - (. - __reset), 1, 0xf4	/* hlt */
#endif

	.data
	.balign 4
next_cpu_index:
	.long	1

	/* Filled by the boot CPU in 32-bit mode, before BSS is cleared. */
	.section .pagetables, "aw", @nobits
	.balign 0x1000
	.globl pml4, pdpt, pd
pml4:	.skip	0x1000
pdpt:	.skip	0x1000
pd:	.skip	4 * 0x1000

	.bss
	.balign 16
	.globl stacks
stacks:	.skip	INMATE_MAX_CPUS * STACK_SIZE
