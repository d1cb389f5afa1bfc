/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The header at the start of a warden image that a root-cell driver loads
 * (late launch: docs/linux.md, "Entering warden from Linux"). Shared by the
 * hypervisor, the Linux driver and the host tools: fixed-width fields only,
 * little endian, no pointers, 64 bytes.
 *
 * The driver copies the image file to the start of the system config's
 * hypervisor memory, zeroes it up to memory_size, writes online_cpus, puts
 * the system config at config_offset (page aligned, at or after
 * memory_size) and enters the image at entry_offset on every online CPU.
 * The hypervisor uses hypervisor memory after the config (rounded up to a
 * page) as its page pool.
 */
#ifndef WARDEN_HV_HEADER_H
#define WARDEN_HV_HEADER_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define WD_HV_SIGNATURE "WARDENHV" /* 8 bytes, no terminating NUL */
#define WD_HV_SIGNATURE_LEN 8
#define WD_HV_REVISION 1

#define WD_HV_ARCH_ARMV7 1
#define WD_HV_ARCH_X86_64 2

#define WD_HV_HEADER_SIZE 64

struct wd_hv_header {
	char signature[WD_HV_SIGNATURE_LEN]; /* WD_HV_SIGNATURE */
	uint32_t revision;		     /* WD_HV_REVISION */
	uint32_t arch;			     /* WD_HV_ARCH_* */
	uint32_t entry_offset; /* late-launch entry, from the image start */
	uint32_t image_size;   /* bytes of the image file */
	uint32_t memory_size;  /* image + bss + stacks + per-CPU data */
	uint32_t max_cpus;     /* CPUs the image supports (ids 0..max-1) */
	/* Written by the driver: */
	uint32_t online_cpus;	/* CPUs that will enter */
	uint32_t config_offset; /* system config, from hypervisor memory */
	uint32_t config_size;	/* its bytes */
	uint32_t flags;		/* 0 */
	uint32_t reserved[4];
};

/* Offsets, for assembly and linker scripts that fill or read the header. */
#define WD_HV_OFF_ENTRY 16
#define WD_HV_OFF_MEMORY_SIZE 24
#define WD_HV_OFF_MAX_CPUS 28
#define WD_HV_OFF_ONLINE_CPUS 32
#define WD_HV_OFF_CONFIG_OFFSET 36
#define WD_HV_OFF_CONFIG_SIZE 40

#ifndef __KERNEL__
_Static_assert(sizeof(struct wd_hv_header) == WD_HV_HEADER_SIZE,
	       "wd_hv_header is 64 bytes");
_Static_assert(__builtin_offsetof(struct wd_hv_header, entry_offset) ==
			       WD_HV_OFF_ENTRY &&
		       __builtin_offsetof(struct wd_hv_header, memory_size) ==
			       WD_HV_OFF_MEMORY_SIZE &&
		       __builtin_offsetof(struct wd_hv_header, max_cpus) ==
			       WD_HV_OFF_MAX_CPUS &&
		       __builtin_offsetof(struct wd_hv_header, online_cpus) ==
			       WD_HV_OFF_ONLINE_CPUS &&
		       __builtin_offsetof(struct wd_hv_header, config_offset) ==
			       WD_HV_OFF_CONFIG_OFFSET &&
		       __builtin_offsetof(struct wd_hv_header, config_size) ==
			       WD_HV_OFF_CONFIG_SIZE,
	       "wd_hv_header offsets");
#endif

#endif /* !WARDEN_HV_HEADER_H */
