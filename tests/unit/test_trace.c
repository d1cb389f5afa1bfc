// SPDX-License-Identifier: GPL-2.0
/*
 * Trace format and replay: the parser (good lines, every error message),
 * the formatter (format(parse(line)) == line for canonical lines), and the
 * replayer against the golden traces.
 *
 * The sources are found through $WARDEN_SRC, else by walking up from the
 * current directory to the first one holding tests/traces/lifecycle.trace.
 * The traces load configs from build/host/tests/configs/ (built by scons)
 * through paths relative to the trace file; copies made here live in a
 * temporary tree with a "build" symlink, so those paths still resolve.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <warden/reason.h>

#include "core/trace.h"
#include "sim/replay.h"
#include "sim/trace.h"
#include "support_run.h"

/* ---- helpers ------------------------------------------------------------- */

static const char *src_dir(void)
{
	static char dir[PATH_MAX];
	char probe[PATH_MAX + 64];
	const char *env = getenv("WARDEN_SRC");
	char *slash;

	if (dir[0])
		return dir;
	if (env && *env) {
		snprintf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	ck_assert_ptr_nonnull(getcwd(dir, sizeof(dir)));
	for (;;) {
		snprintf(probe, sizeof(probe),
			 "%s/tests/traces/lifecycle.trace", dir);
		if (!access(probe, R_OK))
			return dir;
		slash = strrchr(dir, '/');
		ck_assert_msg(slash && dir[1],
			      "sources not found: set WARDEN_SRC");
		slash[slash == dir] = '\0';
	}
}

static char *src_path(const char *rel)
{
	static char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", src_dir(), rel);
	return path;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot create %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* A scratch tree T with T/build -> the real build dir, T/tests/traces/. */
struct scratch {
	char root[64];
	char traces[128];
	char build[128];
};

static void scratch_make(struct scratch *s)
{
	char target[PATH_MAX + 16];

	snprintf(s->root, sizeof(s->root), "/tmp/warden-trace-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(s->root));
	snprintf(s->build, sizeof(s->build), "%s/build", s->root);
	snprintf(target, sizeof(target), "%s/build", src_dir());
	ck_assert_int_eq(symlink(target, s->build), 0);
	snprintf(s->traces, sizeof(s->traces), "%s/tests", s->root);
	ck_assert_int_eq(mkdir(s->traces, 0700), 0);
	snprintf(s->traces, sizeof(s->traces), "%s/tests/traces", s->root);
	ck_assert_int_eq(mkdir(s->traces, 0700), 0);
}

static void scratch_file(const struct scratch *s, const char *name, char *out,
			 size_t len)
{
	snprintf(out, len, "%s/%s", s->traces, name);
}

static void scratch_free(struct scratch *s, const char *const *names)
{
	char path[256];

	for (; *names; names++) {
		scratch_file(s, *names, path, sizeof(path));
		unlink(path);
	}
	unlink(s->build);
	rmdir(s->traces);
	snprintf(path, sizeof(path), "%s/tests", s->root);
	rmdir(path);
	rmdir(s->root);
}

/* 1-based number of the line that starts with @prefix, 0 if none. */
static unsigned int find_line(const char *data, const char *prefix,
			      size_t *offset)
{
	const char *p = data;
	unsigned int line = 1;

	for (;;) {
		if (!strncmp(p, prefix, strlen(prefix))) {
			*offset = (size_t)(p - data);
			return line;
		}
		p = strchr(p, '\n');
		if (!p)
			return 0;
		p++;
		line++;
	}
}

static struct trace_item item;
static char err[TRACE_ERR_LEN];

static void parse_ok(const char *line)
{
	int r = trace_parse_line(line, strlen(line), &item, err, sizeof(err));

	ck_assert_msg(r == 0, "'%s' failed: %s", line, err);
}

static void parse_err(const char *line, const char *msg)
{
	int r = trace_parse_line(line, strlen(line), &item, err, sizeof(err));

	ck_assert_msg(r == -1, "'%s' parsed, expected error '%s'", line, msg);
	ck_assert_str_eq(err, msg);
}

/* ---- names ----------------------------------------------------------------- */

START_TEST(test_names)
{
	ck_assert_str_eq(wd_trap_kind_name(WD_TRAP_HVC), "hvc");
	ck_assert_str_eq(wd_trap_kind_name(WD_TRAP_IRQCHIP), "irq");
	ck_assert_str_eq(wd_trap_kind_name(WD_TRAP_POWEROFF), "off");
	ck_assert_str_eq(wd_trap_kind_name(WD_TRAP_CP15), "cp15");
	ck_assert_str_eq(wd_trap_kind_name(WD_TRAP_KIND_COUNT), "unknown");

	ck_assert_str_eq(wd_reason_name(WD_R_none), "none");
	ck_assert_str_eq(wd_reason_name(WD_R_mmio_unhandled), "mmio_unhandled");
	ck_assert_str_eq(wd_reason_name(WD_R_hypervisor_fault),
			 "hypervisor_fault");
	ck_assert_str_eq(wd_reason_name(29), "unknown");
	ck_assert_str_eq(wd_reason_name(~0U), "unknown");
	ck_assert_str_eq(wd_reason_text(WD_R_pio_denied),
			 "port not assigned to the cell; item = port");
	ck_assert_str_eq(wd_reason_text(1000), "unknown reason");

	ck_assert_int_eq(wd_reason_from_name("not_root", 8), WD_R_not_root);
	ck_assert_int_eq(wd_reason_from_name("not_rootX", 8), WD_R_not_root);
	ck_assert_int_eq(wd_reason_from_name("not_roo", 7), -1);
	ck_assert_int_eq(wd_reason_from_name("none", 4), WD_R_none);
	ck_assert_int_eq(wd_reason_from_name("", 0), -1);
	ck_assert_int_eq(wd_reason_from_name("unknown", 7), -1);

	ck_assert_str_eq(wd_trap_method_name(WD_METHOD_CF9), "cf9");
	ck_assert_int_eq(wd_trap_method_from_name("kbc", 3), WD_METHOD_KBC);
	ck_assert_int_eq(wd_trap_method_from_name("kb", 2), -1);
}
END_TEST

/* Every code in WD_REASONS maps to its token and back. */
START_TEST(test_reason_table)
{
#define CHECK_REASON(code, name, text)                 \
	ck_assert_str_eq(wd_reason_name(code), #name); \
	ck_assert_str_eq(wd_reason_text(code), text);  \
	ck_assert_int_eq(wd_reason_from_name(#name, strlen(#name)), code);
	WD_REASONS(CHECK_REASON)
#undef CHECK_REASON
}
END_TEST

/* ---- formatter ------------------------------------------------------------- */

START_TEST(test_format)
{
	struct wd_trap t = {
		.cpu = 3,
		.kind = WD_TRAP_MMIO,
		.size = 4,
		.reg = WD_TRAP_NO_REG,
		.addr = 0xfed00000,
		.outcome = WD_OUT_DENY,
		.reason = WD_R_mmio_unhandled,
		.item = 0xfed00000,
	};
	const char *want = "mmio cpu=3 cell=attack dir=r addr=0xfed00000 "
			   "size=4 -> deny reason=mmio_unhandled "
			   "item=0xfed00000";
	char buf[256], small[16];
	int n;

	n = wd_trap_format(buf, sizeof(buf), &t, "attack");
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(n, (int)strlen(want));

	/* snprintf semantics: truncated, terminated, full length returned. */
	n = wd_trap_format(small, sizeof(small), &t, "attack");
	ck_assert_int_eq(n, (int)strlen(want));
	ck_assert_str_eq(small, "mmio cpu=3 cell");
	ck_assert_int_eq(wd_trap_format(NULL, 0, &t, "attack"), n);

	t.cell_id = 0;
	wd_trap_format(buf, sizeof(buf), &t, NULL);
	ck_assert_str_eq(buf, "mmio cpu=3 cell=? dir=r addr=0xfed00000 size=4 "
			      "-> deny reason=mmio_unhandled item=0xfed00000");

	n = wd_trap_format_outcome(buf, sizeof(buf), &t);
	ck_assert_str_eq(buf, "deny reason=mmio_unhandled item=0xfed00000");

	t.kind = WD_TRAP_HVC;
	t.addr = 8;
	t.value = 0x41;
	t.outcome = WD_OUT_RET;
	t.result = (uint64_t)-1;
	t.reason = WD_R_putc_not_permitted;
	t.item = 2;
	wd_trap_format(buf, sizeof(buf), &t, "attack");
	ck_assert_str_eq(buf, "hvc cpu=3 cell=attack code=8 arg1=0x41 arg2=0x0 "
			      "-> ret=-1 reason=putc_not_permitted item=0x2");
	t.result = 0;
	wd_trap_format_outcome(buf, sizeof(buf), &t);
	ck_assert_str_eq(buf, "ret=0");
}
END_TEST

static const char *const canonical[] = {
	"hvc cpu=0 cell=root code=1 arg1=0x200000 arg2=0x0 -> ret=1",
	"hvc cpu=2 cell=tiny code=4 arg1=0x1 arg2=0x0 -> ret=-1 "
	"reason=not_root item=0x4",
	"hvc cpu=0 cell=root code=256 arg1=0xffffffffffffffff "
	"arg2=0x300000 -> ret=-2 reason=cell_unknown item=0xffffffffffffffff",
	"hvc cpu=1 cell=root code=0 arg1=0x0 arg2=0x0 -> stop",
	"hvc cpu=3 cell=attack code=5 arg1=0x4 arg2=0x0 user=1 -> ret=-1 "
	"reason=hypercall_user item=0x5",
	"mmio cpu=1 cell=root dir=r addr=0xfed01000 size=4 -> fwd "
	"val=0x12345678",
	"mmio cpu=1 cell=root dir=w addr=0xfed01004 size=1 val=0x7 -> fwd",
	"mmio cpu=3 cell=attack dir=r addr=0xfed00000 size=8 reg=3 sext=0 "
	"wb=1 len=4 -> deny reason=mmio_unhandled item=0xfed00000",
	"mmio cpu=0 cell=root dir=r addr=0xe0008000 size=2 -> ok val=0xffff",
	"mmio cpu=0 cell=root dir=w addr=0xfed01000 size=8 "
	"val=0xffffffffffffffff -> stop",
	"pio cpu=2 cell=tiny dir=w port=0x2f8 size=1 val=0x41 -> fwd",
	"pio cpu=2 cell=tiny dir=r port=0x2fd size=1 -> fwd val=0x60",
	"pio cpu=3 cell=attack dir=w port=0xcf9 size=1 val=0x6 -> deny "
	"reason=pio_denied item=0xcf9",
	"pio cpu=2 cell=tiny dir=r port=0xffff size=4 -> ok val=0xffffffff",
	"irq cpu=2 cell=tiny chip=0xfec00000 pin=5 -> ok",
	"irq cpu=3 cell=attack chip=0xfec00000 pin=9 -> deny reason=irq_foreign item=0x9",
	"reset cpu=0 cell=root method=cf9 -> fwd",
	"reset cpu=3 cell=attack method=kbc -> deny reason=machine_reset "
	"item=0x3",
	"off cpu=3 cell=attack method=acpi -> deny reason=machine_off "
	"item=0x4",
	"off cpu=0 cell=root method=psci -> fwd",
	"exc cpu=3 cell=attack vector=0xd -> deny reason=cpu_exception "
	"item=0xd",
};

START_TEST(test_round_trip)
{
	const char *line = canonical[_i];
	struct wd_trap t;
	char buf[512];

	parse_ok(line);
	ck_assert_int_eq(item.type, TRACE_RECORD);
	t = item.trap;
	t.outcome = item.expect.outcome;
	t.reason = item.expect.reason;
	t.result = item.expect.result;
	t.item = item.expect.item;
	wd_trap_format(buf, sizeof(buf), &t, item.cell);
	ck_assert_str_eq(buf, line);

	/* The expected outcome has the canonical key set, and prints so. */
	ck_assert_uint_eq(trace_outcome_of(&t).keys, item.expect.keys);
	ck_assert(trace_outcome_equal(&item.expect, &item.expect));
	trace_format_outcome(buf, sizeof(buf), &item.trap, &item.expect);
	ck_assert_str_eq(buf, strstr(line, "-> ") + 3);
}
END_TEST

/* ---- parser: good lines ------------------------------------------------------- */

START_TEST(test_parse_fields)
{
	const char *line = "  pio  cpu=2 cell=tiny\tdir=w port=760 size=2 "
			   "val=0x4142 ->  fwd   # a comment -> ok";

	/* user= is optional: absent, a privileged caller. */
	parse_ok("hvc cpu=3 cell=attack code=5 arg1=0x4 arg2=0x0 -> ret=1");
	ck_assert_uint_eq(item.trap.user, 0);
	parse_ok("hvc cpu=3 cell=attack code=5 arg1=0x4 arg2=0x0 user=0 -> "
		 "ret=1");
	ck_assert_uint_eq(item.trap.user, 0);
	parse_ok("hvc cpu=3 cell=attack code=5 arg1=0x4 arg2=0x0 user=1 -> "
		 "ret=-1 reason=hypercall_user item=0x5");
	ck_assert_uint_eq(item.trap.user, 1);

	parse_ok(line);
	ck_assert_int_eq(item.type, TRACE_RECORD);
	ck_assert_uint_eq(item.trap.kind, WD_TRAP_PIO);
	ck_assert_uint_eq(item.trap.cpu, 2);
	ck_assert_str_eq(item.cell, "tiny");
	ck_assert_uint_eq(item.trap.write, 1);
	ck_assert_uint_eq(item.trap.addr, 0x2f8);
	ck_assert_uint_eq(item.trap.size, 2);
	ck_assert_uint_eq(item.trap.value, 0x4142);
	ck_assert_uint_eq(item.trap.reg, WD_TRAP_NO_REG);
	ck_assert_uint_eq(item.expect.outcome, WD_OUT_FWD);
	ck_assert_uint_eq(item.expect.keys, 0);
	ck_assert(item.has_expect);
	/* The outcome text stops before the comment (for --update). */
	ck_assert_uint_eq(item.out_end - item.out_start, 3);
	ck_assert(!strncmp(line + item.out_start, "fwd", 3));

	parse_ok("hvc cpu=0 cell=root code=2 arg1=1 arg2=0 -> ret=-22 "
		 "reason=cell_is_root item=0");
	ck_assert_uint_eq(item.trap.addr, 2);
	ck_assert_uint_eq(item.trap.value, 1);
	ck_assert_uint_eq(item.expect.outcome, WD_OUT_RET);
	ck_assert_uint_eq(item.expect.result, (uint64_t)-22);
	ck_assert_uint_eq(item.expect.keys,
			  TRACE_KEY_RET | TRACE_KEY_REASON | TRACE_KEY_ITEM);
	ck_assert_uint_eq(item.expect.reason, WD_R_cell_is_root);

	parse_ok("mmio cpu=1 cell=c dir=r addr=0x10 size=8 reg=3 sext=1 wb=0 "
		 "len=15 -> ok val=0xFFFFFFFFFFFFFFFF");
	ck_assert_uint_eq(item.trap.reg, 3);
	ck_assert_uint_eq(item.trap.sext, 1);
	ck_assert_uint_eq(item.trap.insn_len, 15);
	ck_assert_uint_eq(item.expect.result, UINT64_MAX);

	parse_ok("reset cpu=0 cell=root method=psci -> fwd");
	ck_assert_uint_eq(item.trap.kind, WD_TRAP_RESET);
	ck_assert_uint_eq(item.trap.addr, WD_METHOD_PSCI);

	/* Blank and comment-only lines are nothing. */
	parse_ok("");
	ck_assert_int_eq(item.type, TRACE_NOTHING);
	parse_ok("   # hvc cpu=0");
	ck_assert_int_eq(item.type, TRACE_NOTHING);
	parse_ok("warden-trace 1 # version");
	ck_assert_int_eq(item.type, TRACE_HEADER);
}
END_TEST

START_TEST(test_parse_directives)
{
	parse_ok("machine ram=0x0 size=0x10000000 cpus=4");
	ck_assert_int_eq(item.type, TRACE_DIRECTIVE);
	ck_assert_int_eq(item.dir, TRACE_DIR_MACHINE);
	ck_assert_uint_eq(item.num[1], 0x10000000);
	ck_assert_uint_eq(item.num[2], 4);

	parse_ok("system ../cfg/sys.cell # the system");
	ck_assert_int_eq(item.dir, TRACE_DIR_SYSTEM);
	ck_assert_str_eq(item.path, "../cfg/sys.cell");

	parse_ok("load 0x200000 tiny.cell");
	ck_assert_int_eq(item.dir, TRACE_DIR_LOAD);
	ck_assert_uint_eq(item.num[0], 0x200000);
	ck_assert_str_eq(item.path, "tiny.cell");

	parse_ok("enable");
	ck_assert_int_eq(item.dir, TRACE_DIR_ENABLE);
	ck_assert(!item.has_expect);
	parse_ok("enable -> ret=-22 reason=cfg_signature item=0x0");
	ck_assert(item.has_expect);
	ck_assert_uint_eq(item.expect.reason, WD_R_cfg_signature);

	parse_ok("respond tiny denied");
	ck_assert_int_eq(item.dir, TRACE_DIR_RESPOND);
	ck_assert_str_eq(item.cell, "tiny");
	ck_assert_uint_eq(item.num[0], TRACE_REPLY_DENIED);

	parse_ok("state tiny locked");
	ck_assert_int_eq(item.dir, TRACE_DIR_STATE);
	ck_assert_uint_eq(item.num[0], 1);
	parse_ok("expect-state attack gone");
	ck_assert_int_eq(item.dir, TRACE_DIR_EXPECT_STATE);
	ck_assert_uint_eq(item.num[0], TRACE_STATE_GONE);

	parse_ok("expect-console   cell \"x\" FAILED, twice  # comment");
	ck_assert_int_eq(item.dir, TRACE_DIR_EXPECT_CONSOLE);
	ck_assert_str_eq(item.text, "cell \"x\" FAILED, twice");
}
END_TEST

/* ---- parser: every error --------------------------------------------------- */

#define PIO "pio cpu=0 cell=root "

START_TEST(test_parse_errors)
{
	parse_err("bogus cpu=1 -> ok", "unknown kind or directive 'bogus'");
	parse_err("hvc cpu=0 cell=root code=5 arg1=0x4 arg2=0x0 user=2 -> "
		  "ret=1",
		  "user=2 out of range (at most 1)");
	parse_err("pio cpu=0 cell=root dir=r port=0x3f8 size=1 user=1 -> ok",
		  "unknown key 'user=' for pio");
	parse_err("cpuid cpu=0 cell=root dir=r addr=0x1 -> ok",
		  "unsupported kind 'cpuid' (reserved for backends in trace "
		  "version 1)");
	parse_err("cpuoff cpu=0 cell=root target=1 -> ok",
		  "unknown key 'target=' for cpuoff");
	parse_err("msr cpu=0 cell=root dir=r addr=0x100000000 -> ok",
		  "addr=0x100000000 out of range (at most 4294967295)");
	parse_err(PIO "dir=r port=0x3f8 size=1",
		  "missing '->' and expected outcome");
	parse_err(PIO "dir=r port=0x3f8 size=1 ->",
		  "missing outcome after '->'");
	parse_err("pio cell=root dir=r port=0x3f8 size=1 -> ok val=0x0",
		  "missing cpu= in pio record");
	parse_err("pio cpu=0 dir=r port=0x3f8 size=1 -> ok val=0x0",
		  "missing cell= in pio record");
	parse_err("pio cpu=zero cell=root dir=r port=0x3f8 size=1 -> ok",
		  "bad number 'zero' in cpu=");
	parse_err("pio cpu=0x cell=root dir=r port=0x3f8 size=1 -> ok",
		  "bad number '0x' in cpu=");
	parse_err("pio cpu=-1 cell=root dir=r port=0x3f8 size=1 -> ok",
		  "bad number '-1' in cpu=");
	parse_err("pio cpu=0x100000000 cell=root dir=r port=0 size=1 -> ok",
		  "cpu=0x100000000 out of range (at most 4294967295)");
	parse_err("mmio cpu=0 cell=root dir=r addr=0x10000000000000000 size=1 "
		  "-> ok",
		  "bad number '0x10000000000000000' in addr=");
	parse_err(PIO "port=0x3f8 size=1 -> ok", "missing dir= in pio record");
	parse_err(PIO "dir=x port=0x3f8 size=1 -> ok", "bad dir 'x' (r or w)");
	parse_err(PIO "dir=r size=1 -> ok", "missing port= in pio record");
	parse_err(PIO "dir=r port=0x10000 size=1 -> ok",
		  "port=0x10000 out of range (at most 65535)");
	parse_err(PIO "dir=r port=0x3f8 -> ok", "missing size= in pio record");
	parse_err(PIO "dir=r port=0x3f8 size=3 -> ok", "bad size 3 (1, 2, 4)");
	parse_err(PIO "dir=r port=0x3f8 size=8 -> ok",
		  "size=8 out of range (at most 4)");
	parse_err("mmio cpu=0 cell=r dir=r addr=0 size=0 -> ok",
		  "bad size 0 (1, 2, 4 or 8)");
	parse_err(PIO "dir=w port=0x3f8 size=1 -> fwd", "write without val=");
	parse_err(PIO "dir=r port=0x3f8 size=1 val=1 -> fwd",
		  "val= on a read (the value read belongs after '->')");
	parse_err(PIO "dir=w port=0x3f8 size=1 val=0x100 -> fwd",
		  "val=0x100 out of range (at most 255)");
	parse_err(PIO "dir=r port=0x3f8 size=1 foo=1 -> fwd",
		  "unknown key 'foo=' for pio");
	parse_err(PIO "dir=r port=0x3f8 size=1 cpu=1 -> fwd",
		  "duplicate key 'cpu='");
	parse_err(PIO "dir port=0x3f8 size=1 -> fwd", "'dir' is not key=value");
	parse_err(PIO "=r port=0x3f8 size=1 -> fwd", "'=r' is not key=value");
	parse_err(PIO "dir= port=0x3f8 size=1 -> fwd", "empty value in 'dir='");
	parse_err(
		"pio cpu=0 cell=abcdefghijabcdefghijabcdefghijabc dir=r "
		"port=0 size=1 -> ok",
		"cell name 'abcdefghijabcdefghijabcdefghijabc' longer than 31 "
		"characters");
	parse_err("mmio cpu=0 cell=r dir=r addr=0 size=4 reg=1 -> ok",
		  "reg=, sext=, wb= and len= go together");
	parse_err("mmio cpu=0 cell=r dir=r addr=0 size=4 reg=255 sext=0 wb=0 "
		  "len=1 -> ok",
		  "reg=255 out of range (at most 254)");
	parse_err("mmio cpu=0 cell=r dir=r addr=0 size=4 reg=1 sext=2 wb=0 "
		  "len=1 -> ok",
		  "sext=2 out of range (at most 1)");
	parse_err("hvc cpu=0 cell=root arg1=0 arg2=0 -> ret=0",
		  "missing code= in hvc record");
	parse_err("hvc cpu=0 cell=root code=1 arg2=0 -> ret=0",
		  "missing arg1= in hvc record");
	parse_err("irq cpu=0 cell=root -> ok", "missing pin= in irq record");
	parse_err("exc cpu=0 cell=root -> deny reason=none item=0",
		  "missing vector= in exc record");
	parse_err("reset cpu=0 cell=root -> fwd",
		  "missing method= in reset record");
	parse_err("off cpu=0 cell=root method=halt -> fwd",
		  "unknown method 'halt' (psci, cf9, kbc or acpi)");

	/* Outcomes */
	parse_err(PIO "dir=r port=0x3f8 size=1 -> maybe",
		  "unknown outcome 'maybe' (ok, fwd, deny, stop or ret=N)");
	parse_err(PIO "dir=r port=0x3f8 size=1 -> deny reason=bogus item=0x1",
		  "unknown reason name 'bogus'");
	parse_err(PIO "dir=r port=0x3f8 size=1 -> deny reason=pio_denied",
		  "deny needs reason= and item=");
	parse_err(PIO "dir=r port=0x3f8 size=1 -> deny",
		  "deny needs reason= and item=");
	parse_err(PIO "dir=r port=0x3f8 size=1 -> deny reason=pio_denied "
		      "item=x",
		  "bad number 'x' in item=");
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> ok",
		  "hvc outcome must be ret=N or stop");
	parse_err(PIO "dir=r port=0x3f8 size=1 -> ret=0",
		  "ret= is the outcome of hvc only");
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> ret=abc",
		  "bad number 'abc' in ret=");
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> ret=- ",
		  "bad number '-' in ret=");
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> ret=-1 "
		  "item=0x1",
		  "ret= needs reason= and item=");
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> ret=0 ret=1",
		  "duplicate key 'ret='");
	parse_err(PIO "dir=w port=0x3f8 size=1 val=1 -> ok val=0x1",
		  "val= after '->' of a write (only reads return a value)");
	parse_err("irq cpu=0 cell=root chip=0xfec00000 pin=1 -> ok val=0x1",
		  "val= after '->' but irq returns no value");
	parse_err(PIO "dir=r port=0x3f8 size=2 -> ok val=0x10000",
		  "val=0x10000 out of range (at most 65535)");
	parse_err(PIO "dir=r port=0x3f8 size=1 -> deny reason=pio_denied "
		      "item=0 val=0",
		  "unknown key 'val=' for this outcome");
	parse_err(PIO "dir=r port=0x3f8 size=1 -> stop reason=none item=0",
		  "unknown key 'reason=' for this outcome");

	/* Header and directives */
	parse_err("warden-trace 2",
		  "unsupported trace header (this replayer reads "
		  "'warden-trace 1')");
	parse_err("warden-trace", "unsupported trace header (this replayer "
				  "reads 'warden-trace 1')");
	/* Directives: the argument checks of sim/directive.c's table */
	parse_err("machine ram=0 size=0x1000",
		  "machine: argument 3 (cpus=N): missing (usage: machine "
		  "ram=ADDR size=BYTES cpus=N)");
	parse_err("machine ram=0 size=0x1000 cpus=65",
		  "machine: argument 3 (cpus=N): 65 is out of range (1 to "
		  "64)");
	parse_err("machine ram=0 size=0x1000 cpus=0",
		  "machine: argument 3 (cpus=N): 0 is out of range (1 to 64)");
	parse_err("machine size=0x1000 ram=0 cpus=1",
		  "machine: argument 1 (ram=ADDR): expected ram=ADDR, got "
		  "'size=0x1000'");
	parse_err("machine ram=0 size=0x1000 cpus=1 smp=2",
		  "machine: argument 4 ('smp=2') is one too many (usage: "
		  "machine ram=ADDR size=BYTES cpus=N)");
	parse_err("system", "system: argument 1 (PATH): missing (usage: "
			    "system PATH)");
	parse_err("system a b", "system: argument 2 ('b') is one too many "
				"(usage: system PATH)");
	parse_err("load 0x1000", "load: argument 2 (PATH): missing (usage: "
				 "load GPA PATH)");
	parse_err("load here x.cell",
		  "load: argument 1 (GPA): expected a number (decimal or 0x "
		  "hex, at most 64 bits), got 'here'");
	parse_err("enable now", "enable: argument 1 ('now') is one too many "
				"(usage: enable [-> OUTCOME])");
	parse_err("enable -> ok", "enable expects 'ret=N' after '->'");
	parse_err("respond tiny", "respond: argument 2 (REPLY): missing "
				  "(usage: respond CELL REPLY)");
	parse_err("respond tiny maybe",
		  "respond: argument 2 (REPLY): unknown reply 'maybe' (none, "
		  "approved or denied)");
	parse_err("respond tiny none extra",
		  "respond: argument 3 ('extra') is one too many (usage: "
		  "respond CELL REPLY)");
	parse_err("respond abcdefghijklmnopqrstuvwxyz0123456 none",
		  "respond: argument 1 (CELL): expected a cell name of at "
		  "most 31 characters, got "
		  "'abcdefghijklmnopqrstuvwxyz0123456' (33)");
	parse_err("state tiny dead",
		  "state: argument 2 (STATE): unknown cell state 'dead' "
		  "(running, locked, shut_down, failed or failed_comm_rev)");
	parse_err("state tiny gone",
		  "state: argument 2 (STATE): unknown cell state 'gone' "
		  "(running, locked, shut_down, failed or failed_comm_rev)");
	parse_err("expect-state tiny",
		  "expect-state: argument 2 (STATE): missing (usage: "
		  "expect-state CELL STATE)");
	parse_err("expect-state tiny dead",
		  "expect-state: argument 2 (STATE): unknown cell state "
		  "'dead' (running, locked, shut_down, failed, "
		  "failed_comm_rev or gone)");
	parse_err("expect-console  # nothing",
		  "expect-console: argument 1 (TEXT): missing (usage: "
		  "expect-console TEXT)");
	/* Scenario-only directives are no trace directives. */
	parse_err("run 10", "unknown kind or directive 'run'");
}
END_TEST

/* Limits of the scanner and the number reader, and keys it does not know. */
START_TEST(test_parse_limits)
{
	char line[2048];
	int n;

	/* 32 tokens are fine, the 33rd is one too many. */
	n = snprintf(line, sizeof(line),
		     "pio cpu=0 cell=root dir=r port=1 "
		     "size=1 -> ok");
	while (n < 200)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " x=1");
	parse_err(line, "too many tokens (at most 32)");
	parse_err(PIO "dir=r port=1 size=1 -> ok a=1 b=1 c=1 d=1 e=1 f=1 "
		      "g=1 h=1 i=1 j=1 k=1 l=1 m=1 n=1 o=1 p=1 q=1 r=1 s=1 "
		      "t=1 u=1 v=1 w=1",
		  "unknown key 'a=' for this outcome");

	/* The largest numbers, leading zeros, and one past the largest. */
	parse_ok("mmio cpu=0 cell=r dir=w addr=18446744073709551615 size=8 "
		 "val=0xFFFFFFFFFFFFFFFF -> fwd");
	ck_assert_uint_eq(item.trap.addr, UINT64_MAX);
	ck_assert_uint_eq(item.trap.value, UINT64_MAX);
	parse_ok("mmio cpu=0000000000000000000000000001 cell=r dir=r "
		 "addr=0x00000000000000000000000000000000abc size=4 -> fwd");
	ck_assert_uint_eq(item.trap.cpu, 1);
	ck_assert_uint_eq(item.trap.addr, 0xabc);
	parse_err("mmio cpu=0 cell=r dir=r addr=18446744073709551616 size=4 "
		  "-> fwd",
		  "bad number '18446744073709551616' in addr=");
	parse_err("mmio cpu=0 cell=r dir=r addr=99999999999999999999 size=4 "
		  "-> fwd",
		  "bad number '99999999999999999999' in addr=");
	parse_err("mmio cpu=0 cell=r dir=r addr=0xfed0g000 size=4 -> fwd",
		  "bad number '0xfed0g000' in addr=");
	parse_err("mmio cpu=0 cell=r dir=r addr=1x10 size=4 -> fwd",
		  "bad number '1x10' in addr=");
	parse_err("mmio cpu=0 cell=r dir=r addr=+1 size=4 -> fwd",
		  "bad number '+1' in addr=");
	parse_ok("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> ret=-0");
	ck_assert_uint_eq(item.expect.result, 0);
	parse_ok("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> "
		 "ret=-9223372036854775808 reason=not_root item=0x1");
	ck_assert_uint_eq(item.expect.result, (uint64_t)INT64_MIN);
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> "
		  "ret=-9223372036854775809",
		  "bad number '-9223372036854775809' in ret=");
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> "
		  "ret=9223372036854775808",
		  "bad number '9223372036854775808' in ret=");
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 -> ret=--1",
		  "bad number '--1' in ret=");

	/* Keys match exactly: case, prefixes and near misses are strangers. */
	parse_err("pio CPU=0 cell=root dir=r port=1 size=1 -> ok",
		  "missing cpu= in pio record");
	parse_err(PIO "dir=r port=1 size=1 cpus=1 -> ok",
		  "unknown key 'cpus=' for pio");
	parse_err(PIO "dir=r port=1 size=1 siz=1 -> ok",
		  "unknown key 'siz=' for pio");
	parse_err("hvc cpu=0 cell=root code=1 arg1=0 arg2=0 arg3=0 -> ret=0",
		  "unknown key 'arg3=' for hvc");
	parse_err(PIO "dir=r port=1 size=1 foo=1 bar=2 foo=3 -> ok",
		  "duplicate key 'foo='");
	parse_err(PIO "dir=r port=1 size=1 val=1 dir=w -> ok",
		  "duplicate key 'dir='");
	parse_err(PIO "dir=r port=1 size=1 a=b=c -> ok",
		  "unknown key 'a=' for pio");
	/* Messages quoting a long token are cut to the buffer, not beyond. */
	memset(line, 'k', 1500);
	snprintf(line + 1500, sizeof(line) - 1500, "=1 " PIO "-> ok");
	n = trace_parse_line(line, strlen(line), &item, err, sizeof(err));
	ck_assert_int_eq(n, -1);
	ck_assert(!strncmp(err, "unknown kind or directive 'kkkk", 31));
	ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
	memset(line, 'k', 1500);
	memcpy(line, PIO "dir=r port=1 size=1 ", strlen(PIO) + 20);
	snprintf(line + 100, sizeof(line) - 100, "=1 -> ok");
	n = trace_parse_line(line, strlen(line), &item, err, sizeof(err));
	ck_assert_int_eq(n, -1);
	ck_assert(!strncmp(err, "unknown key 'kkkk", 17));
	ck_assert_str_eq(err + strlen(err) - 15, "kkkkk=' for pio");

	/* Tab, CR, VT and FF separate tokens; other control characters not. */
	parse_ok("pio\tcpu=0\rcell=root\vdir=r\fport=1 size=1 -> ok");
	ck_assert_uint_eq(item.trap.addr, 1);
	parse_err("pio cpu=0 cell=ro\x01ot dir=r port=1\x01 size=1 -> ok",
		  "bad number '1\x01' in port=");
	parse_ok("pio cpu=0 cell=ro\x01ot dir=r port=1 size=1 -> ok");
	ck_assert_str_eq(item.cell, "ro\x01ot");

	/* The line is not read past @len. */
	ck_assert_int_eq(trace_parse_line("pio cpu=0 cell=root dir=r port=1 "
					  "size=1 -> ok val=0x12",
					  strlen(PIO) + 33, &item, err,
					  sizeof(err)),
			 0);
	ck_assert_uint_eq(item.expect.result, 0x1);
	ck_assert_uint_eq(item.out_end, strlen(PIO) + 33);
}
END_TEST

/* ---- the reader -------------------------------------------------------------- */

static int read_all(const char *text, char *msg, size_t len,
		    unsigned int *items)
{
	char path[] = "/tmp/warden-trace-r-XXXXXX";
	struct trace_reader *r;
	int fd = mkstemp(path), ret;

	ck_assert_int_ge(fd, 0);
	close(fd);
	spit(path, text, strlen(text));
	r = trace_open(path, msg, len);
	ck_assert_ptr_nonnull(r);
	*items = 0;
	while ((ret = trace_next(r, &item, msg, len)) > 0)
		(*items)++;
	trace_close(r);
	/* Name the file "F" in messages, whatever mkstemp chose. */
	if (ret < 0 && !strncmp(msg, path, strlen(path))) {
		msg[0] = 'F';
		memmove(msg + 1, msg + strlen(path),
			strlen(msg + strlen(path)) + 1);
	}
	unlink(path);
	return ret;
}

START_TEST(test_reader)
{
	char msg[TRACE_ERR_LEN];
	unsigned int n;

	ck_assert_int_eq(
		read_all("# c\n\nwarden-trace 1\nenable\n"
			 "irq cpu=0 cell=root chip=0xfec00000 pin=1 -> ok",
			 msg, sizeof(msg), &n),
		0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(item.line, 5);
	ck_assert_uint_eq(item.trap.addr, 1);

	ck_assert_int_eq(read_all("# c\nenable\n", msg, sizeof(msg), &n), -1);
	ck_assert_str_eq(msg, "F:2: missing 'warden-trace 1' header before "
			      "the first item");
	ck_assert_int_eq(read_all("# only a comment\n", msg, sizeof(msg), &n),
			 -1);
	ck_assert_str_eq(msg, "F: missing 'warden-trace 1' header");
	ck_assert_int_eq(read_all("warden-trace 1\n\nwarden-trace 1\n", msg,
				  sizeof(msg), &n),
			 -1);
	ck_assert_str_eq(msg, "F:3: header repeated");
	ck_assert_int_eq(read_all("warden-trace 1\r\nenable\r\nirq cpu=0 "
				  "cell=root chip=0xfec00000 pin=1 ->\r\n",
				  msg, sizeof(msg), &n),
			 -1);
	ck_assert_str_eq(msg, "F:3: missing outcome after '->'");
	ck_assert_uint_eq(n, 1);

	ck_assert_ptr_null(
		trace_open("/nonexistent/x.trace", msg, sizeof(msg)));
	ck_assert_str_eq(msg, "/nonexistent/x.trace: No such file or "
			      "directory");
}
END_TEST

/*
 * A trace larger than the reader's window (64 KiB), with a line longer
 * than the window and a last line without a newline: every item comes with
 * its line number, and the line itself stays readable.
 */
START_TEST(test_reader_window)
{
	const char *rec = "irq cpu=0 cell=root chip=0xfec00000 pin=%u -> ok\n";
	size_t cap = 1 << 20, n = 0, len;
	char *text = malloc(cap), path[] = "/tmp/warden-trace-w-XXXXXX";
	char msg[TRACE_ERR_LEN], want[64];
	struct trace_reader *r;
	unsigned int i, items = 0;
	const char *line;
	int fd, ret;

	ck_assert_ptr_nonnull(text);
	n += (size_t)snprintf(text + n, cap - n, "warden-trace 1\n");
	for (i = 0; i < 3000; i++) /* lines 2..3001 */
		n += (size_t)snprintf(text + n, cap - n, rec, i);
	text[n++] = '#'; /* line 3002: a 100 KB comment */
	memset(text + n, 'c', 100000);
	n += 100000;
	text[n++] = '\n';
	n += (size_t)snprintf(text + n, cap - n, rec, 3000); /* 3003 */
	n += (size_t)snprintf(text + n, cap - n, "enable");  /* 3004, no \n */

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	spit(path, text, n);
	r = trace_open(path, msg, sizeof(msg));
	ck_assert_ptr_nonnull(r);
	while ((ret = trace_next(r, &item, msg, sizeof(msg))) > 0) {
		items++;
		line = trace_line(r, item.line, &len);
		ck_assert_ptr_nonnull(line);
		if (item.type == TRACE_RECORD) {
			ck_assert_uint_eq(item.line,
					  item.trap.addr + 2 +
						  (item.line > 3002));
			snprintf(want, sizeof(want), rec,
				 (unsigned int)item.trap.addr);
			ck_assert_uint_eq(len, strlen(want) - 1);
			ck_assert(!strncmp(line, want, len));
		} else {
			ck_assert_uint_eq(item.line, 3004);
			ck_assert_uint_eq(len, 6);
			ck_assert(!strncmp(line, "enable", 6));
		}
		/* Only the current line, without trace_keep_all(). */
		ck_assert_ptr_null(trace_line(r, item.line - 1, &len));
	}
	ck_assert_int_eq(ret, 0);
	ck_assert_uint_eq(items, 3002);
	trace_close(r);

	/* With trace_keep_all(): any line, and the file's bytes. */
	r = trace_open(path, msg, sizeof(msg));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(trace_keep_all(r, msg, sizeof(msg)), 0);
	ck_assert_int_eq(trace_next(r, &item, msg, sizeof(msg)), 1);
	line = trace_line(r, 3002, &len);
	ck_assert_ptr_nonnull(line);
	ck_assert_uint_eq(len, 100001);
	ck_assert_int_eq(line[0], '#');
	line = trace_line(r, 3004, &len);
	ck_assert(line && len == 6 && !strncmp(line, "enable", 6));
	ck_assert_ptr_null(trace_line(r, 3005, &len));
	ck_assert_ptr_null(trace_line(r, 0, &len));
	ck_assert(trace_data(r, &len) != NULL && len == n);
	trace_close(r);

	/* An error far into the file names its line. */
	memcpy(strstr(text, "pin=2500 "), "pun=", 4);
	spit(path, text, n);
	r = trace_open(path, msg, sizeof(msg));
	ck_assert_ptr_nonnull(r);
	while ((ret = trace_next(r, &item, msg, sizeof(msg))) > 0)
		;
	ck_assert_int_eq(ret, -1);
	snprintf(want, sizeof(want), "%s:2502: missing pin= in irq record",
		 path);
	ck_assert_str_eq(msg, want);
	trace_close(r);

	/* A directory opens, but cannot be read. */
	ck_assert_ptr_null(trace_open("/tmp", msg, sizeof(msg)));
	ck_assert_str_eq(msg, "/tmp: Input/output error");
	unlink(path);
	free(text);
}
END_TEST

/* ---- replay ----------------------------------------------------------------- */

/*
 * Replay in a child process: the core keeps its state (enabled, cells)
 * after a replay, and each replay needs a fresh one. The child's error
 * message comes back through a pipe into err.
 */
static int replay(const char *path, const char *update, bool verbose)
{
	struct replay_opts opts = { .verbose = verbose, .update = update };
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		int ret;

		close(fds[0]);
		opts.out = fopen("/dev/null", "w");
		err[0] = '\0';
		ret = replay_file(path, &opts, err, sizeof(err));
		fclose(opts.out);
		if (write(fds[1], err, strlen(err)) < 0)
			_exit(3);
		_exit(ret ? 1 : 0);
	}
	close(fds[1]);
	while ((n = read(fds[0], err + got, sizeof(err) - 1 - (size_t)got)) > 0)
		got += n;
	err[got] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) <= 1,
		      "replay of %s crashed (status 0x%x)", path, status);
	return WEXITSTATUS(status) ? -1 : 0;
}

START_TEST(test_replay_golden)
{
	const char *path = src_path(_i ? "tests/traces/demo.trace" :
					 "tests/traces/lifecycle.trace");

	ck_assert_msg(replay(path, NULL, _i != 0) == 0, "%s", err);
}
END_TEST

/*
 * A copy of the golden trace with one expected outcome changed fails at
 * exactly that line; --update turns it back into the golden file.
 */
START_TEST(test_replay_mismatch)
{
	static const char *const names[] = { "bad.trace", "fixed.trace", NULL };
	const char *target = "hvc cpu=0 cell=root code=6 arg1=0x2 arg2=0x0 "
			     "-> ret=3";
	char bad[256], fixed[256], want[512];
	struct scratch s;
	size_t len, off, flen;
	unsigned int line;
	char *data, *out;

	data = slurp(src_path("tests/traces/lifecycle.trace"), &len);
	line = find_line(data, target, &off);
	ck_assert_uint_ne(line, 0);
	data[off + strlen(target) - 1] = '0'; /* ret=3 -> ret=0 */

	scratch_make(&s);
	scratch_file(&s, "bad.trace", bad, sizeof(bad));
	scratch_file(&s, "fixed.trace", fixed, sizeof(fixed));
	spit(bad, data, len);

	ck_assert_int_eq(replay(bad, NULL, false), -1);
	snprintf(want, sizeof(want), "%s:%u: expected 'ret=0', got 'ret=3'",
		 bad, line);
	ck_assert_str_eq(err, want);

	ck_assert_msg(replay(bad, fixed, false) == 0, "%s", err);
	data[off + strlen(target) - 1] = '3';
	out = slurp(fixed, &flen);
	ck_assert_uint_eq(flen, len);
	ck_assert(!memcmp(out, data, len));

	free(out);
	free(data);
	scratch_free(&s, names);
}
END_TEST

/*
 * An exc record's reason and item are the backend's (cpu_exception and the
 * vector, or the ARM decoder's refusal): the replayer fails the cell with
 * them. The isolation trace with its exception turned into a decoder
 * refusal still replays (with cpu_exception and the vector it would not).
 */
START_TEST(test_replay_exc_reason)
{
	static const char *const names[] = { "exc.trace", NULL };
	const char *target = "exc cpu=3 cell=attack vector=0xd -> deny "
			     "reason=cpu_exception item=0xd";
	const char *decoder = "exc cpu=3 cell=attack vector=0x24 -> deny "
			      "reason=insn_unpredictable item=0xe5b11004";
	char path[256], *data, *copy;
	struct scratch s;
	size_t len, off;

	data = slurp(src_path("tests/traces/isolation.trace"), &len);
	ck_assert_uint_ne(find_line(data, target, &off), 0);
	copy = malloc(len + strlen(decoder));
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, data, off);
	strcpy(copy + off, decoder);
	memcpy(copy + off + strlen(decoder), data + off + strlen(target),
	       len - off - strlen(target));
	len += strlen(decoder) - strlen(target);

	scratch_make(&s);
	scratch_file(&s, "exc.trace", path, sizeof(path));
	spit(path, copy, len);
	ck_assert_msg(replay(path, NULL, false) == 0, "%s", err);

	free(copy);
	free(data);
	scratch_free(&s, names);
}
END_TEST

/* --update on a matching trace reproduces it byte for byte. */
START_TEST(test_replay_update_identity)
{
	static const char *const names[] = { "same.trace", NULL };
	const char *golden = src_path("tests/traces/lifecycle.trace");
	char same[256];
	struct scratch s;
	size_t glen, slen;
	char *g, *o;

	scratch_make(&s);
	scratch_file(&s, "same.trace", same, sizeof(same));
	ck_assert_msg(replay(golden, same, false) == 0, "%s", err);
	g = slurp(golden, &glen);
	o = slurp(same, &slen);
	ck_assert_uint_eq(glen, slen);
	ck_assert(!memcmp(g, o, glen));
	free(g);
	free(o);
	scratch_free(&s, names);
}
END_TEST

/* Replay errors other than mismatches name their line too. */
static const struct {
	const char *text;
	const char *msg;
} replay_errors[] = {
	{ "irq cpu=0 cell=root chip=0xfec00000 pin=1 -> ok",
	  "record before the hypervisor is enabled" },
	{ "MACHINE\nenable\nirq cpu=9 cell=root chip=0xfec00000 pin=1 -> ok",
	  "cpu=9 out of range (the machine has 4 CPUs)" },
	{ "MACHINE\nenable\nirq cpu=0 cell=tiny chip=0xfec00000 pin=1 -> ok",
	  "CPU 0 belongs to cell 'root', not 'tiny'" },
	{ "MACHINE\nenable\nexpect-state tiny running",
	  "expected cell 'tiny' running, got gone" },
	{ "MACHINE\nenable\nexpect-console no such text",
	  "expected console to contain 'no such text'" },
	{ "MACHINE\nenable\nstate tiny running", "state: no cell 'tiny'" },
	{ "MACHINE\nenable\nhvc cpu=0 cell=root code=1 arg1=0x200000 "
	  "arg2=0 -> ret=1\nirq cpu=2 cell=tiny chip=0xfec00000 pin=5 -> ok",
	  "CPU 2 (cell 'tiny') is parked: it cannot trap" },
	{ "MACHINE\nenable -> ret=-16 reason=cell_state item=0x1",
	  "expected 'ret=-16 reason=cell_state item=0x1', got 'ret=0'" },
	{ "MACHINE\nenable\nirq cpu=0 cell=root chip=0xfec00000 pin=1 -> ok\n"
	  "mmio cpu=0 cell=root dir=r addr=0xfed01000 size=2 -> stop\n"
	  "irq cpu=0 cell=root chip=0xfec00000 pin=1 -> ok",
	  "record after the machine stopped" },
	{ "enable", "enable needs 'machine' and 'system' first" },
	{ "load 0x0 x.cell", "load before 'machine'" },
	{ "MACHINE\nload 0x20000000 ../../build/host/tests/configs/"
	  "tiny-x86.cell",
	  "load: [0x20000000, +0x128) is not RAM" },
	{ "system nonexistent.cell",
	  "system: TRACES/nonexistent.cell: No such file or directory" },
	{ "machine ram=0 size=0x1000 cpus=1\n"
	  "machine ram=0 size=0x1000 cpus=1",
	  "machine already created" },
	{ "machine ram=0 size=0x1001 cpus=1",
	  "cannot create the machine (ram=0x0 size=0x1001 cpus=1)" },
};

START_TEST(test_replay_errors)
{
	static const char *const names[] = { "e.trace", NULL };
	const char *setup =
		"machine ram=0x0 size=0x10000000 cpus=4\n"
		"system ../../build/host/tests/configs/sys-x86.cell\n"
		"load 0x200000 ../../build/host/tests/configs/"
		"tiny-x86.cell";
	char path[256], text[2048], want[1024], msg[512];
	const char *m, *src;
	struct scratch s;
	unsigned int line;
	char *d;

	scratch_make(&s);
	scratch_file(&s, "e.trace", path, sizeof(path));
	src = replay_errors[_i].text;
	/* Expand MACHINE into the three set-up lines. */
	d = text + sprintf(text, "warden-trace 1\n");
	if (!strncmp(src, "MACHINE", 7)) {
		d += sprintf(d, "%s", setup);
		src += 7;
	}
	sprintf(d, "%s\n", src);
	spit(path, text, strlen(text));
	for (line = 0, m = text; *m; m++)
		line += *m == '\n';

	/* TRACES stands for the scratch trace directory. */
	m = strstr(replay_errors[_i].msg, "TRACES");
	if (m)
		snprintf(msg, sizeof(msg), "%.*s%s%s",
			 (int)(m - replay_errors[_i].msg),
			 replay_errors[_i].msg, s.traces, m + 6);
	else
		snprintf(msg, sizeof(msg), "%s", replay_errors[_i].msg);
	snprintf(want, sizeof(want), "%s:%u: %s", path, line, msg);
	ck_assert_int_eq(replay(path, NULL, false), -1);
	ck_assert_str_eq(err, want);
	scratch_free(&s, names);
}
END_TEST

/*
 * A cell without msg_reply_timeout that never answers would make the core
 * wait forever: the replayer gives up and names the record.
 */
START_TEST(test_replay_no_reply)
{
	static const char *const names[] = { "wait.trace", "tiny0.cell", NULL };
	const char *text =
		"warden-trace 1\n"
		"machine ram=0x0 size=0x10000000 cpus=4\n"
		"system ../../build/host/tests/configs/sys-x86.cell\n"
		"load 0x200000 tiny0.cell\n"
		"enable\n"
		"hvc cpu=0 cell=root code=1 arg1=0x200000 arg2=0x0 -> ret=1\n"
		"hvc cpu=0 cell=root code=2 arg1=0x1 arg2=0x0 -> ret=0\n"
		"hvc cpu=0 cell=root code=4 arg1=0x1 arg2=0x0 -> ret=0\n";
	char trace[256], cfg[256], want[512];
	struct wd_cell_desc *desc;
	struct scratch s;
	size_t len;
	char *data;

	data = slurp(src_path("build/host/tests/configs/tiny-x86.cell"), &len);
	ck_assert_uint_ge(len, sizeof(*desc));
	desc = (struct wd_cell_desc *)data;
	desc->msg_reply_timeout = 0; /* wait forever */

	scratch_make(&s);
	scratch_file(&s, "tiny0.cell", cfg, sizeof(cfg));
	spit(cfg, data, len);
	scratch_file(&s, "wait.trace", trace, sizeof(trace));
	spit(trace, text, strlen(text));

	ck_assert_int_eq(replay(trace, NULL, false), -1);
	snprintf(want, sizeof(want),
		 "%s:8: the core waits forever for a reply: give the cell a "
		 "'respond' (or a msg_reply_timeout)",
		 trace);
	ck_assert_str_eq(err, want);
	free(data);
	scratch_free(&s, names);
}
END_TEST

/*
 * The fast parser of canonical records (trace_parse_canonical) against the
 * general one: on every hvc/mmio/pio line of the golden traces (each must
 * take the fast path), on lines damaged one character at a time, and on
 * near misses, trace_parse_line() (fast first) gives what the general
 * parser gives: the same item, or the same error.
 */
static const char *const near_misses[] = {
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> ret=0 reason=none",
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 user=0 -> ret=0",
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 user=1 -> ret=-22 "
	"reason=cell_is_root item=0x0",
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> fwd",
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> stop",
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> ret=0 ",
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> ret=0 # note",
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> ret=0x10",
	"hvc cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> ret=-9223372036854775809",
	"hvc cpu=4294967296 cell=root code=1 arg1=0x0 arg2=0x0 -> ret=0",
	"hvc cpu=0 cell=a=b code=1 arg1=0x0 arg2=0x0 -> ret=0",
	"hvc cpu=0 cell=0123456789abcdef0123456789abcdef code=1 arg1=0 arg2=0 "
	"-> ret=0",
	"hvc cpu=0 cell=0123456789abcdef0123456789abcdefg code=1 arg1=0 arg2=0 "
	"-> ret=0",
	"hvc cpu=0 cell=root code=1 arg1=0x10000000000000000 arg2=0 -> ret=0",
	"hvc cpu=0 cell=root code=1 arg1=18446744073709551616 arg2=0 -> ret=0",
	"hvc  cpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> ret=0",
	"hvc\tcpu=0 cell=root code=1 arg1=0x0 arg2=0x0 -> ret=0",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 -> fwd val=0x100000000",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=8 -> fwd val=0xffffffffffffffff",
	"mmio cpu=0 cell=root dir=w addr=0x1 size=1 val=0x100 -> fwd",
	"mmio cpu=0 cell=root dir=w addr=0x1 size=1 val=0xff -> fwd val=0x1",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=3 -> fwd",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 reg=3 sext=0 wb=0 len=2 -> ok",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 reg=3 sext=2 wb=0 len=2 -> ok",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 reg=3 sext=0 wb=0 -> ok",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 reg=255 sext=0 wb=0 len=2 "
	"-> ok",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 -> deny reason=mmio_width "
	"item=0x1",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 -> deny reason=nonsense "
	"item=0x1",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 -> deny",
	"mmio cpu=0 cell=root dir=r addr=0x1 size=4 -> ret=0",
	"mmio cpu=0 cell=root dir=x addr=0x1 size=4 -> ok",
	"mmio cpu=0 cell=root addr=0x1 dir=r size=4 -> ok",
	"pio cpu=0 cell=root dir=r port=0x10000 size=1 -> fwd",
	"pio cpu=0 cell=root dir=r port=0x60 size=8 -> fwd",
	"pio cpu=0 cell=root dir=r port=0x60 size=1 reg=1 sext=0 wb=0 len=1 -> ok",
	"pio cpu=0 cell=root dir=r port=0x60 size=1 -> okay",
	"pio cpu=0 cell=root dir=r port=0x60 size=1 -> stop val=0x1",
	"pio cpu=0 cell=root dir=r port=0x60 size=1 ->",
	"pio cpu=0 cell=root dir=r port=0x60 size=1",
	"pio cpu=0 cell=root dir=r port=0X6f size=1 -> fwd val=0XFF",
	"irq cpu=0 cell=root chip=0x1 pin=2 -> ok",
};

static void expect_same_parse(const char *line, size_t len)
{
	static struct trace_item a, b;
	char ea[256] = "", eb[256] = "";
	int ra, rb;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ra = trace_parse_line(line, len, &a, ea, sizeof(ea));
	rb = trace_parse_general(line, len, &b, eb, sizeof(eb));
	ck_assert_msg(ra == rb, "'%.*s': %d, general parser %d", (int)len, line,
		      ra, rb);
	if (ra)
		ck_assert_str_eq(ea, eb);
	else
		ck_assert_msg(!memcmp(&a, &b, sizeof(a)),
			      "'%.*s': items differ", (int)len, line);
}

START_TEST(test_canonical_agrees)
{
	static const char *const files[] = {
		"lifecycle",	 "isolation",	       "demo",
		"exec-mmio-x86", "exec-attack-x86",    "exec-attack-arm",
		"exec-smp-x86",	 "exec-attack-cpu-x86"
	};
	static struct trace_item item;
	static const char subst[] = " 0x=#f-9";
	unsigned int f, fast = 0, lines = 0;
	char buf[256];
	size_t len, i, j, k;
	char *data, *line, *nl;

	for (i = 0; i < sizeof(near_misses) / sizeof(near_misses[0]); i++)
		expect_same_parse(near_misses[i], strlen(near_misses[i]));
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		snprintf(buf, sizeof(buf), "tests/traces/%s.trace", files[f]);
		data = slurp(src_path(buf), &len);
		for (line = data; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			ck_assert_ptr_nonnull(nl);
			len = (size_t)(nl - line);
			if (len >= sizeof(buf) - 1 ||
			    (strncmp(line, "hvc ", 4) &&
			     strncmp(line, "mmio ", 5) &&
			     strncmp(line, "pio ", 4)))
				continue;
			memset(&item, 0, sizeof(item));
			ck_assert_msg(trace_parse_canonical(line, len, &item),
				      "%s: not canonical: '%.*s'", files[f],
				      (int)len, line);
			fast++;
			expect_same_parse(line, len);
			/* Damaged copies of one record line in 16. */
			if (lines++ % 16)
				continue;
			for (j = 0; j < len; j++) {
				memcpy(buf, line, j);
				memcpy(buf + j, line + j + 1, len - j - 1);
				expect_same_parse(buf, len - 1);
				for (k = 0; subst[k]; k++) {
					memcpy(buf, line, len);
					buf[j] = subst[k];
					expect_same_parse(buf, len);
				}
			}
		}
		free(data);
	}
	ck_assert_uint_gt(fast, 500);
}
END_TEST

static Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_reason_table);
	tcase_add_test(tc, test_format);
	tcase_add_loop_test(tc, test_round_trip, 0,
			    sizeof(canonical) / sizeof(canonical[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_fields);
	tcase_add_test(tc, test_parse_directives);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_parse_limits);
	tcase_add_test(tc, test_reader);
	tcase_add_test(tc, test_reader_window);
	tcase_add_test(tc, test_canonical_agrees);
	suite_add_tcase(s, tc);

	tc = tcase_create("replay");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_replay_golden, 0, 2);
	tcase_add_test(tc, test_replay_mismatch);
	tcase_add_test(tc, test_replay_exc_reason);
	tcase_add_test(tc, test_replay_update_identity);
	tcase_add_test(tc, test_replay_no_reply);
	tcase_add_loop_test(tc, test_replay_errors, 0,
			    sizeof(replay_errors) / sizeof(replay_errors[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(trace_suite());
}
