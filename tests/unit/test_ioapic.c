// SPDX-License-Identifier: GPL-2.0
/*
 * IOAPIC emulation (arch-x86/ioapic.c) on the simulator's x86 machine and
 * its IOAPIC model (sim/ioapic.c): the per-cell register select, owned and
 * foreign pins, every refused redirection form with its reason, and the
 * reset of a pin that changes owner. Also the AMD-V backend's choice of
 * the event to inject again after an exit (arch-amd/vmcb.h).
 */
#include <check.h>

#include "../../arch-amd/vmcb.h"
#include "../../arch-x86/ioapic.h"
#include "../../core/core.h"
#include "../../sim/intc.h"
#include "support_cfg.h"
#include "support_run.h"

#define ROOT_CPU 0
#define TINY_CPU 2
#define PIN 5	  /* tiny's */
#define FOREIGN 4 /* the root's */
#define REDIR(pin) (0x10 + 2 * (pin))

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
}

static void teardown(void)
{
	fx_teardown();
}

static enum access_result io(unsigned int cpu, unsigned int off,
			     unsigned int size, bool write, uint32_t *val)
{
	uint64_t v = *val;
	enum access_result r;

	sim_set_cpu(cpu);
	r = x86_ioapic_access(x86_ioapic_chip(T_IOAPIC), T_IOAPIC + off, size,
			      write, &v);
	*val = (uint32_t)v;
	return r;
}

static enum access_result reg_write(unsigned int cpu, unsigned int reg,
				    uint32_t val)
{
	uint32_t sel = reg;

	ck_assert_int_eq(io(cpu, IOAPIC_REGSEL, 4, true, &sel),
			 ACCESS_EMULATED);
	return io(cpu, IOAPIC_IOWIN, 4, true, &val);
}

static uint32_t reg_read(unsigned int cpu, unsigned int reg)
{
	uint32_t sel = reg, val = 0xdeadbeef;

	ck_assert_int_eq(io(cpu, IOAPIC_REGSEL, 4, true, &sel),
			 ACCESS_EMULATED);
	ck_assert_int_eq(io(cpu, IOAPIC_IOWIN, 4, false, &val),
			 ACCESS_EMULATED);
	return val;
}

/* tiny (CPU 2, pin 5) created and started. */
static void tiny(void)
{
	ck_assert_int_eq(fx_tiny_running(), 1);
}

static void assert_failed(enum wd_reason why, uint64_t item)
{
	ck_assert_int_eq(hc(ROOT_CPU, WD_HC_CELL_GET_STATE, 1, 0),
			 WD_CELL_FAILED);
	ck_assert_uint_eq(fx_reason(1), why);
	ck_assert_uint_eq(fx_item(1), item);
}

START_TEST(register_select_is_per_cell)
{
	uint32_t v;

	tiny();
	v = REDIR(FOREIGN);
	ck_assert_int_eq(io(ROOT_CPU, IOAPIC_REGSEL, 4, true, &v),
			 ACCESS_EMULATED);
	v = IOAPIC_REG_VER;
	ck_assert_int_eq(io(TINY_CPU, IOAPIC_REGSEL, 4, true, &v),
			 ACCESS_EMULATED);
	ck_assert_int_eq(io(ROOT_CPU, IOAPIC_REGSEL, 4, false, &v),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(v, REDIR(FOREIGN));
	ck_assert_int_eq(io(TINY_CPU, IOAPIC_REGSEL, 4, false, &v),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(v, IOAPIC_REG_VER);
	/* Each window reads the register its own cell selected. */
	ck_assert_int_eq(io(TINY_CPU, IOAPIC_IOWIN, 4, false, &v),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(v, 23 << 16 | 0x20); /* the model's version */
	ck_assert_int_eq(io(ROOT_CPU, IOAPIC_IOWIN, 4, false, &v),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(v, IOAPIC_MASKED); /* reset state */
	/* ID and arbitration from the chip; unknown registers read 0. */
	ck_assert_uint_eq(reg_read(TINY_CPU, IOAPIC_REG_ID), 0);
	ck_assert_uint_eq(reg_read(TINY_CPU, 0x05), 0);
	ck_assert_uint_eq(reg_read(TINY_CPU, REDIR(24)), 0);
	ck_assert_int_eq(hc(ROOT_CPU, WD_HC_CELL_GET_STATE, 1, 0),
			 WD_CELL_RUNNING);
}
END_TEST

START_TEST(owned_pin_reaches_the_chip)
{
	tiny();
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN) + 1, 2u << 24),
			 ACCESS_EMULATED);
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN), 0xa040),
			 ACCESS_EMULATED); /* level, active low, vector 0x40 */
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, PIN), 2ULL << 56 | 0xa040);
	ck_assert_uint_eq(reg_read(TINY_CPU, REDIR(PIN)), 0xa040);
	ck_assert_uint_eq(reg_read(TINY_CPU, REDIR(PIN) + 1), 2u << 24);
	/* Lowest priority to its own CPU; reserved bits dropped. */
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN), 0xfffe0141),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, PIN), 2ULL << 56 | 0x141);
	ck_assert_int_eq(hc(ROOT_CPU, WD_HC_CELL_GET_STATE, 1, 0),
			 WD_CELL_RUNNING);
}
END_TEST

START_TEST(foreign_pin_reads_masked)
{
	ck_assert_int_eq(reg_write(ROOT_CPU, REDIR(FOREIGN) + 1, 0),
			 ACCESS_EMULATED);
	ck_assert_int_eq(reg_write(ROOT_CPU, REDIR(FOREIGN), 0x31),
			 ACCESS_EMULATED);
	tiny();
	ck_assert_uint_eq(reg_read(ROOT_CPU, REDIR(FOREIGN)), 0x31);
	ck_assert_uint_eq(reg_read(TINY_CPU, REDIR(FOREIGN)), IOAPIC_MASKED);
	ck_assert_uint_eq(reg_read(TINY_CPU, REDIR(FOREIGN) + 1), 0);
	/* ... and the root no longer sees tiny's pin. */
	ck_assert_uint_eq(reg_read(ROOT_CPU, REDIR(PIN)), IOAPIC_MASKED);
	ck_assert_int_eq(hc(ROOT_CPU, WD_HC_CELL_GET_STATE, 1, 0),
			 WD_CELL_RUNNING);
}
END_TEST

START_TEST(foreign_pin_write_denied)
{
	tiny();
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(FOREIGN), IOAPIC_MASKED),
			 ACCESS_DENIED);
	assert_failed(WD_R_irq_foreign, FOREIGN);
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, FOREIGN), IOAPIC_MASKED);
}
END_TEST

/* Each refused entry: written unmasked, low dword (destination tiny's). */
static const struct {
	uint32_t low, high;
	enum wd_reason why;
	uint64_t item;
} refused[] = {
	{ 0x0240, 2u << 24, WD_R_ioapic_delivery, PIN }, /* SMI */
	{ 0x0340, 2u << 24, WD_R_ioapic_delivery, PIN }, /* reserved */
	{ 0x0440, 2u << 24, WD_R_ioapic_delivery, PIN }, /* NMI */
	{ 0x0540, 2u << 24, WD_R_ioapic_delivery, PIN }, /* INIT */
	{ 0x0640, 2u << 24, WD_R_ioapic_delivery, PIN }, /* reserved */
	{ 0x0740, 2u << 24, WD_R_ioapic_delivery, PIN }, /* ExtINT */
	{ 0x0840, 4u << 24, WD_R_ioapic_delivery, PIN }, /* logical */
	{ 0x001f, 2u << 24, WD_R_ioapic_vector, PIN },	 /* exception */
	{ 0x0000, 2u << 24, WD_R_ioapic_vector, PIN },	 /* illegal */
	{ 0x0040, 0u << 24, WD_R_cpu_foreign, 0 },	 /* root CPU */
	{ 0x0140, 3u << 24, WD_R_cpu_foreign, 3 },	 /* no cell's */
	{ 0x0040, 0xffu << 24, WD_R_cpu_foreign, 0xff }, /* broadcast */
};

START_TEST(refused_entry)
{
	tiny();
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN) + 1, refused[_i].high),
			 ACCESS_EMULATED); /* masked: nothing raised yet */
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN),
				   refused[_i].low | IOAPIC_MASKED),
			 ACCESS_EMULATED);
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN), refused[_i].low),
			 ACCESS_DENIED);
	assert_failed(refused[_i].why, refused[_i].item);
	ck_assert(sim_ioapic_entry(T_IOAPIC, PIN) & IOAPIC_MASKED);
}
END_TEST

/* Unmasked first, then a destination outside the cell: the high half. */
START_TEST(refused_destination_change)
{
	tiny();
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN) + 1, 2u << 24),
			 ACCESS_EMULATED);
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN), 0x40),
			 ACCESS_EMULATED);
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN) + 1, 1u << 24),
			 ACCESS_DENIED);
	assert_failed(WD_R_cpu_foreign, 1);
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, PIN), 2ULL << 56 | 0x40);
}
END_TEST

START_TEST(refused_accesses)
{
	uint32_t v = 0;

	tiny();
	switch (_i) {
	case 0: /* 16-bit window */
		ck_assert_int_eq(io(TINY_CPU, IOAPIC_IOWIN, 2, false, &v),
				 ACCESS_DENIED);
		assert_failed(WD_R_ioapic_access, T_IOAPIC + IOAPIC_IOWIN);
		break;
	case 1: /* the EOI register of version 0x20 chips */
		ck_assert_int_eq(io(TINY_CPU, 0x40, 4, true, &v),
				 ACCESS_DENIED);
		assert_failed(WD_R_ioapic_access, T_IOAPIC + 0x40);
		break;
	case 2: /* between the registers */
		ck_assert_int_eq(io(TINY_CPU, 0x04, 4, false, &v),
				 ACCESS_DENIED);
		assert_failed(WD_R_ioapic_access, T_IOAPIC + 0x04);
		break;
	case 3: /* the chip's ID is the machine's */
		ck_assert_int_eq(reg_write(TINY_CPU, IOAPIC_REG_ID, 1u << 24),
				 ACCESS_DENIED);
		assert_failed(WD_R_ioapic_register, IOAPIC_REG_ID);
		break;
	case 4: /* past the redirection table */
		ck_assert_int_eq(reg_write(TINY_CPU, REDIR(24), 0),
				 ACCESS_DENIED);
		assert_failed(WD_R_ioapic_register, REDIR(24));
		break;
	}
}
END_TEST

/* A pin that changes owner is reset: at create and at destroy. */
START_TEST(owner_change_masks_pin)
{
	ck_assert_int_eq(reg_write(ROOT_CPU, REDIR(PIN) + 1, 0),
			 ACCESS_EMULATED);
	ck_assert_int_eq(reg_write(ROOT_CPU, REDIR(PIN), 0x8035),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, PIN), 0x8035);
	tiny();
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, PIN), IOAPIC_MASKED);
	ck_assert_uint_eq(reg_read(TINY_CPU, REDIR(PIN)), IOAPIC_MASKED);
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN) + 1, 2u << 24),
			 ACCESS_EMULATED);
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN), 0xa041),
			 ACCESS_EMULATED);
	/* The root's other pins are left alone. */
	ck_assert_int_eq(reg_write(ROOT_CPU, REDIR(FOREIGN), 0x36),
			 ACCESS_EMULATED);
	fx_respond(1, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(ROOT_CPU, WD_HC_CELL_DESTROY, 1, 0), 0);
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, PIN), IOAPIC_MASKED);
	ck_assert_uint_eq(reg_read(ROOT_CPU, REDIR(PIN)), IOAPIC_MASKED);
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, FOREIGN), 0x36);
}
END_TEST

/*
 * A level-triggered pin whose interrupt the cell never ended (remote IRR
 * set) is ended at the owner change: nothing of it stays in the chip. Its
 * interrupt went to the cell's CPU only.
 */
START_TEST(level_pin_ended_at_destroy)
{
	uint64_t irr = 0;

	tiny();
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN) + 1, 2u << 24),
			 ACCESS_EMULATED);
	ck_assert_int_eq(reg_write(TINY_CPU, REDIR(PIN), 0x8046),
			 ACCESS_EMULATED); /* level, vector 0x46 */
	sim_ioapic_raise(T_IOAPIC, PIN);
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, PIN),
			  2ULL << 56 | 0xc046); /* remote IRR */
	ck_assert_int_eq(lapic_reg_read(TINY_CPU, 0x822, 0, &irr), 0);
	ck_assert_uint_eq(irr, 1u << 6); /* vector 0x46 requested */
	ck_assert_int_eq(lapic_reg_read(ROOT_CPU, 0x822, 0, &irr), 0);
	ck_assert_uint_eq(irr, 0);
	fx_respond(1, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(ROOT_CPU, WD_HC_CELL_DESTROY, 1, 0), 0);
	ck_assert_uint_eq(sim_ioapic_entry(T_IOAPIC, PIN), IOAPIC_MASKED);
	/* Masked: the root's pin raises nothing until it programs it. */
	sim_ioapic_raise(T_IOAPIC, PIN);
	ck_assert_int_eq(lapic_reg_read(ROOT_CPU, 0x822, 0, &irr), 0);
	ck_assert_uint_eq(irr, 0);
}
END_TEST

/* The policy alone: masked entries pass, the rules in order. */
START_TEST(entry_check)
{
	uint64_t item = 0;

	tiny();
	ck_assert_int_eq(x86_ioapic_entry_check(TINY_CPU, PIN,
						IOAPIC_MASKED | 0x700, &item),
			 WD_R_none);
	ck_assert_int_eq(x86_ioapic_entry_check(TINY_CPU, PIN,
						2ULL << 56 | 0x20, &item),
			 WD_R_none);
	ck_assert_int_eq(x86_ioapic_entry_check(ROOT_CPU, PIN, 0x20, &item),
			 WD_R_none);
	ck_assert_int_eq(x86_ioapic_entry_check(TINY_CPU, PIN, 0x20, &item),
			 WD_R_cpu_foreign);
	ck_assert_uint_eq(item, 0);
}
END_TEST

START_TEST(event_reinjection)
{
	/* An external interrupt, and a #PF with its error code: again. */
	ck_assert_uint_eq(svm_event_reinject(EVENT_VALID | 0x30),
			  EVENT_VALID | 0x30);
	ck_assert_uint_eq(svm_event_reinject(0x6ULL << 32 | EVENT_VALID |
					     EVENT_ERROR_VALID |
					     EVENT_EXC << 8 | 14),
			  0x6ULL << 32 | EVENT_VALID | EVENT_ERROR_VALID |
				  EVENT_EXC << 8 | 14);
	/* QEMU's interrupt reported as an exception: the interrupt. */
	ck_assert_uint_eq(svm_event_reinject(EVENT_VALID | EVENT_EXC << 8 |
					     0x41),
			  EVENT_VALID | 0x41);
	/* None: not valid, an NMI of any type, INTn, INT3, INTO. */
	ck_assert_uint_eq(svm_event_reinject(0x30), 0);
	ck_assert_uint_eq(svm_event_reinject(EVENT_VALID | EVENT_NMI << 8 | 2),
			  0);
	ck_assert_uint_eq(svm_event_reinject(EVENT_VALID | EVENT_EXC << 8 | 2),
			  0);
	ck_assert_uint_eq(
		svm_event_reinject(EVENT_VALID | EVENT_SOFT << 8 | 0x80), 0);
	ck_assert_uint_eq(svm_event_reinject(EVENT_VALID | EVENT_EXC << 8 | 3),
			  0);
	ck_assert_uint_eq(svm_event_reinject(EVENT_VALID | EVENT_EXC << 8 | 4),
			  0);
}
END_TEST

static Suite *ioapic_suite(void)
{
	Suite *s = suite_create("ioapic");
	TCase *tc = tcase_create("ioapic");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, register_select_is_per_cell);
	tcase_add_test(tc, owned_pin_reaches_the_chip);
	tcase_add_test(tc, foreign_pin_reads_masked);
	tcase_add_test(tc, foreign_pin_write_denied);
	tcase_add_loop_test(tc, refused_entry, 0,
			    sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, refused_destination_change);
	tcase_add_loop_test(tc, refused_accesses, 0, 5);
	tcase_add_test(tc, owner_change_masks_pin);
	tcase_add_test(tc, level_pin_ended_at_destroy);
	tcase_add_test(tc, entry_check);
	tcase_add_test(tc, event_reinjection);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(ioapic_suite());
}
