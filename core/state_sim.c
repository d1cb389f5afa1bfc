// SPDX-License-Identifier: GPL-2.0
/*
 * The accessors of hal/core.h that only the simulator (its summaries and
 * failure reports) and the unit tests read: not built into the production
 * images (SConstruct CORE_HW), like the records (record.c, trace.c).
 */
#include "core.h"
#include "../hal/observe.h"

const char *core_cell_name(const struct cell *cell)
{
	return cell_name(cell);
}

const struct wd_reason_record *core_cell_last_reason(const struct cell *cell)
{
	return &cell->last_reason;
}

enum wd_reason core_cell_fail_reason(const struct cell *cell)
{
	return (enum wd_reason)cell->fail_reason;
}

uint64_t core_cell_fail_item(const struct cell *cell)
{
	return cell->fail_item;
}

uint64_t core_cpu_stat(unsigned int cpu, unsigned int stat)
{
	if (cpu >= WD_MAX_CPUS || stat >= WD_CPU_STATS)
		return 0;
	return cpu_stat_of(&per_cpu_table[cpu], stat);
}

unsigned int core_cell_mmio_ranges(const struct cell *cell)
{
	return cell->mmio ? cell->mmio->num : 0;
}
