/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cells' stage-2 translation: LPAE long-descriptor tables, 4 GiB of IPA
 * (VTCR.T0SZ 0), walks starting at level 1 (4 entries of 1 GiB), 2 MiB
 * blocks at level 2 where size and alignment allow, 4 KiB pages at level 3.
 * Each cell has its VMID (cell id + 1). Tables come from the core's page
 * pool; HYP maps memory 1:1 (hyp_mmu.c), so table pointers are physical.
 */
#include "arm.h"

#define PTE_VALID (1ULL << 0)
#define PTE_TABLE (1ULL << 1)		 /* levels 1-2: table; level 3: page */
#define PTE_MEMATTR_NORMAL (0xfULL << 2) /* outer/inner write-back */
#define PTE_MEMATTR_DEVICE (0x1ULL << 2)
#define PTE_MEMATTR_MASK (0xfULL << 2)
#define PTE_HAP_R (1ULL << 6)
#define PTE_HAP_W (1ULL << 7)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF (1ULL << 10)
#define PTE_XN (1ULL << 54)
#define PTE_ADDR 0x000000fffffff000ULL
#define PTE_ATTRS (~PTE_ADDR & ~3ULL)

#define ENTRIES 512
#define IPA_LIMIT 0x100000000ULL

static struct arm_cell arm_cells[WD_MAX_CELLS];

static struct arm_cell *ac(const struct cell *cell)
{
	return cell ? core_cell_arch(cell) : NULL;
}

static unsigned int level_shift(unsigned int level)
{
	return 39 - 9 * level; /* 1: 30, 2: 21, 3: 12 */
}

static uint64_t *table_of(uint64_t pte)
{
	return (uint64_t *)(uintptr_t)(pte & PTE_ADDR);
}

static bool is_table(uint64_t pte, unsigned int level)
{
	return level < 3 && (pte & 3) == 3;
}

static void free_table(uint64_t *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; level < 3 && i < ENTRIES; i++)
		if (is_table(table[i], level))
			free_table(table_of(table[i]), level + 1);
	core_page_free(table, 1);
}

/* Attributes of a leaf for WD_MEM_* @flags (0: unmapped). */
static uint64_t leaf_attrs(uint64_t flags)
{
	uint64_t a = PTE_VALID | PTE_AF;

	if (flags & WD_MEM_READ)
		a |= PTE_HAP_R;
	if (flags & WD_MEM_WRITE)
		a |= PTE_HAP_W;
	if (!(flags & WD_MEM_EXECUTE) || flags & WD_MEM_IO)
		a |= PTE_XN;
	if (flags & WD_MEM_IO)
		a |= PTE_MEMATTR_DEVICE;
	else
		a |= PTE_MEMATTR_NORMAL | PTE_SH_INNER;
	return a;
}

/* Replace the block at @pte (level @level) by a table of its parts. */
static int split_block(uint64_t *pte, unsigned int level)
{
	uint64_t *t = core_page_alloc(1);
	uint64_t step = 1ULL << level_shift(level + 1);
	uint64_t base = *pte & PTE_ADDR, attrs = *pte & PTE_ATTRS;
	unsigned int i;

	if (!t)
		return -WD_ENOMEM;
	for (i = 0; i < ENTRIES; i++)
		t[i] = (base + i * step) | attrs |
		       (level + 1 == 3 ? PTE_TABLE : 0);
	*pte = (uintptr_t)t | PTE_VALID | PTE_TABLE;
	return 0;
}

/*
 * Map (attrs != 0) or unmap (attrs == 0) [gpa, gpa+size) in @table of
 * @level. Blocks are used at level 2 only, and only when @huge.
 */
static int s2_set(uint64_t *table, unsigned int level, uint64_t gpa,
		  uint64_t hpa, uint64_t size, uint64_t attrs, bool huge)
{
	unsigned int shift = level_shift(level);
	uint64_t blk = 1ULL << shift, chunk, *pte, old;
	unsigned int idx;
	int err;

	while (size) {
		idx = (gpa >> shift) & (level == 1 ? 3 : ENTRIES - 1);
		chunk = blk - (gpa & (blk - 1));
		if (chunk > size)
			chunk = size;
		pte = &table[idx];
		if (chunk == blk &&
		    (level == 3 ||
		     (level == 2 && (!attrs || (huge && !(hpa & (blk - 1))))))) {
			old = *pte;
			*pte = attrs ? hpa | attrs |
					       (level == 3 ? PTE_TABLE : 0) :
				       0;
			if (is_table(old, level))
				free_table(table_of(old), level + 1);
		} else {
			if (!(*pte & PTE_VALID)) {
				uint64_t *t;

				if (!attrs)
					goto next; /* nothing to unmap */
				t = core_page_alloc(1);
				if (!t)
					return -WD_ENOMEM;
				*pte = (uintptr_t)t | PTE_VALID | PTE_TABLE;
			} else if (!is_table(*pte, level)) {
				err = split_block(pte, level);
				if (err)
					return err;
			}
			err = s2_set(table_of(*pte), level + 1, gpa, hpa, chunk,
				     attrs, huge);
			if (err)
				return err;
		}
next:
		gpa += chunk;
		hpa += chunk;
		size -= chunk;
	}
	return 0;
}

int hal_map(struct cell *cell, gpa_t gpa, hpa_t hpa, uint64_t size,
	    uint64_t flags)
{
	struct arm_cell *a = ac(cell);

	if (!a || (gpa.v | hpa.v | size) & ~WD_PAGE_MASK || !size ||
	    gpa.v >= IPA_LIMIT || size > IPA_LIMIT - gpa.v ||
	    hpa.v + size > (1ULL << 40))
		return -WD_EINVAL;
	return s2_set(a->s2_root, 1, gpa.v, hpa.v, size, leaf_attrs(flags),
		      !(flags & WD_MEM_NO_HUGEPAGES));
}

int hal_unmap(struct cell *cell, gpa_t gpa, uint64_t size)
{
	struct arm_cell *a = ac(cell);

	if (!a || (gpa.v | size) & ~WD_PAGE_MASK)
		return -WD_EINVAL;
	if (gpa.v >= IPA_LIMIT)
		return 0;
	if (size > IPA_LIMIT - gpa.v)
		size = IPA_LIMIT - gpa.v;
	return s2_set(a->s2_root, 1, gpa.v, 0, size, 0, false);
}

/* Leaf entry translating @gpa in @cell, and the size it covers; 0 if none. */
static uint64_t s2_lookup(struct cell *cell, uint64_t gpa, uint64_t *span)
{
	struct arm_cell *a = ac(cell);
	uint64_t *table, pte;
	unsigned int level;

	if (!a || gpa >= IPA_LIMIT)
		return 0;
	table = a->s2_root;
	for (level = 1; level <= 3; level++) {
		pte = table[(gpa >> level_shift(level)) &
			    (level == 1 ? 3 : ENTRIES - 1)];
		if (!(pte & PTE_VALID))
			return 0;
		if (!is_table(pte, level)) {
			*span = 1ULL << level_shift(level);
			return pte;
		}
		table = table_of(pte);
	}
	return 0;
}

static int copy_guest(struct cell *cell, uint64_t gpa, uint8_t *buf, size_t len,
		      bool to_guest)
{
	uint64_t pte, span, off, chunk, need;
	uint8_t *host;

	need = to_guest ? PTE_HAP_W : PTE_HAP_R;
	while (len) {
		pte = s2_lookup(cell, gpa, &span);
		if (!(pte & need) ||
		    (pte & PTE_MEMATTR_MASK) != PTE_MEMATTR_NORMAL)
			return -WD_EFAULT; /* unmapped, no access, or device */
		off = gpa & (span - 1);
		chunk = span - off;
		if (chunk > len)
			chunk = len;
		host = (uint8_t *)(uintptr_t)((pte & PTE_ADDR & ~(span - 1)) +
					      off);
		if (to_guest)
			memcpy(host, buf, chunk);
		else
			memcpy(buf, host, chunk);
		buf += chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

int hal_copy_from_guest(struct cell *cell, gpa_t gpa, void *dst, size_t len)
{
	return copy_guest(cell, gpa.v, dst, len, false);
}

int hal_copy_to_guest(struct cell *cell, gpa_t gpa, const void *src, size_t len)
{
	return copy_guest(cell, gpa.v, (uint8_t *)src, len, true);
}

uint64_t arm_vttbr(struct cell *cell)
{
	struct arm_cell *a = ac(cell);

	return (uint64_t)a->vmid << 48 | (uintptr_t)a->s2_root;
}

/* The comm region's arch part: where the cell finds the GIC. */
static void comm_arch(struct cell *cell)
{
	const struct wd_platform_info *pi =
		&core_system_config()->platform_info;
	struct wd_comm_region *comm = core_cell_comm(cell);

	comm->arm.gic_version = pi->arm.gic_version;
	comm->arm.gicd_base = pi->arm.gicd_base;
	comm->arm.gicc_base = pi->arm.gicc_base;
	comm->arm.vpci_irq_base = core_cell_config(cell)->vpci_irq_base;
}

int hal_cell_create(struct cell *cell)
{
	struct arm_cell *a;
	int err;

	if (core_cell_id(cell) >= WD_MAX_CELLS)
		return -WD_EINVAL;
	a = &arm_cells[core_cell_id(cell)];
	a->s2_root = core_page_alloc(1);
	if (!a->s2_root)
		return -WD_ENOMEM;
	a->vmid = (uint8_t)(core_cell_id(cell) + 1);
	core_cell_set_arch(cell, a);
	comm_arch(cell);
	err = arm_gic_cell_init(cell);
	if (err) {
		hal_cell_destroy(cell);
		return err;
	}
	return 0;
}

void hal_cell_destroy(struct cell *cell)
{
	struct arm_cell *a = ac(cell);

	if (!a)
		return;
	if (a->s2_root)
		free_table(a->s2_root, 1);
	a->s2_root = NULL;
	core_cell_set_arch(cell, NULL);
}

/* No SMMU driver (docs/arm.md): only the root cell's devices, untranslated. */
int hal_device_assign(struct cell *cell, uint16_t bdf)
{
	(void)bdf;
	return core_cell_id(cell) ? -WD_ENODEV : 0;
}

void hal_device_release(struct cell *cell, uint16_t bdf)
{
	(void)cell;
	(void)bdf;
}

void hal_config_commit(struct cell *changed)
{
	(void)changed;
	/*
	 * Every CPU whose cell changed is parked or suspended: one broadcast
	 * invalidation of all guest translations (TLBIALLNSNHIS) suffices.
	 * Then SPIs follow their owners.
	 */
	asm volatile("dsb ishst" ::: "memory");
	arm_write_cp32(4, c8, c3, 4, 0);
	asm volatile("dsb ish; isb" ::: "memory");
	arm_gic_commit();
}

void hal_phys_access(hpa_t addr, struct mmio_access *acc)
{
	uintptr_t a = (uintptr_t)addr.v;

	if (addr.v >= IPA_LIMIT) {
		core_hypervisor_panic("device access above 4 GiB", addr.v);
		return;
	}
	/* HYP's identity map: device memory outside RAM (hyp_mmu.c). */
	switch (acc->size) {
	case 1:
		if (acc->is_write)
			*(volatile uint8_t *)a = (uint8_t)acc->value;
		else
			acc->value = *(volatile uint8_t *)a;
		break;
	case 2:
		if (acc->is_write)
			*(volatile uint16_t *)a = (uint16_t)acc->value;
		else
			acc->value = *(volatile uint16_t *)a;
		break;
	case 4:
		if (acc->is_write)
			*(volatile uint32_t *)a = (uint32_t)acc->value;
		else
			acc->value = *(volatile uint32_t *)a;
		break;
	default:
		if (acc->is_write)
			*(volatile uint64_t *)a = acc->value;
		else
			acc->value = *(volatile uint64_t *)a;
	}
}

/* ARM has no port space: core_pio(), the only caller, never runs here. */
void hal_pio_access(struct pio_access *acc)
{
	(void)acc;
}
