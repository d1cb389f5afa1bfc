/* SPDX-License-Identifier: GPL-2.0 */
/* Hypervisor console output. */
#include "core.h"

void core_vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n, i;

	n = wd_vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	for (i = 0; i < n; i++)
		hal_console_putc(buf[i]);
}

void core_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	core_vprintk(fmt, ap);
	va_end(ap);
}
