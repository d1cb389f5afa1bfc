/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall dispatch: Jailhouse's nine calls plus the reason extension.
 * Only a cell's kernel (PL1, CPL 0) may call; its user mode gets -EPERM.
 * Management calls are the root cell's alone, and a non-root caller is
 * turned away before the management lock, so it can never hold up the
 * root's calls; a non-root cell may read its own state and CPUs and print
 * on the debug console if its config allows.
 */
#include "core.h"

static bool disabling;
/* Management hypercalls run one at a time, whichever root CPU issues them. */
uint32_t management_lock; /* core.h */

/* @cpu leaves the hypervisor for good (hal_cpu_exit) and the root cell. */
static void cpu_leave(struct per_cpu *cpu)
{
	hal_cpu_exit(cpu);
	cpu->online = false;
	root_cell->cpus.bits &= ~(1ULL << cpu->id);
}

static long disable(void)
{
	struct per_cpu *cpu = this_cpu();
	unsigned int id;

	/* The first root CPU checks and begins; each root CPU then leaves. */
	if (!disabling) {
		/* The root cell destroys its cells first: their CPUs and
		 * memory are not its to take back behind their backs. */
		if (num_cells > 1)
			return reject(root_cell, WD_R_cells_exist,
				      num_cells - 1, WD_EBUSY);
		disabling = true;
		core_printk("warden: disabling hypervisor\n");
		/* Parked root CPUs cannot call DISABLE: they go powered off.
		 * Nor can root CPUs that never entered (a late launch on fewer
		 * CPUs than the root cell lists): they leave the set. */
		for_each_cpu(id, &root_cell->cpus) {
			if (!per_cpu_table[id].online)
				root_cell->cpus.bits &= ~(1ULL << id);
			else if (per_cpu_table[id].parked)
				cpu_leave(&per_cpu_table[id]);
		}
	}
	cpu_leave(cpu);
	if (!root_cell->cpus.bits) {
		disabling = false;
		core_exit();
		core_printk("warden: hypervisor disabled\n");
	}
	return 0;
}

long CORE_ENTRY(core_hypercall)(unsigned long code, unsigned long arg1,
				unsigned long arg2, bool user)
{
	struct per_cpu *cpu = this_cpu(), *pc;
	struct cell *caller = cpu->cell, *cell;
	long ret;

	if (!hv_enabled || !cpu->online)
		return reject(NULL, WD_R_not_enabled, code, WD_EPERM);
	cpu->stats[WD_CPU_STAT_VMEXITS_HYPERCALL]++;
	if (user)
		return reject(caller, WD_R_hypercall_user, code, WD_EPERM);
	if (code <= WD_HC_CELL_DESTROY) {
		cpu->stats[WD_CPU_STAT_VMEXITS_MANAGEMENT]++;
		/* Before any lock: a looping non-root cell never waits. */
		if (caller != root_cell)
			return reject(caller, WD_R_not_root, code, WD_EPERM);
	}
	if (disabling && code != WD_HC_DISABLE)
		return reject(caller, WD_R_not_enabled, code, WD_EBUSY);

	switch (code) {
	case WD_HC_HYPERVISOR_GET_INFO:
		switch (arg1) {
		case WD_INFO_MEM_POOL_SIZE:
			return (long)page_pool_pages;
		case WD_INFO_MEM_POOL_USED:
			return (long)page_pool_used;
		case WD_INFO_REMAP_POOL_SIZE:
		case WD_INFO_REMAP_POOL_USED:
			return 0; /* no remap pool: backends map on demand */
		case WD_INFO_NUM_CELLS:
			return num_cells;
		case WD_INFO_LAST_REASON:
			return caller->last_reason.code;
		}
		return reject(caller, WD_R_info_type, arg1, WD_EINVAL);
	case WD_HC_CELL_GET_STATE:
		return cell_get_state(arg1);
	case WD_HC_CPU_GET_INFO:
		/* In range for the look; a CPU id beyond it is refused below. */
		pc = &per_cpu_table[arg1 % WD_MAX_CPUS];
		if (arg1 >= WD_MAX_CPUS || !pc->online)
			return reject(caller, WD_R_cpu_invalid, arg1,
				      WD_EINVAL);
		if (caller != root_cell && pc->cell != caller)
			return reject(caller, WD_R_not_root, code, WD_EPERM);
		if (arg2 == WD_CPU_INFO_STATE)
			return pc->failed ? WD_CPU_FAILED : WD_CPU_RUNNING;
		if (arg2 - WD_CPU_INFO_STAT_BASE <
		    WD_CPU_STATS) /* below: wraps */
			/* Counters wrap into the non-negative range of a long. */
			return (long)(cpu_stat_of(pc,
						  arg2 - WD_CPU_INFO_STAT_BASE) &
				      ((unsigned long)-1 >> 1));
		return reject(caller, WD_R_info_type, arg2, WD_EINVAL);
	case WD_HC_DEBUG_CONSOLE_PUTC:
		if (!(caller->config->flags &
		      (WD_CELL_VIRTUAL_CONSOLE_PERMITTED |
		       WD_CELL_VIRTUAL_CONSOLE_ACTIVE)))
			return reject(caller, WD_R_putc_not_permitted,
				      caller->id, WD_EPERM);
		console_cell_putc(caller, (char)arg1);
		return 0;
	case WD_HC_GET_REASON:
		cell = core_cell_by_id(arg1);
		if (!cell)
			return reject(caller, WD_R_cell_unknown, arg1,
				      WD_ENOENT);
		if (caller != root_cell && cell != caller)
			return reject(caller, WD_R_reason_access, arg1,
				      WD_EPERM);
		if (hal_copy_to_guest(caller, gpa(arg2), &cell->last_reason,
				      sizeof(cell->last_reason)))
			return reject(caller, WD_R_cfg_address, arg2,
				      WD_EFAULT);
		return 0;
	}
	if (code > WD_HC_CELL_DESTROY)
		return reject(caller, WD_R_hypercall_unknown, code, WD_ENOSYS);
	/* A management call, under the management lock: one at a time. */
	while (__atomic_exchange_n(&management_lock, 1, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
	ret = code == WD_HC_DISABLE	? disable() :
	      code == WD_HC_CELL_CREATE ? cell_create(arg1) :
					  cell_manage(code, arg1);
	__atomic_store_n(&management_lock, 0, __ATOMIC_RELEASE);
	return ret;
}
