// SPDX-License-Identifier: GPL-2.0
/*
 * System config of a simulated ARMv7 machine shaped like QEMU's "virt"
 * board: 256 MiB of RAM at 0x40000000, four CPUs, a GICv2, a PL011 UART,
 * ECAM for bus 0.
 * The last 16 MiB of RAM belong to the hypervisor; the root cell ("root")
 * owns everything else, including the RAM later handed to "tiny".
 *
 * Built into build/host/tests/configs/sys-arm.cell.
 */
#include <warden/cell_config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct {
	struct wd_system header;
	uint64_t cpus[1];
	struct wd_memory mem_regions[3];
	struct wd_irqchip irqchips[1];
} __attribute__((packed)) config __attribute__((section(".cell"), used)) = {
	.header = {
		.signature = WD_SYSTEM_SIGNATURE,
		.architecture = WD_ARCH_ARM,
		.revision = WD_CONFIG_REVISION,
		/* Top 16 MiB of RAM: the hypervisor's code, data and pool. */
		.hypervisor_memory = {
			.phys_start = 0x4f000000,
			.size = 0x01000000,
		},
		/* The hypervisor console: the board's PL011. */
		.debug_console = {
			.address = 0x09000000,
			.size = 0x1000,
			.type = WD_CON_TYPE_PL011,
			.flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4,
		},
		.platform_info = {
			/* ECAM for bus 0, where virt has its low ECAM. */
			.pci_mmconfig_base = 0x3f000000,
			.pci_mmconfig_end_bus = 0,
			.arm = {
				.maintenance_irq = 25,
				.gic_version = 2,
				.gicd_base = 0x08000000,
				.gicc_base = 0x08010000,
				.gich_base = 0x08030000,
				.gicv_base = 0x08040000,
			},
		},
		.root_cell = {
			.name = "root",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.vpci_irq_base = 100,
		},
	},

	/* The root cell starts on all four CPUs. */
	.cpus = { 0x0f },

	.mem_regions = {
		/*
		 * RAM below the hypervisor, 1:1. Includes tiny's RAM
		 * (0x4e000000..0x4e100000), which it takes while it exists.
		 */
		{
			.phys_start = 0x40000000,
			.virt_start = 0x40000000,
			.size = 0x0f000000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_EXECUTE | WD_MEM_DMA,
		},
		/* The PL011 UART page, shared with the hypervisor console. */
		{
			.phys_start = 0x09000000,
			.virt_start = 0x09000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO,
		},
		/*
		 * The PL031 RTC's registers as a sub-page region: emulated,
		 * 32-bit accesses only.
		 */
		{
			.phys_start = 0x09010000,
			.virt_start = 0x09010000,
			.size = 0x100,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO |
				 WD_MEM_IO_32,
		},
	},

	/*
	 * The GIC distributor: SPIs 32..159 start in the root cell. SGIs
	 * and PPIs (0..31) are per CPU and never assignable.
	 */
	.irqchips = {
		{
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = { 0xffffffff, 0xffffffff, 0xffffffff,
					0xffffffff },
		},
	},
};
