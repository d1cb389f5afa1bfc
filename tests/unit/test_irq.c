/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt ownership (core/irq.c): which cell owns each pin of each
 * irqchip as cells come and go, who may touch a pin's configuration, and
 * the backend's veto on pins that can never be assigned (ARM SGIs/PPIs).
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

#define T_IOAPIC2 0xfec01000ULL
#define T_GICD 0x08000000ULL

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
}

static void teardown(void)
{
	fx_teardown();
}

static struct cell *root(void)
{
	return core_cpu_cell(0);
}

static long cell_state(long id)
{
	return hc(0, WD_HC_CELL_GET_STATE, (unsigned long)id, 0);
}

static long irqchip_stat(unsigned int cpu)
{
	return hc(0, WD_HC_CPU_GET_INFO, cpu,
		  WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_VMEXITS_IRQCHIP);
}

static enum access_result irq_access_on(unsigned int cpu, uint64_t chip,
					unsigned int pin)
{
	sim_set_cpu(cpu);
	return core_irqchip_access(chip, pin);
}

static enum access_result irq_access(unsigned int cpu, unsigned int pin)
{
	return irq_access_on(cpu, T_IOAPIC, pin);
}

START_TEST(owner_follows_cell_lifecycle)
{
	struct cfg c;
	long id;

	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 5), root());
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 0), root());
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 23), root());
	cfg_tiny(&c);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	/* Taken at create, before the cell ever runs. */
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 5), core_cpu_cell(2));
	ck_assert_uint_eq(core_irq_owner(T_IOAPIC, 5)->id, 1);
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 4), root());
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 6), root());
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 1, 0), 0);
	ck_assert_uint_eq(core_irq_owner(T_IOAPIC, 5)->id, 1);
	fx_respond(1, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, 1, 0), 0);
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 5), root());
}
END_TEST

START_TEST(unlisted_pins_and_chips_have_no_owner)
{
	/* The root cell lists pins 0..23 of one IOAPIC. */
	ck_assert_ptr_null(core_irq_owner(T_IOAPIC, 24));
	ck_assert_ptr_null(core_irq_owner(T_IOAPIC, 127));
	ck_assert_ptr_null(core_irq_owner(T_IOAPIC2, 5));
	ck_assert_ptr_null(core_irq_owner(0xfee00000, 5));
	ck_assert_ptr_null(core_irq_owner(0, 5));
	ck_assert_ptr_null(core_irq_owner(T_IOAPIC, 1024));
	ck_assert_ptr_null(core_irq_owner(T_IOAPIC, ~0U));
}
END_TEST

START_TEST(cell_may_touch_only_its_own_pins)
{
	long id = fx_tiny_running();
	long before = irqchip_stat(2);

	ck_assert_int_eq(irq_access(2, 5), ACCESS_EMULATED);
	ck_assert_int_eq(cell_state(id), WD_CELL_RUNNING);
	ck_assert_int_eq(irqchip_stat(2), before + 1);

	ck_assert_int_eq(irq_access(2, 6), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason((unsigned int)id), WD_R_irq_foreign);
	ck_assert_uint_eq(fx_item((unsigned int)id), 6);
	ck_assert_int_eq(cell_state(id), WD_CELL_FAILED);
	ck_assert(sim_cpu(2)->parked);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 2, WD_CPU_INFO_STATE),
			 WD_CPU_FAILED);
	ck_assert_int_eq(irqchip_stat(2), before + 2);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(cell_may_not_touch_unlisted_pins)
{
	long id = fx_tiny_running();

	/* Pin 100 exists on no chip anyone owns. */
	ck_assert_int_eq(irq_access(2, 100), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason((unsigned int)id), WD_R_irq_foreign);
	ck_assert_uint_eq(fx_item((unsigned int)id), 100);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)id, 0), 0);
	ck_assert_int_eq(irq_access(2, 5000), ACCESS_DENIED);
	ck_assert_uint_eq(fx_item((unsigned int)id), 5000);
}
END_TEST

START_TEST(root_keeps_its_other_pins)
{
	fx_tiny_running();
	ck_assert_int_eq(irq_access(0, 6), ACCESS_EMULATED);
	ck_assert_int_eq(irq_access(1, 0), ACCESS_EMULATED);
	ck_assert_int_eq(irq_access(0, 23), ACCESS_EMULATED);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(root_touching_cell_pin_stops_machine)
{
	fx_tiny_running();
	ck_assert_int_eq(irq_access(0, 5), ACCESS_DENIED);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_irq_foreign);
	ck_assert_uint_eq(core_last_reason()->item, 5);
}
END_TEST

START_TEST(failed_cell_keeps_pins_until_destroyed)
{
	long id = fx_tiny_running(), id2;
	unsigned int pin = 5;
	struct cfg c;

	ck_assert_int_eq(irq_access(2, 7), ACCESS_DENIED);
	ck_assert_int_eq(cell_state(id), WD_CELL_FAILED);
	ck_assert_uint_eq(core_irq_owner(T_IOAPIC, 5)->id, (unsigned int)id);
	/* Nobody else can take the pin meanwhile. */
	cfg_attack(&c);
	cfg_add_irqchip(&c, T_IOAPIC, 0, &pin, 1);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_irqchip_pins);
	ck_assert_uint_eq(fx_item(0), 5);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)id, 0), 0);
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 5), root());
	id2 = fx_create(&c);
	ck_assert_int_eq(id2, 1);
	ck_assert_uint_eq(core_irq_owner(T_IOAPIC, 5)->id, 1);
}
END_TEST

START_TEST(cell_cannot_claim_pins_of_unknown_chip)
{
	unsigned int pin = 5;
	struct cfg c;

	cfg_attack(&c);
	cfg_add_irqchip(&c, T_IOAPIC2, 0, &pin, 1);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_irqchip_pins);
	ck_assert_uint_eq(fx_item(0), 5);
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC, 5), root());
}
END_TEST

/* ---- own system configs ------------------------------------------------- */

START_TEST(second_chip_with_pin_base)
{
	unsigned int pins2[] = { 24, 30, 47 }, pin = 30;
	struct cfg sys, c;
	long id;

	cfg_system(&sys);
	cfg_add_irqchip(&sys, T_IOAPIC2, 24, pins2, 3);
	ck_assert_int_eq(fx_enable(&sys), 0);
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC2, 24), root());
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC2, 47), root());
	ck_assert_ptr_null(core_irq_owner(T_IOAPIC2, 25));
	ck_assert_ptr_null(core_irq_owner(T_IOAPIC, 30));

	cfg_attack(&c);
	cfg_add_irqchip(&c, T_IOAPIC2, 24, &pin, 1);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	ck_assert_uint_eq(core_irq_owner(T_IOAPIC2, 30)->id, 1);
	ck_assert_ptr_eq(core_irq_owner(T_IOAPIC2, 24), root());
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 1, 0), 0);
	ck_assert_int_eq(irq_access_on(3, T_IOAPIC2, 30), ACCESS_EMULATED);
	ck_assert_int_eq(irq_access_on(0, T_IOAPIC2, 47), ACCESS_EMULATED);
	ck_assert_int_eq(irq_access_on(3, T_IOAPIC2, 24), ACCESS_DENIED);
	ck_assert_uint_eq(fx_item(1), 24);
}
END_TEST

/* Pin numbers repeat across chips: ownership is per chip. */
START_TEST(same_pin_on_two_chips)
{
	unsigned int pin = 5;
	struct cfg sys;
	long id;

	cfg_system(&sys);
	cfg_add_irqchip(&sys, T_IOAPIC2, 0, &pin, 1);
	ck_assert_int_eq(fx_enable(&sys), 0);
	id = fx_tiny_running(); /* owns pin 5 of the first IOAPIC */
	ck_assert_int_eq(id, 1);
	ck_assert_int_eq(irq_access_on(2, T_IOAPIC, 5), ACCESS_EMULATED);
	ck_assert_int_eq(irq_access_on(0, T_IOAPIC2, 5), ACCESS_EMULATED);
	ck_assert_int_eq(irq_access_on(2, T_IOAPIC2, 5), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason(id), WD_R_irq_foreign);
	ck_assert_uint_eq(fx_item(id), 5);
}
END_TEST

START_TEST(unknown_chip_is_denied)
{
	long id = fx_tiny_running();

	ck_assert_int_eq(irq_access_on(2, 0xfee00000, 5), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason(id), WD_R_irq_foreign);
	ck_assert_int_eq(hc(0, WD_HC_CELL_GET_STATE, id, 0), WD_CELL_FAILED);
}
END_TEST

/* An ARM system: GIC distributor with the pins in @pins. */
static void cfg_arm(struct cfg *c, const unsigned int *pins, unsigned int n)
{
	cfg_system(c);
	c->sys.architecture = WD_ARCH_ARM;
	c->sys.root_cell.architecture = WD_ARCH_ARM;
	c->nirq = 0;
	cfg_add_irqchip(c, T_GICD, 0, pins, n);
}

START_TEST(arm_enable_refuses_ppi_in_root)
{
	unsigned int pins[] = { 40, 27, 41 };
	struct cfg c;

	cfg_arm(&c, pins, 3);
	ck_assert_int_eq(fx_enable(&c), -WD_EINVAL);
	ck_assert_uint_eq(core_last_reason()->code, WD_R_irqchip_pins);
	ck_assert_uint_eq(core_last_reason()->item, 27);
	ck_assert_ptr_nonnull(strstr(sim_console(), "irqchip_pins"));
	/* SGIs too. */
	pins[1] = 0;
	cfg_arm(&c, pins, 3);
	ck_assert_int_eq(fx_enable(&c), -WD_EINVAL);
	ck_assert_uint_eq(core_last_reason()->item, 0);
}
END_TEST

START_TEST(arm_spis_are_assignable)
{
	unsigned int pins[] = { 32, 40, 63 }, bad = 31, good = 40;
	struct cfg c;
	long id;

	cfg_arm(&c, pins, 3);
	ck_assert_int_eq(fx_enable(&c), 0);
	ck_assert_ptr_eq(core_irq_owner(T_GICD, 32), root());
	ck_assert_ptr_eq(core_irq_owner(T_GICD, 63), root());
	/* A cell asking for a PPI is refused by validation... */
	cfg_attack(&c);
	c.cell.architecture = WD_ARCH_ARM;
	cfg_add_irqchip(&c, T_GICD, 0, &bad, 1);
	ck_assert_int_eq(fx_create(&c), -WD_EINVAL);
	ck_assert_uint_eq(fx_reason(0), WD_R_irqchip_pins);
	ck_assert_uint_eq(fx_item(0), 31);
	/* ...one asking for an SPI of the root cell gets it. */
	cfg_attack(&c);
	c.cell.architecture = WD_ARCH_ARM;
	cfg_add_irqchip(&c, T_GICD, 0, &good, 1);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	ck_assert_uint_eq(core_irq_owner(T_GICD, 40)->id, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("irq");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, owner_follows_cell_lifecycle);
	tcase_add_test(t, unlisted_pins_and_chips_have_no_owner);
	tcase_add_test(t, cell_may_touch_only_its_own_pins);
	tcase_add_test(t, cell_may_not_touch_unlisted_pins);
	tcase_add_test(t, root_keeps_its_other_pins);
	tcase_add_test(t, root_touching_cell_pin_stops_machine);
	tcase_add_test(t, failed_cell_keeps_pins_until_destroyed);
	tcase_add_test(t, cell_cannot_claim_pins_of_unknown_chip);
	tcase_add_test(t, unknown_chip_is_denied);
	suite_add_tcase(s, t);
	/* Tests that enable with their own system config. */
	t = tcase_create("own_system");
	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, second_chip_with_pin_base);
	tcase_add_test(t, same_pin_on_two_chips);
	tcase_add_test(t, arm_enable_refuses_ppi_in_root);
	tcase_add_test(t, arm_spis_are_assignable);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
