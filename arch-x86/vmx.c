// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel VT-x backend: VMX enable per CPU (feature control, VMXON, the
 * CR0/CR4 fixed bits), one VMCS per CPU set up from scratch whenever the
 * CPU enters a cell from reset (the handover reset list,
 * arch-x86/handover.h), the VM entry loop whose exits vmx_exit.c hands to
 * the x86 exit layer, EPT per cell with a VPID (arch-x86/cell.c), the
 * cells' I/O bitmaps from the core's, the MSR bitmap from the MSR policy,
 * DISABLE.
 *
 * What a cell reaches natively: its RAM (EPT), its own interrupts
 * (external-interrupt exiting off: a cell's device and timer interrupts
 * go straight through its IDT, no exit), HLT, CR3, the MSRs the policy
 * lets it write (x86_msr_native(), but EFER). Everything else exits (see
 * vmx_exit.c). Real-mode and 32-bit starts run as unrestricted guests.
 */
#include "cell.h"
#include "exit.h"
#include "hal.h"
#include "handover.h"
#include "msr.h"
#include "../core/traplog.h"
#include "vmx_exit.h"
#include "x86.h"

#define MSR_FEATURE_CONTROL 0x3a
#define FC_LOCK 1ull
#define FC_VMX_OUTSIDE_SMX 4ull
#define MSR_VMX_BASIC 0x480
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR0_FIXED1 0x487
#define MSR_VMX_CR4_FIXED0 0x488
#define MSR_VMX_CR4_FIXED1 0x489
#define MSR_VMX_PROC2 0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VMX_TRUE_PIN 0x48d
#define MSR_VMX_TRUE_PROC 0x48e
#define MSR_VMX_TRUE_EXIT 0x48f
#define MSR_VMX_TRUE_ENTRY 0x490
#define MSR_PAT 0x277

int vmx_run(struct x86_gprs *gprs, int launched);
void vmx_resume_native(struct x86_gprs *gprs, uint64_t *frame)
	__attribute__((noreturn));
extern const char vmx_exit_rip[];

/* Per-CPU pages (struct x86_cpu's vendor pages). */
#define VMXON_REGION(c) ((void *)(c)->vendor[0])
#define VMCS(c) ((void *)(c)->vendor[1])

static uint8_t msr_bitmap[4096] __attribute__((aligned(4096)));
static uint32_t revision;
static bool has_rdtscp, has_xsave;
static unsigned int pt_sizes;
/* hal_config_commit() counts; a CPU whose count is behind flushes. */
static uint64_t cpu_tlb_seen[X86_MAX_CPUS];

static uint64_t pa(const void *p)
{
	return hal_virt_to_phys(p).v;
}

/* ---- the VMCS accessors (vmcs.h) and VMX instructions ---- */

uint64_t vmcs_read(uint32_t field)
{
	uint64_t v;

	asm volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)field) : "cc");
	return v;
}

void vmcs_write(uint32_t field, uint64_t val)
{
	asm volatile("vmwrite %1, %0" ::"r"((uint64_t)field), "r"(val)
		     : "cc", "memory");
}

/* ---- enable ---- */

/*
 * What warden needs of the CPU and the controls it sets: the capability
 * MSR; the bits warden cannot do without, of the MSR (a capability, field
 * 0) or of a control's allowed-1 settings (its bits 63:32); the control's
 * VMCS field, written with those bits and @more where the CPU has them
 * (handover()); what the needed bits are (the refusal names them, the
 * MSR and the missing bits).
 */
static const struct ctl {
	uint32_t msr, field;
	uint64_t need;
	uint32_t more;
	const char *what;
} ctls[] = {
	{ MSR_VMX_BASIC, 0, 1ull << 55, 0, "VMX true controls" },
	{ MSR_VMX_EPT_VPID_CAP, 0,
	  1ull << 6 | 1ull << 14 | 1ull << 20 | 1ull << 26 | 1ull << 32 |
		  1ull << 42,
	  0, "4-level write-back EPT, all-context INVEPT and INVVPID" },
	{ MSR_VMX_TRUE_PIN, VMCS_PIN_CTLS, PIN_NMI, 0, "NMI exiting" },
	{ MSR_VMX_TRUE_PROC, VMCS_PROC_CTLS,
	  PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY, 0,
	  "I/O and MSR bitmaps, secondary controls" },
	/* RDTSCP, INVPCID, XSAVES: where the CPU has them, else they would
	 * #UD in a cell whose CPUID offers them. */
	{ MSR_VMX_PROC2, VMCS_PROC_CTLS2,
	  PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED,
	  PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES,
	  "EPT, VPID, unrestricted guest" },
	{ MSR_VMX_TRUE_EXIT, VMCS_EXIT_CTLS,
	  EXIT_HOST_64 | EXIT_SAVE_PAT | EXIT_LOAD_PAT | EXIT_SAVE_EFER |
		  EXIT_LOAD_EFER,
	  0, "64-bit host, PAT and EFER switching" },
	/* IA-32e mode guest: set with the guest's EFER.LMA (vmx_exit.c). */
	{ MSR_VMX_TRUE_ENTRY, 0, (uint64_t)ENTRY_IA32E << 32, 0,
	  "IA-32e guests" },
	{ MSR_VMX_TRUE_ENTRY, VMCS_ENTRY_CTLS, ENTRY_LOAD_PAT | ENTRY_LOAD_EFER,
	  0, "PAT and EFER loading" },
};
#define CTLS (sizeof(ctls) / sizeof(ctls[0]))

/*
 * The MSR bitmap: read-low, read-high, write-low, write-high (1 KiB each);
 * a set bit exits. Bit @i of the read (@read) and of the write bitmap:
 * MSR @i (0-0x1fff), or 0xc0000000 + @i - 0x2000 (@i 0x2000-0x3fff).
 * The boot CPU sets it up (x86_vendor_cpu_init()).
 */
static void msr_pass(unsigned int i, bool read)
{
	if (read)
		msr_bitmap[i / 8] &= (uint8_t) ~(1u << i % 8);
	msr_bitmap[2048 + i / 8] &= (uint8_t) ~(1u << i % 8);
}

const char *x86_vendor_cpu_init(struct x86_cpu *c)
{
	uint64_t fc, cr0, cr4, have, region;
	uint32_t r[4], msr;
	unsigned int i;
	uint8_t fail;

	cpuid(1, 0, r);
	/* This CPU's LAPIC in x2APIC mode where the CPU has it (x2apic_hw.c),
	 * even if VT-x is missing. */
	if (r[2] & (1U << 21)) {
		x86_lapic = &x86_x2apic;
		wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | 0xc00);
	}
	if (!(r[2] & (1U << 5)))
		return "VT-x (VMX, CPUID 1 ECX bit 5) missing";
	has_xsave = r[2] & (1U << 26);
	fc = rdmsr(MSR_FEATURE_CONTROL);
	if ((fc & FC_LOCK) && !(fc & FC_VMX_OUTSIDE_SMX))
		return "VMX disabled by the firmware (IA32_FEATURE_CONTROL "
		       "locked without VMX outside SMX)";
	if (!(fc & FC_LOCK))
		wrmsr(MSR_FEATURE_CONTROL, fc | FC_LOCK | FC_VMX_OUTSIDE_SMX);
	for (i = 0; i < CTLS; i++) {
		have = rdmsr(ctls[i].msr) >> (ctls[i].field ? 32 : 0);
		if ((have & ctls[i].need) == ctls[i].need)
			continue;
		if (c->id == 0)
			core_printk("warden: VT-x: %s missing (MSR 0x%x, bits "
				    "0x%llx)\n",
				    ctls[i].what, ctls[i].msr,
				    (unsigned long long)(ctls[i].need & ~have));
		return "VT-x: the CPU lacks what warden needs";
	}
	if (c->id == 0) {
		uint64_t cap = rdmsr(MSR_VMX_EPT_VPID_CAP);

		revision = (uint32_t)rdmsr(MSR_VMX_BASIC) & 0x7fffffff;
		cpuid(0x80000001, 0, r);
		has_rdtscp = r[3] & (1U << 27);
		pt_sizes = cap >> 16 & 3; /* 2 MiB, 1 GiB: X86_PT_2M, 1G */
		memset(msr_bitmap, 0xff,
		       sizeof(msr_bitmap)); /* every MSR, but: */
		/* EFER exits (its LMA and the IA-32e entry control go
		 * together); TSC_AUX runs natively only where the CPU has
		 * RDTSCP. */
		for (i = 0; i < 0x4000; i++) {
			msr = i < 0x2000 ? i : 0xc0000000u - 0x2000 + i;
			if (x86_msr_native(msr) && msr != MSR_EFER &&
			    (msr != MSR_TSC_AUX || has_rdtscp))
				msr_pass(i, true);
		}
		/* A LAPIC in x2APIC mode: the cell's TPR and EOI natively (no
		 * exit per interrupt); each CPU's LAPIC is its cell's, and a
		 * value the x2APIC refuses raises #GP in the cell. EOI is
		 * write-only. */
		if (x86_lapic == &x86_x2apic) {
			msr_pass(MSR_X2APIC_FIRST + X2APIC_TPR, true);
			msr_pass(MSR_X2APIC_FIRST + X2APIC_EOI, false);
		}
		core_printk("warden: Intel VT-x with EPT, VPID, unrestricted "
			    "guest, VMCS revision 0x%x\n",
			    revision);
	}
	/* SSE for the handover of the guests' vector registers, XSAVE
	 * (OSXSAVE) for XCR0's where the CPU has it; the VMX fixed bits. */
	asm volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	cr0 = (cr0 | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1);
	cr4 = (cr4 | 0x600 | (has_xsave ? 1ul << 18 : 0) |
	       rdmsr(MSR_VMX_CR4_FIXED0)) &
	      rdmsr(MSR_VMX_CR4_FIXED1);
	asm volatile("mov %0, %%cr0; mov %1, %%cr4" ::"r"(cr0), "r"(cr4));
	/* The VMXON region needs its revision only (bit 31 clear; SDM vol.
	 * 3C, "VMXON Region": "It need not initialize the VMXON region in
	 * any other way"). */
	*(uint32_t *)VMXON_REGION(c) = revision;
	region = pa(VMXON_REGION(c));
	asm volatile("vmxon %1; setbe %0"
		     : "=q"(fail)
		     : "m"(region)
		     : "cc", "memory");
	return fail ? "VMXON failed" : NULL;
}

/* ---- cells ---- */

/* I/O bitmaps A and B: the core's port bitmap. */
int hal_cell_create(struct cell *cell)
{
	return x86_cell_create(cell, &x86_pt_ept, pt_sizes, 2);
}

/* ---- guest MSRs ---- */

/* The guest-state MSRs (x86_msr_native()) VM entries and exits switch:
 * MSR, VMCS field. The CPU's own registers hold the others. */
static const uint32_t guest_msrs[][2] = {
	{ MSR_EFER, VMCS_GUEST_EFER },
	{ 0x174, VMCS_GUEST_SYSENTER_CS },
	{ 0x175, VMCS_GUEST_SYSENTER_ESP },
	{ 0x176, VMCS_GUEST_SYSENTER_EIP },
	{ MSR_PAT, VMCS_GUEST_PAT },
	{ 0xc0000100, VMCS_SEG_BASE(VSEG_FS) },
	{ 0xc0000101, VMCS_SEG_BASE(VSEG_GS) },
};
#define GUEST_MSRS (sizeof(guest_msrs) / sizeof(guest_msrs[0]))

/* The exit layer's msr_read (@ctx unused): of the native MSRs only EFER
 * and, without RDTSCP, TSC_AUX exit (the MSR bitmap passes the others). */
static uint64_t guest_msr_read(void *ctx, uint32_t msr)
{
	(void)ctx;
	return msr == MSR_EFER ? vmcs_read(VMCS_GUEST_EFER) :
				 x86_this_cpu()->tsc_aux;
}

/* The exit layer's msr_write, the handover's MSR writes. */

static void guest_msr_write(void *ctx, uint32_t msr, uint64_t val)
{
	unsigned int i;

	(void)ctx;
	if (msr == MSR_EFER) /* LMA: the CPU's (CR0.PG with LME), kept */
		val = (val & ~EFER_LMA) |
		      (vmcs_read(VMCS_GUEST_EFER) & EFER_LMA);
	/* Into its VMCS field, else the CPU's own register holds it. */
	for (i = 0; i < GUEST_MSRS && guest_msrs[i][0] != msr; i++)
		;
	if (i < GUEST_MSRS)
		vmcs_write(guest_msrs[i][1], val);
	else if (msr == MSR_TSC_AUX && !has_rdtscp)
		x86_this_cpu()->tsc_aux = val;
	else
		wrmsr(msr, val);
}

/* ---- the guest's state from reset ---- */

static void seg(enum vmcs_seg s, uint16_t sel, uint64_t base, uint32_t limit,
		uint32_t ar)
{
	vmcs_write(VMCS_SEG_SEL(s), sel);
	vmcs_write(VMCS_SEG_BASE(s), base);
	vmcs_write(VMCS_SEG_LIMIT(s), limit);
	vmcs_write(VMCS_SEG_AR(s), ar);
}

static void set_cr(unsigned int n, uint64_t val)
{
	if (n == 0) {
		vmcs_write(VMCS_CR0_SHADOW, val);
		vmcs_write(VMCS_GUEST_CR0, (val | CR0_NE) & ~VMX_CR0_CACHE);
	} else if (n == 3) {
		vmcs_write(VMCS_GUEST_CR3, val);
	} else if (n == 4) {
		vmcs_write(VMCS_CR4_SHADOW, val);
		vmcs_write(VMCS_GUEST_CR4, val | CR4_VMXE);
	} else if (n == 2) {
		asm volatile("mov %0, %%cr2" ::"r"(val)); /* not switched */
	}
	/* CR8: the LAPIC's TPR (x86_handover). */
}

#define AR(ar, flags) ((uint32_t)(ar) | (uint32_t)(flags) << 12)

/*
 * A fresh VMCS for every start (its controls and host state), and the
 * cell entered from the architectural reset state (arch-x86/handover.h)
 * at c->entry: real mode, CS base and IP from the entry (the cell's
 * cpu_reset_address with CS base 0; a SIPI page: CS = page >> 4, IP 0).
 * The boot CPU's root cell instead starts in 32-bit protected mode with
 * flat 4 GiB segments, paging off, EAX = 0 (docs/x86.md).
 */
static void handover(struct x86_cpu *c, struct cell *cell)
{
	/* Fields 0 at every start: no CR3 targets, no MSR lists, nothing to
	 * inject; the host's FS and GS bases and SYSENTER MSRs; the guest's
	 * DEBUGCTL, interruptibility, activity (active), pending debug
	 * exceptions, and EFER (guest_msr_write() keeps its LMA: none from
	 * the last run). */
	static const uint16_t zero[] = {
		VMCS_CR3_TARGET_COUNT,	  VMCS_EXIT_MSR_STORE_COUNT,
		VMCS_EXIT_MSR_LOAD_COUNT, VMCS_ENTRY_MSR_LOAD_COUNT,
		VMCS_ENTRY_INTR_INFO,	  VMCS_HOST_FS_BASE,
		VMCS_HOST_GS_BASE,	  VMCS_HOST_SYSENTER_CS,
		VMCS_HOST_SYSENTER_ESP,	  VMCS_HOST_SYSENTER_EIP,
		VMCS_GUEST_DEBUGCTL,	  VMCS_GUEST_INTERRUPTIBILITY,
		VMCS_GUEST_ACTIVITY,	  VMCS_GUEST_PENDING_DBG,
		VMCS_GUEST_EFER,
	};
	/* The host's ES, CS, SS, DS, FS, GS and TR, in field order. */
	static const uint16_t host_sel[] = { GDT_DS, GDT_CS64, GDT_DS, GDT_DS,
					     0,	     0,	       GDT_TSS };
	struct x86_cell *xc = core_cell_arch(cell);
	uint64_t cr0, cr3, cr4, have, vmcs = pa(VMCS(c));
	struct x86_dtr idtr;
	enum vmcs_seg s;
	unsigned int i;

	/* This CPU's VMCS, in VMX operation since VMXON, page-aligned and
	 * tagged with the revision: VMCLEAR and VMPTRLD have nothing to
	 * refuse (were it otherwise, the VM entry's VMfail fails the cell,
	 * vmx_exit()). */
	*(uint32_t *)VMCS(c) = revision;
	asm volatile("vmclear %0; vmptrld %0" ::"m"(vmcs) : "cc", "memory");
	/* Each control word: what warden wants, with the bits the CPU
	 * requires set and those it cannot do cleared (IA32_VMX_TRUE_* /
	 * PROCBASED_CTLS2: allowed-0 in 31:0, allowed-1 in 63:32). */
	for (i = 0; i < CTLS; i++) {
		have = rdmsr(ctls[i].msr);
		if (ctls[i].field)
			vmcs_write(ctls[i].field,
				   ((uint32_t)ctls[i].need | ctls[i].more |
				    (uint32_t)have) &
					   (uint32_t)(have >> 32));
	}
	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		vmcs_write(zero[i], 0);
	/* #DF: the cell fails there, before a triple fault. */
	vmcs_write(VMCS_EXC_BITMAP, 1u << 8);
	vmcs_write(VMCS_IO_BITMAP_A, pa(xc->io));
	vmcs_write(VMCS_IO_BITMAP_B, pa(xc->io + 4096));
	vmcs_write(VMCS_MSR_BITMAP, pa(msr_bitmap));
	vmcs_write(VMCS_EPT_POINTER, x86_pt_pointer(&xc->pt));
	vmcs_write(VMCS_VPID, xc->asid);
	vmcs_write(VMCS_TSC_OFFSET, X86_HANDOVER_TSC_OFFSET);
	/* XSAVES/XRSTORS run natively for every component (VMCLEAR leaves
	 * the bitmap as it was). */
	if (vmcs_read(VMCS_PROC_CTLS2) & PROC2_XSAVES)
		vmcs_write(VMCS_XSS_EXIT_BITMAP, 0);
	/* The bits VMX fixes that a cell must not see (CR0.NE, CR4.VMXE),
	 * and the cache bits, which stay the hypervisor's (a cell's memory
	 * types come from EPT; Bochs does not keep CD/NW in a guest's CR0). */
	vmcs_write(VMCS_CR0_MASK, VMX_CR0_MASK);
	vmcs_write(VMCS_CR4_MASK, CR4_VMXE);
	vmcs_write(VMCS_LINK_POINTER, ~0ull);

	asm volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
		     : "=r"(cr0), "=r"(cr3), "=r"(cr4));
	vmcs_write(VMCS_HOST_CR0, cr0);
	vmcs_write(VMCS_HOST_CR3, cr3);
	vmcs_write(VMCS_HOST_CR4, cr4);
	for (i = 0; i < sizeof(host_sel) / sizeof(host_sel[0]); i++)
		vmcs_write(VMCS_HOST_ES_SEL + 2 * i, host_sel[i]);
	vmcs_write(VMCS_HOST_TR_BASE, (uintptr_t)&c->tss);
	vmcs_write(VMCS_HOST_GDTR_BASE, (uintptr_t)c->gdt);
	asm volatile("sidt %0" : "=m"(idtr));
	vmcs_write(VMCS_HOST_IDTR_BASE, idtr.base);
	vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmcs_write(VMCS_HOST_RIP, (uintptr_t)vmx_exit_rip);

	for (i = 0; i < X86_HANDOVER_GPRS; i++)
		c->gprs.r[i] = X86_HANDOVER_GPR_VALUE;
	vmcs_write(VMCS_GUEST_RSP, X86_HANDOVER_GPR_VALUE);
	vmcs_write(VMCS_GUEST_RFLAGS, X86_HANDOVER_RFLAGS);
#define CR(name, n, val) set_cr(n, val);
	X86_HANDOVER_CRS(CR)
#undef CR
#define SEG(name, sel, base, limit, ar) seg(VSEG_##name, sel, base, limit, ar);
	X86_HANDOVER_SEGS(SEG)
#undef SEG
#define DTR(name, base, limit)                        \
	vmcs_write(VMCS_SEG_BASE(VSEG_##name), base); \
	vmcs_write(VMCS_SEG_LIMIT(VSEG_##name), limit);
	X86_HANDOVER_DTRS(DTR)
#undef DTR
	/* DR0-3 and DR6 are not switched by VM entries: the CPU's own. */
#define DR(name, n, val)                         \
	if (n == 7)                              \
		vmcs_write(VMCS_GUEST_DR7, val); \
	else                                     \
		asm volatile("mov %0, %%dr" #n ::"r"(val));
	X86_HANDOVER_DRS(DR)
#undef DR
#define MSR(name, msr, val) guest_msr_write(NULL, msr, val);
	X86_HANDOVER_MSRS(MSR)
#undef MSR
	x86_handover(has_xsave);

	if (c->entry_root) {
		set_cr(0, 0x11); /* PE, ET */
		for (s = VSEG_ES; s <= VSEG_GS; s++)
			seg(s, GDT_DS, 0, 0xffffffff, AR(0x93, 0xc));
		seg(VSEG_CS, GDT_CS64, 0, 0xffffffff, AR(0x9b, 0xc));
		vmcs_write(VMCS_GUEST_RIP, c->entry);
	} else {
		/* A page below 1 MiB: CS = page >> 4, IP 0; else CS base the
		 * entry's 64 KiB (0xffff0000, CS 0xf000 for the reset vector). */
		uint64_t base = !(c->entry & 0xfff) && c->entry < 0x100000 ?
					c->entry :
					c->entry & ~0xffffull;
		seg(VSEG_CS, (uint16_t)(base >> 4), base, 0xffff, AR(0x9b, 0));
		vmcs_write(VMCS_GUEST_RIP, c->entry - base);
	}
	c->entry_root = false;
}

/* ---- exit layer mechanism (vmx_exit.h) ---- */

const struct x86_exit_ops vmx_ops = {
	.read_gpa = x86_op_read_gpa,
	.cpuid = x86_op_cpuid,
	.msr_read = guest_msr_read,
	.msr_write = guest_msr_write,
	.tsc = x86_op_tsc,
	.apic_read = x86_op_apic_read,
	.apic_write = x86_op_apic_write,
	.send_ipi = x86_op_send_ipi,
	.inject = vmx_inject,
};

void vmx_xsetbv(uint64_t val)
{
	asm volatile("xsetbv" ::"c"(0), "a"((uint32_t)val),
		     "d"((uint32_t)(val >> 32)));
}

void vmx_wbinvd(void)
{
	asm volatile("wbinvd" ::: "memory");
}

static void vmx_off(void)
{
	uint64_t cr4;

	asm volatile("vmxoff; mov %%cr4, %0" : "=r"(cr4)::"cc", "memory");
	asm volatile("mov %0, %%cr4" ::"r"(cr4 & ~CR4_VMXE));
}

/* A parked CPU's part of DISABLE: VMX off, then halt until the INIT. */
void x86_vendor_exit(struct x86_cpu *c)
{
	(void)c;
	vmx_off();
	for (;;)
		asm volatile("cli; hlt");
}

/*
 * The root continues natively from its state after DISABLE: its control
 * registers, the MSRs the VMCS held (EFER, PAT, SYSENTER, FS/GS bases),
 * descriptor tables, data segments and TR (busy flag cleared in its GDT,
 * reloaded), then its GPRs and IRETQ. Long mode only (the root-cell manager's), and the hypervisor's
 * code, data and stack must be mapped 1:1 in the root's page tables
 * while it switches (the inmate library maps 0..4 GiB), as must its GDT.
 */
static void native_resume(struct x86_cpu *c)
{
	uint64_t cr0 = vmx_guest_cr(false), cr3 = vmcs_read(VMCS_GUEST_CR3);
	uint64_t cr4 = vmx_guest_cr(true), frame[5];
	uint16_t ds = (uint16_t)vmcs_read(VMCS_SEG_SEL(VSEG_DS));
	uint16_t tr = (uint16_t)vmcs_read(VMCS_SEG_SEL(VSEG_TR));
	struct x86_dtr gdtr, idtr;
	unsigned int i;

	if (!(vmcs_read(VMCS_GUEST_EFER) & EFER_LMA))
		core_hypervisor_panic("DISABLE: root cell not in long mode",
				      vmcs_read(VMCS_GUEST_RIP));
	/* The IRETQ frame: RIP, CS, RFLAGS, RSP, SS. */
	frame[0] = vmcs_read(VMCS_GUEST_RIP);
	frame[1] = vmcs_read(VMCS_SEG_SEL(VSEG_CS));
	frame[2] = vmcs_read(VMCS_GUEST_RFLAGS);
	frame[3] = vmcs_read(VMCS_GUEST_RSP);
	frame[4] = vmcs_read(VMCS_SEG_SEL(VSEG_SS));
	gdtr.limit = (uint16_t)vmcs_read(VMCS_SEG_LIMIT(VSEG_GDTR));
	gdtr.base = vmcs_read(VMCS_SEG_BASE(VSEG_GDTR));
	idtr.limit = (uint16_t)vmcs_read(VMCS_SEG_LIMIT(VSEG_IDTR));
	idtr.base = vmcs_read(VMCS_SEG_BASE(VSEG_IDTR));
	core_printk("warden: CPU %u continues natively at 0x%llx\n", c->id,
		    (unsigned long long)frame[0]);
	c->state = CPU_OFF;
	/* The root's APIC in the mode it set: back to xAPIC mode (which
	 * resets the LAPIC: its SIVR and TPR are kept) if it never set
	 * EXTD. */
	if (x86_lapic == &x86_x2apic && !(c->apic_base & 0x400)) {
		uint64_t base = rdmsr(MSR_APIC_BASE) & ~0xc00ull;
		uint32_t sivr = x86_lapic->read(X2APIC_SIVR);
		uint32_t tpr = x86_lapic->read(X2APIC_TPR);

		wrmsr(MSR_APIC_BASE, base);
		wrmsr(MSR_APIC_BASE, base | 0x800);
		*(volatile uint32_t *)0xfee000f0UL = sivr;
		*(volatile uint32_t *)0xfee00080UL = tpr;
	}
	/* The guest MSRs the VMCS holds into the CPU, which the hypervisor
	 * does not need beyond here (FS and GS first: a selector load sets
	 * the base). */
	asm volatile("mov %0, %%fs; mov %0, %%gs" ::"r"(0ull));
	for (i = 0; i < GUEST_MSRS; i++)
		wrmsr(guest_msrs[i][0], vmcs_read(guest_msrs[i][1]));
	vmx_off();
	asm volatile("mov %0, %%cr4; mov %1, %%cr3; mov %2, %%cr0; "
		     "lgdt %3; lidt %4; mov %5, %%ds; mov %5, %%es"
		     :
		     : "r"(cr4), "r"(cr3), "r"(cr0), "m"(gdtr), "m"(idtr),
		       "r"((uint64_t)ds)
		     : "memory");
	if (tr & ~7u) {
		/* LTR wants an available TSS: clear the busy bit (type 11
		 * -> 9) of the root's descriptor first. */
		uint64_t *d = (uint64_t *)(uintptr_t)(gdtr.base + (tr & ~7u));

		*d &= ~(2ull << 40);
		asm volatile("ltr %0" ::"r"(tr) : "memory");
	}
	vmx_resume_native(&c->gprs, frame);
}

/* ---- the VM entry loop ---- */

void x86_vendor_run(struct x86_cpu *c)
{
	const uint64_t desc[2] = { 0, 0 }; /* INVEPT/INVVPID: all-context */
	enum x86_exit_result res;
	uint32_t reason;
	uint64_t gen;
	int launched = 0;
	bool request;

	handover(c, core_cpu_cell(c->id));
	for (;;) {
		x86_check_requests();
		gen = __atomic_load_n(&x86_tlb_generation, __ATOMIC_SEQ_CST);
		if (cpu_tlb_seen[c->id] != gen || !launched) {
			cpu_tlb_seen[c->id] = gen;
			/* New tables, or a new owner: every cell's translations
			 * (INVEPT and INVVPID type 2). */
			asm volatile(
				"invept %0, %1; invvpid %0, %1" ::"m"(desc),
				"r"(2ull)
				: "cc", "memory");
		}
		/* VMX_EXIT_ENTRY_FAILED alone: VMfail, which fails the cell
		 * (this CPU parks: no next entry of this VMCS). */
		reason = vmx_run(&c->gprs, launched) ?
				 VMX_EXIT_ENTRY_FAILED :
				 (uint32_t)vmcs_read(VMCS_EXIT_REASON);
		launched = 1;
		request = reason == VMX_EXIT_INIT || reason == VMX_EXIT_SIPI;
		if (reason == VMX_EXIT_EXC_NMI &&
		    (vmcs_read(VMCS_EXIT_INTR_INFO) >> 8 & 7) == 2) {
			/* NMIs stay blocked after an NMI exit: the handler's
			 * IRET unblocks them (the wait's HLT needs them). */
			asm volatile("int $2" ::: "memory");
			request = true;
		}
		/* Taken from its cell meanwhile: the trap is not the cell's. */
		if (__atomic_load_n(&c->park_req, __ATOMIC_SEQ_CST) ==
		    PARK_REMOTE)
			x86_cpu_wait();
		/* Trap log: one ordered section per exit (not for the NMI,
		 * INIT and SIPI of requests, checked before each entry). */
		if (!request)
			traplog_trap_enter();
		res = vmx_exit(c->gprs.r, reason);
		traplog_trap_exit();
		if (res == X86_EXIT_PARKED) {
			if (!__atomic_load_n(&c->park_req, __ATOMIC_SEQ_CST))
				c->park_req = PARK_SELF;
		} else if (c->native_exit) {
			native_resume(c);
		}
	}
}
