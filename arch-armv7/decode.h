/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of ARM-state load/store instructions for MMIO data aborts
 * without a syndrome (decode.c). Plain C, no HYP state: the host unit test
 * tests/unit/test_armdecode.c checks it against Capstone and against the
 * ARMv7 manual's UNPREDICTABLE conditions.
 */
#ifndef WARDEN_ARM_DECODE_H
#define WARDEN_ARM_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include <warden/reason.h>

/* A load/store without syndrome, decoded. */
struct arm_mmio_insn {
	unsigned int size; /* bytes per access: 1, 2, 4 */
	bool load, sext;
	bool pair; /* LDRD/STRD: rt and rt + 1 at address, address + 4 */
	unsigned int rt, rn;
	bool writeback;
	uint32_t address;  /* virtual address of the (first) access */
	uint32_t wb_value; /* new rn if writeback */
};

/*
 * Decode @insn; @regs gives register values (r0-r14 as the guest sees
 * them). Returns WD_R_none with @d filled in, or why the instruction is
 * refused (the item is @insn): WD_R_insn_unpredictable for an encoding the
 * ARMv7 manual makes UNPREDICTABLE, WD_R_insn_not_emulated for a valid one
 * this decoder does not emulate (LDM/STM, exclusives, PC as the transfer
 * register or as a base without writeback, RRX offsets, ...).
 */
enum wd_reason arm_decode_mmio(uint32_t insn, const uint32_t *regs,
			       struct arm_mmio_insn *d);

/*
 * Whether a data abort on @insn comes with a syndrome (HSR.ISV 1), so that
 * the hypervisor never decodes it: a single load/store (LDR STR LDRB STRB
 * LDRH STRH LDRSB LDRSH) without writeback. Writeback forms (the T forms
 * too), LDRD/STRD and everything else come without one (ARM ARM B3.13.6;
 * QEMU sets ISV the same way). The simulator asks this to apply
 * arm_decode_mmio() exactly where hardware makes the backend decode.
 */
bool arm_insn_has_syndrome(uint32_t insn);

#endif /* !WARDEN_ARM_DECODE_H */
