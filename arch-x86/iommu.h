/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA and interrupt remapping on x86, for both hardware backends: the glue
 * (iommu.c) turns the HAL's hooks into calls of the image's unit driver,
 * AMD-Vi (amd_iommu.c) in the AMD-V image, Intel VT-d (vtd.c) in VT-x's.
 *
 * The system config lists the units (platform_info.iommu_units[],
 * Jailhouse's layout: type, register base and size; AMD-Vi also the
 * IOMMU's own PCI function and capability offsets); every unit of a
 * machine has the image driver's type. Each PCI device of a cell names the unit that
 * translates its requests (wd_pci_device.iommu, an index into that array).
 *
 * Domains: every cell has one, numbered cell id + 1 (like the ASIDs), with
 * its own DMA page tables (struct x86_pt in the driver's entry format,
 * 4 KiB leaves) mapping the cell's guest-physical addresses to host-
 * physical ones for the regions flagged WD_MEM_DMA only. A device is in
 * exactly one domain or blocked: no DMA (every request faults) and no
 * interrupts. Devices no cell lists stay blocked from enable to DISABLE.
 * The hypervisor's memory is in no domain.
 *
 * Interrupts: with the unit's interrupt remapping on, a device's MSI/MSI-X
 * message is a remapping-table index that only that device (source-id
 * checked) may use; the entry holds what the cell's message asked for,
 * after arch-x86/msi.c's rule accepted it. Messages in the unremapped
 * format are blocked.
 *
 * Faults: the unit signals a fault as an NMI to the CPU that enabled the
 * hypervisor; the glue polls the units there (and at every management
 * hypercall) and the driver reports each recorded fault with
 * core_dma_fault() (hal/core.h), which names the device, the address and
 * the cell, and contains the cell.
 *
 * All driver calls run on one CPU at a time (the management lock, or the
 * NMI poll under the glue's lock) with the affected cells' CPUs held.
 */
#ifndef WARDEN_X86_IOMMU_H
#define WARDEN_X86_IOMMU_H

#include <stdint.h>

#include "paging.h"

/*
 * ---- The unit driver: one per image, as in Jailhouse (an AMD CPU never
 * sits beside a VT-d unit, nor an Intel CPU beside AMD-Vi): the AMD-V
 * image links amd_iommu.c, the VT-x image vtd.c (docs/x86.md, "IOMMU"). ----
 */

/* The units it drives (WD_IOMMU_AMD or WD_IOMMU_INTEL) and their DMA
 * page-table entries. */
extern const uint32_t x86_iommu_type;
extern const struct x86_pt_format *const x86_iommu_pt;
/*
 * Bring up unit @n (@u, from the system config) at enable: every device
 * blocked, DMA translation and interrupt remapping on, faults raised as an
 * NMI to APIC ID @nmi_apic. 0, or -WD_ENODEV when the unit is not there or
 * lacks what the driver needs (the driver prints which, e.g. "warden:
 * IOMMU 0: no unit at 0x..."). Tables come from core_page_alloc().
 */
int iommu_unit_init(unsigned int n, const struct wd_iommu *u,
		    unsigned int nmi_apic);
/*
 * Put device @bdf behind unit @n into domain @domain (1..WD_MAX_CELLS) with
 * the page tables @pt (x86_pt_pointer(): the root's physical address),
 * replacing what it had; its interrupt-remapping entries stay blocked until
 * iommu_remap(). 0 or -WD_ENOMEM.
 */
int iommu_attach(unsigned int n, uint16_t bdf, unsigned int domain,
		 const struct x86_pt *pt);
/* Block @bdf again: no DMA, every remapping entry of it cleared. */
void iommu_detach(unsigned int n, uint16_t bdf);
/*
 * Vector @index (MSI: < 32, MSI-X: < 2048) of @bdf, already accepted by
 * msi.c, is to deliver @vector to APIC ID @apic (fixed, edge, physical):
 * program its remapping entry and give in *@address and *@data the message
 * to write to the device instead of the cell's. For MSI with several
 * vectors the caller writes the message of index 0 and the device adds the
 * vector number to the data: the driver keeps the entries of one MSI
 * capability consecutive. 0 or -WD_ENOMEM (no remapping entry left: the
 * vector stays masked).
 */
int iommu_remap(unsigned int n, uint16_t bdf, unsigned int index,
		unsigned int apic, unsigned int vector, uint64_t *address,
		uint32_t *data);
/* Make every change visible: invalidate the unit's device/context entry,
 * remapping-entry and IOTLB caches; returns when done. */
void iommu_unit_flush(unsigned int n);
/* Report every fault the unit recorded (core_dma_fault()) and clear them,
 * re-arming the fault NMI. */
void iommu_unit_poll(unsigned int n);
/* DISABLE: translation and remapping off, the unit as found. */
void iommu_unit_shutdown(unsigned int n);

/* For the drivers: a physical address (the hypervisor's memory is mapped
 * 1:1), and a unit's lock (its command ring and remapping tables: remapping
 * comes on the cells' CPUs too, VT-d's IOAPIC entries on any CPU). */
static inline uint64_t iommu_phys(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static inline void iommu_lock(int *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
}

static inline void iommu_unlock(int *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

/* ---- The glue (iommu.c): the HAL's device hooks, and for hal.c/cell.c ---- */

/* The DMA table format of the config's units, NULL if it has none. */
const struct x86_pt_format *x86_iommu_format(void);
/* Enable (the root cell's hal_cell_create): every unit up, or none and
 * the refusal iommu_unit (item = the unit) recorded for @root. */
int x86_iommu_init(struct cell *root);
/* DISABLE, or an enable that failed: every unit off. */
void x86_iommu_exit(void);
/* hal_config_commit(): every unit's caches. */
void x86_iommu_flush(void);
/* Before each VM entry (x86_check_requests): on the CPU the fault NMI
 * goes to, report what the units recorded. */
void x86_iommu_poll(void);

#endif /* !WARDEN_X86_IOMMU_H */
