// SPDX-License-Identifier: GPL-2.0
/*
 * warden-sim: the simulator's command line.
 *
 *   warden-sim replay [-v] [--update OUT] TRACE
 *   warden-sim run [-v] [--trace FILE] [--gdb PORT [--gdb-cpu N]] SCENARIO
 *
 * Exit status: 0 success, 1 mismatch or error, 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "scenario.h"
#include "trace.h"

static const char usage_main[] =
	"usage: warden-sim COMMAND [ARGS]\n"
	"\n"
	"Run the warden hypervisor core in a simulated machine.\n"
	"\n"
	"commands:\n"
	"  replay [-v] [--update OUT] TRACE   replay a trap trace through the\n"
	"                                     core and check every outcome\n"
	"  run [-v] SCENARIO                  execute inmates in Unicorn\n"
	"                                     (format: sim/scenario.c)\n"
	"      [--trace FILE]                 record every trap into FILE\n"
	"                                     (replayable: warden-sim replay)\n"
	"      [--gdb PORT [--gdb-cpu N]]     gdb stub for CPU N (default 0)\n"
	"                                     on 127.0.0.1:PORT\n"
	"\n"
	"'warden-sim COMMAND --help' describes a command.\n";

static const char usage_replay[] =
	"usage: warden-sim replay [-v] [--update OUT] TRACE\n"
	"\n"
	"Feed every trap record of TRACE (trace format version 1) through the\n"
	"core and compare each outcome with the recorded one. Stops at the\n"
	"first mismatch: FILE:LINE: expected '...', got '...'.\n"
	"\n"
	"  -v, --verbose   print each record with its outcome, then a summary:\n"
	"                  records by kind, denials, cells, hypervisor console\n"
	"  --update OUT    write TRACE to OUT with the actual outcomes in place\n"
	"                  of the recorded ones (everything else unchanged);\n"
	"                  review the result by hand before trusting it\n"
	"  -h, --help      this text\n"
	"\n"
	"Paths in the trace (system, load) are relative to the trace file.\n"
	"Exit status: 0 all outcomes match, 1 mismatch or error, 2 usage.\n";

static int cmd_replay(int argc, char **argv)
{
	struct replay_opts opts = { 0 };
	char err[TRACE_ERR_LEN];
	const char *trace = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_replay, stdout);
			return 0;
		} else if (!strcmp(argv[i], "-v") ||
			   !strcmp(argv[i], "--verbose")) {
			opts.verbose = true;
		} else if (!strcmp(argv[i], "--update")) {
			if (++i == argc) {
				fprintf(stderr, "warden-sim replay: --update "
						"needs a file name\n");
				return 2;
			}
			opts.update = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr,
				"warden-sim replay: unknown option "
				"'%s'\n%s",
				argv[i], usage_replay);
			return 2;
		} else if (trace) {
			fprintf(stderr, "warden-sim replay: one TRACE only\n%s",
				usage_replay);
			return 2;
		} else {
			trace = argv[i];
		}
	}
	if (!trace) {
		fprintf(stderr, "warden-sim replay: missing TRACE\n%s",
			usage_replay);
		return 2;
	}
	if (replay_file(trace, &opts, err, sizeof(err))) {
		fflush(stdout);
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (opts.update)
		printf("%s: written with the actual outcomes: review it\n",
		       opts.update);
	return 0;
}

/* A decimal number in [@min, @max], else ~0U. */
static unsigned int number(const char *s, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s < '0' || *s > '9' || *end || v < min || v > max)
		return ~0U;
	return (unsigned int)v;
}

static int cmd_run(int argc, char **argv)
{
	struct scenario_opts opts = { 0 };
	char err[TRACE_ERR_LEN];
	const char *path = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			opts.verbose = true;
		else if (!strcmp(argv[i], "--gdb") && i + 1 < argc)
			opts.gdb_port = number(argv[++i], 1, 65535);
		else if (!strcmp(argv[i], "--trace") && i + 1 < argc)
			opts.trace = argv[++i];
		else if (!strcmp(argv[i], "--gdb-cpu") && i + 1 < argc)
			opts.gdb_cpu = number(argv[++i], 0, 255);
		else if (argv[i][0] == '-' || path)
			path = NULL, i = argc;
		else
			path = argv[i];
	}
	if (!path || opts.gdb_port == ~0U || opts.gdb_cpu == ~0U) {
		fputs("usage: warden-sim run [-v] [--trace FILE] "
		      "[--gdb PORT [--gdb-cpu N]] SCENARIO\n",
		      stderr);
		return 2;
	}
	if (scenario_file(path, &opts, err, sizeof(err))) {
		fflush(stdout);
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "warden-sim: unknown command '%s'\n%s", argv[1],
		usage_main);
	return 2;
}
