/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 hardware backends, common part (boot, per-CPU state, console, time,
 * LAPIC, CPU control): what arch-x86/setup.c, entry.S and a vendor backend
 * (arch-amd/svm.c, arch-x86/vmx.c) share. Usable from assembly for the
 * constants.
 *
 * Per-CPU state: one X86_CPU_SIZE block per CPU, aligned to its size, in
 * .bss: the vendor's pages first (VMCB, host save area...), then the
 * common fields, the IST stacks and the CPU's stack at the top. Code
 * running on a CPU's stack finds its block by masking RSP (x86_this_cpu).
 */
#ifndef WARDEN_X86_X86_H
#define WARDEN_X86_X86_H

#define X86_MAX_CPUS 8
#define X86_CPU_SIZE 0x10000
#define X86_TRAMPOLINE 0x8000 /* AP start page (SIPI vector 8), boot only */
#define X86_EXC_STUB_SIZE 16  /* entry.S's exception stubs, one per vector */

#define GDT_CS64 0x08
#define GDT_DS 0x10
#define GDT_CS32 0x18
#define GDT_TSS 0x20

#define MSR_EFER 0xc0000080

#ifndef __ASSEMBLER__

#include "../hal/core.h"
#include "../hal/hal.h"

#define X86_VENDOR_PAGES 4
#define X86_IST_SIZE 4096

/* The saved guest GPRs that VMRUN does not switch (RAX, RSP in the VMCB). */
struct x86_gprs {
	uint64_t r[16]; /* by encoding number; r[0], r[4] unused */
};

enum x86_cpu_state {
	CPU_OFF,     /* never brought up, or handed back (DISABLE) */
	CPU_WAITING, /* in the hypervisor, parked or waiting for SIPI */
	CPU_GUEST,   /* running its cell (or trapped out of it) */
};

struct x86_tss {
	uint32_t res0;
	uint64_t rsp[3];
	uint64_t ist[8]; /* ist[0] reserved */
	uint64_t res1;
	uint16_t res2, iomap;
} __attribute__((packed));

struct x86_cpu {
	uint8_t vendor[X86_VENDOR_PAGES][4096]; /* page-aligned */
	struct x86_gprs gprs;
	uint64_t gdt[8];
	struct x86_tss tss;
	unsigned int id;
	int state;	    /* enum x86_cpu_state */
	int park_req;	    /* PARK_* */
	int suspend_req;    /* hal_cpu_suspend() asks */
	int suspended;	    /* ... and this CPU holds */
	int reset_req;	    /* hal_cpu_reset(run): enter entry */
	int exit_req;	    /* DISABLE of a parked CPU */
	int online;	    /* AP bring-up done */
	uint64_t entry;	    /* where reset_req starts the guest */
	uint64_t icr;	    /* the cell's last ICR value (x2APIC form) */
	uint64_t apic_base; /* IA32_APIC_BASE as the cell sees it */
	uint64_t release;   /* CPUs this one started: run when its trap ends */
	uint32_t lvt_cmci;  /* the CMCI LVT where the LAPIC has none */
	uint64_t tsc_aux;   /* TSC_AUX where the CPU has no RDTSCP */
	bool entry_root;    /* boot CPU: the root's 32-bit protected entry */
	bool native_exit;   /* DISABLE: continue the root natively */
	uint8_t ist[3][X86_IST_SIZE] __attribute__((aligned(16)));
};

#define PARK_SELF 1   /* this CPU, when its trap returns */
#define PARK_REMOTE 2 /* asked by another CPU */

/* GDTR or IDTR as LGDT/LIDT/SGDT/SIDT take them. */
struct x86_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

union x86_cpu_block {
	struct x86_cpu cpu;
	uint8_t raw[X86_CPU_SIZE];
} __attribute__((aligned(X86_CPU_SIZE)));

_Static_assert(sizeof(struct x86_cpu) + 16384 <= X86_CPU_SIZE,
	       "16 KiB of stack per CPU");

extern union x86_cpu_block x86_cpus[X86_MAX_CPUS];

static inline struct x86_cpu *x86_this_cpu(void)
{
	uint64_t sp;

	asm volatile("mov %%rsp, %0" : "=r"(sp));
	return (struct x86_cpu *)(sp & ~(uint64_t)(X86_CPU_SIZE - 1));
}

static inline struct x86_cpu *x86_cpu(unsigned int id)
{
	return &x86_cpus[id].cpu;
}

/* The core's wd_memcpy() and wd_memset() (warden.lds). */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

/* ---- instructions ---- */
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
		     "d"((uint32_t)(v >> 32))
		     : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cpu_pause(void)
{
	asm volatile("pause" ::: "memory");
}

/* ---- common services (setup.c) ---- */

/*
 * This CPU's LAPIC as the hypervisor reaches it: register @reg in x2APIC
 * numbering (read; write: 0, or -1 where the LAPIC refused the value),
 * an IPI (delivery mode bits 10:8, vector) to CPU @cpu. The xAPIC page
 * (setup.c; the boot banner reads its ID there), or the x2APIC MSRs
 * once the VT-x image switched the LAPIC to x2APIC mode (x2apic_hw.c).
 */
struct x86_lapic {
	uint32_t (*read)(unsigned int reg);
	int (*write)(unsigned int reg, uint32_t val);
	void (*send_ipi)(unsigned int cpu, uint32_t mode_vector);
};
extern const struct x86_lapic *x86_lapic;
#define APIC_DM_FIXED 0x000
#define APIC_DM_NMI 0x400
#define APIC_DM_INIT 0x500
#define APIC_DM_SIPI 0x600

/* The VT-x image's x2APIC (x2apic_hw.c): x86_lapic once vmx.c switched
 * this CPU's LAPIC to x2APIC mode where the CPU has it. */
extern const struct x86_lapic x86_x2apic;
/* WRMSR that returns -1 instead of faulting (#GP only: entry.S's
 * exc_common resumes it): the VT-x image's (vmx_run.S), for its x2APIC
 * writes of a cell's values. */
int x86_wrmsr_safe(uint32_t msr, uint64_t val);
/* The CPU's own part of the handover reset list (arch-x86/handover.h),
 * for the cell of this CPU: XCR0 (@xsave: the CPU has XSAVE), x87, SSE
 * and the LAPIC. */
void x86_handover(bool xsave);

/*
 * NMI @cpu until its *@state is no longer @busy (or *@done is set), the
 * NMI re-sent every 10 ms; 0, or -WD_EBUSY after 1 s.
 */
int x86_await_answer(unsigned int cpu, const int *state, int busy,
		     const int *done);

/* Where a parked CPU waits (setup.c); it leaves through the backend. */
void x86_cpu_wait(void) __attribute__((noreturn));

/* On the way out of a trap: release the CPUs the trap started
 * (hal_cpu_reset), then honour suspend and park requests. */
void x86_check_requests(void);

/* TSC and LAPIC timer (divide by 1) rates in kHz, calibrated at boot. */
extern uint64_t x86_tsc_khz, x86_apic_khz;

/* ---- the vendor backend (arch-amd/svm.c, arch-x86/vmx.c) ---- */

/* Enable the virtualization extension on this CPU: 0 or a message. */
const char *x86_vendor_cpu_init(struct x86_cpu *c);

/* Enter the guest of this CPU (its cell, c->entry / c->entry_root) and
 * handle its exits; never returns. */
void x86_vendor_run(struct x86_cpu *c) __attribute__((noreturn));

/* Leave virtualization on this CPU (DISABLE); the root continues natively
 * from the state of its last exit. */
void x86_vendor_exit(struct x86_cpu *c) __attribute__((noreturn));

/* DISABLE: print whether the image's code and read-only data are as at
 * enable (setup.c: their checksum). */
void x86_image_check(void);

/*
 * The backend's (svm_run.S, vmx_run.S), for the global interrupt flag:
 * AMD-V's hypervisor runs with GIF clear (NMIs held until the next VMRUN,
 * or until it opens a window); VT-x has none (an NMI in VMX root operation
 * goes through the hypervisor's IDT, and a request its handler missed is
 * seen at the next NMI, re-sent every 10 ms). x86_wait_nmi(): wait until
 * an NMI (interrupts masked); x86_irq_window(): let the interrupts the
 * LAPIC holds in (for two instructions).
 */
void x86_wait_nmi(void);
void x86_irq_window(void);

/* traplog.c (trap-log image only): @s and '\n' on I/O port 0xe9. */
void x86_log_e9_line(const char *s);

#endif /* !__ASSEMBLER__ */
#endif /* !WARDEN_X86_X86_H */
