/* SPDX-License-Identifier: GPL-2.0 */
#include "lib.h"

void *wd_memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *wd_memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

size_t wd_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int wd_strncmp(const char *a, const char *b, size_t n)
{
	for (; n && *a == *b; n--, a++, b++)
		if (!*a)
			return 0;
	return n ? (unsigned char)*a - (unsigned char)*b : 0;
}

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* @v in @base, at least @width characters: the sign, then '0's. */
static void put_num(struct out *o, uint64_t v, unsigned int base, bool neg,
		    unsigned int width)
{
	char tmp[24];
	unsigned int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		put(o, '-');
	for (; width > n + neg; width--)
		put(o, '0');
	while (n)
		put(o, tmp[--n]);
}

int wd_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		unsigned int width = 0, lng = 0;
		size_t prec = 4096; /* strings longer than that are cut */
		const char *s;
		uint64_t v;
		int64_t sv;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		/* A width: "%08x" (with or without the '0', zero-padded). */
		while (*++fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt - '0');
		/* A precision, for %s only: "%.*s" (a negative one is none,
		 * as in C). */
		if (fmt[0] == '.' && fmt[1] == '*') {
			sv = va_arg(ap, int);
			prec = sv < 0 ? 4096 : (size_t)sv;
			fmt += 2;
		}
		for (; *fmt == 'l'; fmt++)
			lng++;
		switch (*fmt) {
		case 'd':
			sv = lng >= 2 ? va_arg(ap, long long) :
			     lng      ? va_arg(ap, long) :
					va_arg(ap, int);
			v = sv < 0 ? (uint64_t)0 - (uint64_t)sv : (uint64_t)sv;
			put_num(&o, v, 10, sv < 0, width);
			break;
		case 'u':
		case 'x':
			v = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng	     ? va_arg(ap, unsigned long) :
				       va_arg(ap, unsigned int);
			put_num(&o, v, *fmt == 'x' ? 16 : 10, false, width);
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			for (v = wd_strnlen(s, prec); v; v--)
				put(&o, *s++);
			break;
		case '\0':
			fmt--; /* the loop ends at it */
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int wd_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = wd_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
