/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86 interrupt of the ivshmem inmate: MSI-X vector 0 of the device, table
 * in BAR 1, delivered to this CPU's x2APIC in physical destination mode.
 */
#include "../ivshmem.h"

#define PCI_CAP_MSIX 0x11
#define MSIX_CTRL_ENABLE 0x8000
#define MSIX_CTRL_FMASK 0x4000
#define IVSHMEM_VECTOR 0x40

int ivshmem_irq_setup(uint16_t bdf, uint64_t bar_base, irq_handler_t handler)
{
	unsigned int cap = pci_find_cap(bdf, PCI_CAP_MSIX);
	uint32_t table, bir, bar;
	uintptr_t entry;

	if (!cap) {
		printf("ivshmem: no MSI-X capability\n");
		return -1;
	}
	table = pci_read(bdf, cap + 4, 4);
	bir = table & 7;
	bar = pci_read(bdf, 0x10 + 4 * bir, 4) & ~0xfu;
	if (!bar) {
		bar = bar_base + 0x1000;
		pci_write(bdf, 0x10 + 4 * bir, bar, 4);
	}
	entry = bar + (table & ~7u);

	apic_init();
	irq_set_handler(IVSHMEM_VECTOR, handler);
	mmio_write32(entry + 0, 0xfee00000 | (uint32_t)cpu_hw_id() << 12);
	mmio_write32(entry + 4, 0);
	mmio_write32(entry + 8, IVSHMEM_VECTOR);
	mmio_write32(entry + 12, 0); /* unmasked */
	pci_write(bdf, cap + 2,
		  (pci_read(bdf, cap + 2, 2) | MSIX_CTRL_ENABLE) &
			  ~MSIX_CTRL_FMASK,
		  2);
	return IVSHMEM_VECTOR;
}
