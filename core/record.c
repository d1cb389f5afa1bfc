/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Trap records (record.h): the one place that turns the core's answer into
 * a record's outcome, for every backend. Each CPU has at most one open
 * record, the trap it is handling. Built only into a core that makes
 * records (WARDEN_TRAP_RECORDS: the simulator, the trap-log images), like
 * core_set_trap_sink, the one way to get them. The trap entries of
 * hal/core.h are here in such a core: each makes the trap's record around
 * the module's handler (CORE_ENTRY, record.h); a core without records has
 * the handlers as its entries.
 */
#include "core.h"
#include "trace.h"
#include "../hal/observe.h"

const struct wd_trap_sink *rec_sink;

struct rec_slot {
	struct wd_trap *t; /* the open record, NULL if none */
	struct cell *cell; /* the trapping cell */
};

static struct rec_slot slots[WD_MAX_CPUS];

void core_set_trap_sink(const struct wd_trap_sink *sink)
{
	__atomic_store_n(&rec_sink, sink, __ATOMIC_RELAXED);
}

static struct rec_slot *open_slot(const struct wd_trap *t)
{
	struct rec_slot *s = &slots[hal_cpu_id() % WD_MAX_CPUS];

	return t && s->t == t ? s : NULL;
}

static void rec_begin(struct wd_trap *t)
{
	const struct wd_trap_sink *sink = rec_sink;
	unsigned int id = hal_cpu_id();
	struct per_cpu *cpu = &per_cpu_table[id];

	if (!sink || !cpu->online)
		return;
	t->cpu = id;
	t->cell_id = cpu->cell->id;
	if (t->kind != WD_TRAP_MMIO)
		t->reg = WD_TRAP_NO_REG;
	t->outcome = WD_OUT_NONE;
	slots[id] = (struct rec_slot){ t, cpu->cell };
	sink->begin(t);
}

static void rec_trap(struct wd_trap *t, unsigned int kind, uint64_t addr,
		     uint64_t value)
{
	*t = (struct wd_trap){ .kind = (uint8_t)kind,
			       .write = kind == WD_TRAP_IRQCHIP,
			       .addr = addr,
			       .value = value };
	rec_begin(t);
}

static void rec_mmio(struct wd_trap *t, const struct mmio_access *acc)
{
	*t = (struct wd_trap){ .kind = WD_TRAP_MMIO,
			       .write = acc->is_write,
			       .size = (uint8_t)acc->size,
			       .reg = acc->insn.len ? acc->insn.reg :
						      WD_TRAP_NO_REG,
			       .sext = acc->insn.sext,
			       .wback = acc->insn.wback,
			       .insn_len = acc->insn.len,
			       .addr = acc->address,
			       .value = acc->is_write ? acc->value : 0 };
	rec_begin(t);
}

static void rec_pio(struct wd_trap *t, const struct pio_access *acc)
{
	*t = (struct wd_trap){ .kind = WD_TRAP_PIO,
			       .write = acc->is_write,
			       .size = (uint8_t)acc->size,
			       .addr = acc->port,
			       .value = acc->is_write ? acc->value : 0 };
	rec_begin(t);
}

static void rec_hvc(struct wd_trap *t, unsigned long code, unsigned long arg1,
		    unsigned long arg2, bool user)
{
	*t = (struct wd_trap){ .kind = WD_TRAP_HVC,
			       .user = user,
			       .addr = code,
			       .value = arg1,
			       .arg2 = arg2 };
	rec_begin(t);
}

static void finish(struct rec_slot *s)
{
	const struct wd_trap_sink *sink = rec_sink;
	struct wd_trap *t = s->t;

	s->t = NULL;
	if (sink)
		sink->end(t);
}

static enum access_result rec_end(struct wd_trap *t, enum access_result res,
				  uint64_t result)
{
	struct rec_slot *s = open_slot(t);

	if (!s)
		return res;
	t->outcome = res == ACCESS_EMULATED  ? WD_OUT_OK :
		     res == ACCESS_FORWARDED ? WD_OUT_FWD :
					       WD_OUT_DENY;
	/* An MMIO read's value: the bytes read, whatever the register had. */
	if (t->kind == WD_TRAP_MMIO && t->size < 8)
		result &= (1ULL << (8 * t->size)) - 1;
	t->result = t->outcome == WD_OUT_DENY || t->write ||
				    !wd_trap_kind_has_value(t->kind) ?
			    0 :
			    result;
	if (t->outcome == WD_OUT_DENY) {
		t->reason = s->cell->fail_reason;
		t->item = s->cell->fail_item;
	}
	finish(s);
	return res;
}

static long rec_end_ret(struct wd_trap *t, long ret)
{
	struct rec_slot *s = open_slot(t);

	if (!s)
		return ret;
	t->outcome = WD_OUT_RET;
	t->result = (uint64_t)ret;
	if (ret < 0) {
		t->reason = s->cell->last_reason.code;
		t->item = s->cell->last_reason.item;
	}
	finish(s);
	return ret;
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

/* ---- the trap entries of hal/core.h, with their records ---------------- */

long core_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2,
		    bool user)
{
	struct wd_trap t;

	rec_hvc(&t, code, arg1, arg2, user);
	return rec_end_ret(&t,
			   core_hypercall_unrecorded(code, arg1, arg2, user));
}

enum access_result core_mmio(struct mmio_access *acc)
{
	struct wd_trap t;
	enum access_result res;

	rec_mmio(&t, acc);
	res = core_mmio_unrecorded(acc);
	return rec_end(&t, res, acc->value);
}

enum access_result core_pio(struct pio_access *acc)
{
	struct wd_trap t;
	enum access_result res;

	rec_pio(&t, acc);
	res = core_pio_unrecorded(acc);
	return rec_end(&t, res, acc->value);
}

enum access_result core_irqchip_access(uint64_t chip, unsigned int pin)
{
	struct wd_trap t;

	rec_trap(&t, WD_TRAP_IRQCHIP, pin, chip);
	return rec_end(&t, core_irqchip_access_unrecorded(chip, pin), 0);
}

enum access_result core_machine_control(bool off, unsigned int method)
{
	struct wd_trap t;

	rec_trap(&t, off ? WD_TRAP_POWEROFF : WD_TRAP_RESET, method, 0);
	return rec_end(&t, core_machine_control_unrecorded(off, method), 0);
}

enum access_result core_cpu_on(unsigned int target, uint64_t entry)
{
	struct wd_trap t;

	rec_trap(&t, WD_TRAP_CPU_ON, target, entry);
	return rec_end(&t, core_cpu_on_unrecorded(target, entry), 0);
}

enum access_result core_cpu_off(void)
{
	struct wd_trap t;

	rec_trap(&t, WD_TRAP_CPU_OFF, 0, 0);
	return rec_end(&t, core_cpu_off_unrecorded(), 0);
}

/* The backend filled in the request (@req). */
void core_trap_denied(const struct wd_trap *req, enum wd_reason reason,
		      uint64_t item)
{
	struct wd_trap t = *req;

	rec_begin(&t);
	core_trap_denied_unrecorded(req, reason, item);
	(void)rec_end(&t, ACCESS_DENIED, 0);
}

enum access_result core_trap_refused(const struct wd_trap *req,
				     enum wd_reason reason, uint64_t item)
{
	struct wd_trap t = *req;

	rec_begin(&t);
	return rec_end(&t, core_trap_refused_unrecorded(req, reason, item), 0);
}
