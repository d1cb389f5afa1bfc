// SPDX-License-Identifier: GPL-2.0
/*
 * warden's Linux driver, ARMv7 part: entry through the kernel's HYP stub
 * (HVC_SOFT_RESTART branches to a physical address in HYP mode, MMU off)
 * and hypercalls with hvc #0x4a48 (docs/linux.md, docs/abi.md).
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/smp.h>

#include "warden.h"

/* The 6.1 stub's ABI (arch/arm/include/asm/virt.h). */
#define HVC_SOFT_RESTART 1

const char *const warden_arch_firmware = "warden-armv7.bin";
const u32 warden_arch_hv = WD_HV_ARCH_ARMV7;
MODULE_FIRMWARE("warden-armv7.bin");

void *warden_arch_map(phys_addr_t start, size_t size)
{
	/* Write-combining: the MMU-off entry fetches from memory, and no
	 * cacheable alias is left that could hold stale lines. */
	return memremap(start, size, MEMREMAP_WC);
}

int warden_arch_enter(phys_addr_t entry)
{
	register unsigned long r0 asm("r0") = HVC_SOFT_RESTART;
	register unsigned long r1 asm("r1") = entry;

	/* The hypervisor saves r4-r12 and returns with eret to the next
	 * instruction; r2, r3, ip and lr are the caller's to lose. */
	asm volatile(".arch_extension virt\n\thvc #0"
		     : "+r"(r0), "+r"(r1)
		     :
		     : "r2", "r3", "ip", "lr", "memory", "cc");
	return (int)r0;
}

long warden_arch_call(unsigned long code, unsigned long arg1,
		      unsigned long arg2)
{
	register unsigned long r0 asm("r0") = code;
	register unsigned long r1 asm("r1") = arg1;
	register unsigned long r2 asm("r2") = arg2;

	asm volatile(".arch_extension virt\n\thvc #0x4a48"
		     : "+r"(r0), "+r"(r1), "+r"(r2)
		     :
		     : "r3", "memory", "cc");
	return (long)r0;
}
