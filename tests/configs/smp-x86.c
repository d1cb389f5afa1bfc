// SPDX-License-Identifier: GPL-2.0
/*
 * "smp": a non-root cell with three CPUs (1-3) of the simulated x86 machine
 * (see sys-x86.c) and 1 MiB of RAM; it prints on the hypervisor's debug
 * console. Its boot CPU starts the others by INIT/SIPI.
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
		.name = "smp",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		/*
		 * The x86 reset vector: like Jailhouse's x86 inmates, the
		 * image is loaded at guest address 0 and has its entry
		 * jump at 0xfff0, inside the cell's low 1 MiB of RAM.
		 */
		.cpu_reset_address = 0xfff0,
		/* A shutdown request unanswered after 100 ms fails the cell. */
		.msg_reply_timeout = 100000000,
	},

	.cpus = { 0x0e }, /* CPUs 1, 2, 3 */

	.mem_regions = {
		/*
		 * The cell's RAM: 1 MiB of the root cell's RAM, seen by the
		 * cell at 0. LOADABLE: the root cell may map it back to
		 * write the image (set-loadable) before starting the cell.
		 */
		{
			.phys_start = 0x0e000000,
			.virt_start = 0x0,
			.size = 0x100000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_EXECUTE | WD_MEM_LOADABLE,
		},
		/* Comm region: a hypervisor page, right above the RAM. */
		{
			.phys_start = 0,
			.virt_start = 0x100000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_COMM_REGION,
		},
	},
};
