// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config check FILE...: one system config and the cell configs meant
 * to run with it, as .dts, .dtb or binary .cell files. Every problem is
 * reported (not just the first) as
 *   warden-config: FILE: NODE-or-ITEM: value 0x...: rule
 * and the exit status is 0 only when there is none.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tools/check.h"
#include "tools/commands.h"
#include "tools/dts.h"

static void vproblem(struct check_ctx *ck, const struct cellcfg *c,
		     unsigned int kind, unsigned int idx, const char *value,
		     const char *fmt, va_list ap)
{
	char where[256], line[2048];
	int len;

	if (kind < CFG_KINDS)
		cellcfg_item_name(c, kind, idx, where, sizeof(where));
	else
		snprintf(where, sizeof(where), "%s",
			 c->root_node ? c->root_node : "header");
	len = snprintf(line, sizeof(line), "warden-config: %s: %s: value %s: ",
		       c->file ? c->file : "(config)", where, value);
	if (len >= 0 && (size_t)len < sizeof(line))
		vsnprintf(line + len, sizeof(line) - (size_t)len, fmt, ap);
	if (ck->err)
		fprintf(ck->err, "%s\n", line);
	if (ck->hook)
		ck->hook(ck->hook_arg, c, kind, idx, value, line);
	ck->problems++;
}

void check_problem(struct check_ctx *ck, const struct cellcfg *c,
		   unsigned int kind, unsigned int idx, uint64_t value,
		   const char *fmt, ...)
{
	char v[24];
	va_list ap;

	snprintf(v, sizeof(v), "0x%llx", (unsigned long long)value);
	va_start(ap, fmt);
	vproblem(ck, c, kind, idx, v, fmt, ap);
	va_end(ap);
}

void check_problem_str(struct check_ctx *ck, const struct cellcfg *c,
		       unsigned int kind, unsigned int idx, const char *value,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(ck, c, kind, idx, value, fmt, ap);
	va_end(ap);
}

/* Exactly one system config; the others are its cells, in order. */
static const struct cellcfg *find_system(struct check_ctx *ck,
					 struct cellcfg **cfgs, unsigned int n)
{
	const struct cellcfg *sys = NULL;
	unsigned int i, systems = 0;

	for (i = 0; i < n; i++)
		if (cfgs[i]->is_system && !systems++)
			sys = cfgs[i];
	for (i = 0; i < n; i++)
		if (cfgs[i]->is_system && cfgs[i] != sys)
			check_problem(ck, cfgs[i], CHECK_HDR, 0, systems,
				      "%u system configs given, exactly one "
				      "expected (the first is %s)",
				      systems,
				      sys->file ? sys->file : "another");
	if (!sys && n)
		check_problem(ck, cfgs[0], CHECK_HDR, 0, 0,
			      "no system config given: exactly one expected, "
			      "with the cells meant to run on it");
	return sys;
}

int check_configs(struct cellcfg **cfgs, unsigned int n, FILE *err)
{
	return check_configs_hook(cfgs, n, err, NULL, NULL);
}

int check_configs_hook(struct cellcfg **cfgs, unsigned int n, FILE *err,
		       check_hook_fn hook, void *arg)
{
	struct check_ctx ck = { err, 0, hook, arg };
	const struct cellcfg *sys = find_system(&ck, cfgs, n);
	struct cellcfg **cells = calloc(n ? n : 1, sizeof(*cells));
	unsigned int i, ncells = 0;

	if (!cells) {
		if (err)
			fprintf(err, "warden-config: out of memory\n");
		return (int)ck.problems + 1;
	}
	for (i = 0; i < n; i++) {
		/* Cells are checked against the system's hypervisor memory,
		 * as the core does at CELL_CREATE. */
		check_core(&ck, cfgs[i],
			   sys ? &sys->sys.hypervisor_memory : NULL);
		if (!cfgs[i]->is_system)
			cells[ncells++] = cfgs[i];
	}
	if (sys)
		check_cross(&ck, sys, cells, ncells);
	free(cells);
	return (int)ck.problems;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static bool is_fdt(const uint8_t *buf, size_t len)
{
	static const uint8_t magic[4] = { 0xd0, 0x0d, 0xfe, 0xed };

	return len >= 4 && !memcmp(buf, magic, 4);
}

int check_load(const char *path, struct cellcfg *out, FILE *err)
{
	bool dts = has_suffix(path, ".dts");
	uint8_t *buf = NULL;
	char msg[512];
	size_t len = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!dts) {
		buf = read_file(path, &len);
		if (!buf) {
			fprintf(err, "warden-config: %s: cannot read: %s\n",
				path, strerror(errno));
			return -1;
		}
	}
	/* Device trees go through the compiler, so messages name nodes. */
	if (dts || is_fdt(buf, len))
		ret = dts_compile_file(path, out, msg, sizeof(msg));
	else
		ret = cellcfg_decode(buf, len, out, msg, sizeof(msg));
	free(buf);
	if (ret) {
		fprintf(err, "warden-config: %s: %s\n", path, msg);
		cellcfg_free(out);
		return -1;
	}
	if (!out->file)
		out->file = path;
	if (out->trailing)
		fprintf(err,
			"warden-config: %s: warning: %zu bytes past the %zu "
			"the header declares are ignored (as Jailhouse "
			"ignores them)\n",
			path, out->trailing, len - out->trailing);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: warden-config check FILE...\n"
		"\n"
		"Check one system config and the cell configs meant to run on\n"
		"it (.dts, .dtb or binary .cell files, Jailhouse revision 14)\n"
		"against every rule the hypervisor enforces, across cells too.\n"
		"Each problem is printed on stderr as\n"
		"  warden-config: FILE: NODE-or-ITEM: value 0x...: rule\n"
		"Exit status: 0 all is well, 1 problems found, 2 usage error.\n");
}

int cmd_check(int argc, char **argv)
{
	struct cellcfg *cfgs;
	struct cellcfg **ptrs;
	int i, n = 0, loaded = 0, problems = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr,
				"warden-config check: unknown option "
				"%s\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cfgs = calloc((size_t)argc, sizeof(*cfgs));
	ptrs = calloc((size_t)argc, sizeof(*ptrs));
	if (!cfgs || !ptrs) {
		fprintf(stderr, "warden-config: out of memory\n");
		free(cfgs);
		free(ptrs);
		return 1;
	}
	for (i = 1; i < argc; i++, n++) {
		if (check_load(argv[i], &cfgs[n], stderr))
			problems++;
		else
			ptrs[loaded++] = &cfgs[n];
	}
	/* Which config is the system is unknown if one failed to load. */
	if (!problems)
		problems = check_configs(ptrs, (unsigned int)loaded, stderr);
	for (i = 0; i < n; i++)
		cellcfg_free(&cfgs[i]);
	free(cfgs);
	free(ptrs);
	return problems ? 1 : 0;
}
