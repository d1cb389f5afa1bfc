/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor page pool (core/page_alloc.c) after enable: zeroed pages,
 * contiguous multi-page blocks, exhaustion, reuse, and the panic on a
 * double free. Pool statistics are read the way the root cell reads them,
 * through HYPERVISOR_GET_INFO.
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h" /* a core test: reads the root cell's PIO bitmap */
#include "support_cfg.h"
#include "support_run.h"

#define PAGE 4096ULL

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
}

static void teardown(void)
{
	fx_teardown();
}

static long pool_size(void)
{
	return hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_SIZE, 0);
}

static long pool_used(void)
{
	return hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED, 0);
}

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* Host pointer of the first byte of hypervisor memory (the pool). */
static unsigned char *pool_base(void)
{
	return sim_phys_ptr(T_HV_BASE, T_HV_SIZE);
}

START_TEST(pool_covers_hypervisor_memory)
{
	/* 16 MiB of hypervisor memory = 4096 pages; enable used a few. */
	ck_assert_int_eq(pool_size(), T_HV_SIZE / PAGE);
	ck_assert_int_gt(pool_used(), 1);
	ck_assert_int_lt(pool_used(), 64);
	/* Remap pool: none, by design. */
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO,
			    WD_INFO_REMAP_POOL_SIZE, 0),
			 0);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO,
			    WD_INFO_REMAP_POOL_USED, 0),
			 0);
}
END_TEST

START_TEST(alloc_returns_zeroed_page_in_pool)
{
	long used = pool_used();
	unsigned char *p = core_page_alloc(1), *base = pool_base();

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(pool_used(), used + 1);
	/* Page-aligned, inside hypervisor memory, not the bitmap page. */
	ck_assert_uint_eq((p - base) % PAGE, 0);
	ck_assert(p > base && p < base + T_HV_SIZE);
	ck_assert(all_zero(p, PAGE));

	/* Dirty it, free it: the next allocation gets it zeroed again. */
	memset(p, 0xa5, PAGE);
	core_page_free(p, 1);
	ck_assert_int_eq(pool_used(), used);
	ck_assert_ptr_eq(core_page_alloc(1), p);
	ck_assert(all_zero(p, PAGE));
	ck_assert_int_eq(pool_used(), used + 1);
}
END_TEST

START_TEST(alloc_zero_pages_is_null)
{
	long used = pool_used();

	ck_assert_ptr_null(core_page_alloc(0));
	ck_assert_int_eq(pool_used(), used);
	/* Freeing NULL is a no-op. */
	core_page_free(NULL, 3);
	ck_assert_int_eq(pool_used(), used);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(multi_page_block_is_contiguous_and_zeroed)
{
	long used = pool_used();
	unsigned char *a, *b, *c, *big;

	a = core_page_alloc(1);
	b = core_page_alloc(1);
	c = core_page_alloc(1);
	/* First fit on a hole-free pool: consecutive pages. */
	ck_assert_ptr_eq(b, a + PAGE);
	ck_assert_ptr_eq(c, b + PAGE);
	memset(b, 0xff, PAGE);
	core_page_free(b, 1);
	/* A one-page hole does not fit three pages: they go after c. */
	big = core_page_alloc(3);
	ck_assert_ptr_eq(big, c + PAGE);
	ck_assert(all_zero(big, 3 * PAGE));
	ck_assert_int_eq(pool_used(), used + 5);
	/* The hole is reused by the next single page, zeroed. */
	ck_assert_ptr_eq(core_page_alloc(1), b);
	ck_assert(all_zero(b, PAGE));
	/* Freeing a block frees all its pages. */
	core_page_free(big, 3);
	ck_assert_int_eq(pool_used(), used + 3);
	ck_assert_ptr_eq(core_page_alloc(3), big);
}
END_TEST

START_TEST(exhaustion_returns_null_and_free_makes_room)
{
	long size = pool_size(), used = pool_used();
	unsigned int left = (unsigned int)(size - used);
	unsigned char *all, *one;

	/* One page more than is free cannot be had, and costs nothing. */
	ck_assert_ptr_null(core_page_alloc(left + 1));
	ck_assert_int_eq(pool_used(), used);
	all = core_page_alloc(left);
	ck_assert_ptr_nonnull(all);
	ck_assert_int_eq(pool_used(), size);
	/* The block ends exactly at the end of hypervisor memory. */
	ck_assert_ptr_eq(all + (uint64_t)left * PAGE, pool_base() + T_HV_SIZE);
	ck_assert_ptr_null(core_page_alloc(1));
	ck_assert_int_eq(pool_used(), size);

	core_page_free(all + 10 * PAGE, 1);
	ck_assert_int_eq(pool_used(), size - 1);
	ck_assert_ptr_null(core_page_alloc(2));
	one = core_page_alloc(1);
	ck_assert_ptr_eq(one, all + 10 * PAGE);
	ck_assert_ptr_null(core_page_alloc(1));
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(cell_create_fails_cleanly_at_every_exhaustion_point)
{
	long size = pool_size(), used = pool_used(), id = -1;
	struct cell *root = core_cpu_cell(0);
	unsigned int left;
	struct cfg c;
	void *hog;

	cfg_tiny(&c);
	/*
	 * Leave 0, 1, 2... pages free until the create succeeds: each failing
	 * stage must report no_memory and undo everything it did.
	 */
	for (left = 0; left < 32; left++) {
		hog = core_page_alloc((unsigned int)(size - used) - left);
		ck_assert_ptr_nonnull(hog);
		id = fx_create(&c);
		if (id >= 0)
			break;
		ck_assert_int_eq(id, -WD_ENOMEM);
		ck_assert_uint_eq(fx_reason(0), WD_R_no_memory);
		ck_assert_int_eq(pool_used(), size - left);
		core_page_free(hog, (unsigned int)(size - used) - left);
		ck_assert_int_eq(pool_used(), used);
		/* The root cell kept its CPU, RAM and port. */
		ck_assert_ptr_eq(core_cpu_cell(2), root);
		ck_assert(sim_lookup(root, T_TINY_PHYS, NULL));
		ck_assert_uint_eq(root->pio_bitmap[0x2f8 / 8] & 1, 0);
		ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO,
				    WD_INFO_NUM_CELLS, 0),
				 1);
	}
	ck_assert_int_eq(id, 1);
	/* Several stages allocate: at least config, comm, tables, bitmap. */
	ck_assert_uint_ge(left, 5);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id, 0), 0);
	core_page_free(hog, (unsigned int)(size - used) - left);
	ck_assert_int_eq(pool_used(), used);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(double_free_stops_machine)
{
	unsigned char *p = core_page_alloc(1);
	uint64_t index = (uint64_t)(p - pool_base()) / PAGE;

	core_page_free(p, 1);
	ck_assert(!sim_machine_stopped());
	sim_console_clear();
	core_page_free(p, 1);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_hypervisor_fault);
	ck_assert_uint_eq(core_last_reason()->item, index);
	ck_assert_ptr_nonnull(strstr(sim_console(), "HYPERVISOR PANIC"));
	ck_assert_ptr_nonnull(strstr(sim_console(), "machine stopped"));
}
END_TEST

START_TEST(free_of_never_allocated_page_stops_machine)
{
	long used = pool_used();

	/* A page past what enable used was never handed out. */
	core_page_free(pool_base() + (uint64_t)(used + 100) * PAGE, 1);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_hypervisor_fault);
	ck_assert_uint_eq(core_last_reason()->item, used + 100);
}
END_TEST

START_TEST(free_beyond_pool_end_stops_machine)
{
	core_page_free(pool_base() + T_HV_SIZE, 1);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_hypervisor_fault);
	ck_assert_uint_eq(core_last_reason()->item, T_HV_SIZE / PAGE);
}
END_TEST

START_TEST(bitmap_covers_pool_of_odd_size)
{
	/*
	 * 32769 pages: one more than a one-page bitmap holds. The bitmap must
	 * grow to two pages, else the last page's bit lives in the first page
	 * handed out (the system config copy) and corrupts it.
	 */
	const uint64_t hv_base = 0x07000000, hv_size = 32769 * PAGE;
	const struct wd_system *sys;
	struct cfg c;
	long size, used;
	void *all;

	cfg_system(&c);
	c.sys.hypervisor_memory.phys_start = hv_base;
	c.sys.hypervisor_memory.size = hv_size;
	c.mem[0].size = hv_base; /* root RAM ends where the pool starts */
	ck_assert_int_eq(fx_enable(&c), 0);
	size = pool_size();
	used = pool_used();
	ck_assert_int_eq(size, 32769);
	all = core_page_alloc((unsigned int)(size - used));
	ck_assert_ptr_nonnull(all);
	ck_assert(all_zero((unsigned char *)all + (size - used - 1) * PAGE,
			   PAGE));
	sys = core_system_config();
	ck_assert_int_eq(memcmp(sys->signature, WD_SYSTEM_SIGNATURE, 5), 0);
	ck_assert_ptr_null(core_page_alloc(1));
	/* Pool bookkeeping still consistent: everything frees cleanly. */
	core_page_free(all, (unsigned int)(size - used));
	ck_assert(!sim_machine_stopped());
	ck_assert_int_eq(pool_used(), used);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("page_alloc");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, pool_covers_hypervisor_memory);
	tcase_add_test(t, alloc_returns_zeroed_page_in_pool);
	tcase_add_test(t, alloc_zero_pages_is_null);
	tcase_add_test(t, multi_page_block_is_contiguous_and_zeroed);
	tcase_add_test(t, exhaustion_returns_null_and_free_makes_room);
	tcase_add_test(t, cell_create_fails_cleanly_at_every_exhaustion_point);
	tcase_add_test(t, double_free_stops_machine);
	tcase_add_test(t, free_of_never_allocated_page_stops_machine);
	tcase_add_test(t, free_beyond_pool_end_stops_machine);
	suite_add_tcase(s, t);
	/* Tests that enable with their own system config. */
	t = tcase_create("own_system");
	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, bitmap_covers_pool_of_odd_size);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
