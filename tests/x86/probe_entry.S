/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 probe (tests/x86/probe.c): a multiboot v1 payload linked at
 * BOOT_HV_BASE, where warden goes, and booted the way warden is: QEMU
 * -kernel (the ELF32) and Bochs' boot ROM (the flat binary). 32-bit
 * protected mode throughout; the flat binary carries no .bss, so the
 * entry zeroes it.
 */

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000002 /* memory information wanted */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl probe_entry
probe_entry:
	cli
	cld
	movl %eax, %esi		/* multiboot magic */
	movl %ebx, %edi		/* multiboot information */
	movl $__bss_start, %ecx
1:	cmpl $__bss_end, %ecx
	jae 2f
	movb $0, (%ecx)
	incl %ecx
	jmp 1b
2:	movl $stack_top, %esp
	pushl %edi
	pushl %esi
	call probe_main
3:	cli
	hlt
	jmp 3b

	.bss
	.balign 16
	.space 8192
stack_top:
