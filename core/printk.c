/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor console, shared by the hypervisor's own messages and the
 * cells' debug console (putc hypercall). Every line has one writer: when
 * another writer starts while a line is open, the line is ended first, and
 * each cell line starts with "[name] ", so outputs never mix mid-line.
 */
#include "core.h"

static const struct cell *line_writer; /* NULL: the hypervisor */
static bool line_open;

static void console_put(const struct cell *writer, char c)
{
	const char *name;

	if (line_open && writer != line_writer)
		hal_console_putc('\n');
	if (!line_open || writer != line_writer) {
		line_writer = writer;
		if (writer) {
			hal_console_putc('[');
			for (name = cell_name(writer); *name; name++)
				hal_console_putc(*name);
			hal_console_putc(']');
			hal_console_putc(' ');
		}
	}
	hal_console_putc(c);
	line_open = c != '\n';
}

void console_cell_gone(const struct cell *cell)
{
	/* A new cell in the same slot must not continue this line. */
	if (line_open && line_writer == cell)
		console_put(cell, '\n');
	if (line_writer == cell)
		line_writer = NULL;
}

void console_cell_putc(const struct cell *cell, char c)
{
	console_put(cell, c);
}

void core_vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n, i;

	n = wd_vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	for (i = 0; i < n; i++)
		console_put(NULL, buf[i]);
}

void core_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	core_vprintk(fmt, ap);
	va_end(ap);
}
