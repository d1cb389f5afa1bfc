/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI config-space access control through ECAM. Every cell traps on the
 * whole ECAM window. A cell sees only the devices its config assigns:
 * reads of any other function return all ones (as an empty slot does), and
 * writes to them are denied. For its own devices a non-root cell may write
 * the command/status, cache-line, latency and interrupt-line registers;
 * BARs are emulated (sizing works against the config's bar_mask, the
 * physical BAR never moves); capabilities are readable, and writable only
 * where the config flags them WD_PCICAPS_WRITE. The root cell, which
 * enumerated the bus, keeps full access to the devices it owns.
 */
#include "core.h"

#define PCI_CFG_SIZE 0x1000
#define PCI_HDR_SIZE 0x40
#define PCI_BAR0 0x10
#define PCI_BAR_END 0x28
#define PCI_ROM 0x30

struct pci_dev_state {
	const struct wd_pci_device *info; /* in the cell's config copy */
	uint32_t bar[6];		  /* emulated BAR values */
	struct ivshmem_dev *ivshmem;	  /* virtual function, or NULL */
};

static unsigned int pci_state_pages(unsigned int devices)
{
	return pages_for((uint64_t)devices * sizeof(struct pci_dev_state));
}

/* Global owner of each BDF: cell id + 1, 0 = not listed anywhere. */
static uint8_t bdf_owner[0x10000];

uint64_t pci_ecam_size(void)
{
	return ((uint64_t)core_system_config()
			->platform_info.pci_mmconfig_end_bus +
		1)
	       << 20;
}

static struct pci_dev_state *find_dev(struct cell *cell, uint16_t bdf)
{
	unsigned int i;

	for (i = 0; i < cell->num_pci; i++)
		if (cell->pci[i].info->bdf == bdf)
			return &cell->pci[i];
	return NULL;
}

static uint32_t all_ones(unsigned int size)
{
	return size == 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
}

static enum access_result deny(struct cell *cell, enum wd_reason why,
			       uint64_t item)
{
	cell_fail(cell, why, item);
	return ACCESS_DENIED;
}

/* BARs of non-root cells: shadow registers honouring the config's masks. */
static enum access_result bar_access(struct pci_dev_state *dev,
				     unsigned int reg, struct mmio_access *acc)
{
	unsigned int n = (reg - PCI_BAR0) / 4, shift = (reg % 4) * 8;
	uint32_t mask = dev->info->bar_mask[n];
	uint32_t lanes = all_ones(acc->size) << shift;
	uint32_t v;

	if (acc->is_write) {
		v = (dev->bar[n] & ~lanes) |
		    (((uint32_t)acc->value << shift) & lanes);
		/* Address bits follow the mask; flag bits stay as read. */
		dev->bar[n] = (v & mask) | (dev->bar[n] & ~mask & 0xf);
	} else {
		acc->value = (dev->bar[n] & lanes) >> shift;
	}
	return ACCESS_EMULATED;
}

static const struct wd_pci_capability *
find_cap(struct cell *cell, const struct wd_pci_device *d, unsigned int reg)
{
	const struct wd_pci_capability *cap =
		wd_cell_pci_caps(cell->config) + d->caps_start;
	unsigned int i;

	for (i = 0; i < d->num_caps; i++)
		if (reg >= cap[i].start && reg - cap[i].start < cap[i].len)
			return &cap[i];
	return NULL;
}

static bool header_writable(unsigned int reg)
{
	/* command, status, cache line size, latency timer, interrupt line */
	return (reg >= 0x04 && reg < 0x08) || reg == 0x0c || reg == 0x0d ||
	       reg == 0x3c;
}

static enum access_result own_device(struct cell *cell,
				     struct pci_dev_state *dev, hpa_t addr,
				     unsigned int reg, struct mmio_access *acc)
{
	uint64_t item = (uint64_t)dev->info->bdf << 16 | reg;
	const struct wd_pci_capability *cap;
	unsigned int r;

	if (cell == root_cell)
		goto forward;
	if (reg >= PCI_BAR0 && reg < PCI_BAR_END)
		return bar_access(dev, reg, acc);
	if (reg >= PCI_ROM && reg < PCI_ROM + 4) {
		if (!acc->is_write)
			acc->value = 0; /* no expansion ROM */
		return ACCESS_EMULATED;
	}
	if (!acc->is_write)
		goto forward;
	if (reg < PCI_HDR_SIZE) {
		for (r = reg; r < reg + acc->size; r++)
			if (!header_writable(r))
				return deny(cell, WD_R_pci_header_write, item);
		goto forward;
	}
	cap = find_cap(cell, dev->info, reg);
	if (!cap || !(cap->flags & WD_PCICAPS_WRITE) ||
	    reg + acc->size - cap->start > cap->len)
		return deny(cell, WD_R_pci_cap_write, item);
forward:
	hal_phys_access(addr, acc);
	return ACCESS_FORWARDED;
}

static enum access_result ecam_access(void *arg, struct cell *cell,
				      struct mmio_access *acc)
{
	uint64_t base = core_system_config()->platform_info.pci_mmconfig_base;
	uint64_t off = acc->address - base;
	uint16_t bdf = (uint16_t)(off >> 12);
	unsigned int reg = off & (PCI_CFG_SIZE - 1);
	struct pci_dev_state *dev;

	(void)arg;
	core_stat_inc(WD_CPU_STAT_VMEXITS_PCI);
	if (acc->size > 4 || acc->address & (acc->size - 1))
		return deny(cell, WD_R_pci_access_size, acc->address);
	dev = find_dev(cell, bdf);
	if (dev && dev->ivshmem)
		return ivshmem_cfg_access(dev->ivshmem, reg, acc);
	if (dev && bdf_owner[bdf] == cell->id + 1)
		return own_device(cell, dev, hpa(acc->address), reg, acc);
	if (acc->is_write)
		return deny(cell, WD_R_pci_foreign, bdf);
	/* Not this cell's function: it looks like an empty slot. */
	acc->value = all_ones(acc->size);
	return ACCESS_EMULATED;
}

struct check_result pci_check_claim(const struct wd_cell_desc *cfg)
{
	const struct wd_pci_device *dev = wd_cell_pci_devices(cfg);
	unsigned int i;

	for (i = 0; i < cfg->num_pci_devices; i++)
		if (dev[i].type != WD_PCI_TYPE_IVSHMEM &&
		    bdf_owner[dev[i].bdf] != root_cell->id + 1)
			return (struct check_result){ WD_R_pci_not_in_root,
						      dev[i].bdf, WD_EBUSY };
	return ivshmem_check_claim(cfg);
}

static void read_bars(struct pci_dev_state *dev)
{
	uint64_t base = core_system_config()->platform_info.pci_mmconfig_base;
	struct mmio_access acc = { .size = 4 };
	unsigned int n;

	for (n = 0; n < 6; n++) {
		acc.address = base + ((uint64_t)dev->info->bdf << 12) +
			      PCI_BAR0 + n * 4;
		hal_phys_access(hpa(acc.address), &acc);
		dev->bar[n] = (uint32_t)acc.value;
	}
}

int pci_cell_init(struct cell *cell)
{
	const struct wd_pci_device *info = wd_cell_pci_devices(cell->config);
	uint64_t base = core_system_config()->platform_info.pci_mmconfig_base;
	unsigned int i, pages;
	int err;

	/* A new root cell (enable) starts from nothing: no stale owners. */
	if (cell == root_cell) {
		wd_memset(bdf_owner, 0, sizeof(bdf_owner));
		ivshmem_forget_all();
	}
	if (cell->config->num_pci_devices) {
		pages = pci_state_pages(cell->config->num_pci_devices);
		cell->pci = core_page_alloc(pages);
		if (!cell->pci)
			return reject(cell, WD_R_no_memory, pages, WD_ENOMEM);
	}
	/* Only now: pci_cell_exit() walks num_pci entries of cell->pci. */
	cell->num_pci = cell->config->num_pci_devices;
	for (i = 0; i < cell->num_pci; i++) {
		cell->pci[i].info = &info[i];
		if (info[i].type == WD_PCI_TYPE_IVSHMEM) {
			err = ivshmem_init(cell, &info[i],
					   &cell->pci[i].ivshmem);
			if (err)
				return err;
			continue;
		}
		bdf_owner[info[i].bdf] = (uint8_t)(cell->id + 1);
		read_bars(&cell->pci[i]);
	}
	if (!base)
		return 0;
	err = core_mmio_register(cell, base, pci_ecam_size(), ecam_access,
				 NULL);
	if (err == -WD_EBUSY)
		return reject(cell, WD_R_mmio_overlap, base, WD_EBUSY);
	if (err)
		return reject(cell, WD_R_no_memory, 0, -err);
	return 0;
}

void pci_cell_exit(struct cell *cell)
{
	unsigned int i;
	uint16_t bdf;

	for (i = 0; i < cell->num_pci; i++) {
		bdf = cell->pci[i].info->bdf;
		if (cell->pci[i].ivshmem)
			ivshmem_exit(cell->pci[i].ivshmem);
		if (cell->pci[i].info->type == WD_PCI_TYPE_IVSHMEM)
			continue;
		/* Back to the root cell if it lists the device, else nobody. */
		bdf_owner[bdf] = 0;
		if (cell != root_cell) {
			const struct wd_pci_device *r =
				wd_cell_pci_devices(root_cell->config);
			unsigned int n;

			for (n = 0; n < root_cell->config->num_pci_devices; n++)
				if (r[n].bdf == bdf)
					bdf_owner[bdf] = root_cell->id + 1;
		}
	}
	if (cell->pci) {
		core_page_free(cell->pci, pci_state_pages(cell->num_pci));
	}
	cell->pci = NULL;
	cell->num_pci = 0;
}

void pci_cell_reset(struct cell *cell)
{
	unsigned int i;

	for (i = 0; i < cell->num_pci; i++)
		if (cell->pci[i].ivshmem)
			ivshmem_reset(cell->pci[i].ivshmem);
}
