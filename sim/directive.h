/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The directives of scenarios (sim/scenario.c) and of traces (sim/trace.c,
 * docs/abi.md 6.3) in one table: each row a directive's name, the syntax it
 * belongs to, its arguments (kind, name, range) and its help text. Both
 * parsers check a line's arguments against its row (dir_parse), so every
 * argument error reads the same way, the directive reference printed by
 * `warden-sim run --help` / `replay --help` comes from the rows
 * (dir_print), and docs/sim.md's reference is checked against them
 * (tests/unit/test_directive.c).
 */
#ifndef WARDEN_SIM_DIRECTIVE_H
#define WARDEN_SIM_DIRECTIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"

/* The syntaxes a row belongs to. */
#define DIR_SCENARIO 0x1
#define DIR_TRACE 0x2

/* Longest `run MS` of a scenario: ten minutes of virtual time. */
#define DIR_RUN_MAX_MS 600000ULL
#define DIR_RUN_MAX_MS_TEXT "600000"

/* Longest name of a checksum (checksum NAME ...) and of a log's prefix. */
#define DIR_NAME_MAXLEN 31
/* Longest PATH and TEXT argument. */
#define DIR_PATH_MAXLEN 1023
#define DIR_TEXT_MAXLEN 1023

/* Pseudo cell state of expect-state: no such cell exists. */
#define DIR_STATE_GONE 0x100

enum dir_id {
	/* scenarios (and traces: machine, system) */
	DIR_BOARD,
	DIR_MACHINE,
	DIR_SYSTEM,
	DIR_ENABLE,
	DIR_LOAD_CONFIG,
	DIR_CREATE,
	DIR_SET_LOADABLE,
	DIR_LOAD_IMAGE,
	DIR_PARAM,
	DIR_START,
	DIR_DESTROY,
	DIR_RUN,
	DIR_EXPECT_CONSOLE,
	DIR_EXPECT_NO_CONSOLE,
	DIR_EXPECT_STATE,
	DIR_EXPECT_REASON,
	DIR_EXPECT_LOG,
	DIR_PRINT_LOG,
	DIR_CHECKSUM,
	DIR_EXPECT_CHECKSUM,
	DIR_POKE,
	/* traces */
	DIR_TRACE_LOAD,
	DIR_TRACE_ENABLE,
	DIR_TRACE_RESPOND,
	DIR_TRACE_STATE,
	DIR_TRACE_EXPECT_STATE,
	DIR_TRACE_EXPECT_CONSOLE,
	DIR_COUNT
};

enum dir_arg_kind {
	DIR_ARG_NONE,	/* no more arguments */
	DIR_ARG_NUM,	/* a number: decimal or 0x hex */
	DIR_ARG_KEY,	/* KEY=NUMBER, KEY the argument's name */
	DIR_ARG_PATH,	/* a file, relative to the scenario or trace */
	DIR_ARG_NAME,	/* a word of at most DIR_NAME_MAXLEN characters */
	DIR_ARG_CELL,	/* a cell name (WD_CELL_NAME_MAXLEN characters) */
	DIR_ARG_STATE,	/* a cell state name: num = WD_CELL_* */
	DIR_ARG_REASON, /* a reason name: num = WD_R_* */
	DIR_ARG_REPLY,	/* none, approved or denied: num = 0, 1, 2 */
	DIR_ARG_TEXT,	/* the rest of the line */
};

/* Flags of an argument. */
#define DIR_OPT 0x1    /* may be left out (trailing arguments only) */
#define DIR_SIGNED 0x2 /* a number that may be negative (int64_t) */
#define DIR_GONE 0x4   /* a state: also "gone" (DIR_STATE_GONE) */

struct dir_arg {
	enum dir_arg_kind kind;
	const char *name; /* its name in the usage; KEY: the key */
	const char *meta; /* KEY: the value's name (ram=ADDR) */
	unsigned int flags;
	uint64_t min, max; /* a number's range (max 0: any) */
};

#define DIR_MAX_ARGS 4

/* Flags of a directive. */
#define DIR_NEEDS_MACHINE 0x1 /* scenario: after 'machine' or 'board' */
#define DIR_OUTCOME 0x2	      /* trace: may end in "-> OUTCOME" */

struct directive {
	const char *name;
	unsigned int syntax; /* DIR_SCENARIO, DIR_TRACE or both */
	unsigned int flags;
	struct dir_arg args[DIR_MAX_ARGS];
	const char *help;
};

/* A token of a directive line. */
struct dir_tok {
	const char *s;
	size_t len;
};

/* A checked argument. */
struct dir_val {
	bool given;
	const char *s; /* its text (KEY: the value; TEXT: to the end) */
	size_t len;
	uint64_t num; /* NUM, KEY (DIR_SIGNED: an int64_t), STATE, ... */
};

/* Row @id; the row of directive @name (@len characters) in @syntax. */
const struct directive *dir_get(enum dir_id id);
const struct directive *dir_find(unsigned int syntax, const char *name,
				 size_t len);
/* The id of row @d. */
enum dir_id dir_id_of(const struct directive *d);

/*
 * Check the arguments @tok[1..@n-1] of directive @d (@tok[0] its name)
 * against its row; a TEXT argument runs to @end. Fills @val[0..] (one per
 * row argument). 0, or -1 with "NAME: argument K (ARG): ..." in @err.
 */
int dir_parse(const struct directive *d, const struct dir_tok *tok,
	      unsigned int n, const char *end, struct dir_val *val, char *err,
	      size_t err_len);

/* Split @s (@len characters) at white space into at most @max tokens. */
unsigned int dir_tokenize(const char *s, size_t len, struct dir_tok *tok,
			  unsigned int max);

/* "expect-state ID STATE": the usage line of @d. */
void dir_usage(const struct directive *d, char *buf, size_t size);

/* The directive reference of @syntax: usage and help of each row. */
void dir_print(FILE *f, unsigned int syntax);

/* Cell state @state's name ("running"...), "gone", or "state-N". */
const char *dir_state_name(unsigned int state);

/* Decimal or 0x-prefixed hex, every digit valid, at most UINT64_MAX. */
static inline bool dir_u64(const char *s, size_t len, uint64_t *out)
{
	const char *end = s + len;
	uint64_t v = 0;
	int d;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (s += 2; s < end; s++) {
			d = sim_hex_digit(*s);
			if (d < 0 || v >> 60)
				return false;
			v = v << 4 | (unsigned int)d;
		}
	} else {
		if (s == end)
			return false;
		for (; s < end; s++) {
			if (*s < '0' || *s > '9' ||
			    __builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, (unsigned int)(*s - '0'),
						   &v))
				return false;
		}
	}
	*out = v;
	return true;
}

/* Signed: an optional '-' before a decimal or hex magnitude. */
static inline bool dir_s64(const char *s, size_t len, int64_t *out)
{
	bool neg = len && s[0] == '-';
	uint64_t v;

	if (!dir_u64(s + neg, len - neg, &v))
		return false;
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

#endif /* !WARDEN_SIM_DIRECTIVE_H */
