// SPDX-License-Identifier: GPL-2.0
/*
 * warden-sim: the simulator's command line.
 *
 *   warden-sim replay [-v] [--update OUT] TRACE
 *   warden-sim run [-v] SCENARIO
 *
 * Exit status: 0 success, 1 mismatch or error, 2 usage error.
 */
#include <stdio.h>
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

static int cmd_run(int argc, char **argv)
{
	struct scenario_opts opts = { 0 };
	char err[TRACE_ERR_LEN];
	const char *path = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			opts.verbose = true;
		else if (argv[i][0] == '-' || path)
			path = NULL, i = argc;
		else
			path = argv[i];
	}
	if (!path) {
		fputs("usage: warden-sim run [-v] SCENARIO\n", stderr);
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
