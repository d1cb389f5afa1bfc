// SPDX-License-Identifier: GPL-2.0
/*
 * Trap recording. The writer keeps one FILE; directives come from the
 * scenario runner, trap records from the core itself: this file is the
 * simulator's trap record sink (core_set_trap_sink), which writes
 * each record the core produced with the core's own formatter, or hands it
 * to the replayer, which compares it with the recorded one.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/trace.h"
#include "../hal/observe.h"
#include "record.h"

static struct {
	FILE *f;
	char dir[PATH_MAX]; /* absolute directory of the trace */
	bool err;
	/* the name of each CPU's trapping cell, taken when the trap begins */
	char cell[WD_MAX_CPUS][WD_CELL_NAME_MAXLEN + 1];
	struct wd_trap *capture; /* record_capture() */
	bool captured;
	bool hold, held; /* record_hold() */
	unsigned int hold_cpu;
	struct wd_trap held_trap;
} rec;

static void update_sink(void);

int record_open(const char *path)
{
	char *slash;

	record_close();
	rec.f = fopen(path, "w");
	if (!rec.f)
		return -1;
	rec.err = false;
	if (!realpath(path, rec.dir)) {
		fclose(rec.f);
		rec.f = NULL;
		return -1;
	}
	slash = strrchr(rec.dir, '/');
	if (slash)
		*(slash == rec.dir ? slash + 1 : slash) = '\0';
	update_sink();
	record_line("warden-trace %d", WD_TRACE_VERSION);
	record_line("# recorded by warden-sim run --trace: every trap the core "
		    "decided on, replayable");
	return 0;
}

int record_close(void)
{
	int err;

	if (!rec.f)
		return 0;
	err = rec.err | (fclose(rec.f) != 0);
	rec.f = NULL;
	update_sink();
	return err ? -1 : 0;
}

bool record_on(void)
{
	return rec.f != NULL;
}

void record_line(const char *fmt, ...)
{
	va_list ap;

	if (!rec.f)
		return;
	va_start(ap, fmt);
	if (vfprintf(rec.f, fmt, ap) < 0 || fputc('\n', rec.f) == EOF)
		rec.err = true;
	va_end(ap);
}

/* Relative path from the trace's directory, or the absolute one. */
void record_path(const char *path, char *out, size_t out_len)
{
	char abs[PATH_MAX];
	const char *a, *d, *start;
	size_t common = 0, i;

	if (!realpath(path, abs)) {
		snprintf(out, out_len, "%s", path);
		return;
	}
	/* Longest common prefix of whole directory components. */
	for (i = 0; abs[i] && abs[i] == rec.dir[i]; i++)
		if (abs[i] == '/')
			common = i + 1;
	if (!rec.dir[i] && abs[i] == '/')
		common = i + 1;
	a = abs + common;
	out[0] = '\0';
	/* One "../" per component of the trace's directory after that. */
	d = rec.dir + (common < strlen(rec.dir) ? common : strlen(rec.dir));
	for (start = d; *d; d++)
		if ((d == start || d[-1] == '/') && *d != '/')
			strncat(out, "../", out_len - strlen(out) - 1);
	strncat(out, a, out_len - strlen(out) - 1);
}

static void record_trap(const struct wd_trap *t)
{
	char buf[512];

	wd_trap_format(buf, sizeof(buf), t, rec.cell[t->cpu % WD_MAX_CPUS]);
	record_line("%s", buf);
}

/* The sink's begin: the cell's name, as it is when the trap starts. */
static void sink_begin(const struct wd_trap *t)
{
	struct cell *cell = core_cell_by_id(t->cell_id);

	if (rec.f)
		snprintf(rec.cell[t->cpu % WD_MAX_CPUS], sizeof(rec.cell[0]),
			 "%s", cell ? core_cell_name(cell) : "?");
}

static void sink_end(const struct wd_trap *t)
{
	if (rec.capture) {
		*rec.capture = *t;
		rec.captured = true;
	} else if (rec.f && rec.hold && t->cpu == rec.hold_cpu) {
		rec.held_trap = *t;
		rec.held = true;
	} else if (rec.f) {
		record_trap(t);
	}
}

static const struct wd_trap_sink sink = { sink_begin, sink_end };

/* The core makes records only while someone takes them. */
static void update_sink(void)
{
	core_set_trap_sink(rec.f || rec.capture ? &sink : NULL);
}

void record_capture(struct wd_trap *dst)
{
	rec.capture = dst;
	if (dst)
		rec.captured = false;
	update_sink();
}

bool record_captured(void)
{
	return rec.captured;
}

void record_hold(unsigned int cpu)
{
	rec.hold = true;
	rec.hold_cpu = cpu;
	rec.held = false;
}

void record_release(void)
{
	rec.hold = false;
	if (rec.held && rec.f)
		record_trap(&rec.held_trap);
	rec.held = false;
}
