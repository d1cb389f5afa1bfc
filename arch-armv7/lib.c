/* SPDX-License-Identifier: GPL-2.0 */
/* The memory functions the compiler calls by name: the core's (core/lib.c). */
#include "../core/lib.h"
#include "arm.h"

void *memcpy(void *d, const void *s, size_t n)
{
	return wd_memcpy(d, s, n);
}

void *memset(void *d, int c, size_t n)
{
	return wd_memset(d, c, n);
}
