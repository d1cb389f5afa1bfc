/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IOAPIC emulation for every cell, the root cell included (ioapic.c): the
 * rules written once, for the VT-x and AMD-V backends and the simulator.
 * No cell maps an IOAPIC's page; the exit layer (exit.c) hands each access
 * of an IOAPIC listed in the system config here:
 *
 * - IOREGSEL (+0x00) is shadowed per cell and chip: selecting touches no
 *   hardware, so cells never disturb each other's select-then-access pairs.
 * - IOWIN (+0x10) acts on the register the cell selected: ID, version and
 *   arbitration read from the chip (writes refused: they are the
 *   machine's); a redirection entry (0x10 + 2 * pin, low/high dword) of a
 *   pin the cell owns reads the chip's entry, a write is checked
 *   (x86_ioapic_entry_check) and written to the chip; a pin it does not
 *   own reads as masked (mask bit only, high dword 0) and a write is
 *   refused by the core (core_irqchip_access: irq_foreign). Every write of
 *   a redirection entry passes core_irqchip_access, so it is in the trap
 *   records as `irq ... pin=N`.
 * - anything else (other offsets, widths other than 32 bits, the EOI
 *   register of version 0x20 chips, registers past the table) is refused
 *   with a reason of the ioapic_* group; reads of unlisted registers read 0.
 *
 * Accesses of the chip go through hal_phys_access() under one lock (the
 * chip's IOREGSEL is global); the simulator's device model answers there.
 */
#ifndef WARDEN_X86_IOAPIC_H
#define WARDEN_X86_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "../hal/core.h"

#define IOAPIC_REGSEL 0x00
#define IOAPIC_IOWIN 0x10
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_ARB 0x02
#define IOAPIC_REG_REDIR 0x10
#define IOAPIC_MAX_CHIPS 8  /* the system config's first 8 are emulated */
#define IOAPIC_MAX_PINS 120 /* registers 0x10..0xff */
#define IOAPIC_EOI 0x40	    /* version 0x20 and up */
#define IOAPIC_MASKED 0x10000ULL
#define IOAPIC_REMOTE_IRR 0x4000U

/* Index of the emulated IOAPIC whose register page holds @gpa, or -1. */
int x86_ioapic_chip(uint64_t gpa);

/*
 * An access of @size bytes at @gpa (in chip @chip's page: @chip is what
 * x86_ioapic_chip() found for @gpa, not -1) by the cell on this CPU: a
 * store's value in *@value, a load's result left there (the registers
 * are 32 bits: the low half). ACCESS_EMULATED, or ACCESS_DENIED with the
 * cell failed and the refusal recorded.
 */
enum access_result x86_ioapic_access(int chip, uint64_t gpa, unsigned int size,
				     bool write, uint64_t *value);

/*
 * Is redirection entry @entry (64 bits: low dword, then the high dword's
 * destination in 63:56) of pin @pin one the cell on CPU @cpu may program?
 * A masked entry always is (it raises nothing; it is checked again when
 * unmasked). Otherwise the rule of MSI messages, x86_irq_dest_check()
 * (msi.h): physical destination mode and fixed or lowest-priority delivery
 * (else ioapic_delivery: SMI, NMI, INIT, ExtINT, reserved modes, logical
 * destinations), vector >= 32 (ioapic_vector), the destination a CPU of
 * the cell (cpu_foreign, item = the
 * destination). WD_R_none, or the reason with *@item.
 */
enum wd_reason x86_ioapic_entry_check(unsigned int cpu, unsigned int pin,
				      uint64_t entry, uint64_t *item);

/*
 * hal_cell_create(): the cell's IOREGSEL shadows start at 0; for the root
 * cell (enable), the chips of the system config are (re)read: their pin
 * counts from the version registers, no owner known yet.
 */
void x86_ioapic_cell_create(const struct cell *cell);

/*
 * hal_config_commit(): every pin whose owner changed since the last commit
 * (a cell created with it, or destroyed) is reset in the chip: masked,
 * vector and destination 0, edge-triggered (a level-triggered one waiting
 * for its EOI ended first). Nothing the old owner programmed reaches the
 * new one. The first commit only notes the owners.
 */
void x86_ioapic_commit(void);

/*
 * Interrupt remapping (set by the IOMMU unit driver, arch-x86/vtd.c, while
 * its unit remaps interrupts; NULL without): the entry the chip @id (the system config's
 * irqchip id: the IOMMU source-id) gets for pin @pin when its owner's
 * entry is @entry (checked by x86_ioapic_entry_check): unmasked, the
 * pin's remapping entry programmed and flushed (fixed, physical, the
 * entry's vector, destination and trigger mode) and the remappable-format
 * entry pointing to it; masked, a masked entry. The emulation then keeps
 * each owner's entry for its reads (the chip's read-only bits, remote IRR
 * and delivery status, from the chip) and writes the chip's whole entry;
 * the first commit rewrites the pins as found at enable this way.
 */
extern uint64_t (*x86_ioapic_remap)(uint32_t id, unsigned int pin,
				    uint64_t entry);

/* The unit stops remapping (DISABLE): every pin gets its owner's entry
 * back in the chip, and x86_ioapic_remap is cleared. */
void x86_ioapic_unremap(void);

#endif /* !WARDEN_X86_IOAPIC_H */
