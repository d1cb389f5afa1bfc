/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace files (format version 1, see docs/abi.md): a reader that yields
 * directives and trap records with their line numbers, and the comparison
 * of a record's expected outcome with the actual one.
 *
 * Parse errors read "FILE:LINE: what is wrong"; trace_parse_line() gives
 * the "what is wrong" part alone (the unit tests check those texts).
 */
#ifndef WARDEN_SIM_TRACE_H
#define WARDEN_SIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <warden/cell_config.h>
#include <warden/trap.h>

#include "../hal/types.h"

#define TRACE_ERR_LEN 512
#define TRACE_PATH_LEN 1024
#define TRACE_TEXT_LEN 1024

enum trace_item_type {
	TRACE_NOTHING, /* blank or comment-only line */
	TRACE_HEADER,  /* "warden-trace 1" */
	TRACE_DIRECTIVE,
	TRACE_RECORD,
};

enum trace_directive {
	TRACE_DIR_MACHINE,	/* num[0]=ram, num[1]=size, num[2]=cpus */
	TRACE_DIR_SYSTEM,	/* path */
	TRACE_DIR_LOAD,		/* num[0]=gpa, path */
	TRACE_DIR_ENABLE,	/* optional expected outcome */
	TRACE_DIR_RESPOND,	/* cell, num[0]=TRACE_REPLY_* */
	TRACE_DIR_STATE,	/* cell, num[0]=WD_CELL_* */
	TRACE_DIR_EXPECT_STATE, /* cell, num[0]=WD_CELL_* or TRACE_STATE_GONE */
	TRACE_DIR_EXPECT_CONSOLE, /* text */
};

enum trace_reply {
	TRACE_REPLY_NONE,
	TRACE_REPLY_APPROVED,
	TRACE_REPLY_DENIED,
};

/* Pseudo cell state of expect-state: no cell of that name exists
 * (DIR_STATE_GONE of sim/directive.h). */
#define TRACE_STATE_GONE 0x100

/* Keys present in an expected outcome. */
#define TRACE_KEY_VAL 0x1
#define TRACE_KEY_RET 0x2
#define TRACE_KEY_REASON 0x4
#define TRACE_KEY_ITEM 0x8

/* An outcome: the outcome fields of struct wd_trap plus the keys given. */
struct trace_outcome {
	uint8_t outcome;   /* enum wd_trap_outcome */
	unsigned int keys; /* TRACE_KEY_* */
	uint32_t reason;
	uint64_t result; /* val= or ret= */
	uint64_t item;
};

struct trace_item {
	enum trace_item_type type;
	unsigned int line; /* 1-based */
	/* Where the expected outcome text sits in the line (for --update). */
	bool has_expect;
	size_t out_start, out_end;

	/* TRACE_DIRECTIVE */
	enum trace_directive dir;
	uint64_t num[3];

	/* TRACE_RECORD (left side in trap), TRACE_DIRECTIVE (cell) */
	struct wd_trap trap;
	char cell[WD_CELL_NAME_MAXLEN + 1];
	struct trace_outcome expect;

	/* TRACE_DIRECTIVE; last, as records leave them empty ("") */
	char path[TRACE_PATH_LEN];
	char text[TRACE_TEXT_LEN];
};

/*
 * Parse one line (without its newline) into @item. Returns 0, or -1 with
 * the reason in @err. Does not check the header order (the reader does).
 */
int trace_parse_line(const char *line, size_t len, struct trace_item *item,
		     char *err, size_t err_len);
/*
 * Its two parts, for the test that they agree: the general parser (every
 * form, every error), and the fast one that takes only a hvc, mmio or pio
 * record in the canonical form core/trace.c writes (false: not in it; the
 * caller clears @item before either).
 */
int trace_parse_general(const char *line, size_t len, struct trace_item *item,
			char *err, size_t err_len);
bool trace_parse_canonical(const char *line, size_t len,
			   struct trace_item *item);

struct trace_reader;

/* Open the file @path for reading. NULL with @err set on failure. */
struct trace_reader *trace_open(const char *path, char *err, size_t err_len);

/*
 * Hold the whole file in memory (before the first trace_next()), for
 * trace_line() on any line and trace_data(). Otherwise the reader keeps
 * only a window of the file. 0, or -1 with @err set.
 */
int trace_keep_all(struct trace_reader *r, char *err, size_t err_len);

/*
 * Next directive or record (blank lines, comments and the header are
 * skipped). Returns 1 with @item filled, 0 at the end of the file, -1 on a
 * parse error ("FILE:LINE: ...") or a read error ("FILE: ...") in @err.
 */
int trace_next(struct trace_reader *r, struct trace_item *item, char *err,
	       size_t err_len);

/*
 * The file's name as given; its bytes (after trace_keep_all()); line @line
 * (1-based): the one trace_next() parsed last, or any after
 * trace_keep_all(), else NULL.
 */
const char *trace_path(const struct trace_reader *r);
const char *trace_data(const struct trace_reader *r, size_t *len);
const char *trace_line(struct trace_reader *r, unsigned int line, size_t *len);

/* @rel resolved against the directory of the trace file. */
void trace_resolve(const struct trace_reader *r, const char *rel, char *out,
		   size_t out_len);

void trace_close(struct trace_reader *r);

/* The outcome fields of an actual trap, with the keys the format prints. */
struct trace_outcome trace_outcome_of(const struct wd_trap *t);

/* Same outcome, same key set, same values (a write's val never counts). */
bool trace_outcome_equal(const struct trace_outcome *a,
			 const struct trace_outcome *b);

/* Canonical text of outcome @o of a trap like @t (kind, direction). */
int trace_format_outcome(char *buf, size_t size, const struct wd_trap *t,
			 const struct trace_outcome *o);

/* Name of cell state @state ("running"...), "gone", or "state-N". */
const char *trace_state_name(unsigned int state);
/* The name of hypercall @code ("cell_create", ...; "unknown"), as replay -v
 * and run -v print it. */
const char *trace_hvc_name(uint64_t code);

/* The trace directives, usage and help (warden-sim replay --help). */
void trace_print_directives(FILE *f);

/*
 * The whole file at @path in a malloc'd buffer (NUL-terminated, *@len bytes
 * without the NUL), or NULL with errno set. Shared by every sim reader.
 */
char *sim_read_file(const char *path, size_t *len);

#endif /* !WARDEN_SIM_TRACE_H */
