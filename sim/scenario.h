/* SPDX-License-Identifier: GPL-2.0 */
/* Scenarios: management steps and real inmate runs (sim/scenario.c). */
#ifndef WARDEN_SIM_SCENARIO_H
#define WARDEN_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* With opts.progress, 'run' steps this long show their progress. */
#define SCN_PROGRESS_MS 1000
#define SCN_PROGRESS_MS_TEXT "1000"

struct scenario_opts {
	bool verbose;  /* echo the consoles, print a summary */
	bool progress; /* long 'run' steps: progress on stderr (a terminal) */
	bool keep; /* leave the machine for inspection: scenario_release() */
	/* Cells may fail without an expect-state/expect-reason: the caller
	 * checks them itself (unit tests that inspect the machine). */
	bool cells_may_fail;
	unsigned int gdb_port; /* != 0: gdb stub on 127.0.0.1:PORT */
	unsigned int gdb_cpu;  /* ... for this CPU */
	const char *trace;     /* != NULL: record every trap into this file */
};

/* Free the machine a scenario run with 'keep' left behind. */
void scenario_release(void);

/*
 * Run the scenario file at @path. Returns 0 when every step and every
 * expectation held, else -1 with "FILE:LINE: what" in @err.
 */
int scenario_file(const char *path, const struct scenario_opts *opts, char *err,
		  size_t err_len);

/* The scenario directives, usage and help (warden-sim run --help). */
void scenario_print_directives(FILE *f);

#endif /* !WARDEN_SIM_SCENARIO_H */
