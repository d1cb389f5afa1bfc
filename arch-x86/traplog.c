/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 trap log (traplog.h): records as warden-sim writes them, cells
 * named by their config names, a `respond` directive before a management
 * call that asked a running cell to shut down (how the cell answered,
 * which the replayer must know).
 */
#include "traplog.h"

#ifdef WARDEN_TRAP_LOG
#include "../core/trace.h"
#include "x86.h"

struct log_state {
	struct wd_trap trap;
	bool active;   /* a record is open on this CPU */
	bool in_order; /* this CPU holds the ordered section */
	bool owes;     /* left it for a wait, takes it back to act */
	bool target_running;
	uint32_t reason_seq; /* core_last_reason()->seq before the call */
	char cell[WD_CELL_NAME_MAXLEN + 1];
	char target[WD_CELL_NAME_MAXLEN + 1];
};

static struct log_state logs[X86_MAX_CPUS];

/*
 * The ordered section (the ARMv7 log's rule, docs/arm.md "Trap log"): one
 * exit at a time is handled and recorded, so records come out in the order
 * of their effects whatever the timing. A CPU waiting in the core
 * (hal_cpu_relax: a cell's answer to a shutdown request, the management
 * lock) leaves it meanwhile, so the CPUs it waits for can trap; a
 * management call takes it back after a wait only if it is free, else
 * before it parks or suspends another CPU and before its record. The
 * section goes to whichever CPU takes it first, never handed over. A CPU
 * waiting for it honours park and suspend requests (hal_cpu_relax); only
 * its holder makes them, so there is no deadlock.
 */
static uint32_t order_owner; /* holder's CPU + 1; 0: free */

static struct log_state *this_log(void)
{
	return &logs[hal_cpu_id() % X86_MAX_CPUS];
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
					 hal_cpu_id() % X86_MAX_CPUS + 1, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return false;
	l->in_order = true;
	return true;
}

static void order_take(struct log_state *l)
{
	while (!order_try(l))
		hal_cpu_relax(); /* not in the section: no leave/return */
}

void x86_log_trap_enter(void)
{
	struct log_state *l = this_log();

	if (!l->in_order)
		order_take(l);
}

void x86_log_trap_exit(void)
{
	struct log_state *l = this_log();

	l->owes = false;
	if (l->in_order)
		order_release(l);
}

void x86_log_sync(void)
{
	struct log_state *l = this_log();

	if (!l->owes)
		return;
	l->owes = false;
	order_take(l);
}

bool x86_log_leave(void)
{
	struct log_state *l = this_log();

	if (!l->in_order)
		return false;
	order_release(l);
	return true;
}

void x86_log_return(bool left)
{
	struct log_state *l = this_log();
	bool management = l->active && l->trap.kind == WD_TRAP_HVC &&
			  l->trap.addr <= WD_HC_CELL_DESTROY;

	if (!left)
		return;
	if (!management)
		order_take(l);
	else if (!order_try(l))
		l->owes = true;
}

void x86_log_parked(void)
{
	struct log_state *l = this_log();

	l->owes = false;
	l->active = false;
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

static uint16_t log_port; /* 0: the console */
static uint32_t port_lock;

void x86_log_to_port(uint16_t port)
{
	log_port = port;
}

static void put(char c)
{
	if (log_port)
		outb(log_port, (uint8_t)c);
	else
		hal_console_putc(c);
}

/* A whole line: the console keeps a CPU's line from its first character
 * to its '\n'; the port, its own lock. */
static void line_out(const char *a, const char *b, const char *c)
{
	const char *parts[3] = { a, b, c };
	unsigned int i;

	while (log_port && __atomic_exchange_n(&port_lock, 1, __ATOMIC_ACQUIRE))
		cpu_pause();
	for (i = 0; i < 3; i++)
		while (parts[i] && *parts[i])
			put(*parts[i]++);
	put('\n');
	if (log_port)
		__atomic_store_n(&port_lock, 0, __ATOMIC_RELEASE);
}

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

/* How the target of a management call answered its shutdown request. */
static void respond_line(struct log_state *l, const struct wd_trap *t)
{
	const struct wd_reason_record *r = core_last_reason();
	const char *answer = NULL;

	if (r->seq != l->reason_seq && r->code == WD_R_shutdown_timeout)
		answer = " none";
	else if ((int64_t)t->result >= 0)
		answer = " approved";
	else if (t->reason == WD_R_shutdown_denied)
		answer = " denied";
	if (answer)
		line_out("respond ", l->target, answer);
}

static void log_end(const struct wd_trap *t)
{
	struct log_state *l = this_log();
	char buf[256];

	if (!l->active)
		return;
	x86_log_sync();
	l->trap = *t;
	if (t->outcome == WD_OUT_RET && l->target_running)
		respond_line(l, t);
	wd_trap_format(buf, sizeof(buf), &l->trap, l->cell);
	line_out(buf, NULL, NULL);
	l->active = false;
}

static const struct wd_trap_sink log_sink = { log_begin, log_end };

void x86_log_init(void)
{
	core_set_trap_sink(&log_sink);
}
#endif
