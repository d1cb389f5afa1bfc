/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A small printf: %d %i %u %x %X %p %s %c %%, flags '-' and '0', a field
 * width (or '*'), length modifiers hh h l ll z. Enough for inmates.
 */
#include <inmate.h>

struct out {
	char *buf; /* NULL: to the console */
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (!o->buf)
		console_putc(c);
	else if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_field(struct out *o, const char *s, size_t n, int width,
		      bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	/* Zero padding goes after a sign. */
	if (pad == '0' && n && *s == '-') {
		out_char(o, *s++);
		n--;
	}
	while (!left && fill-- > 0)
		out_char(o, pad);
	while (n--)
		out_char(o, *s++);
	while (left && fill-- > 0)
		out_char(o, ' ');
}

static size_t format_number(char *end, uint64_t v, unsigned int base,
			    bool upper, bool negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		*--p = '-';
	return end - p;
}

static int format(struct out *o, const char *fmt, va_list ap)
{
	char num[24];

	for (; *fmt; fmt++) {
		bool left = false, is_signed = false;
		char pad = ' ';
		int width = 0, longs = 0;
		unsigned int base = 10;
		uint64_t v;
		size_t n;

		if (*fmt != '%') {
			out_char(o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + *fmt - '0';
		for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++)
			if (*fmt != 'h')
				longs += *fmt == 'z' ? 2 : 1;
		if (left)
			pad = ' ';

		switch (*fmt) {
		case 'c':
			num[0] = (char)va_arg(ap, int);
			out_field(o, num, 1, width, left, ' ');
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			out_field(o, s, strlen(s), width, left, ' ');
			continue;
		}
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			out_field(o, "0x", 2, 0, false, ' ');
			n = format_number(num + sizeof(num), v, 16, false,
					  false);
			out_field(o, num + sizeof(num) - n, n, width, left,
				  pad);
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'x':
		case 'X':
			base = 16;
			break;
		case '%':
			out_char(o, '%');
			continue;
		default: /* unknown: print it as it was written */
			out_char(o, '%');
			if (!*fmt)
				return o->len;
			out_char(o, *fmt);
			continue;
		}

		if (longs >= 2)
			v = is_signed ? (uint64_t)va_arg(ap, long long) :
					va_arg(ap, unsigned long long);
		else if (longs == 1)
			v = is_signed ? (uint64_t)va_arg(ap, long) :
					va_arg(ap, unsigned long);
		else
			v = is_signed ? (uint64_t)va_arg(ap, int) :
					va_arg(ap, unsigned int);
		if (is_signed && (int64_t)v < 0)
			n = format_number(num + sizeof(num), -v, base, false,
					  true);
		else
			n = format_number(num + sizeof(num), v, base,
					  *fmt == 'X', false);
		out_field(o, num + sizeof(num) - n, n, width, left, pad);
	}
	return o->len;
}

int vprintf(const char *fmt, va_list ap)
{
	struct out o = { 0 };

	return format(&o, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char none;
	struct out o = { .buf = size ? buf : &none, .size = size };

	format(&o, fmt, ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
