// SPDX-License-Identifier: GPL-2.0
/*
 * Execute mode: one Unicorn engine per CPU of a non-root cell (x86-64 or
 * ARMv7).
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
 *   (THR write appends to the UART text, LSR reads 0x60, rest 0).
 * - vmcall/vmmcall (invalid-instruction hook), ARM hvc #0x4a48 ->
 *   core_hypercall; ARM PSCI (hvc #0, smc) -> core_machine_control or
 *   core_cpu_on.
 * - Any access outside the mapped RAM: the unmapped hook maps that page
 *   with uc_mmio_map, whose callbacks call core_mmio and return the value
 *   (Unicorn completes the instruction). A DENIED access stops the CPU.
 *   ARM GIC pages are the sim's (distributor filtered by the core).
 * - RDMSR/WRMSR/RDTSC, CPUID's APIC id, ARM CP15 timer and MPIDR accesses:
 *   emulated (the x2APIC, the generic timer, virtual time; docs/sim.md).
 * - Other invalid instructions and engine errors -> core_cell_fault
 *   (cpu_exception, PC).
 * - hlt/wfi: the CPU idles until an interrupt wakes it.
 * A per-instruction hook counts instructions and ends the slice (or the
 * run, at the next timer expiry), so runs are deterministic.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "../core/trace.h"
#include "../hal/core.h"
#include "../hal/hal.h"
#include "decode.h"
#include "exec.h"
#include "intc.h"
#include "record.h"
#include "sim.h"

#define X86_ENTRY64 0x800
/* Never mapped, never reached (x86-64; ARM: above the 32-bit space). */
#define UNTIL_NEVER 0x7ffffffff000ULL
#define PAGE 0x1000ULL

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
	uint64_t slice_icount, slice_ns; /* time base of the running slice */
	uint32_t context;    /* ARM: r0 of the next start by PSCI CPU_ON */
	uint64_t cpuid_next; /* x86: after this CPUID, patch the APIC id */
	uint32_t cpuid_leaf;
	struct mmio_page **pages;
	unsigned int num_pages;
	struct ram_window *ram;
	unsigned int num_ram, last_ram;
};

struct code_hook {
	exec_code_fn fn;
	void *arg;
};

static struct {
	bool on;
	struct code_hook hooks[WD_MAX_CPUS][EXEC_MAX_HOOKS];
	struct xcpu cpus[WD_MAX_CPUS];
	char *uart;
	size_t uart_len, uart_cap;
	bool midline[WD_MAX_CELLS];
	uint8_t lcr[4]; /* per COM port, for DLAB */
	uint64_t insns;
	bool in_slice; /* a CPU is executing: no nested relax runs */
	char err[160];
} ex;

static void uart_putc(char c)
{
	if (ex.uart_len + 2 > ex.uart_cap) {
		ex.uart_cap = ex.uart_cap ? ex.uart_cap * 2 : 4096;
		ex.uart = realloc(ex.uart, ex.uart_cap);
		if (!ex.uart)
			abort();
	}
	ex.uart[ex.uart_len++] = c;
	ex.uart[ex.uart_len] = '\0';
}

static void uart_out(struct cell *cell, char c)
{
	const char *p;
	unsigned int id = cell->id % WD_MAX_CELLS;

	if (c == '\r')
		return;
	if (!ex.midline[id]) {
		uart_putc('[');
		for (p = cell->config->name; *p; p++)
			uart_putc(*p);
		uart_putc(']');
		uart_putc(' ');
	}
	uart_putc(c);
	ex.midline[id] = c != '\n';
}

const char *exec_uart(void)
{
	return ex.uart ? ex.uart : "";
}

uint64_t exec_instructions(void)
{
	return ex.insns;
}

const char *exec_error(void)
{
	return ex.err;
}

static void stop(struct xcpu *xc, enum stop_why why)
{
	xc->why = why;
	if (why != STOP_SLICE)
		xc->dead = true;
	uc_emu_stop(xc->uc);
}

static bool pl011_at(struct xcpu *xc, uint64_t base);
static uint64_t pl011(struct xcpu *xc, uint64_t off, bool write, uint64_t v);

static bool parked(struct xcpu *xc)
{
	struct per_cpu *pc = core_per_cpu(xc->id);

	return (pc && pc->parked) || sim_cpu(xc->id)->parked;
}

/* ---- trap records (--trace) --------------------------------------------- */

/* Record @t, which the core answered with @res (hypercalls: t->result). */
static void record(struct xcpu *xc, struct wd_trap *t, enum access_result res)
{
	struct cell *cell = xc->cell;

	if (!record_on() || !cell)
		return;
	t->cpu = xc->id;
	t->cell_id = cell->id;
	if (t->kind != WD_TRAP_MMIO)
		t->reg = WD_TRAP_NO_REG;
	if (t->kind == WD_TRAP_HVC) {
		t->outcome = WD_OUT_RET;
		if ((long)t->result < 0) {
			t->reason = cell->last_reason.code;
			t->item = cell->last_reason.item;
		}
	} else {
		t->outcome = res == ACCESS_EMULATED  ? WD_OUT_OK :
			     res == ACCESS_FORWARDED ? WD_OUT_FWD :
						       WD_OUT_DENY;
		if (t->outcome == WD_OUT_DENY) {
			t->reason = cell->fail_reason;
			t->item = cell->fail_item;
		}
		if (t->outcome == WD_OUT_DENY || t->write ||
		    !wd_trap_kind_has_value(t->kind))
			t->result = 0;
	}
	if (sim_machine_stopped())
		t->outcome = WD_OUT_STOP;
	record_trap(t, cell->config->name);
}

static void record_fault(struct xcpu *xc, uint64_t item)
{
	struct wd_trap t = { .kind = WD_TRAP_EXCEPTION, .addr = item };

	record(xc, &t, ACCESS_DENIED);
}

static uint64_t pc_read(struct xcpu *xc);

/* An MMIO trap, with the facts of the instruction at the PC. */
static void record_mmio(struct xcpu *xc, const struct mmio_access *acc,
			enum access_result res)
{
	struct wd_trap t = { .kind = WD_TRAP_MMIO,
			     .write = acc->is_write,
			     .size = (uint8_t)acc->size,
			     .reg = WD_TRAP_NO_REG,
			     .addr = acc->address };
	uint64_t pc = pc_read(xc);
	struct decoded d;
	uint8_t code[16];

	if (!record_on())
		return;
	if (acc->is_write)
		t.value = acc->value;
	else
		t.result = acc->value;
	if ((!uc_mem_read(xc->uc, pc, code, sizeof(code)) ||
	     !uc_mem_read(xc->uc, pc, code, 4)) &&
	    !decode_access(xc->arm, code, xc->arm ? 4 : sizeof(code), pc, &d) &&
	    d.write == acc->is_write && d.reg != WD_TRAP_NO_REG) {
		t.reg = d.reg;
		t.sext = d.sext;
		t.wback = d.wback;
		t.insn_len = d.len;
	}
	record(xc, &t, res);
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

static void system_insn(struct xcpu *xc, uint64_t addr);
static void cpuid_fixup(struct xcpu *xc, uint64_t addr);

static void hook_code(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct xcpu *xc = arg;

	(void)uc;
	if (xc->cpuid_next)
		cpuid_fixup(xc, addr);
	/* The instruction at a slice end runs in the next slice: count it
	 * there. */
	if (xc->icount >= xc->slice_end) {
		if (xc->why == RUNNING)
			stop(xc, STOP_SLICE);
		return;
	}
	xc->icount++;
	/* RDMSR/WRMSR/RDTSC are 2 bytes, MRC/MRRC 4: only those can be. */
	if (size == (xc->arm ? 4U : 2U))
		system_insn(xc, addr);
}

/* The sim's 8250 at 0x3f8/0x2f8/0x3e8/0x2e8. */
static int com_index(uint16_t port)
{
	switch (port & ~7) {
	case 0x3f8:
		return 0;
	case 0x2f8:
		return 1;
	case 0x3e8:
		return 2;
	case 0x2e8:
		return 3;
	}
	return -1;
}

static uint32_t uart_access(struct xcpu *xc, uint16_t port, bool write,
			    uint32_t value)
{
	int com = com_index(port);
	unsigned int reg = port & 7;

	if (com < 0)
		return write ? 0 : 0xffffffff;
	if (write) {
		if (reg == 3)
			ex.lcr[com] = (uint8_t)value;
		else if (reg == 0 && !(ex.lcr[com] & 0x80))
			uart_out(xc->cell, (char)value);
		return 0;
	}
	if (reg == 5)
		return 0x60;
	if (reg == 3)
		return ex.lcr[com];
	return 0;
}

static uint32_t pio(struct xcpu *xc, uint32_t port, int size, bool write,
		    uint32_t value)
{
	struct pio_access acc = { (uint16_t)port, (unsigned int)size, write,
				  value };
	enum access_result res;
	struct wd_trap t = { .kind = WD_TRAP_PIO,
			     .write = write,
			     .size = (uint8_t)size,
			     .reg = WD_TRAP_NO_REG,
			     .addr = port,
			     .value = write ? value : 0 };

	if (xc->why != RUNNING && xc->why != STOP_SLICE)
		return 0;
	sim_set_cpu(xc->id);
	res = core_pio(&acc);
	t.result = res == ACCESS_FORWARDED ?
			   uart_access(xc, (uint16_t)port, write, value) :
			   acc.value;
	record(xc, &t, res);
	if (res == ACCESS_DENIED) {
		stop(xc, STOP_DENIED);
		return 0;
	}
	return write ? 0 : (uint32_t)t.result;
}

static uint32_t hook_in(uc_engine *uc, uint32_t port, int size, void *arg)
{
	(void)uc;
	return pio(arg, port, size, false, 0);
}

static void hook_out(uc_engine *uc, uint32_t port, int size, uint32_t value,
		     void *arg)
{
	(void)uc;
	pio(arg, port, size, true, value);
}

static bool hook_invalid(uc_engine *uc, void *arg)
{
	struct xcpu *xc = arg;
	uint64_t rip, rax, rdi, rsi;
	uint8_t insn[3];
	long ret;

	uc_reg_read(uc, UC_X86_REG_RIP, &rip);
	if (uc_mem_read(uc, rip, insn, sizeof(insn)) || insn[0] != 0x0f ||
	    insn[1] != 0x01 || (insn[2] != 0xc1 && insn[2] != 0xd9)) {
		sim_set_cpu(xc->id);
		core_cell_fault(WD_R_cpu_exception, rip);
		record_fault(xc, rip);
		stop(xc, STOP_FAULT);
		return false;
	}
	uc_reg_read(uc, UC_X86_REG_RAX, &rax);
	uc_reg_read(uc, UC_X86_REG_RDI, &rdi);
	uc_reg_read(uc, UC_X86_REG_RSI, &rsi);
	sim_set_cpu(xc->id);
	ret = core_hypercall(rax, rdi, rsi);
	record(xc,
	       &(struct wd_trap){ .kind = WD_TRAP_HVC,
				  .reg = WD_TRAP_NO_REG,
				  .addr = rax,
				  .value = rdi,
				  .arg2 = rsi,
				  .result = (uint64_t)ret },
	       ACCESS_EMULATED);
	rax = (uint64_t)ret;
	rip += 3;
	uc_reg_write(uc, UC_X86_REG_RAX, &rax);
	uc_reg_write(uc, UC_X86_REG_RIP, &rip);
	if (parked(xc))
		stop(xc, STOP_DENIED);
	return true;
}

static uint64_t cpu_now(const struct xcpu *xc);
static enum page_kind gic_page(struct xcpu *xc, uint64_t addr);
static uint64_t gicd(struct xcpu *xc, uint64_t off, unsigned int size,
		     bool write, uint32_t val);

static uint64_t mmio_read(uc_engine *uc, uint64_t off, unsigned size, void *arg)
{
	struct mmio_page *pg = arg;
	struct mmio_access acc = { pg->base + off, size, false, 0 };
	enum access_result res;

	(void)uc;
	if (pg->xc->dead)
		return 0;
	switch (pg->kind) {
	case PG_PL011:
		return pl011(pg->xc, off, false, 0);
	case PG_GICD:
		return gicd(pg->xc, off, size, false, 0);
	case PG_GICC:
		return gic_cpu_access(pg->xc->id, off, false, 0,
				      cpu_now(pg->xc));
	case PG_DIRECT:
		hal_phys_access(hpa(pg->hpa + off), &acc);
		return acc.value;
	case PG_CORE:
		break;
	}
	sim_set_cpu(pg->xc->id);
	res = core_mmio(&acc);
	record_mmio(pg->xc, &acc, res);
	if (res == ACCESS_DENIED) {
		stop(pg->xc, STOP_DENIED);
		return 0;
	}
	return acc.value;
}

static void mmio_write(uc_engine *uc, uint64_t off, unsigned size,
		       uint64_t value, void *arg)
{
	struct mmio_page *pg = arg;
	struct mmio_access acc = { pg->base + off, size, true, value };
	enum access_result res;

	(void)uc;
	if (pg->xc->dead)
		return;
	switch (pg->kind) {
	case PG_PL011:
		pl011(pg->xc, off, true, value);
		return;
	case PG_GICD:
		gicd(pg->xc, off, size, true, (uint32_t)value);
		return;
	case PG_GICC:
		gic_cpu_access(pg->xc->id, off, true, (uint32_t)value,
			       cpu_now(pg->xc));
		return;
	case PG_DIRECT:
		hal_phys_access(hpa(pg->hpa + off), &acc);
		return;
	case PG_CORE:
		break;
	}
	sim_set_cpu(pg->xc->id);
	res = core_mmio(&acc);
	record_mmio(pg->xc, &acc, res);
	if (res == ACCESS_DENIED)
		stop(pg->xc, STOP_DENIED);
}

static int map_mmio(struct xcpu *xc, uint64_t base, uint64_t size,
		    enum page_kind kind, uint64_t hpa_base)
{
	struct mmio_page *pg = calloc(1, sizeof(*pg)), **n;

	n = realloc(xc->pages, (xc->num_pages + 1) * sizeof(*n));
	if (!pg || !n) {
		free(pg);
		if (n)
			xc->pages = n;
		return -1;
	}
	xc->pages = n;
	if (kind == PG_DIRECT && xc->arm && pl011_at(xc, hpa_base))
		kind = PG_PL011;
	*pg = (struct mmio_page){ .xc = xc,
				  .base = base,
				  .size = size,
				  .kind = kind,
				  .hpa = hpa_base };
	xc->pages[xc->num_pages++] = pg;
	return uc_mmio_map(xc->uc, base, size, mmio_read, pg, mmio_write, pg) ?
		       -1 :
		       0;
}

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr,
			  int size, int64_t value, void *arg)
{
	struct xcpu *xc = arg;

	(void)uc;
	(void)size;
	(void)value;
	if (type == UC_MEM_FETCH_UNMAPPED ||
	    map_mmio(xc, addr & ~(PAGE - 1), PAGE, gic_page(xc, addr), 0)) {
		sim_set_cpu(xc->id);
		core_cell_fault(WD_R_cpu_exception, addr);
		record_fault(xc, addr);
		stop(xc, STOP_FAULT);
		return false;
	}
	return true; /* Unicorn retries the access on the new page */
}

/* ---- ARMv7 -------------------------------------------------------------- */

#define ARM_HVC_WARDEN 0xe144a478 /* hvc #0x4a48 */
#define ARM_HVC_PSCI 0xe1400070	  /* hvc #0 */
#define ARM_WFI 0xe320f003
#define PSCI_CPU_ON_32 0x84000003
#define PSCI_CPU_ON_64 0xc4000003
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)

static uint64_t pc_read(struct xcpu *xc)
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

static uint32_t arm_reg(struct xcpu *xc, int reg)
{
	uint32_t v = 0;

	uc_reg_read(xc->uc, reg, &v);
	return v;
}

#define ARM_CPSR_T 0x20U

/* Where to resume: ARM code in Thumb state restarts at PC | 1. */
static uint64_t resume_pc(struct xcpu *xc)
{
	uint64_t pc = pc_read(xc);

	if (xc->arm && (arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_T))
		pc |= 1;
	return pc;
}

static void arm_set_r0(struct xcpu *xc, uint32_t v)
{
	uc_reg_write(xc->uc, UC_ARM_REG_R0, &v);
}

static void fault(struct xcpu *xc, uint64_t item)
{
	sim_set_cpu(xc->id);
	core_cell_fault(WD_R_cpu_exception, item);
	record_fault(xc, item);
	stop(xc, STOP_FAULT);
}

/* PSCI from the cell (smc #0 or hvc #0): function in r0, result in r0. */
static void arm_psci(struct xcpu *xc)
{
	uint32_t fn = arm_reg(xc, UC_ARM_REG_R0);
	enum access_result res;
	int32_t ret = PSCI_NOT_SUPPORTED;
	unsigned int target;
	struct sim_cpu *sc;

	sim_set_cpu(xc->id);
	switch (fn) {
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		res = core_machine_control(fn == PSCI_SYSTEM_OFF,
					   WD_METHOD_PSCI);
		record(xc,
		       &(struct wd_trap){ .kind = fn == PSCI_SYSTEM_OFF ?
							  WD_TRAP_POWEROFF :
							  WD_TRAP_RESET,
					  .reg = WD_TRAP_NO_REG,
					  .addr = WD_METHOD_PSCI },
		       res);
		if (res == ACCESS_DENIED) {
			stop(xc, STOP_DENIED);
			return;
		}
		ret = 0;
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		target = arm_reg(xc, UC_ARM_REG_R1) & 0xff; /* Aff0 = CPU id */
		sc = target < sim_num_cpus() ? sim_cpu(target) : NULL;
		if (!sc) {
			ret = PSCI_DENIED;
			break;
		}
		{
			unsigned int resets = sc->resets;

			ex.cpus[target].context = arm_reg(xc, UC_ARM_REG_R3);
			res = core_cpu_on(target, arm_reg(xc, UC_ARM_REG_R2));
			record(xc,
			       &(struct wd_trap){
				       .kind = WD_TRAP_CPU_ON,
				       .reg = WD_TRAP_NO_REG,
				       .addr = target,
				       .value = arm_reg(xc, UC_ARM_REG_R2) },
			       res);
			if (res == ACCESS_DENIED) {
				stop(xc, STOP_DENIED);
				return;
			}
			ret = sc->resets != resets ? 0 : PSCI_ALREADY_ON;
		}
		break;
	}
	arm_set_r0(xc, (uint32_t)ret);
}

static void hook_intr_arm(uc_engine *uc, uint32_t intno, void *arg)
{
	struct xcpu *xc = arg;
	uint32_t pc = (uint32_t)pc_read(xc), insn = 0;
	long ret;

	(void)uc;
	if (xc->why != RUNNING)
		return;
	if (intno == 13) { /* smc, PC after it */
		arm_psci(xc);
		return;
	}
	if (intno != 11 || uc_mem_read(xc->uc, pc - 4, &insn, 4)) {
		fault(xc, pc);
		return;
	}
	if (insn == ARM_HVC_PSCI) {
		arm_psci(xc);
		return;
	}
	if (insn != ARM_HVC_WARDEN) {
		fault(xc, pc - 4);
		return;
	}
	sim_set_cpu(xc->id);
	ret = core_hypercall(arm_reg(xc, UC_ARM_REG_R0),
			     arm_reg(xc, UC_ARM_REG_R1),
			     arm_reg(xc, UC_ARM_REG_R2));
	record(xc,
	       &(struct wd_trap){ .kind = WD_TRAP_HVC,
				  .reg = WD_TRAP_NO_REG,
				  .addr = arm_reg(xc, UC_ARM_REG_R0),
				  .value = arm_reg(xc, UC_ARM_REG_R1),
				  .arg2 = arm_reg(xc, UC_ARM_REG_R2),
				  .result = (uint64_t)ret },
	       ACCESS_EMULATED);
	arm_set_r0(xc, (uint32_t)ret);
	if (parked(xc))
		stop(xc, STOP_DENIED);
}

static bool hook_invalid_arm(uc_engine *uc, void *arg)
{
	(void)uc;
	fault(arg, pc_read(arg));
	return false;
}

/* The sim's PL011: DR writes go to the cell's console, FR says TXFE. */
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFE 0x80

static bool pl011_at(struct xcpu *xc, uint64_t base)
{
	const struct wd_console *c = &xc->cell->config->console;
	const struct wd_console *d = &core_system_config()->debug_console;

	return (c->type == WD_CON_TYPE_PL011 && c->address == base) ||
	       (d->type == WD_CON_TYPE_PL011 && d->address == base);
}

static uint64_t pl011(struct xcpu *xc, uint64_t off, bool write, uint64_t v)
{
	if (write) {
		if (off == PL011_DR)
			uart_out(xc->cell, (char)v);
		return 0;
	}
	return off == PL011_FR ? PL011_FR_TXFE : 0;
}

/* ---- system instructions, time and interrupts --------------------------- */

/*
 * A CPU's virtual time: the sim's clock at the start of its slice plus the
 * instructions it ran since (EXEC_INSN_PER_MS per ms, one timer tick each).
 */
_Static_assert(1000000ULL / EXEC_INSN_PER_MS == SIM_NS_PER_TICK,
	       "one timer tick per guest instruction");

static uint64_t cpu_now(const struct xcpu *xc)
{
	return xc->slice_ns + (xc->icount - xc->slice_icount) * SIM_NS_PER_TICK;
}

/* The CPU's icount at virtual time @ns (not before now). */
static uint64_t icount_at(const struct xcpu *xc, uint64_t ns)
{
	uint64_t now = cpu_now(xc);

	if (ns <= now)
		return xc->icount;
	if ((ns - now) / SIM_NS_PER_TICK > UINT64_MAX / 2)
		return UINT64_MAX / 2;
	return xc->icount + (ns - now + SIM_NS_PER_TICK - 1) / SIM_NS_PER_TICK;
}

/* Host pointer to @len bytes of guest RAM at @gpa, or NULL. */
static const uint8_t *ram_ptr(struct xcpu *xc, uint64_t gpa, uint64_t len)
{
	unsigned int i, n;

	for (n = 0; n < xc->num_ram; n++) {
		struct ram_window *w;

		i = (xc->last_ram + n) % xc->num_ram;
		w = &xc->ram[i];
		if (gpa >= w->gpa && gpa - w->gpa + len <= w->size) {
			xc->last_ram = i;
			return w->host + (gpa - w->gpa);
		}
	}
	return NULL;
}

static void deny(struct xcpu *xc, enum wd_reason why, uint64_t item,
		 struct wd_trap *t)
{
	sim_set_cpu(xc->id);
	core_cell_fault(why, item);
	record(xc, t, ACCESS_DENIED);
	stop(xc, STOP_DENIED);
}

/* MSRs whose state VT-x/AMD-V switch per guest: the cell may use them. */
static bool msr_is_guest_state(uint32_t msr)
{
	switch (msr) {
	case 0x174: /* SYSENTER_CS/ESP/EIP */
	case 0x175:
	case 0x176:
	case 0x277:	 /* PAT */
	case 0xc0000080: /* EFER */
	case 0xc0000081: /* STAR, LSTAR, CSTAR, FMASK */
	case 0xc0000082:
	case 0xc0000083:
	case 0xc0000084:
	case 0xc0000100: /* FS_BASE, GS_BASE, KERNEL_GS_BASE, TSC_AUX */
	case 0xc0000101:
	case 0xc0000102:
	case 0xc0000103:
		return true;
	}
	return false;
}

/* SIPI, INIT or a fixed IPI written to the ICR. Returns false if denied. */
static bool x86_ipi(struct xcpu *xc, uint64_t icr, struct wd_trap *t)
{
	struct ipi ipi = lapic_decode_icr(icr);
	unsigned int dest = ipi.self ? xc->id : ipi.dest;
	struct per_cpu *pc = dest < sim_num_cpus() ? core_per_cpu(dest) : NULL;
	enum access_result res;

	if (ipi.kind == IPI_BAD || ipi.kind == IPI_NMI || ipi.broadcast) {
		deny(xc, WD_R_msr_denied, MSR_X2APIC_ICR, t);
		return false;
	}
	if (ipi.kind == IPI_SIPI) {
		/* Starting a CPU is the core's decision, as on ARM. */
		sim_set_cpu(xc->id);
		res = core_cpu_on(dest, (uint64_t)ipi.vector << 12);
		record(xc,
		       &(struct wd_trap){ .kind = WD_TRAP_CPU_ON,
					  .addr = dest,
					  .value = (uint64_t)ipi.vector << 12 },
		       res);
		if (res == ACCESS_DENIED)
			stop(xc, STOP_DENIED);
		return res != ACCESS_DENIED;
	}
	if (!pc || pc->cell != xc->cell) {
		deny(xc, WD_R_cpu_foreign, dest, t);
		return false;
	}
	if (ipi.kind == IPI_FIXED)
		lapic_raise(dest, ipi.vector);
	/* INIT: the target waits for its SIPI, which is all it can do in a
	 * cell whose CPUs are started only through the core. */
	return true;
}

/* RDMSR (0f 32), WRMSR (0f 30), RDTSC (0f 31): emulated, skipped. */
static void x86_system(struct xcpu *xc, uint64_t rip, uint8_t op)
{
	uint64_t rax = 0, rcx = 0, rdx = 0, val = 0, now = cpu_now(xc);
	uint32_t msr;
	bool apic, write = op == 0x30;
	struct wd_trap t = { .kind = WD_TRAP_MSR, .write = write };

	uc_reg_read(xc->uc, UC_X86_REG_RAX, &rax);
	uc_reg_read(xc->uc, UC_X86_REG_RCX, &rcx);
	uc_reg_read(xc->uc, UC_X86_REG_RDX, &rdx);
	msr = (uint32_t)rcx;
	apic = msr == MSR_APIC_BASE ||
	       (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
	t.addr = msr;
	t.value = write ? rdx << 32 | (uint32_t)rax : 0;
	if (op == 0x31) {
		val = sim_ticks(now);
	} else if (op == 0x32 && msr == MSR_TSC) {
		val = sim_ticks(now);
	} else if (!apic && msr_is_guest_state(msr)) {
		return; /* Unicorn executes it */
	} else if (!apic || (write ? lapic_wrmsr(xc->id, msr, t.value, now) :
				     lapic_rdmsr(xc->id, msr, now, &val))) {
		deny(xc, WD_R_msr_denied, msr, &t);
		return;
	} else if (write && msr == MSR_X2APIC_ICR &&
		   !x86_ipi(xc, t.value, &t)) {
		return;
	}
	if (!write) {
		rax = (uint32_t)val;
		rdx = val >> 32;
		uc_reg_write(xc->uc, UC_X86_REG_RAX, &rax);
		uc_reg_write(xc->uc, UC_X86_REG_RDX, &rdx);
	}
	rip += 2;
	uc_reg_write(xc->uc, UC_X86_REG_RIP, &rip);
}

static int arm_gpr(unsigned int r)
{
	return r < 13  ? UC_ARM_REG_R0 + (int)r :
	       r == 13 ? UC_ARM_REG_SP :
			 UC_ARM_REG_LR;
}

/* The generic timer register an MRC/MCR (32-bit) or MRRC/MCRR names. */
static int gt_reg32(unsigned int opc1, unsigned int crm, unsigned int opc2)
{
	if (opc1)
		return -1;
	switch (crm << 4 | opc2) {
	case 0x00:
		return GT_CNTFRQ;
	case 0x10:
		return GT_CNTKCTL;
	case 0x20:
		return GT_CNTP_TVAL;
	case 0x21:
		return GT_CNTP_CTL;
	case 0x30:
		return GT_CNTV_TVAL;
	case 0x31:
		return GT_CNTV_CTL;
	}
	return -1;
}

static int gt_reg64(unsigned int opc1)
{
	static const int regs[] = { GT_CNTPCT, GT_CNTVCT, GT_CNTP_CVAL,
				    GT_CNTV_CVAL };

	return opc1 < 4 ? regs[opc1] : -1; /* 4: CNTVOFF, HYP only */
}

/*
 * Unconditional CP15 accesses to the generic timer (c14) and MPIDR, which
 * the real CPU answers from its own hardware and Unicorn from the host's
 * clock: emulated from virtual time, skipped. Others execute natively.
 */
static void arm_system(struct xcpu *xc, uint64_t pc, uint32_t w)
{
	bool read = w & (1U << 20);
	unsigned int rt = (w >> 12) & 0xf, rt2 = (w >> 16) & 0xf;
	uint64_t val = 0, now = cpu_now(xc);
	uint32_t lo, hi;
	int reg;

	if ((w & 0xff000f10) == 0xee000f10) { /* MRC/MCR p15, AL */
		unsigned int crn = (w >> 16) & 0xf, crm = w & 0xf;
		unsigned int opc1 = (w >> 21) & 7, opc2 = (w >> 5) & 7;

		if (crn == 0 && read && !opc1 && !crm && opc2 == 5) {
			/* MPIDR: multiprocessor format, Aff0 = CPU id. */
			val = 0x80000000U | xc->id;
			reg = -2;
		} else if (crn == 14) {
			reg = gt_reg32(opc1, crm, opc2);
		} else {
			return;
		}
		if (rt == 15)
			return;
		rt2 = rt;
	} else if ((w & 0xffe00f0f) == 0xec400f0e) { /* MRRC/MCRR p15 c14 */
		reg = gt_reg64((w >> 4) & 0xf);
		if (rt == 15 || rt2 == 15)
			return;
	} else {
		return;
	}
	if (reg == -1) {
		fault(xc, pc); /* undefined instruction */
		return;
	}
	if (read) {
		if (reg >= 0 && gt_read(xc->id, (enum gt_reg)reg, now, &val)) {
			fault(xc, pc);
			return;
		}
		lo = (uint32_t)val;
		hi = (uint32_t)(val >> 32);
		uc_reg_write(xc->uc, arm_gpr(rt), &lo);
		if (rt2 != rt)
			uc_reg_write(xc->uc, arm_gpr(rt2), &hi);
	} else {
		lo = arm_reg(xc, arm_gpr(rt));
		hi = rt2 != rt ? arm_reg(xc, arm_gpr(rt2)) : 0;
		if (gt_write(xc->id, (enum gt_reg)reg, (uint64_t)hi << 32 | lo,
			     now)) {
			fault(xc, pc);
			return;
		}
	}
	lo = (uint32_t)pc + 4;
	uc_reg_write(xc->uc, UC_ARM_REG_PC, &lo);
}

static void system_insn(struct xcpu *xc, uint64_t addr)
{
	const uint8_t *p = ram_ptr(xc, addr, xc->arm ? 4 : 2);
	uint32_t w;

	if (!p)
		return;
	if (xc->arm) {
		memcpy(&w, p, 4);
		/* Coprocessor 15 register transfers in ARM state only. */
		if (((w & 0x0e000f00) == 0x0c000f00 ||
		     (w & 0x0f000f10) == 0x0e000f10) &&
		    !(arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_T))
			arm_system(xc, addr, w);
	} else if (p[0] == 0x0f && p[1] >= 0x30 && p[1] <= 0x32) {
		x86_system(xc, addr, p[1]);
	} else if (p[0] == 0x0f && p[1] == 0xa2) {
		uint64_t leaf = 0;

		/* CPUID runs natively; its APIC ids are patched after it. */
		uc_reg_read(xc->uc, UC_X86_REG_RAX, &leaf);
		xc->cpuid_leaf = (uint32_t)leaf;
		xc->cpuid_next = addr + 2;
	}
}

/*
 * The CPU's own APIC id in CPUID's answer, as VT-x/AMD-V backends give it:
 * leaf 1 EBX[31:24] (and ECX bit 21, x2APIC), leaf 0xb EDX. Called before
 * the instruction after a CPUID.
 */
static void cpuid_fixup(struct xcpu *xc, uint64_t addr)
{
	uint64_t rbx = 0, rcx = 0, rdx = xc->id;

	if (addr != xc->cpuid_next)
		return;
	xc->cpuid_next = 0;
	if (xc->cpuid_leaf == 1) {
		uc_reg_read(xc->uc, UC_X86_REG_RBX, &rbx);
		uc_reg_read(xc->uc, UC_X86_REG_RCX, &rcx);
		rbx = (rbx & 0x00ffffff) | (uint64_t)(xc->id & 0xff) << 24;
		rcx |= 1ULL << 21;
		uc_reg_write(xc->uc, UC_X86_REG_RBX, &rbx);
		uc_reg_write(xc->uc, UC_X86_REG_RCX, &rcx);
	} else if (xc->cpuid_leaf == 0xb) {
		uc_reg_write(xc->uc, UC_X86_REG_RDX, &rdx);
	}
}

/* The next time a timer of @xc fires (ns), or INTC_NEVER. */
static uint64_t next_event(const struct xcpu *xc, uint64_t now)
{
	return xc->arm ? gt_next_event(xc->id, now) : lapic_next_event(xc->id);
}

/* An interrupt waits for @xc (whether or not the CPU masks it). */
static bool irq_waiting(const struct xcpu *xc, uint64_t now)
{
	return xc->arm ? gic_irq_line(xc->id, now) :
			 lapic_pending(xc->id, now, false) >= 0;
}

#define X86_RFLAGS_IF (1ULL << 9)
#define X86_RFLAGS_TF (1ULL << 8)
#define X86_RFLAGS_NT (1ULL << 14)
#define X86_RFLAGS_RF (1ULL << 16)
#define ARM_CPSR_I 0x80U
#define ARM_CPSR_A 0x100U
#define ARM_CPSR_IT 0x0600fc00U
#define ARM_MODE_IRQ 0x12U
#define ARM_VBAR                    \
	(uc_arm_cp_reg)             \
	{                           \
		.cp = 15, .crn = 12 \
	}

static bool irq_masked(struct xcpu *xc)
{
	uint64_t rflags = 0;

	if (xc->arm)
		return arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_I;
	uc_reg_read(xc->uc, UC_X86_REG_RFLAGS, &rflags);
	return !(rflags & X86_RFLAGS_IF);
}

/*
 * x86-64 interrupt entry through the cell's IDT, as the CPU performs it at
 * the same privilege level: 16-byte aligned frame SS, RSP, RFLAGS, CS, RIP;
 * interrupt gates clear IF. Gates that need a stack switch (IST) or
 * another code segment than the current one are not offered: the cell
 * fails with the vector as item.
 */
static void x86_interrupt(struct xcpu *xc, unsigned int vector)
{
	uc_x86_mmr idtr = { 0 };
	uint64_t frame[5], rsp = 0, rflags = 0, rip = 0, cs = 0, ss = 0, entry;
	uint8_t gate[16];
	uint16_t sel;

	uc_reg_read(xc->uc, UC_X86_REG_IDTR, &idtr);
	uc_reg_read(xc->uc, UC_X86_REG_RSP, &rsp);
	uc_reg_read(xc->uc, UC_X86_REG_RFLAGS, &rflags);
	uc_reg_read(xc->uc, UC_X86_REG_RIP, &rip);
	uc_reg_read(xc->uc, UC_X86_REG_CS, &cs);
	uc_reg_read(xc->uc, UC_X86_REG_SS, &ss);
	if (vector * 16 + 15 > idtr.limit ||
	    uc_mem_read(xc->uc, idtr.base + vector * 16, gate, 16) ||
	    !(gate[5] & 0x80) || (gate[4] & 7)) {
		fault(xc, vector);
		return;
	}
	memcpy(&sel, gate + 2, 2);
	if (sel != (uint16_t)cs) {
		fault(xc, vector);
		return;
	}
	entry = (uint64_t)gate[0] | (uint64_t)gate[1] << 8 |
		(uint64_t)gate[6] << 16 | (uint64_t)gate[7] << 24 |
		(uint64_t)gate[8] << 32 | (uint64_t)gate[9] << 40 |
		(uint64_t)gate[10] << 48 | (uint64_t)gate[11] << 56;
	frame[0] = rip;
	frame[1] = cs;
	frame[2] = rflags;
	frame[3] = rsp;
	frame[4] = ss;
	rsp = (rsp & ~0xfULL) - sizeof(frame);
	if (uc_mem_write(xc->uc, rsp, frame, sizeof(frame))) {
		fault(xc, vector);
		return;
	}
	rflags &= ~(X86_RFLAGS_TF | X86_RFLAGS_NT | X86_RFLAGS_RF);
	if ((gate[5] & 0xf) == 0xe) /* interrupt gate, not trap gate */
		rflags &= ~X86_RFLAGS_IF;
	uc_reg_write(xc->uc, UC_X86_REG_RSP, &rsp);
	uc_reg_write(xc->uc, UC_X86_REG_RFLAGS, &rflags);
	uc_reg_write(xc->uc, UC_X86_REG_RIP, &entry);
}

/* ARMv7 IRQ exception entry (ARM ARM B1.8.3), to VBAR + 0x18, ARM state. */
static void arm_interrupt(struct xcpu *xc)
{
	uc_arm_cp_reg vbar = ARM_VBAR;
	uint32_t cpsr = arm_reg(xc, UC_ARM_REG_CPSR);
	uint32_t lr = (uint32_t)pc_read(xc) + 4, pc;
	uint32_t irq = (cpsr & ~(0x1fU | ARM_CPSR_T | ARM_CPSR_IT)) |
		       ARM_MODE_IRQ | ARM_CPSR_I | ARM_CPSR_A;

	uc_reg_read(xc->uc, UC_ARM_REG_CP_REG, &vbar);
	pc = (uint32_t)vbar.val + 0x18;
	uc_reg_write(xc->uc, UC_ARM_REG_CPSR, &irq); /* banks switch here */
	uc_reg_write(xc->uc, UC_ARM_REG_SPSR, &cpsr);
	uc_reg_write(xc->uc, UC_ARM_REG_LR, &lr);
	uc_reg_write(xc->uc, UC_ARM_REG_PC, &pc);
}

/* Take a waiting, unmasked interrupt, as the CPU would between insns. */
static void deliver(struct xcpu *xc, uint64_t now)
{
	int vector;

	if (xc->cpuid_next)
		cpuid_fixup(xc, pc_read(xc));
	if (xc->arm) {
		arm_interrupt(xc);
		return;
	}
	vector = lapic_pending(xc->id, now, true);
	if (vector >= 0)
		x86_interrupt(xc, (unsigned int)vector);
}

/* hal_inject_irq(): the core's virtual devices raise @irq at @cpu. */
static void inject(void *arg, unsigned int cpu, unsigned int irq)
{
	struct per_cpu *pc = core_per_cpu(cpu);

	(void)arg;
	if (!pc || !pc->cell)
		return;
	if (pc->cell->config->architecture == WD_ARCH_ARM)
		gic_raise(cpu, irq);
	else
		lapic_raise(cpu, (uint8_t)irq);
}

/* ---- the GIC as a cell sees it (ARM) ------------------------------------ */

#define GICD_SGIR 0xf00
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICC_SIZE 0x2000

static enum page_kind gic_page(struct xcpu *xc, uint64_t addr)
{
	const struct wd_platform_arm *a =
		&core_system_config()->platform_info.arm;
	uint64_t page = addr & ~(PAGE - 1);

	if (!xc->arm || a->gic_version != 2)
		return PG_CORE;
	if (a->gicd_base && page == a->gicd_base)
		return PG_GICD;
	if (a->gicc_base && page >= a->gicc_base &&
	    page < a->gicc_base + GICC_SIZE)
		return PG_GICC;
	return PG_CORE;
}

/* Ask the core whether the cell may configure SPI @irq (SGIs/PPIs are
 * per CPU and always its own). Records the trap; false: denied. */
static bool gicd_owns(struct xcpu *xc, uint64_t chip, unsigned int irq)
{
	enum access_result res;

	if (irq < 32)
		return true;
	sim_set_cpu(xc->id);
	res = core_irqchip_access(chip, irq);
	record(xc,
	       &(struct wd_trap){ .kind = WD_TRAP_IRQCHIP,
				  .write = true,
				  .addr = irq,
				  .value = chip },
	       res);
	if (res == ACCESS_DENIED)
		stop(xc, STOP_DENIED);
	return res != ACCESS_DENIED;
}

/* Is CPU interface @n (= CPU n) one of the cell's? Else the cell fails. */
static bool gicd_target_ok(struct xcpu *xc, unsigned int n)
{
	struct per_cpu *pc = n < sim_num_cpus() ? core_per_cpu(n) : NULL;

	if (pc && pc->cell == xc->cell)
		return true;
	deny(xc, WD_R_cpu_foreign, n,
	     &(struct wd_trap){ .kind = WD_TRAP_IRQCHIP, .addr = n });
	return false;
}

/*
 * A distributor access. Writes that configure SPIs (enable, pending,
 * active, priority, target, configuration bits) are allowed only for the
 * cell's own interrupts: the core decides per interrupt, and a foreign one
 * fails the cell. Targets and SGIs may name only the cell's CPUs. Reads
 * show the state of the cell's own interrupts and zeros for the rest.
 */
static uint64_t gicd(struct xcpu *xc, uint64_t off, unsigned int size,
		     bool write, uint32_t val)
{
	uint64_t chip = core_system_config()->platform_info.arm.gicd_base;
	unsigned int first = gic_dist_irq(off), per, n, i;
	uint32_t v, mask = 0;

	if (off == GICD_SGIR) {
		if (!write || size != 4)
			return 0;
		/* Target list filter 0 only: the listed CPUs of this cell. */
		if (((val >> 24) & 3) != 0) {
			deny(xc, WD_R_cpu_foreign, val >> 24 & 3,
			     &(struct wd_trap){ .kind = WD_TRAP_IRQCHIP });
			return 0;
		}
		for (n = 0; n < 8; n++)
			if (val >> (16 + n) & 1 && !gicd_target_ok(xc, n))
				return 0;
		for (n = 0; n < 8; n++)
			if (val >> (16 + n) & 1)
				gic_raise(n, val & 0xf);
		return 0;
	}
	/* Interrupts per byte of the register: bits, bytes or 2-bit fields. */
	if (off >= 0x100 && off < 0x400)
		per = 8;
	else if (off >= 0x400 && off < GICD_ICFGR)
		per = 1;
	else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		per = 4;
	else
		return write ? 0 : gic_dist_access(xc->id, off, size, false, 0);
	for (i = 0; i < size * per; i++) {
		unsigned int irq = first + i, bit = i * (32 / (size * per));
		bool mine = irq < 32 || core_irq_owner(chip, irq) == xc->cell;

		if (write && !(per == 8 && !(val >> i & 1)) &&
		    !gicd_owns(xc, chip, irq))
			return 0;
		if (mine)
			mask |= (per == 8 ? 1U : per == 1 ? 0xffU : 3U) << bit;
	}
	if (write && off >= GICD_ITARGETSR && off < GICD_ICFGR)
		for (i = 0; i < size; i++)
			for (n = 0; n < 8; n++)
				if (first + i >= 32 && val >> (8 * i + n) & 1 &&
				    !gicd_target_ok(xc, n))
					return 0;
	v = gic_dist_access(xc->id, off, size, write, val);
	return write ? 0 : v & mask;
}

/* ---- engines ------------------------------------------------------------ */

static void engine_free(struct xcpu *xc)
{
	unsigned int i;

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
			e = map_mmio(xc, m->gpa, m->size, PG_DIRECT, m->hpa) ?
				    UC_ERR_MAP :
				    UC_ERR_OK;
	}
	return e;
}

static uc_err hooks_x86(struct xcpu *xc)
{
	uc_hook h;
	uc_err e;

	if ((e = uc_hook_add(xc->uc, &h, UC_HOOK_INSN, hook_in, xc, 1, 0,
			     UC_X86_INS_IN)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_INSN, hook_out, xc, 1, 0,
			     UC_X86_INS_OUT)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_INSN_INVALID, hook_invalid, xc,
			     1, 0)))
		return e;
	return UC_ERR_OK;
}

static uc_err hooks_arm(struct xcpu *xc)
{
	/* SCR.HCE: hvc is a hypervisor call (interrupt 11), not undefined. */
	uc_arm_cp_reg scr = { .cp = 15, .crn = 1, .crm = 1, .val = 0x101 };
	uc_hook h;
	uc_err e;

	if ((e = uc_reg_write(xc->uc, UC_ARM_REG_CP_REG, &scr)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_INTR, hook_intr_arm, xc, 1,
			     0)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_INSN_INVALID, hook_invalid_arm,
			     xc, 1, 0)))
		return e;
	return UC_ERR_OK;
}

static int engine_new(struct xcpu *xc, struct cell *cell)
{
	uc_hook h;
	uint64_t rip = X86_ENTRY64;
	uint32_t pc = (uint32_t)sim_cpu(xc->id)->reset_entry;
	unsigned int i;
	uc_err e;

	xc->arm = cell->config->architecture == WD_ARCH_ARM;
	xc->cell = cell;
	if ((e = xc->arm ? uc_open(UC_ARCH_ARM, UC_MODE_ARM, &xc->uc) :
			   uc_open(UC_ARCH_X86, UC_MODE_64, &xc->uc))) {
		xc->uc = NULL;
		goto err;
	}
	if ((e = map_ram(xc, cell)) ||
	    (e = uc_hook_add(xc->uc, &h, UC_HOOK_CODE, hook_code, xc, 1, 0)) ||
	    (e = xc->arm ? hooks_arm(xc) : hooks_x86(xc)) ||
	    (e = uc_hook_add(xc->uc, &h,
			     UC_HOOK_MEM_READ_UNMAPPED |
				     UC_HOOK_MEM_WRITE_UNMAPPED |
				     UC_HOOK_MEM_FETCH_UNMAPPED,
			     hook_unmapped, xc, 1, 0)))
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
		gic_reset_cpu(xc->id);
	} else {
		/* EBP: 0 for the boot CPU (started at the cell's reset
		 * address), 1 for one started by INIT/SIPI. */
		uint64_t ap = sim_cpu(xc->id)->reset_entry !=
			      cell->config->cpu_reset_address;

		uc_reg_write(xc->uc, UC_X86_REG_RIP, &rip);
		uc_reg_write(xc->uc, UC_X86_REG_RBP, &ap);
		lapic_reset(xc->id, !ap);
	}
	xc->context = 0;
	xc->dead = xc->halted = false;
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
		struct per_cpu *pc = core_per_cpu(cpu);
		struct sim_cpu *sc = sim_cpu(cpu);
		struct cell *cell = pc ? pc->cell : NULL;

		xc->id = cpu;
		if (cell && cell->id != 0 && sc->resets == xc->resets &&
		    cell == xc->cell)
			continue;
		xc->resets = sc->resets;
		if (xc->uc)
			engine_free(xc);
		xc->cell = NULL;
		if (!cell || cell->id == 0 || !sc->boot_cpu || sc->parked)
			continue;
		if (cell->config->architecture != WD_ARCH_X86 &&
		    cell->config->architecture != WD_ARCH_ARM) {
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
	return xc->uc && !xc->dead && !parked(xc) &&
	       !sim_cpu(xc->id)->suspended && !sim_machine_stopped();
}

static bool may_wake(struct xcpu *xc, uint64_t now)
{
	/* hlt with IF clear sleeps for good; wfi wakes even if masked. */
	if (!xc->arm && irq_masked(xc))
		return false;
	return irq_waiting(xc, now) || next_event(xc, now) != INTC_NEVER;
}

static bool runnable(struct xcpu *xc)
{
	return alive(xc) && (!xc->halted || may_wake(xc, cpu_now(xc)));
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

		now = cpu_now(xc);
		waiting = irq_waiting(xc, now);
		if (waiting && (xc->arm || !irq_masked(xc)))
			xc->halted = false;
		if (waiting && !irq_masked(xc)) {
			deliver(xc, now);
			if (!alive(xc))
				break;
		}
		ev = next_event(xc, now);
		if (xc->halted) {
			if (!may_wake(xc, now))
				break;
			/* Idle until the timer fires or the slice ends. */
			xc->icount = ev == INTC_NEVER ? end :
							icount_at(xc, ev) + 1;
			if (xc->icount > end)
				xc->icount = end;
			continue;
		}
		xc->slice_end = end;
		if (ev != INTC_NEVER && icount_at(xc, ev) + 1 < end)
			xc->slice_end = icount_at(xc, ev) + 1;
		if (waiting && irq_masked(xc) && xc->icount + IRQ_POLL < end)
			xc->slice_end = xc->icount + IRQ_POLL;
		xc->why = RUNNING;
		e = uc_emu_start(xc->uc, resume_pc(xc), UNTIL_NEVER, 0, 0);
		ex.insns += xc->icount - before;
		if (xc->why == STOP_SLICE)
			continue;
		if (xc->dead)
			break;
		pc = pc_read(xc);
		if (e) {
			sim_set_cpu(xc->id);
			core_cell_fault(WD_R_cpu_exception, pc);
			record_fault(xc, pc);
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

int exec_run(uint64_t ms)
{
	uint64_t done, total = ms * EXEC_INSN_PER_MS;
	unsigned int cpu;
	bool any = true;

	if (!ex.on)
		return -1;
	for (done = 0; done < total && any; done += EXEC_SLICE) {
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
	exec_free();
	ex.on = true;
	gic_init();
	sim_set_relax_hook(relax, NULL);
	sim_set_irq_hook(inject, NULL);
	return 0;
}

void exec_free(void)
{
	unsigned int cpu;

	if (ex.on) {
		sim_set_relax_hook(NULL, NULL);
		sim_set_irq_hook(NULL, NULL);
	}
	for (cpu = 0; cpu < WD_MAX_CPUS; cpu++)
		engine_free(&ex.cpus[cpu]);
	free(ex.uart);
	memset(&ex, 0, sizeof(ex));
}
