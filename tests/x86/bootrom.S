/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The project's Bochs boot ROM (64 KiB, `romimage:`; no BIOS runs). Bochs
 * maps it at 0xffff0000 (and at 0xf0000); the BSP starts at the reset
 * vector, file offset 0xfff0, in real mode with CS base 0xffff0000. The
 * APs stay in wait-for-SIPI: the payload starts them.
 *
 * The ROM enables A20, loads its own flat GDT, enters 32-bit protected
 * mode and hands over to a multiboot v1 payload the way a multiboot
 * loader does: EAX = 0x2BADB002, EBX = the multiboot information, flat
 * 4 GiB code and data segments, paging and interrupts off.
 *
 * Where the payload starts is not built in: the runner
 * (tests/qemu/x86_manager.py) preloads a boot record at BOOT_RECORD
 * (optramimage), which it builds from the payload's ELF32 (e_entry) and
 * the run's command line:
 *
 *   +0x00  u32  magic  0x52424457 ("WDBR")
 *   +0x04  u32  entry  32-bit entry point of the payload
 *   +0x08  u32  the multiboot information block's address (-> EBX)
 *
 * A missing or wrong record is said on port 0xe9 and COM1 ("bootrom: no
 * boot record") and ends the run through Bochs' shutdown port 0x8900.
 */

#define BOOT_RECORD 0x9000
#define RECORD_MAGIC 0x52424457
#define ROM_BASE 0xffff0000
#define MULTIBOOT_MAGIC 0x2badb002

	.code16
	.text
	/* The code sits in the ROM's last 4 KiB, near the reset vector. */
	.org 0xf000, 0xff
	.globl rom_start
rom_start:
	cli
	cld
	/* Fast A20 (port 0x92 bit 1; bit 0 would reset the machine). */
	inb $0x92, %al
	orb $0x02, %al
	andb $0xfe, %al
	outb %al, $0x92
	/* CS base is 0xffff0000: the descriptor is addressed through CS. */
	lgdtl %cs:gdt_desc
	movl %cr0, %eax
	orl $1, %eax		/* PE; PG, CD, NW stay as reset left them */
	movl %eax, %cr0
	ljmpl $0x08, $(ROM_BASE + prot32)

	.code32
prot32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	xorl %esp, %esp		/* no stack: the payload sets its own */
	cmpl $RECORD_MAGIC, BOOT_RECORD
	jne no_record
	movl BOOT_RECORD + 8, %ebx
	movl $MULTIBOOT_MAGIC, %eax
	jmp *BOOT_RECORD + 4

no_record:
	movl $(ROM_BASE + msg_no_record), %esi
1:	movb (%esi), %al
	testb %al, %al
	jz 3f
	outb %al, $0xe9
	movw $0x3fd, %dx	/* COM1 LSR: wait for THR empty */
2:	inb %dx, %al
	testb $0x20, %al
	jz 2b
	movb (%esi), %al
	movw $0x3f8, %dx
	outb %al, %dx
	incl %esi
	jmp 1b
3:	movl $(ROM_BASE + msg_shutdown), %esi
	movw $0x8900, %dx
4:	movb (%esi), %al
	testb %al, %al
	jz 5f
	outb %al, %dx
	incl %esi
	jmp 4b
5:	cli
	hlt
	jmp 5b

msg_no_record:
	.asciz "bootrom: no boot record at 0x9000 (magic WDBR)\r\n"
msg_shutdown:
	.asciz "Shutdown"

	.balign 8
gdt:
	.quad 0				/* null */
	.quad 0x00cf9a000000ffff	/* 0x08: code, flat, 32-bit */
	.quad 0x00cf92000000ffff	/* 0x10: data, flat */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long ROM_BASE + gdt

	/* The reset vector: CS:IP = 0xf000:0xfff0 (linear 0xfffffff0). */
	.org 0xfff0, 0xff
	.code16
reset_vector:
	jmp rom_start
	.org 0x10000, 0xff
