// SPDX-License-Identifier: GPL-2.0
/*
 * The accessors of hal/core.h: what backends and the simulator may read
 * (and the two things they may set) of the core-owned struct cell and
 * struct per_cpu, whose definitions only core/ sees (core/state.h).
 */
#include "core.h"

struct cell *core_cpu_cell(unsigned int cpu)
{
	return cpu < WD_MAX_CPUS ? per_cpu_table[cpu].cell : NULL;
}

unsigned int core_cell_id(const struct cell *cell)
{
	return cell->id;
}

struct cpu_set core_cell_cpus(const struct cell *cell)
{
	return cell->cpus;
}

const struct wd_cell_desc *core_cell_config(const struct cell *cell)
{
	return cell->config;
}

struct wd_comm_region *core_cell_comm(struct cell *cell)
{
	return cell->comm;
}

void *core_cell_arch(const struct cell *cell)
{
	return cell->arch;
}

void core_cell_set_arch(struct cell *cell, void *arch)
{
	cell->arch = arch;
}

const uint8_t *core_cell_pio_bitmap(const struct cell *cell)
{
	return cell->pio_bitmap;
}

unsigned int core_cpu_id(const struct per_cpu *cpu)
{
	return cpu->id;
}

unsigned int core_cpu_flags(unsigned int cpu)
{
	const struct per_cpu *c = &per_cpu_table[cpu % WD_MAX_CPUS];

	if (cpu >= WD_MAX_CPUS)
		return 0;
	return c->online * CORE_CPU_ONLINE | c->parked * CORE_CPU_PARKED |
	       c->failed * CORE_CPU_FAILED | c->suspended * CORE_CPU_SUSPENDED |
	       c->lost * CORE_CPU_LOST;
}
