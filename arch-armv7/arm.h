/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARMv7 backend internals: boot layout, system register access, per-CPU
 * and per-cell state, the trap frame. Only arch-armv7/ includes this.
 */
#ifndef WARDEN_ARM_H
#define WARDEN_ARM_H

#include "../hal/core.h"
#include "../hal/hal.h"
#include "boot.h"
#include "decode.h"

#define ARM_MAX_CPUS 8 /* GICv2 limit */
/* HYP stack per CPU: the worst case of its call graph (scripts/
 * stack_depth.py, checked by the build) and the guard at its bottom,
 * ARM_STACK_GUARD bytes painted and checked (docs/arm.md, "Figures"). */
#define ARM_STACK_SIZE 0x980
#define ARM_STACK_GUARD 64

/* ---- CP15 access ---- */
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

/* Registers by name (ARM ARM B4.1, B8.2). */
#define read_mpidr() arm_read_cp32(0, c0, c0, 5)
#define read_midr() arm_read_cp32(0, c0, c0, 0)
#define read_hsr() arm_read_cp32(4, c5, c2, 0)
#define read_hdfar() arm_read_cp32(4, c6, c0, 0)
#define read_hpfar() arm_read_cp32(4, c6, c0, 4)
#define write_hvbar(v) arm_write_cp32(4, c12, c0, 0, v)
#define write_hcr(v) arm_write_cp32(4, c1, c1, 0, v)
#define write_vtcr(v) arm_write_cp32(4, c2, c1, 2, v)
#define write_vttbr(v) arm_write_cp64(6, c2, v)
#define write_vpidr(v) arm_write_cp32(4, c0, c0, 0, v)
#define write_vmpidr(v) arm_write_cp32(4, c0, c0, 5, v)
#define write_cnthctl(v) arm_write_cp32(4, c14, c1, 0, v)
#define write_cntvoff(v) arm_write_cp64(4, c14, v)
#define read_cntfrq() arm_read_cp32(0, c14, c0, 0)
#define read_cntpct() arm_read_cp64(0, c14)
#define write_hstr(v) arm_write_cp32(4, c1, c1, 3, v)
#define write_hcptr(v) arm_write_cp32(4, c1, c1, 2, v)

#define MPIDR_AFF0(m) ((m)&0xff)

/* HCR bits */
#define HCR_VM (1u << 0)
#define HCR_SWIO (1u << 1)
#define HCR_PTW (1u << 2)
#define HCR_FMO (1u << 3)
#define HCR_IMO (1u << 4)
#define HCR_TSC (1u << 19)
#define HCR_TSW (1u << 22)

/*
 * VTCR: T0SZ 0 (4 GiB of IPA), SL0 1 (walks start at level 1), table walks
 * inner/outer write-back write-allocate and inner shareable, as HYP writes
 * the tables through its cache (hyp_mmu.c). Bit 31 is RES1.
 */
#define VTCR_VALUE 0x80003540u

/* HSR */
#define HSR_EC(hsr) ((hsr) >> 26)
#define HSR_IL (1u << 25)
#define HSR_ISS(hsr) ((hsr)&0x1ffffff)
#define EC_WFI_WFE 0x01
#define EC_CP15_32 0x03
#define EC_CP15_64 0x04
#define EC_CP14_32 0x05
#define EC_CP14_64 0x0c
#define EC_HVC 0x12
#define EC_SMC 0x13
#define EC_IABT_GUEST 0x20
#define EC_DABT_GUEST 0x24
/* Data abort ISS */
#define DABT_ISV (1u << 24)
#define DABT_SAS(iss) (((iss) >> 22) & 3)
#define DABT_SSE (1u << 21)
#define DABT_SRT(iss) (((iss) >> 16) & 0xf)
#define DABT_S1PTW (1u << 7)
#define DABT_WNR (1u << 6)

/* PSR */
#define PSR_MODE_MASK 0x1f
#define PSR_MODE_USR 0x10
#define PSR_MODE_SVC 0x13
#define PSR_MODE_SYS 0x1f
#define PSR_T (1u << 5)
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)
#define PSR_A (1u << 8)

/* PSCI function ids and return values: psci.h (the policy). */
#include "psci.h"

/* Guest registers saved by the trap entry (entry.S), lowest address first. */
struct trap_frame {
	uint32_t r[13];
	uint32_t lr; /* LR_usr: HYP mode shares it with USR/SYS */
};

/* Per-CPU backend state; HTPIDR points at it. */
enum arm_cpu_state {
	CPU_OFF,     /* never started by warden */
	CPU_WAITING, /* in HYP, waiting for a reset (parked or "PSCI off") */
	CPU_GUEST,   /* running guest code (or handling its trap) */
};

#define PARK_SELF 1   /* the CPU's own trap parked it: on the way out */
#define PARK_REMOTE 2 /* another CPU parks it: also while it waits in HYP */

struct arm_cpu {
	uint8_t stack[ARM_STACK_SIZE];
	unsigned int id;
	uint32_t mpidr;
	volatile uint32_t state;       /* enum arm_cpu_state */
	volatile uint32_t park_req;    /* hal_cpu_park() of a running CPU */
	volatile uint32_t reset_req;   /* hal_cpu_reset() with run = true */
	volatile uint32_t exit_req;    /* hal_cpu_exit() of a waiting CPU */
	volatile uint32_t suspend_req; /* hal_cpu_suspend() .. resume() */
	volatile uint32_t suspended;   /* holding in HYP for suspend_req */
	volatile uint32_t entry;
	volatile uint32_t context; /* r0 at a PSCI CPU_ON start */
	int online_done;
	uint32_t stub_hvbar; /* late launch: Linux's HYP stub vectors */
	uint32_t leave; /* late launch: DISABLE done: to the stub after the trap */
	volatile uint32_t gic_queued; /* vgic.c: interrupts wait for an LR */
} __attribute__((aligned(8)));

extern struct arm_cpu arm_cpus[ARM_MAX_CPUS];
/* Bit n: CPU n left at DISABLE, it runs the root cell without warden. */
extern uint32_t arm_native_cpus;

/* The HYP stack's guard intact, else stop (setup.c). */
void arm_stack_check(void);

/* Not volatile: HTPIDR is set (entry.S) before any C runs and never
 * changes, so the compiler may reuse one read. */
static inline struct arm_cpu *arm_this_cpu(void)
{
	uint32_t v;

	asm("mrc p15, 4, %0, c13, c0, 2" : "=r"(v));
	return (struct arm_cpu *)v;
}

/* entry.S */
extern const char hyp_vectors[];
extern const char secondary_start[];
void __attribute__((noreturn))
arm_enter_guest(uint32_t entry, uint32_t spsr, uint32_t r0, uint32_t r1,
		uint32_t r2, uint32_t stack_top);
long arm_smc(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3);

/* setup.c */
void __attribute__((noreturn)) arm_cpu_wait(void);
/* After a trap: a CPU from Linux whose DISABLE is done gets its stub back. */
void arm_linux_leave(void);
/*
 * Honour park and suspend requests: on the way into the hypervisor (a CPU
 * asked to park never handles its trap: it may be a lost CPU whose cell is
 * gone) and on the way back to the guest.
 */
void arm_park_requested(void);
static inline __attribute__((always_inline)) void arm_check_park(void)
{
	struct arm_cpu *c = arm_this_cpu();

	if (c->park_req | c->suspend_req)
		arm_park_requested();
}

/* handover.c: reset this CPU's guest state (handover.h); trap debug and
 * PMU registers (on) or give them back (off, DISABLE). */
void arm_handover_scrub(void);
void arm_handover_traps(bool on);

/* lib.c */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

/* paging.c */
uint64_t arm_vttbr(struct cell *cell);

/* gic.c */
int arm_gic_cell_init(struct cell *cell);
/* An access to the distributor (traps.c hands them here, not to the core):
 * filtered (gicd.c) and carried out; the result as core_mmio()'s. */
enum access_result arm_gic_access(unsigned int off, unsigned int size,
				  bool write, uint32_t *value);

/* vgic.c */
/*
 * What the trap paths need of the GIC's configuration, taken from the
 * system config when the root cell is set up (arm_gic_setup(), at each
 * enable, before any CPU enters): the packed config's 64-bit fields cost
 * a load per byte.
 */
struct arm_gic {
	volatile uint32_t *gicd, *gicc, *gich;
	uint64_t gicd_base; /* the distributor: the core's irqchip address */
	uint32_t hyp_pins;  /* gicd_hyp_pins() */
	unsigned int maintenance_irq;
};
extern struct arm_gic arm_gic;
void arm_gic_setup(void);
void arm_gic_cpu_init(void);
void arm_gic_reset_cpu(void);
void arm_gic_flush_queued(void);
/* Move this CPU's queued interrupts into list registers. Nothing queued,
 * the common case, costs a barrier (ordered after the IAR read that
 * brought an event SGI here) and a load; whatever is queued after it comes
 * with an event SGI. */
static inline void arm_gic_flush(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (arm_this_cpu()->gic_queued)
		arm_gic_flush_queued();
}
void arm_gic_send_event(unsigned int cpu);
void arm_gic_send_sgi(uint32_t targets, unsigned int id);
void arm_gic_commit(void);
void arm_handle_irq(struct trap_frame *f);
/* Late launch: Linux's CPU interface kept (before hal_cpu_init), carried
 * into the virtual one (after), and given back at DISABLE. */
void arm_gic_linux_save(void);
void arm_gic_linux_enter(void);
void arm_gic_linux_leave(void);

/*
 * hyp_mmu.c: HYP's identity map, built once (returns the MiB mapped as
 * normal memory), then switched on by every CPU, @boot the first (returns
 * whether it is on). Caches are invalidated before.
 */
unsigned int arm_hyp_mmu_build(const struct wd_system *sys, uintptr_t *pool);
bool arm_hyp_mmu_on(bool boot);
/* Late launch: data cache cleaned to memory, HYP's MMU and caches off
 * (before this CPU returns to Linux's stub, or fails to enter). */
void arm_hyp_mmu_off(void);

/* traps.c */
void arm_handle_trap(struct trap_frame *f);
void arm_hyp_exception(unsigned int kind, uint32_t elr);

#endif /* !WARDEN_ARM_H */
