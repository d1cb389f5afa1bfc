/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * handover (x86-64): does anything of one cell survive on a CPU that the
 * next cell gets? Roles, chosen by the select parameter:
 *
 * 1 "plant": write a distinctive value into every register of the x86
 *   reset list (arch-x86/handover.h) a cell can reach: control registers,
 *   EFER, segment selectors with a GDT, LDT and TSS of its own, IDTR,
 *   DR0-DR3/DR6/DR7, the MSRs a cell writes (FS/GS bases, KERNEL_GS_BASE,
 *   STAR/LSTAR/CSTAR/FMASK, SYSENTER_*, PAT, TSC_AUX), x87 control and
 *   registers, MXCSR, XMM0-15, the x2APIC (mode, TPR, SIVR, LVTs, a
 *   running timer, ICR, requested vectors); then idle until destroyed.
 * 2 "check": a new cell on the same CPU reads them back, the registers the
 *   start-up code changes at entry64 before it does (inmate_early64), and
 *   compares each against its value after handover. One [check] line a
 *   group, then the verdict.
 * 3 "check after SIPI": in a cell of two CPUs or more, the boot CPU starts
 *   the next one by INIT/SIPI and that CPU checks as 2 does (its EBP 1, its
 *   APIC without the BSP flag): the handover to a CPU a cell starts.
 * 4 "plant and fail": plant, take the timer interrupt and from its
 *   handler (the vector stays in service) load distinctive values into
 *   every general register and RFLAGS and read memory that is not the cell's:
 *   the cell fails with that state (check with 2 in the next cell).
 *
 * The expected values are this test's own, not the backend's list: a
 * register the list forgets still shows up here. At entry64 the CPU is as
 * handed over when the platform started it there directly (the
 * simulator's shortcut: paging off), else as the real-mode start-up left
 * it: registers that start-up sets are then checked for its values.
 */
#include <inmate.h>

INMATE_NAME("handover");

#define ROLE_PLANT 1
#define ROLE_CHECK 2
#define ROLE_CHECK_SIPI 3
#define ROLE_PLANT_FAIL 4
/* Nothing of the cell's, never emulated: the access fails the cell. */
#define UNOWNED 0x20000000u

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_PG (1ull << 31)
#define CR4_TSD (1ull << 2)
#define CR4_DE (1ull << 3)
#define CR4_PAE (1ull << 5)
#define CR4_PCE (1ull << 8)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define EFER_SCE (1ull << 0)
#define EFER_NXE (1ull << 11)

/* ---- the state at entry64, before start.S changes any of it ---- */

/* The MSRs of the list a cell writes, in the order of the save area. */
#define NUM_MSRS 13
static const uint32_t msr_ids[NUM_MSRS] = {
	0xc0000080, 0x174,	0x175,	    0x176,	0x277,
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000100,
	0xc0000101, 0xc0000102, 0xc0000103,
};
static const char *const msr_names[NUM_MSRS] = {
	"EFER",	   "SYSENTER_CS",    "SYSENTER_ESP", "SYSENTER_EIP", "PAT",
	"STAR",	   "LSTAR",	     "CSTAR",	     "FMASK",	     "FS_BASE",
	"GS_BASE", "KERNEL_GS_BASE", "TSC_AUX",
};

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* The save area of inmate_early64 (offsets used by the asm below). */
struct early {
	uint64_t gpr[16]; /* 0: RAX RCX RDX RBX RSP RBP RSI RDI R8-R15 */
	uint64_t rflags;  /* 128 */
	uint64_t cr0, cr2, cr3, cr4, cr8; /* 136 */
	uint64_t dr[8];			  /* 176: DR0-DR3, -, -, DR6, DR7 */
	uint16_t sel[6];		  /* 240: CS SS DS ES FS GS */
	uint16_t ldtr, tr;		  /* 252 */
	struct dtr gdtr;		  /* 256 */
	uint8_t pad0[6];
	struct dtr idtr; /* 272 */
	uint8_t pad1[6];
	uint64_t msr[NUM_MSRS]; /* 288 */
};
_Static_assert(__builtin_offsetof(struct early, msr) == 288, "asm offsets");
_Static_assert(__builtin_offsetof(struct early, idtr) == 272, "asm offsets");

extern struct early early_save;

asm(".section .text.early, \"ax\"\n"
    ".globl inmate_early64\n"
    "inmate_early64:\n"
    "	movq %rax, early_save+0(%rip)\n"
    "	movq %rcx, early_save+8(%rip)\n"
    "	movq %rdx, early_save+16(%rip)\n"
    "	movq %rbx, early_save+24(%rip)\n"
    "	movq %rsp, early_save+32(%rip)\n"
    "	movq %rbp, early_save+40(%rip)\n"
    "	movq %rsi, early_save+48(%rip)\n"
    "	movq %rdi, early_save+56(%rip)\n"
    "	movq %r8, early_save+64(%rip)\n"
    "	movq %r9, early_save+72(%rip)\n"
    "	movq %r10, early_save+80(%rip)\n"
    "	movq %r11, early_save+88(%rip)\n"
    "	movq %r12, early_save+96(%rip)\n"
    "	movq %r13, early_save+104(%rip)\n"
    "	movq %r14, early_save+112(%rip)\n"
    "	movq %r15, early_save+120(%rip)\n"
    "	leaq early_stack_top(%rip), %rsp\n"
    "	pushfq\n"
    "	popq %rax\n"
    "	movq %rax, early_save+128(%rip)\n"
    "	movq %cr0, %rax\n"
    "	movq %rax, early_save+136(%rip)\n"
    "	movq %cr2, %rax\n"
    "	movq %rax, early_save+144(%rip)\n"
    "	movq %cr3, %rax\n"
    "	movq %rax, early_save+152(%rip)\n"
    "	movq %cr4, %rax\n"
    "	movq %rax, early_save+160(%rip)\n"
    "	movq %cr8, %rax\n"
    "	movq %rax, early_save+168(%rip)\n"
    "	movq %dr0, %rax\n"
    "	movq %rax, early_save+176(%rip)\n"
    "	movq %dr1, %rax\n"
    "	movq %rax, early_save+184(%rip)\n"
    "	movq %dr2, %rax\n"
    "	movq %rax, early_save+192(%rip)\n"
    "	movq %dr3, %rax\n"
    "	movq %rax, early_save+200(%rip)\n"
    "	movq %dr6, %rax\n"
    "	movq %rax, early_save+224(%rip)\n"
    "	movq %dr7, %rax\n"
    "	movq %rax, early_save+232(%rip)\n"
    "	movw %cs, early_save+240(%rip)\n"
    "	movw %ss, early_save+242(%rip)\n"
    "	movw %ds, early_save+244(%rip)\n"
    "	movw %es, early_save+246(%rip)\n"
    "	movw %fs, early_save+248(%rip)\n"
    "	movw %gs, early_save+250(%rip)\n"
    "	sldt early_save+252(%rip)\n"
    "	str early_save+254(%rip)\n"
    "	sgdt early_save+256(%rip)\n"
    "	sidt early_save+272(%rip)\n"
    "	leaq early_msr_ids(%rip), %rsi\n"
    "	leaq early_save+288(%rip), %rdi\n"
    "	movl $13, %ebx\n"
    "1:	movl (%rsi), %ecx\n"
    "	rdmsr\n"
    "	movl %eax, (%rdi)\n"
    "	movl %edx, 4(%rdi)\n"
    "	addq $4, %rsi\n"
    "	addq $8, %rdi\n"
    "	decl %ebx\n"
    "	jnz 1b\n"
    "	jmp inmate_entry64_continue\n"
    ".previous\n"
    ".data\n"
    ".balign 16\n"
    ".globl early_save\n"
    "early_save: .space 400\n"
    "early_stack: .space 64\n"
    "early_stack_top:\n"
    ".globl early_msr_ids\n"
    "early_msr_ids:\n"
    "	.long 0xc0000080, 0x174, 0x175, 0x176, 0x277\n"
    "	.long 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084\n"
    "	.long 0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103\n"
    ".previous\n");

_Static_assert(sizeof(struct early) <= 400, "early_save size in the asm");

static const char *const gpr_names[16] = {
	"RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
	"R8",  "R9",  "R10", "R11", "R12", "R13", "R14", "R15",
};
static const char *const sel_names[6] = { "CS", "SS", "DS", "ES", "FS", "GS" };

/* ---- registers ---- */

#define RD_CR(n)                                                     \
	static __attribute__((unused)) uint64_t read_cr##n(void)     \
	{                                                            \
		uint64_t v;                                          \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v));        \
		return v;                                            \
	}                                                            \
	static __attribute__((unused)) void write_cr##n(uint64_t v)  \
	{                                                            \
		asm volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); \
	}
RD_CR(0)
RD_CR(2)
RD_CR(3)
RD_CR(4)
RD_CR(8)

#define WR_DR(n)                                                     \
	static void write_dr##n(uint64_t v)                          \
	{                                                            \
		asm volatile("mov %0, %%dr" #n ::"r"(v) : "memory"); \
	}
WR_DR(0)
WR_DR(1)
WR_DR(2)
WR_DR(3)
WR_DR(6)
WR_DR(7)

/* FXSAVE image (SDM vol. 1, 10.5.1). */
struct fxsave {
	uint16_t fcw, fsw;
	uint8_t ftw, rsvd;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm[16][16];
	uint8_t rest[96];
} __attribute__((packed, aligned(16)));
_Static_assert(sizeof(struct fxsave) == 512, "FXSAVE area");

static struct fxsave fx;

/* SSE needs CR4.OSFXSR (0 after handover: #UD without it) and CR0.TS,
 * CR0.EM clear. */
static void sse_on(void)
{
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	asm volatile("clts" ::: "memory");
}

static void fx_save(void)
{
	asm volatile("fxsave64 %0" : "=m"(fx) : : "memory");
}

static void fx_restore(void)
{
	asm volatile("fxrstor64 %0" : : "m"(fx) : "memory");
}

/* ---- plant ---- */

static uint64_t xmm_plant(unsigned int i, unsigned int half)
{
	return 0x8a8a000000000000ull | (uint64_t)i << 32 | half << 16 | 0x5a5a;
}

/*
 * The planted GDT, elsewhere: start.S's segments, a data segment at
 * another selector, an LDT and a 64-bit TSS; a selector of each is
 * loaded. CS stays start.S's selector (the simulator delivers interrupts
 * through gates of the current CS only); the shortcut expects 0 there.
 */
#define P_CS BOOT_CS64
#define P_DS 0x38
#define P_LDT 0x40
#define P_TSS 0x50
static uint64_t p_gdt[12] __attribute__((aligned(16)));
static uint64_t p_ldt[2];
static uint8_t p_tss[104] __attribute__((aligned(16)));

static void sys_desc(unsigned int sel, uint64_t base, uint32_t limit,
		     unsigned int type)
{
	p_gdt[sel / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			 (uint64_t)(0x80 | type) << 40 |
			 (uint64_t)(limit >> 16 & 0xf) << 48 |
			 (base >> 24 & 0xff) << 56;
	p_gdt[sel / 8 + 1] = base >> 32;
}

static void plant_segments(void)
{
	struct dtr g = { sizeof(p_gdt) - 1, (uintptr_t)p_gdt }, idt;

	p_gdt[1] = 0x00cf9a000000ffffull; /* 0x08..0x18 as start.S's */
	p_gdt[2] = 0x00cf92000000ffffull;
	p_gdt[3] = 0x00af9a000000ffffull;
	p_gdt[P_DS / 8] = 0x00cf92000000ffffull;
	sys_desc(P_LDT, (uintptr_t)p_ldt, sizeof(p_ldt) - 1, 0x2);
	sys_desc(P_TSS, (uintptr_t)p_tss, sizeof(p_tss) - 1, 0x9);
	asm volatile("lgdt %0\n\t"
		     "pushq %1\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\tmov %2, %%ds\n\t"
		     "mov %2, %%es\n\t"
		     "mov %2, %%ss\n\t"
		     "lldt %w3\n\t"
		     "ltr %w4"
		     :
		     : "m"(g), "i"(P_CS), "r"(P_DS), "r"(P_LDT), "r"(P_TSS)
		     : "rax", "memory");
	/* The IDT stays, its limit shrinks (vectors up to 0xef). */
	asm volatile("sidt %0" : "=m"(idt));
	idt.limit = 0xeff;
	asm volatile("lidt %0" : : "m"(idt));
}

static void plant_fpu(void)
{
	static const uint32_t one_third = 0x3eaaaaab; /* 1/3, single */
	static const uint32_t mxcsr = 0x3fc0;	      /* RC down, DAZ */
	static const uint16_t fcw = 0x0f7f;	      /* truncate, 64-bit */
	unsigned int i;

	sse_on();
	fx_save();
	for (i = 0; i < 16; i++) {
		uint64_t q[2] = { xmm_plant(i, 0), xmm_plant(i, 1) };

		memcpy(fx.xmm[i], q, 16);
	}
	fx_restore(); /* XMM0-15 */
	asm volatile("fninit\n\t"
		     "fldcw %0\n\t"
		     "fld1\n\t"
		     "fldpi\n\t"
		     "flds %1\n\t"
		     "ldmxcsr %2"
		     :
		     : "m"(fcw), "m"(one_third), "m"(mxcsr)
		     : "memory");
}

static void plant_apic(void)
{
	/* x2APIC mode; TPR 0x70; timer periodic at vector 0xe5, divide by 1,
	 * running; every other LVT entry unmasked; a self IPI by the ICR and
	 * one by SELF IPI: requested, not taken (interrupts stay off). */
	wrmsr(MSR_APIC_BASE,
	      rdmsr(MSR_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
	wrmsr(MSR_X2APIC_SIVR, 0x1ff);
	wrmsr(MSR_X2APIC_TPR, 0x70);
	wrmsr(MSR_X2APIC_TDCR, 0xb);
	wrmsr(MSR_X2APIC_LVT_TIMER, APIC_LVT_PERIODIC | 0xe5);
	/* 262144 bus cycles (QEMU's 1 GHz: 0.26 ms). Not shorter: QEMU's
	 * main loop serves each expiry under its global lock, and at 4096
	 * (4 us) a loaded host's QEMU spent its time there, the other CPUs'
	 * port I/O (consoles) stalled: handover hung in run 1's destroy. */
	wrmsr(MSR_X2APIC_TMICT, 0x40000);
	wrmsr(0x837, 0xe6);		      /* LVT error */
	wrmsr(0x835, 0xe7);		      /* LVT LINT0 */
	wrmsr(0x82f, 0xe8);		      /* LVT CMCI */
	wrmsr(0x833, 0xe9);		      /* LVT thermal */
	wrmsr(0x834, 0xea);		      /* LVT PMC */
	wrmsr(0x836, 0xeb);		      /* LVT LINT1 */
	wrmsr(MSR_X2APIC_ICR, 0x000400d1ull); /* self, fixed, 0xd1 */
	wrmsr(0x83f, 0xd3);		      /* SELF IPI 0xd3 */
}

static const uint64_t msr_plant[NUM_MSRS] = {
	0, /* EFER: | SCE, NXE below */
	0x10,
	0x5e5e5000,
	0x5e5e6000,
	0x0105010600070406ull, /* PA4-PA7 changed, PA0-PA3 (in use) kept */
	0x0023001000000000ull,
	0xffffffff8a5a1000ull,
	0xffffffff8a5a2000ull,
	0x47700,
	0x7f5f5f000ull,
	0x7f6f6f000ull,
	0x7f7f7f000ull,
	0x77,
};

static void plant(void)
{
	unsigned int i;

	for (i = 1; i < NUM_MSRS; i++)
		wrmsr(msr_ids[i], msr_plant[i]);
	wrmsr(msr_ids[0], rdmsr(msr_ids[0]) | EFER_SCE | EFER_NXE);
	plant_fpu();
	plant_apic();
	/* Breakpoint addresses, a hit in DR6; DR7 with LE/GE and the
	 * conditions of DR0/DR1 but no breakpoint enabled (the next cell
	 * would trap on its first access otherwise). */
	write_dr0(0x1040);
	write_dr1(0x2000);
	write_dr2(0x3000);
	write_dr3(0x4000);
	write_dr6(0xffff0ff1);
	write_dr7(0x00d10700);
	write_cr2(0xc2c2c2c2000ull);
	write_cr8(5);
	write_cr4(read_cr4() | CR4_TSD | CR4_DE | CR4_PCE);
	write_cr3(read_cr3() | 0x18); /* PWT, PCD of the tables' access */
	write_cr0(read_cr0() | CR0_MP | CR0_NE | CR0_WP | CR0_AM);
	plant_segments();
	printf("handover: planted CR0 CR2 CR3 CR4 CR8 EFER, %u MSRs, x87, "
	       "MXCSR, XMM0-15, DR0-7, x2APIC, segments\n",
	       NUM_MSRS);
	/* Last: FPU use traps (#NM) from now on. */
	write_cr0(read_cr0() | CR0_TS);
	check("handover.planted", true, NULL);
}

/* Every general register and RFLAGS distinctive, then an access that
 * fails the cell: its CPU is parked exactly so. */
static void __attribute__((noreturn)) plant_gprs_and_fail(void)
{
	asm volatile("pushq $0x243402\n\t" /* AC ID IOPL3 DF */
		     "popfq\n\t"
		     "movabsq $0x6a6a00000000bad0, %%rax\n\t"
		     "movabsq $0x6a6a00000001bad0, %%rcx\n\t"
		     "movabsq $0x6a6a00000002bad0, %%rdx\n\t"
		     "movabsq $0x6a6a00000003bad0, %%rbx\n\t"
		     "movabsq $0x6a6a00000005bad0, %%rbp\n\t"
		     "movabsq $0x6a6a00000006bad0, %%rsi\n\t"
		     "movabsq $0x6a6a00000007bad0, %%rdi\n\t"
		     "movabsq $0x6a6a00000008bad0, %%r8\n\t"
		     "movabsq $0x6a6a00000009bad0, %%r9\n\t"
		     "movabsq $0x6a6a0000000abad0, %%r10\n\t"
		     "movabsq $0x6a6a0000000bbad0, %%r11\n\t"
		     "movabsq $0x6a6a0000000cbad0, %%r12\n\t"
		     "movabsq $0x6a6a0000000dbad0, %%r13\n\t"
		     "movabsq $0x6a6a0000000ebad0, %%r14\n\t"
		     "movabsq $0x6a6a0000000fbad0, %%r15\n\t"
		     "movabsq $0x6a6a00000004bad0, %%rsp\n\t"
		     "movl %c0, %%eax\n\t"
		     "1: jmp 1b"
		     :
		     : "i"(UNOWNED)
		     : "memory");
	__builtin_unreachable();
}

static void in_service(unsigned int irq)
{
	(void)irq;
	plant_gprs_and_fail();
}

/* ---- check ---- */

static char buf[112];

static bool first_bad(const char *name, uint64_t got, uint64_t want)
{
	snprintf(buf, sizeof(buf), "%s = 0x%llx, not 0x%llx", name,
		 (unsigned long long)got, (unsigned long long)want);
	return false;
}

/* Started at entry64 directly (paging off): the CPU as handed over. */
static bool shortcut(const struct early *e)
{
	return !(e->cr0 & CR0_PG);
}

static void check_gprs(const struct early *e, bool ap)
{
	/* The real-mode start-up writes RAX, RCX, RDX, RDI and RBP. */
	static const unsigned int startup = 1u << 0 | 1u << 1 | 1u << 2 |
					    1u << 5 | 1u << 7;
	bool ok = true;
	unsigned int i;

	for (i = 0; i < 16 && ok; i++) {
		uint64_t want = 0;

		if (i == 5) /* EBP: 0 for the cell's first CPU, 1 for an AP */
			want = ap;
		else if (!shortcut(e) && (startup >> i & 1))
			continue;
		if (e->gpr[i] != want)
			ok = first_bad(gpr_names[i], e->gpr[i], want);
	}
	check("handover.gprs", ok, "%s",
	      ok ? (ap ? "RAX-R15 0, EBP 1" : "RAX-R15 0") : buf);
}

static void check_rflags(const struct early *e)
{
	/* Shortcut: exactly 0x2. Else the start-up's arithmetic sets the
	 * status flags: TF, IF, DF, IOPL, NT, RF, VM, AC, VIF, VIP, ID 0. */
	uint64_t mask = shortcut(e) ? ~0ull : 0x3f7f02ull;

	check("handover.rflags", (e->rflags & mask) == 0x2, "0x%llx",
	      (unsigned long long)e->rflags);
}

static void check_crs(const struct early *e)
{
	extern char pml4[];
	bool ok = true;

	/* INIT's CR0 0x60000010 with PE (and PG outside the sim) set by
	 * the start-up; CR4: PAE likewise; CR3: its page tables. */
	if ((e->cr0 & ~CR0_PG) != 0x60000011)
		ok = first_bad("CR0", e->cr0, 0x60000011);
	else if (e->cr2)
		ok = first_bad("CR2", e->cr2, 0);
	else if (e->cr3 != (shortcut(e) ? 0 : (uintptr_t)pml4))
		ok = first_bad("CR3", e->cr3,
			       shortcut(e) ? 0 : (uintptr_t)pml4);
	else if (e->cr4 & ~CR4_PAE)
		ok = first_bad("CR4", e->cr4, shortcut(e) ? 0 : CR4_PAE);
	else if (e->cr8)
		ok = first_bad("CR8", e->cr8, 0);
	else if (e->msr[0] != 0x500) /* EFER: LME, LMA of the start-up */
		ok = first_bad("EFER", e->msr[0], 0x500);
	check("handover.control", ok, "%s",
	      ok ? "CR0 0x60000011 (+PG), CR2 CR3 CR4 CR8, EFER 0x500" : buf);
}

static void check_segments(const struct early *e)
{
	extern char boot_gdt_desc64[];
	const struct dtr *boot = (const struct dtr *)boot_gdt_desc64;
	bool ok = true;
	unsigned int i;

	/* Shortcut: null selectors, GDTR as after INIT. Else start.S's. */
	for (i = 0; i < 6 && ok; i++) {
		uint16_t want = shortcut(e) ? 0 : i ? BOOT_DS : BOOT_CS64;

		if (e->sel[i] != want)
			ok = first_bad(sel_names[i], e->sel[i], want);
	}
	if (ok && e->ldtr)
		ok = first_bad("LDTR", e->ldtr, 0);
	if (ok && e->tr)
		ok = first_bad("TR", e->tr, 0);
	if (ok && (shortcut(e) ? e->gdtr.base || e->gdtr.limit != 0xffff :
				 e->gdtr.base != boot->base ||
					 e->gdtr.limit != boot->limit))
		ok = first_bad("GDTR", e->gdtr.base, 0);
	if (ok && (e->idtr.base || e->idtr.limit != 0xffff))
		ok = first_bad("IDTR", e->idtr.limit, 0xffff);
	check("handover.segments", ok, "%s",
	      ok ? "selectors, LDTR, TR, GDTR, IDTR" : buf);
}

static void check_debug(const struct early *e)
{
	static const uint64_t want[8] = { 0, 0, 0, 0, 0, 0, 0xffff0ff0, 0x400 };
	static const char *const names[8] = { "DR0", "DR1", "DR2", "DR3",
					      "",    "",    "DR6", "DR7" };
	bool ok = true;
	unsigned int i;

	for (i = 0; i < 8 && ok; i++)
		if (names[i][0] && e->dr[i] != want[i])
			ok = first_bad(names[i], e->dr[i], want[i]);
	check("handover.debug", ok, "%s",
	      ok ? "DR0-3 0, DR6 0xffff0ff0, DR7 0x400" : buf);
}

static void check_msrs(const struct early *e)
{
	bool ok = true;
	unsigned int i;

	/* EFER is with the control registers. */
	for (i = 1; i < NUM_MSRS && ok; i++) {
		uint64_t want = i == 4 ? 0x0007040600070406ull : 0;

		if (e->msr[i] != want)
			ok = first_bad(msr_names[i], e->msr[i], want);
	}
	if (ok)
		snprintf(buf, sizeof(buf), "%u MSRs", NUM_MSRS - 1);
	check("handover.msrs", ok, "%s", buf);
}

static void check_fpu(void)
{
	uint8_t zero[16] = { 0 };
	bool ok = true;
	unsigned int i;

	/* Nothing here used the FPU before: FXSAVE shows the handover. */
	sse_on();
	fx_save();
	if (fx.fcw != 0x37f)
		ok = first_bad("FCW", fx.fcw, 0x37f);
	else if (fx.fsw)
		ok = first_bad("FSW", fx.fsw, 0);
	else if (fx.ftw) /* abridged: 0 is all empty */
		ok = first_bad("FTW", fx.ftw, 0);
	else if (fx.fop || fx.fip || fx.fdp)
		ok = first_bad("FIP", fx.fip, 0);
	else if (fx.mxcsr != 0x1f80)
		ok = first_bad("MXCSR", fx.mxcsr, 0x1f80);
	for (i = 0; i < 8 && ok; i++)
		if (memcmp(fx.st[i], zero, 10)) {
			snprintf(buf, sizeof(buf), "ST%u not 0", i);
			ok = false;
		}
	check("handover.fpu", ok, "%s",
	      ok ? "FCW 0x37f, FSW, FTW empty, MXCSR 0x1f80, ST0-7" : buf);
	ok = true;
	for (i = 0; i < 16 && ok; i++)
		if (memcmp(fx.xmm[i], zero, 16)) {
			uint64_t q[2];

			memcpy(q, fx.xmm[i], 16);
			snprintf(buf, sizeof(buf), "XMM%u = 0x%llx%016llx", i,
				 (unsigned long long)q[1],
				 (unsigned long long)q[0]);
			ok = false;
		}
	check("handover.xmm", ok, "%s", ok ? "XMM0-15 0" : buf);
}

static void check_apic(bool ap)
{
	static const struct {
		const char *name;
		uint32_t msr;
		uint64_t want;
	} regs[] = {
		{ "TPR", 0x808, 0 },
		{ "SIVR", 0x80f, 0xff },
		{ "ESR", 0x828, 0 },
		{ "ICR", 0x830, 0 },
		{ "LVT_TIMER", 0x832, 0x10000 },
		{ "LVT_LINT0", 0x835, 0x10000 },
		{ "LVT_ERROR", 0x837, 0x10000 },
		{ "LVT_CMCI", 0x82f, 0x10000 },
		{ "LVT_THERMAL", 0x833, 0x10000 },
		{ "LVT_PMC", 0x834, 0x10000 },
		{ "LVT_LINT1", 0x836, 0x10000 },
		{ "TMICT", 0x838, 0 },
		{ "TMCCT", 0x839, 0 },
		{ "TDCR", 0x83e, 0 },
	};
	uint64_t base = rdmsr(MSR_APIC_BASE), v;
	bool ok = true;
	unsigned int i;

	/* Enabled, xAPIC mode; BSP on the cell's first CPU only. */
	if (base != (ap ? 0xfee00800 : 0xfee00900))
		ok = first_bad("APIC_BASE", base, ap ? 0xfee00800 : 0xfee00900);
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	for (i = 0; i < ARRAY_SIZE(regs) && ok; i++)
		if ((v = rdmsr(regs[i].msr)) != regs[i].want)
			ok = first_bad(regs[i].name, v, regs[i].want);
	for (i = 0; i < 8 && ok; i++) {
		if ((v = rdmsr(0x810 + i)))
			ok = first_bad("ISR", v, 0);
		else if ((v = rdmsr(0x820 + i)))
			ok = first_bad("IRR", v, 0);
	}
	check("handover.x2apic", ok, "%s",
	      ok ? "APIC_BASE, TPR, SIVR, ESR, ICR, LVTs, timer, ISR, IRR" :
		   buf);
}

static void check_all(bool ap)
{
	const struct early *e = &early_save;

	check_gprs(e, ap);
	check_rflags(e);
	check_crs(e);
	check_segments(e);
	check_debug(e);
	check_msrs(e);
	check_fpu();
	check_apic(ap);
}

/* 3: the next CPU of the cell, started by INIT/SIPI, checks. */
static volatile uint32_t sipi_done;

static void sipi_cpu(unsigned int idx)
{
	(void)idx;
	check_all(true);
	sipi_done = 1;
	for (;;)
		cpu_relax();
}

static void check_sipi(void)
{
	uint64_t hw = inmate_params.cpu_ids[1] != ~0ull ?
			      inmate_params.cpu_ids[1] :
			      cpu_hw_id() + 1;
	int idx = cpu_start(hw, sipi_cpu);
	uint64_t until = time_ns() + NS_PER_SEC;

	/* Quiet until it is done: the console has no lock. */
	while (idx > 0 && !sipi_done && time_ns() < until)
		cpu_relax();
	if (check("handover.sipi-start", idx > 0, "CPU 0x%llx: %d",
		  (unsigned long long)hw, idx))
		check("handover.sipi-checked", sipi_done, NULL);
}

void inmate_main(void)
{
	switch (inmate_params.select) {
	case ROLE_PLANT:
		plant();
		break;
	case ROLE_CHECK:
		check_all(false);
		break;
	case ROLE_CHECK_SIPI:
		check_sipi();
		break;
	case ROLE_PLANT_FAIL:
		plant();
		printf("handover: reading 0x%x (not the cell's)\n", UNOWNED);
		/* From the timer\'s handler: its vector stays in service. */
		irq_set_handler(0xe5, in_service);
		irq_on();
		for (;;)
			cpu_relax();
	default:
		check("handover.role", false,
		      "select %u: 1 plant, 2 check, 3 check after SIPI, "
		      "4 plant and fail",
		      (unsigned int)inmate_params.select);
	}
	test_verdict();
}
