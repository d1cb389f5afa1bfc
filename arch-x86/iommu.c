// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 IOMMU glue (iommu.h): the HAL's device hooks and the cells' DMA
 * domains on the image's unit driver (AMD-Vi or VT-d) for the system
 * config's units. Without units it is the plain x86 rule: the root cell's
 * devices DMA untranslated, no other cell gets one (core/pci.c refuses
 * it), and a message is what the cell wrote. Freestanding.
 */
#include "iommu.h"
#include "cell.h"
#include "msi.h"
#include "../hal/hal.h"

static unsigned int units;     /* bit n: unit n is up */
static unsigned int fault_cpu; /* the NMI's CPU, which polls */

static const struct wd_iommu *unit(unsigned int n)
{
	return &core_system_config()->platform_info.iommu_units[n];
}

const struct x86_pt_format *x86_iommu_format(void)
{
	unsigned int n;

	for (n = 0; n < WD_MAX_IOMMU_UNITS; n++)
		if (unit(n)->type)
			return x86_iommu_pt;
	return NULL;
}

/* @fn on every unit that is up. */
static void each_unit(void (*fn)(unsigned int n))
{
	unsigned int n;

	for (n = 0; n < WD_MAX_IOMMU_UNITS; n++)
		if (units & 1U << n)
			fn(n);
}

void x86_iommu_exit(void)
{
	each_unit(iommu_unit_shutdown);
	units = 0;
}

int x86_iommu_init(struct cell *root)
{
	unsigned int n;

	fault_cpu = hal_cpu_id();
	for (n = 0; n < WD_MAX_IOMMU_UNITS; n++) {
		if (!unit(n)->type)
			continue;
		/* The image's type only; a unit that is not there refuses. */
		if (unit(n)->type != x86_iommu_type)
			core_printk("warden: IOMMU %u: type %u, not this "
				    "image's (%u)\n",
				    n, unit(n)->type, x86_iommu_type);
		else if (!iommu_unit_init(n, unit(n), fault_cpu)) {
			units |= 1U << n;
			continue;
		}
		x86_iommu_exit();
		return core_refuse(root, WD_R_iommu_unit, n, WD_ENODEV);
	}
	return 0;
}

void x86_iommu_flush(void)
{
	each_unit(iommu_unit_flush);
}

void x86_iommu_poll(void)
{
	if (units && hal_cpu_id() == fault_cpu)
		each_unit(iommu_unit_poll);
}

/* @cell's config entry of the PCI function @bdf, if it lists it. */
static const struct wd_pci_device *device(const struct cell *cell, uint16_t bdf)
{
	const struct wd_cell_desc *cfg = core_cell_config(cell);
	const struct wd_pci_device *d = wd_cell_pci_devices(cfg);
	unsigned int i;

	for (i = 0; i < cfg->num_pci_devices; i++)
		if (d[i].bdf == bdf && d[i].type != WD_PCI_TYPE_IVSHMEM)
			return &d[i];
	return NULL;
}

/* The unit that translates @d, if it is up. */
static bool behind_unit(const struct wd_pci_device *d)
{
	return d && d->iommu < WD_MAX_IOMMU_UNITS && units & 1U << d->iommu;
}

int hal_device_assign(struct cell *cell, uint16_t bdf)
{
	const struct wd_pci_device *d = device(cell, bdf);
	struct x86_cell *xc = core_cell_arch(cell);

	if (!units) /* no IOMMU: the root cell's devices DMA untranslated */
		return core_cell_id(cell) ? -WD_ENODEV : 0;
	if (!behind_unit(d))
		return -WD_ENODEV;
	return iommu_attach(d->iommu, bdf, core_cell_id(cell) + 1, &xc->dma);
}

void hal_device_release(struct cell *cell, uint16_t bdf)
{
	const struct wd_pci_device *d = device(cell, bdf);

	if (behind_unit(d))
		iommu_detach(d->iommu, bdf);
}

enum wd_reason hal_msi_route(const struct cell *cell, uint16_t bdf,
			     unsigned int index, uint64_t address,
			     uint32_t data, struct msi_route *route)
{
	const struct wd_pci_device *d = device(cell, bdf);
	enum wd_reason why = x86_msi_check(cell, address, data, route);

	if (why || !behind_unit(d))
		return why;
	return iommu_remap(d->iommu, bdf, index, route->cpu, route->irq,
			   &route->address, &route->data) ?
		       WD_R_iommu_remap :
		       WD_R_none;
}
