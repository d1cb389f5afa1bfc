/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The project's Bochs boot ROM (64 KiB, `romimage:`; no BIOS runs). Bochs
 * maps it at 0xffff0000 (and at 0xf0000); the BSP starts at the reset
 * vector, file offset 0xfff0, in real mode with CS base 0xffff0000. The
 * APs stay in wait-for-SIPI: the payload starts them.
 *
 * The ROM enables A20, loads its own flat GDT, enters 32-bit protected
 * mode, sets COM1 and COM2 to 8N1 at 115200 baud (as a BIOS would: they
 * come out of reset with 5 data bits, and Bochs then cuts each byte to
 * 5 bits), loads the payload (below) and hands over to a multiboot v1 payload the way a multiboot
 * loader does: EAX = 0x2BADB002, EBX = the multiboot information, flat
 * 4 GiB code and data segments, paging and interrupts off.
 *
 * The ROM holds no payload: Bochs' optramimage cannot load more than
 * 128 KiB correctly (Bochs 2.7 reads the whole file at the host address of
 * the first 128 KiB block of guest memory, while the blocks after it are
 * allocated elsewhere), and it has 4 slots. So the runner
 * (tests/qemu/x86_manager.py) writes everything to a disk image, ata0
 * master, and the ROM reads it with ATA PIO (LBA28 READ SECTORS). Sector 0
 * is the boot record:
 *
 *   +0x00  u32  magic  0x52424457 ("WDBR")
 *   +0x04  u32  entry  32-bit entry point of the payload (its ELF e_entry)
 *   +0x08  u32  the multiboot information block's address (-> EBX)
 *   +0x0c  u32  n, the number of load entries (at most 40)
 *   +0x10  n x { u32 physical address, u32 first sector, u32 sectors }
 *
 * The ROM reads each entry's sectors to its address (the multiboot
 * information is one of them), then jumps to the entry. A missing record
 * or a disk error is said on port 0xe9 and COM1 ("bootrom: ...") and ends
 * the run through Bochs' shutdown port 0x8900.
 */

#define RECORD 0x7000 /* where sector 0 is read to (scratch) */
#define RECORD_MAGIC 0x52424457
#define MAX_ENTRIES 40
#define ATA_DATA 0x1f0
#define ATA_COUNT 0x1f2
#define ATA_LBA0 0x1f3
#define ATA_DRIVE 0x1f6
#define ATA_CMD 0x1f7 /* status when read */
#define ATA_CTRL 0x3f6
#define ROM_BASE 0xffff0000
#define MULTIBOOT_MAGIC 0x2badb002

/*
 * 16550 UART at \\base: 8 data bits, no parity, 1 stop bit, 115200 baud,
 * FIFOs on, interrupts off (it comes out of reset with 5 data bits; a
 * BIOS would have done this). Clobbers %eax, %edx.
 */
	.macro uart_init base
	movw $(\base + 1), %dx	/* IER: no interrupts */
	xorb %al, %al
	outb %al, %dx
	movw $(\base + 3), %dx	/* LCR: DLAB */
	movb $0x80, %al
	outb %al, %dx
	movw $\base, %dx	/* divisor 1 */
	movb $1, %al
	outb %al, %dx
	movw $(\base + 1), %dx
	xorb %al, %al
	outb %al, %dx
	movw $(\base + 3), %dx	/* 8N1 */
	movb $0x03, %al
	outb %al, %dx
	movw $(\base + 2), %dx	/* FCR: FIFOs on, cleared */
	movb $0x07, %al
	outb %al, %dx
	movw $(\base + 4), %dx	/* MCR: DTR, RTS */
	movb $0x03, %al
	outb %al, %dx
	.endm

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
	uart_init 0x3f8		/* COM1 and COM2 as a BIOS leaves them */
	uart_init 0x2f8
	movw $ATA_CTRL, %dx
	movb $0x02, %al		/* nIEN: no interrupt from the disk */
	outb %al, %dx
	xorl %eax, %eax		/* sector 0: the boot record */
	movl $1, %ecx
	movl $RECORD, %edi
	movl $(ROM_BASE + 1f), %ebp
	jmp read_sectors
1:	movl $(ROM_BASE + msg_no_record), %esi
	cmpl $RECORD_MAGIC, RECORD
	jne fail
	cmpl $MAX_ENTRIES, RECORD + 12
	ja fail
	movl $RECORD + 16, %ebx	/* the next entry */
next_entry:
	movl RECORD + 12, %eax
	shll $2, %eax
	leal RECORD + 16(%eax,%eax,2), %eax
	cmpl %eax, %ebx
	jae loaded
	movl 0(%ebx), %edi
	movl 4(%ebx), %eax
	movl 8(%ebx), %ecx
	addl $12, %ebx
	movl $(ROM_BASE + next_entry), %ebp
	jmp read_sectors
loaded:
	movl RECORD + 8, %ebx
	movl $MULTIBOOT_MAGIC, %eax
	jmp *RECORD + 4

/*
 * Read %ecx sectors from LBA %eax to %edi (256 at most per command), then
 * jump to %ebp (no stack, no call). Clobbers %eax, %ecx, %edx, %esi, %edi.
 */
read_sectors:
	testl %ecx, %ecx
	jz 5f
	movl %ecx, %esi
	cmpl $256, %esi
	jbe 1f
	movl $256, %esi
1:	subl %esi, %ecx
	movl %eax, %edx		/* keep the LBA in the upper ports' order */
	rorl $24, %edx		/* %dl = LBA 27:24 */
	andb $0x0f, %dl
	orb $0xe0, %dl		/* LBA mode, master */
	xchgl %eax, %edx
	movl %edx, %esp		/* LBA (no stack: %esp is free) */
	movw $ATA_DRIVE, %dx
	outb %al, %dx
	movl %esi, %eax
	movw $ATA_COUNT, %dx
	outb %al, %dx		/* 256 -> 0, which means 256 */
	movl %esp, %eax
	incw %dx		/* 0x1f3: LBA 7:0 */
	outb %al, %dx
	shrl $8, %eax
	incw %dx		/* 0x1f4: LBA 15:8 */
	outb %al, %dx
	shrl $8, %eax
	incw %dx		/* 0x1f5: LBA 23:16 */
	outb %al, %dx
	movw $ATA_CMD, %dx
	movb $0x20, %al		/* READ SECTORS */
	outb %al, %dx
2:	movw $ATA_CMD, %dx	/* per sector: wait for BSY clear, DRQ */
3:	inb %dx, %al
	testb $0x80, %al
	jnz 3b
	testb $0x01, %al
	jnz disk_error
	testb $0x08, %al
	jz 3b
	movl %ecx, %eax		/* rep insw takes %ecx: keep it in %eax */
	movl $256, %ecx
	movw $ATA_DATA, %dx
	rep insw
	movl %eax, %ecx
	decl %esi
	jnz 2b
	movl %esp, %eax		/* the next LBA */
	addl $256, %eax
	jmp read_sectors
5:	jmp *%ebp

disk_error:
	movl $(ROM_BASE + msg_disk), %esi
	jmp fail

/* Say the message at %esi, then leave through the shutdown port. */
fail:
1:	movb (%esi), %al
	testb %al, %al
	jz 7f
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
7:	movw $0x3fd, %dx	/* until the UART has sent it all */
6:	inb %dx, %al
	testb $0x40, %al
	jz 6b
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
	.asciz "bootrom: no boot record in sector 0 of ata0 (magic WDBR, at most 40 entries)\r\n"
msg_disk:
	.asciz "bootrom: ata0 read error\r\n"
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
