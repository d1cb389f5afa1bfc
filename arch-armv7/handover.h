/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a CPU looks like after it changes hands (cell create/start,
 * destroy, PSCI CPU_OFF then CPU_ON, a failed cell's CPUs, DISABLE): the
 * one list of the guest-writable architectural state and its value after
 * handover. The ARMv7 backend expands it into MCR/MCRR/MSR writes from HYP
 * (handover.c); the simulator expands the same list into Unicorn register
 * writes (sim/handover.c). Nothing else says what is reset. docs/arm.md
 * has the table.
 *
 * Host-compilable: only constants and X-macros, no arch code.
 */
#ifndef WARDEN_ARM_HANDOVER_H
#define WARDEN_ARM_HANDOVER_H

/*
 * System registers of coprocessor 15 that PL1 may write, reset from HYP
 * (the Non-secure PL1 copies).
 * X(name, opc1, CRn, CRm, opc2, value)           32-bit MCR
 * X64(name, opc1, CRm, value)                     64-bit MCRR
 * SCTLR: the ARMv7 reset value: MMU, caches, TE, EE and V off.
 * ACTLR is not listed: PL1 writes depend on HACTLR (IMPLEMENTATION
 * DEFINED, left at reset) and the secure firmware; QEMU: RAZ/WI.
 * The generic timer's registers are listed apart (ARM_HANDOVER_TIMER).
 */
#define ARM_HANDOVER_CP15(X, X64)         \
	X(SCTLR, 0, 1, 0, 0, 0x00c50078u) \
	X(CPACR, 0, 1, 0, 2, 0u)          \
	X(TTBCR, 0, 2, 0, 2, 0u)          \
	X64(TTBR0, 0, 2, 0ull)            \
	X64(TTBR1, 1, 2, 0ull)            \
	X(DACR, 0, 3, 0, 0, 0u)           \
	X(DFSR, 0, 5, 0, 0, 0u)           \
	X(IFSR, 0, 5, 0, 1, 0u)           \
	X(ADFSR, 0, 5, 1, 0, 0u)          \
	X(AIFSR, 0, 5, 1, 1, 0u)          \
	X(DFAR, 0, 6, 0, 0, 0u)           \
	X(IFAR, 0, 6, 0, 2, 0u)           \
	X64(PAR, 0, 7, 0ull)              \
	X(PRRR, 0, 10, 2, 0, 0u)          \
	X(NMRR, 0, 10, 2, 1, 0u)          \
	X(AMAIR0, 0, 10, 3, 0, 0u)        \
	X(AMAIR1, 0, 10, 3, 1, 0u)        \
	X(VBAR, 0, 12, 0, 0, 0u)          \
	X(FCSEIDR, 0, 13, 0, 0, 0u)       \
	X(CONTEXTIDR, 0, 13, 0, 1, 0u)    \
	X(TPIDRURW, 0, 13, 0, 2, 0u)      \
	X(TPIDRURO, 0, 13, 0, 3, 0u)      \
	X(TPIDRPRW, 0, 13, 0, 4, 0u)      \
	X(CSSELR, 2, 0, 0, 0, 0u)

/*
 * The generic timer as PL1 programs it: both timers off, compare values
 * 0, no PL0 access. TVAL is a view of CVAL and is not listed.
 */
#define ARM_HANDOVER_TIMER(X, X64)   \
	X(CNTKCTL, 0, 14, 1, 0, 0u)  \
	X(CNTP_CTL, 0, 14, 2, 1, 0u) \
	X(CNTV_CTL, 0, 14, 3, 1, 0u) \
	X64(CNTP_CVAL, 2, 14, 0ull)  \
	X64(CNTV_CVAL, 3, 14, 0ull)

/*
 * Banked registers of the PL0/PL1 modes, reset from HYP with MSR
 * (banked). X(name, mode, register: 8-14 = r8-r14, 16 = SPSR, value).
 * The registers every mode shares (r0-r12 of USR, LR_usr) are HYP's own
 * while it runs; the backend's guest entry sets them (arm_enter_guest):
 * ARM_HANDOVER_GPRS.
 */
#define ARM_HANDOVER_BANKED(X)    \
	X(SP_usr, 0x1f, 13, 0u)   \
	X(SP_svc, 0x13, 13, 0u)   \
	X(LR_svc, 0x13, 14, 0u)   \
	X(SPSR_svc, 0x13, 16, 0u) \
	X(SP_abt, 0x17, 13, 0u)   \
	X(LR_abt, 0x17, 14, 0u)   \
	X(SPSR_abt, 0x17, 16, 0u) \
	X(SP_und, 0x1b, 13, 0u)   \
	X(LR_und, 0x1b, 14, 0u)   \
	X(SPSR_und, 0x1b, 16, 0u) \
	X(SP_irq, 0x12, 13, 0u)   \
	X(LR_irq, 0x12, 14, 0u)   \
	X(SPSR_irq, 0x12, 16, 0u) \
	X(r8_fiq, 0x11, 8, 0u)    \
	X(r9_fiq, 0x11, 9, 0u)    \
	X(r10_fiq, 0x11, 10, 0u)  \
	X(r11_fiq, 0x11, 11, 0u)  \
	X(r12_fiq, 0x11, 12, 0u)  \
	X(SP_fiq, 0x11, 13, 0u)   \
	X(LR_fiq, 0x11, 14, 0u)   \
	X(SPSR_fiq, 0x11, 16, 0u)

/*
 * USR/SYS registers at guest entry: r0 is the PSCI context id (0 for a
 * cell's first CPU), r1-r12 and LR_usr are 0. X(name, register, value)
 */
#define ARM_HANDOVER_GPRS(X) \
	X(r1, 1, 0u)         \
	X(r2, 2, 0u)         \
	X(r3, 3, 0u)         \
	X(r4, 4, 0u)         \
	X(r5, 5, 0u)         \
	X(r6, 6, 0u)         \
	X(r7, 7, 0u)         \
	X(r8, 8, 0u)         \
	X(r9, 9, 0u)         \
	X(r10, 10, 0u)       \
	X(r11, 11, 0u)       \
	X(r12, 12, 0u)       \
	X(LR_usr, 14, 0u)

/* The CPSR at guest entry: SVC mode, A, I and F masked, ARM state,
 * little-endian, flags clear. */
#define ARM_HANDOVER_CPSR 0x000001d3u

/*
 * VFP/NEON: d0-d31 and FPSCR 0, FPEXC 0 (EN off: a cell turns VFP on
 * itself, CPACR 0 above denies it until then, as after a reset).
 */
#define ARM_HANDOVER_VFP_DREGS 32
#define ARM_HANDOVER_DREG 0ull
#define ARM_HANDOVER_FPSCR 0u
#define ARM_HANDOVER_FPEXC 0u

/*
 * Debug and performance monitors are not handed over: the backend traps
 * every access of a cell (HDCR.TDRA, TDOSA, TDA, TPM, TPMCR) and answers
 * it as "no such hardware": reads as zero, writes ignored. The simulator
 * answers the same accesses the same way, through arm_handover_trapped().
 * HDCR.HPMN (the counters PL1 may use) is left as reset: TPM traps all.
 */
#define ARM_HANDOVER_HDCR \
	((1u << 11) | (1u << 10) | (1u << 9) | (1u << 6) | (1u << 5))

/* Is an MRC/MCR (@is64 false) or MRRC/MCRR to @coproc with these fields
 * one of the trapped debug or PMU registers? */
static inline int arm_handover_trapped(unsigned int coproc, unsigned int opc1,
				       unsigned int crn, unsigned int crm,
				       unsigned int opc2, int is64)
{
	(void)opc2;
	/* Debug (CP14 opc1 6: ThumbEE, 7: Jazelle), PMU (CP15 c9, c12-c15). */
	return opc1 == 0 && (coproc == 14 ||
			     (coproc == 15 && !is64 && crn == 9 && crm >= 12));
}

#endif /* !WARDEN_ARM_HANDOVER_H */
