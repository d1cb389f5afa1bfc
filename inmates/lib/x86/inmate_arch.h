/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86-64 part of the inmate library API: port I/O, MSRs, CPUID, TSC and the
 * image layout shared with start.S and inmate.lds.
 */
#ifndef INMATE_ARCH_H
#define INMATE_ARCH_H

#include "layout.h"

#define ARCH_NAME "x86_64"
#define ARCH_HAS_PIO 1

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t regs[4])
{
	asm volatile("cpuid"
		     : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]),
		       "=d"(regs[3])
		     : "a"(leaf), "c"(0));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static inline void irq_on(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void irq_off(void)
{
	asm volatile("cli" : : : "memory");
}

/* Wait for an interrupt with interrupts enabled (sti; hlt is atomic). */
static inline void irq_wait(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

static inline void memory_barrier(void)
{
	asm volatile("mfence" : : : "memory");
}

/* x2APIC MSRs */
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1 << 10)
#define APIC_BASE_EN (1 << 11)
#define MSR_X2APIC_ID 0x802
#define MSR_X2APIC_TPR 0x808
#define MSR_X2APIC_EOI 0x80b
#define MSR_X2APIC_SIVR 0x80f
#define MSR_X2APIC_ICR 0x830
#define MSR_X2APIC_LVT_TIMER 0x832
#define MSR_X2APIC_TMICT 0x838
#define MSR_X2APIC_TMCCT 0x839
#define MSR_X2APIC_TDCR 0x83e

#define APIC_LVT_MASKED (1 << 16)
#define APIC_LVT_PERIODIC (1 << 17)
#define APIC_ICR_NMI 0x00000400	 /* NMI */
#define APIC_ICR_INIT 0x00004500 /* INIT, level assert */
#define APIC_ICR_SIPI 0x00004600 /* start-up, level assert */

/* Vectors used by the library. */
#define TIMER_VECTOR 0x20
#define SPURIOUS_VECTOR 0xff

void apic_init(void);
void apic_eoi(void);
/* What CPUs started some other way than cpu_start() run: e.g. a root
 * cell's own INIT/SIPI through the xAPIC (the x86 root-cell manager). */
void cpu_set_entry(void (*entry)(unsigned int idx)); /* a cpu_entry_t */
bool hypercall_use_vmmcall(void);
/* The hypercall made from ring 3 (CPL 3) and its result (user.S). */
long x86_user_hypercall(unsigned long code, unsigned long arg1,
			unsigned long arg2);
extern uint8_t x86_user_vmmcall; /* set before: vmmcall instead of vmcall */

#endif /* !INMATE_ARCH_H */
