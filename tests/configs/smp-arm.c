// SPDX-License-Identifier: GPL-2.0
/*
 * "smp" on the simulated ARMv7 machine (see sys-arm.c): CPUs 1-3, 1 MiB of
 * RAM and the UART shared with the root cell. Its first CPU starts the
 * others with PSCI CPU_ON.
 */
#include <warden/cell_config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct {
	struct wd_cell_desc cell;
	uint64_t cpus[1];
	struct wd_memory mem_regions[3];
} __attribute__((packed)) config __attribute__((section(".cell"), used)) = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM,
		.revision = WD_CONFIG_REVISION,
		.name = "smp",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		/* ARM inmates are linked at 0 and start there. */
		.cpu_reset_address = 0x0,
		/* A shutdown request unanswered after 100 ms fails the cell. */
		.msg_reply_timeout = 100000000,
	},

	.cpus = { 0x0e }, /* CPUs 1, 2, 3 */

	.mem_regions = {
		/* The cell's RAM, from the root cell; the image goes here. */
		{
			.phys_start = 0x4e000000,
			.virt_start = 0x0,
			.size = 0x100000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_EXECUTE | WD_MEM_LOADABLE,
		},
		/* The UART, kept by the root cell too (ROOTSHARED). */
		{
			.phys_start = 0x09000000,
			.virt_start = 0x09000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO |
				 WD_MEM_ROOTSHARED,
		},
		/* Comm region where Jailhouse's ARM inmates expect it. */
		{
			.phys_start = 0,
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_COMM_REGION,
		},
	},
};
