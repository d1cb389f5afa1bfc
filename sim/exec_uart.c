// SPDX-License-Identifier: GPL-2.0
/*
 * The sim's UART models for executed cells: the 8250s behind port I/O the
 * core forwards (x86) and the PL011s mapped to a cell (ARM). Transmitted
 * bytes become the console text, one "[CELL] " prefix per line.
 */
#include <stdlib.h>
#include <string.h>

#include "../hal/core.h"
#include "board.h"
#include "exec.h"
#include "exec_int.h"
#include "sim.h"

static struct {
	struct sim_text text;
	bool midline[WD_MAX_CELLS];
	uint8_t lcr[4]; /* per COM port, for DLAB */
} uart;

static void uart_out(struct cell *cell, char c)
{
	const char *p;
	unsigned int id = core_cell_id(cell) % WD_MAX_CELLS;

	if (c == '\r')
		return;
	if (!uart.midline[id]) {
		sim_text_putc(&uart.text, '[');
		for (p = core_cell_config(cell)->name; *p; p++)
			sim_text_putc(&uart.text, *p);
		sim_text_putc(&uart.text, ']');
		sim_text_putc(&uart.text, ' ');
	}
	sim_text_putc(&uart.text, c);
	uart.midline[id] = c != '\n';
}

const char *exec_uart(void)
{
	return sim_text(&uart.text);
}

const struct sim_text *exec_uart_text(void)
{
	return &uart.text;
}

/* The sim's 8250s: the board's, else at 0x3f8/0x2f8/0x3e8/0x2e8. */
static int com_index(uint16_t port)
{
	const struct board *b = board_get();
	unsigned int i;

	if (b) {
		for (i = 0; i < b->num_uarts; i++)
			if ((port & ~7) == b->uart[i])
				return (int)i;
		return -1;
	}
	switch (port & ~7) {
	case 0x3f8:
		return 0;
	case 0x2f8:
		return 1;
	case 0x3e8:
		return 2;
	case 0x2e8:
		return 3;
	}
	return -1;
}

uint32_t xc_uart_8250(struct xcpu *xc, uint16_t port, bool write,
		      uint32_t value)
{
	int com = com_index(port);
	unsigned int reg = port & 7;

	if (com < 0)
		return write ? 0 : 0xffffffff;
	if (write) {
		if (reg == 3)
			uart.lcr[com] = (uint8_t)value;
		else if (reg == 0 && !(uart.lcr[com] & 0x80))
			uart_out(xc->cell, (char)value);
		return 0;
	}
	if (reg == 5)
		return 0x60;
	if (reg == 3)
		return uart.lcr[com];
	return 0;
}

/* The sim's PL011: DR writes go to the cell's console, FR says TXFE. */
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFE 0x80

/* The sim's PL011s: the board's, else where the consoles say. */
bool xc_pl011_at(struct xcpu *xc, uint64_t base)
{
	const struct wd_console *c = &core_cell_config(xc->cell)->console;
	const struct wd_console *d = &core_system_config()->debug_console;
	const struct board *b = board_get();
	unsigned int i;

	if (b) {
		for (i = 0; i < b->num_uarts; i++)
			if (b->uart[i] == base)
				return true;
		return false;
	}
	return (c->type == WD_CON_TYPE_PL011 && c->address == base) ||
	       (d->type == WD_CON_TYPE_PL011 && d->address == base);
}

uint64_t xc_pl011(struct xcpu *xc, uint64_t off, bool write, uint64_t v)
{
	if (write) {
		if (off == PL011_DR)
			uart_out(xc->cell, (char)v);
		return 0;
	}
	return off == PL011_FR ? PL011_FR_TXFE : 0;
}

void xc_uart_free(void)
{
	free(uart.text.buf);
	memset(&uart, 0, sizeof(uart));
}
