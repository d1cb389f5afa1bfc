/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The root-cell manager on x86: the boot layout (inmates/manager/). */
#ifndef WARDEN_MANAGER_ARCH_H
#define WARDEN_MANAGER_ARCH_H

#include "../boot.h"

/* Where the manager puts the real-mode trampoline of the CPUs it starts
 * with INIT/SIPI (SIPI vector TRAMPOLINE_BASE >> 12): root RAM below
 * 1 MiB, no firmware's (QEMU's SeaBIOS has finished when we run). */
#define TRAMPOLINE_BASE 0x8000

#endif /* !WARDEN_MANAGER_ARCH_H */
