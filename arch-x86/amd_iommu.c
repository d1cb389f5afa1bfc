// SPDX-License-Identifier: GPL-2.0
/*
 * AMD-Vi unit driver (iommu.h), after the AMD I/O Virtualization Technology
 * (IOMMU) Specification (#48882): a device table, host-translation DMA
 * tables (x86_pt_amdvi, paging.c), the command buffer, the event log and
 * interrupt remapping with a table per device.
 *
 * Device table: one 256-bit entry (DTE) per device id (bus << 8 | devfn) of
 * every bus the ECAM covers (platform_info.pci_mmconfig_end_bus: 8 KiB a
 * bus, 2 MiB for all 256). Every DTE is valid with translation on: blocked,
 * Mode 4 without IR/IW (every request faults) and interrupts aborted
 * (IV = 1, IntCtl 0), until iommu_attach() gives it a domain's tables, IR,
 * IW and IntCtl "remapped" with its interrupt table; iommu_detach() blocks
 * it again (dte_set()).
 * The IOAPICs of the root cell's irqchips (their id: the IOAPIC's device
 * id, | unit << 16, as in Jailhouse) keep IV = 0: their messages, which
 * only the hypervisor's IOAPIC emulation programs, pass unremapped.
 *
 * Interrupt table: 1,024 32-bit entries (one page, IntTabLen 10) per
 * device, allocated at its first attach and kept (cleared) after; the
 * entry of MSI/MSI-X vector i is index i, so a device's message data is
 * its vector's index and the entries of one MSI capability are
 * consecutive. An entry: RemapEn, IntType fixed, DM physical, the
 * destination APIC ID and the vector.
 *
 * Commands queue at each change (INVALIDATE_DEVTAB_ENTRY,
 * INVALIDATE_INTERRUPT_TABLE); iommu_unit_flush() adds
 * INVALIDATE_IOMMU_PAGES of all pages of every domain and a COMPLETION_WAIT
 * whose store it polls. Events (IO_PAGE_FAULT, illegal DTE, ...) raise the
 * unit's MSI as an NMI; iommu_unit_poll() hands each to core_dma_fault():
 * an interrupt request's fault (address in 0xfee00000..0xfeefffff) as
 * dma_irq_fault.
 */
#include "iommu.h"
#include "x86.h"

/* MMIO registers (spec: "MMIO Registers"). */
#define DEV_TAB 0x00
#define CMD_BUF 0x08
#define EVT_LOG 0x10
#define CONTROL 0x18
#define CMD_HEAD 0x2000
#define CMD_TAIL 0x2008
#define EVT_HEAD 0x2010
#define EVT_TAIL 0x2018
#define STATUS 0x2020

/* Control: the IOMMU, the event log and its interrupt, the command buffer. */
#define CTL_ON (1ULL << 0 | 1ULL << 2 | 1ULL << 3 | 1ULL << 12)
#define CTL_EVT_LOG (1ULL << 2)
#define ST_EVT (1ULL << 0 | 1ULL << 1) /* overflow, interrupt: W1C */
#define RING_LEN (8ULL << 56) /* ComLen, EventLen: 256 entries, 4 KiB */
#define RING 4096
#define RING_PTR 0x7fff0ULL /* head/tail bits 18:4 */

/* Device table entry (spec: "Device Table Entry Format"). */
#define DTE_BLOCKED (1ULL << 0 | 1ULL << 1 | 4ULL << 9) /* V, TV, Mode 4 */
#define DTE_IR_IW (3ULL << 61)
#define DTE_IV 1ULL
#define DTE_REMAP (DTE_IV | 10ULL << 1 | 2ULL << 60) /* IntTabLen, IntCtl */
#define DTE_IRT 0x000fffffffffffc0ULL
#define IRT_ENTRIES 1024

/* Commands: the opcode in bits 63:60 of the first quadword. */
#define CMD_WAIT (1ULL << 60 | 1) /* COMPLETION_WAIT, store */
#define CMD_INV_DTE (2ULL << 60)
#define CMD_INV_PAGES (3ULL << 60)
#define CMD_INV_IRT (5ULL << 60)
#define ALL_PAGES 0x7ffffffffffff003ULL /* S = 1, PDE = 1: every address */

static struct amdvi_unit {
	volatile uint8_t *regs;
	volatile uint8_t *msi; /* the unit's MSI capability (ECAM) */
	uint64_t *dtes, *cmds, *events;
	unsigned int devs, tail, pending;
	bool behind;	  /* events left in the log by the last poll */
	uint16_t msi_ctl; /* as found: restored at shutdown */
	int lock;	  /* the ring: remapping comes on the cells' CPUs too */
	volatile uint64_t done; /* the COMPLETION_WAIT store */
} units[WD_MAX_IOMMU_UNITS];

/* MMIO register @reg of the unit (every one is 64 bits wide). */
static volatile uint64_t *reg(struct amdvi_unit *u, unsigned int off)
{
	return (volatile uint64_t *)(u->regs + off);
}

/* Device @bdf's interrupt table, NULL before its first attach. */
static uint32_t *irt(struct amdvi_unit *u, uint16_t bdf)
{
	return (uint32_t *)(uintptr_t)(u->dtes[4 * bdf + 2] & DTE_IRT);
}

static void submit(struct amdvi_unit *u);

/* Queue a command; a ring full but for a COMPLETION_WAIT is run first. */
static void cmd(struct amdvi_unit *u, uint64_t lo, uint64_t hi)
{
	if (u->pending == RING / 16 - 2)
		submit(u);
	u->cmds[2 * u->tail] = lo;
	u->cmds[2 * u->tail + 1] = hi;
	u->tail = (u->tail + 1) % (RING / 16);
	u->pending++;
}

/* Run what is queued and a COMPLETION_WAIT; return when all is done. */
static void submit(struct amdvi_unit *u)
{
	u->done = 0;
	u->pending = 0; /* the wait fits: cmd() ran a ring full but for it */
	cmd(u, CMD_WAIT | iommu_phys(&u->done), 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*reg(u, CMD_TAIL) = u->tail * 16ULL;
	while (!__atomic_load_n(&u->done, __ATOMIC_ACQUIRE))
		;
	u->pending = 0;
}

/* Invalidate device @bdf's DTE and interrupt table in the unit's caches;
 * with @wait, return when that is done. */
static void invalidate(struct amdvi_unit *u, uint16_t bdf, bool wait)
{
	iommu_lock(&u->lock);
	cmd(u, CMD_INV_DTE | bdf, 0);
	cmd(u, CMD_INV_IRT | bdf, 0);
	if (wait)
		submit(u);
	iommu_unlock(&u->lock);
}

void iommu_unit_flush(unsigned int n)
{
	struct amdvi_unit *u = &units[n];
	unsigned int d;

	iommu_lock(&u->lock);
	for (d = 0; d <= WD_MAX_CELLS; d++)
		cmd(u, CMD_INV_PAGES | (uint64_t)d << 32, ALL_PAGES);
	submit(u);
	iommu_unlock(&u->lock);
}

/* The unit's PCI function: present, with the config's capabilities, and
 * the hypervisor's (no cell lists it; a cell's devices are the root's). */
static bool function_ok(unsigned int n, const struct wd_iommu *w,
			volatile uint8_t *cfg)
{
	const struct wd_cell_desc *root = &core_system_config()->root_cell;
	const struct wd_pci_device *d = wd_cell_pci_devices(root);
	unsigned int i;

	if (*(volatile uint16_t *)cfg != 0x1022 ||
	    cfg[w->amd.base_cap] != 0x0f || cfg[w->amd.msi_cap] != 0x05) {
		core_printk("warden: IOMMU %u: no AMD-Vi function with "
			    "capabilities 0x%x and MSI 0x%x at BDF 0x%x\n",
			    n, w->amd.base_cap, w->amd.msi_cap, w->amd.bdf);
		return false;
	}
	for (i = 0; i < root->num_pci_devices; i++)
		if (d[i].bdf == w->amd.bdf) {
			core_printk("warden: IOMMU %u: its PCI function 0x%x "
				    "is the hypervisor's, not the root "
				    "cell's\n",
				    n, w->amd.bdf);
			return false;
		}
	return true;
}

int iommu_unit_init(unsigned int n, const struct wd_iommu *w,
		    unsigned int nmi_apic)
{
	const struct wd_system *sys = core_system_config();
	const struct wd_irqchip *chip = wd_cell_irqchips(&sys->root_cell);
	struct amdvi_unit *u = &units[n];
	volatile uint8_t *cfg;
	unsigned int i, pages;

	*u = (struct amdvi_unit){
		.regs = (volatile uint8_t *)(uintptr_t)w->base
	};
	if (*reg(u, DEV_TAB) == ~0ULL) {
		core_printk("warden: IOMMU %u: no unit at 0x%llx\n", n,
			    (unsigned long long)w->base);
		return -WD_ENODEV;
	}
	if (*reg(u, CONTROL) & 1) {
		core_printk("warden: IOMMU %u: AMD-Vi unit already on "
			    "(control 0x%llx)\n",
			    n, (unsigned long long)*reg(u, CONTROL));
		return -WD_ENODEV;
	}
	cfg = (volatile uint8_t *)(uintptr_t)(sys->platform_info
						      .pci_mmconfig_base +
					      ((uint64_t)w->amd.bdf << 12));
	if (w->amd.bdf >> 8 > sys->platform_info.pci_mmconfig_end_bus ||
	    !function_ok(n, w, cfg))
		return -WD_ENODEV;
	u->msi = cfg + w->amd.msi_cap;
	u->msi_ctl = *(volatile uint16_t *)(u->msi + 2);
	u->devs = (sys->platform_info.pci_mmconfig_end_bus + 1U) * 256;
	pages = u->devs * 32 / 4096;
	u->dtes = core_page_alloc(pages);
	u->cmds = core_page_alloc(1);
	u->events = core_page_alloc(1);
	if (!u->dtes || !u->cmds || !u->events)
		return -WD_ENOMEM;
	for (i = 0; i < u->devs; i++) {
		u->dtes[4 * i] = DTE_BLOCKED;
		u->dtes[4 * i + 2] = DTE_IV;
	}
	for (i = 0; i < sys->root_cell.num_irqchips; i++)
		if ((chip[i].id >> 16 & 7) == n &&
		    (chip[i].id & 0xffff) < u->devs)
			u->dtes[4 * (chip[i].id & 0xffff) + 2] = 0;

	*reg(u, DEV_TAB) = iommu_phys(u->dtes) | (pages - 1);
	*reg(u, CMD_BUF) = iommu_phys(u->cmds) | RING_LEN;
	*reg(u, EVT_LOG) = iommu_phys(u->events) | RING_LEN;
	for (i = CMD_HEAD; i <= EVT_TAIL; i += 8) /* the rings' heads, tails */
		*reg(u, i) = 0;
	/* Events: an NMI (delivery mode 4) to @nmi_apic, physical. */
	*(volatile uint32_t *)(u->msi + 4) = 0xfee00000U | nmi_apic << 12;
	if (u->msi_ctl & 0x80) /* 64-bit: upper address, data at 0xc */
		*(volatile uint32_t *)(u->msi + 8) = 0;
	*(volatile uint16_t *)(u->msi + (u->msi_ctl & 0x80 ? 0xc : 8)) = 4 << 8;
	*(volatile uint16_t *)(u->msi + 2) = (u->msi_ctl & ~0x70) | 1;
	*reg(u, CONTROL) = CTL_ON;
	/* Whatever the unit cached before: every device's entries. */
	for (i = 0; i < u->devs; i++)
		invalidate(u, (uint16_t)i, false);
	iommu_unit_flush(n);
	return 0;
}

/* Device @bdf's DTE: in @domain with the tables @pt and interrupts through
 * its table @t, or blocked (@pt NULL: interrupts aborted); @t cleared. */
static void dte_set(struct amdvi_unit *u, uint16_t bdf, unsigned int domain,
		    const struct x86_pt *pt, uint32_t *t)
{
	uint64_t *e = &u->dtes[4 * bdf];

	__atomic_store_n(&e[0], DTE_BLOCKED, __ATOMIC_RELEASE);
	if (t)
		memset(t, 0, IRT_ENTRIES * 4);
	e[1] = domain;
	__atomic_store_n(&e[2], iommu_phys(t) | (pt ? DTE_REMAP : DTE_IV),
			 __ATOMIC_RELEASE);
	if (pt)
		__atomic_store_n(&e[0],
				 x86_pt_pointer(pt) | DTE_BLOCKED | DTE_IR_IW,
				 __ATOMIC_RELEASE);
	invalidate(u, bdf, false);
}

int iommu_attach(unsigned int n, uint16_t bdf, unsigned int domain,
		 const struct x86_pt *pt)
{
	struct amdvi_unit *u = &units[n];
	/* Beyond the ECAM: no device the core knows. A table at the first
	 * attach, kept after. */
	uint32_t *t = bdf < u->devs ? irt(u, bdf) : NULL;

	if (!t && bdf < u->devs)
		t = core_page_alloc(1);
	if (!t)
		return -WD_ENOMEM;
	dte_set(u, bdf, domain, pt, t);
	return 0;
}

void iommu_detach(unsigned int n, uint16_t bdf)
{
	struct amdvi_unit *u = &units[n];

	if (bdf < u->devs)
		dte_set(u, bdf, 0, NULL, irt(u, bdf));
}

int iommu_remap(unsigned int n, uint16_t bdf, unsigned int index,
		unsigned int apic, unsigned int vector, uint64_t *address,
		uint32_t *data)
{
	struct amdvi_unit *u = &units[n];
	uint32_t *t = bdf < u->devs ? irt(u, bdf) : NULL;

	if (!t || index >= IRT_ENTRIES)
		return -WD_ENOMEM;
	/* RemapEn, IntType 0 (fixed), DM 0 (physical): the 32-bit IRTE. */
	__atomic_store_n(&t[index],
			 1U | (apic & 0xff) << 8 | (vector & 0xff) << 16,
			 __ATOMIC_RELEASE);
	invalidate(u, bdf, true); /* in use when the device gets the message */
	*address = 0xfee00000U | (apic & 0xff) << 12;
	*data = index;
	return 0;
}

void iommu_unit_poll(unsigned int n)
{
	struct amdvi_unit *u = &units[n];
	uint64_t head, tail, status, *e;
	bool irq;

	/* Before every VM entry: one read when nothing is pending (the
	 * event log's interrupt or overflow, events left last time). Cleared
	 * before the tail is read: a later event sets them again. */
	status = *reg(u, STATUS);
	if (!(status & ST_EVT) && !u->behind)
		return;
	*reg(u, STATUS) = status & ST_EVT;
	head = *reg(u, EVT_HEAD) & RING_PTR;
	tail = *reg(u, EVT_TAIL) & RING_PTR;
	for (; head != tail; head = (head + 16) % RING) {
		e = &u->events[head / 8];
		/* Device id in bits 15:0; the address in the second half. An
		 * event the core cannot take now stays for the next poll. */
		irq = e[1] >> 20 == 0xfee;
		if (!core_dma_fault((uint16_t)e[0],
				    irq ? WD_R_dma_irq_fault : WD_R_dma_fault,
				    irq ? e[1] : e[1] & ~0xfffULL))
			break;
	}
	*reg(u, EVT_HEAD) = head;
	u->behind = head != tail;
	if (status & 1) { /* overflow stopped the log: restart it */
		*reg(u, CONTROL) = CTL_ON & ~CTL_EVT_LOG;
		*reg(u, CONTROL) = CTL_ON;
	}
}

void iommu_unit_shutdown(unsigned int n)
{
	struct amdvi_unit *u = &units[n];

	*reg(u, CONTROL) = 0;
	*(volatile uint16_t *)(u->msi + 2) = u->msi_ctl;
}

const uint32_t x86_iommu_type = WD_IOMMU_AMD;
const struct x86_pt_format *const x86_iommu_pt = &x86_pt_amdvi;
