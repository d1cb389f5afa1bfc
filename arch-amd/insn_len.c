// SPDX-License-Identifier: GPL-2.0
/*
 * The system instructions' lengths (insn_len.h), on the shared decoder's
 * prefix rules (arch-x86/decode.c). Freestanding.
 */
#include "insn_len.h"

enum x86_sys_insn x86_decode_sys(const uint8_t *code, unsigned int n,
				 unsigned int *len, bool *lock)
{
	/* Their second byte after 0F (RDTSCP: 0F 01 F9). */
	static const uint8_t sys[256] = {
		[0x30] = X86_SYS_WRMSR,
		[0x31] = X86_SYS_RDTSC,
		[0x32] = X86_SYS_RDMSR,
		[0xa2] = X86_SYS_CPUID,
	};
	enum x86_sys_insn op = X86_SYS_NONE;
	unsigned int i, end = 0;

	/* Legacy prefixes and REX, in any order: the CPU ignores them. */
	for (i = 0, *lock = false;
	     i < n && i < X86_MAX_INSN &&
	     (x86_prefix_bits[code[i]] || (code[i] & 0xf0) == 0x40);
	     i++)
		*lock |= code[i] == 0xf0;
	*len = 0;
	if (i < n && code[i] >= 0x6c && code[i] <= 0x6f) {
		op = X86_SYS_INS_OUTS;
		end = i + 1;
	} else if (i + 2 <= n && code[i] == 0x0f) {
		op = (enum x86_sys_insn)sys[code[i + 1]];
		if (code[i + 1] == 0x01 && i + 3 <= n && code[i + 2] == 0xf9)
			op = X86_SYS_RDTSCP;
		end = i + 2 + (op == X86_SYS_RDTSCP);
	}
	if (op == X86_SYS_NONE || end > X86_MAX_INSN)
		return X86_SYS_NONE;
	*len = end;
	return op;
}

unsigned int x86_insn_length(const struct x86_guest *g)
{
	uint8_t code[X86_MAX_INSN];
	unsigned int len;
	uint64_t fault_la;
	bool lock;

	x86_decode_sys(code, x86_fetch_insn(g, code, &fault_la), &len, &lock);
	return len;
}
