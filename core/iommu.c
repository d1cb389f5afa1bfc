/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's side of IOMMU drivers (hal/core.h): a unit's refusal at
 * enable (core_refuse), a device request a unit blocked (core_dma_fault):
 * named, counted and contained like the trap a CPU of the cell would have
 * made. Its own file: images without an IOMMU driver do not link it.
 */
#include "core.h"

int core_refuse(struct cell *cell, enum wd_reason reason, uint64_t item,
		int err)
{
	return (int)reject(cell, reason, item, err);
}

bool core_dma_fault(uint16_t bdf, enum wd_reason reason, uint64_t address)
{
	uint64_t item = (uint64_t)bdf << 48 | (address & ((1ULL << 48) - 1));
	struct cell *cell;

	/* Never wait here: the management call in progress may be waiting
	 * for this CPU. The unit keeps the fault for a later poll. */
	if (__atomic_exchange_n(&management_lock, 1, __ATOMIC_ACQUIRE))
		return false;
	cell = pci_owner(bdf);
	core_printk("warden: IOMMU blocked device %02x:%02x.%x at 0x%llx "
		    "(cell \"%s\")\n",
		    bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7,
		    (unsigned long long)address, cell_name(cell));
	per_cpu_table[__builtin_ctzll(cell->cpus.bits)]
		.stats[WD_CPU_STAT_DMA_FAULTS]++;
	if (cell == root_cell || cell->fail_reason)
		reject(cell, reason, item, 0);
	else
		cell_fail(cell, reason, item);
	__atomic_store_n(&management_lock, 0, __ATOMIC_RELEASE);
	return true;
}
