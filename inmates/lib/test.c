/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The test framework: named checks on the console in a fixed line format
 * (docs/inmates.md, "Console line format"), counted in the parameter block
 * too, and a final verdict line.
 */
#include <inmate.h>

void check_run(const char *name)
{
	printf("[run] %s\n", name);
}

static void check_line(const char *name, bool ok, const char *detail)
{
	inmate_params.checks++;
	if (!ok)
		inmate_params.failed++;
	printf("[check] %s: %s", name, ok ? "pass" : "fail");
	if (detail && *detail)
		printf(" (%s)", detail);
	console_putc('\n');
}

bool check(const char *name, bool ok, const char *detail_fmt, ...)
{
	char detail[128] = "";
	va_list ap;

	if (detail_fmt) {
		va_start(ap, detail_fmt);
		vsnprintf(detail, sizeof(detail), detail_fmt, ap);
		va_end(ap);
	}
	check_line(name, ok, detail);
	return ok;
}

bool check_eq(const char *name, uint64_t got, uint64_t want)
{
	if (got == want)
		return check(name, true, NULL);
	return check(name, false, "got 0x%llx, want 0x%llx",
		     (unsigned long long)got, (unsigned long long)want);
}

void check_skip(const char *name, const char *why)
{
	printf("[check] %s: skip (%s)\n", name, why);
}

void report_value(const char *name, int64_t value, const char *unit)
{
	printf("[value] %s: %lld%s%s\n", name, (long long)value,
	       unit && *unit ? " " : "", unit ? unit : "");
}

bool test_verdict(void)
{
	uint32_t total = inmate_params.checks, failed = inmate_params.failed;
	bool pass = total > 0 && failed == 0;

	printf("[verdict] %s %u/%u\n", pass ? "pass" : "fail",
	       (unsigned int)(total - failed), (unsigned int)total);
	inmate_params.state = INMATE_STATE_DONE;
	return pass;
}
