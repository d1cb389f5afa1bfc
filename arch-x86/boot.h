/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standalone boot layout on x86 (QEMU q35 -m 128 and Bochs megs: 128,
 * docs/x86.md): where the loader (QEMU -kernel/-device loader, Bochs
 * optramimage) puts each blob before warden runs. The same offsets as
 * arch-armv7/boot.h with RAM at 0 instead of 0x40000000. What warden
 * reads; the root-cell manager's own blobs (the cells it runs, its
 * options) follow in arch-x86/manager/manager_arch.h.
 */
#ifndef WARDEN_X86_BOOT_H
#define WARDEN_X86_BOOT_H

#define BOOT_ROOT_ENTRY 0x00100000    /* root-cell image (the manager) */
#define BOOT_SYSTEM_CONFIG 0x00800000 /* system config (.cell) */
#define BOOT_CONFIG_MAX 0x10000	      /* largest accepted config */
#define BOOT_HV_BASE 0x07000000	      /* warden's link and load address */

#endif /* !WARDEN_X86_BOOT_H */
