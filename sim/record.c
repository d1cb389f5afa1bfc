// SPDX-License-Identifier: GPL-2.0
/*
 * Trap recording. The writer keeps one FILE; directives come from the
 * scenario runner, trap records from the executor and the scenario's
 * management hypercalls, all formatted by the core's own formatter.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/trace.h"
#include "record.h"

static struct {
	FILE *f;
	char dir[PATH_MAX]; /* absolute directory of the trace */
	bool err;
} rec;

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

void record_trap(const struct wd_trap *t, const char *cell_name)
{
	char buf[512];

	if (!rec.f)
		return;
	wd_trap_format(buf, sizeof(buf), t, cell_name);
	record_line("%s", buf);
}
