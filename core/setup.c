/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Enabling the hypervisor: take the system config, build the root cell,
 * bring each root CPU under control. Also the global tables and lookups.
 */
#include "core.h"

struct per_cpu per_cpu_table[WD_MAX_CPUS];
struct cell cells[WD_MAX_CELLS];
struct cell *root_cell;
bool hv_enabled;

static struct wd_system *system_config;
static unsigned int system_pages; /* its copy's */

struct per_cpu *this_cpu(void)
{
	return &per_cpu_table[hal_cpu_id()]; /* in range (hal/hal.h) */
}

/* Counters that refine another kind (MANAGEMENT: of HYPERCALL, PCI: of
 * MMIO, DENIED: of any), not exits of their own, and the total itself. */
#define STATS_NOT_IN_TOTAL                                                 \
	(1U << WD_CPU_STAT_VMEXITS_TOTAL | 1U << WD_CPU_STAT_VMEXITS_PCI | \
	 1U << WD_CPU_STAT_VMEXITS_MANAGEMENT |                            \
	 1U << WD_CPU_STAT_VMEXITS_DENIED)

/* The total is summed when read: one increment a trap. */
uint64_t cpu_stat_of(const struct per_cpu *cpu, uint64_t stat)
{
	uint64_t n = cpu->stats[stat]; /* the total's own: 0 */
	unsigned int i;

	for (i = 0; stat == WD_CPU_STAT_VMEXITS_TOTAL && i < WD_CPU_STATS; i++)
		n += STATS_NOT_IN_TOTAL >> i & 1 ? 0 : cpu->stats[i];
	return n;
}

struct cell *trap_enter(unsigned int stat)
{
	struct per_cpu *cpu = this_cpu();

	/* Only CPUs under the hypervisor can trap into it. */
	if (!cpu->online) {
		core_hypervisor_panic(
			"trap from a CPU not under the hypervisor",
			hal_cpu_id());
		return NULL;
	}
	if (stat < WD_CPU_STATS)
		cpu->stats[stat]++;
	return cpu->cell;
}

struct cell *core_cell_by_id(uint64_t id)
{
	return id < WD_MAX_CELLS && cells[id].in_use ? &cells[id] : NULL;
}

const struct wd_system *core_system_config(void)
{
	return system_config;
}

void core_stat_inc(unsigned int stat)
{
	per_cpu_table[hal_cpu_id()].stats[stat]++; /* WD_CPU_STAT_*: in range */
}

int core_init(const void *config, uint64_t config_size,
	      const struct hv_memory *mem)
{
	struct check_result r;
	unsigned int i;
	int err;

	if (hv_enabled)
		return (int)reject(NULL, WD_R_already_enabled, 0, WD_EBUSY);
	wd_memset(per_cpu_table, 0, sizeof(per_cpu_table));
	wd_memset(cells, 0, sizeof(cells));
	num_cells = 0;
	for (i = 0; i < WD_MAX_CPUS; i++)
		per_cpu_table[i].id = i;
	page_pool_init(mem->base, mem->size / WD_PAGE_SIZE);

	r = config_check_system(config, config_size);
	if (!r.reason)
		r = irq_check(&((const struct wd_system *)config)->root_cell,
			      false);
	if (r.reason)
		return (int)reject(NULL, r.reason, r.item, r.err);
	system_pages = pages_for(config_size);
	system_config = core_page_alloc(system_pages);
	if (!system_config)
		return (int)reject(NULL, WD_R_no_memory, system_pages,
				   WD_ENOMEM);
	wd_memcpy(system_config, config, config_size);

	/* The root cell's config lives inside the system config copy, at
	 * its end (packed). */
	root_cell = &cells[0];
	err = cell_setup(root_cell, &system_config->root_cell,
			 config_size - offsetof(struct wd_system, root_cell));
	if (err)
		return err;
	/* Keep the system copy: cell_teardown of root would free it. */
	hal_config_commit(NULL);
	hv_enabled = true;
	core_printk("warden: enabled, root cell \"%s\", %u CPU(s)\n",
		    cell_name(root_cell),
		    (unsigned int)__builtin_popcountll(root_cell->cpus.bits));
	return 0;
}

void core_exit(void)
{
	cell_teardown(root_cell);
	core_page_free(system_config, system_pages);
	system_config = NULL;
	root_cell = NULL;
	hv_enabled = false;
}

int core_cpu_entry(void)
{
	struct per_cpu *cpu = this_cpu();
	int err;

	if (!root_cell || !cpu_set_has(&root_cell->cpus, cpu->id))
		return (int)reject(NULL, WD_R_cpu_invalid, hal_cpu_id(),
				   WD_EINVAL);
	cpu->cell = root_cell;
	err = hal_cpu_init(cpu);
	if (err)
		return (int)reject(NULL, WD_R_cpu_init, cpu->id, -err);
	cpu->online = true;
	return 0;
}

int core_cpu_entry_parked(void)
{
	int err = core_cpu_entry();

	if (!err)
		this_cpu()->parked = true;
	return err;
}
