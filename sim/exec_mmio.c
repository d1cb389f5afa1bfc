// SPDX-License-Identifier: GPL-2.0
/*
 * Device pages of executed CPUs (uc_mmio_map): a page the cell maps
 * straight to a device, the sim's PL011, the GIC, and pages the core
 * emulates (each access through core_mmio). The unmapped hook maps an ARM
 * access's page on first use (x86 accesses go to exec_x86.c); arm_gate
 * sees an access to an emulated page as the ARMv7 backend does first.
 */
#include <stdlib.h>

#include <unicorn/unicorn.h>

#include "../arch-armv7/decode.h"
#include "../hal/core.h"
#include "../hal/hal.h"
#include "decode.h"
#include "exec_int.h"
#include "intc.h"
#include "record.h"
#include "sim.h"

/* Refuse the ARM access at the PC as the backend does: an exception
 * record of the data abort (EC 0x24), the cell fails with @why, @item. */
static void arm_refuse(struct xcpu *xc, enum wd_reason why, uint64_t item)
{
	xc_refuse(xc,
		  &(struct wd_trap){ .kind = WD_TRAP_EXCEPTION, .addr = 0x24 },
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
		return xc_pl011(pg->xc, off, false, 0);
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
		xc_pl011(pg->xc, off, true, value);
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

int xc_map_mmio(struct xcpu *xc, uint64_t base, uint64_t size,
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
	if (kind == PG_DIRECT && xc->arm && xc_pl011_at(xc, hpa_base))
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

bool xc_hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
		      int64_t value, void *arg)
{
	struct xcpu *xc = arg;

	(void)uc;
	(void)size;
	(void)value;
	/* x86: decoded and emulated as the VT-x/AMD-V backends do. */
	if (!xc->arm && type != UC_MEM_FETCH_UNMAPPED)
		return xc_x86_mmio(xc, addr, type == UC_MEM_WRITE_UNMAPPED);
	if (type == UC_MEM_FETCH_UNMAPPED ||
	    xc_map_mmio(xc, addr & ~(PAGE - 1), PAGE, xc_gic_page(xc, addr),
			0)) {
		xc_exception(xc, addr, WD_R_cpu_exception, addr);
		xc_stop(xc, STOP_FAULT);
		return false;
	}
	return true; /* Unicorn retries the access on the new page */
}
