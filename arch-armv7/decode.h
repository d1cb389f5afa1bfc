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

/* Length in bytes (2 or 4) of the Thumb instruction whose first halfword
 * is @hw1 (ARM ARM A6.1: 0b11101, 0b11110, 0b11111 start 32-bit ones). */
unsigned int arm_thumb_insn_len(uint16_t hw1);

/*
 * The Thumb counterpart of arm_insn_has_syndrome(): whether a data abort on
 * the Thumb instruction @hw1 (first halfword), @hw2 (second, 32-bit ones
 * only) comes with a syndrome. Yes for the 16-bit single loads/stores
 * (A6.2.4, LDR literal) and the 32-bit LDR/STR{,B,H}, LDRS{B,H} forms
 * without writeback (A6.3.7-A6.3.10: imm12, negative imm8, register,
 * literal, the unprivileged T forms); no for writeback (pre/post-index),
 * LDRD/STRD, LDM/STM/PUSH/POP, exclusives, coprocessor and SIMD ones. The
 * backend decodes no Thumb instruction: one without syndrome is refused
 * (WD_R_insn_thumb).
 */
bool arm_thumb_has_syndrome(uint16_t hw1, uint16_t hw2);

#endif /* !WARDEN_ARM_DECODE_H */
