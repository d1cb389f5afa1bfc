/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden-config check: every rule the core enforces on a set of configs
 * meant to run together (one system config plus its cells), and the rules
 * the core can only find one cell creation at a time. Messages read
 *   warden-config: FILE: NODE-or-ITEM: value 0x...: rule
 */
#ifndef WARDEN_TOOLS_CHECK_H
#define WARDEN_TOOLS_CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "tools/cellcfg.h"

/*
 * Check @n configs (exactly one of them a system config) against each other
 * and the core's rules; print one line per problem to @err. Returns the
 * number of problems, 0 when all is well.
 */
int check_configs(struct cellcfg **cfgs, unsigned int n, FILE *err);

/*
 * Called once per problem by check_configs_hook(): the config and item it
 * is about (@kind CHECK_HDR for the header, @idx the CPU id for CFG_CPUS),
 * the value the message names ("0x8c", or a quoted name) and the message
 * as check prints it, without the newline.
 */
typedef void (*check_hook_fn)(void *arg, const struct cellcfg *c,
			      unsigned int kind, unsigned int idx,
			      const char *value, const char *line);

/* check_configs() that also hands each problem to @hook; @err may be NULL
 * (nothing printed). */
int check_configs_hook(struct cellcfg **cfgs, unsigned int n, FILE *err,
		       check_hook_fn hook, void *arg);

/*
 * Load @path: .dts/.dtb through the DTS compiler (messages then name DTS
 * nodes), anything else as a binary config. Returns 0, or -1 after printing
 * the reason to @err. The caller frees @out with cellcfg_free().
 */
int check_load(const char *path, struct cellcfg *out, FILE *err);

/* ---- internal: shared by check.c, check_core.c and check_cross.c ---- */

/* Item kind for problems of the config header (no array item). */
#define CHECK_HDR CFG_KINDS

struct check_ctx {
	FILE *err; /* NULL: print nothing */
	unsigned int problems;
	check_hook_fn hook; /* NULL: none */
	void *hook_arg;
};

/* Report a problem of item @idx of @kind in @c with a numeric value. */
void check_problem(struct check_ctx *ck, const struct cellcfg *c,
		   unsigned int kind, unsigned int idx, uint64_t value,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same with a value that is a string (names). */
void check_problem_str(struct check_ctx *ck, const struct cellcfg *c,
		       unsigned int kind, unsigned int idx, const char *value,
		       const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Rule set (a): the core's validator, every problem of one config. */
void check_core(struct check_ctx *ck, const struct cellcfg *c,
		const struct wd_memory *hv);
/* Rule sets (b) and (c): across the system @sys and its @n @cells. */
void check_cross(struct check_ctx *ck, const struct cellcfg *sys,
		 struct cellcfg *const *cells, unsigned int n);

#endif /* !WARDEN_TOOLS_CHECK_H */
