/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trap records made by the core at its entry boundary (core/record.c,
 * core_set_trap_sink): one begin and one end per entry call, the request
 * on entry, the outcome (ok, fwd with the value read, deny with reason and
 * item, ret, stop) on exit; the backend's own refusals through
 * core_trap_denied; no record while no sink is registered.
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

#define MAX_SEEN 8

static struct {
	unsigned int begins, ends;
	struct wd_trap begin[MAX_SEEN], end[MAX_SEEN];
	const struct wd_trap *open; /* the pointer begin was given */
	bool same_pointer;	    /* end got the same one */
} seen;

static void sink_begin(const struct wd_trap *t)
{
	if (seen.begins < MAX_SEEN)
		seen.begin[seen.begins] = *t;
	seen.begins++;
	seen.open = t;
}

static void sink_end(const struct wd_trap *t)
{
	if (seen.ends < MAX_SEEN)
		seen.end[seen.ends] = *t;
	seen.ends++;
	seen.same_pointer = t == seen.open;
}

static const struct wd_trap_sink sink = { sink_begin, sink_end };

static long tiny_id;

static void port_device(void *arg, struct pio_access *acc)
{
	(void)arg;
	if (!acc->is_write)
		acc->value = 0x5a;
}

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
	tiny_id = fx_tiny_running();
	ck_assert_int_eq(tiny_id, 1);
	memset(&seen, 0, sizeof(seen));
	sim_set_pio_hook(port_device, NULL);
	core_set_trap_sink(&sink);
}

static void teardown(void)
{
	core_set_trap_sink(NULL);
	sim_set_pio_hook(NULL, NULL);
	fx_teardown();
}

/* Exactly one record, begun and ended with the same struct. */
static const struct wd_trap *one_record(void)
{
	ck_assert_uint_eq(seen.begins, 1);
	ck_assert_uint_eq(seen.ends, 1);
	ck_assert(seen.same_pointer);
	ck_assert_uint_eq(seen.begin[0].outcome, WD_OUT_NONE);
	return &seen.end[0];
}

START_TEST(forwarded_port_read_has_the_device_value)
{
	uint32_t v = 0;
	const struct wd_trap *t;

	ck_assert_int_eq(fx_pio(2, false, 0x2fd, 1, &v), ACCESS_FORWARDED);
	ck_assert_uint_eq(v, 0x5a); /* hal_pio_access performed it */
	t = one_record();
	ck_assert_uint_eq(seen.begin[0].kind, WD_TRAP_PIO);
	ck_assert_uint_eq(seen.begin[0].addr, 0x2fd);
	ck_assert_uint_eq(t->cpu, 2);
	ck_assert_uint_eq(t->cell_id, (unsigned int)tiny_id);
	ck_assert_uint_eq(t->reg, WD_TRAP_NO_REG);
	ck_assert_uint_eq(t->outcome, WD_OUT_FWD);
	ck_assert_uint_eq(t->result, 0x5a);
}
END_TEST

START_TEST(denied_port_write_has_reason_and_item)
{
	uint32_t v = 0x41;
	const struct wd_trap *t;

	ck_assert_int_eq(fx_pio(2, true, 0x3f8, 1, &v), ACCESS_DENIED);
	t = one_record();
	ck_assert_uint_eq(t->write, 1);
	ck_assert_uint_eq(t->value, 0x41);
	ck_assert_uint_eq(t->outcome, WD_OUT_DENY);
	ck_assert_uint_eq(t->reason, WD_R_pio_denied);
	ck_assert_uint_eq(t->item, 0x3f8);
	ck_assert_uint_eq(t->result, 0);
}
END_TEST

START_TEST(mmio_record_names_the_instruction)
{
	struct mmio_access acc = { .address = 0xdead0000,
				   .size = 4,
				   .insn = { .reg = 70, .sext = 1, .len = 4 } };
	const struct wd_trap *t;

	sim_set_cpu(2);
	ck_assert_int_eq(core_mmio(&acc), ACCESS_DENIED);
	t = one_record();
	ck_assert_uint_eq(t->kind, WD_TRAP_MMIO);
	ck_assert_uint_eq(t->addr, 0xdead0000);
	ck_assert_uint_eq(t->size, 4);
	ck_assert_uint_eq(t->reg, 70);
	ck_assert_uint_eq(t->sext, 1);
	ck_assert_uint_eq(t->insn_len, 4);
	ck_assert_uint_eq(t->reason, WD_R_mmio_unhandled);
	ck_assert_uint_eq(t->item, 0xdead0000);
}
END_TEST

START_TEST(hypercall_record_has_ret_and_reason)
{
	const struct wd_trap *t;

	ck_assert_int_eq(hc(2, 0x77, 5, 6), -WD_ENOSYS);
	t = one_record();
	ck_assert_uint_eq(t->kind, WD_TRAP_HVC);
	ck_assert_uint_eq(t->addr, 0x77);
	ck_assert_uint_eq(t->value, 5);
	ck_assert_uint_eq(t->arg2, 6);
	ck_assert_uint_eq(t->outcome, WD_OUT_RET);
	ck_assert_int_eq((int64_t)t->result, -WD_ENOSYS);
	ck_assert_uint_eq(t->reason, WD_R_hypercall_unknown);
	ck_assert_uint_eq(t->item, 0x77);
}
END_TEST

START_TEST(backend_refusal_is_recorded_and_contained)
{
	const struct wd_trap req = { .kind = WD_TRAP_EXCEPTION, .addr = 0x24 };
	const struct wd_trap *t;

	sim_set_cpu(2);
	core_trap_denied(&req, WD_R_insn_thumb, 0x1234);
	t = one_record();
	ck_assert_uint_eq(t->kind, WD_TRAP_EXCEPTION);
	ck_assert_uint_eq(t->addr, 0x24);
	ck_assert_uint_eq(t->outcome, WD_OUT_DENY);
	ck_assert_uint_eq(t->reason, WD_R_insn_thumb);
	ck_assert_uint_eq(t->item, 0x1234);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), WD_R_insn_thumb);
	ck_assert(sim_cpu(2)->parked);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(root_fault_ends_the_record_stop)
{
	const struct wd_trap req = { .kind = WD_TRAP_EXCEPTION, .addr = 0x20 };

	sim_set_cpu(0);
	core_trap_denied(&req, WD_R_cpu_exception, 0x20);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(one_record()->outcome, WD_OUT_STOP);
}
END_TEST

START_TEST(no_sink_no_record)
{
	uint32_t v = 0;

	core_set_trap_sink(NULL);
	ck_assert_int_eq(fx_pio(2, false, 0x2fd, 1, &v), ACCESS_FORWARDED);
	ck_assert_int_eq(hc(2, 0x77, 0, 0), -WD_ENOSYS);
	ck_assert_uint_eq(seen.begins, 0);
	ck_assert_uint_eq(seen.ends, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("traprec");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, forwarded_port_read_has_the_device_value);
	tcase_add_test(t, denied_port_write_has_reason_and_item);
	tcase_add_test(t, mmio_record_names_the_instruction);
	tcase_add_test(t, hypercall_record_has_ret_and_reason);
	tcase_add_test(t, backend_refusal_is_recorded_and_contained);
	tcase_add_test(t, root_fault_ends_the_record_stop);
	tcase_add_test(t, no_sink_no_record);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
