/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivshmem v2, the inter-cell device of Jailhouse's "IVSHMEM Device
 * Specification": a virtual PCI function in each cell of a link. Devices
 * with the same BDF in different cells are the peers of one link and share
 * the memory regions at shmem_regions_start: the state table (read-only to
 * the cells), the R/W section, then one output section per peer, at the
 * guest address the vendor capability reports (there is no BAR 2).
 *
 * BAR 0 holds the registers (ID, MAX_PEERS, INT_CTRL, DOORBELL, STATE).
 * Interrupts follow the cell's architecture: MSI-X with the table in BAR 1
 * on x86, INTx on ARM, which is SPI vpci_irq_base + pin - 1 of the cell.
 * Every interrupt goes to the first CPU of the receiving cell.
 *
 * One lock serializes all devices: doorbells and state changes walk the
 * device list while management adds and removes devices, and two CPUs of a
 * cell may program the same device at once.
 */
#include "core.h"

#define IVSHMEM_VENDOR 0x110a
#define IVSHMEM_DEVICE 0x4106
#define IVSHMEM_CLASS 0xffU /* base class "other"; the protocol below it */

#define PCI_COMMAND 0x04
#define CMD_MEM 0x0002
#define CMD_MASTER 0x0004
#define CMD_INTX_OFF 0x0400
#define PCI_STATUS_CAPS 0x0010
#define PCI_CLASS 0x08
#define PCI_BAR0 0x10
#define PCI_BAR1 0x14
#define PCI_SUBSYSTEM 0x2c
#define PCI_CAP_PTR 0x34
#define PCI_INTERRUPT 0x3c

#define CAP_VENDOR 0x09
#define CAP_MSIX 0x11
#define VNDR_CAP 0x40 /* vendor capability, VNDR_LEN bytes */
#define VNDR_LEN 0x20
#define VNDR_ONESHOT (0x01U << 24)  /* privileged control, VNDR_CAP + 3 */
#define MSIX_CAP 0x60		    /* x86 only */
#define MSIX_ENABLE (0x8000U << 16) /* message control, MSIX_CAP + 2 */
#define MSIX_FMASK (0x4000U << 16)
#define MSIX_PBA 0x800		     /* in BAR 1, after the table at 0 */
#define CSPACE_END (MSIX_CAP + 0x0c) /* config space beyond: all 0 */

#define BAR_SIZE 0x1000 /* both BARs: 32-bit memory, 4 KiB */

#define REG_ID 0x00
#define REG_MAX_PEERS 0x04
#define REG_INT_CTRL 0x08
#define REG_DOORBELL 0x0c
#define REG_STATE 0x10
#define INT_ENABLE 0x1

struct ivshmem_dev {
	struct ivshmem_dev *next; /* every device of every link */
	struct cell *cell;
	const struct wd_pci_device *info; /* in the cell's config copy */
	const struct wd_memory *shmem;	  /* state table, R/W, outputs */
	bool msix;			  /* MSI-X, else INTx */
	/* Config space up to CSPACE_END, as the cell reads it. */
	uint32_t cspace[CSPACE_END / 4];
	uint64_t mapped[2]; /* where each BAR's handler is, 0 = nowhere */
	uint32_t int_ctrl;
	uint32_t state;
	uint32_t msix_table[IVSHMEM_MAX_VECTORS][4];
};

_Static_assert(sizeof(struct ivshmem_dev) <= WD_PAGE_SIZE, "one page");

static struct ivshmem_dev *devices;
static uint32_t devices_lock;

static unsigned int intx_pin(const struct ivshmem_dev *d)
{
	/* Rotates with the slot, as in Jailhouse: INTA for slot 0. */
	return ((d->info->bdf >> 3) & 3) + 1;
}

static unsigned int num_vectors(const struct ivshmem_dev *d)
{
	return d->msix ? d->info->num_msix_vectors : 1;
}

/*
 * Interrupt @vector of @d, if its cell runs and enabled the reception. An
 * MSI-X message goes where it says if the arch's rule lets it (the reason
 * of a refused one was recorded when the cell unmasked it), INTx to the
 * cell's first CPU.
 */
static void trigger(struct ivshmem_dev *d, unsigned int vector)
{
	const uint32_t *e = d->msix_table[vector], *c = d->cspace;
	struct msi_route r;

	if (!(d->int_ctrl & INT_ENABLE) || !cell_is_running(d->cell) ||
	    !d->cell->cpus.bits)
		return;
	r.cpu = (unsigned int)__builtin_ctzll(d->cell->cpus.bits);
	r.irq = 32 + d->cell->config->vpci_irq_base + intx_pin(d) - 1;
	if (d->msix) {
		if (!(c[MSIX_CAP / 4] & MSIX_ENABLE) ||
		    c[MSIX_CAP / 4] & MSIX_FMASK || e[3] & 1 ||
		    !(c[PCI_COMMAND / 4] & CMD_MASTER) ||
		    hal_msi_route(d->cell, d->info->bdf, vector,
				  e[0] | (uint64_t)e[1] << 32, e[2], &r))
			return;
	} else if (c[PCI_COMMAND / 4] & CMD_INTX_OFF) {
		return;
	}
	if (c[VNDR_CAP / 4] & VNDR_ONESHOT)
		d->int_ctrl = 0;
	hal_inject_irq(r.cpu, r.irq);
}

/* STATE: into the state table; a change interrupts the peers (vector 0). */
static void write_state(struct ivshmem_dev *d, uint32_t value)
{
	struct ivshmem_dev *p;

	phys_rw(d->shmem[0].phys_start + 4ULL * d->info->shmem_dev_id, 4, true,
		value);
	if (d->state == value)
		return;
	d->state = value;
	for (p = devices; p; p = p->next)
		if (p != d && p->info->bdf == d->info->bdf) /* its link */
			trigger(p, 0);
}

/*
 * BAR 0, the registers (offsets without one read 0 and ignore writes:
 * spec), or BAR 1 (x86), the MSI-X table at 0 and the PBA (always 0) at
 * MSIX_PBA.
 */
static enum access_result bar_access(void *arg, struct cell *cell,
				     struct mmio_access *acc)
{
	struct ivshmem_dev *p, *d = arg;
	uint32_t v = (uint32_t)acc->value;
	struct msi_route r;
	const uint32_t *e;
	uint64_t off;

	if (acc->size != 4 || acc->address & 3)
		return cell_fail(cell, WD_R_ivshmem_access, acc->address);
	spin_lock(&devices_lock);
	/* BARs are page-aligned, not 0: BAR 1 never looks like BAR 0. */
	off = acc->address - d->mapped[0];
	if (off >= BAR_SIZE) {
		off = acc->address - d->mapped[1];
		if (off >= 16ULL * num_vectors(d)) {
			if (!acc->is_write)
				acc->value = 0;
		} else if (msix_shadow_access(d->msix_table, off, acc)) {
			e = d->msix_table[off / 16];
			/* An unmasked message the cell may not send: say so. */
			if (!(e[3] & 1))
				msi_check(cell, d->info->bdf,
					  (unsigned int)(off / 16),
					  e[0] | (uint64_t)e[1] << 32, e[2],
					  &r);
		}
	} else if (!acc->is_write) {
		acc->value = off == REG_ID	  ? d->info->shmem_dev_id :
			     off == REG_MAX_PEERS ? d->info->shmem_peers :
			     off == REG_INT_CTRL  ? d->int_ctrl :
			     off == REG_STATE	  ? d->state :
						    0;
	} else if (off == REG_INT_CTRL) {
		d->int_ctrl = v & INT_ENABLE;
	} else if (off == REG_DOORBELL) {
		/* Vector v & 0xffff of the peer (@d included) with id v >> 16
		 * on @d's link; all peers have as many vectors as @d. */
		for (p = devices; p && (v & 0xffff) < num_vectors(d);
		     p = p->next)
			if (p->info->bdf == d->info->bdf &&
			    p->info->shmem_dev_id == v >> 16)
				trigger(p, v & 0xffff);
	} else if (off == REG_STATE) {
		write_state(d, v);
	}
	spin_unlock(&devices_lock);
	return ACCESS_EMULATED;
}

/*
 * Register each BAR's handler where the guest put it, if memory decoding is
 * on and the BAR is set (0 counts as unassigned). Returns 0, or the address
 * that could not be registered (it overlaps another emulated range).
 */
static uint64_t map_bars(struct ivshmem_dev *d)
{
	uint64_t want[2];
	unsigned int n;

	for (n = 0; n < 2; n++) {
		want[n] = d->cspace[PCI_COMMAND / 4] & CMD_MEM ?
				  d->cspace[PCI_BAR0 / 4 + n] :
				  0;
		if (d->mapped[n] && d->mapped[n] != want[n]) {
			mmio_unregister(d->cell, d->mapped[n]);
			d->mapped[n] = 0;
		}
	}
	for (n = 0; n < 2; n++) {
		if (!want[n] || d->mapped[n] == want[n])
			continue;
		if (core_mmio_register(d->cell, want[n], BAR_SIZE, bar_access,
				       d))
			return want[n];
		d->mapped[n] = want[n];
	}
	return 0;
}

/* The bits of each dword a cell may write (BAR 1, MSI-X: with MSI-X). */
static const uint32_t cspace_writable[CSPACE_END / 4] = {
	[PCI_COMMAND / 4] = CMD_MEM | CMD_MASTER | CMD_INTX_OFF,
	[PCI_BAR0 / 4] = ~(BAR_SIZE - 1),
	[PCI_BAR1 / 4] = ~(BAR_SIZE - 1),
	[VNDR_CAP / 4] = VNDR_ONESHOT,
	[MSIX_CAP / 4] = MSIX_ENABLE | MSIX_FMASK,
};

/* Writes of bits that are not writable are ignored. */
enum access_result ivshmem_cfg_access(struct ivshmem_dev *d, unsigned int reg,
				      struct mmio_access *acc)
{
	unsigned int i = reg / 4;
	uint32_t *c = d->cspace, v, w;
	uint64_t clash = 0;

	if (i >= CSPACE_END / 4) {
		dword_access(0, reg, acc);
		return ACCESS_EMULATED;
	}
	w = d->msix || (i != PCI_BAR1 / 4 && i != MSIX_CAP / 4) ?
		    cspace_writable[i] :
		    0;
	spin_lock(&devices_lock);
	v = dword_access(c[i], reg, acc);
	if (acc->is_write) {
		c[i] = (c[i] & ~w) | (v & w);
		clash = map_bars(d); /* moves nothing unless COMMAND or a BAR */
	}
	spin_unlock(&devices_lock);
	if (clash)
		return cell_fail(d->cell, WD_R_mmio_overlap, clash);
	return ACCESS_EMULATED;
}

/* Same memory and shape as @cfg's device @c (regions at @m)? */
static bool same_shmem(const struct ivshmem_dev *p,
		       const struct wd_pci_device *c, const struct wd_memory *m)
{
	unsigned int k;

	if (p->info->shmem_peers != c->shmem_peers ||
	    p->info->num_msix_vectors != c->num_msix_vectors)
		return false;
	for (k = 0; k < 2u + c->shmem_peers; k++)
		if (p->shmem[k].phys_start != m[k].phys_start ||
		    p->shmem[k].size != m[k].size)
			return false;
	return true;
}

struct check_result ivshmem_check_claim(const struct wd_cell_desc *cfg)
{
	const struct wd_pci_device *c = wd_cell_pci_devices(cfg);
	const struct wd_memory *mem = wd_cell_mem_regions(cfg);
	struct check_result r = { WD_R_none, 0, 0 };
	struct ivshmem_dev *p;
	unsigned int i;

	spin_lock(&devices_lock);
	for (i = 0; i < cfg->num_pci_devices && !r.reason; i++)
		for (p = devices; p && !r.reason; p = p->next) {
			if (c[i].type != WD_PCI_TYPE_IVSHMEM ||
			    p->info->bdf != c[i].bdf)
				continue;
			if (p->info->shmem_dev_id == c[i].shmem_dev_id)
				r = (struct check_result){ WD_R_ivshmem_id_taken,
							   c[i].bdf, WD_EBUSY };
			else if (!same_shmem(p, &c[i],
					     mem + c[i].shmem_regions_start))
				r = (struct check_result){
					WD_R_ivshmem_mismatch, c[i].bdf,
					WD_EINVAL
				};
		}
	spin_unlock(&devices_lock);
	return r;
}

void ivshmem_forget_all(void)
{
	devices = NULL;
	devices_lock = 0;
}

void ivshmem_reset(struct ivshmem_dev *d)
{
	const struct wd_memory *m = d->shmem;
	const uint64_t vndr[3] = { m[1].size, m[2].size, m[0].virt_start };
	uint32_t *c = d->cspace;
	unsigned int n;

	spin_lock(&devices_lock);
	/*
	 * The config space of a device out of reset: ID, class (the protocol
	 * below it), the vendor capability (the state table's size, the R/W and
	 * output sections' sizes, the state table's address), then MSI-X (table
	 * and PBA in BAR 1) or the INTx pin.
	 */
	wd_memset(c, 0, sizeof(d->cspace));
	c[0] = IVSHMEM_DEVICE << 16 | IVSHMEM_VENDOR;
	c[PCI_SUBSYSTEM / 4] = c[0];
	c[PCI_COMMAND / 4] = PCI_STATUS_CAPS << 16;
	c[PCI_CLASS / 4] = IVSHMEM_CLASS << 24 |
			   (uint32_t)d->info->shmem_protocol << 8;
	c[PCI_CAP_PTR / 4] = VNDR_CAP;
	c[VNDR_CAP / 4] = VNDR_LEN << 16 | CAP_VENDOR;
	c[VNDR_CAP / 4 + 1] = (uint32_t)m[0].size;
	wd_memcpy(&c[VNDR_CAP / 4 + 2], vndr, sizeof(vndr)); /* LE */
	if (!d->msix) {
		c[PCI_INTERRUPT / 4] = intx_pin(d) << 8;
	} else {
		c[VNDR_CAP / 4] |= MSIX_CAP << 8;
		c[MSIX_CAP / 4] = (num_vectors(d) - 1) << 16 | CAP_MSIX;
		c[MSIX_CAP / 4 + 1] = 1; /* table: BAR 1, offset 0 */
		c[MSIX_CAP / 4 + 2] = MSIX_PBA | 1;
	}
	map_bars(d); /* unregisters both */
	d->int_ctrl = 0;
	wd_memset(d->msix_table, 0, sizeof(d->msix_table));
	for (n = 0; n < IVSHMEM_MAX_VECTORS; n++)
		d->msix_table[n][3] = 1; /* masked */
	write_state(d, 0);
	spin_unlock(&devices_lock);
}

int ivshmem_init(struct cell *cell, const struct wd_pci_device *info,
		 struct ivshmem_dev **out)
{
	struct ivshmem_dev *p, *d = core_page_alloc(1);
	unsigned int id;

	if (!d)
		return reject(cell, WD_R_no_memory, 1, WD_ENOMEM);
	d->cell = cell;
	d->info = info;
	d->shmem =
		wd_cell_mem_regions(cell->config) + info->shmem_regions_start;
	/* Validated per the architecture's model: vectors mean MSI-X. */
	d->msix = info->num_msix_vectors != 0;
	spin_lock(&devices_lock);
	/* The first peer of a link starts the state table from zero. */
	for (p = devices; p && p->info->bdf != info->bdf; p = p->next)
		;
	for (id = 0; !p && id < info->shmem_peers; id++)
		phys_rw(d->shmem[0].phys_start + 4ULL * id, 4, true, 0);
	d->next = devices;
	devices = d;
	spin_unlock(&devices_lock);
	ivshmem_reset(d);
	core_printk("warden: ivshmem %02x:%02x.%x of \"%s\": peer %u of %u\n",
		    info->bdf >> 8, (info->bdf >> 3) & 0x1f, info->bdf & 7,
		    cell_name(cell), info->shmem_dev_id, info->shmem_peers);
	*out = d;
	return 0;
}

void ivshmem_exit(struct ivshmem_dev *d)
{
	struct ivshmem_dev **pp;

	ivshmem_reset(d); /* BARs unregistered, state 0 (peers told) */
	spin_lock(&devices_lock);
	for (pp = &devices; *pp != d; pp = &(*pp)->next)
		; /* ivshmem_init() put it in the list */
	*pp = d->next;
	spin_unlock(&devices_lock);
	core_page_free(d, 1);
}
