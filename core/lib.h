/* SPDX-License-Identifier: GPL-2.0 */
/* Freestanding helpers of the core: strings, memory, formatting. */
#ifndef WARDEN_CORE_LIB_H
#define WARDEN_CORE_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* The smaller and the larger of @a and @b, each evaluated twice. */
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

void *wd_memset(void *s, int c, size_t n);
void *wd_memcpy(void *dst, const void *src, size_t n);
size_t wd_strnlen(const char *s, size_t max);
int wd_strncmp(const char *a, const char *b, size_t n);

/*
 * vsnprintf subset, what the hypervisor's messages use: %d %u %x %s, a
 * width for numbers (zero-padded: "%08x"), a precision for %s given as an
 * argument ("%.*s"), and the length modifiers l and ll; other conversions
 * print nothing. Always NUL-terminates when @size > 0; returns the length
 * the full output would have had.
 */
int wd_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int wd_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* [a, a+alen) and [b, b+blen) intersect; lengths > 0, no wrap assumed. */
static inline bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
				  uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

#endif /* !WARDEN_CORE_LIB_H */
