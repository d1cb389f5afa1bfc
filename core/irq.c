/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt ownership. Each physical interrupt controller (identified by
 * its address in the root cell's irqchip list) has an owner per pin. The
 * root cell starts owning what its config lists; a new cell takes its pins
 * from the root cell and gives them back when destroyed. Arch irqchip code
 * asks core_irq_owner() and applies the result at hal_config_commit().
 */
#include "core.h"

#define MAX_CHIPS 4
#define MAX_PINS WD_MAX_IRQ_PINS
#define NO_OWNER 0xff

static struct irqchip_state {
	bool used;
	uint64_t address;
	uint8_t owner[MAX_PINS]; /* cell id, NO_OWNER if unassigned */
} chips[MAX_CHIPS];

static int chip_index(uint64_t address)
{
	int i;

	for (i = 0; i < MAX_CHIPS; i++)
		if (chips[i].used && chips[i].address == address)
			return i;
	return -1;
}

/* Call @fn for every pin set in @chip's bitmap; stop at a non-zero return. */
static uint64_t for_each_pin(const struct wd_irqchip *chip,
			     uint64_t (*fn)(const struct wd_irqchip *,
					    unsigned int pin, void *),
			     void *arg)
{
	unsigned int bit;
	uint64_t r;

	for (bit = 0; bit < WD_IRQCHIP_PINS; bit++) {
		if (!(chip->pin_bitmap[bit / 32] >> (bit % 32) & 1))
			continue;
		r = fn(chip, chip->pin_base + bit, arg);
		if (r)
			return r;
	}
	return 0;
}

static uint64_t pin_unassignable(const struct wd_irqchip *chip,
				 unsigned int pin, void *arg)
{
	(void)arg;
	return hal_irq_assignable(chip, pin) ? 0 : pin + 1;
}

struct check_result irq_check_policy(const struct wd_cell_desc *cfg)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cfg);
	unsigned int n;
	uint64_t bad;

	for (n = 0; n < cfg->num_irqchips; n++) {
		bad = for_each_pin(&chip[n], pin_unassignable, NULL);
		if (bad)
			return (struct check_result){ WD_R_irqchip_pins,
						      bad - 1, WD_EINVAL };
	}
	return (struct check_result){ WD_R_none, 0, 0 };
}

static uint64_t pin_not_in_root(const struct wd_irqchip *chip, unsigned int pin,
				void *arg)
{
	int idx = chip_index(chip->address);

	(void)arg;
	if (idx < 0 || chips[idx].owner[pin] != root_cell->id)
		return pin + 1;
	return 0;
}

struct check_result irq_check_claim(const struct wd_cell_desc *cfg)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cfg);
	unsigned int n;
	uint64_t bad;

	for (n = 0; n < cfg->num_irqchips; n++) {
		bad = for_each_pin(&chip[n], pin_not_in_root, NULL);
		if (bad)
			return (struct check_result){ WD_R_irqchip_pins,
						      bad - 1, WD_EBUSY };
	}
	return (struct check_result){ WD_R_none, 0, 0 };
}

static uint64_t set_owner(const struct wd_irqchip *chip, unsigned int pin,
			  void *arg)
{
	int idx = chip_index(chip->address);

	if (idx >= 0)
		chips[idx].owner[pin] = *(uint8_t *)arg;
	return 0;
}

void irq_cell_claim(struct cell *cell)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell->config);
	uint8_t id = (uint8_t)cell->id;
	unsigned int n;
	int i;

	if (cell == root_cell) {
		wd_memset(chips, 0, sizeof(chips));
		for (n = 0; n < cell->config->num_irqchips; n++) {
			if (chip_index(chip[n].address) >= 0)
				continue;
			for (i = 0; i < MAX_CHIPS && chips[i].used; i++)
				;
			if (i == MAX_CHIPS)
				break; /* bounded by config validation */
			chips[i].used = true;
			chips[i].address = chip[n].address;
			wd_memset(chips[i].owner, NO_OWNER, MAX_PINS);
		}
	}
	for (n = 0; n < cell->config->num_irqchips; n++)
		for_each_pin(&chip[n], set_owner, &id);
}

void irq_cell_release(struct cell *cell)
{
	unsigned int i, pin;

	/* Everything the cell owned goes back to the root cell. */
	for (i = 0; i < MAX_CHIPS; i++)
		for (pin = 0; pin < MAX_PINS; pin++)
			if (chips[i].used && chips[i].owner[pin] == cell->id)
				chips[i].owner[pin] = root_cell->id;
}

bool irq_cell_owns(const struct cell *cell, unsigned int chip, unsigned int pin)
{
	return chip < MAX_CHIPS && pin < MAX_PINS && chips[chip].used &&
	       chips[chip].owner[pin] == cell->id;
}

struct cell *core_irq_owner(uint64_t chip, unsigned int pin)
{
	int idx = chip_index(chip);

	if (idx < 0 || pin >= MAX_PINS || chips[idx].owner[pin] == NO_OWNER)
		return NULL;
	return cell_by_id(chips[idx].owner[pin]);
}

enum access_result core_irqchip_access(uint64_t chip, unsigned int pin)
{
	int idx = chip_index(chip);

	struct cell *cell = trap_cell();

	core_stat_inc(WD_CPU_STAT_VMEXITS_IRQCHIP);
	if (!cell)
		return ACCESS_DENIED;
	if (idx >= 0 && irq_cell_owns(cell, (unsigned int)idx, pin))
		return ACCESS_EMULATED;
	cell_fail(cell, WD_R_irq_foreign, pin);
	return ACCESS_DENIED;
}
