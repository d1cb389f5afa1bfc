/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU control on behalf of cells: the core keeps each CPU's parked state in
 * step with what it asked the backend, lets a cell start its own parked
 * CPUs (secondary bring-up, CPUs returned to the root cell) and lets a CPU
 * stop itself.
 */
#include "core.h"

void percpu_park(unsigned int cpu)
{
	per_cpu_table[cpu].parked = true;
	hal_cpu_park(cpu);
}

void percpu_reset(unsigned int cpu, uint64_t entry, bool run)
{
	per_cpu_table[cpu].parked = !run;
	per_cpu_table[cpu].failed = false;
	hal_cpu_reset(cpu, entry, run);
}

void percpu_suspend(unsigned int cpu, bool suspend)
{
	per_cpu_table[cpu].suspended = suspend;
	if (suspend)
		hal_cpu_suspend(cpu);
	else
		hal_cpu_resume(cpu);
}

enum access_result core_cpu_on(unsigned int target, uint64_t entry)
{
	struct cell *cell = trap_cell();

	core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
	if (!cell)
		return ACCESS_DENIED;
	if (!cpu_set_has(&cell->cpus, target)) {
		cell_fail(cell, WD_R_cpu_foreign, target);
		return ACCESS_DENIED;
	}
	if (per_cpu_table[target].parked)
		percpu_reset(target, entry, true);
	return ACCESS_EMULATED;
}

enum access_result core_cpu_off(void)
{
	struct cell *cell = trap_cell();

	core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
	if (!cell)
		return ACCESS_DENIED;
	percpu_park(hal_cpu_id());
	return ACCESS_EMULATED;
}
