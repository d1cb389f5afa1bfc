/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lengths of intercepted instructions where the CPU does not give them
 * (insn_len.c): AMD-V without NRIP save (QEMU's TCG), whose CPUID, RDMSR
 * and WRMSR exits advance by the decoded length, and the simulator, whose
 * Unicorn hooks tell these instructions apart with it. The VT-x image
 * does not carry it: every exit it advances past says its length. Plain
 * C: linked by the simulator, checked by tests/unit/test_x86decode.c and
 * test_x86exit.c.
 */
#ifndef WARDEN_AMD_INSN_LEN_H
#define WARDEN_AMD_INSN_LEN_H

#include "../arch-x86/exit.h"

enum x86_sys_insn {
	X86_SYS_NONE,
	X86_SYS_RDMSR,	  /* 0F 32 */
	X86_SYS_WRMSR,	  /* 0F 30 */
	X86_SYS_RDTSC,	  /* 0F 31 */
	X86_SYS_RDTSCP,	  /* 0F 01 F9 */
	X86_SYS_CPUID,	  /* 0F A2 */
	X86_SYS_INS_OUTS, /* 6C-6F: refused; where the CPU does not say
			     "string" (the simulator) */
};

/*
 * Is @code[0..@n) one of these, with any legacy prefixes and REX before it
 * (the CPU ignores them; with LOCK, *lock is set: #UD on hardware)? Sets
 * *@len to the whole length. X86_SYS_NONE if not, or if over 15 bytes.
 */
enum x86_sys_insn x86_decode_sys(const uint8_t *code, unsigned int n,
				 unsigned int *len, bool *lock);

/*
 * The length of the instruction at RIP (fetched through the guest's page
 * tables) if it is one of x86_decode_sys()'s (for the exit layer's CPUID
 * and MSR handlers: g->insn_len); 0 if it is none of them or cannot be
 * fetched.
 */
unsigned int x86_insn_length(const struct x86_guest *g);

#endif /* !WARDEN_AMD_INSN_LEN_H */
