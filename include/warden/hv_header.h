/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The header at the start of a hypervisor image that Linux's driver loads
 * (late launch, docs/linux.md "Entering warden from Linux"). Shared by the
 * hypervisor, the driver and the `warden` tool: fixed-width fields, little
 * endian, no pointers. Offsets count from the start of hypervisor memory,
 * where the driver copies the image.
 */
#ifndef WARDEN_HV_HEADER_H
#define WARDEN_HV_HEADER_H

#include <stdint.h>

#define WD_HV_SIGNATURE "WARDENHV"
#define WD_HV_SIGNATURE_LEN 8
#define WD_HV_REVISION 1

#define WD_HV_ARCH_ARMV7 1
#define WD_HV_ARCH_X86_64 2

struct wd_hv_header {
	char signature[WD_HV_SIGNATURE_LEN]; /* "WARDENHV", no NUL */
	uint32_t revision;		     /* WD_HV_REVISION */
	uint32_t arch;			     /* WD_HV_ARCH_* */
	uint32_t entry_offset; /* HYP/physical entry, from the image start */
	uint32_t image_size;   /* bytes of the file */
	uint32_t memory_size;  /* image + bss + stacks + per-CPU data */
	uint32_t max_cpus;     /* CPUs the image supports */
	/* Written by the driver: */
	uint32_t online_cpus;	/* CPUs that will enter */
	uint32_t config_offset; /* system config, page aligned, >= memory_size */
	uint32_t config_size;
	uint32_t flags; /* 0 */
	/* Written by a late launch that failed: reason code, item (low). */
	uint8_t reserved[8];
	/* The console ring (struct wd_hv_console), in whole pages: its
	 * offset and size (0: the image keeps none). */
	uint32_t console_offset;
	uint32_t console_size;
} __attribute__((packed));

_Static_assert(sizeof(struct wd_hv_header) == 64, "hv header layout");

/*
 * The hypervisor console ring: every byte the hypervisor prints, also
 * kept here. The root cell may read these pages (mapped read-only into it
 * at their physical address); the hypervisor writes them. @head counts the
 * bytes written since the image was loaded (modulo 2^32): byte number n of
 * that stream is content[n % WD_HV_CONSOLE_BYTES] while head - n <=
 * WD_HV_CONSOLE_BYTES. A writer reserves its byte's place by incrementing
 * head first, so a reader may see, for the few instructions until it is
 * written, the byte one lap older in the newest place.
 */
#define WD_HV_CONSOLE_BYTES 8192

struct wd_hv_console {
	uint32_t head;
	uint32_t reserved;
	char content[WD_HV_CONSOLE_BYTES];
} __attribute__((aligned(4096))); /* whole pages: nothing else shares them */

#define WD_HV_CONSOLE_SIZE 12288
_Static_assert(sizeof(struct wd_hv_console) == WD_HV_CONSOLE_SIZE,
	       "console ring layout");

/*
 * A reader's copy of the stream from byte @pos on (at most @len bytes)
 * into @buf: the number of bytes copied, 0 at the end (or for a @pos
 * beyond it: the stream began anew). Bytes the ring no longer holds (the
 * reader fell behind, or the ring wrapped before it began) come out as
 * NUL, which the hypervisor never prints: the reader can count them.
 */
static inline uint32_t wd_hv_console_read(const struct wd_hv_console *r,
					  uint32_t pos, char *buf, uint32_t len)
{
	uint32_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE), n, i;

	if ((int32_t)(head - pos) <= 0)
		return 0;
	n = head - pos < len ? head - pos : len;
	for (i = 0; i < n; i++)
		buf[i] = r->content[(pos + i) % WD_HV_CONSOLE_BYTES];
	/* What was overwritten before or while it was copied goes. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	head = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
	for (i = 0; i < n && head - (pos + i) > WD_HV_CONSOLE_BYTES; i++)
		buf[i] = 0;
	return n;
}

/*
 * x86-64 late launch (docs/linux.md): on each CPU the driver's trampoline
 * jumps to the entry (IRQs off) with RDI = the physical address of this
 * CPU's block, CR3 = @tables (hypervisor memory 1:1 and the trampoline's
 * page at its kernel address). The hypervisor continues Linux at @resume
 * with CR3 = @cr3, RSP = @rsp: with RAX = 0 as the root cell, or natively
 * with RAX = -errno. Natively again at DISABLE (or a failed launch): CR3 =
 * @tables, its own GDT and IDT, GIF clear, EFER.SVME set, IRETQ to @leave
 * with RDI = Linux's CR3 and RSP = @frame_va; there `mov %rdi, %cr3`,
 * LGDT, LIDT, DS and ES from @frame, STGI, EFER.SVME clear, IRETQ.
 */
struct wd_x86_linux {
	uint64_t cr3;	   /* Linux's, at the entry (the trampoline) */
	uint64_t rsp;	   /* Linux's at @resume (the trampoline) */
	uint64_t resume;   /* kernel address (the trampoline) */
	uint64_t seg[4];   /* ES CS SS DS: selector | LAR << 32 (trampoline) */
	uint64_t tables;   /* physical address of the private PML4 (driver) */
	uint64_t leave;	   /* kernel address (driver) */
	uint64_t frame_va; /* kernel address of @frame (driver) */
	uint64_t tsc_khz;  /* Linux's TSC rate, 0 if unknown (driver) */
	/* (hypervisor) RIP, CS, RFLAGS, RSP, SS; GDTR limit << 48, base; DS;
	 * IDTR limit << 48, base */
	uint64_t frame[10];
};

#endif /* !WARDEN_HV_HEADER_H */
