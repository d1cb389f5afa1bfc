/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 nested paging library (paging.c): the 4-level guest-physical to
 * host-physical tables of a cell, in the two formats of the x86 backends,
 * chosen by a format descriptor: AMD-V nested page tables (x86_pt_npt,
 * ordinary long-mode entries, npt.c) and Intel EPT (x86_pt_ept, ept.c),
 * each built into its vendor's image only; and the IOMMUs' DMA tables,
 * AMD-Vi's (x86_pt_amdvi, npt.c) and VT-d's (x86_pt_vtd, vtd.c), 4 KiB
 * leaves only, each in its vendor's image. Pure table code:
 * no backend state, no TLB maintenance (the caller flushes: INVEPT, or
 * the ASID/TLB control of the VMCB), host-compilable and unit-tested on
 * host memory (tests/unit/test_x86paging.c).
 *
 * Table pages come from the core's page pool (core_page_alloc(1),
 * core_page_free(); the host test links its own counting allocator in
 * their place). Like arch-armv7/paging.c, the library stores table
 * pointers as physical addresses: the hypervisor maps its memory 1:1 (the
 * host tests' pointers are their own addresses).
 */
#ifndef WARDEN_X86_PAGING_H
#define WARDEN_X86_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "../hal/core.h"

/* Access rights of a mapping. Every mapping is readable (NPT cannot
 * express a non-readable page; EPT write-without-read is a
 * misconfiguration, SDM vol. 3 29.3.3.1). */
#define X86_PT_R 1U
#define X86_PT_W 2U
#define X86_PT_X 4U
/* With the rights of x86_pt_map(): 4 KiB leaves only (WD_MEM_NO_HUGEPAGES). */
#define X86_PT_4K 8U

/* Memory types: write-back RAM, uncacheable device memory. */
enum x86_mt {
	X86_MT_WB,
	X86_MT_UC
};

/* Page sizes a table may use for leaves (x86_pt_init's @sizes): bit
 * level - 2 for the leaves of level 2 and 3 (paging.c). 4 KiB is always
 * allowed; 1 GiB needs CPU support (AMD: CPUID Fn8000_0001_EDX[26];
 * Intel: IA32_VMX_EPT_VPID_CAP bit 17). */
#define X86_PT_2M 1U
#define X86_PT_1G 2U

#define X86_PT_GPA_LIMIT (1ULL << 48) /* 4-level guest-physical space */
#define X86_PT_HPA_LIMIT (1ULL << 52) /* architectural MAXPHYADDR limit */

/* An entry format: which bits mean what (npt.c and ept.c describe them). */
/* (Bits a format does not have are left 0.) */
struct x86_pt_format {
	uint64_t present; /* an entry is in use if any of these is set */
	uint64_t table;	  /* the bits of an entry pointing to a table */
	uint64_t leaf;	  /* the bits every leaf has */
	uint64_t read;	  /* leaf bit granting reads (0: implied by present) */
	uint64_t write;	  /* leaf bit granting writes */
	uint64_t exec;	  /* leaf bit granting execution (0: see nx) */
	uint64_t nx;	  /* leaf bit denying execution (0: see exec) */
	uint64_t large;	  /* PDPT/PD entry bit: 1 GiB/2 MiB leaf */
	uint64_t mt_mask; /* leaf memory type field */
	uint64_t mt_wb, mt_uc;
	uint64_t pointer; /* bits added to the root for nCR3 / the EPTP */
	/* An entry pointing to a table at level L (4..2) also carries
	 * (L - 1) * next_level: AMD-Vi's Next Level field. */
	uint64_t next_level;
	/* What an unused entry holds (0 but for AMD-Vi: see paging.c). */
	uint64_t empty;
};

/* AMD-V nested paging (npt.c), Intel EPT (ept.c), AMD-Vi DMA (paging.c). */
extern const struct x86_pt_format x86_pt_npt, x86_pt_ept, x86_pt_amdvi;

struct x86_pt {
	const struct x86_pt_format *fmt;
	uint64_t *root; /* the PML4 */
	unsigned int sizes;
};

/* What a guest-physical address translates to (x86_pt_translate). */
struct x86_pt_xlate {
	uint64_t hpa;
	uint64_t page_size; /* the leaf's size: 4 KiB, 2 MiB or 1 GiB */
	unsigned int perm;  /* X86_PT_R/W/X */
	enum x86_mt mt;
};

/*
 * Set up @pt in @fmt with an empty PML4; leaves of the sizes in @sizes
 * (X86_PT_2M/1G) where alignment allows. -WD_ENOMEM if the root cannot be
 * allocated, -WD_EINVAL for an unknown @sizes bit or large pages in a
 * format without them (x86_pt_amdvi).
 */
int x86_pt_init(struct x86_pt *pt, const struct x86_pt_format *fmt,
		unsigned int sizes);

/*
 * Map [gpa, gpa+size) onto [hpa, hpa+size) with @perm (X86_PT_R required)
 * and @mt, replacing what was mapped there; the largest allowed page
 * where gpa and hpa alignment allow (4 KiB only with X86_PT_4K in
 * @perm). Errors change no translation:
 * -WD_EINVAL (gpa, hpa or size not 4 KiB-aligned, size 0, @perm without
 * X86_PT_R or with unknown bits, @mt unknown), -WD_ERANGE (the range wraps
 * or ends beyond X86_PT_GPA_LIMIT, or the host range beyond
 * X86_PT_HPA_LIMIT), -WD_ENOMEM (table pages ran out; tables allocated
 * on the way stay, empty, until x86_pt_destroy()).
 */
int x86_pt_map(struct x86_pt *pt, uint64_t gpa, uint64_t hpa, uint64_t size,
	       unsigned int perm, enum x86_mt mt);

/*
 * Unmap [gpa, gpa+size); a large page partly in the range is split first
 * (its other parts stay mapped). Errors change no translation:
 * -WD_EINVAL (unaligned or empty), -WD_ERANGE (wraps or ends beyond
 * X86_PT_GPA_LIMIT), -WD_ENOMEM (a split found no page).
 */
int x86_pt_unmap(struct x86_pt *pt, uint64_t gpa, uint64_t size);

/*
 * Translate @gpa: 0 with @out filled, -WD_ENOENT if unmapped,
 * -WD_ERANGE if @gpa >= X86_PT_GPA_LIMIT.
 */
int x86_pt_translate(const struct x86_pt *pt, uint64_t gpa,
		     struct x86_pt_xlate *out);

/* The value for the VMCB's nCR3 (NPT) or the VMCS's EPTP (EPT). */
uint64_t x86_pt_pointer(const struct x86_pt *pt);

/* Free every table page, the root included. */
void x86_pt_destroy(struct x86_pt *pt);

#endif /* !WARDEN_X86_PAGING_H */
