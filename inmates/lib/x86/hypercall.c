/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86-64 hypercalls: vmcall (Intel VT-x) or vmmcall (AMD-V), code in RAX,
 * arguments in RDI and RSI, result in RAX (docs/abi.md, 3.1).
 */
#include <inmate.h>

long hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	long ret;

	if (hypercall_use_vmmcall())
		asm volatile("vmmcall"
			     : "=a"(ret)
			     : "a"(code), "D"(arg1), "S"(arg2)
			     : "memory");
	else
		asm volatile("vmcall"
			     : "=a"(ret)
			     : "a"(code), "D"(arg1), "S"(arg2)
			     : "memory");
	return ret;
}
