// SPDX-License-Identifier: GPL-2.0
/*
 * Trap recording (warden-sim run --trace): a recorded run replays with
 * every outcome matching, an altered outcome fails at its line, and the
 * MMIO records carry the decoded facts of the trapping instruction
 * (sim/decode.c). Run from the source tree's top (as ./run test does).
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <capstone/capstone.h>

#include "sim/decode.h"
#include "sim/scenario.h"
#include "support_run.h"

static char err[512];

/* Record @scn into a fresh temporary file; returns its contents. */
static char *record(const char *scn, char *path, size_t path_len)
{
	struct scenario_opts opts = { 0 };
	FILE *f;
	char *buf;
	long n;
	int fd;

	snprintf(path, path_len, "/tmp/warden-record-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	opts.trace = path;
	err[0] = '\0';
	ck_assert_msg(!scenario_file(scn, &opts, err, sizeof(err)), "%s", err);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/*
 * Replay @path with warden-sim (a process of its own: the core's state
 * outlives a scenario run here). Its stderr lands in err; exit status.
 */
static int replay(const char *path)
{
	char cmd[256];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "build/host/warden-sim replay %s 2>&1",
		 path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(err, 1, sizeof(err) - 1, p);
	err[n] = '\0';
	st = pclose(p);
	return st;
}

START_TEST(test_record_replays)
{
	char path[64];
	char *text =
		record("tests/scenarios/attack-x86.scn", path, sizeof(path));

	ck_assert_msg(!strncmp(text, "warden-trace 1\n", 15), "%.40s", text);
	ck_assert_ptr_nonnull(strstr(text, "\nenable\n"));
	/* The scenario's management calls are traps of the root cell. */
	ck_assert_ptr_nonnull(strstr(
		text,
		"hvc cpu=0 cell=root code=1 arg1=0x201000 arg2=0x0 -> ret=2\n"));
	/* The attack's read of tiny's RAM, denied. */
	ck_assert_ptr_nonnull(
		strstr(text, "-> deny reason=mmio_unhandled item=0xe000000\n"));
	ck_assert_msg(!replay(path), "%s", err);
	free(text);
	unlink(path);
}
END_TEST

/* Change one recorded outcome: the replay fails at exactly that line. */
START_TEST(test_altered_outcome)
{
	static const char what[] = "cell=attack code=3 arg1=0x1 arg2=0x0 -> "
				   "ret=-1 reason=not_root item=0x3";
	char path[64], want[128];
	char *text = record("tests/scenarios/attack-x86.scn", path,
			    sizeof(path)),
	     *at = strstr(text, what), *p;
	unsigned int line = 1;
	FILE *f;

	ck_assert_ptr_nonnull(at);
	for (p = text; p < at; p++)
		line += *p == '\n';
	/* "ret=-1 reason=not_root item=0x3" -> "ret=0", padded. */
	p = strstr(at, "ret=-1");
	memcpy(p, "ret=0                          ",
	       strlen(p) - strlen(strchr(p, '\n')));
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_ne(replay(path), 0);
	snprintf(want, sizeof(want),
		 "%s:%u: expected 'ret=0', got 'ret=-1 reason=not_root "
		 "item=0x3'",
		 path, line);
	ck_assert_msg(!strncmp(err, want, strlen(want)), "%s", err);
	free(text);
	unlink(path);
}
END_TEST

/* Decoded facts in the records of the mmio-access inmate's loads. */
START_TEST(test_record_decoded)
{
	char path[64];
	char *text = record("tests/scenarios/mmio-x86.scn", path, sizeof(path));

	/* movzbl (%rbx),%eax: 1 byte into EAX (19), zero-extended. */
	ck_assert_ptr_nonnull(
		strstr(text, "dir=r addr=0x7f000000 size=1 reg=19 sext=0 wb=0 "
			     "len=3 -> fwd val=0x80\n"));
	/* movsbq (%rbx),%rax: 1 byte into RAX (35), sign-extended. */
	ck_assert_ptr_nonnull(
		strstr(text, "dir=r addr=0x7f000000 size=1 reg=35 sext=1 wb=0 "
			     "len=4 -> fwd val=0x80\n"));
	/* movslq (%rbx),%rax */
	ck_assert_ptr_nonnull(
		strstr(text, "dir=r addr=0x7f000000 size=4 reg=35 sext=1 wb=0 "
			     "len=3 -> fwd val=0x80000001\n"));
	ck_assert_msg(!replay(path), "%s", err);
	free(text);
	unlink(path);
}
END_TEST

static const struct {
	bool arm;
	uint8_t code[4];
	size_t n;
	int reg;
	uint8_t size, sext, wback, len;
	bool write;
} insns[] = {
	/* movzbl (%rbx),%eax */
	{ false, { 0x0f, 0xb6, 0x03 }, 3, X86_REG_EAX, 1, 0, 0, 3, false },
	/* movsbq (%rbx),%rax */
	{ false, { 0x48, 0x0f, 0xbe, 0x03 }, 4, X86_REG_RAX, 1, 1, 0, 4, false },
	/* movswl (%rbx),%eax */
	{ false, { 0x0f, 0xbf, 0x03 }, 3, X86_REG_EAX, 2, 1, 0, 3, false },
	/* mov %eax,(%rbx) */
	{ false, { 0x89, 0x03 }, 2, X86_REG_EAX, 4, 0, 0, 2, true },
	/* mov %ah,(%rbx) */
	{ false, { 0x88, 0x23 }, 2, X86_REG_AH, 1, 0, 0, 2, true },
	/* ldrsh r1, [r2] */
	{ true, { 0xf0, 0x10, 0xd2, 0xe1 }, 4, ARM_REG_R1, 2, 1, 0, 4, false },
	/* ldr r3, [r2], #4 (post-indexed) */
	{ true, { 0x04, 0x30, 0x92, 0xe4 }, 4, ARM_REG_R3, 4, 0, 1, 4, false },
	/* ldr r0, [r1, #4]! (pre-indexed, writeback) */
	{ true, { 0x04, 0x00, 0xb1, 0xe5 }, 4, ARM_REG_R0, 4, 0, 1, 4, false },
	/* strb r0, [r1] */
	{ true, { 0x00, 0x00, 0xc1, 0xe5 }, 4, ARM_REG_R0, 1, 0, 0, 4, true },
};

START_TEST(test_decode)
{
	struct decoded d;

	ck_assert_int_eq(decode_access(insns[_i].arm, insns[_i].code,
				       insns[_i].n, 0x1000, &d),
			 0);
	ck_assert_int_eq(d.reg, insns[_i].reg);
	ck_assert_int_eq(d.size, insns[_i].size);
	ck_assert_int_eq(d.sext, insns[_i].sext);
	ck_assert_int_eq(d.wback, insns[_i].wback);
	ck_assert_int_eq(d.len, insns[_i].len);
	ck_assert_int_eq(d.write, insns[_i].write);
}
END_TEST

START_TEST(test_decode_no_access)
{
	static const uint8_t nop[] = { 0x90 }, movi[] = { 0xb8, 1, 0, 0, 0 };
	struct decoded d;

	ck_assert_int_ne(decode_access(false, nop, sizeof(nop), 0, &d), 0);
	ck_assert_int_eq(d.reg, 0xff);
	ck_assert_int_ne(decode_access(false, movi, sizeof(movi), 0, &d), 0);
}
END_TEST

static Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_record_replays);
	tcase_add_test(tc, test_altered_outcome);
	tcase_add_test(tc, test_record_decoded);
	suite_add_tcase(s, tc);
	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_decode, 0,
			    sizeof(insns) / sizeof(insns[0]));
	tcase_add_test(tc, test_decode_no_access);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(record_suite());
}
