/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * warden cell configuration: the binary layout of Jailhouse's config format,
 * revision 14 ("JHSYS" system configs, "JHCLL" cell configs). All structures
 * are packed and little-endian. A config is a header followed by variable
 * arrays in this order: CPU set bitmap, memory regions, cache regions,
 * irqchips, PIO ranges, PCI devices, PCI capabilities, stream IDs.
 *
 * Usable from the hypervisor, host tools and inmates (freestanding C).
 */
#ifndef WARDEN_CELL_CONFIG_H
#define WARDEN_CELL_CONFIG_H

#include <stdint.h>

#define WD_CONFIG_REVISION 14
#define WD_CELL_NAME_MAXLEN 31

#define WD_SYSTEM_SIGNATURE "JHSYS"
#define WD_CELL_SIGNATURE "JHCLL"
#define WD_SIGNATURE_LEN 5

/* Value of the architecture byte behind the signature. */
#define WD_ARCH_X86 0
#define WD_ARCH_ARM 1
#define WD_ARCH_ARM64 2

/*
 * The interrupt model of an ivshmem device, fixed per architecture by the
 * ABI: MSI-X vectors on x86 (1..16 in the config), INTx on ARM (none).
 */
#define WD_ARCH_IVSHMEM_MSIX(arch) ((arch) == WD_ARCH_X86)

/* struct wd_cell_desc.flags */
#define WD_CELL_PASSIVE_COMMREG 0x00000001
#define WD_CELL_TEST_DEVICE 0x00000002
#define WD_CELL_AARCH32 0x00000004
#define WD_CELL_VIRTUAL_CONSOLE_PERMITTED 0x40000000
#define WD_CELL_VIRTUAL_CONSOLE_ACTIVE 0x80000000

/* struct wd_console.type */
#define WD_CON_TYPE_NONE 0x0000
#define WD_CON_TYPE_EFIFB 0x0001
#define WD_CON_TYPE_8250 0x0002
#define WD_CON_TYPE_PL011 0x0003
#define WD_CON_TYPE_XUARTPS 0x0004
#define WD_CON_TYPE_MVEBU 0x0005
#define WD_CON_TYPE_HSCIF 0x0006
#define WD_CON_TYPE_SCIFA 0x0007
#define WD_CON_TYPE_IMX 0x0008
#define WD_CON_TYPE_IMX_LPUART 0x0009
#define WD_CON_TYPE_SCIF 0x000a
#define WD_CON_TYPE_LINFLEX 0x000b

/* struct wd_console.flags */
#define WD_CON_ACCESS_PIO 0x0000
#define WD_CON_ACCESS_MMIO 0x0001 /* clear: port I/O */
#define WD_CON_REGDIST_1 0x0000
#define WD_CON_REGDIST_4 0x0002 /* 4-byte register distance, 32-bit access */
#define WD_CON_FB_1920x1080 0x0004
#define WD_CON_INVERTED_GATE 0x1000 /* clear the clock gate bit to enable */
#define WD_CON_MDR_QUIRK 0x2000

struct wd_console {
	uint64_t address;
	uint32_t size;
	uint16_t type;
	uint16_t flags;
	uint32_t divider;
	uint32_t gate_nr;
	uint64_t clock_reg;
} __attribute__((packed));

struct wd_cell_desc {
	char signature[WD_SIGNATURE_LEN];
	uint8_t architecture;
	uint16_t revision;

	char name[WD_CELL_NAME_MAXLEN + 1];
	uint32_t id; /* set by the loader, ignored by the hypervisor */
	uint32_t flags;

	uint32_t cpu_set_size; /* bytes of the CPU bitmap that follows */
	uint32_t num_memory_regions;
	uint32_t num_cache_regions;
	uint32_t num_irqchips;
	uint32_t num_pio_regions;
	uint32_t num_pci_devices;
	uint32_t num_pci_caps;
	uint32_t num_stream_ids;

	uint32_t vpci_irq_base;

	uint64_t cpu_reset_address;
	uint64_t msg_reply_timeout; /* ns; 0 = wait forever */

	struct wd_console console;
} __attribute__((packed));

/* struct wd_memory.flags */
#define WD_MEM_READ 0x0001
#define WD_MEM_WRITE 0x0002
#define WD_MEM_EXECUTE 0x0004
#define WD_MEM_DMA 0x0008
#define WD_MEM_IO 0x0010
#define WD_MEM_COMM_REGION 0x0020
#define WD_MEM_LOADABLE 0x0040
#define WD_MEM_ROOTSHARED 0x0080
#define WD_MEM_NO_HUGEPAGES 0x0100
#define WD_MEM_IO_UNALIGNED 0x8000
#define WD_MEM_IO_WIDTH_SHIFT 16 /* bits 16..19: permitted access widths */
#define WD_MEM_IO_8 (1 << WD_MEM_IO_WIDTH_SHIFT)
#define WD_MEM_IO_16 (2 << WD_MEM_IO_WIDTH_SHIFT)
#define WD_MEM_IO_32 (4 << WD_MEM_IO_WIDTH_SHIFT)
#define WD_MEM_IO_64 (8 << WD_MEM_IO_WIDTH_SHIFT)
#define WD_MEM_IO_WIDTH_MASK (0xf << WD_MEM_IO_WIDTH_SHIFT)
/* Every flag defined by revision 14; anything else is rejected. */
#define WD_MEM_VALID_FLAGS (0x01ff | WD_MEM_IO_UNALIGNED | WD_MEM_IO_WIDTH_MASK)

struct wd_memory {
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t size;
	uint64_t flags;
} __attribute__((packed));

#define WD_CACHE_L3_CODE 0x01
#define WD_CACHE_L3_DATA 0x02
#define WD_CACHE_L3 (WD_CACHE_L3_CODE | WD_CACHE_L3_DATA)
#define WD_CACHE_ROOTSHARED 0x0001

struct wd_cache {
	uint32_t start;
	uint32_t size;
	uint8_t type;
	uint8_t padding;
	uint16_t flags;
} __attribute__((packed));

/* Interrupt controller: 128 pins starting at pin_base, one bit each. */
#define WD_IRQCHIP_PINS 128

struct wd_irqchip {
	uint64_t address;
	uint32_t id;
	uint32_t pin_base;
	uint32_t pin_bitmap[4];
} __attribute__((packed));

#define WD_PCI_TYPE_DEVICE 0x01
#define WD_PCI_TYPE_BRIDGE 0x02
#define WD_PCI_TYPE_IVSHMEM 0x03

#define WD_SHMEM_PROTO_UNDEFINED 0x0000
#define WD_SHMEM_PROTO_VETH 0x0001
#define WD_SHMEM_PROTO_CUSTOM 0x4000
#define WD_SHMEM_PROTO_VIRTIO_FRONT 0x8000
#define WD_SHMEM_PROTO_VIRTIO_BACK 0xc000

struct wd_pci_device {
	uint8_t type;
	uint8_t iommu;
	uint16_t domain;
	uint16_t bdf;
	uint32_t bar_mask[6];
	uint16_t caps_start;
	uint16_t num_caps;
	uint8_t num_msi_vectors;
	uint8_t msi_flags; /* bit 0: 64-bit MSI, bit 1: maskable */
	uint16_t num_msix_vectors;
	uint16_t msix_region_size;
	uint64_t msix_address;
	uint32_t shmem_regions_start;
	uint8_t shmem_dev_id;
	uint8_t shmem_peers;
	uint16_t shmem_protocol;
} __attribute__((packed));

#define WD_PCI_MSI_64BITS 0x01
#define WD_PCI_MSI_MASKABLE 0x02

#define WD_PCI_EXT_CAP 0x8000
#define WD_PCICAPS_WRITE 0x0001

struct wd_pci_capability {
	uint16_t id;
	uint16_t start;
	uint16_t len;
	uint16_t flags;
} __attribute__((packed));

struct wd_pio {
	uint16_t base;
	uint16_t length;
} __attribute__((packed));

#define WD_APIC_MODE_AUTO 0
#define WD_APIC_MODE_XAPIC 1
#define WD_APIC_MODE_X2APIC 2

#define WD_MAX_IOMMU_UNITS 8
#define WD_IOMMU_AMD 1
#define WD_IOMMU_INTEL 2
#define WD_IOMMU_SMMUV3 3
#define WD_IOMMU_PVU 4
#define WD_IOMMU_ARM_MMU500 5

struct wd_iommu {
	uint32_t type;
	uint64_t base;
	uint32_t size;
	union {
		struct {
			uint16_t bdf;
			uint8_t base_cap;
			uint8_t msi_cap;
			uint32_t features;
		} __attribute__((packed)) amd;
		struct {
			uint64_t tlb_base;
			uint32_t tlb_size;
		} __attribute__((packed)) tipvu;
	};
} __attribute__((packed));

/*
 * One entry of the stream-id array behind a cell's PCI capabilities: a
 * plain 32-bit id (SMMUv3, TI PVU), or for an ARM MMU-500 a 16-bit id and
 * the mask of id bits to ignore (SMR ID and MASK).
 */
union wd_stream_id {
	uint32_t id;
	struct {
		uint16_t id;
		uint16_t mask_out;
	} __attribute__((packed)) mmu500;
} __attribute__((packed));

/* struct wd_system.flags */
#define WD_SYS_VIRTUAL_DEBUG_CONSOLE 0x0001

/*
 * The platform union of revision 14: Jailhouse rearranged both parts in
 * revision 13 so that 32-bit words are 32-bit aligned (x86 16 bytes, ARM 44
 * bytes; the union is 44 bytes, the root cell starts at offset 356).
 */
struct wd_platform_x86 {
	uint16_t pm_timer_address;
	uint8_t apic_mode;
	uint8_t padding;
	uint32_t vtd_interrupt_limit;
	uint32_t tsc_khz;
	uint32_t apic_khz;
} __attribute__((packed));

struct wd_platform_arm {
	uint8_t maintenance_irq;
	uint8_t gic_version;
	uint8_t padding[2];
	uint64_t gicd_base;
	uint64_t gicc_base;
	uint64_t gich_base;
	uint64_t gicv_base;
	uint64_t gicr_base;
} __attribute__((packed));

struct wd_platform_info {
	uint64_t pci_mmconfig_base;
	uint8_t pci_mmconfig_end_bus;
	uint8_t pci_is_virtual;
	uint16_t pci_domain;
	struct wd_iommu iommu_units[WD_MAX_IOMMU_UNITS];
	union {
		struct wd_platform_x86 x86;
		struct wd_platform_arm arm;
	};
} __attribute__((packed));

struct wd_system {
	char signature[WD_SIGNATURE_LEN];
	uint8_t architecture;
	uint16_t revision;
	uint32_t flags;

	struct wd_memory hypervisor_memory;
	struct wd_console debug_console;
	struct wd_platform_info platform_info;
	struct wd_cell_desc root_cell;
} __attribute__((packed));

/* Sizes fixed by the format; checked at compile time. */
_Static_assert(sizeof(struct wd_console) == 32, "console layout");
_Static_assert(sizeof(struct wd_cell_desc) == 132, "cell header layout");
_Static_assert(sizeof(struct wd_memory) == 32, "memory region layout");
_Static_assert(sizeof(struct wd_cache) == 12, "cache region layout");
_Static_assert(sizeof(struct wd_irqchip) == 32, "irqchip layout");
_Static_assert(sizeof(struct wd_pci_device) == 56, "PCI device layout");
_Static_assert(sizeof(struct wd_pci_capability) == 8, "PCI cap layout");
_Static_assert(sizeof(struct wd_pio) == 4, "PIO range layout");
_Static_assert(sizeof(struct wd_iommu) == 28, "IOMMU layout");
_Static_assert(sizeof(union wd_stream_id) == 4, "stream id layout");
_Static_assert(sizeof(struct wd_platform_x86) == 16, "x86 platform layout");
_Static_assert(sizeof(struct wd_platform_arm) == 44, "ARM platform layout");
_Static_assert(sizeof(struct wd_system) ==
		       12 + 32 + 32 + 12 + 8 * 28 + 44 + 132,
	       "system header layout");

/* Size in bytes of the cell config starting at @cell (header included). */
static inline uint64_t wd_cell_config_size(const struct wd_cell_desc *cell)
{
	return sizeof(struct wd_cell_desc) + (uint64_t)cell->cpu_set_size +
	       (uint64_t)cell->num_memory_regions * sizeof(struct wd_memory) +
	       (uint64_t)cell->num_cache_regions * sizeof(struct wd_cache) +
	       (uint64_t)cell->num_irqchips * sizeof(struct wd_irqchip) +
	       (uint64_t)cell->num_pio_regions * sizeof(struct wd_pio) +
	       (uint64_t)cell->num_pci_devices * sizeof(struct wd_pci_device) +
	       (uint64_t)cell->num_pci_caps * sizeof(struct wd_pci_capability) +
	       (uint64_t)cell->num_stream_ids * sizeof(uint32_t);
}

static inline uint64_t wd_system_config_size(const struct wd_system *sys)
{
	return sizeof(*sys) - sizeof(sys->root_cell) +
	       wd_cell_config_size(&sys->root_cell);
}

/* Accessors for the arrays behind a cell header (bounds are the caller's). */
static inline const uint8_t *wd_cell_cpu_set(const struct wd_cell_desc *cell)
{
	return (const uint8_t *)(cell + 1);
}

static inline const struct wd_memory *
wd_cell_mem_regions(const struct wd_cell_desc *cell)
{
	return (const struct wd_memory *)(wd_cell_cpu_set(cell) +
					  cell->cpu_set_size);
}

static inline const struct wd_cache *
wd_cell_cache_regions(const struct wd_cell_desc *cell)
{
	return (const struct wd_cache *)(wd_cell_mem_regions(cell) +
					 cell->num_memory_regions);
}

static inline const struct wd_irqchip *
wd_cell_irqchips(const struct wd_cell_desc *cell)
{
	return (const struct wd_irqchip *)(wd_cell_cache_regions(cell) +
					   cell->num_cache_regions);
}

static inline const struct wd_pio *wd_cell_pio(const struct wd_cell_desc *cell)
{
	return (const struct wd_pio *)(wd_cell_irqchips(cell) +
				       cell->num_irqchips);
}

static inline const struct wd_pci_device *
wd_cell_pci_devices(const struct wd_cell_desc *cell)
{
	return (const struct wd_pci_device *)(wd_cell_pio(cell) +
					      cell->num_pio_regions);
}

static inline const struct wd_pci_capability *
wd_cell_pci_caps(const struct wd_cell_desc *cell)
{
	return (const struct wd_pci_capability *)(wd_cell_pci_devices(cell) +
						  cell->num_pci_devices);
}

static inline const uint32_t *
wd_cell_stream_ids(const struct wd_cell_desc *cell)
{
	return (const uint32_t *)(wd_cell_pci_caps(cell) + cell->num_pci_caps);
}

#endif /* !WARDEN_CELL_CONFIG_H */
