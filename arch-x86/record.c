// SPDX-License-Identifier: GPL-2.0
/*
 * What only trap records need of the x86 exit layer (exit.h): the register
 * ids a record names. Built where records are made (WARDEN_TRAP_RECORDS:
 * the simulator and the trap-log images), not into the production images,
 * whose exit layer leaves struct mmio_insn empty.
 */
#include "exit.h"

uint8_t x86_record_reg(unsigned int reg, unsigned int size, bool high)
{
	/* Capstone 4's X86_REG_* (docs/abi.md 6.5; test_x86exit checks). */
	static const uint8_t ids[4][16] = {
		{ 2, 10, 16, 5, 48, 7, 46, 15, 218, 219, 220, 221, 222, 223,
		  224, 225 }, /* AL .. R15B */
		{ 3, 12, 18, 8, 47, 6, 45, 14, 234, 235, 236, 237, 238, 239,
		  240, 241 }, /* AX .. R15W */
		{ 19, 22, 24, 21, 30, 20, 29, 23, 226, 227, 228, 229, 230, 231,
		  232, 233 }, /* EAX .. R15D */
		{ 35, 38, 40, 37, 44, 36, 43, 39, 106, 107, 108, 109, 110, 111,
		  112, 113 }, /* RAX .. R15 */
	};
	static const uint8_t hi[4] = { 1, 9, 13, 4 }; /* AH CH DH BH */

	if (high)
		return hi[reg & 3];
	return ids[size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3][reg & 15];
}
