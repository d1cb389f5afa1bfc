/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The parameter block, at INMATE_PARAMS_OFFSET in every image (the linker
 * script places section .params there). Defaults per architecture come
 * from layout.h; the loader may patch any field before the cell starts.
 */
#include <inmate.h>

_Static_assert(sizeof(INMATE_PARAMS_MAGIC) - 1 == 8, "magic length");

struct inmate_params inmate_params __attribute__((section(".params"), used)) = {
	.magic = INMATE_PARAMS_MAGIC,
	.version = INMATE_PARAMS_VERSION,
	.size = sizeof(struct inmate_params),
	.comm_region = COMM_REGION_DEFAULT,
	.console_type = 0,
	.console_hc = INMATE_HC_AUTO,
	.hypercall = INMATE_HC_INSN_AUTO,
	.psci = INMATE_PSCI_SMC,
	.clock_khz = DEFAULT_CLOCK_KHZ,
	.apic_khz = DEFAULT_APIC_KHZ,
	.select = 0,
	.num_cpus = 2,
	.shutdown = INMATE_SHUTDOWN_APPROVE,
	.deny_count = 0,
	.timer_period_us = 1000,
	.timer_ticks = 100,
	.attack_port = DEFAULT_ATTACK_PORT,
	.attack_pin = DEFAULT_ATTACK_PIN,
	.attack_bdf = DEFAULT_ATTACK_BDF,
	.ivshmem_bdf = 0xffff,
	.attack_ram = DEFAULT_ATTACK_RAM,
	.attack_hv = DEFAULT_ATTACK_HV,
	.attack_mmio = DEFAULT_ATTACK_MMIO,
	.attack_cpu = DEFAULT_ATTACK_CPU,
	.ivshmem_bar = DEFAULT_IVSHMEM_BAR,
	.cpu_ids = { ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL },
};
