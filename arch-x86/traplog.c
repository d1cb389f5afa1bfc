/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 trap log's own line output, built into the trap-log image only
 * (core/traplog.c is the log): with the command line's traplog=e9 the
 * records go to I/O port 0xe9 (QEMU's isa-debugcon, Bochs' port_e9_hack)
 * instead of the console: no UART timing (Bochs sends 11,520 characters
 * per emulated second at 115200 baud, slower than a cell traps under the
 * log). The port has a lock of its own.
 */
#include "x86.h"

static uint32_t port_lock;

void x86_log_e9_line(const char *s)
{
	while (__atomic_exchange_n(&port_lock, 1, __ATOMIC_ACQUIRE))
		cpu_pause();
	while (*s)
		outb(0xe9, (uint8_t)*s++);
	outb(0xe9, '\n');
	__atomic_store_n(&port_lock, 0, __ATOMIC_RELEASE);
}
