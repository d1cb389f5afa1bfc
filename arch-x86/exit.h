/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 exit layer (exit.c): what a VT-x or AMD-V backend, and the
 * simulator's x86 executor, do with a trapped guest instruction, written
 * once. The backend decodes its exit (VMCB EXITCODE/EXITINFO, VMCS exit
 * reason/qualification) into a call of one handler below, with the guest's
 * state in a struct x86_guest; the handler applies the x86 policy modules
 * (cpuid.c, msr.c, x2apic.c, decode.c) and the core's entries (hal/core.h),
 * changes the guest's registers in place and says how far RIP advances.
 * The backend then writes the registers back (RIP += advance) and resumes
 * the guest, or does not resume it (X86_EXIT_PARKED).
 *
 * Mechanism the layer needs (native MSRs, the CPU's own LAPIC, sending an
 * IPI, reading guest-physical memory) comes from the backend through
 * struct x86_exit_ops. Freestanding, no backend state: linked by the
 * simulator (Unicorn-backed ops, sim/exec_x86.c) and tested on host
 * memory with fake ops (tests/unit/test_x86exit.c).
 *
 * Beyond the contract of issue #14: struct x86_guest carries the ops and
 * their context (no global registration), and the length of the trapping
 * instruction (insn_len: NRIP save, the VM-exit instruction length; AMD-V
 * without NRIP save decodes it, arch-amd/insn_len.h).
 * There is no separate "machine stop" result: on hardware
 * hal_machine_stop() does not return, in the simulator the stopped CPU is
 * parked, so X86_EXIT_PARKED covers it.
 */
#ifndef WARDEN_X86_EXIT_H
#define WARDEN_X86_EXIT_H

#include <stdbool.h>
#include <stdint.h>

#include "../hal/core.h"
#include "cpuid.h"
#include "decode.h"
#include "x2apic.h"

/* The xAPIC register page (cells must not map it: their accesses trap as
 * nested page faults and x86_exit_npf() emulates them). */
#define X86_XAPIC_BASE 0xfee00000ULL
#define X86_XAPIC_SIZE 0x1000ULL

/* The item of the exception record of an MMIO instruction the layer
 * refuses (decoder refusal, fetch fault): the VT-x basic exit reason of an
 * EPT violation (vmx_exit.c's too), on both backends, so records are the
 * same everywhere. */
#define X86_EXIT_EPT_VIOLATION 48

/* Paging on (CR0.PG), long mode active (EFER.LMA). */
#define CR0_PG (1ULL << 31)
#define EFER_LMA (1ULL << 10)

/* Exceptions the layer asks the backend to inject. */
#define X86_EXC_UD 6
#define X86_EXC_GP 13

/* The backend's mechanism (all members required; @ctx is x86_guest.ctx). */
struct x86_exit_ops {
	/*
	 * Read @len bytes of guest-physical memory of the cell on this CPU
	 * (page-table entries, instruction bytes). Only RAM of the cell
	 * (hal_copy_from_guest() on hardware). 0, or -1 if any byte is not
	 * readable RAM.
	 */
	int (*read_gpa)(void *ctx, uint64_t gpa, void *dst, unsigned int len);
	/* The CPU's own answer to CPUID @leaf/@subleaf (executed natively). */
	void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf,
		      struct x86_cpuid *r);
	/*
	 * Guest-state MSRs (x86_msr_native()): read/write the guest's value
	 * (VMCB/VMCS field or the CPU's MSR with the guest's state loaded).
	 * Only called for those that exit (EFER with SVME kept set on AMD-V,
	 * or all of them when the backend intercepts them).
	 */
	uint64_t (*msr_read)(void *ctx, uint32_t msr);
	void (*msr_write)(void *ctx, uint32_t msr, uint64_t val);
	/* The guest's TSC (RDMSR of MSR_TSC, RDTSC, RDTSCP). */
	uint64_t (*tsc)(void *ctx);
	/*
	 * This CPU's APIC register as the cell sees it, in x2APIC MSR
	 * numbering (MSR_APIC_BASE, 0x800 + register number; xAPIC page
	 * offset = register number * 16), after the policy allowed it.
	 * Backed by the CPU's own LAPIC (x2APIC MSR or the xAPIC page) for
	 * EOI, TPR, SIVR, LVT, timer, ESR; the ICR is never written to the
	 * hardware: apic_write(MSR_X2APIC_ICR) only keeps the value the cell
	 * reads back (x2APIC format, destination in 63:32), the IPI goes
	 * through send_ipi. In any APIC mode: the layer checks it first
	 * (IA32_APIC_BASE EN and EXTD: x2APIC MSRs need x2APIC mode, else
	 * #GP; the xAPIC page xAPIC mode, else xapic_denied). Returns 0, or
	 * -1 for a register or value the APIC refuses (x2APIC MSR: #GP
	 * injected; xAPIC page: xapic_denied).
	 */
	int (*apic_read)(void *ctx, uint32_t msr, uint64_t *val);
	int (*apic_write)(void *ctx, uint32_t msr, uint64_t val);
	/*
	 * Deliver an IPI the policy allowed to CPU @cpu of the cell:
	 * IPI_FIXED with @vector, or IPI_INIT (the target waits for a SIPI:
	 * a backend may leave a running target alone, the simulator does;
	 * SIPIs go to core_cpu_on(), never here).
	 */
	void (*send_ipi)(void *ctx, unsigned int cpu, enum ipi_kind kind,
			 uint8_t vector);
	/* Inject exception @vector (X86_EXC_*, error code 0) into the guest. */
	void (*inject)(void *ctx, unsigned int vector);
};

/* The trapped guest, as the backend hands it over and gets it back. */
struct x86_guest {
	/* in */
	struct x86_regs regs; /* GPRs, RIP of the trapping instruction, FS/GS
				 base; handlers change them in place */
	uint64_t cr0, cr3, cr4, efer;
	uint64_t cs_base;      /* outside 64-bit code: RIP is an offset in CS */
	unsigned int cpl;      /* 0-3 */
	bool code64;	       /* CS.L with EFER.LMA: 64-bit code */
	bool code32;	       /* CS.D: 32-bit code (when !code64) */
	unsigned int insn_len; /* length of the instruction (CPUID, RDMSR,
				  WRMSR: their handlers' advance), 0 if
				  not known */
	const struct x86_exit_ops *ops;
	void *ctx;
	/* out */
	unsigned int advance; /* bytes to add to RIP; 0: leave RIP */
};

enum x86_exit_result {
	X86_EXIT_RESUME, /* write the registers back, RIP += advance, resume */
	X86_EXIT_PARKED, /* the cell failed, or this CPU was parked or the
			    machine stopped: do not resume */
};

/*
 * The backend's own refusal of exit @code (the VMCB exit code, the VMCS
 * basic exit reason): the cell fails with @why and @item, through the
 * core's trap record (an exc record, vector = @code, in the trap log).
 */
enum x86_exit_result x86_exit_refuse(uint64_t code, enum wd_reason why,
				     uint64_t item);

/* Inject exception @vector (X86_EXC_*) through ops->inject, RIP kept:
 * RESUME. For the backends' own #UD and #GP too. */
enum x86_exit_result x86_exit_inject(struct x86_guest *g, unsigned int vector);

/*
 * VMCALL/VMMCALL: core_hypercall(RAX, RDI, RSI, caller in user mode =
 * cpl != 0); result in RAX; advance 3. PARKED when the call parked this
 * CPU (a refusal that failed the cell, CPU_OFF-like calls).
 */
enum x86_exit_result x86_exit_hypercall(struct x86_guest *g);

/*
 * CPUID: the CPU's answer (ops->cpuid) for leaf EAX, subleaf ECX, made the
 * cell's by x86_cpuid() (the APIC id is the CPU id); EAX, EBX, ECX, EDX
 * written (upper halves cleared); advance: insn_len.
 */
enum x86_exit_result x86_exit_cpuid(struct x86_guest *g);

/*
 * RDMSR (@write false: EDX:EAX = value) or WRMSR (value EDX:EAX) of MSR
 * ECX, decided by x86_msr_policy(): native MSRs through ops->msr_*, the
 * TSC through ops->tsc, APIC registers through ops->apic_*, ICR writes as
 * IPIs to the cell's own CPUs (ops->send_ipi) or SIPIs (core_cpu_on()).
 * Refusals fail the cell (msr_denied, cpu_foreign; the policy records
 * them): PARKED. x2APIC registers the APIC refuses: #GP injected, RIP kept.
 */
enum x86_exit_result x86_exit_msr(struct x86_guest *g, bool write);

/*
 * IN/OUT of @size bytes (1, 2, 4) at @port: core_pio(); IN's value into
 * AL/AX/EAX (EAX zero-extends into RAX). String (INS/OUTS) or REP forms
 * (@string) are refused: the cell fails with pio_string_rep, item =
 * port (a pio record). Advance: insn_len, which every CPU gives for I/O
 * exits (AMD-V: EXITINFO2 - RIP; VT-x: the VM-exit instruction length).
 */
enum x86_exit_result x86_exit_io(struct x86_guest *g, uint16_t port,
				 unsigned int size, bool in, bool string);

/*
 * Nested page fault / EPT violation at guest-physical @gpa (@write: a
 * store, @fetch: an instruction fetch) outside the cell's RAM:
 * - @fetch: the cell fails (x86_exec_mmio, item = gpa);
 * - the instruction is fetched at RIP through the guest's page tables
 *   (64-bit: 4-level with 2 MiB/1 GiB pages; 32-bit: paging off only),
 *   a walk fault fails the cell (x86_walk_fault, item = the linear
 *   address), decoded by decode.c (32-bit code: the forms whose encoding
 *   is the same in both modes; others refused with insn_x86_mode);
 * - the xAPIC page (X86_XAPIC_BASE): emulated by the x2APIC rules, with
 *   the APIC enabled in xAPIC mode, 32-bit accesses to 16-byte aligned
 *   registers only (else xapic_denied, item = gpa), ICR (0x300, high half 0x310) writes through the IPI
 *   policy (INIT/fixed to the cell's own CPUs, SIPI by core_cpu_on(),
 *   others xapic_denied or cpu_foreign), the rest through ops->apic_*;
 * - an IOAPIC page of the system config: emulated by ioapic.c (IOREGSEL
 *   shadowed per cell, redirection entries of the cell's own pins);
 * - anything else: one access at the decoded address to core_mmio(); a
 *   load completes into its register.
 * Decoder refusals are exception records (X86_EXIT_EPT_VIOLATION) with
 * the decoder's reason and item; a decoded access that does not contain
 * @gpa or goes the other way than @write is insn_x86_address. Advance:
 * the decoded length.
 */
enum x86_exit_result x86_exit_npf(struct x86_guest *g, uint64_t gpa, bool write,
				  bool fetch);

/*
 * Up to 15 bytes of the instruction at RIP, fetched through the guest's
 * page tables, into @code; how many. A walk that faults sets *@fault_la to
 * the linear address (else it stays ~0).
 */
unsigned int x86_fetch_insn(const struct x86_guest *g, uint8_t *code,
			    uint64_t *fault_la);

/*
 * Translate linear @la of the guest through its own page tables (CR0.PG
 * off: la = pa; long mode 4-level, 2 MiB/1 GiB pages). 0 with *@gpa set,
 * or -1 when the walk faults (not present, or a table not readable RAM).
 */
int x86_guest_translate(const struct x86_guest *g, uint64_t la, uint64_t *gpa);

/*
 * The register id trap records name for GPR @reg (0-15) used with @size
 * bytes (1, 2, 4, 8), or AH-BH (@high, @reg 0-3): Capstone's numbering
 * (docs/abi.md 6.5), so records are the same on every backend. In the
 * builds that make records only (record.c, WARDEN_TRAP_RECORDS).
 */
uint8_t x86_record_reg(unsigned int reg, unsigned int size, bool high);

#endif /* !WARDEN_X86_EXIT_H */
