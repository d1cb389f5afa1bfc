// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config check, rule sets (b) and (c): what the core can only find
 * when it enables the system and creates the cells one by one (core/cell.c
 * check_create, core/memory.c, irq.c, pio.c, pci.c, ivshmem.c), checked for the whole
 * set at once, plus rules of the tool's own (comm region, consoles, cell
 * count). Cells are taken in the order given, as if created in that order;
 * a conflict between two cells is reported on the later one.
 */
#include <stdbool.h>
#include <string.h>

#include "core/core.h"
#include "tools/check.h"

struct set {
	const struct cellcfg *sys;
	struct cellcfg *const *cells;
	unsigned int n;
};

static bool is_arm(const struct cellcfg *sys)
{
	return sys->sys.architecture == WD_ARCH_ARM ||
	       sys->sys.architecture == WD_ARCH_ARM64;
}

/* Last byte of [start, start+size), saturated: wrapping ranges are the
 * core checks' business, here they must not hide an overlap. */
static uint64_t last(uint64_t start, uint64_t size)
{
	return start + size - 1 < start ? UINT64_MAX : start + size - 1;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a <= last(b, blen) && b <= last(a, alen);
}

static bool is_comm(const struct wd_memory *m)
{
	return m->flags & WD_MEM_COMM_REGION;
}

static const char *bdf_str(uint16_t bdf, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 0x1f,
		 bdf & 7);
	return buf;
}

/* ---- (b) what the core checks at CELL_CREATE and enable ---------------- */

static void check_arch(struct check_ctx *ck, const struct set *s)
{
	unsigned int i;
	uint8_t arch = s->sys->sys.architecture;

	if (arch > WD_ARCH_ARM64)
		check_problem(ck, s->sys, CHECK_HDR, 0, arch,
			      "unknown architecture (0 x86, 1 ARM, 2 ARM64)");
	for (i = 0; i < s->n; i++)
		if (s->cells[i]->cell.architecture != arch)
			check_problem(ck, s->cells[i], CHECK_HDR, 0,
				      s->cells[i]->cell.architecture,
				      "architecture differs from the system "
				      "config's (0x%x)",
				      arch);
}

static bool same_name(const struct cellcfg *a, const struct cellcfg *b)
{
	return !strncmp(a->cell.name, b->cell.name, sizeof(a->cell.name));
}

/* The root cell's name counts: the core compares against every cell. */
static void check_names(struct check_ctx *ck, const struct set *s)
{
	const struct cellcfg *c, *earlier;
	unsigned int i, j;
	char value[64];

	for (i = 0; i < s->n; i++) {
		c = s->cells[i];
		earlier = same_name(s->sys, c) ? s->sys : NULL;
		for (j = 0; j < i && !earlier; j++)
			if (same_name(s->cells[j], c))
				earlier = s->cells[j];
		if (!earlier)
			continue;
		snprintf(value, sizeof(value), "\"%.*s\"",
			 (int)sizeof(c->cell.name), c->cell.name);
		check_problem_str(ck, c, CHECK_HDR, 0, value,
				  "cell name already used by %s",
				  earlier->file ? earlier->file :
						  "another config");
	}
}

/* Index of the earlier cell (< @upto) holding CPU @cpu, or -1. */
static int cpu_holder(const struct set *s, unsigned int upto, unsigned int cpu)
{
	unsigned int j;

	for (j = 0; j < upto; j++)
		if (cellcfg_has_cpu(s->cells[j], cpu))
			return (int)j;
	return -1;
}

/* Bits of @c's CPU set: the loop bound for its CPU ids. */
static uint64_t cpu_bits(const struct cellcfg *c)
{
	return (uint64_t)c->cell.cpu_set_size * 8;
}

static void check_cpus(struct check_ctx *ck, const struct set *s)
{
	uint64_t cpu, left = 0;
	unsigned int i;
	int holder;

	for (cpu = 0; cpu < cpu_bits(s->sys); cpu++)
		left += cellcfg_has_cpu(s->sys, (unsigned int)cpu);
	for (i = 0; i < s->n; i++) {
		const struct cellcfg *c = s->cells[i];

		for (cpu = 0; cpu < cpu_bits(c); cpu++) {
			if (!cellcfg_has_cpu(c, (unsigned int)cpu))
				continue;
			holder = cpu_holder(s, i, (unsigned int)cpu);
			if (!cellcfg_has_cpu(s->sys, (unsigned int)cpu))
				check_problem(ck, c, CFG_CPUS,
					      (unsigned int)cpu, cpu,
					      "CPU not in the root cell's CPU "
					      "set");
			else if (holder >= 0)
				check_problem(ck, c, CFG_CPUS,
					      (unsigned int)cpu, cpu,
					      "CPU already given to cell "
					      "\"%.32s\"",
					      s->cells[holder]->cell.name);
			else if (!--left)
				check_problem(ck, c, CFG_CPUS,
					      (unsigned int)cpu, cpu,
					      "last CPU of the root cell: it "
					      "must keep one to create cells "
					      "from");
		}
	}
}

/* The root region holding byte @phys, or NULL. */
static const struct wd_memory *root_holding(const struct cellcfg *sys,
					    uint64_t phys)
{
	unsigned int i;

	for (i = 0; i < sys->num[CFG_MEM]; i++) {
		const struct wd_memory *r = &sys->mem[i];

		if (!is_comm(r) && r->size && phys >= r->phys_start &&
		    phys <= last(r->phys_start, r->size))
			return r;
	}
	return NULL;
}

/*
 * Is every byte of [phys, phys+size) in a root region, one or several
 * adjacent ones, as core/memory.c decides?
 */
static bool in_root(const struct cellcfg *sys, uint64_t phys, uint64_t size)
{
	uint64_t end = last(phys, size);
	const struct wd_memory *r;

	for (;;) {
		r = root_holding(sys, phys);
		if (!r)
			return false;
		if (last(r->phys_start, r->size) >= end)
			return true;
		phys = last(r->phys_start, r->size) + 1;
	}
}

/* Region @m of cell @i against the earlier cells' memory. */
static void region_vs_cells(struct check_ctx *ck, const struct set *s,
			    unsigned int i, unsigned int idx)
{
	const struct wd_memory *m = &s->cells[i]->mem[idx], *o;
	unsigned int j, k;
	char name[256];

	for (j = 0; j < i; j++)
		for (k = 0; k < s->cells[j]->num[CFG_MEM]; k++) {
			o = &s->cells[j]->mem[k];
			if (is_comm(o) ||
			    o->flags & m->flags & WD_MEM_ROOTSHARED ||
			    !overlap(m->phys_start, m->size, o->phys_start,
				     o->size))
				continue;
			check_problem(ck, s->cells[i], CFG_MEM, idx,
				      m->phys_start,
				      "physical range overlaps %s of cell "
				      "\"%.32s\" (shared memory needs "
				      "ROOTSHARED on both)",
				      cellcfg_item_name(s->cells[j], CFG_MEM, k,
							name, sizeof(name)),
				      s->cells[j]->cell.name);
			return;
		}
}

static void check_cell_memory(struct check_ctx *ck, const struct set *s,
			      unsigned int i)
{
	const struct cellcfg *c = s->cells[i];
	unsigned int idx;

	for (idx = 0; idx < c->num[CFG_MEM]; idx++) {
		const struct wd_memory *m = &c->mem[idx];

		if (is_comm(m) || !m->size)
			continue;
		if (!in_root(s->sys, m->phys_start, m->size))
			check_problem(ck, c, CFG_MEM, idx, m->phys_start,
				      "physical range [0x%llx, 0x%llx] not "
				      "covered by the root cell's memory "
				      "regions",
				      (unsigned long long)m->phys_start,
				      (unsigned long long)last(m->phys_start,
							       m->size));
		else
			region_vs_cells(ck, s, i, idx);
	}
}

/* No region of any cell may map the PCI config space window. */
static void check_ecam(struct check_ctx *ck, const struct set *s,
		       const struct cellcfg *c)
{
	const struct wd_platform_info *pi = &s->sys->sys.platform_info;
	uint64_t base = pi->pci_mmconfig_base;
	uint64_t size = ((uint64_t)pi->pci_mmconfig_end_bus + 1) << 20;
	unsigned int idx;

	if (!base)
		return;
	for (idx = 0; idx < c->num[CFG_MEM]; idx++) {
		const struct wd_memory *m = &c->mem[idx];

		if (is_comm(m) ||
		    !(overlap(m->phys_start, m->size, base, size) ||
		      overlap(m->virt_start, m->size, base, size)))
			continue;
		check_problem(ck, c, CFG_MEM, idx,
			      overlap(m->phys_start, m->size, base, size) ?
				      m->phys_start :
				      m->virt_start,
			      "region overlaps the PCI config space window "
			      "[0x%llx, 0x%llx]",
			      (unsigned long long)base,
			      (unsigned long long)last(base, size));
	}
}

/* Does @c list pin @pin on the controller at @address? */
static bool lists_pin(const struct cellcfg *c, uint64_t address,
		      unsigned int pin)
{
	unsigned int n, bit;

	for (n = 0; n < c->num[CFG_IRQCHIP]; n++) {
		const struct wd_irqchip *chip = &c->irq[n];

		if (chip->address != address || pin < chip->pin_base ||
		    pin - chip->pin_base >= WD_IRQCHIP_PINS)
			continue;
		bit = pin - chip->pin_base;
		if (chip->pin_bitmap[bit / 32] >> (bit % 32) & 1)
			return true;
	}
	return false;
}

/* The backend's pin policy (hal_irq_assignable), ARM GIC: per-CPU
 * interrupts and the hypervisor's maintenance interrupt stay put. */
static const char *pin_policy(const struct set *s, unsigned int pin)
{
	if (!is_arm(s->sys))
		return NULL;
	if (pin < 32)
		return "ARM SGIs and PPIs (pins 0-31) are per CPU, not "
		       "assignable";
	if (pin == s->sys->sys.platform_info.arm.maintenance_irq)
		return "the GIC maintenance interrupt belongs to the "
		       "hypervisor";
	return NULL;
}

/* Pin @pin of chip @n of cell @i (the root cell for @i < 0). */
static void check_pin(struct check_ctx *ck, const struct set *s, int i,
		      unsigned int n, unsigned int pin)
{
	const struct cellcfg *c = i < 0 ? s->sys : s->cells[i];
	uint64_t address = c->irq[n].address;
	const char *policy = pin_policy(s, pin);
	int j;

	if (policy) {
		check_problem(ck, c, CFG_IRQCHIP, n, pin, "%s", policy);
		return;
	}
	if (i < 0)
		return;
	if (!lists_pin(s->sys, address, pin)) {
		check_problem(ck, c, CFG_IRQCHIP, n, pin,
			      "pin not owned by the root cell (on the irqchip "
			      "at 0x%llx)",
			      (unsigned long long)address);
		return;
	}
	for (j = 0; j < i; j++)
		if (lists_pin(s->cells[j], address, pin)) {
			check_problem(ck, c, CFG_IRQCHIP, n, pin,
				      "pin already given to cell \"%.32s\"",
				      s->cells[j]->cell.name);
			return;
		}
}

static void check_irqchips(struct check_ctx *ck, const struct set *s, int i)
{
	const struct cellcfg *c = i < 0 ? s->sys : s->cells[i];
	unsigned int n, bit;

	for (n = 0; n < c->num[CFG_IRQCHIP]; n++) {
		const struct wd_irqchip *chip = &c->irq[n];

		/* Past the core's pin space: reported by the core rules. */
		if ((uint64_t)chip->pin_base + WD_IRQCHIP_PINS >
		    WD_MAX_IRQ_PINS)
			continue;
		for (bit = 0; bit < WD_IRQCHIP_PINS; bit++)
			if (chip->pin_bitmap[bit / 32] >> (bit % 32) & 1)
				check_pin(ck, s, i, n, chip->pin_base + bit);
	}
}

/*
 * First port of [@start, @end) that no PIO range of @c covers, @end if
 * all are covered. Ranges, not a port map: cheap for any input.
 */
static uint32_t first_uncovered(const struct cellcfg *c, uint32_t start,
				uint32_t end)
{
	uint32_t port = start, base, top;
	unsigned int i;
	bool moved = true;

	while (port < end && moved) {
		moved = false;
		for (i = 0; i < c->num[CFG_PIO]; i++) {
			base = c->pio[i].base;
			top = base + c->pio[i].length;
			if (port >= base && port < top) {
				port = top;
				moved = true;
			}
		}
	}
	return port < end ? port : end;
}

/* First port of [@start, @end) an earlier cell (< @upto) lists, and which
 * cell; @end if none. */
static uint32_t first_held(const struct set *s, unsigned int upto,
			   uint32_t start, uint32_t end, unsigned int *holder)
{
	uint32_t first = end, base, top;
	unsigned int j, k;

	for (j = 0; j < upto; j++)
		for (k = 0; k < s->cells[j]->num[CFG_PIO]; k++) {
			base = s->cells[j]->pio[k].base;
			top = base + s->cells[j]->pio[k].length;
			base = base > start ? base : start;
			if (base < top && base < first) {
				first = base;
				*holder = j;
			}
		}
	return first;
}

/* One message per range: its ports must be the root cell's, and free. */
static void check_pio_range(struct check_ctx *ck, const struct set *s,
			    unsigned int i, unsigned int idx)
{
	const struct cellcfg *c = s->cells[i];
	uint32_t start = c->pio[idx].base, end = start + c->pio[idx].length;
	uint32_t port;
	unsigned int holder = 0;

	/* Past port 0xffff: the core rules report it. */
	end = end < 0x10000 ? end : 0x10000;
	port = first_uncovered(s->sys, start, end);
	if (port < end) {
		check_problem(ck, c, CFG_PIO, idx, port,
			      "port not owned by the root cell");
		return;
	}
	port = first_held(s, i, start, end, &holder);
	if (port < end)
		check_problem(ck, c, CFG_PIO, idx, port,
			      "port already given to cell \"%.32s\"",
			      s->cells[holder]->cell.name);
}

/* Does @c list (and so claim) @bdf? IVSHMEM entries claim nothing. */
static bool claims_bdf(const struct cellcfg *c, uint16_t bdf)
{
	unsigned int i;

	for (i = 0; i < c->num[CFG_PCI]; i++)
		if (c->pci[i].type != WD_PCI_TYPE_IVSHMEM &&
		    c->pci[i].bdf == bdf)
			return true;
	return false;
}

static void check_pci_dev(struct check_ctx *ck, const struct set *s,
			  unsigned int i, unsigned int idx)
{
	const struct cellcfg *c = s->cells[i];
	uint16_t bdf = c->pci[idx].bdf;
	unsigned int j;
	char b[16];

	if (c->pci[idx].type == WD_PCI_TYPE_IVSHMEM)
		return;
	/* Ownership is per BDF: the core ignores the domain here. */
	if (!claims_bdf(s->sys, bdf)) {
		check_problem(ck, c, CFG_PCI, idx, bdf,
			      "PCI device %s not owned by the root cell",
			      bdf_str(bdf, b, sizeof(b)));
		return;
	}
	for (j = 0; j < i; j++)
		if (claims_bdf(s->cells[j], bdf)) {
			check_problem(ck, c, CFG_PCI, idx, bdf,
				      "PCI device %s already given to cell "
				      "\"%.32s\"",
				      bdf_str(bdf, b, sizeof(b)),
				      s->cells[j]->cell.name);
			return;
		}
}

/* An ivshmem device that passes rules (a) on peers and regions. */
static bool ivshmem_complete(const struct cellcfg *c,
			     const struct wd_pci_device *d)
{
	return d->type == WD_PCI_TYPE_IVSHMEM && d->shmem_peers >= 2 &&
	       d->shmem_peers <= IVSHMEM_MAX_PEERS &&
	       d->shmem_dev_id < d->shmem_peers &&
	       (uint64_t)d->shmem_regions_start + 2 + d->shmem_peers <=
		       c->num[CFG_MEM];
}

/* Same shared memory, peer count and vectors: the core's link rule. */
static bool ivshmem_same(const struct cellcfg *a,
			 const struct wd_pci_device *da,
			 const struct cellcfg *b,
			 const struct wd_pci_device *db)
{
	const struct wd_memory *ma = &a->mem[da->shmem_regions_start];
	const struct wd_memory *mb = &b->mem[db->shmem_regions_start];
	unsigned int k;

	if (da->shmem_peers != db->shmem_peers ||
	    da->num_msix_vectors != db->num_msix_vectors)
		return false;
	for (k = 0; k < 2u + da->shmem_peers; k++)
		if (ma[k].phys_start != mb[k].phys_start ||
		    ma[k].size != mb[k].size)
			return false;
	return true;
}

/*
 * ivshmem device @idx of cell @i joins the link of its BDF, which the root
 * cell and the earlier cells may have started: its id must be free there,
 * and its shared memory the same (core/ivshmem.c, at CELL_CREATE).
 */
static void check_ivshmem_link(struct check_ctx *ck, const struct set *s,
			       unsigned int i, unsigned int idx)
{
	const struct cellcfg *c = s->cells[i], *o;
	const struct wd_pci_device *d = &c->pci[idx], *p;
	unsigned int j, k;
	char b[16];

	if (!ivshmem_complete(c, d))
		return;
	for (j = 0; j <= i; j++) {
		o = j ? s->cells[j - 1] : s->sys;
		for (k = 0; k < o->num[CFG_PCI]; k++) {
			p = &o->pci[k];
			if (!ivshmem_complete(o, p) || p->bdf != d->bdf)
				continue;
			if (p->shmem_dev_id == d->shmem_dev_id)
				check_problem(ck, c, CFG_PCI, idx,
					      d->shmem_dev_id,
					      "ivshmem %s: id %u already used "
					      "by cell \"%.32s\"",
					      bdf_str(d->bdf, b, sizeof(b)),
					      d->shmem_dev_id, o->cell.name);
			else if (!ivshmem_same(c, d, o, p))
				check_problem(ck, c, CFG_PCI, idx, d->bdf,
					      "ivshmem %s: its peer in cell "
					      "\"%.32s\" has other shared "
					      "memory, peer count or vectors",
					      bdf_str(d->bdf, b, sizeof(b)),
					      o->cell.name);
			else
				continue;
			return;
		}
	}
}

static void check_cell_table(struct check_ctx *ck, const struct set *s)
{
	unsigned int i;

	for (i = WD_MAX_CELLS - 1; i < s->n; i++)
		check_problem(ck, s->cells[i], CHECK_HDR, 0, i + 2,
			      "cell number %u: the hypervisor holds %u cells, "
			      "the root cell included",
			      i + 2, WD_MAX_CELLS);
}

/* ---- (c) the tool's own rules ------------------------------------------ */

/*
 * Without a comm region a cell cannot answer shutdown requests: destroying
 * it then waits for its msg_reply_timeout (forever when 0) and marks it
 * failed. It also cannot read its platform info. Only a passive cell,
 * whose consent the hypervisor assumes, may do without.
 */
static void check_comm(struct check_ctx *ck, const struct cellcfg *c)
{
	unsigned int i;

	if (c->cell.flags & WD_CELL_PASSIVE_COMMREG)
		return;
	for (i = 0; i < c->num[CFG_MEM]; i++)
		if (is_comm(&c->mem[i]))
			return;
	check_problem(ck, c, CHECK_HDR, 0, c->cell.flags,
		      "no comm region: the cell cannot answer shutdown "
		      "requests (add one, or set the passive-commreg flag)");
}

/* Is [addr, addr+size) inside one non-comm region (guest or physical)? */
static bool in_region(const struct cellcfg *c, uint64_t addr, uint64_t size,
		      bool phys)
{
	unsigned int i;

	for (i = 0; i < c->num[CFG_MEM]; i++) {
		const struct wd_memory *m = &c->mem[i];
		uint64_t start = phys ? m->phys_start : m->virt_start;

		if (!is_comm(m) && m->size && addr >= start &&
		    last(addr, size) <= last(start, m->size))
			return true;
	}
	return false;
}

/*
 * The cell must reach its ivshmem devices: through the ECAM window, and on
 * ARM with their INTx in its irqchips (docs/abi.md 7.8), or the guest
 * cannot enable the doorbell interrupt.
 */
static void check_ivshmem_reach(struct check_ctx *ck, const struct set *s,
				const struct cellcfg *c)
{
	const struct wd_platform_info *pi = &s->sys->sys.platform_info;
	unsigned int i, irq;
	char b[16];

	for (i = 0; i < c->num[CFG_PCI]; i++) {
		uint16_t bdf = c->pci[i].bdf;

		if (c->pci[i].type != WD_PCI_TYPE_IVSHMEM)
			continue;
		if (!pi->pci_mmconfig_base ||
		    bdf >> 8 > pi->pci_mmconfig_end_bus)
			check_problem(ck, c, CFG_PCI, i, bdf,
				      "ivshmem %s: outside the PCI config "
				      "space window (pci-mmconfig-base, "
				      "-end-bus): the cell cannot reach it",
				      bdf_str(bdf, b, sizeof(b)));
		irq = 32 + c->cell.vpci_irq_base + ((bdf >> 3) & 3);
		if (is_arm(s->sys) && !lists_pin(c, pi->arm.gicd_base, irq))
			check_problem(ck, c, CFG_PCI, i, irq,
				      "ivshmem %s: its INTx is GIC interrupt "
				      "%u (32 + vpci-irq-base + pin - 1), "
				      "which the cell's irqchips do not list",
				      bdf_str(bdf, b, sizeof(b)), irq);
	}
}

/* The cell must reach its console: a region, or ports, of its own. */
static void check_console(struct check_ctx *ck, const struct cellcfg *c,
			  const struct wd_console *con, bool phys,
			  const char *what)
{
	uint64_t size = con->size ? con->size : 1;

	if (con->type == WD_CON_TYPE_NONE)
		return;
	if (con->flags & WD_CON_ACCESS_MMIO) {
		if (!in_region(c, con->address, size, phys))
			check_problem(ck, c, CHECK_HDR, 0, con->address,
				      "%s (MMIO, 0x%llx bytes) not inside a "
				      "memory region of cell \"%.32s\"",
				      what, (unsigned long long)size,
				      c->cell.name);
		return;
	}
	if (con->address > 0xffff || size > 0x10000 - con->address ||
	    first_uncovered(c, (uint32_t)con->address,
			    (uint32_t)(con->address + size)) <
		    con->address + size)
		check_problem(ck, c, CHECK_HDR, 0, con->address,
			      "%s (port I/O, %llu ports) not in a PIO range of "
			      "cell \"%.32s\"",
			      what, (unsigned long long)size, c->cell.name);
}

/*
 * The hypervisor writes its MMIO console at the physical address: a root
 * region must describe that device, so its address lies in one (the
 * hypervisor maps the console's size itself; Jailhouse's pine64-plus gives
 * a 0x400-byte console a 0x20-byte root region). A port I/O console needs
 * no root PIO range: the hypervisor reaches its ports directly, and a root
 * cell that does not own them cannot disturb it (Jailhouse's qemu-x86
 * withholds port 0x3f8 from the root cell on purpose).
 */
static void check_debug_console(struct check_ctx *ck, const struct cellcfg *sys)
{
	const struct wd_console *con = &sys->sys.debug_console;

	if (con->type == WD_CON_TYPE_NONE || !(con->flags & WD_CON_ACCESS_MMIO))
		return;
	if (!in_region(sys, con->address, 1, true))
		check_problem(ck, sys, CHECK_HDR, 0, con->address,
			      "hypervisor debug console (MMIO) not inside a "
			      "memory region of cell \"%.32s\"",
			      sys->cell.name);
}

void check_cross(struct check_ctx *ck, const struct cellcfg *sys,
		 struct cellcfg *const *cells, unsigned int n)
{
	const struct set s = { sys, cells, n };
	unsigned int i, idx;

	check_arch(ck, &s);
	check_names(ck, &s);
	check_cpus(ck, &s);
	check_ecam(ck, &s, sys);
	check_irqchips(ck, &s, -1);
	check_debug_console(ck, sys);
	check_console(ck, sys, &sys->cell.console, false, "cell console");
	check_ivshmem_reach(ck, &s, sys);
	for (i = 0; i < n; i++) {
		check_cell_memory(ck, &s, i);
		check_ecam(ck, &s, cells[i]);
		check_irqchips(ck, &s, (int)i);
		for (idx = 0; idx < cells[i]->num[CFG_PIO]; idx++)
			check_pio_range(ck, &s, i, idx);
		for (idx = 0; idx < cells[i]->num[CFG_PCI]; idx++) {
			check_pci_dev(ck, &s, i, idx);
			check_ivshmem_link(ck, &s, i, idx);
		}
		check_comm(ck, cells[i]);
		check_ivshmem_reach(ck, &s, cells[i]);
		check_console(ck, cells[i], &cells[i]->cell.console, false,
			      "cell console");
	}
	check_cell_table(ck, &s);
}
