/* SPDX-License-Identifier: GPL-2.0 */
/* Scenarios: management steps and real inmate runs (sim/scenario.c). */
#ifndef WARDEN_SIM_SCENARIO_H
#define WARDEN_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct scenario_opts {
	bool verbose; /* echo the consoles, print a summary */
	bool keep;    /* leave the machine for inspection: scenario_release() */
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
