// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD-V image's formats of the paging library (paging.h): its nested
 * page tables and its IOMMU's (amd_iommu.c) DMA tables, in their own file
 * so that the VT-x image does not carry them.
 */
#include "paging.h"

/*
 * AMD-V nested page tables: the nested walk uses the ordinary long-mode
 * format (AMD APM vol. 2, 15.25.5 "Nested Table Walk" and 5.3 "Long-Mode
 * Page Translation"): P = bit 0, R/W = bit 1, U/S = bit 2, PWT = bit 3,
 * PCD = bit 4, PS = bit 7 in PDPT/PD entries (1 GiB/2 MiB pages), NX =
 * bit 63. Nested walks and the guest's accesses through them count as
 * user accesses (15.25.5), so U/S is set in every entry. Memory type: the
 * PAT index from PAT/PCD/PWT into the host's PAT; the reset PAT holds WB
 * at index 0 and UC at index 3 (PCD|PWT) (APM vol. 2, 7.8.2), combined
 * with the guest's type as in 15.25.8. nCR3 is the PML4's address
 * (15.25.4).
 */
const struct x86_pt_format x86_pt_npt = {
	.present = 1ULL << 0,
	.table = 1ULL << 0 | 1ULL << 1 | 1ULL << 2,
	.leaf = 1ULL << 0 | 1ULL << 2,
	.write = 1ULL << 1,
	.nx = 1ULL << 63,
	.large = 1ULL << 7,
	.mt_mask = 1ULL << 3 | 1ULL << 4,
	.mt_uc = 1ULL << 3 | 1ULL << 4,
};

/*
 * AMD-Vi DMA tables (AMD I/O Virtualization Technology (IOMMU)
 * Specification, #48882, "I/O Page Tables for Host Translations"):
 * PR = bit 0, Next Level = bits 11:9 (the level of the table an entry
 * points to; 0 in a 4 KiB leaf), the address in 51:12, IR = bit 61 and
 * IW = bit 62, which the walk ANDs at every level (so table entries grant
 * both). The device table entry takes the root with Mode 4 (4 levels) in
 * the same bits 11:9, hence the pointer. Unused entries hold Next Level 1
 * with PR clear (the rest is ignored then): QEMU 7.2's walk ends without
 * an IO_PAGE_FAULT event at an all-zero entry or one with Next Level 0 (a
 * leaf to it, present or not), and logs one at a non-present entry with
 * another Next Level (hw/i386/amd_iommu.c, amdvi_page_walk()).
 */
const struct x86_pt_format x86_pt_amdvi = {
	.present = 1ULL << 0,
	.table = 1ULL << 0 | 3ULL << 61,
	.leaf = 1ULL << 0,
	.read = 1ULL << 61,
	.write = 1ULL << 62,
	.pointer = 4ULL << 9,
	.next_level = 1ULL << 9,
	.empty = 1ULL << 9,
};
