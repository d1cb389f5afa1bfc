/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 nested paging library: 4-level tables (PML4, PDPT, PD, PT; 512
 * entries of 8 bytes each, a 48-bit guest-physical space) in the format
 * given by a descriptor. Level numbers follow the manuals: 4 = PML4
 * (bits 47:39), 3 = PDPT (38:30), 2 = PD (29:21), 1 = PT (20:12).
 *
 * A change runs in two passes over the same walk. The first allocates
 * what is missing: tables to descend into, and the splitting of large
 * pages the range covers in part (a split table translates exactly as the
 * page it replaces). The second writes the leaves and allocates nothing.
 * So a failed allocation changes no translation; the tables allocated
 * before it stay linked (empty or equivalent) and x86_pt_destroy() frees
 * them.
 */
#include "paging.h"

#define ENTRIES 512

#define PTE_ADDR 0x000ffffffffff000ULL /* bits 51:12 */

static unsigned int level_shift(unsigned int level)
{
	return 12 + 9 * (level - 1);
}

static uint64_t *table_of(uint64_t pte)
{
	return (uint64_t *)(uintptr_t)(pte & PTE_ADDR);
}

static bool is_table(const struct x86_pt *pt, uint64_t pte, unsigned int level)
{
	return level > 1 && (pte & pt->fmt->present) &&
	       (level == 4 || !(pte & pt->fmt->large));
}

/* A new table page: every entry unused. */
static uint64_t *new_table(const struct x86_pt *pt)
{
	uint64_t *t = core_page_alloc(1);
	unsigned int i;

	for (i = 0; t && i < ENTRIES; i++)
		t[i] = pt->fmt->empty;
	return t;
}

static void free_table(const struct x86_pt *pt, uint64_t *table,
		       unsigned int level)
{
	unsigned int i;

	for (i = 0; level > 1 && i < ENTRIES; i++)
		if (is_table(pt, table[i], level))
			free_table(pt, table_of(table[i]), level - 1);
	core_page_free(table, 1);
}

/*
 * Make *@pte of @level a table: a new empty one where nothing is mapped,
 * or, for a large page (level 3 or 2), its parts (the same translation).
 */
static int to_table(const struct x86_pt *pt, uint64_t *pte, unsigned int level)
{
	uint64_t *t, step = 1ULL << level_shift(level - 1);
	uint64_t base = *pte & PTE_ADDR & ~(step * ENTRIES - 1);
	uint64_t attrs = *pte & ~PTE_ADDR & ~pt->fmt->large;
	unsigned int i;

	if (is_table(pt, *pte, level))
		return 0;
	t = new_table(pt);
	if (!t)
		return -WD_ENOMEM;
	for (i = 0; (*pte & pt->fmt->present) && i < ENTRIES; i++)
		t[i] = (base + i * step) | attrs |
		       (level - 1 > 1 ? pt->fmt->large : 0);
	*pte = (uintptr_t)t | pt->fmt->table |
	       (level - 1) * pt->fmt->next_level;
	return 0;
}

/*
 * Map (@attrs != 0) or unmap (@attrs == 0) [gpa, gpa+size) in @table of
 * @level: the allocation pass (!@commit) or the writing pass (@commit),
 * with leaves above 4 KiB of the sizes in @sizes.
 */
static int set_range(const struct x86_pt *pt, uint64_t *table,
		     unsigned int level, uint64_t gpa, uint64_t hpa,
		     uint64_t size, uint64_t attrs, unsigned int sizes,
		     bool commit)
{
	unsigned int shift = level_shift(level);
	uint64_t blk = 1ULL << shift, chunk, *pte, old;
	uint64_t large = level > 1 ? pt->fmt->large : 0; /* a leaf's */
	int err;

	while (size) {
		pte = &table[(gpa >> shift) & (ENTRIES - 1)];
		chunk = blk - (gpa & (blk - 1));
		if (chunk > size)
			chunk = size;
		/* A leaf: 4 KiB, or hpa aligned and the size (X86_PT_2M at
		 * level 2, X86_PT_1G at 3) allowed; an unmapping at any level. */
		if (chunk == blk &&
		    (!attrs || level == 1 ||
		     (!(hpa & (blk - 1)) && (sizes >> (level - 2) & 1)))) {
			if (commit) {
				old = *pte;
				*pte = attrs ? hpa | attrs | large :
					       pt->fmt->empty;
				if (is_table(pt, old, level))
					free_table(pt, table_of(old),
						   level - 1);
			}
		} else if (attrs || (*pte & pt->fmt->present)) {
			/* Only the first pass finds no table here. */
			err = to_table(pt, pte, level);
			if (!err)
				err = set_range(pt, table_of(*pte), level - 1,
						gpa, hpa, chunk, attrs, sizes,
						commit);
			if (err)
				return err;
		}
		gpa += chunk;
		hpa += chunk;
		size -= chunk;
	}
	return 0;
}

static int change(struct x86_pt *pt, uint64_t gpa, uint64_t hpa, uint64_t size,
		  uint64_t attrs, unsigned int sizes)
{
	int err =
		set_range(pt, pt->root, 4, gpa, hpa, size, attrs, sizes, false);

	return err ? err :
		     set_range(pt, pt->root, 4, gpa, hpa, size, attrs, sizes,
			       true);
}

static int check_gpa_range(uint64_t gpa, uint64_t size)
{
	if (!size || (gpa | size) & ~WD_PAGE_MASK)
		return -WD_EINVAL;
	if (gpa >= X86_PT_GPA_LIMIT || size > X86_PT_GPA_LIMIT - gpa)
		return -WD_ERANGE;
	return 0;
}

int x86_pt_init(struct x86_pt *pt, const struct x86_pt_format *fmt,
		unsigned int sizes)
{
	if (sizes & ~(X86_PT_2M | X86_PT_1G) || (sizes && !fmt->large))
		return -WD_EINVAL;
	pt->fmt = fmt;
	pt->sizes = sizes;
	pt->root = new_table(pt);
	return pt->root ? 0 : -WD_ENOMEM;
}

int x86_pt_map(struct x86_pt *pt, uint64_t gpa, uint64_t hpa, uint64_t size,
	       unsigned int perm, enum x86_mt mt)
{
	const struct x86_pt_format *f = pt->fmt;
	int err = check_gpa_range(gpa, size);

	if (hpa & ~WD_PAGE_MASK ||
	    perm & ~(X86_PT_R | X86_PT_W | X86_PT_X | X86_PT_4K) ||
	    !(perm & X86_PT_R) || (mt != X86_MT_WB && mt != X86_MT_UC))
		err = -WD_EINVAL;
	if (!err && (hpa >= X86_PT_HPA_LIMIT || size > X86_PT_HPA_LIMIT - hpa))
		err = -WD_ERANGE;
	if (err)
		return err;
	/* A leaf's attributes in the format. */
	return change(pt, gpa, hpa, size,
		      f->leaf | f->read | (perm & X86_PT_W ? f->write : 0) |
			      (perm & X86_PT_X ? f->exec : f->nx) |
			      (mt == X86_MT_UC ? f->mt_uc : f->mt_wb),
		      perm & X86_PT_4K ? 0 : pt->sizes);
}

int x86_pt_unmap(struct x86_pt *pt, uint64_t gpa, uint64_t size)
{
	int err = check_gpa_range(gpa, size);

	return err ? err : change(pt, gpa, 0, size, 0, 0);
}

int x86_pt_translate(const struct x86_pt *pt, uint64_t gpa,
		     struct x86_pt_xlate *out)
{
	const struct x86_pt_format *f = pt->fmt;
	uint64_t *table = pt->root, pte, span;
	unsigned int level;

	if (gpa >= X86_PT_GPA_LIMIT)
		return -WD_ERANGE;
	for (level = 4;; level--) { /* level 1 holds no table: a leaf */
		pte = table[(gpa >> level_shift(level)) & (ENTRIES - 1)];
		if (!(pte & f->present))
			return -WD_ENOENT;
		if (is_table(pt, pte, level)) {
			table = table_of(pte);
			continue;
		}
		span = 1ULL << level_shift(level);
		out->hpa = (pte & PTE_ADDR & ~(span - 1)) | (gpa & (span - 1));
		out->page_size = span;
		out->perm = (!f->read || pte & f->read ? X86_PT_R : 0) |
			    (pte & f->write ? X86_PT_W : 0) |
			    ((f->exec ? pte & f->exec : !(pte & f->nx)) ?
				     X86_PT_X :
				     0);
		out->mt = (pte & f->mt_mask) == f->mt_uc ? X86_MT_UC :
							   X86_MT_WB;
		return 0;
	}
}

uint64_t x86_pt_pointer(const struct x86_pt *pt)
{
	return (uintptr_t)pt->root | pt->fmt->pointer;
}

void x86_pt_destroy(struct x86_pt *pt)
{
	if (pt->root)
		free_table(pt, pt->root, 4);
	pt->root = 0;
}
