/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standalone boot layout on QEMU virt (docs/arm.md): where QEMU's -kernel
 * and -device loader (or U-Boot's load commands) put each blob before
 * warden runs. Shared by warden and the root-cell manager.
 */
#ifndef WARDEN_ARM_BOOT_H
#define WARDEN_ARM_BOOT_H

#define BOOT_DTB 0x40000000	      /* the board's DTB (QEMU puts it here) */
#define BOOT_ROOT_ENTRY 0x40100000    /* root-cell image, entered in SVC */
#define BOOT_SYSTEM_CONFIG 0x40800000 /* system config (.cell) */
#define BOOT_CONFIG_MAX 0x10000	      /* largest accepted config */
#define BOOT_CELL_CONFIG 0x40810000   /* a cell config for the manager */
#define BOOT_CELL_IMAGE 0x40820000    /* that cell's raw image */
#define BOOT_CELL_IMAGE_MAX 0x40000   /* bytes the manager copies */
#define BOOT_MANAGER_ARGS 0x4081f000  /* struct manager_args, 0 if absent */
#define BOOT_CELL2_CONFIG 0x40860000  /* optional second cell, created first */
#define BOOT_CELL2_IMAGE 0x40870000   /* its raw image (BOOT_CELL_IMAGE_MAX) */

/* struct manager_args and the MANAGER_* options, shared with x86. */
#include "../inmates/manager/manager_args.h"

#endif /* !WARDEN_ARM_BOOT_H */
