/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * PCI configuration space through the ECAM window the comm region names
 * (pci_mmconfig_base); warden gives cells no other config-space path.
 */
#include <inmate.h>

#define PCI_CFG_STATUS 0x06
#define PCI_STATUS_CAPS 0x10
#define PCI_CFG_CAPS 0x34

static uintptr_t ecam(uint16_t bdf, unsigned int reg)
{
	return (uintptr_t)comm_region()->pci_mmconfig_base +
	       ((uintptr_t)bdf << 12) + reg;
}

bool pci_available(void)
{
	return comm_region() && comm_region()->pci_mmconfig_base;
}

uint32_t pci_read(uint16_t bdf, unsigned int reg, unsigned int size)
{
	switch (size) {
	case 1:
		return mmio_read8(ecam(bdf, reg));
	case 2:
		return mmio_read16(ecam(bdf, reg));
	default:
		return mmio_read32(ecam(bdf, reg));
	}
}

void pci_write(uint16_t bdf, unsigned int reg, uint32_t value,
	       unsigned int size)
{
	switch (size) {
	case 1:
		mmio_write8(ecam(bdf, reg), value);
		break;
	case 2:
		mmio_write16(ecam(bdf, reg), value);
		break;
	default:
		mmio_write32(ecam(bdf, reg), value);
	}
}

int pci_find(uint16_t vendor, uint16_t device, uint16_t start)
{
	unsigned int bdf;

	for (bdf = start; bdf < 0x100; bdf++)
		if (pci_read(bdf, 0, 4) == ((uint32_t)device << 16 | vendor))
			return bdf;
	return -1;
}

unsigned int pci_find_cap(uint16_t bdf, uint8_t id)
{
	unsigned int pos, n;

	if (!(pci_read(bdf, PCI_CFG_STATUS, 2) & PCI_STATUS_CAPS))
		return 0;
	pos = pci_read(bdf, PCI_CFG_CAPS, 1) & ~3u;
	for (n = 0; pos && n < 48; n++) {
		if (pci_read(bdf, pos, 1) == id)
			return pos;
		pos = pci_read(bdf, pos + 1, 1) & ~3u;
	}
	return 0;
}
