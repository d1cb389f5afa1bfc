/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the executor: the per-CPU state shared by sim/exec.c (engines,
 * scheduling), the trap files (exec_x86.c, exec_arm.c, exec_mmio.c),
 * exec_uart.c, handover.c and sim/exec_cpu.c (what the CPU
 * itself answers: system instructions, timers, interrupt delivery, the
 * GIC as a cell sees it). Not for use outside sim/exec*.c and handover.c.
 */
#ifndef WARDEN_SIM_EXEC_INT_H
#define WARDEN_SIM_EXEC_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "../arch-x86/exit.h"
#include "../core/trace.h"
#include "../hal/core.h"

#define PAGE 0x1000ULL
#define ARM_CPSR_T 0x20U

enum stop_why {
	RUNNING,
	STOP_SLICE,
	STOP_DENIED,
	STOP_FAULT
};

enum page_kind {
	PG_CORE,   /* every access is a trap to the core */
	PG_DIRECT, /* device page mapped to the cell: straight to the device */
	PG_PL011,  /* ... that is the sim's PL011 */
	PG_GICD,   /* the GIC distributor, filtered by interrupt ownership */
	PG_GICC,   /* the GIC CPU interface (the backend's virtual one) */
};

struct mmio_page {
	struct xcpu *xc;
	uint64_t base, size;
	enum page_kind kind;
	uint64_t hpa;
};

/* A RAM mapping of the engine, for reading instructions on the host. */
struct ram_window {
	uint64_t gpa, size;
	const uint8_t *host;
};

/* ARM: an unaligned access Unicorn splits, carried out whole (exec.c). */
struct arm_split {
	uint64_t icount; /* the instruction: its icount and PC */
	uint32_t pc;
	uint64_t addr, value;
	unsigned int size; /* 0: none */
};

struct xcpu {
	unsigned int id;
	uc_engine *uc;
	struct cell *cell;
	unsigned int resets;
	bool arm;    /* ARMv7 (UC_MODE_ARM), else x86-64 */
	bool dead;   /* denied, faulted or parked: never resumed */
	bool halted; /* hlt/wfi: idles until an interrupt wakes it */
	enum stop_why why;
	/* icount: the CPU's time in instructions, idle time included */
	uint64_t icount, slice_end;
	uint64_t executed;		 /* instructions it ran, no idle time */
	uint64_t slice_icount, slice_ns; /* time base of the running slice */
	uint32_t context;    /* ARM: r0 of the next start by PSCI CPU_ON */
	uint64_t cpuid_next; /* x86: after this CPUID, the cell's answer */
	uint32_t cpuid_leaf, cpuid_subleaf;
	/* x86: an MMIO access emulated while the engine stopped at it: the
	 * completion (exec_x86.c) */
	bool x86_done;
	uint16_t x86_changed; /* GPRs to write back (bit n: GPR n) */
	uint64_t x86_gpr[16], x86_rip;
	bool x86_io_string; /* the instruction running is INS/OUTS */
	/* x86: the RAM page of the last instruction looked at */
	uint64_t code_page;
	const uint8_t *code_host;
	struct mmio_page **pages;
	unsigned int num_pages;
	struct ram_window *ram;
	unsigned int num_ram, last_ram;
	uc_context *carry; /* the CPU's state when its engine went */
	struct arm_split split;
};

/* exec.c: engines and scheduling */
struct xcpu *xc_cpu(unsigned int cpu);
void xc_stop(struct xcpu *xc, enum stop_why why);
/*
 * The backend's own refusal of the trap @req (kind and request): the cell
 * fails with @why, @item (core_trap_denied, which records it); the CPU
 * stops.
 */
void xc_refuse(struct xcpu *xc, const struct wd_trap *req, enum wd_reason why,
	       uint64_t item);
/* An exception at @vector the cell cannot be given: the cell fails with
 * @why, @item (an exception record). The caller stops the CPU. */
void xc_exception(struct xcpu *xc, uint64_t vector, enum wd_reason why,
		  uint64_t item);
/* An exception the cell cannot be given: it fails (cpu_exception). */
void xc_fault(struct xcpu *xc, uint64_t item);
/* The core or the sim parked the CPU. */
bool xc_parked(struct xcpu *xc);
uint64_t xc_pc(struct xcpu *xc);
uint32_t xc_arm_reg(struct xcpu *xc, int reg);

/* exec_uart.c */
/* A port access the core forwarded to the sim's 8250s; the value read. */
uint32_t xc_uart_8250(struct xcpu *xc, uint16_t port, bool write,
		      uint32_t value);
/* Is the device at @base one of the sim's PL011s? An access to one. */
bool xc_pl011_at(struct xcpu *xc, uint64_t base);
uint64_t xc_pl011(struct xcpu *xc, uint64_t off, bool write, uint64_t v);
/* Drop the console text (exec_free). */
void xc_uart_free(void);

/* exec_mmio.c */
/* Map [@base, +@size) as a device page of @kind (@hpa_base: PG_DIRECT's
 * device). 0 or -1. */
int xc_map_mmio(struct xcpu *xc, uint64_t base, uint64_t size,
		enum page_kind kind, uint64_t hpa_base);
/* The engine's unmapped-access hook (UC_HOOK_MEM_*_UNMAPPED). */
bool xc_hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
		      int64_t value, void *arg);

/* exec_arm.c: SCR.HCE and the ARM trap hooks on a new engine */
uc_err xc_arm_hooks(struct xcpu *xc);

/* exec_cpu.c */
/* The CPU's virtual time (ns), and its icount at time @ns. */
uint64_t xc_now(const struct xcpu *xc);
uint64_t xc_icount_at(const struct xcpu *xc, uint64_t ns);
/* Before each ARM instruction: emulate it if it is one the CPU answers
 * from virtual state (CP15 timer, MPIDR); x86: xc_x86_insn(). */
void xc_system_insn(struct xcpu *xc, uint64_t addr);
/* Host pointer to @len bytes of the CPU's RAM at @gpa, or NULL. */
const uint8_t *xc_ram_ptr(struct xcpu *xc, uint64_t gpa, uint64_t len);

/* exec_x86.c: x86 CPUs, with the policy of arch-x86/ */
/* The port I/O and vmcall/vmmcall hooks on a new engine. */
uc_err xc_x86_hooks(struct xcpu *xc);
/* A port access the core allowed (hal_pio_access): the 8250s. */
void xc_pio_device(void *arg, struct pio_access *acc);
/* Before each x86 instruction (@size bytes at @addr): RDMSR/WRMSR/RDTSC/
 * RDTSCP in any encoding emulated, CPUID noted for xc_cpuid_fixup(). */
void xc_x86_insn(struct xcpu *xc, uint64_t addr, uint32_t size);
/* RDTSC/RDTSCP on the exit layer's guest (the simulator's own: the
 * hardware backends do not intercept them). */
enum x86_exit_result sim_x86_rdtsc(struct x86_guest *g, bool rdtscp);
/* Before the instruction at @addr: CPUID's answer made the cell's. */
void xc_cpuid_fixup(struct xcpu *xc, uint64_t addr);
/* An access outside the cell's RAM at @fault (the unmapped hook): decode
 * and emulate it, or refuse it (the cell fails). Always false: the engine
 * stops at the instruction; then xc_x86_complete(). */
bool xc_x86_mmio(struct xcpu *xc, uint64_t fault, bool write);
/* After the engine stopped: finish an emulated MMIO access (register,
 * RIP). False if there was none. */
bool xc_x86_complete(struct xcpu *xc);
/* Next timer expiry (ns) or INTC_NEVER; an interrupt waits (masked or
 * not); the CPU masks interrupts; take a waiting unmasked one now. */
uint64_t xc_next_event(const struct xcpu *xc, uint64_t now);
bool xc_irq_waiting(const struct xcpu *xc, uint64_t now);
bool xc_irq_masked(struct xcpu *xc);
void xc_deliver(struct xcpu *xc, uint64_t now);
/* ARM: the undefined instruction (@len bytes) at the PC takes the cell's
 * own undefined instruction exception (VBAR + 4, UND mode). */
void xc_arm_undefined(struct xcpu *xc, unsigned int len);
/* The sim's hal_inject_irq() hook. */
void xc_inject(void *arg, unsigned int cpu, unsigned int irq);
/* Is @addr on a GIC page (ARM)? And a distributor access of the cell. */
enum page_kind xc_gic_page(struct xcpu *xc, uint64_t addr);
/* @xc's CPU changes hands: the ARM backend's GIC handover list. */
void xc_gic_handover(struct xcpu *xc);
uint64_t xc_gicd(struct xcpu *xc, uint64_t off, unsigned int size, bool write,
		 uint32_t val);

/* The generic timer register an MRC/MCR (32-bit) or MRRC/MCRR names, as
 * an enum gt_reg, or -1. */
int xc_gt_reg32(unsigned int opc1, unsigned int crm, unsigned int opc2);
int xc_gt_reg64(unsigned int opc1);

/* handover.c: keep a CPU's state when its engine goes (and drop it for
 * good); start its next engine from it, scrubbed by the backend's reset
 * list (arch-armv7/handover.h, arch-x86/handover.h). 0, or -1 on an
 * engine error. */
void xc_handover_keep(struct xcpu *xc);
void xc_handover_drop(struct xcpu *xc);
int xc_handover_apply(struct xcpu *xc);
/* Is list entry @name left out (exec_handover_skip, tests only)? */
bool xc_handover_skipped(const char *name);
/* handover_x86.c: arch-x86/handover.h's list on the engine and the
 * x2APIC model, then the simulator's start-up shortcut (64-bit mode). */
int xc_x86_handover(struct xcpu *xc);

#endif /* !WARDEN_SIM_EXEC_INT_H */
