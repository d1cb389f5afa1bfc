/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port I/O access control (core/pio.c): the per-cell intercept bitmaps, the
 * ports a new cell takes away from the root cell and gives back, and the
 * exact denial of every access that is not entirely inside the cell's
 * ranges.
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

static long tiny_id;

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
	tiny_id = fx_tiny_running();
	ck_assert_int_eq(tiny_id, 1);
}

static void teardown(void)
{
	fx_teardown();
}

static long cell_state(long id)
{
	return hc(0, WD_HC_CELL_GET_STATE, (unsigned long)id, 0);
}

/* Is @port denied in @cpu's cell's bitmap (set bit = trap = deny)? */
static bool port_denied(unsigned int cpu, unsigned int port)
{
	const uint8_t *bm = core_cpu_cell(cpu)->pio_bitmap;

	return (bm[port / 8] >> (port % 8)) & 1;
}

static void expect_forwarded(unsigned int cpu, bool write, uint16_t port,
			     unsigned int size)
{
	uint32_t v = 0xa5;

	ck_assert_msg(fx_pio(cpu, write, port, size, &v) == ACCESS_FORWARDED,
		      "port 0x%x size %u not forwarded", port, size);
}

/* Denied access from tiny: reason, port, tiny FAILED and parked; restart. */
static void expect_tiny_denied(bool write, uint16_t port, unsigned int size)
{
	uint32_t v = 0;

	ck_assert_msg(fx_pio(2, write, port, size, &v) == ACCESS_DENIED,
		      "port 0x%x size %u not denied", port, size);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), WD_R_pio_denied);
	ck_assert_uint_eq(fx_item((unsigned int)tiny_id), port);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_FAILED);
	ck_assert(sim_cpu(2)->parked);
	ck_assert(!sim_machine_stopped());
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)tiny_id, 0), 0);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
}

START_TEST(tiny_own_ports_are_forwarded)
{
	long pio = hc(0, WD_HC_CPU_GET_INFO, 2,
		      WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_VMEXITS_PIO);

	expect_forwarded(2, true, 0x2f8, 1);
	expect_forwarded(2, false, 0x2ff, 1);
	expect_forwarded(2, false, 0x2fa, 2);
	expect_forwarded(2, true, 0x2fe, 2); /* ends at the last port */
	expect_forwarded(2, false, 0x2f8, 4);
	expect_forwarded(2, true, 0x2fc, 4);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 2,
			    WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_VMEXITS_PIO),
			 pio + 6);
}
END_TEST

START_TEST(access_crossing_range_end_is_denied)
{
	/* 0x2fe..0x301: the first two ports are tiny's, the rest are not. */
	expect_tiny_denied(false, 0x2fe, 4);
	expect_tiny_denied(true, 0x2ff, 2);
	/* Crossing the start of the range. */
	expect_tiny_denied(false, 0x2f7, 2);
	expect_tiny_denied(false, 0x2f6, 4);
}
END_TEST

START_TEST(foreign_ports_are_denied)
{
	expect_tiny_denied(false, 0x3f8, 1); /* root's COM1 */
	expect_tiny_denied(true, 0xcf9, 1);  /* reset control: nobody's */
	expect_tiny_denied(true, 0x64, 1);
	expect_tiny_denied(false, 0x0, 1);
	expect_tiny_denied(false, 0xffff, 1);
}
END_TEST

START_TEST(invalid_sizes_are_denied)
{
	expect_tiny_denied(false, 0x2f8, 3);
	expect_tiny_denied(false, 0x2f8, 0);
	expect_tiny_denied(true, 0x2f8, 8);
}
END_TEST

START_TEST(access_past_port_ffff_is_denied)
{
	struct cfg sys, c;
	uint32_t v = 0;
	long id;

	/* A root cell that owns the top ports can hand them out. */
	cfg_system(&sys);
	cfg_add_pio(&sys, 0xfff0, 0x10);
	ck_assert_int_eq(fx_enable(&sys), 0);
	cfg_attack(&c);
	cfg_add_pio(&c, 0xfffc, 4);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)id, 0), 0);
	expect_forwarded(3, false, 0xfffc, 4);
	expect_forwarded(3, false, 0xffff, 1);
	/* 0xffff + 2 bytes would be port 0x10000: no such port. */
	ck_assert_int_eq(fx_pio(3, false, 0xffff, 2, &v), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason((unsigned int)id), WD_R_pio_denied);
	ck_assert_uint_eq(fx_item((unsigned int)id), 0xffff);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)id, 0), 0);
	ck_assert_int_eq(fx_pio(3, true, 0xfffe, 4, &v), ACCESS_DENIED);
	ck_assert_uint_eq(fx_item((unsigned int)id), 0xfffe);
}
END_TEST

START_TEST(root_loses_port_while_cell_exists)
{
	/* Bitmaps directly: a denied root access would stop the machine. */
	ck_assert(port_denied(0, 0x2f8));
	ck_assert(port_denied(0, 0x2ff));
	ck_assert(!port_denied(0, 0x3f8));
	ck_assert(!port_denied(0, 0x3ff));
	ck_assert(port_denied(0, 0x2f7));
	ck_assert(port_denied(0, 0x300));
	/* Ports the root cell never listed stay denied. */
	ck_assert(port_denied(0, 0xcf9));
	/* Every root CPU shares the root cell's bitmap. */
	ck_assert(port_denied(1, 0x2f8));
	/* tiny's own bitmap is the mirror image. */
	ck_assert(!port_denied(2, 0x2f8));
	ck_assert(!port_denied(2, 0x2ff));
	ck_assert(port_denied(2, 0x3f8));
	ck_assert(port_denied(2, 0x300));
	expect_forwarded(0, false, 0x3f8, 1);
	expect_forwarded(1, true, 0x3fc, 4);
}
END_TEST

START_TEST(root_gets_port_back_after_destroy)
{
	fx_respond((unsigned int)tiny_id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)tiny_id, 0),
			 0);
	ck_assert(!port_denied(0, 0x2f8));
	ck_assert(!port_denied(0, 0x2ff));
	ck_assert(port_denied(0, 0x300));
	ck_assert(port_denied(0, 0xcf9));
	expect_forwarded(0, true, 0x2f8, 1);
	expect_forwarded(0, false, 0x2fc, 4);
	ck_assert(!sim_machine_stopped());
	/* ...and loses it again with the next cell. */
	ck_assert_int_eq(fx_tiny_running(), tiny_id);
	ck_assert(port_denied(0, 0x2f8));
}
END_TEST

START_TEST(destroying_one_cell_keeps_other_cells_ports)
{
	struct cfg c;
	long id;

	/* "attack" takes 0x3f8..0x3fb, tiny keeps 0x2f8. */
	cfg_attack(&c);
	cfg_add_pio(&c, 0x3f8, 4);
	id = fx_create(&c);
	ck_assert_int_eq(id, 2);
	ck_assert(port_denied(0, 0x3f8));
	ck_assert(!port_denied(0, 0x3fc));
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)id, 0), 0);
	/* Root regains 0x3f8 but not tiny's 0x2f8. */
	ck_assert(!port_denied(0, 0x3f8));
	ck_assert(port_denied(0, 0x2f8));
	expect_forwarded(2, false, 0x2f8, 1);
}
END_TEST

START_TEST(root_access_to_lost_port_stops_machine)
{
	uint32_t v = 0;

	ck_assert_int_eq(fx_pio(0, false, 0x2f8, 1, &v), ACCESS_DENIED);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_pio_denied);
	ck_assert_uint_eq(core_last_reason()->item, 0x2f8);
	ck_assert_ptr_nonnull(strstr(sim_console(), "root cell failed"));
}
END_TEST

START_TEST(port_of_another_cell_cannot_be_claimed)
{
	struct cfg c;

	/* tiny owns 0x2f8..0x2ff: a second cell may not get 0x2fc. */
	cfg_attack(&c);
	cfg_add_pio(&c, 0x2fc, 1);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_pio_not_in_root);
	ck_assert_uint_eq(fx_item(0), 0x2fc);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
	/* tiny still has it, root still does not. */
	ck_assert(port_denied(0, 0x2fc));
	expect_forwarded(2, false, 0x2fc, 1);
}
END_TEST

START_TEST(port_root_never_had_cannot_be_claimed)
{
	struct cfg c;

	/* The reset control port is deliberately not the root cell's. */
	cfg_attack(&c);
	cfg_add_pio(&c, 0x3f8, 8);
	cfg_add_pio(&c, 0x64, 1);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_pio_not_in_root);
	ck_assert_uint_eq(fx_item(0), 0x64);
	/* Nothing was taken from the root cell on the way. */
	ck_assert(!port_denied(0, 0x3f8));
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pio");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, tiny_own_ports_are_forwarded);
	tcase_add_test(t, access_crossing_range_end_is_denied);
	tcase_add_test(t, foreign_ports_are_denied);
	tcase_add_test(t, invalid_sizes_are_denied);
	tcase_add_test(t, root_loses_port_while_cell_exists);
	tcase_add_test(t, root_gets_port_back_after_destroy);
	tcase_add_test(t, destroying_one_cell_keeps_other_cells_ports);
	tcase_add_test(t, root_access_to_lost_port_stops_machine);
	tcase_add_test(t, port_of_another_cell_cannot_be_claimed);
	tcase_add_test(t, port_root_never_had_cannot_be_claimed);
	suite_add_tcase(s, t);
	/* Tests that enable with their own system config. */
	t = tcase_create("own_system");
	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, access_past_port_ffff_is_denied);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
