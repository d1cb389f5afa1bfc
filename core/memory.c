/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell memory. Page-aligned regions are mapped 1:1 through the HAL;
 * unaligned (sub-page) device regions are emulated through MMIO with the
 * access widths their flags permit; the comm region is a hypervisor page.
 * A non-root cell's memory is taken from the root cell (at the guest
 * addresses the root's own regions give it) unless it is ROOTSHARED, and
 * given back when it goes.
 */
#include "core.h"

/*
 * Does a region of a non-root cell (but @except) hold a byte of [phys,
 * phys+size)? Comm regions never do, nor regions with a flag of @shared
 * (WD_MEM_ROOTSHARED: shared on purpose).
 */
static bool claimed_by_cells(uint64_t phys, uint64_t size,
			     const struct cell *except, uint64_t shared)
{
	const struct wd_memory *m;
	unsigned int c, i;

	for (c = 0; c < WD_MAX_CELLS; c++) {
		if (!cells[c].in_use || &cells[c] == root_cell ||
		    &cells[c] == except)
			continue;
		m = wd_cell_mem_regions(cells[c].config);
		for (i = 0; i < cells[c].mapped_regions; i++)
			if (!mem_is_empty(&m[i]) &&
			    !(m[i].flags & (WD_MEM_COMM_REGION | shared)) &&
			    ranges_overlap(m[i].phys_start, m[i].size, phys,
					   size))
				return true;
	}
	return false;
}

/*
 * The sub-page device regions non-root cells claim from the root cell (not
 * COMM or ROOTSHARED ones), sorted by phys_start; reach[i] is the highest
 * end of entries 0..i (regions may overlap). Changed only in management
 * (the root's other CPUs held), read on the root's traps: binary search,
 * whatever the number of cells. When full, a cell's create fails.
 */
#define SUBPAGE_MAX 64
static const struct wd_memory *subpage[SUBPAGE_MAX];
static uint64_t reach[SUBPAGE_MAX];
static unsigned int num_subpage;

/* Add @m to the index (@add) or remove it. */
static int subpage_index(const struct wd_memory *m, bool add)
{
	unsigned int i, n = 0;

	if (add && num_subpage == SUBPAGE_MAX)
		return -WD_ENOMEM;
	for (i = 0; i < num_subpage; i++)
		if (subpage[i] != m)
			subpage[n++] = subpage[i];
	for (i = n; add && i && subpage[i - 1]->phys_start > m->phys_start; i--)
		subpage[i] = subpage[i - 1];
	if (add)
		subpage[i] = m;
	for (num_subpage = n + add, i = 0; i < num_subpage; i++)
		reach[i] = MAX(subpage[i]->phys_start + subpage[i]->size,
			       i ? reach[i - 1] : 0);
	return 0;
}

/* Do sub-page regions of non-root cells claim a byte of [phys, +size)? */
static bool subpage_claimed(uint64_t phys, uint64_t size)
{
	unsigned int lo = 0, hi = num_subpage, mid;

	while (lo < hi) /* lo: how many regions start before phys + size */
		if (subpage[mid = (lo + hi) / 2]->phys_start < phys + size)
			lo = mid + 1;
		else
			hi = mid;
	return lo && reach[lo - 1] > phys;
}

/*
 * Device memory reached through MMIO: a cell's sub-page region, with the
 * access widths and alignment its flags permit, or a page of the root
 * cell's (root_split_pages()). The root cell never reaches bytes that
 * sub-page regions of non-root cells claim.
 */
static enum access_result device_access(void *arg, struct cell *cell,
					struct mmio_access *acc)
{
	const struct wd_memory *mem = arg;
	uint64_t width_flag = (uint64_t)acc->size << WD_MEM_IO_WIDTH_SHIFT;
	uint64_t phys = mem->phys_start + (acc->address - mem->virt_start);
	enum wd_reason why = WD_R_none;

	if (cell == root_cell && subpage_claimed(phys, acc->size))
		why = WD_R_mmio_claimed;
	else if (mem_is_subpage(mem) && !(mem->flags & width_flag))
		why = WD_R_mmio_width;
	else if (mem_is_subpage(mem) && !(mem->flags & WD_MEM_IO_UNALIGNED) &&
		 acc->address & (acc->size - 1))
		why = WD_R_mmio_unaligned;
	else if (acc->is_write && !(mem->flags & WD_MEM_WRITE))
		why = WD_R_mmio_readonly;
	else if (!acc->is_write && !(mem->flags & WD_MEM_READ))
		why = WD_R_mmio_unhandled;
	if (why)
		return cell_fail(cell, why, acc->address);
	hal_phys_access(hpa(phys), acc);
	return ACCESS_FORWARDED;
}

const struct wd_memory *mem_region_of(const struct cell *cell, uint64_t phys,
				      uint64_t size)
{
	const struct wd_memory *m = wd_cell_mem_regions(cell->config);
	unsigned int i;

	for (i = 0; i < cell->config->num_memory_regions; i++)
		if (!(m[i].flags & WD_MEM_COMM_REGION) &&
		    !mem_is_empty(&m[i]) && phys >= m[i].phys_start &&
		    phys + size - m[i].phys_start <= m[i].size)
			return &m[i];
	return NULL;
}

/*
 * Map (@map) or unmap the root cell's view of [phys, phys+size): each part
 * of a root region mapped whole in it (aliases too), at the guest address
 * that region gives it, with @flags or, if 0, the region's own.
 */
static int root_range_map(uint64_t phys, uint64_t size, bool map,
			  uint64_t flags)
{
	const struct wd_memory *r = wd_cell_mem_regions(root_cell->config);
	uint64_t start, end;
	unsigned int i;
	gpa_t g;
	int err;

	for (i = 0; i < root_cell->config->num_memory_regions; i++) {
		if (r[i].flags & WD_MEM_COMM_REGION || mem_is_empty(&r[i]) ||
		    mem_is_subpage(&r[i]) ||
		    !ranges_overlap(r[i].phys_start, r[i].size, phys, size))
			continue;
		start = MAX(phys, r[i].phys_start);
		end = MIN(phys + size, r[i].phys_start + r[i].size);
		g = gpa(r[i].virt_start + (start - r[i].phys_start));
		err = map ? hal_map(root_cell, g, hpa(start), end - start,
				    flags ? flags : r[i].flags) :
			    hal_unmap(root_cell, g, end - start);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Emulate (@split) or map again the root's view of the pages under @m: a
 * page of a root region the root cell maps whole, of which a non-root cell
 * owns sub-page device registers, leaves the root's stage-2 and is
 * emulated (device_access()), every byte but the claimed ones forwarded as
 * before; it is mapped again when no region of the index claims it.
 */
static int root_split_pages(const struct wd_memory *m, bool split)
{
	uint64_t page, end = m->phys_start + m->size;
	const struct wd_memory *r;
	gpa_t g;
	int err;

	for (page = m->phys_start & WD_PAGE_MASK; page < end;
	     page += WD_PAGE_SIZE) {
		r = mem_region_of(root_cell, page, WD_PAGE_SIZE);
		if (!r || mem_is_subpage(r))
			continue; /* not mapped whole by the root cell */
		/* Where the root sees it: its regions need not be 1:1. */
		g = gpa(r->virt_start + (page - r->phys_start));
		if (split && !mmio_is_registered(root_cell, g.v)) {
			hal_unmap(root_cell, g, WD_PAGE_SIZE);
			err = core_mmio_register(root_cell, g.v, WD_PAGE_SIZE,
						 device_access, (void *)r);
			if (err)
				return err;
		} else if (!split && !subpage_claimed(page, WD_PAGE_SIZE)) {
			mmio_unregister(root_cell, g.v);
			hal_map(root_cell, g, hpa(page), WD_PAGE_SIZE,
				r->flags);
		}
	}
	return 0;
}

/*
 * What a non-root cell's region @m takes from the root cell (@take) or
 * gives back: its memory (unless ROOTSHARED) or the root's pages around
 * the sub-page device registers it claims. Only a split can fail.
 */
static int root_yield(const struct cell *cell, const struct wd_memory *m,
		      bool take)
{
	if (cell == root_cell ||
	    m->flags & (WD_MEM_COMM_REGION | WD_MEM_ROOTSHARED))
		return 0;
	if (mem_is_subpage(m))
		return subpage_index(m, take) ?: root_split_pages(m, take);
	root_range_map(m->phys_start, m->size, !take, 0);
	return 0;
}

int memory_cell_init(struct cell *cell)
{
	const struct wd_memory *mem = wd_cell_mem_regions(cell->config), *m, *r;
	uint64_t ecam = core_system_config()->platform_info.pci_mmconfig_base;
	unsigned int i;
	uint64_t phys;
	int err;

	for (i = 0; i < cell->config->num_memory_regions; i++) {
		if (mem[i].flags & WD_MEM_COMM_REGION || mem_is_empty(&mem[i]))
			continue;
		/* Mapped config space would bypass PCI access control. */
		if (ecam && (ranges_overlap(mem[i].phys_start, mem[i].size,
					    ecam, pci_ecam_size()) ||
			     ranges_overlap(mem[i].virt_start, mem[i].size,
					    ecam, pci_ecam_size())))
			return reject(cell, WD_R_mem_ecam, i, WD_EINVAL);
		if (cell == root_cell)
			continue;
		/* Every byte in a root region (one, or several adjacent). */
		for (phys = mem[i].phys_start;
		     phys < mem[i].phys_start + mem[i].size;
		     phys = r->phys_start + r->size)
			if (!(r = mem_region_of(root_cell, phys, 1)))
				return reject(cell, WD_R_mem_not_in_root, i,
					      WD_EINVAL);
		/* Exclusively another cell's, unless both share it. */
		if (claimed_by_cells(mem[i].phys_start, mem[i].size, cell,
				     mem[i].flags & WD_MEM_ROOTSHARED))
			return reject(cell, WD_R_mem_overlap, i, WD_EBUSY);
	}
	for (i = 0; i < cell->config->num_memory_regions; i++) {
		m = &mem[i];
		if (mem_is_empty(m))
			continue; /* an unused slot: nothing to map */
		if (m->flags & WD_MEM_COMM_REGION)
			err = hal_map(cell, gpa(m->virt_start),
				      hal_virt_to_phys(cell->comm),
				      WD_PAGE_SIZE, WD_MEM_READ | WD_MEM_WRITE);
		else if (!mem_is_subpage(m))
			err = hal_map(cell, gpa(m->virt_start),
				      hpa(m->phys_start), m->size, m->flags);
		else
			err = core_mmio_register(cell, m->virt_start, m->size,
						 device_access, (void *)m);
		/* Only core_mmio_register() answers -WD_EBUSY (hal/hal.h). */
		if (err == -WD_EBUSY)
			return reject(cell, WD_R_mmio_overlap, m->virt_start,
				      WD_EBUSY);
		if (err)
			return reject(cell, WD_R_mem_map_failed, i, -err);
		cell->mapped_regions = i + 1;
		err = root_yield(cell, m, true);
		if (err)
			return reject(cell, WD_R_no_memory, 0, -err);
	}
	return 0;
}

void memory_cell_exit(struct cell *cell)
{
	const struct wd_memory *mem = wd_cell_mem_regions(cell->config);
	unsigned int i;

	/* Only what memory_cell_init() took: never another cell's memory. */
	for (i = 0; i < cell->mapped_regions; i++) {
		if (mem_is_empty(&mem[i]))
			continue;
		/* Sub-page regions are emulated: their handlers go with mmio.
		 * A comm region is one page (config.c). */
		if (!mem_is_subpage(&mem[i]) ||
		    mem[i].flags & WD_MEM_COMM_REGION)
			hal_unmap(cell, gpa(mem[i].virt_start), mem[i].size);
		root_yield(cell, &mem[i], false);
	}
	cell->mapped_regions = 0;
}

int memory_loadable_to_root(struct cell *cell, bool map)
{
	const struct wd_memory *mem = wd_cell_mem_regions(cell->config);
	unsigned int i;
	int err;

	for (i = 0; i < cell->config->num_memory_regions; i++) {
		if (!(mem[i].flags & WD_MEM_LOADABLE) || /* empty: not */
		    mem[i].flags & WD_MEM_COMM_REGION ||
		    mem_is_subpage(&mem[i]))
			continue;
		err = root_range_map(mem[i].phys_start, mem[i].size, map,
				     WD_MEM_READ | WD_MEM_WRITE);
		if (err)
			return reject(root_cell, WD_R_mem_map_failed, i, -err);
	}
	cell->loadable = map;
	return 0;
}
