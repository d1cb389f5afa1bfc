// SPDX-License-Identifier: GPL-2.0
/*
 * The property tables of the DTS binding (docs/config.md). Names of flags
 * and enum values follow the WD_* constants of include/warden/cell_config.h
 * in lower case with dashes. Zero-valued names ("pio", "regdist-1") are
 * accepted for readability but never dumped: they set no bits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warden/cell_config.h>

#include "tools/binding.h"
#include "tools/cellcfg.h"

#define END             \
	{               \
		NULL, 0 \
	}
#define OFF(type, field) ((uint16_t)offsetof(type, field))
#define W(type, field) ((uint16_t)sizeof(((type *)0)->field))
/* An entry for @field of struct @type. */
#define F(name, pt, type, field, names, flags)                              \
	{                                                                   \
		name, pt, OFF(type, field), W(type, field), 0, names, flags \
	}
/* An entry handled by the node's own code. */
#define S(name, flags)                                 \
	{                                              \
		name, PT_SPECIAL, 0, 0, 0, NULL, flags \
	}
#define LAST                                       \
	{                                          \
		NULL, PT_SPECIAL, 0, 0, 0, NULL, 0 \
	}

const struct name_val arch_names[] = {
	{ "x86", WD_ARCH_X86 },
	{ "arm", WD_ARCH_ARM },
	{ "arm64", WD_ARCH_ARM64 },
	END,
};

static const struct name_val sys_flags[] = {
	{ "virtual-debug-console", WD_SYS_VIRTUAL_DEBUG_CONSOLE },
	END,
};

static const struct name_val cell_flags[] = {
	{ "passive-commreg", WD_CELL_PASSIVE_COMMREG },
	{ "test-device", WD_CELL_TEST_DEVICE },
	{ "aarch32", WD_CELL_AARCH32 },
	{ "virtual-console-permitted", WD_CELL_VIRTUAL_CONSOLE_PERMITTED },
	{ "virtual-console-active", WD_CELL_VIRTUAL_CONSOLE_ACTIVE },
	END,
};

static const struct name_val con_types[] = {
	{ "none", WD_CON_TYPE_NONE },
	{ "efifb", WD_CON_TYPE_EFIFB },
	{ "8250", WD_CON_TYPE_8250 },
	{ "pl011", WD_CON_TYPE_PL011 },
	{ "xuartps", WD_CON_TYPE_XUARTPS },
	{ "mvebu", WD_CON_TYPE_MVEBU },
	{ "hscif", WD_CON_TYPE_HSCIF },
	{ "scifa", WD_CON_TYPE_SCIFA },
	{ "imx", WD_CON_TYPE_IMX },
	{ "imx-lpuart", WD_CON_TYPE_IMX_LPUART },
	{ "scif", WD_CON_TYPE_SCIF },
	{ "linflex", WD_CON_TYPE_LINFLEX },
	END,
};

static const struct name_val con_flags[] = {
	{ "mmio", WD_CON_ACCESS_MMIO },
	{ "regdist-4", WD_CON_REGDIST_4 },
	{ "fb-1920x1080", WD_CON_FB_1920x1080 },
	{ "inverted-gate", WD_CON_INVERTED_GATE },
	{ "mdr-quirk", WD_CON_MDR_QUIRK },
	{ "pio", WD_CON_ACCESS_PIO },
	{ "regdist-1", WD_CON_REGDIST_1 },
	END,
};

static const struct name_val mem_flags[] = {
	{ "read", WD_MEM_READ },
	{ "write", WD_MEM_WRITE },
	{ "execute", WD_MEM_EXECUTE },
	{ "dma", WD_MEM_DMA },
	{ "io", WD_MEM_IO },
	{ "comm-region", WD_MEM_COMM_REGION },
	{ "loadable", WD_MEM_LOADABLE },
	{ "rootshared", WD_MEM_ROOTSHARED },
	{ "no-hugepages", WD_MEM_NO_HUGEPAGES },
	{ "io-unaligned", WD_MEM_IO_UNALIGNED },
	END,
};

static const struct name_val cache_types[] = {
	{ "l3", WD_CACHE_L3 },
	{ "l3-code", WD_CACHE_L3_CODE },
	{ "l3-data", WD_CACHE_L3_DATA },
	END,
};

static const struct name_val cache_flags[] = {
	{ "rootshared", WD_CACHE_ROOTSHARED },
	END,
};

static const struct name_val pci_types[] = {
	{ "device", WD_PCI_TYPE_DEVICE },
	{ "bridge", WD_PCI_TYPE_BRIDGE },
	{ "ivshmem", WD_PCI_TYPE_IVSHMEM },
	END,
};

static const struct name_val msi_flags[] = {
	{ "64bit", WD_PCI_MSI_64BITS },
	{ "maskable", WD_PCI_MSI_MASKABLE },
	END,
};

static const struct name_val shmem_protos[] = {
	{ "undefined", WD_SHMEM_PROTO_UNDEFINED },
	{ "veth", WD_SHMEM_PROTO_VETH },
	{ "custom", WD_SHMEM_PROTO_CUSTOM },
	{ "virtio-front", WD_SHMEM_PROTO_VIRTIO_FRONT },
	{ "virtio-back", WD_SHMEM_PROTO_VIRTIO_BACK },
	END,
};

static const struct name_val cap_flags[] = {
	{ "write", WD_PCICAPS_WRITE },
	END,
};

static const struct name_val apic_modes[] = {
	{ "auto", WD_APIC_MODE_AUTO },
	{ "xapic", WD_APIC_MODE_XAPIC },
	{ "x2apic", WD_APIC_MODE_X2APIC },
	END,
};

static const struct name_val iommu_types[] = {
	{ "amd", WD_IOMMU_AMD },
	{ "intel", WD_IOMMU_INTEL },
	{ "smmuv3", WD_IOMMU_SMMUV3 },
	{ "pvu", WD_IOMMU_PVU },
	{ "arm-mmu500", WD_IOMMU_ARM_MMU500 },
	END,
};

/* Root node of a system config (struct wd_system). */
const struct prop sys_props[] = {
	S("compatible", P_REQ),
	F("architecture", PT_ENUM, struct wd_system, architecture, arch_names,
	  P_REQ | P_ALWAYS),
	F("flags", PT_FLAGS, struct wd_system, flags, sys_flags, P_HEX),
	LAST,
};

/* The hypervisor's memory (struct wd_memory, no guest view). */
const struct prop hv_mem_props[] = {
	F("phys-start", PT_NUM, struct wd_memory, phys_start, NULL,
	  P_REQ | P_HEX | P_ALWAYS),
	F("virt-start", PT_NUM, struct wd_memory, virt_start, NULL, P_HEX),
	F("size", PT_NUM, struct wd_memory, size, NULL,
	  P_REQ | P_HEX | P_ALWAYS | P_SIZE),
	{ "flags", PT_FLAGS, OFF(struct wd_memory, flags),
	  W(struct wd_memory, flags), ~(uint64_t)WD_MEM_IO_WIDTH_MASK,
	  mem_flags, P_HEX },
	{ "io-widths", PT_WIDTHS, OFF(struct wd_memory, flags),
	  W(struct wd_memory, flags), WD_MEM_IO_WIDTH_MASK, NULL, 0 },
	LAST,
};

/* A memory region of a cell: the guest view (virt-start) is required. */
const struct prop mem_props[] = {
	F("phys-start", PT_NUM, struct wd_memory, phys_start, NULL,
	  P_HEX | P_ALWAYS),
	F("virt-start", PT_NUM, struct wd_memory, virt_start, NULL,
	  P_REQ | P_HEX | P_ALWAYS),
	F("size", PT_NUM, struct wd_memory, size, NULL,
	  P_REQ | P_HEX | P_ALWAYS | P_SIZE),
	{ "flags", PT_FLAGS, OFF(struct wd_memory, flags),
	  W(struct wd_memory, flags), ~(uint64_t)WD_MEM_IO_WIDTH_MASK,
	  mem_flags, P_HEX },
	{ "io-widths", PT_WIDTHS, OFF(struct wd_memory, flags),
	  W(struct wd_memory, flags), WD_MEM_IO_WIDTH_MASK, NULL, 0 },
	LAST,
};

const struct prop console_props[] = {
	F("address", PT_NUM, struct wd_console, address, NULL,
	  P_HEX | P_ALWAYS),
	F("size", PT_NUM, struct wd_console, size, NULL, P_HEX | P_SIZE),
	F("type", PT_ENUM, struct wd_console, type, con_types, P_ALWAYS),
	F("flags", PT_FLAGS, struct wd_console, flags, con_flags, P_HEX),
	F("divider", PT_NUM, struct wd_console, divider, NULL, 0),
	F("gate-nr", PT_NUM, struct wd_console, gate_nr, NULL, 0),
	F("clock-reg", PT_NUM, struct wd_console, clock_reg, NULL, P_HEX),
	LAST,
};

const struct prop platform_props[] = {
	F("pci-mmconfig-base", PT_NUM, struct wd_platform_info,
	  pci_mmconfig_base, NULL, P_HEX),
	F("pci-mmconfig-end-bus", PT_NUM, struct wd_platform_info,
	  pci_mmconfig_end_bus, NULL, P_HEX),
	F("pci-is-virtual", PT_NUM, struct wd_platform_info, pci_is_virtual,
	  NULL, 0),
	F("pci-domain", PT_NUM, struct wd_platform_info, pci_domain, NULL, 0),
	LAST,
};

/*
 * The x86 part of the platform union. It is shorter than the ARM part:
 * union-tail holds the union's remaining bytes (zero in sane configs) so
 * that any file round-trips.
 */
const struct prop x86_props[] = {
	F("pm-timer-address", PT_NUM, struct wd_platform_x86, pm_timer_address,
	  NULL, P_HEX),
	F("apic-mode", PT_ENUM, struct wd_platform_x86, apic_mode, apic_modes,
	  0),
	F("padding", PT_NUM, struct wd_platform_x86, padding, NULL, 0),
	F("vtd-interrupt-limit", PT_NUM, struct wd_platform_x86,
	  vtd_interrupt_limit, NULL, 0),
	F("tsc-khz", PT_NUM, struct wd_platform_x86, tsc_khz, NULL, 0),
	F("apic-khz", PT_NUM, struct wd_platform_x86, apic_khz, NULL, 0),
	{ "union-tail", PT_BYTES, sizeof(struct wd_platform_x86),
	  sizeof(struct wd_platform_arm) - sizeof(struct wd_platform_x86), 0,
	  NULL, 0 },
	LAST,
};

const struct prop arm_props[] = {
	F("maintenance-irq", PT_NUM, struct wd_platform_arm, maintenance_irq,
	  NULL, 0),
	F("gic-version", PT_NUM, struct wd_platform_arm, gic_version, NULL, 0),
	F("padding", PT_BYTES, struct wd_platform_arm, padding, NULL, 0),
	F("gicd-base", PT_NUM, struct wd_platform_arm, gicd_base, NULL, P_HEX),
	F("gicc-base", PT_NUM, struct wd_platform_arm, gicc_base, NULL, P_HEX),
	F("gich-base", PT_NUM, struct wd_platform_arm, gich_base, NULL, P_HEX),
	F("gicv-base", PT_NUM, struct wd_platform_arm, gicv_base, NULL, P_HEX),
	F("gicr-base", PT_NUM, struct wd_platform_arm, gicr_base, NULL, P_HEX),
	LAST,
};

/* An IOMMU unit; the AMD fields and the PVU TLB base share bytes. */
const struct prop iommu_props[] = {
	F("type", PT_ENUM, struct wd_iommu, type, iommu_types, P_ALWAYS),
	F("base", PT_NUM, struct wd_iommu, base, NULL, P_HEX),
	F("size", PT_NUM, struct wd_iommu, size, NULL, P_HEX | P_SIZE),
	F("amd-bdf", PT_BDF, struct wd_iommu, amd.bdf, NULL, P_AMD),
	F("amd-base-cap", PT_NUM, struct wd_iommu, amd.base_cap, NULL,
	  P_HEX | P_AMD),
	F("amd-msi-cap", PT_NUM, struct wd_iommu, amd.msi_cap, NULL,
	  P_HEX | P_AMD),
	F("amd-features", PT_NUM, struct wd_iommu, amd.features, NULL,
	  P_HEX | P_AMD),
	F("tlb-base", PT_NUM, struct wd_iommu, tipvu.tlb_base, NULL,
	  P_HEX | P_PVU),
	F("tlb-size", PT_NUM, struct wd_iommu, tipvu.tlb_size, NULL,
	  P_HEX | P_SIZE),
	LAST,
};

/*
 * A cell: the root node of a cell config, or a system's root-cell node.
 * signature, architecture and revision of the root cell's header are not
 * used by anyone (Jailhouse leaves them zero) but kept for round trips.
 */
const struct prop cell_props[] = {
	S("compatible", P_CELLCFG | P_REQ),
	F("signature", PT_BYTES, struct wd_cell_desc, signature, NULL,
	  P_ROOTCELL),
	F("architecture", PT_ENUM, struct wd_cell_desc, architecture,
	  arch_names, P_ALWAYS_CFG),
	F("revision", PT_NUM, struct wd_cell_desc, revision, NULL, P_ROOTCELL),
	S("cell-name", 0),
	F("cell-name-bytes", PT_BYTES, struct wd_cell_desc, name, NULL, 0),
	F("id", PT_NUM, struct wd_cell_desc, id, NULL, 0),
	F("flags", PT_FLAGS, struct wd_cell_desc, flags, cell_flags, P_HEX),
	S("cpus", 0),
	S("cpu-set-size", 0),
	F("vpci-irq-base", PT_NUM, struct wd_cell_desc, vpci_irq_base, NULL, 0),
	F("cpu-reset-address", PT_NUM, struct wd_cell_desc, cpu_reset_address,
	  NULL, P_HEX),
	F("msg-reply-timeout", PT_NUM, struct wd_cell_desc, msg_reply_timeout,
	  NULL, 0),
	S("stream-ids", 0),
	S("mmu500-stream-ids", 0),
	LAST,
};

const struct prop cache_props[] = {
	F("start", PT_NUM, struct wd_cache, start, NULL, P_ALWAYS),
	F("size", PT_NUM, struct wd_cache, size, NULL, P_REQ | P_ALWAYS),
	F("type", PT_ENUM, struct wd_cache, type, cache_types, P_ALWAYS),
	F("padding", PT_NUM, struct wd_cache, padding, NULL, 0),
	F("flags", PT_FLAGS, struct wd_cache, flags, cache_flags, P_HEX),
	LAST,
};

const struct prop irqchip_props[] = {
	F("address", PT_NUM, struct wd_irqchip, address, NULL,
	  P_REQ | P_HEX | P_ALWAYS),
	F("id", PT_NUM, struct wd_irqchip, id, NULL, P_HEX),
	F("pin-base", PT_NUM, struct wd_irqchip, pin_base, NULL, P_ALWAYS),
	S("pins", 0),
	S("pin-ranges", 0),
	S("pin-bitmap", 0),
	LAST,
};

const struct prop pio_props[] = {
	F("base", PT_NUM, struct wd_pio, base, NULL, P_HEX | P_ALWAYS),
	F("length", PT_NUM, struct wd_pio, length, NULL,
	  P_REQ | P_HEX | P_ALWAYS),
	LAST,
};

const struct prop pci_props[] = {
	F("type", PT_ENUM, struct wd_pci_device, type, pci_types,
	  P_REQ | P_ALWAYS),
	F("iommu", PT_NUM, struct wd_pci_device, iommu, NULL, 0),
	F("domain", PT_NUM, struct wd_pci_device, domain, NULL, 0),
	F("bdf", PT_BDF, struct wd_pci_device, bdf, NULL, P_REQ | P_ALWAYS),
	F("bar-mask", PT_U32S, struct wd_pci_device, bar_mask, NULL, P_HEX),
	F("caps-start", PT_NUM, struct wd_pci_device, caps_start, NULL, 0),
	F("num-caps", PT_NUM, struct wd_pci_device, num_caps, NULL, 0),
	F("num-msi-vectors", PT_NUM, struct wd_pci_device, num_msi_vectors,
	  NULL, 0),
	F("msi-flags", PT_FLAGS, struct wd_pci_device, msi_flags, msi_flags,
	  P_HEX),
	F("num-msix-vectors", PT_NUM, struct wd_pci_device, num_msix_vectors,
	  NULL, 0),
	F("msix-region-size", PT_NUM, struct wd_pci_device, msix_region_size,
	  NULL, P_HEX),
	F("msix-address", PT_NUM, struct wd_pci_device, msix_address, NULL,
	  P_HEX),
	F("shmem-regions-start", PT_NUM, struct wd_pci_device,
	  shmem_regions_start, NULL, 0),
	F("shmem-dev-id", PT_NUM, struct wd_pci_device, shmem_dev_id, NULL, 0),
	F("shmem-peers", PT_NUM, struct wd_pci_device, shmem_peers, NULL, 0),
	F("shmem-protocol", PT_ENUM, struct wd_pci_device, shmem_protocol,
	  shmem_protos, 0),
	LAST,
};

/* A PCI capability: id without the extended bit, which is its own flag. */
const struct prop cap_props[] = {
	{ "id", PT_NUM, OFF(struct wd_pci_capability, id),
	  W(struct wd_pci_capability, id), 0x7fff, NULL,
	  P_REQ | P_HEX | P_ALWAYS },
	{ "extended", PT_BOOL, OFF(struct wd_pci_capability, id),
	  W(struct wd_pci_capability, id), WD_PCI_EXT_CAP, NULL, 0 },
	F("start", PT_NUM, struct wd_pci_capability, start, NULL,
	  P_HEX | P_ALWAYS),
	F("len", PT_NUM, struct wd_pci_capability, len, NULL, P_REQ | P_ALWAYS),
	F("flags", PT_FLAGS, struct wd_pci_capability, flags, cap_flags, P_HEX),
	LAST,
};

const char *const container_names[] = {
	[CFG_CPUS] = NULL,
	[CFG_MEM] = "memory-regions",
	[CFG_CACHE] = "cache-regions",
	[CFG_IRQCHIP] = "irqchips",
	[CFG_PIO] = "pio-regions",
	[CFG_PCI] = "pci-devices",
	[CFG_CAP] = "pci-caps",
	[CFG_STREAM] = NULL,
};

uint64_t field_get(const void *base, unsigned int off, unsigned int width)
{
	const uint8_t *p = (const uint8_t *)base + off;
	uint64_t v = 0;

	while (width--)
		v = v << 8 | p[width];
	return v;
}

void field_set(void *base, unsigned int off, unsigned int width, uint64_t v)
{
	uint8_t *p = (uint8_t *)base + off;
	unsigned int i;

	for (i = 0; i < width; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

const struct name_val *name_find(const struct name_val *tab, const char *name)
{
	for (; tab && tab->name; tab++)
		if (!strcmp(tab->name, name))
			return tab;
	return NULL;
}

const char *name_of(const struct name_val *tab, uint64_t val)
{
	for (; tab && tab->name; tab++)
		if (tab->val == val)
			return tab->name;
	return NULL;
}

bool parse_numstr(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}
