// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD-V image's format of the nested paging library (paging.h): its
 * own file, so that the VT-x image does not carry it.
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
