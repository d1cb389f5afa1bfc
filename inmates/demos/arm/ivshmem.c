/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARM interrupt of the ivshmem inmate: INTx, which Jailhouse maps to SPI
 * vpci_irq_base + pin - 1 (GIC id 32 + that) of the cell.
 */
#include "../ivshmem.h"

#define PCI_CFG_INT_PIN 0x3d

int ivshmem_irq_setup(uint16_t bdf, uint64_t bar_base, irq_handler_t handler)
{
	unsigned int pin = pci_read(bdf, PCI_CFG_INT_PIN, 1);
	unsigned int irq;

	(void)bar_base;
	if (pin < 1 || pin > 4) {
		printf("ivshmem: no INTx pin (%u)\n", pin);
		return -1;
	}
	irq = 32 + comm_region()->arm.vpci_irq_base + pin - 1;
	irq_set_handler(irq, handler);
	irq_enable(irq);
	return irq;
}
