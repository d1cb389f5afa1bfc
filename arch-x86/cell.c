// SPDX-License-Identifier: GPL-2.0
/*
 * x86 cell memory (cell.h): the HAL's stage-2 hooks on the nested paging
 * library, for the AMD-V and VT-x backends. The hypervisor's memory and
 * the cells' RAM are mapped 1:1 in the hypervisor (as paging.c assumes),
 * so a host-physical address of RAM is its pointer. Freestanding.
 */
#include "cell.h"
#include "../hal/hal.h"

int hal_map(struct cell *cell, gpa_t gpa, hpa_t hpa, uint64_t size,
	    uint64_t flags)
{
	/* Every mapping is readable (paging.h): write-only regions are too. */
	unsigned int perm = X86_PT_R | (flags & WD_MEM_WRITE ? X86_PT_W : 0) |
			    (flags & WD_MEM_EXECUTE ? X86_PT_X : 0) |
			    (flags & WD_MEM_NO_HUGEPAGES ? X86_PT_4K : 0);

	struct x86_cell *xc = core_cell_arch(cell);
	int err = x86_pt_map(&xc->pt, gpa.v, hpa.v, size, perm,
			     flags & WD_MEM_IO ? X86_MT_UC : X86_MT_WB);

	/* Devices reach the DMA regions only, in 4 KiB pages (iommu.h). */
	if (err || !xc->dma.fmt)
		return err;
	if (!(flags & WD_MEM_DMA))
		return x86_pt_unmap(&xc->dma, gpa.v, size);
	return x86_pt_map(&xc->dma, gpa.v, hpa.v, size,
			  (perm & (X86_PT_R | X86_PT_W)) | X86_PT_4K,
			  X86_MT_WB);
}

int hal_unmap(struct cell *cell, gpa_t gpa, uint64_t size)
{
	struct x86_cell *xc = core_cell_arch(cell);
	int err = x86_pt_unmap(&xc->pt, gpa.v, size);

	return err || !xc->dma.fmt ? err : x86_pt_unmap(&xc->dma, gpa.v, size);
}

/*
 * Copy between hypervisor memory and the cell's RAM (write-back mappings
 * with @need), page by page; nothing is copied unless all of it may be:
 * a first pass checks every page, unless the range is in one page (the
 * exits' reads: page-table entries, an instruction), where the one
 * translation checks it before anything is copied.
 */
static int copy(struct cell *cell, uint64_t gpa, uint8_t *buf, size_t len,
		bool to_guest)
{
	const struct x86_cell *xc = core_cell_arch(cell);
	unsigned int need = to_guest ? X86_PT_W : X86_PT_R;
	struct x86_pt_xlate x;
	uint8_t *ram;
	uint64_t a, chunk;
	size_t done;
	int pass;

	if (gpa + len < gpa)
		return -WD_EFAULT;
	pass = (gpa & (WD_PAGE_SIZE - 1)) + len <= WD_PAGE_SIZE;
	for (; pass < 2; pass++) {
		for (a = gpa, done = 0; done < len; a += chunk, done += chunk) {
			chunk = WD_PAGE_SIZE - (a & (WD_PAGE_SIZE - 1));
			if (chunk > len - done)
				chunk = len - done;
			if (x86_pt_translate(&xc->pt, a, &x) ||
			    (x.perm & need) != need || x.mt != X86_MT_WB)
				return -WD_EFAULT;
			ram = (uint8_t *)(uintptr_t)x.hpa;
			if (pass)
				__builtin_memcpy(to_guest ? ram : buf + done,
						 to_guest ? buf + done : ram,
						 chunk);
		}
	}
	return 0;
}

int hal_copy_from_guest(struct cell *cell, gpa_t gpa, void *dst, size_t len)
{
	return copy(cell, gpa.v, dst, len, false);
}

int hal_copy_to_guest(struct cell *cell, gpa_t gpa, const void *src, size_t len)
{
	return copy(cell, gpa.v, (uint8_t *)(uintptr_t)src, len, true);
}
