// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 backends' PCI device hooks (hal/hal.h): device ownership and the
 * MSI routing rule (msi.c). Freestanding.
 */
#include "../hal/hal.h"
#include "msi.h"

/*
 * PCI devices (hal/hal.h). No IOMMU yet (AMD-Vi, VT-d: docs/x86.md): a
 * device joins no DMA domain, so there is nothing to attach or detach.
 */
int hal_device_assign(struct cell *cell, uint16_t bdf)
{
	(void)cell;
	(void)bdf;
	return 0;
}

void hal_device_release(struct cell *cell, uint16_t bdf)
{
	(void)cell;
	(void)bdf;
}

/* Without interrupt remapping the message is the route: the x86 rule. */
enum wd_reason hal_msi_route(const struct cell *cell, uint16_t bdf,
			     unsigned int index, uint64_t address,
			     uint32_t data, struct msi_route *route)
{
	(void)bdf;
	(void)index;
	return x86_msi_check(cell, address, data, route);
}
