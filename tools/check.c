// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config check FILE...: one system config and the cell configs meant
 * to run with it, as .dts, .dtb or binary .cell files; check DIR...: a
 * target's directory, the system with each group of its cells (usage()).
 * Every problem is reported (not just the first) as
 *   warden-config: FILE: NODE-or-ITEM: value 0x...: rule
 * and the exit status is 0 only when there is none.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
		"       warden-config check DIR...\n"
		"\n"
		"Check one system config and the cell configs meant to run on\n"
		"it (.dts, .dtb or binary .cell files, Jailhouse revision 14)\n"
		"against every rule the hypervisor enforces, across cells too\n"
		"(docs/check.md lists the rules). The FILEs are ONE set: the\n"
		"system and cells that run together.\n"
		"\n"
		"A DIR holds a target's configs (configs/README.md): system.dts\n"
		"(or the one system .cell) and cells that are alternatives, in\n"
		"groups. A cell named GROUP-x (ivshmem-a.dts, ivshmem-b.dts)\n"
		"runs with the other cells of GROUP only; the cells without '-'\n"
		"in their name form one group too. Each group is checked with\n"
		"the system on its own, one line per group on stdout. A DIR\n"
		"uses its .dts files, or its .cell files if it has no .dts.\n"
		"\n"
		"Each problem is printed on stderr as\n"
		"  warden-config: FILE: NODE-or-ITEM: value 0x...: rule\n"
		"Exit status: 0 all is well, 1 problems found or a file could\n"
		"not be read, 2 usage error.\n"
		"\n"
		"Examples:\n"
		"  build/release/warden-config check configs/sim-x86\n"
		"  build/release/warden-config check configs/sim-x86/system.dts "
		"configs/sim-x86/tiny.dts\n");
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* Load and check @n files as one set; 0 or the number of problems. */
static int check_set(char **files, unsigned int n)
{
	struct cellcfg *cfgs = calloc(n ? n : 1, sizeof(*cfgs));
	struct cellcfg **ptrs = calloc(n ? n : 1, sizeof(*ptrs));
	unsigned int i, loaded = 0;
	int problems = 0;

	if (!cfgs || !ptrs) {
		fprintf(stderr, "warden-config: out of memory\n");
		free(cfgs);
		free(ptrs);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (check_load(files[i], &cfgs[i], stderr))
			problems++;
		else
			ptrs[loaded++] = &cfgs[i];
	}
	/* Which config is the system is unknown if one failed to load. */
	if (!problems)
		problems = check_configs(ptrs, loaded, stderr);
	for (i = 0; i < n; i++)
		cellcfg_free(&cfgs[i]);
	free(cfgs);
	free(ptrs);
	return problems;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The group of cell file @name (no directory): "ivshmem" for
 * ivshmem-a.dts, "" for tiny.dts. */
static void group_of(const char *name, char *group, size_t size)
{
	const char *dot = strrchr(name, '.'), *dash;
	size_t stem = dot ? (size_t)(dot - name) : strlen(name);

	for (dash = NULL; name + stem > name; stem--)
		if (name[stem - 1] == '-') {
			dash = name + stem - 1;
			break;
		}
	snprintf(group, size, "%.*s", dash ? (int)(dash - name) : 0, name);
}

/* check DIR: the system with each group of cells (see usage()). */
static int check_dir(const char *dir)
{
	char **files = NULL, **set = NULL, *path, *sys = NULL;
	char group[256], other[256];
	unsigned int n = 0, i, j, k, cells, groups = 0;
	const char *ext = ".dts";
	struct cellcfg c;
	struct dirent *d;
	int problems = 0, bad;
	size_t len;
	DIR *dh;

again:
	dh = opendir(dir);
	if (!dh) {
		fprintf(stderr, "warden-config: %s: cannot read: %s\n", dir,
			strerror(errno));
		return 1;
	}
	while ((d = readdir(dh))) {
		len = strlen(d->d_name);
		if (len <= strlen(ext) ||
		    strcmp(d->d_name + len - strlen(ext), ext))
			continue;
		files = realloc(files, (n + 1) * sizeof(*files));
		path = malloc(strlen(dir) + len + 2);
		if (!files || !path) {
			fprintf(stderr, "warden-config: out of memory\n");
			closedir(dh);
			return 1;
		}
		sprintf(path, "%s%s%s", dir,
			dir[strlen(dir) - 1] == '/' ? "" : "/", d->d_name);
		files[n++] = path;
	}
	closedir(dh);
	if (!n && !strcmp(ext, ".dts")) {
		ext = ".cell";
		goto again;
	}
	if (!n) {
		fprintf(stderr,
			"warden-config: %s: no .dts or .cell configs in this "
			"directory\n",
			dir);
		free(files);
		return 1;
	}
	qsort(files, n, sizeof(*files), by_name);
	/* The system: the one file that loads as a system config. */
	for (i = 0; i < n; i++) {
		if (check_load(files[i], &c, stderr)) {
			problems++;
			continue;
		}
		if (c.is_system && sys) {
			fprintf(stderr,
				"warden-config: %s: a second system config in "
				"%s (the first is %s): a directory holds one "
				"target\n",
				files[i], dir, sys);
			problems++;
		} else if (c.is_system) {
			sys = files[i];
		}
		cellcfg_free(&c);
	}
	if (!problems && !sys) {
		fprintf(stderr,
			"warden-config: %s: no system config among its %u "
			"%s files\n",
			dir, n, ext);
		problems++;
	}
	set = calloc(n + 1, sizeof(*set));
	if (!set)
		problems++;
	/* Each group, in name order, the system first. */
	for (i = 0; !problems && i < n; i++) {
		if (files[i] == sys)
			continue;
		group_of(strrchr(files[i], '/') + 1, group, sizeof(group));
		for (j = 0; j < i; j++) { /* seen this group already? */
			group_of(strrchr(files[j], '/') + 1, other,
				 sizeof(other));
			if (files[j] != sys && !strcmp(group, other))
				break;
		}
		if (j < i)
			continue;
		set[0] = sys;
		for (cells = 0, k = i; k < n; k++) {
			group_of(strrchr(files[k], '/') + 1, other,
				 sizeof(other));
			if (files[k] != sys && !strcmp(group, other))
				set[1 + cells++] = files[k];
		}
		bad = check_set(set, 1 + cells);
		groups++;
		printf("%s: %s with", dir, strrchr(sys, '/') + 1);
		for (k = 1; k <= cells; k++)
			printf(" %s", strrchr(set[k], '/') + 1);
		printf(" (group %s%s%s): %s\n", *group ? "'" : "",
		       *group ? group : "of the cells without '-'",
		       *group ? "'" : "", bad ? "PROBLEMS" : "ok");
		problems += bad;
	}
	if (!problems && !groups) { /* a system alone */
		problems = check_set(&sys, 1);
		printf("%s: %s alone: %s\n", dir, strrchr(sys, '/') + 1,
		       problems ? "PROBLEMS" : "ok");
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(set);
	return problems;
}

int cmd_check(int argc, char **argv)
{
	int i, dirs = 0, problems = 0;

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
		dirs += is_dir(argv[i]);
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (dirs && dirs != argc - 1) {
		fprintf(stderr,
			"warden-config check: give config files (one set) or "
			"directories (each checked by groups), not both\n");
		return 2;
	}
	if (dirs) {
		for (i = 1; i < argc; i++)
			problems += check_dir(argv[i]);
		return problems ? 1 : 0;
	}
	problems = check_set(argv + 1, (unsigned int)argc - 1);
	if (problems && argc > 3)
		fprintf(stderr,
			"warden-config: note: the %d files were checked as ONE "
			"set (cells that run together); 'warden-config check "
			"DIR' checks a directory's configs by groups "
			"(alternatives apart)\n",
			argc - 1);
	return problems ? 1 : 0;
}
