// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config check, rule set (a): the core's own validator
 * (core/config.c) on the encoded config, so the tool and the hypervisor
 * cannot disagree about a rule. The core stops at the first problem; to
 * report every one, the offending item is reported, then removed from a
 * scratch copy (or the broken field repaired there) and the copy is
 * validated again, until the core accepts it.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tools/check.h"

/* A decoded copy of the config, plus the original index of each item. */
struct scratch {
	struct cellcfg c;
	unsigned int *orig[CFG_KINDS];
	const struct wd_memory *hv;
};

static const char *const reason_text[] = {
#define REASON_TEXT(code, name, text) [code] = text,
	WD_REASONS(REASON_TEXT)
#undef REASON_TEXT
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "warden-config: out of memory\n");
		exit(1);
	}
	return p;
}

static unsigned int bus(uint16_t bdf)
{
	return bdf >> 8;
}

static unsigned int slot(uint16_t bdf)
{
	return (bdf >> 3) & 0x1f;
}

static unsigned int fn(uint16_t bdf)
{
	return bdf & 7;
}

/* Set the header's count of @kind (packed fields: no pointers to them). */
static void set_count(struct wd_cell_desc *h, enum cellcfg_kind kind,
		      uint32_t n)
{
	switch (kind) {
	case CFG_MEM:
		h->num_memory_regions = n;
		break;
	case CFG_CACHE:
		h->num_cache_regions = n;
		break;
	case CFG_IRQCHIP:
		h->num_irqchips = n;
		break;
	case CFG_PIO:
		h->num_pio_regions = n;
		break;
	case CFG_PCI:
		h->num_pci_devices = n;
		break;
	case CFG_CAP:
		h->num_pci_caps = n;
		break;
	case CFG_STREAM:
		h->num_stream_ids = n;
		break;
	default:
		h->cpu_set_size = n;
		break;
	}
}

/*
 * Does the core accept @n items of @kind? Counts are checked before any
 * array is read, so a bare header answers. Asking the core, rather than
 * copying its limits, keeps the two in step.
 */
static bool core_accepts_count(enum cellcfg_kind kind, uint32_t n)
{
	struct wd_cell_desc h = { .revision = WD_CONFIG_REVISION, .name = "x" };
	struct check_result r;

	memcpy(h.signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	set_count(&h, kind, n);
	r = config_check_cell(&h, sizeof(h), NULL);
	return r.reason != WD_R_cfg_too_many;
}

/* The largest count of @kind below @n (which is refused) the core takes. */
static uint32_t core_count_limit(enum cellcfg_kind kind, uint32_t n)
{
	uint32_t lo = 0, hi = n, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (core_accepts_count(kind, mid))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static const char *const kind_plural[CFG_KINDS] = {
	[CFG_MEM] = "memory regions", [CFG_CACHE] = "cache regions",
	[CFG_IRQCHIP] = "irqchips",   [CFG_PIO] = "PIO ranges",
	[CFG_PCI] = "PCI devices",    [CFG_CAP] = "PCI capabilities",
	[CFG_STREAM] = "stream IDs",
};

/* Every count over the core's limit, reported at once; the copy is cut. */
static void check_counts(struct check_ctx *ck, const struct cellcfg *c,
			 struct scratch *s)
{
	enum cellcfg_kind k;
	uint32_t limit;

	for (k = CFG_MEM; k < CFG_KINDS; k++) {
		if (core_accepts_count(k, s->c.num[k]))
			continue;
		limit = core_count_limit(k, s->c.num[k]);
		check_problem(ck, c, CHECK_HDR, 0, s->c.num[k],
			      "%u %s; the core accepts at most %u", s->c.num[k],
			      kind_plural[k], limit);
		s->c.num[k] = limit;
	}
}

/* Encode the scratch copy and run the core's validator on it. */
static struct check_result core_verdict(const struct scratch *s)
{
	struct check_result r;
	uint8_t *buf;
	size_t len = cellcfg_encode(&s->c, &buf);

	if (!len) {
		fprintf(stderr, "warden-config: out of memory\n");
		exit(1);
	}
	r = s->c.is_system ? config_check_system(buf, len) :
			     config_check_cell(buf, len, s->hv);
	free(buf);
	return r;
}

/* Array of @kind in the scratch copy, and its element size. */
static void *array(struct scratch *s, enum cellcfg_kind kind, size_t *size)
{
	switch (kind) {
	case CFG_MEM:
		*size = sizeof(*s->c.mem);
		return s->c.mem;
	case CFG_IRQCHIP:
		*size = sizeof(*s->c.irq);
		return s->c.irq;
	case CFG_PIO:
		*size = sizeof(*s->c.pio);
		return s->c.pio;
	case CFG_PCI:
		*size = sizeof(*s->c.pci);
		return s->c.pci;
	default:
		*size = 0;
		return NULL;
	}
}

static bool ivshmem_section(const struct wd_pci_device *d, uint64_t idx)
{
	return idx >= d->shmem_regions_start &&
	       idx - d->shmem_regions_start < 2u + d->shmem_peers;
}

static void drop(struct scratch *s, enum cellcfg_kind kind, unsigned int idx);

/*
 * Memory region @idx is gone from the scratch copy: ivshmem devices behind
 * it point at their sections again (shmem_regions_start renumbered), and a
 * device whose section it was goes too, silently: its region's problem is
 * reported, a second message about the device would be a follow-on.
 */
static void renumber_shmem(struct scratch *s, unsigned int idx)
{
	unsigned int i = s->c.num[CFG_PCI];
	struct wd_pci_device *d;

	while (i--) {
		d = &s->c.pci[i];
		if (d->type != WD_PCI_TYPE_IVSHMEM)
			continue;
		if (ivshmem_section(d, idx))
			drop(s, CFG_PCI, i);
		else if (d->shmem_regions_start > idx)
			d->shmem_regions_start--;
	}
}

/* Drop item @idx of @kind from the scratch copy, keeping references. */
static void drop(struct scratch *s, enum cellcfg_kind kind, unsigned int idx)
{
	size_t size;
	uint8_t *a = array(s, kind, &size);
	unsigned int tail = s->c.num[kind] - idx - 1;

	memmove(a + idx * size, a + (idx + 1) * size, tail * size);
	memmove(&s->orig[kind][idx], &s->orig[kind][idx + 1],
		tail * sizeof(s->orig[kind][0]));
	s->c.num[kind]--;
	if (kind == CFG_MEM)
		renumber_shmem(s, idx);
}

/* Last byte of a range: messages show ranges inclusive, [first, last]. */
static uint64_t last(uint64_t start, uint64_t size)
{
	return start + size - 1;
}

static void region_shape(struct check_ctx *ck, const struct cellcfg *c,
			 unsigned int i, enum wd_reason why)
{
	const struct wd_memory *m = &c->mem[i];

	switch (why) {
	case WD_R_cfg_flags:
		check_problem(ck, c, CFG_MEM, i,
			      m->flags & ~(uint64_t)WD_MEM_VALID_FLAGS,
			      "unknown memory flag bits (revision %u defines "
			      "0x%x)",
			      WD_CONFIG_REVISION, WD_MEM_VALID_FLAGS);
		break;
	case WD_R_mem_size_zero:
		check_problem(ck, c, CFG_MEM, i, m->size,
			      "memory region of size zero");
		break;
	case WD_R_mem_wrap:
		check_problem(ck, c, CFG_MEM, i,
			      m->phys_start + m->size < m->phys_start ?
				      m->phys_start :
				      m->virt_start,
			      "start + size 0x%llx wraps around the address "
			      "space",
			      (unsigned long long)m->size);
		break;
	case WD_R_mem_unaligned:
		check_problem(ck, c, CFG_MEM, i,
			      m->phys_start & ~WD_PAGE_MASK ? m->phys_start :
			      m->virt_start & ~WD_PAGE_MASK ? m->virt_start :
							      m->size,
			      "region not page-aligned: a sub-page region must "
			      "be device memory (flag IO), the core emulates "
			      "its accesses");
		break;
	default: /* WD_R_mem_subpage_width */
		check_problem(ck, c, CFG_MEM, i,
			      m->flags & WD_MEM_IO_WIDTH_MASK,
			      "sub-page region without an access width (flags "
			      "IO_8, IO_16, IO_32 or IO_64)");
		break;
	}
}

static void region_comm(struct check_ctx *ck, const struct cellcfg *c,
			unsigned int i)
{
	const struct wd_memory *m = &c->mem[i];

	if (m->size != WD_PAGE_SIZE)
		check_problem(ck, c, CFG_MEM, i, m->size,
			      "comm region must be one page (4096 bytes)");
	else if (m->virt_start & ~WD_PAGE_MASK)
		check_problem(ck, c, CFG_MEM, i, m->virt_start,
			      "comm region must start on a page boundary");
	else
		check_problem(ck, c, CFG_MEM, i, m->virt_start,
			      "second comm region: a cell has only one");
}

static void region_hv(struct check_ctx *ck, const struct cellcfg *c,
		      unsigned int i, const struct wd_memory *hv)
{
	const struct wd_memory *m = &c->mem[i];

	check_problem(ck, c, CFG_MEM, i, m->phys_start,
		      "physical range [0x%llx, 0x%llx] overlaps the hypervisor "
		      "memory [0x%llx, 0x%llx]",
		      (unsigned long long)m->phys_start,
		      (unsigned long long)last(m->phys_start, m->size),
		      (unsigned long long)hv->phys_start,
		      (unsigned long long)last(hv->phys_start, hv->size));
}

/* Region @idx of the copy overlaps an earlier one: name that one too. */
static void region_overlap(struct check_ctx *ck, const struct cellcfg *c,
			   const struct scratch *s, unsigned int idx)
{
	const struct wd_memory *m = &s->c.mem[idx];
	unsigned int j, other = 0;
	char name[256];

	for (j = 0; j < idx; j++)
		if (ranges_overlap(m->virt_start, m->size,
				   s->c.mem[j].virt_start, s->c.mem[j].size)) {
			other = s->orig[CFG_MEM][j];
			break;
		}
	check_problem(ck, c, CFG_MEM, s->orig[CFG_MEM][idx], m->virt_start,
		      "guest range [0x%llx, 0x%llx] overlaps that of %s",
		      (unsigned long long)m->virt_start,
		      (unsigned long long)last(m->virt_start, m->size),
		      cellcfg_item_name(c, CFG_MEM, other, name, sizeof(name)));
}

static void region_problem(struct check_ctx *ck, const struct cellcfg *c,
			   struct scratch *s, struct check_result r)
{
	unsigned int i = s->orig[CFG_MEM][r.item];

	switch (r.reason) {
	case WD_R_mem_comm_region:
		region_comm(ck, c, i);
		break;
	case WD_R_mem_hypervisor:
		region_hv(ck, c, i, s->hv);
		break;
	case WD_R_mem_overlap:
		region_overlap(ck, c, s, (unsigned int)r.item);
		break;
	default:
		region_shape(ck, c, i, r.reason);
		break;
	}
	drop(s, CFG_MEM, (unsigned int)r.item);
}

static void pio_problem(struct check_ctx *ck, const struct cellcfg *c,
			struct scratch *s, unsigned int idx)
{
	const struct wd_pio *p = &s->c.pio[idx];

	check_problem(ck, c, CFG_PIO, s->orig[CFG_PIO][idx], p->base,
		      "PIO range of %u ports runs past port 0xffff", p->length);
	drop(s, CFG_PIO, idx);
}

static void caps_problem(struct check_ctx *ck, const struct cellcfg *c,
			 struct scratch *s, unsigned int idx)
{
	const struct wd_pci_device *d = &s->c.pci[idx];

	check_problem(ck, c, CFG_PCI, s->orig[CFG_PCI][idx], d->caps_start,
		      "capabilities %u..%u lie past the %u PCI capabilities "
		      "of the config",
		      d->caps_start, d->caps_start + d->num_caps - 1,
		      s->c.num[CFG_CAP]);
	drop(s, CFG_PCI, idx);
}

/* The core names the BDF: find the later of the two devices. */
static bool bdf_dup_problem(struct check_ctx *ck, const struct cellcfg *c,
			    struct scratch *s, uint64_t bdf)
{
	const struct wd_pci_device *d = s->c.pci;
	unsigned int i, j;
	char name[256];

	for (i = 0; i < s->c.num[CFG_PCI]; i++)
		for (j = 0; j < i; j++) {
			if (d[i].bdf != bdf || d[j].bdf != bdf ||
			    d[i].domain != d[j].domain)
				continue;
			check_problem(ck, c, CFG_PCI, s->orig[CFG_PCI][i], bdf,
				      "PCI device %02x:%02x.%x (domain %u) "
				      "listed twice, also as %s",
				      bus(d[i].bdf), slot(d[i].bdf),
				      fn(d[i].bdf), d[i].domain,
				      cellcfg_item_name(c, CFG_PCI,
							s->orig[CFG_PCI][j],
							name, sizeof(name)));
			drop(s, CFG_PCI, i);
			return true;
		}
	return false;
}

/* Is region @idx one of ivshmem device @d's shared memory sections? */

static void ivshmem_region_problem(struct check_ctx *ck,
				   const struct cellcfg *c, struct scratch *s,
				   const struct wd_pci_device *d,
				   struct check_result r)
{
	uint64_t k = r.item - d->shmem_regions_start;
	const char *what = k == 0 ? "state table" :
			   k == 1 ? "R/W section" :
				    "output section";

	if (r.reason == WD_R_ivshmem_writable)
		check_problem(ck, c, CFG_MEM, s->orig[CFG_MEM][r.item],
			      s->c.mem[r.item].flags,
			      "ivshmem %02x:%02x.%x %s%s is writable: it must "
			      "be read-only for this peer",
			      bus(d->bdf), slot(d->bdf), fn(d->bdf),
			      k == 0 ? "" : "peer's ", what);
	else
		check_problem(
			ck, c, CFG_MEM, s->orig[CFG_MEM][r.item],
			s->c.mem[r.item].virt_start,
			"ivshmem %02x:%02x.%x %s unusable: it must be RAM "
			"right after the previous section (state table: "
			"4 bytes per peer; outputs of equal size)",
			bus(d->bdf), slot(d->bdf), fn(d->bdf), what);
}

/*
 * An ivshmem rule: the core names the BDF, or the region index for the
 * layout rules. Report it on the device or the region, drop the device.
 */
static bool ivshmem_problem(struct check_ctx *ck, const struct cellcfg *c,
			    struct scratch *s, struct check_result r)
{
	bool region = r.reason == WD_R_ivshmem_layout ||
		      r.reason == WD_R_ivshmem_writable;
	const struct wd_pci_device *d = s->c.pci;
	unsigned int i, n = s->c.num[CFG_PCI], at;

	for (i = 0; i < n; i++)
		if (d[i].type == WD_PCI_TYPE_IVSHMEM &&
		    (region ? ivshmem_section(&d[i], r.item) :
			      d[i].bdf == r.item))
			break;
	if (i == n || (region && r.item >= s->c.num[CFG_MEM]))
		return false;
	d += i;
	at = s->orig[CFG_PCI][i];
	switch (r.reason) {
	case WD_R_ivshmem_peers:
		check_problem(ck, c, CFG_PCI, at, d->shmem_peers,
			      "ivshmem with %u peers: 2 to %u are supported",
			      d->shmem_peers, IVSHMEM_MAX_PEERS);
		break;
	case WD_R_ivshmem_id:
		check_problem(ck, c, CFG_PCI, at, d->shmem_dev_id,
			      "ivshmem id %u not below the peer count %u",
			      d->shmem_dev_id, d->shmem_peers);
		break;
	case WD_R_ivshmem_regions:
		check_problem(ck, c, CFG_PCI, at, d->shmem_regions_start,
			      "ivshmem needs %u memory regions from index %u "
			      "(state table, R/W section, one output section "
			      "per peer), the config has %u",
			      2 + d->shmem_peers, d->shmem_regions_start,
			      s->c.num[CFG_MEM]);
		break;
	case WD_R_ivshmem_vectors:
		check_problem(ck, c, CFG_PCI, at, d->num_msix_vectors,
			      (c->is_system ?
				       c->sys.architecture :
				       c->cell.architecture) == WD_ARCH_X86 ?
				      "ivshmem on x86 needs 1 to 16 MSI-X "
				      "vectors" :
				      "ivshmem on ARM uses INTx: no MSI-X "
				      "vectors");
		break;
	default:
		ivshmem_region_problem(ck, c, s, d, r);
		break;
	}
	drop(s, CFG_PCI, i);
	return true;
}

static bool irqchip_problem(struct check_ctx *ck, const struct cellcfg *c,
			    struct scratch *s, uint64_t pin_base)
{
	unsigned int n;

	for (n = 0; n < s->c.num[CFG_IRQCHIP]; n++) {
		if (s->c.irq[n].pin_base != pin_base ||
		    pin_base + WD_IRQCHIP_PINS <= WD_MAX_IRQ_PINS)
			continue;
		check_problem(ck, c, CFG_IRQCHIP, s->orig[CFG_IRQCHIP][n],
			      pin_base,
			      "pin_base + %u pins exceeds the %u pins the core "
			      "handles",
			      WD_IRQCHIP_PINS, WD_MAX_IRQ_PINS);
		drop(s, CFG_IRQCHIP, n);
		return true;
	}
	return false;
}

static void name_problem(struct check_ctx *ck, const struct cellcfg *c,
			 struct scratch *s)
{
	char value[64];

	snprintf(value, sizeof(value), "\"%.*s\"", (int)sizeof(c->cell.name),
		 c->cell.name);
	check_problem_str(ck, c, CHECK_HDR, 0, value,
			  "cell name must have 1 to %u characters and end "
			  "with a NUL byte",
			  WD_CELL_NAME_MAXLEN);
	strcpy(s->c.cell.name, "x");
}

static void cpu_set_problem(struct check_ctx *ck, const struct cellcfg *c,
			    struct scratch *s, enum wd_reason why)
{
	if (why == WD_R_cfg_cpu_set_size) {
		check_problem(ck, c, CHECK_HDR, 0, c->cell.cpu_set_size,
			      "CPU set of %u bytes; the core accepts at most "
			      "%u (%u CPUs)",
			      c->cell.cpu_set_size, WD_MAX_CPUS / 8,
			      WD_MAX_CPUS);
		s->c.cell.cpu_set_size = WD_MAX_CPUS / 8;
		return;
	}
	check_problem(ck, c, CHECK_HDR, 0, 0,
		      "CPU set is empty: a cell needs at least one CPU");
	if (!s->c.cell.cpu_set_size) {
		free(s->c.cpu_set);
		s->c.cpu_set = xmalloc(1);
		s->c.cell.cpu_set_size = 1;
	}
	s->c.cpu_set[0] = 1;
}

/* Hypervisor memory (item ~0): the copy gets a harmless page instead. */
static void hv_problem(struct check_ctx *ck, const struct cellcfg *c,
		       struct scratch *s, enum wd_reason why)
{
	const struct wd_memory *hv = &c->sys.hypervisor_memory;

	check_problem(ck, c, CHECK_HDR, 0,
		      hv->phys_start & ~WD_PAGE_MASK ? hv->phys_start :
						       hv->size,
		      why == WD_R_mem_wrap ?
			      "hypervisor memory wraps around the address "
			      "space" :
			      "hypervisor memory must be non-empty, its start "
			      "and size page-aligned");
	s->c.sys.hypervisor_memory.phys_start = 0xffffffffffffe000ULL;
	s->c.sys.hypervisor_memory.size = WD_PAGE_SIZE;
}

/*
 * Report the core's verdict @r and repair the copy so the next run gets
 * past it. Returns false when the problem leaves nothing to repair.
 */
static bool report_and_repair(struct check_ctx *ck, const struct cellcfg *c,
			      struct scratch *s, struct check_result r)
{
	switch (r.reason) {
	case WD_R_cfg_name:
		name_problem(ck, c, s);
		return true;
	case WD_R_cfg_cpu_set_size:
	case WD_R_cfg_cpu_set_empty:
		cpu_set_problem(ck, c, s, r.reason);
		return true;
	case WD_R_cfg_flags:
		/* Keep the region (and its overlaps) without the bad bits. */
		if (r.item >= s->c.num[CFG_MEM])
			break;
		region_shape(ck, c, s->orig[CFG_MEM][r.item], r.reason);
		s->c.mem[r.item].flags &= WD_MEM_VALID_FLAGS;
		return true;
	case WD_R_mem_unaligned:
	case WD_R_mem_wrap:
		if (r.item == ~0ULL && c->is_system) {
			hv_problem(ck, c, s, r.reason);
			return true;
		}
	/* fall through */
	case WD_R_mem_size_zero:
	case WD_R_mem_comm_region:
	case WD_R_mem_subpage_width:
	case WD_R_mem_hypervisor:
	case WD_R_mem_overlap:
		if (r.item >= s->c.num[CFG_MEM])
			break;
		region_problem(ck, c, s, r);
		return true;
	case WD_R_pio_range:
		if (r.item >= s->c.num[CFG_PIO])
			break;
		pio_problem(ck, c, s, (unsigned int)r.item);
		return true;
	case WD_R_pci_caps:
		if (r.item >= s->c.num[CFG_PCI])
			break;
		caps_problem(ck, c, s, (unsigned int)r.item);
		return true;
	case WD_R_pci_bdf_dup:
		if (bdf_dup_problem(ck, c, s, r.item))
			return true;
		break;
	case WD_R_irqchip_pins:
		if (irqchip_problem(ck, c, s, r.item))
			return true;
		break;
	case WD_R_ivshmem_peers:
	case WD_R_ivshmem_id:
	case WD_R_ivshmem_regions:
	case WD_R_ivshmem_layout:
	case WD_R_ivshmem_writable:
	case WD_R_ivshmem_vectors:
		if (ivshmem_problem(ck, c, s, r))
			return true;
		break;
	default:
		break;
	}
	/* Header-level rules (signature, revision, size): nothing to fix. */
	check_problem(ck, c, CHECK_HDR, 0, r.item, "rejected by the core: %s",
		      r.reason < sizeof(reason_text) / sizeof(reason_text[0]) &&
				      reason_text[r.reason] ?
			      reason_text[r.reason] :
			      "unknown reason");
	return false;
}

/* A decoded copy of @c with identity index maps; false if undecodable. */
static bool scratch_init(struct scratch *s, const struct cellcfg *c,
			 const struct wd_memory *hv)
{
	uint8_t *buf;
	size_t len = cellcfg_encode(c, &buf);
	enum cellcfg_kind k;
	unsigned int i;
	int err;

	memset(s, 0, sizeof(*s));
	s->hv = c->is_system ? &c->sys.hypervisor_memory : hv;
	if (!len)
		return false;
	err = cellcfg_decode(buf, len, &s->c, NULL, 0);
	free(buf);
	/* A system with a cell signature decodes, as a cell: refuse it. */
	if (err || s->c.is_system != c->is_system)
		return false;
	for (k = CFG_MEM; k < CFG_KINDS; k++) {
		s->orig[k] = xmalloc(s->c.num[k] * sizeof(*s->orig[k]));
		for (i = 0; i < s->c.num[k]; i++)
			s->orig[k][i] = i;
	}
	return true;
}

static void scratch_free(struct scratch *s)
{
	enum cellcfg_kind k;

	for (k = 0; k < CFG_KINDS; k++)
		free(s->orig[k]);
	cellcfg_free(&s->c);
}

/* Signature or revision wrong: the core reads no further, neither do we. */
static void header_problem(struct check_ctx *ck, const struct cellcfg *c)
{
	const char *sig = c->is_system ? c->sys.signature : c->cell.signature;
	const char *want = c->is_system ? WD_SYSTEM_SIGNATURE :
					  WD_CELL_SIGNATURE;
	uint16_t rev = c->is_system ? c->sys.revision : c->cell.revision;
	char value[32];

	if (memcmp(sig, want, WD_SIGNATURE_LEN)) {
		snprintf(value, sizeof(value), "\"%.*s\"", WD_SIGNATURE_LEN,
			 sig);
		check_problem_str(ck, c, CHECK_HDR, 0, value,
				  "wrong signature, expected \"%s\"", want);
	} else {
		check_problem(ck, c, CHECK_HDR, 0, rev,
			      "config revision %u, the core reads revision %u",
			      rev, WD_CONFIG_REVISION);
	}
}

void check_core(struct check_ctx *ck, const struct cellcfg *c,
		const struct wd_memory *hv)
{
	struct scratch s;
	struct check_result r;
	unsigned int rounds;

	if (!scratch_init(&s, c, hv)) {
		header_problem(ck, c);
		scratch_free(&s);
		return;
	}
	check_counts(ck, c, &s);
	/* Each round removes or repairs one item: bounded by their number. */
	for (rounds = 0; rounds < 100000; rounds++) {
		r = core_verdict(&s);
		if (!r.reason || !report_and_repair(ck, c, &s, r))
			break;
	}
	scratch_free(&s);
}
