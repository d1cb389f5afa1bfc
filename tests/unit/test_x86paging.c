// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 nested paging library (arch-x86/paging.c) on host memory, in
 * both formats (AMD-V NPT and Intel EPT; each test runs once per format):
 * the entries written (bits checked against the manuals' values, written
 * out here independently of the library's descriptors), the choice of
 * page sizes, splitting, random maps and unmaps against a reference
 * interval list, allocation failure at every point, address refusals.
 * Tables come from a counting test allocator that can fail its Nth page,
 * linked in place of the core's page pool (SConstruct: --wrap).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../arch-x86/paging.h"
#include "support_run.h"

#define K4 0x1000ULL
#define M2 0x200000ULL
#define G1 0x40000000ULL

/* --- Test allocator ---------------------------------------------------- */

struct pool {
	unsigned long allocs, live;
	long fail_in; /* fail the allocation after this many (-1: never) */
};

static struct pool pool;

void *__wrap_core_page_alloc(unsigned int pages);
void __wrap_core_page_free(void *page, unsigned int pages);

void *__wrap_core_page_alloc(unsigned int pages)
{
	struct pool *p = &pool;
	void *page;

	ck_assert_uint_eq(pages, 1);
	if (p->fail_in == 0) {
		p->fail_in = -1;
		return NULL;
	}
	if (p->fail_in > 0)
		p->fail_in--;
	page = aligned_alloc(4096, 4096);
	if (!page)
		ck_abort_msg("out of host memory");
	memset(page, 0, 4096);
	p->allocs++;
	p->live++;
	return page;
}

void __wrap_core_page_free(void *page, unsigned int pages)
{
	struct pool *p = &pool;

	ck_assert_uint_eq(pages, 1);
	if (!p->live)
		ck_abort_msg("a page freed twice");
	p->live--;
	free(page);
}

static const struct x86_pt_format *const formats[] = { &x86_pt_npt,
						       &x86_pt_ept };

static bool is_ept(int i)
{
	return formats[i] == &x86_pt_ept;
}

static void setup_pt(struct x86_pt *pt, int fmt, unsigned int sizes)
{
	pool = (struct pool){ 0, 0, -1 };
	ck_assert_int_eq(x86_pt_init(pt, formats[fmt], sizes), 0);
	ck_assert_uint_eq(pool.live, 1);
}

static void destroy_pt(struct x86_pt *pt)
{
	x86_pt_destroy(pt);
	ck_assert_uint_eq(pool.live, 0);
}

/* --- Expected entry bits, from the manuals ------------------------------ */

/* Table (non-leaf) entry: NPT P|RW|US, EPT R|W|X. */
static uint64_t table_bits(void)
{
	return 7;
}

/* A leaf of @perm/@mt at level @level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB). */
static uint64_t leaf_bits(int fmt, unsigned int perm, enum x86_mt mt,
			  unsigned int level)
{
	uint64_t b = level > 1 ? 1ULL << 7 : 0; /* PS / EPT large page */

	if (is_ept(fmt))
		return b | 1 | (perm & X86_PT_W ? 2 : 0) |
		       (perm & X86_PT_X ? 4 : 0) |
		       (mt == X86_MT_WB ? 6ULL << 3 : 0);
	return b | 1 | 4 /* US */ | (perm & X86_PT_W ? 2 : 0) |
	       (perm & X86_PT_X ? 0 : 1ULL << 63) |
	       (mt == X86_MT_UC ? 0x18 : 0);
}

/* The entry for @gpa at @level, walking through table entries. */
static uint64_t entry_at(const struct x86_pt *pt, uint64_t gpa,
			 unsigned int level)
{
	uint64_t *table = pt->root, e;
	unsigned int l;

	for (l = 4;; l--) {
		e = table[(gpa >> (12 + 9 * (l - 1))) & 511];
		if (l == level)
			return e;
		ck_assert_msg((e & 0xfff) == table_bits() && !(e >> 52),
			      "level %u entry for 0x%llx is no table: 0x%llx",
			      l, (unsigned long long)gpa,
			      (unsigned long long)e);
		table = (uint64_t *)(uintptr_t)(e & 0x000ffffffffff000ULL);
	}
}

/* --- Reference model: a list of intervals ------------------------------- */

struct ivl {
	uint64_t gpa, end, hpa;
	unsigned int perm;
	enum x86_mt mt;
};

#define MAX_IVL 8192
static struct ivl model[MAX_IVL];
static unsigned int n_model;

static void model_remove(uint64_t gpa, uint64_t end)
{
	unsigned int i, n = n_model;

	for (i = 0; i < n; i++) {
		struct ivl *v = &model[i];

		if (v->end <= gpa || v->gpa >= end)
			continue;
		if (v->gpa < gpa && v->end > end) { /* keep both sides */
			ck_assert_uint_lt(n_model, MAX_IVL);
			model[n_model] = *v;
			model[n_model].hpa += end - v->gpa;
			model[n_model].gpa = end;
			n_model++;
			v->end = gpa;
		} else if (v->gpa < gpa) {
			v->end = gpa;
		} else if (v->end > end) {
			v->hpa += end - v->gpa;
			v->gpa = end;
		} else {
			v->end = v->gpa; /* empty: dropped below */
		}
	}
	for (i = 0, n = 0; i < n_model; i++)
		if (model[i].end > model[i].gpa)
			model[n++] = model[i];
	n_model = n;
}

static void model_map(uint64_t gpa, uint64_t hpa, uint64_t size,
		      unsigned int perm, enum x86_mt mt)
{
	model_remove(gpa, gpa + size);
	ck_assert_uint_lt(n_model, MAX_IVL);
	model[n_model++] = (struct ivl){ gpa, gpa + size, hpa, perm, mt };
}

static void check_point(const struct x86_pt *pt, uint64_t gpa)
{
	struct x86_pt_xlate x;
	int err = x86_pt_translate(pt, gpa, &x);
	unsigned int i;

	for (i = 0; i < n_model; i++)
		if (model[i].gpa <= gpa && gpa < model[i].end)
			break;
	/* (no ck_assert on success: each one writes to Check's pipe) */
	if (i == n_model) {
		if (err != -WD_ENOENT)
			ck_abort_msg("0x%llx translates (%d) but is not mapped",
				     (unsigned long long)gpa, err);
		return;
	}
	if (err || x.hpa != model[i].hpa + gpa - model[i].gpa ||
	    x.perm != model[i].perm || x.mt != model[i].mt)
		ck_abort_msg(
			"0x%llx: %d, 0x%llx %u %d, model 0x%llx %u %d",
			(unsigned long long)gpa, err, (unsigned long long)x.hpa,
			x.perm, x.mt,
			(unsigned long long)(model[i].hpa + gpa - model[i].gpa),
			model[i].perm, model[i].mt);
}

static uint64_t rnd_state;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* The model's edges and @extra random points below @window. */
static void check_model(const struct x86_pt *pt, uint64_t window,
			unsigned int extra)
{
	unsigned int i;

	for (i = 0; i < n_model; i++) {
		check_point(pt, model[i].gpa);
		check_point(pt, model[i].end - 1);
		check_point(pt, model[i].end);
		if (model[i].gpa)
			check_point(pt, model[i].gpa - 1);
	}
	for (i = 0; i < extra; i++)
		check_point(pt, rnd() % window);
}

/* --- Tests ------------------------------------------------------------- */

START_TEST(test_page_sizes)
{
	uint64_t h = 5 * G1, e;
	unsigned int perm = X86_PT_R | X86_PT_W;
	struct x86_pt pt;
	unsigned int i;

	setup_pt(&pt, _i, X86_PT_2M | X86_PT_1G);
	/* 1 GiB + 2 MiB + 4 KiB, all aligned: one page of each size. */
	ck_assert_int_eq(x86_pt_map(&pt, G1, h, G1 + M2 + K4, perm, X86_MT_WB),
			 0);
	ck_assert_uint_eq(pool.allocs, 4); /* PML4, PDPT, PD, PT */
	ck_assert_uint_eq(entry_at(&pt, G1, 3),
			  h | leaf_bits(_i, perm, X86_MT_WB, 3));
	ck_assert_uint_eq(entry_at(&pt, 2 * G1, 2),
			  (h + G1) | leaf_bits(_i, perm, X86_MT_WB, 2));
	ck_assert_uint_eq(entry_at(&pt, 2 * G1 + M2, 1),
			  (h + G1 + M2) | leaf_bits(_i, perm, X86_MT_WB, 1));
	ck_assert_uint_eq(entry_at(&pt, 2 * G1 + M2 + K4, 1), 0);
	ck_assert_uint_eq(entry_at(&pt, 2 * G1 + 2 * M2, 2), 0);
	ck_assert_uint_eq(entry_at(&pt, 0, 3), 0);
	ck_assert_uint_eq(entry_at(&pt, 3 * G1, 3), 0);

	/* Host address 2 MiB-aligned only: 2 MiB pages for the 1 GiB. */
	ck_assert_int_eq(x86_pt_map(&pt, 4 * G1, h + M2, G1, perm, X86_MT_WB),
			 0);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(entry_at(&pt, 4 * G1 + i * M2, 2),
				  (h + M2 + i * M2) |
					  leaf_bits(_i, perm, X86_MT_WB, 2));

	/* Guest and host 4 KiB-aligned only, across a 2 MiB boundary. */
	ck_assert_int_eq(x86_pt_map(&pt, 6 * G1 + M2 - K4, h + K4, 2 * K4, perm,
				    X86_MT_WB),
			 0);
	ck_assert_uint_eq(entry_at(&pt, 6 * G1 + M2 - K4, 1),
			  (h + K4) | leaf_bits(_i, perm, X86_MT_WB, 1));
	ck_assert_uint_eq(entry_at(&pt, 6 * G1 + M2, 1),
			  (h + 2 * K4) | leaf_bits(_i, perm, X86_MT_WB, 1));

	/* Aligned guest, host off by 4 KiB: 4 KiB pages only. */
	ck_assert_int_eq(x86_pt_map(&pt, 7 * G1, h + K4, M2, perm, X86_MT_WB),
			 0);
	for (i = 0; i < 512; i++) {
		e = entry_at(&pt, 7 * G1 + i * K4, 1);
		ck_assert_uint_eq(e, (h + K4 + i * K4) |
					     leaf_bits(_i, perm, X86_MT_WB, 1));
	}

	/* X86_PT_4K: aligned, yet 4 KiB pages. */
	ck_assert_int_eq(x86_pt_map(&pt, 10 * G1, h, M2, perm | X86_PT_4K,
				    X86_MT_WB),
			 0);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(entry_at(&pt, 10 * G1 + i * K4, 1),
				  (h + i * K4) |
					  leaf_bits(_i, perm, X86_MT_WB, 1));
	destroy_pt(&pt);

	/* 2 MiB pages only: the aligned 1 GiB as 512 of them. */
	setup_pt(&pt, _i, X86_PT_2M);
	ck_assert_int_eq(x86_pt_map(&pt, G1, h, G1, perm, X86_MT_WB), 0);
	ck_assert_uint_eq(pool.allocs, 3);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(entry_at(&pt, G1 + i * M2, 2),
				  (h + i * M2) |
					  leaf_bits(_i, perm, X86_MT_WB, 2));
	destroy_pt(&pt);

	/* 4 KiB pages only: 2 MiB as one full page table. */
	setup_pt(&pt, _i, 0);
	ck_assert_int_eq(x86_pt_map(&pt, M2, h, M2, perm, X86_MT_WB), 0);
	ck_assert_uint_eq(pool.allocs, 4);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(entry_at(&pt, M2 + i * K4, 1),
				  (h + i * K4) |
					  leaf_bits(_i, perm, X86_MT_WB, 1));
	destroy_pt(&pt);
}
END_TEST

START_TEST(test_perm_and_types)
{
	static const unsigned int perms[] = { X86_PT_R, X86_PT_R | X86_PT_W,
					      X86_PT_R | X86_PT_X,
					      X86_PT_R | X86_PT_W | X86_PT_X };
	struct x86_pt_xlate x;
	struct x86_pt pt;
	unsigned int p, m, level;
	uint64_t gpa, hpa, size;

	setup_pt(&pt, _i, X86_PT_2M | X86_PT_1G);
	for (p = 0; p < 4; p++) {
		for (m = 0; m < 2; m++) {
			for (level = 1; level <= 3; level++) {
				size = 1ULL << (12 + 9 * (level - 1));
				gpa = (p * 2 + m + 1) * 8 * G1 + 3 * size;
				hpa = 0xabcdeULL * G1 + 7 * size;
				ck_assert_int_eq(x86_pt_map(&pt, gpa, hpa, size,
							    perms[p], m),
						 0);
				ck_assert_uint_eq(entry_at(&pt, gpa, level),
						  hpa | leaf_bits(_i, perms[p],
								  m, level));
				ck_assert_int_eq(
					x86_pt_translate(&pt, gpa + size - 8,
							 &x),
					0);
				ck_assert_uint_eq(x.hpa, hpa + size - 8);
				ck_assert_uint_eq(x.page_size, size);
				ck_assert_uint_eq(x.perm, perms[p]);
				ck_assert_int_eq(x.mt, m);
			}
		}
	}
	/* nCR3 is the PML4; the EPTP adds WB (6) and walk length 4 - 1. */
	ck_assert_uint_eq(x86_pt_pointer(&pt),
			  (uintptr_t)pt.root | (is_ept(_i) ? 0x1e : 0));
	destroy_pt(&pt);
}
END_TEST

START_TEST(test_unmap_split)
{
	unsigned int perm = X86_PT_R | X86_PT_X;
	uint64_t h = 0x1234ULL * G1, g = 3 * G1;
	struct x86_pt_xlate x;
	struct x86_pt pt;
	unsigned int i;

	setup_pt(&pt, _i, X86_PT_2M | X86_PT_1G);
	ck_assert_int_eq(x86_pt_map(&pt, g, h, G1, perm, X86_MT_UC), 0);
	ck_assert_uint_eq(pool.allocs, 2);
	/* One 4 KiB page out of the 1 GiB page: a PD and a PT. */
	ck_assert_int_eq(x86_pt_unmap(&pt, g + M2 + K4, K4), 0);
	ck_assert_uint_eq(pool.allocs, 4);
	for (i = 0; i < 512; i++) {
		if (i != 1)
			ck_assert_uint_eq(entry_at(&pt, g + i * M2, 2),
					  (h + i * M2) |
						  leaf_bits(_i, perm, X86_MT_UC,
							    2));
		if (i != 1)
			ck_assert_uint_eq(entry_at(&pt, g + M2 + i * K4, 1),
					  (h + M2 + i * K4) |
						  leaf_bits(_i, perm, X86_MT_UC,
							    1));
	}
	ck_assert_uint_eq(entry_at(&pt, g + M2 + K4, 1), 0);
	ck_assert_int_eq(x86_pt_translate(&pt, g + M2 + K4 + 5, &x),
			 -WD_ENOENT);
	ck_assert_int_eq(x86_pt_translate(&pt, g + M2 + 2 * K4, &x), 0);
	ck_assert_uint_eq(x.hpa, h + M2 + 2 * K4);
	ck_assert_uint_eq(x.page_size, K4);
	ck_assert_uint_eq(x.perm, perm);
	ck_assert_int_eq(x.mt, X86_MT_UC);
	ck_assert_int_eq(x86_pt_translate(&pt, g + G1 - 1, &x), 0);
	ck_assert_uint_eq(x.hpa, h + G1 - 1);
	ck_assert_uint_eq(x.page_size, M2);

	/* A whole 2 MiB page of the split: no PT allocated, entry cleared. */
	ck_assert_int_eq(x86_pt_unmap(&pt, g + 6 * M2, M2), 0);
	ck_assert_uint_eq(pool.allocs, 4);
	ck_assert_uint_eq(entry_at(&pt, g + 6 * M2, 2), 0);

	/* The tail of a 2 MiB page and the head of the next: two PTs. */
	ck_assert_int_eq(x86_pt_unmap(&pt, g + 4 * M2 - K4, 3 * K4), 0);
	ck_assert_uint_eq(pool.allocs, 6);
	ck_assert_int_eq(x86_pt_translate(&pt, g + 4 * M2 - 2 * K4, &x), 0);
	ck_assert_uint_eq(x.hpa, h + 4 * M2 - 2 * K4);
	ck_assert_uint_eq(x.page_size, K4);
	ck_assert_int_eq(x86_pt_translate(&pt, g + 4 * M2 + K4, &x),
			 -WD_ENOENT);
	ck_assert_int_eq(x86_pt_translate(&pt, g + 4 * M2 + 2 * K4, &x), 0);
	ck_assert_uint_eq(x.hpa, h + 4 * M2 + 2 * K4);

	/* Unmapping the whole 1 GiB frees the tables below its entry. */
	ck_assert_int_eq(x86_pt_unmap(&pt, g, G1), 0);
	ck_assert_uint_eq(pool.live, 2);
	ck_assert_uint_eq(entry_at(&pt, g, 3), 0);
	/* Unmapping what is not mapped allocates nothing. */
	ck_assert_int_eq(x86_pt_unmap(&pt, 100 * G1 + K4, 5 * G1), 0);
	ck_assert_uint_eq(pool.allocs, 6);
	destroy_pt(&pt);
}
END_TEST

/* A random range: granularity 4 KiB, 2 MiB or 1 GiB, often off by pages. */
static void rnd_range(uint64_t window, uint64_t *gpa, uint64_t *hpa,
		      uint64_t *size)
{
	static const uint64_t grans[] = { K4, M2, G1 };
	uint64_t gran = grans[rnd() % 3];

	*gpa = rnd() % (window / gran) * gran;
	*size = (rnd() % 3 + 1) * gran;
	if (rnd() % 2)
		*gpa += rnd() % 4 * K4;
	if (rnd() % 3 == 0)
		*size += rnd() % 4 * K4;
	if (rnd() % 3 == 0 && *size > K4)
		*size -= K4;
	if (*gpa >= window)
		*gpa = window - K4;
	if (*gpa + *size > window)
		*size = window - *gpa;
	/* host: same offset in the largest page as the guest, or not */
	*hpa = (rnd() % (X86_PT_HPA_LIMIT / G1 - 64)) * G1 + (*gpa & (G1 - 1));
	if (rnd() % 4 == 0 && *size <= 4 * M2) /* (a few 4 KiB pages) */
		*hpa += rnd() % 8 * K4;
	if (rnd() % 4 == 0)
		*hpa += rnd() % 8 * M2;
}

/* The page size the library must choose for @g in a fresh map. */
static uint64_t expected_size(uint64_t g, uint64_t gpa, uint64_t hpa,
			      uint64_t size, unsigned int sizes)
{
	uint64_t s;

	for (s = G1; s > K4; s >>= 9) {
		if (!(sizes & (s == G1 ? X86_PT_1G : X86_PT_2M)))
			continue;
		if ((hpa - gpa) % s == 0 && (g & ~(s - 1)) >= gpa &&
		    (g & ~(s - 1)) + s <= gpa + size)
			return s;
	}
	return K4;
}

START_TEST(test_random_vs_model)
{
	const uint64_t window = 16 * G1;
	unsigned int op, j, sizes = X86_PT_2M | X86_PT_1G;
	uint64_t gpa, hpa, size, g;
	struct x86_pt_xlate x;
	struct x86_pt pt;

	rnd_state = 0x9e3779b97f4a7c15ULL + _i;
	n_model = 0;
	setup_pt(&pt, _i, sizes);
	for (op = 0; op < 3000; op++) {
		rnd_range(window, &gpa, &hpa, &size);
		if (rnd() % 3) {
			unsigned int perm = X86_PT_R | (rnd() % 4) << 1;
			bool small = size <= 4 * M2 && rnd() % 4 == 0;
			enum x86_mt mt = rnd() % 2;

			if (x86_pt_map(&pt, gpa, hpa, size,
				       perm | (small ? X86_PT_4K : 0), mt))
				ck_abort_msg("map 0x%llx failed",
					     (unsigned long long)gpa);
			model_map(gpa, hpa, size, perm, mt);
			for (j = 0; j < 8; j++) {
				g = gpa + rnd() % size;
				if (x86_pt_translate(&pt, g, &x) ||
				    x.page_size !=
					    expected_size(g, gpa, hpa, size,
							  small ? 0 : sizes))
					ck_abort_msg("0x%llx: page size 0x%llx",
						     (unsigned long long)g,
						     (unsigned long long)
							     x.page_size);
			}
		} else {
			if (x86_pt_unmap(&pt, gpa, size))
				ck_abort_msg("unmap 0x%llx failed",
					     (unsigned long long)gpa);
			model_remove(gpa, gpa + size);
		}
		if (op % 100 == 99)
			check_model(&pt, window + G1, 200);
		else
			check_model(&pt, window + G1, 0);
	}
	destroy_pt(&pt);
}
END_TEST

/* The operations of test_alloc_failure, applied in this order. */
struct pt_op {
	bool map;
	uint64_t gpa, hpa, size;
	unsigned int perm;
	enum x86_mt mt;
	unsigned int allocs; /* table pages it needs after the ones before */
};

#define RW (X86_PT_R | X86_PT_W)
#define H (0x777ULL * G1)
static const struct pt_op fail_ops[] = {
	/* The state to start from: a 1 GiB page (PDPT), a 2 MiB page and
	 * three 4 KiB pages after it (PD, PT), 2 GiB of 1 GiB pages. */
	{ true, G1, H, G1, RW, X86_MT_WB, 1 },
	{ true, 2 * G1, H + G1, M2 + 3 * K4, RW, X86_MT_UC, 2 },
	{ true, 8 * G1, H, 2 * G1, RW, X86_MT_WB, 0 },
	/* A fresh PML4 entry: PDPT, PD, PT. */
	{ true, 600 * G1 + K4, H, K4, X86_PT_R, X86_MT_WB, 3 },
	/* From inside the 1 GiB page into the next GiB, host and guest
	 * 2 MiB-congruent: the 1 GiB page split (PD), its 2 MiB part where
	 * the range starts split (PT), 2 MiB pages, and after 2 GiB a PT
	 * for the 4 KiB tail (the PT of the 4 KiB pages there is replaced
	 * by a 2 MiB page). */
	{ true, G1 + 0x3ff000, 0x42ULL * G1 + 0x3ff000, G1 + M2, RW, X86_MT_UC,
	  3 },
	/* Unmap splitting the 2 MiB page at its start (the rest is a whole
	 * 2 MiB part, cleared). */
	{ false, G1 + 0x1f5000, 0, 0x20b000, 0, X86_MT_WB, 1 },
	/* Unmap across two 1 GiB pages, splitting both and a 2 MiB part at
	 * each end. */
	{ false, 9 * G1 - M2 - K4, 0, 2 * M2 + 2 * K4, 0, X86_MT_WB, 4 },
};

static int run_op(struct x86_pt *pt, const struct pt_op *op)
{
	return op->map ? x86_pt_map(pt, op->gpa, op->hpa, op->size, op->perm,
				    op->mt) :
			 x86_pt_unmap(pt, op->gpa, op->size);
}

static void model_op(const struct pt_op *op)
{
	if (op->map)
		model_map(op->gpa, op->hpa, op->size, op->perm, op->mt);
	else
		model_remove(op->gpa, op->gpa + op->size);
}

/* A table with fail_ops[0..@k) applied, and the model of it. */
static void build(struct x86_pt *pt, int fmt, unsigned int k)
{
	unsigned long allocs;
	unsigned int i;

	n_model = 0;
	setup_pt(pt, fmt, X86_PT_2M | X86_PT_1G);
	for (i = 0; i < k; i++) {
		allocs = pool.allocs;
		ck_assert_int_eq(run_op(pt, &fail_ops[i]), 0);
		ck_assert_uint_eq(pool.allocs - allocs, fail_ops[i].allocs);
		model_op(&fail_ops[i]);
	}
}

/*
 * Each operation with each of its allocations failing in turn, on a
 * table rebuilt each time: -WD_ENOMEM, no translation changed, the same
 * operation then succeeds, and destroy frees every page.
 */
START_TEST(test_alloc_failure)
{
	unsigned int k, n;
	struct x86_pt pt;
	int err;

	rnd_state = 0x1234567ULL + _i;
	for (k = 0; k < sizeof(fail_ops) / sizeof(fail_ops[0]); k++) {
		for (n = 0; n <= fail_ops[k].allocs; n++) {
			build(&pt, _i, k);
			check_model(&pt, 64 * G1, 100);
			pool.fail_in = n;
			err = run_op(&pt, &fail_ops[k]);
			if (n == fail_ops[k].allocs) {
				/* no allocation left to fail */
				ck_assert_int_eq(err, 0);
				ck_assert_int_eq(pool.fail_in, 0);
				pool.fail_in = -1;
			} else {
				ck_assert_msg(err == -WD_ENOMEM,
					      "op %u, allocation %u: %d", k, n,
					      err);
				ck_assert_int_eq(pool.fail_in, -1);
				check_model(&pt, 64 * G1, 300);
				ck_assert_int_eq(run_op(&pt, &fail_ops[k]), 0);
			}
			model_op(&fail_ops[k]);
			check_model(&pt, 64 * G1, 300);
			destroy_pt(&pt);
		}
	}
}
END_TEST

START_TEST(test_limits)
{
	const unsigned int r = X86_PT_R;
	const uint64_t gl = X86_PT_GPA_LIMIT, hl = X86_PT_HPA_LIMIT;
	struct x86_pt_xlate x;
	struct x86_pt pt;
	unsigned long allocs;

	pool = (struct pool){ 0, 0, 0 };
	ck_assert_int_eq(x86_pt_init(&pt, formats[_i], 0), -WD_ENOMEM);
	ck_assert_int_eq(x86_pt_init(&pt, formats[_i], 4), -WD_EINVAL);
	ck_assert_uint_eq(pool.live, 0);

	setup_pt(&pt, _i, X86_PT_2M | X86_PT_1G);
	allocs = pool.allocs;
	ck_assert_int_eq(x86_pt_map(&pt, 0x1800, 0, K4, r, X86_MT_WB),
			 -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, 0, 0x10, K4, r, X86_MT_WB),
			 -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, 0, 0, 0, r, X86_MT_WB), -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, 0, 0, 0x800, r, X86_MT_WB),
			 -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, 0, 0, K4, 0, X86_MT_WB), -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, 0, 0, K4, X86_PT_W, X86_MT_WB),
			 -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, 0, 0, K4, X86_PT_X, X86_MT_WB),
			 -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, 0, 0, K4, r | 16, X86_MT_WB),
			 -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, 0, 0, K4, r, (enum x86_mt)2),
			 -WD_EINVAL);
	ck_assert_int_eq(x86_pt_map(&pt, gl, 0, K4, r, X86_MT_WB), -WD_ERANGE);
	ck_assert_int_eq(x86_pt_map(&pt, gl - K4, 0, 2 * K4, r, X86_MT_WB),
			 -WD_ERANGE);
	ck_assert_int_eq(x86_pt_map(&pt, -K4, 0, 2 * K4, r, X86_MT_WB),
			 -WD_ERANGE);
	ck_assert_int_eq(x86_pt_map(&pt, 0, -K4, 2 * K4, r, X86_MT_WB),
			 -WD_ERANGE);
	ck_assert_int_eq(x86_pt_map(&pt, 0, hl, K4, r, X86_MT_WB), -WD_ERANGE);
	ck_assert_int_eq(x86_pt_map(&pt, 0, hl - K4, 2 * K4, r, X86_MT_WB),
			 -WD_ERANGE);
	ck_assert_int_eq(x86_pt_unmap(&pt, 0x10, K4), -WD_EINVAL);
	ck_assert_int_eq(x86_pt_unmap(&pt, 0, 0), -WD_EINVAL);
	ck_assert_int_eq(x86_pt_unmap(&pt, gl, K4), -WD_ERANGE);
	ck_assert_int_eq(x86_pt_unmap(&pt, gl - K4, 2 * K4), -WD_ERANGE);
	ck_assert_int_eq(x86_pt_unmap(&pt, -K4, 2 * K4), -WD_ERANGE);
	ck_assert_int_eq(x86_pt_translate(&pt, gl, &x), -WD_ERANGE);
	ck_assert_int_eq(x86_pt_translate(&pt, 0, &x), -WD_ENOENT);
	ck_assert_uint_eq(pool.allocs, allocs); /* refusals allocate nothing */

	/* The last guest page onto the last host page. */
	ck_assert_int_eq(x86_pt_map(&pt, gl - K4, hl - K4, K4, r, X86_MT_UC),
			 0);
	ck_assert_int_eq(x86_pt_translate(&pt, gl - 1, &x), 0);
	ck_assert_uint_eq(x.hpa, hl - 1);
	ck_assert_uint_eq(entry_at(&pt, gl - K4, 1),
			  (hl - K4) | leaf_bits(_i, r, X86_MT_UC, 1));
	ck_assert_int_eq(x86_pt_unmap(&pt, gl - G1, G1), 0);
	ck_assert_int_eq(x86_pt_translate(&pt, gl - 1, &x), -WD_ENOENT);
	destroy_pt(&pt);
}
END_TEST

/*
 * AMD-Vi DMA tables (x86_pt_amdvi; AMD IOMMU spec #48882, I/O page tables):
 * 4 KiB leaves only; a table entry at level L is PR | IR | IW with Next
 * Level L - 1 in bits 11:9, a leaf PR | IR (| IW) with Next Level 0;
 * unused entries hold Next Level 1 with PR clear, never 0 or Next Level 0
 * (QEMU 7.2 logs no fault at those); the device table's pointer carries
 * Mode 4.
 */
START_TEST(test_amdvi)
{
	const uint64_t pr = 1, ir = 1ULL << 61, iw = 1ULL << 62,
		       unused = 1 << 9;
	uint64_t g = 5 * G1 + 3 * M2 + 7 * K4, h = 0x123456ULL * K4, e, *t;
	struct x86_pt_xlate x;
	struct x86_pt pt;
	unsigned int l, i;

	pool = (struct pool){ 0, 0, -1 };
	ck_assert_int_eq(x86_pt_init(&pt, &x86_pt_amdvi, X86_PT_2M),
			 -WD_EINVAL);
	ck_assert_int_eq(x86_pt_init(&pt, &x86_pt_amdvi, 0), 0);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(pt.root[i], unused);
	ck_assert_uint_eq(x86_pt_pointer(&pt), (uintptr_t)pt.root | 4 << 9);

	/* 2 MiB, aligned: still 512 leaves of 4 KiB in one PT. */
	ck_assert_int_eq(
		x86_pt_map(&pt, g - 7 * K4, h, M2, X86_PT_R, X86_MT_WB), 0);
	ck_assert_int_eq(x86_pt_map(&pt, g, h + 7 * K4, K4, X86_PT_R | X86_PT_W,
				    X86_MT_WB),
			 0);
	ck_assert_uint_eq(pool.live, 4);
	t = pt.root;
	for (l = 4; l > 1; l--) {
		e = t[(g >> (12 + 9 * (l - 1))) & 511];
		ck_assert_uint_eq(e & ~0x000ffffffffff000ULL,
				  pr | ir | iw | (uint64_t)(l - 1) << 9);
		t = (uint64_t *)(uintptr_t)(e & 0x000ffffffffff000ULL);
		ck_assert_uint_eq(t[510], /* another entry */
				  l > 2 ? unused : (h + 510 * K4) | pr | ir);
	}
	ck_assert_uint_eq(t[7], (h + 7 * K4) | pr | ir | iw);
	ck_assert_uint_eq(t[8], (h + 8 * K4) | pr | ir);
	ck_assert_int_eq(x86_pt_translate(&pt, g + 5, &x), 0);
	ck_assert_uint_eq(x.hpa, h + 7 * K4 + 5);
	ck_assert_uint_eq(x.page_size, K4);
	ck_assert_uint_eq(x.perm, X86_PT_R | X86_PT_W | X86_PT_X);
	ck_assert_int_eq(x86_pt_translate(&pt, g + K4, &x), 0);
	ck_assert_uint_eq(x.perm, X86_PT_R | X86_PT_X);

	/* Unmapped: the unused value again; elsewhere nothing. */
	ck_assert_int_eq(x86_pt_unmap(&pt, g, K4), 0);
	ck_assert_uint_eq(t[7], unused);
	ck_assert_int_eq(x86_pt_translate(&pt, g, &x), -WD_ENOENT);
	ck_assert_int_eq(x86_pt_translate(&pt, g + M2, &x), -WD_ENOENT);
	ck_assert_int_eq(x86_pt_unmap(&pt, g - 7 * K4, G1 - 3 * M2), 0);
	ck_assert_int_eq(x86_pt_translate(&pt, g + K4, &x), -WD_ENOENT);
	destroy_pt(&pt);
}
END_TEST

static Suite *x86paging_suite(void)
{
	Suite *s = suite_create("x86paging");
	TCase *tc = tcase_create("paging");

	tcase_add_loop_test(tc, test_page_sizes, 0, 2);
	tcase_add_loop_test(tc, test_perm_and_types, 0, 2);
	tcase_add_loop_test(tc, test_unmap_split, 0, 2);
	tcase_add_loop_test(tc, test_random_vs_model, 0, 2);
	tcase_add_loop_test(tc, test_alloc_failure, 0, 2);
	tcase_add_loop_test(tc, test_limits, 0, 2);
	tcase_add_test(tc, test_amdvi);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(x86paging_suite());
}
