// SPDX-License-Identifier: GPL-2.0
/*
 * The directive table (sim/directive.c): the argument errors of scenario
 * lines, exact, for each kind of argument (missing, extra, not a number,
 * out of range, unknown state, reason or key, too long), the checks
 * before any machine exists, and docs/sim.md's directive reference,
 * which must list every row of the table and nothing else. Run from the
 * source tree's top.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/directive.h"
#include "sim/scenario.h"
#include "sim/trace.h"

#define SCN "build/host/tests/directive.scn"
#define MACHINE "machine ram=0x0 size=0x1000000 cpus=2\n"

static char err[1024];

/* Run a scenario of @text; its error ("" if it passed). */
static const char *run(const char *text)
{
	struct scenario_opts opts = { .keep = false };
	FILE *f = fopen(SCN, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	err[0] = '\0';
	/* A failed run says why; a passed one leaves err empty. */
	if (scenario_file(SCN, &opts, err, sizeof(err)))
		ck_assert_str_ne(err, "");
	return err;
}

static const struct {
	const char *text, *err;
} bad[] = {
	/* missing */
	{ MACHINE "expect-state 1\n",
	  SCN ":2: expect-state: argument 2 (STATE): missing (usage: "
	      "expect-state ID STATE)" },
	{ "machine ram=0 size=0x1000\n",
	  SCN ":1: machine: argument 3 (cpus=N): missing (usage: machine "
	      "ram=ADDR size=BYTES cpus=N)" },
	{ MACHINE "expect-console root\n",
	  SCN ":2: expect-console: argument 2 (TEXT): missing (usage: "
	      "expect-console CELL TEXT)" },
	/* extra */
	{ MACHINE "run 10 20\n",
	  SCN ":2: run: argument 2 ('20') is one too many (usage: run MS)" },
	{ MACHINE "enable now\n",
	  SCN ":2: enable: argument 1 ('now') is one too many (usage: "
	      "enable)" },
	{ MACHINE "start 1 expect=0 again\n",
	  SCN ":2: start: argument 3 ('again') is one too many (usage: "
	      "start ID [expect=RET])" },
	/* not a number */
	{ MACHINE "run ten\n",
	  SCN ":2: run: argument 1 (MS): expected a number (decimal or 0x "
	      "hex, at most 64 bits), got 'ten'" },
	{ MACHINE "load-config 0x2g0000 x.cell\n",
	  SCN ":2: load-config: argument 1 (GPA): expected a number "
	      "(decimal or 0x hex, at most 64 bits), got '0x2g0000'" },
	{ MACHINE "create 0x200000 expect=-x\n",
	  SCN ":2: create: argument 2 (expect=RET): expected a number, got "
	      "'-x'" },
	{ MACHINE "checksum a 0 0x10000000000000000\n",
	  SCN ":2: checksum: argument 3 (SIZE): expected a number (decimal "
	      "or 0x hex, at most 64 bits), got '0x10000000000000000'" },
	/* out of range */
	{ MACHINE "run 600001\n",
	  SCN ":2: run: argument 1 (MS): 600001 is out of range (at most "
	      "600000)" },
	{ MACHINE "expect-state 16 running\n",
	  SCN ":2: expect-state: argument 1 (ID): 16 is out of range (at "
	      "most 15)" },
	{ "machine ram=0 size=0x1000000 cpus=0\n",
	  SCN ":1: machine: argument 3 (cpus=N): 0 is out of range (1 to "
	      "64)" },
	/* unknown names */
	{ MACHINE "expect-state 1 sleepy\n",
	  SCN ":2: expect-state: argument 2 (STATE): unknown cell state "
	      "'sleepy' (running, locked, shut_down, failed, "
	      "failed_comm_rev or gone)" },
	{ MACHINE "expect-reason 1 sleepy\n",
	  SCN ":2: expect-reason: argument 2 (REASON): unknown reason name "
	      "'sleepy' (the names of docs/abi.md, section 5)" },
	{ MACHINE "expect-reason 1 cpu_exception itme=0x4\n",
	  SCN ":2: expect-reason: argument 3 (item=X): expected item=X, got "
	      "'itme=0x4'" },
	{ "machine size=0x1000000 ram=0 cpus=1\n",
	  SCN ":1: machine: argument 1 (ram=ADDR): expected ram=ADDR, got "
	      "'size=0x1000000'" },
	/* too long */
	{ MACHINE "checksum abcdefghijklmnopqrstuvwxyz0123456 0 16\n",
	  SCN ":2: checksum: argument 1 (NAME): expected a name of at most "
	      "31 characters, got 'abcdefghijklmnopqrstuvwxyz0123456' (33)" },
	/* directives, order */
	{ MACHINE "sleep 10\n",
	  SCN ":2: unknown directive 'sleep' (warden-sim run --help lists "
	      "them)" },
	{ "respond tiny none\n",
	  SCN ":1: unknown directive 'respond' (warden-sim run --help lists "
	      "them)" },
	{ "# comment\nrun 10\n",
	  SCN ":2: run: 'machine' or 'board' must come first" },
	/* checked by the handler */
	{ MACHINE "param 1 selection 3\n",
	  SCN ":2: param: argument 2 (FIELD): unknown field 'selection' "
	      "(select, num_cpus, shutdown, deny_count, timer_period_us, "
	      "timer_ticks, attack_port, attack_pin, attack_bdf, ivshmem_bdf, "
	      "attack_ram, attack_hv, attack_mmio, attack_cpu, ivshmem_bar)" },
	{ MACHINE "param 1 select 0x100000000\n",
	  SCN ":2: param: argument 3 (VALUE): 0x100000000 does not fit "
	      "select (32 bits)" },
	{ MACHINE "expect-checksum none\n",
	  SCN ":2: expect-checksum: no checksum 'none' before" },
};

START_TEST(test_scenario_errors)
{
	ck_assert_str_eq(run(bad[_i].text), bad[_i].err);
}
END_TEST

/* Accepted forms: every state name, gone, signed expect=, hex and item=. */
START_TEST(test_scenario_accepts)
{
	ck_assert_str_eq(run(MACHINE "# no cell 3\n"
				     "expect-state 3 gone\n"
				     "expect-state 0x3 gone\n"
				     "checksum low 0x0 4096\n"
				     "expect-checksum low\n"
				     "run 0\n"),
			 "");
	/* A valid state that does not hold: compared, not refused. */
	ck_assert_str_eq(run(MACHINE "expect-state 3 failed_comm_rev\n"),
			 SCN ":2: cell 3: expected failed_comm_rev, got gone");
	ck_assert_str_eq(run(MACHINE "expect-state 3 locked\n"),
			 SCN ":2: cell 3: expected locked, got gone");
	ck_assert_str_eq(run(MACHINE "expect-reason 3 cpu_exception "
				     "item=0x4\n"),
			 SCN ":2: no cell 3");
}
END_TEST

/* The table: names unique per syntax, every row with help and a usage. */
START_TEST(test_table)
{
	const struct directive *d, *e;
	unsigned int i, j;
	char u[128];

	for (i = 0; i < DIR_COUNT; i++) {
		d = dir_get((enum dir_id)i);
		ck_assert_ptr_nonnull(d);
		ck_assert_uint_eq(dir_id_of(d), i);
		ck_assert(d->help && strlen(d->help) > 10);
		ck_assert(d->syntax & (DIR_SCENARIO | DIR_TRACE));
		for (j = 0; j < i; j++) {
			e = dir_get((enum dir_id)j);
			ck_assert_msg(strcmp(d->name, e->name) ||
					      !(d->syntax & e->syntax),
				      "%s twice", d->name);
		}
		if (d->syntax & DIR_SCENARIO)
			ck_assert_ptr_eq(dir_find(DIR_SCENARIO, d->name,
						  strlen(d->name)),
					 d);
		if (d->syntax & DIR_TRACE)
			ck_assert_ptr_eq(dir_find(DIR_TRACE, d->name,
						  strlen(d->name)),
					 d);
	}
	ck_assert_ptr_null(dir_find(DIR_TRACE, "run", 3));
	dir_usage(dir_get(DIR_EXPECT_REASON), u, sizeof(u));
	ck_assert_str_eq(u, "expect-reason ID REASON [item=X]");
	dir_usage(dir_get(DIR_TRACE_ENABLE), u, sizeof(u));
	ck_assert_str_eq(u, "enable [-> OUTCOME]");
	ck_assert_str_eq(dir_state_name(1), "locked");
	ck_assert_str_eq(dir_state_name(DIR_STATE_GONE), "gone");
	ck_assert_str_eq(dir_state_name(9), "state-9");
}
END_TEST

/* The rows of the table under @heading in docs/sim.md: "| `USAGE` | HELP |"
 * lines up to the next heading, newline-separated in @out. */
static void doc_rows(const char *doc, const char *heading, char *out,
		     size_t size)
{
	const char *p = strstr(doc, heading), *nl;
	size_t at = 0;

	ck_assert_msg(p, "docs/sim.md has no '%s'", heading);
	out[0] = '\0';
	for (p = strchr(p, '\n'); p && p[1] && p[1] != '#'; p = nl) {
		nl = strchr(p + 1, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (!strncmp(p + 1, "| `", 3)) {
			ck_assert(at + (size_t)(nl - p) < size);
			memcpy(out + at, p + 1, (size_t)(nl - p - 1));
			at += (size_t)(nl - p - 1);
			out[at++] = '\n';
			out[at] = '\0';
		}
	}
}

/* docs/sim.md: one row per directive, its usage and help from the table,
 * in the table's order, and no other row. */
START_TEST(test_docs_match_table)
{
	static const struct {
		unsigned int syntax;
		const char *heading;
	} sections[] = {
		{ DIR_SCENARIO, "### Scenario directives" },
		{ DIR_TRACE, "### Trace directives" },
	};
	static char doc[1 << 18], rows[1 << 14], want[1 << 14];
	FILE *f = fopen("docs/sim.md", "r");
	unsigned int s, i;
	size_t len, at;
	char usage[128];

	ck_assert_ptr_nonnull(f);
	len = fread(doc, 1, sizeof(doc) - 1, f);
	fclose(f);
	doc[len] = '\0';
	for (s = 0; s < 2; s++) {
		doc_rows(doc, sections[s].heading, rows, sizeof(rows));
		at = 0;
		want[0] = '\0';
		for (i = 0; i < DIR_COUNT; i++) {
			const struct directive *d = dir_get((enum dir_id)i);

			if (!(d->syntax & sections[s].syntax))
				continue;
			dir_usage(d, usage, sizeof(usage));
			at += (size_t)snprintf(want + at, sizeof(want) - at,
					       "| `%s` | %s |\n", usage,
					       d->help);
		}
		ck_assert_str_eq(rows, want);
	}
}
END_TEST

/* The reference the CLI prints: every usage line, with its help. */
START_TEST(test_print)
{
	char *buf = NULL, usage[128];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned int i;

	ck_assert_ptr_nonnull(f);
	scenario_print_directives(f);
	fclose(f);
	for (i = 0; i < DIR_COUNT; i++) {
		const struct directive *d = dir_get((enum dir_id)i);

		dir_usage(d, usage, sizeof(usage));
		ck_assert_msg(!(d->syntax & DIR_SCENARIO) ==
				      !strstr(buf, d->help),
			      "%s", usage);
	}
	ck_assert_ptr_nonnull(strstr(buf, "  expect-state ID STATE\n"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	trace_print_directives(f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "  expect-state CELL STATE\n"));
	ck_assert_ptr_null(strstr(buf, "  run MS\n"));
	free(buf);
}
END_TEST

static Suite *directive_suite(void)
{
	Suite *s = suite_create("directive");
	TCase *tc = tcase_create("directive");

	tcase_add_loop_test(tc, test_scenario_errors, 0,
			    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_scenario_accepts);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_docs_match_table);
	tcase_add_test(tc, test_print);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(directive_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
