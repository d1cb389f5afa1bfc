/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * smp: a cell with several CPUs. The boot CPU starts the others one at a
 * time (x86: INIT/SIPI to their APIC ids; ARM: PSCI CPU_ON to their MPIDR
 * affinities) and checks that each runs C code on its own stack with its
 * own hardware id.
 */
#include <inmate.h>

INMATE_NAME("smp");

static volatile uint64_t seen_id[INMATE_MAX_CPUS];
static volatile uint32_t alive[INMATE_MAX_CPUS];
static volatile uint32_t seen_index[INMATE_MAX_CPUS];

static void secondary(unsigned int idx)
{
	seen_id[idx] = cpu_hw_id();
	seen_index[idx] = cpu_index();
	memory_barrier();
	alive[idx] = 1;
	/* Returning stops this CPU (ARM: PSCI CPU_OFF). */
}

static bool wait_alive(unsigned int idx)
{
	uint64_t until = time_ns() + 100 * 1000 * 1000ULL;

	while (!alive[idx] && time_ns() < until)
		cpu_relax();
	return alive[idx];
}

void inmate_main(void)
{
	unsigned int n = inmate_params.num_cpus, i, j;
	uint64_t boot = cpu_hw_id();
	char name[32];

	if (n > INMATE_MAX_CPUS)
		n = INMATE_MAX_CPUS;
	printf("smp: boot CPU hw id 0x%llx, starting %u more\n",
	       (unsigned long long)boot, n ? n - 1 : 0);
	check_eq("smp.boot-index", cpu_index(), 0);

	for (i = 1; i < n; i++) {
		uint64_t id = inmate_params.cpu_ids[i] != ~0ULL ?
				      inmate_params.cpu_ids[i] :
				      boot + i;
		int r = cpu_start(id, secondary);
		bool ok = r == (int)i && wait_alive(i) && seen_id[i] == id &&
			  seen_index[i] == i;

		snprintf(name, sizeof(name), "smp.cpu%u", i);
		check(name, ok,
		      "hw id 0x%llx: start %d, alive %u, saw id 0x%llx",
		      (unsigned long long)id, r, (unsigned int)alive[i],
		      (unsigned long long)seen_id[i]);
	}
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (alive[i] &&
			    (j == 0 ? boot : seen_id[j]) == seen_id[i])
				check("smp.distinct-ids", false,
				      "CPUs %u and %u: 0x%llx", j, i,
				      (unsigned long long)seen_id[i]);
	check_eq("smp.cpus-up", inmate_params.cpus_up, n);
	test_verdict();
}
