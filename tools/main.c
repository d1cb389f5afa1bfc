// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config: compile, check, dump and create warden (Jailhouse revision
 * 14) configs. Each subcommand parses its own arguments, --help included.
 */
#include <stdio.h>
#include <string.h>

#include "tools/commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "compile", cmd_compile, "compile a .dts/.dtb config to a .cell" },
	{ "check", cmd_check,
	  "check a system config with its cells, or a directory by groups" },
	{ "dump", cmd_dump, "print a .cell config as DTS" },
	{ "create", cmd_create, "write a root-cell skeleton from a board DTB" },
	{ "map", cmd_map, "draw who owns what (text, or SVG with -o)" },
	{ "upgrade", cmd_upgrade,
	  "convert a Jailhouse revision 12/13 .cell to revision 14" },
};

#define NUM_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: warden-config <command> [options] [files]\n"
		   "       warden-config <command> --help\n\ncommands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
	fprintf(f,
		"\n'warden-config <command> --help' explains a command, its\n"
		"options and exit status (0 success, 1 failure, 2 usage).\n"
		"docs/config.md is the manual.\n");
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	/* The subcommand sees itself as argv[0]. */
	for (i = 0; i < NUM_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "warden-config: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
