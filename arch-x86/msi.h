/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an interrupt message a cell programs may go on x86 (msi.c): the
 * destination rule shared by MSI/MSI-X messages of a cell's PCI devices
 * and IOAPIC redirection entries, and the MSI message format on top of it.
 * The backends' hal_msi_route() (arch-x86/cell.c) and the simulator's call
 * it: one rule. Freestanding: the core's API (hal/core.h) only.
 */
#ifndef WARDEN_X86_MSI_H
#define WARDEN_X86_MSI_H

#include <stdbool.h>
#include <stdint.h>

#include "../hal/core.h"
#include "../hal/hal.h"

/*
 * The shared rule: an interrupt a cell programs (@dest: APIC ID, which is
 * the CPU id under warden; @logical: destination mode bit; @delivery: the
 * 3-bit delivery mode; @vector) may reach one CPU of @cell only, in
 * physical mode, as a fixed or lowest-priority interrupt with a vector of
 * 32 or more. In logical mode (xAPIC flat: @dest a mask of logical IDs)
 * every CPU the mask names must be the cell's, at least one (the logical
 * IDs the cells set, msr.c's x86_apic_logical()). WD_R_none, or the
 * caller's reason for what is wrong, from @why: [0] a logical destination
 * naming no CPU, [1] a CPU not the cell's, [2] a delivery mode other than
 * fixed (0) or lowest priority (1), [3] a vector below 32.
 */
enum wd_reason x86_irq_dest_check(const struct cell *cell, uint32_t dest,
				  bool logical, unsigned int delivery,
				  unsigned int vector,
				  const enum wd_reason *why);

#define MSI_ADDR_BASE 0xfee00000U
#define MSI_ADDR_DEST_SHIFT 12
#define MSI_ADDR_DM (1U << 2)
#define MSI_DATA_LEVEL (1U << 14)

/*
 * May @cell send the MSI message @address/@data (Intel SDM vol. 3, 11.11
 * "Message Signalled Interrupts")? The address: 0xFEE in bits 31:20, the
 * destination APIC ID in 19:12, bits 11:4 zero (bit 4 would be VT-d's
 * remappable format), no redirection hint (bit 3), physical or logical
 * (bit 2; logical: the first CPU named is the route's), upper half zero. The data: vector in 7:0, delivery mode in 10:8,
 * edge trigger (bit 15 clear; bit 14, the level, is ignored for edge),
 * bits 13:11 and 31:16 zero. Then x86_irq_dest_check(). Returns WD_R_none
 * and *@route (CPU, vector), or the reason.
 */
enum wd_reason x86_msi_check(const struct cell *cell, uint64_t address,
			     uint32_t data, struct msi_route *route);

#endif /* !WARDEN_X86_MSI_H */
