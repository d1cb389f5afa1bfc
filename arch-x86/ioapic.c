// SPDX-License-Identifier: GPL-2.0
/*
 * IOAPIC emulation (ioapic.h; Intel 82093AA datasheet: IOREGSEL, IOWIN,
 * redirection table). Freestanding: the chips through hal_phys_access(),
 * ownership through the core.
 */
#include "ioapic.h"
#include "../hal/hal.h"
#include "exit.h"
#include "msi.h"
#include "msr.h"

#define LOW_RW 0x1afffULL     /* vector, modes, polarity, trigger, mask */
#define HIGH_RW 0xff000000ULL /* destination (63:56) */
#define NO_OWNER 0xff
#define UNSEEN 0xfe

#define RO_BITS 0x5000ULL /* remote IRR, delivery status */

uint64_t (*x86_ioapic_remap)(uint32_t id, unsigned int pin, uint64_t entry);

static struct chip {
	uint64_t base;
	uint32_t id; /* the system config's: the IOMMU's source-id */
	unsigned int pins, version;
	uint8_t owner[IOAPIC_MAX_PINS];	 /* at the last commit */
	uint64_t entry[IOAPIC_MAX_PINS]; /* as its owner wrote it */
} chips[IOAPIC_MAX_CHIPS];
static unsigned int num_chips;
static uint8_t regsel[WD_MAX_CELLS][IOAPIC_MAX_CHIPS];
static uint32_t hw_lock;

/* ---- the chip ------------------------------------------------------------ */

/* A 32-bit access to the chip page's register at physical @addr. */
static uint32_t mmio32(uint64_t addr, bool write, uint32_t val)
{
	struct mmio_access acc = {
		.address = addr, .size = 4, .is_write = write, .value = val
	};

	hal_phys_access(hpa(addr), &acc);
	return (uint32_t)acc.value;
}

static uint32_t hw(unsigned int chip, unsigned int reg, bool write,
		   uint32_t val)
{
	while (__atomic_exchange_n(&hw_lock, 1, __ATOMIC_ACQUIRE))
		;
	mmio32(chips[chip].base, true, reg);
	val = mmio32(chips[chip].base + IOAPIC_IOWIN, write, val);
	__atomic_store_n(&hw_lock, 0, __ATOMIC_RELEASE);
	return val;
}

static uint64_t hw_entry(unsigned int chip, unsigned int pin)
{
	unsigned int reg = IOAPIC_REG_REDIR + 2 * pin;

	return hw(chip, reg, false, 0) | (uint64_t)hw(chip, reg + 1, false, 0)
						 << 32;
}

/* A pin's entry as its owner sees it: the one it wrote (with interrupt
 * remapping the chip's is in the remappable format), the chip's read-only
 * bits. */
static uint64_t view(unsigned int chip, unsigned int pin)
{
	return chips[chip].entry[pin] | (hw_entry(chip, pin) & RO_BITS);
}

/* Write the owner's entry of @pin into the chip, remapped while the IOMMU
 * remaps: the high dword first (the low one may unmask it). */
static void hw_write(unsigned int chip, unsigned int pin)
{
	unsigned int reg = IOAPIC_REG_REDIR + 2 * pin;
	uint64_t entry = chips[chip].entry[pin];

	if (x86_ioapic_remap)
		entry = x86_ioapic_remap(chips[chip].id, pin, entry);
	hw(chip, reg + 1, true, (uint32_t)(entry >> 32));
	hw(chip, reg, true, (uint32_t)entry);
}

/* ---- set-up, ownership changes -------------------------------------------- */

void x86_ioapic_unremap(void)
{
	unsigned int i, pin;
	bool was = x86_ioapic_remap;

	x86_ioapic_remap = NULL;
	for (i = 0; was && i < num_chips; i++)
		for (pin = 0; pin < chips[i].pins; pin++)
			hw_write(i, pin);
}

int x86_ioapic_chip(uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < num_chips; i++)
		if (gpa >> 12 == chips[i].base >> 12)
			return (int)i;
	return -1;
}

static void chips_init(void)
{
	const struct wd_cell_desc *root = &core_system_config()->root_cell;
	const struct wd_irqchip *c = wd_cell_irqchips(root);
	unsigned int n, pin, ver;
	struct chip *ch;

	num_chips = 0;
	for (n = 0; n < root->num_irqchips && num_chips < IOAPIC_MAX_CHIPS;
	     n++) {
		if (x86_ioapic_chip(c[n].address) >= 0)
			continue;
		ch = &chips[num_chips];
		ch->base = c[n].address;
		ch->id = c[n].id;
		/* Version register 23:16: the last redirection entry. */
		ver = hw(num_chips, IOAPIC_REG_VER, false, 0);
		ch->version = ver & 0xff;
		ch->pins = (ver >> 16 & 0xff) + 1;
		if (ch->pins > IOAPIC_MAX_PINS)
			ch->pins = IOAPIC_MAX_PINS;
		for (pin = 0; pin < ch->pins; pin++) { /* only these are used */
			ch->owner[pin] = UNSEEN;
			ch->entry[pin] = hw_entry(num_chips, pin) & ~RO_BITS;
		}
		num_chips++;
	}
}

void x86_ioapic_cell_create(const struct cell *cell)
{
	unsigned int id = core_cell_id(cell);

	if (id == 0)
		chips_init();
	__builtin_memset(regsel[id], 0, sizeof(regsel[id]));
}

/*
 * Pin @pin of chip @chip to its reset state: masked, vector and
 * destination 0, edge. A level-triggered entry still waiting for its EOI
 * (remote IRR) is ended first, with the old vector: by the chip's EOI
 * register (version 0x20 and up), else by the switch to edge (older
 * chips clear remote IRR then; Linux's clear_IO_APIC_pin does the same).
 */
static void pin_reset(unsigned int chip, unsigned int pin)
{
	unsigned int reg = IOAPIC_REG_REDIR + 2 * pin;
	uint32_t low = hw(chip, reg, false, 0);

	hw(chip, reg, true, low | (uint32_t)IOAPIC_MASKED);
	if ((low & IOAPIC_REMOTE_IRR) && chips[chip].version >= 0x20)
		mmio32(chips[chip].base + IOAPIC_EOI, true, low & 0xff);
	chips[chip].entry[pin] = IOAPIC_MASKED;
	hw_write(chip, pin);
}

void x86_ioapic_commit(void)
{
	unsigned int i, pin;
	struct cell *cell;
	uint8_t id, *own;

	for (i = 0; i < num_chips; i++)
		for (pin = 0; pin < chips[i].pins; pin++) {
			cell = core_irq_owner(chips[i].base, pin);
			id = cell ? (uint8_t)core_cell_id(cell) : NO_OWNER;
			own = &chips[i].owner[pin];
			if (*own != UNSEEN && *own != id)
				pin_reset(i, pin);
			else if (*own == UNSEEN && x86_ioapic_remap)
				/* the root's pins as found, now remapped */
				hw_write(i, pin);
			*own = id;
		}
}

/* ---- the policy ------------------------------------------------------------ */

enum wd_reason x86_ioapic_entry_check(unsigned int cpu, unsigned int pin,
				      uint64_t entry, uint64_t *item)
{
	/* The destination rule of MSI messages (msi.c): one rule. */
	static const enum wd_reason why[] = { WD_R_ioapic_delivery,
					      WD_R_cpu_foreign,
					      WD_R_ioapic_delivery,
					      WD_R_ioapic_vector };
	uint32_t dest = (uint32_t)(entry >> 56);
	enum wd_reason r;

	*item = pin;
	if (entry & IOAPIC_MASKED)
		return WD_R_none;
	r = x86_irq_dest_check(core_cpu_cell(cpu), dest, entry & (1U << 11),
			       (entry >> 8) & 7, entry & 0xff, why);
	if (r == WD_R_cpu_foreign)
		*item = dest;
	return r;
}

/*
 * A refusal of the policy: the cell fails with @why and @item, recorded as
 * the exit layer records its refused MMIO instructions (an exception
 * record of the nested page fault / EPT violation), so that a replay of
 * the trace takes the reason from the record.
 */
static enum access_result refuse(enum wd_reason why, uint64_t item)
{
	x86_exit_refuse(X86_EXIT_EPT_VIOLATION, why, item);
	return ACCESS_DENIED;
}

/*
 * A write of half @high of pin @pin's entry. A pin the cell owns: the
 * entry it would make is checked first (a refusal is the trap's only
 * record); then the core's pin rule, whose record is the trap's (ok, or
 * irq_foreign for a pin of another cell).
 */
static enum access_result entry_write(unsigned int chip, struct cell *cell,
				      unsigned int pin, bool high, uint32_t val)
{
	uint64_t entry = 0, item;
	enum wd_reason why;

	if (core_irq_owner(chips[chip].base, pin) == cell) {
		entry = view(chip, pin);
		if (high)
			entry = (uint32_t)entry | ((uint64_t)val & HIGH_RW)
							  << 32;
		else
			entry = (entry & (HIGH_RW << 32)) | (val & LOW_RW);
		why = x86_ioapic_entry_check(hal_cpu_id(), pin, entry, &item);
		if (why != WD_R_none)
			return refuse(why, item);
	}
	if (core_irqchip_access(chips[chip].base, pin) == ACCESS_DENIED)
		return ACCESS_DENIED;
	chips[chip].entry[pin] = entry & ~RO_BITS;
	hw_write(chip, pin);
	return ACCESS_EMULATED;
}

/*
 * IOWIN: the register the cell selected. Reads: ID, version, arbitration
 * and the entries of the cell's pins from the chip, other pins' as masked,
 * other registers 0. Writes: entries only.
 */
static enum access_result iowin(unsigned int chip, struct cell *cell,
				unsigned int reg, bool write, uint64_t *value)
{
	unsigned int pin = (reg - IOAPIC_REG_REDIR) / 2;
	bool entry = reg >= IOAPIC_REG_REDIR && pin < chips[chip].pins;

	if (write && !entry)
		return refuse(WD_R_ioapic_register, reg);
	if (write)
		return entry_write(chip, cell, pin, reg & 1, (uint32_t)*value);
	core_stat_inc(WD_CPU_STAT_VMEXITS_IRQCHIP);
	if (entry && core_irq_owner(chips[chip].base, pin) == cell)
		*value = (uint32_t)(view(chip, pin) >> (reg & 1) * 32);
	else if (!entry && reg <= IOAPIC_REG_ARB)
		*value = hw(chip, reg, false, 0);
	else
		*value = entry && !(reg & 1) ? (uint32_t)IOAPIC_MASKED : 0;
	return ACCESS_EMULATED;
}

enum access_result x86_ioapic_access(int chip, uint64_t gpa, unsigned int size,
				     bool write, uint64_t *value)
{
	struct cell *cell = core_cpu_cell(hal_cpu_id());
	/* Offsets from the chip's base, which need not start its page. */
	uint64_t off = gpa - chips[chip].base;
	uint8_t *sel = &regsel[core_cell_id(cell)][chip];

	if (size != 4 || (off != IOAPIC_REGSEL && off != IOAPIC_IOWIN))
		return refuse(WD_R_ioapic_access, gpa);
	if (off == IOAPIC_IOWIN)
		return iowin((unsigned int)chip, cell, *sel, write, value);
	core_stat_inc(WD_CPU_STAT_VMEXITS_IRQCHIP);
	if (write)
		*sel = (uint8_t)*value;
	else
		*value = *sel;
	return ACCESS_EMULATED;
}
