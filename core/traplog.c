/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trap log (traplog.h): records as warden-sim writes them, so an
 * emulator run's console, under a trace header, replays in the simulator.
 * Cells are named by their config names; `respond` directives tell the
 * replayer how a cell answered the shutdown request of a management call.
 * Built into the trap-log images only (not in CORE_SRC).
 */
#include "traplog.h"
#include "core.h"
#include "../hal/observe.h"
#include "trace.h"

struct log_state {
	struct wd_trap trap;
	bool active;
	char cell[WD_CELL_NAME_MAXLEN + 1];
	/* target of a management call that may ask a cell to shut down */
	char target[WD_CELL_NAME_MAXLEN + 1];
	bool target_running;
	uint32_t reason_seq; /* core_last_reason()->seq before the call */
	uint32_t printed;    /* records printed by this CPU */
	uint32_t waiting;    /* waits to enter the ordered section */
	bool in_order;	     /* in the ordered section */
	bool owes;	     /* left it for a wait, takes it back to act */
};

static struct log_state logs[WD_MAX_CPUS];
static void (*log_line)(const char *s) = console_line;

/*
 * The log's order. A record is printed when its trap ends, so two CPUs'
 * records could come out in the other order than their effects took place
 * (a cell's CPU that CELL_START or a CPU start released trapping and
 * printing before the record of the call that released it; a read of a
 * value another CPU's trap just wrote). In this build each trap is handled
 * in one ordered section, from its entry to its exit: its core call and
 * its records never overlap another CPU's, so the records come out in the
 * order of their effects, whatever the timing. A CPU that waits in the
 * core (hal_cpu_relax: a cell's reply to a shutdown request, the
 * management lock) leaves the section meanwhile, so the CPUs it waits for
 * can trap; their records come before the waiting call's, as the simulator
 * writes them (docs/abi.md, 6.5).
 *
 * A management call that waits for other CPUs (the cell it asks to shut
 * down, which prints while it answers; the management lock) takes the
 * section back after a wait only if it is free; once another CPU has it,
 * the call stays out for the rest of its waits: the cell's traps must not
 * wait for the root CPU's vCPU to be scheduled, or on a loaded host the
 * cell misses its reply timeout. It takes the section back (traplog_sync)
 * before it acts on other CPUs (park, suspend: every management call's
 * first effect after its waits) and before its record. What it does
 * meanwhile only reads the cells' state.
 *
 * No deadlock: only the CPU in the section asks other CPUs to park or
 * suspend, and a CPU waiting for the section honours such requests (it
 * waits in hal_cpu_relax). A CPU parked there gives up a trap that has had
 * no effect yet: one waiting at its trap's entry, or a management call
 * still waiting for the management lock (the lock's holder, the only one
 * that acts, is never parked). The section is free for whoever comes
 * first, not handed over: a handed-over section waits for its new owner's
 * vCPU to be scheduled, and on a loaded host every CPU then waits for the
 * slowest (two ivshmem cells missed their reply timeouts that way).
 */
static uint32_t order_owner; /* the CPU in the section + 1; 0: free */

static struct log_state *this_log(void)
{
	return &logs[hal_cpu_id() % WD_MAX_CPUS];
}

static void order_release(struct log_state *l)
{
	l->in_order = false;
	__atomic_store_n(&order_owner, 0, __ATOMIC_SEQ_CST);
}

static bool order_try(struct log_state *l)
{
	uint32_t free = 0;

	if (!__atomic_compare_exchange_n(&order_owner, &free,
					 hal_cpu_id() % WD_MAX_CPUS + 1, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return false;
	l->in_order = true;
	return true;
}

static void order_take(struct log_state *l)
{
	__atomic_store_n(&l->waiting, 1, __ATOMIC_SEQ_CST);
	while (!order_try(l))
		hal_cpu_relax(); /* park and suspend requests reach it */
	__atomic_store_n(&l->waiting, 0, __ATOMIC_SEQ_CST);
}

void traplog_trap_enter(void)
{
	struct log_state *l = this_log();

	if (!l->in_order)
		order_take(l);
}

void traplog_trap_exit(void)
{
	struct log_state *l = this_log();

	l->owes = false;
	if (l->in_order)
		order_release(l);
}

void traplog_sync(void)
{
	struct log_state *l = this_log();

	if (!l->owes)
		return;
	l->owes = false;
	order_take(l);
}

bool traplog_leave(void)
{
	struct log_state *l = this_log();

	if (!l->in_order)
		return false;
	order_release(l);
	return true;
}

void traplog_return(bool left)
{
	struct log_state *l = this_log();
	/* A root cell's management call (the only ones that wait for cells). */
	bool management = l->active && l->trap.kind == WD_TRAP_HVC &&
			  l->trap.addr <= WD_HC_CELL_DESTROY;

	if (!left)
		return;
	if (!management)
		order_take(l);
	else if (!order_try(l)) /* taken back only if it is free ... */
		l->owes = true; /* ... else out until it acts */
}

void traplog_parked(void)
{
	struct log_state *l = this_log();

	l->owes = false;
	__atomic_store_n(&l->waiting, 0, __ATOMIC_SEQ_CST);
	if (l->in_order)
		order_release(l);
}

static void copy_name(char *dst, const struct cell *cell)
{
	const char *src = cell ? core_cell_name(cell) : "?";
	unsigned int i;

	for (i = 0; i < WD_CELL_NAME_MAXLEN && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/*
 * The sink's begin: what the record needs of the state before the call
 * (the cell's name, whether a management call's target runs).
 */
static void log_begin(const struct wd_trap *t)
{
	struct log_state *l = this_log();
	struct cell *target;
	uint32_t state;

	l->trap = *t;
	copy_name(l->cell, core_cell_by_id(t->cell_id));
	l->target_running = false;
	l->reason_seq = core_last_reason()->seq;
	if (t->kind == WD_TRAP_HVC && t->addr >= WD_HC_CELL_START &&
	    t->addr <= WD_HC_CELL_DESTROY) {
		target = t->value < WD_MAX_CELLS ?
				 core_cell_by_id((unsigned int)t->value) :
				 NULL;
		if (target && core_cell_comm(target)) {
			state = core_cell_comm(target)->cell_state;
			l->target_running = state == WD_CELL_RUNNING ||
					    state == WD_CELL_RUNNING_LOCKED;
			copy_name(l->target, target);
		}
	}
	l->active = true;
}

/* A management call's record: first how its target answered, which the
 * replayer must know. */
static void respond_line(struct log_state *l, const struct wd_trap *t)
{
	const struct wd_reason_record *r = core_last_reason();
	const char *answer = NULL;
	char line[64];

	if (r->seq != l->reason_seq && r->code == WD_R_shutdown_timeout)
		answer = "none";
	else if ((int64_t)t->result >= 0)
		answer = "approved";
	else if (t->reason == WD_R_shutdown_denied)
		answer = "denied";
	if (!answer)
		return;
	wd_snprintf(line, sizeof(line), "respond %s %s", l->target, answer);
	log_line(line);
}

/* The sink's end: print the record (in the ordered section). */
static void log_end(const struct wd_trap *t)
{
	struct log_state *l = this_log();
	char buf[256];

	if (!l->active)
		return;
	traplog_sync();
	l->trap = *t;
	if (t->outcome == WD_OUT_RET && l->target_running)
		respond_line(l, t);
	wd_trap_format(buf, sizeof(buf), &l->trap, l->cell);
	log_line(buf);
	l->active = false;
	__atomic_fetch_add(&l->printed, 1, __ATOMIC_SEQ_CST);
}

static const struct wd_trap_sink log_sink = { log_begin, log_end };

void traplog_init(void (*line)(const char *s))
{
	if (line)
		log_line = line;
	core_set_trap_sink(&log_sink);
}

#ifdef WARDEN_TRAP_LOG_RACE
#define RACE_NS 500000000ULL

void traplog_released(unsigned int cpu)
{
	struct log_state *t = &logs[cpu % WD_MAX_CPUS];
	uint32_t seen = __atomic_load_n(&t->printed, __ATOMIC_SEQ_CST);
	uint64_t start = hal_time_ns();

	if (!this_log()->active)
		return;
	while (__atomic_load_n(&t->printed, __ATOMIC_SEQ_CST) == seen &&
	       !__atomic_load_n(&t->waiting, __ATOMIC_SEQ_CST) &&
	       hal_time_ns() - start < RACE_NS)
		;
}
#else
void traplog_released(unsigned int cpu)
{
	(void)cpu;
}
#endif
