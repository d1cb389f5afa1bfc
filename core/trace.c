// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Trap records as text (trace format version 1). The grammar is in
 * core/trace.h and docs/abi.md; the simulator's parser (sim/trace.c) accepts
 * everything printed here, so a logged record can be replayed as it is.
 */
#include <warden/reason.h>

#include "lib.h"
#include "trace.h"

static const char *const kind_names[] = {
#define KIND_NAME(kind, token) [kind] = token,
	WD_TRAP_KINDS(KIND_NAME)
#undef KIND_NAME
};

const char *wd_trap_kind_name(unsigned int kind)
{
	if (kind >= ARRAY_SIZE(kind_names) || !kind_names[kind])
		return "unknown";
	return kind_names[kind];
}

/* @name[0..@len) equals the NUL-terminated @token exactly. */
int wd_token_eq(const char *name, size_t len, const char *token)
{
	return wd_strnlen(token, len + 1) == len &&
	       wd_strncmp(name, token, len) == 0;
}

/* Every reason code and its text (reason_names.c has their names). */
static const struct {
	unsigned int code;
	const char *text;
} reason_codes[] = {
#define REASON_CODE(c, n, t) { c, t },
	WD_REASONS(REASON_CODE)
#undef REASON_CODE
};

int wd_reason_from_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reason_codes); i++)
		if (wd_token_eq(name, len,
				wd_reason_name(reason_codes[i].code)))
			return (int)reason_codes[i].code;
	return -1;
}

const char *wd_reason_text(unsigned int code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reason_codes); i++)
		if (reason_codes[i].code == code)
			return reason_codes[i].text;
	return "unknown reason";
}

static const char *const method_names[] = {
	[WD_METHOD_PSCI] = "psci",
	[WD_METHOD_CF9] = "cf9",
	[WD_METHOD_KBC] = "kbc",
	[WD_METHOD_ACPI] = "acpi",
};

const char *wd_trap_method_name(unsigned int method)
{
	if (method >= ARRAY_SIZE(method_names) || !method_names[method])
		return "unknown";
	return method_names[method];
}

int wd_trap_method_from_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(method_names); i++)
		if (method_names[i] && wd_token_eq(name, len, method_names[i]))
			return (int)i;
	return -1;
}

int wd_trap_kind_has_value(unsigned int kind)
{
	switch (kind) {
	case WD_TRAP_MMIO:
	case WD_TRAP_PIO:
	case WD_TRAP_MSR:
	case WD_TRAP_CPUID:
	case WD_TRAP_PSCI:
	case WD_TRAP_CP15:
		return 1;
	default:
		return 0;
	}
}

/* snprintf-style appender: keeps counting once the buffer is full. */
struct fmt_buf {
	char *buf;
	size_t size;
	size_t len;
};

static void fmt_add(struct fmt_buf *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fmt_add(struct fmt_buf *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (f->len < f->size)
		n = wd_vsnprintf(f->buf + f->len, f->size - f->len, fmt, ap);
	else
		n = wd_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		f->len += (size_t)n;
}

static int fmt_done(struct fmt_buf *f)
{
	if (f->size && f->len < f->size)
		f->buf[f->len] = '\0';
	return (int)f->len;
}

static void fmt_access(struct fmt_buf *f, const struct wd_trap *t,
		       const char *addr_key)
{
	fmt_add(f, " dir=%s %s=0x%llx", t->write ? "w" : "r", addr_key,
		(unsigned long long)t->addr);
	if (t->kind == WD_TRAP_MMIO || t->kind == WD_TRAP_PIO)
		fmt_add(f, " size=%u", t->size);
	if (t->write)
		fmt_add(f, " val=0x%llx", (unsigned long long)t->value);
}

static void fmt_left(struct fmt_buf *f, const struct wd_trap *t,
		     const char *cell_name)
{
	fmt_add(f, "%s cpu=%u cell=%s", wd_trap_kind_name(t->kind),
		(unsigned int)t->cpu, cell_name ? cell_name : "?");

	switch (t->kind) {
	case WD_TRAP_HVC:
		fmt_add(f, " code=%llu arg1=0x%llx arg2=0x%llx",
			(unsigned long long)t->addr,
			(unsigned long long)t->value,
			(unsigned long long)t->arg2);
		/* Only user mode says so: older records are privileged. */
		if (t->user)
			fmt_add(f, " user=1");
		break;
	case WD_TRAP_MMIO:
		fmt_access(f, t, "addr");
		/* Decoded instruction facts come as one group, or not at all. */
		if (t->reg != WD_TRAP_NO_REG)
			fmt_add(f, " reg=%u sext=%u wb=%u len=%u", t->reg,
				t->sext, t->wback, t->insn_len);
		break;
	case WD_TRAP_PIO:
		fmt_access(f, t, "port");
		break;
	case WD_TRAP_IRQCHIP:
		fmt_add(f, " chip=0x%llx pin=%llu",
			(unsigned long long)t->value,
			(unsigned long long)t->addr);
		break;
	case WD_TRAP_RESET:
	case WD_TRAP_POWEROFF:
		fmt_add(f, " method=%s",
			wd_trap_method_name((unsigned int)t->addr));
		break;
	case WD_TRAP_EXCEPTION:
		fmt_add(f, " vector=0x%llx", (unsigned long long)t->addr);
		break;
	case WD_TRAP_CPU_ON:
		fmt_add(f, " target=%llu entry=0x%llx",
			(unsigned long long)t->addr,
			(unsigned long long)t->value);
		break;
	case WD_TRAP_CPU_OFF:
		break;
	default:
		fmt_access(f, t, "addr");
		break;
	}
}

static void fmt_reason(struct fmt_buf *f, const struct wd_trap *t)
{
	fmt_add(f, " reason=%s item=0x%llx", wd_reason_name(t->reason),
		(unsigned long long)t->item);
}

static void fmt_outcome(struct fmt_buf *f, const struct wd_trap *t)
{
	/* Only reads of register-like kinds produce a value for the cell. */
	bool has_val = !t->write && wd_trap_kind_has_value(t->kind);

	switch (t->outcome) {
	case WD_OUT_OK:
	case WD_OUT_FWD:
		fmt_add(f, "%s", t->outcome == WD_OUT_OK ? "ok" : "fwd");
		if (has_val)
			fmt_add(f, " val=0x%llx",
				(unsigned long long)t->result);
		break;
	case WD_OUT_RET:
		fmt_add(f, "ret=%lld", (long long)t->result);
		if ((long long)t->result < 0)
			fmt_reason(f, t);
		break;
	case WD_OUT_DENY:
		fmt_add(f, "deny");
		fmt_reason(f, t);
		break;
	case WD_OUT_STOP:
		fmt_add(f, "stop");
		break;
	default:
		fmt_add(f, "none");
		break;
	}
}

int wd_trap_format_outcome(char *buf, size_t size, const struct wd_trap *t)
{
	struct fmt_buf f = { buf, size, 0 };

	fmt_outcome(&f, t);
	return fmt_done(&f);
}

int wd_trap_format(char *buf, size_t size, const struct wd_trap *t,
		   const char *cell_name)
{
	struct fmt_buf f = { buf, size, 0 };

	fmt_left(&f, t, cell_name);
	fmt_add(&f, " -> ");
	fmt_outcome(&f, t);
	return fmt_done(&f);
}
