/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU control on behalf of cells: the core keeps each CPU's parked state in
 * step with what it asked the backend, lets a cell start its own parked
 * CPUs (secondary bring-up, CPUs returned to the root cell) and lets a CPU
 * stop itself.
 */
#include "core.h"

/*
 * @cpu did not answer a park or suspend request in the backend's time:
 * contained, never a machine stop. It is lost for good (the backend keeps
 * the request pending), its non-root cell fails, the management call that
 * asked goes on.
 */
static void cpu_lost(unsigned int cpu)
{
	struct per_cpu *pc = &per_cpu_table[cpu];

	pc->lost = true;
	pc->failed = true;
	core_printk("warden: CPU %u does not answer the hypervisor: lost, "
		    "never used again\n",
		    cpu);
	if (pc->cell && pc->cell != root_cell &&
	    pc->cell->comm->cell_state != WD_CELL_FAILED)
		cell_fail(pc->cell, WD_R_cpu_lost, cpu);
	else
		reject(pc->cell, WD_R_cpu_lost, cpu, 0);
}

void percpu_park(unsigned int cpu)
{
	per_cpu_table[cpu].parked = true;
	if (!per_cpu_table[cpu].lost && hal_cpu_park(cpu))
		cpu_lost(cpu);
}

void percpu_reset(unsigned int cpu, uint64_t entry, bool run)
{
	if (per_cpu_table[cpu].lost)
		return; /* stays parked as far as cells can tell */
	per_cpu_table[cpu].parked = !run;
	per_cpu_table[cpu].failed = false;
	rec_forget(cpu);
	hal_cpu_reset(cpu, entry, run);
}

void percpu_suspend(unsigned int cpu, bool suspend)
{
	per_cpu_table[cpu].suspended = suspend;
	if (per_cpu_table[cpu].lost)
		return;
	if (!suspend)
		hal_cpu_resume(cpu);
	else if (hal_cpu_suspend(cpu))
		cpu_lost(cpu);
}

enum access_result CORE_ENTRY(core_cpu_on)(unsigned int target, uint64_t entry)
{
	struct cell *cell = trap_enter(WD_CPU_STAT_VMEXITS_PLATFORM);

	if (!cell)
		return ACCESS_DENIED;
	if (!cpu_set_has(&cell->cpus, target))
		return cell_refuse(cell, WD_R_cpu_foreign, target);
	if (per_cpu_table[target].parked)
		percpu_reset(target, entry, true);
	return ACCESS_EMULATED;
}

enum access_result CORE_ENTRY(core_cpu_off)(void)
{
	struct cell *cell = trap_enter(WD_CPU_STAT_VMEXITS_PLATFORM);

	if (!cell)
		return ACCESS_DENIED;
	percpu_park(hal_cpu_id());
	return ACCESS_EMULATED;
}
