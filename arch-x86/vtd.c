// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VT-d unit driver (iommu.h), after the Intel Virtualization
 * Technology for Directed I/O specification (rev. 4): legacy-mode root and
 * context tables with second-level (DMA) page tables, the invalidation
 * queue, interrupt remapping in xAPIC mode and primary fault recording.
 *
 * Per unit: a root table (256 entries, one per bus) pointing to a context
 * table per bus, allocated when a device on that bus is first attached; a
 * device's context entry is present only while it is attached (present,
 * TT 0 = second-level translation of untranslated requests, AW 2 = 4-level
 * tables, DID = the domain), so a device no cell has faults on every
 * request. The interrupt-remapping table has 1,024 entries in blocks of
 * 32: each block belongs to one device (source-id) and covers 32 of its
 * vectors, so that the entries of one MSI capability are consecutive; the
 * IOAPIC's pins (ioapic.c's hook x86_ioapic_remap, which the driver sets)
 * have entries too. IOAPIC writes come on any CPU: a lock per unit over
 * the remapping table and the invalidation queue.
 */
#include "iommu.h"
#include "ioapic.h"

/* Registers (spec 10.4). */
#define CAP 0x08
#define ECAP 0x10
#define GCMD 0x18
#define GSTS 0x1c
#define RTADDR 0x20
#define FSTS 0x34
#define FECTL 0x38
#define FEDATA 0x3c
#define FEADDR 0x40
#define FEUADDR 0x44
#define IQT 0x88
#define IQA 0x90
#define IRTA 0xb8

#define GCMD_TE (1U << 31)
#define GCMD_SRTP (1U << 30)
#define GCMD_QIE (1U << 26)
#define GCMD_IRE (1U << 25)
#define GCMD_SIRTP (1U << 24)
#define GCMD_CFI (1U << 23)
#define GCMD_KEEP (GCMD_TE | GCMD_QIE | GCMD_IRE | GCMD_CFI) /* not one-shot */

#define CAP_SAGAW_4LEVEL (1ULL << 10) /* SAGAW bit 2: 48-bit, 4 levels */
#define ECAP_QI (1ULL << 1)
#define ECAP_IR (1ULL << 3)

/* Invalidation descriptors (spec 6.5.2), 128 bits, the queue one page. */
#define INV_CONTEXT_GLOBAL (1 | 1 << 4)
#define INV_IOTLB_GLOBAL (2 | 1 << 4 | 1 << 6 | 1 << 7) /* drain R/W */
#define INV_IEC_GLOBAL 4
#define INV_WAIT_SW (5 | 1 << 5) /* status write */
#define QUEUE_ENTRIES 256

#define IRT_ENTRIES 1024 /* IRTA size field 9: 2^(9+1) */
#define IRT_BLOCK 32
#define IRT_BLOCKS (IRT_ENTRIES / IRT_BLOCK)
#define IRTE_PRESENT 1ULL
#define IRTE_SVT_SID (1ULL << 18) /* verify the full source-id */

#define FRCD_F (1U << 31) /* in the record's upper dword */

/* Remappable MSI address (spec 5.1.5.2): format bit 4, SHV bit 3, the
 * handle in 19:5 and bit 2. */
#define MSI_REMAP (0xfee00000U | 1U << 4 | 1U << 3)

/*
 * The DMA page tables (spec 9.8, second-level entries): read = bit 0,
 * write = bit 1, a leaf of a PDPT/PD entry = bit 7 (PS); an entry is present
 * if R or W is set; no memory type (snoop and EMT unused). The table
 * pointer of a context entry is the PML4's address.
 */
const struct x86_pt_format x86_pt_vtd = {
	.present = 3,
	.table = 3,
	.read = 1ULL << 0,
	.write = 1ULL << 1,
	.large = 1ULL << 7,
};

static struct vtd_unit {
	volatile uint8_t *regs;
	uint64_t *root;	 /* root table: 256 x 128 bits */
	uint64_t *queue; /* invalidation queue */
	uint64_t *irt;	 /* interrupt-remapping table */
	unsigned int tail, faults, nfr;
	uint32_t gsts;		    /* GSTS at init: restored at shutdown */
	uint32_t block[IRT_BLOCKS]; /* owner: (bdf << 16 | index / 32) + 1 */
	volatile uint32_t done;	    /* the wait descriptor's status */
	int lock; /* IRT and queue: IOAPIC writes come on any CPU */
} units[WD_MAX_IOMMU_UNITS];

/* MMIO register @off of the unit, 32 or 64 bits wide. */
static volatile uint32_t *reg32(struct vtd_unit *u, unsigned int off)
{
	return (volatile uint32_t *)(u->regs + off);
}

static volatile uint64_t *reg64(struct vtd_unit *u, unsigned int off)
{
	return (volatile uint64_t *)(u->regs + off);
}

/* Set or clear command @bit, keeping the others, until the status shows it
 * (spec 10.4.4: one command at a time). */
static void command(struct vtd_unit *u, uint32_t bit, bool on)
{
	*reg32(u, GCMD) = (*reg32(u, GSTS) & GCMD_KEEP & ~bit) | (on ? bit : 0);
	while (!(*reg32(u, GSTS) & bit) != !on)
		;
}

static void queue(struct vtd_unit *u, uint64_t lo, uint64_t hi)
{
	u->queue[2 * u->tail] = lo;
	u->queue[2 * u->tail + 1] = hi;
	u->tail = (u->tail + 1) % QUEUE_ENTRIES;
}

/* The invalidations, then a wait descriptor: return when the unit has
 * processed all of it (it writes the wait's status). */
void iommu_unit_flush(unsigned int n)
{
	struct vtd_unit *u = &units[n];

	iommu_lock(&u->lock);
	u->done = 0;
	queue(u, INV_CONTEXT_GLOBAL, 0);
	queue(u, INV_IOTLB_GLOBAL, 0);
	queue(u, INV_IEC_GLOBAL, 0);
	queue(u, INV_WAIT_SW | 1ULL << 32, iommu_phys(&u->done));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*reg64(u, IQT) = (uint64_t)u->tail << 4;
	while (!__atomic_load_n(&u->done, __ATOMIC_ACQUIRE))
		;
	iommu_unlock(&u->lock);
}

int iommu_attach(unsigned int n, uint16_t bdf, unsigned int domain,
		 const struct x86_pt *pt)
{
	struct vtd_unit *u = &units[n];
	uint64_t *ctx, *re = &u->root[2 * (bdf >> 8)];

	if (!(*re & 1) && (ctx = core_page_alloc(1))) /* the bus's first */
		*re = iommu_phys(ctx) | 1;
	if (!(*re & 1))
		return -WD_ENOMEM;
	ctx = (uint64_t *)(uintptr_t)(*re & ~0xfffULL) + 2 * (bdf & 0xff);
	__atomic_store_n(&ctx[0], 0, __ATOMIC_RELEASE);
	ctx[1] = 2 | (uint64_t)domain << 8; /* AW 2: 48 bits, 4 levels */
	__atomic_store_n(&ctx[0], x86_pt_pointer(pt) | 1, __ATOMIC_RELEASE);
	return 0;
}

void iommu_detach(unsigned int n, uint16_t bdf)
{
	struct vtd_unit *u = &units[n];
	uint64_t re = u->root[2 * (bdf >> 8)];
	unsigned int b, i;

	if (re & 1)
		__atomic_store_n((uint64_t *)(uintptr_t)(re & ~0xfffULL) +
					 2 * (bdf & 0xff),
				 0, __ATOMIC_RELEASE);
	iommu_lock(&u->lock);
	for (b = 0; b < IRT_BLOCKS; b++) {
		if (!u->block[b] || (u->block[b] - 1) >> 16 != bdf)
			continue;
		for (i = b * IRT_BLOCK; i < (b + 1) * IRT_BLOCK; i++)
			__atomic_store_n(&u->irt[2 * i], 0, __ATOMIC_RELEASE);
		u->block[b] = 0;
	}
	iommu_unlock(&u->lock);
}

/*
 * Program the remapping entry of vector @index of source @sid: fixed,
 * physical, @vector, edge or (bit 15 of @vector, as in MSI data) level,
 * to APIC ID @apic (spec 9.10). Its handle, or -1: no block left.
 */
static int irte(struct vtd_unit *u, uint16_t sid, unsigned int index,
		unsigned int apic, unsigned int vector)
{
	uint32_t tag = ((uint32_t)sid << 16 | index / IRT_BLOCK) + 1;
	unsigned int b, free = IRT_BLOCKS, handle;

	iommu_lock(&u->lock);
	for (b = 0; b < IRT_BLOCKS && u->block[b] != tag; b++)
		if (!u->block[b] && free == IRT_BLOCKS)
			free = b;
	if (b == IRT_BLOCKS && free < IRT_BLOCKS)
		u->block[b = free] = tag;
	handle = b * IRT_BLOCK + index % IRT_BLOCK;
	if (b < IRT_BLOCKS) {
		u->irt[2 * handle + 1] = IRTE_SVT_SID | sid;
		__atomic_store_n(&u->irt[2 * handle],
				 IRTE_PRESENT | (vector & 0xff) << 16 |
					 (vector >> 15 & 1) << 4 |
					 (uint64_t)(apic & 0xff) << 40,
				 __ATOMIC_RELEASE);
	}
	iommu_unlock(&u->lock);
	return b < IRT_BLOCKS ? (int)handle : -1;
}

int iommu_remap(unsigned int n, uint16_t bdf, unsigned int index,
		unsigned int apic, unsigned int vector, uint64_t *address,
		uint32_t *data)
{
	int handle = irte(&units[n], bdf, index, apic, vector);

	if (handle < 0)
		return -WD_ENOMEM;
	/* The message's index: the handle plus the data (subhandle, SHV):
	 * a multiple-vector MSI adds its vector number to data 0. Handles
	 * are below 1,024: the handle's bit 15 (address bit 2) is 0. */
	*address = MSI_REMAP | (uint64_t)handle << 5;
	*data = 0;
	return 0;
}

/*
 * The IOAPIC's pins (ioapic.h, x86_ioapic_remap): the irqchip id is
 * Jailhouse's, the unit's index << 16 | the chip's source-id. An unmasked
 * pin gets its remapping entry (index = the pin) and the remappable
 * entry (spec 5.1.5.1): the handle in 63:49 (its bit 15, entry bit 11,
 * is 0: handles are below 1,024), format bit 48, the vector (the EOI's
 * match), trigger, polarity; delivery mode bits 0. A masked entry, or one
 * without a remapping entry left, is masked.
 */
static uint64_t vtd_ioapic(uint32_t id, unsigned int pin, uint64_t entry)
{
	struct vtd_unit *u = &units[id >> 16 & 7];
	uint64_t keep = 0xffULL | 1 << 13 | 1 << 15 | IOAPIC_MASKED;
	int handle = -1;

	if (!u->irt) /* not a VT-d unit of ours: as the cell wrote it */
		return entry;
	if (!(entry & IOAPIC_MASKED))
		handle = irte(u, (uint16_t)id, pin, (unsigned int)(entry >> 56),
			      (unsigned int)(entry & 0x80ff));
	if (handle < 0)
		return IOAPIC_MASKED | 1ULL << 48;
	iommu_unit_flush((unsigned int)(u - units));
	return (entry & keep) | 1ULL << 48 | (uint64_t)handle << 49;
}

int iommu_unit_init(unsigned int n, const struct wd_iommu *w,
		    unsigned int nmi_apic)
{
	struct vtd_unit *u = &units[n];
	uint64_t cap, ecap;

	*u = (struct vtd_unit){ .regs = (volatile uint8_t *)(uintptr_t)w->base };
	if (*reg32(u, 0) == 0xffffffffU || !*reg32(u, 0)) {
		core_printk("warden: IOMMU %u: no unit at 0x%llx\n", n,
			    (unsigned long long)w->base);
		return -WD_ENODEV;
	}
	cap = *reg64(u, CAP);
	ecap = *reg64(u, ECAP);
	if (!(cap & CAP_SAGAW_4LEVEL) || !(ecap & ECAP_QI) ||
	    !(ecap & ECAP_IR)) {
		core_printk("warden: IOMMU %u: VT-d unit lacks 4-level tables, "
			    "queued invalidation or interrupt remapping "
			    "(CAP 0x%llx, ECAP 0x%llx)\n",
			    n, (unsigned long long)cap,
			    (unsigned long long)ecap);
		return -WD_ENODEV;
	}
	u->gsts = *reg32(u, GSTS);
	if (u->gsts & (GCMD_TE | GCMD_IRE | GCMD_QIE)) {
		core_printk("warden: IOMMU %u: VT-d unit already in use "
			    "(GSTS 0x%x)\n",
			    n, u->gsts);
		return -WD_ENODEV;
	}
	u->nfr = (unsigned int)(cap >> 40 & 0xff) + 1;
	u->faults = (unsigned int)(cap >> 24 & 0x3ff) * 16;
	u->root = core_page_alloc(1);
	u->queue = core_page_alloc(1);
	u->irt = core_page_alloc(IRT_ENTRIES * 16 / 4096);
	if (!u->root || !u->queue || !u->irt)
		return -WD_ENOMEM;

	*reg64(u, RTADDR) = iommu_phys(u->root); /* legacy mode (TTM 0) */
	command(u, GCMD_SRTP, true);
	*reg64(u, IQT) = 0;
	/* 128-bit descriptors, one page */
	*reg64(u, IQA) = iommu_phys(u->queue);
	command(u, GCMD_QIE, true);
	*reg64(u, IRTA) = iommu_phys(u->irt) | 9; /* xAPIC mode (EIME 0) */
	command(u, GCMD_SIRTP, true);
	iommu_unit_flush(n);
	/* Faults: an NMI (delivery mode 4) to @nmi_apic, unmasked. */
	*reg32(u, FEDATA) = 4 << 8;
	*reg32(u, FEADDR) = 0xfee00000U | nmi_apic << 12;
	*reg32(u, FEUADDR) = 0;
	*reg32(u, FECTL) = 0;
	command(u, GCMD_TE, true);
	command(u, GCMD_IRE, true);
	command(u, GCMD_CFI, false); /* compatibility format blocked */
	x86_ioapic_remap = vtd_ioapic;
	return 0;
}

void iommu_unit_poll(unsigned int n)
{
	struct vtd_unit *u = &units[n];
	unsigned int i, reg, why;
	uint64_t hi, lo;
	bool irq;

	/* Before every VM entry: one read when nothing is pending (no
	 * primary fault pending, bit 1; no overflow, bit 0). */
	if (!(*reg32(u, FSTS) & 3))
		return;
	for (i = 0; i < u->nfr; i++) {
		reg = u->faults + 16 * i;
		hi = *reg64(u, reg + 8);
		if (!(hi >> 32 & FRCD_F))
			continue;
		lo = *reg64(u, reg);
		why = hi >> 32 & 0xff;
		/* Interrupt-remapping faults (0x20..0x26) record the index in
		 * the fault info's 63:48. A fault the core cannot take now
		 * stays recorded for the next poll. */
		irq = why >= 0x20 && why <= 0x26;
		if (!core_dma_fault((uint16_t)hi,
				    irq ? WD_R_dma_irq_fault : WD_R_dma_fault,
				    irq ? lo >> 48 : lo & ~0xfffULL))
			return;
		*reg32(u, reg + 12) = FRCD_F;
	}
	/* Write-1-to-clear; re-arms the NMI. */
	*reg32(u, FSTS) = *reg32(u, FSTS);
}

void iommu_unit_shutdown(unsigned int n)
{
	struct vtd_unit *u = &units[n];

	x86_ioapic_unremap(); /* the root's own entries, as for its MSIs */
	command(u, GCMD_IRE, false);
	command(u, GCMD_TE, false);
	command(u, GCMD_QIE, false);
	*reg32(u, FECTL) = 1U << 31;
	if (u->gsts & GCMD_CFI)
		command(u, GCMD_CFI, true);
}

const uint32_t x86_iommu_type = WD_IOMMU_INTEL;
const struct x86_pt_format *const x86_iommu_pt = &x86_pt_vtd;
