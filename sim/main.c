// SPDX-License-Identifier: GPL-2.0
/*
 * warden-sim: the simulator's command line.
 *
 *   warden-sim replay [-v] [--update OUT] TRACE
 *   warden-sim run [-v] [--trace FILE] [--gdb PORT [--gdb-cpu N]]
 *                  [--cells-may-fail] SCENARIO
 *
 * Each command's --help explains it (what it does, options, exit status,
 * an example); docs/sim.md is the manual.
 *
 * Exit status: 0 success, 1 mismatch or error, 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "directive.h"
#include "input.h"
#include "replay.h"
#include "scenario.h"
#include "trace.h"

static const char usage_main[] =
	"usage: warden-sim COMMAND [ARGS]\n"
	"\n"
	"Run the warden hypervisor core in a simulated machine.\n"
	"\n"
	"commands:\n"
	"  run [-v] [--trace FILE] [--gdb PORT [--gdb-cpu N]]\n"
	"      [--cells-may-fail] SCENARIO\n"
	"        execute real inmates in Unicorn as SCENARIO says and check\n"
	"        its expectations\n"
	"  replay [-v] [--update OUT] TRACE\n"
	"        replay a trap trace through the core and check every outcome\n"
	"\n"
	"'warden-sim COMMAND --help' describes a command, its options and\n"
	"exit status. Exit status: 0 success, 1 failure, 2 usage error.\n";

static const char usage_replay[] =
	"usage: warden-sim replay [-v] [--update OUT] TRACE\n"
	"\n"
	"Feed every trap record of TRACE (trace format version 1, docs/abi.md\n"
	"section 6) through the core and compare each outcome with the\n"
	"recorded one. No guest code runs. Stops at the first mismatch:\n"
	"FILE:LINE: expected '...', got '...'.\n"
	"\n"
	"  -v, --verbose   print each record with its outcome, then a summary:\n"
	"                  records by kind, denials, cells, hypervisor console\n"
	"  --update OUT    write TRACE to OUT with the actual outcomes in place\n"
	"                  of the recorded ones (everything else unchanged);\n"
	"                  review the result by hand before trusting it\n"
	"  -h, --help      this text\n"
	"\n"
	"Paths in the trace (system, load) are relative to the trace file.\n"
	"Exit status: 0 all outcomes match, 1 mismatch or error, 2 usage.\n"
	"\n"
	"Example:\n"
	"  build/release/warden-sim replay -v tests/traces/demo.trace\n";

static const char usage_run[] =
	"usage: warden-sim run [-v] [--trace FILE] [--gdb PORT [--gdb-cpu N]]\n"
	"                      [--cells-may-fail] SCENARIO\n"
	"\n"
	"Build the machine SCENARIO describes, enable the hypervisor core,\n"
	"create, load and start cells through real hypercalls of the root\n"
	"cell, execute their inmate images in Unicorn (x86-64 and ARMv7) and\n"
	"check every expect-* line on the way. SCENARIO is a text file, one\n"
	"directive a line (docs/sim.md, \"Scenarios\"; the shipped ones are\n"
	"tests/scenarios/*.scn). Stops at the first failed step:\n"
	"FILE:LINE: what.\n"
	"\n"
	"  -v, --verbose   echo the scenario's comments and each step, then\n"
	"                  both consoles and a summary: cells, traps per CPU,\n"
	"                  denials, guest instructions, verdicts\n"
	"  --trace FILE    record every trap of the run into FILE, a trace\n"
	"                  that 'warden-sim replay FILE' reproduces\n"
	"  --gdb PORT      wait for one gdb client on 127.0.0.1:PORT (1-65535)\n"
	"                  and stop the debugged CPU before its first\n"
	"                  instruction (docs/sim.md, \"Debugging an inmate\")\n"
	"  --gdb-cpu N     the CPU gdb debugs (0-255, default 0; needs --gdb)\n"
	"  --cells-may-fail  a cell may fail without an expect line (for\n"
	"                  scripts that compare the outcomes themselves)\n"
	"  -h, --help      this text\n"
	"\n"
	"A cell that fails while the scenario expects nothing of it (no\n"
	"'expect-state ID failed', no 'expect-reason ID ...') fails the\n"
	"scenario (unless --cells-may-fail). 'run MS' takes 1 to " DIR_RUN_MAX_MS_TEXT
	" ms of virtual time; on a\n"
	"terminal, runs of " SCN_PROGRESS_MS_TEXT
	" ms or more show their progress on stderr.\n"
	"\n"
	"Exit status: 0 the scenario passed (every step and expectation held),\n"
	"1 it failed or a file could not be used, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  build/release/warden-sim run -v tests/scenarios/demo-arm.scn\n";

static int usage_error(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "warden-sim CMD: what", the usage line, a pointer to --help; status 2. */
static int usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "warden-sim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%.*s", (int)(strstr(usage, "\n\n") - usage) + 1,
		usage); /* the usage lines */
	fprintf(stderr, "'warden-sim %s --help' explains.\n", cmd);
	return 2;
}

static int cmd_replay(int argc, char **argv)
{
	struct replay_opts opts = { 0 };
	char err[TRACE_ERR_LEN];
	const char *trace = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_replay, stdout);
			fputs("\ndirectives:\n", stdout);
			trace_print_directives(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-v") ||
			   !strcmp(argv[i], "--verbose")) {
			opts.verbose = true;
		} else if (!strcmp(argv[i], "--update")) {
			if (++i == argc)
				return usage_error("replay", usage_replay,
						   "--update needs a file "
						   "name");
			opts.update = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("replay", usage_replay,
					   "unknown option '%s'", argv[i]);
		} else if (trace) {
			return usage_error("replay", usage_replay,
					   "one TRACE only (also got '%s')",
					   argv[i]);
		} else {
			trace = argv[i];
		}
	}
	if (!trace) {
		return usage_error("replay", usage_replay, "missing TRACE");
	}
	if (sim_input_check(trace, "trace", "(give one .trace file)", err,
			    sizeof(err)) ||
	    replay_file(trace, &opts, err, sizeof(err))) {
		fflush(stdout);
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (opts.update)
		printf("%s: written with the actual outcomes: review it\n",
		       opts.update);
	return 0;
}

/*
 * The value of option @opt: a decimal number in [@min, @max] into *@v;
 * else prints why (missing, not a number, out of range) and returns 2.
 */
static int number(const char *opt, const char *s, unsigned long min,
		  unsigned long max, const char *what, unsigned int *v)
{
	unsigned long n;
	char *end;

	if (!s) {
		fprintf(stderr, "warden-sim run: %s needs a %s number\n", opt,
			what);
		return 2;
	}
	errno = 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end) {
		fprintf(stderr, "warden-sim run: %s %s: not a decimal number\n",
			opt, s);
		return 2;
	}
	if (errno || n < min || n > max) {
		fprintf(stderr,
			"warden-sim run: %s %s: %s out of range (%lu-%lu)\n",
			opt, s, what, min, max);
		return 2;
	}
	*v = (unsigned int)n;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct scenario_opts opts = { 0 };
	char err[TRACE_ERR_LEN];
	const char *path = NULL, *arg;
	bool gdb_cpu = false;
	int i;

	for (i = 1; i < argc; i++) {
		arg = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_run, stdout);
			fputs("\ndirectives:\n", stdout);
			scenario_print_directives(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-v") ||
			   !strcmp(argv[i], "--verbose")) {
			opts.verbose = true;
		} else if (!strcmp(argv[i], "--gdb")) {
			if (number("--gdb", arg, 1, 65535, "port",
				   &opts.gdb_port))
				return 2;
			i++;
		} else if (!strcmp(argv[i], "--gdb-cpu")) {
			if (number("--gdb-cpu", arg, 0, 255, "CPU",
				   &opts.gdb_cpu))
				return 2;
			gdb_cpu = true;
			i++;
		} else if (!strcmp(argv[i], "--cells-may-fail")) {
			opts.cells_may_fail = true;
		} else if (!strcmp(argv[i], "--trace")) {
			if (!arg)
				return usage_error("run", usage_run,
						   "--trace needs a file name");
			opts.trace = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("run", usage_run,
					   "unknown option '%s'", argv[i]);
		} else if (path) {
			return usage_error("run", usage_run,
					   "one SCENARIO only (also got '%s')",
					   argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return usage_error("run", usage_run, "missing SCENARIO");
	if (gdb_cpu && !opts.gdb_port)
		return usage_error("run", usage_run,
				   "--gdb-cpu needs --gdb PORT (it names the "
				   "CPU the gdb stub debugs)");
	opts.progress = isatty(STDERR_FILENO);
	if (sim_input_check(path, "scenario", "(give one .scn file)", err,
			    sizeof(err)) ||
	    scenario_file(path, &opts, err, sizeof(err))) {
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
