// SPDX-License-Identifier: GPL-2.0
/*
 * Trap records of executed CPUs (--trace, sim/record.h): each trap the
 * core answered, as the record a hardware backend's trap log would hold,
 * with the facts of the instruction for an MMIO access.
 */
#include <unicorn/unicorn.h>

#include "../core/trace.h"
#include "../hal/core.h"
#include "decode.h"
#include "exec_int.h"
#include "record.h"
#include "sim.h"
#include "trace.h"

/* Record @t, which the core answered with @res (hypercalls: t->result). */
void xc_record(struct xcpu *xc, struct wd_trap *t, enum access_result res)
{
	struct cell *cell = xc->cell;

	if (!record_on() || !cell)
		return;
	t->cpu = xc->id;
	t->cell_id = core_cell_id(cell);
	if (t->kind != WD_TRAP_MMIO)
		t->reg = WD_TRAP_NO_REG;
	if (t->kind == WD_TRAP_HVC) {
		t->outcome = WD_OUT_RET;
		if ((long)t->result < 0) {
			t->reason = core_cell_last_reason(cell)->code;
			t->item = core_cell_last_reason(cell)->item;
		}
	} else {
		trace_set_outcome(t, res, cell);
	}
	if (sim_machine_stopped())
		t->outcome = WD_OUT_STOP;
	record_trap(t, core_cell_config(cell)->name);
}

void xc_record_fault(struct xcpu *xc, uint64_t item)
{
	struct wd_trap t = { .kind = WD_TRAP_EXCEPTION, .addr = item };

	xc_record(xc, &t, ACCESS_DENIED);
}

/* An MMIO trap, with the facts of the instruction at the PC. */
void xc_record_mmio(struct xcpu *xc, const struct mmio_access *acc,
		    enum access_result res)
{
	struct wd_trap t = { .kind = WD_TRAP_MMIO,
			     .write = acc->is_write,
			     .size = (uint8_t)acc->size,
			     .reg = WD_TRAP_NO_REG,
			     .addr = acc->address };
	uint64_t pc = xc_pc(xc);
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
	xc_record(xc, &t, res);
}
