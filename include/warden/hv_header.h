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
	uint8_t reserved[16];
} __attribute__((packed));

_Static_assert(sizeof(struct wd_hv_header) == 64, "hv header layout");

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
