/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Trap records (record.h): the one place that turns the core's answer into
 * a record's outcome, for every backend. Each CPU has at most one open
 * record, the trap it is handling. Built only into a core that makes
 * records (WARDEN_TRAP_RECORDS: the simulator, the trap-log images);
 * core_set_trap_sink and core_trap_denied, which every core has, are in
 * panic.c.
 */
#include "core.h"

const struct wd_trap_sink *rec_sink;

struct rec_slot {
	struct wd_trap *t; /* the open record, NULL if none */
	struct cell *cell; /* the trapping cell */
};

static struct rec_slot slots[WD_MAX_CPUS];

static struct rec_slot *open_slot(const struct wd_trap *t)
{
	struct rec_slot *s = &slots[hal_cpu_id() % WD_MAX_CPUS];

	return t && s->t == t ? s : NULL;
}

void rec_begin(struct wd_trap *t)
{
	const struct wd_trap_sink *sink = rec_sink;
	unsigned int id = hal_cpu_id();
	struct per_cpu *cpu = core_per_cpu(id);

	if (!sink || !cpu || !cpu->online || !cpu->cell)
		return;
	t->cpu = id;
	t->cell_id = cpu->cell->id;
	if (t->kind != WD_TRAP_MMIO)
		t->reg = WD_TRAP_NO_REG;
	t->outcome = WD_OUT_NONE;
	slots[id] = (struct rec_slot){ t, cpu->cell };
	sink->begin(t);
}

static void finish(struct rec_slot *s)
{
	const struct wd_trap_sink *sink = rec_sink;
	struct wd_trap *t = s->t;

	s->t = NULL;
	if (sink)
		sink->end(t);
}

void rec_end(struct wd_trap *t, enum access_result res, uint64_t result)
{
	struct rec_slot *s = open_slot(t);

	if (!s)
		return;
	t->outcome = res == ACCESS_EMULATED  ? WD_OUT_OK :
		     res == ACCESS_FORWARDED ? WD_OUT_FWD :
					       WD_OUT_DENY;
	t->result = t->outcome == WD_OUT_DENY || t->write ||
				    !wd_trap_kind_has_value(t->kind) ?
			    0 :
			    result;
	if (t->outcome == WD_OUT_DENY) {
		t->reason = s->cell->fail_reason;
		t->item = s->cell->fail_item;
	}
	finish(s);
}

void rec_end_ret(struct wd_trap *t, long ret)
{
	struct rec_slot *s = open_slot(t);

	if (!s)
		return;
	t->outcome = WD_OUT_RET;
	t->result = (uint64_t)ret;
	if (ret < 0) {
		t->reason = s->cell->last_reason.code;
		t->item = s->cell->last_reason.item;
	}
	finish(s);
}

void rec_stop(void)
{
	struct rec_slot *s = &slots[hal_cpu_id() % WD_MAX_CPUS];

	if (!s->t)
		return;
	s->t->outcome = WD_OUT_STOP;
	s->t->result = 0;
	finish(s);
}

void rec_forget(unsigned int cpu)
{
	if (cpu < WD_MAX_CPUS && cpu != hal_cpu_id())
		slots[cpu].t = NULL;
}
