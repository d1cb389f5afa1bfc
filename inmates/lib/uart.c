/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * UART output: 8250/16550 by port I/O (x86) or MMIO with a register
 * distance of 1 or 4 bytes, and the ARM PL011 by MMIO. The UART is expected
 * to be set up by the root cell; it is only programmed when the comm region
 * gives a baud divider, as Jailhouse does.
 */
#include <inmate.h>

#define UART_8250_THR 0
#define UART_8250_DLL 0
#define UART_8250_DLM 1
#define UART_8250_LCR 3
#define UART_8250_LSR 5
#define UART_8250_LCR_8N1 0x03
#define UART_8250_LCR_DLAB 0x80
#define UART_8250_LSR_THRE 0x20

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF 0x20

static uint32_t uart_type = INMATE_CON_NONE;
static uint64_t uart_base;
static uint32_t uart_flags;

static void reg8250_write(unsigned int reg, uint8_t v)
{
#ifdef ARCH_HAS_PIO
	if (!(uart_flags & WD_CON_ACCESS_MMIO)) {
		outb(uart_base + reg, v);
		return;
	}
#endif
	if (uart_flags & WD_CON_REGDIST_4)
		mmio_write32(uart_base + 4 * reg, v);
	else
		mmio_write8(uart_base + reg, v);
}

static uint8_t reg8250_read(unsigned int reg)
{
#ifdef ARCH_HAS_PIO
	if (!(uart_flags & WD_CON_ACCESS_MMIO))
		return inb(uart_base + reg);
#endif
	if (uart_flags & WD_CON_REGDIST_4)
		return mmio_read32(uart_base + 4 * reg);
	return mmio_read8(uart_base + reg);
}

void uart_init(uint32_t type, uint64_t base, uint32_t flags, uint32_t divider)
{
	uart_type = INMATE_CON_NONE;
	if (type != WD_CON_TYPE_8250 && type != WD_CON_TYPE_PL011)
		return;
#ifndef ARCH_HAS_PIO
	if (type == WD_CON_TYPE_8250 && !(flags & WD_CON_ACCESS_MMIO))
		return;
#endif
	uart_type = type;
	uart_base = base;
	uart_flags = flags;
	if (type == WD_CON_TYPE_8250 && divider) {
		reg8250_write(UART_8250_LCR, UART_8250_LCR_DLAB);
		reg8250_write(UART_8250_DLL, divider & 0xff);
		reg8250_write(UART_8250_DLM, (divider >> 8) & 0xff);
		reg8250_write(UART_8250_LCR, UART_8250_LCR_8N1);
	}
}

bool uart_present(void)
{
	return uart_type != INMATE_CON_NONE;
}

void uart_putc(char c)
{
	switch (uart_type) {
	case WD_CON_TYPE_8250:
		while (!(reg8250_read(UART_8250_LSR) & UART_8250_LSR_THRE))
			cpu_relax();
		reg8250_write(UART_8250_THR, c);
		break;
	case WD_CON_TYPE_PL011:
		while (mmio_read32(uart_base + PL011_FR) & PL011_FR_TXFF)
			cpu_relax();
		mmio_write32(uart_base + PL011_DR, (unsigned char)c);
		break;
	}
}
