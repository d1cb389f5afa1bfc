// SPDX-License-Identifier: GPL-2.0
/*
 * HYP's own translation (stage 1 of PL2): an identity map of the 32-bit
 * physical space, built once by the boot CPU from the system config and
 * switched on by every CPU before it enters the core: a GiB whose 2 MiB
 * blocks are all of one kind is one level-1 block, any other a level-2
 * table of 2 MiB blocks, taken from the start of the page pool (none to
 * four pages, as the config needs: docs/arm.md, "Figures").
 * Hypervisor memory and the root cell's RAM (its regions without
 * WD_MEM_IO) are normal write-back memory, shared with the guests that use
 * them cached; every other block is Device-nGnRE and never executable. A
 * block that holds both RAM and a device region is mapped as device.
 * Table walks are write-back inner shareable, as the stage-2 walks are
 * (VTCR_VALUE), since the tables are written through the cache.
 */
#include "arm.h"

#define BLOCK_SHIFT 21
#define PER_GIB 512 /* 2 MiB blocks in a GiB */

#define DESC_BLOCK 0x1ULL
#define DESC_TABLE 0x3ULL
#define ATTR_NORMAL (0ULL << 2) /* HMAIR0 attribute 0 */
#define ATTR_DEVICE (1ULL << 2) /* HMAIR0 attribute 1 */
#define AP_RW (1ULL << 6)	/* AP[1] is RES1 at PL2; AP[2] 0: writable */
#define SH_INNER (3ULL << 8)
#define AF (1ULL << 10)
#define XN (1ULL << 54)

/* Attribute 0: normal, inner/outer write-back RW-allocate; 1: Device-nGnRE */
#define HMAIR0_VALUE 0x000004ffu
/* T0SZ 0; walks inner/outer write-back write-allocate, inner shareable;
 * bits 31 and 23 RES1 */
#define HTCR_VALUE (0x80800000u | 3u << 12 | 1u << 10 | 1u << 8)
#define HSCTLR_M (1u << 0)
#define HSCTLR_A (1u << 1)
#define HSCTLR_C (1u << 2)
#define HSCTLR_I (1u << 12)

static uint64_t hyp_l1[4] __attribute__((aligned(32)));

static bool overlaps(uint64_t start, uint64_t size, uint64_t b)
{
	uint64_t lo = b << BLOCK_SHIFT, hi = lo + (1u << BLOCK_SHIFT);

	return size && start < hi && start + size > lo;
}

/* Block @b (2 MiB): normal memory (true) if hypervisor memory or the root
 * cell's RAM overlaps it and no device region does, else device. */
static bool block_normal(const struct wd_system *sys, uint64_t b)
{
	const struct wd_memory *m = wd_cell_mem_regions(&sys->root_cell);
	bool ram = overlaps(sys->hypervisor_memory.phys_start,
			    sys->hypervisor_memory.size, b);
	unsigned int i;

	for (i = 0; i < sys->root_cell.num_memory_regions; i++)
		if (overlaps(m[i].phys_start, m[i].size, b)) {
			if (m[i].flags & WD_MEM_IO)
				return false;
			ram = true;
		}
	return ram;
}

static uint64_t block_desc(uint64_t addr, bool normal)
{
	return addr | DESC_BLOCK | AF | AP_RW |
	       (normal ? ATTR_NORMAL | SH_INNER : ATTR_DEVICE | XN);
}

unsigned int arm_hyp_mmu_build(const struct wd_system *sys, uintptr_t *pool)
{
	unsigned int gib, i, kinds, normal = 0;
	uint64_t *l2 = (uint64_t *)*pool, b;
	bool kind;

	/* Each GiB's 2 MiB blocks in the pool's next page, a table kept only
	 * if they are of both kinds (hv_setup checked room for four). */
	for (gib = 0; gib < 4; gib++) {
		for (i = kinds = 0; i < PER_GIB; i++) {
			b = (uint64_t)gib * PER_GIB + i;
			kind = block_normal(sys, b);
			kinds |= 1u << kind;
			normal += kind;
			l2[i] = block_desc(b << BLOCK_SHIFT, kind);
		}
		if (kinds != 3) { /* one kind: a 1 GiB block */
			hyp_l1[gib] =
				block_desc((uint64_t)gib << 30, kinds == 2);
			continue;
		}
		hyp_l1[gib] = (uint64_t)(uintptr_t)l2 | DESC_TABLE;
		l2 += PER_GIB;
	}
	*pool = (uintptr_t)l2;
	asm volatile("dsb" ::: "memory");
	return normal << (BLOCK_SHIFT - 20);
}

/*
 * Invalidate (@clean: clean and invalidate) the data and unified caches by
 * set/way, levels 0 to @levels - 1 (CLIDR, CSSELR, CCSIDR, DCISW, DCCISW:
 * ARM ARM B4.1), so no stale line left from before the hypervisor shows
 * once caches are on (or none of its data is lost once they are off).
 */
static void dcache_invalidate(unsigned int levels, bool clean)
{
	uint32_t clidr = arm_read_cp32(1, c0, c0, 1), ccsidr, sw;
	unsigned int level, line, ways, sets, way_shift, set, way;

	for (level = 0; level < levels; level++) {
		if (((clidr >> (3 * level)) & 7) < 2)
			continue; /* none, or instruction cache only */
		arm_write_cp32(2, c0, c0, 0, level << 1); /* CSSELR: data */
		asm volatile("isb" ::: "memory");
		ccsidr = arm_read_cp32(1, c0, c0, 0);
		line = (ccsidr & 7) + 4;	/* log2(line bytes) */
		ways = (ccsidr >> 3) & 0x3ff;	/* highest way */
		sets = (ccsidr >> 13) & 0x7fff; /* highest set */
		way_shift = ways ? (unsigned int)__builtin_clz(ways) : 0;
		for (set = 0; set <= sets; set++)
			for (way = 0; way <= ways; way++) {
				sw = way << way_shift | set << line |
				     level << 1;
				if (clean) /* DCCISW, else DCISW */
					arm_write_cp32(0, c7, c14, 2, sw);
				else
					arm_write_cp32(0, c7, c6, 2, sw);
			}
	}
	asm volatile("dsb; isb" ::: "memory");
}

bool arm_hyp_mmu_on(bool boot)
{
	uint32_t hsctlr, clidr = arm_read_cp32(1, c0, c0, 1);

	/* The boot CPU: every level to the point of coherency (LoC). The
	 * others only their own levels (LoUIS): the shared ones hold the
	 * boot CPU's data by now. Then the instruction cache. */
	dcache_invalidate(boot ? (clidr >> 24) & 7 : (clidr >> 21) & 7, false);
	arm_write_cp32(0, c7, c5, 0, 0); /* ICIALLU */
	asm volatile("dsb; isb" ::: "memory");

	arm_write_cp32(4, c10, c2, 0, HMAIR0_VALUE);	    /* HMAIR0 */
	arm_write_cp32(4, c2, c0, 2, HTCR_VALUE);	    /* HTCR */
	arm_write_cp64(4, c2, (uint64_t)(uintptr_t)hyp_l1); /* HTTBR */
	asm volatile("isb" ::: "memory");
	arm_write_cp32(4, c8, c7, 0, 0); /* TLBIALLH */
	asm volatile("dsb; isb" ::: "memory");
	/* Alignment checks off: the code built -munaligned-access. */
	hsctlr = arm_read_cp32(4, c1, c0, 0) & ~HSCTLR_A;
	arm_write_cp32(4, c1, c0, 0,
		       hsctlr | HSCTLR_M | HSCTLR_C | HSCTLR_I); /* HSCTLR */
	asm volatile("isb" ::: "memory");
	return arm_read_cp32(4, c1, c0, 0) & HSCTLR_M;
}

void arm_hyp_mmu_off(void)
{
	uint32_t hsctlr = arm_read_cp32(4, c1, c0, 0);

	/* Caches off first (no new lines), then everything to memory: what
	 * runs after, with the MMU off, reads memory directly. */
	arm_write_cp32(4, c1, c0, 0, hsctlr & ~HSCTLR_C);
	asm volatile("isb" ::: "memory");
	dcache_invalidate((arm_read_cp32(1, c0, c0, 1) >> 24) & 7, true);
	arm_write_cp32(4, c1, c0, 0,
		       hsctlr & ~(HSCTLR_M | HSCTLR_C | HSCTLR_I));
	asm volatile("isb" ::: "memory");
	arm_write_cp32(0, c7, c5, 0, 0); /* ICIALLU */
	arm_write_cp32(4, c8, c7, 0, 0); /* TLBIALLH */
	asm volatile("dsb; isb" ::: "memory");
}
