/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Panic containment (core/panic.c): a cell that does something it may not
 * fails alone, with its CPUs parked, its reason kept and printed, and every
 * other cell running on; the root cell, which cannot be contained, stops
 * the machine. "tiny" (CPU 2) and "attack" (CPU 3) both run.
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

/* A backend's refusal of an exception (the record's request). */
static const struct wd_trap exc_trap = { .kind = WD_TRAP_EXCEPTION };

#define REC_GPA 0x300000ULL /* where root reads reason records */

static long tiny_id, attack_id;

static void setup(void)
{
	struct cfg c;

	ck_assert_int_eq(fx_enable(NULL), 0);
	tiny_id = fx_tiny_running();
	ck_assert_int_eq(tiny_id, 1);
	cfg_attack(&c);
	attack_id = fx_create(&c);
	ck_assert_int_eq(attack_id, 2);
	ck_assert_int_eq(hc(0, WD_HC_CELL_SET_LOADABLE, 2, 0), 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 2, 0), 0);
	fx_respond(1, WD_MSG_REQUEST_APPROVED);
	fx_respond(2, WD_MSG_REQUEST_APPROVED);
	sim_console_clear();
}

static void teardown(void)
{
	fx_teardown();
}

static long cell_state(long id)
{
	return hc(0, WD_HC_CELL_GET_STATE, (unsigned long)id, 0);
}

static long cpu_state(unsigned int cpu)
{
	return hc(0, WD_HC_CPU_GET_INFO, cpu, WD_CPU_INFO_STATE);
}

static long cpu_stat(unsigned int cpu, unsigned int stat)
{
	return hc(0, WD_HC_CPU_GET_INFO, cpu, WD_CPU_INFO_STAT_BASE + stat);
}

static struct cell *root(void)
{
	return core_cpu_cell(0);
}

/* tiny is untouched: running, its CPU free, its port and calls work. */
static void expect_tiny_alive(void)
{
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
	ck_assert(!sim_cpu(2)->parked);
	ck_assert_int_eq(cpu_state(2), WD_CPU_RUNNING);
	ck_assert_int_eq(fx_pio(2, true, 0x2f8, 1, NULL), ACCESS_FORWARDED);
	ck_assert_int_eq(hc(2, WD_HC_CELL_GET_STATE, 1, 0), WD_CELL_RUNNING);
	ck_assert_int_eq(hc(2, WD_HC_CPU_GET_INFO, 2, WD_CPU_INFO_STATE),
			 WD_CPU_RUNNING);
	ck_assert_uint_eq(fx_reason(1), WD_R_none);
}

/* attack is FAILED with @reason/@item, CPU 3 parked and FAILED. */
static void expect_attack_failed(unsigned int reason, uint64_t item)
{
	ck_assert_int_eq(cell_state(attack_id), WD_CELL_FAILED);
	ck_assert_uint_eq(fx_reason(2), reason);
	ck_assert_uint_eq(fx_item(2), item);
	ck_assert(sim_cpu(3)->parked);
	ck_assert_int_eq(cpu_state(3), WD_CPU_FAILED);
	ck_assert_uint_eq(fx_comm(2)->cell_state, WD_CELL_FAILED);
	ck_assert(!sim_machine_stopped());
}

START_TEST(attack_reaching_for_tiny_ram_fails_alone)
{
	struct cell *attack = core_cpu_cell(3);
	struct sim_mapping m;

	/* Guest addresses are per cell: tiny's phys is nothing to attack. */
	ck_assert(sim_lookup(attack, 0, &m));
	ck_assert_uint_eq(m.hpa, T_ATTACK_PHYS);
	ck_assert(!sim_lookup(attack, T_TINY_PHYS, NULL));
	ck_assert_int_eq(fx_mmio(3, false, T_TINY_PHYS, 4, NULL),
			 ACCESS_DENIED);
	expect_attack_failed(WD_R_mmio_unhandled, T_TINY_PHYS);
	ck_assert(per_cpu_table[3].failed);
	expect_tiny_alive();
	/* The root cell runs on too, with all its CPUs. */
	ck_assert_int_eq(cell_state(0), WD_CELL_RUNNING);
	ck_assert(!sim_cpu(0)->parked && !sim_cpu(1)->parked);
}
END_TEST

START_TEST(failure_is_counted_once)
{
	ck_assert_int_eq(fx_mmio(3, true, 0x0e000000, 8, NULL), ACCESS_DENIED);
	ck_assert_int_eq(cpu_stat(3, WD_CPU_STAT_VMEXITS_DENIED), 1);
	ck_assert_int_eq(cpu_stat(3, WD_CPU_STAT_VMEXITS_MMIO), 1);
	ck_assert_int_eq(cpu_stat(3, WD_CPU_STAT_VMEXITS_TOTAL), 1);
	ck_assert_int_eq(cpu_stat(3, WD_CPU_STAT_VMEXITS_PIO), 0);
	/* Other CPUs counted nothing of it. */
	ck_assert_int_eq(cpu_stat(2, WD_CPU_STAT_VMEXITS_DENIED), 0);
	ck_assert_int_eq(cpu_stat(0, WD_CPU_STAT_VMEXITS_DENIED), 0);
}
END_TEST

START_TEST(reason_record_names_the_failure)
{
	struct wd_reason_record *rec;

	ck_assert_int_eq(fx_mmio(3, false, T_TINY_PHYS, 4, NULL),
			 ACCESS_DENIED);
	ck_assert_int_eq(hc(0, WD_HC_GET_REASON, 2, REC_GPA), 0);
	rec = sim_phys_ptr(REC_GPA, sizeof(*rec));
	ck_assert_uint_eq(rec->code, WD_R_mmio_unhandled);
	ck_assert_uint_eq(rec->item, T_TINY_PHYS);
	ck_assert_uint_eq(rec->cell_id, 2);
	ck_assert_uint_eq(rec->cpu, 3);
	ck_assert_ptr_nonnull(strstr(rec->text, "0xe000000"));
	ck_assert_uint_lt(strnlen(rec->text, sizeof(rec->text)),
			  sizeof(rec->text));
	/* Root's own last reason is untouched by the cell's failure. */
	ck_assert_uint_eq(fx_reason(0), WD_R_none);
}
END_TEST

START_TEST(console_names_the_failed_cell)
{
	ck_assert_int_eq(fx_mmio(3, false, T_TINY_PHYS, 4, NULL),
			 ACCESS_DENIED);
	ck_assert_ptr_nonnull(strstr(sim_console(), "cell \"attack\" FAILED"));
	ck_assert_ptr_nonnull(strstr(sim_console(), "mmio_unhandled"));
	ck_assert_ptr_nonnull(strstr(sim_console(), "0xe000000"));
	ck_assert_ptr_null(strstr(sim_console(), "\"tiny\""));
	ck_assert_ptr_null(strstr(sim_console(), "machine stopped"));
}
END_TEST

START_TEST(restarted_cell_runs_again)
{
	ck_assert_int_eq(fx_mmio(3, false, T_TINY_PHYS, 4, NULL),
			 ACCESS_DENIED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 2, 0), 0);
	ck_assert_int_eq(cell_state(attack_id), WD_CELL_RUNNING);
	ck_assert(!sim_cpu(3)->parked);
	ck_assert(!per_cpu_table[3].failed);
	ck_assert_int_eq(cpu_state(3), WD_CPU_RUNNING);
	ck_assert_int_eq(hc(3, WD_HC_CELL_GET_STATE, 2, 0), WD_CELL_RUNNING);
	/* The reason stays readable after the restart. */
	ck_assert_uint_eq(fx_reason(2), WD_R_mmio_unhandled);
}
END_TEST

START_TEST(cell_may_not_reset_or_power_off_the_machine)
{
	long platform = cpu_stat(3, WD_CPU_STAT_VMEXITS_PLATFORM);

	sim_set_cpu(3);
	ck_assert_int_eq(core_machine_control(false, WD_METHOD_CF9),
			 ACCESS_DENIED);
	expect_attack_failed(WD_R_machine_reset, WD_METHOD_CF9);
	expect_tiny_alive();
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 2, 0), 0);

	sim_set_cpu(3);
	ck_assert_int_eq(core_machine_control(true, WD_METHOD_ACPI),
			 ACCESS_DENIED);
	expect_attack_failed(WD_R_machine_off, WD_METHOD_ACPI);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 2, 0), 0);

	sim_set_cpu(3);
	ck_assert_int_eq(core_machine_control(false, WD_METHOD_KBC),
			 ACCESS_DENIED);
	expect_attack_failed(WD_R_machine_reset, WD_METHOD_KBC);
	ck_assert_int_eq(cpu_stat(3, WD_CPU_STAT_VMEXITS_PLATFORM),
			 platform + 3);
	ck_assert_int_eq(cpu_stat(3, WD_CPU_STAT_VMEXITS_DENIED), 3);
}
END_TEST

START_TEST(root_may_reset_and_power_off)
{
	sim_set_cpu(0);
	ck_assert_int_eq(core_machine_control(false, WD_METHOD_CF9),
			 ACCESS_FORWARDED);
	sim_set_cpu(1);
	ck_assert_int_eq(core_machine_control(true, WD_METHOD_ACPI),
			 ACCESS_FORWARDED);
	/* The backend carries it out; the core stopped nothing. */
	ck_assert(!sim_machine_stopped());
	ck_assert_int_eq(cell_state(0), WD_CELL_RUNNING);
	expect_tiny_alive();
	ck_assert_int_eq(cell_state(attack_id), WD_CELL_RUNNING);
}
END_TEST

START_TEST(exception_in_tiny_fails_only_tiny)
{
	sim_set_cpu(2);
	core_trap_denied(&exc_trap, WD_R_cpu_exception, 13);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_FAILED);
	ck_assert_uint_eq(fx_reason(1), WD_R_cpu_exception);
	ck_assert_uint_eq(fx_item(1), 13);
	ck_assert(sim_cpu(2)->parked);
	ck_assert_int_eq(cpu_state(2), WD_CPU_FAILED);
	/* attack and root are untouched. */
	ck_assert_int_eq(cell_state(attack_id), WD_CELL_RUNNING);
	ck_assert(!sim_cpu(3)->parked);
	ck_assert_int_eq(cpu_state(3), WD_CPU_RUNNING);
	ck_assert_int_eq(hc(3, WD_HC_CELL_GET_STATE, 2, 0), WD_CELL_RUNNING);
	ck_assert(!sim_machine_stopped());
	ck_assert_ptr_nonnull(strstr(sim_console(), "cell \"tiny\" FAILED"));
	/* tiny's resources stay its own while it is FAILED. */
	ck_assert_uint_eq(core_irq_owner(T_IOAPIC, 5)->id, 1);
	ck_assert(!sim_lookup(root(), T_TINY_PHYS, NULL));
}
END_TEST

START_TEST(two_failures_are_independent)
{
	ck_assert_int_eq(fx_pio(3, false, 0x2f8, 1, NULL), ACCESS_DENIED);
	sim_set_cpu(2);
	core_trap_denied(&exc_trap, WD_R_platform_denied, 0xc0000080);
	expect_attack_failed(WD_R_pio_denied, 0x2f8);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_FAILED);
	ck_assert_uint_eq(fx_reason(1), WD_R_platform_denied);
	ck_assert_uint_eq(fx_item(1), 0xc0000080);
	/* Each can be restarted on its own. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 1, 0), 0);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
	ck_assert_int_eq(cell_state(attack_id), WD_CELL_FAILED);
}
END_TEST

START_TEST(destroying_failed_cell_returns_its_cpu)
{
	uint64_t t0;

	ck_assert_int_eq(fx_mmio(3, false, T_TINY_PHYS, 4, NULL),
			 ACCESS_DENIED);
	fx_respond(2, 0); /* a failed cell answers nothing */
	t0 = sim_time_ns();
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, 2, 0), 0);
	/* No shutdown request was sent: nobody waited. */
	ck_assert_uint_eq(sim_time_ns(), t0);
	ck_assert_ptr_eq(core_cpu_cell(3), root());
	ck_assert(!per_cpu_table[3].failed);
	ck_assert_int_eq(cpu_state(3), WD_CPU_RUNNING);
	ck_assert(sim_lookup(root(), T_ATTACK_PHYS, NULL));
	ck_assert_int_eq(cell_state(attack_id), -WD_ENOENT);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
	expect_tiny_alive();
	/* The CPU can go to a new cell. */
	{
		struct cfg c;

		cfg_attack(&c);
		ck_assert_int_eq(fx_create(&c), 2);
	}
}
END_TEST

/*
 * A CPU that does not answer the park request (on hardware: one no event
 * reaches) is contained: lost for good, its cell FAILED with cpu_lost, the
 * destroy goes on and succeeds, the machine runs on, and the CPU is never
 * reset or given to a cell again.
 */
START_TEST(cpu_not_answering_park_is_lost_not_a_machine_stop)
{
	unsigned int resets, commits;
	const void *tables;
	struct cfg c;

	sim_cpu(3)->deaf = true;
	resets = sim_cpu(3)->resets;
	tables = core_cell_by_id(attack_id)->arch;
	ck_assert_int_gt(sim_cell_state_mappings(tables), 0);
	commits = sim_commits();
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, 2, 0), 0);
	/* The lost CPU may still walk the cell's tables: emptied, flushed
	 * and kept, never freed for reuse. */
	ck_assert_int_eq(sim_cell_state_mappings(tables), 0);
	ck_assert_uint_gt(sim_commits(), commits);
	ck_assert(!sim_machine_stopped());
	ck_assert_ptr_null(strstr(sim_console(), "PANIC"));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "CPU 3 does not answer the hypervisor"));
	ck_assert_ptr_nonnull(strstr(sim_console(), "cell \"attack\" FAILED"));
	ck_assert_ptr_nonnull(strstr(sim_console(), "cpu_lost"));
	ck_assert_int_eq(cell_state(attack_id), -WD_ENOENT);
	ck_assert(per_cpu_table[3].lost);
	ck_assert_int_eq(cpu_state(3), WD_CPU_FAILED);
	expect_tiny_alive();
	/* Never given to another cell, never reset. */
	cfg_attack(&c);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_cpu_lost);
	ck_assert_uint_eq(fx_item(0), 3);
	ck_assert_uint_eq(sim_cpu(3)->resets, resets);
	/* The root starting it is a no-op ("already on"). */
	sim_set_cpu(0);
	ck_assert_int_eq(core_cpu_on(3, 0x1000), ACCESS_EMULATED);
	ck_assert_uint_eq(sim_cpu(3)->resets, resets);
	/* Management goes on: tiny can still be destroyed. */
	fx_respond(1, WD_MSG_REQUEST_APPROVED);
	tables = core_cell_by_id(1)->arch;
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, 1, 0), 0);
	ck_assert(!sim_machine_stopped());
	/* A cell without lost CPUs gives its tables back. */
	ck_assert_int_eq(sim_cell_state_mappings(tables), -1);
}
END_TEST

/* ---- the root cell cannot be contained --------------------------------- */

/*
 * ...but what it may ask in ordinary operation is answered: starting a
 * CPU a cell holds (PSCI CPU_ON, SIPI) is refused, its reason recorded for
 * the root (GET_REASON), the cell's CPU untouched, the machine running.
 * A non-root cell asking the same fails, as always.
 */
START_TEST(root_cpu_on_of_cell_cpu_refused)
{
	unsigned int resets;
	long id = tiny_id;

	resets = sim_cpu(2)->resets;
	sim_set_cpu(0);
	ck_assert_int_eq(core_cpu_on(2, 0x1000), ACCESS_EMULATED);
	ck_assert(!sim_machine_stopped());
	ck_assert_uint_eq(sim_cpu(2)->resets, resets);
	ck_assert_uint_eq(fx_reason(0), WD_R_cpu_foreign);
	ck_assert_uint_eq(fx_item(0), 2);
	ck_assert_ptr_null(strstr(sim_console(), "root cell failed"));
	ck_assert_ptr_nonnull(strstr(sim_console(), "[cpu_foreign]"));
	ck_assert_int_eq(cell_state(id), WD_CELL_RUNNING);
	ck_assert_uint_eq(core_cpu_stat(0, WD_CPU_STAT_VMEXITS_DENIED), 1);
	/* Its own CPU 1, running: "already on", as before. */
	ck_assert_int_eq(core_cpu_on(1, 0x1000), ACCESS_EMULATED);
	/* tiny asking for the root's CPU 1: tiny fails. */
	sim_set_cpu(2);
	ck_assert_int_eq(core_cpu_on(1, 0x1000), ACCESS_DENIED);
	ck_assert_int_eq(cell_state(id), WD_CELL_FAILED);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(root_mmio_fault_stops_machine)
{
	ck_assert_int_eq(fx_mmio(0, false, 0x30000000, 4, NULL), ACCESS_DENIED);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_mmio_unhandled);
	ck_assert_uint_eq(core_last_reason()->item, 0x30000000);
	ck_assert_uint_eq(core_last_reason()->cell_id, 0);
	ck_assert_ptr_nonnull(strstr(sim_console(), "machine stopped"));
	ck_assert_ptr_nonnull(strstr(sim_console(), "root cell failed"));
}
END_TEST

START_TEST(root_exception_stops_machine)
{
	sim_set_cpu(1);
	core_trap_denied(&exc_trap, WD_R_cpu_exception, 6);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_cpu_exception);
	ck_assert_uint_eq(core_last_reason()->item, 6);
	ck_assert_uint_eq(core_last_reason()->cpu, 1);
	ck_assert_ptr_nonnull(strstr(sim_console(), "machine stopped"));
}
END_TEST

/* ---- own system configs ---------------------------------------------------- */

START_TEST(root_ram_at_offset_still_loses_cell_ram)
{
	/* Root RAM seen at guest 4 GiB + phys: not 1:1. */
	const uint64_t off = 0x100000000ULL;
	struct cfg sys, c;
	struct cell *r;
	long id;

	cfg_system(&sys);
	sys.mem[0].virt_start = off;
	ck_assert_int_eq(fx_enable(&sys), 0);
	r = root();
	ck_assert(sim_lookup(r, off + T_TINY_PHYS, NULL));
	cfg_tiny(&c);
	fx_put(&c, T_CFG_GPA);
	id = hc(0, WD_HC_CELL_CREATE, off + T_CFG_GPA, 0);
	ck_assert_int_eq(id, 1);
	/* tiny's RAM is gone from the root cell's view of it. */
	ck_assert(!sim_lookup(r, off + T_TINY_PHYS, NULL));
	ck_assert(!sim_lookup(r, off + T_TINY_PHYS + 0xff000, NULL));
	ck_assert(!sim_lookup(r, T_TINY_PHYS, NULL));
	/* Set-loadable shows it where the root cell sees its RAM. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_SET_LOADABLE, 1, 0), 0);
	ck_assert(sim_lookup(r, off + T_TINY_PHYS, NULL));
	ck_assert(!sim_lookup(r, T_TINY_PHYS, NULL));
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 1, 0), 0);
	ck_assert(!sim_lookup(r, off + T_TINY_PHYS, NULL));
	/* Destroy gives it back at the same place. */
	fx_respond(1, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, 1, 0), 0);
	ck_assert(sim_lookup(r, off + T_TINY_PHYS, NULL));
	ck_assert(!sim_lookup(r, T_TINY_PHYS, NULL));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("containment");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, attack_reaching_for_tiny_ram_fails_alone);
	tcase_add_test(t, failure_is_counted_once);
	tcase_add_test(t, reason_record_names_the_failure);
	tcase_add_test(t, console_names_the_failed_cell);
	tcase_add_test(t, restarted_cell_runs_again);
	tcase_add_test(t, cell_may_not_reset_or_power_off_the_machine);
	tcase_add_test(t, root_may_reset_and_power_off);
	tcase_add_test(t, exception_in_tiny_fails_only_tiny);
	tcase_add_test(t, two_failures_are_independent);
	tcase_add_test(t, destroying_failed_cell_returns_its_cpu);
	tcase_add_test(t, cpu_not_answering_park_is_lost_not_a_machine_stop);
	tcase_add_test(t, root_cpu_on_of_cell_cpu_refused);
	tcase_add_test(t, root_mmio_fault_stops_machine);
	tcase_add_test(t, root_exception_stops_machine);
	suite_add_tcase(s, t);
	/* Tests that enable with their own system config. */
	t = tcase_create("own_system");
	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, root_ram_at_offset_still_loses_cell_ram);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
