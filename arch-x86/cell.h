/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 cell memory (cell.c): hal_map(), hal_unmap(), hal_copy_from_guest()
 * and hal_copy_to_guest() for both x86 hardware backends, on the nested
 * paging library (paging.c). The backend chooses the table format
 * (x86_pt_npt, x86_pt_ept) through x86_cell_create() (hal.c), which
 * calls x86_cell_init(); hal_cell_destroy() calls x86_cell_release().
 * A cell's core_cell_arch() is its struct x86_cell.
 * Not linked by the simulator (it has its own hal_map() on Unicorn).
 */
#ifndef WARDEN_X86_CELL_H
#define WARDEN_X86_CELL_H

#include "paging.h"

/* ASIDs (AMD-V) / VPIDs (Intel) handed out: 1..X86_MAX_ASID (0 is the
 * host's). One per cell. */
#define X86_MAX_ASID WD_MAX_CELLS

struct x86_cell {
	struct x86_pt pt;  /* guest-physical -> host-physical */
	unsigned int asid; /* ASID / VPID, 1..X86_MAX_ASID */
	uint8_t *io;	   /* port bitmap (hal.c), io_pages long */
	unsigned int io_pages;
};

/*
 * Set up @xc: an empty table in @fmt from the core's page pool with leaves
 * of @sizes (X86_PT_2M/1G, as the CPU offers), and a free ASID.
 * 0, -WD_ENOMEM (no table page, or all ASIDs in use), -WD_EINVAL.
 */
int x86_cell_init(struct x86_cell *xc, const struct x86_pt_format *fmt,
		  unsigned int sizes);

/* Free the table and the ASID of @xc (hal_cell_destroy()). */
void x86_cell_release(struct x86_cell *xc);

#endif /* !WARDEN_X86_CELL_H */
