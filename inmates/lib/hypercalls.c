/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Typed wrappers of the hypercalls a non-root cell may make (abi.md 3.3). */
#include <inmate.h>

long hc_cell_get_state(uint32_t cell_id)
{
	return hypercall(WD_HC_CELL_GET_STATE, cell_id, 0);
}

long hc_cpu_get_info(uint32_t cpu, uint32_t type)
{
	return hypercall(WD_HC_CPU_GET_INFO, cpu, type);
}

long hc_hypervisor_get_info(uint32_t type)
{
	return hypercall(WD_HC_HYPERVISOR_GET_INFO, type, 0);
}
