/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 cell memory (cell.c): hal_map(), hal_unmap(), hal_copy_from_guest()
 * and hal_copy_to_guest() for both x86 hardware backends, on the nested
 * paging library (paging.c). The backend chooses the table format
 * (x86_pt_npt, x86_pt_ept) through x86_cell_create() (hal.c), which sets
 * up the table and the ASID; hal_cell_destroy() frees the table.
 * A cell's core_cell_arch() is its struct x86_cell.
 * Not linked by the simulator (it has its own hal_map() on Unicorn).
 */
#ifndef WARDEN_X86_CELL_H
#define WARDEN_X86_CELL_H

#include "paging.h"

struct x86_cell {
	struct x86_pt pt;  /* guest-physical -> host-physical */
	struct x86_pt dma; /* its DMA domain (iommu.h): WD_MEM_DMA regions;
			      fmt NULL without IOMMU units */
	unsigned int asid; /* ASID / VPID: the cell id + 1 (0 is the host's),
			      one per cell as the ids are */
	uint8_t *io;	   /* port bitmap (hal.c), io_pages long */
	unsigned int io_pages;
};

#endif /* !WARDEN_X86_CELL_H */
