/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The root-cell manager on x86: the boot layout (inmates/manager/). */
#ifndef WARDEN_MANAGER_ARCH_H
#define WARDEN_MANAGER_ARCH_H

#include "../boot.h"

/* The rest of the boot layout (arch-x86/boot.h): the manager's blobs. */
#define BOOT_CELL_CONFIG 0x00810000  /* a cell config for the manager */
#define BOOT_MANAGER_ARGS 0x0081f000 /* struct manager_args, 0 if absent */
#define BOOT_CELL_IMAGE 0x00820000   /* that cell's raw image */
#define BOOT_CELL_IMAGE_MAX 0x40000  /* bytes the manager copies */
#define BOOT_CELL2_CONFIG 0x00860000 /* optional second cell, created first */
#define BOOT_CELL2_IMAGE 0x00870000  /* its raw image (BOOT_CELL_IMAGE_MAX) */

/* struct manager_args and the MANAGER_* options, shared with ARMv7. */
#include "../../inmates/manager/manager_args.h"

/* Where the manager puts the real-mode trampoline of the CPUs it starts
 * with INIT/SIPI (SIPI vector TRAMPOLINE_BASE >> 12): root RAM below
 * 1 MiB, no firmware's (QEMU's SeaBIOS has finished when we run). */
#define TRAMPOLINE_BASE 0x8000

#endif /* !WARDEN_MANAGER_ARCH_H */
