/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core-side config validation. The root cell hands us configs; we trust
 * nothing in them. Every rule returns the precise reason and the item that
 * broke it. These functions are pure so the config tool and fuzzers can
 * run them on any byte string.
 */
#include "core.h"

/*
 * Hard limits: keep hypervisor memory use per cell bounded. Sized for the
 * largest configurations Jailhouse publishes, with headroom (its ls1028a-rdb
 * root cell has 76 memory regions, the K3 J721E 6 irqchips); what a cell
 * needs is taken from the hypervisor's pool by need, not reserved.
 */
#define MAX_CONFIG_SIZE (64 * 1024)
#define MAX_MEM_REGIONS 256
#define MAX_IRQCHIPS 16
#define MAX_PIO_REGIONS 128
#define MAX_PCI_DEVICES 256
#define MAX_PCI_CAPS 1024
#define MAX_CACHE_REGIONS 8
#define MAX_STREAM_IDS 256

#define OK ((struct check_result){ WD_R_none, 0, 0 })

static struct check_result fail(enum wd_reason reason, uint64_t item)
{
	return (struct check_result){ reason, item, WD_EINVAL };
}

/*
 * The counts (they bound the size computed from them), the size against
 * @len (@hdr: the bytes before the cell header, a system config's), the
 * name and the CPU set (not empty) of the cell header @c.
 */
static struct check_result check_shape(const struct wd_cell_desc *c,
				       uint64_t hdr, uint64_t len)
{
	const uint8_t *set = wd_cell_cpu_set(c);
	const uint32_t count[] = { c->num_memory_regions, c->num_cache_regions,
				   c->num_irqchips,	  c->num_pio_regions,
				   c->num_pci_devices,	  c->num_pci_caps,
				   c->num_stream_ids };
	static const uint32_t max[] = { MAX_MEM_REGIONS, MAX_CACHE_REGIONS,
					MAX_IRQCHIPS,	 MAX_PIO_REGIONS,
					MAX_PCI_DEVICES, MAX_PCI_CAPS,
					MAX_STREAM_IDS };
	uint64_t need;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(max); i++)
		if (count[i] > max[i])
			return fail(WD_R_cfg_too_many, count[i]);
	if (c->cpu_set_size > WD_MAX_CPUS / 8)
		return fail(WD_R_cfg_cpu_set_size, c->cpu_set_size);
	need = hdr + wd_cell_config_size(c);
	if (need > MAX_CONFIG_SIZE)
		return fail(WD_R_cfg_too_large, need);
	if (len < need)
		return fail(WD_R_cfg_truncated, need);
	if (!c->name[0] ||
	    wd_strnlen(c->name, sizeof(c->name)) == sizeof(c->name))
		return fail(WD_R_cfg_name, 0);
	for (i = 0; i < c->cpu_set_size; i++)
		if (set[i])
			return OK;
	return fail(WD_R_cfg_cpu_set_empty, 0);
}

static struct check_result check_region(const struct wd_memory *m,
					unsigned int idx,
					const struct wd_memory *hv)
{
	if (m->flags & ~(uint64_t)WD_MEM_VALID_FLAGS)
		return fail(WD_R_cfg_flags, idx);
	if (mem_is_empty(m))
		return OK; /* an unused slot: maps nothing */
	if (!m->size)
		return fail(WD_R_mem_size_zero, idx);
	if (m->phys_start + m->size < m->phys_start ||
	    m->virt_start + m->size < m->virt_start)
		return fail(WD_R_mem_wrap, idx);
	if (m->flags & WD_MEM_COMM_REGION) {
		if (m->size != WD_PAGE_SIZE || m->virt_start & ~WD_PAGE_MASK)
			return fail(WD_R_mem_comm_region, idx);
		return OK; /* backed by hypervisor memory, phys unused */
	}
	/* Sub-page: emulated through MMIO, device memory with explicit
	 * widths. */
	if (mem_is_subpage(m) && !(m->flags & WD_MEM_IO))
		return fail(WD_R_mem_unaligned, idx);
	if (mem_is_subpage(m) && !(m->flags & WD_MEM_IO_WIDTH_MASK))
		return fail(WD_R_mem_subpage_width, idx);
	if (hv &&
	    ranges_overlap(m->phys_start, m->size, hv->phys_start, hv->size))
		return fail(WD_R_mem_hypervisor, idx);
	return OK;
}

static struct check_result check_memory(const struct wd_cell_desc *c,
					const struct wd_memory *hv)
{
	const struct wd_memory *mem = wd_cell_mem_regions(c);
	unsigned int i, j, comm = 0;
	struct check_result r;

	for (i = 0; i < c->num_memory_regions; i++) {
		r = check_region(&mem[i], i, hv);
		if (r.reason)
			return r;
		if (mem_is_empty(&mem[i]))
			continue;
		if (mem[i].flags & WD_MEM_COMM_REGION && ++comm > 1)
			return fail(WD_R_mem_comm_region, i);
		/* Two regions must not claim the same guest addresses. */
		for (j = 0; j < i; j++)
			if (!mem_is_empty(&mem[j]) &&
			    ranges_overlap(mem[i].virt_start, mem[i].size,
					   mem[j].virt_start, mem[j].size))
				return fail(WD_R_mem_overlap, i);
	}
	return OK;
}

/*
 * An ivshmem device: 2..16 peers, its id below that, its memory regions
 * (state table, R/W section, one output section per peer) present and
 * laid out as the guest computes them, and the interrupt model of the
 * architecture (WD_ARCH_IVSHMEM_MSIX: an ABI fact).
 */
static struct check_result check_ivshmem(const struct wd_cell_desc *c,
					 const struct wd_pci_device *d,
					 uint8_t arch)
{
	const struct wd_memory *m = wd_cell_mem_regions(c);
	bool msix = WD_ARCH_IVSHMEM_MSIX(arch);
	uint64_t next = 0;
	unsigned int k;

	if (d->shmem_peers < 2 || d->shmem_peers > IVSHMEM_MAX_PEERS)
		return fail(WD_R_ivshmem_peers, d->bdf);
	if (d->shmem_dev_id >= d->shmem_peers)
		return fail(WD_R_ivshmem_id, d->bdf);
	if ((uint64_t)d->shmem_regions_start + 2 + d->shmem_peers >
	    c->num_memory_regions)
		return fail(WD_R_ivshmem_regions, d->bdf);
	if (msix ? !d->num_msix_vectors ||
			    d->num_msix_vectors > IVSHMEM_MAX_VECTORS :
		   d->num_msix_vectors != 0)
		return fail(WD_R_ivshmem_vectors, d->bdf);
	m += d->shmem_regions_start;
	/* Section k must start at @next, right after the previous non-empty
	 * one (check_memory() refused a non-empty one of size 0). */
	for (k = 0; k < 2u + d->shmem_peers; k++) {
		/* No R/W section; no output sections (all of them, or none). */
		if (mem_is_empty(&m[k]) && (k == 1 || (k >= 2 && !m[2].size)))
			continue;
		/* Shared RAM: no device memory, no comm region, whole pages;
		 * the state table holds a word per peer. */
		if (m[k].flags & (WD_MEM_IO | WD_MEM_COMM_REGION) ||
		    mem_is_subpage(&m[k]) ||
		    (k == 0 && m[k].size < 4ULL * d->shmem_peers) ||
		    (k > 0 && m[k].virt_start != next) ||
		    (k > 2 && m[k].size != m[2].size))
			return fail(WD_R_ivshmem_layout,
				    d->shmem_regions_start + k);
		/* The state table and the other peers' outputs: read-only. */
		if (m[k].flags & WD_MEM_WRITE &&
		    (k == 0 || (k >= 2 && k - 2 != d->shmem_dev_id)))
			return fail(WD_R_ivshmem_writable,
				    d->shmem_regions_start + k);
		next = m[k].virt_start + m[k].size;
	}
	return OK;
}

/* Port ranges, PCI devices, then irqchips. @arch: the system's (a root cell
 * header has no architecture of its own). */
static struct check_result check_devices(const struct wd_cell_desc *c,
					 uint8_t arch)
{
	const struct wd_pci_device *dev = wd_cell_pci_devices(c);
	const struct wd_irqchip *chip = wd_cell_irqchips(c);
	const struct wd_pio *pio = wd_cell_pio(c);
	struct check_result r;
	unsigned int i, j;

	for (i = 0; i < c->num_pio_regions; i++) {
		if ((uint32_t)pio[i].base + pio[i].length > 0x10000)
			return fail(WD_R_pio_range, i);
		/* PCI config mechanism #1: always trapped (pio.c). */
		if (ranges_overlap(pio[i].base, pio[i].length, PCI_CFG_PORTS,
				   8))
			return fail(WD_R_pio_pci_config,
				    MAX(pio[i].base, PCI_CFG_PORTS));
	}
	for (i = 0; i < c->num_pci_devices; i++) {
		if ((uint32_t)dev[i].caps_start + dev[i].num_caps >
		    c->num_pci_caps)
			return fail(WD_R_pci_caps, i);
		if (dev[i].type == WD_PCI_TYPE_IVSHMEM) {
			r = check_ivshmem(c, &dev[i], arch);
			if (r.reason)
				return r;
		}
		for (j = 0; j < i; j++)
			if (dev[j].bdf == dev[i].bdf &&
			    dev[j].domain == dev[i].domain)
				return fail(WD_R_pci_bdf_dup, dev[i].bdf);
	}
	for (i = 0; i < c->num_irqchips; i++)
		if ((uint64_t)chip[i].pin_base + WD_IRQCHIP_PINS >
		    WD_MAX_IRQ_PINS)
			return fail(WD_R_irqchip_pins, chip[i].pin_base);
	return OK;
}

/* A cell config after its header (@hdr, @len: as check_shape()'s). */
static struct check_result check_cell_body(const struct wd_cell_desc *c,
					   uint64_t hdr, uint64_t len,
					   const struct wd_memory *hv,
					   uint8_t arch)
{
	struct check_result r = check_shape(c, hdr, len);

	if (!r.reason)
		r = check_memory(c, hv);
	if (!r.reason)
		r = check_devices(c, arch);
	return r;
}

struct check_result config_check_cell(const void *cfg, uint64_t len,
				      const struct wd_memory *hv)
{
	const struct wd_cell_desc *c = cfg;

	if (len < sizeof(*c))
		return fail(WD_R_cfg_truncated, sizeof(*c));
	/* The signature has no NUL: strncmp compares all its bytes. */
	if (wd_strncmp(c->signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN))
		return fail(WD_R_cfg_signature, 0);
	if (c->revision != WD_CONFIG_REVISION)
		return fail(WD_R_cfg_revision, c->revision);
	return check_cell_body(c, 0, len, hv, c->architecture);
}

struct check_result config_check_system(const void *cfg, uint64_t len)
{
	const struct wd_system *sys = cfg;
	const struct wd_memory *hv = &sys->hypervisor_memory;
	uint64_t hdr = sizeof(*sys) - sizeof(sys->root_cell);

	if (len < sizeof(*sys))
		return fail(WD_R_cfg_truncated, sizeof(*sys));
	if (wd_strncmp(sys->signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN))
		return fail(WD_R_cfg_signature, 0);
	if (sys->revision != WD_CONFIG_REVISION)
		return fail(WD_R_cfg_revision, sys->revision);
	if (!hv->size || (hv->phys_start | hv->size) & ~WD_PAGE_MASK)
		return fail(WD_R_mem_unaligned, ~0ULL);
	if (hv->phys_start + hv->size < hv->phys_start)
		return fail(WD_R_mem_wrap, ~0ULL);
	/* The root cell header carries no signature of its own. */
	return check_cell_body(&sys->root_cell, hdr, len, hv,
			       sys->architecture);
}
