// SPDX-License-Identifier: GPL-2.0
/*
 * "width": a non-root cell on CPU 2 of the simulated x86 machine
 * (sys-x86.c) for test_exec_x86: 1 MiB of RAM, the root cell's sub-page
 * device region at 0xfed01000, here with 32-bit accesses only (aligned),
 * and two adjacent sub-page regions on root RAM at 0x7f000000, the first
 * writable, the second read-only (any width, unaligned allowed).
 */
#include <warden/cell_config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct {
	struct wd_cell_desc cell;
	uint64_t cpus[1];
	struct wd_memory mem_regions[5];
} __attribute__((packed)) config __attribute__((section(".cell"), used)) = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_X86,
		.revision = WD_CONFIG_REVISION,
		.name = "width",
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.cpu_reset_address = 0xfff0,
		.msg_reply_timeout = 100000000,
	},

	.cpus = { 0x04 }, /* CPU 2 */

	.mem_regions = {
		{
			.phys_start = 0x0e000000,
			.virt_start = 0x0,
			.size = 0x100000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_EXECUTE | WD_MEM_LOADABLE,
		},
		{
			.phys_start = 0,
			.virt_start = 0x100000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_COMM_REGION,
		},
		/* 32-bit accesses only, aligned. */
		{
			.phys_start = 0xfed01000,
			.virt_start = 0xfed01000,
			.size = 0x100,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO |
				 WD_MEM_IO_32,
		},
		{
			.phys_start = 0x0e800000,
			.virt_start = 0x7f000000,
			.size = 0x800,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO |
				 WD_MEM_IO_8 | WD_MEM_IO_16 | WD_MEM_IO_32 |
				 WD_MEM_IO_64 | WD_MEM_IO_UNALIGNED,
		},
		{
			.phys_start = 0x0e800800,
			.virt_start = 0x7f000800,
			.size = 0x800,
			.flags = WD_MEM_READ | WD_MEM_IO | WD_MEM_IO_8 |
				 WD_MEM_IO_16 | WD_MEM_IO_32 | WD_MEM_IO_64 |
				 WD_MEM_IO_UNALIGNED,
		},
	},
};
