/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The console: every character goes to a log ring in the image's RAM (so
 * the simulator or a debugger can read it even when the cell may not print),
 * to the UART when there is one, and to the hypervisor's debug console
 * hypercall when that is enabled. Selection rules: docs/inmates.md.
 */
#include <inmate.h>

#define LOG_SIZE 0x2000

static char log_buf[LOG_SIZE];
static bool use_hc;

long hc_debug_putc(char c)
{
	return hypercall(WD_HC_DEBUG_CONSOLE_PUTC, (unsigned char)c, 0);
}

void console_init(void)
{
	struct wd_comm_region *comm = comm_region();
	uint32_t type = inmate_params.console_type;
	uint32_t flags = inmate_params.console_flags;
	uint64_t base = inmate_params.console_base;
	uint32_t divider = 0;

	if (type == 0 && comm) {
		type = comm->console.type;
		flags = comm->console.flags;
		base = comm->console.address;
		divider = comm->console.divider;
	}
	uart_init(type, base, flags, divider); /* none unless 8250/PL011 */

	switch (inmate_params.console_hc) {
	case INMATE_HC_ALWAYS:
		use_hc = true;
		break;
	case INMATE_HC_NEVER:
		use_hc = false;
		break;
	default:
		use_hc = comm &&
			 ((comm->flags & WD_COMM_FLAG_DBG_PUTC_ACTIVE) ||
			  ((comm->flags & WD_COMM_FLAG_DBG_PUTC_PERMITTED) &&
			   !uart_present()));
	}
}

static void log_putc(char c)
{
	uint32_t n = inmate_params.log_len;

	if (!inmate_params.log_addr) {
		inmate_params.log_addr = (uintptr_t)log_buf;
		inmate_params.log_size = LOG_SIZE;
	}
	log_buf[n % LOG_SIZE] = c;
	inmate_params.log_len = n + 1;
}

void console_putc(char c)
{
	log_putc(c);
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
	if (use_hc)
		hc_debug_putc(c);
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}
