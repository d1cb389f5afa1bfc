// SPDX-License-Identifier: GPL-2.0
/*
 * Execute mode: one Unicorn engine per CPU of a non-root cell (x86-64 or
 * ARMv7), and the scheduler that runs them. This file: engine life cycle,
 * the per-instruction hook, round-robin slices, idling, relax. The traps
 * are in exec_x86.c (x86 exits), exec_arm.c (ARM HVC, SMC, undefined),
 * exec_mmio.c (device pages, the ARM gate, the unmapped hook); the UART
 * models in exec_uart.c, what the CPU answers itself in exec_cpu.c, the
 * handover of a CPU's state between cells in handover.c (trap records:
 * the core's, through sim/record.c).
 *
 * An engine is created when the core has reset the CPU into a non-root
 * cell and let it run (sim_cpu()->resets/boot_cpu, noticed at the next
 * round of slices). The cell's RAM mappings (not WD_MEM_IO) are mapped
 * with uc_mem_map_ptr onto the sim's physical RAM, guest address = gpa.
 * x86 CPUs start at the inmate's 64-bit entry (0x800, EBP = 0 for the boot
 * CPU, 1 for one started by SIPI: docs/inmates.md); ARM CPUs at their
 * reset address or CPU_ON entry, in SVC mode.
 *
 * Traps, handed to the core on that CPU (sim_set_cpu):
 * - IN/OUT (UC_HOOK_INSN) -> core_pio; FORWARDED goes to the sim's 8250
 *   (THR write appends to the UART text, LSR reads 0x60, rest 0)
 *   (exec_x86.c, exec_uart.c).
 * - vmcall/vmmcall (invalid-instruction hook, exec_x86.c), ARM hvc
 *   #0x4a48 -> core_hypercall; ARM PSCI (hvc #0, smc): arch-armv7/psci.c
 *   decides, then core_machine_control, core_cpu_on or core_cpu_off
 *   (exec_arm.c).
 * - x86: any access outside the mapped RAM stops the engine at the
 *   instruction, which arch-x86/decode.c decodes; the core sees one access
 *   of its width (exec_x86.c). ARM: the unmapped hook maps that page
 *   with uc_mmio_map, whose callbacks call core_mmio and return the value
 *   (Unicorn completes the instruction; exec_mmio.c). A DENIED access
 *   stops the CPU.
 *   ARM GIC pages are the sim's (distributor filtered by the core). An
 *   ARM access to an emulated page first passes arm_gate, the backend's
 *   view: Thumb without syndrome refused, ARM without syndrome through
 *   the backend's decoder (arch-armv7/decode.c), an unaligned access
 *   carried out once, whole.
 * - RDMSR/WRMSR/RDTSC/RDTSCP (any encoding), CPUID's answer (arch-x86's
 *   policy, sim/exec_x86.c), ARM CP15 timer and MPIDR accesses: emulated
 *   (the x2APIC, the generic timer, virtual time; docs/sim.md).
 * - Other invalid instructions and engine errors -> core_trap_denied
 *   (cpu_exception, PC).
 * - hlt/wfi: the CPU idles until an interrupt wakes it.
 * A per-instruction hook counts instructions and ends the slice (or the
 * run, at the next timer expiry), so runs are deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "../core/trace.h"
#include "../hal/core.h"
#include "../hal/hal.h"
#include "exec.h"
#include "exec_int.h"
#include "intc.h"
#include "sim.h"

#define X86_ENTRY64 0x800
/* Never mapped, never reached (x86-64; ARM: above the 32-bit space). */
#define UNTIL_NEVER 0x7ffffffff000ULL

struct code_hook {
	exec_code_fn fn;
	void *arg;
};

static struct {
	bool on;
	struct code_hook hooks[WD_MAX_CPUS][EXEC_MAX_HOOKS];
	struct xcpu cpus[WD_MAX_CPUS];
	uint64_t insns;
	bool in_slice; /* a CPU is executing: no nested relax runs */
	char err[160];
} ex;

struct xcpu *xc_cpu(unsigned int cpu)
{
	return &ex.cpus[cpu];
}

uint64_t exec_instructions(void)
{
	return ex.insns;
}

uint64_t exec_cpu_executed(unsigned int cpu)
{
	return cpu < WD_MAX_CPUS ? ex.cpus[cpu].executed : 0;
}

const char *exec_error(void)
{
	return ex.err;
}

void xc_stop(struct xcpu *xc, enum stop_why why)
{
	xc->why = why;
	if (why != STOP_SLICE)
		xc->dead = true;
	uc_emu_stop(xc->uc);
}

bool xc_parked(struct xcpu *xc)
{
	return (core_cpu_flags(xc->id) & CORE_CPU_PARKED) ||
	       sim_cpu(xc->id)->parked;
}

/* ---- hooks ------------------------------------------------------------- */

static void hook_user(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct code_hook *h = arg;

	h->fn(uc, addr, size, h->arg);
}

/* Translated blocks carry their hooks: flush them so @h applies at once. */
__attribute__((no_sanitize("shift"))) static uc_err
add_user_hook(struct xcpu *xc, struct code_hook *h)
{
	uc_hook hh;
	uc_err e = uc_hook_add(xc->uc, &hh, UC_HOOK_CODE, hook_user, h, 1, 0);

	return e ? e : uc_ctl_flush_tlb(xc->uc);
}

uc_engine *exec_engine(unsigned int cpu)
{
	return cpu < WD_MAX_CPUS ? ex.cpus[cpu].uc : NULL;
}

bool exec_is_device(unsigned int cpu, uint64_t addr)
{
	const struct xcpu *xc = cpu < WD_MAX_CPUS ? &ex.cpus[cpu] : NULL;
	unsigned int i;

	for (i = 0; xc && i < xc->num_pages; i++)
		if (addr - xc->pages[i]->base < xc->pages[i]->size)
			return true;
	return false;
}

int exec_add_code_hook(unsigned int cpu, exec_code_fn fn, void *arg)
{
	unsigned int i;

	if (cpu >= WD_MAX_CPUS || !fn)
		return -1;
	for (i = 0; i < EXEC_MAX_HOOKS && ex.hooks[cpu][i].fn; i++)
		;
	if (i == EXEC_MAX_HOOKS)
		return -1;
	ex.hooks[cpu][i] = (struct code_hook){ fn, arg };
	if (ex.cpus[cpu].uc &&
	    add_user_hook(&ex.cpus[cpu], &ex.hooks[cpu][i])) {
		ex.hooks[cpu][i].fn = NULL;
		return -1;
	}
	return 0;
}

static void hook_code(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct xcpu *xc = arg;

	(void)uc;
	if (xc->cpuid_next)
		xc_cpuid_fixup(xc, addr);
	/* The instruction at a slice end runs in the next slice: count it
	 * there. */
	if (xc->icount >= xc->slice_end) {
		if (xc->why == RUNNING)
			xc_stop(xc, STOP_SLICE);
		return;
	}
	xc->icount++;
	xc->executed++;
	if (!xc->arm)
		xc_x86_insn(xc, addr, size);
	else if (size == 4) /* MRC/MRRC */
		xc_system_insn(xc, addr);
}

/* ---- refusals ------------------------------------------------------------ */

/*
 * The backend's own refusal of the trap @req (kind and request): the core
 * fails the cell with @why, @item and records it; the CPU stops.
 */
void xc_refuse(struct xcpu *xc, const struct wd_trap *req, enum wd_reason why,
	       uint64_t item)
{
	sim_set_cpu(xc->id);
	core_trap_denied(req, why, item);
	xc_stop(xc, STOP_DENIED);
}

/* An exception the cell cannot be given, as an exception record. */
void xc_exception(struct xcpu *xc, uint64_t vector, enum wd_reason why,
		  uint64_t item)
{
	sim_set_cpu(xc->id);
	core_trap_denied(&(struct wd_trap){ .kind = WD_TRAP_EXCEPTION,
					    .addr = vector },
			 why, item);
}

uint64_t xc_pc(struct xcpu *xc)
{
	uint64_t pc = 0;
	uint32_t pc32 = 0;

	if (!xc->arm) {
		uc_reg_read(xc->uc, UC_X86_REG_RIP, &pc);
		return pc;
	}
	uc_reg_read(xc->uc, UC_ARM_REG_PC, &pc32);
	return pc32;
}

uint32_t xc_arm_reg(struct xcpu *xc, int reg)
{
	uint32_t v = 0;

	uc_reg_read(xc->uc, reg, &v);
	return v;
}

/* Where to resume: ARM code in Thumb state restarts at PC | 1. */
static uint64_t resume_pc(struct xcpu *xc)
{
	uint64_t pc = xc_pc(xc);

	if (xc->arm && (xc_arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_T))
		pc |= 1;
	return pc;
}

void xc_fault(struct xcpu *xc, uint64_t item)
{
	xc_exception(xc, item, WD_R_cpu_exception, item);
	xc_stop(xc, STOP_FAULT);
}

#define ARM_WFI 0xe320f003

/* ---- engines ------------------------------------------------------------ */

static void engine_free(struct xcpu *xc)
{
	unsigned int i;

	/* The CPU itself stays: its next engine starts from its state. */
	xc_handover_keep(xc);
	if (xc->uc)
		uc_close(xc->uc);
	for (i = 0; i < xc->num_pages; i++)
		free(xc->pages[i]);
	free(xc->pages);
	free(xc->ram);
	xc->uc = NULL;
	xc->pages = NULL;
	xc->num_pages = 0;
	xc->ram = NULL;
	xc->num_ram = xc->last_ram = 0;
}

static int add_ram(struct xcpu *xc, uint64_t gpa, uint64_t size, void *host)
{
	struct ram_window *n = realloc(xc->ram, (xc->num_ram + 1) * sizeof(*n));

	if (!n)
		return -1;
	n[xc->num_ram++] = (struct ram_window){ gpa, size, host };
	xc->ram = n;
	return 0;
}

static uc_err map_ram(struct xcpu *xc, struct cell *cell)
{
	unsigned int i;
	uc_err e = UC_ERR_OK;

	for (i = 0; i < sim_num_mappings(cell) && !e; i++) {
		const struct sim_mapping *m = sim_mapping(cell, i);
		void *p = sim_phys_ptr(m->hpa, m->size);
		uint32_t prot = 0;

		if (m->flags & WD_MEM_READ)
			prot |= UC_PROT_READ;
		if (m->flags & WD_MEM_WRITE)
			prot |= UC_PROT_WRITE;
		if (m->flags & WD_MEM_EXECUTE)
			prot |= UC_PROT_EXEC;
		if (!(m->flags & WD_MEM_IO) && p) {
			e = uc_mem_map_ptr(xc->uc, m->gpa, m->size, prot, p);
			if (!e && add_ram(xc, m->gpa, m->size, p))
				e = UC_ERR_NOMEM;
		} else
			e = xc_map_mmio(xc, m->gpa, m->size, PG_DIRECT,
					m->hpa) ?
				    UC_ERR_MAP :
				    UC_ERR_OK;
	}
	return e;
}

static int engine_new(struct xcpu *xc, struct cell *cell)
{
	uc_hook h;
	uint64_t rip = X86_ENTRY64;
	uint32_t pc = (uint32_t)sim_cpu(xc->id)->reset_entry;
	unsigned int i;
	uc_err e;

	xc->arm = core_cell_config(cell)->architecture == WD_ARCH_ARM;
	xc->cell = cell;
	if ((e = xc->arm ? uc_open(UC_ARCH_ARM, UC_MODE_ARM, &xc->uc) :
			   uc_open(UC_ARCH_X86, UC_MODE_64, &xc->uc))) {
		xc->uc = NULL;
		goto err;
	}
	/* The CPU as its last cell left it, scrubbed for this one. */
	if (xc_handover_apply(xc)) {
		snprintf(ex.err, sizeof(ex.err),
			 "CPU %u: handover reset list not applied", xc->id);
		engine_free(xc);
		xc->cell = NULL;
		return -1;
	}
	if ((e = map_ram(xc, cell)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_CODE, hook_code, xc, 1, 0)) ||
	    (e = xc->arm ? xc_arm_hooks(xc) : xc_x86_hooks(xc)) ||
	    (e = uc_hook_add(xc->uc, &h,
			     UC_HOOK_MEM_READ_UNMAPPED |
				     UC_HOOK_MEM_WRITE_UNMAPPED |
				     UC_HOOK_MEM_FETCH_UNMAPPED,
			     xc_hook_unmapped, xc, 1, 0)))
		goto err;
	for (i = 0; i < EXEC_MAX_HOOKS; i++)
		if (ex.hooks[xc->id][i].fn &&
		    (e = add_user_hook(xc, &ex.hooks[xc->id][i])))
			goto err;
	if (xc->arm) {
		/* Reset state: SVC mode, A/I/F masked, at the reset entry;
		 * a CPU started by CPU_ON gets its context id in r0. */
		uc_reg_write(xc->uc, UC_ARM_REG_PC, &pc);
		uc_reg_write(xc->uc, UC_ARM_REG_R0, &xc->context);
		xc_gic_handover(xc);
	} else {
		/* EBP: 0 for the boot CPU (started at the cell's reset
		 * address), 1 for one started by INIT/SIPI. */
		uint64_t ap = sim_cpu(xc->id)->reset_entry !=
			      core_cell_config(cell)->cpu_reset_address;

		uc_reg_write(xc->uc, UC_X86_REG_RIP, &rip);
		uc_reg_write(xc->uc, UC_X86_REG_RBP, &ap);
	}
	xc->context = 0;
	xc->dead = xc->halted = false;
	xc->code_host = NULL; /* exec_x86.c's page cache */
	return 0;
err:
	snprintf(ex.err, sizeof(ex.err), "CPU %u: engine set-up: %s", xc->id,
		 uc_strerror(e));
	engine_free(xc);
	xc->cell = NULL;
	return -1;
}

/* Follow the core: engines for CPUs it reset into non-root cells. */
static int sync_cpus(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < sim_num_cpus(); cpu++) {
		struct xcpu *xc = &ex.cpus[cpu];
		struct sim_cpu *sc = sim_cpu(cpu);
		struct cell *cell = core_cpu_cell(cpu);

		xc->id = cpu;
		if (cell && core_cell_id(cell) != 0 &&
		    sc->resets == xc->resets && cell == xc->cell)
			continue;
		xc->resets = sc->resets;
		if (xc->uc)
			engine_free(xc);
		xc->cell = NULL;
		if (!cell || core_cell_id(cell) == 0 || !sc->boot_cpu ||
		    sc->parked)
			continue;
		if (core_cell_config(cell)->architecture != WD_ARCH_X86 &&
		    core_cell_config(cell)->architecture != WD_ARCH_ARM) {
			snprintf(ex.err, sizeof(ex.err),
				 "CPU %u: only x86-64 and ARMv7 cells execute",
				 cpu);
			return -1;
		}
		if (engine_new(xc, cell))
			return -1;
	}
	return 0;
}

/* Could @xc execute or be woken? (Halted CPUs wake on interrupts.) */
static bool alive(struct xcpu *xc)
{
	return xc->uc && !xc->dead && !xc_parked(xc) &&
	       !sim_cpu(xc->id)->suspended && !sim_machine_stopped();
}

static bool may_wake(struct xcpu *xc, uint64_t now)
{
	/* hlt with IF clear sleeps for good; wfi wakes even if masked. */
	if (!xc->arm && xc_irq_masked(xc))
		return false;
	return xc_irq_waiting(xc, now) || xc_next_event(xc, now) != INTC_NEVER;
}

static bool runnable(struct xcpu *xc)
{
	return alive(xc) && (!xc->halted || may_wake(xc, xc_now(xc)));
}

/* Did the run stop right after a hlt (x86) or wfi (ARM)? */
static bool after_halt(struct xcpu *xc, uint64_t pc)
{
	uint32_t insn = 0;
	uint8_t b = 0;

	if (xc->arm)
		return !uc_mem_read(xc->uc, pc - 4, &insn, 4) &&
		       insn == ARM_WFI;
	return !uc_mem_read(xc->uc, pc - 1, &b, 1) && b == 0xf4;
}

/* How often a CPU that masks a waiting interrupt looks again (insns). */
#define IRQ_POLL 64

/*
 * Run @xc for @n instructions of its time: execute, take interrupts
 * between runs, and let idle time pass up to the next timer event.
 */
static void run_slice(struct xcpu *xc, uint64_t n)
{
	uint64_t end = xc->icount + n, now, ev, pc;
	uc_err e;

	xc->slice_icount = xc->icount;
	xc->slice_ns = sim_time_ns();
	ex.in_slice = true;
	while (alive(xc) && xc->icount < end) {
		uint64_t before = xc->icount;
		bool waiting;

		now = xc_now(xc);
		waiting = xc_irq_waiting(xc, now);
		if (waiting && (xc->arm || !xc_irq_masked(xc)))
			xc->halted = false;
		if (waiting && !xc_irq_masked(xc)) {
			xc_deliver(xc, now);
			if (!alive(xc))
				break;
		}
		ev = xc_next_event(xc, now);
		if (xc->halted) {
			if (!may_wake(xc, now))
				break;
			/* Idle until the timer fires or the slice ends. */
			xc->icount = ev == INTC_NEVER ?
					     end :
					     xc_icount_at(xc, ev) + 1;
			if (xc->icount > end)
				xc->icount = end;
			continue;
		}
		xc->slice_end = end;
		if (ev != INTC_NEVER && xc_icount_at(xc, ev) + 1 < end)
			xc->slice_end = xc_icount_at(xc, ev) + 1;
		if (waiting && xc_irq_masked(xc) && xc->icount + IRQ_POLL < end)
			xc->slice_end = xc->icount + IRQ_POLL;
		xc->why = RUNNING;
		e = uc_emu_start(xc->uc, resume_pc(xc), UNTIL_NEVER, 0, 0);
		ex.insns += xc->icount - before;
		if (xc->why == STOP_SLICE)
			continue;
		if (xc->dead)
			break;
		if (e && !xc->arm && xc_x86_complete(xc))
			continue; /* an emulated MMIO access */
		pc = xc_pc(xc);
		if (e) {
			xc_exception(xc, pc, WD_R_cpu_exception, pc);
			xc->dead = true;
			break;
		}
		if (after_halt(xc, pc))
			xc->halted = true;
		/* else: a hypercall ended the run; go on after it */
	}
	ex.in_slice = false;
	sim_set_cpu(0);
}

static void (*progress)(uint64_t done_ms, uint64_t total_ms);

void exec_set_progress(void (*fn)(uint64_t done_ms, uint64_t total_ms))
{
	progress = fn;
}

int exec_run(uint64_t ms)
{
	uint64_t done, total = ms * EXEC_INSN_PER_MS;
	unsigned int cpu;
	bool any = true;

	if (!ex.on)
		return -1;
	for (done = 0; done < total && any; done += EXEC_SLICE) {
		if (progress && done && !(done % (100 * EXEC_INSN_PER_MS)))
			progress(done / EXEC_INSN_PER_MS, ms);
		/* CPUs the cells started meanwhile get their engines. */
		if (sync_cpus())
			return -1;
		any = false;
		for (cpu = 0; cpu < sim_num_cpus(); cpu++) {
			if (!runnable(&ex.cpus[cpu]))
				continue;
			any = true;
			run_slice(&ex.cpus[cpu], EXEC_SLICE);
		}
		sim_advance_time(EXEC_SLICE * SIM_NS_PER_TICK);
	}
	if (done < total)
		sim_advance_time((total - done) * SIM_NS_PER_TICK);
	return 0;
}

/*
 * The core waits (hal_cpu_relax) in a management hypercall, e.g. for a
 * cell's reply to a shutdown request: the cells' CPUs go on meanwhile, one
 * slice each per relax (1 ms of virtual time is EXEC_INSN_PER_MS, so this
 * runs them slower than real time, which only makes timeouts stricter).
 */
static void relax(void *arg)
{
	unsigned int cpu, self = hal_cpu_id();

	(void)arg;
	if (!ex.on || ex.in_slice || sync_cpus())
		return;
	for (cpu = 0; cpu < sim_num_cpus(); cpu++)
		if (cpu != self && runnable(&ex.cpus[cpu]))
			run_slice(&ex.cpus[cpu], EXEC_SLICE);
	sim_set_cpu(self);
}

int exec_init(void)
{
	unsigned int cpu;

	exec_free();
	ex.on = true;
	gic_init();
	for (cpu = 0; cpu < WD_MAX_CPUS; cpu++)
		lapic_reset(cpu, cpu == 0);
	sim_set_relax_hook(relax, NULL);
	sim_set_irq_hook(xc_inject, NULL);
	sim_set_pio_hook(xc_pio_device, NULL);
	return 0;
}

void exec_free(void)
{
	unsigned int cpu;

	if (ex.on) {
		sim_set_relax_hook(NULL, NULL);
		sim_set_irq_hook(NULL, NULL);
		sim_set_pio_hook(NULL, NULL);
	}
	for (cpu = 0; cpu < WD_MAX_CPUS; cpu++) {
		engine_free(&ex.cpus[cpu]);
		xc_handover_drop(&ex.cpus[cpu]);
	}
	xc_uart_free();
	memset(&ex, 0, sizeof(ex));
}
