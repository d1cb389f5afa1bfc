// SPDX-License-Identifier: GPL-2.0
/*
 * warden's Linux driver, x86-64 part (AMD-V): the firmware name, the
 * mapping of hypervisor memory, the entry through a CR3-switch trampoline
 * in the module's text (x86_entry.S) and hypercalls with vmmcall
 * (docs/linux.md, docs/abi.md). Exported symbols only.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/tsc.h>

#include "warden.h"

const char *const warden_arch_firmware = "warden-amd.bin";
const u32 warden_arch_hv = WD_HV_ARCH_X86_64;
MODULE_FIRMWARE("warden-amd.bin");

extern char warden_x86_page[], warden_x86_leave[];
long warden_x86_tramp(u64 entry, u64 block_pa, struct wd_x86_linux *blk);

/* The hypervisor's CPU limit (its header's max_cpus, checked before). */
#define MAX_CPUS 8
#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PS 0x80

/* Module memory: each page's physical address by vmalloc_to_pfn. */
static struct wd_x86_linux blocks[MAX_CPUS] __aligned(PAGE_SIZE);
enum {
	PML4,
	PDPT_HV,
	PD_HV,
	PDPT_TEXT,
	PD_TEXT,
	PT_TEXT,
	TABLES
};
static u64 tables[TABLES][512] __aligned(PAGE_SIZE);

static u64 module_pa(const void *p)
{
	return PFN_PHYS(vmalloc_to_pfn(p)) + offset_in_page(p);
}

/*
 * The private table: hypervisor memory 1:1 in 2 MiB pages (within one
 * GiB, below 4 GiB) and the trampoline's page at its kernel address; then
 * the blocks; then a write-back mapping for the copy.
 */
void *warden_arch_map(phys_addr_t start, size_t size)
{
	unsigned long va = (unsigned long)warden_x86_page;
	phys_addr_t a;
	unsigned int i;

	if (start % SZ_2M || size % SZ_2M || !size || start + size > SZ_4G ||
	    start >> 30 != (start + size - 1) >> 30) {
		pr_err("warden: hypervisor memory %pa+%#zx: 2 MiB aligned, "
		       "within one GiB below 4 GiB\n",
		       &start, size);
		return NULL;
	}
	memset(tables, 0, sizeof(tables));
	tables[PML4][0] = module_pa(tables[PDPT_HV]) | PTE_P | PTE_RW;
	tables[PDPT_HV][start >> 30] = module_pa(tables[PD_HV]) | PTE_P |
				       PTE_RW;
	for (a = start; a < start + size; a += SZ_2M)
		tables[PD_HV][a >> 21 & 511] = a | PTE_P | PTE_RW | PTE_PS;
	tables[PML4][va >> 39 & 511] = module_pa(tables[PDPT_TEXT]) | PTE_P |
				       PTE_RW;
	tables[PDPT_TEXT][va >> 30 & 511] = module_pa(tables[PD_TEXT]) | PTE_P |
					    PTE_RW;
	tables[PD_TEXT][va >> 21 & 511] = module_pa(tables[PT_TEXT]) | PTE_P |
					  PTE_RW;
	tables[PT_TEXT][va >> 12 & 511] = module_pa(warden_x86_page) | PTE_P;
	for (i = 0; i < MAX_CPUS; i++)
		blocks[i] = (struct wd_x86_linux){
			.tables = module_pa(tables[PML4]),
			.leave = (unsigned long)warden_x86_leave,
			.frame_va = (unsigned long)blocks[i].frame,
			.tsc_khz = tsc_khz,
		};
	return memremap(start, size, MEMREMAP_WB);
}

int warden_arch_enter(phys_addr_t entry)
{
	unsigned int cpu = smp_processor_id();

	if (cpu >= MAX_CPUS)
		return -E2BIG;
	return (int)warden_x86_tramp(entry, module_pa(&blocks[cpu]),
				     &blocks[cpu]);
}

long warden_arch_call(unsigned long code, unsigned long arg1,
		      unsigned long arg2)
{
	long r = (long)code;

	/* RCX, RDX, RDI: the way back at DISABLE loses them (x86_entry.S). */
	asm volatile("vmmcall"
		     : "+a"(r), "+D"(arg1), "+S"(arg2)
		     :
		     : "rcx", "rdx", "memory", "cc");
	return r;
}
