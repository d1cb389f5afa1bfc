/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden-config's DTS side: DTS/DTB to struct cellcfg (tools/dts.c), and
 * struct cellcfg back to DTS text (tools/dump.c). The binding is in
 * docs/config.md and tools/binding.h.
 */
#ifndef WARDEN_TOOLS_DTS_H
#define WARDEN_TOOLS_DTS_H

#include <stddef.h>
#include <stdio.h>

#include "tools/cellcfg.h"
#include "tools/commands.h"

/*
 * Compile a flattened device tree of @len bytes into @out (which the
 * caller frees with cellcfg_free(), also after an error). Returns 0, or -1
 * with "NODE: message" in @err. The blob is checked with fdt_check_full()
 * first, so any byte string is safe to pass (fuzzing).
 */
int dts_compile_blob(const void *fdt, size_t len, struct cellcfg *out,
		     char *err, size_t errlen);

/* Turn a .dts file into a DTB with dtc, or read a .dtb (recognized by its
 * magic number). *dtb is malloc'd. Returns 0, or -1 with a message. */
int dts_load(const char *path, void **dtb, size_t *len, char *err,
	     size_t errlen);

/* Write @c as DTS source to @f; @source names the input for the header
 * comment (may be NULL). Returns 0, or -1 on a write error. */
int dts_dump(const struct cellcfg *c, const char *source, FILE *f);

/* Whole-file helpers shared by the subcommands. read_file() returns a
 * malloc'd buffer (NUL-terminated beyond *len) or NULL with errno set. */
void *read_file(const char *path, size_t *len);
/* A usage error of subcommand @cmd: "warden-config CMD: reason" and a
 * pointer to --help on stderr; returns 2, the exit status. */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int write_file(const char *path, const void *buf, size_t len);

#endif /* !WARDEN_TOOLS_DTS_H */
