/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page pool over the hypervisor memory: a first-fit bitmap allocator. The
 * bitmap lives in the first pages of the pool itself.
 */
#include "core.h"

static uint8_t *pool_base;
static uint64_t *pool_bitmap;
uint64_t page_pool_pages, page_pool_used; /* core.h */

static bool page_busy(uint64_t n)
{
	return (pool_bitmap[n / 64] >> (n % 64)) & 1;
}

/* Page @n becomes busy if it was free, free if it was busy. */
static void page_flip(uint64_t n)
{
	pool_bitmap[n / 64] ^= 1ULL << (n % 64);
}

void page_pool_init(void *base, uint64_t pages)
{
	uint64_t bitmap_pages, n;

	pool_base = base;
	pool_bitmap = base;
	page_pool_pages = pages;
	/* One bit per page, rounded up: pages / 8 would drop the last bits. */
	bitmap_pages = (pages + 8 * WD_PAGE_SIZE - 1) / (8 * WD_PAGE_SIZE);
	wd_memset(pool_bitmap, 0, bitmap_pages * WD_PAGE_SIZE);
	for (n = 0; n < bitmap_pages && n < pages; n++)
		page_flip(n); /* the bitmap's own pages: busy */
	page_pool_used = n;
}

void *core_page_alloc(unsigned int pages)
{
	uint64_t start, n;

	if (!pages)
		return NULL;
	for (start = 0; start + pages <= page_pool_pages; start++) {
		for (n = 0; n < pages && !page_busy(start + n); n++)
			;
		if (n == pages) {
			for (n = 0; n < pages; n++)
				page_flip(start + n);
			page_pool_used += pages;
			return wd_memset(pool_base + start * WD_PAGE_SIZE, 0,
					 pages * WD_PAGE_SIZE);
		}
		start += n;
	}
	return NULL;
}

void core_page_free(void *p, unsigned int pages)
{
	uint64_t first, n;

	if (!p)
		return;
	first = (uint64_t)((uint8_t *)p - pool_base) / WD_PAGE_SIZE;
	for (n = 0; n < pages; n++) {
		if (first + n >= page_pool_pages || !page_busy(first + n)) {
			core_hypervisor_panic("page_free of a free page",
					      first + n);
			return;
		}
		page_flip(first + n);
	}
	page_pool_used -= pages;
}
