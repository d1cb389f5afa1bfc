/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Containment. A cell that does something it may not is stopped: its CPUs
 * park, its state becomes FAILED, the reason is kept, and every other cell
 * runs on. The root cell cannot be contained that way (it manages the
 * others), so its failure, like a fault of the hypervisor, stops the machine.
 * Requests the root cell may make in ordinary operation and that have an
 * answer (a CPU_ON of a cell's CPU, an IPI to it) are refused instead
 * (cell_refuse): the reason is recorded, the backend answers.
 */
#include "core.h"

void core_hypervisor_panic(const char *what, uint64_t item)
{
	core_printk("warden: HYPERVISOR PANIC: %s (0x%llx): machine stopped\n",
		    what, (unsigned long long)item);
	reject(NULL, WD_R_hypervisor_fault, item, 0);
	rec_stop();
	hal_machine_stop();
}

enum access_result cell_fail(struct cell *cell, enum wd_reason reason,
			     uint64_t item)
{
	unsigned int cpu;

	core_stat_inc(WD_CPU_STAT_VMEXITS_DENIED);
	console_cell_flush(cell); /* its last words before the verdict */
	cell->fail_reason = reason;
	cell->fail_item = item;
	reject(cell, reason, item, 0);
	if (cell == root_cell) {
		core_printk("warden: root cell failed: machine stopped\n");
		rec_stop();
		hal_machine_stop();
		return ACCESS_DENIED;
	}
	for_each_cpu(cpu, &cell->cpus) {
		percpu_park(cpu);
		per_cpu_table[cpu].failed = true;
	}
	/* The line before the state: whoever sees FAILED finds it said. */
	core_printk("warden: cell \"%s\" FAILED, its CPUs are parked\n",
		    cell_name(cell));
	__atomic_store_n(&cell->comm->cell_state, WD_CELL_FAILED,
			 __ATOMIC_RELEASE);
	return ACCESS_DENIED;
}

enum access_result cell_refuse(struct cell *cell, enum wd_reason reason,
			       uint64_t item)
{
	if (cell != root_cell)
		return cell_fail(cell, reason, item);
	core_stat_inc(WD_CPU_STAT_VMEXITS_DENIED);
	reject(cell, reason, item, 0);
	return ACCESS_EMULATED;
}

enum access_result CORE_ENTRY(core_machine_control)(bool off,
						    unsigned int method)
{
	struct cell *cell = trap_enter(WD_CPU_STAT_VMEXITS_PLATFORM);

	if (!cell)
		return ACCESS_DENIED;
	if (cell == root_cell)
		return ACCESS_FORWARDED;
	return cell_fail(cell, off ? WD_R_machine_off : WD_R_machine_reset,
			 method);
}

/* A backend's refusal of a trap: the cell fails (@req: the record's). */
void CORE_ENTRY(core_trap_denied)(const struct wd_trap *req,
				  enum wd_reason reason, uint64_t item)
{
	struct cell *cell = trap_enter(NO_STAT); /* a denial: cell_fail() */

	(void)req;
	if (cell)
		cell_fail(cell, reason, item);
}

enum access_result CORE_ENTRY(core_trap_refused)(const struct wd_trap *req,
						 enum wd_reason reason,
						 uint64_t item)
{
	struct cell *cell = trap_enter(NO_STAT);

	(void)req;
	return cell ? cell_refuse(cell, reason, item) : ACCESS_DENIED;
}
