// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: a machine, management hypercalls of the root cell (CPU 0),
 * and real inmate images executed in Unicorn (sim/exec.c) against the
 * unchanged core. One command a line; '#' starts a comment; numbers are
 * C literals; paths are relative to the scenario file.
 *
 *   board PATH                          create the machine from a board
 *                                       DTB (sim/board.h): RAM, CPUs,
 *                                       UARTs, interrupt controller
 *   machine ram=ADDR size=SIZE cpus=N   create a bare machine (devices
 *                                       where the system config says)
 *   system PATH                         the system config (.cell)
 *   enable                              enable the hypervisor
 *   load-config GPA PATH                copy a file into root RAM at GPA
 *   create GPA [expect=RET]             CELL_CREATE(GPA) from CPU 0
 *   set-loadable ID [expect=RET]        CELL_SET_LOADABLE(ID)
 *   load ID GUEST-ADDR PATH             write an image into cell ID's
 *                                       loadable RAM through the root
 *                                       cell's view (after set-loadable)
 *   start ID [expect=RET]               CELL_START(ID)
 *   destroy ID [expect=RET]             CELL_DESTROY(ID)
 *   run MS                              run the cells' CPUs for MS ms of
 *                                       virtual time (EXEC_INSN_PER_MS
 *                                       instructions per CPU and ms;
 *                                       1 <= MS <= SCN_RUN_MAX_MS)
 *   expect-console CELL TEXT            "[CELL] TEXT" was printed on the
 *                                       cell's UART or the hypervisor's
 *                                       debug console (TEXT: rest of line)
 *   expect-no-console CELL TEXT         ... was not printed
 *   expect-state ID STATE               running, running_locked,
 *                                       shut_down, failed or gone
 *   expect-reason ID REASON [item=X]    why cell ID failed (reason name)
 *   param ID FIELD VALUE                patch a field of cell ID's loaded
 *                                       image's parameter block (its demo
 *                                       parameters: select, num_cpus,
 *                                       timer_ticks, attack_ram, ...,
 *                                       ivshmem_bar; docs/inmates.md 5)
 *   expect-log ID TEXT                  TEXT is in the inmate's log ring
 *                                       (parameter block at guest 0x1000,
 *                                       docs/inmates.md 5-6)
 *   print-log ID NAME                   print that ring, each line behind
 *                                       "[NAME log] " (as the ARMv7
 *                                       manager prints a cell's log)
 *   checksum NAME PHYS SIZE             remember the FNV-1a hash of the
 *                                       machine's memory [PHYS, +SIZE)
 *   expect-checksum NAME                that memory hashes the same now
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
#include "../hal/core.h"
#include "../hal/hal.h"
#include "../inmates/lib/include/inmate_params.h"
#include "board.h"
#include "exec.h"
#include "gdbstub.h"
#include "input.h"
#include "record.h"
#include "scenario.h"
#include "sim.h"
#include "trace.h"
#include "verdict.h"

#define SCN_MAX_SUMS 8

struct scn_sum {
	char name[32];
	uint64_t phys, size, hash;
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

static bool num(const char *tok, const char *key, uint64_t *v)
{
	size_t kl = key ? strlen(key) : 0;
	char *end;

	if (!tok || (key && (strncmp(tok, key, kl) || tok[kl] != '=')))
		return false;
	if (key)
		tok += kl + 1;
	errno = 0;
	*v = strtoull(tok, &end, 0);
	if (*tok == '-')
		*v = (uint64_t)strtoll(tok, &end, 0);
	return !errno && *tok && !*end;
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

static int hypercall(struct scn *s, unsigned long code, uint64_t arg,
		     char **tok)
{
	char names[WD_MAX_CELLS][WD_CELL_NAME_MAXLEN + 1];
	unsigned int n = 0, cpu, i;
	uint64_t want;
	long ret;

	if (!s->machine)
		return fail(s, "no machine");
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
	if (num(tok[2], "expect", &want))
		return ret == (long)want ? 0 :
					   fail(s, "expected %ld, got %ld",
						(long)want, ret);
	if (ret < 0) {
		const struct wd_reason_record *r = core_last_reason();

		return fail(s,
			    "hypercall %s failed: %ld (%s item=0x%" PRIx64 ")",
			    trace_hvc_name(code), ret, wd_reason_name(r->code),
			    r->item);
	}
	return 0;
}

static int do_load(struct scn *s, char **tok)
{
	uint64_t id, addr, off, root_gpa = 0;
	struct cell *cell, *root = core_cpu_cell(0);
	const struct wd_memory *mem;
	char path[1024], why[1200];
	unsigned int i;
	size_t len;
	void *data;
	int err;

	if (!num(tok[1], NULL, &id) || !num(tok[2], NULL, &addr) || !tok[3])
		return fail(s, "usage: load ID GUEST-ADDR PATH");
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
	data = read_whole(s, tok[3], &len);
	if (!data)
		return -1;
	scn_path(s, tok[3], path, sizeof(path));
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

static const char *const states[] = { "running", "running_locked",  "shut_down",
				      "failed",	 "failed_comm_rev", "gone" };

static int do_expect_state(struct scn *s, char **tok)
{
	uint64_t id;
	struct cell *cell;
	unsigned int st;

	if (!num(tok[1], NULL, &id) || !tok[2])
		return fail(s, "usage: expect-state ID STATE");
	cell = cell_by_id(id);
	st = cell && core_cell_comm(cell) ? core_cell_comm(cell)->cell_state :
					    5;
	if (st > 5)
		st = 5;
	if (!strncmp(tok[2], "failed", 6))
		verdict_expected(id);
	return strcmp(states[st], tok[2]) ?
		       fail(s, "cell %" PRIu64 ": expected %s, got %s", id,
			    tok[2], states[st]) :
		       0;
}

static int do_expect_reason(struct scn *s, char **tok)
{
	uint64_t id, item;
	struct cell *cell;

	if (!num(tok[1], NULL, &id) || !tok[2])
		return fail(s, "usage: expect-reason ID REASON [item=X]");
	cell = cell_by_id(id);
	if (!cell)
		return fail(s, "no cell %" PRIu64, id);
	verdict_expected(id);
	if (strcmp(wd_reason_name(core_cell_fail_reason(cell)), tok[2]))
		return fail(s, "cell %" PRIu64 ": expected reason %s, got %s",
			    id, tok[2],
			    wd_reason_name(core_cell_fail_reason(cell)));
	if (num(tok[3], "item", &item) && item != core_cell_fail_item(cell))
		return fail(s,
			    "cell %" PRIu64 ": expected item 0x%" PRIx64
			    ", got 0x%" PRIx64,
			    id, item, core_cell_fail_item(cell));
	return 0;
}

/* Cell @cell's log ring (docs/inmates.md 5-6), oldest byte first; free it. */
static char *read_log(struct cell *cell)
{
	uint8_t params[0xe0];
	uint64_t addr;
	uint32_t size, len, i;
	char *log;

	if (!cell ||
	    hal_copy_from_guest(cell, gpa(0x1000), params, sizeof(params)))
		return NULL;
	memcpy(&addr, params + 0xd0, 8);
	memcpy(&size, params + 0xd8, 4);
	memcpy(&len, params + 0xdc, 4);
	if (!size || size > 0x100000)
		return NULL;
	log = calloc(1, (size_t)size + 1);
	if (!log)
		return NULL;
	if (len > size) { /* wrapped: oldest byte first */
		for (i = 0; i < size; i++)
			if (hal_copy_from_guest(cell,
						gpa(addr + (len + i) % size),
						log + i, 1))
				break;
	} else if (len) {
		hal_copy_from_guest(cell, gpa(addr), log, len);
	}
	return log;
}

static int do_expect_log(struct scn *s, char **tok, const char *text)
{
	uint64_t id;
	char *log;
	bool found;

	if (!num(tok[1], NULL, &id) || !text)
		return fail(s, "usage: expect-log ID TEXT");
	log = read_log(cell_by_id(id));
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
static int do_print_log(struct scn *s, char **tok)
{
	char *log, *line, *nl;
	uint64_t id;

	if (!num(tok[1], NULL, &id) || !tok[2])
		return fail(s, "usage: print-log ID NAME");
	log = read_log(cell_by_id(id));
	if (!log)
		return fail(s,
			    "cell %" PRIu64 ": no parameter block or log ring",
			    id);
	for (line = log; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		printf("[%s log] %.*s\n", tok[2],
		       (int)(nl - line + (*nl != '\n')), line);
	}
	free(log);
	return 0;
}

static int do_param(struct scn *s, char **tok)
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
	uint64_t id, v;
	uint8_t le[8];
	struct cell *cell;
	unsigned int i, b;

	if (!num(tok[1], NULL, &id) || !tok[2] || !num(tok[3], NULL, &v))
		return fail(s, "usage: param ID FIELD VALUE");
	cell = cell_by_id(id);
	if (!cell)
		return fail(s, "no cell %" PRIu64, id);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(fields[i].name, tok[2]))
			break;
	if (i == sizeof(fields) / sizeof(fields[0]))
		return fail(s, "param: unknown field '%s'", tok[2]);
	if (fields[i].size < 8 && v >> (8 * fields[i].size))
		return fail(s, "param: %s is %u bits wide: 0x%" PRIx64, tok[2],
			    (unsigned int)(8 * fields[i].size), v);
	/* Little-endian, the field's own width. */
	for (b = 0; b < sizeof(le); b++)
		le[b] = (uint8_t)(v >> (8 * b));
	if (hal_copy_to_guest(cell, gpa(INMATE_PARAMS_OFFSET + fields[i].off),
			      le, fields[i].size))
		return fail(s, "cell %" PRIu64 ": no parameter block", id);
	return 0;
}

/* FNV-1a (64 bit) of the machine's memory [phys, +size). */
static int fnv1a(struct scn *s, uint64_t phys, uint64_t size, uint64_t *hash)
{
	const uint8_t *p = size ? sim_phys_ptr(phys, size) : NULL;
	uint64_t h = 0xcbf29ce484222325ULL, i;

	if (!p)
		return fail(s,
			    "checksum: [0x%" PRIx64 ", +0x%" PRIx64
			    ") is not RAM",
			    phys, size);
	for (i = 0; i < size; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	*hash = h;
	return 0;
}

static int do_checksum(struct scn *s, char **tok)
{
	struct scn_sum *sum;
	uint64_t phys, size;
	unsigned int i;

	if (!tok[1] || !num(tok[2], NULL, &phys) || !num(tok[3], NULL, &size))
		return fail(s, "usage: checksum NAME PHYS SIZE");
	for (i = 0; i < s->num_sums; i++)
		if (!strcmp(s->sums[i].name, tok[1]))
			break;
	if (i == SCN_MAX_SUMS)
		return fail(s, "checksum: more than %u", SCN_MAX_SUMS);
	if (strlen(tok[1]) >= sizeof(s->sums[i].name))
		return fail(s, "checksum: name too long");
	sum = &s->sums[i];
	if (fnv1a(s, phys, size, &sum->hash))
		return -1;
	snprintf(sum->name, sizeof(sum->name), "%s", tok[1]);
	sum->phys = phys;
	sum->size = size;
	if (i == s->num_sums)
		s->num_sums++;
	return 0;
}

static int do_expect_checksum(struct scn *s, char **tok)
{
	unsigned int i;
	uint64_t hash;

	for (i = 0; tok[1] && i < s->num_sums; i++) {
		if (strcmp(s->sums[i].name, tok[1]))
			continue;
		if (fnv1a(s, s->sums[i].phys, s->sums[i].size, &hash))
			return -1;
		return hash == s->sums[i].hash ?
			       0 :
			       fail(s,
				    "checksum %s of [0x%" PRIx64 ", +0x%" PRIx64
				    ") changed",
				    tok[1], s->sums[i].phys, s->sums[i].size);
	}
	return fail(s, "usage: expect-checksum NAME (after checksum NAME)");
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

/* A long 'run' on a terminal: "run: 300/5000 ms" on stderr. */
static void show_progress(uint64_t done, uint64_t total)
{
	fprintf(stderr, "\rrun: %" PRIu64 "/%" PRIu64 " ms of virtual time",
		done, total);
	fflush(stderr);
}

static int do_line(struct scn *s, char *line)
{
	char *tok[6] = { 0 }, *rest = NULL, *p = line;
	char orig[1024];
	unsigned int n = 0;
	uint64_t a, b, c;
	size_t len;
	void *data;

	snprintf(orig, sizeof(orig), "%s", line);
	while (n < 6) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == 2) /* the rest of the line, untokenized */
			rest = orig + (p - line);
		tok[n++] = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
	}
	if (n && tok[0][0] == '#' && s->opts->verbose) /* narrate -v runs */
		printf("%s\n", orig + (tok[0] - line));
	if (!n || tok[0][0] == '#')
		return 0;
	if (!strcmp(tok[0], "board")) {
		struct board board;
		char why[160], machine[128];
		int bad;

		if (!tok[1] || tok[2])
			return fail(s, "usage: board PATH.dtb");
		if (s->machine)
			return fail(s, "the machine exists already");
		data = read_whole(s, tok[1], &len);
		if (!data)
			return -1;
		bad = board_parse(data, len, &board, why, sizeof(why));
		free(data);
		if (bad)
			return fail(s, "%s: %s", tok[1], why);
		board_set(&board);
		snprintf(machine, sizeof(machine),
			 "machine ram=%" PRIu64 " size=%" PRIu64 " cpus=%u",
			 board.ram_base, board.ram_size, board.cpus);
		return do_line(s, machine);
	}
	if (!strcmp(tok[0], "machine")) {
		if (!num(tok[1], "ram", &a) || !num(tok[2], "size", &b) ||
		    !num(tok[3], "cpus", &c))
			return fail(s, "usage: machine ram=A size=S cpus=N");
		if (s->machine || sim_machine_init(a, b, (unsigned int)c))
			return fail(s, "cannot create the machine");
		s->machine = true;
		record_line("machine ram=0x%" PRIx64 " size=0x%" PRIx64
			    " cpus=%" PRIu64,
			    a, b, c);
		if (exec_init())
			return fail(s, "cannot start execute mode");
		return s->opts->gdb_port ? gdb_start(s) : 0;
	}
	if (!s->machine)
		return fail(s, "'machine' must come first");
	if (!strcmp(tok[0], "system")) {
		if (!tok[1])
			return fail(s, "usage: system PATH");
		free(s->system);
		s->system = read_whole(s, tok[1], &s->system_size);
		if (s->system)
			record_file(s, "system", ~0ULL, tok[1]);
		return s->system ? 0 : -1;
	}
	if (!strcmp(tok[0], "enable")) {
		char why[160];

		if (!s->system)
			return fail(s, "enable needs 'system'");
		if (board_get() && s->system_size >= sizeof(struct wd_system) &&
		    board_check_system(board_get(), s->system, why,
				       sizeof(why)))
			return fail(s, "board: %s", why);
		if (sim_enable(s->system, s->system_size))
			return fail(s, "enable failed: %s",
				    wd_reason_name(core_last_reason()->code));
		record_line("enable");
		return 0;
	}
	if (!strcmp(tok[0], "load-config")) {
		if (!num(tok[1], NULL, &a) || !tok[2])
			return fail(s, "usage: load-config GPA PATH");
		data = read_whole(s, tok[2], &len);
		if (!data)
			return -1;
		if (sim_phys_ptr(a, len))
			memcpy(sim_phys_ptr(a, len), data, len);
		free(data);
		if (!sim_phys_ptr(a, len))
			return fail(s, "not RAM");
		record_file(s, "load", a, tok[2]);
		return 0;
	}
	if (!strcmp(tok[0], "create") || !strcmp(tok[0], "set-loadable") ||
	    !strcmp(tok[0], "start") || !strcmp(tok[0], "destroy")) {
		unsigned long code =
			!strcmp(tok[0], "create")  ? WD_HC_CELL_CREATE :
			!strcmp(tok[0], "start")   ? WD_HC_CELL_START :
			!strcmp(tok[0], "destroy") ? WD_HC_CELL_DESTROY :
						     WD_HC_CELL_SET_LOADABLE;

		if (!num(tok[1], NULL, &a))
			return fail(s, "usage: %s ARG [expect=RET]", tok[0]);
		return hypercall(s, code, a, tok);
	}
	if (!strcmp(tok[0], "load"))
		return do_load(s, tok);
	if (!strcmp(tok[0], "param"))
		return do_param(s, tok);
	if (!strcmp(tok[0], "run")) {
		uint64_t before = exec_instructions();
		int ret;

		if (!num(tok[1], NULL, &a))
			return fail(s, "usage: run MS");
		if (!a || a > SCN_RUN_MAX_MS)
			return fail(s,
				    "run %" PRIu64 ": out of range (1 to %u ms "
				    "of virtual time in one step)",
				    a, SCN_RUN_MAX_MS);
		exec_set_progress(s->opts->progress && a >= SCN_PROGRESS_MS ?
					  show_progress :
					  NULL);
		ret = exec_run(a);
		exec_set_progress(NULL);
		if (s->opts->progress && a >= SCN_PROGRESS_MS)
			fprintf(stderr, "\r%*s\r", 60, "");
		if (ret)
			return fail(s, "run: %s", exec_error());
		if (s->opts->verbose)
			printf("run %" PRIu64 " ms: %" PRIu64 " instructions\n",
			       a, exec_instructions() - before);
		return 0;
	}
	if (!strcmp(tok[0], "expect-console") ||
	    !strcmp(tok[0], "expect-no-console")) {
		bool want = !strcmp(tok[0], "expect-console");

		if (!tok[1] || !rest)
			return fail(s, "usage: %s CELL TEXT", tok[0]);
		if (printed(tok[1], rest) != want)
			return fail(s, "'[%s] %s' %s printed", tok[1], rest,
				    want ? "not" : "was");
		return 0;
	}
	if (!strcmp(tok[0], "expect-state"))
		return do_expect_state(s, tok);
	if (!strcmp(tok[0], "expect-log"))
		return do_expect_log(s, tok, rest);
	if (!strcmp(tok[0], "print-log"))
		return do_print_log(s, tok);
	if (!strcmp(tok[0], "expect-reason"))
		return do_expect_reason(s, tok);
	if (!strcmp(tok[0], "checksum"))
		return do_checksum(s, tok);
	if (!strcmp(tok[0], "expect-checksum"))
		return do_expect_checksum(s, tok);
	return fail(s, "unknown command '%s'", tok[0]);
}

/*
 * -v: the summary at the end of a run. Cells are noted after every line
 * (a destroyed cell is gone from the core, and a later cell may get its
 * id); traps come from the per-CPU statistics (WD_CPU_STAT_*), which
 * outlive the cells.
 */
#define MAX_SEEN (4 * WD_MAX_CELLS)

static struct {
	bool gone;
	unsigned int id;
	char name[WD_CELL_NAME_MAXLEN + 1];
	char cpus[64];
	const char *state;
	uint32_t reason;
	uint64_t item;
	char run[80]; /* last "[run] ..." line of its log ring */
} seen[MAX_SEEN];
static unsigned int num_seen;

static void summary_reset(void)
{
	num_seen = 0;
}

static void summary_note(void)
{
	unsigned int cpu, i, c, st;
	struct cell *cell;
	struct cpu_set cpus;
	char *log, *r, *nl;

	for (i = 0; i < num_seen; i++) {
		cell = cell_by_id(seen[i].id);
		if (!cell || strcmp(core_cell_config(cell)->name, seen[i].name))
			seen[i].gone = true;
	}
	for (cpu = 0; cpu < sim_num_cpus(); cpu++) {
		cell = core_cpu_cell(cpu);
		if (!cell || !core_cell_id(cell) || !core_cell_config(cell) ||
		    !core_cell_comm(cell))
			continue;
		for (i = 0; i < num_seen &&
			    (seen[i].gone || seen[i].id != core_cell_id(cell));
		     i++)
			;
		if (i == num_seen && num_seen == MAX_SEEN)
			continue;
		if (i == num_seen)
			memset(&seen[num_seen++], 0, sizeof(seen[0]));
		seen[i].id = core_cell_id(cell);
		snprintf(seen[i].name, sizeof(seen[i].name), "%s",
			 core_cell_config(cell)->name);
		seen[i].cpus[0] = '\0';
		cpus = core_cell_cpus(cell);
		for (c = 0; c < sim_num_cpus(); c++)
			if (cpu_set_has(&cpus, c))
				snprintf(seen[i].cpus + strlen(seen[i].cpus),
					 sizeof(seen[i].cpus) -
						 strlen(seen[i].cpus),
					 "%s%u", seen[i].cpus[0] ? "," : "", c);
		st = core_cell_comm(cell)->cell_state;
		seen[i].state = states[st < 5 ? st : 5];
		seen[i].reason = core_cell_fail_reason(cell);
		seen[i].item = core_cell_fail_item(cell);
		log = read_log(cell);
		for (r = log; r && strstr(r, "[run] ");
		     r = strstr(r, "[run] ") + 1)
			snprintf(seen[i].run, sizeof(seen[i].run), "%s",
				 strstr(r, "[run] "));
		if ((nl = strchr(seen[i].run, '\n')))
			*nl = '\0';
		free(log);
	}
}

/* Print the lines of @text that contain "[verdict]". */
static void print_verdicts(const struct sim_text *t)
{
	static const char tag[] = "[verdict]";
	const char *text = sim_text(t), *end = text + t->len, *v, *e;
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= t->len; i++) {
		if (memcmp(text + i, tag, sizeof(tag) - 1))
			continue;
		for (v = text + i; v > text && v[-1] != '\n'; v--)
			;
		for (e = text + i; e < end && *e != '\n'; e++)
			;
		printf("  ");
		fwrite(v, 1, (size_t)(e - v), stdout);
		printf("\n");
		i = (size_t)(e - text);
	}
}

static void summary_print(int ret)
{
	static const char *const kinds[WD_CPU_STATS] = {
		"total", "mmio",    "management", "hypercall", "pio",
		"pci",	 "irqchip", "platform",	  "denied",
	};
	static const unsigned int order[] = { 1, 5, 3, 2, 4, 6, 7, 0, 8 };
	unsigned int i, k, cpu, n = sim_num_cpus();
	char line[512];
	uint64_t sum;
	bool gone;

	printf("--- hypervisor console\n");
	sim_text_write(sim_console_text(), stdout);
	printf("--- cell UARTs\n");
	sim_text_write(exec_uart_text(), stdout);
	verdict_line(ret, line, sizeof(line));
	printf("=== summary: %s\n", line);
	printf("%-12s %-3s %-6s %-15s %-10s %s\n", "cell", "id", "CPUs",
	       "last state", "at end", "fail reason");
	for (i = 0; i < num_seen; i++) {
		gone = seen[i].gone || !cell_by_id(seen[i].id);
		printf("%-12s %-3u %-6s %-15s %-10s %s", seen[i].name,
		       seen[i].id, seen[i].cpus, seen[i].state,
		       gone ? "destroyed" : "exists",
		       seen[i].reason ? wd_reason_name(seen[i].reason) : "-");
		if (seen[i].reason)
			printf(" item=0x%" PRIx64, seen[i].item);
		printf("\n");
	}
	printf("%-12s", "traps");
	for (cpu = 0; cpu < n; cpu++)
		printf(" %7s%u", "cpu", cpu);
	printf(" %8s\n", "all");
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		sum = 0;
		printf("%-12s", kinds[order[k]]);
		for (cpu = 0; cpu < n; cpu++) {
			uint64_t v = core_cpu_stat(cpu, order[k]);

			printf(" %8" PRIu64, v);
			sum += v;
		}
		printf(" %8" PRIu64 "\n", sum);
	}
	printf("guest instructions executed: %" PRIu64 "\n",
	       exec_instructions());
	printf("verdicts and last [run] lines:\n");
	print_verdicts(sim_console_text());
	print_verdicts(exec_uart_text());
	for (i = 0; i < num_seen; i++)
		if (seen[i].run[0])
			printf("  [%s] (log) %s\n", seen[i].name, seen[i].run);
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
	summary_reset();
	verdict_reset();
	while (!ret && fgets(buf, sizeof(buf), f)) {
		s.line++;
		buf[strcspn(buf, "\r\n")] = '\0';
		ret = do_line(&s, buf);
		if (s.machine)
			verdict_note();
		if (opts->verbose && s.machine)
			summary_note();
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
		summary_print(ret);
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
