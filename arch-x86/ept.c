// SPDX-License-Identifier: GPL-2.0
/*
 * The VT-x image's format of the nested paging library (paging.h): its
 * own file, so that the AMD-V image does not carry it.
 */
#include "paging.h"

/*
 * Intel EPT (SDM vol. 3C, 29.3.2 "EPT Translation Mechanism", tables
 * 29-1 to 29-6 (chapter 28 in editions before 2023)): read = bit 0,
 * write = bit 1, execute = bit 2; an entry is present if any of them is
 * set. Leaves carry the EPT memory type in bits 5:3 (0 = UC, 6 = WB) and
 * ignore-PAT in bit 6 (left clear: the guest's PAT type combines, 29.3.7.2);
 * bit 7 marks 1 GiB (PDPTE) and 2 MiB (PDE) pages. Non-leaf entries have
 * bits 7:3 reserved. The EPTP (SDM vol. 3C, 25.6.11): the paging-structure
 * memory type in bits 2:0 (6 = WB), the page-walk length minus one (3) in
 * bits 5:3.
 */
const struct x86_pt_format x86_pt_ept = {
	.present = 7,
	.table = 7,
	.read = 1ULL << 0,
	.write = 1ULL << 1,
	.exec = 1ULL << 2,
	.large = 1ULL << 7,
	.mt_mask = 7ULL << 3,
	.mt_wb = 6ULL << 3,
	.pointer = 6 | 3 << 3,
};
