/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86 root-cell manager start-up. Entered at BOOT_ROOT_ENTRY (0x100000) on
 * the boot CPU in 32-bit protected mode, flat 4 GiB segments (no GDT of
 * ours yet), paging and interrupts off: by warden (EAX = 0), or directly
 * by a multiboot loader (QEMU -kernel manager.bin, EAX = 0x2BADB002; the
 * header below, with the a.out kludge for a flat image). It loads the
 * inmate library's GDT and continues in the library's start-up at entry32
 * (inmates/lib/x86/start.S, built without its real-mode part): identity
 * paging, long mode, stack, BSS, then x86_entry() -> inmate_start(), which
 * is the manager's (x86.c).
 *
 * ap_trampoline: the real-mode code a spare root CPU starts in after the
 * manager's INIT/SIPI, copied to TRAMPOLINE_BASE (SIPI vector
 * TRAMPOLINE_BASE >> 12): its own GDT (the library's selectors), protected
 * mode, then entry32 with %ebp = 1 (an AP: the boot CPU's page tables).
 */
#include "layout.h"
#include "manager_arch.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010000 /* bit 16: load addresses in the header */

	.section .text.entry, "ax"
	.code32
	.globl	_start
_start:
	jmp	start32

	.balign	4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	mb_header		/* header_addr */
	.long	_start			/* load_addr */
	.long	__load_end		/* load_end_addr */
	.long	__bss_end		/* bss_end_addr */
	.long	_start			/* entry_addr */

start32:
	cli
	cld
	lgdtl	boot_gdt_desc
	xorl	%ebp, %ebp		/* the boot CPU */
	ljmpl	$BOOT_CS32, $entry32

/* Copied, not run in place: addresses are TRAMPOLINE_BASE-relative. */
#define TR(sym) (TRAMPOLINE_BASE + (sym) - ap_trampoline)

	.section .rodata.trampoline, "a"
	.code16
	.globl	ap_trampoline, ap_trampoline_end
ap_trampoline:
	cli
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	tr_gdt_desc - ap_trampoline
	movl	%cr0, %eax
	orl	$1, %eax		/* CR0.PE */
	movl	%eax, %cr0
	ljmpl	$BOOT_CS32, $TR(tr_entry32)

	.code32
tr_entry32:
	movl	$1, %ebp		/* an AP */
	ljmpl	$BOOT_CS32, $entry32

	.balign	8
tr_gdt:					/* start.S's boot_gdt selectors */
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code, flat */
	.quad	0x00cf92000000ffff	/* 0x10: data, flat */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_desc:
	.word	tr_gdt_end - tr_gdt - 1
	.long	TR(tr_gdt)
ap_trampoline_end:
