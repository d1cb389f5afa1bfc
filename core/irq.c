/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt ownership. Each physical interrupt controller (identified by
 * its address in the root cell's irqchip list) has an owner per pin. The
 * root cell starts owning what its config lists; a new cell takes its pins
 * from the root cell and gives them back when destroyed. Arch irqchip code
 * asks core_irq_owner() and applies the result at hal_config_commit().
 */
#include "core.h"

#define MAX_PINS WD_MAX_IRQ_PINS
#define NO_OWNER 0xff

/*
 * One entry per distinct controller of the root cell's config, in pages
 * taken from the hypervisor's pool when the root cell is set up (as many
 * as its config needs) and given back when it goes.
 */
static struct irqchip_state {
	bool used;
	uint64_t address;
	uint8_t owner[MAX_PINS]; /* cell id, NO_OWNER if unassigned */
} * chips;
static unsigned int num_chips, chips_pages;

static int chip_index(uint64_t address)
{
	int i;

	for (i = 0; i < (int)num_chips; i++)
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

/* The first pin of @cfg's irqchips that @fn refuses (pin + 1), with @err. */
static struct check_result check_pins(const struct wd_cell_desc *cfg,
				      uint64_t (*fn)(const struct wd_irqchip *,
						     unsigned int, void *),
				      int err)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cfg);
	unsigned int n;
	uint64_t bad;

	for (n = 0; n < cfg->num_irqchips; n++) {
		bad = for_each_pin(&chip[n], fn, NULL);
		if (bad)
			return (struct check_result){ WD_R_irqchip_pins,
						      bad - 1, err };
	}
	return (struct check_result){ WD_R_none, 0, 0 };
}

static uint64_t pin_unassignable(const struct wd_irqchip *chip,
				 unsigned int pin, void *arg)
{
	(void)arg;
	return hal_irq_assignable(chip, pin) ? 0 : pin + 1;
}

struct check_result irq_check_policy(const struct wd_cell_desc *cfg)
{
	return check_pins(cfg, pin_unassignable, WD_EINVAL);
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
	return check_pins(cfg, pin_not_in_root, WD_EBUSY);
}

static uint64_t set_owner(const struct wd_irqchip *chip, unsigned int pin,
			  void *arg)
{
	int idx = chip_index(chip->address);

	if (idx >= 0)
		chips[idx].owner[pin] = *(uint8_t *)arg;
	return 0;
}

/* The root cell's table: one entry per distinct controller address. */
static int root_chips_alloc(struct cell *cell)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell->config);
	unsigned int n, i;

	/* A table left by a root cell that never went is not ours now. */
	chips = NULL;
	num_chips = 0;
	chips_pages = pages_for((uint64_t)cell->config->num_irqchips *
				sizeof(*chips));
	if (!chips_pages)
		return 0;
	chips = core_page_alloc(chips_pages);
	if (!chips)
		return reject(cell, WD_R_no_memory, chips_pages, WD_ENOMEM);
	wd_memset(chips, 0, (uint64_t)chips_pages * WD_PAGE_SIZE);
	for (n = 0; n < cell->config->num_irqchips; n++) {
		if (chip_index(chip[n].address) >= 0)
			continue;
		i = num_chips++;
		chips[i].used = true;
		chips[i].address = chip[n].address;
		wd_memset(chips[i].owner, NO_OWNER, MAX_PINS);
	}
	return 0;
}

int irq_cell_claim(struct cell *cell)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell->config);
	uint8_t id = (uint8_t)cell->id;
	unsigned int n;
	int err;

	if (cell == root_cell) {
		err = root_chips_alloc(cell);
		if (err)
			return err;
	}
	for (n = 0; n < cell->config->num_irqchips; n++)
		for_each_pin(&chip[n], set_owner, &id);
	return 0;
}

void irq_cell_release(struct cell *cell)
{
	unsigned int i, pin;

	if (cell == root_cell) {
		if (chips)
			core_page_free(chips, chips_pages);
		chips = NULL;
		num_chips = 0;
		return;
	}
	/* Everything the cell owned goes back to the root cell. */
	for (i = 0; i < num_chips; i++)
		for (pin = 0; pin < MAX_PINS; pin++)
			if (chips[i].owner[pin] == cell->id)
				chips[i].owner[pin] = root_cell->id;
}

bool irq_cell_owns(const struct cell *cell, unsigned int chip, unsigned int pin)
{
	return chip < num_chips && pin < MAX_PINS && chips[chip].used &&
	       chips[chip].owner[pin] == cell->id;
}

struct cell *core_irq_owner(uint64_t chip, unsigned int pin)
{
	int idx = chip_index(chip);

	if (idx < 0 || pin >= MAX_PINS || chips[idx].owner[pin] == NO_OWNER)
		return NULL;
	return cell_by_id(chips[idx].owner[pin]);
}

static enum access_result irqchip_entry(uint64_t chip, unsigned int pin)
{
	int idx = chip_index(chip);

	struct cell *cell = trap_enter(WD_CPU_STAT_VMEXITS_IRQCHIP);

	if (!cell)
		return ACCESS_DENIED;
	if (idx >= 0 && irq_cell_owns(cell, (unsigned int)idx, pin))
		return ACCESS_EMULATED;
	return cell_fail(cell, WD_R_irq_foreign, pin);
}

/* With the trap's record (record.h: none in a core without records). */
enum access_result core_irqchip_access(uint64_t chip, unsigned int pin)
{
	struct wd_trap t;

	rec_trap(&t, WD_TRAP_IRQCHIP, pin, chip);
	return rec_end(&t, irqchip_entry(chip, pin), 0);
}
