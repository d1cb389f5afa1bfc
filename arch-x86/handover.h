/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an x86 CPU looks like after it changes hands (cell create/start,
 * destroy, a failed cell's CPUs, INIT/SIPI within a cell, DISABLE): the
 * one list of the architectural state a cell can set and the next owner
 * of the CPU could read, and its value after handover. The VT-x and AMD-V
 * backends (issues 14, 15) expand it into VMCS/VMCB guest-state writes,
 * XRSTOR of an init image and x2APIC writes; the simulator expands the
 * same list into Unicorn register writes and its x2APIC model
 * (sim/handover_x86.c). Nothing else says what is reset.
 *
 * The values are the architectural state after INIT (Intel SDM vol. 3,
 * 9.1.1, Table 9-1 "IA-32 and Intel 64 Processor States Following
 * Power-up, Reset, or INIT"), except where INIT leaves state unchanged:
 * "during an INIT, the internal caches, MSRs, MTRRs, and x87 FPU state
 * are left unchanged" (SDM vol. 3, 9.1), and the SSE state too (SDM
 * vol. 1, 11.6.4). That state is what leaks from one cell to the next
 * on a real CPU, so it is on the list with its power-up or init value.
 *
 * A CPU enters its cell at an entry the backend sets per start (the
 * cell's reset address, or the SIPI vector: CS base = vector << 12,
 * IP 0); the list gives everything else. INIT puts the CPU in real mode:
 * the inmate's own 16/32-bit start-up (inmates/lib/x86/start.S) leaves
 * it; the simulator, whose CPU cannot make that switch, starts at the
 * 64-bit entry instead (docs/inmates.md, "Simulator shortcut").
 *
 * Host-compilable: only constants and X-macros, no arch code.
 */
#ifndef WARDEN_X86_HANDOVER_H
#define WARDEN_X86_HANDOVER_H

/*
 * The 16 general registers (by encoding number: 0 RAX, 1 RCX, 2 RDX,
 * 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15), one value for all:
 * 0 after INIT but RDX, which holds the processor signature (SDM Table
 * 9-1: 000n06xxH). warden gives 0 there too, as Jailhouse does: no
 * inmate relies on it, and the register carries nothing of the last cell
 * either way. A cell writes all of them. Listed as "RAX" ... "R15".
 */
#define X86_HANDOVER_GPRS 16
#define X86_HANDOVER_GPR_VALUE 0ull

/* RFLAGS after INIT: only the reserved bit 1 (IF, DF, AC, ID, IOPL,
 * NT, TF clear; POPF lets a cell set them all). */
#define X86_HANDOVER_RFLAGS 0x2ull

/*
 * Control registers as the guest sees them (the read shadows of VT-x,
 * the VMCB's CRs): X(name, number, value).
 * CR0 after INIT 0x60000010 (CD, NW, ET: real mode, paging off; SDM 9.1.1
 * "The state of control register CR0 is 60000010H"). CR2 (the last page
 * fault address), CR3, CR4 0. CR8 is the TPR's priority class (bits 7:4
 * of the x2APIC TPR, below): 0.
 */
#define X86_HANDOVER_CRS(X)      \
	X(CR0, 0, 0x60000010ull) \
	X(CR2, 2, 0ull)          \
	X(CR3, 3, 0ull)          \
	X(CR4, 4, 0ull)          \
	X(CR8, 8, 0ull)

/* XCR0 (XSETBV; a cell may enable AVX state): x87 only, its power-up
 * value (bit 0 is always set). */
#define X86_HANDOVER_XCR0 0x1ull

/*
 * Segment registers, hidden part included (SDM Table 9-1): X(name,
 * selector, base, limit, access rights). Real-mode data segments, access
 * rights 0x93 (present, read/write, accessed). CS after INIT has selector
 * 0xf000 and base 0xffff0000 with IP 0xfff0; the backend replaces both
 * by the entry of the start. CS's rights 0x9b: present, execute/read,
 * accessed code (the SDM names the same bits "R/W, accessed"; a code
 * type, as KVM and Jailhouse load real-mode CS into the VMCS). LDTR 0x82 (present, LDT), TR 0x8b (present,
 * busy 32-bit TSS: VT-x requires a busy TSS). The bases of FS and GS are
 * the MSRs FS_BASE and GS_BASE (one state, one VMCS field each): reset
 * by those entries below.
 */
#define X86_HANDOVER_SEGS(X)                       \
	X(CS, 0xf000, 0xffff0000ull, 0xffff, 0x9b) \
	X(SS, 0, 0ull, 0xffff, 0x93)               \
	X(DS, 0, 0ull, 0xffff, 0x93)               \
	X(ES, 0, 0ull, 0xffff, 0x93)               \
	X(FS, 0, 0ull, 0xffff, 0x93)               \
	X(GS, 0, 0ull, 0xffff, 0x93)               \
	X(LDTR, 0, 0ull, 0xffff, 0x82)             \
	X(TR, 0, 0ull, 0xffff, 0x8b)

/* GDTR and IDTR after INIT: base 0, limit 0xffff. X(name, base, limit) */
#define X86_HANDOVER_DTRS(X)  \
	X(GDTR, 0ull, 0xffff) \
	X(IDTR, 0ull, 0xffff)

/*
 * Debug registers: X(name, number, value). DR0-DR3 0, DR6 0xffff0ff0,
 * DR7 0x400 (SDM Table 9-1). A breakpoint a cell armed would otherwise
 * fire in the next cell.
 */
#define X86_HANDOVER_DRS(X)      \
	X(DR0, 0, 0ull)          \
	X(DR1, 1, 0ull)          \
	X(DR2, 2, 0ull)          \
	X(DR3, 3, 0ull)          \
	X(DR6, 6, 0xffff0ff0ull) \
	X(DR7, 7, 0x400ull)

/*
 * The MSRs a cell may write: this list is the MSR policy's set of those
 * the CPU executes natively (x86_msr_native(), arch-x86/msr.c,
 * ROUTE_NATIVE; test_handover checks the two agree). INIT leaves MSRs unchanged (SDM 9.1), so each is reset
 * here to its power-up value: X(name, MSR, value).
 * EFER 0: no long mode, no SYSCALL, no NX (as after reset).
 * PAT 0x0007040600070406: its power-up value (SDM vol. 3, 11.12.4).
 * SYSENTER_*, STAR, LSTAR, CSTAR, FMASK: the system call entries a cell
 * set up; FS_BASE, GS_BASE, KERNEL_GS_BASE (SWAPGS): segment bases; 0.
 * TSC_AUX (RDTSCP's ECX, which Linux uses as its CPU number): 0.
 */
#define X86_HANDOVER_MSRS(X)                  \
	X(EFER, 0xc0000080u, 0ull)            \
	X(SYSENTER_CS, 0x174u, 0ull)          \
	X(SYSENTER_ESP, 0x175u, 0ull)         \
	X(SYSENTER_EIP, 0x176u, 0ull)         \
	X(PAT, 0x277u, 0x0007040600070406ull) \
	X(STAR, 0xc0000081u, 0ull)            \
	X(LSTAR, 0xc0000082u, 0ull)           \
	X(CSTAR, 0xc0000083u, 0ull)           \
	X(FMASK, 0xc0000084u, 0ull)           \
	X(FS_BASE, 0xc0000100u, 0ull)         \
	X(GS_BASE, 0xc0000101u, 0ull)         \
	X(KERNEL_GS_BASE, 0xc0000102u, 0ull)  \
	X(TSC_AUX, 0xc0000103u, 0ull)

/*
 * x87, MMX, SSE and AVX state (the XSAVE area): INIT leaves it unchanged,
 * so the backend restores the XSAVE init state (XRSTOR with XSTATE_BV 0,
 * SDM vol. 1, 13.6), which FNINIT and the power-up MXCSR also give:
 * X(name, value).
 * FCW 0x037f (all exceptions masked, 64-bit precision, round to
 * nearest), FSW 0 (TOP 0), FTW all empty (0xffff in the full tag word),
 * last instruction opcode and pointers 0, MXCSR 0x1f80 (all SIMD
 * exceptions masked).
 */
#define X86_HANDOVER_FPU(X) \
	X(FCW, 0x037full)   \
	X(FSW, 0ull)        \
	X(FTW, 0xffffull)   \
	X(FOP, 0ull)        \
	X(FIP, 0ull)        \
	X(FDP, 0ull)        \
	X(MXCSR, 0x1f80ull)

/* ST0-ST7 (MM0-MM7) and XMM0-XMM15 with the upper halves of YMM0-YMM15:
 * zero. Listed as "ST" and "XMM". */
#define X86_HANDOVER_ST_REGS 8
#define X86_HANDOVER_VEC_REGS 16
#define X86_HANDOVER_VEC_VALUE 0ull

/*
 * The x2APIC as a cell programs it (the backend's APIC virtualization,
 * or the APIC registers themselves where a cell reaches them): the state
 * after INIT (SDM vol. 3, 10.4.7.3 and 10.4.7.1): X(name, register
 * number = MSR - 0x800, value).
 * TPR, ICR, timer initial count and divide configuration 0 (the timer
 * stops), SIVR 0xff (APIC software-disabled), every LVT entry masked
 * (bit 16) with vector 0, ESR 0. ISR, IRR and TMR are cleared: an
 * interrupt in service or requested in the last cell is not the next
 * cell's (X86_HANDOVER_APIC_VECTORS).
 */
#define X86_HANDOVER_APIC(X)             \
	X(TPR, 0x08, 0ull)               \
	X(SIVR, 0x0f, 0xffull)           \
	X(ESR, 0x28, 0ull)               \
	X(ICR, 0x30, 0ull)               \
	X(LVT_CMCI, 0x2f, 0x10000ull)    \
	X(LVT_TIMER, 0x32, 0x10000ull)   \
	X(LVT_THERMAL, 0x33, 0x10000ull) \
	X(LVT_PMC, 0x34, 0x10000ull)     \
	X(LVT_LINT0, 0x35, 0x10000ull)   \
	X(LVT_LINT1, 0x36, 0x10000ull)   \
	X(LVT_ERROR, 0x37, 0x10000ull)   \
	X(TMICT, 0x38, 0ull)             \
	X(TDCR, 0x3e, 0ull)

/* ISR, IRR and TMR (8 registers of 32 vectors each, from these register
 * numbers): all 0. Listed as "ISR", "IRR", "TMR". */
#define X86_HANDOVER_APIC_VECTORS(X) \
	X(ISR, 0x10)                 \
	X(TMR, 0x18)                 \
	X(IRR, 0x20)

/*
 * IA32_APIC_BASE (emulated for cells, arch-x86/msr.c): the APIC at its
 * default address, enabled, in xAPIC mode (EXTD clear: a cell turns on
 * x2APIC mode itself, as after power-up; INIT alone would keep the mode
 * of the last cell), BSP flag set only on the cell's first CPU.
 */
#define X86_HANDOVER_APIC_BASE 0xfee00800ull
#define X86_HANDOVER_APIC_BASE_BSP (1ull << 8)

/*
 * The TSC offset of the guest (VMCS TSC offset, VMCB TSC_OFFSET): 0, the
 * CPU's own TSC. A cell cannot change it (WRMSR of IA32_TSC and
 * TSC_ADJUST is refused, arch-x86/msr.c); reset so that a backend that
 * offsets a cell's time never hands one cell's offset to the next.
 */
#define X86_HANDOVER_TSC_OFFSET 0ull

#endif /* !WARDEN_X86_HANDOVER_H */
