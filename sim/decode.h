/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trapping instruction, decoded with Capstone (x86-64 and ARMv7): the
 * facts a trap record carries that an MMIO callback does not tell.
 */
#ifndef WARDEN_SIM_DECODE_H
#define WARDEN_SIM_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct decoded {
	uint8_t reg;   /* Capstone (= Unicorn) register id, 0xff if none */
	uint8_t size;  /* access size in bytes, 0 if unknown */
	uint8_t sext;  /* load is sign-extended */
	uint8_t wback; /* base register written back */
	uint8_t len;   /* instruction length */
	bool write;    /* store */
};

/*
 * Decode the memory access instruction in @code[0..@n) at address @pc
 * (ARMv7 A32 if @arm, else x86-64). Returns 0, or -1 if the bytes are no
 * memory access instruction Capstone knows.
 */
int decode_access(bool arm, const uint8_t *code, size_t n, uint64_t pc,
		  struct decoded *d);

#endif /* !WARDEN_SIM_DECODE_H */
