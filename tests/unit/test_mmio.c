/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MMIO dispatch (core/mmio.c) and sub-page regions (core/memory.c): which
 * trapped accesses reach the device, at which physical address, and which
 * are denied with which reason. Denials are provoked from non-root cells:
 * a denied root access stops the whole machine, by design, and gets tests
 * of its own.
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

#define RW (WD_MEM_READ | WD_MEM_WRITE)
#define SUBPAGE_FLAGS (WD_MEM_IO | WD_MEM_IO_32)

/* What the device side saw (hal_phys_access through the sim hook). */
static struct {
	unsigned int calls;
	uint64_t addr;
	unsigned int size;
	bool is_write;
	uint64_t value;	     /* written value */
	uint64_t read_value; /* what reads return */
} dev;

static void device_hook(void *arg, uint64_t addr, struct mmio_access *acc)
{
	(void)arg;
	dev.calls++;
	dev.addr = addr;
	dev.size = acc->size;
	dev.is_write = acc->is_write;
	if (acc->is_write)
		dev.value = acc->value;
	else
		acc->value = dev.read_value;
}

static long tiny_id;

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
	tiny_id = fx_tiny_running();
	ck_assert_int_eq(tiny_id, 1);
	memset(&dev, 0, sizeof(dev));
	dev.read_value = 0xcafef00d;
	sim_set_device_hook(device_hook, NULL);
}

static void teardown(void)
{
	fx_teardown();
}

static long cpu_stat(unsigned int cpu, unsigned int stat)
{
	return hc(0, WD_HC_CPU_GET_INFO, cpu, WD_CPU_INFO_STAT_BASE + stat);
}

static long cell_state(long id)
{
	return hc(0, WD_HC_CELL_GET_STATE, (unsigned long)id, 0);
}

/* Create and start @c (on CPU 3); returns its id. */
static long start_cell(const struct cfg *c)
{
	long id = fx_create(c);

	ck_assert_int_ge(id, 2);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)id, 0), 0);
	ck_assert_int_eq(cell_state(id), WD_CELL_RUNNING);
	return id;
}

/*
 * Cell "dev" on CPU 3: the attack cell plus sub-page windows into the root
 * cell's device page at T_DEV_PAGE, at guest 0x80000000 + the same offset.
 */
#define DEV_VIRT 0x80000000ULL
#define MAIN_OFF 0x100 /* RW, 32-bit */
#define RO_OFF 0x200   /* read-only, 32-bit */
#define UNAL_OFF 0x300 /* RW, 32-bit, unaligned allowed */
#define WO_OFF 0x400   /* write-only, 32-bit */
#define ALLW_OFF 0x500 /* RW, every width */
#define WIN_SIZE 0x40

static long start_dev(void)
{
	struct cfg c;

	cfg_attack(&c);
	strcpy(c.cell.name, "dev");
	cfg_add_mem(&c, T_DEV_PAGE + MAIN_OFF, DEV_VIRT + MAIN_OFF, WIN_SIZE,
		    RW | SUBPAGE_FLAGS);
	cfg_add_mem(&c, T_DEV_PAGE + RO_OFF, DEV_VIRT + RO_OFF, WIN_SIZE,
		    WD_MEM_READ | SUBPAGE_FLAGS);
	cfg_add_mem(&c, T_DEV_PAGE + UNAL_OFF, DEV_VIRT + UNAL_OFF, WIN_SIZE,
		    RW | SUBPAGE_FLAGS | WD_MEM_IO_UNALIGNED);
	cfg_add_mem(&c, T_DEV_PAGE + WO_OFF, DEV_VIRT + WO_OFF, WIN_SIZE,
		    WD_MEM_WRITE | SUBPAGE_FLAGS);
	cfg_add_mem(&c, T_DEV_PAGE + ALLW_OFF, DEV_VIRT + ALLW_OFF, WIN_SIZE,
		    RW | WD_MEM_IO | WD_MEM_IO_WIDTH_MASK);
	return start_cell(&c);
}

/* A forwarded access from @cpu must reach the device at @phys. */
static void expect_forwarded(unsigned int cpu, bool write, uint64_t addr,
			     unsigned int size, uint64_t phys)
{
	unsigned int calls = dev.calls;
	uint64_t v = write ? 0x11223344 : 0;

	ck_assert_msg(fx_mmio(cpu, write, addr, size, &v) == ACCESS_FORWARDED,
		      "access at 0x%llx size %u not forwarded",
		      (unsigned long long)addr, size);
	ck_assert_uint_eq(dev.calls, calls + 1);
	ck_assert_uint_eq(dev.addr, phys);
	ck_assert_uint_eq(dev.size, size);
	ck_assert_int_eq(dev.is_write, write);
	if (write)
		ck_assert_uint_eq(dev.value, 0x11223344);
	else
		ck_assert_uint_eq(v, dev.read_value);
}

/*
 * A denied access from CPU @cpu of cell @id: exact reason and item, the
 * device untouched, the cell FAILED with its CPU parked, tiny unaffected.
 * The cell is restarted afterwards so the next case can run.
 */
static void expect_denied(unsigned int cpu, long id, bool write, uint64_t addr,
			  unsigned int size, unsigned int reason)
{
	unsigned int calls = dev.calls;
	long denied = cpu_stat(cpu, WD_CPU_STAT_VMEXITS_DENIED);
	uint64_t v = 0x5555;

	ck_assert_msg(fx_mmio(cpu, write, addr, size, &v) == ACCESS_DENIED,
		      "access at 0x%llx size %u not denied",
		      (unsigned long long)addr, size);
	ck_assert_msg(fx_reason((unsigned int)id) == reason,
		      "access at 0x%llx size %u: reason %u, want %u",
		      (unsigned long long)addr, size,
		      fx_reason((unsigned int)id), reason);
	ck_assert_uint_eq(fx_item((unsigned int)id), addr);
	ck_assert_uint_eq(dev.calls, calls);
	ck_assert_int_eq(cell_state(id), WD_CELL_FAILED);
	ck_assert(sim_cpu(cpu)->parked);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, cpu, WD_CPU_INFO_STATE),
			 WD_CPU_FAILED);
	ck_assert_int_eq(cpu_stat(cpu, WD_CPU_STAT_VMEXITS_DENIED), denied + 1);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
	ck_assert(!sim_cpu(2)->parked);
	ck_assert(!sim_machine_stopped());
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)id, 0), 0);
	ck_assert(!sim_cpu(cpu)->parked);
}

/* ---- root cell ---------------------------------------------------------- */

START_TEST(root_subpage_allowed_widths_are_forwarded)
{
	long mmio = cpu_stat(0, WD_CPU_STAT_VMEXITS_MMIO);

	expect_forwarded(0, false, T_SUBPAGE + 4, 4, T_SUBPAGE + 4);
	expect_forwarded(0, true, T_SUBPAGE + 0xfc, 4, T_SUBPAGE + 0xfc);
	expect_forwarded(0, false, T_SUBPAGE + 7, 1, T_SUBPAGE + 7);
	expect_forwarded(0, true, T_SUBPAGE + 0xff, 1, T_SUBPAGE + 0xff);
	ck_assert_int_eq(cpu_stat(0, WD_CPU_STAT_VMEXITS_MMIO), mmio + 4);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(root_subpage_bad_width_stops_machine)
{
	uint64_t v = 0;

	/* 16-bit is not among the region's widths (8 and 32). */
	ck_assert_int_eq(fx_mmio(0, false, T_SUBPAGE + 2, 2, &v),
			 ACCESS_DENIED);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_mmio_width);
	ck_assert_uint_eq(core_last_reason()->item, T_SUBPAGE + 2);
	ck_assert_uint_eq(dev.calls, 0);
	ck_assert_ptr_nonnull(strstr(sim_console(), "root cell failed"));
}
END_TEST

START_TEST(root_page_region_is_mapped_not_trapped)
{
	struct cell *root = core_cpu_cell(0);
	struct sim_mapping m;

	ck_assert(sim_lookup(root, T_DEV_PAGE + 0x10, &m));
	ck_assert_uint_eq(m.gpa, T_DEV_PAGE);
	ck_assert_uint_eq(m.hpa, T_DEV_PAGE);
	ck_assert_uint_eq(m.size, 0x1000);
	ck_assert_uint_eq(m.flags & WD_MEM_IO, WD_MEM_IO);
	/* The sub-page device is emulated: never mapped. */
	ck_assert(!sim_lookup(root, T_SUBPAGE, NULL));
	/* Root's emulated ranges: the sub-page region and ECAM. */
	ck_assert_uint_eq(core_cell_mmio_ranges(root), 2);
}
END_TEST

/* ---- non-root sub-page regions ----------------------------------------- */

START_TEST(cell_subpage_access_reaches_physical_address)
{
	long id = start_dev();

	/* Guest 0x80000100.. is physical 0xfed00100.. */
	expect_forwarded(3, false, DEV_VIRT + MAIN_OFF, 4,
			 T_DEV_PAGE + MAIN_OFF);
	expect_forwarded(3, true, DEV_VIRT + MAIN_OFF + 0x3c, 4,
			 T_DEV_PAGE + MAIN_OFF + 0x3c);
	expect_forwarded(3, false, DEV_VIRT + RO_OFF + 8, 4,
			 T_DEV_PAGE + RO_OFF + 8);
	expect_forwarded(3, true, DEV_VIRT + WO_OFF, 4, T_DEV_PAGE + WO_OFF);
	expect_forwarded(3, false, DEV_VIRT + ALLW_OFF + 8, 8,
			 T_DEV_PAGE + ALLW_OFF + 8);
	expect_forwarded(3, true, DEV_VIRT + ALLW_OFF + 2, 2,
			 T_DEV_PAGE + ALLW_OFF + 2);
	expect_forwarded(3, false, DEV_VIRT + ALLW_OFF + 1, 1,
			 T_DEV_PAGE + ALLW_OFF + 1);
	ck_assert_int_eq(cell_state(id), WD_CELL_RUNNING);
	ck_assert_int_eq(cpu_stat(3, WD_CPU_STAT_VMEXITS_MMIO), 7);
	ck_assert_int_eq(cpu_stat(3, WD_CPU_STAT_VMEXITS_DENIED), 0);
	/* The cell's sub-page windows are emulated, not mapped. */
	ck_assert(!sim_lookup(core_cpu_cell(3), DEV_VIRT + MAIN_OFF, NULL));
}
END_TEST

START_TEST(width_not_permitted_is_denied)
{
	long id = start_dev();

	expect_denied(3, id, false, DEV_VIRT + MAIN_OFF, 2, WD_R_mmio_width);
	expect_denied(3, id, true, DEV_VIRT + MAIN_OFF + 4, 1, WD_R_mmio_width);
	expect_denied(3, id, false, DEV_VIRT + MAIN_OFF + 8, 8,
		      WD_R_mmio_width);
	/* Width is checked before alignment. */
	expect_denied(3, id, false, DEV_VIRT + MAIN_OFF + 1, 2,
		      WD_R_mmio_width);
}
END_TEST

START_TEST(invalid_access_size_is_denied)
{
	long id = start_dev();

	expect_denied(3, id, false, DEV_VIRT + ALLW_OFF, 3, WD_R_mmio_width);
	expect_denied(3, id, true, DEV_VIRT + ALLW_OFF, 0, WD_R_mmio_width);
	expect_denied(3, id, false, DEV_VIRT + ALLW_OFF, 16, WD_R_mmio_width);
	/* Anywhere, even where the cell has nothing. */
	expect_denied(3, id, false, 0x90000000, 3, WD_R_mmio_width);
}
END_TEST

START_TEST(unaligned_access_is_denied_unless_permitted)
{
	long id = start_dev();

	expect_denied(3, id, false, DEV_VIRT + MAIN_OFF + 2, 4,
		      WD_R_mmio_unaligned);
	expect_denied(3, id, true, DEV_VIRT + MAIN_OFF + 1, 4,
		      WD_R_mmio_unaligned);
	expect_denied(3, id, false, DEV_VIRT + ALLW_OFF + 4, 8,
		      WD_R_mmio_unaligned);
	/* WD_MEM_IO_UNALIGNED lifts the rule. */
	expect_forwarded(3, false, DEV_VIRT + UNAL_OFF + 2, 4,
			 T_DEV_PAGE + UNAL_OFF + 2);
	expect_forwarded(3, true, DEV_VIRT + UNAL_OFF + 0x3b, 4,
			 T_DEV_PAGE + UNAL_OFF + 0x3b);
	ck_assert_int_eq(cell_state(id), WD_CELL_RUNNING);
}
END_TEST

START_TEST(write_to_read_only_region_is_denied)
{
	long id = start_dev();

	expect_denied(3, id, true, DEV_VIRT + RO_OFF, 4, WD_R_mmio_readonly);
	expect_denied(3, id, true, DEV_VIRT + RO_OFF + 0x3c, 4,
		      WD_R_mmio_readonly);
}
END_TEST

START_TEST(read_of_write_only_region_is_denied)
{
	long id = start_dev();

	/* No READ flag: reading is as if nothing were there. */
	expect_denied(3, id, false, DEV_VIRT + WO_OFF, 4, WD_R_mmio_unhandled);
}
END_TEST

START_TEST(access_past_region_end_is_unhandled)
{
	long id = start_dev();

	/* Last 4 bytes are fine; 2 bytes beyond the end are not. */
	expect_forwarded(3, false, DEV_VIRT + UNAL_OFF + 0x3c, 4,
			 T_DEV_PAGE + UNAL_OFF + 0x3c);
	expect_denied(3, id, false, DEV_VIRT + UNAL_OFF + 0x3e, 4,
		      WD_R_mmio_unhandled);
	expect_denied(3, id, true, DEV_VIRT + UNAL_OFF + 0x3f, 4,
		      WD_R_mmio_unhandled);
	/* 8 bytes at the last aligned word of a 32-bit window. */
	expect_denied(3, id, false, DEV_VIRT + MAIN_OFF + 0x3c, 8,
		      WD_R_mmio_unhandled);
}
END_TEST

START_TEST(unmapped_address_is_unhandled)
{
	long id = start_dev();

	expect_denied(3, id, false, 0x90000000, 4, WD_R_mmio_unhandled);
	/* Right after a window, in the gap before the next one. */
	expect_denied(3, id, false, DEV_VIRT + MAIN_OFF + WIN_SIZE, 4,
		      WD_R_mmio_unhandled);
	/* Right before the first window. */
	expect_denied(3, id, false, DEV_VIRT + MAIN_OFF - 4, 4,
		      WD_R_mmio_unhandled);
	/* The physical address of a window is not a guest address. */
	expect_denied(3, id, false, T_DEV_PAGE + MAIN_OFF, 4,
		      WD_R_mmio_unhandled);
	/* Root's sub-page device is not the cell's. */
	expect_denied(3, id, false, T_SUBPAGE, 4, WD_R_mmio_unhandled);
	expect_denied(3, id, false, ~0ULL - 3, 4, WD_R_mmio_unhandled);
}
END_TEST

/* 60 windows, inserted out of order; guest stride 0x80, physical 0x40. */
#define MANY 60
#define MANY_VIRT 0x90000000ULL
#define MANY_SIZE 0x20

static uint64_t many_virt(unsigned int i)
{
	return MANY_VIRT + i * 0x80ULL;
}

static uint64_t many_phys(unsigned int i)
{
	return T_DEV_PAGE + i * 0x40ULL;
}

START_TEST(sixty_regions_dispatch_to_the_right_device)
{
	struct cfg c;
	unsigned int k, i;
	long id;

	cfg_attack(&c);
	strcpy(c.cell.name, "many");
	for (k = 0; k < MANY; k++) {
		i = (k * 37) % MANY; /* 37 is coprime to 60: a permutation */
		cfg_add_mem(&c, many_phys(i), many_virt(i), MANY_SIZE,
			    RW | WD_MEM_IO | WD_MEM_IO_8 | WD_MEM_IO_32);
	}
	id = start_cell(&c);
	ck_assert_uint_eq(core_cell_mmio_ranges(core_cpu_cell(3)), MANY + 1);
	for (i = 0; i < MANY; i++) {
		expect_forwarded(3, false, many_virt(i), 4, many_phys(i));
		expect_forwarded(3, true, many_virt(i) + MANY_SIZE - 1, 1,
				 many_phys(i) + MANY_SIZE - 1);
		expect_forwarded(3, false, many_virt(i) + 0x1c, 4,
				 many_phys(i) + 0x1c);
	}
	/* Every gap: right after each window and right before the next. */
	for (i = 0; i < MANY; i++) {
		expect_denied(3, id, false, many_virt(i) + MANY_SIZE, 1,
			      WD_R_mmio_unhandled);
		expect_denied(3, id, false, many_virt(i) + 0x7c, 4,
			      WD_R_mmio_unhandled);
	}
	expect_denied(3, id, false, MANY_VIRT - 1, 1, WD_R_mmio_unhandled);
}
END_TEST

/* ---- core_mmio_register -------------------------------------------------- */

static struct {
	unsigned int calls;
	void *arg;
	struct cell *cell;
	uint64_t addr;
} handled;

static enum access_result test_handler(void *arg, struct cell *cell,
				       struct mmio_access *acc)
{
	handled.calls++;
	handled.arg = arg;
	handled.cell = cell;
	handled.addr = acc->address;
	if (!acc->is_write)
		acc->value = (uint64_t)(uintptr_t)arg;
	return ACCESS_EMULATED;
}

START_TEST(register_rejects_overlap)
{
	struct cell *cell;
	int a, b;
	uint64_t v;
	long id = start_dev();

	cell = core_cpu_cell(3);
	/* Overlaps a sub-page window at either end, or contains it. */
	ck_assert_int_eq(core_mmio_register(cell, DEV_VIRT + MAIN_OFF - 4, 8,
					    test_handler, NULL),
			 -WD_EBUSY);
	ck_assert_int_eq(core_mmio_register(cell,
					    DEV_VIRT + MAIN_OFF + WIN_SIZE - 1,
					    0x10, test_handler, NULL),
			 -WD_EBUSY);
	ck_assert_int_eq(core_mmio_register(cell, DEV_VIRT, 0x10000,
					    test_handler, NULL),
			 -WD_EBUSY);
	/* ECAM is registered too. */
	ck_assert_int_eq(core_mmio_register(cell, T_ECAM + 0x80000, 4,
					    test_handler, NULL),
			 -WD_EBUSY);
	/* Adjacent on both sides is fine, and dispatches to the handler. */
	a = core_mmio_register(cell, DEV_VIRT + MAIN_OFF - 0x10, 0x10,
			       test_handler, &a);
	b = core_mmio_register(cell, DEV_VIRT + MAIN_OFF + WIN_SIZE, 0x10,
			       test_handler, &b);
	ck_assert_int_eq(a, 0);
	ck_assert_int_eq(b, 0);
	ck_assert_int_eq(fx_mmio(3, false, DEV_VIRT + MAIN_OFF + WIN_SIZE + 4,
				 2, &v),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(handled.calls, 1);
	ck_assert_ptr_eq(handled.arg, &b);
	ck_assert_ptr_eq(handled.cell, cell);
	ck_assert_uint_eq(handled.addr, DEV_VIRT + MAIN_OFF + WIN_SIZE + 4);
	ck_assert_uint_eq(v, (uint64_t)(uintptr_t)&b);
	ck_assert_int_eq(fx_mmio(3, true, DEV_VIRT + MAIN_OFF - 0x10, 1, &v),
			 ACCESS_EMULATED);
	ck_assert_ptr_eq(handled.arg, &a);
	/* The window in between still goes to the device. */
	expect_forwarded(3, false, DEV_VIRT + MAIN_OFF, 4,
			 T_DEV_PAGE + MAIN_OFF);
	ck_assert_int_eq(cell_state(id), WD_CELL_RUNNING);
}
END_TEST

START_TEST(register_table_full)
{
	struct cfg c;
	struct cell *cell;
	unsigned int n;
	int err = 0;

	cfg_attack(&c);
	start_cell(&c);
	cell = core_cpu_cell(3);
	/* Table size: one slot per memory region (2) plus 8; ECAM uses 1. */
	ck_assert_uint_eq(core_cell_mmio_ranges(cell), 1);
	for (n = 0; n < 20; n++) {
		/* Descending addresses: every insert shifts the table. */
		err = core_mmio_register(cell, 0xa0000000 - n * 0x100ULL, 0x10,
					 test_handler, (void *)(uintptr_t)n);
		if (err)
			break;
	}
	ck_assert_int_eq(err, -WD_ENOMEM);
	ck_assert_uint_eq(n, 9);
	ck_assert_uint_eq(core_cell_mmio_ranges(cell), 10);
	/* Each registered range still finds its own handler. */
	for (n = 0; n < 9; n++) {
		uint64_t v = 0;

		ck_assert_int_eq(fx_mmio(3, false,
					 0xa0000000 - n * 0x100ULL + 8, 4, &v),
				 ACCESS_EMULATED);
		ck_assert_uint_eq(v, n);
	}
}
END_TEST

START_TEST(destroyed_cell_regions_are_gone)
{
	long id = start_dev();
	unsigned int calls;
	uint64_t v = 0;

	fx_respond((unsigned int)id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)id, 0), 0);
	/* CPU 3 is root's again; root has no guest window at 0x80000100. */
	calls = dev.calls;
	ck_assert_int_eq(fx_mmio(3, false, DEV_VIRT + MAIN_OFF, 4, &v),
			 ACCESS_DENIED);
	ck_assert_uint_eq(dev.calls, calls);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_mmio_unhandled);
}
END_TEST

/*
 * Root shares T_DEV_PAGE with "dev": the page leaves root's stage-2 and is
 * emulated, so root still reaches the rest of the page but not dev's
 * registers; when dev goes, the page is mapped again.
 */
START_TEST(root_loses_device_registers_given_to_a_cell)
{
	struct per_cpu *root = &per_cpu_table[0];
	struct sim_mapping m;
	long id;

	ck_assert(sim_lookup(root->cell, T_DEV_PAGE, NULL));
	id = start_dev();
	ck_assert(!sim_lookup(root->cell, T_DEV_PAGE, NULL));
	/* The rest of the page: forwarded for root, any width. */
	expect_forwarded(0, false, T_DEV_PAGE + 0x10, 2, T_DEV_PAGE + 0x10);
	expect_forwarded(1, true, T_DEV_PAGE + 0xff8, 8, T_DEV_PAGE + 0xff8);
	/* dev's own window works for dev. */
	expect_forwarded(3, false, DEV_VIRT + MAIN_OFF, 4,
			 T_DEV_PAGE + MAIN_OFF);

	fx_respond((unsigned int)id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)id, 0), 0);
	ck_assert(sim_lookup(root->cell, T_DEV_PAGE, &m));
	ck_assert_uint_eq(m.hpa, T_DEV_PAGE);
	ck_assert_uint_eq(m.flags & WD_MEM_IO, WD_MEM_IO);
}
END_TEST

START_TEST(root_touching_cell_registers_stops_machine)
{
	unsigned int calls;
	uint64_t v = 0;

	start_dev();
	calls = dev.calls;
	ck_assert_int_eq(fx_mmio(0, false, T_DEV_PAGE + MAIN_OFF + 4, 4, &v),
			 ACCESS_DENIED);
	ck_assert_uint_eq(dev.calls, calls);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_mmio_claimed);
	ck_assert_uint_eq(core_last_reason()->item, T_DEV_PAGE + MAIN_OFF + 4);
}
END_TEST

/* The same rule inside a region root itself reaches through emulation. */
START_TEST(root_subpage_region_shared_with_cell)
{
	struct cfg c;
	uint64_t v = 0;

	cfg_attack(&c);
	cfg_add_mem(&c, T_SUBPAGE + 0x80, 0x80000080, 0x10,
		    RW | WD_MEM_IO | WD_MEM_IO_32);
	start_cell(&c);
	expect_forwarded(3, false, 0x80000084, 4, T_SUBPAGE + 0x84);
	expect_forwarded(0, false, T_SUBPAGE + 0x7c, 4, T_SUBPAGE + 0x7c);
	ck_assert_int_eq(fx_mmio(0, true, T_SUBPAGE + 0x8c, 4, &v),
			 ACCESS_DENIED);
	ck_assert_uint_eq(core_last_reason()->code, WD_R_mmio_claimed);
}
END_TEST

/* ROOTSHARED sub-page registers stay the root cell's too. */
START_TEST(rootshared_subpage_region_keeps_root_access)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE + 0x80, 0x80000080, 0x10,
		    RW | WD_MEM_IO | WD_MEM_IO_32 | WD_MEM_ROOTSHARED);
	start_cell(&c);
	ck_assert(sim_lookup(core_cpu_cell(0), T_DEV_PAGE, NULL));
	expect_forwarded(3, false, 0x80000084, 4, T_DEV_PAGE + 0x84);
}
END_TEST

/* A page shared with root cannot cover registers another cell owns. */
START_TEST(shared_page_over_claimed_registers_is_refused)
{
	struct cfg c;

	start_dev();
	cfg_tiny(&c);
	strcpy(c.cell.name, "pager");
	c.cpus = 1ULL << 1;
	c.npio = 0;
	c.nirq = 0;
	c.npci = 0;
	c.ncaps = 0;
	c.mem[0].phys_start = 0x0e300000;
	cfg_add_mem(&c, T_DEV_PAGE, 0x400000, 0x1000,
		    RW | WD_MEM_IO | WD_MEM_ROOTSHARED);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_mem_overlap);
	ck_assert_uint_eq(fx_item(0), 2);
}
END_TEST

/*
 * The root's claim check finds a region whatever its place in the index:
 * a long region whose end lies past a later-starting short one it holds.
 */
START_TEST(nested_claims_in_one_cell_all_count)
{
	struct cfg c;
	uint64_t v = 0;
	long id;

	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE + 0x100, DEV_VIRT + 0x100, 0x100,
		    RW | SUBPAGE_FLAGS);
	cfg_add_mem(&c, T_DEV_PAGE + 0x140, DEV_VIRT + 0x1000, 0x10,
		    RW | SUBPAGE_FLAGS);
	id = start_cell(&c);
	expect_forwarded(0, false, T_DEV_PAGE + 0xfc, 4, T_DEV_PAGE + 0xfc);
	expect_forwarded(0, false, T_DEV_PAGE + 0x200, 4, T_DEV_PAGE + 0x200);
	expect_forwarded(3, false, DEV_VIRT + 0x1f0, 4, T_DEV_PAGE + 0x1f0);
	/* Destroyed and created again: the index holds its regions once. */
	fx_respond((unsigned int)id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)id, 0), 0);
	ck_assert(sim_lookup(core_cpu_cell(0), T_DEV_PAGE, NULL));
	start_cell(&c);
	ck_assert(!sim_lookup(core_cpu_cell(0), T_DEV_PAGE, NULL));
	ck_assert_int_eq(fx_mmio(0, false, T_DEV_PAGE + 0x1f0, 4, &v),
			 ACCESS_DENIED);
	ck_assert_uint_eq(core_last_reason()->code, WD_R_mmio_claimed);
	ck_assert_uint_eq(core_last_reason()->item, T_DEV_PAGE + 0x1f0);
}
END_TEST

/*
 * The index of claimed sub-page regions is bounded (core/memory.c,
 * SUBPAGE_MAX 64): a cell that would overflow it is refused and leaves
 * the root's page mapped as before; one that fits is created.
 */
START_TEST(subpage_index_full_refuses_the_cell)
{
	struct cfg c;
	unsigned int i;

	cfg_attack(&c);
	for (i = 0; i < 65; i++)
		cfg_add_mem(&c, T_DEV_PAGE + 0x10 * i, DEV_VIRT + 0x10 * i, 8,
			    RW | SUBPAGE_FLAGS);
	ck_assert_int_lt(fx_create(&c), 0);
	ck_assert_uint_eq(fx_reason(0), WD_R_no_memory);
	ck_assert(sim_lookup(core_cpu_cell(0), T_DEV_PAGE, NULL));
	c.nmem--;
	start_cell(&c);
	ck_assert(!sim_lookup(core_cpu_cell(0), T_DEV_PAGE, NULL));
	expect_forwarded(3, false, DEV_VIRT + 0x3f0, 4, T_DEV_PAGE + 0x3f0);
	expect_forwarded(0, false, T_DEV_PAGE + 0x408, 4, T_DEV_PAGE + 0x408);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mmio");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, root_subpage_allowed_widths_are_forwarded);
	tcase_add_test(t, root_subpage_bad_width_stops_machine);
	tcase_add_test(t, root_page_region_is_mapped_not_trapped);
	tcase_add_test(t, cell_subpage_access_reaches_physical_address);
	tcase_add_test(t, width_not_permitted_is_denied);
	tcase_add_test(t, invalid_access_size_is_denied);
	tcase_add_test(t, unaligned_access_is_denied_unless_permitted);
	tcase_add_test(t, write_to_read_only_region_is_denied);
	tcase_add_test(t, read_of_write_only_region_is_denied);
	tcase_add_test(t, access_past_region_end_is_unhandled);
	tcase_add_test(t, unmapped_address_is_unhandled);
	tcase_add_test(t, sixty_regions_dispatch_to_the_right_device);
	tcase_add_test(t, register_rejects_overlap);
	tcase_add_test(t, register_table_full);
	tcase_add_test(t, destroyed_cell_regions_are_gone);
	tcase_add_test(t, root_loses_device_registers_given_to_a_cell);
	tcase_add_test(t, root_touching_cell_registers_stops_machine);
	tcase_add_test(t, root_subpage_region_shared_with_cell);
	tcase_add_test(t, rootshared_subpage_region_keeps_root_access);
	tcase_add_test(t, shared_page_over_claimed_registers_is_refused);
	tcase_add_test(t, nested_claims_in_one_cell_all_count);
	tcase_add_test(t, subpage_index_full_refuses_the_cell);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
