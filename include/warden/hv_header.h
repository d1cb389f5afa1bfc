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

#endif /* !WARDEN_HV_HEADER_H */
