/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 instruction decoder of the hypervisor (decode.c), 64-bit mode:
 * the MMIO accesses a VT-x/AMD-V backend emulates after an EPT/NPT exit,
 * and the length of the system instructions it intercepts. Plain C, no
 * backend state: the simulator links it, and the host unit test
 * tests/unit/test_x86decode.c checks it against Capstone.
 *
 * Emulated: MOV (88 89 8A 8B), MOV with an immediate (C6 /0, C7 /0),
 * MOV moffs (A0-A3), MOVZX (0F B6/B7), MOVSX (0F BE/BF), MOVSXD (REX.W 63),
 * with every ModRM/SIB form, disp8/disp32, RIP-relative, REX (W R X B, high
 * byte registers AH-BH without REX), the operand-size (66) and
 * address-size (67) prefixes and segment prefixes (FS/GS add their base,
 * CS/DS/ES/SS none). Everything else is refused: string instructions,
 * SSE/AVX/x87 moves, LOCK, REP/REPNE (also as XACQUIRE/XRELEASE), XCHG,
 * read-modify-write (ADD [mem] ...), CMPXCHG, register operands, a prefix
 * given twice, a legacy prefix after REX, more than 15 bytes.
 */
#ifndef WARDEN_X86_DECODE_H
#define WARDEN_X86_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include <warden/reason.h>

#define X86_MAX_INSN 15

/* The register file the decoder computes addresses from. */
struct x86_regs {
	uint64_t gpr[16]; /* RAX RCX RDX RBX RSP RBP RSI RDI R8-R15 */
	uint64_t rip;	  /* of the instruction */
	uint64_t fs_base, gs_base;
};

/* One MMIO access of one instruction, decoded. */
struct x86_mmio_insn {
	uint64_t address; /* linear address of the access */
	uint64_t imm;	  /* immediate stores: the value, truncated to size */
	uint8_t len;	  /* instruction length */
	uint8_t size;	  /* access size in bytes: 1, 2, 4, 8 */
	uint8_t reg;	  /* GPR number 0-15 (with high_byte: 0-3 = AH-BH) */
	uint8_t reg_size; /* width of reg as the instruction names it */
	bool write;	  /* store */
	bool has_imm;	  /* store of imm, not of reg */
	bool sext, zext;  /* load extended to reg_size (MOVSX[D], MOVZX) */
	bool high_byte;	  /* reg is AH, CH, DH or BH */
};

/*
 * Decode the instruction in @code[0..@n) (the bytes at @regs->rip; @n may
 * be less than 15 near the end of readable memory) as an MMIO access, in
 * 64-bit code (@code64) or 32-bit code. Returns WD_R_none with @d filled
 * in, or WD_R_insn_x86_not_emulated for anything this decoder does not
 * emulate (the backend's item: x86_insn_item(@code, @n)),
 * WD_R_insn_x86_truncated when the instruction runs past @n bytes or past
 * 15 (item: the RIP), WD_R_insn_x86_mode (item: the RIP) in 32-bit code
 * for the forms that read differently there: 67 (16-bit addressing), 40-4F
 * (INC/DEC, not REX), moffs (A0-A3: a 4-byte offset) and ModRM disp32
 * without base (absolute, not RIP-relative). 32-bit code's addresses wrap
 * at 4 GiB.
 */
enum wd_reason x86_decode_mmio(const uint8_t *code, unsigned int n,
			       const struct x86_regs *regs, bool code64,
			       struct x86_mmio_insn *d);

/* The item of a refused instruction: its first 8 bytes (fewer if @n is
 * smaller), little-endian: the byte at RIP is bits 7:0. */
uint64_t x86_insn_item(const uint8_t *code, unsigned int n);

/* A store's value: the immediate or the register, truncated to the size. */
uint64_t x86_mmio_store_value(const struct x86_mmio_insn *d,
			      const struct x86_regs *regs);

/*
 * A load's result: the new 64-bit value of the destination GPR d->reg,
 * which held @old, after loading @val (d->size bytes): extended as the
 * instruction says, 8/16-bit destinations keep the other bits, 32-bit ones
 * clear bits 63:32.
 */
uint64_t x86_mmio_load_result(const struct x86_mmio_insn *d, uint64_t old,
			      uint64_t val);

/* Non-zero for the legacy prefixes (66 67 2E 36 3E 26 64 65 F0 F2 F3);
 * arch-amd/insn_len.c skips them. */
extern const uint8_t x86_prefix_bits[256];

#endif /* !WARDEN_X86_DECODE_H */
