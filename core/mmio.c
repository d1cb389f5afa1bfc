/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MMIO dispatch. Each cell has a table of emulated ranges sorted by start
 * address; a trap is resolved by binary search. Readers (trapping CPUs of
 * the cell) never lock: the writer (a management operation) bumps a
 * sequence count around each update, and readers retry if it moved or was
 * odd while they looked.
 */
#include "core.h"

int mmio_cell_init(struct cell *cell, unsigned int max_regions)
{
	unsigned int pages =
		pages_for(sizeof(struct mmio_table) +
			  (uint64_t)max_regions * sizeof(struct mmio_region));
	struct mmio_table *t = core_page_alloc(pages);

	if (!t)
		return reject(cell, WD_R_no_memory, pages, WD_ENOMEM);
	t->max = max_regions;
	t->pages = pages;
	cell->mmio = t;
	return 0;
}

void mmio_cell_exit(struct cell *cell)
{
	if (cell->mmio)
		core_page_free(cell->mmio, cell->mmio->pages);
	cell->mmio = NULL;
}

int core_mmio_register(struct cell *cell, uint64_t start, uint64_t size,
		       mmio_handler_t handler, void *arg)
{
	struct mmio_table *t = cell->mmio;
	unsigned int pos, n;

	if (!t || t->num == t->max)
		return -WD_ENOMEM;
	for (pos = 0; pos < t->num && t->region[pos].start < start; pos++)
		;
	if ((pos > 0 && ranges_overlap(t->region[pos - 1].start,
				       t->region[pos - 1].size, start, size)) ||
	    (pos < t->num && ranges_overlap(t->region[pos].start,
					    t->region[pos].size, start, size)))
		return -WD_EBUSY;

	__atomic_fetch_add(&t->seq, 1, __ATOMIC_ACQ_REL);
	for (n = t->num; n > pos; n--)
		t->region[n] = t->region[n - 1];
	t->region[pos] = (struct mmio_region){ start, size, handler, arg };
	t->num++;
	__atomic_fetch_add(&t->seq, 1, __ATOMIC_ACQ_REL);
	return 0;
}

/* Consistent snapshot of the region containing @addr, if any. */
static bool mmio_lookup(const struct mmio_table *t, uint64_t addr,
			struct mmio_region *out)
{
	unsigned int lo, hi, mid;
	uint32_t seq;
	bool found = false;

	do {
		seq = __atomic_load_n(&t->seq, __ATOMIC_ACQUIRE);
		if (seq & 1) {
			hal_cpu_relax();
			continue;
		}
		lo = 0;
		hi = __atomic_load_n(&t->num, __ATOMIC_RELAXED);
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			*out = t->region[mid];
			if (addr < out->start)
				hi = mid;
			else if (addr - out->start >= out->size)
				lo = mid + 1;
			else
				break; /* found: lo < hi */
		}
		found = lo < hi;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (seq != __atomic_load_n(&t->seq, __ATOMIC_RELAXED) ||
		 (seq & 1));
	return found;
}

bool mmio_is_registered(const struct cell *cell, uint64_t start)
{
	struct mmio_region r;

	return cell->mmio && mmio_lookup(cell->mmio, start, &r) &&
	       r.start == start;
}

void mmio_unregister(struct cell *cell, uint64_t start)
{
	struct mmio_table *t = cell->mmio;
	unsigned int pos;

	if (!t)
		return;
	for (pos = 0; pos < t->num && t->region[pos].start != start; pos++)
		;
	if (pos == t->num)
		return;
	__atomic_fetch_add(&t->seq, 1, __ATOMIC_ACQ_REL);
	for (; pos + 1 < t->num; pos++)
		t->region[pos] = t->region[pos + 1];
	t->num--;
	__atomic_fetch_add(&t->seq, 1, __ATOMIC_ACQ_REL);
}

enum access_result CORE_ENTRY(core_mmio)(struct mmio_access *acc)
{
	struct cell *cell = trap_enter(WD_CPU_STAT_VMEXITS_MMIO);
	struct mmio_region r;

	if (!cell)
		return ACCESS_DENIED;
	if (acc->size != 1 && acc->size != 2 && acc->size != 4 &&
	    acc->size != 8)
		return cell_fail(cell, WD_R_mmio_width, acc->address);
	if (cell->mmio && mmio_lookup(cell->mmio, acc->address, &r) &&
	    acc->address + acc->size - r.start <= r.size)
		return r.handler(r.arg, cell, acc);
	return cell_fail(cell, WD_R_mmio_unhandled, acc->address);
}

uint32_t phys_rw(uint64_t addr, unsigned int size, bool write, uint32_t value)
{
	struct mmio_access acc = {
		.address = addr, .size = size, .is_write = write, .value = value
	};

	hal_phys_access(hpa(addr), &acc);
	return (uint32_t)acc.value;
}
