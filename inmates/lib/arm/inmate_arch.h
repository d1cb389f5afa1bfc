/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7 part of the inmate library API: CP15 and generic timer access,
 * barriers, interrupt masking, PSCI, the GICv2 and the image layout.
 */
#ifndef INMATE_ARCH_H
#define INMATE_ARCH_H

#include "layout.h"

#define ARCH_NAME "armv7"

#define arm_read_cp32(op1, crn, crm, op2)                             \
	({                                                            \
		uint32_t v_;                                          \
		asm volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm \
			     ", " #op2                                \
			     : "=r"(v_));                             \
		v_;                                                   \
	})
#define arm_write_cp32(op1, crn, crm, op2, v)                           \
	asm volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 \
		     :                                                  \
		     : "r"((uint32_t)(v))                               \
		     : "memory")
#define arm_read_cp64(op1, crm)                                    \
	({                                                         \
		uint64_t v_;                                       \
		asm volatile("mrrc p15, " #op1 ", %Q0, %R0, " #crm \
			     : "=r"(v_));                          \
		v_;                                                \
	})
#define arm_write_cp64(op1, crm, v)                        \
	asm volatile("mcrr p15, " #op1 ", %Q0, %R0, " #crm \
		     :                                     \
		     : "r"((uint64_t)(v))                  \
		     : "memory")

#define MPIDR_AFF_MASK 0x00ffffff

/* Not "yield": Unicorn 2.0.1 stops with an invalid-instruction error on
 * it, and nothing here needs the hint. */
static inline void cpu_relax(void)
{
	asm volatile("nop" : : : "memory");
}

static inline void irq_on(void)
{
	asm volatile("cpsie i" : : : "memory");
}

static inline void irq_off(void)
{
	asm volatile("cpsid i" : : : "memory");
}

/* Wait for an interrupt (taken if unmasked). */
static inline void irq_wait(void)
{
	asm volatile("dsb; wfi" : : : "memory");
}

static inline void memory_barrier(void)
{
	asm volatile("dsb sy" : : : "memory");
}

/* PSCI 0.2 function ids (32-bit calling convention). */
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0x84000003
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009

/* PSCI call through the conduit the parameters select (smc or hvc). */
long psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);

/* GICv2 */
#define GICD_ISENABLER 0x100
#define GICD_ITARGETSR 0x800
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GIC_SPURIOUS 1020

#define TIMER_IRQ 27 /* PPI: the virtual timer */

/*
 * hvc #0x4a48 executed in USR mode (user.S). It is UNDEFINED at PL0: the
 * cell's undefined instruction exception comes back with
 * arm_user_undef_pc = arm_user_hvc_insn; should the hvc return instead,
 * arm_user_undef_pc is arm_user_udf_insn and the result is the hvc's r0.
 */
long arm_user_hvc(unsigned long code, unsigned long arg1, unsigned long arg2);
extern uint32_t arm_user_undef_pc;
extern const char arm_user_hvc_insn[], arm_user_udf_insn[];

uintptr_t gicd_base(void);
uintptr_t gicc_base(void);
void gic_cpu_init(void);

#endif /* !INMATE_ARCH_H */
