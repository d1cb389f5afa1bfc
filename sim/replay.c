// SPDX-License-Identifier: GPL-2.0
/*
 * Trace replay. The replayer plays the backend: it makes the recorded CPU
 * current, hands the recorded trap to the matching core entry (or, for a
 * trap the backend refuses itself, to core_trap_denied), and compares the
 * record the core produced (captured from the sink, record.c) with the
 * recorded one.
 * Whatever a real device returned is taken from the trace (the device hook
 * answers forwarded reads with the recorded value), so replay depends only
 * on the core's decisions, which is what the golden traces pin down.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <warden/hypercall.h>
#include <warden/reason.h>

#include "../core/trace.h"
#include "../hal/observe.h"
#include "../arch-x86/msr.h"
#include "record.h"
#include "replay.h"
#include "sim.h"
#include "trace.h"

/* Virtual time a management call may wait for replies: 1 ms per relax. */
#define MAX_RELAX_CALLS 100000
#define OUT_LEN 256

struct responder {
	char cell[WD_CELL_NAME_MAXLEN + 1];
	unsigned int reply; /* enum trace_reply */
};

/* A record whose outcome --update replaces. */
struct fix {
	unsigned int line;
	size_t start, end;
	char text[OUT_LEN];
};

struct replay {
	const struct replay_opts *opts;
	FILE *out;
	struct trace_reader *r;
	char *err;
	size_t err_len;
	unsigned int line;  /* of the item being replayed */
	unsigned int shown; /* last line echoed in verbose mode */

	bool machine, enabled;
	void *system;
	size_t system_size;

	struct responder resp[WD_MAX_CELLS];
	unsigned int num_resp;

	uint64_t dev_val; /* what the device returns to the next read */
	/* An exception record's reason and item: the backend's decision
	 * (cpu_exception and the vector, or the ARM decoder's refusal). */
	enum wd_reason exc_reason;
	uint64_t exc_item;
	unsigned int relax_calls;
	jmp_buf hang;

	struct fix *fixes;
	unsigned int num_fixes, cap_fixes;

	unsigned int records, by_kind[WD_TRAP_KIND_COUNT];
	unsigned int denied, stops, mismatches;
};

static int fail(struct replay *rp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record "FILE:LINE: what" as the replay's error. */
static int fail(struct replay *rp, const char *fmt, ...)
{
	char msg[TRACE_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rp->err, rp->err_len, "%s:%u: %s", trace_path(rp->r), rp->line,
		 msg);
	return -1;
}

/* ---- cells, found through the CPUs they own ---------------------------- */

static struct cell *cpu_cell(unsigned int cpu)
{
	struct cell *cell = core_cpu_cell(cpu);

	return cell && core_cell_config(cell) ? cell : NULL;
}

static struct cell *find_cell(const char *name)
{
	unsigned int cpu;
	struct cell *cell;

	for (cpu = 0; cpu < sim_num_cpus(); cpu++) {
		cell = cpu_cell(cpu);
		if (cell && !strncmp(core_cell_config(cell)->name, name,
				     sizeof(core_cell_config(cell)->name)))
			return cell;
	}
	return NULL;
}

/* ---- sim hooks --------------------------------------------------------- */

/* Allowed ports: reads return the value the trace recorded. */
static void port_access(void *arg, struct pio_access *acc)
{
	struct replay *rp = arg;

	if (!acc->is_write)
		acc->value = (uint32_t)rp->dev_val;
}

/* The physical device: reads return the value the trace recorded. */
static void device_access(void *arg, uint64_t addr, struct mmio_access *acc)
{
	struct replay *rp = arg;

	(void)addr;
	if (!acc->is_write)
		acc->value = rp->dev_val;
}

static uint32_t reply_for(unsigned int reply, uint32_t msg)
{
	/* Information messages are acknowledged whatever the policy. */
	if (msg != WD_MSG_SHUTDOWN_REQUEST)
		return WD_MSG_RECEIVED;
	return reply == TRACE_REPLY_APPROVED ? WD_MSG_REQUEST_APPROVED :
					       WD_MSG_REQUEST_DENIED;
}

/* The cells' side of the comm region while the core waits for replies. */
static void relax(void *arg)
{
	struct replay *rp = arg;
	struct wd_comm_region *comm;
	struct cell *cell;
	unsigned int i;

	if (++rp->relax_calls > MAX_RELAX_CALLS)
		longjmp(rp->hang, 1);
	for (i = 0; i < rp->num_resp; i++) {
		cell = find_cell(rp->resp[i].cell);
		if (!cell || !core_cell_comm(cell) ||
		    rp->resp[i].reply == TRACE_REPLY_NONE)
			continue;
		comm = core_cell_comm(cell);
		if (comm->msg_to_cell != WD_MSG_NONE &&
		    comm->reply_from_cell == WD_MSG_NONE)
			comm->reply_from_cell =
				reply_for(rp->resp[i].reply, comm->msg_to_cell);
	}
}

/* ---- directives -------------------------------------------------------- */

static int do_machine(struct replay *rp, const struct trace_item *it)
{
	if (rp->machine)
		return fail(rp, "machine already created");
	if (sim_machine_init(it->num[0], it->num[1], (unsigned int)it->num[2]))
		return fail(rp,
			    "cannot create the machine (ram=0x%" PRIx64
			    " size=0x%" PRIx64 " cpus=%" PRIu64 ")",
			    it->num[0], it->num[1], it->num[2]);
	rp->machine = true;
	sim_set_device_hook(device_access, rp);
	sim_set_pio_hook(port_access, rp);
	sim_set_relax_hook(relax, rp);
	return 0;
}

static int do_system(struct replay *rp, const struct trace_item *it)
{
	char path[TRACE_PATH_LEN * 2];

	trace_resolve(rp->r, it->path, path, sizeof(path));
	free(rp->system);
	rp->system = sim_read_file(path, &rp->system_size);
	if (!rp->system)
		return fail(rp, "system: %s: %s", path, strerror(errno));
	return 0;
}

static int do_load(struct replay *rp, const struct trace_item *it)
{
	char path[TRACE_PATH_LEN * 2];
	size_t len;
	void *data, *dst;

	if (!rp->machine)
		return fail(rp, "load before 'machine'");
	trace_resolve(rp->r, it->path, path, sizeof(path));
	data = sim_read_file(path, &len);
	if (!data)
		return fail(rp, "load: %s: %s", path, strerror(errno));
	dst = sim_phys_ptr(it->num[0], len);
	if (dst)
		memcpy(dst, data, len);
	free(data);
	if (!dst)
		return fail(rp, "load: [0x%" PRIx64 ", +0x%zx) is not RAM",
			    it->num[0], len);
	return 0;
}

static int compare(struct replay *rp, const struct trace_item *it,
		   const struct wd_trap *actual);

static int do_enable(struct replay *rp, const struct trace_item *it)
{
	const struct wd_reason_record *why;
	struct wd_trap t = { .kind = WD_TRAP_HVC, .outcome = WD_OUT_RET };
	long ret;

	if (!rp->machine || !rp->system)
		return fail(rp, "enable needs 'machine' and 'system' first");
	ret = sim_enable(rp->system, rp->system_size);
	rp->enabled = ret == 0;
	t.result = (uint64_t)ret;
	if (ret < 0) {
		why = core_last_reason();
		t.reason = why->code;
		t.item = why->item;
	}
	if (it->has_expect)
		return compare(rp, it, &t);
	if (ret)
		return fail(rp,
			    "enable failed: ret=%ld reason=%s item=0x%" PRIx64,
			    ret, wd_reason_name(t.reason), t.item);
	return 0;
}

static int do_respond(struct replay *rp, const struct trace_item *it)
{
	unsigned int i;

	for (i = 0; i < rp->num_resp; i++)
		if (!strcmp(rp->resp[i].cell, it->cell))
			break;
	if (i == WD_MAX_CELLS)
		return fail(rp, "too many responders");
	if (i == rp->num_resp) {
		rp->num_resp++;
		snprintf(rp->resp[i].cell, sizeof(rp->resp[i].cell), "%s",
			 it->cell);
	}
	rp->resp[i].reply = (unsigned int)it->num[0];
	return 0;
}

static int do_state(struct replay *rp, const struct trace_item *it)
{
	struct cell *cell = find_cell(it->cell);

	if (!cell || !core_cell_comm(cell))
		return fail(rp, "state: no cell '%s'", it->cell);
	core_cell_comm(cell)->cell_state = (uint32_t)it->num[0];
	return 0;
}

static int do_expect_state(struct replay *rp, const struct trace_item *it)
{
	struct cell *cell = find_cell(it->cell);
	unsigned int state = cell && core_cell_comm(cell) ?
				     core_cell_comm(cell)->cell_state :
				     TRACE_STATE_GONE;

	if (state == it->num[0])
		return 0;
	return fail(rp, "expected cell '%s' %s, got %s", it->cell,
		    trace_state_name((unsigned int)it->num[0]),
		    trace_state_name(state));
}

static int do_expect_console(struct replay *rp, const struct trace_item *it)
{
	if (sim_text_find(sim_console_text(), it->text))
		return 0;
	return fail(rp, "expected console to contain '%s'", it->text);
}

static int do_directive(struct replay *rp, const struct trace_item *it)
{
	switch (it->dir) {
	case TRACE_DIR_MACHINE:
		return do_machine(rp, it);
	case TRACE_DIR_SYSTEM:
		return do_system(rp, it);
	case TRACE_DIR_LOAD:
		return do_load(rp, it);
	case TRACE_DIR_ENABLE:
		return do_enable(rp, it);
	case TRACE_DIR_RESPOND:
		return do_respond(rp, it);
	case TRACE_DIR_STATE:
		return do_state(rp, it);
	case TRACE_DIR_EXPECT_STATE:
		return do_expect_state(rp, it);
	case TRACE_DIR_EXPECT_CONSOLE:
		return do_expect_console(rp, it);
	}
	return fail(rp, "unknown directive");
}

/* ---- records ----------------------------------------------------------- */

/* The recorded CPU exists, runs under the hypervisor in the named cell. */
static int check_cpu(struct replay *rp, const struct trace_item *it)
{
	unsigned int cpu = it->trap.cpu;
	struct cell *cell;

	if (!rp->enabled)
		return fail(rp, "record before the hypervisor is enabled");
	if (sim_machine_stopped())
		return fail(rp, "record after the machine stopped");
	if (cpu >= sim_num_cpus())
		return fail(rp, "cpu=%u out of range (the machine has %u CPUs)",
			    cpu, sim_num_cpus());
	cell = cpu_cell(cpu);
	if (!cell)
		return fail(rp, "CPU %u is not under the hypervisor", cpu);
	if (strncmp(core_cell_config(cell)->name, it->cell,
		    sizeof(core_cell_config(cell)->name)))
		return fail(rp, "CPU %u belongs to cell '%s', not '%s'", cpu,
			    core_cell_config(cell)->name, it->cell);
	if ((core_cpu_flags(cpu) & CORE_CPU_PARKED) || sim_cpu(cpu)->parked)
		return fail(rp, "CPU %u (cell '%s') is parked: it cannot trap",
			    cpu, it->cell);
	return 0;
}

static void run_mmio(const struct wd_trap *t)
{
	struct mmio_access acc = {
		.address = t->addr,
		.size = t->size,
		.is_write = t->write,
		.value = t->value,
		.insn = { .reg = t->reg,
			  .sext = t->sext,
			  .wback = t->wback,
			  .len = t->insn_len },
	};

	core_mmio(&acc);
}

static void run_pio(const struct wd_trap *t)
{
	struct pio_access acc = {
		.port = (uint16_t)t->addr,
		.size = t->size,
		.is_write = t->write,
		.value = (uint32_t)t->value,
	};

	core_pio(&acc);
}

/* Hand @t to the core as the backend would. */
static void dispatch(struct replay *rp, const struct wd_trap *t)
{
	struct msr_action act;

	switch (t->kind) {
	case WD_TRAP_HVC:
		core_hypercall((unsigned long)t->addr, (unsigned long)t->value,
			       (unsigned long)t->arg2, t->user);
		break;
	case WD_TRAP_MMIO:
		run_mmio(t);
		break;
	case WD_TRAP_PIO:
		run_pio(t);
		break;
	case WD_TRAP_IRQCHIP:
		core_irqchip_access(t->value, (unsigned int)t->addr);
		break;
	case WD_TRAP_RESET:
	case WD_TRAP_POWEROFF:
		core_machine_control(t->kind == WD_TRAP_POWEROFF,
				     (unsigned int)t->addr);
		break;
	case WD_TRAP_EXCEPTION:
		core_trap_denied(t, rp->exc_reason, rp->exc_item);
		break;
	case WD_TRAP_CPU_ON:
		core_cpu_on((unsigned int)t->addr, t->value);
		break;
	case WD_TRAP_CPU_OFF:
		core_cpu_off();
		break;
	case WD_TRAP_MSR:
		/* The x86 policy; its refusals reach the core. */
		x86_msr_policy(t->cpu, (uint32_t)t->addr, t->write, t->value,
			       &act);
		break;
	}
}

/*
 * Run @t in the core; @actual: the record the core produced. A trap the
 * backend handled without the core (an MSR the policy allows) has none:
 * it was emulated, "ok". A core that waits forever for a reply no
 * responder gives does not return here: the relax hook jumps to
 * replay_items().
 */
static void run_record(struct replay *rp, const struct wd_trap *t,
		       struct wd_trap *actual)
{
	rp->relax_calls = 0;
	record_capture(actual);
	dispatch(rp, t);
	record_capture(NULL);
	if (!record_captured()) {
		*actual = *t;
		actual->outcome = WD_OUT_OK;
		actual->result = 0;
	}
}

static int add_fix(struct replay *rp, const struct trace_item *it,
		   const char *text)
{
	struct fix *f;

	if (rp->num_fixes == rp->cap_fixes) {
		unsigned int cap = rp->cap_fixes ? rp->cap_fixes * 2 : 16;

		f = realloc(rp->fixes, cap * sizeof(*f));
		if (!f)
			return fail(rp, "out of memory");
		rp->fixes = f;
		rp->cap_fixes = cap;
	}
	f = &rp->fixes[rp->num_fixes++];
	f->line = it->line;
	f->start = it->out_start;
	f->end = it->out_end;
	snprintf(f->text, sizeof(f->text), "%s", text);
	return 0;
}

static int compare(struct replay *rp, const struct trace_item *it,
		   const struct wd_trap *actual)
{
	struct trace_outcome got = trace_outcome_of(actual);
	char text[OUT_LEN];
	const char *line;
	size_t len;

	if (trace_outcome_equal(&it->expect, &got))
		return 0;
	wd_trap_format_outcome(text, sizeof(text), actual);
	rp->mismatches++;
	if (rp->opts->update)
		return add_fix(rp, it, text);
	line = trace_line(rp->r, it->line, &len);
	return fail(rp, "expected '%.*s', got '%s'",
		    (int)(it->out_end - it->out_start), line + it->out_start,
		    text);
}

static void count(struct replay *rp, const struct wd_trap *t)
{
	rp->records++;
	if (t->kind < WD_TRAP_KIND_COUNT)
		rp->by_kind[t->kind]++;
	rp->denied += t->outcome == WD_OUT_DENY;
	rp->stops += t->outcome == WD_OUT_STOP;
}

static void show_record(struct replay *rp, const struct trace_item *it,
			const struct wd_trap *t);

static int do_record(struct replay *rp, const struct trace_item *it)
{
	struct wd_trap t;

	if (check_cpu(rp, it))
		return -1;
	rp->dev_val = it->expect.keys & TRACE_KEY_VAL ? it->expect.result : 0;
	rp->exc_reason = WD_R_cpu_exception;
	rp->exc_item = it->trap.addr;
	if ((it->expect.keys & TRACE_KEY_REASON) &&
	    (it->expect.keys & TRACE_KEY_ITEM)) {
		rp->exc_reason = (enum wd_reason)it->expect.reason;
		rp->exc_item = it->expect.item;
	}
	sim_set_cpu(it->trap.cpu);
	run_record(rp, &it->trap, &t);
	count(rp, &t);
	if (rp->opts->verbose)
		show_record(rp, it, &t);
	return compare(rp, it, &t);
}

/* ---- verbose output ---------------------------------------------------- */

/* Echo the comments and blank lines before @line: they tell the story. */
static void show_comments(struct replay *rp, unsigned int upto)
{
	const char *s;
	size_t len, i;

	while (rp->shown + 1 < upto) {
		s = trace_line(rp->r, ++rp->shown, &len);
		for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		if (i == len || s[i] == '#')
			fprintf(rp->out, "%.*s\n", (int)len, s);
	}
	rp->shown = upto;
}

static void show_record(struct replay *rp, const struct trace_item *it,
			const struct wd_trap *t)
{
	char buf[512];

	wd_trap_format(buf, sizeof(buf), t, it->cell);
	fprintf(rp->out, "%5u  %s", it->line, buf);
	if (t->kind == WD_TRAP_HVC)
		fprintf(rp->out, "   [%s]", trace_hvc_name(t->addr));
	fputc('\n', rp->out);
	if (t->outcome == WD_OUT_DENY ||
	    (t->outcome == WD_OUT_RET && (int64_t)t->result < 0)) {
		wd_reason_describe(buf, sizeof(buf), t->reason, t->item);
		fprintf(rp->out, "       ^ %s: %s\n",
			t->outcome == WD_OUT_DENY ? "denied, cell contained" :
						    "refused",
			buf);
	} else if (t->outcome == WD_OUT_STOP)
		fprintf(rp->out, "       ^ machine stopped\n");
}

static void show_directive(struct replay *rp, const struct trace_item *it)
{
	size_t len;
	const char *s = trace_line(rp->r, it->line, &len);

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	fprintf(rp->out, "%5u  %.*s\n", it->line, (int)len, s);
}

static void show_cells(struct replay *rp)
{
	struct cell *seen[WD_MAX_CPUS];
	unsigned int n = 0, cpu, i, c;
	struct cell *cell;

	fprintf(rp->out, "cells:\n");
	for (cpu = 0; cpu < sim_num_cpus(); cpu++) {
		cell = cpu_cell(cpu);
		for (i = 0; cell && i < n && seen[i] != cell; i++)
			;
		if (!cell || i < n)
			continue;
		seen[n++] = cell;
		fprintf(rp->out, "  %-16s id %u  %-10s CPUs",
			core_cell_config(cell)->name, core_cell_id(cell),
			core_cell_comm(cell) ?
				trace_state_name(
					core_cell_comm(cell)->cell_state) :
				"?");
		for (c = 0; c < sim_num_cpus(); c++)
			if (cpu_cell(c) == cell)
				fprintf(rp->out, " %u%s", c,
					sim_cpu(c)->parked ? "(parked)" : "");
		if (core_cell_comm(cell) &&
		    core_cell_comm(cell)->cell_state == WD_CELL_FAILED)
			fprintf(rp->out, "  failed: %s item 0x%" PRIx64,
				wd_reason_name(core_cell_fail_reason(cell)),
				core_cell_fail_item(cell));
		fputc('\n', rp->out);
	}
	if (!n)
		fprintf(rp->out, "  (none: hypervisor not enabled)\n");
}

static void show_summary(struct replay *rp)
{
	const char *sep = " (";
	unsigned int k;

	fprintf(rp->out, "\nsummary: %u records", rp->records);
	for (k = 0; k < WD_TRAP_KIND_COUNT; k++) {
		if (!rp->by_kind[k])
			continue;
		fprintf(rp->out, "%s%s %u", sep, wd_trap_kind_name(k),
			rp->by_kind[k]);
		sep = ", ";
	}
	fprintf(rp->out, "%s; %u hypercalls, %u denied, %u machine stops\n",
		rp->records ? ")" : "", rp->by_kind[WD_TRAP_HVC], rp->denied,
		rp->stops);
	if (rp->machine)
		show_cells(rp);
	fprintf(rp->out, "hypervisor console:\n");
	if (rp->machine)
		sim_text_write(sim_console_text(), rp->out);
}

/* ---- update and the main loop ------------------------------------------ */

static int write_update(struct replay *rp)
{
	const char *data = NULL, *line;
	size_t len, pos = 0, start, n;
	unsigned int i;
	FILE *f;

	data = trace_data(rp->r, &len);
	f = fopen(rp->opts->update, "wb");
	if (!f) {
		snprintf(rp->err, rp->err_len, "%s: %s", rp->opts->update,
			 strerror(errno));
		return -1;
	}
	for (i = 0; i < rp->num_fixes; i++) {
		line = trace_line(rp->r, rp->fixes[i].line, &n);
		start = (size_t)(line - data);
		fwrite(data + pos, 1, start + rp->fixes[i].start - pos, f);
		fputs(rp->fixes[i].text, f);
		pos = start + rp->fixes[i].end;
	}
	fwrite(data + pos, 1, len - pos, f);
	if (fclose(f)) {
		snprintf(rp->err, rp->err_len, "%s: %s", rp->opts->update,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int replay_items(struct replay *rp)
{
	struct trace_item *it = malloc(sizeof(*it));
	int ret = 0, err = 0;

	if (!it) {
		snprintf(rp->err, rp->err_len, "out of memory");
		return -1;
	}
	/* Set once, not per record: the relax hook's way out of the core. */
	if (setjmp(rp->hang)) {
		record_capture(NULL);
		free(it);
		return fail(rp,
			    "the core waits forever for a reply: give "
			    "the cell a 'respond' (or a msg_reply_timeout)");
	}
	while (!err &&
	       (ret = trace_next(rp->r, it, rp->err, rp->err_len)) > 0) {
		rp->line = it->line;
		if (rp->opts->verbose)
			show_comments(rp, it->line);
		if (it->type == TRACE_RECORD) {
			err = do_record(rp, it);
		} else {
			if (rp->opts->verbose)
				show_directive(rp, it);
			err = do_directive(rp, it);
		}
	}
	free(it);
	return err || ret < 0 ? -1 : 0;
}

int replay_file(const char *path, const struct replay_opts *opts, char *err,
		size_t err_len)
{
	struct replay *rp = calloc(1, sizeof(*rp));
	int ret;

	if (!rp) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	rp->opts = opts;
	rp->out = opts->out ? opts->out : stdout;
	rp->err = err;
	rp->err_len = err_len;
	rp->r = trace_open(path, err, err_len);
	if (!rp->r) {
		free(rp);
		return -1;
	}
	/* Verbose output and --update look back at earlier lines. */
	if ((opts->verbose || opts->update) &&
	    trace_keep_all(rp->r, err, err_len)) {
		trace_close(rp->r);
		free(rp);
		return -1;
	}
	ret = replay_items(rp);
	if (opts->verbose)
		show_summary(rp);
	if (!ret && opts->update)
		ret = write_update(rp);
	if (rp->machine) {
		sim_set_device_hook(NULL, NULL);
		sim_set_pio_hook(NULL, NULL);
		sim_set_relax_hook(NULL, NULL);
		sim_machine_free();
	}
	free(rp->system);
	free(rp->fixes);
	trace_close(rp->r);
	free(rp);
	return ret;
}
