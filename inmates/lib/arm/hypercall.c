/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7 hypercalls: hvc #0x4a48, code in r0, arguments in r1 and r2,
 * result in r0 (docs/abi.md, 3.1).
 */
#include <inmate.h>

long hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	register unsigned long r0 asm("r0") = code;
	register unsigned long r1 asm("r1") = arg1;
	register unsigned long r2 asm("r2") = arg2;

	asm volatile("hvc #0x4a48" : "+r"(r0) : "r"(r1), "r"(r2) : "memory");
	return (long)r0;
}
