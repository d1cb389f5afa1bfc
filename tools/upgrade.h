/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Conversion of Jailhouse configs of revisions 12 and 13 to revision 14
 * (tools/upgrade.c). The field changes between the revisions are public
 * facts of Jailhouse's include/jailhouse/cell-config.h history:
 *
 *   12 -> 13: the IOMMU units move out of the platform union to right after
 *             pci_domain; the x86 part becomes pm_timer_address, apic_mode,
 *             padding, vtd_interrupt_limit, tsc_khz, apic_khz (16 bytes),
 *             the ARM part gets padding[2] before the GIC bases (44 bytes).
 *             The root cell moves from offset 354 to 356.
 *   13 -> 14: the 6-byte signatures "JHSYST"/"JHCELL" become "JHSYS"/
 *             "JHCLL" followed by an architecture byte (x86 0, arm 1,
 *             arm64 2). Nothing else moves.
 *
 * Cell headers and every array behind them are the same in all three.
 */
#ifndef WARDEN_TOOLS_UPGRADE_H
#define WARDEN_TOOLS_UPGRADE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* No architecture given: infer it (systems) or refuse (cells). */
#define UPGRADE_ARCH_INFER 0xff

/*
 * Convert the revision 12 or 13 config in @in (@len bytes; bytes past its
 * declared size are dropped) to revision 14 in a malloc'd *@out of *@outlen
 * bytes. @arch: WD_ARCH_* or UPGRADE_ARCH_INFER. Notes (the architecture
 * inferred, flags whose meaning moved) go to @notes. Returns 0, or -1 with
 * a precise message in @err.
 */
int upgrade_config(const uint8_t *in, size_t len, unsigned int arch,
		   uint8_t **out, size_t *outlen, FILE *notes, char *err,
		   size_t errlen);

#endif /* !WARDEN_TOOLS_UPGRADE_H */
