// SPDX-License-Identifier: GPL-2.0
/*
 * "attack": a non-root cell on CPU 3 of the simulated x86 machine (see
 * sys-x86.c) that owns nothing but 1 MiB of RAM and its comm region. Every
 * device, port, interrupt or management access it makes must be denied and
 * contained (the cell fails, the others run on). It may not use the debug
 * console either.
 */
#include <warden/cell_config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct {
	struct wd_cell_desc cell;
	uint64_t cpus[1];
	struct wd_memory mem_regions[2];
} __attribute__((packed)) config __attribute__((section(".cell"), used)) = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_X86,
		.revision = WD_CONFIG_REVISION,
		.name = "attack",
		.flags = 0,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.cpu_reset_address = 0xfff0, /* x86 reset vector, as tiny */
		.msg_reply_timeout = 100000000, /* 100 ms */
	},

	.cpus = { 0x08 }, /* CPU 3 */

	.mem_regions = {
		/* 1 MiB of the root cell's RAM, right after tiny's. */
		{
			.phys_start = 0x0e100000,
			.virt_start = 0x0,
			.size = 0x100000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_EXECUTE | WD_MEM_LOADABLE,
		},
		/* Comm region, so the cell can be asked to shut down. */
		{
			.phys_start = 0,
			.virt_start = 0x100000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_COMM_REGION,
		},
	},
};
