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
 *
 * Interrupt messages: without interrupt remapping, whatever a cell writes
 * into its device's MSI capability or MSI-X table is what the device sends
 * to the APICs. So for every real device of every cell (root included) the
 * MSI address, data and control are shadowed, and the MSI-X table is
 * trapped (its pages leave the cell's stage-2 and are served here: the
 * table from the shadow, the PBA and the rest of the pages from the
 * device). A vector reaches the device only once hal_msi_route() accepts
 * it (when it becomes enabled and unmasked, or changes while it is); a
 * refused one stays masked there (MSI: disabled), the cell gets the reason
 * and runs on. Each field of an accepted message is fine on its own, so a
 * device that sees a mix of an old and a new accepted message while they
 * are written is fine too. A device changes owner with its MSI disabled
 * and every MSI-X vector masked, and with hal_device_release/assign().
 */
#include "core.h"

#define PCI_CFG_SIZE 0x1000
#define PCI_HDR_SIZE 0x40
/* The header's bytes a cell may write, one bit each: command, status,
 * cache line size, latency timer, interrupt line. */
#define PCI_HDR_WRITABLE 0x10000000000030f0ULL
#define PCI_BAR0 0x10
#define PCI_BAR_END 0x28
#define PCI_ROM 0x30
#define CAP_MSI 0x05
#define CAP_MSIX 0x11
#define MSI_CTRL 2		 /* control register, 16 bits */
#define MSI_CTRL_SHADOW 0x0071	 /* enable, multiple message enable */
#define MSI_CTRL_EXT_DATA 0x0400 /* extended message data enable */
#define MSIX_CTRL_ENABLE 0x8000
#define MSIX_CTRL_FMASK 0x4000
#define MSIX_MAX_VECTORS 2048
#define MSIX_MASKED 1

struct pci_dev_state {
	const struct wd_pci_device *info; /* in the cell's config copy */
	uint32_t bar[6];		  /* emulated BAR values */
	struct ivshmem_dev *ivshmem;	  /* virtual function, or NULL */
	bool taken;    /* a non-root cell's: the root gave it up */
	bool assigned; /* hal_device_assign() succeeded */
	bool owner;    /* the device is this cell's now (one cell's at most) */
	uint16_t msi;  /* MSI capability offset, 0: none listed */
	uint16_t msix; /* MSI-X capability offset, 0: none listed */
	/*
	 * The MSI capability's dwords as the cell wrote them: of dword 0 the
	 * control's MSI_CTRL_SHADOW bits (31:16), the others whole (address,
	 * upper address, data), up to the data's.
	 */
	uint32_t msi_shadow[4];
	/* MSI-X table as the cell wrote it; where its pages are trapped. */
	uint32_t (*msix_table)[4];
	uint64_t msix_gpa, msix_phys, msix_size;
};

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

/* ---- MSI and MSI-X ---------------------------------------------------- */

/* One lock for every shadow and the device writes that follow it. */
static uint32_t msi_lock;

/* A config-space access of @size bytes at @reg of @dev's function. */
static uint32_t cfg_rw(const struct pci_dev_state *dev, unsigned int reg,
		       unsigned int size, bool write, uint32_t value)
{
	return phys_rw(core_system_config()->platform_info.pci_mmconfig_base +
			       ((uint64_t)dev->info->bdf << 12) + reg,
		       size, write, value);
}

/* The data register's offset; shadowed: control up to data + 4. */
static unsigned int msi_data_off(const struct pci_dev_state *dev)
{
	return dev->info->msi_flags & WD_PCI_MSI_64BITS ? 0x0c : 0x08;
}

enum wd_reason msi_check(struct cell *cell, uint16_t bdf, unsigned int index,
			 uint64_t address, uint32_t data, struct msi_route *r)
{
	enum wd_reason why;

	r->address = address;
	r->data = data;
	why = hal_msi_route(cell, bdf, index, address, data, r);
	if (why)
		reject(cell, why, (uint64_t)bdf << 16 | index, 0);
	return why;
}

/*
 * The device's MSI from the shadow: enabled only if every vector the
 * multiple message enable lets it send is accepted; the message (vector
 * 0's, as the backend gives it: the device adds the vector number) is
 * written before the enable bit. @cell NULL: the shadow as it is, unchecked
 * (DISABLE gives the root cell's devices back).
 */
static void msi_update(struct cell *cell, struct pci_dev_state *dev)
{
	unsigned int doff = msi_data_off(dev), i, n;
	uint16_t ctrl = (uint16_t)(dev->msi_shadow[0] >> 8 * MSI_CTRL);
	uint64_t addr = dev->msi_shadow[1];
	uint32_t data = dev->msi_shadow[doff / 4] & 0xffff;
	struct msi_route r, r0;

	if (doff > 8) /* 64-bit address */
		addr |= (uint64_t)dev->msi_shadow[2] << 32;
	r0.address = addr;
	r0.data = data;
	n = MIN(1U << ((ctrl >> 4) & 7), 32);
	for (i = 0; cell && ctrl & 1 && i < n; i++)
		if (msi_check(cell, dev->info->bdf, i, addr,
			      (data & ~(n - 1)) | i, i ? &r : &r0))
			ctrl &= (uint16_t)~1U;
	if (ctrl & 1) {
		cfg_rw(dev, dev->msi + 4, 4, true, (uint32_t)r0.address);
		if (doff > 8)
			cfg_rw(dev, dev->msi + 8, 4, true,
			       (uint32_t)(r0.address >> 32));
		cfg_rw(dev, dev->msi + doff, 2, true, r0.data & 0xffff);
	}
	cfg_rw(dev, dev->msi + MSI_CTRL, 2, true, ctrl);
}

bool msix_shadow_access(uint32_t (*table)[4], uint64_t off,
			struct mmio_access *acc)
{
	uint32_t *e = table[off / 16];
	unsigned int w = off % 16 / 4, k;

	if (!acc->is_write) {
		acc->value = e[w];
		if (acc->size == 8)
			acc->value |= (uint64_t)e[w + 1] << 32;
		return false;
	}
	for (k = 0; k < acc->size / 4; k++)
		e[w + k] = (uint32_t)(acc->value >> (32 * k)) &
			   (w + k == 3 ? MSIX_MASKED : ~0U);
	return w + acc->size / 4 > 3 || !(e[3] & MSIX_MASKED);
}

static void msix_hw_write(const struct pci_dev_state *dev, unsigned int i,
			  unsigned int word, uint32_t value)
{
	phys_rw(dev->info->msix_address + 16ULL * i + 4 * word, 4, true, value);
}

/*
 * Entry @i of the device's MSI-X table from the shadow: masked first, the
 * message (the backend's for it) written and the entry unmasked only if
 * it is accepted. @cell NULL: as msi_update().
 */
static void msix_update(struct cell *cell, struct pci_dev_state *dev,
			unsigned int i)
{
	uint32_t *e = dev->msix_table[i];
	struct msi_route r;

	r.address = e[0] | (uint64_t)e[1] << 32;
	r.data = e[2];
	msix_hw_write(dev, i, 3, MSIX_MASKED);
	if (e[3] & MSIX_MASKED ||
	    (cell && msi_check(cell, dev->info->bdf, i, r.address, r.data, &r)))
		return;
	msix_hw_write(dev, i, 0, (uint32_t)r.address);
	msix_hw_write(dev, i, 1, (uint32_t)(r.address >> 32));
	msix_hw_write(dev, i, 2, r.data);
	msix_hw_write(dev, i, 3, 0);
}

/* Every vector of @dev from its shadow again (msi_update(), MSI-X's). */
static void msi_apply(struct cell *cell, struct pci_dev_state *dev)
{
	unsigned int i;

	spin_lock(&msi_lock);
	if (dev->msi)
		msi_update(cell, dev);
	for (i = 0; dev->msix_table && i < dev->info->num_msix_vectors; i++)
		msix_update(cell, dev, i);
	spin_unlock(&msi_lock);
}

/*
 * The trapped pages of a device's MSI-X table: the table (4- or 8-byte
 * accesses, naturally aligned, as PCIe requires) from the shadow, the rest
 * (PBA, other registers) forwarded to the device.
 */
static enum access_result msix_trap(void *arg, struct cell *cell,
				    struct mmio_access *acc)
{
	struct pci_dev_state *dev = arg;
	uint64_t phys = dev->msix_phys + (acc->address - dev->msix_gpa);
	uint64_t off = phys - dev->info->msix_address;

	core_stat_inc(WD_CPU_STAT_VMEXITS_PCI);
	/* The root cell's trap stays while a cell has the device. */
	if (!dev->owner)
		return cell_fail(cell, WD_R_msix_access, acc->address);
	if (off >= 16ULL * dev->info->num_msix_vectors) {
		hal_phys_access(hpa(phys), acc);
		return ACCESS_FORWARDED;
	}
	if ((acc->size != 4 && acc->size != 8) || off & (acc->size - 1))
		return cell_fail(cell, WD_R_msix_access, acc->address);
	spin_lock(&msi_lock);
	/* The message goes out when unmasked, or changes while so. */
	if (msix_shadow_access(dev->msix_table, off, acc))
		msix_update(cell, dev, (unsigned int)(off / 16));
	spin_unlock(&msi_lock);
	return ACCESS_EMULATED;
}

/*
 * No interrupt of one owner survives for the next: MSI disabled, MSI-X
 * disabled with its function masked and every table entry masked (memory
 * decoding on for it, as the device had it after).
 */
static void msi_quiesce(const struct pci_dev_state *dev)
{
	uint32_t cmd;
	unsigned int i;

	if (dev->msi)
		cfg_rw(dev, dev->msi + MSI_CTRL, 2, true, 0);
	if (dev->msix)
		cfg_rw(dev, dev->msix + MSI_CTRL, 2, true, MSIX_CTRL_FMASK);
	if (!dev->info->num_msix_vectors || !dev->info->msix_address)
		return;
	cmd = cfg_rw(dev, 0x04, 2, false, 0);
	if (!(cmd & 2))
		cfg_rw(dev, 0x04, 2, true, cmd | 2);
	for (i = 0; i < dev->info->num_msix_vectors; i++)
		msix_hw_write(dev, i, 3, MSIX_MASKED);
	if (!(cmd & 2))
		cfg_rw(dev, 0x04, 2, true, cmd);
}

/*
 * Fill the shadows: the root cell's from the device (it enumerated and may
 * use it already), a non-root cell's empty (disabled, all masked: the
 * device is quiesced), nothing of the root's messages shown.
 */
static void msi_shadow_load(struct cell *cell, struct pci_dev_state *dev)
{
	bool root = cell == root_cell;
	unsigned int i, w;

	/* A non-root cell's shadows start zeroed (core_page_alloc). */
	for (w = 0; root && dev->msi && w <= msi_data_off(dev) / 4; w++)
		dev->msi_shadow[w] = cfg_rw(dev, dev->msi + 4 * w, 4, false, 0);
	dev->msi_shadow[0] &= MSI_CTRL_SHADOW << 8 * MSI_CTRL;
	for (i = 0; dev->msix_table && i < dev->info->num_msix_vectors; i++)
		for (w = 0; w < 4; w++)
			dev->msix_table[i][w] =
				!root ? (w == 3) * MSIX_MASKED :
					phys_rw(dev->info->msix_address +
							16ULL * i + 4 * w,
						4, false, 0) &
						(w == 3 ? MSIX_MASKED : ~0U);
}

/* The MSI-X table's shadow, and its pages out of the stage-2 if mapped. */
static int msix_trap_init(struct cell *cell, struct pci_dev_state *dev)
{
	uint64_t n = dev->info->num_msix_vectors,
		 addr = dev->info->msix_address;
	const struct wd_memory *m;
	int err;

	if (!n || !addr)
		return 0;
	if (n > MSIX_MAX_VECTORS)
		return reject(cell, WD_R_cfg_too_many, n, WD_EINVAL);
	dev->msix_table = core_page_alloc(pages_for(n * 16));
	if (!dev->msix_table)
		return reject(cell, WD_R_no_memory, pages_for(n * 16),
			      WD_ENOMEM);
	m = mem_region_of(cell, addr, n * 16);
	if (!m)
		return 0; /* the cell cannot reach the table */
	dev->msix_phys = addr & WD_PAGE_MASK;
	dev->msix_size = ((addr + n * 16 + WD_PAGE_SIZE - 1) & WD_PAGE_MASK) -
			 dev->msix_phys;
	dev->msix_gpa = m->virt_start + (dev->msix_phys - m->phys_start);
	err = core_mmio_register(cell, dev->msix_gpa, dev->msix_size, msix_trap,
				 dev);
	if (err) /* the cell's set-up fails: no retrap of it */
		return reject(cell,
			      err == -WD_EBUSY ? WD_R_mmio_overlap :
						 WD_R_no_memory,
			      dev->msix_gpa, -err);
	hal_unmap(cell, gpa(dev->msix_gpa), dev->msix_size);
	return 0;
}

void pci_root_retrap(void)
{
	unsigned int i;

	for (i = 0; root_cell && i < root_cell->num_pci; i++)
		if (root_cell->pci[i].msix_size)
			hal_unmap(root_cell, gpa(root_cell->pci[i].msix_gpa),
				  root_cell->pci[i].msix_size);
}

/*
 * The one config-space access both mechanisms go through: the ECAM's trap
 * (MMCONFIG) and ports 0xcf8/0xcfc (pio.c), which give acc->address as
 * the ECAM address of the function and register.
 */
enum access_result pci_cfg_access(void *arg, struct cell *cell,
				  struct mmio_access *acc)
{
	uint64_t base = core_system_config()->platform_info.pci_mmconfig_base;
	uint64_t off = acc->address - base;
	uint16_t bdf = (uint16_t)(off >> 12);
	unsigned int reg = off & (PCI_CFG_SIZE - 1), i = (reg - PCI_BAR0) / 4;
	uint64_t item = (uint64_t)bdf << 16 | reg;
	const struct wd_pci_capability *cap;
	struct pci_dev_state *dev;
	uint32_t v, mask;

	(void)arg;
	core_stat_inc(WD_CPU_STAT_VMEXITS_PCI);
	if (acc->size > 4 || acc->address & (acc->size - 1))
		return cell_fail(cell, WD_R_pci_access_size, acc->address);
	dev = find_dev(cell, bdf);
	if (dev && dev->ivshmem)
		return ivshmem_cfg_access(dev->ivshmem, reg, acc);
	if (!dev || !dev->owner) {
		if (acc->is_write)
			return cell_fail(cell, WD_R_pci_foreign, bdf);
		/* Not this cell's function: it looks like an empty slot. */
		acc->value = 0xffffffffU >> (32 - 8 * acc->size);
		return ACCESS_EMULATED;
	}
	/* The cell's own function. */
	if (cell == root_cell)
		goto capability;
	/* BARs: shadows; address bits follow the config's mask, flag bits
	 * stay as read. */
	if (reg >= PCI_BAR0 && reg < PCI_BAR_END) {
		v = dword_access(dev->bar[i], reg, acc);
		if (acc->is_write)
			dev->bar[i] =
				(v & dev->info->bar_mask[i]) |
				(dev->bar[i] & ~dev->info->bar_mask[i] & 0xf);
		return ACCESS_EMULATED;
	}
	if (reg >= PCI_ROM && reg < PCI_ROM + 4) {
		if (!acc->is_write)
			acc->value = 0; /* no expansion ROM */
		return ACCESS_EMULATED;
	}
	if (!acc->is_write)
		goto capability;
	if (reg < PCI_HDR_SIZE) {
		if (~PCI_HDR_WRITABLE >> reg & ((1U << acc->size) - 1))
			return cell_fail(cell, WD_R_pci_header_write, item);
		goto forward;
	}
	/* The first listed capability holding @reg: writable, and all of
	 * the access in it. */
	cap = wd_cell_pci_caps(cell->config) + dev->info->caps_start;
	for (i = 0; i < dev->info->num_caps &&
		    (reg < cap[i].start || reg - cap[i].start >= cap[i].len);
	     i++)
		;
	if (i == dev->info->num_caps || !(cap[i].flags & WD_PCICAPS_WRITE) ||
	    reg + acc->size - cap[i].start > cap[i].len)
		return cell_fail(cell, WD_R_pci_cap_write, item);
capability:
	/*
	 * The MSI capability's shadowed bytes (control, address, data; an
	 * access is within one dword: the capability is dword-aligned, the
	 * access naturally aligned): reads see the shadow, and of dword 0
	 * the ID, next pointer and the control's other bits as the device
	 * has them (no extended message data); writes go to the shadow and
	 * then msi_update().
	 */
	if (dev->msi && ranges_overlap(reg, acc->size, dev->msi + MSI_CTRL,
				       msi_data_off(dev) + 4 - MSI_CTRL)) {
		i = (reg - dev->msi) / 4;
		mask = i ? ~0U : MSI_CTRL_SHADOW << 8 * MSI_CTRL;
		v = i ? 0 : cfg_rw(dev, dev->msi, 4, false, 0);
		v &= ~(mask | MSI_CTRL_EXT_DATA << 8 * MSI_CTRL);
		spin_lock(&msi_lock);
		dev->msi_shadow[i] =
			dword_access(v | dev->msi_shadow[i], reg, acc) & mask;
		if (acc->is_write)
			msi_update(cell, dev);
		spin_unlock(&msi_lock);
		return ACCESS_EMULATED;
	}
forward:
	hal_phys_access(hpa(acc->address), acc);
	return ACCESS_FORWARDED;
}

struct check_result pci_check_claim(const struct wd_cell_desc *cfg)
{
	const struct wd_pci_device *dev = wd_cell_pci_devices(cfg);
	struct pci_dev_state *r;
	unsigned int i;

	for (i = 0; i < cfg->num_pci_devices; i++)
		if (dev[i].type != WD_PCI_TYPE_IVSHMEM &&
		    (!(r = find_dev(root_cell, dev[i].bdf)) || !r->owner))
			return (struct check_result){ WD_R_pci_not_in_root,
						      dev[i].bdf, WD_EBUSY };
	return ivshmem_check_claim(cfg);
}

/*
 * @cell takes the real device @dev: from the root cell (quiesced first),
 * or at enable as the root. Undone by pci_cell_exit().
 */
static int device_take(struct cell *cell, struct pci_dev_state *dev)
{
	const struct wd_pci_capability *cap =
		wd_cell_pci_caps(cell->config) + dev->info->caps_start;
	uint16_t bdf = dev->info->bdf;
	struct pci_dev_state *r;
	unsigned int n;
	int err;

	/* Its MSI and MSI-X capabilities where the config lists them (PCI
	 * capabilities are dword-aligned: an MSI one elsewhere is not). */
	for (n = 0; n < dev->info->num_caps; n++)
		if (cap[n].id == CAP_MSI && !(cap[n].start & 3))
			dev->msi = cap[n].start;
		else if (cap[n].id == CAP_MSIX)
			dev->msix = cap[n].start;
	if (cell != root_cell) {
		/* A device of a cell DMAs through an IOMMU or not at all. */
		if (dev->info->iommu >= WD_MAX_IOMMU_UNITS ||
		    !core_system_config()
			     ->platform_info.iommu_units[dev->info->iommu]
			     .type)
			return reject(cell, WD_R_iommu_none, bdf, WD_ENODEV);
		msi_quiesce(dev); /* nothing of the root's left on */
		dev->taken = true;
		hal_device_release(root_cell, bdf);
	}
	err = hal_device_assign(cell, bdf);
	if (err)
		return reject(cell,
			      err == -WD_ENODEV ? WD_R_iommu_none :
						  WD_R_device_assign,
			      bdf, -err);
	dev->assigned = dev->owner = true;
	if (cell != root_cell && (r = find_dev(root_cell, bdf)))
		r->owner = false; /* listed there: pci_check_claim() */
	for (n = 0; n < 6; n++)
		dev->bar[n] = cfg_rw(dev, PCI_BAR0 + n * 4, 4, false, 0);
	err = msix_trap_init(cell, dev);
	msi_shadow_load(cell, dev);
	/* The root cell's messages now through hal_msi_route (remapped). */
	if (cell == root_cell)
		msi_apply(cell, dev);
	return err;
}

int pci_cell_init(struct cell *cell)
{
	const struct wd_pci_device *info = wd_cell_pci_devices(cell->config);
	uint64_t base = core_system_config()->platform_info.pci_mmconfig_base;
	unsigned int i, pages;
	int err;

	/* A new root cell (enable) starts from nothing: no stale owners. */
	if (cell == root_cell)
		ivshmem_forget_all();
	pages = pages_for(cell->config->num_pci_devices * sizeof(*cell->pci));
	cell->pci = core_page_alloc(pages); /* none: NULL */
	if (pages && !cell->pci)
		return reject(cell, WD_R_no_memory, pages, WD_ENOMEM);
	/* Only now: pci_cell_exit() walks num_pci entries of cell->pci. */
	cell->num_pci = cell->config->num_pci_devices;
	for (i = 0; i < cell->num_pci; i++)
		cell->pci[i].info = &info[i];
	for (i = 0; i < cell->num_pci; i++) {
		if (info[i].type == WD_PCI_TYPE_IVSHMEM)
			err = ivshmem_init(cell, &info[i],
					   &cell->pci[i].ivshmem);
		else
			err = device_take(cell, &cell->pci[i]);
		if (err)
			return err;
	}
	err = base ? core_mmio_register(cell, base, pci_ecam_size(),
					pci_cfg_access, NULL) :
		     0;
	if (err == -WD_EBUSY)
		return reject(cell, WD_R_mmio_overlap, base, WD_EBUSY);
	if (err)
		return reject(cell, WD_R_no_memory, 0, -err);
	return 0;
}

void pci_cell_exit(struct cell *cell)
{
	struct pci_dev_state *dev, *r;
	unsigned int i;

	for (i = 0; i < cell->num_pci; i++) {
		dev = &cell->pci[i];
		if (dev->ivshmem)
			ivshmem_exit(dev->ivshmem);
		if (dev->taken) {
			/* Back to the root cell, nothing of the cell's left on. */
			msi_quiesce(dev);
			if (dev->assigned)
				hal_device_release(cell, dev->info->bdf);
			dev->owner = false;
			/* Listed there (pci_check_claim()) and attached there
			 * before the create: cannot fail (hal/hal.h). */
			r = find_dev(root_cell, dev->info->bdf);
			r->owner = true;
			(void)hal_device_assign(root_cell, dev->info->bdf);
			spin_lock(&msi_lock);
			msi_shadow_load(root_cell, r);
			spin_unlock(&msi_lock);
		} else if (cell == root_cell && dev->assigned && dev->owner) {
			msi_apply(NULL, dev); /* its own messages, as before */
			hal_device_release(cell, dev->info->bdf);
		}
		core_page_free(dev->msix_table,
			       pages_for(16ULL * dev->info->num_msix_vectors));
	}
	core_page_free(cell->pci,
		       pages_for(cell->num_pci * sizeof(*cell->pci)));
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
