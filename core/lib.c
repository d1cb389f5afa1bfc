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

int wd_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
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
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
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

static void put_num(struct out *o, uint64_t v, unsigned int base, bool upper,
		    bool neg, unsigned int width, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	unsigned int n = 0, len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + neg;
	if (neg && zero)
		put(o, '-');
	if (!left)
		for (; width > len; width--)
			put(o, zero ? '0' : ' ');
	if (neg && !zero)
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
	if (left)
		for (; width > len; width--)
			put(o, ' ');
}

static void put_str(struct out *o, const char *s, unsigned int width,
		    size_t prec, bool left)
{
	size_t len, n;

	if (!s)
		s = "(null)";
	len = wd_strnlen(s, prec);
	if (!left)
		for (; width > len; width--)
			put(o, ' ');
	for (n = 0; n < len; n++)
		put(o, s[n]);
	if (left)
		for (; width > len; width--)
			put(o, ' ');
}

int wd_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool zero = false, left = false, is_signed = false;
		unsigned int width = 0, lng = 0, base = 10;
		size_t prec = 4096; /* strings longer than that are cut */
		uint64_t v;
		int64_t sv;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		if (*fmt == '.') {
			/* Precision, honoured for %s only: "%.*s", "%.8s". */
			fmt++;
			if (*fmt == '*') {
				int p = va_arg(ap, int);

				/* Negative: as if none was given (C). */
				prec = p < 0 ? 4096 : (size_t)p;
				fmt++;
			} else {
				for (prec = 0; *fmt >= '0' && *fmt <= '9';)
					prec = prec * 10 +
					       (size_t)(*fmt++ - '0');
			}
		}
		while (*fmt == 'l' || *fmt == 'z') {
			lng = *fmt == 'z' ? 1 :
					    lng + 1; /* size_t is long-sized */
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			is_signed = true;
			/* fall through */
		case 'u':
			break;
		case 'x':
		case 'X':
			base = 16;
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false,
				false, width, zero, left);
			continue;
		case 's':
			put_str(&o, va_arg(ap, const char *), width, prec,
				left);
			continue;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			continue;
		case '%':
			put(&o, '%');
			continue;
		case '\0':
			fmt--;
			continue;
		default:
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}
		if (is_signed) {
			if (lng >= 2)
				sv = va_arg(ap, long long);
			else if (lng == 1)
				sv = va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			v = sv < 0 ? (uint64_t)0 - (uint64_t)sv : (uint64_t)sv;
			put_num(&o, v, base, false, sv < 0, width, zero, left);
			continue;
		}
		if (lng >= 2)
			v = va_arg(ap, unsigned long long);
		else if (lng == 1)
			v = va_arg(ap, unsigned long);
		else
			v = va_arg(ap, unsigned int);
		put_num(&o, v, base, *fmt == 'X', false, width, zero, left);
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
