/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt ownership. Each physical interrupt controller (identified by
 * its address in the root cell's irqchip list) has an owner per pin. The
 * root cell starts owning what its config lists; a new cell takes its pins
 * from the root cell and gives them back when destroyed. Arch irqchip code
 * asks core_irq_owner() and applies the result at hal_config_commit().
 */
#include "core.h"

#define NO_OWNER 0xff

/*
 * One entry per distinct controller of the root cell's config, in pages
 * taken from the hypervisor's pool when the root cell is set up (as many
 * as its config needs) and given back when it goes.
 */
static struct irqchip_state {
	uint64_t address;
	uint8_t owner[WD_MAX_IRQ_PINS]; /* cell id, NO_OWNER if unassigned */
} * chips;
static unsigned int num_chips, chips_pages;

/* The owner table of the controller at @address, NULL if none. */
static inline __attribute__((always_inline)) uint8_t *owners(uint64_t address)
{
	unsigned int i;

	for (i = 0; i < num_chips; i++)
		if (chips[i].address == address)
			return chips[i].owner;
	return NULL;
}

/* Does @chip (a config entry) list its pin pin_base + @bit? */
static bool pin_listed(const struct wd_irqchip *chip, unsigned int bit)
{
	return chip->pin_bitmap[bit / 32] >> (bit % 32) & 1;
}

struct check_result irq_check(const struct wd_cell_desc *cfg, bool claim)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cfg);
	unsigned int n, bit, pin;
	uint8_t *own;

	for (n = 0; n < cfg->num_irqchips; n++) {
		own = owners(chip[n].address);
		for (bit = 0; bit < WD_IRQCHIP_PINS; bit++) {
			pin = chip[n].pin_base + bit;
			if (pin_listed(&chip[n], bit) &&
			    (claim ? !own || own[pin] != root_cell->id :
				     !hal_irq_assignable(&chip[n], pin)))
				return (struct check_result){
					WD_R_irqchip_pins, pin,
					claim ? WD_EBUSY : WD_EINVAL
				};
		}
	}
	return (struct check_result){ WD_R_none, 0, 0 };
}

int irq_cell_claim(struct cell *cell)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell->config);
	unsigned int n, bit;
	uint8_t *own;

	/* The root cell's table: one entry per distinct controller address
	 * (a table left by a root cell that never went is not ours now). */
	if (cell == root_cell) {
		num_chips = 0;
		chips_pages = pages_for((uint64_t)cell->config->num_irqchips *
					sizeof(*chips));
		chips = core_page_alloc(chips_pages); /* none: NULL */
		if (chips_pages && !chips)
			return reject(cell, WD_R_no_memory, chips_pages,
				      WD_ENOMEM);
	}
	for (n = 0; n < cell->config->num_irqchips; n++) {
		own = owners(chip[n].address);
		if (!own && cell == root_cell) {
			chips[num_chips].address = chip[n].address;
			own = chips[num_chips++].owner;
			wd_memset(own, NO_OWNER, WD_MAX_IRQ_PINS);
		}
		for (bit = 0; own && bit < WD_IRQCHIP_PINS; bit++)
			if (pin_listed(&chip[n], bit))
				own[chip[n].pin_base + bit] = (uint8_t)cell->id;
	}
	return 0;
}

void irq_cell_release(struct cell *cell)
{
	unsigned int i, pin;

	if (cell == root_cell) {
		core_page_free(chips, chips_pages); /* NULL: nothing */
		chips = NULL;
		num_chips = 0;
		return;
	}
	/* Everything the cell owned goes back to the root cell. */
	for (i = 0; i < num_chips; i++)
		for (pin = 0; pin < WD_MAX_IRQ_PINS; pin++)
			if (chips[i].owner[pin] == cell->id)
				chips[i].owner[pin] = root_cell->id;
}

struct cell *core_irq_owner(uint64_t chip, unsigned int pin)
{
	const uint8_t *own = owners(chip);

	if (!own || pin >= WD_MAX_IRQ_PINS || own[pin] == NO_OWNER)
		return NULL;
	return core_cell_by_id(own[pin]);
}

enum access_result CORE_ENTRY(core_irqchip_access)(uint64_t chip,
						   unsigned int pin)
{
	struct cell *cell = trap_enter(WD_CPU_STAT_VMEXITS_IRQCHIP);
	const uint8_t *own = owners(chip);

	if (!cell)
		return ACCESS_DENIED;
	if (own && pin < WD_MAX_IRQ_PINS && own[pin] == cell->id)
		return ACCESS_EMULATED;
	return cell_fail(cell, WD_R_irq_foreign, pin);
}
