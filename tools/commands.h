/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden-config's subcommands, dispatched by tools/main.c. Each parses its
 * own options (argv[0] is the subcommand name), handles --help and returns
 * the process exit status: 0 only when all is well. Errors go to stderr as
 * "warden-config: FILE: NODE: message".
 */
#ifndef WARDEN_TOOLS_COMMANDS_H
#define WARDEN_TOOLS_COMMANDS_H

#include <stddef.h>

struct cellcfg;

/* compile IN.dts|IN.dtb -o OUT.cell (tools/dts.c) */
int cmd_compile(int argc, char **argv);
/* dump FILE.cell [-o OUT.dts] (tools/dump.c) */
int cmd_dump(int argc, char **argv);
/* create --from-dtb BOARD.dtb [-o OUT.dts] [--hv-size BYTES] [--name NAME]
 * (tools/create.c) */
int cmd_create(int argc, char **argv);
/* check FILE... : one system config plus its cells (tools/check.c) */
int cmd_check(int argc, char **argv);
/* map SYSTEM [CELL...] [-o MAP.svg]: who owns what (tools/map.c) */
int cmd_map(int argc, char **argv);
/* upgrade OLD.cell -o NEW.cell [--arch A]: revision 12/13 to 14
 * (tools/upgrade.c) */
int cmd_upgrade(int argc, char **argv);

/*
 * Compile a .dts (through dtc) or .dtb file into @out, which the caller
 * frees with cellcfg_free(). Returns 0, or -1 with "NODE: message" in @err.
 */
int dts_compile_file(const char *path, struct cellcfg *out, char *err,
		     size_t errlen);

#endif /* !WARDEN_TOOLS_COMMANDS_H */
