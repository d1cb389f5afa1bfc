/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standalone boot layout on x86 (QEMU q35 -m 128 and Bochs megs: 128,
 * docs/x86.md): where the loader (QEMU -kernel/-device loader, Bochs
 * optramimage) puts each blob before warden runs. The same offsets as
 * arch-armv7/boot.h with RAM at 0 instead of 0x40000000. Shared by warden
 * and the x86 root-cell manager.
 */
#ifndef WARDEN_X86_BOOT_H
#define WARDEN_X86_BOOT_H

#define BOOT_ROOT_ENTRY 0x00100000    /* root-cell image (the manager) */
#define BOOT_SYSTEM_CONFIG 0x00800000 /* system config (.cell) */
#define BOOT_CONFIG_MAX 0x10000	      /* largest accepted config */
#define BOOT_CELL_CONFIG 0x00810000   /* a cell config for the manager */
#define BOOT_MANAGER_ARGS 0x0081f000  /* struct manager_args, 0 if absent */
#define BOOT_CELL_IMAGE 0x00820000    /* that cell's raw image */
#define BOOT_CELL_IMAGE_MAX 0x40000   /* bytes the manager copies */
#define BOOT_CELL2_CONFIG 0x00860000  /* optional second cell, created first */
#define BOOT_CELL2_IMAGE 0x00870000   /* its raw image (BOOT_CELL_IMAGE_MAX) */
#define BOOT_HV_BASE 0x07000000	      /* warden's link and load address */

/* struct manager_args and the MANAGER_* options, shared with ARMv7. */
#include "../inmates/manager/manager_args.h"

#endif /* !WARDEN_X86_BOOT_H */
