// SPDX-License-Identifier: GPL-2.0
/*
 * The directive table of scenarios and traces, and the argument checker
 * both parsers use (sim/directive.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <warden/cell_config.h>
#include <warden/hypercall.h>

#include "../core/trace.h"
#include "directive.h"

#define ID(name)                                                \
	{                                                       \
		DIR_ARG_NUM, name, NULL, 0, 0, WD_MAX_CELLS - 1 \
	}
#define NUM(name)                                \
	{                                        \
		DIR_ARG_NUM, name, NULL, 0, 0, 0 \
	}
#define PATH                                        \
	{                                           \
		DIR_ARG_PATH, "PATH", NULL, 0, 0, 0 \
	}
#define EXPECT_RET                                                       \
	{                                                                \
		DIR_ARG_KEY, "expect", "RET", DIR_OPT | DIR_SIGNED, 0, 0 \
	}

static const struct directive table[DIR_COUNT] = {
	[DIR_BOARD] = { "board",
			DIR_SCENARIO,
			0,
			{ PATH },
			"create the machine from a board DTB (sim/board.h): RAM, "
			"CPUs, UARTs, interrupt controller" },
	[DIR_MACHINE] = { "machine",
			  DIR_SCENARIO | DIR_TRACE,
			  0,
			  { { DIR_ARG_KEY, "ram", "ADDR", 0, 0, 0 },
			    { DIR_ARG_KEY, "size", "BYTES", 0, 0, 0 },
			    { DIR_ARG_KEY, "cpus", "N", 0, 1, WD_MAX_CPUS } },
			  "create a bare machine: RAM at ADDR, N CPUs (devices where "
			  "the system config says)" },
	[DIR_SYSTEM] = { "system",
			 DIR_SCENARIO | DIR_TRACE,
			 DIR_NEEDS_MACHINE,
			 { PATH },
			 "read the system config (.cell)" },
	[DIR_ENABLE] = { "enable",
			 DIR_SCENARIO,
			 DIR_NEEDS_MACHINE,
			 { { 0 } },
			 "enable the hypervisor with the system config" },
	[DIR_LOAD_CONFIG] = { "load-config",
			      DIR_SCENARIO,
			      DIR_NEEDS_MACHINE,
			      { NUM("GPA"), PATH },
			      "copy a file into the root cell's RAM at GPA" },
	[DIR_CREATE] = { "create",
			 DIR_SCENARIO,
			 DIR_NEEDS_MACHINE,
			 { NUM("GPA"), EXPECT_RET },
			 "CELL_CREATE(GPA) from CPU 0; without expect=, an error "
			 "return fails the scenario" },
	[DIR_SET_LOADABLE] = { "set-loadable",
			       DIR_SCENARIO,
			       DIR_NEEDS_MACHINE,
			       { NUM("ID"), EXPECT_RET },
			       "CELL_SET_LOADABLE(ID)" },
	[DIR_LOAD_IMAGE] = { "load",
			     DIR_SCENARIO,
			     DIR_NEEDS_MACHINE,
			     { ID("ID"), NUM("GUEST-ADDR"), PATH },
			     "write an image into cell ID's loadable RAM through the root "
			     "cell's view (after set-loadable)" },
	[DIR_PARAM] = { "param",
			DIR_SCENARIO,
			DIR_NEEDS_MACHINE,
			{ ID("ID"),
			  { DIR_ARG_NAME, "FIELD", NULL, 0, 0, 0 },
			  NUM("VALUE") },
			"patch a field of cell ID's parameter block (select, "
			"num_cpus, timer_ticks, attack_ram, ..., ivshmem_bar; "
			"docs/inmates.md 5)" },
	[DIR_START] = { "start",
			DIR_SCENARIO,
			DIR_NEEDS_MACHINE,
			{ NUM("ID"), EXPECT_RET },
			"CELL_START(ID)" },
	[DIR_DESTROY] = { "destroy",
			  DIR_SCENARIO,
			  DIR_NEEDS_MACHINE,
			  { NUM("ID"), EXPECT_RET },
			  "CELL_DESTROY(ID)" },
	[DIR_RUN] = { "run",
		      DIR_SCENARIO,
		      DIR_NEEDS_MACHINE,
		      { { DIR_ARG_NUM, "MS", NULL, 0, 0, DIR_RUN_MAX_MS } },
		      "run the cells' CPUs for MS ms of virtual time (at most " DIR_RUN_MAX_MS_TEXT
		      ")" },
	[DIR_EXPECT_CONSOLE] = { "expect-console",
				 DIR_SCENARIO,
				 DIR_NEEDS_MACHINE,
				 { { DIR_ARG_CELL, "CELL", NULL, 0, 0, 0 },
				   { DIR_ARG_TEXT, "TEXT", NULL, 0, 0, 0 } },
				 "\"[CELL] TEXT\" was printed on a cell's UART or the "
				 "hypervisor's console (TEXT: the rest of the line)" },
	[DIR_EXPECT_NO_CONSOLE] = { "expect-no-console",
				    DIR_SCENARIO,
				    DIR_NEEDS_MACHINE,
				    { { DIR_ARG_CELL, "CELL", NULL, 0, 0, 0 },
				      { DIR_ARG_TEXT, "TEXT", NULL, 0, 0, 0 } },
				    "\"[CELL] TEXT\" was not printed" },
	[DIR_EXPECT_STATE] = { "expect-state",
			       DIR_SCENARIO,
			       DIR_NEEDS_MACHINE,
			       { ID("ID"),
				 { DIR_ARG_STATE, "STATE", NULL, DIR_GONE, 0,
				   0 } },
			       "cell ID's comm region state; gone: no cell ID" },
	[DIR_EXPECT_REASON] = { "expect-reason",
				DIR_SCENARIO,
				DIR_NEEDS_MACHINE,
				{ ID("ID"),
				  { DIR_ARG_REASON, "REASON", NULL, 0, 0, 0 },
				  { DIR_ARG_KEY, "item", "X", DIR_OPT, 0, 0 } },
				"why cell ID failed (a reason name), and the item" },
	[DIR_EXPECT_LOG] = { "expect-log",
			     DIR_SCENARIO,
			     DIR_NEEDS_MACHINE,
			     { ID("ID"),
			       { DIR_ARG_TEXT, "TEXT", NULL, 0, 0, 0 } },
			     "TEXT is in cell ID's log ring (parameter block at guest "
			     "0x1000, docs/inmates.md 5-6)" },
	[DIR_PRINT_LOG] = { "print-log",
			    DIR_SCENARIO,
			    DIR_NEEDS_MACHINE,
			    { ID("ID"),
			      { DIR_ARG_NAME, "NAME", NULL, 0, 0, 0 } },
			    "print cell ID's log ring, each line behind \"[NAME log] \" "
			    "(as the ARMv7 manager prints it)" },
	[DIR_CHECKSUM] = { "checksum",
			   DIR_SCENARIO,
			   DIR_NEEDS_MACHINE,
			   { { DIR_ARG_NAME, "NAME", NULL, 0, 0, 0 },
			     NUM("PHYS"),
			     NUM("SIZE"),
			     { DIR_ARG_KEY, "sample", "PAGES", DIR_OPT, 1,
			       1 << 20 } },
			   "remember the FNV-1a hash of the machine's memory "
			   "[PHYS, +SIZE) as NAME (at most 8 names); with "
			   "sample=, of PAGES of its pages picked by a fixed "
			   "generator seeded by NAME" },
	[DIR_EXPECT_CHECKSUM] = { "expect-checksum",
				  DIR_SCENARIO,
				  DIR_NEEDS_MACHINE,
				  { { DIR_ARG_NAME, "NAME", NULL, 0, 0, 0 } },
				  "the memory of checksum NAME hashes the same now" },
	[DIR_POKE] = { "poke",
		       DIR_SCENARIO,
		       DIR_NEEDS_MACHINE,
		       { NUM("PHYS"), NUM("BYTE") },
		       "write BYTE at the machine's address PHYS behind every "
		       "cell's back: a stray write, for the tests of the "
		       "checksums" },
	[DIR_TRACE_LOAD] = { "load",
			     DIR_TRACE,
			     0,
			     { NUM("GPA"), PATH },
			     "copy a file into physical RAM at GPA" },
	[DIR_TRACE_ENABLE] = { "enable",
			       DIR_TRACE,
			       DIR_OUTCOME,
			       { { 0 } },
			       "enable the hypervisor; an outcome "
			       "(-> ret=N [reason=NAME item=X]) is compared, without one "
			       "any failure is an error" },
	[DIR_TRACE_RESPOND] = { "respond",
				DIR_TRACE,
				0,
				{ { DIR_ARG_CELL, "CELL", NULL, 0, 0, 0 },
				  { DIR_ARG_REPLY, "REPLY", NULL, 0, 0, 0 } },
				"from now on CELL answers shutdown requests with REPLY: "
				"approved, denied or none (never)" },
	[DIR_TRACE_STATE] = { "state",
			      DIR_TRACE,
			      0,
			      { { DIR_ARG_CELL, "CELL", NULL, 0, 0, 0 },
				{ DIR_ARG_STATE, "STATE", NULL, 0, 0, 0 } },
			      "the cell writes STATE into its comm region" },
	[DIR_TRACE_EXPECT_STATE] = { "expect-state",
				     DIR_TRACE,
				     0,
				     { { DIR_ARG_CELL, "CELL", NULL, 0, 0, 0 },
				       { DIR_ARG_STATE, "STATE", NULL, DIR_GONE,
					 0, 0 } },
				     "the cell's comm region state; gone: no such cell" },
	[DIR_TRACE_EXPECT_CONSOLE] = { "expect-console",
				       DIR_TRACE,
				       0,
				       { { DIR_ARG_TEXT, "TEXT", NULL, 0, 0,
					   0 } },
				       "the hypervisor console so far contains TEXT (the rest of "
				       "the line, without comment and trailing spaces)" },
};

/* The cell states (WD_CELL_*), in the order of their values. */
static const char *const state_names[] = {
	[WD_CELL_RUNNING] = "running",
	[WD_CELL_RUNNING_LOCKED] = "locked",
	[WD_CELL_SHUT_DOWN] = "shut_down",
	[WD_CELL_FAILED] = "failed",
	[WD_CELL_FAILED_COMM_REV] = "failed_comm_rev",
};
#define NUM_STATES (sizeof(state_names) / sizeof(state_names[0]))

static const char *const reply_names[] = { "none", "approved", "denied" };

const char *dir_state_name(unsigned int state)
{
	static char buf[24];

	if (state == DIR_STATE_GONE)
		return "gone";
	if (state < NUM_STATES)
		return state_names[state];
	snprintf(buf, sizeof(buf), "state-%u", state);
	return buf;
}

const struct directive *dir_get(enum dir_id id)
{
	return (unsigned int)id < DIR_COUNT ? &table[id] : NULL;
}

const struct directive *dir_find(unsigned int syntax, const char *name,
				 size_t len)
{
	unsigned int i;

	for (i = 0; i < DIR_COUNT; i++)
		if ((table[i].syntax & syntax) &&
		    strlen(table[i].name) == len &&
		    !memcmp(table[i].name, name, len))
			return &table[i];
	return NULL;
}

enum dir_id dir_id_of(const struct directive *d)
{
	return (enum dir_id)(d - table);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

unsigned int dir_tokenize(const char *s, size_t len, struct dir_tok *tok,
			  unsigned int max)
{
	const char *end = s + len, *t;
	unsigned int n = 0;

	while (n < max) {
		while (s < end && is_space(*s))
			s++;
		if (s == end)
			break;
		for (t = s; s < end && !is_space(*s); s++)
			;
		tok[n++] = (struct dir_tok){ t, (size_t)(s - t) };
	}
	return n;
}

static unsigned int num_args(const struct directive *d)
{
	unsigned int n = 0;

	while (n < DIR_MAX_ARGS && d->args[n].kind != DIR_ARG_NONE)
		n++;
	return n;
}

static void append(char *buf, size_t size, size_t *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*at >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *at, size - *at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*at += (size_t)n;
}

/* "ram=ADDR", "ID"; in a usage line "[expect=RET]" if optional. */
static void arg_usage(const struct dir_arg *a, bool usage, char *buf,
		      size_t size)
{
	bool opt = usage && (a->flags & DIR_OPT);
	size_t at = 0;

	append(buf, size, &at, "%s%s%s%s%s", opt ? "[" : "", a->name,
	       a->kind == DIR_ARG_KEY ? "=" : "",
	       a->kind == DIR_ARG_KEY ? a->meta : "", opt ? "]" : "");
}

void dir_usage(const struct directive *d, char *buf, size_t size)
{
	unsigned int i, n = num_args(d);
	char arg[64];
	size_t at = 0;

	buf[0] = '\0';
	append(buf, size, &at, "%s", d->name);
	for (i = 0; i < n; i++) {
		arg_usage(&d->args[i], true, arg, sizeof(arg));
		append(buf, size, &at, " %s", arg);
	}
	if (d->flags & DIR_OUTCOME)
		append(buf, size, &at, " [-> OUTCOME]");
}

void dir_print(FILE *f, unsigned int syntax)
{
	char usage[128];
	unsigned int i;

	for (i = 0; i < DIR_COUNT; i++) {
		if (!(table[i].syntax & syntax))
			continue;
		dir_usage(&table[i], usage, sizeof(usage));
		fprintf(f, "  %s\n      %s\n", usage, table[i].help);
	}
}

/* The list "a, b or c" of @names (@n of them), plus "gone" if @gone. */
static void name_list(char *buf, size_t size, const char *const *names,
		      unsigned int n, bool gone)
{
	unsigned int i, all = n + gone;
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < all; i++)
		append(buf, size, &at, "%s%s",
		       !i	    ? "" :
		       i + 1 == all ? " or " :
				      ", ",
		       i < n ? names[i] : "gone");
}

struct check {
	const struct directive *d;
	char *err;
	size_t err_len;
};

static int fail(struct check *c, unsigned int i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "NAME: argument K (ARG): what". */
static int fail(struct check *c, unsigned int i, const char *fmt, ...)
{
	char arg[64], msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	arg_usage(&c->d->args[i], false, arg, sizeof(arg));
	snprintf(c->err, c->err_len, "%s: argument %u (%s): %s", c->d->name,
		 i + 1, arg, msg);
	return -1;
}

static int number(struct check *c, unsigned int i, const char *s, size_t len,
		  struct dir_val *v)
{
	const struct dir_arg *a = &c->d->args[i];
	int64_t sv;

	if (a->flags & DIR_SIGNED) {
		if (!dir_s64(s, len, &sv))
			return fail(c, i, "expected a number, got '%.*s'",
				    (int)len, s);
		v->num = (uint64_t)sv;
		return 0;
	}
	if (!dir_u64(s, len, &v->num))
		return fail(c, i,
			    "expected a number (decimal or 0x hex, "
			    "at most 64 bits), got '%.*s'",
			    (int)len, s);
	if (a->max && (v->num < a->min || v->num > a->max))
		return a->min ? fail(c, i,
				     "%.*s is out of range (%" PRIu64
				     " to %" PRIu64 ")",
				     (int)len, s, a->min, a->max) :
				fail(c, i,
				     "%.*s is out of range (at most %" PRIu64
				     ")",
				     (int)len, s, a->max);
	return 0;
}

static int word(struct check *c, unsigned int i, const struct dir_tok *t,
		size_t max, const char *what)
{
	if (t->len > max)
		return fail(c, i,
			    "expected %s of at most %zu characters, got "
			    "'%.*s' (%zu)",
			    what, max, (int)t->len, t->s, t->len);
	return 0;
}

static int one_arg(struct check *c, unsigned int i, const struct dir_tok *t,
		   const char *end, struct dir_val *v)
{
	const struct dir_arg *a = &c->d->args[i];
	char list[128];
	size_t kl;
	unsigned int k;
	int code;

	v->given = true;
	v->s = t->s;
	v->len = t->len;
	switch (a->kind) {
	case DIR_ARG_NONE:
		break;
	case DIR_ARG_NUM:
		return number(c, i, t->s, t->len, v);
	case DIR_ARG_KEY:
		kl = strlen(a->name);
		if (t->len <= kl || memcmp(t->s, a->name, kl) ||
		    t->s[kl] != '=')
			return fail(c, i, "expected %s=%s, got '%.*s'", a->name,
				    a->meta, (int)t->len, t->s);
		v->s = t->s + kl + 1;
		v->len = t->len - kl - 1;
		return number(c, i, v->s, v->len, v);
	case DIR_ARG_PATH:
		return word(c, i, t, DIR_PATH_MAXLEN, "a path");
	case DIR_ARG_NAME:
		return word(c, i, t, DIR_NAME_MAXLEN, "a name");
	case DIR_ARG_CELL:
		return word(c, i, t, WD_CELL_NAME_MAXLEN, "a cell name");
	case DIR_ARG_STATE:
		for (k = 0; k < NUM_STATES; k++)
			if (strlen(state_names[k]) == t->len &&
			    !memcmp(state_names[k], t->s, t->len)) {
				v->num = k;
				return 0;
			}
		if ((a->flags & DIR_GONE) && t->len == 4 &&
		    !memcmp(t->s, "gone", 4)) {
			v->num = DIR_STATE_GONE;
			return 0;
		}
		name_list(list, sizeof(list), state_names, NUM_STATES,
			  a->flags & DIR_GONE);
		return fail(c, i, "unknown cell state '%.*s' (%s)", (int)t->len,
			    t->s, list);
	case DIR_ARG_REASON:
		code = wd_reason_from_name(t->s, t->len);
		if (code < 0)
			return fail(c, i,
				    "unknown reason name '%.*s' (the names "
				    "of docs/abi.md, section 5)",
				    (int)t->len, t->s);
		v->num = (uint64_t)code;
		return 0;
	case DIR_ARG_REPLY:
		for (k = 0; k < 3; k++)
			if (strlen(reply_names[k]) == t->len &&
			    !memcmp(reply_names[k], t->s, t->len)) {
				v->num = k;
				return 0;
			}
		name_list(list, sizeof(list), reply_names, 3, false);
		return fail(c, i, "unknown reply '%.*s' (%s)", (int)t->len,
			    t->s, list);
	case DIR_ARG_TEXT:
		v->len = (size_t)(end - t->s);
		if (v->len > DIR_TEXT_MAXLEN)
			return fail(c, i,
				    "expected a text of at most %d "
				    "characters, got %zu",
				    DIR_TEXT_MAXLEN, v->len);
		return 0;
	}
	return 0;
}

int dir_parse(const struct directive *d, const struct dir_tok *tok,
	      unsigned int n, const char *end, struct dir_val *val, char *err,
	      size_t err_len)
{
	struct check c = { d, err, err_len };
	unsigned int i, want = num_args(d);
	char usage[128];

	for (i = 0; i < DIR_MAX_ARGS; i++)
		val[i] = (struct dir_val){ 0 };
	for (i = 0; i < want; i++) {
		if (i + 1 >= n) {
			if (d->args[i].flags & DIR_OPT)
				return 0;
			dir_usage(d, usage, sizeof(usage));
			return fail(&c, i, "missing (usage: %s)", usage);
		}
		if (one_arg(&c, i, &tok[i + 1], end, &val[i]))
			return -1;
		if (d->args[i].kind == DIR_ARG_TEXT)
			return 0;
	}
	if (n > want + 1) {
		dir_usage(d, usage, sizeof(usage));
		snprintf(err, err_len,
			 "%s: argument %u ('%.*s') is one too many "
			 "(usage: %s)",
			 d->name, want + 1, (int)tok[want + 1].len,
			 tok[want + 1].s, usage);
		return -1;
	}
	return 0;
}
