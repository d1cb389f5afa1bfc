// SPDX-License-Identifier: GPL-2.0
/*
 * The IOAPICs of the simulator's x86 machine (sim.h): registers only, one
 * chip at each irqchip address of the root cell's config, as the x86
 * backends reach them through hal_phys_access() (arch-x86/ioapic.c decides
 * what a cell may do; this is the chip). 24 pins, version 0x20 (QEMU q35's
 * chip) with its EOI register, every entry masked at reset. No device is
 * wired to a pin: tests raise them (sim_ioapic_raise).
 */
#include <string.h>

#include "../hal/core.h"
#include "intc.h"
#include "sim.h"

#define CHIPS 8
#define PINS 24

static struct {
	uint64_t base;
	uint8_t regsel;
	uint32_t id;
	uint64_t entry[PINS];
} chips[CHIPS];
static unsigned int num_chips;

void sim_ioapic_reset(void)
{
	memset(chips, 0, sizeof(chips));
	num_chips = 0;
}

/* The chip at @addr's page, created the first time it is accessed. */
static int chip_at(uint64_t addr)
{
	const struct wd_system *sys = core_system_config();
	const struct wd_irqchip *c;
	unsigned int i, n;

	for (i = 0; i < num_chips; i++)
		if (chips[i].base == (addr & ~0xfffULL))
			return (int)i;
	if (!sys || sys->architecture != WD_ARCH_X86 || num_chips == CHIPS)
		return -1;
	c = wd_cell_irqchips(&sys->root_cell);
	for (n = 0; n < sys->root_cell.num_irqchips; n++)
		if (c[n].address == (addr & ~0xfffULL))
			break;
	if (n == sys->root_cell.num_irqchips)
		return -1;
	i = num_chips++;
	chips[i].base = c[n].address;
	chips[i].id = i << 24;
	for (n = 0; n < PINS; n++)
		chips[i].entry[n] = 0x10000;
	return (int)i;
}

static uint32_t reg_read(unsigned int i, unsigned int reg)
{
	unsigned int pin = (reg - 0x10) / 2;

	if (reg == 0)
		return chips[i].id;
	if (reg == 1)
		return (PINS - 1) << 16 | 0x20;
	if (reg == 2)
		return chips[i].id;
	if (reg < 0x10 || pin >= PINS)
		return 0;
	return (uint32_t)(chips[i].entry[pin] >> (reg & 1 ? 32 : 0));
}

static void reg_write(unsigned int i, unsigned int reg, uint32_t val)
{
	unsigned int pin = (reg - 0x10) / 2;
	uint64_t *e = &chips[i].entry[pin];

	if (reg == 0)
		chips[i].id = val & 0x0f000000;
	if (reg < 0x10 || pin >= PINS)
		return;
	/* Delivery status (12) and remote IRR (14) are read-only. */
	if (reg & 1)
		*e = (uint32_t)*e | (uint64_t)(val & 0xff000000) << 32;
	else
		*e = (*e & (0xffULL << 56 | 0x5000)) | (val & 0x1afff);
}

bool sim_ioapic_access(uint64_t addr, struct mmio_access *acc)
{
	int i = chip_at(addr);
	unsigned int n;

	if (i < 0)
		return false;
	if (acc->size != 4) {
		if (!acc->is_write)
			acc->value = 0;
		return true;
	}
	switch (addr & 0xfff) {
	case 0x00:
		if (acc->is_write)
			chips[i].regsel = (uint8_t)acc->value;
		else
			acc->value = chips[i].regsel;
		break;
	case 0x10:
		if (acc->is_write)
			reg_write((unsigned int)i, chips[i].regsel,
				  (uint32_t)acc->value);
		else
			acc->value = reg_read((unsigned int)i, chips[i].regsel);
		break;
	case 0x40: /* EOI: ends the level-triggered entries of a vector */
		for (n = 0; acc->is_write && n < PINS; n++)
			if ((chips[i].entry[n] & 0xff) == (acc->value & 0xff))
				chips[i].entry[n] &= ~0x4000ULL;
		if (!acc->is_write)
			acc->value = 0;
		break;
	default:
		if (!acc->is_write)
			acc->value = 0;
	}
	return true;
}

void sim_ioapic_raise(uint64_t base, unsigned int pin)
{
	int i = chip_at(base);
	uint64_t *e;

	if (i < 0 || pin >= PINS)
		return;
	e = &chips[i].entry[pin];
	if (*e & 0x10000 || (*e & 0x8000 && *e & 0x4000))
		return; /* masked, or level and not yet ended */
	if (*e & 0x8000)
		*e |= 0x4000; /* remote IRR until the EOI */
	lapic_raise((unsigned int)(*e >> 56), (uint8_t)*e);
}

uint64_t sim_ioapic_entry(uint64_t base, unsigned int pin)
{
	int i = chip_at(base);

	return i >= 0 && pin < PINS ? chips[i].entry[pin] : 0;
}
