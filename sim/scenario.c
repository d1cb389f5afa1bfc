// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: a machine, management hypercalls of the root cell (CPU 0),
 * and real inmate images executed in Unicorn (sim/exec.c) against the
 * unchanged core. One directive a line; '#' at the start of a line begins
 * a comment; numbers are decimal or 0x hex; paths are relative to the
 * scenario file. The directives, their arguments and their checks are the
 * rows of sim/directive.c (warden-sim run --help prints them, docs/sim.md
 * lists them); here each has its handler.
 *
 * Without expect=, a management hypercall must not return an error. A
 * scenario without any directive fails, and so does one in which a cell
 * fails that no later 'expect-state ID failed' or 'expect-reason ID'
 * checks (sim/verdict.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/cell_config.h>
#include <warden/hypercall.h>

#include "../core/trace.h"
#include "../hal/observe.h"
#include "../hal/hal.h"
#include "../inmates/lib/include/inmate_params.h"
#include "board.h"
#include "directive.h"
#include "exec.h"
#include "gdbstub.h"
#include "input.h"
#include "record.h"
#include "scenario.h"
#include "scenario_int.h"
#include "sim.h"
#include "trace.h"
#include "verdict.h"

#define SCN_MAX_SUMS 8

struct scn_sum {
	char name[32];
	uint64_t phys, size, hash;
	uint64_t sample, seed; /* sample: pages picked from seed, or 0 */
};

struct scn {
	const struct scenario_opts *opts;
	const char *path;
	unsigned int line;
	char *err;
	size_t err_len;
	bool machine;
	void *system;
	size_t system_size;
	struct scn_sum sums[SCN_MAX_SUMS];
	unsigned int num_sums;
	struct {
		char name[WD_CELL_NAME_MAXLEN + 1];
		unsigned int reply;
	} replies[WD_MAX_CELLS]; /* --trace: 'respond' directives so far */
	unsigned int num_replies;
};

static int fail(struct scn *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct scn *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(s->err, s->err_len, "%s:%u: %s", s->path, s->line, msg);
	return -1;
}

/* @name relative to the scenario file. */
static void scn_path(struct scn *s, const char *name, char *path, size_t size)
{
	const char *slash = strrchr(s->path, '/');

	if (name[0] == '/' || !slash)
		snprintf(path, size, "%s", name);
	else
		snprintf(path, size, "%.*s/%s", (int)(slash - s->path), s->path,
			 name);
}

/* A directive naming file @name (--trace): PATH from the trace's view. */
static void record_file(struct scn *s, const char *what, uint64_t gpa,
			const char *name)
{
	char path[1024], rel[1024];

	if (!record_on())
		return;
	scn_path(s, name, path, sizeof(path));
	record_path(path, rel, sizeof(rel));
	if (gpa == ~0ULL)
		record_line("%s %s", what, rel);
	else
		record_line("%s 0x%" PRIx64 " %s", what, gpa, rel);
}

static void *read_whole(struct scn *s, const char *name, size_t *len)
{
	char path[1024];
	void *buf;

	scn_path(s, name, path, sizeof(path));
	buf = sim_read_file(path, len);
	if (!buf)
		fail(s, "%s: %s", path, strerror(errno));
	return buf;
}

static struct cell *cell_by_id(uint64_t id)
{
	return id < WD_MAX_CELLS ? core_cell_by_id((unsigned int)id) : NULL;
}

/*
 * --trace: the replayer runs no cell, so a management call that asks cells
 * to shut down needs 'respond' directives giving their answers. The core
 * leaves each reply in the comm region; a cell destroyed by the call
 * approved. Directives are written only when a cell's answer changes.
 */
static void record_replies(struct scn *s,
			   char (*names)[WD_CELL_NAME_MAXLEN + 1],
			   unsigned int n, unsigned long code, long ret)
{
	unsigned int i, j, reply;
	struct cell *cell;

	for (i = 0; i < n; i++) {
		cell = NULL;
		for (j = 0; j < sim_num_cpus() && !cell; j++) {
			struct cell *c = core_cpu_cell(j);

			if (c && core_cell_id(c) && core_cell_comm(c) &&
			    !strcmp(core_cell_config(c)->name, names[i]))
				cell = c;
		}
		if (cell)
			reply = core_cell_comm(cell)->reply_from_cell;
		else if (code == WD_HC_CELL_DESTROY && ret >= 0)
			reply = WD_MSG_REQUEST_APPROVED;
		else
			continue;
		if (reply != WD_MSG_REQUEST_APPROVED &&
		    reply != WD_MSG_REQUEST_DENIED)
			continue;
		for (j = 0; j < s->num_replies; j++)
			if (!strcmp(s->replies[j].name, names[i]))
				break;
		if (j < s->num_replies && s->replies[j].reply == reply)
			continue;
		if (j == s->num_replies) {
			if (j == WD_MAX_CELLS)
				continue;
			s->num_replies++;
			memcpy(s->replies[j].name, names[i],
			       sizeof(s->replies[j].name));
		}
		s->replies[j].reply = reply;
		record_line("respond %s %s", names[i],
			    reply == WD_MSG_REQUEST_APPROVED ? "approved" :
							       "denied");
	}
}

/* create, set-loadable, start, destroy: the root's management call. */
static int do_hypercall(struct scn *s, enum dir_id id, const struct dir_val *v)
{
	char names[WD_MAX_CELLS][WD_CELL_NAME_MAXLEN + 1];
	unsigned long code = id == DIR_CREATE  ? WD_HC_CELL_CREATE :
			     id == DIR_START   ? WD_HC_CELL_START :
			     id == DIR_DESTROY ? WD_HC_CELL_DESTROY :
						 WD_HC_CELL_SET_LOADABLE;
	uint64_t arg = v[0].num;
	unsigned int n = 0, cpu, i;
	long ret;

	for (cpu = 0; cpu < sim_num_cpus() && record_on(); cpu++) {
		struct cell *c = core_cpu_cell(cpu);

		if (!c || !core_cell_id(c) || !core_cell_config(c))
			continue;
		for (i = 0;
		     i < n && strcmp(names[i], core_cell_config(c)->name); i++)
			;
		if (i == n && n < WD_MAX_CELLS)
			snprintf(names[n++], sizeof(names[0]), "%s",
				 core_cell_config(c)->name);
	}
	sim_set_cpu(0);
	/* The core records the call; the cells' answers go before it. */
	record_hold(0);
	ret = core_hypercall(code, arg, 0, false); /* the root's kernel */
	if (record_on())
		record_replies(s, names, n, code, ret);
	record_release();
	if (s->opts->verbose)
		printf("hvc %s (code=%lu) arg1=0x%" PRIx64 " -> %ld\n",
		       trace_hvc_name(code), code, arg, ret);
	if (v[1].given)
		return ret == (long)v[1].num ? 0 :
					       fail(s, "expected %ld, got %ld",
						    (long)v[1].num, ret);
	if (ret < 0) {
		const struct wd_reason_record *r = core_last_reason();

		return fail(s,
			    "hypercall %s failed: %ld (%s item=0x%" PRIx64 ")",
			    trace_hvc_name(code), ret, wd_reason_name(r->code),
			    r->item);
	}
	return 0;
}

static int do_load(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	uint64_t id = v[0].num, addr = v[1].num, off, root_gpa = 0;
	struct cell *cell, *root = core_cpu_cell(0);
	const struct wd_memory *mem;
	char path[1024], why[1200];
	unsigned int i;
	size_t len;
	void *data;
	int err;

	(void)dir;
	cell = cell_by_id(id);
	if (!cell)
		return fail(s, "load: no cell %" PRIu64, id);
	mem = wd_cell_mem_regions(core_cell_config(cell));
	for (i = 0; i < core_cell_config(cell)->num_memory_regions; i++) {
		off = addr - mem[i].virt_start;
		if (addr >= mem[i].virt_start && off < mem[i].size &&
		    mem[i].flags & WD_MEM_LOADABLE)
			break;
	}
	if (i == core_cell_config(cell)->num_memory_regions)
		return fail(s, "load: 0x%" PRIx64 " is not loadable RAM", addr);
	root_gpa = mem[i].phys_start + (addr - mem[i].virt_start);
	data = read_whole(s, v[2].s, &len);
	if (!data)
		return -1;
	scn_path(s, v[2].s, path, sizeof(path));
	if (sim_image_check(path, data, len,
			    core_cell_config(cell)->architecture, why,
			    sizeof(why))) {
		free(data);
		return fail(s, "load: cell %" PRIu64 " ('%s'): %s", id,
			    core_cell_config(cell)->name, why);
	}
	err = hal_copy_to_guest(root, gpa(root_gpa), data, len);
	free(data);
	if (err)
		return fail(s,
			    "load: root cannot write [0x%" PRIx64
			    ", +0x%zx) (set-loadable?)",
			    root_gpa, len);
	return 0;
}

static int do_expect_state(struct scn *s, enum dir_id dir,
			   const struct dir_val *v)
{
	struct cell *cell = cell_by_id(v[0].num);
	unsigned int st = cell && core_cell_comm(cell) ?
				  core_cell_comm(cell)->cell_state :
				  DIR_STATE_GONE;

	(void)dir;
	if (v[1].num == WD_CELL_FAILED || v[1].num == WD_CELL_FAILED_COMM_REV)
		verdict_expected(v[0].num);
	if (st == v[1].num)
		return 0;
	return fail(s, "cell %" PRIu64 ": expected %s, got %s", v[0].num,
		    dir_state_name((unsigned int)v[1].num), dir_state_name(st));
}

static int do_expect_reason(struct scn *s, enum dir_id dir,
			    const struct dir_val *v)
{
	uint64_t id = v[0].num, item = v[2].num;
	struct cell *cell;

	(void)dir;
	cell = cell_by_id(id);
	if (!cell)
		return fail(s, "no cell %" PRIu64, id);
	verdict_expected(id);
	if (core_cell_fail_reason(cell) != v[1].num)
		return fail(s, "cell %" PRIu64 ": expected reason %s, got %s",
			    id, wd_reason_name((unsigned int)v[1].num),
			    wd_reason_name(core_cell_fail_reason(cell)));
	if (v[2].given && item != core_cell_fail_item(cell))
		return fail(s,
			    "cell %" PRIu64 ": expected item 0x%" PRIx64
			    ", got 0x%" PRIx64,
			    id, item, core_cell_fail_item(cell));
	return 0;
}

static int do_expect_log(struct scn *s, enum dir_id dir,
			 const struct dir_val *v)
{
	uint64_t id = v[0].num;
	const char *text = v[1].s;
	char *log;
	bool found;

	(void)dir;
	log = scn_read_log(cell_by_id(id));
	if (!log)
		return fail(s,
			    "cell %" PRIu64 ": no parameter block or log ring",
			    id);
	found = strstr(log, text) != NULL;
	free(log);
	return found ? 0 :
		       fail(s, "cell %" PRIu64 ": '%s' not in the log", id,
			    text);
}

/* Cell @id's log ring on stdout, each line behind "[NAME log] ", as the
 * ARMv7 root-cell manager prints it (arch-armv7/manager, print_log). */
static int do_print_log(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	uint64_t id = v[0].num;
	char *log, *line, *nl;

	(void)dir;
	log = scn_read_log(cell_by_id(id));
	if (!log)
		return fail(s,
			    "cell %" PRIu64 ": no parameter block or log ring",
			    id);
	for (line = log; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		printf("[%s log] %.*s\n", v[1].s,
		       (int)(nl - line + (*nl != '\n')), line);
	}
	free(log);
	return 0;
}

static int do_param(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
#define FIELD(name)                                               \
	{                                                         \
#name, offsetof(struct inmate_params, name),      \
			sizeof(((struct inmate_params *)0)->name) \
	}
	static const struct {
		const char *name;
		size_t off, size;
	} fields[] = {
		FIELD(select),	    FIELD(num_cpus),	    FIELD(shutdown),
		FIELD(deny_count),  FIELD(timer_period_us), FIELD(timer_ticks),
		FIELD(attack_port), FIELD(attack_pin),	    FIELD(attack_bdf),
		FIELD(ivshmem_bdf), FIELD(attack_ram),	    FIELD(attack_hv),
		FIELD(attack_mmio), FIELD(attack_cpu),	    FIELD(ivshmem_bar),
	};
#undef FIELD
	const unsigned int num = sizeof(fields) / sizeof(fields[0]);
	uint64_t id = v[0].num, val = v[2].num;
	const char *name = v[1].s;
	char list[256] = "";
	uint8_t le[8];
	struct cell *cell;
	unsigned int i, b;

	(void)dir;
	for (i = 0; i < num && strcmp(fields[i].name, name); i++)
		;
	if (i == num) {
		for (b = 0; b < num; b++)
			snprintf(list + strlen(list),
				 sizeof(list) - strlen(list), "%s%s",
				 b ? ", " : "", fields[b].name);
		return fail(s,
			    "param: argument 2 (FIELD): unknown field '%s' "
			    "(%s)",
			    name, list);
	}
	if (fields[i].size < 8 && val >> (8 * fields[i].size))
		return fail(s,
			    "param: argument 3 (VALUE): 0x%" PRIx64
			    " does not fit %s (%u bits)",
			    val, name, (unsigned int)(8 * fields[i].size));
	cell = cell_by_id(id);
	if (!cell)
		return fail(s, "no cell %" PRIu64, id);
	/* Little-endian, the field's own width. */
	for (b = 0; b < sizeof(le); b++)
		le[b] = (uint8_t)(val >> (8 * b));
	if (hal_copy_to_guest(cell, gpa(INMATE_PARAMS_OFFSET + fields[i].off),
			      le, fields[i].size))
		return fail(s, "cell %" PRIu64 ": no parameter block", id);
	return 0;
}

/* FNV-1a (64 bit) of the machine's memory [phys, +size), into @h. */
static int fnv1a(struct scn *s, uint64_t phys, uint64_t size, uint64_t *h)
{
	const uint8_t *p = size ? sim_phys_ptr(phys, size) : NULL;
	uint64_t i;

	if (!p)
		return fail(s,
			    "checksum: [0x%" PRIx64 ", +0x%" PRIx64
			    ") is not RAM",
			    phys, size);
	for (i = 0; i < size; i++)
		*h = (*h ^ p[i]) * 0x100000001b3ULL;
	return 0;
}

/*
 * The hash of checksum @sum's memory: the whole range, or its pages
 * number x(k) mod pages, k = 0 .. sample - 1, in turn: x(k) the k-th
 * output of splitmix64 from the FNV-1a hash of the checksum's name.
 */
static int sum_hash(struct scn *s, const struct scn_sum *sum, uint64_t *hash)
{
	uint64_t pages = sum->size / WD_PAGE_SIZE, k, x;

	*hash = 0xcbf29ce484222325ULL;
	if (!sum->sample)
		return fnv1a(s, sum->phys, sum->size, hash);
	if (!pages || (sum->phys | sum->size) & (WD_PAGE_SIZE - 1))
		return fail(s, "checksum: sample= needs whole pages");
	for (k = 0; k < sum->sample; k++) {
		x = sum->seed + k * 0x9e3779b97f4a7c15ULL;
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
		x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
		x ^= x >> 31;
		if (fnv1a(s, sum->phys + x % pages * WD_PAGE_SIZE, WD_PAGE_SIZE,
			  hash))
			return -1;
	}
	return 0;
}

static int do_checksum(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	struct scn_sum *sum, new = {
		.phys = v[1].num,
		.size = v[2].num,
		.sample = v[3].given ? v[3].num : 0,
		.seed = 0xcbf29ce484222325ULL,
	};
	unsigned int i;

	(void)dir;
	for (i = 0; i < v[0].len; i++)
		new.seed = (new.seed ^ (uint8_t)v[0].s[i]) * 0x100000001b3ULL;
	for (i = 0; i < s->num_sums; i++)
		if (!strcmp(s->sums[i].name, v[0].s))
			break;
	if (i == SCN_MAX_SUMS)
		return fail(s, "checksum: more than %u", SCN_MAX_SUMS);
	if (sum_hash(s, &new, &new.hash))
		return -1;
	snprintf(new.name, sizeof(new.name), "%s", v[0].s);
	sum = &s->sums[i];
	*sum = new;
	if (i == s->num_sums)
		s->num_sums++;
	return 0;
}

static int do_expect_checksum(struct scn *s, enum dir_id dir,
			      const struct dir_val *v)
{
	unsigned int i;
	uint64_t hash;

	(void)dir;
	for (i = 0; i < s->num_sums; i++) {
		if (strcmp(s->sums[i].name, v[0].s))
			continue;
		if (sum_hash(s, &s->sums[i], &hash))
			return -1;
		return hash == s->sums[i].hash ?
			       0 :
			       fail(s,
				    "checksum %s of [0x%" PRIx64 ", +0x%" PRIx64
				    ") changed",
				    v[0].s, s->sums[i].phys, s->sums[i].size);
	}
	return fail(s, "expect-checksum: no checksum '%s' before", v[0].s);
}

static int do_poke(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	uint8_t *p = sim_phys_ptr(v[0].num, 1);

	(void)dir;
	if (!p || v[1].num > 0xff)
		return fail(s,
			    "poke: 0x%" PRIx64 " is not RAM or 0x%" PRIx64
			    " not a byte",
			    v[0].num, v[1].num);
	*p = (uint8_t)v[1].num;
	return 0;
}

static bool printed(const char *cell, const char *text)
{
	char want[1100];

	snprintf(want, sizeof(want), "[%s] %s", cell, text);
	return sim_text_find(exec_uart_text(), want) ||
	       sim_text_find(sim_console_text(), want);
}

/* --gdb PORT: wait for the debugger, hook its CPU (sim/gdbstub.c). */
static int gdb_start(struct scn *s)
{
	char msg[256];

	if (s->opts->gdb_cpu >= sim_num_cpus())
		return fail(s, "gdb: no CPU %u (the machine has %u)",
			    s->opts->gdb_cpu, sim_num_cpus());
	if (gdbstub_start(s->opts->gdb_port, s->opts->gdb_cpu, msg,
			  sizeof(msg)))
		return fail(s, "%s", msg);
	return 0;
}

static int do_line(struct scn *s, char *line);

static int do_board(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	struct board board;
	char why[160], machine[128];
	size_t len;
	void *data;
	int bad;

	(void)dir;
	if (s->machine)
		return fail(s, "the machine exists already");
	data = read_whole(s, v[0].s, &len);
	if (!data)
		return -1;
	bad = board_parse(data, len, &board, why, sizeof(why));
	free(data);
	if (bad)
		return fail(s, "%s: %s", v[0].s, why);
	board_set(&board);
	snprintf(machine, sizeof(machine),
		 "machine ram=%" PRIu64 " size=%" PRIu64 " cpus=%u",
		 board.ram_base, board.ram_size, board.cpus);
	return do_line(s, machine);
}

static int do_machine(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	(void)dir;
	if (s->machine ||
	    sim_machine_init(v[0].num, v[1].num, (unsigned int)v[2].num))
		return fail(s, "cannot create the machine");
	s->machine = true;
	record_line("machine ram=0x%" PRIx64 " size=0x%" PRIx64
		    " cpus=%" PRIu64,
		    v[0].num, v[1].num, v[2].num);
	if (exec_init())
		return fail(s, "cannot start execute mode");
	return s->opts->gdb_port ? gdb_start(s) : 0;
}

static int do_system(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	(void)dir;
	free(s->system);
	s->system = read_whole(s, v[0].s, &s->system_size);
	if (s->system)
		record_file(s, "system", ~0ULL, v[0].s);
	return s->system ? 0 : -1;
}

static int do_enable(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	char why[160];

	(void)dir;
	(void)v;
	if (!s->system)
		return fail(s, "enable needs 'system'");
	if (board_get() && s->system_size >= sizeof(struct wd_system) &&
	    board_check_system(board_get(), s->system, why, sizeof(why)))
		return fail(s, "board: %s", why);
	if (sim_enable(s->system, s->system_size))
		return fail(s, "enable failed: %s",
			    wd_reason_name(core_last_reason()->code));
	record_line("enable");
	return 0;
}

static int do_load_config(struct scn *s, enum dir_id dir,
			  const struct dir_val *v)
{
	uint64_t a = v[0].num;
	size_t len;
	void *data;

	(void)dir;
	data = read_whole(s, v[1].s, &len);
	if (!data)
		return -1;
	if (sim_phys_ptr(a, len))
		memcpy(sim_phys_ptr(a, len), data, len);
	free(data);
	if (!sim_phys_ptr(a, len))
		return fail(s, "not RAM");
	record_file(s, "load", a, v[1].s);
	return 0;
}

/* A long 'run' on a terminal: "run: 300/5000 ms" on stderr. */
static void show_progress(uint64_t done, uint64_t total)
{
	fprintf(stderr, "\rrun: %" PRIu64 "/%" PRIu64 " ms of virtual time",
		done, total);
	fflush(stderr);
}

static int do_run(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	uint64_t before = exec_instructions();
	bool show = s->opts->progress && v[0].num >= SCN_PROGRESS_MS;
	int ret;

	(void)dir;
	exec_set_progress(show ? show_progress : NULL);
	ret = exec_run(v[0].num);
	exec_set_progress(NULL);
	if (show)
		fprintf(stderr, "\r%*s\r", 60, "");
	if (ret)
		return fail(s, "run: %s", exec_error());
	if (s->opts->verbose)
		printf("run %" PRIu64 " ms: %" PRIu64 " instructions\n",
		       v[0].num, exec_instructions() - before);
	return 0;
}

static int do_console(struct scn *s, enum dir_id dir, const struct dir_val *v)
{
	bool want = dir == DIR_EXPECT_CONSOLE;

	if (printed(v[0].s, v[1].s) != want)
		return fail(s, "'[%s] %s' %s printed", v[0].s, v[1].s,
			    want ? "not" : "was");
	return 0;
}

/* The handler of each scenario row of sim/directive.c. */
typedef int (*handler_fn)(struct scn *s, enum dir_id dir,
			  const struct dir_val *v);

static const handler_fn handlers[DIR_COUNT] = {
	[DIR_BOARD] = do_board,
	[DIR_MACHINE] = do_machine,
	[DIR_SYSTEM] = do_system,
	[DIR_ENABLE] = do_enable,
	[DIR_LOAD_CONFIG] = do_load_config,
	[DIR_CREATE] = do_hypercall,
	[DIR_SET_LOADABLE] = do_hypercall,
	[DIR_LOAD_IMAGE] = do_load,
	[DIR_PARAM] = do_param,
	[DIR_START] = do_hypercall,
	[DIR_DESTROY] = do_hypercall,
	[DIR_RUN] = do_run,
	[DIR_EXPECT_CONSOLE] = do_console,
	[DIR_EXPECT_NO_CONSOLE] = do_console,
	[DIR_EXPECT_STATE] = do_expect_state,
	[DIR_EXPECT_REASON] = do_expect_reason,
	[DIR_EXPECT_LOG] = do_expect_log,
	[DIR_PRINT_LOG] = do_print_log,
	[DIR_CHECKSUM] = do_checksum,
	[DIR_EXPECT_CHECKSUM] = do_expect_checksum,
	[DIR_POKE] = do_poke,
};

void scenario_print_directives(FILE *f)
{
	dir_print(f, DIR_SCENARIO);
}

/* One line: tokens checked against the directive's row, then its handler. */
static int do_line(struct scn *s, char *line)
{
	struct dir_tok tok[DIR_MAX_ARGS + 2];
	struct dir_val val[DIR_MAX_ARGS];
	const struct directive *d;
	size_t len = strlen(line);
	unsigned int n, i;
	char msg[512];

	n = dir_tokenize(line, len, tok, DIR_MAX_ARGS + 2);
	if (n && tok[0].s[0] == '#' && s->opts->verbose) /* narrate -v runs */
		printf("%s\n", tok[0].s);
	if (!n || tok[0].s[0] == '#')
		return 0;
	d = dir_find(DIR_SCENARIO, tok[0].s, tok[0].len);
	if (!d)
		return fail(s,
			    "unknown directive '%.*s' (warden-sim run --help "
			    "lists them)",
			    (int)tok[0].len, tok[0].s);
	if (dir_parse(d, tok, n, line + len, val, msg, sizeof(msg)))
		return fail(s, "%s", msg);
	if ((d->flags & DIR_NEEDS_MACHINE) && !s->machine)
		return fail(s, "%s: 'machine' or 'board' must come first",
			    d->name);
	/* The arguments as C strings (a TEXT one ends the line already). */
	for (i = 0; i < DIR_MAX_ARGS && val[i].given; i++)
		if (d->args[i].kind != DIR_ARG_TEXT)
			((char *)val[i].s)[val[i].len] = '\0';
	return handlers[dir_id_of(d)](s, dir_id_of(d), val);
}

int scenario_file(const char *path, const struct scenario_opts *opts, char *err,
		  size_t err_len)
{
	struct scn s = {
		.opts = opts, .path = path, .err = err, .err_len = err_len
	};
	char buf[1024];
	FILE *f = fopen(path, "r");
	int ret = 0;

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (opts->trace && record_open(opts->trace)) {
		snprintf(err, err_len, "%s: %s", opts->trace, strerror(errno));
		fclose(f);
		return -1;
	}
	if (opts->trace) {
		char rel[1024];

		record_path(path, rel, sizeof(rel));
		record_line("# recorded from %s", rel);
	}
	scn_summary_reset();
	verdict_reset();
	while (!ret && fgets(buf, sizeof(buf), f)) {
		s.line++;
		buf[strcspn(buf, "\r\n")] = '\0';
		ret = do_line(&s, buf);
		if (s.machine)
			verdict_note();
		if (opts->verbose && s.machine)
			scn_summary_note();
	}
	fclose(f);
	if (!ret && !s.machine) {
		snprintf(err, err_len,
			 "%s: no directives: nothing was run (a scenario "
			 "starts with 'board' or 'machine')",
			 path);
		ret = -1;
	} else if (!ret && !opts->cells_may_fail &&
		   verdict_unexpected(buf, sizeof(buf))) {
		snprintf(err, err_len, "%s: %s", path, buf);
		ret = -1;
	}
	if (opts->trace && record_close() && !ret) {
		snprintf(err, err_len, "%s: write error", opts->trace);
		ret = -1;
	}
	if (opts->verbose)
		scn_summary_print(ret);
	if (opts->gdb_port)
		gdbstub_stop(ret ? 1 : 0);
	if (!opts->keep)
		scenario_release();
	free(s.system);
	return ret;
}

void scenario_release(void)
{
	board_set(NULL);
	exec_free();
	sim_machine_free();
}
