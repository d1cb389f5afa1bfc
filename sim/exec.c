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
 *   core_hypercall; ARM PSCI (hvc #0, smc): arch-armv7/psci.c decides,
 *   then core_machine_control, core_cpu_on or core_cpu_off.
 * - x86: any access outside the mapped RAM stops the engine at the
 *   instruction, which arch-x86/decode.c decodes; the core sees one access
 *   of its width (sim/exec_x86.c). ARM: the unmapped hook maps that page
 *   with uc_mmio_map, whose callbacks call core_mmio and return the value
 *   (Unicorn completes the instruction). A DENIED access stops the CPU.
 *   ARM GIC pages are the sim's (distributor filtered by the core). An
 *   ARM access to an emulated page first passes arm_gate, the backend's
 *   view: Thumb without syndrome refused, ARM without syndrome through
 *   the backend's decoder (arch-armv7/decode.c), an unaligned access
 *   carried out once, whole.
 * - RDMSR/WRMSR/RDTSC/RDTSCP (any encoding), CPUID's answer (arch-x86's
 *   policy, sim/exec_x86.c), ARM CP15 timer and MPIDR accesses: emulated
 *   (the x2APIC, the generic timer, virtual time; docs/sim.md).
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

#include "../arch-armv7/decode.h"
#include "../arch-armv7/psci.h"
#include "../core/trace.h"
#include "../hal/core.h"
#include "../hal/hal.h"
#include "decode.h"
#include "board.h"
#include "exec.h"
#include "exec_int.h"
#include "intc.h"
#include "record.h"
#include "sim.h"
#include "trace.h"

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
	struct sim_text uart;
	bool midline[WD_MAX_CELLS];
	uint8_t lcr[4]; /* per COM port, for DLAB */
	uint64_t insns;
	bool in_slice; /* a CPU is executing: no nested relax runs */
	char err[160];
} ex;

static void uart_out(struct cell *cell, char c)
{
	const char *p;
	unsigned int id = core_cell_id(cell) % WD_MAX_CELLS;

	if (c == '\r')
		return;
	if (!ex.midline[id]) {
		sim_text_putc(&ex.uart, '[');
		for (p = core_cell_config(cell)->name; *p; p++)
			sim_text_putc(&ex.uart, *p);
		sim_text_putc(&ex.uart, ']');
		sim_text_putc(&ex.uart, ' ');
	}
	sim_text_putc(&ex.uart, c);
	ex.midline[id] = c != '\n';
}

const char *exec_uart(void)
{
	return sim_text(&ex.uart);
}

const struct sim_text *exec_uart_text(void)
{
	return &ex.uart;
}

uint64_t exec_instructions(void)
{
	return ex.insns;
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

static bool pl011_at(struct xcpu *xc, uint64_t base);
static uint64_t pl011(struct xcpu *xc, uint64_t off, bool write, uint64_t v);

static bool parked(struct xcpu *xc)
{
	return (core_cpu_flags(xc->id) & CORE_CPU_PARKED) ||
	       sim_cpu(xc->id)->parked;
}

/* ---- refusals and trap records ------------------------------------------ */

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
static void fault(struct xcpu *xc, uint64_t vector, enum wd_reason why,
		  uint64_t item)
{
	sim_set_cpu(xc->id);
	core_trap_denied(&(struct wd_trap){ .kind = WD_TRAP_EXCEPTION,
					    .addr = vector },
			 why, item);
}

/*
 * The facts of the instruction at the PC for an MMIO access's record
 * (--trace only: Capstone's reading, not the backend's decoder).
 */
static void mmio_facts(struct xcpu *xc, struct mmio_access *acc)
{
	uint64_t pc = xc_pc(xc);
	struct decoded d;
	uint8_t code[16];

	if (!record_on())
		return;
	if ((!uc_mem_read(xc->uc, pc, code, sizeof(code)) ||
	     !uc_mem_read(xc->uc, pc, code, 4)) &&
	    !decode_access(xc->arm, code, xc->arm ? 4 : sizeof(code), pc, &d) &&
	    d.write == acc->is_write && d.reg != WD_TRAP_NO_REG)
		acc->insn = (struct mmio_insn){ .reg = d.reg,
						.sext = d.sext,
						.wback = d.wback,
						.len = d.len };
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
	if (!xc->arm)
		xc_x86_insn(xc, addr, size);
	else if (size == 4) /* MRC/MRRC */
		xc_system_insn(xc, addr);
}

/* The sim's 8250s: the board's, else at 0x3f8/0x2f8/0x3e8/0x2e8. */
static int com_index(uint16_t port)
{
	const struct board *b = board_get();
	unsigned int i;

	if (b) {
		for (i = 0; i < b->num_uarts; i++)
			if ((port & ~7) == b->uart[i])
				return (int)i;
		return -1;
	}
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

/* A port the core allowed (hal_pio_access): the UARTs, on this CPU. */
static void pio_device(void *arg, struct pio_access *acc)
{
	struct xcpu *xc = &ex.cpus[hal_cpu_id() % WD_MAX_CPUS];

	(void)arg;
	acc->value = uart_access(xc, acc->port, acc->is_write, acc->value);
}

static uint32_t pio(struct xcpu *xc, uint32_t port, int size, bool write,
		    uint32_t value)
{
	struct pio_access acc = { (uint16_t)port, (unsigned int)size, write,
				  value };

	if (xc->why != RUNNING && xc->why != STOP_SLICE)
		return 0;
	sim_set_cpu(xc->id);
	if (core_pio(&acc) == ACCESS_DENIED) {
		xc_stop(xc, STOP_DENIED);
		return 0;
	}
	return write ? 0 : acc.value;
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
	uint64_t rip, rax, rdi, rsi, cs = 0;
	uint8_t insn[3];
	long ret;

	uc_reg_read(uc, UC_X86_REG_RIP, &rip);
	if (uc_mem_read(uc, rip, insn, sizeof(insn)) || insn[0] != 0x0f ||
	    insn[1] != 0x01 || (insn[2] != 0xc1 && insn[2] != 0xd9)) {
		fault(xc, rip, WD_R_cpu_exception, rip);
		xc_stop(xc, STOP_FAULT);
		return false;
	}
	uc_reg_read(uc, UC_X86_REG_RAX, &rax);
	uc_reg_read(uc, UC_X86_REG_RDI, &rdi);
	uc_reg_read(uc, UC_X86_REG_RSI, &rsi);
	/* VT-x and AMD-V exit on vmcall/vmmcall at any CPL: the CS RPL. */
	uc_reg_read(uc, UC_X86_REG_CS, &cs);
	sim_set_cpu(xc->id);
	ret = core_hypercall(rax, rdi, rsi, (cs & 3) != 0);
	rax = (uint64_t)ret;
	rip += 3;
	uc_reg_write(uc, UC_X86_REG_RAX, &rax);
	uc_reg_write(uc, UC_X86_REG_RIP, &rip);
	if (parked(xc))
		xc_stop(xc, STOP_DENIED);
	return true;
}

/* Refuse the ARM access at the PC as the backend does: an exception
 * record of the data abort (EC 0x24), the cell fails with @why, @item. */
static void arm_refuse(struct xcpu *xc, enum wd_reason why, uint64_t item)
{
	xc_refuse(xc,
		  &(struct wd_trap){ .kind = WD_TRAP_EXCEPTION, .addr = 0x24 },
		  why, item);
}

/*
 * One access of a page's kind, as the CPU's trap handler would make it:
 * the core's ranges through core_mmio, the distributor through the GIC
 * policy. A denial stops the CPU.
 */
static uint64_t page_access(struct mmio_page *pg, uint64_t addr,
			    unsigned int size, bool write, uint64_t value)
{
	struct mmio_access acc = {
		.address = addr, .size = size, .is_write = write, .value = value
	};
	enum access_result res;

	if (pg->kind == PG_GICD)
		return xc_gicd(pg->xc, addr - pg->base, size, write,
			       (uint32_t)value);
	mmio_facts(pg->xc, &acc);
	sim_set_cpu(pg->xc->id);
	res = core_mmio(&acc);
	if (res == ACCESS_DENIED) {
		xc_stop(pg->xc, STOP_DENIED);
		return 0;
	}
	return write ? 0 : acc.value;
}

/* The bytes of the carried-out access @sp that fall in [@addr, +@size). */
static uint64_t split_piece(const struct arm_split *sp, uint64_t addr,
			    unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		if (addr + i >= sp->addr && addr + i < sp->addr + sp->size)
			v |= (sp->value >> (8 * (addr + i - sp->addr)) & 0xff)
			     << (8 * i);
	return v;
}

/*
 * An ARM access to a page the hypervisor emulates, seen as the ARMv7
 * backend sees it (arch-armv7/traps.c, handle_dabt) before the page's
 * model does anything. Returns true if it is done (@value: the piece
 * Unicorn asked for), false if the callback goes on with Unicorn's access.
 * - Thumb: an access without syndrome (arm_thumb_has_syndrome) is refused
 *   with insn_thumb, item = PC; the backend decodes no Thumb.
 * - ARM without syndrome (writeback, LDRD/STRD, LDM/STM, exclusives...):
 *   the backend's decoder decides; what it refuses fails the cell with its
 *   reason and the instruction as item.
 * - A single access whose address is not aligned to its size: the
 *   hardware traps once with the instruction's own address and size; Unicorn
 *   splits it (two aligned reads, or bytes written last to first). The first
 *   piece carries out the whole access, once; the other pieces of the same
 *   instruction only take their bytes of it.
 */
static bool arm_gate(struct mmio_page *pg, uint64_t addr, unsigned int size,
		     bool write, uint64_t *value)
{
	struct xcpu *xc = pg->xc;
	uint32_t pc = (uint32_t)xc_pc(xc), insn = 0, regs[15], mask;
	struct arm_split *sp = &xc->split;
	struct arm_mmio_insn d;
	uint16_t hw[2] = { 0, 0 };
	enum wd_reason why;
	unsigned int i;

	if (!xc->arm)
		return false;
	if (sp->icount == xc->icount && sp->pc == pc && sp->size) {
		*value = write ? 0 : split_piece(sp, addr, size);
		return true;
	}
	if (xc_arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_T) {
		/* A 16-bit instruction may end the cell's RAM: read 2 first. */
		if (uc_mem_read(xc->uc, pc, hw, 2) ||
		    (arm_thumb_insn_len(hw[0]) == 4 &&
		     uc_mem_read(xc->uc, pc + 2, &hw[1], 2)) ||
		    arm_thumb_has_syndrome(hw[0], hw[1]))
			return false;
		arm_refuse(xc, WD_R_insn_thumb, pc);
		*value = 0;
		return true;
	}
	if (uc_mem_read(xc->uc, pc, &insn, 4))
		return false;
	for (i = 0; i < 13; i++)
		regs[i] = xc_arm_reg(xc, UC_ARM_REG_R0 + (int)i);
	regs[13] = xc_arm_reg(xc, UC_ARM_REG_SP);
	regs[14] = xc_arm_reg(xc, UC_ARM_REG_LR);
	why = arm_decode_mmio(insn, regs, &d);
	if (why != WD_R_none && !arm_insn_has_syndrome(insn)) {
		arm_refuse(xc, why, insn);
		*value = 0;
		return true;
	}
	if (why != WD_R_none || d.pair || !(d.address & (d.size - 1)))
		return false;
	mask = d.size == 4 ? ~0u : (1u << (8 * d.size)) - 1;
	*sp = (struct arm_split){ .icount = xc->icount,
				  .pc = pc,
				  .addr = d.address,
				  .size = d.size };
	sp->value = page_access(pg, d.address, d.size, !d.load,
				d.load ? 0 : regs[d.rt] & mask);
	*value = write ? 0 : split_piece(sp, addr, size);
	return true;
}

static uint64_t mmio_read(uc_engine *uc, uint64_t off, unsigned size, void *arg)
{
	struct mmio_page *pg = arg;
	struct mmio_access acc = { .address = pg->base + off, .size = size };
	uint64_t v;

	(void)uc;
	if (pg->xc->dead)
		return 0;
	switch (pg->kind) {
	case PG_PL011:
		return pl011(pg->xc, off, false, 0);
	case PG_GICC:
		return gic_cpu_access(pg->xc->id, off, false, 0,
				      xc_now(pg->xc));
	case PG_DIRECT:
		hal_phys_access(hpa(pg->hpa + off), &acc);
		return acc.value;
	case PG_GICD:
	case PG_CORE:
		break;
	}
	if (arm_gate(pg, pg->base + off, size, false, &v))
		return v;
	return page_access(pg, pg->base + off, size, false, 0);
}

static void mmio_write(uc_engine *uc, uint64_t off, unsigned size,
		       uint64_t value, void *arg)
{
	struct mmio_page *pg = arg;
	struct mmio_access acc = { .address = pg->base + off,
				   .size = size,
				   .is_write = true,
				   .value = value };
	uint64_t v;

	(void)uc;
	if (pg->xc->dead)
		return;
	switch (pg->kind) {
	case PG_PL011:
		pl011(pg->xc, off, true, value);
		return;
	case PG_GICC:
		gic_cpu_access(pg->xc->id, off, true, (uint32_t)value,
			       xc_now(pg->xc));
		return;
	case PG_DIRECT:
		hal_phys_access(hpa(pg->hpa + off), &acc);
		return;
	case PG_GICD:
	case PG_CORE:
		break;
	}
	if (!arm_gate(pg, pg->base + off, size, true, &v))
		page_access(pg, pg->base + off, size, true, value);
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
	/* x86: decoded and emulated as the VT-x/AMD-V backends do. */
	if (!xc->arm && type != UC_MEM_FETCH_UNMAPPED)
		return xc_x86_mmio(xc, addr);
	if (type == UC_MEM_FETCH_UNMAPPED ||
	    map_mmio(xc, addr & ~(PAGE - 1), PAGE, xc_gic_page(xc, addr), 0)) {
		fault(xc, addr, WD_R_cpu_exception, addr);
		xc_stop(xc, STOP_FAULT);
		return false;
	}
	return true; /* Unicorn retries the access on the new page */
}

/* ---- ARMv7 -------------------------------------------------------------- */

#define ARM_HVC_WARDEN 0xe144a478 /* hvc #0x4a48 */
#define ARM_HVC_PSCI 0xe1400070	  /* hvc #0 */
#define ARM_WFI 0xe320f003

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

static void arm_set_r0(struct xcpu *xc, uint32_t v)
{
	uc_reg_write(xc->uc, UC_ARM_REG_R0, &v);
}

/* The ARM CPU runs in USR mode (PL0). */
static bool arm_user(struct xcpu *xc)
{
	return (xc_arm_reg(xc, UC_ARM_REG_CPSR) & 0x1f) == 0x10;
}

void xc_fault(struct xcpu *xc, uint64_t item)
{
	fault(xc, item, WD_R_cpu_exception, item);
	xc_stop(xc, STOP_FAULT);
}

/*
 * PSCI from the cell (smc #0 or hvc #0): function in r0, result in r0.
 * arch-armv7/psci.c decides, as for the ARMv7 backend (traps.c).
 */
static void arm_psci(struct xcpu *xc)
{
	struct cell *self = core_cpu_cell(xc->id);
	struct psci_decision d;
	enum access_result res;
	bool running;

	sim_set_cpu(xc->id);
	psci_decide(xc_arm_reg(xc, UC_ARM_REG_R0),
		    xc_arm_reg(xc, UC_ARM_REG_R1),
		    xc_arm_reg(xc, UC_ARM_REG_R2),
		    xc_arm_reg(xc, UC_ARM_REG_R3),
		    psci_machine_cpus(core_system_config()), &d);
	switch (d.action) {
	case PSCI_ACT_ANSWER:
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		arm_set_r0(xc, (uint32_t)d.answer);
		return;
	case PSCI_ACT_AFFINITY:
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		arm_set_r0(xc, (uint32_t)psci_affinity_answer(
				       d.cpu < WD_MAX_CPUS &&
					       core_cpu_cell(d.cpu) == self,
				       d.cpu < WD_MAX_CPUS &&
					       !(core_cpu_flags(d.cpu) &
						 CORE_CPU_PARKED)));
		return;
	case PSCI_ACT_MACHINE:
		res = core_machine_control(d.off, WD_METHOD_PSCI);
		if (res == ACCESS_DENIED) {
			xc_stop(xc, STOP_DENIED);
			return;
		}
		arm_set_r0(xc, PSCI_SUCCESS);
		return;
	case PSCI_ACT_CPU_OFF:
		/* No return on success: the CPU waits, off, for a CPU_ON. */
		core_cpu_off();
		xc_stop(xc, STOP_DENIED);
		return;
	case PSCI_ACT_CPU_ON:
		running = !(core_cpu_flags(d.cpu) & CORE_CPU_PARKED);
		/* r0 of the started CPU; only for a CPU of this cell. */
		if (!running && core_cpu_cell(d.cpu) == self)
			ex.cpus[d.cpu].context = d.context;
		res = core_cpu_on(d.cpu, d.entry);
		if (res == ACCESS_DENIED) {
			xc_stop(xc, STOP_DENIED);
			return;
		}
		arm_set_r0(xc, (uint32_t)psci_cpu_on_answer(running));
		return;
	}
}

static void hook_intr_arm(uc_engine *uc, uint32_t intno, void *arg)
{
	struct xcpu *xc = arg;
	uint32_t pc = (uint32_t)xc_pc(xc), insn = 0;
	long ret;

	(void)uc;
	if (xc->why != RUNNING)
		return;
	if (intno == 13) { /* smc, PC after it */
		arm_psci(xc);
		return;
	}
	if (intno != 11 || uc_mem_read(xc->uc, pc - 4, &insn, 4)) {
		xc_fault(xc, pc);
		return;
	}
	if (insn == ARM_HVC_PSCI) {
		arm_psci(xc);
		return;
	}
	if (insn != ARM_HVC_WARDEN) {
		xc_fault(xc, pc - 4);
		return;
	}
	sim_set_cpu(xc->id);
	ret = core_hypercall(xc_arm_reg(xc, UC_ARM_REG_R0),
			     xc_arm_reg(xc, UC_ARM_REG_R1),
			     xc_arm_reg(xc, UC_ARM_REG_R2), arm_user(xc));
	arm_set_r0(xc, (uint32_t)ret);
	if (parked(xc))
		xc_stop(xc, STOP_DENIED);
}

/*
 * Is the instruction at the PC an HVC (A1 or T1 encoding)? Unicorn makes
 * one executed in USR mode an invalid instruction, PC at it.
 */
static bool arm_hvc_at_pc(struct xcpu *xc)
{
	uint32_t pc = (uint32_t)xc_pc(xc), insn = 0;
	uint16_t hw[2] = { 0, 0 };

	if (xc_arm_reg(xc, UC_ARM_REG_CPSR) & ARM_CPSR_T)
		return !uc_mem_read(xc->uc, pc, hw, sizeof(hw)) &&
		       (hw[0] & 0xfff0) == 0xf7e0 && (hw[1] & 0xf000) == 0x8000;
	return !uc_mem_read(xc->uc, pc, &insn, sizeof(insn)) &&
	       (insn & 0x0ff000f0) == 0x01400070;
}

static bool hook_invalid_arm(uc_engine *uc, void *arg)
{
	struct xcpu *xc = arg;

	(void)uc;
	/*
	 * HVC in USR mode is UNDEFINED (ARM ARM B9.3.3): the cell takes its
	 * own undefined instruction exception, the hypervisor sees nothing.
	 */
	if (arm_user(xc) && arm_hvc_at_pc(xc)) {
		xc_arm_undefined(xc, 4);
		return true;
	}
	xc_fault(xc, xc_pc(xc));
	return false;
}

/* The sim's PL011: DR writes go to the cell's console, FR says TXFE. */
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFE 0x80

/* The sim's PL011s: the board's, else where the consoles say. */
static bool pl011_at(struct xcpu *xc, uint64_t base)
{
	const struct wd_console *c = &core_cell_config(xc->cell)->console;
	const struct wd_console *d = &core_system_config()->debug_console;
	const struct board *b = board_get();
	unsigned int i;

	if (b) {
		for (i = 0; i < b->num_uarts; i++)
			if (b->uart[i] == base)
				return true;
		return false;
	}
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
	return xc->uc && !xc->dead && !parked(xc) &&
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
			fault(xc, pc, WD_R_cpu_exception, pc);
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
	sim_set_pio_hook(pio_device, NULL);
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
	free(ex.uart.buf);
	memset(&ex, 0, sizeof(ex));
}
