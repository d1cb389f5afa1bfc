// SPDX-License-Identifier: GPL-2.0
/*
 * HYP's own translation (stage 1 of PL2): an identity map of the 32-bit
 * physical space in 2 MiB blocks, built once by the boot CPU from the
 * system config and switched on by every CPU before it enters the core.
 * Hypervisor memory and the root cell's RAM (its regions without
 * WD_MEM_IO) are normal write-back memory, shared with the guests that use
 * them cached; every other block is Device-nGnRE and never executable. A
 * block that holds both RAM and a device region is mapped as device.
 * Table walks are write-back inner shareable, as the stage-2 walks are
 * (VTCR_VALUE), since the tables are written through the cache.
 */
#include "arm.h"

#define BLOCK_SHIFT 21
#define BLOCKS (1u << (32 - BLOCK_SHIFT)) /* 2048 blocks of 2 MiB */

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
#define HSCTLR_C (1u << 2)
#define HSCTLR_I (1u << 12)

static uint64_t hyp_l1[4] __attribute__((aligned(32)));
static uint64_t hyp_l2[4][512] __attribute__((aligned(4096)));
static uint8_t block_kind[BLOCKS]; /* 0 device, 1 RAM, 2 RAM and device */

static void mark(uint64_t start, uint64_t size, bool io)
{
	uint64_t end = start + size, b;

	if (!size || start >= 0x100000000ULL)
		return;
	if (end > 0x100000000ULL || end < start)
		end = 0x100000000ULL;
	for (b = start >> BLOCK_SHIFT;
	     b < (end + (1u << BLOCK_SHIFT) - 1) >> BLOCK_SHIFT; b++)
		block_kind[b] |= io ? 2 : 1;
}

unsigned int arm_hyp_mmu_build(const struct wd_system *sys)
{
	const struct wd_memory *m = wd_cell_mem_regions(&sys->root_cell);
	unsigned int i, b, normal = 0;

	mark(sys->hypervisor_memory.phys_start, sys->hypervisor_memory.size,
	     false);
	for (i = 0; i < sys->root_cell.num_memory_regions; i++)
		mark(m[i].phys_start, m[i].size, m[i].flags & WD_MEM_IO);
	for (b = 0; b < BLOCKS; b++) {
		normal += block_kind[b] == 1;
		hyp_l2[b / 512][b % 512] =
			(uint64_t)b << BLOCK_SHIFT | DESC_BLOCK | AF | AP_RW |
			(block_kind[b] == 1 ? ATTR_NORMAL | SH_INNER :
					      ATTR_DEVICE | XN);
	}
	for (i = 0; i < 4; i++)
		hyp_l1[i] = (uint64_t)(uintptr_t)hyp_l2[i] | DESC_TABLE;
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
	uint32_t clidr = arm_read_cp32(1, c0, c0, 1), ccsidr;
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
			for (way = 0; way <= ways; way++)
				if (clean) /* DCCISW */
					arm_write_cp32(0, c7, c14, 2,
						       way << way_shift |
							       set << line |
							       level << 1);
				else /* DCISW */
					arm_write_cp32(0, c7, c6, 2,
						       way << way_shift |
							       set << line |
							       level << 1);
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
	hsctlr = arm_read_cp32(4, c1, c0, 0);
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
