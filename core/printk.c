/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor console, shared by the hypervisor's own messages and the
 * cells' debug console (putc hypercall). Every line has one writer: a
 * cell's characters are collected per cell and printed as a whole line
 * "[name] text\n" when it ends (newline, CELL_LINE_MAX characters, or the
 * cell fails or goes away), so cells printing at the same time never split
 * each other's lines. The hypervisor's messages are printed as they come;
 * they too end any line left open by a writer. One lock keeps CPUs
 * printing at the same time apart.
 */
#include "core.h"

#define CELL_LINE_MAX 128

static struct {
	char text[CELL_LINE_MAX];
	unsigned int len;
} cell_lines[WD_MAX_CELLS];

static bool line_open; /* a hypervisor message line is unfinished */
static uint32_t console_lock;

static void console_put(char c)
{
	hal_console_putc(c);
	line_open = c != '\n';
}

/* Print @cell's collected characters as the line "[name] text". */
static void cell_line_print(const struct cell *cell, unsigned int slot)
{
	const char *name;
	unsigned int i;

	if (line_open)
		console_put('\n');
	console_put('[');
	for (name = cell_name(cell); *name; name++)
		console_put(*name);
	console_put(']');
	console_put(' ');
	for (i = 0; i < cell_lines[slot].len; i++)
		console_put(cell_lines[slot].text[i]);
	console_put('\n');
	cell_lines[slot].len = 0;
}

void console_cell_flush(const struct cell *cell)
{
	unsigned int slot = (unsigned int)(cell - cells);

	spin_lock(&console_lock);
	if (slot < WD_MAX_CELLS && cell_lines[slot].len)
		cell_line_print(cell, slot);
	spin_unlock(&console_lock);
}

void console_cell_putc(const struct cell *cell, char c)
{
	unsigned int slot = (unsigned int)(cell - cells);

	if (slot >= WD_MAX_CELLS)
		return;
	spin_lock(&console_lock);
	if (c != '\n')
		cell_lines[slot].text[cell_lines[slot].len++] = c;
	if (c == '\n' || cell_lines[slot].len == CELL_LINE_MAX)
		cell_line_print(cell, slot);
	spin_unlock(&console_lock);
}

void core_vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n, i;

	n = wd_vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	spin_lock(&console_lock);
	for (i = 0; i < n; i++)
		console_put(buf[i]);
	spin_unlock(&console_lock);
}

void core_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	core_vprintk(fmt, ap);
	va_end(ap);
}
