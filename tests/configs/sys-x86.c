// SPDX-License-Identifier: GPL-2.0
/*
 * System config of the simulated x86 machine used by the golden traces:
 * 256 MiB of RAM at 0, four CPUs, one IOAPIC, two PCI functions, a UART.
 * The last 16 MiB of RAM belong to the hypervisor; the root cell ("root")
 * owns everything else, including the RAM later handed to "tiny" and
 * "attack" (cells get their memory from the root cell, as in Jailhouse).
 *
 * Built into build/host/tests/configs/sys-x86.cell: the .cell section of
 * this file is the binary config.
 */
#include <warden/cell_config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct {
	struct wd_system header;
	uint64_t cpus[1];
	struct wd_memory mem_regions[3];
	struct wd_irqchip irqchips[1];
	struct wd_pio pio_regions[2];
	struct wd_pci_device pci_devices[2];
} __attribute__((packed)) config __attribute__((section(".cell"), used)) = {
	.header = {
		.signature = WD_SYSTEM_SIGNATURE,
		.architecture = WD_ARCH_X86,
		.revision = WD_CONFIG_REVISION,
		.flags = 0,
		/* Top 16 MiB of RAM: the hypervisor's code, data and pool. */
		.hypervisor_memory = {
			.phys_start = 0x0f000000,
			.size = 0x01000000,
		},
		/* The hypervisor console: 8250 UART at port 0x3f8. */
		.debug_console = {
			.address = 0x3f8,
			.size = 8,
			.type = WD_CON_TYPE_8250,
			.flags = WD_CON_ACCESS_PIO,
		},
		.platform_info = {
			/* ECAM for bus 0 only: the PCI config-space window. */
			.pci_mmconfig_base = 0xe0000000,
			.pci_mmconfig_end_bus = 0,
			/* The unit behind the cells' devices (iommu 0). */
			.iommu_units = { {
				.type = WD_IOMMU_INTEL,
				.base = 0xfed90000,
				.size = 0x1000,
			} },
			.x86 = {
				.pm_timer_address = 0x608,
				.apic_mode = WD_APIC_MODE_XAPIC,
				.tsc_khz = 1000000,
				.apic_khz = 1000000,
			},
		},
		.root_cell = {
			.name = "root",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pio_regions = ARRAY_SIZE(config.pio_regions),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		},
	},

	/* The root cell starts on all four CPUs. */
	.cpus = { 0x0f },

	.mem_regions = {
		/*
		 * RAM below the hypervisor, 1:1. Includes the RAM of the
		 * non-root cells (0x0e000000..0x0e200000), which they take
		 * from the root cell while they exist.
		 */
		{
			.phys_start = 0x0,
			.virt_start = 0x0,
			.size = 0x0f000000,
			.flags = WD_MEM_READ | WD_MEM_WRITE |
				 WD_MEM_EXECUTE | WD_MEM_DMA,
		},
		/* A device page mapped through (HPET-like timer block). */
		{
			.phys_start = 0xfed00000,
			.virt_start = 0xfed00000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO,
		},
		/*
		 * A sub-page device region: not mappable by page tables,
		 * so the core emulates it and forwards only 8- and 32-bit
		 * accesses (e.g. a status register block).
		 */
		{
			.phys_start = 0xfed01000,
			.virt_start = 0xfed01000,
			.size = 0x100,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO |
				 WD_MEM_IO_32 | WD_MEM_IO_8,
		},
	},

	/* The IOAPIC: all 24 pins start in the root cell. */
	.irqchips = {
		{
			.address = 0xfec00000,
			.id = 0xff00,
			.pin_base = 0,
			.pin_bitmap = { 0x00ffffff, 0, 0, 0 },
		},
	},

	/*
	 * COM1 (0x3f8, the hypervisor console's UART, which the root cell
	 * shares) and COM2 (0x2f8, given to "tiny" while it exists). The
	 * reset ports (0xcf9, 0x64) are deliberately not listed.
	 */
	.pio_regions = {
		{ .base = 0x3f8, .length = 8 },
		{ .base = 0x2f8, .length = 8 },
	},

	/* Two PCI functions on bus 0: 00:01.0 stays, 00:02.0 goes to tiny. */
	.pci_devices = {
		{
			.type = WD_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x0008, /* 00:01.0 */
		},
		{
			.type = WD_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x0010, /* 00:02.0 */
		},
	},
};
